#include "core/london_time.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tendon {
namespace {

using ::testing::HasSubstr;
using namespace date::literals;
using std::chrono::hours;
using std::chrono::minutes;

Instant At(std::string_view utc) {
  const StatusOr<Instant> t = ParseInstant(utc);
  EXPECT_TRUE(t.ok()) << utc;
  return t.ok() ? *t : Instant{};
}

TEST(LondonTimeTest, TheZoneLoads) { EXPECT_TRUE(CheckLondonTimeZone().ok()); }

struct WallClockCase {
  std::string_view utc;
  std::string_view london;  // As FormatLondon writes it.
  Date date;
  minutes time_of_day;
};

TEST(LondonTimeTest, WallClockAtInstants) {
  const std::vector<WallClockCase> cases = {
      // Winter: London is UTC.
      {"2026-11-24T08:14:46Z", "2026-11-24 08:14 GMT", 2026_y / 11 / 24, hours(8) + minutes(14)},
      {"2026-01-01T00:00:00Z", "2026-01-01 00:00 GMT", 2026_y / 1 / 1, minutes(0)},
      // Summer: London is an hour ahead, which moves late evenings to the next day.
      {"2026-07-01T08:30:00Z", "2026-07-01 09:30 BST", 2026_y / 7 / 1, hours(9) + minutes(30)},
      {"2026-07-01T23:30:00Z", "2026-07-02 00:30 BST", 2026_y / 7 / 2, minutes(30)},
      {"2026-06-30T22:59:59.999Z", "2026-06-30 23:59 BST", 2026_y / 6 / 30,
       hours(23) + minutes(59)},
      // Spring forward: at 01:00 UTC on 29 March 2026 the clocks jump from 01:00 GMT to 02:00 BST.
      {"2026-03-29T00:59:59Z", "2026-03-29 00:59 GMT", 2026_y / 3 / 29, minutes(59)},
      {"2026-03-29T01:00:00Z", "2026-03-29 02:00 BST", 2026_y / 3 / 29, hours(2)},
      // Fall back: 01:00-02:00 on 25 October 2026 happens twice, first in BST, then in GMT.
      {"2026-10-25T00:00:00Z", "2026-10-25 01:00 BST", 2026_y / 10 / 25, hours(1)},
      {"2026-10-25T00:30:00Z", "2026-10-25 01:30 BST", 2026_y / 10 / 25, hours(1) + minutes(30)},
      {"2026-10-25T00:59:00Z", "2026-10-25 01:59 BST", 2026_y / 10 / 25, hours(1) + minutes(59)},
      {"2026-10-25T01:00:00Z", "2026-10-25 01:00 GMT", 2026_y / 10 / 25, hours(1)},
      {"2026-10-25T01:30:00Z", "2026-10-25 01:30 GMT", 2026_y / 10 / 25, hours(1) + minutes(30)},
      {"2026-10-25T02:00:00Z", "2026-10-25 02:00 GMT", 2026_y / 10 / 25, hours(2)},
      // Before 1970.
      {"1969-12-31T23:59:59Z", "1970-01-01 00:59 BST", 1970_y / 1 / 1, minutes(59)},
  };
  for (const WallClockCase& c : cases) {
    SCOPED_TRACE(c.utc);
    const Instant t = At(c.utc);
    EXPECT_EQ(FormatLondon(t), c.london);
    EXPECT_EQ(LondonDate(t), c.date);
    EXPECT_EQ(LondonTimeOfDay(t), c.time_of_day);
  }
}

struct FromLondonCase {
  Date date;
  minutes time_of_day;
  std::string_view utc;
};

TEST(LondonTimeTest, FromLondonFindsTheInstant) {
  const std::vector<FromLondonCase> cases = {
      {2026_y / 11 / 24, hours(8) + minutes(14), "2026-11-24T08:14:00Z"},
      {2026_y / 7 / 1, hours(9) + minutes(30), "2026-07-01T08:30:00Z"},
      {2026_y / 7 / 2, minutes(30), "2026-07-01T23:30:00Z"},
      {2026_y / 3 / 29, minutes(59), "2026-03-29T00:59:00Z"},
      {2026_y / 3 / 29, hours(2), "2026-03-29T01:00:00Z"},
      {2026_y / 3 / 29, hours(23) + minutes(59), "2026-03-29T22:59:00Z"},
      // The repeated autumn hour resolves to its first, BST, occurrence.
      {2026_y / 10 / 25, hours(1), "2026-10-25T00:00:00Z"},
      {2026_y / 10 / 25, hours(1) + minutes(30), "2026-10-25T00:30:00Z"},
      {2026_y / 10 / 25, hours(1) + minutes(59), "2026-10-25T00:59:00Z"},
      {2026_y / 10 / 25, minutes(59), "2026-10-24T23:59:00Z"},
      {2026_y / 10 / 25, hours(2), "2026-10-25T02:00:00Z"},
  };
  for (const FromLondonCase& c : cases) {
    SCOPED_TRACE(c.utc);
    const StatusOr<Instant> t = FromLondon(c.date, c.time_of_day);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_EQ(FormatInstant(*t), c.utc);
  }
}

TEST(LondonTimeTest, FromLondonRefusesTheSpringGap) {
  for (minutes tod : {minutes(60), minutes(90), minutes(119)}) {
    SCOPED_TRACE(tod.count());
    const StatusOr<Instant> t = FromLondon(2026_y / 3 / 29, tod, "start");
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(t.status().field(), "start");
    EXPECT_THAT(t.status().message(), HasSubstr("does not exist"));
    EXPECT_THAT(t.status().message(), HasSubstr("on 2026-03-29"));
  }
  // The same wall-clock time a day either side exists.
  EXPECT_TRUE(FromLondon(2026_y / 3 / 28, hours(1) + minutes(30)).ok());
  EXPECT_TRUE(FromLondon(2026_y / 3 / 30, hours(1) + minutes(30)).ok());
  // 2027's change is on 28 March.
  EXPECT_FALSE(FromLondon(2027_y / 3 / 28, hours(1) + minutes(30)).ok());
}

TEST(LondonTimeTest, FromLondonRefusesTimesOutsideTheDay) {
  for (minutes tod : {minutes(-1), minutes(24 * 60), minutes(25 * 60)}) {
    SCOPED_TRACE(tod.count());
    const StatusOr<Instant> t = FromLondon(2026_y / 11 / 24, tod);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(t.status().field(), "time");
  }
}

// Every minute of 2026 in London maps back to itself, except the second pass through the autumn
// hour, which FromLondon resolves to the first.
TEST(LondonTimeTest, RoundTripsEveryQuarterHourOfTheYear) {
  const Instant start = At("2026-01-01T00:00:00Z");
  const Instant end = At("2027-01-01T00:00:00Z");
  const Instant second_pass_begin = At("2026-10-25T01:00:00Z");
  const Instant second_pass_end = At("2026-10-25T02:00:00Z");
  for (Instant t = start; t < end; t += minutes(15)) {
    const StatusOr<Instant> back = FromLondon(LondonDate(t), LondonTimeOfDay(t));
    ASSERT_TRUE(back.ok()) << FormatInstant(t);
    const bool second_pass = t >= second_pass_begin && t < second_pass_end;
    EXPECT_EQ(*back, second_pass ? t - hours(1) : t) << FormatInstant(t);
  }
}

}  // namespace
}  // namespace tendon
