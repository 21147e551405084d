// Referral intake: a referral from a referrer (GP, FCP, hospital) or a self-referral, checked,
// screened for red flags, given decision support, tested for completeness, and registered in one
// transaction: awaiting triage when complete, returned to the referrer with every missing item when
// not (the intake issue; DESIGN.md, "The pathway").
//
// Input is read in two steps. ParseSubmission checks the form of every field (an NHS number that
// fails Modulus 11, a date of birth in the future, a malformed postcode, text too long) and lists
// every malformed one; nothing is saved for a malformed submission. A well-formed submission may
// still be incomplete: that is a clinical question answered by the completeness rules, and the
// referral is kept.
#ifndef TENDON_WORKFLOW_INTAKE_H_
#define TENDON_WORKFLOW_INTAKE_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/records.h"
#include "core/rules.h"
#include "core/status.h"
#include "workflow/workflow.h"

namespace tendon::workflow {

// A referral as submitted, after its form was checked.
struct Submission {
  ReferralSource source = ReferralSource::kGp;
  Patient patient;  // key, created_at and dissent unset; empty fields are "not given".
  // The problem, in the rules' answers schema (data/rules/README.md, "Answers"), without the
  // `patient`, `source` and `age` members, which the workflow derives.
  nlohmann::json answers = nlohmann::json::object();
  std::string referrer_name;  // Who referred, as they sign; empty for a self-referral.
  bool sex_given = false;     // patient.sex was answered (not_known is an answer too).
};

// Reads a submission from its JSON form:
//   {"patient": {"nhs_number", "given_name", "family_name", "date_of_birth" (YYYY-MM-DD), "sex",
//                "postcode", "phone", "email", "gp_practice", "interpreter_language",
//                "accessibility_needs"},
//    "answers": {...the rules' answers...}, "referrer_name": "..."}
// Every member may be absent (the completeness rules decide what must be there). `now` bounds the
// date of birth. Unknown members of "patient" are errors (a misspelt field must not vanish).
Parsed<Submission> ParseSubmission(const nlohmann::json& body, ReferralSource source, Instant now);

// The answers the rules see for `submission` at `now`: its answers plus `source`, `age` and the
// `patient` object of the completeness rules.
nlohmann::json RuleAnswers(const Submission& submission, Instant now);

// Tier 2 lines and the other specialist services (podiatry, orthotics, injections, pain).
bool IsTier2Route(Route route);

// Red flags and decision support over the answers, with the route a self-referral may take: a
// self-referral is steered to tier 1 (or self-management, or urgent care), with the reason.
StatusOr<Decision> Decide(const Env& env, const Submission& submission, Instant now);

struct IntakeResult {
  Referral referral;                 // As registered; empty id when `stopped`.
  Decision decision;                 // Red flags and decision support.
  std::vector<MissingItem> missing;  // Empty when complete.
  std::vector<Referral>
      duplicates;        // The patient's other open referrals for a body site in common.
  bool stopped = false;  // A self-referral stopped by an emergency; nothing registered.
};

// Registers a referral from a referrer (`submission.source` gp, fcp or hospital; the actor a
// referrer, whose organisation is the referring one) or a self-referral (source self; the actor
// "public" online, or a coordinator taking it by telephone). In one transaction: the patient found
// by NHS number or created (without an NHS number always created: matching on name and date of
// birth could join two people's records); the referral with referral.received, a redflag.raised
// for each red-flag rule that fired, and referral.returned listing every missing item when
// incomplete; its details (answers and the decision); an audit row. An incomplete referral whose
// red flags make it urgent or an emergency is not returned: it goes to triage with its missing
// items in its details, so that no red flag waits on the referrer. Every event payload carries the
// ids and versions of the rules that decided it.
//
// A self-referral whose answers stop the journey (an emergency) registers nothing: it records an
// anonymous intake attempt and returns `stopped`.
//
// InvalidArgument for answers the rules refuse (the dotted field named); PermissionDenied-like
// FailedPrecondition when the actor may not make this kind of referral.
StatusOr<IntakeResult> Submit(const Env& env, const Actor& actor, const Submission& submission,
                              Instant now);

// Completes a returned referral: replaces its answers and patient details with `submission` and
// decides again under the rules in force now. Complete (or urgent): referral.resubmitted, awaiting
// triage, with
// its first registration time kept and the resubmission time set. Still incomplete: the answers are
// saved and it stays returned, with the items still missing. FailedPrecondition when the referral
// is not returned_incomplete; NotFound when it does not exist.
StatusOr<IntakeResult> Resubmit(const Env& env, const Actor& actor, std::string_view referral_id,
                                const Submission& submission, Instant now);

// The patient's open referrals (other than `except_id`) that share a body site with `answers`.
StatusOr<std::vector<Referral>> FindDuplicates(const Env& env, const Patient& patient,
                                               const nlohmann::json& answers,
                                               std::string_view except_id);

// A coordinator's decision on two referrals for the same problem. Link: both stay open, each
// pointing to the other. Merge: `duplicate_id` is withdrawn (reason "merged", naming `keep_id`)
// and linked as merged. Both must be the same patient's (FailedPrecondition otherwise); merge needs
// `duplicate_id` open.
Status LinkReferrals(const Env& env, const Actor& actor, std::string_view keep_id,
                     std::string_view duplicate_id, LinkKind kind, Instant now);

// Where intake leaves a referral of `priority` with `missing` items: awaiting triage when complete,
// and also when urgent or an emergency (returning it would leave a red flag waiting for the
// referrer: hazard H036; triage sees what is missing); otherwise returned to the referrer.
ReferralState GoesToTriage(Priority priority, const std::vector<MissingItem>& missing);

// A new referral reference: 12 characters of Crockford base32 (60 random bits), so one reference
// says nothing about another.
std::string NewReferralId();

}  // namespace tendon::workflow

#endif  // TENDON_WORKFLOW_INTAKE_H_
