#include "core/working_days.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <set>
#include <string>
#include <utility>

namespace tendon {
namespace {

constexpr std::string_view kHeader = "date,name,status";
constexpr std::array<std::string_view, 3> kColumns{"date", "name", "status"};
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr int kDaysPerWeek = 7;
constexpr int kWorkingDaysPerWeek = 5;
// 1970-01-05, the first Monday after the sys_days epoch (a Thursday).
constexpr date::sys_days kMondayOrigin = date::sys_days(date::days(4));

bool IsWeekend(Date d) {
  const date::weekday wd(d);
  return wd == date::Saturday || wd == date::Sunday;
}

int YearOf(Date d) { return static_cast<int>(date::year_month_day(d).year()); }

// The number of Mondays-to-Fridays in (kMondayOrigin - 1 day, d]; negative before the origin.
// Differences of it count weekdays between two dates without walking the calendar.
long WeekdayIndex(Date d) {
  const long n = (d - kMondayOrigin).count();
  long weeks = n / kDaysPerWeek;
  long rest = n % kDaysPerWeek;
  if (rest < 0) {
    rest += kDaysPerWeek;
    --weeks;
  }
  return weeks * kWorkingDaysPerWeek + std::min<long>(rest + 1, kWorkingDaysPerWeek);
}

// One line of the data file: its number (1-based) and its text without the line ending.
struct Line {
  int number;
  std::string_view text;
};

std::vector<Line> SplitLines(std::string_view text) {
  std::vector<Line> lines;
  int number = 1;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back({number++, line});
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::string ColumnName(std::size_t index) {
  if (index < kColumns.size()) return std::string(kColumns[index]);
  return "field " + std::to_string(index + 1);
}

// Reads one field starting at `pos`, quoted ("a, b" with "" for a quote) or not; advances `pos`
// past it. The error message names the field; the caller adds the file and line.
StatusOr<std::string> ReadField(std::string_view line, std::size_t& pos, std::size_t index) {
  std::string value;
  if (pos >= line.size() || line[pos] != '"') {
    const std::size_t end = std::min(line.find(',', pos), line.size());
    value = std::string(line.substr(pos, end - pos));
    pos = end;
    if (value.find('"') != std::string::npos) {
      return InvalidArgumentError(ColumnName(index) +
                                  ": a quote may only open and close a field, as in \"a, b\"");
    }
    return value;
  }
  for (++pos; pos < line.size(); ++pos) {
    if (line[pos] != '"') {
      value += line[pos];
    } else if (pos + 1 < line.size() && line[pos + 1] == '"') {
      value += '"';
      ++pos;
    } else {
      ++pos;
      if (pos < line.size() && line[pos] != ',') {
        return InvalidArgumentError(ColumnName(index) + ": text after the closing quote");
      }
      return value;
    }
  }
  return InvalidArgumentError(ColumnName(index) + ": the quote is never closed");
}

// The fields of a CSV line: commas separate them; a field may be quoted to hold a comma.
StatusOr<std::vector<std::string>> SplitFields(std::string_view line) {
  std::vector<std::string> fields;
  std::size_t pos = 0;
  while (true) {
    ASSIGN_OR_RETURN(std::string field, ReadField(line, pos, fields.size()));
    fields.push_back(std::move(field));
    if (pos >= line.size()) return fields;
    ++pos;  // The comma.
  }
}

// A bank holiday read from one line.
struct Row {
  Date date;
  std::string name;
};

StatusOr<Row> ParseRow(std::string_view line) {
  ASSIGN_OR_RETURN(std::vector<std::string> fields, SplitFields(line));
  if (fields.size() != kColumns.size()) {
    return InvalidArgumentError("expected 3 fields (date,name,status), found " +
                                std::to_string(fields.size()) +
                                "; a name with a comma must be quoted");
  }
  StatusOr<Date> date = ParseDate(fields[0]);
  if (!date.ok()) return InvalidArgumentError("date: " + date.status().message());
  if (IsWeekend(*date)) {
    return InvalidArgumentError("date: " + fields[0] + " is a " +
                                (date::weekday(*date) == date::Saturday ? "Saturday" : "Sunday") +
                                "; a bank holiday that falls on one is listed by its "
                                "substitute weekday");
  }
  if (fields[1].empty()) return InvalidArgumentError("name: is required");
  if (fields[2] != "published" && fields[2] != "projected") {
    return InvalidArgumentError("status: '" + fields[2] +
                                "' is not a status; expected published or projected");
  }
  return Row{*date, std::move(fields[1])};
}

Status CheckHeader(const std::vector<Line>& lines, std::string_view file) {
  std::string_view header = lines.empty() ? std::string_view() : lines[0].text;
  if (header.substr(0, kUtf8Bom.size()) == kUtf8Bom) header.remove_prefix(kUtf8Bom.size());
  if (header == kHeader) return OkStatus();
  if (lines.empty()) {
    return InvalidArgumentError(std::string(file) + ":1: header: the file is empty; expected '" +
                                std::string(kHeader) + "'");
  }
  return InvalidArgumentError(std::string(file) + ":1: header: expected '" + std::string(kHeader) +
                              "', found '" + std::string(header) + "'");
}

// Every year from the first to the last must list at least one bank holiday, or the file was cut.
Status CheckYears(const std::vector<Date>& holidays, std::string_view file) {
  if (holidays.empty()) return InvalidArgumentError(std::string(file) + ": lists no bank holidays");
  std::set<int> years;
  for (Date d : holidays) years.insert(YearOf(d));
  for (int y = *years.begin(); y <= *years.rbegin(); ++y) {
    if (!years.contains(y)) {
      return InvalidArgumentError(std::string(file) + ": lists no bank holidays for " +
                                  std::to_string(y) + ", between years it does list");
    }
  }
  return OkStatus();
}

}  // namespace

StatusOr<WorkingCalendar> WorkingCalendar::Parse(std::string_view csv_text, std::string_view file) {
  const std::vector<Line> lines = SplitLines(csv_text);
  RETURN_IF_ERROR(CheckHeader(lines, file));
  std::vector<Date> holidays;
  std::set<Date> seen;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].text.empty()) continue;
    const std::string where = std::string(file) + ":" + std::to_string(lines[i].number) + ": ";
    StatusOr<Row> row = ParseRow(lines[i].text);
    if (!row.ok()) return InvalidArgumentError(where + row.status().message());
    if (!seen.insert(row->date).second) {
      return InvalidArgumentError(where + "date: " + FormatDate(row->date) + " is listed twice");
    }
    holidays.push_back(row->date);
  }
  RETURN_IF_ERROR(CheckYears(holidays, file));
  return WorkingCalendar(std::move(holidays));
}

