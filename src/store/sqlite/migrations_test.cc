#include "store/sqlite/migrations.h"

#include <gtest/gtest.h>

#include "store/check.h"
#include "store/log_hash.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/sqlite_store.h"
#include "store/testing/fixtures.h"

namespace tendon::store::sqlite {
namespace {

using testing::MakePatient;
using testing::MakeReferral;
using testing::ReceivedEvent;

// Writes a patient, a referral and its first event with the version 1 schema, as tendon 0.1 did.
Status WriteVersionOneRows(Connection& conn) {
  RETURN_IF_ERROR(conn.Exec(
      "INSERT INTO patients (key, nhs_number, given_name, family_name, date_of_birth, sex, "
      "postcode, created_at) VALUES ('patient-1', '9990000001', 'Ada', 'Old', 4000, 'female', "
      "'OX3 9DU', 1)"));
  RETURN_IF_ERROR(conn.Exec(
      "INSERT INTO referrals (id, patient_key, source, state, priority, owner, next_action_due, "
      "received_at, updated_at) VALUES ('ref-1', 'patient-1', 'gp', 'awaiting_triage', "
      "'routine', 'triage', 5000, 1000, 1000)"));
  PathwayEvent event = ReceivedEvent();
  event.id = 1;
  event.referral_id = "ref-1";
  event.patient_key = "patient-1";
  ASSIGN_OR_RETURN(StatementRef stmt,
                   conn.Cached("INSERT INTO pathway_events (" + std::string(kEventColumns) +
                               ", hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                               "?12, ?13, ?14)"));
  BindEvent(*stmt, event);
  BindHash(*stmt, kEventHashColumn + 1, ChainEvent(ChainHash{}, event));
  return stmt->Run();
}

TEST(MigrationsTest, NewDatabaseIsAtTheLatestVersion) {
  testing::TempDir dir;
  ASSERT_TRUE(SqliteStore::Open(dir.file("new.db")).ok());
  auto conn = Connection::Open(dir.file("new.db"), Connection::Mode::kReadWrite);
  ASSERT_TRUE(conn.ok());
  EXPECT_EQ(*SchemaVersion(**conn), LatestSchemaVersion());
}

TEST(MigrationsTest, VersionOneDatabaseUpgradesInPlaceKeepingItsData) {
  testing::TempDir dir;
  const auto path = dir.file("old.db");
  {
    auto conn = Connection::Open(path, Connection::Mode::kReadWrite);
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(Migrate(**conn, 1).ok());
    ASSERT_EQ(*SchemaVersion(**conn), 1);
    Status written = WriteVersionOneRows(**conn);
    ASSERT_TRUE(written.ok()) << written.ToString();
  }
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto referral = (*store)->GetReferral("ref-1");
  ASSERT_TRUE(referral.ok()) << referral.status().ToString();
  EXPECT_EQ(referral->state, ReferralState::kAwaitingTriage);
  EXPECT_FALSE(referral->resubmitted_at.has_value());
  EXPECT_EQ((*store)->GetPatient("patient-1")->family_name, "Old");
  auto report = CheckInvariants(**store);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->violations.empty()) << report->violations.front();
  store->reset();
  auto conn = Connection::Open(path, Connection::Mode::kReadWrite);
  EXPECT_EQ(*SchemaVersion(**conn), LatestSchemaVersion());
}

// Adds, with the version 4 schema, a second patient with every column set, the account of that
// patient and a session: with the version 1 rows, every table that references patients, directly
// or through users.
Status WriteVersionFourRows(Connection& conn) {
  RETURN_IF_ERROR(WriteVersionOneRows(conn));
  RETURN_IF_ERROR(conn.Exec(
      "INSERT INTO patients (key, nhs_number, given_name, family_name, date_of_birth, sex, "
      "postcode, phone, email, gp_practice, dissent, created_at) VALUES ('patient-2', "
      "'9990000002', 'Bea', 'Older', 3000, 'male', 'OX4 1AA', '01865 000000', 'bea@example.org', "
      "'K84001', 1, 2)"));
  RETURN_IF_ERROR(conn.Exec(
      "INSERT INTO users (id, username, display_name, role, patient_key, password_hash, "
      "created_at) VALUES ('user-1', 'bea', 'Bea Older', 'patient', 'patient-2', 'hash', 3)"));
  return conn.Exec(
      "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at) "
      "VALUES ('token-1', 'user-1', 'csrf', 4, 4)");
}

bool HasRow(Statement& stmt) {
  StatusOr<bool> row = stmt.Step();
  return row.ok() && *row;
}

// The number of rows in each table that holds records, in one string to compare.
std::string CountRows(Connection& conn) {
  std::string counts;
  for (const char* table :
       {"patients", "referrals", "pathway_events", "users", "sessions", "audit_log"}) {
    auto stmt = conn.Cached("SELECT count(*) FROM " + std::string(table));
    if (!stmt.ok() || !HasRow(**stmt)) return "cannot count " + std::string(table);
    counts += std::string(table) + "=" + std::to_string((*stmt)->Int(0)) + " ";
  }
  return counts;
}

// The first column of the first row of `sql`; -1 when there is no row.
std::int64_t QueryInt(Connection& conn, const std::string& sql) {
  auto stmt = conn.Cached(sql);
  if (!stmt.ok() || !HasRow(**stmt)) return -1;
  return (*stmt)->Int(0);
}

TEST(MigrationsTest, VersionFourDatabaseRebuildsPatientsKeepingEveryRowAndForeignKey) {
  testing::TempDir dir;
  const auto path = dir.file("v4.db");
  std::string before;
  {
    auto conn = Connection::Open(path, Connection::Mode::kReadWrite);
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(Migrate(**conn, 4).ok());
    Status written = WriteVersionFourRows(**conn);
    ASSERT_TRUE(written.ok()) << written.ToString();
    before = CountRows(**conn);
  }
  {
    auto conn = Connection::Open(path, Connection::Mode::kReadWrite);
    ASSERT_TRUE(conn.ok());
    Status migrated = Migrate(**conn);
    ASSERT_TRUE(migrated.ok()) << migrated.ToString();
    EXPECT_EQ(*SchemaVersion(**conn), LatestSchemaVersion());
    EXPECT_EQ(CountRows(**conn), before);
    EXPECT_EQ(QueryInt(**conn, "PRAGMA foreign_keys"), 1);
    EXPECT_EQ(QueryInt(**conn, "PRAGMA foreign_key_check"), -1);  // No row: no broken reference.
    // The references still lead to the rebuilt table, and are enforced.
    EXPECT_EQ((*conn)->Exec("UPDATE referrals SET patient_key = 'nobody'").code(),
              StatusCode::kFailedPrecondition);
    EXPECT_EQ((*conn)->Exec("DELETE FROM patients WHERE key = 'patient-2'").code(),
              StatusCode::kFailedPrecondition);
  }
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto old = (*store)->GetPatient("patient-2");
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  EXPECT_EQ(old->nhs_number, "9990000002");
  EXPECT_EQ(old->date_of_birth, Date(date::days(3000)));
  EXPECT_EQ(old->sex, Sex::kMale);
  EXPECT_EQ(old->postcode, "OX4 1AA");
  EXPECT_EQ(old->phone, "01865 000000");
  EXPECT_EQ(old->email, "bea@example.org");
  EXPECT_EQ(old->gp_practice, "K84001");
  EXPECT_TRUE(old->dissent);
  EXPECT_EQ(old->created_at, FromUnixMillis(2));
  EXPECT_EQ(old->interpreter_language, "");
  EXPECT_EQ((*store)->GetUser("user-1")->patient_key, "patient-2");
  EXPECT_EQ((*store)->GetSession("token-1")->user_id, "user-1");
  EXPECT_EQ((*store)->GetReferral("ref-1")->patient_key, "patient-1");
  auto report = CheckInvariants(**store);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->violations.empty()) << report->violations.front();
  // The rebuilt table takes a patient not yet identified, and still refuses a taken NHS number.
  Patient unidentified = MakePatient(3);
  unidentified.nhs_number.clear();
  unidentified.date_of_birth.reset();
  EXPECT_TRUE((*store)->Write([&](WriteTxn& txn) { return txn.InsertPatient(unidentified); }).ok());
  Patient taken = MakePatient(4);
  taken.nhs_number = "9990000002";
  EXPECT_EQ((*store)->Write([&](WriteTxn& txn) { return txn.InsertPatient(taken); }).code(),
            StatusCode::kAlreadyExists);
}

TEST(MigrationsTest, VersionFiveDatabaseGainsBookingTablesKeepingItsRows) {
  testing::TempDir dir;
  const auto path = dir.file("v5.db");
  std::string before;
  {
    auto conn = Connection::Open(path, Connection::Mode::kReadWrite);
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(Migrate(**conn, 5).ok());
    Status written = WriteVersionFourRows(**conn);
    if (written.ok()) {
      written = (*conn)->Exec(
          "INSERT INTO referral_details (referral_id, answers, decision, updated_at) "
          "VALUES ('ref-1', '{\"pain\":7}', '{}', 5);"
          "INSERT INTO sites (id, name, region, latitude, longitude, rooms, weekly_clinic_days) "
          "VALUES ('site-1', 'Site', 'South', 51.7, -1.2, 2, 5);"
          "INSERT INTO clinicians (id, name, profession, fte) VALUES ('clin-1', 'C', 'physio', "
          "1);");
    }
    ASSERT_TRUE(written.ok()) << written.ToString();
    before = CountRows(**conn);
  }
  {
    auto conn = Connection::Open(path, Connection::Mode::kReadWrite);
    ASSERT_TRUE(conn.ok());
    Status migrated = Migrate(**conn, 6);
    ASSERT_TRUE(migrated.ok()) << migrated.ToString();
    EXPECT_EQ(*SchemaVersion(**conn), 6);
    EXPECT_EQ(CountRows(**conn), before);
    EXPECT_EQ(QueryInt(**conn, "SELECT count(*) FROM referral_details"), 1);
    EXPECT_EQ(QueryInt(**conn, "SELECT count(*) FROM slots"), 0);
    EXPECT_EQ(QueryInt(**conn, "SELECT count(*) FROM appointments"), 0);
  }
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->GetReferralDetails("ref-1")->answers, R"({"pain":7})");
  EXPECT_EQ((*store)->ListSites()->size(), 1u);
  // The old referral can be booked into a slot of a clinic made after the upgrade.
  Status booked = (*store)->Write([](WriteTxn& txn) -> Status {
    ClinicTemplate clinic = testing::MakeTemplate("tpl-1");
    clinic.room_id.clear();
    RETURN_IF_ERROR(txn.PutClinicTemplate(clinic));
    Slot slot = testing::MakeSlot("slot-1", 3600);
    slot.room_id.clear();
    RETURN_IF_ERROR(txn.PutSlots({slot}).status());
    return txn.InsertAppointment(testing::MakeAppointment("appt-1", "slot-1", 1));
  });
  ASSERT_TRUE(booked.ok()) << booked.ToString();
  EXPECT_EQ((*store)->GetSlot("slot-1")->booked, 1);
}

