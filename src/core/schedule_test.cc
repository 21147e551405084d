#include "core/schedule.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tendon {
namespace {

using namespace date::literals;

ClinicTemplate Valid() {
  ClinicTemplate t;
  t.id = "t1";
  t.clinician_id = "c1";
  t.site_id = "s1";
  t.weekdays = {1, 3};
  t.start_minute = 9 * 60;
  t.end_minute = 12 * 60;
  t.slot_minutes = 30;
  t.valid_from = 2026_y / 1 / 1;
  return t;
}

std::vector<std::string> Fields(const std::vector<Status>& problems) {
  std::vector<std::string> fields;
  for (const Status& s : problems) fields.push_back(s.field());
  return fields;
}

TEST(ScheduleTest, TemplateProblemsListsEveryBadFieldOnce) {
  EXPECT_TRUE(TemplateProblems(Valid()).empty());
  ClinicTemplate t = Valid();
  t.clinician_id.clear();
  t.weekdays = {6, 7};
  t.end_minute = t.start_minute;
  t.slot_minutes = 2;
  t.capacity = 3;
  t.embargo_working_days = 4;
  const std::vector<Status> problems = TemplateProblems(t);
  EXPECT_EQ(Fields(problems),
            (std::vector<std::string>{"clinician_id", "weekdays", "end_minute", "slot_minutes",
                                      "capacity", "embargo_working_days"}));
  for (const Status& s : problems) EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(problems[1].message(), "6 is not a weekday from 1 (Monday) to 5 (Friday)");
  EXPECT_EQ(problems[5].message(), "an embargo needs a ring-fence (post_op or urgent)");
}

TEST(ScheduleTest, TemplateProblemsNamesAWeekdayListedTwice) {
  ClinicTemplate t = Valid();
  t.weekdays = {2, 4, 2};
  const std::vector<Status> problems = TemplateProblems(t);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].message(), "'tue' is listed twice");
}

TEST(ScheduleTest, ClocksAndWeekdaysReadAndWrite) {
  EXPECT_EQ(*ParseClock("08:30", "start"), 510);
  EXPECT_EQ(*ParseClock("24:00", "end"), 1440);
  EXPECT_EQ(FormatClock(510), "08:30");
  for (const char* bad : {"8:30", "08:60", "24:01", "0830", "ab:cd"}) {
    StatusOr<int> parsed = ParseClock(bad, "start");
    EXPECT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().field(), "start") << bad;
  }
  EXPECT_EQ(*ParseWeekday("fri"), 5);
  EXPECT_EQ(WeekdayName(1), "mon");
  EXPECT_EQ(WeekdayName(6), "");
  EXPECT_EQ(ParseWeekday("sat").status().message(), "'sat' is not one of mon, tue, wed, thu, fri");
}

TEST(ScheduleTest, ClashDayNeedsASharedDayOverlappingTimesAndValidity) {
  ClinicTemplate a = Valid();
  ClinicTemplate b = Valid();
  b.weekdays = {3, 5};
  b.start_minute = 11 * 60 + 30;
  b.end_minute = 13 * 60;
  EXPECT_EQ(ClashDay(a, b), 3);
  b.start_minute = a.end_minute;  // Back to back is no clash.
  EXPECT_EQ(ClashDay(a, b), std::nullopt);
  b.start_minute = 10 * 60;
  b.weekdays = {2, 5};
  EXPECT_EQ(ClashDay(a, b), std::nullopt);
  b.weekdays = {1};
  a.valid_until = 2026_y / 6 / 30;
  b.valid_from = 2026_y / 7 / 1;
  EXPECT_EQ(ClashDay(a, b), std::nullopt);
  b.valid_from = 2026_y / 6 / 30;
  EXPECT_EQ(ClashDay(a, b), 1);
}

}  // namespace
}  // namespace tendon
