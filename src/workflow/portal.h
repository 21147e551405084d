// The patient portal (the patient issue, parts 1, 2, 3 and 6): how a patient proves who they are,
// and what they are shown of their own referrals: each pathway event in plain words, where they
// are now and what happens next, an expected wait worked out from current data, advice for their
// service line, their appointments, and who has looked at their record. The words are data
// (config/portal.h). Changes to appointments go through workflow/booking.h, as the coordinator's.
#ifndef TENDON_WORKFLOW_PORTAL_H_
#define TENDON_WORKFLOW_PORTAL_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/throttle.h"
#include "config/portal.h"
#include "core/records.h"
#include "core/schedule.h"
#include "core/status.h"
#include "core/waits.h"
#include "workflow/workflow.h"

namespace tendon::workflow {

// --- Signing in --------------------------------------------------------------------------------

// The kind of the outbox message that carries a sign-in code; its payload is {"code": six digits,
// "expires_at": instant, "minutes": the code's lifetime}.
inline constexpr std::string_view kNoticeSignInCode = "portal.sign_in_code";

// What any way of signing a patient in ends with: who they proved to be.
struct PatientIdentity {
  std::string patient_key;
  std::string referral_id;  // The referral they proved it with; empty when the way names none.
};

// What a patient typed on a sign-in page, by field name.
using SignInFields = std::map<std::string, std::string, std::less<>>;

// The next step of a sign-in begun: an opaque challenge token for the browser to keep (in a
// cookie, never a URL) and give back to Complete, and, for a way that signs in elsewhere (NHS
// login, an OpenID Connect provider), the address to send the browser to; empty to stay here.
struct SignInStep {
  std::string challenge;
  std::string redirect;
};

// A way for a patient to prove who they are, in two steps: Begin with the first page's fields,
// Complete with the challenge and the next page's fields (a code typed, or a provider's answer).
// Both answer:
//   InvalidArgument naming the field: a field is missing or malformed, or (Complete) the code is
//     not right and tries are left;
//   Aborted (field "attempts"): too many attempts from this client or for this referral; wait;
//   FailedPrecondition (field "code", Complete only): the challenge is unknown, used, expired or
//     out of tries; begin again;
//   Unavailable or Internal: the store's.
// Implementations are thread-safe.
class PatientSignIn {
 public:
  virtual ~PatientSignIn() = default;
  virtual StatusOr<SignInStep> Begin(const SignInFields& fields, std::string_view client,
                                     Instant now) = 0;
  virtual StatusOr<PatientIdentity> Complete(std::string_view challenge, const SignInFields& fields,
                                             std::string_view client, Instant now) = 0;
};

struct CodeSignInPolicy {
  std::chrono::minutes code_lifetime{10};
  int code_digits = 6;
  int tries_per_code = 5;
  // Attempts (a sign-in begun, or a wrong code) allowed in `window` for one referral reference
  // and from one client before they must wait.
  int attempts_per_reference = 10;
  int attempts_per_client = 30;
  std::chrono::minutes window{15};
};

// Signing in with a referral reference and date of birth, then a one-time code sent to the email
// address or mobile phone on the patient's record (hazard H057).
//
// Begin reads "reference" (letters and digits; spaces and hyphens ignored, any case) and
// "date_of_birth" ("YYYY-MM-DD"). Whether or not they match a referral, it stores a pending code
// and answers the same step: when they match (the date compared in constant time), the code is
// queued in the outbox (kNoticeSignInCode) in the same transaction, with an audit row for the
// patient; when they do not, no code exists that could be typed. So neither the answer nor its
// timing says whether a reference exists. The store keeps only hashes of the challenge and of the
// code with the challenge, so a copy of the database cannot complete a sign-in.
//
// Complete reads "code". A code works once, within code_lifetime, and allows tries_per_code wrong
// tries. Each begin and each wrong code counts against the reference and the client
// (auth::Throttle, in memory); a success forgets the reference's count.
class ReferenceCodeSignIn final : public PatientSignIn {
 public:
  explicit ReferenceCodeSignIn(store::Store& store, CodeSignInPolicy policy = {});

  StatusOr<SignInStep> Begin(const SignInFields& fields, std::string_view client,
                             Instant now) override;
  StatusOr<PatientIdentity> Complete(std::string_view challenge, const SignInFields& fields,
                                     std::string_view client, Instant now) override;

