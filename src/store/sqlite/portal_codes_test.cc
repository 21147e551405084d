// The patient portal's sign-in codes in the SQLite store (migration 9).
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "store/sqlite/sqlite_store.h"
#include "store/testing/fixtures.h"

namespace tendon::store::sqlite {
namespace {

using testing::At;

class PortalCodesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteStore::Open(dir_.file("tendon.db"));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    ASSERT_TRUE(
        store_->Write([](WriteTxn& txn) { return testing::InsertReferredPatient(txn, 1); }).ok());
  }

  static PortalCode Code(const std::string& challenge, const std::string& patient_key) {
    PortalCode code;
    code.challenge_hash = challenge;
    code.reference = "REF-1";
    code.patient_key = patient_key;
    code.code_hash = "hash-of-" + challenge;
    code.created_at = At(0);
    code.expires_at = At(600);
    return code;
  }

  Status Insert(const PortalCode& code) {
    return store_->Write([&](WriteTxn& txn) { return txn.InsertPortalCode(code); });
  }

  StatusOr<PortalCode> Get(const std::string& challenge) {
    StatusOr<PortalCode> found = InternalError("not run");
    Status s = store_->Write([&](WriteTxn& txn) {
      found = txn.GetPortalCode(challenge);
      return OkStatus();
    });
    return s.ok() ? found : StatusOr<PortalCode>(s);
  }

  testing::TempDir dir_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(PortalCodesTest, KeepsAMatchedAndAnUnmatchedCodeAndTheirAttempts) {
  ASSERT_TRUE(Insert(Code("c1", "patient-1")).ok());
  ASSERT_TRUE(Insert(Code("c2", "")).ok());
  auto matched = Get("c1");
  ASSERT_TRUE(matched.ok()) << matched.status().ToString();
  EXPECT_EQ(matched->patient_key, "patient-1");
  EXPECT_EQ(matched->code_hash, "hash-of-c1");
  EXPECT_EQ(matched->expires_at, At(600));
  EXPECT_FALSE(matched->used_at);
  auto unmatched = Get("c2");
  ASSERT_TRUE(unmatched.ok());
  EXPECT_EQ(unmatched->patient_key, "");

  matched->attempts = 3;
  matched->used_at = At(30);
  ASSERT_TRUE(store_->Write([&](WriteTxn& txn) { return txn.UpdatePortalCode(*matched); }).ok());
  auto updated = Get("c1");
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->attempts, 3);
  EXPECT_EQ(updated->used_at, At(30));
}

TEST_F(PortalCodesTest, RefusesATakenChallengeAnUnknownPatientAndAnUnknownUpdate) {
  ASSERT_TRUE(Insert(Code("c1", "patient-1")).ok());
  EXPECT_EQ(Insert(Code("c1", "patient-1")).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(Insert(Code("c3", "patient-9")).code(), StatusCode::kNotFound);
  EXPECT_EQ(Get("c9").status().code(), StatusCode::kNotFound);
  Status updated =
      store_->Write([&](WriteTxn& txn) { return txn.UpdatePortalCode(Code("c9", "")); });
  EXPECT_EQ(updated.code(), StatusCode::kNotFound);
}

TEST_F(PortalCodesTest, DeletesOnlyExpiredCodes) {
  PortalCode old = Code("old", "");
  old.expires_at = At(100);
  ASSERT_TRUE(Insert(old).ok());
  ASSERT_TRUE(Insert(Code("live", "patient-1")).ok());
  StatusOr<int> deleted = 0;
  ASSERT_TRUE(store_
                  ->Write([&](WriteTxn& txn) {
                    deleted = txn.DeleteExpiredPortalCodes(At(100));
                    return deleted.status();
                  })
                  .ok());
  EXPECT_EQ(*deleted, 1);
  EXPECT_EQ(Get("old").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Get("live").ok());
}

}  // namespace
}  // namespace tendon::store::sqlite
