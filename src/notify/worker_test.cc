#include "notify/worker.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/source_dir_for_tests.h"
#include "store/sqlite/sqlite_store.h"
#include "store/testing/fixtures.h"

namespace tendon::notify {
namespace {

using store::testing::At;

// A sender that answers as the test says and remembers what it was given.
class FakeSender final : public Sender {
 public:
  StatusOr<std::string> Send(const Outgoing& message, Instant) override {
    sent.push_back(message);
    if (!answers.empty()) {
      Status next = answers.front();
      answers.erase(answers.begin());
      if (!next.ok()) return next;
    }
    return "provider-" + std::to_string(message.outbox_id);
  }
  std::vector<Status> answers;  // In order; OK when none is left.
  std::vector<Outgoing> sent;
};

class WorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::SqliteStore::Open(dir_.file("tendon.db"));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    Status s = store_->Write([](store::WriteTxn& txn) -> Status {
      RETURN_IF_ERROR(store::testing::InsertClinic(txn));
      RETURN_IF_ERROR(store::testing::InsertReferredPatient(txn, 1));
      ASSIGN_OR_RETURN(Patient p, txn.GetPatient("patient-1"));
      p.email = "patient1@example.com";
      p.phone = "07700 900001";
      return txn.UpdatePatient(p);
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  std::int64_t Enqueue(const std::string& kind, const std::string& payload,
                       std::optional<Channel> channel = std::nullopt) {
    Notification n;
    n.kind = kind;
    n.patient_key = "patient-1";
    n.referral_id = "ref-1";
    n.payload = payload;
    n.channel = channel;
    n.created_at = At(0);
    std::int64_t id = 0;
    Status s = store_->Write([&](store::WriteTxn& txn) -> Status {
      ASSIGN_OR_RETURN(id, txn.EnqueueNotification(n));
      return OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return id;
  }

  // A worker over the repository's templates, whose clock reads now_.
  DeliveryWorker Worker() {
    auto templates = MessageTemplates::Load(SourceDirForTests() / "data" / "notifications");
    EXPECT_TRUE(templates.ok()) << templates.status().ToString();
    auto email = std::make_unique<FakeSender>();
    auto sms = std::make_unique<FakeSender>();
    email_ = email.get();
    sms_ = sms.get();
    DeliveryOptions options;
    options.max_attempts = 3;
    return DeliveryWorker(
        *store_, *templates, {"MSK service", "01865 000000", "https://msk"}, std::move(email),
        std::move(sms), options, [this](std::string_view line) { log_.emplace_back(line); },
        [this] { return now_; });
  }

  Notification Get(std::int64_t id) {
    store::OutboxQuery query;
    query.after_id = id - 1;
    query.limit = 1;
    return store_->ListNotifications(query)->front();
  }

  std::vector<AuditEntry> Audit(const std::string& action) {
    store::AuditFilter filter;
    filter.action = action;
    return *store_->ListAudit(filter);
  }

  store::testing::TempDir dir_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  FakeSender* email_ = nullptr;
  FakeSender* sms_ = nullptr;
  std::vector<std::string> log_;
  Instant now_ = At(60);
};

constexpr char kCancelled[] =
    R"({"start":"2026-11-24T10:30:00Z","site_id":"site-1","modality":"face_to_face",)"
    R"("reason":"clinician unavailable"})";

TEST_F(WorkerTest, SendsEachDueMessageOnceThroughItsChannelAndAuditsIt) {
  DeliveryWorker worker = Worker();
  const std::int64_t email = Enqueue("appointment.cancelled_by_service", kCancelled);
  const std::int64_t sms = Enqueue("fft.invitation", "{}", Channel::kSms);
  auto pass = worker.RunOnce();
  ASSERT_TRUE(pass.ok()) << pass.status().ToString();
  EXPECT_EQ(pass->sent, 2);
  ASSERT_EQ(email_->sent.size(), 1u);
  ASSERT_EQ(sms_->sent.size(), 1u);
  const Outgoing& out = email_->sent[0];
  EXPECT_EQ(out.recipient, "patient1@example.com");
  EXPECT_EQ(out.reference,
            "tendon." + std::to_string(email) + "." + std::to_string(ToUnixMillis(At(0))));
  EXPECT_FALSE(out.retry);
  EXPECT_NE(out.text.body.find("Tuesday 24 November 2026 at 10:30am"), std::string::npos)
      << out.text.body;
  EXPECT_NE(out.text.body.find("01865 000000"), std::string::npos);
  EXPECT_EQ(sms_->sent[0].recipient, "07700 900001");
  EXPECT_EQ(Get(email).status, NotificationStatus::kSent);
  EXPECT_EQ(Get(email).provider_id, "provider-" + std::to_string(email));
  EXPECT_EQ(Get(sms).status, NotificationStatus::kSent);
  EXPECT_EQ(Audit("notification.sent").size(), 2u);
  // Nothing is due any more: a second pass sends nothing.
  EXPECT_EQ(worker.RunOnce()->claimed, 0);
  EXPECT_EQ(email_->sent.size(), 1u);
}

TEST_F(WorkerTest, ATransientFailureRetriesWithBackOffThenGivesUp) {
  DeliveryWorker worker = Worker();
  const std::int64_t id = Enqueue("fft.invitation", "{}");
  for (int i = 0; i < 3; ++i) email_->answers.push_back(UnavailableError("421 try later"));
  EXPECT_EQ(worker.RunOnce()->retried, 1);
  EXPECT_EQ(Get(id).status, NotificationStatus::kQueued);
  EXPECT_EQ(Get(id).next_attempt_at, At(60 + 60));  // First retry after a minute.
  EXPECT_EQ(worker.RunOnce()->claimed, 0);          // Not yet due.
  now_ = At(120);
  EXPECT_EQ(worker.RunOnce()->retried, 1);
  EXPECT_EQ(Get(id).next_attempt_at, At(120 + 120));  // Then two.
  EXPECT_TRUE(email_->sent.back().retry);
  now_ = At(240);
  EXPECT_EQ(worker.RunOnce()->failed, 1);  // The third attempt was the last.
  const Notification failed = Get(id);
  EXPECT_EQ(failed.status, NotificationStatus::kFailed);
  EXPECT_NE(failed.last_error.find("421 try later (gave up after 3 attempts)"), std::string::npos)
      << failed.last_error;
  EXPECT_EQ(Audit("notification.failed").size(), 1u);
}

TEST_F(WorkerTest, APermanentRefusalFailsAtOnce) {
  DeliveryWorker worker = Worker();
  const std::int64_t id = Enqueue("fft.invitation", "{}");
  email_->answers.push_back(FailedPreconditionError("550 no such user"));
  EXPECT_EQ(worker.RunOnce()->failed, 1);
  EXPECT_EQ(Get(id).status, NotificationStatus::kFailed);
  EXPECT_EQ(Get(id).last_error, "550 no such user");
  EXPECT_EQ(Get(id).attempts, 1);
}

TEST_F(WorkerTest, AMessageThatCannotBeWrittenFailsWithoutBeingSent) {
  DeliveryWorker worker = Worker();
  const std::int64_t unknown_kind = Enqueue("no.such.kind", "{}");
  const std::int64_t missing_field = Enqueue("pifu.opened", "{}");  // No "until".
  EXPECT_EQ(worker.RunOnce()->failed, 2);
  EXPECT_TRUE(email_->sent.empty());
  EXPECT_NE(Get(unknown_kind).last_error.find("no message template"), std::string::npos);
  EXPECT_NE(Get(missing_field).last_error.find("until_text"), std::string::npos)
      << Get(missing_field).last_error;
}

TEST_F(WorkerTest, BackOffDoublesUpToItsLimit) {
  DeliveryOptions options;
  options.first_retry = std::chrono::seconds(60);
  options.max_retry = std::chrono::seconds(300);
  EXPECT_EQ(BackOff(1, options).count(), 60);
  EXPECT_EQ(BackOff(2, options).count(), 120);
  EXPECT_EQ(BackOff(3, options).count(), 240);
  EXPECT_EQ(BackOff(4, options).count(), 300);
  EXPECT_EQ(BackOff(40, options).count(), 300);
}

}  // namespace
}  // namespace tendon::notify
