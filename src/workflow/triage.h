// Triage: a clinician claims a referral from the queue, reads it, and records an outcome (the
// intake issue, part 6). A claim keeps two clinicians from triaging the same referral; it lapses
// after Timing::claim_timeout without activity. Each outcome changes the referral's state and
// appends its pathway events in one transaction.
#ifndef TENDON_WORKFLOW_TRIAGE_H_
#define TENDON_WORKFLOW_TRIAGE_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/records.h"
#include "core/schedule.h"
#include "core/status.h"
#include "workflow/workflow.h"

namespace tendon::workflow {

// Whether `claim` still holds at `now`.
bool ClaimLive(const Env& env, const TriageClaim& claim, Instant now);

// Claims the referral for `actor` (a triage clinician). Claiming one's own live claim refreshes it.
// Aborted when another clinician holds a live claim (the message says since when);
// FailedPrecondition when the referral is not awaiting triage; NotFound when there is none.
// Audited as "referral.claim".
StatusOr<TriageClaim> Claim(const Env& env, const Actor& actor, std::string_view referral_id,
                            Instant now);

// Gives up the actor's claim (no error when they hold none). Aborted when another holds it.
Status Release(const Env& env, const Actor& actor, std::string_view referral_id, Instant now);

enum class TriageOutcome { kAccept, kReturn, kOnward, kDischarge };
std::string_view ToString(TriageOutcome outcome);  // "accept", "return", "onward", "discharge"
StatusOr<TriageOutcome> ParseTriageOutcome(std::string_view name,
                                           std::string_view field = "outcome");


struct TriageDecision {
  TriageOutcome outcome = TriageOutcome::kAccept;
  // Accept.
  std::optional<ServiceLine> service_line;  // The tier follows from the line.
  std::optional<Priority> priority;         // Unset: keep the referral's.
  std::optional<Modality> modality;
  std::string skill;  // The clinician skill needed ("injection", "spinal", ...); may be empty.
  // Onward.
  std::optional<OnwardDestination> destination;
  // Return and discharge: the advice for the referrer or patient (required); accept and onward:
  // optional notes.
  std::string advice;
  std::string notes;
};

// Reads a decision from JSON {"outcome", "service_line", "priority", "modality", "skill",
// "destination", "advice", "notes"}: every malformed or missing field is listed (accept needs a
// service line and modality; onward a destination; return and discharge advice).
Parsed<TriageDecision> ParseTriageDecision(const nlohmann::json& body);

// Records the outcome. The actor must hold a live claim, or the referral must be unclaimed (the
// claim is then taken in the same transaction); Aborted when another clinician holds it.
// FailedPrecondition when the referral is not awaiting triage, or a self-referral is accepted to
// tier 2. In one transaction:
//   accept: triage.completed (triaged; tier, line, priority, modality, skill, notes) then
//     waitlist.added (waiting to book, owned by the booking team);
//   return: triage.completed (returned_incomplete, owned by the referrer, with the advice);
//   onward: triage.completed (triaged) then onward.referred (the destination);
//   discharge: triage.completed (discharged, with the advice) then referral.closed.
// The claim is released and the outcome audited as "referral.triage". Returns the referral after.
StatusOr<Referral> RecordTriage(const Env& env, const Actor& actor, std::string_view referral_id,
                                const TriageDecision& decision, Instant now);

// Whether `actor` must give a break-glass reason before seeing the history of `patient`: the
// patient has dissented to sharing. Once a reason is recorded (audited as "patient.break_glass"
// with the reason), the history stays open to that actor for `kBreakGlassHours`.
inline constexpr int kBreakGlassHours = 12;
StatusOr<bool> HistoryHidden(const Env& env, const Actor& actor, const Patient& patient,
                             Instant now);
Status BreakGlass(const Env& env, const Actor& actor, const Patient& patient, std::string reason,
                  Instant now);

}  // namespace tendon::workflow

#endif  // TENDON_WORKFLOW_TRIAGE_H_
