#include "demo/accounts.h"

#include <map>

#include "auth/password.h"

namespace tendon::demo {
namespace {

struct Links {
  std::string patient_key;
  std::string organisation;
  std::string clinician_id;  // Empty when the service has no rota.
};

// The treating clinician account's diary: the clinician with the most clinic templates (the
// fullest week), the first by id among equals.
StatusOr<std::string> BusiestClinician(store::Store& store) {
  ASSIGN_OR_RETURN(std::vector<ClinicTemplate> templates, store.ListClinicTemplates());
  std::map<std::string, int> by_clinician;
  for (const ClinicTemplate& t : templates) ++by_clinician[t.clinician_id];
  std::string busiest;
  int most = 0;
  for (const auto& [clinician, count] : by_clinician) {
    if (count > most) {
      busiest = clinician;
      most = count;
    }
  }
  return busiest;
}

// Finds whom the patient and referrer accounts stand for in the stored history.
StatusOr<Links> FindLinks(store::Store& store) {
  Links links;
  std::map<std::string, int> by_organisation;
  RETURN_IF_ERROR(store.ScanReferrals([&](const Referral& r) {
    if (links.patient_key.empty() && r.state == ReferralState::kBooked) {
      links.patient_key = r.patient_key;
    }
    if (!r.referrer_organisation.empty()) ++by_organisation[r.referrer_organisation];
    return OkStatus();
  }));
  int most = 0;
  for (const auto& [organisation, count] : by_organisation) {
    if (count > most) {
      links.organisation = organisation;
      most = count;
    }
  }
  if (links.patient_key.empty() || links.organisation.empty()) {
    return FailedPreconditionError("the store holds no demo history to link the accounts to");
  }
  ASSIGN_OR_RETURN(links.clinician_id, BusiestClinician(store));
  return links;
}

StatusOr<User> MakeUser(const DemoAccount& account, const Links& links, Instant now) {
  User user;
  user.id = "demo-" + std::string(ToString(account.role));
  user.username = account.username;
  user.display_name = account.display_name;
  user.role = account.role;
  if (account.role == Role::kPatient) user.patient_key = links.patient_key;
  if (account.role == Role::kReferrer) user.organisation = links.organisation;
  if (account.role == Role::kTreatingClinician) user.clinician_id = links.clinician_id;
  ASSIGN_OR_RETURN(user.password_hash, auth::HashPassword(account.password));
  user.created_at = now;
  return user;
}

}  // namespace

const std::vector<DemoAccount>& DemoAccounts() {
  static const std::vector<DemoAccount> accounts{
      {"demo-patient", "demo-patient-password", "Alex Patient", Role::kPatient},
      {"demo-referrer", "demo-referrer-password", "Dr Sam Referrer", Role::kReferrer},
      {"demo-triage", "demo-triage-password", "Jo Triage", Role::kTriageClinician},
      {"demo-clinician", "demo-clinician-password", "Chris Clinician", Role::kTreatingClinician},
      {"demo-coordinator", "demo-coordinator-password", "Pat Coordinator", Role::kCoordinator},
      {"demo-commissioner", "demo-commissioner-password", "Robin Commissioner",
       Role::kCommissioner},
      {"demo-admin", "demo-admin-password", "Kim Administrator", Role::kAdministrator},
  };
  return accounts;
}

Status CreateDemoAccounts(store::Store& store) {
  ASSIGN_OR_RETURN(Links links, FindLinks(store));
  const Instant now = Now();
  std::vector<User> users;
  for (const DemoAccount& account : DemoAccounts()) {
    ASSIGN_OR_RETURN(User user, MakeUser(account, links, now));
    users.push_back(std::move(user));
  }
  return store.Write([&](store::WriteTxn& txn) -> Status {
    for (const User& user : users) RETURN_IF_ERROR(txn.InsertUser(user));
    return OkStatus();
  });
}

std::vector<DemoAccount> PublishedDemoAccounts(store::Store& store) {
  std::vector<DemoAccount> published;
  for (const DemoAccount& account : DemoAccounts()) {
    auto user = store.FindUserByUsername(account.username);
    if (user.ok() && !user->disabled &&
        auth::VerifyPassword(user->password_hash, account.password)) {
      published.push_back(account);
    }
  }
  return published;
}

}  // namespace tendon::demo
