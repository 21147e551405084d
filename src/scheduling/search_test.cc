#include "scheduling/search.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "core/london_time.h"
#include "scheduling/geo.h"

namespace tendon::scheduling {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAreArray;
using namespace date::literals;
using std::chrono::minutes;

constexpr LatLon kOxford{51.752, -1.2577};
constexpr LatLon kBanbury{52.0629, -1.3398};
constexpr LatLon kWitney{51.785, -1.485};
constexpr Origin kFromBanbury{52.06, -1.34, true};

Instant At(std::string_view utc) {
  StatusOr<Instant> t = ParseInstant(utc);
  EXPECT_TRUE(t.ok()) << utc;
  return t.ok() ? *t : Instant{};
}

// A free, open, face-to-face 30-minute new-patient slot.
Slot MakeSlot(std::string id, std::string_view start_utc, std::string site = "oxford",
              std::string clinician = "c-spine") {
  Slot slot;
  slot.id = std::move(id);
  slot.template_id = "t";
  slot.clinician_id = std::move(clinician);
  slot.site_id = std::move(site);
  slot.start = At(start_utc);
  slot.end = slot.start + minutes(30);
  return slot;
}

std::vector<std::string> Ids(const std::vector<Candidate>& found) {
  std::vector<std::string> ids;
  for (const Candidate& c : found) ids.push_back(c.slot.id);
  return ids;
}

const SiteLocations& Sites() {
  static const SiteLocations sites = {
      {"oxford", kOxford}, {"banbury", kBanbury}, {"witney", kWitney}};
  return sites;
}

const ClinicianSkills& Skills() {
  static const ClinicianSkills skills = {
      {"c-spine", {"spine"}},
      {"c-hand", {"hand", "injection"}},
  };
  return skills;
}

// Now: Monday 1 June 2026, 07:00 UTC (08:00 BST).
const Instant kNow = At("2026-06-01T07:00:00Z");

// A week of slots in start order, each differing from a plain slot in one way.
std::vector<Slot> Week() {
  std::vector<Slot> slots;
  slots.push_back(MakeSlot("past", "2026-06-01T06:30:00Z"));
  slots.push_back(MakeSlot("at-now", "2026-06-01T07:00:00Z"));
  slots.push_back(MakeSlot("mon-oxford", "2026-06-01T08:00:00Z"));
  slots.push_back(MakeSlot("mon-full", "2026-06-01T08:30:00Z"));
  slots.back().booked = 1;
  slots.push_back(MakeSlot("mon-cancelled", "2026-06-01T09:00:00Z"));
  slots.back().cancelled = true;
  slots.push_back(MakeSlot("mon-hand", "2026-06-01T09:30:00Z", "oxford", "c-hand"));
  slots.push_back(MakeSlot("tue-witney", "2026-06-02T08:00:00Z", "witney"));
  slots.push_back(MakeSlot("tue-phone", "2026-06-02T08:30:00Z", "oxford"));
  slots.back().modality = Modality::kTelephone;
  slots.push_back(MakeSlot("tue-followup", "2026-06-02T09:00:00Z"));
  slots.back().type = SlotType::kFollowUp;
  slots.push_back(MakeSlot("wed-postop", "2026-06-03T08:00:00Z", "banbury"));
  slots.back().ringfence = Ringfence::kPostOp;
  slots.back().opens_to_all_at = At("2026-06-02T08:00:00Z");
  slots.push_back(MakeSlot("wed-banbury-late", "2026-06-03T16:00:00Z", "banbury"));
  slots.push_back(MakeSlot("thu-group", "2026-06-04T08:00:00Z", "witney"));
  slots.back().type = SlotType::kGroup;
  slots.back().capacity = 8;
  slots.back().booked = 7;
  slots.push_back(MakeSlot("fri-unknown-site", "2026-06-05T08:00:00Z", "nowhere"));
  slots.push_back(MakeSlot("fri-banbury", "2026-06-05T09:00:00Z", "banbury"));
  return slots;
}

std::vector<Candidate> Earliest(const std::vector<Slot>& slots, const Need& need,
                                const Preferences& prefs, std::size_t limit = 100,
                                Instant now = kNow) {
  return SearchSlots(slots, need, prefs, kFromBanbury, Sites(), Skills(), now, limit);
}

TEST(SearchTest, EarliestFirstSkipsStartedFullAndCancelledSlots) {
  const std::vector<Slot> slots = Week();
  EXPECT_THAT(Ids(Earliest(slots, Need{}, Preferences{})),
              ElementsAre("mon-oxford", "mon-hand", "tue-witney", "tue-phone", "wed-banbury-late",
                          "fri-unknown-site", "fri-banbury"));
  EXPECT_THAT(Ids(Earliest(slots, Need{}, Preferences{}, 2)),
              ElementsAre("mon-oxford", "mon-hand"));
  EXPECT_THAT(Earliest(slots, Need{}, Preferences{}, 0), IsEmpty());
  EXPECT_THAT(Earliest(slots, Need{}, Preferences{}, 5, At("2026-06-06T00:00:00Z")), IsEmpty());
}

TEST(SearchTest, CandidatesCarryTheirDistance) {
  const std::vector<Candidate> found = Earliest(Week(), Need{}, Preferences{});
  ASSERT_EQ(found.size(), 7u);
  ASSERT_TRUE(found[0].distance_km.has_value());
  EXPECT_NEAR(*found[0].distance_km, 35.0, 1.0);  // Banbury to Oxford.
  EXPECT_FALSE(found[5].distance_km.has_value()) << "a site without coordinates";
  ASSERT_TRUE(found[6].distance_km.has_value());
  EXPECT_LT(*found[6].distance_km, 1.0);

  const std::vector<Candidate> anywhere =
      SearchSlots(Week(), Need{}, Preferences{}, Origin{}, Sites(), Skills(), kNow, 10);
  ASSERT_FALSE(anywhere.empty());
  for (const Candidate& c : anywhere) EXPECT_FALSE(c.distance_km.has_value()) << c.slot.id;
}

struct FilterCase {
  std::string name;
  std::function<void(Need&, Preferences&)> change;
  std::vector<std::string> ids;
};

TEST(SearchTest, FiltersByNeedAndPreferences) {
  const std::vector<FilterCase> cases = {
      {"skill", [](Need& n, Preferences&) { n.skill = "hand"; }, {"mon-hand"}},
      {"skill nobody has", [](Need& n, Preferences&) { n.skill = "podiatry"; }, {}},
      {"modality", [](Need& n, Preferences&) { n.modality = Modality::kTelephone; }, {"tue-phone"}},
      {"type", [](Need& n, Preferences&) { n.type = SlotType::kFollowUp; }, {"tue-followup"}},
      {"group with a place left",
       [](Need& n, Preferences&) { n.type = SlotType::kGroup; },
       {"thu-group"}},
      {"post-op patient sees the ring-fenced slot",
       [](Need& n, Preferences&) { n.priority = Priority::kPostOp; },
       {"mon-oxford", "mon-hand", "tue-witney", "tue-phone", "wed-postop", "wed-banbury-late",
        "fri-unknown-site", "fri-banbury"}},
      {"sites",
       [](Need&, Preferences& p) {
         p.sites = {"banbury", "witney"};
       },
       {"tue-witney", "wed-banbury-late", "fri-banbury"}},
      {"weekdays (London)",
       [](Need&, Preferences& p) {
         p.weekdays = {2, 5};
       },
       {"tue-witney", "tue-phone", "fri-unknown-site", "fri-banbury"}},
      // Slots are 09:00-09:30 BST and so on; the window is London wall clock.
      {"mornings from 09:30",
       [](Need&, Preferences& p) {
         p.earliest_minute = 9 * 60 + 30;
         p.latest_minute = 12 * 60;
       },
       {"mon-hand", "tue-phone", "fri-banbury"}},
      {"must end by 09:30",
       [](Need&, Preferences& p) { p.latest_minute = 9 * 60 + 30; },
       {"mon-oxford", "tue-witney", "fri-unknown-site"}},
      {"evenings",
       [](Need&, Preferences& p) { p.earliest_minute = 17 * 60; },
       {"wed-banbury-late"}},
      {"modalities",
       [](Need&, Preferences& p) {
         p.modalities = {Modality::kVideo, Modality::kTelephone};
       },
       {"tue-phone"}},
      // From Banbury, Witney is about 32 km and Oxford about 35 km; the telephone slot is never too
      // far, and a site without coordinates cannot be judged.
      {"within 10 km",
       [](Need&, Preferences& p) { p.max_km = 10; },
       {"tue-phone", "wed-banbury-late", "fri-unknown-site", "fri-banbury"}},
      {"within 33 km (Witney, not Oxford)",
       [](Need&, Preferences& p) { p.max_km = 33; },
       {"tue-witney", "tue-phone", "wed-banbury-late", "fri-unknown-site", "fri-banbury"}},
  };
  const std::vector<Slot> slots = Week();
  for (const FilterCase& c : cases) {
    Need need;
    Preferences prefs;
    c.change(need, prefs);
    EXPECT_THAT(Ids(Earliest(slots, need, prefs)), ElementsAreArray(c.ids)) << c.name;
  }
}

TEST(SearchTest, MaxKmIsIgnoredWhenThePatientsPlaceIsUnknown) {
  Preferences prefs;
  prefs.max_km = 1;
  EXPECT_EQ(SearchSlots(Week(), Need{}, prefs, Origin{}, Sites(), Skills(), kNow, 100).size(), 7u);
}

TEST(SearchTest, NearestFirstTiesByStartAndUnknownDistancesLast) {
  const std::vector<Slot> slots = Week();
  const auto nearest = [&](const Origin& origin, std::size_t limit) {
    return Ids(
        SearchNearestSlots(slots, Need{}, Preferences{}, origin, Sites(), Skills(), kNow, limit));
  };
  EXPECT_THAT(nearest(kFromBanbury, 100),
              ElementsAre("wed-banbury-late", "fri-banbury", "tue-witney", "mon-oxford", "mon-hand",
                          "tue-phone", "fri-unknown-site"));
  EXPECT_THAT(nearest(kFromBanbury, 3),
              ElementsAre("wed-banbury-late", "fri-banbury", "tue-witney"));
  EXPECT_THAT(nearest(Origin{kWitney.lat, kWitney.lon, true}, 2),
              ElementsAre("tue-witney", "mon-oxford"));
  // Nowhere to measure from: earliest first.
  EXPECT_THAT(nearest(Origin{}, 3), ElementsAre("mon-oxford", "mon-hand", "tue-witney"));
  EXPECT_THAT(nearest(kFromBanbury, 0), IsEmpty());
}

// Nearest search over many random slots agrees with sorting every match.
TEST(SearchTest, NearestAgreesWithAFullSortOnManySlots) {
  std::mt19937 random(20260601);
  const std::vector<std::string> sites = {"oxford", "banbury", "witney", "nowhere"};
  std::vector<Slot> slots;
  Instant start = At("2026-06-01T06:00:00Z");
  for (int i = 0; i < 20000; ++i) {
    start += minutes(random() % 3 * 15);  // Some slots share a start.
    Slot slot = MakeSlot("s" + std::to_string(i), "2026-06-01T06:00:00Z", sites[random() % 4]);
    slot.start = start;
    slot.end = start + minutes(30);
    slot.booked = random() % 5 == 0 ? 1 : 0;
    slots.push_back(slot);
  }
  const std::vector<Candidate> all = SearchSlots(slots, Need{}, Preferences{}, kFromBanbury,
                                                 Sites(), Skills(), kNow, slots.size());
  std::vector<Candidate> sorted = all;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Candidate& a, const Candidate& b) {
    return std::make_tuple(!a.distance_km, a.distance_km.value_or(0), a.slot.start) <
           std::make_tuple(!b.distance_km, b.distance_km.value_or(0), b.slot.start);
  });
  sorted.resize(50);
  EXPECT_THAT(Ids(SearchNearestSlots(slots, Need{}, Preferences{}, kFromBanbury, Sites(), Skills(),
                                     kNow, 50)),
              ElementsAreArray(Ids(sorted)));
}

