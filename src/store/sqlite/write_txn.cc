#include "store/sqlite/write_txn.h"

#include <chrono>
#include <string>

#include "store/sqlite/rows.h"

namespace tendon::store::sqlite {
namespace {

const std::string kInsertSite = "INSERT OR REPLACE INTO sites (" + std::string(kSiteColumns) +
                                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
const std::string kInsertRoom =
    "INSERT OR REPLACE INTO rooms (" + std::string(kRoomColumns) + ") VALUES (?1, ?2, ?3)";
const std::string kInsertClinician = "INSERT OR REPLACE INTO clinicians (" +
                                     std::string(kClinicianColumns) +
                                     ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
const std::string kInsertPatient = "INSERT INTO patients (" + std::string(kPatientColumns) +
                                   ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
const std::string kInsertReferral = "INSERT INTO referrals (" + std::string(kReferralColumns) +
                                    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                                    "?13, ?14)";
const std::string kUpdateReferral =
    "UPDATE referrals SET patient_key = ?2, source = ?3, state = ?4, priority = ?5, tier = ?6, "
    "service_line = ?7, site_id = ?8, owner = ?9, next_action_due = ?10, received_at = ?11, "
    "resubmitted_at = ?12, updated_at = ?13, referrer_organisation = ?14 WHERE id = ?1";
const std::string kInsertEvent = "INSERT INTO pathway_events (" + std::string(kEventColumns) +
                                 ", hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                                 "?12, ?13, ?14)";
const std::string kInsertUser = "INSERT INTO users (" + std::string(kUserColumns) +
                                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
const std::string kUpdateUser =
    "UPDATE users SET display_name = ?3, role = ?4, organisation = ?5, patient_key = ?6, "
    "password_hash = ?7, disabled = ?8 WHERE id = ?1 AND username = ?2";
const std::string kPutSession = "INSERT OR REPLACE INTO sessions (" + std::string(kSessionColumns) +
                                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
const std::string kInsertAudit = "INSERT INTO audit_log (" + std::string(kAuditColumns) +
                                 ", hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

// An open referral must say who acts next and by when (DESIGN.md, "The pathway").
Status CheckOwnership(const Referral& r) {
  if (IsTerminal(r.state)) return OkStatus();
  if (r.owner.empty()) {
    return FailedPreconditionError("an open referral must have an owner", "owner");
  }
  if (!r.next_action_due) {
    return FailedPreconditionError("an open referral must have a next-action due time",
                                   "next_action_due");
  }
  return OkStatus();
}

Status CheckUnchanged(const Referral& stored, const Referral& updated) {
  if (stored.patient_key != updated.patient_key) {
    return InvalidArgumentError("a referral's patient cannot change", "patient_key");
  }
  if (stored.referrer_organisation != updated.referrer_organisation) {
    return InvalidArgumentError("a referral's referring organisation cannot change",
                                "referrer_organisation");
  }
  if (stored.received_at != updated.received_at) {
    return InvalidArgumentError("a referral's first registration time cannot change",
                                "received_at");
  }
  return OkStatus();
}

}  // namespace

StatusOr<ChainHeads> LoadChainHeads(Connection& conn) {
  ChainHeads heads;
  {
    ASSIGN_OR_RETURN(StatementRef stmt,
                     conn.Cached("SELECT id, hash FROM pathway_events ORDER BY id DESC LIMIT 1"));
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (row) {
      heads.event_id = stmt->Int(0);
      ASSIGN_OR_RETURN(heads.event_hash, ReadHash(*stmt, 1));
    }
  }
  ASSIGN_OR_RETURN(StatementRef stmt,
                   conn.Cached("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"));
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (row) {
    heads.audit_id = stmt->Int(0);
    ASSIGN_OR_RETURN(heads.audit_hash, ReadHash(*stmt, 1));
  }
  return heads;
}

StatusOr<Referral> SelectReferral(Connection& conn, std::string_view id) {
  ASSIGN_OR_RETURN(StatementRef stmt, conn.Cached("SELECT " + std::string(kReferralColumns) +
                                                  " FROM referrals WHERE id = ?1"));
  stmt->Bind(1, id);
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return NotFoundError("no referral has this reference", "referral_id");
  return ReadReferral(*stmt);
}

