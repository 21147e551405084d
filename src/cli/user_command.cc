// `tendon user add|disable|list`: accounts, from the command line.
#include <algorithm>
#include <iostream>
#include <string>

#include "auth/password.h"
#include "auth/tokens.h"
#include "cli/commands.h"
#include "cli/flags.h"
#include "store/sqlite/sqlite_store.h"

namespace tendon::cli {
namespace {

constexpr std::size_t kMinUsername = 3;
constexpr std::size_t kMaxUsername = 64;

Status CheckUsername(const std::string& username) {
  if (username.size() < kMinUsername || username.size() > kMaxUsername) {
    return InvalidArgumentError("must be 3 to 64 characters", "--username");
  }
  for (char c : username) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    if (!ok) {
      return InvalidArgumentError("may hold only lower-case letters, digits, '.', '-' and '_'",
                                  "--username");
    }
  }
  return OkStatus();
}

// The password is read from standard input (one line), never from a flag that `ps` would show.
StatusOr<std::string> ReadPassword(const Flags& flags) {
  if (!flags.Has("password-stdin")) {
    return InvalidArgumentError("give the password on standard input with --password-stdin",
                                "--password-stdin");
  }
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  RETURN_IF_ERROR(auth::CheckPasswordPolicy(password));
  return password;
}

StatusOr<User> UserFromFlags(const Flags& flags) {
  User user;
  ASSIGN_OR_RETURN(user.username, flags.Require("username"));
  RETURN_IF_ERROR(CheckUsername(user.username));
  ASSIGN_OR_RETURN(std::string role, flags.Require("role"));
  ASSIGN_OR_RETURN(user.role, ParseRole(role, "--role"));
  user.display_name = flags.Get("display-name").value_or(user.username);
  user.organisation = flags.Get("organisation").value_or("");
  user.patient_key = flags.Get("patient-key").value_or("");
  if ((user.role == Role::kPatient) != !user.patient_key.empty()) {
    return InvalidArgumentError("is required for a patient account and only for one",
                                "--patient-key");
  }
  if (user.role == Role::kReferrer && user.organisation.empty()) {
    return InvalidArgumentError("is required for a referrer account", "--organisation");
  }
  // The clinician whose diary is the account's own (a treating clinician's only).
  user.clinician_id = flags.Get("clinician-id").value_or("");
  if (!user.clinician_id.empty() && user.role != Role::kTreatingClinician) {
    return InvalidArgumentError("is for a treating clinician's account only", "--clinician-id");
  }
  ASSIGN_OR_RETURN(std::string password, ReadPassword(flags));
  ASSIGN_OR_RETURN(user.password_hash, auth::HashPassword(password));
  user.id = "u-" + auth::RandomToken().substr(0, 16);
  user.created_at = Now();
  return user;
}

Status Add(store::Store& store, const Flags& flags, std::ostream& out) {
  ASSIGN_OR_RETURN(User user, UserFromFlags(flags));
  if (!user.patient_key.empty()) {
    auto patient = store.GetPatient(user.patient_key);
    if (!patient.ok()) return NotFoundError("no patient has this key", "--patient-key");
  }
  if (!user.clinician_id.empty()) {
    ASSIGN_OR_RETURN(std::vector<Clinician> clinicians, store.ListClinicians());
    const bool known = std::any_of(clinicians.begin(), clinicians.end(),
                                   [&](const Clinician& c) { return c.id == user.clinician_id; });
    if (!known) return NotFoundError("no clinician has this id", "--clinician-id");
  }
  RETURN_IF_ERROR(store.Write([&](store::WriteTxn& txn) { return txn.InsertUser(user); }));
  out << "added " << user.username << " (" << ToString(user.role) << ")\n";
  return OkStatus();
}

Status Disable(store::Store& store, const Flags& flags, std::ostream& out) {
  ASSIGN_OR_RETURN(std::string username, flags.Require("username"));
  auto user = store.FindUserByUsername(username);
  if (!user.ok()) return NotFoundError("no account has this username", "--username");
  user->disabled = true;
  RETURN_IF_ERROR(store.Write([&](store::WriteTxn& txn) -> Status {
    RETURN_IF_ERROR(txn.UpdateUser(*user));
    return txn.DeleteUserSessions(user->id);
  }));
  out << "disabled " << username << "; their sessions are ended\n";
  return OkStatus();
}

Status List(store::Store& store, std::ostream& out) {
  ASSIGN_OR_RETURN(std::vector<User> users, store.ListUsers());
  for (const User& u : users) {
    out << u.username << "\t" << ToString(u.role) << "\t"
        << (u.organisation.empty() ? "-" : u.organisation) << "\t"
        << (u.disabled ? "disabled" : "active") << "\n";
  }
  return OkStatus();
}

Status UserCommand(const Args& args, std::ostream& out) {
  if (args.empty()) return InvalidArgumentError("say add, disable or list", "user");
  const std::string verb = args[0];
  ASSIGN_OR_RETURN(Flags flags, Flags::Parse(Args(args.begin() + 1, args.end()),
                                             {"db", "username", "role", "display-name",
                                              "organisation", "patient-key", "clinician-id"},
                                             {"password-stdin"}));
  ASSIGN_OR_RETURN(std::string db, flags.Require("db"));
  if (!std::filesystem::exists(db)) return NotFoundError("no database at " + db, "--db");
  ASSIGN_OR_RETURN(auto store, store::sqlite::SqliteStore::Open(db));
  if (verb == "add") return Add(*store, flags, out);
  if (verb == "disable") return Disable(*store, flags, out);
  if (verb == "list") return List(*store, out);
  return InvalidArgumentError("'" + verb + "' is not add, disable or list", "user");
}

}  // namespace

int RunUser(const Args& args, std::ostream& out) {
  Status status = UserCommand(args, out);
  return status.ok() ? 0 : ReportFailure(status);
}

}  // namespace tendon::cli
