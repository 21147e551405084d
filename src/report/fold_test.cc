#include "report/fold.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tendon::report {
namespace {

using namespace date::literals;
using E = EventType;
using S = ReferralState;

// 2026-01-05 is a Monday, midnight UTC (and London: GMT).
const Instant kStart = Instant(date::sys_days(2026_y / 1 / 5));

Instant Day(double days) {
  return kStart + std::chrono::milliseconds(static_cast<std::int64_t>(days * 86'400'000.0));
}

PathwayEvent Event(std::string referral, E type, S state, double day) {
  PathwayEvent e;
  e.referral_id = std::move(referral);
  e.patient_key = "p";
  e.type = type;
  e.state_after = state;
  e.occurred_at = Day(day);
  e.recorded_at = e.occurred_at;
  e.actor = "test";
  return e;
}

PathwayEvent Attended(std::string referral, double day, Tier tier, Priority priority,
                      std::string site = "east-oxford") {
  PathwayEvent e = Event(std::move(referral), E::kAppointmentAttended, S::kInTreatment, day);
  e.tier = tier;
  e.priority = priority;
  e.site = std::move(site);
  return e;
}

FoldOptions Options() {
  FoldOptions options;
  options.start = kStart;
  options.sites = {{"east-oxford", 10}, {"banbury", 4}};
  return options;
}

void AddAll(Fold& fold, const std::vector<PathwayEvent>& events) {
  for (const PathwayEvent& e : events) ASSERT_TRUE(fold.Add(e).ok()) << e.referral_id;
}

TEST(FoldTest, WaitRunsFromReferralToFirstAttendance) {
  Fold fold(Options());
  AddAll(fold, {
                   Event("r1", E::kReferralReceived, S::kAwaitingTriage, 1),
                   Event("r1", E::kTriageCompleted, S::kTriaged, 2),
                   Event("r1", E::kAppointmentBooked, S::kBooked, 3),
                   Attended("r1", 11, Tier::kTier1, Priority::kRoutine),
                   Attended("r1", 25, Tier::kTier1, Priority::kRoutine),  // A follow-up.
               });
  FoldResults r = fold.Results(Day(28));
  EXPECT_EQ(r.referrals, 1);
  EXPECT_EQ(r.seen, 1);
  EXPECT_EQ(r.all.count, 1);
  EXPECT_DOUBLE_EQ(r.all.mean_days, 10);
  EXPECT_DOUBLE_EQ(r.all.median_days, 10);
  EXPECT_EQ(r.by_tier[0].count, 1);
  EXPECT_EQ(r.by_tier[1].count, 0);
  EXPECT_EQ(r.by_tier_priority[0][static_cast<int>(Priority::kRoutine)].count, 1);
  EXPECT_EQ(r.appointments, 2);
}

TEST(FoldTest, MeanMedianAndNinetiethPercentileByTierAndPriority) {
  Fold fold(Options());
  // Tier 2 routine waits of 1, 2, 3, 4 and 20 days; one tier 1 urgent wait of 5 days.
  const std::vector<double> waits{1, 2, 3, 4, 20};
  for (std::size_t i = 0; i < waits.size(); ++i) {
    AddAll(fold, {Event("r" + std::to_string(i), E::kReferralReceived, S::kAwaitingTriage, 0)});
  }
  AddAll(fold, {Event("u", E::kReferralReceived, S::kAwaitingTriage, 0)});
  for (std::size_t i = 0; i < waits.size(); ++i) {
    AddAll(fold, {Attended("r" + std::to_string(i), waits[i], Tier::kTier2, Priority::kRoutine)});
  }
  AddAll(fold, {Attended("u", 5, Tier::kTier1, Priority::kUrgent)});
  FoldResults r = fold.Results(Day(30));
  const WaitFigures& tier2 = r.by_tier[1];
  EXPECT_EQ(tier2.count, 5);
  EXPECT_DOUBLE_EQ(tier2.mean_days, 6);
  EXPECT_DOUBLE_EQ(tier2.median_days, 3);
  EXPECT_DOUBLE_EQ(tier2.p90_days, 20);  // Nearest rank: ceil(0.9 * 5) = 5th.
  EXPECT_EQ(r.by_priority[static_cast<int>(Priority::kUrgent)].count, 1);
  EXPECT_DOUBLE_EQ(r.by_priority[static_cast<int>(Priority::kUrgent)].mean_days, 5);
  EXPECT_EQ(r.all.count, 6);
  EXPECT_DOUBLE_EQ(r.all.mean_days, 35.0 / 6);
  EXPECT_DOUBLE_EQ(r.all.median_days, 3);  // ceil(0.5 * 6) = 3rd of 1, 2, 3, 4, 5, 20.
}

TEST(FoldTest, SharesSeenWithinSixAndEighteenWeeks) {
  Fold fold(Options());
  const std::vector<double> waits{10, 42, 43, 126, 127};
  for (std::size_t i = 0; i < waits.size(); ++i) {
    AddAll(fold, {Event("r" + std::to_string(i), E::kReferralReceived, S::kAwaitingTriage, 0),
                  Attended("r" + std::to_string(i), waits[i], Tier::kTier1, Priority::kRoutine)});
  }
  FoldResults r = fold.Results(Day(130));
  EXPECT_DOUBLE_EQ(r.all.within_6_weeks, 2.0 / 5);   // 10 and 42 days.
  EXPECT_DOUBLE_EQ(r.all.within_18_weeks, 4.0 / 5);  // All but 127 days.
}

TEST(FoldTest, WaitingListWeekByWeek) {
  Fold fold(Options());
  AddAll(fold, {
                   Event("a", E::kReferralReceived, S::kAwaitingTriage, 1),
                   Event("b", E::kReferralReceived, S::kAwaitingTriage, 3),
                   Attended("a", 10, Tier::kTier1, Priority::kRoutine),
                   // b is discharged at triage: it leaves the list unseen.
                   Event("b", E::kTriageCompleted, S::kDischarged, 12),
               });
  FoldResults r = fold.Results(Day(14));
  ASSERT_EQ(r.weeks.size(), 2u);
  EXPECT_EQ(r.weeks[0].list_at_end, 2);
  EXPECT_DOUBLE_EQ(r.weeks[0].list_mean, (6.0 + 4.0) / 7);  // a from day 1, b from day 3.
  EXPECT_EQ(r.weeks[0].referrals, 2);
  EXPECT_EQ(r.weeks[1].list_at_end, 0);
  EXPECT_DOUBLE_EQ(r.weeks[1].list_mean, (3.0 + 5.0) / 7);  // a to day 10, b to day 12.
  EXPECT_EQ(r.weeks[1].first_seen, 1);
  EXPECT_EQ(r.left_unseen, 1);
  EXPECT_EQ(r.waiting_now, 0);
  // Little's law over the fortnight: 2 arrivals, 9 days each on the list.
  EXPECT_DOUBLE_EQ(r.list_time_average, 18.0 / 14);
  EXPECT_DOUBLE_EQ(r.list_arrivals_per_day, 2.0 / 14);
  EXPECT_DOUBLE_EQ(r.list_mean_days, 9);
  EXPECT_DOUBLE_EQ(r.list_time_average, r.list_arrivals_per_day * r.list_mean_days);
}

TEST(FoldTest, ResultsLeaveTheFoldUnchanged) {
  Fold fold(Options());
  AddAll(fold, {Event("a", E::kReferralReceived, S::kAwaitingTriage, 1)});
  FoldResults early = fold.Results(Day(20));
  EXPECT_EQ(early.weeks.size(), 3u);
  EXPECT_EQ(early.waiting_now, 1);
  AddAll(fold, {Attended("a", 5, Tier::kTier1, Priority::kRoutine)});
  FoldResults later = fold.Results(Day(7));
  EXPECT_EQ(later.weeks.size(), 1u);
  EXPECT_EQ(later.waiting_now, 0);
  EXPECT_DOUBLE_EQ(later.weeks[0].list_mean, 4.0 / 7);
}

TEST(FoldTest, UtilisationPerSite) {
  Fold fold(Options());
  for (int i = 0; i < 5; ++i) {
    const std::string id = "r" + std::to_string(i);
    AddAll(fold, {Event(id, E::kReferralReceived, S::kAwaitingTriage, 0),
                  Attended(id, 2 + i, Tier::kTier1, Priority::kRoutine)});
  }
  PathwayEvent dna = Event("r0", E::kAppointmentDna, S::kInTreatment, 9);
  dna.site = "banbury";
  PathwayEvent elsewhere = Attended("r1", 10, Tier::kTier1, Priority::kRoutine, "nowhere");
  AddAll(fold, {dna, elsewhere});
  FoldResults r = fold.Results(Day(14));
  ASSERT_EQ(r.sites.size(), 2u);
  EXPECT_EQ(r.sites[0].site_id, "east-oxford");
  EXPECT_EQ(r.sites[0].appointments, 5);
  EXPECT_DOUBLE_EQ(r.sites[0].capacity, 20);
  EXPECT_DOUBLE_EQ(r.sites[0].utilisation, 0.25);
  EXPECT_EQ(r.sites[1].appointments, 1);
  EXPECT_DOUBLE_EQ(r.sites[1].utilisation, 1.0 / 8);
  EXPECT_EQ(r.appointments, 7);
}

TEST(FoldTest, TransferWaitsFromWaitingSinceAndSkipsThoseInTreatment) {
  Fold fold(Options());
  PathwayEvent waiting = Event("t1", E::kTransferImported, S::kWaitingToBook, 0);
  waiting.payload = R"({"list":"legacy","waiting_since":"2025-12-29T00:00:00Z"})";
  PathwayEvent treating = Event("t2", E::kTransferImported, S::kInTreatment, 0);
  treating.payload = R"({"list":"legacy"})";
  AddAll(fold, {waiting, treating, Attended("t1", 3, Tier::kTier1, Priority::kRoutine),
                Attended("t2", 4, Tier::kTier1, Priority::kRoutine)});
  FoldResults r = fold.Results(Day(7));
  EXPECT_EQ(r.referrals, 2);
  EXPECT_EQ(r.all.count, 1);
  EXPECT_DOUBLE_EQ(r.all.mean_days, 10);  // Seven days before the import, three after.
  EXPECT_DOUBLE_EQ(r.list_time_average, 3.0 / 7);
}

TEST(FoldTest, RefusesAnUnreadableWaitingSinceAndChangesNothing) {
  Fold fold(Options());
  PathwayEvent bad = Event("t1", E::kTransferImported, S::kWaitingToBook, 0);
  bad.payload = R"({"list":"legacy","waiting_since":"last week"})";
  Status status = fold.Add(bad);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.field(), "payload");
  EXPECT_EQ(fold.Results(Day(7)).referrals, 0);
}