StatusOr<Patient> SelectPatient(Connection& conn, std::string_view key) {
  ASSIGN_OR_RETURN(StatementRef stmt, conn.Cached("SELECT " + std::string(kPatientColumns) +
                                                  " FROM patients WHERE key = ?1"));
  stmt->Bind(1, key);
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return NotFoundError("no patient has this key", "patient_key");
  return ReadPatient(*stmt);
}

Status SqliteWriteTxn::PutSite(const Site& site) {
  if (site.id.empty()) return InvalidArgumentError("is required", "id");
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(kInsertSite));
  BindSite(*stmt, site);
  return stmt->Run();
}

Status SqliteWriteTxn::PutRoom(const Room& room) {
  if (room.id.empty()) return InvalidArgumentError("is required", "id");
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(kInsertRoom));
  BindRoom(*stmt, room);
  return stmt->Run();
}

Status SqliteWriteTxn::PutClinician(const Clinician& clinician) {
  if (clinician.id.empty()) return InvalidArgumentError("is required", "id");
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(kInsertClinician));
  BindClinician(*stmt, clinician);
  return stmt->Run();
}

StatusOr<bool> SqliteWriteTxn::Exists(const std::string& sql, std::string_view key) {
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(sql));
  stmt->Bind(1, key);
  return stmt->Step();
}

Status SqliteWriteTxn::InsertPatient(const Patient& patient) {
  if (patient.key.empty()) return InvalidArgumentError("is required", "key");
  ASSIGN_OR_RETURN(bool key_taken, Exists("SELECT 1 FROM patients WHERE key = ?1", patient.key));
  if (key_taken) return AlreadyExistsError("a patient with this key exists", "key");
  ASSIGN_OR_RETURN(bool nhs_taken,
                   Exists("SELECT 1 FROM patients WHERE nhs_number = ?1", patient.nhs_number));
  if (nhs_taken) return AlreadyExistsError("a patient with this NHS number exists", "nhs_number");
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(kInsertPatient));
  BindPatient(*stmt, patient);
  return stmt->Run();
}

Status SqliteWriteTxn::InsertEvent(PathwayEvent& event) {
  if (event.recorded_at == Instant{}) event.recorded_at = Now();
  event.id = heads_.event_id + 1;
  ChainHash hash = ChainEvent(heads_.event_hash, event);
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(kInsertEvent));
  BindEvent(*stmt, event);
  BindHash(*stmt, kEventHashColumn + 1, hash);
  RETURN_IF_ERROR(stmt->Run());
  heads_.event_id = event.id;
  heads_.event_hash = hash;
  return OkStatus();
}

Status SqliteWriteTxn::WriteReferral(const std::string& sql, const Referral& referral) {
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(sql));
  BindReferral(*stmt, referral);
  return stmt->Run();
}

StatusOr<std::int64_t> SqliteWriteTxn::CreateReferral(const Referral& referral,
                                                      std::vector<PathwayEvent> events) {
  if (referral.id.empty()) return InvalidArgumentError("is required", "referral_id");
  if (events.empty()) return InvalidArgumentError("a referral opens with an event", "events");
  ASSIGN_OR_RETURN(bool taken, Exists("SELECT 1 FROM referrals WHERE id = ?1", referral.id));
  if (taken) return AlreadyExistsError("a referral with this reference exists", "referral_id");
  ASSIGN_OR_RETURN(bool patient_known,
                   Exists("SELECT 1 FROM patients WHERE key = ?1", referral.patient_key));
  if (!patient_known) return NotFoundError("no patient has this key", "patient_key");
  std::optional<ReferralState> state;
  for (PathwayEvent& event : events) {
    event.referral_id = referral.id;
    event.patient_key = referral.patient_key;
    RETURN_IF_ERROR(ValidateEvent(event, state));
    state = event.state_after;
  }
  if (*state != referral.state) {
    return InvalidArgumentError("the referral's state must be its last event's state_after",
                                "state");
  }
  RETURN_IF_ERROR(CheckOwnership(referral));
  RETURN_IF_ERROR(WriteReferral(kInsertReferral, referral));
  for (PathwayEvent& event : events) RETURN_IF_ERROR(InsertEvent(event));
  return heads_.event_id;
}

