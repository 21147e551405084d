#include "store/sqlite/migrations.h"

#include <array>
#include <string>
#include <string_view>

namespace tendon::store::sqlite {
namespace {

// Never edit a released migration: add a new one. Times are INTEGER milliseconds since the Unix
// epoch (UTC); dates of birth are INTEGER days since the epoch.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE sites (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  region TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  latitude REAL NOT NULL,
  longitude REAL NOT NULL,
  rooms INTEGER NOT NULL CHECK (rooms >= 0),
  weekly_clinic_days INTEGER NOT NULL CHECK (weekly_clinic_days >= 0)
) STRICT;

CREATE TABLE rooms (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites(id),
  name TEXT NOT NULL
) STRICT;

CREATE TABLE clinicians (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  profession TEXT NOT NULL,
  skills TEXT NOT NULL DEFAULT '',
  base_site_id TEXT REFERENCES sites(id),
  fte REAL NOT NULL CHECK (fte > 0)
) STRICT;

CREATE TABLE patients (
  key TEXT PRIMARY KEY,
  nhs_number TEXT NOT NULL UNIQUE CHECK (length(nhs_number) = 10),
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  date_of_birth INTEGER NOT NULL,
  sex TEXT NOT NULL,
  postcode TEXT NOT NULL,
  phone TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  gp_practice TEXT NOT NULL DEFAULT '',
  dissent INTEGER NOT NULL DEFAULT 0 CHECK (dissent IN (0, 1)),
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE referrals (
  id TEXT PRIMARY KEY,
  patient_key TEXT NOT NULL REFERENCES patients(key),
  source TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('received', 'returned_incomplete', 'awaiting_triage',
      'triaged', 'waiting_to_book', 'booked', 'in_treatment', 'discharged', 'pifu_window',
      'closed', 'withdrawn', 'onward_referred')),
  priority TEXT NOT NULL CHECK (priority IN ('emergency', 'urgent', 'post_op', 'routine')),
  tier TEXT,
  service_line TEXT,
  site_id TEXT NOT NULL DEFAULT '',
  owner TEXT NOT NULL DEFAULT '',
  next_action_due INTEGER,
  received_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK (state IN ('closed', 'withdrawn', 'onward_referred')
         OR (owner <> '' AND next_action_due IS NOT NULL))
) STRICT;
CREATE INDEX referrals_by_patient ON referrals(patient_key);

CREATE TABLE pathway_events (
  id INTEGER PRIMARY KEY,
  referral_id TEXT NOT NULL REFERENCES referrals(id),
  patient_key TEXT NOT NULL,
  type TEXT NOT NULL,
  state_after TEXT NOT NULL,
  occurred_at INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  site TEXT NOT NULL DEFAULT '',
  tier TEXT,
  service_line TEXT,
  priority TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}',
  hash BLOB NOT NULL
) STRICT;
CREATE INDEX pathway_events_by_referral ON pathway_events(referral_id, id);
CREATE TRIGGER pathway_events_no_update BEFORE UPDATE ON pathway_events
  BEGIN SELECT RAISE(ABORT, 'pathway events are append-only'); END;
CREATE TRIGGER pathway_events_no_delete BEFORE DELETE ON pathway_events
  BEGIN SELECT RAISE(ABORT, 'pathway events are append-only'); END;

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  patient_key TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  hash BLOB NOT NULL
) STRICT;
CREATE INDEX audit_log_by_patient ON audit_log(patient_key, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql";

// Version 2: the resubmission time of a returned referral (reports keep both it and the first
// registration), and an index for the overdue list over open referrals.
constexpr std::string_view kV2 = R"sql(
ALTER TABLE referrals ADD COLUMN resubmitted_at INTEGER;
CREATE INDEX referrals_open_by_due ON referrals(next_action_due)
  WHERE state NOT IN ('closed', 'withdrawn', 'onward_referred');
)sql";

