// The records of the intake and triage issue (schema version 5) in the SQLite store: patients
// without an NHS number or date of birth, the demographic match, referral details, triage claims,
// links between referrals and intake attempts.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.h"
#include "store/testing/fixtures.h"

namespace tendon::store::sqlite {
namespace {

using testing::At;
using testing::MakePatient;

class IntakeRecordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteStore::Open(dir_.file("tendon.db"));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }

  Status Write(const WriteFn& fn) { return store_->Write(fn); }

  // Inserts patient `n` and an awaiting-triage referral "ref-n" for them.
  void AddReferral(int n) {
    Status s = Write([n](WriteTxn& txn) { return testing::InsertReferredPatient(txn, n); });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  void AddClinician(const std::string& id) {
    User user;
    user.id = id;
    user.username = id;
    user.display_name = "Clinician " + id;
    user.role = Role::kTriageClinician;
    user.password_hash = "$argon2id$placeholder";
    user.created_at = At(0);
    Status s = Write([&](WriteTxn& txn) { return txn.InsertUser(user); });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  // Runs raw SQL against the database file, as someone bypassing tendon would; returns SQLite's
  // result code.
  int RawExec(const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(dir_.file("tendon.db").c_str(), &db), SQLITE_OK);
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
    sqlite3_close(db);
    return rc;
  }

  testing::TempDir dir_;
  std::unique_ptr<SqliteStore> store_;
};

// A patient the service knows only by name and postcode.
Patient Unidentified(int n) {
  Patient p = MakePatient(n);
  p.nhs_number.clear();
  p.date_of_birth.reset();
  return p;
}

TEST_F(IntakeRecordsTest, PatientsWithoutAnNhsNumberCoexist) {
  ASSERT_TRUE(Write([](WriteTxn& txn) -> Status {
                RETURN_IF_ERROR(txn.InsertPatient(Unidentified(1)));
                return txn.InsertPatient(Unidentified(2));
              }).ok());
  for (const char* key : {"patient-1", "patient-2"}) {
    auto patient = store_->GetPatient(key);
    ASSERT_TRUE(patient.ok()) << patient.status().ToString();
    EXPECT_EQ(patient->nhs_number, "");
    EXPECT_FALSE(patient->date_of_birth.has_value());
  }
  EXPECT_EQ(store_->FindPatientByNhsNumber("").status().code(), StatusCode::kNotFound);
  Status in_txn = Write([](WriteTxn& txn) { return txn.FindPatientByNhsNumber("").status(); });
  EXPECT_EQ(in_txn.code(), StatusCode::kNotFound);
}

TEST_F(IntakeRecordsTest, DuplicateNhsNumberIsRefusedOnInsertAndOnUpdate) {
  ASSERT_TRUE(Write([](WriteTxn& txn) -> Status {
                RETURN_IF_ERROR(txn.InsertPatient(MakePatient(1)));
                return txn.InsertPatient(MakePatient(2));
              }).ok());
  Patient twin = MakePatient(3);
  twin.nhs_number = MakePatient(1).nhs_number;
  Status inserted = Write([&](WriteTxn& txn) { return txn.InsertPatient(twin); });
  EXPECT_EQ(inserted.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(inserted.field(), "nhs_number");
  EXPECT_EQ(store_->GetPatient("patient-3").status().code(), StatusCode::kNotFound);

  Patient second = MakePatient(2);
  second.nhs_number = MakePatient(1).nhs_number;
  Status updated = Write([&](WriteTxn& txn) { return txn.UpdatePatient(second); });
  EXPECT_EQ(updated.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(updated.field(), "nhs_number");
  EXPECT_EQ(store_->GetPatient("patient-2")->nhs_number, MakePatient(2).nhs_number);

  Patient same = MakePatient(1);  // Keeping one's own number is no clash.
  same.phone = "01865 000000";
  EXPECT_TRUE(Write([&](WriteTxn& txn) { return txn.UpdatePatient(same); }).ok());
  Status unknown = Write([](WriteTxn& txn) { return txn.UpdatePatient(MakePatient(9)); });
  EXPECT_EQ(unknown.code(), StatusCode::kNotFound);
  EXPECT_EQ(unknown.field(), "key");
}

TEST_F(IntakeRecordsTest, UpdatePatientReplacesEverythingButTheCreationTime) {
  ASSERT_TRUE(Write([](WriteTxn& txn) { return txn.InsertPatient(Unidentified(1)); }).ok());
  Patient completed = MakePatient(1);
  completed.family_name = "Okafor";
  completed.interpreter_language = "Polish";
  completed.accessibility_needs = "Step-free access";
  completed.dissent = true;
  completed.created_at = At(500);
  ASSERT_TRUE(Write([&](WriteTxn& txn) { return txn.UpdatePatient(completed); }).ok());
  auto stored = store_->GetPatient("patient-1");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->nhs_number, completed.nhs_number);
  EXPECT_EQ(stored->date_of_birth, completed.date_of_birth);
  EXPECT_EQ(stored->family_name, "Okafor");
  EXPECT_EQ(stored->interpreter_language, "Polish");
  EXPECT_EQ(stored->accessibility_needs, "Step-free access");
  EXPECT_TRUE(stored->dissent);
  EXPECT_EQ(stored->created_at, At(0));
  EXPECT_EQ(store_->FindPatientByNhsNumber(completed.nhs_number)->key, "patient-1");
}

TEST_F(IntakeRecordsTest, FindPatientByNhsNumberInATransactionSeesItsOwnWrites) {
  std::string found;
  ASSERT_TRUE(Write([&](WriteTxn& txn) -> Status {
                RETURN_IF_ERROR(txn.InsertPatient(MakePatient(1)));
                ASSIGN_OR_RETURN(Patient p, txn.FindPatientByNhsNumber(MakePatient(1).nhs_number));
                found = p.key;
                return OkStatus();
              }).ok());
  EXPECT_EQ(found, "patient-1");
}

TEST_F(IntakeRecordsTest, DemographicsMatchIgnoresTheCaseOfTheFamilyName) {
  const Date born = Date(date::days(7000));
  auto person = [&](int n, std::string family, Date dob, std::string postcode) {
    Patient p = MakePatient(n);
    p.family_name = std::move(family);
    p.date_of_birth = dob;
    p.postcode = std::move(postcode);
    return p;
  };
  std::vector<Patient> patients = {
      person(1, "O'Brien", born, "OX3 9DU"), person(2, "o'brien", born, "OX3 9DU"),
      person(3, "O'Brien", born, "OX4 1AA"), person(4, "O'Brien", born + date::days(1), "OX3 9DU"),
      person(5, "OBrien", born, "OX3 9DU"),  Unidentified(6),
  };
  ASSERT_TRUE(Write([&](WriteTxn& txn) -> Status {
                for (const Patient& p : patients) RETURN_IF_ERROR(txn.InsertPatient(p));
                return OkStatus();
              }).ok());
  auto found = store_->FindPatientsByDemographics(born, "O'BRIEN", "OX3 9DU");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].key, "patient-1");
  EXPECT_EQ((*found)[1].key, "patient-2");
  EXPECT_TRUE(store_->FindPatientsByDemographics(born, "Nobody", "OX3 9DU")->empty());
}

