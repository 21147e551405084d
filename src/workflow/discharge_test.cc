#include "workflow/discharge.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "store/testing/fixtures.h"
#include "workflow/booking.h"
#include "workflow/need.h"
#include "workflow/testing.h"

namespace tendon::workflow {
namespace {

using nlohmann::json;
using testing::kNow;

// Referrals seen once (booked into a slot the day after kNow and attended), so in treatment.
class DischargeTest : public testing::WorkflowTest {
 protected:
  void SetUp() override {
    WorkflowTest::SetUp();
    ASSERT_TRUE(store().Write(store::testing::InsertClinic).ok());
  }

  static Actor Clinician() { return {"user-clinician", Role::kTreatingClinician, "RNU"}; }
  static Actor Patient() { return {"user-patient", Role::kPatient, ""}; }

  Referral InTreatment() {
    Slot slot = store::testing::MakeSlot("slot-" + std::to_string(++slots_), 0);
    slot.start = kNow + date::days(1);
    slot.end = slot.start + std::chrono::minutes(30);
    EXPECT_TRUE(
        store().Write([&](store::WriteTxn& txn) { return txn.PutSlots({slot}).status(); }).ok());
    const Referral waiting = WaitingToBook();
    auto booked = Book(env(), Coordinator(), {waiting.id, slot.id, ""}, kNow);
    EXPECT_TRUE(booked.ok()) << booked.status().ToString();
    EXPECT_TRUE(MarkAttended(env(), Clinician(), booked->id, seen_).ok());
    return *store().GetReferral(waiting.id);
  }

  std::vector<Notification> Outbox(std::string_view kind) {
    auto all = store().ListNotifications({});
    EXPECT_TRUE(all.ok());
    std::vector<Notification> out;
    for (const Notification& n : *all) {
      if (n.kind == kind) out.push_back(n);
    }
    return out;
  }

  std::vector<EventType> Types(const std::string& referral_id) {
    std::vector<EventType> types;
    const auto events = store().ListEvents(referral_id);
    EXPECT_TRUE(events.ok());
    for (const PathwayEvent& e : *events) types.push_back(e.type);
    return types;
  }

  const Instant seen_ = kNow + date::days(1) + std::chrono::minutes(10);
  const Instant later_ = kNow + date::days(2);
  int slots_ = 0;
};

TEST_F(DischargeTest, IntoAFollowUpWindowQueuingItsMessageAndTheFft) {
  const Referral r = InTreatment();
  auto discharged = Discharge(env(), Clinician(), {r.id, "treatment_complete", true}, later_);
  ASSERT_TRUE(discharged.ok()) << discharged.status().ToString();
  EXPECT_EQ(discharged->state, ReferralState::kPifuWindow);
  EXPECT_EQ(discharged->next_action_due, AddMonths(later_, env().timing.pifu_window_months));
  const std::vector<EventType> types = Types(r.id);
  ASSERT_GE(types.size(), 2u);
  EXPECT_EQ(types[types.size() - 2], EventType::kEpisodeDischarged);
  EXPECT_EQ(types.back(), EventType::kPifuOpened);
  const std::vector<Notification> opened = Outbox(kNoticePifuOpened);
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_EQ(json::parse(opened[0].payload)["until"], "2027-05-26");
  EXPECT_EQ(opened[0].recipient, "patient@example.com");
  EXPECT_EQ(Outbox(kNoticeFft).size(), 1u);
  EXPECT_TRUE(Outbox(kLetterDischarge).empty());
  EXPECT_EQ(AuditActions(r.patient_key).back(), "referral.discharge");
  EXPECT_TRUE(Violations().empty());
}

TEST_F(DischargeTest, WithoutAWindowClosesTheReferralAndQueuesTheGpLetter) {
  Env with_mailbox = env();
  with_mailbox.timing.gp_letters_mailbox = "gp-letters@example.nhs.uk";
  const Referral r = InTreatment();
  auto discharged = Discharge(with_mailbox, Clinician(), {r.id, "self_managing", false}, later_);
  ASSERT_TRUE(discharged.ok()) << discharged.status().ToString();
  EXPECT_EQ(discharged->state, ReferralState::kClosed);
  EXPECT_EQ(Types(r.id).back(), EventType::kReferralClosed);
  const std::vector<Notification> letters = Outbox(kLetterDischarge);
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].recipient, "gp-letters@example.nhs.uk");  // Never the patient.
  const json payload = json::parse(letters[0].payload);
  EXPECT_EQ(payload["practice"], "K84001");
  EXPECT_EQ(payload["reference"], r.id);
  EXPECT_EQ(Outbox(kNoticeFft).size(), 1u);
}