// Version 3: accounts and sessions (the server issue), and the referring organisation, against
// which a referrer's access to a referral is checked.
constexpr std::string_view kV3 = R"sql(
ALTER TABLE referrals ADD COLUMN referrer_organisation TEXT NOT NULL DEFAULT '';
CREATE INDEX referrals_by_organisation ON referrals(referrer_organisation, received_at);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE CHECK (username = lower(username) AND length(username) > 0),
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('patient', 'referrer', 'triage_clinician',
      'treating_clinician', 'coordinator', 'commissioner', 'administrator')),
  organisation TEXT NOT NULL DEFAULT '',
  patient_key TEXT REFERENCES patients(key),
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at INTEGER NOT NULL,
  CHECK ((role = 'patient') = (patient_key IS NOT NULL))
) STRICT;

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  context_referral_id TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sessions_by_user ON sessions(user_id);
)sql";

// Version 4: referrals by state in registration order, for the triage queue and the counts by
// state.
constexpr std::string_view kV4 = R"sql(
CREATE INDEX referrals_by_state ON referrals(state, received_at);
)sql";

// Version 5: the intake and triage issue. A patient may be recorded before their NHS number or
// date of birth is known, and gains an interpreter language and accessibility needs; SQLite cannot
// relax NOT NULL in place, so `patients` is rebuilt by the procedure of
// https://www.sqlite.org/lang_altertable.html ("Making Other Kinds Of Table Schema Changes"): new
// table, copy, drop, rename. Apply runs it with foreign keys off and checks them before commit.
// An unknown NHS number is NULL, so UNIQUE holds among the known ones only. Beside it: a referral's
// answers and decision, triage claims, links between referrals about the same problem, and the
// anonymous record of intakes stopped before they made a referral.
constexpr std::string_view kV5 = R"sql(
CREATE TABLE patients_v5 (
  key TEXT PRIMARY KEY,
  nhs_number TEXT UNIQUE CHECK (nhs_number IS NULL OR length(nhs_number) = 10),
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  date_of_birth INTEGER,
  sex TEXT NOT NULL,
  postcode TEXT NOT NULL,
  phone TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  gp_practice TEXT NOT NULL DEFAULT '',
  interpreter_language TEXT NOT NULL DEFAULT '',
  accessibility_needs TEXT NOT NULL DEFAULT '',
  dissent INTEGER NOT NULL DEFAULT 0 CHECK (dissent IN (0, 1)),
  created_at INTEGER NOT NULL
) STRICT;
INSERT INTO patients_v5 (key, nhs_number, given_name, family_name, date_of_birth, sex, postcode,
    phone, email, gp_practice, dissent, created_at)
  SELECT key, nhs_number, given_name, family_name, date_of_birth, sex, postcode, phone, email,
      gp_practice, dissent, created_at
  FROM patients;
DROP TABLE patients;
ALTER TABLE patients_v5 RENAME TO patients;
CREATE INDEX patients_by_demographics ON patients(date_of_birth, lower(family_name), postcode);

