#include "scheduling/allocate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace tendon::scheduling {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr LatLon kOxford{51.752, -1.2577};
constexpr LatLon kBanbury{52.0629, -1.3398};
constexpr LatLon kWitney{51.785, -1.485};
constexpr Origin kInBanbury{52.06, -1.34, true};
constexpr Origin kInWitney{51.78, -1.48, true};

Instant At(std::string_view utc) {
  StatusOr<Instant> t = ParseInstant(utc);
  EXPECT_TRUE(t.ok()) << utc;
  return t.ok() ? *t : Instant{};
}

// Now: Monday 1 June 2026, 07:00 UTC (08:00 BST).
const Instant kNow = At("2026-06-01T07:00:00Z");

const SiteLocations& Sites() {
  static const SiteLocations sites = {
      {"oxford", kOxford}, {"banbury", kBanbury}, {"witney", kWitney}};
  return sites;
}

const ClinicianSkills& Skills() {
  static const ClinicianSkills skills = {{"c-physio", {"physiotherapy"}},
                                         {"c-spine", {"physiotherapy", "spinal"}}};
  return skills;
}

// A free, open, face-to-face 30-minute new-patient slot with the physiotherapist.
Slot MakeSlot(std::string id, std::string_view start_utc, std::string site = "oxford",
              std::string clinician = "c-physio") {
  Slot slot;
  slot.id = std::move(id);
  slot.template_id = "t";
  slot.clinician_id = std::move(clinician);
  slot.site_id = std::move(site);
  slot.start = At(start_utc);
  slot.end = slot.start + minutes(30);
  return slot;
}

// A routine physiotherapy referral from Banbury that joined the list `days_waiting` days before
// now.
WaitingEntry MakeEntry(std::string id, int days_waiting, Priority priority = Priority::kRoutine) {
  WaitingEntry e;
  e.referral_id = std::move(id);
  e.need.type = SlotType::kNew;
  e.need.modality = Modality::kFaceToFace;
  e.need.skill = "physiotherapy";
  e.need.priority = priority;
  e.waiting_since = kNow - date::days(days_waiting);
  e.origin = kInBanbury;
  return e;
}

// "referral id -> slot id" for each proposal, in the order served.
std::vector<std::string> Pairs(const std::vector<WaitingEntry>& entries, const Allocation& a) {
  std::vector<std::string> pairs;
  for (const Proposal& p : a.proposals) {
    pairs.push_back(entries[p.entry].referral_id + "->" + p.slot.id);
  }
  return pairs;
}

Allocation Ours(const std::vector<WaitingEntry>& entries, const std::vector<Slot>& slots,
                AllocationOptions options = {}, Instant now = kNow) {
  return Allocate(entries, slots, Sites(), Skills(), now, options);
}

Allocation RunFcfs(const std::vector<WaitingEntry>& entries, const std::vector<Slot>& slots,
                   AllocationOptions options = {}) {
  return AllocateFirstComeFirstServed(entries, slots, Sites(), Skills(), kNow, options);
}

TEST(AllocateTest, PriorityComesBeforeTheLongestWait) {
  const std::vector<Slot> slots = {MakeSlot("mon", "2026-06-01T08:00:00Z", "banbury"),
                                   MakeSlot("tue", "2026-06-02T08:00:00Z", "banbury")};
  const std::vector<WaitingEntry> entries = {MakeEntry("routine-old", 40),
                                             MakeEntry("urgent-new", 1, Priority::kUrgent),
                                             MakeEntry("post-op", 2, Priority::kPostOp)};
  EXPECT_THAT(Pairs(entries, Ours(entries, slots)), ElementsAre("urgent-new->mon", "post-op->tue"));
  const Allocation fcfs = RunFcfs(entries, slots);
  EXPECT_THAT(Pairs(entries, fcfs), ElementsAre("routine-old->mon", "post-op->tue"));
  ASSERT_EQ(fcfs.unplaced.size(), 1u);
  EXPECT_EQ(entries[fcfs.unplaced[0].entry].referral_id, "urgent-new");
  EXPECT_EQ(fcfs.unplaced[0].reason, UnplacedReason::kNoSlot);
}

