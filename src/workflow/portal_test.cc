// The patient portal's workflow: signing in with a reference, date of birth and one-time code
// (expiry, tries, throttling, and the same answer for an unknown reference), the portal account,
// the timeline's words, the expected wait and the patient's view of the audit log.
#include "workflow/portal.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "core/source_dir_for_tests.h"
#include "workflow/booking.h"
#include "workflow/testing.h"

namespace tendon::workflow {
namespace {

using testing::kNow;

constexpr char kDateOfBirth[] = "1970-03-14";  // CompleteReferral's patient.
constexpr char kClient[] = "10.0.0.1";

class PortalTest : public testing::WorkflowTest {
 protected:
  void SetUp() override {
    WorkflowTest::SetUp();
    if (HasFatalFailure()) return;
    auto content = config::LoadPortalContent(SourceDirForTests() / "data" / config::kPortalSubdir);
    ASSERT_TRUE(content.ok()) << content.status().ToString();
    portal_ = std::make_unique<Portal>(std::move(content).value());
    sign_in_ = std::make_unique<ReferenceCodeSignIn>(store());
  }

  StatusOr<SignInStep> Begin(const std::string& reference, const std::string& dob = kDateOfBirth,
                             const std::string& client = kClient, Instant now = kNow) {
    return sign_in_->Begin({{"reference", reference}, {"date_of_birth", dob}}, client, now);
  }

  StatusOr<PatientIdentity> Complete(const SignInStep& step, const std::string& code,
                                     Instant now = kNow, const std::string& client = kClient) {
    return sign_in_->Complete(step.challenge, {{"code", code}}, client, now);
  }

  // The sign-in codes queued in the outbox, oldest first.
  std::vector<Notification> Codes() {
    store::OutboxQuery query;
    query.limit = 1000;
    std::vector<Notification> codes;
    const auto all = store().ListNotifications(query);
    for (const Notification& n : *all) {
      if (n.kind == kNoticeSignInCode) codes.push_back(n);
    }
    return codes;
  }

  std::string LastCode() {
    const auto codes = Codes();
    if (codes.empty()) return "";
    return nlohmann::json::parse(codes.back().payload)["code"].get<std::string>();
  }

  // A six-digit code that is not `code`.
  static std::string Other(const std::string& code) {
    return code == "000000" ? "111111" : "000000";
  }

  std::unique_ptr<Portal> portal_;
  std::unique_ptr<ReferenceCodeSignIn> sign_in_;
};

TEST_F(PortalTest, TheRightDetailsQueueACodeThatSignsInOnce) {
  const Referral referral = AwaitingTriage();
  // Typed in lower case with spaces, as people do.
  std::string typed = referral.id;
  for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto step = Begin(typed.substr(0, 4) + " " + typed.substr(4));
  ASSERT_TRUE(step.ok()) << step.status().ToString();
  EXPECT_EQ(step->challenge.size(), 64u);
  EXPECT_TRUE(step->redirect.empty());
  const auto codes = Codes();
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes[0].patient_key, referral.patient_key);
  EXPECT_EQ(codes[0].referral_id, referral.id);
  const std::string code = LastCode();
  EXPECT_EQ(code.size(), 6u);