TEST_F(IntakeRecordsTest, ReferralDetailsRoundTripAndReplace) {
  AddReferral(1);
  EXPECT_EQ(store_->GetReferralDetails("ref-1").status().code(), StatusCode::kNotFound);
  ReferralDetails details{"ref-1", R"({"site":"knee","pain":7})", R"({"route":"triage"})", At(10)};
  ASSERT_TRUE(Write([&](WriteTxn& txn) { return txn.PutReferralDetails(details); }).ok());
  auto stored = store_->GetReferralDetails("ref-1");
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->answers, details.answers);
  EXPECT_EQ(stored->decision, details.decision);
  EXPECT_EQ(stored->updated_at, At(10));

  details.decision = R"({"route":"urgent"})";
  details.updated_at = At(20);
  std::string seen_in_txn;
  ASSERT_TRUE(Write([&](WriteTxn& txn) -> Status {
                RETURN_IF_ERROR(txn.PutReferralDetails(details));
                ASSIGN_OR_RETURN(ReferralDetails read, txn.GetReferralDetails("ref-1"));
                seen_in_txn = read.decision;
                return OkStatus();
              }).ok());
  EXPECT_EQ(seen_in_txn, details.decision);
  EXPECT_EQ(store_->GetReferralDetails("ref-1")->decision, details.decision);
  EXPECT_EQ(store_->GetReferralDetails("ref-1")->updated_at, At(20));

  details.referral_id = "ref-unknown";
  Status unknown = Write([&](WriteTxn& txn) { return txn.PutReferralDetails(details); });
  EXPECT_EQ(unknown.code(), StatusCode::kNotFound);
  EXPECT_EQ(unknown.field(), "referral_id");
}