CREATE TABLE referral_details (
  referral_id TEXT PRIMARY KEY REFERENCES referrals(id),
  answers TEXT NOT NULL CHECK (json_valid(answers) AND json_type(answers) = 'object'),
  decision TEXT NOT NULL CHECK (json_valid(decision) AND json_type(decision) = 'object'),
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE triage_claims (
  referral_id TEXT PRIMARY KEY REFERENCES referrals(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  claimed_at INTEGER NOT NULL,
  last_active_at INTEGER NOT NULL
) STRICT;
CREATE INDEX triage_claims_by_user ON triage_claims(user_id);

CREATE TABLE referral_links (
  referral_id TEXT NOT NULL REFERENCES referrals(id),
  other_id TEXT NOT NULL REFERENCES referrals(id),
  kind TEXT NOT NULL CHECK (kind IN ('linked', 'merged')),
  actor TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (referral_id, other_id),
  CHECK (referral_id <> other_id)
) STRICT;
CREATE INDEX referral_links_by_other ON referral_links(other_id);
-- A pair is linked once, in whichever order it was first recorded.
CREATE UNIQUE INDEX referral_links_by_pair
  ON referral_links(min(referral_id, other_id), max(referral_id, other_id));

CREATE TABLE intake_attempts (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  channel TEXT NOT NULL,
  outcome TEXT NOT NULL,
  rules TEXT NOT NULL CHECK (json_valid(rules) AND json_type(rules) = 'array')
) STRICT;
CREATE INDEX intake_attempts_by_time ON intake_attempts(at, id);
CREATE TRIGGER intake_attempts_no_update BEFORE UPDATE ON intake_attempts
  BEGIN SELECT RAISE(ABORT, 'intake attempts are append-only'); END;
CREATE TRIGGER intake_attempts_no_delete BEFORE DELETE ON intake_attempts
  BEGIN SELECT RAISE(ABORT, 'intake attempts are append-only'); END;
)sql";

// Version 6: the booking issue. Clinic templates, the slots generated from them and the
// appointments booked into them. A slot's `booked` is the count of its appointments that hold a
// place (every status but 'cancelled'); only the triggers below change it, and its CHECK refuses
// the write that would take it above capacity, so no interleaving of writers can overbook (the
// store maps that failure, by the constraint's name, to "the slot is full"). On an update the
// place is given back before it is taken, so a change of status within a full slot passes.
constexpr std::string_view kV6 = R"sql(
CREATE TABLE clinic_templates (
  id TEXT PRIMARY KEY,
  clinician_id TEXT NOT NULL REFERENCES clinicians(id),
  site_id TEXT NOT NULL REFERENCES sites(id),
  room_id TEXT REFERENCES rooms(id),
  weekdays TEXT NOT NULL,
  start_minute INTEGER NOT NULL CHECK (start_minute >= 0),
  end_minute INTEGER NOT NULL CHECK (end_minute <= 1440 AND end_minute > start_minute),
  slot_type TEXT NOT NULL CHECK (slot_type IN ('new', 'follow_up', 'injection', 'physioline',
      'group')),
  slot_minutes INTEGER NOT NULL CHECK (slot_minutes > 0),
  capacity INTEGER NOT NULL CHECK (capacity >= 1),
  modality TEXT NOT NULL CHECK (modality IN ('face_to_face', 'video', 'telephone')),
  ringfence TEXT NOT NULL CHECK (ringfence IN ('none', 'post_op', 'urgent')),
  embargo_working_days INTEGER NOT NULL CHECK (embargo_working_days >= 0),
  valid_from INTEGER NOT NULL,
  valid_until INTEGER
) STRICT;

CREATE TABLE slots (
  id TEXT PRIMARY KEY,
  template_id TEXT NOT NULL REFERENCES clinic_templates(id),
  clinician_id TEXT NOT NULL,
  site_id TEXT NOT NULL,
  room_id TEXT,
  start_at INTEGER NOT NULL,
  end_at INTEGER NOT NULL CHECK (end_at > start_at),
  type TEXT NOT NULL CHECK (type IN ('new', 'follow_up', 'injection', 'physioline', 'group')),
  modality TEXT NOT NULL CHECK (modality IN ('face_to_face', 'video', 'telephone')),
  capacity INTEGER NOT NULL CHECK (capacity >= 1),
  ringfence TEXT NOT NULL CHECK (ringfence IN ('none', 'post_op', 'urgent')),
  opens_to_all_at INTEGER NOT NULL,
  booked INTEGER NOT NULL DEFAULT 0
    CONSTRAINT slots_booked_within_capacity CHECK (booked >= 0 AND booked <= capacity),
  cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1))
) STRICT;
CREATE INDEX slots_by_start ON slots(start_at);
CREATE INDEX slots_by_site ON slots(site_id, start_at);
CREATE INDEX slots_by_clinician ON slots(clinician_id, start_at);

CREATE TABLE appointments (
  id TEXT PRIMARY KEY,
  slot_id TEXT NOT NULL REFERENCES slots(id),
  referral_id TEXT NOT NULL REFERENCES referrals(id),
  patient_key TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('booked', 'cancelled', 'attended', 'dna')),
  idempotency_key TEXT NOT NULL DEFAULT '',
  cancelled_by TEXT NOT NULL DEFAULT '',
  cancel_reason TEXT NOT NULL DEFAULT '',
  booked_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX appointments_by_idempotency_key ON appointments(idempotency_key)
  WHERE idempotency_key <> '';
