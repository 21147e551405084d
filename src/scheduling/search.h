// Slot search for a referral's need within a patient's preferences, earliest first or nearest
// first, and the "next available appointment" figure (the booking issue). Pure functions over a
// span of slots the caller has read: no I/O and no clock reads. Safe to call from several threads
// on const data.
//
// Every function here takes the slots as a span sorted by start (ascending; ties in any order) and
// finds the first slot after `now` by binary search, so the caller passes the horizon it wants
// searched (a year of slots for ten sites, about 50,000, is the planned size). Slots out of order
// are a programmer error (asserted in debug builds).
#ifndef TENDON_SCHEDULING_SEARCH_H_
#define TENDON_SCHEDULING_SEARCH_H_

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/pathway.h"
#include "core/schedule.h"
#include "core/status.h"
#include "core/time.h"
#include "core/working_days.h"

namespace tendon::scheduling {

// What a referral needs booked.
struct Need {
  SlotType type = SlotType::kNew;
  std::optional<Modality> modality;        // None: any modality.
  Priority priority = Priority::kRoutine;  // Decides which ring-fenced slots are open (SlotOpenTo).
  std::string
      skill;  // A skill the clinician must hold ("spine", "injection"); empty: any clinician.
};

// What the patient has asked for. Empty lists mean "any".
struct Preferences {
  std::vector<std::string> sites;  // Site ids.
  std::vector<int> weekdays;       // ISO: 1 Monday to 7 Sunday, of the slot's London date.
  // The slot starts at or after earliest_minute and ends by latest_minute, London wall clock.
  int earliest_minute = 0;
  int latest_minute = 1440;
  std::vector<Modality> modalities;
  // The farthest the patient will travel to a face-to-face slot, in km; 0: any distance. Applies
  // only where the distance is known (see Candidate::distance_km); video and telephone slots are
  // never too far.
  double max_km = 0;
};

// OK when `p` is well formed; otherwise InvalidArgument naming the field: weekdays (outside 1-7),
// earliest_minute or latest_minute (outside 0-1440, or earliest not before latest), max_km
// (negative or not finite). SearchSlots does not check: malformed preferences just match nothing
// (or, for max_km, nothing is too far).
Status CheckPreferences(const Preferences& p);

// Where the patient is: the centre of their postcode district, when it is known.
struct Origin {
  double lat = 0;
  double lon = 0;
  bool known = false;
};

struct LatLon {
  double lat = 0;
  double lon = 0;
};
using SiteLocations = std::unordered_map<std::string, LatLon>;  // site id -> place
using ClinicianSkills = std::unordered_map<std::string, std::vector<std::string>>;  // id -> skills

struct Candidate {
  Slot slot;  // A copy of the matching slot.
  // From the origin to the slot's site, by DistanceKm; none when the origin is unknown or the site
  // is not in the SiteLocations.
  std::optional<double> distance_km;
};

// The slots a referral with `need` could book at `now`, at most `limit` of them, earliest first
// (equal starts in span order). A slot matches when it:
//   starts after now; is not cancelled; has a place free (booked < capacity);
//   is open to need.priority at now (SlotOpenTo: ring-fence and embargo);
//   has need.type, and need.modality when set;
//   has a clinician holding need.skill when set (a clinician missing from `skills` holds none);
//   is within `prefs` (sites, weekdays, time window, modalities, max_km).
// Complexity: O(log n) to find now, then one pass that stops at the `limit`th match, so O(log n +
// k) for k slots examined; each examined slot costs a few comparisons and at most two hash
// look-ups, and London time is worked out only when the preferences name weekdays or a time window.
std::vector<Candidate> SearchSlots(std::span<const Slot> slots, const Need& need,
                                   const Preferences& prefs, const Origin& origin,
                                   const SiteLocations& sites, const ClinicianSkills& skills,
                                   Instant now, std::size_t limit);

// As SearchSlots, but the `limit` nearest to the origin: by distance, ties (and every candidate
// when the origin is unknown) by start then span order, with unknown distances after known ones.
// Complexity: every slot after now is examined, O(log n + m log limit) for m slots after now;
// distances are worked out once per site, not per slot.
std::vector<Candidate> SearchNearestSlots(std::span<const Slot> slots, const Need& need,
                                          const Preferences& prefs, const Origin& origin,
                                          const SiteLocations& sites, const ClinicianSkills& skills,
                                          Instant now, std::size_t limit);

// The NHS "next available appointment" figure: the number of working days from now's London date
// to the London date of the first slot after `now` with `type` and `modality`, not cancelled, with
// a place free and open to a patient of `priority` at now (routine by default: ring-fenced slots
// count only once their embargo has lifted). 0 for a slot later today, 1 for Monday's slot on a
// Friday. None when no slot in the span qualifies. The caller picks the tier by the slots it
// passes (a tier's sites and templates). O(log n + k) for k slots examined.
std::optional<int> NextAvailableWorkingDays(std::span<const Slot> slots, SlotType type,
                                            Modality modality, Instant now,
                                            const WorkingCalendar& calendar,
                                            Priority priority = Priority::kRoutine);

}  // namespace tendon::scheduling

#endif  // TENDON_SCHEDULING_SEARCH_H_
