#include "store/sqlite/write_txn.h"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>

#include "core/contact.h"
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
                                   ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                                   "?13, ?14)";
// The creation time is not replaced: it is when the record began, whatever the update says.
const std::string kUpdatePatient =
    "UPDATE patients SET nhs_number = ?2, given_name = ?3, family_name = ?4, date_of_birth = ?5, "
    "sex = ?6, postcode = ?7, phone = ?8, email = ?9, gp_practice = ?10, dissent = ?11, "
    "interpreter_language = ?13, accessibility_needs = ?14 WHERE key = ?1";
const std::string kInsertReferral = "INSERT INTO referrals (" + std::string(kReferralColumns) +
                                    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                                    "?13, ?14)";
// A referral's patient, referrer and first registration never change (CheckUnchanged): they are
// matched, not set, so that SQLite leaves their indexes' pages alone.
const std::string kUpdateReferral =
    "UPDATE referrals SET source = ?3, state = ?4, priority = ?5, tier = ?6, service_line = ?7, "
    "site_id = ?8, owner = ?9, next_action_due = ?10, resubmitted_at = ?12, updated_at = ?13 "
    "WHERE id = ?1 AND patient_key = ?2 AND received_at = ?11 AND referrer_organisation IS ?14";
const std::string kInsertEvent = "INSERT INTO pathway_events (" + std::string(kEventColumns) +
                                 ", hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                                 "?12, ?13, ?14)";
const std::string kInsertUser = "INSERT INTO users (" + std::string(kUserColumns) +
                                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
const std::string kUpdateUser =
    "UPDATE users SET display_name = ?3, role = ?4, organisation = ?5, patient_key = ?6, "
    "password_hash = ?7, disabled = ?8, clinician_id = ?10 WHERE id = ?1 AND username = ?2";
const std::string kPutSession = "INSERT OR REPLACE INTO sessions (" + std::string(kSessionColumns) +
                                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
const std::string kInsertAudit = "INSERT INTO audit_log (" + std::string(kAuditColumns) +
                                 ", hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
const std::string kPutReferralDetails = "INSERT OR REPLACE INTO referral_details (" +
                                        std::string(kReferralDetailsColumns) +
                                        ") VALUES (?1, ?2, ?3, ?4)";
const std::string kPutClaim = "INSERT OR REPLACE INTO triage_claims (" +
                              std::string(kClaimColumns) + ") VALUES (?1, ?2, ?3, ?4)";
const std::string kInsertLink =
    "INSERT INTO referral_links (" + std::string(kLinkColumns) + ") VALUES (?1, ?2, ?3, ?4, ?5)";
const std::string kInsertIntakeAttempt =
    "INSERT INTO intake_attempts (at, channel, outcome, rules) VALUES (?1, ?2, ?3, ?4)";
const std::string kInsertNotification =
    "INSERT INTO outbox (kind, patient_key, referral_id, payload, status, created_at, channel, "
    "recipient, attempts, next_attempt_at, claimed_at, last_error, sent_at, provider_id) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
// The messages a worker may claim at ?1 with a lease of ?2 milliseconds: each half of the union
// reads its own partial index (migration 8).
const std::string kSelectClaimable =
    "SELECT " + std::string(kNotificationColumns) +
    " FROM outbox WHERE id IN (SELECT id FROM outbox WHERE status = 'queued' AND "
    "next_attempt_at <= ?1 UNION ALL SELECT id FROM outbox WHERE status = 'sending' AND "
    "claimed_at <= ?1 - ?2) ORDER BY id LIMIT ?3";
const std::string kClaim =
    "UPDATE outbox SET status = 'sending', claimed_at = ?2, attempts = attempts + 1 WHERE id = ?1";
const std::string kMarkSent =
    "UPDATE outbox SET status = 'sent', provider_id = ?2, sent_at = ?3, last_error = '' "
    "WHERE id = ?1";
const std::string kMarkRetry =
    "UPDATE outbox SET status = 'queued', last_error = ?2, next_attempt_at = ?3 WHERE id = ?1";
const std::string kMarkFailed =
    "UPDATE outbox SET status = 'failed', last_error = ?2 WHERE id = ?1";