  auto identity = Complete(*step, code.substr(0, 3) + " " + code.substr(3));
  ASSERT_TRUE(identity.ok()) << identity.status().ToString();
  EXPECT_EQ(identity->patient_key, referral.patient_key);
  EXPECT_EQ(identity->referral_id, referral.id);
  EXPECT_EQ(Complete(*step, code).status().code(), StatusCode::kFailedPrecondition);
  const auto actions = AuditActions(referral.patient_key);
  EXPECT_NE(std::find(actions.begin(), actions.end(), "portal.sign_in.code_sent"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "portal.sign_in"), actions.end());
}

TEST_F(PortalTest, ACodeExpiresAfterTenMinutes) {
  const Referral referral = AwaitingTriage();
  auto step = Begin(referral.id);
  ASSERT_TRUE(step.ok());
  const std::string code = LastCode();
  auto late = Complete(*step, code, kNow + std::chrono::minutes(10));
  EXPECT_EQ(late.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(late.status().field(), "code");
  auto step2 = Begin(referral.id);
  ASSERT_TRUE(step2.ok());
  EXPECT_TRUE(Complete(*step2, LastCode(), kNow + std::chrono::minutes(9)).ok());
}

TEST_F(PortalTest, ACodeAllowsFiveTriesThenNotEvenTheRightOne) {
  const Referral referral = AwaitingTriage();
  auto step = Begin(referral.id);
  ASSERT_TRUE(step.ok());
  const std::string code = LastCode();
  for (int i = 1; i <= 4; ++i) {
    auto wrong = Complete(*step, Other(code));
    EXPECT_EQ(wrong.status().code(), StatusCode::kInvalidArgument) << i;
    EXPECT_EQ(wrong.status().field(), "code");
  }
  EXPECT_EQ(Complete(*step, Other(code)).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Complete(*step, code).status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(PortalTest, AMalformedCodeOrDetailsNameTheFieldAndCountNothing) {
  const Referral referral = AwaitingTriage();
  EXPECT_EQ(Begin("").status().field(), "reference");
  EXPECT_EQ(Begin("ab<script>").status().field(), "reference");
  EXPECT_EQ(Begin(referral.id, "1970-02-30").status().field(), "date_of_birth");
  auto step = Begin(referral.id);
  ASSERT_TRUE(step.ok());
  for (const char* bad : {"", "12345", "1234567", "12a456"}) {
    auto refused = Complete(*step, bad);
    EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(refused.status().field(), "code") << bad;
  }
  EXPECT_TRUE(Complete(*step, LastCode()).ok()) << "malformed codes used no tries";
}

// A wrong date of birth and an unknown reference answer exactly as the right details do, and send
// nothing; every code for them is "not right".
TEST_F(PortalTest, WrongDateOfBirthAndUnknownReferenceAreIndistinguishable) {
  const Referral referral = AwaitingTriage();
  auto right = Begin(referral.id);
  auto wrong_dob = Begin(referral.id, "1970-03-15");
  auto unknown = Begin("ZZZZZZZZZZZZ");
  for (const auto* step : {&right, &wrong_dob, &unknown}) {
    ASSERT_TRUE(step->ok()) << step->status().ToString();
    EXPECT_EQ((*step)->challenge.size(), 64u);
    EXPECT_EQ((*step)->redirect, "");
  }
  EXPECT_EQ(Codes().size(), 1u) << "only the right details send a code";
  const std::string code = LastCode();
  for (const auto* step : {&wrong_dob, &unknown}) {
    auto refused = Complete(**step, code);
    EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(refused.status().message(), Complete(*right, Other(code)).status().message());
  }
}

TEST_F(PortalTest, AttemptsAreThrottledPerReferenceAndPerClient) {
  const Referral referral = AwaitingTriage();
  const CodeSignInPolicy policy;
  for (int i = 0; i < policy.attempts_per_reference; ++i) {
    ASSERT_TRUE(Begin(referral.id, "1970-01-01", "10.0.0." + std::to_string(i)).ok()) << i;
  }
  // From yet another client, with the right details: the reference must wait.
  auto throttled = Begin(referral.id, kDateOfBirth, "10.9.9.9");
  EXPECT_EQ(throttled.status().code(), StatusCode::kAborted);
  EXPECT_EQ(throttled.status().field(), "attempts");
  // An unknown reference is throttled alike.
  for (int i = 0; i < policy.attempts_per_reference; ++i) {
    ASSERT_TRUE(Begin("UNKNOWN1", kDateOfBirth, "10.1.0." + std::to_string(i)).ok()) << i;
  }
  EXPECT_EQ(Begin("UNKNOWN1", kDateOfBirth, "10.9.9.8").status().code(), StatusCode::kAborted);
  // After the window the reference may try again.
  EXPECT_TRUE(Begin(referral.id, kDateOfBirth, "10.9.9.9", kNow + policy.window).ok());

  // One client guessing across many references is throttled too.
  for (int i = 0; i < policy.attempts_per_client; ++i) {
    ASSERT_TRUE(Begin("GUESS" + std::to_string(i), kDateOfBirth, "10.2.2.2").ok()) << i;
  }
  EXPECT_EQ(Begin("GUESSAGAIN", kDateOfBirth, "10.2.2.2").status().code(), StatusCode::kAborted);
}

TEST_F(PortalTest, WrongCodesCountAgainstTheReference) {
  const Referral referral = AwaitingTriage();
  const CodeSignInPolicy policy;
  int attempts = 0;
  while (attempts < policy.attempts_per_reference) {
    auto step = Begin(referral.id, kDateOfBirth, "10.3." + std::to_string(attempts) + ".1");
    ASSERT_TRUE(step.ok());
    ++attempts;
    const std::string code = LastCode();
    for (int i = 0; i < 2 && attempts < policy.attempts_per_reference; ++i, ++attempts) {
      EXPECT_EQ(Complete(*step, Other(code)).status().code(), StatusCode::kInvalidArgument);
    }
  }
  auto step = Begin(referral.id, kDateOfBirth, "10.4.4.4");
  EXPECT_EQ(step.status().code(), StatusCode::kAborted);
}

TEST_F(PortalTest, ThePortalAccountIsMadeOnceAndSeesOnlyItsPatient) {
  const Referral referral = AwaitingTriage();
  const PatientIdentity identity{referral.patient_key, referral.id};
  auto first = PortalUser(store(), identity, kNow);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->role, Role::kPatient);
  EXPECT_EQ(first->patient_key, referral.patient_key);
  EXPECT_EQ(first->display_name, "Jane Example");
  auto again = PortalUser(store(), identity, kNow);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(PortalUser(store(), {"no-such-patient", ""}, kNow).status().code(),
            StatusCode::kNotFound);
}

TEST_F(PortalTest, TheTimelineTellsEveryEventInPlainWords) {
  const Referral referral = WaitingToBook();
  auto events = store().ListEvents(referral.id);
  ASSERT_TRUE(events.ok());
  const auto entries = portal_->Tell(*events, {});
  ASSERT_EQ(entries.size(), events->size());
  EXPECT_EQ(entries[0].title, "We received your referral");
  bool told_service = false;
  for (const TimelineEntry& e : entries) {
    EXPECT_EQ(e.text.find('{'), std::string::npos) << e.text;
    if (e.text.find(": Physiotherapy.") != std::string::npos) told_service = true;
  }
  EXPECT_TRUE(told_service);
  EXPECT_EQ(portal_->StateOf(ReferralState::kWaitingToBook).now,
            "You are on the list for an appointment.");
  EXPECT_EQ(portal_->AdviceFor(referral).title, "Physiotherapy");
}

TEST_F(PortalTest, TheExpectedWaitSaysThereIsNoneFromTooFewPatients) {
  const Referral referral = WaitingToBook();
  auto events = store().ListEvents(referral.id);
  ASSERT_TRUE(events.ok());
  auto wait = portal_->WaitFor(store(), referral, *events, kNow);
  ASSERT_TRUE(wait.ok()) << wait.status().ToString();
  ASSERT_TRUE(wait->has_value());
  EXPECT_TRUE((*wait)->from_acceptance);
  EXPECT_FALSE((*wait)->estimate.group) << "no one has been seen yet";
}

TEST_F(PortalTest, TheAuditViewSaysWhoInPlainWordsAndNamesStaffOnlyWhenAsked) {
  const Referral referral = AwaitingTriage();
  User coordinator;
  coordinator.id = coordinator.username = "user-coordinator";
  coordinator.display_name = "Casey Coordinator";
  coordinator.role = Role::kCoordinator;
  coordinator.organisation = "RNU";
  coordinator.password_hash = "unused";
  ASSERT_TRUE(store()
                  .Write([&](store::WriteTxn& txn) -> Status {
                    RETURN_IF_ERROR(txn.InsertUser(coordinator));
                    return txn
                        .AppendAudit({0, kNow, coordinator.id, "coordinator", referral.patient_key,
                                      "booking.read", ""})
                        .status();
                  })
                  .ok());
  auto rows = AccessLog(store(), *portal_, referral.patient_key, "portal-x", false, 10);
  ASSERT_TRUE(rows.ok());
  ASSERT_FALSE(rows->empty());
  EXPECT_EQ(rows->front().who, "Booking coordinator, RNU");
  EXPECT_EQ(rows->front().what, "Looked at your referral to book an appointment");
  auto named = AccessLog(store(), *portal_, referral.patient_key, "portal-x", true, 10);
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named->front().who, "Booking coordinator, RNU (Casey Coordinator)");
}

}  // namespace
}  // namespace tendon::workflow
