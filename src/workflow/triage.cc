#include "workflow/triage.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <iterator>
#include <utility>

#include "core/enum_names.h"
#include "core/event.h"
#include "core/london_time.h"
#include "workflow/intake.h"
#include "workflow/internal.h"

namespace tendon::workflow {
namespace {

using internal::Audit;
using internal::FieldReader;
using internal::kBookingTeam;
using internal::NewEvent;
using internal::QueueReturned;
using internal::ReturnOwner;
using internal::Trim;
using nlohmann::json;

constexpr std::size_t kMaxSkill = 100;
constexpr std::size_t kMaxBreakGlassReason = 1000;
constexpr std::string_view kBreakGlassAction = "patient.break_glass";
// A referral passing through an intermediate state in one transaction is the triager's until the
// next step, which follows at once.
constexpr int kInterimWorkingDays = 1;

constexpr std::array<EnumName<TriageOutcome>, 4> kOutcomeNames{{
    {TriageOutcome::kAccept, "accept"},
    {TriageOutcome::kReturn, "return"},
    {TriageOutcome::kOnward, "onward"},
    {TriageOutcome::kDischarge, "discharge"},
}};

constexpr std::string_view kDecisionFields[] = {"outcome", "service_line", "priority", "modality",
                                                "skill",   "destination",  "advice",   "notes"};

std::string Str(std::string_view s) { return std::string(s); }

// The parts `decision` lacks for its outcome.
std::vector<FieldError> MissingParts(const TriageDecision& d) {
  std::vector<FieldError> missing;
  auto need = [&missing](bool given, std::string field, std::string message) {
    if (!given) missing.push_back({std::move(field), std::move(message)});
  };
  switch (d.outcome) {
    case TriageOutcome::kAccept:
      need(d.service_line.has_value(), "service_line", "choose the service line to accept to");
      need(d.modality.has_value(), "modality", "choose how the patient is to be seen");
      break;
    case TriageOutcome::kOnward:
      need(d.destination.has_value(), "destination", "choose where to refer the patient on to");
      break;
    case TriageOutcome::kReturn:
      need(!d.advice.empty(), "advice",
           "give the referrer advice: what is missing, or what to do instead");
      break;
    case TriageOutcome::kDischarge:
      need(!d.advice.empty(), "advice", "give the patient advice on managing their condition");
      break;
  }
  return missing;
}

// Reads the members that apply to the decision's outcome; the others are ignored (a form sends
// every field, filled or not).
void ReadOutcomeFields(FieldReader& r, TriageDecision& d) {
  switch (d.outcome) {
    case TriageOutcome::kAccept:
      d.service_line = r.Choice("service_line", ParseServiceLine);
      d.priority = r.Choice("priority", ParsePriority);
      d.modality = r.Choice("modality", ParseModality);
      d.skill = r.Text("skill", kMaxSkill);
      d.notes = r.Text("notes", kMaxLongText);
      break;
    case TriageOutcome::kOnward:
      d.destination = r.Choice("destination", ParseOnwardDestination);
      d.notes = r.Text("notes", kMaxLongText);
      break;
    case TriageOutcome::kReturn:
    case TriageOutcome::kDischarge:
      d.advice = r.Text("advice", kMaxLongText);
      break;
  }
}

bool HasErrorFor(const std::vector<FieldError>& errors, std::string_view field) {
  return std::any_of(errors.begin(), errors.end(),
                     [&](const FieldError& e) { return e.field == field; });
}

Status ClaimedByAnother(const TriageClaim& claim) {
  return AbortedError("this referral is claimed by another clinician since " +
                      FormatLondon(claim.claimed_at));
}

struct Claimed {
  Referral referral;
  TriageClaim claim;
};

// Takes the referral's claim for `actor`, or refreshes theirs, checking that it is awaiting triage
// and that no one else holds a live claim on it.
StatusOr<Claimed> TakeClaim(const Env& env, store::WriteTxn& txn, const Actor& actor,
                            std::string_view referral_id, Instant now) {
  ASSIGN_OR_RETURN(Referral referral, txn.GetReferral(referral_id));
  if (referral.state != ReferralState::kAwaitingTriage) {
    return FailedPreconditionError("only a referral awaiting triage can be triaged; this one is " +
                                       Str(ToString(referral.state)),
                                   "state");
  }
  TriageClaim claim{referral.id, actor.user_id, now, now};
  auto held = txn.GetClaim(referral.id);
  if (held.ok() && ClaimLive(env, *held, now)) {
    if (held->user_id != actor.user_id) return ClaimedByAnother(*held);
    claim.claimed_at = held->claimed_at;
  } else if (!held.ok() && held.status().code() != StatusCode::kNotFound) {
    return held.status();
  }
  RETURN_IF_ERROR(txn.PutClaim(claim));
  return Claimed{std::move(referral), std::move(claim)};
}

// One move of a referral: the event, the state it leaves the referral in, and who acts next by
// when (no one in a terminal state).
struct Step {
  EventType type;
  ReferralState state;
  json payload;
  std::string owner;
  std::optional<Instant> due;
};

Status Record(store::WriteTxn& txn, Referral& r, const Actor& actor, Instant now,
              const Step& step) {
  r.state = step.state;
  r.owner = step.owner;
  r.next_action_due = step.due;
  r.updated_at = now;
  return txn.RecordEvent(r, NewEvent(step.type, actor, now, step.payload)).status();
}

// triage.completed into a state the same transaction leaves at once.
Step InterimStep(const Env& env, const Actor& actor, Instant now, ReferralState state,
                 json payload) {
  return {EventType::kTriageCompleted, state, std::move(payload), actor.user_id,
          AddWorkingDays(env.calendar, now, kInterimWorkingDays)};
}

Status Accept(const Env& env, store::WriteTxn& txn, const Actor& actor, Referral& r,
              const TriageDecision& d, Instant now) {
  const Tier tier = TierOf(*d.service_line);
  if (r.source == ReferralSource::kSelf && tier != Tier::kTier1) {
    return FailedPreconditionError(
        "a self-referral is accepted to tier 1 only (physioline or physiotherapy); a tier 1 "
        "clinician refers on to a specialist when needed",
        "service_line");
  }
  r.tier = tier;
  r.service_line = d.service_line;
  if (d.priority) r.priority = *d.priority;
  const json payload{{"outcome", "accepted"},
                     {"tier", Str(ToString(tier))},
                     {"service_line", Str(ToString(*d.service_line))},
                     {"priority", Str(ToString(r.priority))},
                     {"modality", Str(ToString(*d.modality))},
                     {"skill", d.skill},
                     {"notes", d.notes}};
  RETURN_IF_ERROR(
      Record(txn, r, actor, now, InterimStep(env, actor, now, ReferralState::kTriaged, payload)));
  return Record(
      txn, r, actor, now,
      {EventType::kWaitlistAdded, ReferralState::kWaitingToBook, json::object(), Str(kBookingTeam),
       AddWorkingDays(env.calendar, now, env.timing.booking_working_days)});
}

Status Return(const Env& env, store::WriteTxn& txn, const Actor& actor, Referral& r,
              const TriageDecision& d, Instant now) {
  RETURN_IF_ERROR(
      Record(txn, r, actor, now,
             {EventType::kTriageCompleted, ReferralState::kReturnedIncomplete,
              json{{"outcome", "returned_to_referrer"}, {"advice", d.advice}}, ReturnOwner(r),
              AddWorkingDays(env.calendar, now, env.timing.resubmit_working_days)}));
  return QueueReturned(env, txn, r, {d.advice}, now);
}

Status Onward(const Env& env, store::WriteTxn& txn, const Actor& actor, Referral& r,
              const TriageDecision& d, Instant now) {
  const std::string destination = Str(ToString(*d.destination));
  RETURN_IF_ERROR(
      Record(txn, r, actor, now,
             InterimStep(
                 env, actor, now, ReferralState::kTriaged,
                 {{"outcome", "refer_onward"}, {"destination", destination}, {"notes", d.notes}})));
  return Record(txn, r, actor, now,
                {EventType::kOnwardReferred, ReferralState::kOnwardReferred,
                 json{{"destination", destination}}, "", std::nullopt});
}

Status Discharge(const Env& env, store::WriteTxn& txn, const Actor& actor, Referral& r,
                 const TriageDecision& d, Instant now) {
  RETURN_IF_ERROR(
      Record(txn, r, actor, now,
             InterimStep(env, actor, now, ReferralState::kDischarged,
                         {{"outcome", "discharged_with_advice"}, {"advice", d.advice}})));
  return Record(txn, r, actor, now,
                {EventType::kReferralClosed, ReferralState::kClosed,
                 json{{"reason", "advice_given"}}, "", std::nullopt});
}

Status ApplyOutcome(const Env& env, store::WriteTxn& txn, const Actor& actor, Referral& r,
                    const TriageDecision& d, Instant now) {
  switch (d.outcome) {
    case TriageOutcome::kAccept:
      return Accept(env, txn, actor, r, d, now);
    case TriageOutcome::kReturn:
      return Return(env, txn, actor, r, d, now);
    case TriageOutcome::kOnward:
      return Onward(env, txn, actor, r, d, now);
    case TriageOutcome::kDischarge:
      return Discharge(env, txn, actor, r, d, now);
  }
  return InternalError("unknown triage outcome");
}

// Whether `actor` recorded a break-glass reason for `patient_key` in the kBreakGlassHours to
// `now`. ListAudit answers in id order a page at a time, so every page is read.
StatusOr<bool> BreakGlassOpen(const Env& env, const Actor& actor, const std::string& patient_key,
                              Instant now) {
  store::AuditFilter filter;
  filter.patient_key = patient_key;
  filter.actor = actor.user_id;
  filter.action = kBreakGlassAction;
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<AuditEntry> page, env.store.ListAudit(filter));
    for (const AuditEntry& entry : page) {
      if (entry.at <= now && now - entry.at < std::chrono::hours(kBreakGlassHours)) return true;
    }
    if (page.empty() || std::ssize(page) < filter.limit) return false;
    filter.after_id = page.back().id;
  }
}

}  // namespace