// An upsert rather than INSERT OR REPLACE, which would delete the row its slots reference.
const std::string kPutClinicTemplate =
    "INSERT INTO clinic_templates (" + std::string(kClinicTemplateColumns) +
    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) "
    "ON CONFLICT (id) DO UPDATE SET clinician_id = ?2, site_id = ?3, room_id = ?4, weekdays = ?5, "
    "start_minute = ?6, end_minute = ?7, slot_type = ?8, slot_minutes = ?9, capacity = ?10, "
    "modality = ?11, ringfence = ?12, embargo_working_days = ?13, valid_from = ?14, "
    "valid_until = ?15";
// ON CONFLICT (id) DO NOTHING leaves a stored slot and its bookings alone, and unlike INSERT OR
// IGNORE still refuses a row that breaks a CHECK. A new slot starts with no bookings.
const std::string kInsertSlot = "INSERT INTO slots (" + std::string(kSlotColumns) +
                                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 0, "
                                "?14) ON CONFLICT (id) DO NOTHING";
const std::string kInsertAppointment = "INSERT INTO appointments (" +
                                       std::string(kAppointmentColumns) +
                                       ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
const std::string kUpdateAppointment =
    "UPDATE appointments SET patient_key = ?4, status = ?5, cancelled_by = ?7, "
    "cancel_reason = ?8, booked_at = ?9, updated_at = ?10, offer_expires_at = ?11 WHERE id = ?1";

// The message SQLite gives when the slots_booked_within_capacity CHECK (migration 6) refuses a
// write; the constraint is named so that this cannot be confused with any other failure.
constexpr std::string_view kSlotFullConstraint =
    "CHECK constraint failed: slots_booked_within_capacity";

// Turns the database's refusal to overbook into the contract's Aborted; other errors pass.
Status MapSlotFull(Status status) {
  if (status.code() == StatusCode::kFailedPrecondition &&
      status.message().find(kSlotFullConstraint) != std::string::npos) {
    return Status(StatusCode::kAborted, "the slot is full", "slot_id");
  }
  return status;
}

Status CheckClinicTemplate(const ClinicTemplate& t) {
  if (t.id.empty()) return InvalidArgumentError("is required", "id");
  for (int day : t.weekdays) {
    if (day < 1 || day > 7) return InvalidArgumentError("must be ISO weekdays 1 to 7", "weekdays");
  }
  constexpr int kMinutesPerDay = 24 * 60;
  if (t.start_minute < 0 || t.end_minute > kMinutesPerDay || t.end_minute <= t.start_minute) {
    return InvalidArgumentError("must end after it starts, within the day", "end_minute");
  }
  if (t.slot_minutes < 1) return InvalidArgumentError("must be at least 1", "slot_minutes");
  if (t.capacity < 1) return InvalidArgumentError("must be at least 1", "capacity");
  if (t.embargo_working_days < 0) {
    return InvalidArgumentError("must not be negative", "embargo_working_days");
  }
  return OkStatus();
}

Status CheckSlot(const Slot& s) {
  if (s.id.empty()) return InvalidArgumentError("is required", "id");
  if (s.end <= s.start) return InvalidArgumentError("must be after the start", "end");
  if (s.capacity < 1) return InvalidArgumentError("must be at least 1", "capacity");
  return OkStatus();
}

Status CheckAppointmentUnchanged(const Appointment& stored, const Appointment& updated) {
  if (stored.slot_id != updated.slot_id) {
    return InvalidArgumentError("an appointment's slot cannot change", "slot_id");
  }
  if (stored.referral_id != updated.referral_id) {
    return InvalidArgumentError("an appointment's referral cannot change", "referral_id");
  }
  if (stored.idempotency_key != updated.idempotency_key) {
    return InvalidArgumentError("an appointment's idempotency key cannot change",
                                "idempotency_key");
  }
  return OkStatus();
}

enum class JsonKind { kObject, kArray };

// The schema checks the same with json_valid; checking here first names the field for the caller.
Status CheckJson(std::string_view text, JsonKind kind, std::string_view field) {
  const nlohmann::json parsed =
      nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return InvalidArgumentError("is not valid JSON", std::string(field));
  if (kind == JsonKind::kObject && !parsed.is_object()) {
    return InvalidArgumentError("must be a JSON object", std::string(field));
  }
  if (kind == JsonKind::kArray && !parsed.is_array()) {
    return InvalidArgumentError("must be a JSON array", std::string(field));
  }
  return OkStatus();
}

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

