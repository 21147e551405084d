// Waiting-list allocation (the booking issue, point 5): proposing one slot for each referral on the
// waiting list, most urgent first, and the first-come-first-served baseline it is measured against.
// Pure functions over entries and slots the caller has read: no I/O and no clock reads. Safe to
// call from several threads on const data.
//
// Both allocators apply the same hard rules to every entry: a slot is proposed only when it starts
// after `now` and before the horizon ends, is not cancelled, has a place left (counting the places
// proposed to entries served before), has the need's type and modality, has a clinician holding
// the need's skill, is open to the entry's priority at `now` (SlotOpenTo: ring-fence and embargo),
// and, when it is face to face and a travel limit is set, is at a site whose distance from the
// patient is known and within the limit. So with a limit, a face-to-face slot is never proposed
// to a patient whose place is unknown, nor at a site without coordinates: the coordinator books
// such a patient by hand. Video and telephone slots need no travel.
//
// They differ in whom they serve first and which fitting slot they take:
//   Allocate:                entries by priority (emergency, urgent, post-op, routine), then those
//                            marked rebook_first, then the longest waiting (earliest
//                            waiting_since), then referral id. Each takes the London day of the
//                            earliest fitting slot and, when that slot is face to face, the
//                            fitting slot on that day nearest the patient: known distances
//                            before unknown ones, equal distances (and, when the patient's place
//                            is unknown, every slot) by start, then by the order of the slots
//                            given. When the earliest fitting slot is by video or telephone there
//                            is no journey to shorten, and it is taken.
//   AllocateFirstComeFirstServed: entries by waiting_since, then referral id, whatever their
//                            priority. Each takes the earliest fitting slot (equal starts in the
//                            order given), wherever it is.
#ifndef TENDON_SCHEDULING_ALLOCATE_H_
#define TENDON_SCHEDULING_ALLOCATE_H_

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/pathway.h"
#include "core/schedule.h"
#include "core/time.h"
#include "scheduling/search.h"

namespace tendon::scheduling {

// The farthest a patient is asked to travel to a face-to-face slot unless the coordinator says
// otherwise: every postcode district of the Oxfordshire demo service has at least two sites
// within 25 km.
inline constexpr double kDefaultMaxTravelKm = 30;
// How far ahead slots are proposed unless the coordinator says otherwise: the demo's forward
// diary.
inline constexpr std::chrono::weeks kDefaultAllocationHorizon{8};

struct AllocationOptions {
  // The travel limit for face-to-face slots, in km; 0: any distance, and then a slot whose distance
  // is unknown may be proposed too.
  double max_km = kDefaultMaxTravelKm;
  // Slots that start this long after `now` or later are not proposed.
  std::chrono::days horizon = kDefaultAllocationHorizon;
};

// One referral on the waiting list.
struct WaitingEntry {
  std::string referral_id;
  // What it needs booked; need.priority is the entry's priority.
  Need need;
  // Its latest appointment was cancelled by the service (a clinician unavailable): it goes before
  // others of its priority.
  bool rebook_first = false;
  Instant waiting_since{};  // When it joined the list.
  Origin origin;            // Where the patient is.
};

// A slot proposed for one entry.
struct Proposal {
  std::size_t entry = 0;  // Index into the entries given.
  Slot slot;  // A copy; `booked` counts the places proposed to entries served before too.
  // The patient's journey: the distance to the slot's site for a face-to-face slot, 0 for video and
  // telephone; none when a face-to-face slot's distance is unknown (possible only with no limit).
  std::optional<double> travel_km;
  // Whole days from the London date the entry joined the list to the London date of the slot, as
  // waits are counted in days: the nearest clinic on the earliest day costs no day of wait.
  int wait_days = 0;
};

enum class UnplacedReason {
  kNoSlot,        // No slot fits within the horizon.
  kPlaceUnknown,  // A face-to-face need, a travel limit, and the patient's place unknown.
};

struct Unplaced {
  std::size_t entry = 0;
  UnplacedReason reason = UnplacedReason::kNoSlot;
};

struct Allocation {
  std::vector<Proposal> proposals;  // In the order the entries were served.
  std::vector<Unplaced> unplaced;   // Likewise.
};

// The allocator. `slots` sorted by start, as search.h requires (asserted in debug builds).
// O(n log n) for n entries, plus, per entry, SearchSlots to the first fitting slot and
// SearchNearestSlots over that slot's day.
Allocation Allocate(std::span<const WaitingEntry> entries, std::span<const Slot> slots,
                    const SiteLocations& sites, const ClinicianSkills& skills, Instant now,
                    const AllocationOptions& options);

// The baseline, with the same hard rules and inputs.
Allocation AllocateFirstComeFirstServed(std::span<const WaitingEntry> entries,
                                        std::span<const Slot> slots, const SiteLocations& sites,
                                        const ClinicianSkills& skills, Instant now,
                                        const AllocationOptions& options);

// Emergency, urgent and post-operative patients: those the comparison's priority figures cover.
bool IsPriorityPatient(Priority priority);

// The figures an allocation is judged by: waits (Proposal::wait_days) over the placed entries only.
struct AllocationFigures {
  int waiting = 0;                     // Entries.
  int placed = 0;                      // Entries with a proposal.
  int priority_waiting = 0;            // Priority patients (IsPriorityPatient) among the entries.
  int priority_placed = 0;             // Priority patients with a proposal.
  double priority_mean_wait_days = 0;  // Mean over placed priority patients; 0 when none.
  double priority_p90_wait_days = 0;   // 90th percentile (nearest rank) of the same; 0 when none.
  double mean_wait_days = 0;           // Mean over every placed entry; 0 when none.
  double travel_km = 0;                // The sum of the proposals' known travel_km.
};

// The figures of `allocation`, made from `entries` by Allocate or AllocateFirstComeFirstServed.
AllocationFigures Figures(std::span<const WaitingEntry> entries, const Allocation& allocation);

}  // namespace tendon::scheduling

#endif  // TENDON_SCHEDULING_ALLOCATE_H_