TEST(MigrationsTest, VersionSixDatabaseGainsOffersAndTheOutboxKeepingItsRows) {
  testing::TempDir dir;
  const auto path = dir.file("v6.db");
  std::string before;
  {
    auto conn = Connection::Open(path, Connection::Mode::kReadWrite);
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(Migrate(**conn, 6).ok());
    Status written = WriteVersionFourRows(**conn);
    if (written.ok()) {
      written = (*conn)->Exec(
          "INSERT INTO users (id, username, display_name, role, password_hash, created_at) "
          "VALUES ('u1', 'kim', 'Kim', 'coordinator', 'x', 1);"
          "INSERT INTO sites (id, name, region, latitude, longitude, rooms, weekly_clinic_days) "
          "VALUES ('site-1', 'Site', 'South', 51.7, -1.2, 2, 5);"
          "INSERT INTO clinicians (id, name, profession, fte) VALUES ('clin-1', 'C', 'physio', 1);"
          "INSERT INTO clinic_templates (id, clinician_id, site_id, weekdays, start_minute, "
          "end_minute, slot_type, slot_minutes, capacity, modality, ringfence, "
          "embargo_working_days, valid_from) VALUES ('tpl-1', 'clin-1', 'site-1', '1', 540, 600, "
          "'new', 30, 1, 'face_to_face', 'none', 0, 0);"
          "INSERT INTO slots (id, template_id, clinician_id, site_id, start_at, end_at, type, "
          "modality, capacity, ringfence, opens_to_all_at) VALUES ('slot-1', 'tpl-1', 'clin-1', "
          "'site-1', 3600000, 5400000, 'new', 'face_to_face', 1, 'none', 0);"
          "INSERT INTO appointments (id, slot_id, referral_id, patient_key, status, booked_at, "
          "updated_at) SELECT 'appt-1', 'slot-1', id, patient_key, 'booked', 1, 1 FROM referrals "
          "LIMIT 1;");
    }
    ASSERT_TRUE(written.ok()) << written.ToString();
    before = CountRows(**conn);
  }
  {
    auto conn = Connection::Open(path, Connection::Mode::kReadWrite);
    ASSERT_TRUE(conn.ok());
    Status migrated = Migrate(**conn, 7);
    ASSERT_TRUE(migrated.ok()) << migrated.ToString();
    EXPECT_EQ(*SchemaVersion(**conn), 7);
    EXPECT_EQ(CountRows(**conn), before);
    EXPECT_EQ(QueryInt(**conn, "SELECT count(*) FROM outbox"), 0);
    EXPECT_EQ(QueryInt(**conn, "SELECT count(*) FROM appointments WHERE status = 'booked'"), 1);
    // The rebuilt table's triggers keep the count: the one place stays taken.
    EXPECT_EQ(QueryInt(**conn, "SELECT booked FROM slots"), 1);
  }
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto user = (*store)->FindUserByUsername("kim");
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  EXPECT_EQ(user->clinician_id, "");
  auto appointment = (*store)->GetAppointment("appt-1");
  ASSERT_TRUE(appointment.ok()) << appointment.status().ToString();
  EXPECT_FALSE(appointment->offer_expires_at.has_value());
  // The full slot still refuses a second place through the rebuilt triggers.
  Appointment second = *appointment;
  second.id = "appt-2";
  Status refused = (*store)->Write([&](WriteTxn& txn) { return txn.InsertAppointment(second); });
  EXPECT_EQ(refused.code(), StatusCode::kAborted);
}