bool ClaimLive(const Env& env, const TriageClaim& claim, Instant now) {
  return now - claim.last_active_at < env.timing.claim_timeout;
}

StatusOr<TriageClaim> Claim(const Env& env, const Actor& actor, std::string_view referral_id,
                            Instant now) {
  TriageClaim claim;
  RETURN_IF_ERROR(env.store.Write([&](store::WriteTxn& txn) -> Status {
    ASSIGN_OR_RETURN(Claimed claimed, TakeClaim(env, txn, actor, referral_id, now));
    claim = claimed.claim;
    return Audit(txn, actor, claimed.referral.patient_key, "referral.claim", now);
  }));
  return claim;
}

Status Release(const Env& env, const Actor& actor, std::string_view referral_id, Instant now) {
  return env.store.Write([&](store::WriteTxn& txn) -> Status {
    ASSIGN_OR_RETURN(Referral referral, txn.GetReferral(referral_id));
    auto held = txn.GetClaim(referral.id);
    if (!held.ok()) {
      return held.status().code() == StatusCode::kNotFound ? OkStatus() : held.status();
    }
    if (held->user_id != actor.user_id) {
      return ClaimLive(env, *held, now) ? ClaimedByAnother(*held) : OkStatus();
    }
    RETURN_IF_ERROR(txn.DeleteClaim(referral.id));
    return Audit(txn, actor, referral.patient_key, "referral.release", now);
  });
}