TEST_F(IntakeRecordsTest, ReferralDetailsThatAreNotJsonObjectsAreRefusedNamingTheField) {
  AddReferral(1);
  const ReferralDetails good{"ref-1", R"({"site":"knee"})", "{}", At(10)};
  ASSERT_TRUE(Write([&](WriteTxn& txn) { return txn.PutReferralDetails(good); }).ok());
  struct Case {
    std::string answers;
    std::string decision;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"not json", "{}", "answers"}, {R"(["knee"])", "{}", "answers"},
      {"", "{}", "answers"},         {"{}", R"({"route":)", "decision"},
      {"{}", "42", "decision"},      {"{}", "null", "decision"},
  };
  for (const Case& c : cases) {
    ReferralDetails bad{"ref-1", c.answers, c.decision, At(30)};
    Status s = Write([&](WriteTxn& txn) { return txn.PutReferralDetails(bad); });
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.answers << " " << c.decision;
    EXPECT_EQ(s.field(), c.field) << c.answers << " " << c.decision;
  }
  auto stored = store_->GetReferralDetails("ref-1");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->answers, good.answers);
  EXPECT_EQ(stored->updated_at, At(10));
}

TEST_F(IntakeRecordsTest, ClaimsArePutReplacedDeletedAndListed) {
  AddReferral(1);
  AddReferral(2);
  AddClinician("tc-1");
  AddClinician("tc-2");
  ASSERT_TRUE(Write([](WriteTxn& txn) -> Status {
                RETURN_IF_ERROR(txn.PutClaim({"ref-1", "tc-1", At(1), At(1)}));
                return txn.PutClaim({"ref-2", "tc-1", At(2), At(2)});
              }).ok());
  std::string holder;
  ASSERT_TRUE(Write([&](WriteTxn& txn) -> Status {
                RETURN_IF_ERROR(txn.PutClaim({"ref-1", "tc-2", At(5), At(6)}));
                ASSIGN_OR_RETURN(TriageClaim claim, txn.GetClaim("ref-1"));
                holder = claim.user_id;
                return OkStatus();
              }).ok());
  EXPECT_EQ(holder, "tc-2");
  auto claims = store_->ListClaims();
  ASSERT_TRUE(claims.ok());
  ASSERT_EQ(claims->size(), 2u);
  EXPECT_EQ((*claims)[0].referral_id, "ref-1");
  EXPECT_EQ((*claims)[0].user_id, "tc-2");
  EXPECT_EQ((*claims)[0].claimed_at, At(5));
  EXPECT_EQ((*claims)[0].last_active_at, At(6));
  EXPECT_EQ((*claims)[1].referral_id, "ref-2");

  ASSERT_TRUE(Write([](WriteTxn& txn) -> Status {
                RETURN_IF_ERROR(txn.DeleteClaim("ref-1"));
                return txn.DeleteClaim("ref-1");  // Absent: no error.
              }).ok());
  Status unclaimed = Write([](WriteTxn& txn) { return txn.GetClaim("ref-1").status(); });
  EXPECT_EQ(unclaimed.code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->ListClaims()->size(), 1u);

  Status no_referral = Write([](WriteTxn& txn) {
    return txn.PutClaim({"ref-9", "tc-1", At(1), At(1)});
  });
  EXPECT_EQ(no_referral.code(), StatusCode::kNotFound);
  EXPECT_EQ(no_referral.field(), "referral_id");
  Status no_user = Write([](WriteTxn& txn) {
    return txn.PutClaim({"ref-1", "ghost", At(1), At(1)});
  });
  EXPECT_EQ(no_user.code(), StatusCode::kNotFound);
  EXPECT_EQ(no_user.field(), "user_id");
}