struct PreferencesCase {
  std::string name;
  std::function<void(Preferences&)> change;
  std::string field;  // Empty: valid.
};

TEST(SearchTest, CheckPreferencesNamesTheBadField) {
  const std::vector<PreferencesCase> cases = {
      {"defaults", [](Preferences&) {}, ""},
      {"Sunday", [](Preferences& p) { p.weekdays = {7}; }, ""},
      {"day eight", [](Preferences& p) { p.weekdays = {8}; }, "weekdays"},
      {"negative earliest", [](Preferences& p) { p.earliest_minute = -1; }, "earliest_minute"},
      {"latest past midnight", [](Preferences& p) { p.latest_minute = 1441; }, "latest_minute"},
      {"empty window",
       [](Preferences& p) {
         p.earliest_minute = 600;
         p.latest_minute = 600;
       },
       "latest_minute"},
      {"negative distance", [](Preferences& p) { p.max_km = -1; }, "max_km"},
  };
  for (const PreferencesCase& c : cases) {
    Preferences prefs;
    c.change(prefs);
    const Status status = CheckPreferences(prefs);
    if (c.field.empty()) {
      EXPECT_TRUE(status.ok()) << c.name << ": " << status.ToString();
    } else {
      EXPECT_EQ(status.field(), c.field) << c.name << ": " << status.ToString();
    }
  }
}