TEST(MigrationsTest, VersionSevenOutboxGainsDeliveryAndEachQueuedMessageItsAddress) {
  testing::TempDir dir;
  const auto path = dir.file("v7.db");
  {
    auto conn = Connection::Open(path, Connection::Mode::kReadWrite);
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(Migrate(**conn, 7).ok());
    // patient-2 has an email address; patient-3 a mobile only; patient-1 neither.
    Status written = WriteVersionFourRows(**conn);
    if (written.ok()) {
      written = (*conn)->Exec(
          "INSERT INTO patients (key, nhs_number, given_name, family_name, date_of_birth, sex, "
          "postcode, phone, created_at) VALUES ('patient-3', '9990000003', 'Cy', 'Oldest', 2000, "
          "'female', 'OX4 1AA', '+44 (7700) 900-003', 3);"
          "INSERT INTO outbox (kind, patient_key, referral_id, payload, status, created_at) "
          "VALUES ('appointment.cancelled_by_service', 'patient-2', NULL, '{}', 'queued', 10),"
          "('appointment.cancelled_by_service', 'patient-3', NULL, '{}', 'queued', 11),"
          "('appointment.cancelled_by_service', 'patient-1', 'ref-1', '{}', 'queued', 12);");
    }
    ASSERT_TRUE(written.ok()) << written.ToString();
  }
  {
    auto conn = Connection::Open(path, Connection::Mode::kReadWrite);
    ASSERT_TRUE(conn.ok());
    Status migrated = Migrate(**conn, 8);
    ASSERT_TRUE(migrated.ok()) << migrated.ToString();
    EXPECT_EQ(*SchemaVersion(**conn), 8);
    EXPECT_EQ(QueryInt(**conn, "SELECT count(*) FROM outbox"), 3);
    EXPECT_EQ(QueryInt(**conn, "SELECT count(*) FROM outbox WHERE next_attempt_at = created_at"),
              3);
  }
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const std::vector<Notification> all = *(*store)->ListNotifications({});
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].channel, Channel::kEmail);
  EXPECT_EQ(all[0].recipient, "bea@example.org");
  EXPECT_EQ(all[0].status, NotificationStatus::kQueued);
  EXPECT_EQ(all[1].channel, Channel::kSms);
  EXPECT_EQ(all[1].recipient, "+44 (7700) 900-003");
  EXPECT_EQ(all[2].status, NotificationStatus::kFailed);
  EXPECT_NE(all[2].last_error.find("no usable email address or mobile"), std::string::npos);
  EXPECT_EQ(all[2].referral_id, "ref-1");
  // The rebuilt table takes claims: both addressed messages are due.
  std::vector<Notification> claimed;
  Status s = (*store)->Write([&](WriteTxn& txn) -> Status {
    ASSIGN_OR_RETURN(claimed,
                     txn.ClaimNotifications(FromUnixMillis(100), std::chrono::minutes(1), 10));
    return OkStatus();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(claimed.size(), 2u);
}

TEST(MigrationsTest, MigrationLeavingABrokenForeignKeyIsRolledBack) {
  testing::TempDir dir;
  const auto path = dir.file("broken.db");
  auto conn = Connection::Open(path, Connection::Mode::kReadWrite);
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE(Migrate(**conn, 4).ok());
  // A referral to a patient who is not there, as only a write with foreign keys off can leave.
  ASSERT_TRUE((*conn)
                  ->Exec("PRAGMA foreign_keys = OFF;"
                         "INSERT INTO referrals (id, patient_key, source, state, priority, owner, "
                         "next_action_due, received_at, updated_at) VALUES ('ref-1', 'ghost', "
                         "'gp', 'awaiting_triage', 'routine', 'triage', 5000, 1000, 1000);"
                         "PRAGMA foreign_keys = ON;")
                  .ok());
  Status migrated = Migrate(**conn);
  EXPECT_EQ(migrated.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(migrated.ToString().find("referrals"), std::string::npos) << migrated.ToString();
  EXPECT_NE(migrated.ToString().find("migration 5"), std::string::npos) << migrated.ToString();
  EXPECT_EQ(*SchemaVersion(**conn), 4);
  EXPECT_EQ(QueryInt(**conn, "PRAGMA foreign_keys"), 1);
  EXPECT_EQ(QueryInt(**conn, "SELECT count(*) FROM sqlite_schema WHERE name = 'referral_details'"),
            0);
}

TEST(MigrationsTest, DatabaseFromANewerTendonIsRefused) {
  testing::TempDir dir;
  const auto path = dir.file("future.db");
  {
    auto conn = Connection::Open(path, Connection::Mode::kReadWrite);
    ASSERT_TRUE((*conn)->Exec("PRAGMA user_version = 999").ok());
  }
  auto store = SqliteStore::Open(path);
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("999"), std::string::npos);
}

}  // namespace
}  // namespace tendon::store::sqlite
