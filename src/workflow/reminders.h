// Appointment reminders (the patient issue, part 7): two working days before an appointment the
// patient is sent kNoticeReminder (workflow/booking.h). Run daily by `tendon sweep`.
#ifndef TENDON_WORKFLOW_REMINDERS_H_
#define TENDON_WORKFLOW_REMINDERS_H_

#include "core/status.h"
#include "core/time.h"
#include "workflow/workflow.h"

namespace tendon::workflow {

// Queues a reminder for every booked appointment that starts after `now` and by the end of the
// working day two working days after today (London), that has none queued yet: so a run missed
// on one day is made good by the next, and a second run the same day queues nothing. Each is
// queued in a transaction that finds the appointment still booked. Returns how many were queued.
StatusOr<int> QueueReminders(const Env& env, Instant now);

}  // namespace tendon::workflow

#endif  // TENDON_WORKFLOW_REMINDERS_H_