TEST(AllocateTest, WithinAPriorityRebookFirstThenTheLongestWait) {
  const std::vector<Slot> slots = {MakeSlot("mon", "2026-06-01T08:00:00Z", "banbury"),
                                   MakeSlot("tue", "2026-06-02T08:00:00Z", "banbury"),
                                   MakeSlot("wed", "2026-06-03T08:00:00Z", "banbury")};
  std::vector<WaitingEntry> entries = {MakeEntry("waited-10", 10), MakeEntry("waited-30", 30),
                                       MakeEntry("rebook", 2)};
  entries[2].rebook_first = true;
  EXPECT_THAT(Pairs(entries, Ours(entries, slots)),
              ElementsAre("rebook->mon", "waited-30->tue", "waited-10->wed"));
  EXPECT_THAT(Pairs(entries, RunFcfs(entries, slots)),
              ElementsAre("waited-30->mon", "waited-10->tue", "rebook->wed"));
}

TEST(AllocateTest, TheClinicianMustHoldTheSkill) {
  const std::vector<Slot> slots = {
      MakeSlot("mon-physio", "2026-06-01T08:00:00Z", "banbury"),
      MakeSlot("tue-spine", "2026-06-02T08:00:00Z", "banbury", "c-spine"),
      MakeSlot("wed-nobody", "2026-06-03T08:00:00Z", "banbury", "c-unknown")};
  std::vector<WaitingEntry> entries = {MakeEntry("spinal", 5)};
  entries[0].need.skill = "spinal";
  EXPECT_THAT(Pairs(entries, Ours(entries, slots)), ElementsAre("spinal->tue-spine"));
  EXPECT_THAT(Pairs(entries, RunFcfs(entries, slots)), ElementsAre("spinal->tue-spine"));
}

TEST(AllocateTest, TheSlotHasTheNeedsTypeAndModality) {
  std::vector<Slot> slots = {MakeSlot("mon-f2f", "2026-06-01T08:00:00Z", "banbury"),
                             MakeSlot("mon-phone", "2026-06-01T09:00:00Z", "oxford"),
                             MakeSlot("tue-follow-up", "2026-06-02T08:00:00Z", "banbury")};
  slots[1].modality = Modality::kTelephone;
  slots[2].type = SlotType::kFollowUp;
  std::vector<WaitingEntry> entries = {MakeEntry("phone", 5), MakeEntry("follow-up", 4)};
  entries[0].need.modality = Modality::kTelephone;
  entries[1].need.type = SlotType::kFollowUp;
  const Allocation a = Ours(entries, slots);
  EXPECT_THAT(Pairs(entries, a), ElementsAre("phone->mon-phone", "follow-up->tue-follow-up"));
  ASSERT_TRUE(a.proposals[0].travel_km.has_value());
  EXPECT_EQ(*a.proposals[0].travel_km, 0) << "a telephone appointment needs no journey";
}

TEST(AllocateTest, ARingFencedSlotGoesOnlyToThoseItIsKeptForUntilItsEmbargoLifts) {
  std::vector<Slot> slots = {MakeSlot("mon-post-op", "2026-06-01T08:00:00Z", "banbury"),
                             MakeSlot("tue", "2026-06-02T08:00:00Z", "banbury")};
  slots[0].ringfence = Ringfence::kPostOp;
  slots[0].opens_to_all_at = At("2026-06-01T07:30:00Z");
  const std::vector<WaitingEntry> entries = {MakeEntry("routine", 30),
                                             MakeEntry("post-op", 1, Priority::kPostOp)};
  EXPECT_THAT(Pairs(entries, Ours(entries, slots)),
              ElementsAre("post-op->mon-post-op", "routine->tue"));
  const std::vector<WaitingEntry> routine_only = {entries[0]};
  EXPECT_THAT(Pairs(routine_only, Ours(routine_only, slots)), ElementsAre("routine->tue"));
  EXPECT_THAT(Pairs(routine_only, Ours(routine_only, slots, {}, At("2026-06-01T07:45:00Z"))),
              ElementsAre("routine->mon-post-op"))
      << "open to all once the embargo lifts";
}