std::string_view ToString(TriageOutcome outcome) { return NameIn(kOutcomeNames, outcome); }

StatusOr<TriageOutcome> ParseTriageOutcome(std::string_view name, std::string_view field) {
  return ParseIn(kOutcomeNames, name, field, "triage outcome");
}

Parsed<TriageDecision> ParseTriageDecision(const json& body) {
  Parsed<TriageDecision> parsed;
  if (!body.is_object()) {
    parsed.errors.push_back({"body", "must be a JSON object"});
    return parsed;
  }
  for (const auto& [key, value] : body.items()) {
    if (std::find(std::begin(kDecisionFields), std::end(kDecisionFields), key) ==
        std::end(kDecisionFields)) {
      parsed.errors.push_back({key, "is not a field of a triage decision"});
    }
  }
  FieldReader reader(body, "", parsed.errors);
  const std::optional<TriageOutcome> outcome = reader.Choice("outcome", ParseTriageOutcome);
  if (!outcome) {
    if (!HasErrorFor(parsed.errors, "outcome")) {
      parsed.errors.push_back({"outcome", "choose " + NamesIn(kOutcomeNames)});
    }
    return parsed;
  }
  TriageDecision decision;
  decision.outcome = *outcome;
  ReadOutcomeFields(reader, decision);
  for (FieldError& missing : MissingParts(decision)) {
    if (!HasErrorFor(parsed.errors, missing.field)) parsed.errors.push_back(std::move(missing));
  }
  if (parsed.errors.empty()) parsed.value = std::move(decision);
  return parsed;
}

StatusOr<Referral> RecordTriage(const Env& env, const Actor& actor, std::string_view referral_id,
                                const TriageDecision& decision, Instant now) {
  if (std::vector<FieldError> missing = MissingParts(decision); !missing.empty()) {
    return InvalidArgumentError(missing.front().message, missing.front().field);
  }
  Referral after;
  RETURN_IF_ERROR(env.store.Write([&](store::WriteTxn& txn) -> Status {
    // Taking the claim checks it as Claim does; the outcome then ends it.
    ASSIGN_OR_RETURN(Claimed claimed, TakeClaim(env, txn, actor, referral_id, now));
    Referral& r = claimed.referral;
    RETURN_IF_ERROR(ApplyOutcome(env, txn, actor, r, decision, now));
    RETURN_IF_ERROR(txn.DeleteClaim(r.id));
    RETURN_IF_ERROR(Audit(txn, actor, r.patient_key, "referral.triage", now));
    ASSIGN_OR_RETURN(after, txn.GetReferral(r.id));
    return OkStatus();
  }));
  return after;
}

StatusOr<bool> HistoryHidden(const Env& env, const Actor& actor, const Patient& patient,
                             Instant now) {
  if (!patient.dissent) return false;
  ASSIGN_OR_RETURN(const bool open, BreakGlassOpen(env, actor, patient.key, now));
  return !open;
}

Status BreakGlass(const Env& env, const Actor& actor, const Patient& patient, std::string reason,
                  Instant now) {
  reason = Trim(reason);
  if (reason.empty()) {
    return InvalidArgumentError("give the reason you need to see this patient's history", "reason");
  }
  if (reason.size() > kMaxBreakGlassReason) {
    return InvalidArgumentError(
        "must be at most " + std::to_string(kMaxBreakGlassReason) + " characters", "reason");
  }
  return env.store.Write([&](store::WriteTxn& txn) {
    return Audit(txn, actor, patient.key, kBreakGlassAction, now, reason);
  });
}

}  // namespace tendon::workflow
