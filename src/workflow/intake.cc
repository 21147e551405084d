#include "workflow/intake.h"

#include <algorithm>
#include <set>

#include "auth/tokens.h"
#include "core/london_time.h"
#include "core/nhs_number.h"
#include "core/postcode.h"
#include "workflow/internal.h"

namespace tendon::workflow {
namespace {

using internal::Audit;
using internal::FieldReader;
using internal::kTriageTeam;
using internal::NewEvent;
using internal::QueueReturned;
using internal::ReturnOwner;
using nlohmann::json;

constexpr int kReferralIdLength = 12;
constexpr int kPatientKeyLength = 20;
constexpr int kOldestBirthYear = 1890;

bool PlausibleEmail(std::string_view email) {
  const auto at = email.find('@');
  return at != std::string_view::npos && at > 0 && email.find('.', at) != std::string_view::npos &&
         email.back() != '.' && email.find_first_of(" \t<>") == std::string_view::npos;
}

bool PlausiblePhone(std::string_view phone) {
  const auto digits =
      std::count_if(phone.begin(), phone.end(), [](char c) { return c >= '0' && c <= '9'; });
  return digits >= 10 && digits <= 15 &&
         phone.find_first_not_of("0123456789+ ()-") == std::string_view::npos;
}

void ReadPatient(const json& in, Instant now, Submission& out, std::vector<FieldError>& errors) {
  FieldReader r(in, "patient.", errors);
  Patient& p = out.patient;
  if (std::string nhs = r.Text("nhs_number", kMaxShortText); !nhs.empty()) {
    if (auto parsed = ParseNhsNumber(nhs, "nhs_number"); parsed.ok()) {
      p.nhs_number = *parsed;
    } else {
      r.Fail(parsed.status());
    }
  }
  p.given_name = r.Text("given_name", kMaxShortText);
  p.family_name = r.Text("family_name", kMaxShortText);
  if (std::string dob = r.Text("date_of_birth", kMaxShortText); !dob.empty()) {
    auto parsed = ParseDate(dob, "date_of_birth");
    if (!parsed.ok()) {
      r.Fail(parsed.status());
    } else if (*parsed > LondonDate(now)) {
      r.Fail("date_of_birth", "must not be in the future");
    } else if (date::year_month_day(*parsed).year() < date::year(kOldestBirthYear)) {
      r.Fail("date_of_birth", "must be in " + std::to_string(kOldestBirthYear) + " or later");
    } else {
      p.date_of_birth = *parsed;
    }
  }
  if (std::string sex = r.Text("sex", kMaxShortText); !sex.empty()) {
    if (auto parsed = ParseSex(sex, "sex"); parsed.ok()) {
      p.sex = *parsed;
      out.sex_given = true;
    } else {
      r.Fail(parsed.status());
    }
  }
  if (std::string postcode = r.Text("postcode", kMaxShortText); !postcode.empty()) {
    if (auto parsed = ParsePostcode(postcode, "postcode"); parsed.ok()) {
      p.postcode = parsed->normalised;
    } else {
      r.Fail(parsed.status());
    }
  }
  p.phone = r.Text("phone", kMaxShortText);
  if (!p.phone.empty() && !PlausiblePhone(p.phone)) {
    r.Fail("phone", "must be a UK or international phone number: 10 to 15 digits");
    p.phone.clear();
  }
  p.email = r.Text("email", kMaxShortText);
  if (!p.email.empty() && !PlausibleEmail(p.email)) {
    r.Fail("email", "must be an email address, like name@example.com");
    p.email.clear();
  }
  p.gp_practice = r.Text("gp_practice", kMaxShortText);
  p.interpreter_language = r.Text("interpreter_language", kMaxShortText);
  p.accessibility_needs = r.Text("accessibility_needs", kMaxLongText);
  r.RefuseUnknown();
}

// Members the workflow derives; a submission may not set them.
constexpr std::string_view kDerivedAnswers[] = {"patient", "source", "age"};

void ReadAnswers(const json& in, Submission& out, std::vector<FieldError>& errors) {
  for (std::string_view name : kDerivedAnswers) {
    if (in.contains(name))
      errors.push_back({"answers." + std::string(name), "is set by the service"});
  }
  for (const Status& status : AnswerErrors(in)) {
    errors.push_back({"answers." + status.field(), status.message()});
  }
  for (const auto& [key, value] : in.items()) {
    if (value.is_string() && value.get_ref<const std::string&>().size() > kMaxLongText) {
      errors.push_back(
          {"answers." + key, "must be at most " + std::to_string(kMaxLongText) + " characters"});
    }
  }
  out.answers = in;
  for (std::string_view name : kDerivedAnswers) out.answers.erase(std::string(name));
}

std::optional<int> AgeOn(Date born, Date day) {
  if (born > day) return std::nullopt;
  const date::year_month_day b(born), d(day);
  int age = static_cast<int>(d.year()) - static_cast<int>(b.year());
  if (d.month() < b.month() || (d.month() == b.month() && d.day() < b.day())) --age;
  return age;
}

json RuleRefs(const std::vector<FiredRule>& fired) {
  json out = json::array();
  for (const FiredRule& rule : fired) {
    out.push_back({{"rule_id", rule.rule_id}, {"version", rule.version}});
  }
  return out;
}

json MissingJson(const std::vector<MissingItem>& missing) {
  json out = json::array();
  for (const MissingItem& m : missing) {
    out.push_back({{"rule_id", m.rule_id}, {"version", m.version}, {"item", m.item}});
  }
  return out;
}

std::vector<std::string> MissingTexts(const std::vector<MissingItem>& missing) {
  std::vector<std::string> out;
  for (const MissingItem& m : missing) out.push_back(m.item);
  return out;
}

json DecisionJson(const Decision& d, const std::vector<MissingItem>& missing, Instant now) {
  json fired = json::array();
  for (const FiredRule& rule : d.fired) {
    fired.push_back({{"rule_id", rule.rule_id},
                     {"version", rule.version},
                     {"title", rule.title},
                     {"overridden", rule.overridden}});
  }
  return {{"decided_at", FormatInstant(now)},
          {"priority", std::string(ToString(d.priority))},
          {"route", d.route ? json(std::string(ToString(*d.route))) : json()},
          {"route_rule_id", d.route_rule_id},
          {"stop", d.stop},
          {"reasons", d.reasons},
          {"advice", d.advice},
          {"triage_skills", d.triage_skills},
          {"rules", fired},
          {"missing", MissingJson(missing)}};
}

bool IsRedFlag(const Env& env, const FiredRule& fired) {
  return std::any_of(env.rules.red_flags.rules.begin(), env.rules.red_flags.rules.end(),
                     [&](const Rule& rule) { return rule.id == fired.rule_id; });
}

// The redflag.raised events of a decision, which leave the referral where it is.
std::vector<PathwayEvent> RedFlagEvents(const Env& env, const Decision& decision, Instant now,
                                        const Actor& actor) {
  std::vector<PathwayEvent> events;
  for (const FiredRule& fired : decision.fired) {
    if (!IsRedFlag(env, fired)) continue;
    events.push_back(NewEvent(
        EventType::kRedflagRaised, actor, now,
        {{"rule_id", fired.rule_id}, {"rule_version", fired.version}, {"title", fired.title}}));
  }
  return events;
}

// How the referral reached the service: a self-referral online or by telephone (a coordinator
// entering it), or from a referrer.
std::string Channel(const Actor& actor, ReferralSource source) {
  if (source != ReferralSource::kSelf) return "referrer";
  return actor.role == Role::kCoordinator ? "telephone" : "online";
}

Status CheckActor(const Actor& actor, ReferralSource source) {
  const bool self = source == ReferralSource::kSelf;
  if (source == ReferralSource::kTransfer) {
    return FailedPreconditionError("transferred referrals come in through the importer", "source");
  }
  if (self && (actor.role == Role::kCoordinator || actor.user_id == kPublicActor))
    return OkStatus();
  if (!self && actor.role == Role::kReferrer && !actor.organisation.empty()) return OkStatus();
  return FailedPreconditionError(
      self ? "self-referrals are made online by the patient or by telephone through a coordinator"
           : "only a referrer with an organisation can make this referral",
      "source");
}

// Fills what `known` lacks from `given`; never overwrites what the record holds.
void FillGaps(Patient& known, const Patient& given) {
  for (auto member : {&Patient::nhs_number, &Patient::given_name, &Patient::family_name,
                      &Patient::postcode, &Patient::phone, &Patient::email, &Patient::gp_practice,
                      &Patient::interpreter_language, &Patient::accessibility_needs}) {
    if ((known.*member).empty()) known.*member = given.*member;
  }
  if (!known.date_of_birth) known.date_of_birth = given.date_of_birth;
  if (known.sex == Sex::kNotKnown) known.sex = given.sex;
}

// The patient's latest answer on sharing their record, when the submission gives one: "no" is
// dissent, which hides their earlier history from triage without a break-glass reason.
void ApplyConsent(Patient& patient, const json& answers) {
  const auto it = answers.find("consent_to_share");
  if (it != answers.end() && it->is_boolean()) patient.dissent = !it->get<bool>();
}

// The patient record for a new referral: found by NHS number (gaps filled from the submission) or
// created. Without an NHS number a new record is made: matching on name and date of birth alone
// could join two people's records (hazard H004), so that is left to a coordinator.
StatusOr<Patient> FindOrCreatePatient(store::WriteTxn& txn, const Submission& submission,
                                      Instant now) {
  const Patient& given = submission.patient;
  if (!given.nhs_number.empty()) {
    auto found = txn.FindPatientByNhsNumber(given.nhs_number);
    if (found.ok()) {
      Patient patient = *found;
      FillGaps(patient, given);
      ApplyConsent(patient, submission.answers);
      RETURN_IF_ERROR(txn.UpdatePatient(patient));
      return patient;
    }
    if (found.status().code() != StatusCode::kNotFound) return found.status();
  }
  Patient patient = given;
  ApplyConsent(patient, submission.answers);
  patient.key = auth::RandomBase32(kPatientKeyLength);
  patient.created_at = now;
  RETURN_IF_ERROR(txn.InsertPatient(patient));
  return patient;
}

std::set<std::string> BodySites(const json& answers) {
  std::set<std::string> sites;
  auto it = answers.find("body_sites");
  if (it == answers.end() || !it->is_array()) return sites;
  for (const json& site : *it) {
    if (site.is_string()) sites.insert(site.get<std::string>());
  }
  return sites;
}

bool ShareABodySite(const std::set<std::string>& a, const std::set<std::string>& b) {
  if (a.empty() || b.empty()) return false;
  if (a.contains("multiple") || b.contains("multiple")) return true;
  return std::any_of(a.begin(), a.end(), [&](const std::string& s) { return b.contains(s); });
}

}  // namespace

ReferralState GoesToTriage(Priority priority, const std::vector<MissingItem>& missing) {
  if (missing.empty() || priority == Priority::kEmergency || priority == Priority::kUrgent) {
    return ReferralState::kAwaitingTriage;
  }
  return ReferralState::kReturnedIncomplete;
}

std::string NewReferralId() { return auth::RandomBase32(kReferralIdLength); }

Parsed<Submission> ParseSubmission(const json& body, ReferralSource source, Instant now) {
  Parsed<Submission> parsed;
  if (!body.is_object()) {
    parsed.errors.push_back({"body", "must be a JSON object"});
    return parsed;
  }
  Submission submission;
  submission.source = source;
  FieldReader top(body, "", parsed.errors);
  submission.referrer_name = top.Text("referrer_name", kMaxShortText);
  static const json kEmpty = json::object();
  for (std::string_view name : {"patient", "answers"}) {
    const auto it = body.find(name);
    const json& member = it == body.end() || it->is_null() ? kEmpty : *it;
    if (!member.is_object()) {
      top.Fail(name, "must be a JSON object");
      continue;
    }
    if (name == "patient") {
      ReadPatient(member, now, submission, parsed.errors);
    } else {
      ReadAnswers(member, submission, parsed.errors);
    }
  }
  for (const auto& [key, value] : body.items()) {
    if (key != "patient" && key != "answers" && key != "referrer_name") {
      top.Fail(key, "is not a field of this form");
    }
  }
  if (parsed.errors.empty()) parsed.value = std::move(submission);
  return parsed;
}

json RuleAnswers(const Submission& s, Instant now) {
  json answers = s.answers;
  answers["source"] = std::string(ToString(s.source));
  const Patient& p = s.patient;
  json patient = json::object();
  auto put = [&patient](std::string_view name, const std::string& value) {
    if (!value.empty()) patient[std::string(name)] = value;
  };
  put("nhs_number", p.nhs_number);
  put("name", internal::Trim(p.given_name + " " + p.family_name));
  if (p.date_of_birth) {
    patient["date_of_birth"] = FormatDate(*p.date_of_birth);
    if (auto age = AgeOn(*p.date_of_birth, LondonDate(now))) answers["age"] = *age;
  }
  if (s.sex_given) patient["sex"] = std::string(ToString(p.sex));
  put("postcode", p.postcode);
  put("phone", p.phone);
  put("email", p.email);
  answers["patient"] = std::move(patient);
  return answers;
}

StatusOr<Decision> Decide(const Env& env, const Submission& submission, Instant now) {
  const RuleSet* sets[] = {&env.rules.red_flags, &env.rules.decision_support};
  ASSIGN_OR_RETURN(Decision decision, Evaluate(sets, RuleAnswers(submission, now), now));
  if (submission.source == ReferralSource::kSelf && decision.route &&
      IsTier2Route(*decision.route)) {
    decision.route = Route::kTier1Physiotherapy;
    decision.reasons.push_back(
        "Self-referrals start in tier 1: a physiotherapist assesses first and refers on to a "
        "specialist when needed");
  }
  return decision;
}

bool IsTier2Route(Route route) {
  switch (route) {
    case Route::kTier2Spinal:
    case Route::kTier2UpperLimb:
    case Route::kTier2LowerLimb:
    case Route::kTier2Hand:
    case Route::kPodiatry:
    case Route::kOrthotics:
    case Route::kInjectionAssessment:
    case Route::kPainManagement:
      return true;
    default:
      return false;
  }
}

StatusOr<IntakeResult> Submit(const Env& env, const Actor& actor, const Submission& submission,
                              Instant now) {
  RETURN_IF_ERROR(CheckActor(actor, submission.source));
  IntakeResult result;
  ASSIGN_OR_RETURN(result.decision, Decide(env, submission, now));
  const json answers = RuleAnswers(submission, now);
  const bool self = submission.source == ReferralSource::kSelf;

  if (self && result.decision.stop) {
    IntakeAttempt attempt;
    attempt.at = now;
    attempt.channel = Channel(actor, submission.source);
    attempt.outcome = "emergency_stop";
    attempt.rules = RuleRefs(result.decision.fired).dump();
    RETURN_IF_ERROR(env.store.Write(
        [&](store::WriteTxn& txn) { return txn.AppendIntakeAttempt(attempt).status(); }));
    result.stopped = true;
    return result;
  }
  ASSIGN_OR_RETURN(result.missing,
                   Completeness(env.rules.completeness, answers, submission.source, now));

  Patient patient;
  RETURN_IF_ERROR(env.store.Write([&](store::WriteTxn& txn) -> Status {
    ASSIGN_OR_RETURN(patient, FindOrCreatePatient(txn, submission, now));
    Referral& r = result.referral;
    r = Referral{};
    r.id = NewReferralId();
    r.patient_key = patient.key;
    r.source = submission.source;
    r.priority = result.decision.priority;
    r.referrer_organisation = self ? "" : actor.organisation;
    r.received_at = now;
    r.updated_at = now;
    const bool to_triage =
        GoesToTriage(r.priority, result.missing) == ReferralState::kAwaitingTriage;
    json received{
        {"source", std::string(ToString(r.source))},
        {"channel", Channel(actor, r.source)},
        {"priority", std::string(ToString(r.priority))},
        {"route",
         result.decision.route ? json(std::string(ToString(*result.decision.route))) : json()},
        {"rules", RuleRefs(result.decision.fired)}};
    std::vector<PathwayEvent> events{NewEvent(EventType::kReferralReceived, actor, now, received)};
    events.front().state_after =
        to_triage ? ReferralState::kAwaitingTriage : ReferralState::kReceived;
    for (PathwayEvent& e : RedFlagEvents(env, result.decision, now, actor)) {
      e.state_after = events.front().state_after;
      events.push_back(std::move(e));
    }
    if (to_triage) {
      r.state = ReferralState::kAwaitingTriage;
      r.owner = kTriageTeam;
      r.next_action_due = TriageDue(env, r.priority, now);
    } else {
      r.state = ReferralState::kReturnedIncomplete;
      events.push_back(NewEvent(EventType::kReferralReturned, actor, now,
                                {{"missing", MissingJson(result.missing)}}));
      events.back().state_after = r.state;
      r.owner = ReturnOwner(r);
      r.next_action_due = AddWorkingDays(env.calendar, now, env.timing.resubmit_working_days);
    }
    RETURN_IF_ERROR(txn.CreateReferral(r, std::move(events)).status());
    RETURN_IF_ERROR(
        txn.PutReferralDetails({r.id, submission.answers.dump(),
                                DecisionJson(result.decision, result.missing, now).dump(), now}));
    if (!to_triage) RETURN_IF_ERROR(QueueReturned(env, txn, r, MissingTexts(result.missing), now));
    return Audit(txn, actor, patient.key, "referral.create", now);
  }));
  ASSIGN_OR_RETURN(result.duplicates,
                   FindDuplicates(env, patient, submission.answers, result.referral.id));
  return result;
}

StatusOr<IntakeResult> Resubmit(const Env& env, const Actor& actor, std::string_view referral_id,
                                const Submission& given, Instant now) {
  IntakeResult result;
  Patient patient;
  RETURN_IF_ERROR(env.store.Write([&](store::WriteTxn& txn) -> Status {
    ASSIGN_OR_RETURN(Referral r, txn.GetReferral(referral_id));
    if (r.state != ReferralState::kReturnedIncomplete) {
      return FailedPreconditionError("only a returned referral can be resubmitted; this one is " +
                                         std::string(ToString(r.state)),
                                     "state");
    }
    Submission submission = given;
    submission.source = r.source;
    ASSIGN_OR_RETURN(result.decision, Decide(env, submission, now));
    ASSIGN_OR_RETURN(result.missing, Completeness(env.rules.completeness,
                                                  RuleAnswers(submission, now), r.source, now));
    ASSIGN_OR_RETURN(patient, txn.GetPatient(r.patient_key));
    const std::string key = patient.key;
    const Instant created = patient.created_at;
    const bool dissent = patient.dissent;
    patient = submission.patient;
    patient.key = key;
    patient.created_at = created;
    patient.dissent = dissent;
    ApplyConsent(patient, submission.answers);
    RETURN_IF_ERROR(txn.UpdatePatient(patient));
    RETURN_IF_ERROR(
        txn.PutReferralDetails({r.id, submission.answers.dump(),
                                DecisionJson(result.decision, result.missing, now).dump(), now}));
    if (GoesToTriage(result.decision.priority, result.missing) == ReferralState::kAwaitingTriage) {
      r.state = ReferralState::kAwaitingTriage;
      r.priority = result.decision.priority;
      r.resubmitted_at = now;
      r.updated_at = now;
      r.owner = kTriageTeam;
      r.next_action_due = TriageDue(env, r.priority, now);
      RETURN_IF_ERROR(txn.RecordEvent(r, NewEvent(EventType::kReferralResubmitted, actor, now,
                                                  {{"priority", std::string(ToString(r.priority))},
                                                   {"rules", RuleRefs(result.decision.fired)}}))
                          .status());
      for (PathwayEvent& e : RedFlagEvents(env, result.decision, now, actor)) {
        RETURN_IF_ERROR(txn.RecordEvent(r, std::move(e)).status());
      }
    }
    result.referral = r;
    return Audit(txn, actor, patient.key, "referral.resubmit", now);
  }));
  ASSIGN_OR_RETURN(result.duplicates,
                   FindDuplicates(env, patient, given.answers, result.referral.id));
  return result;
}

StatusOr<std::vector<Referral>> FindDuplicates(const Env& env, const Patient& patient,
                                               const json& answers, std::string_view except_id) {
  const std::set<std::string> sites = BodySites(answers);
  std::vector<Referral> duplicates;
  if (sites.empty()) return duplicates;
  ASSIGN_OR_RETURN(std::vector<Referral> referrals, env.store.ListReferralsForPatient(patient.key));
  for (Referral& r : referrals) {
    if (r.id == except_id || IsTerminal(r.state)) continue;
    auto details = env.store.GetReferralDetails(r.id);
    if (!details.ok()) {
      if (details.status().code() == StatusCode::kNotFound) continue;
      return details.status();
    }
    const json theirs = json::parse(details->answers, nullptr, false);
    if (ShareABodySite(sites, BodySites(theirs))) duplicates.push_back(std::move(r));
  }
  return duplicates;
}

Status LinkReferrals(const Env& env, const Actor& actor, std::string_view keep_id,
                     std::string_view duplicate_id, LinkKind kind, Instant now) {
  return env.store.Write([&](store::WriteTxn& txn) -> Status {
    ASSIGN_OR_RETURN(Referral keep, txn.GetReferral(keep_id));
    ASSIGN_OR_RETURN(Referral duplicate, txn.GetReferral(duplicate_id));
    if (keep.patient_key != duplicate.patient_key) {
      return FailedPreconditionError("the two referrals are for different patients",
                                     "duplicate_id");
    }
    if (kind == LinkKind::kMerged) {
      if (IsTerminal(duplicate.state)) {
        return FailedPreconditionError(
            "the duplicate is " + std::string(ToString(duplicate.state)) + " already",
            "duplicate_id");
      }
      duplicate.state = ReferralState::kWithdrawn;
      duplicate.owner.clear();
      duplicate.next_action_due.reset();
      duplicate.updated_at = now;
      RETURN_IF_ERROR(
          txn.RecordEvent(duplicate, NewEvent(EventType::kReferralWithdrawn, actor, now,
                                              {{"reason", "merged"}, {"into", keep.id}}))
              .status());
    }
    RETURN_IF_ERROR(txn.InsertLink({keep.id, duplicate.id, kind, actor.user_id, now}));
    return Audit(txn, actor, keep.patient_key,
                 kind == LinkKind::kMerged ? "referral.merge" : "referral.link", now);
  });
}

}  // namespace tendon::workflow