CREATE INDEX appointments_by_referral ON appointments(referral_id, booked_at);
CREATE INDEX appointments_by_slot ON appointments(slot_id);

CREATE TRIGGER appointments_not_in_cancelled_slot BEFORE INSERT ON appointments
  WHEN EXISTS (SELECT 1 FROM slots WHERE id = NEW.slot_id AND cancelled = 1)
  BEGIN SELECT RAISE(ABORT, 'the slot is cancelled'); END;
CREATE TRIGGER appointments_take_place AFTER INSERT ON appointments
  WHEN NEW.status <> 'cancelled'
  BEGIN UPDATE slots SET booked = booked + 1 WHERE id = NEW.slot_id; END;
CREATE TRIGGER appointments_move_place AFTER UPDATE OF slot_id, status ON appointments
  BEGIN
    UPDATE slots SET booked = booked - 1 WHERE id = OLD.slot_id AND OLD.status <> 'cancelled';
    UPDATE slots SET booked = booked + 1 WHERE id = NEW.slot_id AND NEW.status <> 'cancelled';
  END;
CREATE TRIGGER appointments_give_back_place AFTER DELETE ON appointments
  WHEN OLD.status <> 'cancelled'
  BEGIN UPDATE slots SET booked = booked - 1 WHERE id = OLD.slot_id; END;
)sql";

// Version 7 (the booking issue): a clinician's account names the clinician whose diary is theirs;
// an appointment can be offered (holding its place until the offer lapses), which a CHECK cannot
// learn in place, so appointments is rebuilt (the procedure of version 5, triggers and indexes
// made again); and the notifications outbox. A message is queued in the same transaction as the
// change it tells of, so that none is lost and none is sent for a change that did not happen;
// delivery (the patient issue) reads the queue.
constexpr std::string_view kV7 = R"sql(
ALTER TABLE users ADD COLUMN clinician_id TEXT REFERENCES clinicians(id);

CREATE TABLE appointments_v7 (
  id TEXT PRIMARY KEY,
  slot_id TEXT NOT NULL REFERENCES slots(id),
  referral_id TEXT NOT NULL REFERENCES referrals(id),
  patient_key TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('offered', 'booked', 'cancelled', 'attended', 'dna')),
  idempotency_key TEXT NOT NULL DEFAULT '',
  cancelled_by TEXT NOT NULL DEFAULT '',
  cancel_reason TEXT NOT NULL DEFAULT '',
  booked_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  offer_expires_at INTEGER,
  CHECK (status <> 'offered' OR offer_expires_at IS NOT NULL)
) STRICT;
INSERT INTO appointments_v7 (id, slot_id, referral_id, patient_key, status, idempotency_key,
    cancelled_by, cancel_reason, booked_at, updated_at)
  SELECT id, slot_id, referral_id, patient_key, status, idempotency_key, cancelled_by,
    cancel_reason, booked_at, updated_at FROM appointments;
DROP TABLE appointments;
ALTER TABLE appointments_v7 RENAME TO appointments;
CREATE UNIQUE INDEX appointments_by_idempotency_key ON appointments(idempotency_key)
  WHERE idempotency_key <> '';
CREATE INDEX appointments_by_referral ON appointments(referral_id, booked_at);
CREATE INDEX appointments_by_slot ON appointments(slot_id);
CREATE INDEX appointments_offered ON appointments(slot_id, offer_expires_at)
  WHERE status = 'offered';
CREATE INDEX appointments_offered_by_referral ON appointments(referral_id)
  WHERE status = 'offered';
CREATE TRIGGER appointments_not_in_cancelled_slot BEFORE INSERT ON appointments
  WHEN EXISTS (SELECT 1 FROM slots WHERE id = NEW.slot_id AND cancelled = 1)
  BEGIN SELECT RAISE(ABORT, 'the slot is cancelled'); END;
