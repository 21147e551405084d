#include "scheduling/reconcile.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "scheduling/slots.h"

namespace tendon::scheduling {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using namespace date::literals;

// Monday 7 December 2026, 12:00 UTC: the morning's slots have started, the afternoon's have not.
const Instant kNoon = date::sys_days(2026_y / 12 / 7) + std::chrono::hours(12);

// Mondays 11:00-13:00 in 30-minute slots, so that "now" (noon) falls inside its first Monday.
ClinicTemplate Mondays() {
  ClinicTemplate t;
  t.id = "t1";
  t.clinician_id = "c1";
  t.site_id = "east-oxford";
  t.room_id = "r1";
  t.weekdays = {1};
  t.start_minute = 11 * 60;
  t.end_minute = 13 * 60;
  t.slot_minutes = 30;
  t.valid_from = 2026_y / 1 / 1;
  return t;
}

// Two Mondays of slots: 7 and 14 December 2026 (GMT, so London 11:00 is 11:00 UTC).
std::vector<Slot> Make(const ClinicTemplate& t) {
  StatusOr<std::vector<Slot>> slots =
      GenerateSlots(t, WorkingCalendar(), 2026_y / 12 / 7, 2026_y / 12 / 14);
  EXPECT_TRUE(slots.ok()) << slots.status().ToString();
  return slots.ok() ? *slots : std::vector<Slot>{};
}

std::vector<std::string> Ids(const std::vector<Slot>& slots) {
  std::vector<std::string> ids;
  for (const Slot& s : slots) ids.push_back(s.id);
  return ids;
}

// `stored` as it is once `plan` is applied: cancellations marked, additions stored.
std::vector<Slot> Applied(std::vector<Slot> stored, const SlotPlan& plan) {
  for (Slot& s : stored) {
    if (std::find(plan.to_cancel.begin(), plan.to_cancel.end(), s.id) != plan.to_cancel.end()) {
      s.cancelled = true;
    }
  }
  stored.insert(stored.end(), plan.to_add.begin(), plan.to_add.end());
  return stored;
}

TEST(ReconcileTest, ANewTemplateAddsItsFutureSlotsOnly) {
  const SlotPlan plan = PlanSlots(Make(Mondays()), {}, kNoon);
  // 7 December: 11:00 and 11:30 have started, 12:00 has started at noon; 12:30 has not.
  EXPECT_THAT(Ids(plan.to_add),
              ElementsAre("t1-20261207-1230", "t1-20261214-1100", "t1-20261214-1130",
                          "t1-20261214-1200", "t1-20261214-1230"));
  EXPECT_THAT(plan.to_cancel, IsEmpty());
  EXPECT_EQ(plan.kept, 0);
}

TEST(ReconcileTest, PlanningWhatIsStoredChangesNothing) {
  const std::vector<Slot> stored = Make(Mondays());
  const SlotPlan plan = PlanSlots(stored, stored, kNoon);
  EXPECT_THAT(plan.to_add, IsEmpty());
  EXPECT_THAT(plan.to_cancel, IsEmpty());
  EXPECT_THAT(plan.stranded, IsEmpty());
  EXPECT_EQ(plan.kept, 5);
}

TEST(ReconcileTest, AChangedSessionCancelsTheOldSlotsAndAddsTheNewUnderFreeIds) {
  const std::vector<Slot> stored = Make(Mondays());
  ClinicTemplate longer = Mondays();
  longer.slot_minutes = 60;
  const SlotPlan plan = PlanSlots(Make(longer), stored, kNoon);
  // The 11:00 slot on the 14th changed length: its id is taken, so the new one is "-2".
  EXPECT_THAT(Ids(plan.to_add), ElementsAre("t1-20261214-1100-2", "t1-20261214-1200-2"));
  EXPECT_THAT(plan.to_cancel,
              ElementsAre("t1-20261207-1230", "t1-20261214-1100", "t1-20261214-1130",
                          "t1-20261214-1200", "t1-20261214-1230"));
  EXPECT_EQ(plan.to_add[0].end - plan.to_add[0].start, std::chrono::minutes(60));

  const SlotPlan again = PlanSlots(Make(longer), Applied(stored, plan), kNoon);
  EXPECT_THAT(again.to_add, IsEmpty());
  EXPECT_THAT(again.to_cancel, IsEmpty());
  EXPECT_EQ(again.kept, 2);
}

TEST(ReconcileTest, ABookedSlotIsNeverCancelledAndHoldsBackWhatOverlapsIt) {
  std::vector<Slot> stored = Make(Mondays());
  stored[4].booked = 1;  // 14 December 11:00.
  ClinicTemplate later = Mondays();
  later.start_minute = 11 * 60 + 15;
  later.end_minute = 12 * 60 + 45;
  const SlotPlan plan = PlanSlots(Make(later), stored, kNoon);
  EXPECT_THAT(Ids(plan.stranded), ElementsAre("t1-20261214-1100"));
  EXPECT_EQ(std::count(plan.to_cancel.begin(), plan.to_cancel.end(), "t1-20261214-1100"), 0);
  // On the 14th 11:15 overlaps the booked 11:00-11:30; 11:45 and 12:15 do not.
  EXPECT_EQ(plan.held_back, 1);
  EXPECT_THAT(Ids(plan.to_add),
              ElementsAre("t1-20261207-1215", "t1-20261214-1145", "t1-20261214-1215"));
}

TEST(ReconcileTest, ACancelledSlotTheTemplateStillMakesStaysCancelled) {
  std::vector<Slot> stored = Make(Mondays());
  stored[5].cancelled = true;  // 14 December 11:30: the clinician is away.
  const SlotPlan plan = PlanSlots(Make(Mondays()), stored, kNoon);
  EXPECT_THAT(plan.to_add, IsEmpty());
  EXPECT_THAT(plan.to_cancel, IsEmpty());
  EXPECT_EQ(plan.kept, 4);
  EXPECT_EQ(plan.kept_cancelled, 1);
}

TEST(ReconcileTest, SameSlotComparesTheDiaryPlaceNotTheState) {
  const Slot a = Make(Mondays()).back();
  Slot b = a;
  b.id = "other";
  b.booked = 1;
  b.cancelled = true;
  EXPECT_TRUE(SameSlot(a, b));
  b.ringfence = Ringfence::kPostOp;
  EXPECT_FALSE(SameSlot(a, b));
}

}  // namespace
}  // namespace tendon::scheduling
