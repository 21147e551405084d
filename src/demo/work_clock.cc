#include "demo/work_clock.h"

#include <chrono>
#include <cmath>

#include "core/london_time.h"

namespace tendon::demo::internal {
namespace {

constexpr int kMinutesPerHour = 60;

}  // namespace

WorkClock::WorkClock(const WorkingCalendar& calendar, int open_hour, int close_hour)
    : calendar_(calendar),
      open_minute_(open_hour * kMinutesPerHour),
      close_minute_(close_hour * kMinutesPerHour) {}

Instant WorkClock::At(Date d, int minute) const {
  const std::chrono::minutes time_of_day(minute);
  StatusOr<Instant> t = FromLondon(d, time_of_day);
  if (t.ok()) return *t;
  return Instant(d) + time_of_day;
}

Instant WorkClock::AddWorking(Instant t, double working_days) const {
  Date d = LondonDate(t);
  const int minute = static_cast<int>(LondonTimeOfDay(t).count());
  const double day_length = close_minute_ - open_minute_;
  double fraction = 0;
  if (!calendar_.IsWorkingDay(d) || minute >= close_minute_) {
    d = calendar_.AddWorkingDays(d, calendar_.IsWorkingDay(d) ? 1 : 0);
  } else if (minute > open_minute_) {
    fraction = (minute - open_minute_) / day_length;
  }
  const double x = fraction + working_days;
  const double whole = std::floor(x);
  d = calendar_.AddWorkingDays(d, static_cast<int>(whole));
  const int at = open_minute_ + static_cast<int>(std::lround((x - whole) * day_length));
  const Instant result = At(d, at);
  return result < t ? t : result;
}

Date WorkClock::NearestWorkingDay(Date d) const {
  if (calendar_.IsWorkingDay(d)) return d;
  const Date after = calendar_.AddWorkingDays(d, 0);
  const Date before = calendar_.AddWorkingDays(d, -1);
  return (d - before) < (after - d) ? before : after;
}

}  // namespace tendon::demo::internal