// Fixes where `row` goes: a recipient given must be an address of its channel; otherwise the
// patient's record gives it, and a record without one fails the message, saying why.
Status AddressNotification(const Patient& patient, Notification& row) {
  if (!row.recipient.empty()) {
    if (!row.channel) return InvalidArgumentError("is required with a recipient", "channel");
    const bool fits = *row.channel == Channel::kEmail ? IsEmailAddress(row.recipient)
                                                      : IsUkMobileNumber(row.recipient);
    if (!fits) {
      return InvalidArgumentError(*row.channel == Channel::kEmail
                                      ? "is not an email address"
                                      : "is not a UK mobile phone number",
                                  "recipient");
    }
    return OkStatus();
  }
  StatusOr<Address> address = AddressFor(patient, row.channel);
  if (!address.ok()) {
    row.status = NotificationStatus::kFailed;
    row.last_error = address.status().message();
    return OkStatus();
  }
  row.channel = address->channel;
  row.recipient = std::move(address->recipient);
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

StatusOr<Patient> SelectPatientByNhsNumber(Connection& conn, std::string_view nhs_number) {
  if (nhs_number.empty()) return NotFoundError("no NHS number was given", "nhs_number");
  ASSIGN_OR_RETURN(StatementRef stmt, conn.Cached("SELECT " + std::string(kPatientColumns) +
                                                  " FROM patients WHERE nhs_number = ?1"));
  stmt->Bind(1, nhs_number);
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return NotFoundError("no patient has this NHS number", "nhs_number");
  return ReadPatient(*stmt);
}

StatusOr<ReferralDetails> SelectReferralDetails(Connection& conn, std::string_view referral_id) {
  ASSIGN_OR_RETURN(StatementRef stmt, conn.Cached("SELECT " + std::string(kReferralDetailsColumns) +
                                                  " FROM referral_details WHERE referral_id = ?1"));
  stmt->Bind(1, referral_id);
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return NotFoundError("this referral has no details", "referral_id");
  return ReadReferralDetails(*stmt);
}

StatusOr<Slot> SelectSlot(Connection& conn, std::string_view slot_id) {
  ASSIGN_OR_RETURN(StatementRef stmt, conn.Cached("SELECT " + std::string(kSlotColumns) +
                                                  " FROM slots WHERE id = ?1"));
  stmt->Bind(1, slot_id);
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return NotFoundError("no slot has this id", "slot_id");
  return ReadSlot(*stmt);
}

StatusOr<Appointment> SelectAppointment(Connection& conn, std::string_view id) {
  ASSIGN_OR_RETURN(StatementRef stmt, conn.Cached("SELECT " + std::string(kAppointmentColumns) +
                                                  " FROM appointments WHERE id = ?1"));
  stmt->Bind(1, id);
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return NotFoundError("no appointment has this id", "appointment_id");
  return ReadAppointment(*stmt);
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

Status SqliteWriteTxn::RequireReferral(std::string_view id, std::string_view field) {
  ASSIGN_OR_RETURN(bool known, Exists("SELECT 1 FROM referrals WHERE id = ?1", id));
  if (!known) return NotFoundError("no referral has this reference", std::string(field));
  return OkStatus();
}

Status SqliteWriteTxn::RequireNhsNumberFree(std::string_view nhs_number, std::string_view key) {
  if (nhs_number.empty()) return OkStatus();
  ASSIGN_OR_RETURN(StatementRef stmt,
                   conn_.Cached("SELECT 1 FROM patients WHERE nhs_number = ?1 AND key <> ?2"));
  stmt->Bind(1, nhs_number);
  stmt->Bind(2, key);
  ASSIGN_OR_RETURN(bool taken, stmt->Step());
  if (taken) return AlreadyExistsError("a patient with this NHS number exists", "nhs_number");
  return OkStatus();
}

Status SqliteWriteTxn::InsertPatient(const Patient& patient) {
  if (patient.key.empty()) return InvalidArgumentError("is required", "key");
  ASSIGN_OR_RETURN(bool key_taken, Exists("SELECT 1 FROM patients WHERE key = ?1", patient.key));
  if (key_taken) return AlreadyExistsError("a patient with this key exists", "key");
  RETURN_IF_ERROR(RequireNhsNumberFree(patient.nhs_number, patient.key));
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(kInsertPatient));
  BindPatient(*stmt, patient);
  return stmt->Run();
}

Status SqliteWriteTxn::UpdatePatient(const Patient& patient) {
  ASSIGN_OR_RETURN(bool known, Exists("SELECT 1 FROM patients WHERE key = ?1", patient.key));
  if (!known) return NotFoundError("no patient has this key", "key");
  RETURN_IF_ERROR(RequireNhsNumberFree(patient.nhs_number, patient.key));
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(kUpdatePatient));
  BindPatient(*stmt, patient);
  return stmt->Run();
}

