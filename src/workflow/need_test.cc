#include "workflow/need.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tendon::workflow {
namespace {

PathwayEvent Event(EventType type, std::string payload = "{}",
                   Priority priority = Priority::kRoutine) {
  PathwayEvent e;
  e.type = type;
  e.payload = std::move(payload);
  e.priority = priority;
  return e;
}

// A referral received and accepted at triage with `payload`.
std::vector<PathwayEvent> AcceptedWith(const std::string& payload) {
  return {Event(EventType::kReferralReceived), Event(EventType::kTriageCompleted, payload),
          Event(EventType::kWaitlistAdded)};
}

TEST(NeedOfTest, TakesTheModalityAndSkillTheTriageClinicianRecorded) {
  auto need = NeedOf(AcceptedWith(
      R"({"outcome":"accepted","service_line":"spinal","modality":"video","skill":"injection"})"));
  ASSERT_TRUE(need.ok()) << need.status().ToString();
  EXPECT_EQ(need->type, SlotType::kNew);
  EXPECT_EQ(need->modality, Modality::kVideo);
  EXPECT_EQ(need->skill, "injection");
  EXPECT_EQ(need->priority, Priority::kRoutine);
}

// The demo's histories record the line only: the defaults follow from it.
TEST(NeedOfTest, DerivesTheDefaultsFromTheServiceLine) {
  struct Case {
    const char* line;
    SlotType type;
    Modality modality;
  };
  const Case cases[] = {{"physioline", SlotType::kPhysioline, Modality::kTelephone},
                        {"physiotherapy", SlotType::kNew, Modality::kFaceToFace},
                        {"injection", SlotType::kInjection, Modality::kFaceToFace},
                        {"hand", SlotType::kNew, Modality::kFaceToFace}};
  for (const Case& c : cases) {
    auto need = NeedOf(AcceptedWith(std::string(R"({"outcome":"accepted","service_line":")") +
                                    c.line + R"(","skill":""})"));
    ASSERT_TRUE(need.ok()) << c.line;
    EXPECT_EQ(need->type, c.type) << c.line;
    EXPECT_EQ(need->modality, c.modality) << c.line;
    EXPECT_EQ(need->skill, c.line);
  }
}

TEST(NeedOfTest, FallsBackToTheEventsServiceLineAndIgnoresAnUnreadableModality) {
  std::vector<PathwayEvent> events =
      AcceptedWith(R"({"outcome":"accepted","modality":"carrier pigeon"})");
  events[1].service_line = ServiceLine::kPhysioline;
  auto need = NeedOf(events);
  ASSERT_TRUE(need.ok()) << need.status().ToString();
  EXPECT_EQ(need->modality, Modality::kTelephone);
  EXPECT_EQ(need->skill, "physioline");
}

TEST(NeedOfTest, TheLatestAcceptanceAndTheCurrentPriorityWin) {
  std::vector<PathwayEvent> events =
      AcceptedWith(R"({"outcome":"accepted","service_line":"physiotherapy"})");
  events.push_back(Event(EventType::kTriageCompleted,
                         R"({"outcome":"accepted","service_line":"upper_limb"})",
                         Priority::kUrgent));
  events.push_back(Event(EventType::kWaitlistAdded, "{}", Priority::kUrgent));
  auto need = NeedOf(events);
  ASSERT_TRUE(need.ok());
  EXPECT_EQ(need->skill, "upper_limb");
  EXPECT_EQ(need->priority, Priority::kUrgent);
}

TEST(NeedOfTest, AfterAnAttendedAppointmentTheNeedIsAFollowUp) {
  std::vector<PathwayEvent> events =
      AcceptedWith(R"({"outcome":"accepted","service_line":"injection"})");
  events.push_back(Event(EventType::kAppointmentBooked));
  events.push_back(Event(EventType::kAppointmentAttended));
  events.push_back(Event(EventType::kAppointmentBooked));
  events.push_back(Event(EventType::kAppointmentDna));
  auto need = NeedOf(events);
  ASSERT_TRUE(need.ok());
  EXPECT_EQ(need->type, SlotType::kFollowUp);
}

TEST(NeedOfTest, AReferralMovedToAnotherLineNeedsWhatThatLineGives) {
  std::vector<PathwayEvent> events = AcceptedWith(
      R"({"outcome":"accepted","service_line":"physioline","modality":"telephone",)"
      R"("skill":"physioline"})");
  for (PathwayEvent& e : events) e.service_line = ServiceLine::kPhysioline;
  events.push_back(Event(EventType::kAppointmentBooked));
  events.push_back(Event(EventType::kAppointmentAttended));
  events.back().service_line = ServiceLine::kPhysiotherapy;  // Stepped up after the call.
  auto need = NeedOf(events);
  ASSERT_TRUE(need.ok()) << need.status().ToString();
  EXPECT_EQ(need->type, SlotType::kFollowUp);
  EXPECT_EQ(need->modality, Modality::kFaceToFace);
  EXPECT_EQ(need->skill, "physiotherapy");
}

TEST(NeedOfTest, AReferralNeverAcceptedHasNoNeed) {
  for (const char* payload : {R"({"outcome":"refer_onward"})", "not json", "{}"}) {
    auto need = NeedOf(AcceptedWith(payload));
    ASSERT_FALSE(need.ok()) << payload;
    EXPECT_EQ(need.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(need.status().field(), "referral_id");
  }
  auto no_line = NeedOf(AcceptedWith(R"({"outcome":"accepted"})"));
  EXPECT_EQ(no_line.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_FALSE(NeedOf(std::vector<PathwayEvent>{}).ok());
}

}  // namespace
}  // namespace tendon::workflow
