#include "scheduling/slots.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "core/london_time.h"
#include "core/source_dir_for_tests.h"

namespace tendon::scheduling {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using namespace date::literals;
using std::chrono::minutes;

constexpr std::string_view kBankHolidays = "data/bank-holidays-england-wales.csv";

// England and Wales, from the real data file.
const WorkingCalendar& Real() {
  static const WorkingCalendar calendar = [] {
    std::ifstream in(SourceDirForTests() / kBankHolidays, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    StatusOr<WorkingCalendar> parsed = WorkingCalendar::Parse(text.str(), kBankHolidays);
    EXPECT_TRUE(parsed.ok()) << parsed.status().ToString() << " (is TENDON_SOURCE_DIR set?)";
    return parsed.ok() ? *parsed : WorkingCalendar();
  }();
  return calendar;
}

Instant At(std::string_view utc) {
  StatusOr<Instant> t = ParseInstant(utc);
  EXPECT_TRUE(t.ok()) << utc;
  return t.ok() ? *t : Instant{};
}

// Mondays to Fridays 09:00-10:00 in 30-minute new-patient slots, valid from 2026.
ClinicTemplate Weekdays() {
  ClinicTemplate t;
  t.id = "t1";
  t.clinician_id = "c1";
  t.site_id = "east-oxford";
  t.room_id = "r1";
  t.weekdays = {1, 2, 3, 4, 5};
  t.start_minute = 9 * 60;
  t.end_minute = 10 * 60;
  t.slot_type = SlotType::kNew;
  t.slot_minutes = 30;
  t.valid_from = 2026_y / 1 / 1;
  return t;
}

std::vector<Slot> Generate(const ClinicTemplate& t, const WorkingCalendar& calendar, Date from,
                           Date to) {
  StatusOr<std::vector<Slot>> slots = GenerateSlots(t, calendar, from, to);
  EXPECT_TRUE(slots.ok()) << slots.status().ToString();
  return slots.ok() ? *slots : std::vector<Slot>{};
}

std::vector<Date> Days(const std::vector<Slot>& slots) {
  std::vector<Date> days;
  for (const Slot& slot : slots) {
    if (days.empty() || days.back() != LondonDate(slot.start))
      days.push_back(LondonDate(slot.start));
  }
  return days;
}

std::vector<std::string> Starts(const std::vector<Slot>& slots) {
  std::vector<std::string> starts;
  for (const Slot& slot : slots) starts.push_back(FormatInstant(slot.start));
  return starts;
}

struct TemplateCase {
  std::string name;
  std::function<void(ClinicTemplate&)> change;
  std::string field;  // Empty: valid.
};

TEST(SlotsTest, CheckTemplateNamesTheBadField) {
  const std::vector<TemplateCase> cases = {
      {"valid", [](ClinicTemplate&) {}, ""},
      {"no id", [](ClinicTemplate& t) { t.id.clear(); }, "id"},
      {"no clinician", [](ClinicTemplate& t) { t.clinician_id.clear(); }, "clinician_id"},
      {"no site", [](ClinicTemplate& t) { t.site_id.clear(); }, "site_id"},
      {"no weekdays", [](ClinicTemplate& t) { t.weekdays.clear(); }, "weekdays"},
      {"Saturday",
       [](ClinicTemplate& t) {
         t.weekdays = {1, 6};
       },
       "weekdays"},
      {"day zero", [](ClinicTemplate& t) { t.weekdays = {0}; }, "weekdays"},
      {"a day twice",
       [](ClinicTemplate& t) {
         t.weekdays = {2, 3, 2};
       },
       "weekdays"},
      {"negative start", [](ClinicTemplate& t) { t.start_minute = -1; }, "start_minute"},
      {"start at midnight next day", [](ClinicTemplate& t) { t.start_minute = 1440; },
       "start_minute"},
      {"end at start", [](ClinicTemplate& t) { t.end_minute = t.start_minute; }, "end_minute"},
      {"end past midnight", [](ClinicTemplate& t) { t.end_minute = 1441; }, "end_minute"},
      {"end at midnight",
       [](ClinicTemplate& t) {
         t.start_minute = 23 * 60;
         t.end_minute = 1440;
       },
       ""},
      {"slot too short", [](ClinicTemplate& t) { t.slot_minutes = 4; }, "slot_minutes"},
      {"slot too long", [](ClinicTemplate& t) { t.slot_minutes = 481; }, "slot_minutes"},
      {"no slot fits", [](ClinicTemplate& t) { t.slot_minutes = 61; }, "slot_minutes"},
      {"exactly one slot fits", [](ClinicTemplate& t) { t.slot_minutes = 60; }, ""},
      {"zero capacity", [](ClinicTemplate& t) { t.capacity = 0; }, "capacity"},
      {"capacity above one for new", [](ClinicTemplate& t) { t.capacity = 2; }, "capacity"},
      {"group class of eight",
       [](ClinicTemplate& t) {
         t.slot_type = SlotType::kGroup;
         t.capacity = 8;
       },
       ""},
      {"negative embargo",
       [](ClinicTemplate& t) {
         t.ringfence = Ringfence::kPostOp;
         t.embargo_working_days = -1;
       },
       "embargo_working_days"},
      {"embargo of 61",
       [](ClinicTemplate& t) {
         t.ringfence = Ringfence::kPostOp;
         t.embargo_working_days = 61;
       },
       "embargo_working_days"},
      {"embargo of 60",
       [](ClinicTemplate& t) {
         t.ringfence = Ringfence::kUrgent;
         t.embargo_working_days = 60;
       },
       ""},
      {"embargo without a ring-fence", [](ClinicTemplate& t) { t.embargo_working_days = 3; },
       "embargo_working_days"},
      {"valid_until before valid_from", [](ClinicTemplate& t) { t.valid_until = 2025_y / 12 / 31; },
       "valid_until"},
      {"valid for one day", [](ClinicTemplate& t) { t.valid_until = t.valid_from; }, ""},
  };
  for (const TemplateCase& c : cases) {
    ClinicTemplate t = Weekdays();
    c.change(t);
    const Status status = CheckTemplate(t);
    if (c.field.empty()) {
      EXPECT_TRUE(status.ok()) << c.name << ": " << status.ToString();
      continue;
    }
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << c.name;
    EXPECT_EQ(status.field(), c.field) << c.name << ": " << status.ToString();
    EXPECT_FALSE(status.message().empty()) << c.name;
  }
}

TEST(SlotsTest, GenerateRefusesABadTemplate) {
  ClinicTemplate t = Weekdays();
  t.slot_minutes = 0;
  StatusOr<std::vector<Slot>> slots = GenerateSlots(t, Real(), 2026_y / 6 / 1, 2026_y / 6 / 30);
  ASSERT_FALSE(slots.ok());
  EXPECT_EQ(slots.status().field(), "slot_minutes");
}

TEST(SlotsTest, SkipsWeekendsAndTheChristmasBankHolidays) {
  // 25 Dec 2026 is a Friday, Boxing Day a Saturday with its substitute on Monday 28 Dec, and
  // 1 Jan 2027 a Friday: all bank holidays in the data file.
  ASSERT_TRUE(Real().IsBankHoliday(2026_y / 12 / 28));
  const std::vector<Slot> slots = Generate(Weekdays(), Real(), 2026_y / 12 / 21, 2027_y / 1 / 4);
  EXPECT_THAT(Days(slots),
              ElementsAre(2026_y / 12 / 21, 2026_y / 12 / 22, 2026_y / 12 / 23, 2026_y / 12 / 24,
                          2026_y / 12 / 29, 2026_y / 12 / 30, 2026_y / 12 / 31, 2027_y / 1 / 4));
  EXPECT_EQ(slots.size(), 16u);
}

TEST(SlotsTest, RespectsWeekdaysAndValidity) {
  ClinicTemplate t = Weekdays();
  t.weekdays = {4, 2};  // Thursdays and Tuesdays, in any order.
  t.valid_from = 2026_y / 6 / 3;
  t.valid_until = 2026_y / 6 / 16;
  const std::vector<Slot> slots = Generate(t, Real(), 2026_y / 6 / 1, 2026_y / 6 / 30);
  EXPECT_THAT(Days(slots),
              ElementsAre(2026_y / 6 / 4, 2026_y / 6 / 9, 2026_y / 6 / 11, 2026_y / 6 / 16));

  t.valid_until.reset();  // Open-ended: runs to the end of the horizon.
  EXPECT_EQ(Days(Generate(t, Real(), 2026_y / 6 / 1, 2026_y / 6 / 30)).back(), 2026_y / 6 / 30);
  EXPECT_TRUE(Generate(t, Real(), 2026_y / 6 / 30, 2026_y / 6 / 1).empty()) << "to before from";
  EXPECT_TRUE(Generate(t, Real(), 2026_y / 5 / 1, 2026_y / 6 / 2).empty()) << "before valid_from";
}

TEST(SlotsTest, CopiesTheTemplateAndDerivesIdsFromTheStart) {
  ClinicTemplate t = Weekdays();
  t.slot_type = SlotType::kGroup;
  t.capacity = 6;
  t.modality = Modality::kVideo;
  const std::vector<Slot> slots = Generate(t, Real(), 2026_y / 6 / 4, 2026_y / 6 / 4);
  ASSERT_EQ(slots.size(), 2u);
  EXPECT_EQ(slots[0].id, "t1-20260604-0900");
  EXPECT_EQ(slots[1].id, "t1-20260604-0930");
  const Slot& s = slots[1];
  EXPECT_EQ(s.template_id, "t1");
  EXPECT_EQ(s.clinician_id, "c1");
  EXPECT_EQ(s.site_id, "east-oxford");
  EXPECT_EQ(s.room_id, "r1");
  EXPECT_EQ(s.type, SlotType::kGroup);
  EXPECT_EQ(s.modality, Modality::kVideo);
  EXPECT_EQ(s.capacity, 6);
  EXPECT_EQ(s.ringfence, Ringfence::kNone);
  EXPECT_EQ(s.opens_to_all_at, Instant{});
  EXPECT_EQ(s.booked, 0);
  EXPECT_FALSE(s.cancelled);
  EXPECT_EQ(FormatInstant(s.start), "2026-06-04T08:30:00Z");  // 09:30 BST.
  EXPECT_EQ(FormatInstant(s.end), "2026-06-04T09:00:00Z");

  // Overlapping horizons make the same slots, so a rolling generator can merge by id.
  const std::vector<Slot> wider = Generate(t, Real(), 2026_y / 6 / 1, 2026_y / 6 / 5);
  ASSERT_EQ(wider.size(), 10u);
  EXPECT_EQ(wider[6].id, slots[0].id);
  EXPECT_EQ(wider[6].start, slots[0].start);
}

TEST(SlotsTest, SlotsDoNotOverrunTheSessionEnd) {
  ClinicTemplate t = Weekdays();
  t.end_minute = 10 * 60 + 40;  // 09:00-10:40 in 30-minute slots: 10:30 would end at 11:00.
  EXPECT_THAT(Starts(Generate(t, Real(), 2026_y / 1 / 13, 2026_y / 1 / 13)),
              ElementsAre("2026-01-13T09:00:00Z", "2026-01-13T09:30:00Z", "2026-01-13T10:00:00Z"));

  t.start_minute = 22 * 60;  // A session to midnight.
  t.end_minute = 1440;
  t.slot_minutes = 60;
  const std::vector<Slot> late = Generate(t, Real(), 2026_y / 1 / 13, 2026_y / 1 / 13);
  EXPECT_THAT(Starts(late), ElementsAre("2026-01-13T22:00:00Z", "2026-01-13T23:00:00Z"));
  EXPECT_EQ(FormatInstant(late.back().end), "2026-01-14T00:00:00Z");
}

TEST(SlotsTest, NineAmStaysNineAmLondonAcrossTheAutumnClockChange) {
  // The clocks go back at 02:00 BST on Sunday 25 October 2026.
  ClinicTemplate t = Weekdays();
  t.end_minute = 9 * 60 + 30;
  const std::vector<Slot> slots = Generate(t, Real(), 2026_y / 10 / 23, 2026_y / 10 / 26);
  EXPECT_THAT(Starts(slots), ElementsAre("2026-10-23T08:00:00Z",    // Friday 09:00 BST.
                                         "2026-10-26T09:00:00Z"));  // Monday 09:00 GMT.
  for (const Slot& slot : slots) {
    EXPECT_EQ(LondonTimeOfDay(slot.start), minutes(9 * 60)) << slot.id;
    EXPECT_EQ(slot.end - slot.start, minutes(30)) << slot.id;
  }
  EXPECT_EQ(slots[0].id, "t1-20261023-0900");
  EXPECT_EQ(slots[1].id, "t1-20261026-0900");
}

TEST(SlotsTest, NineAmStaysNineAmLondonAcrossTheSpringClockChange) {
  // The clocks go forward at 01:00 GMT on Sunday 28 March 2027, between Good Friday (26 March) and
  // Easter Monday (29 March): with the real calendar the clinic runs Thursday and Tuesday.
  ClinicTemplate t = Weekdays();
  t.end_minute = 9 * 60 + 30;
  EXPECT_THAT(Starts(Generate(t, Real(), 2027_y / 3 / 25, 2027_y / 3 / 30)),
              ElementsAre("2027-03-25T09:00:00Z",    // Thursday 09:00 GMT.
                          "2027-03-30T08:00:00Z"));  // Tuesday 09:00 BST.
  // Without those bank holidays, the Friday before and the Monday after.
  EXPECT_THAT(Starts(Generate(t, WorkingCalendar(), 2027_y / 3 / 26, 2027_y / 3 / 29)),
              ElementsAre("2027-03-26T09:00:00Z", "2027-03-29T08:00:00Z"));
}

struct OpensCase {
  std::string name;
  Date slot_day;
  int embargo_working_days;
  std::string opens_to_all_at;  // UTC.
};

TEST(SlotsTest, EmbargoLiftsTheRightNumberOfWorkingDaysBefore) {
  const std::vector<OpensCase> cases = {
      {"same week", 2026_y / 6 / 11, 2, "2026-06-09T08:00:00Z"},
      {"over a weekend", 2026_y / 6 / 8, 1, "2026-06-05T08:00:00Z"},
      {"a week of working days", 2026_y / 6 / 8, 5, "2026-06-01T08:00:00Z"},
      // 28 Dec (substitute Boxing Day) and 25 Dec are bank holidays, 26-27 Dec a weekend.
      {"over Christmas", 2026_y / 12 / 29, 1, "2026-12-24T09:00:00Z"},
      {"three over Christmas", 2026_y / 12 / 29, 3, "2026-12-22T09:00:00Z"},
      // 1 Jan 2027 is a bank holiday.
      {"over New Year", 2027_y / 1 / 4, 1, "2026-12-31T09:00:00Z"},
      // 09:00 on the Friday before the clocks go back is 08:00 UTC; the slot itself is 09:00 UTC.
      {"over the clock change", 2026_y / 10 / 26, 1, "2026-10-23T08:00:00Z"},
      {"no embargo: kept until the start", 2026_y / 6 / 8, 0, "2026-06-08T08:00:00Z"},
  };
  for (const OpensCase& c : cases) {
    ClinicTemplate t = Weekdays();
    t.end_minute = 9 * 60 + 30;
    t.ringfence = Ringfence::kPostOp;
    t.embargo_working_days = c.embargo_working_days;
    const std::vector<Slot> slots = Generate(t, Real(), c.slot_day, c.slot_day);
    ASSERT_EQ(slots.size(), 1u) << c.name;
    EXPECT_EQ(FormatInstant(slots[0].opens_to_all_at), c.opens_to_all_at) << c.name;
    EXPECT_EQ(slots[0].ringfence, Ringfence::kPostOp) << c.name;
  }
}

struct OpenToCase {
  Ringfence ringfence;
  Priority priority;
  bool open_before;  // Before opens_to_all_at; every case is open at and after it.
};

TEST(SlotsTest, SlotOpenToFollowsTheRingfence) {
  const std::vector<OpenToCase> cases = {
      {Ringfence::kNone, Priority::kRoutine, true},
      {Ringfence::kNone, Priority::kPostOp, true},
      {Ringfence::kPostOp, Priority::kPostOp, true},
      {Ringfence::kPostOp, Priority::kRoutine, false},
      {Ringfence::kPostOp, Priority::kUrgent, false},
      {Ringfence::kPostOp, Priority::kEmergency, false},
      {Ringfence::kUrgent, Priority::kUrgent, true},
      {Ringfence::kUrgent, Priority::kEmergency, true},
      {Ringfence::kUrgent, Priority::kPostOp, false},
      {Ringfence::kUrgent, Priority::kRoutine, false},
  };
  Slot slot;
  slot.start = At("2026-06-15T08:00:00Z");
  slot.opens_to_all_at = At("2026-06-10T08:00:00Z");
  for (const OpenToCase& c : cases) {
    slot.ringfence = c.ringfence;
    const std::string name = std::string(ToString(c.ringfence)) + " slot, " +
                             std::string(ToString(c.priority)) + " patient";
    EXPECT_EQ(SlotOpenTo(slot, c.priority, slot.opens_to_all_at - std::chrono::milliseconds(1)),
              c.open_before)
        << name;
    EXPECT_TRUE(SlotOpenTo(slot, c.priority, slot.opens_to_all_at)) << name;
    EXPECT_TRUE(SlotOpenTo(slot, c.priority, slot.start)) << name;
  }
}

TEST(SlotsTest, APostOpSlotOpensToRoutineOnlyWhenItsEmbargoLifts) {
  // A post-op slot on Tuesday 29 Dec 2026 at 09:00, released three working days before: Tuesday
  // 22 Dec at 09:00 (Christmas, the weekend and the substitute Boxing Day do not count).
  ClinicTemplate t = Weekdays();
  t.end_minute = 9 * 60 + 30;
  t.ringfence = Ringfence::kPostOp;
  t.embargo_working_days = 3;
  const std::vector<Slot> slots = Generate(t, Real(), 2026_y / 12 / 29, 2026_y / 12 / 29);
  ASSERT_EQ(slots.size(), 1u);
  const Slot& slot = slots[0];
  struct Step {
    std::string now;
    bool open_to_routine;
  };
  const std::vector<Step> steps = {
      {"2026-12-01T09:00:00Z", false}, {"2026-12-21T09:00:00Z", false},
      {"2026-12-22T08:59:59Z", false}, {"2026-12-22T09:00:00Z", true},
      {"2026-12-24T12:00:00Z", true},  {"2026-12-29T08:59:00Z", true},
  };
  for (const Step& step : steps) {
    EXPECT_EQ(SlotOpenTo(slot, Priority::kRoutine, At(step.now)), step.open_to_routine) << step.now;
    EXPECT_TRUE(SlotOpenTo(slot, Priority::kPostOp, At(step.now))) << step.now;
  }
}

}  // namespace
}  // namespace tendon::scheduling
