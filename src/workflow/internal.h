// What the workflows share and no one else needs: reading request fields, the teams that own
// referrals, and building events and audit rows. Internal to the workflow module.
#ifndef TENDON_WORKFLOW_INTERNAL_H_
#define TENDON_WORKFLOW_INTERNAL_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/records.h"
#include "store/store.h"
#include "workflow/booking.h"
#include "workflow/workflow.h"

namespace tendon::workflow::internal {

inline constexpr std::string_view kTriageTeam = "triage";
inline constexpr std::string_view kBookingTeam = "booking";
inline constexpr std::string_view kReferralsTeam = "referrals";

// `s` without leading and trailing white space.
std::string Trim(std::string_view s);

// Reads the members of one JSON object, noting every malformed one as "PREFIXname: reason".
// Absent, null and blank members are "not given".
class FieldReader {
 public:
  FieldReader(const nlohmann::json& object, std::string prefix, std::vector<FieldError>& errors)
      : object_(object), prefix_(std::move(prefix)), errors_(errors) {}

  // The member as trimmed text, at most `max` bytes; "" when not given or malformed.
  std::string Text(std::string_view name, std::size_t max);

  // The member named by one of an enum's names, read with `parse` (a core parser).
  template <typename T>
  std::optional<T> Choice(std::string_view name,
                          StatusOr<T> (*parse)(std::string_view, std::string_view)) {
    const std::string text = Text(name, kMaxShortText);
    if (text.empty()) return std::nullopt;
    StatusOr<T> value = parse(text, name);
    if (value.ok()) return *value;
    Fail(name, value.status().message());
    return std::nullopt;
  }

  // Whether the member is given (present, not null, not blank text); reading it either way.
  bool Given(std::string_view name);
  // The member as a whole number: a JSON integer, or text of decimal digits with an optional
  // leading '-' (as a form sends it). Nullopt when not given or malformed.
  std::optional<int> Int(std::string_view name);
  // The member as a finite decimal number, a JSON number or text. Nullopt as Int.
  std::optional<double> Number(std::string_view name);
  // The member as a list of trimmed texts, at most `max` bytes each; blank items are left out.
  // Empty when not given or malformed.
  std::vector<std::string> Texts(std::string_view name, std::size_t max);

  void Fail(std::string_view name, std::string message);
  void Fail(const Status& status) { Fail(status.field(), status.message()); }
  // Notes every member not read as an error: a misspelt field must not vanish.
  void RefuseUnknown();

 private:
  const nlohmann::json& object_;
  std::string prefix_;
  std::vector<FieldError>& errors_;
  std::set<std::string, std::less<>> seen_;
};

// Who completes a returned referral: the referring organisation, or the referrals team, who
// telephone a patient who referred themselves.
std::string ReturnOwner(const Referral& referral);

// An event of `type` by `actor` at `now`; the store fills the referral's fields.
PathwayEvent NewEvent(EventType type, const Actor& actor, Instant now,
                      const nlohmann::json& payload);

// Appends the audit row of `actor` doing `action` to `patient_key`'s data.
Status Audit(store::WriteTxn& txn, const Actor& actor, std::string_view patient_key,
             std::string_view action, Instant now, std::string reason = {});

// The payload of an outbox message about `appointment` in `slot`: what its template needs (its
// id, start, site_id and modality; data/notifications/README.md).
nlohmann::json NoticePayload(const Appointment& appointment, const Slot& slot);

// Queues the outbox message `kind` to `patient_key` about `referral_id`, addressed from their
// record by the store.
Status QueueNotice(store::WriteTxn& txn, std::string_view kind, std::string_view patient_key,
                   std::string_view referral_id, const nlohmann::json& payload, Instant now);

// The message that `referral` was returned, listing what is `missing` (kind "referral.returned"):
// to the patient who referred themselves, from their record; for a referrer, through the
// service's GP-letters mailbox, naming the referring organisation (none configured: no message).
Status QueueReturned(const Env& env, store::WriteTxn& txn, const Referral& referral,
                     const std::vector<std::string>& missing, Instant now);

// Book's work within `txn` (booking.cc), for the workflows that book several referrals in one
// transaction: a replay of the request's key returns the earlier appointment and writes nothing;
// otherwise the referral is booked into the slot with Book's checks and errors, its
// appointment.booked event and an audit row `audit_action`.
StatusOr<Appointment> BookInTxn(store::WriteTxn& txn, const Actor& actor,
                                const BookingRequest& request, Instant now,
                                std::string_view audit_action);

}  // namespace tendon::workflow::internal

#endif  // TENDON_WORKFLOW_INTERNAL_H_
