// The records tendon keeps: patients, referrals, sites, rooms, clinicians and audit entries. Plain
// values with no behaviour; the rules that govern them live beside them in core and in the
// workflows.
#ifndef TENDON_CORE_RECORDS_H_
#define TENDON_CORE_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/pathway.h"
#include "core/status.h"
#include "core/time.h"

namespace tendon {

// As the NHS Data Dictionary's "person stated gender code" (1 male, 2 female, 9 indeterminate, X
// not known), with readable names.
enum class Sex { kFemale, kMale, kIndeterminate, kNotKnown };
std::string_view ToString(Sex sex);
StatusOr<Sex> ParseSex(std::string_view name, std::string_view field = "sex");

// The roles of DESIGN.md, "Who uses it". Every route names the roles it allows.
enum class Role {
  kPatient,
  kReferrer,
  kTriageClinician,
  kTreatingClinician,
  kCoordinator,
  kCommissioner,
  kAdministrator,
};
inline constexpr int kRoleCount = 7;
std::string_view ToString(Role role);
// "Triage clinician", for pages.
std::string_view RoleLabel(Role role);
StatusOr<Role> ParseRole(std::string_view name, std::string_view field = "role");

// A patient as the service knows them. A referral that arrives incomplete, or a self-referral from
// someone who does not know their NHS number, still makes a record: the fields it lacks are empty
// until the referral is completed.
struct Patient {
  std::string key;  // Opaque, random; the only patient identifier outside patient records.
  std::string
      nhs_number;  // Ten digits, check digit valid (see nhs_number.h); empty when not known.
  std::string given_name;
  std::string family_name;
  std::optional<Date> date_of_birth;
  Sex sex = Sex::kNotKnown;
  std::string postcode;  // Normalised ("OX3 9DU").
  std::string phone;
  std::string email;
  std::string gp_practice;           // ODS code of the registered practice.
  std::string interpreter_language;  // Empty when no interpreter is needed.
  std::string accessibility_needs;   // Free text: step-free access, British Sign Language, ...
  bool dissent = false;              // Dissent to sharing outside the team that holds the record.
  Instant created_at{};
};

struct Referral {
  std::string id;  // Opaque reference, unguessable from other references.
  std::string patient_key;
  ReferralSource source = ReferralSource::kGp;
  ReferralState state = ReferralState::kReceived;
  Priority priority = Priority::kRoutine;
  std::optional<Tier> tier;
  std::optional<ServiceLine> service_line;
  std::string site_id;                // Where the patient is (to be) seen; empty before booking.
  std::string referrer_organisation;  // ODS code of the referring organisation; empty for self.
  std::string owner;  // Who must act next: a user id or a team ("triage", "booking").
  std::optional<Instant> next_action_due;
  Instant received_at{};  // First registration; kept when a returned referral is resubmitted.
  std::optional<Instant> resubmitted_at;  // Latest resubmission after a return, if any.
  Instant updated_at{};
};

// What a referral says beside its state: the answers the referrer or patient gave (a JSON object,
// data/rules/README.md "Answers") and the latest decision on them (a JSON object: the rules that
// fired with their versions, the route, the reasons and advice, and the missing items).
struct ReferralDetails {
  std::string referral_id;
  std::string answers = "{}";
  std::string decision = "{}";
  Instant updated_at{};
};

// A triage clinician's hold on a referral awaiting triage. A claim lapses once it has been idle for
// the claim timeout (workflow/triage.h); a lapsed claim may be taken by anyone.
struct TriageClaim {
  std::string referral_id;
  std::string user_id;
  Instant claimed_at{};
  Instant last_active_at{};
};

// Two referrals a coordinator found to be about the same problem. kLinked keeps both open;
// kMerged withdrew `other_id` into `referral_id`.
enum class LinkKind { kLinked, kMerged };
std::string_view ToString(LinkKind kind);
StatusOr<LinkKind> ParseLinkKind(std::string_view name, std::string_view field = "kind");

struct ReferralLink {
  std::string referral_id;
  std::string other_id;
  LinkKind kind = LinkKind::kLinked;
  std::string actor;  // User id.
  Instant at{};
};

// An intake that stopped before it made a referral: a self-referral stopped by an emergency red
// flag, for example. Anonymous: it records what happened and which rules fired, never who.
struct IntakeAttempt {
  std::int64_t id = 0;  // Assigned by the store.
  Instant at{};
  std::string channel;  // "online", "telephone".
  std::string outcome;  // "emergency_stop".
  std::string rules;    // JSON array of {rule_id, version}.
};

struct Site {
  std::string id;  // Stable short id, "east-oxford".
  std::string name;
  std::string region;  // "South", "Central Oxford", ...
  std::string address;
  double latitude = 0;
  double longitude = 0;
  int rooms = 0;               // Rooms available (full days a week).
  int weekly_clinic_days = 0;  // Clinic diaries scheduled (full days a week).
};

struct Room {
  std::string id;
  std::string site_id;
  std::string name;
};

struct Clinician {
  std::string id;
  std::string name;
  std::string profession;           // "physiotherapist", "extended_scope_practitioner", ...
  std::vector<std::string> skills;  // "injection", "spinal", ...
  std::string base_site_id;
  double fte = 1.0;
};

// A person who signs in to tendon.
struct User {
  std::string id;        // Opaque, stable.
  std::string username;  // Unique, lower case.
  std::string display_name;
  Role role = Role::kPatient;
  std::string organisation;   // ODS code: the referrer's practice, the staff member's employer.
  std::string patient_key;    // For a patient: the record they may see. Empty otherwise.
  std::string clinician_id;   // For a clinician: whose diary is theirs. Empty otherwise.
  std::string password_hash;  // Argon2id, in libsodium's string format.
  bool disabled = false;
  Instant created_at{};
};

// A signed-in session. The cookie holds a random token; the store keeps only its SHA-256.
struct Session {
  std::string token_hash;  // Hex SHA-256 of the cookie token.
  std::string user_id;
  std::string csrf_token;  // Random; every form and state-changing API call must echo it.
  Instant created_at{};
  Instant last_seen_at{};
  std::string context_referral_id;  // The referral the user opened (never put in a URL).
};

struct AuditEntry {
  std::int64_t id = 0;  // Assigned by the store.
  Instant at{};
  std::string actor;        // User id.
  std::string role;         // "patient", "triage_clinician", ...
  std::string patient_key;  // Whose data; empty when none.
  std::string action;       // "referral.read", "patient.update", ...
  std::string reason;       // Why, where given (a break-glass reason, for example).
};

// A message to a patient waiting in the outbox. It is queued in the transaction that makes the
// change it tells of; a delivery worker (src/notify) sends it later and records the outcome.
// queued: waiting for its next attempt; sending: claimed by a worker, which may have sent it;
// sent: the provider accepted it; failed: it will never be sent (no address, a permanent refusal,
// or too many attempts), for a coordinator to reach the patient another way.
enum class NotificationStatus { kQueued, kSending, kSent, kFailed };
std::string_view ToString(NotificationStatus status);
StatusOr<NotificationStatus> ParseNotificationStatus(std::string_view name,
                                                     std::string_view field = "status");

// How a message reaches its recipient: email (over SMTP or GOV.UK Notify) or a text message.
enum class Channel { kEmail, kSms };
std::string_view ToString(Channel channel);
StatusOr<Channel> ParseChannel(std::string_view name, std::string_view field = "channel");

struct Notification {
  std::int64_t id = 0;  // Assigned by the store, in queueing order.
  std::string kind;     // What it tells: "appointment.cancelled_by_service", ...
  std::string patient_key;
  std::string referral_id;     // Empty when the message concerns no one referral.
  std::string payload = "{}";  // A JSON object: what the message's template needs.
  NotificationStatus status = NotificationStatus::kQueued;
  Instant created_at{};
  // Where it goes, fixed when it is queued (core/contact.h AddressFor): unset and empty ask the
  // store to take them from the patient's record; a recipient given needs its channel.
  std::optional<Channel> channel;
  std::string recipient;  // An email address or a phone number.
  // Delivery: attempts made (each claim is one), when the next may start, when the current claim
  // began (while sending), the last error, and when and under which id the provider took it.
  int attempts = 0;
  Instant next_attempt_at{};  // Unset when queued: at once.
  std::optional<Instant> claimed_at;
  std::string last_error;
  std::optional<Instant> sent_at;
  std::string provider_id;
};

// A patient portal sign-in waiting for its one-time code (workflow/portal.h). One is kept for every
// sign-in begun, whether or not the details matched a referral, so that both take the same path.
struct PortalCode {
  std::string challenge_hash;  // Hex SHA-256 of the random token the browser holds.
  std::string reference;       // The referral reference as given (upper case, no spaces).
  std::string patient_key;     // Whose referral matched; empty when none did (no code was sent).
  std::string code_hash;       // Hex SHA-256 of the token and the code: useless without the token.
  Instant created_at{};
  Instant expires_at{};
  int attempts = 0;  // Wrong codes entered so far.
  std::optional<Instant> used_at;
};

}  // namespace tendon

#endif  // TENDON_CORE_RECORDS_H_