TEST(FoldTest, ReferralsPerLondonMonth) {
  Fold fold(Options());
  PathwayEvent jan = Event("a", E::kReferralReceived, S::kAwaitingTriage, 1);
  PathwayEvent march = Event("b", E::kReferralReceived, S::kAwaitingTriage, 0);
  march.occurred_at = *ParseInstant("2026-03-31T12:00:00Z");
  // 23:30 UTC on 31 March is 00:30 BST on 1 April in London.
  PathwayEvent april = Event("c", E::kReferralReceived, S::kAwaitingTriage, 0);
  april.occurred_at = *ParseInstant("2026-03-31T23:30:00Z");
  PathwayEvent april2 = Event("d", E::kReferralReceived, S::kAwaitingTriage, 0);
  april2.occurred_at = *ParseInstant("2026-04-02T09:00:00Z");
  AddAll(fold, {jan, march, april, april2});
  FoldResults r = fold.Results(Day(100));
  ASSERT_EQ(r.referrals_per_month.size(), 3u);
  EXPECT_EQ(r.referrals_per_month[0].month, "2026-01");
  EXPECT_EQ(r.referrals_per_month[1].month, "2026-03");
  EXPECT_EQ(r.referrals_per_month[1].referrals, 1);
  EXPECT_EQ(r.referrals_per_month[2].month, "2026-04");
  EXPECT_EQ(r.referrals_per_month[2].referrals, 2);
}

