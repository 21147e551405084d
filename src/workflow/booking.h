// Booking (the booking issue, part 3): book a referral into a slot, cancel, reschedule, record
// attendance or a did-not-attend, and cancel a clinician's clinics when they are unavailable, each
// in one transaction with its pathway events and audit rows. No slot is ever booked beyond its
// capacity: the store's database refuses it however many requests race (store.h), and the
// workflow answers Aborted ("the slot is full") to all but the winners.
#ifndef TENDON_WORKFLOW_BOOKING_H_
#define TENDON_WORKFLOW_BOOKING_H_

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/records.h"
#include "core/schedule.h"
#include "core/status.h"
#include "workflow/workflow.h"

namespace tendon::workflow {

// The kinds of the outbox messages booking queues (store.h EnqueueNotification): the service
// cancelled a patient's appointment, or moved it to another slot. Their payloads give the
// appointment's id, start, site_id, modality and the reason; a move adds new_start, new_site_id
// and new_modality.
inline constexpr std::string_view kNoticeCancelled = "appointment.cancelled_by_service";
// Every booking (and accepted offer) queues kNoticeBooked to the patient, except a move by the
// service, which kNoticeMoved tells; its payload gives the appointment's id, start, site_id and
// modality. kNoticeReminder, the same payload, is queued two working days before an appointment
// (workflow/reminders.h).
inline constexpr std::string_view kNoticeBooked = "appointment.booked";
inline constexpr std::string_view kNoticeReminder = "appointment.reminder";
inline constexpr std::string_view kNoticeMoved = "appointment.moved_by_service";

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

// Offers the slot to the referral's patient: an appointment "offered" that holds the place until
// they accept it (AcceptOffer) or decline it (Cancel), or until it lapses after
// env.timing.offer_working_days (never past the slot's start), when the next booking of the slot
// takes the place back. The referral stays waiting to book, due when the offer lapses; the event is
// appointment.offered. Book's checks and answers, and FailedPrecondition (field "referral_id")
// while the patient has another offer open. A booking of the referral withdraws an open offer.
StatusOr<Appointment> Offer(const Env& env, const Actor& actor, const BookingRequest& request,
                            Instant now);

// Books an offered appointment in its slot: as Book, with the place the offer held.
// FailedPrecondition (field "appointment_id") when it is not an offer or the offer has lapsed.
StatusOr<Appointment> AcceptOffer(const Env& env, const Actor& actor,
                                  std::string_view appointment_id, Instant now);

// Cancels a booked appointment, or declines or withdraws an offer: by "patient" or "service", with
// a reason (InvalidArgument naming the field otherwise). The place is freed and the referral goes
// back to waiting to book, owned by the booking team and due at once, keeping its priority. A
// cancellation by the service queues a kNoticeCancelled message to the patient in the same
// transaction. FailedPrecondition when the appointment is neither booked nor offered, unless it
// was cancelled by the same party for the same reason: a cancellation sent again after it was done
// (a retry after a lost answer, a second click) returns the appointment and changes nothing.
StatusOr<Appointment> Cancel(const Env& env, const Actor& actor, std::string_view appointment_id,
                             std::string_view by, std::string reason, Instant now);

// Moves a booked appointment to `new_slot_id` in one transaction: the old appointment is cancelled
// (by "patient" or "service", with a reason, checked as by Cancel) and the new slot booked with
// Book's checks. When any step fails nothing changes: Aborted when the new slot is full,
// FailedPrecondition when it cannot be booked or the appointment is not booked, NotFound for an
// unknown appointment or slot, InvalidArgument (field "slot_id") for the appointment's own slot.
// Returns the new appointment; the audit row is "appointment.reschedule". A move by the service
// queues a kNoticeMoved message to the patient.
StatusOr<Appointment> Reschedule(const Env& env, const Actor& actor,
                                 std::string_view appointment_id, std::string_view new_slot_id,
                                 std::string_view by, std::string reason, Instant now);

// Records that the patient came: the appointment is attended and the referral in treatment
// (appointment.attended), owned by the slot's clinician, whose next step (a follow-up or a
// discharge) falls due env.timing.booking_working_days later. FailedPrecondition when the
// appointment is not booked or its slot has not started at `now`; NotFound for an unknown id.
StatusOr<Appointment> MarkAttended(const Env& env, const Actor& actor,
                                   std::string_view appointment_id, Instant now);

// Records that the patient did not attend (appointment.dna), with the same preconditions as
// MarkAttended. At a referral's first appointment (no earlier one attended) the service's rule
// env.timing.first_dna decides: kRebook returns the referral to waiting to book, owned by the
// booking team and due at once; kDischarge discharges it and closes it (referral.closed, reason
// "did_not_attend") in the same transaction. After an attended appointment a DNA always rebooks.
StatusOr<Appointment> MarkDna(const Env& env, const Actor& actor, std::string_view appointment_id,
                              Instant now);

struct Unavailability {
  std::vector<std::string> slot_ids;      // The slots cancelled, by start.
  std::vector<Appointment> appointments;  // The appointments cancelled, by slot start.
};

// A clinician cannot work in [from, to) (sickness, leave). Every running slot of theirs that starts
// in that period and after `now` is cancelled (slots already started are left for attendance to be
// recorded), and every booked appointment in them is cancelled by "service" with `reason`: its
// referral goes back to waiting to book at its priority, owned by the booking team and due at
// once, its event carrying "rebook_first": true. Slots and appointments change in one transaction;
// an appointment booked while that transaction was waiting is found and cancelled in a second one.
// InvalidArgument naming the field: clinician_id empty, `to` not after `from`, reason blank or
// longer than kMaxLongText. NotFound (field "clinician_id") for an unknown clinician. Each
// patient's kNoticeCancelled message is queued in the outbox with their cancellation.
StatusOr<Unavailability> ClinicianUnavailable(const Env& env, const Actor& actor,
                                              std::string_view clinician_id, Instant from,
                                              Instant to, std::string reason, Instant now);

// How far ahead RebookToBestAlternative looks.
inline constexpr std::chrono::weeks kRebookHorizon{26};

// Books a referral waiting to book whose latest appointment was cancelled into the best
// alternative: the earliest free, running slot open to its priority with the cancelled slot's
// type and modality, at the same site when there is one within kRebookHorizon, else at any site.
// FailedPrecondition when the referral is not waiting to book; NotFound (field "referral_id") when
// its latest appointment was not cancelled or no slot qualifies. A slot taken meanwhile is skipped
// for the next best.
StatusOr<Appointment> RebookToBestAlternative(const Env& env, const Actor& actor,
                                              std::string_view referral_id, Instant now);

}  // namespace tendon::workflow

#endif  // TENDON_WORKFLOW_BOOKING_H_