TEST_F(DischargeTest, RefusesAReferralNotInTreatmentOrWithoutAReasonChangingNothing) {
  const Referral waiting = WaitingToBook();
  auto early = Discharge(env(), Clinician(), {waiting.id, "treatment_complete", true}, later_);
  EXPECT_EQ(early.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(early.status().field(), "referral_id");
  const Referral r = InTreatment();
  auto blank = Discharge(env(), Clinician(), {r.id, "  ", true}, later_);
  EXPECT_EQ(blank.status().field(), "reason");
  EXPECT_EQ(store().GetReferral(r.id)->state, ReferralState::kInTreatment);
  EXPECT_TRUE(Outbox(kNoticeFft).empty());
}

TEST_F(DischargeTest, AskingToBeSeenAgainReturnsThePatientToTheListForAFollowUp) {
  const Referral r = InTreatment();
  ASSERT_TRUE(Discharge(env(), Clinician(), {r.id, "treatment_complete", true}, later_).ok());
  const Instant asked = later_ + date::days(30);
  auto back = RequestFollowUp(env(), Patient(), r.id, "The pain came back", asked);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->state, ReferralState::kWaitingToBook);
  EXPECT_EQ(back->owner, "booking");
  EXPECT_EQ(back->next_action_due,
            AddWorkingDays(calendar(), asked, env().timing.pifu_response_working_days));
  auto need = NeedOf(*store().ListEvents(r.id));
  ASSERT_TRUE(need.ok()) << need.status().ToString();
  EXPECT_EQ(need->type, SlotType::kFollowUp);  // Their history goes with them.
  EXPECT_EQ(AuditActions(r.patient_key).back(), "pifu.request");
  // Asking twice finds no window open.
  EXPECT_EQ(RequestFollowUp(env(), Patient(), r.id, "", asked).status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(DischargeTest, AskingAfterTheWindowEndedIsRefused) {
  const Referral r = InTreatment();
  ASSERT_TRUE(Discharge(env(), Clinician(), {r.id, "treatment_complete", true}, later_).ok());
  auto late = RequestFollowUp(env(), Patient(), r.id, "", later_ + date::days(400));
  EXPECT_EQ(late.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(late.status().message().find("ended"), std::string::npos);
  EXPECT_EQ(store().GetReferral(r.id)->state, ReferralState::kPifuWindow);
}

TEST_F(DischargeTest, TheSweepWarnsOnceBeforeTheWindowClosesThenClosesItWithTheGpLetter) {
  Env with_mailbox = env();
  with_mailbox.timing.gp_letters_mailbox = "gp-letters@example.nhs.uk";
  const Referral r = InTreatment();
  auto discharged =
      Discharge(with_mailbox, Clinician(), {r.id, "treatment_complete", true}, later_);
  ASSERT_TRUE(discharged.ok());
  const Instant ends = *discharged->next_action_due;

  auto quiet = SweepPifuWindows(with_mailbox, ends - date::days(30));
  ASSERT_TRUE(quiet.ok());
  EXPECT_EQ(quiet->reminded, 0);
  auto warned = SweepPifuWindows(with_mailbox, ends - date::days(10));
  ASSERT_TRUE(warned.ok());
  EXPECT_EQ(warned->reminded, 1);
  auto again = SweepPifuWindows(with_mailbox, ends - date::days(9));
  EXPECT_EQ(again->reminded, 0);  // Once.
  EXPECT_EQ(Outbox(kNoticePifuClosing).size(), 1u);
  EXPECT_TRUE(Outbox(kLetterDischarge).empty());

  auto ended = SweepPifuWindows(with_mailbox, ends + std::chrono::hours(1));
  ASSERT_TRUE(ended.ok());
  EXPECT_EQ(ended->expired, 1);
  EXPECT_EQ(store().GetReferral(r.id)->state, ReferralState::kClosed);
  EXPECT_EQ(Types(r.id).back(), EventType::kPifuExpired);
  ASSERT_EQ(Outbox(kLetterDischarge).size(), 1u);
  EXPECT_NE(json::parse(Outbox(kLetterDischarge)[0].payload)["outcome"].get<std::string>().find(
                "did not ask"),
            std::string::npos);
  EXPECT_EQ(SweepPifuWindows(with_mailbox, ends + date::days(1))->expired, 0);
  EXPECT_TRUE(Violations().empty());
}

TEST_F(DischargeTest, TheSweepLeavesAPatientWhoAskedToBeSeen) {
  const Referral r = InTreatment();
  auto discharged = Discharge(env(), Clinician(), {r.id, "treatment_complete", true}, later_);
  ASSERT_TRUE(discharged.ok());
  ASSERT_TRUE(RequestFollowUp(env(), Patient(), r.id, "", later_ + date::days(1)).ok());
  auto swept = SweepPifuWindows(env(), *discharged->next_action_due + date::days(1));
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(swept->expired, 0);
  EXPECT_EQ(store().GetReferral(r.id)->state, ReferralState::kWaitingToBook);
}

}  // namespace
}  // namespace tendon::workflow
