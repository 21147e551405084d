// Booking (the booking issue, part 3): book a referral into a slot, cancel, and record attendance,
// each in one transaction with its pathway event and audit row. No slot is ever booked beyond its
// capacity: the store's database refuses it however many requests race (store.h), and the
// workflow answers Aborted ("the slot is full") to all but the winners.
#ifndef TENDON_WORKFLOW_BOOKING_H_
#define TENDON_WORKFLOW_BOOKING_H_

#include <string>
#include <string_view>

#include "core/records.h"
#include "core/schedule.h"
#include "core/status.h"
#include "workflow/workflow.h"

namespace tendon::workflow {

struct BookingRequest {
  std::string referral_id;
  std::string slot_id;
  // The client's key for this request: the same key again returns the first answer's appointment
  // and changes nothing (AlreadyExists when it was used for another referral or slot).
  std::string idempotency_key;
};

// Books the referral into the slot. The referral must be waiting to book (FailedPrecondition
// otherwise); the slot must exist (NotFound), run (FailedPrecondition when cancelled), start after
// `now` (FailedPrecondition), and be open to the referral's priority (FailedPrecondition while a
// ring-fence keeps it for others). Aborted when the slot is full. In one transaction: the
// appointment, appointment.booked (booked; owned by the slot's clinician, due at the slot's start)
// and an audit row.
StatusOr<Appointment> Book(const Env& env, const Actor& actor, const BookingRequest& request,
                           Instant now);

// Cancels a booked appointment: by "patient" or "service", with a reason (InvalidArgument naming
// the field otherwise). The place is freed and the referral goes back to waiting to book, owned by
// the booking team and due at once, keeping its priority. FailedPrecondition when the appointment
// is not booked.
StatusOr<Appointment> Cancel(const Env& env, const Actor& actor, std::string_view appointment_id,
                             std::string_view by, std::string reason, Instant now);

}  // namespace tendon::workflow

#endif  // TENDON_WORKFLOW_BOOKING_H_