TEST(AllocateTest, PlacesAreCountedAcrossTheRun) {
  std::vector<Slot> slots = {MakeSlot("mon-class", "2026-06-01T08:00:00Z", "banbury"),
                             MakeSlot("tue-class", "2026-06-02T08:00:00Z", "banbury"),
                             MakeSlot("wed-full", "2026-06-03T08:00:00Z", "banbury")};
  for (Slot& s : slots) {
    s.type = SlotType::kGroup;
    s.capacity = 3;
    s.booked = 1;
  }
  slots[2].booked = 3;
  std::vector<WaitingEntry> entries;
  for (int i = 0; i < 5; ++i) {
    entries.push_back(MakeEntry("r" + std::to_string(i), 10 - i));
    entries.back().need.type = SlotType::kGroup;
  }
  const Allocation a = Ours(entries, slots);
  EXPECT_THAT(Pairs(entries, a),
              ElementsAre("r0->mon-class", "r1->mon-class", "r2->tue-class", "r3->tue-class"));
  ASSERT_EQ(a.unplaced.size(), 1u);
  EXPECT_EQ(entries[a.unplaced[0].entry].referral_id, "r4");
  EXPECT_EQ(a.proposals[1].slot.booked, 2) << "the place proposed to r0 counts";
}

TEST(AllocateTest, NoFaceToFaceSlotBeyondTheTravelLimit) {
  // From Banbury: the Banbury site is under 1 km away, Witney about 32 km, Oxford about 35 km.
  const std::vector<Slot> slots = {MakeSlot("mon-oxford", "2026-06-01T08:00:00Z", "oxford"),
                                   MakeSlot("tue-witney", "2026-06-02T08:00:00Z", "witney"),
                                   MakeSlot("wed-banbury", "2026-06-03T08:00:00Z", "banbury")};
  const std::vector<WaitingEntry> entries = {MakeEntry("from-banbury", 5)};
  const auto placed = [&](double max_km) {
    AllocationOptions options;
    options.max_km = max_km;
    return Pairs(entries, Ours(entries, slots, options));
  };
  EXPECT_THAT(placed(10), ElementsAre("from-banbury->wed-banbury"));
  EXPECT_THAT(placed(33), ElementsAre("from-banbury->tue-witney"));
  EXPECT_THAT(placed(0), ElementsAre("from-banbury->mon-oxford")) << "0: any distance";
  AllocationOptions near;
  near.max_km = 10;
  const Allocation fcfs = RunFcfs(entries, slots, near);
  EXPECT_THAT(Pairs(entries, fcfs), ElementsAre("from-banbury->wed-banbury"));
  ASSERT_TRUE(fcfs.proposals[0].travel_km.has_value());
  EXPECT_LT(*fcfs.proposals[0].travel_km, 1.0);
}