CREATE TRIGGER appointments_take_place AFTER INSERT ON appointments
  WHEN NEW.status <> 'cancelled'
  BEGIN UPDATE slots SET booked = booked + 1 WHERE id = NEW.slot_id; END;
CREATE TRIGGER appointments_move_place AFTER UPDATE OF slot_id, status ON appointments
  BEGIN
    UPDATE slots SET booked = booked - 1 WHERE id = OLD.slot_id AND OLD.status <> 'cancelled';
    UPDATE slots SET booked = booked + 1 WHERE id = NEW.slot_id AND NEW.status <> 'cancelled';
  END;
CREATE TRIGGER appointments_give_back_place AFTER DELETE ON appointments
  WHEN OLD.status <> 'cancelled'
  BEGIN UPDATE slots SET booked = booked - 1 WHERE id = OLD.slot_id; END;

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (length(kind) > 0),
  patient_key TEXT NOT NULL REFERENCES patients(key),
  referral_id TEXT REFERENCES referrals(id),
  payload TEXT NOT NULL CHECK (json_valid(payload) AND json_type(payload) = 'object'),
  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX outbox_by_status ON outbox(status, id);
CREATE INDEX outbox_by_patient ON outbox(patient_key, id);
)sql";

// Version 8 (the patient issue, notifications): what delivery needs. Each message gets its
// channel and recipient, fixed when it is queued (messages queued under version 7 take them now,
// by the rule of core/contact.h AddressFor written in SQL: the email address first, else a UK
// mobile number, else the message fails saying why), its attempts, when the next may start, the
// claim of the worker sending it (status 'sending'), the last error, and when and under which
// provider id it was sent. The status CHECK cannot learn 'sending' in place, so the table is
// rebuilt; nothing references it.
constexpr std::string_view kV8 = R"sql(
CREATE TABLE outbox_v8 (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (length(kind) > 0),
  patient_key TEXT NOT NULL REFERENCES patients(key),
  referral_id TEXT REFERENCES referrals(id),
  payload TEXT NOT NULL CHECK (json_valid(payload) AND json_type(payload) = 'object'),
  status TEXT NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
  created_at INTEGER NOT NULL,
  channel TEXT CHECK (channel IN ('email', 'sms')),
  recipient TEXT NOT NULL DEFAULT '',
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at INTEGER NOT NULL,
  claimed_at INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  sent_at INTEGER,
  provider_id TEXT NOT NULL DEFAULT '',
  CHECK (status NOT IN ('queued', 'sending') OR (channel IS NOT NULL AND recipient <> '')),
  CHECK (status <> 'sending' OR claimed_at IS NOT NULL),
  CHECK (status <> 'sent' OR sent_at IS NOT NULL)
) STRICT;
WITH contact AS (
  SELECT key, trim(email) AS email,
    replace(replace(replace(replace(trim(phone), ' ', ''), '-', ''), '(', ''), ')', '') AS mobile,
    trim(phone) AS phone
  FROM patients
), address AS (
  SELECT key,
    CASE WHEN email GLOB '?*@?*.?*' AND email NOT GLOB '*[ <>,;]*'
           AND instr(substr(email, instr(email, '@') + 1), '@') = 0 THEN 'email'
         WHEN mobile GLOB '07[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
           OR mobile GLOB '+447[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' THEN 'sms'
    END AS channel,
    email, phone
  FROM contact
)
INSERT INTO outbox_v8 (id, kind, patient_key, referral_id, payload, status, created_at, channel,
    recipient, next_attempt_at, last_error, sent_at)
  SELECT o.id, o.kind, o.patient_key, o.referral_id, o.payload,
    CASE WHEN o.status = 'queued' AND a.channel IS NULL THEN 'failed' ELSE o.status END,
    o.created_at, a.channel,
    CASE a.channel WHEN 'email' THEN a.email WHEN 'sms' THEN a.phone ELSE '' END,
    o.created_at,
    CASE WHEN o.status = 'queued' AND a.channel IS NULL
      THEN 'the patient''s record has no usable email address or mobile phone number' ELSE ''
    END,
    CASE WHEN o.status = 'sent' THEN o.created_at END
  FROM outbox o JOIN address a ON a.key = o.patient_key;
