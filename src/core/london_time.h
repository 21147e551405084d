// Europe/London local time, through Howard Hinnant's date/tz library and the system time zone
// database (Debian's tzdata). Instants are stored in UTC; the service shows and reasons in London
// time.
//
// The zone is looked up once, on first use, and is then read-only: every function here is safe to
// call from several threads. A machine without the zone is a broken installation, not a user error:
// the functions other than CheckLondonTimeZone then throw std::runtime_error from date/tz, so a
// program calls CheckLondonTimeZone at start-up and refuses to start when it fails.
#ifndef TENDON_CORE_LONDON_TIME_H_
#define TENDON_CORE_LONDON_TIME_H_

#include <chrono>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"

namespace tendon {

// OK when the Europe/London zone can be loaded; Unavailable saying why otherwise.
Status CheckLondonTimeZone();

// The calendar date in London at instant `t`.
Date LondonDate(Instant t);

// Minutes past London midnight at instant `t` (0-1439), seconds dropped. The wall clock, not the
// time elapsed: on the days the clocks change, 02:30 is 150 minutes however long the night was.
std::chrono::minutes LondonTimeOfDay(Instant t);

// The instant of wall-clock time `time_of_day` on London date `d`. In the autumn hour that happens
// twice (01:00-02:00 on the last Sunday of October) the earlier instant, the BST one, is chosen. A
// time in the spring gap (01:00-02:00 on the last Sunday of March) does not exist, and is refused
// with InvalidArgument naming `field`, as is a `time_of_day` outside 0-1439 minutes.
StatusOr<Instant> FromLondon(Date d, std::chrono::minutes time_of_day,
                             std::string_view field = "time");

// "2026-11-24 08:14 GMT" / "2026-07-01 09:30 BST": the London wall clock at `t`, seconds dropped.
std::string FormatLondon(Instant t);

}  // namespace tendon

#endif  // TENDON_CORE_LONDON_TIME_H_
