// Clinic templates to slots, and who may book a ring-fenced slot when (the booking issue). Pure
// functions: no I/O and no clock reads; the caller passes the calendar and the time. Every function
// here is safe to call from several threads on distinct or const data.
#ifndef TENDON_SCHEDULING_SLOTS_H_
#define TENDON_SCHEDULING_SLOTS_H_

#include <vector>

#include "core/pathway.h"
#include "core/schedule.h"
#include "core/status.h"
#include "core/time.h"
#include "core/working_days.h"

namespace tendon::scheduling {

// OK when `t` can generate slots; otherwise the first of TemplateProblems(t) (core/schedule.h), an
// InvalidArgument whose field() names the bad field.
Status CheckTemplate(const ClinicTemplate& t);

// The slots `t` makes on London dates `from` to `to` (both inclusive), in start order: on each
// working day of `calendar` (no weekends, no bank holidays) that is within t's validity and on one
// of its weekdays, back-to-back slots of slot_minutes from start_minute, the last ending by
// end_minute. Start times are London wall clock, converted to UTC with FromLondon, so a 09:00
// clinic is at 09:00 London on both sides of a clock change (08:00 UTC in BST, 09:00 UTC in GMT).
//
// Each slot copies the template's clinician, site, room, type, modality, capacity and ring-fence,
// with booked 0, not cancelled, and the id "<template id>-<YYYYMMDD>-<HHMM>" (London date and
// start), so generating a period twice gives equal slots and overlapping horizons can be merged by
// id. opens_to_all_at: for a ring-fenced slot, the same London time of day on the working day
// embargo_working_days before the slot's day (with 0, the slot's own start: kept for the ring-fence
// until it starts); for a slot with no ring-fence, Instant{} (the epoch: open to all from the
// start).
//
// Empty when to < from. Dates beyond the calendar's bank-holiday data are treated as having no bank
// holidays: callers that care check calendar.Covers(to). Errors: CheckTemplate's. O(days + slots).
StatusOr<std::vector<Slot>> GenerateSlots(const ClinicTemplate& t, const WorkingCalendar& calendar,
                                          Date from, Date to);

// True when a patient of `priority` may book `slot` at `now` as far as its ring-fence goes
// (capacity, cancellation and start time are the caller's to check): always for a slot with no
// ring-fence and for everyone once now >= opens_to_all_at; before then, a post-op ring-fence admits
// post_op patients only, and an urgent ring-fence admits urgent and emergency patients.
bool SlotOpenTo(const Slot& slot, Priority priority, Instant now);

}  // namespace tendon::scheduling

#endif  // TENDON_SCHEDULING_SLOTS_H_