StatusOr<Patient> SqliteWriteTxn::FindPatientByNhsNumber(std::string_view nhs_number) {
  return SelectPatientByNhsNumber(conn_, nhs_number);
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

Status SqliteWriteTxn::PutReferralDetails(const ReferralDetails& details) {
  RETURN_IF_ERROR(CheckJson(details.answers, JsonKind::kObject, "answers"));
  RETURN_IF_ERROR(CheckJson(details.decision, JsonKind::kObject, "decision"));
  RETURN_IF_ERROR(RequireReferral(details.referral_id, "referral_id"));
  ReferralDetails row = details;
  if (row.updated_at == Instant{}) row.updated_at = Now();
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(kPutReferralDetails));
  BindReferralDetails(*stmt, row);
  return stmt->Run();
}

StatusOr<ReferralDetails> SqliteWriteTxn::GetReferralDetails(std::string_view referral_id) {
  return SelectReferralDetails(conn_, referral_id);
}

StatusOr<TriageClaim> SqliteWriteTxn::GetClaim(std::string_view referral_id) {
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached("SELECT " + std::string(kClaimColumns) +
                                                   " FROM triage_claims WHERE referral_id = ?1"));
  stmt->Bind(1, referral_id);
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return NotFoundError("this referral is not claimed", "referral_id");
  return ReadClaim(*stmt);
}

Status SqliteWriteTxn::PutClaim(const TriageClaim& claim) {
  RETURN_IF_ERROR(RequireReferral(claim.referral_id, "referral_id"));
  ASSIGN_OR_RETURN(bool user_known, Exists("SELECT 1 FROM users WHERE id = ?1", claim.user_id));
  if (!user_known) return NotFoundError("no account has this id", "user_id");
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(kPutClaim));
  BindClaim(*stmt, claim);
  return stmt->Run();
}

Status SqliteWriteTxn::DeleteClaim(std::string_view referral_id) {
  ASSIGN_OR_RETURN(StatementRef stmt,
                   conn_.Cached("DELETE FROM triage_claims WHERE referral_id = ?1"));
  stmt->Bind(1, referral_id);
  return stmt->Run();
}

Status SqliteWriteTxn::InsertLink(const ReferralLink& link) {
  if (link.referral_id == link.other_id) {
    return InvalidArgumentError("a referral cannot be linked to itself", "other_id");
  }
  if (link.actor.empty()) return InvalidArgumentError("is required", "actor");
  RETURN_IF_ERROR(RequireReferral(link.referral_id, "referral_id"));
  RETURN_IF_ERROR(RequireReferral(link.other_id, "other_id"));
  {
    ASSIGN_OR_RETURN(StatementRef stmt,
                     conn_.Cached("SELECT 1 FROM referral_links WHERE (referral_id = ?1 AND "
                                  "other_id = ?2) OR (referral_id = ?2 AND other_id = ?1)"));
    stmt->Bind(1, link.referral_id);
    stmt->Bind(2, link.other_id);
    ASSIGN_OR_RETURN(bool linked, stmt->Step());
    if (linked) return AlreadyExistsError("these referrals are linked already", "other_id");
  }
  ReferralLink row = link;
  if (row.at == Instant{}) row.at = Now();
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(kInsertLink));
  BindLink(*stmt, row);
  return stmt->Run();
}

