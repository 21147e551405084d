// Bringing a clinic template's stored slots into line with the slots it generates, when an
// administrator edits the template or the rolling horizon moves on. A pure function over slot data:
// the caller reads the stored slots and applies the plan in one transaction. Safe to call from
// several threads on distinct or const data.
//
// The plan never drops or moves a booking: a stored slot that holds a booking stays as it is even
// when the template no longer makes it, and is listed so that a coordinator can move its patients.
#ifndef TENDON_SCHEDULING_RECONCILE_H_
#define TENDON_SCHEDULING_RECONCILE_H_

#include <string>
#include <vector>

#include "core/schedule.h"
#include "core/time.h"

namespace tendon::scheduling {

// What to change so that a template's future slots are the ones it generates.
struct SlotPlan {
  // Wanted slots with no stored match, in start order, each with an id no stored slot has.
  std::vector<Slot> to_add;
  // Running stored slots with no booking that the template no longer makes, by start: to cancel.
  std::vector<std::string> to_cancel;
  // Running stored slots with a booking that the template no longer makes, by start: left running,
  // for a coordinator to move their patients.
  std::vector<Slot> stranded;
  // Wanted slots not added because they overlap a stranded slot (the clinician and room are still
  // taken then); a later plan adds them once the stranded slot is empty.
  int held_back = 0;
  int kept = 0;            // Stored slots the template still makes, running.
  int kept_cancelled = 0;  // Stored slots the template still makes that are cancelled: left so.
};

// Whether two slots hold the same place in a diary: the same start, end, clinician, site, room,
// type, modality, capacity, ring-fence and opens_to_all_at. Ids, bookings and cancellation are not
// compared.
bool SameSlot(const Slot& a, const Slot& b);

// Plans the change from `stored` (every stored slot of one template that starts in a period, in any
// state) to `wanted` (GenerateSlots' slots of that template for the same period). Only slots that
// start after `now` are planned; earlier ones are history and left alone. A stored slot matches a
// wanted one when SameSlot. A cancelled stored slot that matches stays cancelled: it may have been
// cancelled for a clinician's absence, which a template edit must not undo. A wanted slot whose id
// is taken by a stored slot that does not match (the session changed shape) is added as "<id>-2",
// or the first of "-3", "-4", ... not taken, so that planning again once the plan is applied
// changes nothing. O((wanted + stored) log stored + added x stranded).
SlotPlan PlanSlots(const std::vector<Slot>& wanted, const std::vector<Slot>& stored, Instant now);

}  // namespace tendon::scheduling

#endif  // TENDON_SCHEDULING_RECONCILE_H_