TEST(AllocateTest, UnderALimitAPatientWhosePlaceIsUnknownGetsNoFaceToFaceSlot) {
  std::vector<Slot> slots = {MakeSlot("mon-banbury", "2026-06-01T08:00:00Z", "banbury"),
                             MakeSlot("mon-nowhere", "2026-06-01T08:30:00Z", "nowhere"),
                             MakeSlot("tue-video", "2026-06-02T08:00:00Z", "oxford")};
  slots[2].modality = Modality::kVideo;
  std::vector<WaitingEntry> entries = {MakeEntry("unknown-place", 5), MakeEntry("video", 4),
                                       MakeEntry("from-banbury", 3)};
  entries[0].origin = Origin{};
  entries[1].origin = Origin{};
  entries[1].need.modality = Modality::kVideo;
  const Allocation a = Ours(entries, slots);
  EXPECT_THAT(Pairs(entries, a), ElementsAre("video->tue-video", "from-banbury->mon-banbury"));
  ASSERT_EQ(a.unplaced.size(), 1u);
  EXPECT_EQ(entries[a.unplaced[0].entry].referral_id, "unknown-place");
  EXPECT_EQ(a.unplaced[0].reason, UnplacedReason::kPlaceUnknown);

  AllocationOptions any_distance;
  any_distance.max_km = 0;
  const Allocation anywhere = Ours(entries, slots, any_distance);
  EXPECT_THAT(
      Pairs(entries, anywhere),
      ElementsAre("unknown-place->mon-banbury", "video->tue-video", "from-banbury->mon-nowhere"));
  EXPECT_FALSE(anywhere.proposals[2].travel_km.has_value()) << "a site without coordinates";
}

TEST(AllocateTest, TheNearestSiteWinsOnTheEarliestDayOnly) {
  // From Witney: the Witney site is next door, Oxford about 16 km, Banbury about 32 km.
  const std::vector<Slot> slots = {MakeSlot("mon-banbury", "2026-06-01T08:00:00Z", "banbury"),
                                   MakeSlot("mon-oxford", "2026-06-01T09:00:00Z", "oxford"),
                                   MakeSlot("mon-witney", "2026-06-01T15:00:00Z", "witney"),
                                   MakeSlot("mon-witney-2", "2026-06-01T15:00:00Z", "witney"),
                                   MakeSlot("tue-witney", "2026-06-02T07:00:00Z", "witney")};
  std::vector<WaitingEntry> entries = {MakeEntry("first", 9), MakeEntry("second", 8),
                                       MakeEntry("third", 7), MakeEntry("fourth", 6)};
  for (WaitingEntry& e : entries) e.origin = kInWitney;
  AllocationOptions options;
  options.max_km = 40;
  EXPECT_THAT(Pairs(entries, Ours(entries, slots, options)),
              ElementsAre("first->mon-witney", "second->mon-witney-2", "third->mon-oxford",
                          "fourth->mon-banbury"))
      << "Tuesday's Witney slot is nearer than Monday's Banbury one, but a day later";
  EXPECT_THAT(Pairs(entries, RunFcfs(entries, slots, options)),
              ElementsAre("first->mon-banbury", "second->mon-oxford", "third->mon-witney",
                          "fourth->mon-witney-2"));
}

TEST(AllocateTest, NoSlotBeyondTheHorizonOrAlreadyStarted) {
  const std::vector<Slot> slots = {MakeSlot("started", "2026-06-01T06:30:00Z", "banbury"),
                                   MakeSlot("in-three-weeks", "2026-06-22T08:00:00Z", "banbury")};
  const std::vector<WaitingEntry> entries = {MakeEntry("r", 5)};
  AllocationOptions two_weeks;
  two_weeks.horizon = date::days(14);
  EXPECT_THAT(Ours(entries, slots, two_weeks).proposals, IsEmpty());
  EXPECT_THAT(Pairs(entries, Ours(entries, slots)), ElementsAre("r->in-three-weeks"));
}

TEST(AllocateTest, FiguresCoverPriorityWaitsTravelAndPlaces) {
  std::vector<WaitingEntry> entries = {MakeEntry("urgent", 2, Priority::kUrgent),
                                       MakeEntry("post-op", 4, Priority::kPostOp),
                                       MakeEntry("routine", 10), MakeEntry("unplaced", 1)};
  Allocation a;
  a.proposals.push_back({0, MakeSlot("s1", "2026-06-02T07:00:00Z"), 5.0, 3});
  a.proposals.push_back({1, MakeSlot("s2", "2026-06-03T07:00:00Z"), std::nullopt, 6});
  a.proposals.push_back({2, MakeSlot("s3", "2026-06-04T07:00:00Z"), 0.0, 13});
  a.unplaced.push_back({3, UnplacedReason::kNoSlot});
  const AllocationFigures f = Figures(entries, a);
  EXPECT_EQ(f.waiting, 4);
  EXPECT_EQ(f.placed, 3);
  EXPECT_EQ(f.priority_waiting, 2);
  EXPECT_EQ(f.priority_placed, 2);
  EXPECT_DOUBLE_EQ(f.priority_mean_wait_days, 4.5);
  EXPECT_DOUBLE_EQ(f.priority_p90_wait_days, 6.0);
  EXPECT_DOUBLE_EQ(f.mean_wait_days, 22.0 / 3);
  EXPECT_DOUBLE_EQ(f.travel_km, 5.0);
  EXPECT_EQ(Figures(entries, Allocation{}).priority_mean_wait_days, 0);
}

