#include "workflow/outcomes.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "store/testing/fixtures.h"
#include "workflow/booking.h"
#include "workflow/discharge.h"
#include "workflow/testing.h"

namespace tendon::workflow {
namespace {

using nlohmann::json;
using testing::kNow;

class OutcomesTest : public testing::WorkflowTest {
 protected:
  void SetUp() override {
    WorkflowTest::SetUp();
    ASSERT_TRUE(store().Write(store::testing::InsertClinic).ok());
  }

  static Actor Patient() { return {"user-patient", Role::kPatient, ""}; }
  static Actor Clinician() { return {"user-clinician", Role::kTreatingClinician, "RNU"}; }

  // The form a patient posts: every item scored `score`.
  static json Form(const std::string& referral_id, std::string_view timepoint, int score) {
    json form{{"referral_id", referral_id}, {"timepoint", timepoint}};
    for (const MskhqTopic& topic : MskhqTopics())
      form[std::string(topic.key)] = std::to_string(score);
    return form;
  }

  StatusOr<int> Answer(const json& form, Instant at) {
    Parsed<MskhqSubmission> parsed = ParseMskhq(form);
    EXPECT_TRUE(parsed.errors.empty());
    if (!parsed.value) return InvalidArgumentError("unparsed");
    return SubmitMskhq(env(), Patient(), *parsed.value, at);
  }

  // A referral booked the day after kNow, attended, and discharged into a follow-up window.
  Referral Discharged() {
    Slot slot = store::testing::MakeSlot("slot-1", 0);
    slot.start = kNow + date::days(1);
    slot.end = slot.start + std::chrono::minutes(30);
    EXPECT_TRUE(
        store().Write([&](store::WriteTxn& txn) { return txn.PutSlots({slot}).status(); }).ok());
    const Referral r = WaitingToBook();
    EXPECT_TRUE(Answer(Form(r.id, "baseline", 1), kNow).ok());
    auto booked = Book(env(), Coordinator(), {r.id, slot.id, ""}, kNow);
    EXPECT_TRUE(booked.ok());
    EXPECT_TRUE(MarkAttended(env(), Clinician(), booked->id, slot.start).ok());
    EXPECT_TRUE(Discharge(env(), Clinician(), {r.id, "treatment_complete", true}, after_).ok());
    return r;
  }

  std::vector<PathwayEvent> Events(const std::string& id) { return *store().ListEvents(id); }

  const Instant after_ = kNow + date::days(3);
};

TEST_F(OutcomesTest, ParseNamesEveryUnansweredOrMalformedItem) {
  json form = Form("REF-1", "baseline", 2);
  form.erase("walking");
  form["sleep"] = "7";
  form["fatigue"] = "lots";
  form["timepoint"] = "midway";
  Parsed<MskhqSubmission> parsed = ParseMskhq(form);
  ASSERT_FALSE(parsed.value);
  std::vector<std::string> fields;
  for (const FieldError& e : parsed.errors) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"timepoint", "walking", "sleep", "fatigue"}));
}

TEST_F(OutcomesTest, TheBaselineIsTakenOnceBeforeTheFirstAppointment) {
  const Referral r = WaitingToBook();
  EXPECT_EQ(MskhqDue(Events(r.id)), MskhqTimepoint::kBaseline);
  auto score = Answer(Form(r.id, "baseline", 3), kNow);
  ASSERT_TRUE(score.ok()) << score.status().ToString();
  EXPECT_EQ(*score, 42);
  const PathwayEvent last = Events(r.id).back();
  EXPECT_EQ(last.type, EventType::kOutcomeMskhq);
  const json payload = json::parse(last.payload);
  EXPECT_EQ(payload["score"], 42);
  EXPECT_EQ(payload["items"]["pain_day"], 3);
  EXPECT_EQ(AuditActions(r.patient_key).back(), "outcome.mskhq");
  EXPECT_FALSE(MskhqDue(Events(r.id)));
  auto twice = Answer(Form(r.id, "baseline", 3), kNow);
  EXPECT_EQ(twice.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(twice.status().field(), "timepoint");
  EXPECT_EQ(MskhqOf(Events(r.id)).baseline, 42);
}

TEST_F(OutcomesTest, TheDischargeQuestionnaireRecordsTheChangeFromBaseline) {
  const Referral r = Discharged();
  EXPECT_EQ(MskhqDue(Events(r.id)), MskhqTimepoint::kDischarge);
  EXPECT_EQ(Answer(Form(r.id, "baseline", 4), after_).status().code(),
            StatusCode::kFailedPrecondition);  // Too late for a baseline.
  auto score = Answer(Form(r.id, "discharge", 3), after_);
  ASSERT_TRUE(score.ok()) << score.status().ToString();
  EXPECT_EQ(json::parse(Events(r.id).back().payload)["change"], 42 - 14);
  const MskhqScores scores = MskhqOf(Events(r.id));
  EXPECT_EQ(scores.baseline, 14);
  EXPECT_EQ(scores.discharge, 42);
  EXPECT_EQ(scores.change, 28);
  EXPECT_EQ(store().GetReferral(r.id)->state, ReferralState::kPifuWindow);  // Unchanged.
  EXPECT_EQ(Answer(Form(r.id, "discharge", 3), after_).status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(OutcomesTest, TheFriendsAndFamilyTestIsAnsweredOnceAfterDischarge) {
  const Referral waiting = WaitingToBook();
  Status early = SubmitFft(env(), Patient(), waiting.id, "good", "", kNow);
  EXPECT_EQ(early.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(early.field(), "answer");

  const Referral r = Discharged();
  EXPECT_TRUE(FftDue(Events(r.id)));
  EXPECT_EQ(SubmitFft(env(), Patient(), r.id, "excellent", "", after_).field(), "answer");
  EXPECT_EQ(
      SubmitFft(env(), Patient(), r.id, "good", std::string(kMaxLongText + 1, 'x'), after_).field(),
      "comment");
  ASSERT_TRUE(SubmitFft(env(), Patient(), r.id, "very_good", " Kind staff. ", after_).ok());
  const json payload = json::parse(Events(r.id).back().payload);
  EXPECT_EQ(payload["answer"], "very_good");
  EXPECT_EQ(payload["comment"], "Kind staff.");
  EXPECT_FALSE(FftDue(Events(r.id)));
  EXPECT_EQ(SubmitFft(env(), Patient(), r.id, "good", "", after_).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Violations().empty());
}

}  // namespace
}  // namespace tendon::workflow
