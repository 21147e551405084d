#include "core/waits.h"

#include <gtest/gtest.h>

#include <string>

namespace tendon {
namespace {

const Instant kStart = FromUnixMillis(1'780'000'000'000);

Instant Day(int n) { return kStart + std::chrono::days(n); }

PathwayEvent Event(EventType type, const std::string& referral, Instant at,
                   std::string payload = "{}") {
  PathwayEvent e;
  e.type = type;
  e.referral_id = referral;
  e.occurred_at = at;
  e.tier = Tier::kTier1;
  e.priority = Priority::kRoutine;
  e.site = "east-oxford";
  e.payload = std::move(payload);
  return e;
}

// Referral `id` accepted on day `accepted` and seen on day `seen`, with the given fields.
void AddWait(WaitLog& log, const std::string& id, int accepted, int seen,
             Priority priority = Priority::kRoutine, std::string site = "east-oxford") {
  log.Add(Event(EventType::kTriageCompleted, id, Day(accepted), R"({"outcome":"accepted"})"));
  PathwayEvent seen_event = Event(EventType::kAppointmentAttended, id, Day(seen));
  seen_event.priority = priority;
  seen_event.site = std::move(site);
  log.Add(seen_event);
}

TEST(WaitLogTest, AWaitRunsFromAcceptanceToTheFirstAttendedAppointmentOnly) {
  WaitLog log;
  log.Add(Event(EventType::kTriageCompleted, "r1", Day(0), R"({"outcome":"returned"})"));
  log.Add(Event(EventType::kAppointmentAttended, "r1", Day(5)));
  EXPECT_TRUE(log.waits().empty()) << "never accepted";
  AddWait(log, "r2", 0, 10);
  log.Add(Event(EventType::kAppointmentAttended, "r2", Day(20)));  // A follow-up: not a wait.
  ASSERT_EQ(log.waits().size(), 1u);
  EXPECT_EQ(WaitDays(log.waits()[0]), 10);
  log.Add(Event(EventType::kTriageCompleted, "r3", Day(0), R"({"outcome":"accepted"})"));
  log.Add(Event(EventType::kReferralWithdrawn, "r3", Day(1)));
  log.Add(Event(EventType::kAppointmentAttended, "r3", Day(9)));
  EXPECT_EQ(log.waits().size(), 1u) << "a withdrawn referral's wait is forgotten";
}

TEST(WaitLogTest, EstimatesFromTheNarrowestGroupWithEnoughPatients) {
  WaitLog log;
  const WaitPolicy policy{.window_days = 200, .min_patients = 4};
  // Four routine tier 1 patients at east-oxford waited 10, 20, 30 and 40 days.
  for (int i = 0; i < 4; ++i) AddWait(log, "e" + std::to_string(i), 0, 10 * (i + 1));
  // Three at another site waited 100 days: too few for that site alone.
  for (int i = 0; i < 3; ++i)
    AddWait(log, "w" + std::to_string(i), 0, 100, Priority::kRoutine, "witney");
  const Instant now = Day(101);

  WaitEstimate east = log.Estimate(Tier::kTier1, Priority::kRoutine, "east-oxford", now, policy);
  EXPECT_EQ(east.group, WaitGroup::kTierPrioritySite);
  EXPECT_EQ(east.patients, 4);
  EXPECT_EQ(east.median_days, 20);
  EXPECT_EQ(east.quartile_low_days, 10);
  EXPECT_EQ(east.quartile_high_days, 30);

  WaitEstimate witney = log.Estimate(Tier::kTier1, Priority::kRoutine, "witney", now, policy);
  EXPECT_EQ(witney.group, WaitGroup::kTierPriority) << "three at Witney are too few";
  EXPECT_EQ(witney.patients, 7);
  EXPECT_EQ(witney.median_days, 40);

  WaitEstimate untriaged = log.Estimate(std::nullopt, Priority::kRoutine, "", now, policy);
  EXPECT_EQ(untriaged.group, WaitGroup::kPriority);
}

TEST(WaitLogTest, GivesNoEstimateFromTooFewPatientsOrOldWaits) {
  WaitLog log;
  const WaitPolicy policy{.window_days = 90, .min_patients = 3};
  AddWait(log, "a", 0, 5);
  AddWait(log, "b", 0, 6);
  WaitEstimate few = log.Estimate(Tier::kTier1, Priority::kRoutine, "east-oxford", Day(7), policy);
  EXPECT_FALSE(few.group);
  EXPECT_EQ(few.patients, 2);
  AddWait(log, "c", 0, 7);
  EXPECT_TRUE(log.Estimate(Tier::kTier1, Priority::kRoutine, "east-oxford", Day(8), policy).group);
  // 90 days after the last first appointment none of them is recent.
  EXPECT_FALSE(
      log.Estimate(Tier::kTier1, Priority::kRoutine, "east-oxford", Day(97), policy).group);
}

}  // namespace
}  // namespace tendon
