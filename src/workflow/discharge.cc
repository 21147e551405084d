#include "workflow/discharge.h"

#include <nlohmann/json.hpp>
#include <vector>

#include "core/london_time.h"
#include "workflow/internal.h"

namespace tendon::workflow {
namespace {

using internal::Audit;
using internal::kBookingTeam;
using internal::NewEvent;
using json = nlohmann::json;

// How many of a patient's messages the sweep reads to find a closing notice already queued.
constexpr int kOutboxLookBack = 1000;

Status CheckReason(std::string_view reason, std::string_view field, bool required) {
  if (required && reason.empty()) return InvalidArgumentError("is required", std::string(field));
  if (reason.size() > kMaxLongText) {
    return InvalidArgumentError("is longer than " + std::to_string(kMaxLongText) + " characters",
                                std::string(field));
  }
  return OkStatus();
}

Status Queue(store::WriteTxn& txn, std::string_view kind, const Referral& referral,
             const json& payload, Instant now) {
  return internal::QueueNotice(txn, kind, referral.patient_key, referral.id, payload, now);
}

// Queues the GP's discharge letter for a referral closing now, through the service's GP-letters
// mailbox (none configured: no letter). `discharged` is when the episode ended.
Status QueueLetter(const Env& env, store::WriteTxn& txn, const Referral& referral,
                   Instant discharged, std::string_view outcome, Instant now) {
  if (env.timing.gp_letters_mailbox.empty()) return OkStatus();
  ASSIGN_OR_RETURN(Patient patient, txn.GetPatient(referral.patient_key));
  Notification letter;
  letter.kind = std::string(kLetterDischarge);
  letter.patient_key = referral.patient_key;
  letter.referral_id = referral.id;
  letter.channel = Channel::kEmail;
  letter.recipient = env.timing.gp_letters_mailbox;
  letter.payload = json{{"reference", referral.id},
                        {"practice", patient.gp_practice},
                        {"discharged", FormatDate(LondonDate(discharged))},
                        {"outcome", std::string(outcome)}}
                       .dump();
  letter.created_at = now;
  return txn.EnqueueNotification(letter).status();
}

std::string Until(Instant window_ends) { return FormatDate(LondonDate(window_ends)); }

}  // namespace

StatusOr<Referral> Discharge(const Env& env, const Actor& actor, const DischargeRequest& request,
                             Instant now) {
  const std::string reason = internal::Trim(request.reason);
  RETURN_IF_ERROR(CheckReason(reason, "reason", /*required=*/true));
  Referral referral;
  RETURN_IF_ERROR(env.store.Write([&](store::WriteTxn& txn) -> Status {
    ASSIGN_OR_RETURN(referral, txn.GetReferral(request.referral_id));
    if (referral.state != ReferralState::kInTreatment) {
      return FailedPreconditionError(
          "only a referral in treatment can be discharged; this one is " +
              std::string(ToString(referral.state)),
          "referral_id");
    }
    referral.state = ReferralState::kDischarged;
    referral.updated_at = now;
    RETURN_IF_ERROR(txn.RecordEvent(referral, NewEvent(EventType::kEpisodeDischarged, actor, now,
                                                       {{"reason", reason}}))
                        .status());
    if (request.pifu) {
      const Instant ends = AddMonths(now, env.timing.pifu_window_months);
      referral.state = ReferralState::kPifuWindow;
      referral.owner = kBookingTeam;
      referral.next_action_due = ends;
      RETURN_IF_ERROR(txn.RecordEvent(referral, NewEvent(EventType::kPifuOpened, actor, now,
                                                         {{"window_ends", FormatInstant(ends)}}))
                          .status());
      RETURN_IF_ERROR(Queue(txn, kNoticePifuOpened, referral, {{"until", Until(ends)}}, now));
    } else {
      referral.state = ReferralState::kClosed;
      RETURN_IF_ERROR(txn.RecordEvent(referral, NewEvent(EventType::kReferralClosed, actor, now,
                                                         {{"reason", "discharged"}}))
                          .status());
      RETURN_IF_ERROR(QueueLetter(env, txn, referral, now, "They finished their treatment.", now));
    }
    RETURN_IF_ERROR(Queue(txn, kNoticeFft, referral, json::object(), now));
    return Audit(txn, actor, referral.patient_key, "referral.discharge", now);
  }));
  return referral;
}

StatusOr<Referral> RequestFollowUp(const Env& env, const Actor& actor, std::string_view referral_id,
                                   std::string reason, Instant now) {
  reason = internal::Trim(reason);
  RETURN_IF_ERROR(CheckReason(reason, "reason", /*required=*/false));
  Referral referral;
  RETURN_IF_ERROR(env.store.Write([&](store::WriteTxn& txn) -> Status {
    ASSIGN_OR_RETURN(referral, txn.GetReferral(referral_id));
    if (referral.state != ReferralState::kPifuWindow) {
      return FailedPreconditionError("this referral has no follow-up window open", "referral_id");
    }
    if (referral.next_action_due && *referral.next_action_due <= now) {
      return FailedPreconditionError(
          "the follow-up window ended on " + Until(*referral.next_action_due), "referral_id");
    }
    referral.state = ReferralState::kWaitingToBook;
    referral.owner = kBookingTeam;
    referral.next_action_due =
        AddWorkingDays(env.calendar, now, env.timing.pifu_response_working_days);
    referral.updated_at = now;
    json payload = json::object();
    if (!reason.empty()) payload["reason"] = reason;
    RETURN_IF_ERROR(
        txn.RecordEvent(referral, NewEvent(EventType::kPifuRequested, actor, now, payload))
            .status());
    return Audit(txn, actor, referral.patient_key, "pifu.request", now);
  }));
  return referral;
}

namespace {

// Whether the closing notice of the window that opened at `opened` is queued already.
StatusOr<bool> ClosingNoticeQueued(store::Store& store, const Referral& referral, Instant opened) {
  store::OutboxQuery query;
  query.patient_key = referral.patient_key;
  query.limit = kOutboxLookBack;
  ASSIGN_OR_RETURN(std::vector<Notification> messages, store.ListNotifications(query));
  for (const Notification& m : messages) {
    if (m.kind == kNoticePifuClosing && m.referral_id == referral.id && m.created_at >= opened) {
      return true;
    }
  }
  return false;
}

// The referral as `seen`, re-read in `txn`: Aborted when it changed since (the patient asked to be
// seen, or another sweep ran), so that the sweep leaves it alone.
StatusOr<Referral> Unchanged(store::WriteTxn& txn, const Referral& seen) {
  ASSIGN_OR_RETURN(Referral now, txn.GetReferral(seen.id));
  if (now.state != seen.state || now.updated_at != seen.updated_at) {
    return AbortedError("the referral changed meanwhile");
  }
  return now;
}

}  // namespace

StatusOr<PifuSweep> SweepPifuWindows(const Env& env, Instant now) {
  constexpr int kAll = 1000000;
  ASSIGN_OR_RETURN(std::vector<Referral> open,
                   env.store.ListReferralsInState(ReferralState::kPifuWindow, kAll));
  // The service itself, as the demo's history records it (core's pathway events, actor "system").
  const Actor system{"system", Role::kAdministrator, ""};
  PifuSweep sweep;
  for (const Referral& seen : open) {
    if (!seen.next_action_due) continue;
    const Instant ends = *seen.next_action_due;
    const Instant opened = seen.updated_at;
    if (ends <= now) {
      Status done = env.store.Write([&](store::WriteTxn& txn) -> Status {
        ASSIGN_OR_RETURN(Referral referral, Unchanged(txn, seen));
        referral.state = ReferralState::kClosed;
        referral.updated_at = now;
        RETURN_IF_ERROR(txn.RecordEvent(referral, NewEvent(EventType::kPifuExpired, system, now,
                                                           json::object()))
                            .status());
        RETURN_IF_ERROR(QueueLetter(env, txn, referral, opened,
                                    "They did not ask to be seen again within their follow-up "
                                    "window, which ended on " +
                                        Until(ends) + ".",
                                    now));
        return Audit(txn, system, referral.patient_key, "pifu.expire", now);
      });
      if (done.code() == StatusCode::kAborted) continue;
      RETURN_IF_ERROR(done);
      ++sweep.expired;
      continue;
    }
    if (ends - now > std::chrono::days(env.timing.pifu_closing_notice_days)) continue;
    ASSIGN_OR_RETURN(bool queued, ClosingNoticeQueued(env.store, seen, opened));
    if (queued) continue;
    Status done = env.store.Write([&](store::WriteTxn& txn) -> Status {
      ASSIGN_OR_RETURN(Referral referral, Unchanged(txn, seen));
      return Queue(txn, kNoticePifuClosing, referral, {{"until", Until(ends)}}, now);
    });
    if (done.code() == StatusCode::kAborted) continue;
    RETURN_IF_ERROR(done);
    ++sweep.reminded;
  }
  return sweep;
}

}  // namespace tendon::workflow
