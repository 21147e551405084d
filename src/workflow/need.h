// What a referral needs booked (the booking issue): the slot type, modality, clinician skill and
// priority that slot search and the waiting list look for, read from the referral's pathway events.
// The one place this is worked out, so that the booking screen and the waiting list agree.
#ifndef TENDON_WORKFLOW_NEED_H_
#define TENDON_WORKFLOW_NEED_H_

#include <span>

#include "core/event.h"
#include "core/status.h"
#include "scheduling/search.h"

namespace tendon::workflow {

// The need of the referral whose events, in recorded order, are `events`. It comes from the latest
// triage.completed whose payload's outcome is "accepted":
//   service line: the payload's "service_line", else the event's own; but when the referral's
//                 line has changed since (the last event's), that line, with the defaults below
//                 for modality and skill;
//   modality:     the payload's "modality"; when absent or unreadable (histories recorded before
//                 triage kept it), telephone for physioline and face to face for every other line;
//   skill:        the payload's "skill"; when empty, the service line's name, because clinicians
//                 hold skills named after the lines they work in (physioline, physiotherapy,
//                 spinal, ...: data/services/oxfordshire/clinicians.csv);
//   slot type:    physioline for the physioline line; otherwise follow_up once an appointment
//                 after that acceptance was attended, else injection for the injection line and
//                 new for the others;
//   priority:     the referral's as the last event left it.
// FailedPrecondition (field "referral_id") when no event accepted the referral at triage, or the
// accepting event names no service line. Pure: no I/O.
StatusOr<scheduling::Need> NeedOf(std::span<const PathwayEvent> events);

}  // namespace tendon::workflow

#endif  // TENDON_WORKFLOW_NEED_H_
