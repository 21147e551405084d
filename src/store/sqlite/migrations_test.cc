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