WorkingCalendar::WorkingCalendar(std::vector<Date> bank_holidays)
    : holidays_(std::move(bank_holidays)) {
  std::sort(holidays_.begin(), holidays_.end());
  holidays_.erase(std::unique(holidays_.begin(), holidays_.end()), holidays_.end());
  if (!holidays_.empty()) {
    first_year_ = YearOf(holidays_.front());
    last_year_ = YearOf(holidays_.back());
  }
}

bool WorkingCalendar::IsBankHoliday(Date d) const {
  return std::binary_search(holidays_.begin(), holidays_.end(), d);
}

bool WorkingCalendar::IsWorkingDay(Date d) const { return !IsWeekend(d) && !IsBankHoliday(d); }

Date WorkingCalendar::AddWorkingDays(Date d, int n) const {
  const date::days step(n < 0 ? -1 : 1);
  if (n == 0) {
    while (!IsWorkingDay(d)) d += step;
    return d;
  }
  long left = n < 0 ? -static_cast<long>(n) : n;  // Widened: -INT_MIN overflows an int.
  while (left > 0) {
    d += step;
    if (IsWorkingDay(d)) --left;
  }
  return d;
}

int WorkingCalendar::WorkingDaysBetween(Date from, Date to) const {
  if (to <= from) return 0;
  long count = WeekdayIndex(to) - WeekdayIndex(from);
  // Bank holidays in (from, to] that fall on a weekday; a test calendar may hold weekend dates.
  auto first = std::upper_bound(holidays_.begin(), holidays_.end(), from);
  auto last = std::upper_bound(first, holidays_.end(), to);
  count -= std::count_if(first, last, [](Date d) { return !IsWeekend(d); });
  return static_cast<int>(count);
}

bool WorkingCalendar::Covers(Date d) const {
  const int year = YearOf(d);
  return year >= first_year_ && year <= last_year_;
}

}  // namespace tendon