TEST(FoldTest, AReferralFromBeforeTheStartWaitsOnTheListButIsNotCounted) {
  Fold fold(Options());
  PathwayEvent earlier = Event("old", E::kReferralReceived, S::kAwaitingTriage, 0);
  earlier.occurred_at = kStart - std::chrono::days(3);
  AddAll(fold, {earlier, Event("new", E::kReferralReceived, S::kAwaitingTriage, 1),
                Attended("old", 2, Tier::kTier1, Priority::kRoutine)});
  FoldResults r = fold.Results(Day(7));
  EXPECT_EQ(r.referrals, 1);
  EXPECT_EQ(r.weeks[0].referrals, 1);
  ASSERT_EQ(r.referrals_per_month.size(), 1u);
  EXPECT_EQ(r.referrals_per_month[0].referrals, 1);
  EXPECT_EQ(r.all.count, 1);
  EXPECT_DOUBLE_EQ(r.all.mean_days, 5);             // Three days before the start, two after.
  EXPECT_DOUBLE_EQ(r.weeks[0].list_mean, 8.0 / 7);  // Old from the start to day 2, new from day 1.
}

TEST(FoldTest, CompactEventsGiveTheSameFiguresAsLiveOnes) {
  Fold live(Options());
  Fold compact(Options());
  AddAll(live, {Event("a", E::kReferralReceived, S::kAwaitingTriage, 1),
                Attended("a", 8.5, Tier::kTier2, Priority::kUrgent, "banbury")});
  const auto ms = [](double day) { return ToUnixMillis(Day(day)); };
  FoldEvent open{E::kReferralReceived, S::kAwaitingTriage, 7, ms(1), ms(1), -1, -1,
                 Priority::kRoutine};
  FoldEvent seen{E::kAppointmentAttended, S::kInTreatment, 7, ms(8.5), 0, 1, 1, Priority::kUrgent};
  compact.Add(open);
  compact.Add(seen);
  FoldResults a = live.Results(Day(14));
  FoldResults b = compact.Results(Day(14));
  EXPECT_DOUBLE_EQ(a.by_tier_priority[1][1].mean_days, 7.5);
  EXPECT_DOUBLE_EQ(b.by_tier_priority[1][1].mean_days, 7.5);
  EXPECT_EQ(a.sites[1].appointments, b.sites[1].appointments);
  EXPECT_DOUBLE_EQ(a.list_time_average, b.list_time_average);
}

}  // namespace
}  // namespace tendon::report
