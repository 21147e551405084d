// The patient portal's sign-in codes in SQLite (migration 9): the SqliteWriteTxn methods of
// store.h's "Patient portal sign-in codes".
#include <sqlite3.h>

#include <string>

#include "store/sqlite/write_txn.h"

namespace tendon::store::sqlite {
namespace {

constexpr char kCodeColumns[] =
    "challenge_hash, reference, patient_key, code_hash, created_at, expires_at, attempts, used_at";

const std::string kInsertCode = std::string("INSERT INTO portal_codes (") + kCodeColumns +
                                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
const std::string kSelectCode =
    std::string("SELECT ") + kCodeColumns + " FROM portal_codes WHERE challenge_hash = ?1";
const std::string kUpdateCode =
    "UPDATE portal_codes SET attempts = ?2, used_at = ?3 WHERE challenge_hash = ?1";
const std::string kDeleteExpired = "DELETE FROM portal_codes WHERE expires_at <= ?1";

std::optional<std::int64_t> Millis(const std::optional<Instant>& t) {
  if (!t) return std::nullopt;
  return ToUnixMillis(*t);
}

PortalCode ReadCode(const Statement& row) {
  PortalCode code;
  code.challenge_hash = row.Text(0);
  code.reference = row.Text(1);
  if (!row.IsNull(2)) code.patient_key = row.Text(2);
  code.code_hash = row.Text(3);
  code.created_at = FromUnixMillis(row.Int(4));
  code.expires_at = FromUnixMillis(row.Int(5));
  code.attempts = static_cast<int>(row.Int(6));
  if (auto used = row.OptionalInt(7)) code.used_at = FromUnixMillis(*used);
  return code;
}

}  // namespace

Status SqliteWriteTxn::InsertPortalCode(const PortalCode& code) {
  if (code.challenge_hash.empty()) return InvalidArgumentError("is required", "challenge_hash");
  ASSIGN_OR_RETURN(bool taken, Exists("SELECT 1 FROM portal_codes WHERE challenge_hash = ?1",
                                      code.challenge_hash));
  if (taken) return AlreadyExistsError("this challenge is taken", "challenge_hash");
  if (!code.patient_key.empty()) {
    ASSIGN_OR_RETURN(bool known, Exists("SELECT 1 FROM patients WHERE key = ?1", code.patient_key));
    if (!known) return NotFoundError("no patient has this key", "patient_key");
  }
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(kInsertCode));
  stmt->Bind(1, code.challenge_hash);
  stmt->Bind(2, code.reference);
  if (code.patient_key.empty()) {
    stmt->BindNull(3);
  } else {
    stmt->Bind(3, code.patient_key);
  }
  stmt->Bind(4, code.code_hash);
  stmt->Bind(5, ToUnixMillis(code.created_at));
  stmt->Bind(6, ToUnixMillis(code.expires_at));
  stmt->Bind(7, std::int64_t{code.attempts});
  stmt->BindOptional(8, Millis(code.used_at));
  return stmt->Run();
}

StatusOr<PortalCode> SqliteWriteTxn::GetPortalCode(std::string_view challenge_hash) {
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(kSelectCode));
  stmt->Bind(1, challenge_hash);
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return NotFoundError("no sign-in code is waiting for this challenge", "challenge");
  return ReadCode(*stmt);
}

Status SqliteWriteTxn::UpdatePortalCode(const PortalCode& code) {
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(kUpdateCode));
  stmt->Bind(1, code.challenge_hash);
  stmt->Bind(2, std::int64_t{code.attempts});
  stmt->BindOptional(3, Millis(code.used_at));
  RETURN_IF_ERROR(stmt->Run());
  if (sqlite3_changes(conn_.handle()) == 0) {
    return NotFoundError("no sign-in code is waiting for this challenge", "challenge");
  }
  return OkStatus();
}

StatusOr<int> SqliteWriteTxn::DeleteExpiredPortalCodes(Instant now) {
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(kDeleteExpired));
  stmt->Bind(1, ToUnixMillis(now));
  RETURN_IF_ERROR(stmt->Run());
  return sqlite3_changes(conn_.handle());
}

}  // namespace tendon::store::sqlite