StatusOr<std::int64_t> SqliteWriteTxn::RecordEvent(const Referral& updated, PathwayEvent event) {
  ASSIGN_OR_RETURN(Referral stored, SelectReferral(conn_, updated.id));
  RETURN_IF_ERROR(CheckUnchanged(stored, updated));
  event.referral_id = updated.id;
  event.patient_key = updated.patient_key;
  event.state_after = updated.state;
  event.priority = updated.priority;
  event.tier = updated.tier;
  event.service_line = updated.service_line;
  if (event.site.empty()) event.site = updated.site_id;
  RETURN_IF_ERROR(ValidateEvent(event, stored.state));
  RETURN_IF_ERROR(CheckOwnership(updated));
  if (event.recorded_at == Instant{}) event.recorded_at = Now();
  Referral row = updated;
  row.updated_at = event.recorded_at;
  RETURN_IF_ERROR(WriteReferral(kUpdateReferral, row));
  RETURN_IF_ERROR(InsertEvent(event));
  return event.id;
}

StatusOr<std::int64_t> SqliteWriteTxn::AppendAudit(const AuditEntry& entry) {
  if (entry.actor.empty()) return InvalidArgumentError("is required", "actor");
  if (entry.action.empty()) return InvalidArgumentError("is required", "action");
  AuditEntry row = entry;
  if (row.at == Instant{}) row.at = Now();
  row.id = heads_.audit_id + 1;
  ChainHash hash = ChainAudit(heads_.audit_hash, row);
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(kInsertAudit));
  BindAudit(*stmt, row);
  BindHash(*stmt, kAuditHashColumn + 1, hash);
  RETURN_IF_ERROR(stmt->Run());
  heads_.audit_id = row.id;
  heads_.audit_hash = hash;
  return row.id;
}

Status SqliteWriteTxn::InsertUser(const User& user) {
  if (user.id.empty()) return InvalidArgumentError("is required", "id");
  if (user.username.empty()) return InvalidArgumentError("is required", "username");
  ASSIGN_OR_RETURN(bool id_taken, Exists("SELECT 1 FROM users WHERE id = ?1", user.id));
  if (id_taken) return AlreadyExistsError("an account with this id exists", "id");
  ASSIGN_OR_RETURN(bool name_taken,
                   Exists("SELECT 1 FROM users WHERE username = ?1", user.username));
  if (name_taken) return AlreadyExistsError("this username is taken", "username");
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(kInsertUser));
  BindUser(*stmt, user);
  return stmt->Run();
}

Status SqliteWriteTxn::UpdateUser(const User& user) {
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(kUpdateUser));
  BindUser(*stmt, user);
  RETURN_IF_ERROR(stmt->Run());
  if (sqlite3_changes(conn_.handle()) == 0) {
    return NotFoundError("no account has this id and username", "id");
  }
  return OkStatus();
}

Status SqliteWriteTxn::PutSession(const Session& session) {
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(kPutSession));
  BindSession(*stmt, session);
  return stmt->Run();
}

Status SqliteWriteTxn::DeleteSession(std::string_view token_hash) {
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached("DELETE FROM sessions WHERE token_hash = ?1"));
  stmt->Bind(1, token_hash);
  return stmt->Run();
}

Status SqliteWriteTxn::DeleteUserSessions(std::string_view user_id) {
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached("DELETE FROM sessions WHERE user_id = ?1"));
  stmt->Bind(1, user_id);
  return stmt->Run();
}

StatusOr<Patient> SqliteWriteTxn::GetPatient(std::string_view key) {
  return SelectPatient(conn_, key);
}

StatusOr<Referral> SqliteWriteTxn::GetReferral(std::string_view id) {
  return SelectReferral(conn_, id);
}

}  // namespace tendon::store::sqlite
