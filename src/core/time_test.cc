#include "core/time.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace tendon {
namespace {

using ::testing::HasSubstr;
using namespace date::literals;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

struct InstantCase {
  std::string_view text;
  Instant instant;
};

const std::vector<InstantCase>& InstantCases() {
  static const std::vector<InstantCase> cases = {
      {"2026-11-24T08:14:46Z",
       Instant(date::sys_days(2026_y / 11 / 24)) + hours(8) + minutes(14) + seconds(46)},
      {"2026-11-24T08:14:46.250Z", Instant(date::sys_days(2026_y / 11 / 24)) + hours(8) +
                                       minutes(14) + seconds(46) + milliseconds(250)},
      {"2026-11-24T08:14:46.001Z", Instant(date::sys_days(2026_y / 11 / 24)) + hours(8) +
                                       minutes(14) + seconds(46) + milliseconds(1)},
      {"1970-01-01T00:00:00Z", FromUnixMillis(0)},
      {"1969-12-31T23:59:59.999Z", FromUnixMillis(-1)},
      {"2024-02-29T23:59:59Z", Instant(date::sys_days(2024_y / 3 / 1)) - seconds(1)},
      {"2000-02-29T12:00:00Z", Instant(date::sys_days(2000_y / 2 / 29)) + hours(12)},
      {"0001-01-01T00:00:00Z", Instant(date::sys_days(1_y / 1 / 1))},
      {"9999-12-31T23:59:59.999Z", Instant(date::sys_days(10000_y / 1 / 1)) - milliseconds(1)},
  };
  return cases;
}

TEST(TimeTest, FormatInstantWritesMillisecondsOnlyWhenThereAreSome) {
  for (const InstantCase& c : InstantCases()) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(FormatInstant(c.instant), c.text);
  }
}

TEST(TimeTest, ParseInstantReadsBothForms) {
  for (const InstantCase& c : InstantCases()) {
    SCOPED_TRACE(c.text);
    const StatusOr<Instant> parsed = ParseInstant(c.text);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(*parsed, c.instant);
  }
}

TEST(TimeTest, InstantsRoundTrip) {
  std::mt19937_64 rng(20261124);
  // 1900 to 2100, in milliseconds.
  std::uniform_int_distribution<std::int64_t> millis(-2'208'988'800'000, 4'102'444'800'000);
  for (int i = 0; i < 10'000; ++i) {
    const Instant t = FromUnixMillis(millis(rng));
    const StatusOr<Instant> back = ParseInstant(FormatInstant(t));
    ASSERT_TRUE(back.ok()) << FormatInstant(t);
    EXPECT_EQ(*back, t) << FormatInstant(t);
    EXPECT_EQ(ToUnixMillis(*back), ToUnixMillis(t));
  }
}

struct BadCase {
  std::string_view text;
  std::string_view why;  // A part of the message that says why.
};

TEST(TimeTest, ParseInstantRefusesWithAReason) {
  const std::vector<BadCase> cases = {
      {"", "is required"},
      {"2026-11-24", "is not written YYYY-MM-DDTHH:MM:SSZ"},
      {"2026-11-24T08:14:46", "lacks the trailing 'Z'"},
      {"2026-11-24T08:14:46.250", "lacks the trailing 'Z'"},
      {"2026-11-24T08:14:46+00:00", "after the time"},
      {"2026-11-24T08:14:46z", "after the time"},
      {"2026-11-24T08:14:46ZZ", "after the time"},
      {"2026-11-24T08:14:46Z ", "after the time"},
      {"2026-11-24T08:14:46.25Z", "exactly three digits"},
      {"2026-11-24T08:14:46.2500Z", "exactly three digits"},
      {"2026-11-24T08:14:46.Z", "exactly three digits"},
      {"2026-11-24 08:14:46Z", "needs a 'T'"},
      {"2026-02-30T08:14:46Z", "'2026-02-30' is not a real calendar date"},
      {"2025-02-29T08:14:46Z", "not a real calendar date"},
      {"2026-13-01T08:14:46Z", "not a real calendar date"},
      {"2026-00-10T08:14:46Z", "not a real calendar date"},
      {"2026-11-24T24:00:00Z", "not a real time of day"},
      {"2026-11-24T23:60:00Z", "not a real time of day"},
      {"2026-11-24T23:59:60Z", "not a real time of day"},
      {"2026-11-24T8:14:46Z", "is not written"},
      {"26-11-24T08:14:46Z", "is not written"},
      {"2026/11/24T08:14:46Z", "is not written"},
      {"+026-11-24T08:14:46Z", "is not written"},
      {" 2026-11-24T08:14:46Z", "is not written"},
      {"2026-11-24T08:14:4xZ", "is not written"},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.text);
    const StatusOr<Instant> parsed = ParseInstant(c.text, "occurred_at");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(parsed.status().field(), "occurred_at");
    EXPECT_THAT(parsed.status().message(), HasSubstr(c.why));
  }
}

TEST(TimeTest, LongJunkIsCutShortInMessages) {
  const std::string junk = "2026-11-24T08:14:46Z" + std::string(1000, 'x');
  const StatusOr<Instant> parsed = ParseInstant(junk);
  ASSERT_FALSE(parsed.ok());
  EXPECT_LT(parsed.status().message().size(), 200u);
}

TEST(TimeTest, DatesFormatAndParse) {
  const std::vector<std::pair<std::string_view, Date>> cases = {
      {"2026-11-24", 2026_y / 11 / 24}, {"2024-02-29", 2024_y / 2 / 29},
      {"2000-02-29", 2000_y / 2 / 29},  {"1970-01-01", 1970_y / 1 / 1},
      {"1899-12-31", 1899_y / 12 / 31}, {"2030-12-26", 2030_y / 12 / 26},
  };
  for (const auto& [text, day] : cases) {
    SCOPED_TRACE(text);
    EXPECT_EQ(FormatDate(day), text);
    const StatusOr<Date> parsed = ParseDate(text);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(*parsed, day);
  }
}

TEST(TimeTest, ParseDateRefusesWithAReason) {
  const std::vector<BadCase> cases = {
      {"", "is required"},
      {"2026-02-30", "'2026-02-30' is not a real calendar date"},
      {"2100-02-29", "not a real calendar date"},
      {"2026-04-31", "not a real calendar date"},
      {"2026-11-00", "not a real calendar date"},
      {"2026-11-24T00:00:00Z", "after the date"},
      {"2026-11-24 ", "after the date"},
      {"2026-11-24x", "after the date"},
      {"2026-1-24", "is not written YYYY-MM-DD"},
      {"24/11/2026", "is not written YYYY-MM-DD"},
      {"2026-11", "is not written YYYY-MM-DD"},
      {"2026_11_24", "is not written YYYY-MM-DD"},
      {"２０２６-11-24", "is not written YYYY-MM-DD"},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.text);
    const StatusOr<Date> parsed = ParseDate(c.text, "date_of_birth");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(parsed.status().field(), "date_of_birth");
    EXPECT_THAT(parsed.status().message(), HasSubstr(c.why));
  }
}

TEST(TimeTest, DefaultFieldNames) {
  EXPECT_EQ(ParseInstant("x").status().field(), "time");
  EXPECT_EQ(ParseDate("x").status().field(), "date");
}

}  // namespace
}  // namespace tendon
