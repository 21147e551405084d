// The notifications outbox of the SQLite store: where a message goes is fixed when it is queued,
// and delivery claims, leases and outcomes (the patient issue, notifications).
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.h"
#include "store/testing/fixtures.h"

namespace tendon::store::sqlite {
namespace {

using std::chrono::milliseconds;
using testing::At;

constexpr milliseconds kLease{60'000};

class OutboxRecordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteStore::Open(dir_.file("tendon.db"));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }

  // Patient `n` with this phone and email, and an awaiting-triage referral "ref-n".
  void AddPatient(int n, const std::string& phone, const std::string& email) {
    Status s = store_->Write([&](WriteTxn& txn) -> Status {
      RETURN_IF_ERROR(testing::InsertReferredPatient(txn, n));
      ASSIGN_OR_RETURN(Patient p, txn.GetPatient("patient-" + std::to_string(n)));
      p.phone = phone;
      p.email = email;
      return txn.UpdatePatient(p);
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  StatusOr<std::int64_t> Enqueue(Notification n) {
    if (n.kind.empty()) n.kind = "appointment.cancelled_by_service";
    StatusOr<std::int64_t> id = InternalError("not run");
    Status s = store_->Write([&](WriteTxn& txn) {
      id = txn.EnqueueNotification(n);
      return id.status();
    });
    return s.ok() ? id : StatusOr<std::int64_t>(s);
  }

  std::int64_t EnqueueFor(int n) {
    Notification message;
    message.patient_key = "patient-" + std::to_string(n);
    message.created_at = At(0);
    auto id = Enqueue(message);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }

  std::vector<Notification> Claim(Instant now, int limit = 10) {
    std::vector<Notification> claimed;
    Status s = store_->Write([&](WriteTxn& txn) -> Status {
      ASSIGN_OR_RETURN(claimed, txn.ClaimNotifications(now, kLease, limit));
      return OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return claimed;
  }

  Notification Get(std::int64_t id) {
    OutboxQuery query;
    query.after_id = id - 1;
    query.limit = 1;
    return store_->ListNotifications(query)->front();
  }

  testing::TempDir dir_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(OutboxRecordsTest, TheRecipientIsFixedFromThePatientsRecordWhenQueued) {
  AddPatient(1, "07700 900001", "one@example.com");
  AddPatient(2, "07700 900002", "");
  AddPatient(3, "01865 000000", "");
  const Notification email = Get(EnqueueFor(1));
  EXPECT_EQ(email.channel, Channel::kEmail);
  EXPECT_EQ(email.recipient, "one@example.com");
  EXPECT_EQ(email.status, NotificationStatus::kQueued);
  EXPECT_EQ(email.next_attempt_at, At(0));
  const Notification sms = Get(EnqueueFor(2));
  EXPECT_EQ(sms.channel, Channel::kSms);
  EXPECT_EQ(sms.recipient, "07700 900002");
  // A landline only: nowhere to send it, so it fails at once, saying why, for a coordinator.
  const Notification nowhere = Get(EnqueueFor(3));
  EXPECT_EQ(nowhere.status, NotificationStatus::kFailed);
  EXPECT_NE(nowhere.last_error.find("mobile"), std::string::npos);
  EXPECT_FALSE(nowhere.channel.has_value());
  // A later change to the record does not redirect a message already queued.
  ASSERT_TRUE(store_
                  ->Write([](WriteTxn& txn) -> Status {
                    ASSIGN_OR_RETURN(Patient p, txn.GetPatient("patient-1"));
                    p.email = "someone-else@example.com";
                    return txn.UpdatePatient(p);
                  })
                  .ok());
  EXPECT_EQ(Get(email.id).recipient, "one@example.com");
}

TEST_F(OutboxRecordsTest, AGivenRecipientMustBeAnAddressOfItsChannel) {
  AddPatient(1, "", "");
  Notification n;
  n.patient_key = "patient-1";
  n.recipient = "referrer@example.nhs.uk";
  EXPECT_EQ(Enqueue(n).status().field(), "channel");
  n.channel = Channel::kSms;
  EXPECT_EQ(Enqueue(n).status().field(), "recipient");
  n.channel = Channel::kEmail;
  n.recipient = "referrer@example.nhs.uk\r\nBcc: everyone@example.com";
  EXPECT_EQ(Enqueue(n).status().field(), "recipient");
  EXPECT_TRUE(store_->ListNotifications({})->empty());
  n.recipient = "referrer@example.nhs.uk";
  auto id = Enqueue(n);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(Get(*id).status, NotificationStatus::kQueued);
  EXPECT_EQ(Get(*id).recipient, "referrer@example.nhs.uk");
}

TEST_F(OutboxRecordsTest, AClaimTakesDueMessagesOnceUntilItsLeaseLapses) {
  AddPatient(1, "", "one@example.com");
  const std::int64_t a = EnqueueFor(1);
  const std::int64_t b = EnqueueFor(1);
  const std::vector<Notification> first = Claim(At(10), 1);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].id, a);
  EXPECT_EQ(first[0].status, NotificationStatus::kSending);
  EXPECT_EQ(first[0].attempts, 1);
  EXPECT_EQ(Get(a).claimed_at, At(10));
  // The claimed message is not claimed again while its lease runs; the next one is.
  const std::vector<Notification> second = Claim(At(20));
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].id, b);
  EXPECT_TRUE(Claim(At(69)).empty());
  // Its worker died: after the lease the message is claimed again, as a second attempt.
  const std::vector<Notification> again = Claim(At(70));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, a);
  EXPECT_EQ(again[0].attempts, 2);
}

TEST_F(OutboxRecordsTest, OutcomesNeedAClaimedMessage) {
  AddPatient(1, "", "one@example.com");
  const std::int64_t a = EnqueueFor(1);
  const std::int64_t b = EnqueueFor(1);
  const std::int64_t c = EnqueueFor(1);
  auto write = [&](const WriteFn& fn) { return store_->Write(fn); };
  EXPECT_EQ(write([&](WriteTxn& txn) { return txn.MarkNotificationSent(a, "p-1", At(1)); }).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(write([&](WriteTxn& txn) { return txn.MarkNotificationFailed(99, "x"); }).code(),
            StatusCode::kNotFound);
  ASSERT_EQ(Claim(At(1)).size(), 3u);
  EXPECT_TRUE(write([&](WriteTxn& txn) { return txn.MarkNotificationSent(a, "p-1", At(2)); }).ok());
  EXPECT_TRUE(
      write([&](WriteTxn& txn) { return txn.MarkNotificationRetry(b, "421 busy", At(300)); }).ok());
  EXPECT_TRUE(
      write([&](WriteTxn& txn) { return txn.MarkNotificationFailed(c, "550 no such user"); }).ok());
  const Notification sent = Get(a);
  EXPECT_EQ(sent.status, NotificationStatus::kSent);
  EXPECT_EQ(sent.provider_id, "p-1");
  EXPECT_EQ(sent.sent_at, At(2));
  EXPECT_EQ(Get(b).status, NotificationStatus::kQueued);
  EXPECT_EQ(Get(b).last_error, "421 busy");
  EXPECT_EQ(Get(c).status, NotificationStatus::kFailed);
  // A sent message is never sent again; the retried one waits for its time.
  EXPECT_EQ(write([&](WriteTxn& txn) { return txn.MarkNotificationSent(a, "p-2", At(3)); }).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Claim(At(299)).empty());
  const std::vector<Notification> retried = Claim(At(300));
  ASSERT_EQ(retried.size(), 1u);
  EXPECT_EQ(retried[0].id, b);
  EXPECT_EQ(retried[0].attempts, 2);
}

}  // namespace
}  // namespace tendon::store::sqlite