 private:
  Status CheckThrottles(const std::string& reference, std::string_view client, Instant now);
  void CountAttempt(const std::string& reference, std::string_view client, Instant now);

  store::Store& store_;
  const CodeSignInPolicy policy_;
  auth::Throttle references_;
  auth::Throttle clients_;
};

// The account through which `identity`'s patient uses the portal: role patient, their patient
// key, no password (it cannot sign in at /sign-in). Made on first use; the same one after.
// FailedPrecondition when it has been disabled; NotFound when the patient does not exist.
StatusOr<User> PortalUser(store::Store& store, const PatientIdentity& identity, Instant now);

// --- What the patient is shown -----------------------------------------------------------------

// One pathway event in plain words.
struct TimelineEntry {
  Instant at{};
  std::string title;
  std::string text;
};

// The sites' names and addresses, by id, for the words.
using SiteNames = std::map<std::string, Site, std::less<>>;

// An expected wait, and from when it runs: acceptance at triage, or (before it) now.
struct ExpectedWait {
  WaitEstimate estimate;
  Instant from{};
  bool from_acceptance = false;
};

// The portal's words and the wait figures, shared by every request. Thread-safe.
class Portal {
 public:
  explicit Portal(config::PortalContent content) : content_(std::move(content)) {}

  const config::PortalContent& content() const { return content_; }

  // Every event of a referral, in recorded order, told by the first wording of its type whose
  // `when` matches its payload, with the placeholders filled (config/portal.h kPlaceholders).
  std::vector<TimelineEntry> Tell(const std::vector<PathwayEvent>& events,
                                  const SiteNames& sites) const;
  // Where the referral is now and what happens next.
  const config::StateWording& StateOf(ReferralState state) const;
  // The advice for the referral's service line, or the general advice before it has one.
  const config::Advice& AdviceFor(const Referral& referral) const;
  // How an audit action reads ("Looked at your referral").
  std::string AuditWords(std::string_view action) const;

  // The expected wait from acceptance at triage to a first appointment for `referral` (its tier,
  // priority and site) at `now`, when it has not had one yet; nullopt once it has been seen, or
  // when it is closed. The figures fold the store's event log; new events are folded in at most
  // once a minute. `events` are the referral's own.
  StatusOr<std::optional<ExpectedWait>> WaitFor(store::Store& store, const Referral& referral,
                                                const std::vector<PathwayEvent>& events,
                                                Instant now);
  // Folds the event log into the wait figures now, so that the first patient to ask after a start
  // does not wait for it; returns how many completed waits the figures then hold.
  StatusOr<std::size_t> Warm(store::Store& store, Instant now);

 private:
  Status Refresh(store::Store& store, Instant now);  // Needs mu_.

  const config::PortalContent content_;
  std::mutex mu_;
  WaitLog waits_;                     // Guarded by mu_.
  std::int64_t last_event_id_ = 0;    // Guarded by mu_.
  std::optional<Instant> refreshed_;  // Guarded by mu_.
};

// The "what" of an audit row in the patient's own words, and who did it: their role and
// organisation, and their name only when the service shows staff names.
struct AccessRow {
  Instant at{};
  std::string who;  // "Triage clinician, RNU" or "You".
  std::string what;
};

// The audit rows about `patient_key`, newest first, at most `limit`: the patient's own view of
// who has looked at their record. `show_names` adds staff names (service.toml [portal]).
StatusOr<std::vector<AccessRow>> AccessLog(store::Store& store, const Portal& portal,
                                           std::string_view patient_key, std::string_view self_id,
                                           bool show_names, int limit);

// A referral's appointment with its slot and site, for the patient's appointments page.
struct PatientAppointment {
  Appointment appointment;
  Slot slot;
  std::optional<Site> site;
};

// A referral's appointments, soonest first: those still to come (offered or booked, in a slot
// that has not ended at `now`) in `upcoming`, the others in `past` (newest first).
struct PatientAppointments {
  std::vector<PatientAppointment> upcoming;
  std::vector<PatientAppointment> past;
};
StatusOr<PatientAppointments> AppointmentsOf(store::Store& store, const SiteNames& sites,
                                             std::string_view referral_id, Instant now);

}  // namespace tendon::workflow

#endif  // TENDON_WORKFLOW_PORTAL_H_
