#include "scheduling/search.h"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cmath>
#include <string_view>
#include <tuple>

#include "core/london_time.h"
#include "date/date.h"
#include "scheduling/geo.h"
#include "scheduling/slots.h"

namespace tendon::scheduling {
namespace {

constexpr int kFirstIsoDay = 1;
constexpr int kLastIsoDay = 7;

template <typename T>
bool Contains(const std::vector<T>& list, const T& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// The first slot that starts after `now`.
std::span<const Slot>::iterator FirstAfter(std::span<const Slot> slots, Instant now) {
  assert(std::is_sorted(slots.begin(), slots.end(),
                        [](const Slot& a, const Slot& b) { return a.start < b.start; }) &&
         "slots must be sorted by start");
  return std::upper_bound(slots.begin(), slots.end(), now,
                          [](Instant t, const Slot& slot) { return t < slot.start; });
}

// One need and one set of preferences, ready to test many slots against. Holds references to its
// arguments, which must outlive it.
class Matcher {
 public:
  Matcher(const Need& need, const Preferences& prefs, const Origin& origin,
          const SiteLocations& sites, const ClinicianSkills& skills, Instant now)
      : need_(need), prefs_(prefs), skills_(skills), now_(now) {
    times_matter_ = !prefs.weekdays.empty() || prefs.earliest_minute > 0 ||
                    prefs.latest_minute < kMinutesPerDay;
    if (!origin.known) return;
    for (const auto& [id, place] : sites) {
      site_km_.emplace(id, DistanceKm(origin.lat, origin.lon, place.lat, place.lon));
    }
  }

  // True when `slot` matches; then `distance_km` is its distance (none when unknown).
  bool Matches(const Slot& slot, std::optional<double>& distance_km) const {
    if (slot.cancelled || slot.booked >= slot.capacity || slot.type != need_.type) return false;
    if (need_.modality && slot.modality != *need_.modality) return false;
    if (!prefs_.modalities.empty() && !Contains(prefs_.modalities, slot.modality)) return false;
    if (!prefs_.sites.empty() && !Contains(prefs_.sites, slot.site_id)) return false;
    if (!SlotOpenTo(slot, need_.priority, now_)) return false;
    if (!need_.skill.empty() && !ClinicianHasSkill(slot.clinician_id)) return false;
    if (times_matter_ && !WithinTimes(slot)) return false;
    distance_km = DistanceTo(slot.site_id);
    return !(distance_km && slot.modality == Modality::kFaceToFace && prefs_.max_km > 0 &&
             *distance_km > prefs_.max_km);
  }

 private:
  bool ClinicianHasSkill(const std::string& clinician_id) const {
    const auto it = skills_.find(clinician_id);
    return it != skills_.end() && Contains(it->second, need_.skill);
  }

  bool WithinTimes(const Slot& slot) const {
    if (!prefs_.weekdays.empty()) {
      const int iso = static_cast<int>(date::weekday(LondonDate(slot.start)).iso_encoding());
      if (!Contains(prefs_.weekdays, iso)) return false;
    }
    const auto start = LondonTimeOfDay(slot.start);
    const auto end =
        start + std::chrono::duration_cast<std::chrono::minutes>(slot.end - slot.start);
    return start.count() >= prefs_.earliest_minute && end.count() <= prefs_.latest_minute;
  }

  std::optional<double> DistanceTo(std::string_view site_id) const {
    const auto it = site_km_.find(site_id);
    if (it == site_km_.end()) return std::nullopt;
    return it->second;
  }

  const Need& need_;
  const Preferences& prefs_;
  const ClinicianSkills& skills_;
  Instant now_;
  bool times_matter_ = false;
  // Site id (a view into the SiteLocations' keys) -> km from the origin; empty when it is unknown.
  std::unordered_map<std::string_view, double> site_km_;
};

// A match in SearchNearestSlots, before its slot is copied out.
struct Hit {
  std::size_t index;  // Into the span.
  std::optional<double> distance_km;
  Instant start;
};

// Nearer first: known distances before unknown, then by distance, start and span order.
bool Nearer(const Hit& a, const Hit& b) {
  const auto key = [](const Hit& h) {
    return std::make_tuple(!h.distance_km.has_value(), h.distance_km.value_or(0), h.start, h.index);
  };
  return key(a) < key(b);
}

}  // namespace

Status CheckPreferences(const Preferences& p) {
  for (const int day : p.weekdays) {
    if (day < kFirstIsoDay || day > kLastIsoDay) {
      return InvalidArgumentError("a weekday is from 1 (Monday) to 7 (Sunday)", "weekdays");
    }
  }
  if (p.earliest_minute < 0 || p.earliest_minute > kMinutesPerDay) {
    return InvalidArgumentError("must be from 0 to 1440 minutes past midnight", "earliest_minute");
  }
  if (p.latest_minute < 0 || p.latest_minute > kMinutesPerDay) {
    return InvalidArgumentError("must be from 0 to 1440 minutes past midnight", "latest_minute");
  }
  if (p.earliest_minute >= p.latest_minute) {
    return InvalidArgumentError("must be after earliest_minute", "latest_minute");
  }
  if (!std::isfinite(p.max_km) || p.max_km < 0) {
    return InvalidArgumentError("must be 0 (any distance) or a positive number of km", "max_km");
  }
  return OkStatus();
}

std::vector<Candidate> SearchSlots(std::span<const Slot> slots, const Need& need,
                                   const Preferences& prefs, const Origin& origin,
                                   const SiteLocations& sites, const ClinicianSkills& skills,
                                   Instant now, std::size_t limit) {
  std::vector<Candidate> found;
  if (limit == 0) return found;
  const Matcher matcher(need, prefs, origin, sites, skills, now);
  std::optional<double> distance_km;
  for (auto it = FirstAfter(slots, now); it != slots.end(); ++it) {
    if (!matcher.Matches(*it, distance_km)) continue;
    found.push_back({*it, distance_km});
    if (found.size() == limit) break;
  }
  return found;
}

std::vector<Candidate> SearchNearestSlots(std::span<const Slot> slots, const Need& need,
                                          const Preferences& prefs, const Origin& origin,
                                          const SiteLocations& sites, const ClinicianSkills& skills,
                                          Instant now, std::size_t limit) {
  std::vector<Candidate> found;
  if (limit == 0) return found;
  const Matcher matcher(need, prefs, origin, sites, skills, now);
  // A max-heap under Nearer of the best `limit` hits so far: its front is the one to drop next.
  std::vector<Hit> best;
  best.reserve(limit + 1);
  std::optional<double> distance_km;
  for (auto it = FirstAfter(slots, now); it != slots.end(); ++it) {
    if (!matcher.Matches(*it, distance_km)) continue;
    const Hit hit{static_cast<std::size_t>(it - slots.begin()), distance_km, it->start};
    if (best.size() == limit && !Nearer(hit, best.front())) continue;
    best.push_back(hit);
    std::push_heap(best.begin(), best.end(), Nearer);
    if (best.size() > limit) {
      std::pop_heap(best.begin(), best.end(), Nearer);
      best.pop_back();
    }
  }
  std::sort_heap(best.begin(), best.end(), Nearer);
  found.reserve(best.size());
  for (const Hit& hit : best) found.push_back({slots[hit.index], hit.distance_km});
  return found;
}

std::optional<int> NextAvailableWorkingDays(std::span<const Slot> slots, SlotType type,
                                            Modality modality, Instant now,
                                            const WorkingCalendar& calendar, Priority priority) {
  for (auto it = FirstAfter(slots, now); it != slots.end(); ++it) {
    const Slot& slot = *it;
    if (slot.cancelled || slot.booked >= slot.capacity) continue;
    if (slot.type != type || slot.modality != modality) continue;
    if (!SlotOpenTo(slot, priority, now)) continue;
    return calendar.WorkingDaysBetween(LondonDate(now), LondonDate(slot.start));
  }
  return std::nullopt;
}

}  // namespace tendon::scheduling