StatusOr<std::int64_t> SqliteWriteTxn::AppendIntakeAttempt(const IntakeAttempt& attempt) {
  if (attempt.channel.empty()) return InvalidArgumentError("is required", "channel");
  if (attempt.outcome.empty()) return InvalidArgumentError("is required", "outcome");
  RETURN_IF_ERROR(CheckJson(attempt.rules, JsonKind::kArray, "rules"));
  IntakeAttempt row = attempt;
  if (row.at == Instant{}) row.at = Now();
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(kInsertIntakeAttempt));
  BindIntakeAttempt(*stmt, row);
  RETURN_IF_ERROR(stmt->Run());
  return sqlite3_last_insert_rowid(conn_.handle());
}

StatusOr<std::int64_t> SqliteWriteTxn::EnqueueNotification(const Notification& notification) {
  if (notification.kind.empty()) return InvalidArgumentError("is required", "kind");
  RETURN_IF_ERROR(CheckJson(notification.payload, JsonKind::kObject, "payload"));
  ASSIGN_OR_RETURN(Patient patient, SelectPatient(conn_, notification.patient_key));
  RETURN_IF_ERROR(RequireIfSet("SELECT 1 FROM referrals WHERE id = ?1", notification.referral_id,
                               "referral", "referral_id"));
  Notification row = notification;
  row.status = NotificationStatus::kQueued;
  row.attempts = 0;
  row.claimed_at.reset();
  row.last_error.clear();
  row.sent_at.reset();
  row.provider_id.clear();
  RETURN_IF_ERROR(AddressNotification(patient, row));
  if (row.created_at == Instant{}) row.created_at = Now();
  if (row.next_attempt_at == Instant{}) row.next_attempt_at = row.created_at;
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(kInsertNotification));
  BindNotification(*stmt, row);
  RETURN_IF_ERROR(stmt->Run());
  return sqlite3_last_insert_rowid(conn_.handle());
}

StatusOr<std::vector<Notification>> SqliteWriteTxn::ClaimNotifications(
    Instant now, std::chrono::milliseconds lease, int limit) {
  std::vector<Notification> claimed;
  {
    ASSIGN_OR_RETURN(StatementRef select, conn_.Cached(kSelectClaimable));
    select->Bind(1, ToUnixMillis(now));
    select->Bind(2, static_cast<std::int64_t>(lease.count()));
    select->Bind(3, std::int64_t{limit});
    for (;;) {
      ASSIGN_OR_RETURN(bool row, select->Step());
      if (!row) break;
      ASSIGN_OR_RETURN(Notification n, ReadNotification(*select));
      claimed.push_back(std::move(n));
    }
  }
  for (Notification& n : claimed) {
    ASSIGN_OR_RETURN(StatementRef update, conn_.Cached(kClaim));
    update->Bind(1, n.id);
    update->Bind(2, ToUnixMillis(now));
    RETURN_IF_ERROR(update->Run());
    n.status = NotificationStatus::kSending;
    n.claimed_at = now;
    ++n.attempts;
  }
  return claimed;
}

Status SqliteWriteTxn::UpdateSending(const std::string& sql, std::int64_t id,
                                     const std::function<void(Statement&)>& bind) {
  {
    ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached("SELECT status FROM outbox WHERE id = ?1"));
    stmt->Bind(1, id);
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) return NotFoundError("no message has this id", "id");
    if (stmt->Text(0) != ToString(NotificationStatus::kSending)) {
      return FailedPreconditionError("the message is " + stmt->Text(0) + ", not sending", "id");
    }
  }
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(sql));
  stmt->Bind(1, id);
  bind(*stmt);
  return stmt->Run();
}

Status SqliteWriteTxn::MarkNotificationSent(std::int64_t id, std::string_view provider_id,
                                            Instant at) {
  return UpdateSending(kMarkSent, id, [&](Statement& stmt) {
    stmt.Bind(2, provider_id);
    stmt.Bind(3, ToUnixMillis(at));
  });
}

