#include "scheduling/allocate.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <tuple>

#include "core/london_time.h"

namespace tendon::scheduling {
namespace {

// The share of priority waits at or below the percentile Figures reports.
constexpr double kWaitPercentile = 0.9;

bool StartsBefore(const Slot& slot, Instant t) { return slot.start < t; }

bool Remote(Modality modality) { return modality != Modality::kFaceToFace; }

// The slots an allocation may propose: those starting after now and within the horizon, less,
// under a travel limit, the face-to-face slots at sites with no known place (their distance could
// never be judged). Copied, so that places can be taken as entries are served.
std::vector<Slot> Offerable(std::span<const Slot> slots, const SiteLocations& sites, Instant now,
                            const AllocationOptions& options) {
  const auto after = [](Instant t, const Slot& slot) { return t < slot.start; };
  const auto first = std::upper_bound(slots.begin(), slots.end(), now, after);
  const auto end = std::lower_bound(first, slots.end(), now + options.horizon, StartsBefore);
  std::vector<Slot> offerable;
  offerable.reserve(static_cast<std::size_t>(end - first));
  for (auto it = first; it != end; ++it) {
    if (options.max_km > 0 && !Remote(it->modality) && !sites.contains(it->site_id)) continue;
    offerable.push_back(*it);
  }
  return offerable;
}

// The hard rules as search preferences: the travel limit and, for a patient whose place is
// unknown under a limit, video and telephone slots only.
Preferences Limits(const WaitingEntry& entry, const AllocationOptions& options) {
  Preferences prefs;
  prefs.max_km = options.max_km;
  if (options.max_km > 0 && !entry.origin.known) {
    prefs.modalities = {Modality::kVideo, Modality::kTelephone};
  }
  return prefs;
}

UnplacedReason WhyUnplaced(const WaitingEntry& entry, const AllocationOptions& options) {
  const bool may_need_travel = !entry.need.modality || !Remote(*entry.need.modality);
  return options.max_km > 0 && !entry.origin.known && may_need_travel
             ? UnplacedReason::kPlaceUnknown
             : UnplacedReason::kNoSlot;
}

// Everything one allocation run reads, and the places it has taken so far (in `free`).
struct Run {
  std::vector<Slot> free;
  const SiteLocations& sites;
  const ClinicianSkills& skills;
  Instant now;
  AllocationOptions options;
  bool nearest_on_day;
};

// On the London day of `first` (the earliest fitting slot), the fitting slot nearest the patient.
Candidate NearestOnDay(const Run& run, const WaitingEntry& entry, const Preferences& prefs,
                       const Candidate& first) {
  const StatusOr<Instant> next_day =
      FromLondon(LondonDate(first.slot.start) + date::days(1), std::chrono::minutes(0));
  if (!next_day.ok()) return first;  // London midnight always exists; kept for safety.
  const auto begin =
      std::lower_bound(run.free.begin(), run.free.end(), first.slot.start, StartsBefore);
  const auto end = std::lower_bound(begin, run.free.end(), *next_day, StartsBefore);
  std::vector<Candidate> nearest =
      SearchNearestSlots(std::span<const Slot>(begin, end), entry.need, prefs, entry.origin,
                         run.sites, run.skills, run.now, 1);
  return nearest.empty() ? first : nearest.front();
}

// Takes a place in the free slot `chosen` names.
void TakePlace(Run& run, const Slot& chosen) {
  auto it = std::lower_bound(run.free.begin(), run.free.end(), chosen.start, StartsBefore);
  while (it != run.free.end() && it->id != chosen.id) ++it;
  if (it != run.free.end()) ++it->booked;
}

// Serves one entry: a proposal, or none when no slot fits.
std::optional<Proposal> Serve(Run& run, std::span<const WaitingEntry> entries, std::size_t index) {
  const WaitingEntry& entry = entries[index];
  const Preferences prefs = Limits(entry, run.options);
  std::vector<Candidate> earliest =
      SearchSlots(run.free, entry.need, prefs, entry.origin, run.sites, run.skills, run.now, 1);
  if (earliest.empty()) return std::nullopt;
  const bool travels = !Remote(earliest.front().slot.modality);
  const Candidate chosen = run.nearest_on_day && travels
                               ? NearestOnDay(run, entry, prefs, earliest.front())
                               : earliest.front();
  TakePlace(run, chosen.slot);
  Proposal proposal;
  proposal.entry = index;
  proposal.slot = chosen.slot;
  proposal.travel_km = Remote(chosen.slot.modality) ? std::optional<double>(0) : chosen.distance_km;
  proposal.wait_days =
      static_cast<int>((LondonDate(chosen.slot.start) - LondonDate(entry.waiting_since)).count());
  return proposal;
}

Allocation AllocateInOrder(std::span<const WaitingEntry> entries,
                           const std::vector<std::size_t>& order, Run run) {
  Allocation allocation;
  for (const std::size_t index : order) {
    if (auto proposal = Serve(run, entries, index)) {
      allocation.proposals.push_back(std::move(*proposal));
    } else {
      allocation.unplaced.push_back({index, WhyUnplaced(entries[index], run.options)});
    }
  }
  return allocation;
}

// The entries' indices sorted by `key`.
template <typename Key>
std::vector<std::size_t> OrderBy(std::span<const WaitingEntry> entries, Key key) {
  std::vector<std::size_t> order(entries.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return key(entries[a]) < key(entries[b]); });
  return order;
}

}  // namespace

