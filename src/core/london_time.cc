#include "core/london_time.h"

#include <exception>

#include "date/tz.h"

namespace tendon {
namespace {

constexpr std::chrono::minutes kDay = std::chrono::hours(24);

// Thread-safe: a function-local static is initialised once; the zone is immutable afterwards.
const date::time_zone* London() {
  static const date::time_zone* const zone = date::locate_zone("Europe/London");
  return zone;
}

date::local_time<std::chrono::milliseconds> ToLocal(Instant t) { return London()->to_local(t); }

std::string Clock(std::chrono::minutes time_of_day) { return date::format("%H:%M", time_of_day); }

}  // namespace

Status CheckLondonTimeZone() {
  try {
    London();
    return OkStatus();
  } catch (const std::exception& e) {
    return UnavailableError(std::string("cannot load time zone Europe/London: ") + e.what());
  }
}

Date LondonDate(Instant t) { return Date(date::floor<date::days>(ToLocal(t)).time_since_epoch()); }

std::chrono::minutes LondonTimeOfDay(Instant t) {
  const auto local = ToLocal(t);
  return date::floor<std::chrono::minutes>(local - date::floor<date::days>(local));
}

StatusOr<Instant> FromLondon(Date d, std::chrono::minutes time_of_day, std::string_view field) {
  if (time_of_day < std::chrono::minutes(0) || time_of_day >= kDay) {
    return InvalidArgumentError("a time of day must be from 00:00 to 23:59", std::string(field));
  }
  const date::local_time<std::chrono::minutes> local =
      date::local_days(d.time_since_epoch()) + time_of_day;
  const date::local_info info = London()->get_info(local);
  if (info.result == date::local_info::nonexistent) {
    return InvalidArgumentError(Clock(time_of_day) + " on " + FormatDate(d) +
                                    " does not exist in London: the clocks went forward an hour",
                                std::string(field));
  }
  // Unique and ambiguous alike: `first` is the offset in force before any change, which for the
  // repeated autumn hour is BST, the earlier of the two instants.
  return Instant(date::sys_seconds(local.time_since_epoch() - info.first.offset));
}

std::string FormatLondon(Instant t) {
  const date::zoned_time<std::chrono::minutes> zoned(London(),
                                                     date::floor<std::chrono::minutes>(t));
  return date::format("%F %H:%M %Z", zoned);
}

}  // namespace tendon
