#include "core/time.h"

#include <cstddef>
#include <optional>

namespace tendon {
namespace {

constexpr std::size_t kDateLength = 10;     // YYYY-MM-DD
constexpr std::size_t kInstantLength = 19;  // YYYY-MM-DDTHH:MM:SS, before any fraction and the Z
constexpr std::size_t kMaxQuoted = 40;      // Longer input is cut in error messages.

// The input, quoted and cut short, for error messages.
std::string Quote(std::string_view text) {
  if (text.size() <= kMaxQuoted) return "'" + std::string(text) + "'";
  return "'" + std::string(text.substr(0, kMaxQuoted)) + "...'";
}

// The number written by the `count` ASCII digits of `text` at `pos`, or nullopt if any is not a
// digit.
std::optional<int> Digits(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

Status BadForm(std::string_view text, std::string_view expected, std::string_view field) {
  return InvalidArgumentError(Quote(text) + " is not written " + std::string(expected),
                              std::string(field));
}

// Parses the YYYY-MM-DD at the start of `text` (at least 10 characters); ignores what follows.
StatusOr<Date> ParseDatePrefix(std::string_view text, std::string_view expected,
                               std::string_view field) {
  auto y = Digits(text, 0, 4);
  auto m = Digits(text, 5, 2);
  auto d = Digits(text, 8, 2);
  if (!y || !m || !d || text[4] != '-' || text[7] != '-') return BadForm(text, expected, field);
  date::year_month_day ymd{date::year(*y), date::month(static_cast<unsigned>(*m)),
                           date::day(static_cast<unsigned>(*d))};
  if (!ymd.ok()) {
    return InvalidArgumentError(Quote(text.substr(0, kDateLength)) + " is not a real calendar date",
                                std::string(field));
  }
  return Date(ymd);
}

// Parses the "HH:MM:SS" after the "YYYY-MM-DDT" of `text` (at least 19 characters).
StatusOr<std::chrono::seconds> ParseClock(std::string_view text, std::string_view expected,
                                          std::string_view field) {
  auto h = Digits(text, 11, 2);
  auto m = Digits(text, 14, 2);
  auto s = Digits(text, 17, 2);
  if (!h || !m || !s || text[13] != ':' || text[16] != ':') return BadForm(text, expected, field);
  if (*h > 23 || *m > 59 || *s > 59) {
    return InvalidArgumentError(
        Quote(text) + " is not a real time of day (hours 00-23, minutes and seconds 00-59)",
        std::string(field));
  }
  return std::chrono::hours(*h) + std::chrono::minutes(*m) + std::chrono::seconds(*s);
}

// Parses what follows the seconds: an optional ".mmm" and the required "Z".
StatusOr<std::chrono::milliseconds> ParseSuffix(std::string_view text, std::string_view field) {
  std::string_view rest = text.substr(kInstantLength);
  std::chrono::milliseconds millis{0};
  if (!rest.empty() && rest[0] == '.') {
    auto ms = Digits(rest, 1, 3);
    if (!ms || (rest.size() > 4 && rest[4] >= '0' && rest[4] <= '9')) {
      return InvalidArgumentError(Quote(text) + " must have exactly three digits of milliseconds",
                                  std::string(field));
    }
    millis = std::chrono::milliseconds(*ms);
    rest.remove_prefix(4);
  }
  if (rest.empty()) {
    return InvalidArgumentError(Quote(text) + " lacks the trailing 'Z' that marks a UTC time",
                                std::string(field));
  }
  if (rest != "Z") {
    return InvalidArgumentError(Quote(text) + " has " + Quote(rest) +
                                    " after the time; expected only 'Z' (times are in UTC)",
                                std::string(field));
  }
  return millis;
}

}  // namespace

std::string FormatInstant(Instant t) {
  const auto seconds = date::floor<std::chrono::seconds>(t);
  std::string out = date::format("%FT%T", seconds);
  const auto millis = (t - seconds).count();
  if (millis != 0) {
    out += '.';
    out += static_cast<char>('0' + millis / 100);
    out += static_cast<char>('0' + millis / 10 % 10);
    out += static_cast<char>('0' + millis % 10);
  }
  out += 'Z';
  return out;
}

StatusOr<Instant> ParseInstant(std::string_view text, std::string_view field) {
  constexpr std::string_view kExpected = "YYYY-MM-DDTHH:MM:SSZ (for example 2026-11-24T08:14:46Z)";
  if (text.empty()) return InvalidArgumentError("is required", std::string(field));
  if (text.size() < kInstantLength) return BadForm(text, kExpected, field);
  ASSIGN_OR_RETURN(Date day, ParseDatePrefix(text, kExpected, field));
  if (text[kDateLength] != 'T') {
    return InvalidArgumentError(Quote(text) + " needs a 'T' between the date and the time",
                                std::string(field));
  }
  ASSIGN_OR_RETURN(std::chrono::seconds clock, ParseClock(text, kExpected, field));
  ASSIGN_OR_RETURN(std::chrono::milliseconds millis, ParseSuffix(text, field));
  return Instant(day) + clock + millis;
}

std::string FormatDate(Date d) { return date::format("%F", d); }

StatusOr<Date> ParseDate(std::string_view text, std::string_view field) {
  constexpr std::string_view kExpected = "YYYY-MM-DD (for example 2026-11-24)";
  if (text.empty()) return InvalidArgumentError("is required", std::string(field));
  if (text.size() < kDateLength) return BadForm(text, kExpected, field);
  ASSIGN_OR_RETURN(Date day, ParseDatePrefix(text, kExpected, field));
  if (text.size() > kDateLength) {
    return InvalidArgumentError(Quote(text) + " has " + Quote(text.substr(kDateLength)) +
                                    " after the date; expected only YYYY-MM-DD",
                                std::string(field));
  }
  return day;
}

namespace {

date::year_month_day ClampToMonth(date::year_month_day ymd) {
  if (ymd.ok()) return ymd;
  return date::year_month_day(date::year_month_day_last(ymd.year(), ymd.month() / date::last));
}

}  // namespace

Instant AddMonths(Instant t, int months) {
  const Date day = date::floor<date::days>(t);
  const auto ymd = ClampToMonth(date::year_month_day(day) + date::months(months));
  return Instant(Date(ymd)) + (t - Instant(day));
}

Date SubtractMonths(Date d, int months) {
  return Date(ClampToMonth(date::year_month_day(d) - date::months(months)));
}

}  // namespace tendon