Allocation Allocate(std::span<const WaitingEntry> entries, std::span<const Slot> slots,
                    const SiteLocations& sites, const ClinicianSkills& skills, Instant now,
                    const AllocationOptions& options) {
  const auto order = OrderBy(entries, [](const WaitingEntry& e) {
    return std::tuple<Priority, bool, Instant, const std::string&>(e.need.priority, !e.rebook_first,
                                                                   e.waiting_since, e.referral_id);
  });
  return AllocateInOrder(
      entries, order, {Offerable(slots, sites, now, options), sites, skills, now, options, true});
}

Allocation AllocateFirstComeFirstServed(std::span<const WaitingEntry> entries,
                                        std::span<const Slot> slots, const SiteLocations& sites,
                                        const ClinicianSkills& skills, Instant now,
                                        const AllocationOptions& options) {
  const auto order = OrderBy(entries, [](const WaitingEntry& e) {
    return std::tuple<Instant, const std::string&>(e.waiting_since, e.referral_id);
  });
  return AllocateInOrder(
      entries, order, {Offerable(slots, sites, now, options), sites, skills, now, options, false});
}

bool IsPriorityPatient(Priority priority) { return priority != Priority::kRoutine; }

AllocationFigures Figures(std::span<const WaitingEntry> entries, const Allocation& allocation) {
  AllocationFigures figures;
  figures.waiting = static_cast<int>(entries.size());
  for (const WaitingEntry& e : entries)
    figures.priority_waiting += IsPriorityPatient(e.need.priority);
  std::vector<double> priority_waits;
  double total_wait = 0;
  for (const Proposal& p : allocation.proposals) {
    ++figures.placed;
    total_wait += p.wait_days;
    figures.travel_km += p.travel_km.value_or(0);
    if (IsPriorityPatient(entries[p.entry].need.priority)) priority_waits.push_back(p.wait_days);
  }
  figures.priority_placed = static_cast<int>(priority_waits.size());
  if (figures.placed > 0) figures.mean_wait_days = total_wait / figures.placed;
  if (priority_waits.empty()) return figures;
  std::sort(priority_waits.begin(), priority_waits.end());
  figures.priority_mean_wait_days =
      std::accumulate(priority_waits.begin(), priority_waits.end(), 0.0) /
      static_cast<double>(priority_waits.size());
  const auto rank = static_cast<std::size_t>(
      std::ceil(kWaitPercentile * static_cast<double>(priority_waits.size())));
  figures.priority_p90_wait_days = priority_waits[std::max<std::size_t>(rank, 1) - 1];
  return figures;
}

}  // namespace tendon::scheduling
