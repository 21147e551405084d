#include "core/event.h"

#include <array>
#include <nlohmann/json.hpp>

#include "core/enum_names.h"

namespace tendon {
namespace {

using S = ReferralState;
using E = EventType;

constexpr std::array<EnumName<E>, kEventTypeCount> kEventNames{{
    {E::kReferralReceived, "referral.received"},
    {E::kReferralReturned, "referral.returned"},
    {E::kReferralResubmitted, "referral.resubmitted"},
    {E::kReferralWithdrawn, "referral.withdrawn"},
    {E::kRedflagRaised, "redflag.raised"},
    {E::kTriageCompleted, "triage.completed"},
    {E::kWaitlistAdded, "waitlist.added"},
    {E::kAppointmentOffered, "appointment.offered"},
    {E::kAppointmentBooked, "appointment.booked"},
    {E::kAppointmentCancelled, "appointment.cancelled"},
    {E::kAppointmentAttended, "appointment.attended"},
    {E::kAppointmentDna, "appointment.dna"},
    {E::kEpisodeDischarged, "episode.discharged"},
    {E::kPifuOpened, "pifu.opened"},
    {E::kPifuRequested, "pifu.requested"},
    {E::kPifuExpired, "pifu.expired"},
    {E::kOnwardReferred, "onward.referred"},
    {E::kOutcomeMskhq, "outcome.mskhq"},
    {E::kFeedbackFft, "feedback.fft"},
    {E::kTransferImported, "transfer.imported"},
    {E::kReferralClosed, "referral.closed"},
}};
static_assert(kEventNames.back().value == E::kReferralClosed && !kEventNames.back().name.empty(),
              "every event type is named, in order");

constexpr std::array<S, 0> kUnchanged{};
constexpr std::array kOnReceived{S::kReceived, S::kAwaitingTriage, S::kReturnedIncomplete};
constexpr std::array kOnReturned{S::kReturnedIncomplete};
constexpr std::array kOnResubmitted{S::kAwaitingTriage};
constexpr std::array kOnWithdrawn{S::kWithdrawn};
constexpr std::array kOnTriage{S::kTriaged, S::kDischarged, S::kOnwardReferred,
                               S::kReturnedIncomplete};
constexpr std::array kOnWaitlist{S::kWaitingToBook};
constexpr std::array kOnBooked{S::kBooked, S::kInTreatment};
constexpr std::array kOnCancelled{S::kWaitingToBook, S::kBooked, S::kInTreatment};
constexpr std::array kOnAttended{S::kInTreatment};
constexpr std::array kOnDna{S::kWaitingToBook, S::kBooked, S::kInTreatment, S::kDischarged};
constexpr std::array kOnDischarged{S::kDischarged};
constexpr std::array kOnPifuOpened{S::kPifuWindow};
constexpr std::array kOnPifuRequested{S::kWaitingToBook};
constexpr std::array kOnClosed{S::kClosed};
constexpr std::array kOnOnward{S::kOnwardReferred};
constexpr std::array kFromReceivedOrTriage{S::kReceived, S::kAwaitingTriage};
constexpr std::array kFromReturned{S::kReturnedIncomplete};
constexpr std::array kFromAwaitingTriage{S::kAwaitingTriage};
constexpr std::array kFromTriagedOrTreating{S::kTriaged, S::kBooked, S::kInTreatment};
constexpr std::array kFromWaitingToBook{S::kWaitingToBook};
constexpr std::array kFromBookable{S::kWaitingToBook, S::kBooked, S::kInTreatment};
constexpr std::array kFromBooked{S::kBooked, S::kInTreatment};
constexpr std::array kFromDischarged{S::kDischarged};
constexpr std::array kFromPifuWindow{S::kPifuWindow};
constexpr std::array kFromDischargedOrPifu{S::kDischarged, S::kPifuWindow};
constexpr std::array kOnTransfer{S::kAwaitingTriage, S::kWaitingToBook, S::kBooked, S::kInTreatment,
                                 S::kPifuWindow};

using F = std::string_view;
constexpr std::array<F, 0> kNoFields{};
constexpr std::array<F, 1> kSourceField{"source"};
constexpr std::array<F, 1> kMissingField{"missing"};
constexpr std::array<F, 1> kReasonField{"reason"};
constexpr std::array<F, 2> kRuleFields{"rule_id", "rule_version"};
constexpr std::array<F, 1> kOutcomeField{"outcome"};
constexpr std::array<F, 3> kBookedFields{"appointment_id", "start", "modality"};
constexpr std::array<F, 4> kOfferedFields{"appointment_id", "start", "modality", "expires_at"};
constexpr std::array<F, 3> kCancelledFields{"appointment_id", "by", "reason"};
constexpr std::array<F, 1> kAppointmentField{"appointment_id"};
constexpr std::array<F, 1> kWindowField{"window_ends"};
constexpr std::array<F, 1> kDestinationField{"destination"};
constexpr std::array<F, 2> kMskhqFields{"timepoint", "score"};
constexpr std::array<F, 1> kAnswerField{"answer"};
constexpr std::array<F, 1> kListField{"list"};

const std::array<EventSchema, 21> kSchemas{{
    {E::kReferralReceived, true, kOnReceived, {}, kSourceField},
    {E::kReferralReturned, false, kOnReturned, kFromReceivedOrTriage, kMissingField},
    {E::kReferralResubmitted, false, kOnResubmitted, kFromReturned, kNoFields},
    {E::kReferralWithdrawn, false, kOnWithdrawn, {}, kReasonField},
    {E::kRedflagRaised, false, kUnchanged, {}, kRuleFields},
    {E::kTriageCompleted, false, kOnTriage, kFromAwaitingTriage, kOutcomeField},
    {E::kWaitlistAdded, false, kOnWaitlist, kFromTriagedOrTreating, kNoFields},
    {E::kAppointmentOffered, false, kUnchanged, kFromWaitingToBook, kOfferedFields},
    {E::kAppointmentBooked, false, kOnBooked, kFromBookable, kBookedFields},
    {E::kAppointmentCancelled, false, kOnCancelled, kFromBookable, kCancelledFields},
    {E::kAppointmentAttended, false, kOnAttended, kFromBooked, kAppointmentField},
    {E::kAppointmentDna, false, kOnDna, kFromBooked, kAppointmentField},
    {E::kEpisodeDischarged, false, kOnDischarged, {}, kReasonField},
    {E::kPifuOpened, false, kOnPifuOpened, kFromDischarged, kWindowField},
    {E::kPifuRequested, false, kOnPifuRequested, kFromPifuWindow, kNoFields},
    {E::kPifuExpired, false, kOnClosed, kFromPifuWindow, kNoFields},
    {E::kOnwardReferred, false, kOnOnward, {}, kDestinationField},
    {E::kOutcomeMskhq, false, kUnchanged, {}, kMskhqFields},
    {E::kFeedbackFft, false, kUnchanged, {}, kAnswerField},
    {E::kTransferImported, true, kOnTransfer, {}, kListField},
    {E::kReferralClosed, false, kOnClosed, kFromDischargedOrPifu, kReasonField},
}};

bool Contains(std::span<const S> states, S s) {
  for (S x : states) {
    if (x == s) return true;
  }
  return false;
}

Status CheckPayload(const PathwayEvent& event, const EventSchema& schema) {
  nlohmann::json payload =
      nlohmann::json::parse(event.payload, nullptr, /*allow_exceptions=*/false);
  if (payload.is_discarded() || !payload.is_object()) {
    return InvalidArgumentError("the payload must be a JSON object", "payload");
  }
  for (std::string_view name : schema.required_payload) {
    if (!payload.contains(name)) {
      return InvalidArgumentError(
          std::string(ToString(event.type)) + " needs a '" + std::string(name) + "' field",
          "payload");
    }
  }
  return OkStatus();
}

Status CheckStates(const PathwayEvent& event, const EventSchema& schema,
                   std::optional<ReferralState> before) {
  const std::string type(ToString(event.type));
  if (!before) {
    if (!schema.creates_referral) {
      return NotFoundError(type + " needs an existing referral", "referral_id");
    }
    if (!Contains(schema.states_after, event.state_after)) {
      return InvalidArgumentError(type + " cannot open a referral in state '" +
                                      std::string(ToString(event.state_after)) + "'",
                                  "state_after");
    }
    return OkStatus();
  }
  if (schema.creates_referral) {
    return AlreadyExistsError("referral " + event.referral_id + " exists already", "referral_id");
  }
  if (schema.states_after.empty()) {
    if (event.state_after == *before) return OkStatus();
    return InvalidArgumentError(type + " does not change the referral's state", "state_after");
  }
  if (!Contains(schema.states_after, event.state_after)) {
    return InvalidArgumentError(type + " cannot leave a referral in state '" +
                                    std::string(ToString(event.state_after)) + "'",
                                "state_after");
  }
  if (schema.states_before.empty()) return CheckTransition(*before, event.state_after);
  if (!Contains(schema.states_before, *before)) {
    return FailedPreconditionError(type + " cannot move a referral from '" +
                                       std::string(ToString(*before)) + "' to '" +
                                       std::string(ToString(event.state_after)) + "'",
                                   "state");
  }
  if (event.state_after == *before) return OkStatus();
  return CheckTransition(*before, event.state_after);
}

}  // namespace

std::string_view ToString(EventType type) { return NameIn(kEventNames, type); }

StatusOr<EventType> ParseEventType(std::string_view name, std::string_view field) {
  return ParseIn(kEventNames, name, field, "pathway event type");
}

const EventSchema& SchemaOf(EventType type) {
  for (const EventSchema& schema : kSchemas) {
    if (schema.type == type) return schema;
  }
  return kSchemas[0];  // Unreachable: kSchemas covers every type (tested).
}

Status ValidateEvent(const PathwayEvent& event, std::optional<ReferralState> before) {
  if (event.referral_id.empty()) return InvalidArgumentError("is required", "referral_id");
  if (event.patient_key.empty()) return InvalidArgumentError("is required", "patient_key");
  if (event.actor.empty()) return InvalidArgumentError("is required", "actor");
  const EventSchema& schema = SchemaOf(event.type);
  RETURN_IF_ERROR(CheckPayload(event, schema));
  return CheckStates(event, schema, before);
}

}  // namespace tendon
