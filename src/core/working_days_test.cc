#include "core/working_days.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace tendon {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace date::literals;

constexpr std::string_view kDataFile = "data/bank-holidays-england-wales.csv";

// The real data file: under TENDON_SOURCE_DIR when ctest sets it, else relative to the working
// directory (ctest runs in the repository root), else relative to this source file.
std::string ReadDataFile() {
  std::vector<std::filesystem::path> candidates;
  if (const char* root = std::getenv("TENDON_SOURCE_DIR")) candidates.emplace_back(root);
  candidates.emplace_back(".");
  candidates.push_back(std::filesystem::path(__FILE__).parent_path() / ".." / "..");
  for (const std::filesystem::path& root : candidates) {
    std::ifstream in(root / kDataFile, std::ios::binary);
    if (!in) continue;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  ADD_FAILURE() << "cannot find " << kDataFile << "; set TENDON_SOURCE_DIR to the repository root";
  return "";
}

const WorkingCalendar& Real() {
  static const WorkingCalendar calendar = [] {
    StatusOr<WorkingCalendar> parsed = WorkingCalendar::Parse(ReadDataFile(), kDataFile);
    EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
    return parsed.ok() ? *parsed : WorkingCalendar();
  }();
  return calendar;
}

TEST(WorkingDaysTest, TheRealFileCoversTwentyTwentyToTwentyThirty) {
  EXPECT_TRUE(Real().Covers(2020_y / 1 / 1));
  EXPECT_TRUE(Real().Covers(2030_y / 12 / 31));
  EXPECT_FALSE(Real().Covers(2019_y / 12 / 31));
  EXPECT_FALSE(Real().Covers(2031_y / 1 / 1));
  EXPECT_FALSE(WorkingCalendar().Covers(2026_y / 1 / 1));
}

struct DayCase {
  Date date;
  bool bank_holiday;
  bool working_day;
};

TEST(WorkingDaysTest, KnownDays) {
  const std::vector<DayCase> cases = {
      {2026_y / 12 / 25, true, false},   // Christmas Day, a Friday.
      {2026_y / 12 / 26, false, false},  // Boxing Day is a Saturday...
      {2026_y / 12 / 28, true, false},   // ...so Monday is the substitute.
      {2026_y / 12 / 29, false, true},  {2027_y / 12 / 25, false, false},  // Saturday.
      {2027_y / 12 / 26, false, false},                                    // Sunday.
      {2027_y / 12 / 27, true, false},  // Christmas Day (substitute day).
      {2027_y / 12 / 28, true, false},  // Boxing Day (substitute day).
      {2027_y / 12 / 29, false, true},  {2026_y / 4 / 3, true, false},  // Good Friday.
      {2026_y / 4 / 6, true, false},                                    // Easter Monday.
      {2026_y / 4 / 2, false, true},    {2026_y / 4 / 7, false, true},
      {2022_y / 9 / 19, true, false},    // The Queen's state funeral.
      {2026_y / 11 / 24, false, true},   // A Tuesday.
      {2026_y / 11 / 21, false, false},  // A Saturday.
      {2026_y / 11 / 22, false, false},  // A Sunday.
  };
  for (const DayCase& c : cases) {
    SCOPED_TRACE(FormatDate(c.date));
    EXPECT_EQ(Real().IsBankHoliday(c.date), c.bank_holiday);
    EXPECT_EQ(Real().IsWorkingDay(c.date), c.working_day);
  }
}

// Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
Date EasterSunday(int y) {
  const int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
  const int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
  return date::year(y) / month / day;
}

// The first weekday on or after `d`.
Date WeekdayOnOrAfter(Date d) {
  while (date::weekday(d) == date::Saturday || date::weekday(d) == date::Sunday) d += date::days(1);
  return d;
}

TEST(WorkingDaysTest, EveryYearHasEasterChristmasAndNewYear) {
  for (int y = 2020; y <= 2030; ++y) {
    SCOPED_TRACE(y);
    const Date easter = EasterSunday(y);
    EXPECT_TRUE(Real().IsBankHoliday(easter - date::days(2))) << "Good Friday";
    EXPECT_TRUE(Real().IsBankHoliday(easter + date::days(1))) << "Easter Monday";
    EXPECT_TRUE(Real().IsBankHoliday(WeekdayOnOrAfter(date::year(y) / 1 / 1))) << "New Year";
    // Christmas falls on its weekday or the next free one; Boxing Day on the next free weekday.
    const Date christmas = WeekdayOnOrAfter(date::year(y) / 12 / 25);
    const Date boxing =
        WeekdayOnOrAfter(std::max(christmas + date::days(1), Date(date::year(y) / 12 / 26)));
    EXPECT_TRUE(Real().IsBankHoliday(christmas)) << FormatDate(christmas);
    EXPECT_TRUE(Real().IsBankHoliday(boxing)) << FormatDate(boxing);
  }
}

struct AddCase {
  Date from;
  int n;
  Date expected;
};

TEST(WorkingDaysTest, AddWorkingDays) {
  const std::vector<AddCase> cases = {
      {2026_y / 11 / 24, 1, 2026_y / 11 / 25},  // Tuesday to Wednesday.
      {2026_y / 11 / 20, 1, 2026_y / 11 / 23},  // Friday to Monday.
      {2026_y / 11 / 21, 1, 2026_y / 11 / 23},  // Saturday to Monday.
      {2026_y / 11 / 24, 5, 2026_y / 12 / 1},   // A week.
      {2026_y / 4 / 2, 1, 2026_y / 4 / 7},      // Over Easter.
      {2026_y / 12 / 24, 1, 2026_y / 12 / 29},  // Over Christmas 2026.
      {2027_y / 12 / 24, 1, 2027_y / 12 / 29},  // Over Christmas 2027, both days substituted.
      {2027_y / 12 / 24, 3, 2027_y / 12 / 31},
      {2027_y / 12 / 24, 4, 2028_y / 1 / 4},    // And New Year's substitute day.
      {2026_y / 8 / 28, 1, 2026_y / 9 / 1},     // Summer bank holiday weekend.
      {2026_y / 11 / 24, 0, 2026_y / 11 / 24},  // A working day itself.
      {2026_y / 11 / 21, 0, 2026_y / 11 / 23},  // Saturday: the next working day.
      {2026_y / 12 / 25, 0, 2026_y / 12 / 29},  // A bank holiday: the next working day.
      {2026_y / 11 / 25, -1, 2026_y / 11 / 24},
      {2026_y / 11 / 23, -1, 2026_y / 11 / 20},  // Monday back to Friday.
      {2026_y / 11 / 22, -1, 2026_y / 11 / 20},  // Sunday back to Friday.
      {2026_y / 4 / 7, -1, 2026_y / 4 / 2},      // Back over Easter.
      {2027_y / 12 / 29, -1, 2027_y / 12 / 24},
      {2026_y / 12 / 1, -5, 2026_y / 11 / 24},
  };
  for (const AddCase& c : cases) {
    SCOPED_TRACE(FormatDate(c.from) + " + " + std::to_string(c.n));
    EXPECT_EQ(FormatDate(Real().AddWorkingDays(c.from, c.n)), FormatDate(c.expected));
  }
}

struct BetweenCase {
  Date from;
  Date to;
  int expected;
};

TEST(WorkingDaysTest, WorkingDaysBetween) {
  const std::vector<BetweenCase> cases = {
      {2026_y / 11 / 20, 2026_y / 11 / 23, 1},  // Friday to Monday.
      {2026_y / 11 / 23, 2026_y / 11 / 20, 0},  // Backwards.
      {2026_y / 11 / 24, 2026_y / 11 / 24, 0},  // The same day.
      {2026_y / 11 / 21, 2026_y / 11 / 22, 0},  // Saturday to Sunday.
      {2026_y / 11 / 24, 2026_y / 12 / 1, 5},    {2026_y / 4 / 2, 2026_y / 4 / 7, 1},  // Easter.
      {2027_y / 12 / 24, 2027_y / 12 / 29, 1},    // Christmas 2027.
      {2026_y / 1 / 1, 2027_y / 1 / 1, 253},      // Both ends are bank holidays.
      {2025_y / 12 / 31, 2026_y / 12 / 31, 253},  // 261 weekdays less 8 bank holidays.
  };
  for (const BetweenCase& c : cases) {
    SCOPED_TRACE(FormatDate(c.from) + " to " + FormatDate(c.to));
    EXPECT_EQ(Real().WorkingDaysBetween(c.from, c.to), c.expected);
  }
}

// The arithmetic count agrees with walking the calendar day by day, and with AddWorkingDays.
TEST(WorkingDaysTest, CountingAgreesWithWalking) {
  std::mt19937 rng(42);
  const Date first = 2019_y / 12 / 1;
  std::uniform_int_distribution<int> offset(0, 4200);
  std::uniform_int_distribution<int> span(0, 400);
  for (int i = 0; i < 2000; ++i) {
    const Date from = first + date::days(offset(rng));
    const Date to = from + date::days(span(rng));
    int walked = 0;
    for (Date d = from + date::days(1); d <= to; d += date::days(1))
      walked += Real().IsWorkingDay(d);
    ASSERT_EQ(Real().WorkingDaysBetween(from, to), walked)
        << FormatDate(from) << " " << FormatDate(to);
    if (walked > 0) {
      const Date end = Real().AddWorkingDays(from, walked);
      EXPECT_LE(end, to);
      EXPECT_EQ(Real().WorkingDaysBetween(from, end), walked);
      EXPECT_TRUE(Real().IsWorkingDay(end));
    }
  }
}

TEST(WorkingDaysTest, ATestCalendarIgnoresOrderAndDuplicates) {
  const WorkingCalendar calendar(
      {2026_y / 11 / 25, 2026_y / 11 / 24, 2026_y / 11 / 25, 2026_y / 11 / 21});
  EXPECT_TRUE(calendar.IsBankHoliday(2026_y / 11 / 24));
  EXPECT_TRUE(calendar.IsBankHoliday(2026_y / 11 / 21));
  EXPECT_FALSE(calendar.IsWorkingDay(2026_y / 11 / 25));
  EXPECT_EQ(calendar.AddWorkingDays(2026_y / 11 / 23, 1), Date(2026_y / 11 / 26));
  // A weekend holiday is not subtracted twice.
  EXPECT_EQ(calendar.WorkingDaysBetween(2026_y / 11 / 20, 2026_y / 11 / 27), 3);
  EXPECT_TRUE(calendar.Covers(2026_y / 1 / 1));
  EXPECT_FALSE(calendar.Covers(2027_y / 1 / 1));
}

TEST(WorkingDaysTest, ParsesQuotesCommasAndLineEndings) {
  const std::string csv =
      "\xEF\xBB\xBF"
      "date,name,status\r\n"
      "2026-12-25,\"Christmas Day, the \"\"big\"\" one\",published\r\n"
      "\r\n"
      "2026-12-28,Boxing Day (substitute day),projected";
  const StatusOr<WorkingCalendar> calendar = WorkingCalendar::Parse(csv, "x.csv");
  ASSERT_TRUE(calendar.ok()) << calendar.status().ToString();
  EXPECT_TRUE(calendar->IsBankHoliday(2026_y / 12 / 25));
  EXPECT_TRUE(calendar->IsBankHoliday(2026_y / 12 / 28));
  EXPECT_FALSE(calendar->IsBankHoliday(2026_y / 12 / 26));
}

struct BadCsvCase {
  std::string_view csv;
  std::string_view message;  // The start of the message.
};

TEST(WorkingDaysTest, BadFilesNameTheFileLineAndField) {
  constexpr std::string_view kOk = "2026-12-25,Christmas Day,published\n";
  const std::vector<BadCsvCase> cases = {
      {"", "h.csv:1: header: the file is empty"},
      {"date,name\n2026-12-25,Christmas Day\n", "h.csv:1: header: expected 'date,name,status'"},
      {"Date,Name,Status\n", "h.csv:1: header: expected"},
      {"date,name,status\n", "h.csv: lists no bank holidays"},
      {"date,name,status\n2026-02-30,Nonsense,published\n",
       "h.csv:2: date: '2026-02-30' is not a real calendar date"},
      {"date,name,status\n2026-12-25,Christmas Day,published\n2026-13-01,X,published\n",
       "h.csv:3: date: '2026-13-01' is not a real calendar date"},
      {"date,name,status\n25/12/2026,Christmas Day,published\n", "h.csv:2: date: '25/12/2026'"},
      {"date,name,status\n,Christmas Day,published\n", "h.csv:2: date: is required"},
      {"date,name,status\n2026-12-26,Boxing Day,published\n",
       "h.csv:2: date: 2026-12-26 is a Saturday"},
      {"date,name,status\n2026-12-25,,published\n", "h.csv:2: name: is required"},
      {"date,name,status\n2026-12-25,Christmas Day,maybe\n", "h.csv:2: status: 'maybe' is not"},
      {"date,name,status\n2026-12-25,Christmas Day,\n", "h.csv:2: status: '' is not"},
      {"date,name,status\n2026-12-25,Christmas Day\n", "h.csv:2: expected 3 fields"},
      {"date,name,status\n2026-12-25,Christmas, Day,published\n",
       "h.csv:2: expected 3 fields (date,name,status), found 4"},
      {"date,name,status\n2026-12-25,\"Christmas Day,published\n",
       "h.csv:2: name: the quote is never closed"},
      {"date,name,status\n2026-12-25,\"Christmas\" Day,published\n",
       "h.csv:2: name: text after the closing quote"},
      {"date,name,status\n2026-12-25,Christmas \"Day\",published\n", "h.csv:2: name: a quote"},
      {std::string_view("date,name,status\n2026-12-25,Christmas Day,published\n"
                        "2026-12-25,Christmas Day,published\n"),
       "h.csv:3: date: 2026-12-25 is listed twice"},
      {"date,name,status\n2024-12-25,Christmas Day,published\n2026-12-25,Christmas Day,published\n",
       "h.csv: lists no bank holidays for 2025"},
  };
  for (const BadCsvCase& c : cases) {
    SCOPED_TRACE(c.csv);
    const StatusOr<WorkingCalendar> calendar = WorkingCalendar::Parse(c.csv, "h.csv");
    ASSERT_FALSE(calendar.ok());
    EXPECT_EQ(calendar.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(calendar.status().message(), StartsWith(c.message));
  }
  EXPECT_TRUE(WorkingCalendar::Parse("date,name,status\n" + std::string(kOk), "h.csv").ok());
}

}  // namespace
}  // namespace tendon
