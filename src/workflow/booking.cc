#include "workflow/booking.h"

#include "auth/tokens.h"
#include "scheduling/slots.h"
#include "workflow/internal.h"

namespace tendon::workflow {
namespace {

using internal::Audit;
using internal::kBookingTeam;
using internal::NewEvent;
using nlohmann::json;

constexpr int kAppointmentIdLength = 16;

// The appointment an earlier request with the same key made, when it was for the same booking.
StatusOr<std::optional<Appointment>> Replayed(store::WriteTxn& txn, const BookingRequest& request) {
  if (request.idempotency_key.empty()) return std::optional<Appointment>();
  auto earlier = txn.FindAppointmentByIdempotencyKey(request.idempotency_key);
  if (!earlier.ok()) {
    if (earlier.status().code() == StatusCode::kNotFound) return std::optional<Appointment>();
    return earlier.status();
  }
  if (earlier->referral_id != request.referral_id || earlier->slot_id != request.slot_id) {
    return AlreadyExistsError("this key was used for another booking", "idempotency_key");
  }
  return std::optional<Appointment>(*earlier);
}

Status CheckBookable(const Slot& slot, const Referral& referral, Instant now) {
  if (referral.state != ReferralState::kWaitingToBook) {
    return FailedPreconditionError("only a referral waiting to book can be booked; this one is " +
                                       std::string(ToString(referral.state)),
                                   "referral_id");
  }
  if (slot.cancelled)
    return FailedPreconditionError("the clinic of this slot is cancelled", "slot_id");
  if (slot.start <= now) return FailedPreconditionError("the slot has already started", "slot_id");
  if (!scheduling::SlotOpenTo(slot, referral.priority, now)) {
    return FailedPreconditionError("the slot is kept for " + std::string(ToString(slot.ringfence)) +
                                       " patients until " + FormatInstant(slot.opens_to_all_at),
                                   "slot_id");
  }
  return OkStatus();
}

}  // namespace

StatusOr<Appointment> Book(const Env& env, const Actor& actor, const BookingRequest& request,
                           Instant now) {
  Appointment booked;
  RETURN_IF_ERROR(env.store.Write([&](store::WriteTxn& txn) -> Status {
    ASSIGN_OR_RETURN(std::optional<Appointment> replayed, Replayed(txn, request));
    if (replayed) {
      booked = *replayed;
      return OkStatus();
    }
    ASSIGN_OR_RETURN(Referral referral, txn.GetReferral(request.referral_id));
    ASSIGN_OR_RETURN(Slot slot, txn.GetSlot(request.slot_id));
    RETURN_IF_ERROR(CheckBookable(slot, referral, now));
    booked = Appointment{};
    booked.id = auth::RandomBase32(kAppointmentIdLength);
    booked.slot_id = slot.id;
    booked.referral_id = referral.id;
    booked.patient_key = referral.patient_key;
    booked.idempotency_key = request.idempotency_key;
    booked.booked_at = booked.updated_at = now;
    RETURN_IF_ERROR(txn.InsertAppointment(booked));
    referral.state = ReferralState::kBooked;
    referral.site_id = slot.site_id;
    referral.owner = slot.clinician_id;
    referral.next_action_due = slot.start;
    referral.updated_at = now;
    RETURN_IF_ERROR(
        txn.RecordEvent(referral, NewEvent(EventType::kAppointmentBooked, actor, now,
                                           {{"appointment_id", booked.id},
                                            {"slot_id", slot.id},
                                            {"start", FormatInstant(slot.start)},
                                            {"modality", std::string(ToString(slot.modality))}}))
            .status());
    return Audit(txn, actor, referral.patient_key, "appointment.book", now);
  }));
  return booked;
}

StatusOr<Appointment> Cancel(const Env& env, const Actor& actor, std::string_view appointment_id,
                             std::string_view by, std::string reason, Instant now) {
  if (by != "patient" && by != "service") {
    return InvalidArgumentError("must be patient or service", "by");
  }
  reason = internal::Trim(reason);
  if (reason.empty()) return InvalidArgumentError("give the reason for cancelling", "reason");
  if (reason.size() > kMaxLongText) {
    return InvalidArgumentError("must be at most " + std::to_string(kMaxLongText) + " characters",
                                "reason");
  }
  Appointment cancelled;
  RETURN_IF_ERROR(env.store.Write([&](store::WriteTxn& txn) -> Status {
    ASSIGN_OR_RETURN(cancelled, txn.GetAppointment(appointment_id));
    if (cancelled.status != AppointmentStatus::kBooked) {
      return FailedPreconditionError("only a booked appointment can be cancelled; this one is " +
                                         std::string(ToString(cancelled.status)),
                                     "appointment_id");
    }
    cancelled.status = AppointmentStatus::kCancelled;
    cancelled.cancelled_by = std::string(by);
    cancelled.cancel_reason = reason;
    cancelled.updated_at = now;
    RETURN_IF_ERROR(txn.UpdateAppointment(cancelled));
    ASSIGN_OR_RETURN(Referral referral, txn.GetReferral(cancelled.referral_id));
    referral.state = ReferralState::kWaitingToBook;
    referral.owner = kBookingTeam;
    referral.next_action_due = now;
    referral.updated_at = now;
    RETURN_IF_ERROR(txn.RecordEvent(referral, NewEvent(EventType::kAppointmentCancelled, actor, now,
                                                       {{"appointment_id", cancelled.id},
                                                        {"by", cancelled.cancelled_by},
                                                        {"reason", reason}}))
                        .status());
    return Audit(txn, actor, referral.patient_key, "appointment.cancel", now);
  }));
  return cancelled;
}

}  // namespace tendon::workflow