DROP TABLE outbox;
ALTER TABLE outbox_v8 RENAME TO outbox;
CREATE INDEX outbox_by_status ON outbox(status, id);
CREATE INDEX outbox_by_patient ON outbox(patient_key, id);
CREATE INDEX outbox_due ON outbox(next_attempt_at, id) WHERE status = 'queued';
CREATE INDEX outbox_claimed ON outbox(claimed_at, id) WHERE status = 'sending';
)sql";

// Version 9 (the patient issue, the portal): sign-in codes waiting to be entered. A row is kept
// for every sign-in begun, matched or not (patient_key NULL when the reference and date of birth
// matched no referral), so that both take the same path. The browser holds a random challenge
// token; the row keeps only its SHA-256, and the code only hashed with that token.
constexpr std::string_view kV9 = R"sql(
CREATE TABLE portal_codes (
  challenge_hash TEXT PRIMARY KEY,
  reference TEXT NOT NULL,
  patient_key TEXT REFERENCES patients(key),
  code_hash TEXT NOT NULL CHECK (length(code_hash) > 0),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL CHECK (expires_at > created_at),
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  used_at INTEGER
) STRICT;
CREATE INDEX portal_codes_by_expiry ON portal_codes(expires_at);
)sql";

constexpr std::array<std::string_view, 9> kMigrations{kV1, kV2, kV3, kV4, kV5, kV6, kV7, kV8, kV9};

// Fails when any row references a row that does not exist: a rebuilt table must leave every
// foreign key as it found it.
Status CheckForeignKeys(Connection& conn) {
  ASSIGN_OR_RETURN(StatementRef stmt, conn.Cached("PRAGMA foreign_key_check"));
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return OkStatus();
  return FailedPreconditionError("row " + std::to_string(stmt->Int(1)) + " of " + stmt->Text(0) +
                                 " references a missing row of " + stmt->Text(2));
}

Status ApplyInTransaction(Connection& conn, int version) {
  RETURN_IF_ERROR(conn.Exec("BEGIN IMMEDIATE"));
  Status status = conn.Exec(kMigrations[static_cast<std::size_t>(version - 1)]);
  if (status.ok()) status = CheckForeignKeys(conn);
  if (status.ok()) status = conn.Exec("PRAGMA user_version = " + std::to_string(version));
  if (status.ok()) status = conn.Exec("COMMIT");
  if (!status.ok()) (void)conn.Exec("ROLLBACK");
  return status;
}

// Foreign keys are off while a migration runs, so that a table others reference can be dropped
// and rebuilt (the pragma is a no-op inside a transaction, hence outside it), and back on after,
// whatever the outcome: Connection::Open turned them on and every later write relies on them.
Status Apply(Connection& conn, int version) {
  RETURN_IF_ERROR(conn.Exec("PRAGMA foreign_keys = OFF"));
  Status status = ApplyInTransaction(conn, version);
  Status restored = conn.Exec("PRAGMA foreign_keys = ON");
  if (!status.ok()) return status.WithContext("migration " + std::to_string(version));
  return restored;
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(kMigrations.size()); }

StatusOr<int> SchemaVersion(Connection& conn) {
  ASSIGN_OR_RETURN(StatementRef stmt, conn.Cached("PRAGMA user_version"));
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return InternalError("PRAGMA user_version returned no row");
  return static_cast<int>(stmt->Int(0));
}

Status Migrate(Connection& conn, int target) {
  ASSIGN_OR_RETURN(int current, SchemaVersion(conn));
  if (current > LatestSchemaVersion()) {
    return FailedPreconditionError("the database is at schema version " + std::to_string(current) +
                                   ", newer than this tendon knows (" +
                                   std::to_string(LatestSchemaVersion()) + ")");
  }
  for (int version = current + 1; version <= target; ++version) {
    RETURN_IF_ERROR(Apply(conn, version));
  }
  return OkStatus();
}

}  // namespace tendon::store::sqlite