Status SqliteWriteTxn::MarkNotificationRetry(std::int64_t id, std::string_view error,
                                             Instant next_attempt_at) {
  return UpdateSending(kMarkRetry, id, [&](Statement& stmt) {
    stmt.Bind(2, error);
    stmt.Bind(3, ToUnixMillis(next_attempt_at));
  });
}

Status SqliteWriteTxn::MarkNotificationFailed(std::int64_t id, std::string_view error) {
  return UpdateSending(kMarkFailed, id, [&](Statement& stmt) { stmt.Bind(2, error); });
}

Status SqliteWriteTxn::RequireIfSet(const std::string& sql, std::string_view id,
                                    std::string_view what, std::string_view field) {
  if (id.empty()) return OkStatus();
  ASSIGN_OR_RETURN(bool known, Exists(sql, id));
  if (!known) return NotFoundError("no " + std::string(what) + " has this id", std::string(field));
  return OkStatus();
}

Status SqliteWriteTxn::PutClinicTemplate(const ClinicTemplate& clinic) {
  RETURN_IF_ERROR(CheckClinicTemplate(clinic));
  if (clinic.clinician_id.empty()) return InvalidArgumentError("is required", "clinician_id");
  if (clinic.site_id.empty()) return InvalidArgumentError("is required", "site_id");
  RETURN_IF_ERROR(RequireIfSet("SELECT 1 FROM clinicians WHERE id = ?1", clinic.clinician_id,
                               "clinician", "clinician_id"));
  RETURN_IF_ERROR(
      RequireIfSet("SELECT 1 FROM sites WHERE id = ?1", clinic.site_id, "site", "site_id"));
  RETURN_IF_ERROR(
      RequireIfSet("SELECT 1 FROM rooms WHERE id = ?1", clinic.room_id, "room", "room_id"));
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(kPutClinicTemplate));
  BindClinicTemplate(*stmt, clinic);
  return stmt->Run();
}

StatusOr<int> SqliteWriteTxn::PutSlots(const std::vector<Slot>& slots) {
  int inserted = 0;
  for (const Slot& slot : slots) {
    RETURN_IF_ERROR(CheckSlot(slot));
    if (slot.template_id.empty()) return InvalidArgumentError("is required", "template_id");
    RETURN_IF_ERROR(RequireIfSet("SELECT 1 FROM clinic_templates WHERE id = ?1", slot.template_id,
                                 "clinic template", "template_id"));
    ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(kInsertSlot));
    BindSlot(*stmt, slot);
    RETURN_IF_ERROR(stmt->Run());
    inserted += sqlite3_changes(conn_.handle());
  }
  return inserted;
}

StatusOr<Slot> SqliteWriteTxn::GetSlot(std::string_view slot_id) {
  return SelectSlot(conn_, slot_id);
}

Status SqliteWriteTxn::SetSlotCancelled(std::string_view slot_id, bool cancelled) {
  ASSIGN_OR_RETURN(StatementRef stmt,
                   conn_.Cached("UPDATE slots SET cancelled = ?2 WHERE id = ?1"));
  stmt->Bind(1, slot_id);
  stmt->Bind(2, std::int64_t{cancelled ? 1 : 0});
  RETURN_IF_ERROR(stmt->Run());
  if (sqlite3_changes(conn_.handle()) == 0) return NotFoundError("no slot has this id", "slot_id");
  return OkStatus();
}

// Every check here but the capacity one is also made by the schema; checking first names the
// field. Capacity is left to the database alone, so that there is one rule and no window between
// a check and the write.
Status SqliteWriteTxn::InsertAppointment(const Appointment& appointment) {
  if (appointment.id.empty()) return InvalidArgumentError("is required", "id");
  if (!appointment.idempotency_key.empty()) {
    ASSIGN_OR_RETURN(bool key_taken, Exists("SELECT 1 FROM appointments WHERE idempotency_key = ?1",
                                            appointment.idempotency_key));
    if (key_taken) {
      return AlreadyExistsError("a booking with this idempotency key exists", "idempotency_key");
    }
  }
  ASSIGN_OR_RETURN(bool id_taken,
                   Exists("SELECT 1 FROM appointments WHERE id = ?1", appointment.id));
  if (id_taken) return AlreadyExistsError("an appointment with this id exists", "id");
  ASSIGN_OR_RETURN(Slot slot, SelectSlot(conn_, appointment.slot_id));
  RETURN_IF_ERROR(RequireReferral(appointment.referral_id, "referral_id"));
  if (slot.cancelled) return FailedPreconditionError("the slot is cancelled", "slot_id");
  Appointment row = appointment;
  if (row.booked_at == Instant{}) row.booked_at = Now();
  if (row.updated_at == Instant{}) row.updated_at = row.booked_at;
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(kInsertAppointment));
  BindAppointment(*stmt, row);
  return MapSlotFull(stmt->Run());
}