TEST(AllocateTest, WaitsAreWholeLondonDaysFromJoiningTheList) {
  const std::vector<Slot> slots = {MakeSlot("tue-early", "2026-06-02T07:00:00Z", "banbury"),
                                   MakeSlot("tue-late", "2026-06-02T15:00:00Z", "banbury")};
  std::vector<WaitingEntry> entries = {MakeEntry("late-evening", 0), MakeEntry("three-days", 3)};
  entries[0].waiting_since = At("2026-05-31T22:30:00Z");  // 23:30 BST on Sunday 31 May.
  const Allocation a = Ours(entries, slots);
  ASSERT_EQ(a.proposals.size(), 2u);
  EXPECT_EQ(a.proposals[0].wait_days, 4) << "joined on Friday 29 May, seen on Tuesday 2 June";
  EXPECT_EQ(a.proposals[1].wait_days, 2) << "Sunday 31 May to Tuesday 2 June";
}

// A fortnight of morning clinics at three sites, too few for everyone waiting, and patients from
// all three towns with a fifth of them urgent or post-operative: the allocator must beat
// first-come-first-served on the priority patients' mean wait and on the total journey.
TEST(AllocateTest, BeatsFirstComeFirstServedOnAGeneratedService) {
  std::mt19937 rng(2026);
  const char* sites[] = {"oxford", "banbury", "witney"};
  std::vector<Slot> slots;
  for (int day = 0; day < 14; ++day) {
    const Instant morning = kNow + date::days(day) + hours(1);
    for (int i = 0; i < 6; ++i) {
      for (const char* site : sites) {
        Slot s = MakeSlot(std::string(site) + "-" + std::to_string(day) + "-" + std::to_string(i),
                          "2026-06-01T00:00:00Z", site);
        s.start = morning + minutes(30 * i);
        s.end = s.start + minutes(30);
        slots.push_back(s);
      }
    }
  }
  std::sort(slots.begin(), slots.end(), [](const Slot& a, const Slot& b) {
    return a.start != b.start ? a.start < b.start : a.id < b.id;
  });
  const Origin towns[] = {{51.76, -1.25, true}, kInBanbury, kInWitney};
  std::vector<WaitingEntry> entries;
  for (int i = 0; i < 200; ++i) {
    WaitingEntry e = MakeEntry("r" + std::to_string(i), static_cast<int>(rng() % 60));
    e.need.priority =
        rng() % 5 == 0 ? (rng() % 2 ? Priority::kUrgent : Priority::kPostOp) : Priority::kRoutine;
    e.origin = towns[rng() % 3];
    entries.push_back(e);
  }
  AllocationOptions options;
  options.max_km = 40;
  const AllocationFigures ours = Figures(entries, Ours(entries, slots, options));
  const AllocationFigures fcfs = Figures(entries, RunFcfs(entries, slots, options));
  EXPECT_EQ(ours.placed, fcfs.placed);
  EXPECT_EQ(ours.priority_placed, ours.priority_waiting);
  EXPECT_LT(ours.priority_mean_wait_days, fcfs.priority_mean_wait_days);
  EXPECT_LT(ours.travel_km, fcfs.travel_km);
}

}  // namespace
}  // namespace tendon::scheduling
