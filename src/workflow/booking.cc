#include "workflow/booking.h"

#include <algorithm>

#include "auth/tokens.h"
#include "scheduling/search.h"
#include "scheduling/slots.h"
#include "workflow/internal.h"

namespace tendon::workflow {
namespace {

using internal::Audit;
using internal::kBookingTeam;
using internal::NewEvent;
using internal::NoticePayload;
using internal::QueueNotice;
using nlohmann::json;

constexpr int kAppointmentIdLength = 16;
// Candidates RebookToBestAlternative tries when slots are taken under it.
constexpr std::size_t kRebookCandidates = 10;

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

// A new appointment of `referral` in `slot`, not yet stored.
Appointment NewAppointment(const Referral& referral, const Slot& slot, std::string idempotency_key,
                           AppointmentStatus status, Instant now) {
  Appointment a;
  a.id = auth::RandomBase32(kAppointmentIdLength);
  a.slot_id = slot.id;
  a.referral_id = referral.id;
  a.patient_key = referral.patient_key;
  a.status = status;
  a.idempotency_key = std::move(idempotency_key);
  a.booked_at = a.updated_at = now;
  return a;
}

// Frees the places of offers in `slot` whose time is up, then of any offer still open to
// `referral` elsewhere: a booking replaces it.
Status ClearOffers(store::WriteTxn& txn, const Referral& referral, const Slot& slot, Instant now) {
  RETURN_IF_ERROR(txn.LapseOffers(slot.id, now).status());
  ASSIGN_OR_RETURN(std::vector<Appointment> offers, txn.ListOffers(referral.id));
  for (Appointment& a : offers) {
    a.status = AppointmentStatus::kCancelled;
    a.cancelled_by = "service";
    a.cancel_reason = "replaced by a booking";
    a.updated_at = now;
    RETURN_IF_ERROR(txn.UpdateAppointment(a));
  }
  return OkStatus();
}

// Whether a booking tells the patient: not when the service moved them, which its own message says.
enum class Confirm { kYes, kNo };

// Records that `appointment` (stored, booked) books `referral` into `slot`: the referral is booked,
// owned by the slot's clinician and due at its start (appointment.booked), and the patient's
// kNoticeBooked is queued unless `confirm` says not.
Status RecordBooked(store::WriteTxn& txn, const Actor& actor, Referral& referral, const Slot& slot,
                    const Appointment& appointment, Instant now, Confirm confirm = Confirm::kYes) {
  if (confirm == Confirm::kYes) {
    RETURN_IF_ERROR(QueueNotice(txn, kNoticeBooked, appointment.patient_key,
                                appointment.referral_id, NoticePayload(appointment, slot), now));
  }
  referral.state = ReferralState::kBooked;
  referral.site_id = slot.site_id;
  referral.owner = slot.clinician_id;
  referral.next_action_due = slot.start;
  referral.updated_at = now;
  return txn
      .RecordEvent(referral, NewEvent(EventType::kAppointmentBooked, actor, now,
                                      {{"appointment_id", appointment.id},
                                       {"slot_id", slot.id},
                                       {"start", FormatInstant(slot.start)},
                                       {"modality", std::string(ToString(slot.modality))}}))
      .status();
}

// Books `referral` into `slot` within `txn` after Book's checks: the appointment and
// appointment.booked. `referral` is left as stored.
StatusOr<Appointment> BookIn(store::WriteTxn& txn, const Actor& actor, Referral& referral,
                             const Slot& slot, std::string idempotency_key, Instant now,
                             Confirm confirm = Confirm::kYes) {
  RETURN_IF_ERROR(CheckBookable(slot, referral, now));
  RETURN_IF_ERROR(ClearOffers(txn, referral, slot, now));
  Appointment booked =
      NewAppointment(referral, slot, std::move(idempotency_key), AppointmentStatus::kBooked, now);
  RETURN_IF_ERROR(txn.InsertAppointment(booked));
  RETURN_IF_ERROR(RecordBooked(txn, actor, referral, slot, booked, now, confirm));
  return booked;
}

// Checks who cancels and why; returns the reason trimmed.
StatusOr<std::string> CheckCancellation(std::string_view by, std::string reason) {
  if (by != "patient" && by != "service") {
    return InvalidArgumentError("must be patient or service", "by");
  }
  reason = internal::Trim(reason);
  if (reason.empty()) return InvalidArgumentError("give the reason for cancelling", "reason");
  if (reason.size() > kMaxLongText) {
    return InvalidArgumentError("must be at most " + std::to_string(kMaxLongText) + " characters",
                                "reason");
  }
  return reason;
}

Status RequireBooked(const Appointment& appointment, std::string_view doing) {
  if (appointment.status == AppointmentStatus::kBooked) return OkStatus();
  return FailedPreconditionError("only a booked appointment can be " + std::string(doing) +
                                     "; this one is " + std::string(ToString(appointment.status)),
                                 "appointment_id");
}

// An offer the patient may still accept.
Status RequireOpenOffer(const Appointment& appointment, Instant now) {
  if (appointment.status != AppointmentStatus::kOffered) {
    return FailedPreconditionError("only an offered appointment can be accepted; this one is " +
                                       std::string(ToString(appointment.status)),
                                   "appointment_id");
  }
  if (appointment.offer_expires_at && *appointment.offer_expires_at <= now) {
    return FailedPreconditionError(
        "the offer lapsed at " + FormatInstant(*appointment.offer_expires_at), "appointment_id");
  }
  return OkStatus();
}

// Cancels `appointment` within `txn`: the place is freed and the referral goes back to waiting to
// book, owned by the booking team and due at once. `extra` is added to the event's payload.
StatusOr<Referral> CancelIn(store::WriteTxn& txn, const Actor& actor, Appointment& appointment,
                            std::string_view by, const std::string& reason, Instant now,
                            const json& extra = json::object()) {
  if (appointment.status != AppointmentStatus::kOffered) {
    RETURN_IF_ERROR(RequireBooked(appointment, "cancelled"));
  }
  appointment.status = AppointmentStatus::kCancelled;
  appointment.cancelled_by = std::string(by);
  appointment.cancel_reason = reason;
  appointment.updated_at = now;
  RETURN_IF_ERROR(txn.UpdateAppointment(appointment));
  ASSIGN_OR_RETURN(Referral referral, txn.GetReferral(appointment.referral_id));
  referral.state = ReferralState::kWaitingToBook;
  referral.owner = kBookingTeam;
  referral.next_action_due = now;
  referral.updated_at = now;
  json payload{
      {"appointment_id", appointment.id}, {"by", appointment.cancelled_by}, {"reason", reason}};
  payload.update(extra);
  RETURN_IF_ERROR(
      txn.RecordEvent(referral, NewEvent(EventType::kAppointmentCancelled, actor, now, payload))
          .status());
  return referral;
}

// Queues the message telling the patient that the service cancelled (or, with `moved_to`, moved)
// their appointment, in the transaction that does it. Cancellations by the patient tell them
// nothing they do not know.
Status TellPatient(store::WriteTxn& txn, const Appointment& appointment, std::string_view reason,
                   Instant now, const Slot* moved_to = nullptr) {
  ASSIGN_OR_RETURN(Slot slot, txn.GetSlot(appointment.slot_id));
  json payload = NoticePayload(appointment, slot);
  payload["reason"] = reason;
  if (moved_to != nullptr) {
    payload["new_start"] = FormatInstant(moved_to->start);
    payload["new_site_id"] = moved_to->site_id;
    payload["new_modality"] = std::string(ToString(moved_to->modality));
  }
  return QueueNotice(txn, moved_to ? kNoticeMoved : kNoticeCancelled, appointment.patient_key,
                     appointment.referral_id, payload, now);
}

// A booked appointment whose slot has started: one whose attendance can be recorded.
StatusOr<Slot> StartedSlot(store::WriteTxn& txn, const Appointment& appointment, Instant now) {
  RETURN_IF_ERROR(RequireBooked(appointment, "marked attended or not attended"));
  ASSIGN_OR_RETURN(Slot slot, txn.GetSlot(appointment.slot_id));
  if (slot.start > now) {
    return FailedPreconditionError(
        "the appointment has not started yet; it starts at " + FormatInstant(slot.start),
        "appointment_id");
  }
  return slot;
}

// Whether any of the referral's appointments was attended.
StatusOr<bool> AttendedBefore(store::Store& store, std::string_view referral_id) {
  ASSIGN_OR_RETURN(std::vector<Appointment> appointments,
                   store.ListAppointmentsForReferral(referral_id));
  return std::any_of(appointments.begin(), appointments.end(),
                     [](const Appointment& a) { return a.status == AppointmentStatus::kAttended; });
}

// Records the DNA event and what the rule makes of it, within `txn`.
Status ApplyDna(const Env& env, store::WriteTxn& txn, const Actor& actor,
                const Appointment& appointment, bool first, Instant now) {
  ASSIGN_OR_RETURN(Referral referral, txn.GetReferral(appointment.referral_id));
  const bool discharge = first && env.timing.first_dna == config::FirstDna::kDischarge;
  referral.state = discharge ? ReferralState::kDischarged : ReferralState::kWaitingToBook;
  referral.owner = kBookingTeam;  // For a discharge, only until it closes below.
  referral.next_action_due = now;
  referral.updated_at = now;
  RETURN_IF_ERROR(
      txn.RecordEvent(referral, NewEvent(EventType::kAppointmentDna, actor, now,
                                         {{"appointment_id", appointment.id},
                                          {"first_appointment", first},
                                          {"outcome", discharge ? "discharge" : "rebook"}}))
          .status());
  if (!discharge) return OkStatus();
  referral.state = ReferralState::kClosed;
  referral.owner.clear();
  referral.next_action_due.reset();
  return txn
      .RecordEvent(referral,
                   NewEvent(EventType::kReferralClosed, actor, now, {{"reason", "did_not_attend"}}))
      .status();
}

Status CheckUnavailability(std::string_view clinician_id, Instant from, Instant to,
                           std::string& reason) {
  if (clinician_id.empty()) return InvalidArgumentError("is required", "clinician_id");
  if (to <= from) return InvalidArgumentError("must be after from", "to");
  reason = internal::Trim(reason);
  if (reason.empty()) return InvalidArgumentError("give the reason for cancelling", "reason");
  if (reason.size() > kMaxLongText) {
    return InvalidArgumentError("must be at most " + std::to_string(kMaxLongText) + " characters",
                                "reason");
  }
  return OkStatus();
}

Status RequireClinician(store::Store& store, std::string_view clinician_id) {
  ASSIGN_OR_RETURN(std::vector<Clinician> clinicians, store.ListClinicians());
  for (const Clinician& c : clinicians) {
    if (c.id == clinician_id) return OkStatus();
  }
  return NotFoundError("no clinician " + std::string(clinician_id), "clinician_id");
}

// The ids of `clinician_id`'s booked appointments in slots starting in [from, to).
StatusOr<std::vector<std::string>> BookedBetween(store::Store& store, std::string_view clinician_id,
                                                 Instant from, Instant to) {
  ASSIGN_OR_RETURN(std::vector<Appointment> all,
                   store.ListAppointmentsBetween(from, to, clinician_id));
  std::vector<std::string> ids;
  for (const Appointment& a : all) {
    if (a.status == AppointmentStatus::kBooked) ids.push_back(a.id);
  }
  return ids;
}

// Cancels the slots and the appointments named, in one transaction; appends those it cancelled.
Status CancelForUnavailability(const Env& env, const Actor& actor,
                               const std::vector<std::string>& slot_ids,
                               const std::vector<std::string>& appointment_ids,
                               const std::string& reason, Instant now,
                               std::vector<Appointment>& cancelled) {
  std::vector<Appointment> done;
  RETURN_IF_ERROR(env.store.Write([&](store::WriteTxn& txn) -> Status {
    done.clear();
    for (const std::string& id : slot_ids) RETURN_IF_ERROR(txn.SetSlotCancelled(id, true));
    for (const std::string& id : appointment_ids) {
      ASSIGN_OR_RETURN(Appointment appointment, txn.GetAppointment(id));
      if (appointment.status != AppointmentStatus::kBooked) continue;  // Changed meanwhile.
      ASSIGN_OR_RETURN(Referral referral, CancelIn(txn, actor, appointment, "service", reason, now,
                                                   {{"rebook_first", true}}));
      RETURN_IF_ERROR(TellPatient(txn, appointment, reason, now));
      RETURN_IF_ERROR(Audit(txn, actor, referral.patient_key,
                            "appointment.cancel.clinician_unavailable", now, reason));
      done.push_back(appointment);
    }
    return OkStatus();
  }));
  cancelled.insert(cancelled.end(), done.begin(), done.end());
  return OkStatus();
}

// The latest appointment of the referral, which must have been cancelled.
StatusOr<Appointment> CancelledAppointment(store::Store& store, std::string_view referral_id) {
  ASSIGN_OR_RETURN(std::vector<Appointment> appointments,
                   store.ListAppointmentsForReferral(referral_id));
  if (appointments.empty() || appointments.back().status != AppointmentStatus::kCancelled) {
    return NotFoundError("the referral's latest appointment was not cancelled", "referral_id");
  }
  return appointments.back();
}

}  // namespace

namespace internal {

json NoticePayload(const Appointment& appointment, const Slot& slot) {
  return {{"appointment_id", appointment.id},
          {"start", FormatInstant(slot.start)},
          {"site_id", slot.site_id},
          {"modality", std::string(ToString(slot.modality))}};
}

Status QueueNotice(store::WriteTxn& txn, std::string_view kind, std::string_view patient_key,
                   std::string_view referral_id, const json& payload, Instant now) {
  Notification notice;
  notice.kind = std::string(kind);
  notice.patient_key = std::string(patient_key);
  notice.referral_id = std::string(referral_id);
  notice.payload = payload.dump();
  notice.created_at = now;
  return txn.EnqueueNotification(notice).status();
}

StatusOr<Appointment> BookInTxn(store::WriteTxn& txn, const Actor& actor,
                                const BookingRequest& request, Instant now,
                                std::string_view audit_action) {
  ASSIGN_OR_RETURN(std::optional<Appointment> replayed, Replayed(txn, request));
  if (replayed) return *replayed;
  ASSIGN_OR_RETURN(Referral referral, txn.GetReferral(request.referral_id));
  ASSIGN_OR_RETURN(Slot slot, txn.GetSlot(request.slot_id));
  ASSIGN_OR_RETURN(Appointment booked,
                   BookIn(txn, actor, referral, slot, request.idempotency_key, now));
  RETURN_IF_ERROR(Audit(txn, actor, referral.patient_key, audit_action, now));
  return booked;
}

}  // namespace internal

StatusOr<Appointment> Book(const Env& env, const Actor& actor, const BookingRequest& request,
                           Instant now) {
  Appointment booked;
  RETURN_IF_ERROR(env.store.Write([&](store::WriteTxn& txn) -> Status {
    ASSIGN_OR_RETURN(booked, internal::BookInTxn(txn, actor, request, now, "appointment.book"));
    return OkStatus();
  }));
  return booked;
}

StatusOr<Appointment> Offer(const Env& env, const Actor& actor, const BookingRequest& request,
                            Instant now) {
  Appointment offered;
  RETURN_IF_ERROR(env.store.Write([&](store::WriteTxn& txn) -> Status {
    ASSIGN_OR_RETURN(std::optional<Appointment> replayed, Replayed(txn, request));
    if (replayed) {
      offered = *replayed;
      return OkStatus();
    }
    ASSIGN_OR_RETURN(Referral referral, txn.GetReferral(request.referral_id));
    ASSIGN_OR_RETURN(Slot slot, txn.GetSlot(request.slot_id));
    RETURN_IF_ERROR(CheckBookable(slot, referral, now));
    ASSIGN_OR_RETURN(std::vector<Appointment> offers, txn.ListOffers(referral.id));
    for (const Appointment& a : offers) {
      if (RequireOpenOffer(a, now).ok()) {
        return FailedPreconditionError("the patient has an offer open until " +
                                           FormatInstant(*a.offer_expires_at) +
                                           "; withdraw it first",
                                       "referral_id");
      }
    }
    RETURN_IF_ERROR(txn.LapseOffers(slot.id, now).status());
    offered =
        NewAppointment(referral, slot, request.idempotency_key, AppointmentStatus::kOffered, now);
    offered.offer_expires_at =
        std::min(AddWorkingDays(env.calendar, now, env.timing.offer_working_days), slot.start);
    RETURN_IF_ERROR(txn.InsertAppointment(offered));
    referral.next_action_due = *offered.offer_expires_at;
    referral.updated_at = now;
    RETURN_IF_ERROR(
        txn.RecordEvent(referral,
                        NewEvent(EventType::kAppointmentOffered, actor, now,
                                 {{"appointment_id", offered.id},
                                  {"slot_id", slot.id},
                                  {"start", FormatInstant(slot.start)},
                                  {"modality", std::string(ToString(slot.modality))},
                                  {"expires_at", FormatInstant(*offered.offer_expires_at)}}))
            .status());
    return Audit(txn, actor, referral.patient_key, "appointment.offer", now);
  }));
  return offered;
}

StatusOr<Appointment> AcceptOffer(const Env& env, const Actor& actor,
                                  std::string_view appointment_id, Instant now) {
  Appointment accepted;
  RETURN_IF_ERROR(env.store.Write([&](store::WriteTxn& txn) -> Status {
    ASSIGN_OR_RETURN(accepted, txn.GetAppointment(appointment_id));
    RETURN_IF_ERROR(RequireOpenOffer(accepted, now));
    ASSIGN_OR_RETURN(Referral referral, txn.GetReferral(accepted.referral_id));
    ASSIGN_OR_RETURN(Slot slot, txn.GetSlot(accepted.slot_id));
    RETURN_IF_ERROR(CheckBookable(slot, referral, now));
    accepted.status = AppointmentStatus::kBooked;
    accepted.offer_expires_at.reset();
    accepted.updated_at = now;
    RETURN_IF_ERROR(txn.UpdateAppointment(accepted));
    RETURN_IF_ERROR(RecordBooked(txn, actor, referral, slot, accepted, now));
    return Audit(txn, actor, referral.patient_key, "appointment.accept", now);
  }));
  return accepted;
}

StatusOr<Appointment> Cancel(const Env& env, const Actor& actor, std::string_view appointment_id,
                             std::string_view by, std::string reason, Instant now) {
  ASSIGN_OR_RETURN(reason, CheckCancellation(by, std::move(reason)));
  Appointment cancelled;
  RETURN_IF_ERROR(env.store.Write([&](store::WriteTxn& txn) -> Status {
    ASSIGN_OR_RETURN(cancelled, txn.GetAppointment(appointment_id));
    if (cancelled.status == AppointmentStatus::kCancelled && cancelled.cancelled_by == by &&
        cancelled.cancel_reason == reason) {
      return OkStatus();  // Sent again after it was done: answered as the first time.
    }
    ASSIGN_OR_RETURN(Referral referral, CancelIn(txn, actor, cancelled, by, reason, now));
    if (by == "service") RETURN_IF_ERROR(TellPatient(txn, cancelled, reason, now));
    return Audit(txn, actor, referral.patient_key, "appointment.cancel", now);
  }));
  return cancelled;
}

StatusOr<Appointment> Reschedule(const Env& env, const Actor& actor,
                                 std::string_view appointment_id, std::string_view new_slot_id,
                                 std::string_view by, std::string reason, Instant now) {
  ASSIGN_OR_RETURN(reason, CheckCancellation(by, std::move(reason)));
  Appointment booked;
  RETURN_IF_ERROR(env.store.Write([&](store::WriteTxn& txn) -> Status {
    ASSIGN_OR_RETURN(Appointment old, txn.GetAppointment(appointment_id));
    if (old.status == AppointmentStatus::kCancelled && old.cancelled_by == by &&
        old.cancel_reason == reason) {
      // Sent again after it was done: answered as the first time, while the move stands.
      auto moved = txn.FindAppointmentInSlot(old.referral_id, new_slot_id);
      if (moved.ok() && moved->status == AppointmentStatus::kBooked) {
        booked = *std::move(moved);
        return OkStatus();
      }
      if (!moved.ok() && moved.status().code() != StatusCode::kNotFound) return moved.status();
    }
    if (old.slot_id == new_slot_id) {
      return InvalidArgumentError("is the slot the appointment is already in", "slot_id");
    }
    ASSIGN_OR_RETURN(Slot slot, txn.GetSlot(new_slot_id));
    ASSIGN_OR_RETURN(Referral referral, CancelIn(txn, actor, old, by, reason, now));
    ASSIGN_OR_RETURN(booked, BookIn(txn, actor, referral, slot, "", now,
                                    by == "service" ? Confirm::kNo : Confirm::kYes));
    if (by == "service") RETURN_IF_ERROR(TellPatient(txn, old, reason, now, &slot));
    return Audit(txn, actor, referral.patient_key, "appointment.reschedule", now, reason);
  }));
  return booked;
}

StatusOr<Appointment> MarkAttended(const Env& env, const Actor& actor,
                                   std::string_view appointment_id, Instant now) {
  Appointment attended;
  RETURN_IF_ERROR(env.store.Write([&](store::WriteTxn& txn) -> Status {
    ASSIGN_OR_RETURN(attended, txn.GetAppointment(appointment_id));
    ASSIGN_OR_RETURN(Slot slot, StartedSlot(txn, attended, now));
    attended.status = AppointmentStatus::kAttended;
    attended.updated_at = now;
    RETURN_IF_ERROR(txn.UpdateAppointment(attended));
    ASSIGN_OR_RETURN(Referral referral, txn.GetReferral(attended.referral_id));
    referral.state = ReferralState::kInTreatment;
    referral.owner = slot.clinician_id;
    referral.next_action_due = AddWorkingDays(env.calendar, now, env.timing.booking_working_days);
    referral.updated_at = now;
    RETURN_IF_ERROR(txn.RecordEvent(referral, NewEvent(EventType::kAppointmentAttended, actor, now,
                                                       {{"appointment_id", attended.id}}))
                        .status());
    return Audit(txn, actor, referral.patient_key, "appointment.attended", now);
  }));
  return attended;
}

StatusOr<Appointment> MarkDna(const Env& env, const Actor& actor, std::string_view appointment_id,
                              Instant now) {
  ASSIGN_OR_RETURN(Appointment missed, env.store.GetAppointment(appointment_id));
  // Read before the transaction: an appointment is marked attended only after its slot starts,
  // and this one's has, so no earlier one changes to attended meanwhile in practice.
  ASSIGN_OR_RETURN(bool attended_before, AttendedBefore(env.store, missed.referral_id));
  RETURN_IF_ERROR(env.store.Write([&](store::WriteTxn& txn) -> Status {
    ASSIGN_OR_RETURN(missed, txn.GetAppointment(appointment_id));
    RETURN_IF_ERROR(StartedSlot(txn, missed, now).status());
    missed.status = AppointmentStatus::kDna;
    missed.updated_at = now;
    RETURN_IF_ERROR(txn.UpdateAppointment(missed));
    RETURN_IF_ERROR(ApplyDna(env, txn, actor, missed, !attended_before, now));
    return Audit(txn, actor, missed.patient_key, "appointment.dna", now);
  }));
  return missed;
}

StatusOr<Unavailability> ClinicianUnavailable(const Env& env, const Actor& actor,
                                              std::string_view clinician_id, Instant from,
                                              Instant to, std::string reason, Instant now) {
  RETURN_IF_ERROR(CheckUnavailability(clinician_id, from, to, reason));
  RETURN_IF_ERROR(RequireClinician(env.store, clinician_id));
  Unavailability result;
  from = std::max(from, now + std::chrono::milliseconds(1));  // Started slots are left alone.
  if (to <= from) return result;
  store::SlotQuery query;
  query.from = from;
  query.to = to;
  query.clinician_id = std::string(clinician_id);
  ASSIGN_OR_RETURN(std::vector<Slot> slots, env.store.ListSlots(query));
  for (const Slot& s : slots) result.slot_ids.push_back(s.id);
  ASSIGN_OR_RETURN(std::vector<std::string> booked,
                   BookedBetween(env.store, clinician_id, from, to));
  RETURN_IF_ERROR(CancelForUnavailability(env, actor, result.slot_ids, booked, reason, now,
                                          result.appointments));
  // A booking committed between the reads above and that transaction; the slots are cancelled
  // now, so the store refuses any later one and a single second pass finds every straggler.
  ASSIGN_OR_RETURN(booked, BookedBetween(env.store, clinician_id, from, to));
  if (!booked.empty()) {
    RETURN_IF_ERROR(
        CancelForUnavailability(env, actor, {}, booked, reason, now, result.appointments));
  }
  return result;
}

StatusOr<Appointment> RebookToBestAlternative(const Env& env, const Actor& actor,
                                              std::string_view referral_id, Instant now) {
  ASSIGN_OR_RETURN(Referral referral, env.store.GetReferral(referral_id));
  if (referral.state != ReferralState::kWaitingToBook) {
    return FailedPreconditionError("only a referral waiting to book can be rebooked; this one is " +
                                       std::string(ToString(referral.state)),
                                   "referral_id");
  }
  ASSIGN_OR_RETURN(Appointment cancelled, CancelledAppointment(env.store, referral.id));
  ASSIGN_OR_RETURN(Slot old, env.store.GetSlot(cancelled.slot_id));
  store::SlotQuery query;
  query.from = now;
  query.to = now + kRebookHorizon;
  query.type = old.type;
  query.modality = old.modality;
  query.free_only = true;
  ASSIGN_OR_RETURN(std::vector<Slot> slots, env.store.ListSlots(query));
  const scheduling::Need need{old.type, old.modality, referral.priority, ""};
  scheduling::Preferences same_site;
  same_site.sites = {old.site_id};
  std::vector<scheduling::Candidate> candidates =
      scheduling::SearchSlots(slots, need, same_site, {}, {}, {}, now, kRebookCandidates);
  if (candidates.empty()) {
    candidates = scheduling::SearchSlots(slots, need, {}, {}, {}, {}, now, kRebookCandidates);
  }
  for (const scheduling::Candidate& c : candidates) {
    auto booked = Book(env, actor, {referral.id, c.slot.id, ""}, now);
    if (booked.ok() || booked.status().code() != StatusCode::kAborted) return booked;
  }
  return NotFoundError("no free slot of the same type and modality in the next " +
                           std::to_string(kRebookHorizon.count()) + " weeks",
                       "referral_id");
}

}  // namespace tendon::workflow