struct NextCase {
  std::string name;
  std::string now;
  std::function<void(std::vector<Slot>&)> change;
  std::optional<int> working_days;
  Priority priority = Priority::kRoutine;
};

TEST(SearchTest, NextAvailableCountsWorkingDays) {
  // Friday 29 May 2026 (the Monday before, 25 May, was a bank holiday) to Tuesday 2 June.
  const WorkingCalendar calendar({2026_y / 5 / 25});
  const auto base = [] {
    std::vector<Slot> slots;
    slots.push_back(MakeSlot("fri-morning", "2026-05-29T08:00:00Z"));
    slots.push_back(MakeSlot("fri-afternoon", "2026-05-29T14:00:00Z"));
    slots.push_back(MakeSlot("mon", "2026-06-01T08:00:00Z"));
    slots.push_back(MakeSlot("tue", "2026-06-02T08:00:00Z"));
    return slots;
  };
  const auto same = [](std::vector<Slot>&) {};
  const std::vector<NextCase> cases = {
      {"later the same day", "2026-05-29T09:00:00Z", same, 0},
      {"over the weekend", "2026-05-29T15:00:00Z", same, 1},
      {"from Saturday", "2026-05-30T10:00:00Z", same, 1},
      {"Monday full", "2026-05-29T15:00:00Z", [](auto& s) { s[2].booked = 1; }, 2},
      {"Monday cancelled", "2026-05-29T15:00:00Z", [](auto& s) { s[2].cancelled = true; }, 2},
      {"Monday by telephone only", "2026-05-29T15:00:00Z",
       [](auto& s) { s[2].modality = Modality::kTelephone; }, 2},
      {"Monday ring-fenced", "2026-05-29T15:00:00Z",
       [](auto& s) {
         s[2].ringfence = Ringfence::kUrgent;
         s[2].opens_to_all_at = s[2].start;
       },
       2},
      {"Monday ring-fenced, urgent patient", "2026-05-29T15:00:00Z",
       [](auto& s) {
         s[2].ringfence = Ringfence::kUrgent;
         s[2].opens_to_all_at = s[2].start;
       },
       1, Priority::kUrgent},
      {"across the bank holiday", "2026-05-22T15:00:00Z", same, 4},
      {"nothing left", "2026-06-02T09:00:00Z", same, std::nullopt},
  };
  for (const NextCase& c : cases) {
    std::vector<Slot> slots = base();
    c.change(slots);
    EXPECT_EQ(NextAvailableWorkingDays(slots, SlotType::kNew, Modality::kFaceToFace, At(c.now),
                                       calendar, c.priority),
              c.working_days)
        << c.name;
  }
  EXPECT_EQ(NextAvailableWorkingDays(base(), SlotType::kInjection, Modality::kFaceToFace,
                                     At("2026-05-29T07:00:00Z"), calendar),
            std::nullopt);
}

}  // namespace
}  // namespace tendon::scheduling