TEST_F(IntakeRecordsTest, LinksAreRecordedOncePerPairInEitherOrder) {
  for (int n = 1; n <= 3; ++n) AddReferral(n);
  auto link = [&](std::string a, std::string b, LinkKind kind, std::int64_t at) {
    ReferralLink l{std::move(a), std::move(b), kind, "coordinator-1", At(at)};
    return Write([&](WriteTxn& txn) { return txn.InsertLink(l); });
  };
  ASSERT_TRUE(link("ref-1", "ref-2", LinkKind::kLinked, 10).ok());
  EXPECT_EQ(link("ref-1", "ref-2", LinkKind::kLinked, 11).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(link("ref-2", "ref-1", LinkKind::kMerged, 12).code(), StatusCode::kAlreadyExists);
  Status self = link("ref-1", "ref-1", LinkKind::kLinked, 13);
  EXPECT_EQ(self.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(self.field(), "other_id");
  Status unknown_other = link("ref-1", "ref-9", LinkKind::kLinked, 14);
  EXPECT_EQ(unknown_other.code(), StatusCode::kNotFound);
  EXPECT_EQ(unknown_other.field(), "other_id");
  Status unknown_first = link("ref-9", "ref-1", LinkKind::kLinked, 15);
  EXPECT_EQ(unknown_first.code(), StatusCode::kNotFound);
  EXPECT_EQ(unknown_first.field(), "referral_id");
  ASSERT_TRUE(link("ref-3", "ref-1", LinkKind::kMerged, 20).ok());

  auto links = store_->ListLinks("ref-1");
  ASSERT_TRUE(links.ok()) << links.status().ToString();
  ASSERT_EQ(links->size(), 2u);
  EXPECT_EQ((*links)[0].other_id, "ref-2");
  EXPECT_EQ((*links)[0].kind, LinkKind::kLinked);
  EXPECT_EQ((*links)[0].actor, "coordinator-1");
  EXPECT_EQ((*links)[0].at, At(10));
  EXPECT_EQ((*links)[1].referral_id, "ref-3");
  EXPECT_EQ((*links)[1].kind, LinkKind::kMerged);
  EXPECT_EQ(store_->ListLinks("ref-2")->size(), 1u);
  EXPECT_EQ(store_->ListLinks("ref-3")->size(), 1u);
  // The schema holds the pair unique too, whoever writes.
  EXPECT_NE(RawExec("INSERT INTO referral_links VALUES ('ref-2', 'ref-1', 'linked', 'x', 1)"),
            SQLITE_OK);
}

TEST_F(IntakeRecordsTest, IntakeAttemptsAreListedNewestFirst) {
  std::vector<std::int64_t> ids;
  for (int i = 1; i <= 3; ++i) {
    IntakeAttempt attempt{0, At(i), "online", "emergency_stop",
                          R"([{"rule_id":"RF-CES-1","version":)" + std::to_string(i) + "}]"};
    ASSERT_TRUE(Write([&](WriteTxn& txn) -> Status {
                  ASSIGN_OR_RETURN(std::int64_t id, txn.AppendIntakeAttempt(attempt));
                  ids.push_back(id);
                  return OkStatus();
                }).ok());
  }
  EXPECT_EQ(ids, (std::vector<std::int64_t>{1, 2, 3}));
  auto attempts = store_->ListIntakeAttempts(2);
  ASSERT_TRUE(attempts.ok()) << attempts.status().ToString();
  ASSERT_EQ(attempts->size(), 2u);
  EXPECT_EQ((*attempts)[0].id, 3);
  EXPECT_EQ((*attempts)[0].at, At(3));
  EXPECT_EQ((*attempts)[0].channel, "online");
  EXPECT_EQ((*attempts)[0].outcome, "emergency_stop");
  EXPECT_EQ((*attempts)[0].rules, R"([{"rule_id":"RF-CES-1","version":3}])");
  EXPECT_EQ((*attempts)[1].id, 2);

  IntakeAttempt bad{0, At(4), "online", "emergency_stop", "{}"};
  Status s = Write([&](WriteTxn& txn) { return txn.AppendIntakeAttempt(bad).status(); });
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.field(), "rules");
  EXPECT_EQ(store_->ListIntakeAttempts(10)->size(), 3u);
}

TEST_F(IntakeRecordsTest, IntakeAttemptsAreAppendOnlyInTheDatabase) {
  IntakeAttempt attempt{0, At(1), "telephone", "emergency_stop", "[]"};
  ASSERT_TRUE(Write([&](WriteTxn& txn) { return txn.AppendIntakeAttempt(attempt).status(); }).ok());
  EXPECT_NE(RawExec("UPDATE intake_attempts SET outcome = 'x'"), SQLITE_OK);
  EXPECT_NE(RawExec("DELETE FROM intake_attempts"), SQLITE_OK);
  auto attempts = store_->ListIntakeAttempts(10);
  ASSERT_TRUE(attempts.ok());
  ASSERT_EQ(attempts->size(), 1u);
  EXPECT_EQ((*attempts)[0].outcome, "emergency_stop");
}

}  // namespace
}  // namespace tendon::store::sqlite
