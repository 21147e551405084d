// Instants and calendar dates.
//
// An Instant is a point on the UTC timeline with millisecond precision; every stored time is one. A
// Date is a calendar day with no time zone; which zone a date was read in is the caller's business
// (see london_time.h for Europe/London, where the service reasons and shows times).
#ifndef TENDON_CORE_TIME_H_
#define TENDON_CORE_TIME_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "date/date.h"

namespace tendon {

using Instant = date::sys_time<std::chrono::milliseconds>;
using Date = date::sys_days;

// Milliseconds since 1970-01-01T00:00:00Z, as stored.
inline std::int64_t ToUnixMillis(Instant t) { return t.time_since_epoch().count(); }
inline Instant FromUnixMillis(std::int64_t ms) { return Instant(std::chrono::milliseconds(ms)); }

// The system clock's time now, to the millisecond.
inline Instant Now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

// "2026-11-24T08:14:46Z", or "2026-11-24T08:14:46.250Z" when there are milliseconds.
std::string FormatInstant(Instant t);
// Parses the two forms FormatInstant writes (the trailing Z is required). `field` names the input
// in the InvalidArgument error.
StatusOr<Instant> ParseInstant(std::string_view text, std::string_view field = "time");

// "2026-11-24".
std::string FormatDate(Date d);
// Parses a real calendar date written YYYY-MM-DD (2026-02-30 is refused).
StatusOr<Date> ParseDate(std::string_view text, std::string_view field = "date");

// `t` plus `months` calendar months, at the same time of day (UTC), the day clamped to the end of
// a shorter month (31 January plus one month is 28 or 29 February).
Instant AddMonths(Instant t, int months);
// `d` less `months` calendar months, the day clamped likewise.
Date SubtractMonths(Date d, int months);

}  // namespace tendon

#endif  // TENDON_CORE_TIME_H_
