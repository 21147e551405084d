// The "next available appointment" figures by tier and modality, as the service's reference report
// gives them ("tier 1, 2 working days; tier 2, 5 working days face-to-face and 3 virtual"). Pure
// functions over slots and clinicians the caller has read: no I/O and no clock reads.
#ifndef TENDON_SCHEDULING_NEXT_AVAILABLE_H_
#define TENDON_SCHEDULING_NEXT_AVAILABLE_H_

#include <optional>
#include <span>
#include <vector>

#include "core/pathway.h"
#include "core/records.h"
#include "core/schedule.h"
#include "core/time.h"
#include "core/working_days.h"

namespace tendon::scheduling {

// The tier a clinician's clinics belong to, from their skills, which are named after service lines
// (data/services/oxfordshire/clinicians.csv): tier 2 when any skill is a tier-2 line (spinal,
// injection, podiatry...), else tier 1 when any is a tier-1 line (physioline, physiotherapy), else
// none (a clinician who only triages).
std::optional<Tier> ClinicianTier(const Clinician& clinician);

struct NextAvailableFigure {
  Tier tier = Tier::kTier1;
  Modality modality = Modality::kFaceToFace;
  std::optional<int> working_days;  // None: no free slot in the slots given.
};

// One figure for each tier (1, then 2) and modality (face to face, video, telephone): the working
// days from now to the first free first appointment of that tier and modality, as
// NextAvailableWorkingDays counts them for a routine patient. A first appointment is a slot of type
// new, physioline or injection (follow-ups and group classes are not offered to a new patient). A
// physioline slot is tier 1 whoever holds it; any other slot has its clinician's tier (a slot whose
// clinician is not in `clinicians` or has no tier counts nowhere). `slots` sorted by start, as
// search.h requires. O(n) over the slots after now.
std::vector<NextAvailableFigure> NextAvailableByTier(std::span<const Slot> slots,
                                                     std::span<const Clinician> clinicians,
                                                     Instant now, const WorkingCalendar& calendar);

}  // namespace tendon::scheduling

#endif  // TENDON_SCHEDULING_NEXT_AVAILABLE_H_