Status SqliteWriteTxn::UpdateAppointment(const Appointment& appointment) {
  ASSIGN_OR_RETURN(Appointment stored, SelectAppointment(conn_, appointment.id));
  RETURN_IF_ERROR(CheckAppointmentUnchanged(stored, appointment));
  Appointment row = appointment;
  if (row.booked_at == Instant{}) row.booked_at = stored.booked_at;
  if (row.updated_at == Instant{}) row.updated_at = Now();
  ASSIGN_OR_RETURN(StatementRef stmt, conn_.Cached(kUpdateAppointment));
  BindAppointment(*stmt, row);
  return MapSlotFull(stmt->Run());
}

StatusOr<Appointment> SqliteWriteTxn::GetAppointment(std::string_view id) {
  return SelectAppointment(conn_, id);
}

StatusOr<Appointment> SqliteWriteTxn::FindAppointmentByIdempotencyKey(std::string_view key) {
  if (key.empty()) return NotFoundError("no idempotency key was given", "idempotency_key");
  ASSIGN_OR_RETURN(StatementRef stmt,
                   conn_.Cached("SELECT " + std::string(kAppointmentColumns) +
                                " FROM appointments WHERE idempotency_key = ?1"));
  stmt->Bind(1, key);
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return NotFoundError("no booking has this idempotency key", "idempotency_key");
  return ReadAppointment(*stmt);
}

StatusOr<Appointment> SqliteWriteTxn::FindAppointmentInSlot(std::string_view referral_id,
                                                            std::string_view slot_id) {
  ASSIGN_OR_RETURN(StatementRef stmt,
                   conn_.Cached("SELECT " + std::string(kAppointmentColumns) +
                                " FROM appointments WHERE slot_id = ?1 AND referral_id = ?2"
                                " AND status <> 'cancelled'"));
  stmt->Bind(1, slot_id);
  stmt->Bind(2, referral_id);
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return NotFoundError("the referral has no appointment in this slot", "slot_id");
  return ReadAppointment(*stmt);
}

StatusOr<std::vector<Appointment>> SqliteWriteTxn::ListOffers(std::string_view referral_id) {
  ASSIGN_OR_RETURN(
      StatementRef stmt,
      conn_.Cached("SELECT " + std::string(kAppointmentColumns) +
                   " FROM appointments WHERE referral_id = ?1 AND status = 'offered'"));
  // No ORDER BY: with one, SQLite reads the referral's every appointment through
  // appointments_by_referral (ordered by booked_at) instead of its few offers through their
  // partial index, and a referral rebooked many times has many.
  stmt->Bind(1, referral_id);
  std::vector<Appointment> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    ASSIGN_OR_RETURN(Appointment a, ReadAppointment(*stmt));
    out.push_back(std::move(a));
  }
  std::sort(out.begin(), out.end(), [](const Appointment& a, const Appointment& b) {
    return std::tie(a.booked_at, a.id) < std::tie(b.booked_at, b.id);
  });
  return out;
}

StatusOr<int> SqliteWriteTxn::LapseOffers(std::string_view slot_id, Instant now) {
  ASSIGN_OR_RETURN(StatementRef stmt,
                   conn_.Cached("UPDATE appointments SET status = 'cancelled', "
                                "cancelled_by = 'service', cancel_reason = 'the offer lapsed', "
                                "updated_at = ?2 WHERE slot_id = ?1 AND status = 'offered' "
                                "AND offer_expires_at <= ?2"));
  stmt->Bind(1, slot_id);
  stmt->Bind(2, ToUnixMillis(now));
  RETURN_IF_ERROR(stmt->Run());
  return sqlite3_changes(conn_.handle());
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
