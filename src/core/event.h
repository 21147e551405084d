// The pathway event: one row of the log that is the spine of tendon (DESIGN.md, "The spine").
//
// Every change to a referral appends one event in the same transaction as the change. Each event
// records the referral's state after it (`state_after`), so the log alone tells where every
// referral is, and each event type's schema says which states it may leave the referral in and
// which payload fields it must carry.
#ifndef TENDON_CORE_EVENT_H_
#define TENDON_CORE_EVENT_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/pathway.h"
#include "core/status.h"
#include "core/time.h"

namespace tendon {

enum class EventType {
  kReferralReceived,
  kReferralReturned,
  kReferralResubmitted,
  kReferralWithdrawn,
  kRedflagRaised,
  kTriageCompleted,
  kWaitlistAdded,
  kAppointmentOffered,
  kAppointmentBooked,
  kAppointmentCancelled,
  kAppointmentAttended,
  kAppointmentDna,
  kEpisodeDischarged,
  kPifuOpened,
  kPifuRequested,
  kPifuExpired,
  kOnwardReferred,
  kOutcomeMskhq,
  kFeedbackFft,
  kTransferImported,
  kReferralClosed,  // The last: kEventTypeCount counts to here.
};
inline constexpr std::size_t kEventTypeCount =
    static_cast<std::size_t>(EventType::kReferralClosed) + 1;

// "referral.received", "appointment.dna", ...
std::string_view ToString(EventType type);
StatusOr<EventType> ParseEventType(std::string_view name, std::string_view field = "type");

struct PathwayEvent {
  std::int64_t id = 0;  // Assigned by the store on append; ascending in append order.
  std::string referral_id;
  std::string patient_key;
  EventType type = EventType::kReferralReceived;
  ReferralState state_after = ReferralState::kReceived;
  Instant occurred_at{};  // When it happened (UTC).
  Instant recorded_at{};  // When tendon learned of it (UTC).
  std::string actor;      // User id, or "system", "demo", "import".
  std::string site;       // Site id; empty when not tied to a site.
  std::optional<Tier> tier;
  std::optional<ServiceLine> service_line;
  Priority priority = Priority::kRoutine;
  std::string payload = "{}";  // A JSON object; fields per type (see EventSchema).
};

// What an event type may do.
struct EventSchema {
  EventType type;
  // True for the types that open a referral (referral.received, transfer.imported).
  bool creates_referral;
  // The states the referral may be in after the event. Empty means "unchanged": the event records
  // something about the referral without moving it.
  std::span<const ReferralState> states_after;
  // The states the referral must be in before the event. When empty, the event must move the
  // referral by a legal transition. When given, the referral must be in one of them, and may stay
  // where it is when that state is also in states_after (a follow-up booked during treatment).
  std::span<const ReferralState> states_before;
  // Fields the JSON payload must have.
  std::span<const std::string_view> required_payload;
};

const EventSchema& SchemaOf(EventType type);

// Checks `event` against its type's schema, given the referral's state before it (nullopt when the
// referral does not exist yet): only a creating type may open a referral, and it must; state_after
// is one the type allows and, when it differs from `before`, a legal move from it; a referral in a
// terminal state takes only the types that leave the state unchanged; the payload is a JSON object
// with the required fields; referral id, patient key and actor are present. Errors: InvalidArgument
// for a malformed event (naming the field); NotFound for a non-creating type with no referral;
// AlreadyExists for a creating type on an existing referral; FailedPrecondition for an event
// illegal in the referral's current state.
Status ValidateEvent(const PathwayEvent& event, std::optional<ReferralState> before);

}  // namespace tendon

#endif  // TENDON_CORE_EVENT_H_
