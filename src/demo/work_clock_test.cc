#include "demo/work_clock.h"

#include <gtest/gtest.h>

#include "core/london_time.h"

namespace tendon::demo::internal {
namespace {

using date::days;
using std::chrono::hours;
using std::chrono::minutes;

constexpr Date Day(int y, unsigned m, unsigned d) {
  return date::sys_days(date::year(y) / date::month(m) / date::day(d));
}

class WorkClockTest : public ::testing::Test {
 protected:
  // Good Friday and Easter Monday 2026.
  WorkingCalendar calendar_{{Day(2026, 4, 3), Day(2026, 4, 6)}};
  WorkClock clock_{calendar_, 8, 18};
};

TEST_F(WorkClockTest, AtIsLondonWallClockTime) {
  EXPECT_EQ(clock_.At(Day(2026, 1, 15), 9 * 60), Instant(Day(2026, 1, 15)) + hours(9));
  EXPECT_EQ(clock_.At(Day(2026, 7, 15), 9 * 60), Instant(Day(2026, 7, 15)) + hours(8));
}

TEST_F(WorkClockTest, AddWorkingCountsOpeningHoursOnWorkingDays) {
  const Instant thursday_noon = clock_.At(Day(2026, 4, 2), 12 * 60);
  // Half a working day from noon is 17:00 the same day.
  EXPECT_EQ(clock_.AddWorking(thursday_noon, 0.5), clock_.At(Day(2026, 4, 2), 17 * 60));
  // One working day from Thursday noon skips Good Friday, the weekend and Easter Monday.
  EXPECT_EQ(clock_.AddWorking(thursday_noon, 1.0), clock_.At(Day(2026, 4, 7), 12 * 60));
  // From a Saturday evening, time counts from Monday's opening.
  const Instant saturday = clock_.At(Day(2026, 3, 14), 20 * 60);
  EXPECT_EQ(FormatInstant(clock_.AddWorking(saturday, 0.1)),
            FormatInstant(clock_.At(Day(2026, 3, 16), 9 * 60)));
  EXPECT_EQ(clock_.AddWorking(saturday, 0.0), clock_.At(Day(2026, 3, 16), 8 * 60));
}

TEST_F(WorkClockTest, NearestWorkingDay) {
  EXPECT_EQ(clock_.NearestWorkingDay(Day(2026, 3, 11)), Day(2026, 3, 11));
  EXPECT_EQ(clock_.NearestWorkingDay(Day(2026, 3, 14)), Day(2026, 3, 13));  // Saturday -> Friday.
  EXPECT_EQ(clock_.NearestWorkingDay(Day(2026, 3, 15)), Day(2026, 3, 16));  // Sunday -> Monday.
  EXPECT_EQ(clock_.NextWorkingDay(Day(2026, 4, 2)), Day(2026, 4, 7));
}

TEST(MonthsTest, ClampToTheEndOfShorterMonths) {
  EXPECT_EQ(SubtractMonths(Day(2026, 3, 31), 1), Day(2026, 2, 28));
  EXPECT_EQ(SubtractMonths(Day(2026, 4, 1), 6), Day(2025, 10, 1));
  const Instant t = Instant(Day(2025, 8, 31)) + hours(10) + minutes(5);
  EXPECT_EQ(AddMonths(t, 6), Instant(Day(2026, 2, 28)) + hours(10) + minutes(5));
}

}  // namespace
}  // namespace tendon::demo::internal
