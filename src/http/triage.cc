// Triage: the queue with its claims, claiming a referral, reading it, recording the outcome;
// break-glass for a dissenting patient's history; a coordinator's linking of duplicates. Pages
// and their JSON twins. Every referral is named in a body or the session, never in a URL
// (DESIGN.md, "Security"). The handlers only translate: the rules are in workflow/triage.h.
#include "workflow/triage.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <string>
#include <vector>

#include "core/london_time.h"
#include "core/nhs_number.h"
#include "http/app_internal.h"
#include "http/errors.h"
#include "workflow/intake.h"

namespace tendon::http {
namespace {

using nlohmann::json;

// The fields of a triage decision; a form sends them all, filled or not.
// Rows on one page of the queue: a clinician works from the top; the counts cover the whole queue.
constexpr int kQueuePageSize = 50;

constexpr const char* kDecisionFields[] = {"outcome", "service_line", "priority", "modality",
                                           "skill",   "destination",  "advice",   "notes"};

// The decision a form posts, as the JSON the API takes, so that ParseTriageDecision checks both.
json DecisionFromForm(const Form& form) {
  json body = json::object();
  for (const char* field : kDecisionFields) {
    if (auto it = form.find(field); it != form.end()) body[field] = it->second;
  }
  return body;
}

// "upper_limb" -> "upper limb", for the middle of a sentence.

// The workflow names a referral "this referral"; a list of many names it by reference.
std::string AboutReferral(const std::string& message, const std::string& id) {
  constexpr std::string_view kThis = "this referral";
  if (message.rfind(kThis, 0) != 0) return Sentence(message);
  return "Referral " + id + message.substr(kThis.size());
}

json FieldErrorsJson(const std::vector<workflow::FieldError>& errors) {
  json out = json::array();
  for (const auto& e : errors)
    out.push_back({{"field", e.field}, {"message", Sentence(e.message)}});
  return out;
}

// The live claims, by referral id.
StatusOr<std::map<std::string, TriageClaim>> LiveClaims(App::Impl& app) {
  ASSIGN_OR_RETURN(std::vector<TriageClaim> claims, app.store.ListClaims());
  std::map<std::string, TriageClaim> live;
  for (TriageClaim& c : claims) {
    if (workflow::ClaimLive(app.env, c, app.Now())) live.emplace(c.referral_id, std::move(c));
  }
  return live;
}

std::string DisplayName(App::Impl& app, const std::string& user_id) {
  auto user = app.store.GetUser(user_id);
  return user.ok() ? user->display_name : "Another clinician";
}

// Records the referral as the session's open one and sends the browser to `path`.
Response OpenAt(App::Impl& app, Context& ctx, const std::string& path) {
  Session session = *ctx.session;
  session.context_referral_id = ctx.referral->id;
  if (!app.sessions.Save(session).ok()) return app.Error(ctx, 503);
  return Response::Redirect(path);
}

// --- The queue ---------------------------------------------------------------------------------

json QueueRow(App::Impl& app, const User& user, const TriageItem& item,
              const std::map<std::string, TriageClaim>& claims) {
  const Referral& r = item.referral;
  json row{{"reference", r.id},
           {"priority", PriorityLabel(r.priority)},
           {"received", FormatLondon(r.resubmitted_at.value_or(r.received_at))},
           {"due", r.next_action_due ? FormatLondon(*r.next_action_due) : "Not set"},
           {"overdue", item.overdue},
           {"claimed_by", "Nobody"}};
  if (auto it = claims.find(r.id); it != claims.end()) {
    const bool mine = it->second.user_id == user.id;
    row["claimed_by"] = mine ? "You" : DisplayName(app, it->second.user_id);
    row[mine ? "mine" : "held"] = true;
  }
  return row;
}

// The page of the queue asked for by ?page=N (1 when absent or not a number), within 1..pages.
int PageAsked(const Context& ctx, int pages) {
  const auto it = ctx.request.query.find("page");
  int page = 1;
  if (it != ctx.request.query.end()) {
    std::from_chars(it->second.data(), it->second.data() + it->second.size(), page);
  }
  return std::clamp(page, 1, std::max(pages, 1));
}

// The queue page with `data` (a banner, errors) added: one page of kQueuePageSize rows, in working
// order, with the counts of the whole queue.
Response QueuePage(App::Impl& app, const Context& ctx, int status, json data) {
  auto queue = app.TriageQueue(*ctx.user);
  auto claims = LiveClaims(app);
  if (!queue.ok() || !claims.ok()) return app.Error(ctx, 503);
  const int total = static_cast<int>(queue->size());
  const int pages = (total + kQueuePageSize - 1) / kQueuePageSize;
  const int page = PageAsked(ctx, pages);
  const int first = (page - 1) * kQueuePageSize;
  const int last = std::min(total, first + kQueuePageSize);
  json items = json::array();
  for (int i = first; i < last; ++i)
    items.push_back(QueueRow(app, *ctx.user, (*queue)[i], *claims));
  const auto overdue = std::count_if(queue->begin(), queue->end(),
                                     [](const TriageItem& item) { return item.overdue; });
  data["page_title"] = "Triage queue";
  data["waiting"] = std::to_string(total);
  data["overdue_count"] = std::to_string(overdue);
  data["items"] = std::move(items);
  if (pages > 1) {
    data["pagination"] = {
        {"showing", "Showing " + std::to_string(first + 1) + " to " + std::to_string(last) +
                        " of " + std::to_string(total)},
        {"page_of", "Page " + std::to_string(page) + " of " + std::to_string(pages)}};
    if (page > 1) data["pagination"]["previous"] = "/triage?page=" + std::to_string(page - 1);
    if (page < pages) data["pagination"]["next"] = "/triage?page=" + std::to_string(page + 1);
  }
  data["may_claim"] = ctx.user->role == Role::kTriageClinician;
  return app.Page(ctx, status, "triage", std::move(data));
}

Response Queue(App::Impl& app, Context& ctx) { return QueuePage(app, ctx, 200, json::object()); }

// Claims the referral and opens it; the queue again, saying why, when that cannot be done.
Response ClaimFromQueue(App::Impl& app, Context& ctx) {
  auto claim = workflow::Claim(app.env, ActorOf(*ctx.user), ctx.referral->id, app.Now());
  if (claim.ok()) return OpenAt(app, ctx, "/triage/referral");
  const StatusCode code = claim.status().code();
  if (code != StatusCode::kAborted && code != StatusCode::kFailedPrecondition) {
    return app.Error(ctx, HttpStatusFor(code));
  }
  return QueuePage(
      app, ctx, HttpStatusFor(code),
      {{"errors", OneError("", AboutReferral(claim.status().message(), ctx.referral->id))}});
}

// --- The referral ------------------------------------------------------------------------------

json Row(std::string key, std::string value) {
  return {{"key", std::move(key)}, {"value", std::move(value)}};
}

std::string Joined(const json& names) {
  std::string out;
  if (!names.is_array()) return names.is_string() ? Words(names.get<std::string>()) : "";
  for (const json& n : names) {
    if (!n.is_string()) continue;
    out += (out.empty() ? "" : ", ") + Words(n.get<std::string>());
  }
  return out;
}

// The answers a triager reads first; red flags only where the answer was yes.
json AnswerRows(const json& answers) {
  json rows = json::array();
  auto text = [&](const char* name, const char* label, const std::string& suffix = "") {
    if (!answers.contains(name)) return;
    const json& v = answers[name];
    std::string value = v.is_number() ? v.dump() : Joined(v);
    if (v.is_boolean()) value = v.get<bool>() ? "Yes" : "No";
    if (!value.empty()) rows.push_back(Row(label, value + suffix));
  };
  text("body_sites", "Where it hurts");
  text("side", "Side");
  text("duration_weeks", "How long", " weeks");
  text("severity", "Severity", " out of 10");
  text("work_impact", "Effect on work");
  text("daily_life_impact", "Effect on daily life");
  text("treatment_so_far", "Treatment so far");
  text("recent_surgery", "Recent surgery");
  text("requested_service", "Service asked for");
  std::string flags;
  if (answers.contains("redflags") && answers["redflags"].is_object()) {
    for (const auto& [name, value] : answers["redflags"].items()) {
      if (value == true) flags += (flags.empty() ? "" : ", ") + Words(name);
    }
  }
  rows.push_back(Row("Red flags answered yes", flags.empty() ? "None" : flags));
  return rows;
}

// Decision support as intake recorded it: route, reasons, advice, rules, missing items.
json DecisionData(const json& decision) {
  json rules = json::array();
  for (const json& rule : decision.value("rules", json::array())) {
    rules.push_back({{"rule_id", rule.value("rule_id", "")},
                     {"version", std::to_string(rule.value("version", 0))},
                     {"title", rule.value("title", "")}});
  }
  json missing = json::array();
  for (const json& m : decision.value("missing", json::array())) {
    missing.push_back(m.value("item", ""));
  }
  const json route = decision.value("route", json());
  return {{"route", route.is_string() ? Words(route.get<std::string>()) : "None recommended"},
          {"reasons", decision.value("reasons", json::array())},
          {"advice", decision.value("advice", json::array())},
          {"rules", rules},
          {"missing", missing}};
}

int AgeAt(Date born, Date day) {
  const date::year_month_day b(born), d(day);
  int age = static_cast<int>(d.year()) - static_cast<int>(b.year());
  if (d.month() < b.month() || (d.month() == b.month() && d.day() < b.day())) --age;
  return age;
}

json PatientRows(const Patient& p, Instant now) {
  json rows = json::array();
  const std::string name = p.given_name + " " + p.family_name;
  rows.push_back(Row("Name", name == " " ? "Not given" : name));
  rows.push_back(Row("Age", p.date_of_birth
                                ? std::to_string(AgeAt(*p.date_of_birth, LondonDate(now)))
                                : "Not given"));
  rows.push_back(
      Row("NHS number", p.nhs_number.empty() ? "Not known" : FormatNhsNumber(p.nhs_number)));
  rows.push_back(
      Row("Interpreter", p.interpreter_language.empty() ? "Not needed" : p.interpreter_language));
  rows.push_back(
      Row("Accessibility needs", p.accessibility_needs.empty() ? "None" : p.accessibility_needs));
  return rows;
}

json ReferralRows(const Referral& r, Instant now) {
  json rows = json::array();
  rows.push_back(Row("Reference", r.id));
  rows.push_back(Row("Where it is now", StateLabel(r.state)));
  rows.push_back(Row("Registered", FormatLondon(r.received_at)));
  if (r.resubmitted_at) rows.push_back(Row("Resubmitted", FormatLondon(*r.resubmitted_at)));
  if (r.next_action_due) {
    rows.push_back(Row("Triage due", FormatLondon(*r.next_action_due) +
                                         (*r.next_action_due < now ? " (overdue)" : "")));
  }
  return rows;
}

// The patient's other referrals with their events, oldest event first.
StatusOr<json> EarlierHistory(App::Impl& app, const Referral& current) {
  ASSIGN_OR_RETURN(std::vector<Referral> referrals,
                   app.store.ListReferralsForPatient(current.patient_key));
  json history = json::array();
  for (const Referral& r : referrals) {
    if (r.id == current.id) continue;
    ASSIGN_OR_RETURN(std::vector<PathwayEvent> events, app.store.ListEvents(r.id));
    json timeline = json::array();
    for (const PathwayEvent& e : events) {
      timeline.push_back({{"when", FormatLondon(e.occurred_at)},
                          {"title", Words(ToString(e.type))},
                          {"detail", StateLabel(e.state_after)}});
    }
    history.push_back({{"reference", r.id},
                       {"state", StateLabel(r.state)},
                       {"received", FormatLondon(r.received_at)},
                       {"events", timeline}});
  }
  return history;
}

json DuplicateRows(const std::vector<Referral>& duplicates) {
  json rows = json::array();
  for (const Referral& d : duplicates) {
    rows.push_back({{"reference", d.id},
                    {"state", StateLabel(d.state)},
                    {"received", FormatLondon(d.received_at)}});
  }
  return rows;
}

// Options for a select or radios: each {value, label, selected, first}. The first radio takes the
// field's own id, so that the error summary can link to it.
template <typename T, std::size_t N>
json Options(const T (&values)[N], const std::string& chosen, std::string (*label)(T)) {
  json out = json::array();
  for (T v : values) {
    const std::string name(ToString(v));
    out.push_back({{"value", name},
                   {"label", label(v)},
                   {"selected", name == chosen},
                   {"first", out.empty()}});
  }
  return out;
}

template <typename T>
std::string WordsOf(T v) {
  return Words(ToString(v));
}

std::string OutcomeLabel(workflow::TriageOutcome o) {
  switch (o) {
    case workflow::TriageOutcome::kAccept:
      return "Accept";
    case workflow::TriageOutcome::kReturn:
      return "Return to referrer";
    case workflow::TriageOutcome::kOnward:
      return "Refer onward";
    case workflow::TriageOutcome::kDischarge:
      return "Discharge with advice";
  }
  return "";
}

std::string ServiceLineLabel(ServiceLine line) {
  return Words(ToString(line)) + " (" +
         (TierOf(line) == Tier::kTier1 ? std::string("tier 1") : std::string("tier 2")) + ")";
}

// The outcome form's choices and the values to show: those posted, or the defaults.
json OutcomeForm(const Referral& r, const Form& posted) {
  auto value = [&](const char* name, std::string fallback = "") {
    auto it = posted.find(name);
    return it == posted.end() ? fallback : it->second;
  };
  using workflow::TriageOutcome;
  const TriageOutcome outcomes[] = {TriageOutcome::kAccept, TriageOutcome::kReturn,
                                    TriageOutcome::kOnward, TriageOutcome::kDischarge};
  const ServiceLine lines[] = {ServiceLine::kPhysioline, ServiceLine::kPhysiotherapy,
                               ServiceLine::kSpinal,     ServiceLine::kUpperLimb,
                               ServiceLine::kLowerLimb,  ServiceLine::kHand,
                               ServiceLine::kInjection,  ServiceLine::kPodiatry,
                               ServiceLine::kOrthotics,  ServiceLine::kPainManagement};
  const Priority priorities[] = {Priority::kEmergency, Priority::kUrgent, Priority::kPostOp,
                                 Priority::kRoutine};
  const Modality modalities[] = {Modality::kFaceToFace, Modality::kVideo, Modality::kTelephone};
  const OnwardDestination destinations[] = {
      OnwardDestination::kOrthopaedics, OnwardDestination::kRheumatology, OnwardDestination::kPain,
      OnwardDestination::kPaediatrics, OnwardDestination::kDiagnostics};
  return {{"outcomes", Options(outcomes, value("outcome"), OutcomeLabel)},
          {"service_lines", Options(lines, value("service_line"), ServiceLineLabel)},
          {"priorities", Options(priorities, value("priority", std::string(ToString(r.priority))),
                                 PriorityLabel)},
          {"modalities", Options(modalities, value("modality"), WordsOf<Modality>)},
          {"destinations", Options(destinations, value("destination"), WordsOf<OnwardDestination>)},
          {"skill", value("skill")},
          {"advice", value("advice")},
          {"notes", value("notes")},
          {"reason", value("reason")}};
}

// Who holds the referral, for the page: you, another clinician (named), or nobody.
StatusOr<json> ClaimData(App::Impl& app, const User& user, const Referral& r) {
  ASSIGN_OR_RETURN(auto claims, LiveClaims(app));
  auto it = claims.find(r.id);
  if (it == claims.end()) return json{{"unclaimed", true}};
  if (it->second.user_id == user.id) {
    // Reading the referral is activity on the claim: it renews it.
    ASSIGN_OR_RETURN(TriageClaim renewed, workflow::Claim(app.env, ActorOf(user), r.id, app.Now()));
    return json{{"mine", true},
                {"until", FormatLondon(renewed.last_active_at + app.env.timing.claim_timeout)}};
  }
  return json{{"held", true},
              {"by", DisplayName(app, it->second.user_id)},
              {"since", FormatLondon(it->second.claimed_at)}};
}

StatusOr<json> ReferralData(App::Impl& app, const User& user, const Referral& r,
                            const Form& posted) {
  const Instant now = app.Now();
  ASSIGN_OR_RETURN(Patient patient, app.store.GetPatient(r.patient_key));
  json data{{"page_title", "Triage referral " + r.id},
            {"referral_id", r.id},
            {"priority", PriorityLabel(r.priority)},
            {"urgent", r.priority != Priority::kRoutine},
            {"overdue", r.next_action_due && *r.next_action_due < now},
            {"awaiting", r.state == ReferralState::kAwaitingTriage},
            {"summary", ReferralRows(r, now)},
            {"patient", PatientRows(patient, now)},
            {"form", OutcomeForm(r, posted)}};
  ASSIGN_OR_RETURN(data["claim"], ClaimData(app, user, r));
  auto details = app.store.GetReferralDetails(r.id);
  if (!details.ok() && details.status().code() != StatusCode::kNotFound) return details.status();
  json answers = json::object();
  if (details.ok()) {
    answers = json::parse(details->answers, nullptr, false);
    const json decision = json::parse(details->decision, nullptr, false);
    if (answers.is_object()) data["answers"] = AnswerRows(answers);
    if (decision.is_object()) data["decision"] = DecisionData(decision);
    data["has_details"] = true;
  }
  if (!answers.is_object()) answers = json::object();
  ASSIGN_OR_RETURN(const bool hidden,
                   workflow::HistoryHidden(app.env, ActorOf(user), patient, now));
  data["history_hidden"] = hidden;
  if (hidden) return data;  // The patient's other referrals, duplicates included, stay hidden.
  ASSIGN_OR_RETURN(data["history"], EarlierHistory(app, r));
  ASSIGN_OR_RETURN(auto duplicates, workflow::FindDuplicates(app.env, patient, answers, r.id));
  data["duplicates"] = DuplicateRows(duplicates);
  return data;
}

Response ReferralPage(App::Impl& app, const Context& ctx, int status, const Form& posted,
                      json errors) {
  auto data = ReferralData(app, *ctx.user, *ctx.referral, posted);
  if (!data.ok()) return app.Error(ctx, HttpStatusFor(data.status().code()));
  (*data)["errors"] = std::move(errors);
  return app.Page(ctx, status, "triage_referral", std::move(data).value());
}

Response ViewForTriage(App::Impl& app, Context& ctx) {
  return ReferralPage(app, ctx, 200, {}, json::array());
}

std::string TierWords(Tier tier) { return tier == Tier::kTier1 ? "tier 1" : "tier 2"; }

std::string OutcomeBanner(const Referral& after, const workflow::TriageDecision& d) {
  const std::string ref = "Referral " + after.id;
  switch (d.outcome) {
    case workflow::TriageOutcome::kAccept:
      return ref + " accepted to " + TierWords(after.tier.value_or(Tier::kTier1)) + " " +
             Spaced(ToString(*d.service_line));
    case workflow::TriageOutcome::kReturn:
      return ref + " returned to the referrer";
    case workflow::TriageOutcome::kOnward:
      return ref + " referred on to " + Spaced(ToString(*d.destination));
    case workflow::TriageOutcome::kDischarge:
      return ref + " discharged with advice";
  }
  return ref + " triaged";
}

// The ids of the outcome form's fields, which an error may link to.
bool OnForm(const std::string& field) {
  for (const char* f : kDecisionFields) {
    if (field == f) return true;
  }
  return field == "reason";
}

// A workflow's refusal shown on the referral page; false when it is not the user's to fix.
std::optional<Response> RefusalPage(App::Impl& app, const Context& ctx, const Status& status) {
  const StatusCode code = status.code();
  if (code != StatusCode::kInvalidArgument && code != StatusCode::kAborted &&
      code != StatusCode::kFailedPrecondition) {
    return std::nullopt;
  }
  const std::string field = OnForm(status.field()) ? status.field() : "";
  return ReferralPage(app, ctx, HttpStatusFor(code), ctx.form,
                      OneError(field, Sentence(status.message())));
}

Response RecordOutcome(App::Impl& app, Context& ctx) {
  const auto parsed = workflow::ParseTriageDecision(DecisionFromForm(ctx.form));
  if (!parsed.value) return ReferralPage(app, ctx, 400, ctx.form, FieldErrorsJson(parsed.errors));
  auto after = workflow::RecordTriage(app.env, ActorOf(*ctx.user), ctx.referral->id, *parsed.value,
                                      app.Now());
  if (!after.ok()) {
    if (auto page = RefusalPage(app, ctx, after.status())) return *page;
    return app.Error(ctx, HttpStatusFor(after.status().code()));
  }
  return QueuePage(app, ctx, 200, {{"banner", OutcomeBanner(*after, *parsed.value)}});
}

Response ReleaseClaim(App::Impl& app, Context& ctx) {
  Status released = workflow::Release(app.env, ActorOf(*ctx.user), ctx.referral->id, app.Now());
  // Another's live claim: there was nothing of ours to give up.
  if (!released.ok() && released.code() != StatusCode::kAborted) {
    return app.Error(ctx, HttpStatusFor(released.code()));
  }
  return Response::Redirect("/triage");
}

Response BreakGlassPage(App::Impl& app, Context& ctx) {
  auto patient = app.store.GetPatient(ctx.referral->patient_key);
  if (!patient.ok()) return app.Error(ctx, HttpStatusFor(patient.status().code()));
  Status done =
      workflow::BreakGlass(app.env, ActorOf(*ctx.user), *patient, ctx.form["reason"], app.Now());
  if (!done.ok()) {
    if (auto page = RefusalPage(app, ctx, done)) return *page;
    return app.Error(ctx, HttpStatusFor(done.code()));
  }
  return OpenAt(app, ctx, "/triage/referral");
}

// --- Duplicates --------------------------------------------------------------------------------

Response DuplicatesPage(App::Impl& app, const Context& ctx, int status, json data) {
  const Referral& r = *ctx.referral;
  auto patient = app.store.GetPatient(r.patient_key);
  if (!patient.ok()) return app.Error(ctx, HttpStatusFor(patient.status().code()));
  auto details = app.store.GetReferralDetails(r.id);
  json answers = details.ok() ? json::parse(details->answers, nullptr, false) : json::object();
  if (!answers.is_object()) answers = json::object();
  auto duplicates = workflow::FindDuplicates(app.env, *patient, answers, r.id);
  auto links = app.store.ListLinks(r.id);
  if (!duplicates.ok() || !links.ok()) return app.Error(ctx, 503);
  json linked = json::array();
  for (const ReferralLink& l : *links) {
    linked.push_back({{"reference", l.referral_id == r.id ? l.other_id : l.referral_id},
                      {"kind", l.kind == LinkKind::kMerged ? "Merged" : "Linked"},
                      {"when", FormatLondon(l.at)}});
  }
  data["page_title"] = "Possible duplicates of referral " + r.id;
  data["referral_id"] = r.id;
  data["duplicates"] = DuplicateRows(*duplicates);
  data["links"] = std::move(linked);
  return app.Page(ctx, status, "triage_duplicates", std::move(data));
}

Response ViewDuplicates(App::Impl& app, Context& ctx) {
  return DuplicatesPage(app, ctx, 200, json::object());
}

Response LinkFromPage(App::Impl& app, Context& ctx) {
  auto kind = ParseLinkKind(ctx.form["kind"]);
  Status done = kind.ok() ? workflow::LinkReferrals(app.env, ActorOf(*ctx.user), ctx.referral->id,
                                                    ctx.form["duplicate_id"], *kind, app.Now())
                          : kind.status();
  if (!done.ok()) {
    const StatusCode code = done.code();
    if (code == StatusCode::kInternal || code == StatusCode::kUnavailable) {
      return app.Error(ctx, HttpStatusFor(code));
    }
    return DuplicatesPage(app, ctx, HttpStatusFor(code),
                          {{"errors", OneError("", Sentence(done.message()))}});
  }
  const std::string verb = *kind == LinkKind::kMerged ? " merged into " : " linked to ";
  return DuplicatesPage(
      app, ctx, 200,
      {{"banner", "Referral " + ctx.form["duplicate_id"] + verb + "referral " + ctx.referral->id}});
}

// --- The JSON API ------------------------------------------------------------------------------

// A string member of the body, or "" when absent; InvalidArgument when it is not text.
StatusOr<std::string> BodyText(const json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::string();
  if (!it->is_string()) return InvalidArgumentError("must be text", name);
  return it->get<std::string>();
}

Response ClaimApi(App::Impl& app, Context& ctx) {
  auto claim = workflow::Claim(app.env, ActorOf(*ctx.user), ctx.referral->id, app.Now());
  if (!claim.ok()) return JsonError(claim.status());
  json body{{"referral_id", claim->referral_id},
            {"claimed_at", FormatInstant(claim->claimed_at)},
            {"expires_at", FormatInstant(claim->last_active_at + app.env.timing.claim_timeout)}};
  return Response::Json(200, body.dump());
}

Response ReleaseApi(App::Impl& app, Context& ctx) {
  Status released = workflow::Release(app.env, ActorOf(*ctx.user), ctx.referral->id, app.Now());
  if (!released.ok()) return JsonError(released);
  return Response::Json(200, json{{"referral_id", ctx.referral->id}, {"released", true}}.dump());
}

Response TriageApi(App::Impl& app, Context& ctx) {
  json decision = ctx.json;
  decision.erase("referral_id");
  const auto parsed = workflow::ParseTriageDecision(decision);
  if (!parsed.value) return JsonFieldErrors(parsed.errors);
  auto after = workflow::RecordTriage(app.env, ActorOf(*ctx.user), ctx.referral->id, *parsed.value,
                                      app.Now());
  if (!after.ok()) return JsonError(after.status());
  json body{{"referral_id", after->id},
            {"state", std::string(ToString(after->state))},
            {"priority", std::string(ToString(after->priority))},
            {"tier", after->tier ? json(std::string(ToString(*after->tier))) : json()},
            {"service_line",
             after->service_line ? json(std::string(ToString(*after->service_line))) : json()}};
  return Response::Json(200, body.dump());
}

Response BreakGlassApi(App::Impl& app, Context& ctx) {
  auto reason = BodyText(ctx.json, "reason");
  if (!reason.ok()) return JsonError(reason.status());
  auto patient = app.store.GetPatient(ctx.referral->patient_key);
  if (!patient.ok()) return JsonError(patient.status());
  const Instant now = app.Now();
  Status done = workflow::BreakGlass(app.env, ActorOf(*ctx.user), *patient, *reason, now);
  if (!done.ok()) return JsonError(done);
  json body{
      {"referral_id", ctx.referral->id},
      {"history_open_until", FormatInstant(now + std::chrono::hours(workflow::kBreakGlassHours))}};
  return Response::Json(200, body.dump());
}

Response LinkApi(App::Impl& app, Context& ctx) {
  auto duplicate = BodyText(ctx.json, "duplicate_id");
  if (!duplicate.ok()) return JsonError(duplicate.status());
  if (duplicate->empty()) return JsonError(InvalidArgumentError("is required", "duplicate_id"));
  auto kind_name = BodyText(ctx.json, "kind");
  if (!kind_name.ok()) return JsonError(kind_name.status());
  auto kind = ParseLinkKind(*kind_name);
  if (!kind.ok()) return JsonError(kind.status());
  Status done = workflow::LinkReferrals(app.env, ActorOf(*ctx.user), ctx.referral->id, *duplicate,
                                        *kind, app.Now());
  if (!done.ok()) return JsonError(done);
  json body{{"referral_id", ctx.referral->id},
            {"duplicate_id", *duplicate},
            {"kind", std::string(ToString(*kind))}};
  return Response::Json(200, body.dump());
}

Access Triager(const char* action, Ownership ownership = Ownership::kReferralInBody) {
  return Access::PatientData({Role::kTriageClinician}, ownership, action);
}

}  // namespace

void RegisterTriage(App::Impl& app) {
  auto bind = [&app](Response (*fn)(App::Impl&, Context&)) {
    return [&app, fn](Context& ctx) { return fn(app, ctx); };
  };
  Router& r = app.router;
  // Pages.
  r.Add({Method::kGet, "/triage", Access::Roles({Role::kTriageClinician, Role::kCoordinator}),
         false, bind(Queue)});
  r.Add({Method::kPost, "/triage/claim", Triager("triage.claim"), false, bind(ClaimFromQueue)});
  r.Add({Method::kGet, "/triage/referral", Triager("triage.read", Ownership::kReferralInSession),
         false, bind(ViewForTriage)});
  r.Add({Method::kPost, "/triage/outcome", Triager("triage.outcome"), false, bind(RecordOutcome)});
  r.Add({Method::kPost, "/triage/release", Triager("triage.release"), false, bind(ReleaseClaim)});
  r.Add({Method::kPost, "/triage/break-glass", Triager("triage.break_glass"), false,
         bind(BreakGlassPage)});
  r.Add({Method::kGet, "/triage/duplicates",
         Access::PatientData({Role::kCoordinator}, Ownership::kReferralInSession,
                             "referral.duplicates.read"),
         false, bind(ViewDuplicates)});
  r.Add({Method::kPost, "/referral/link",
         Access::PatientData({Role::kCoordinator}, Ownership::kReferralInBody, "referral.link"),
         false, bind(LinkFromPage)});
  // The API.
  r.Add({Method::kPost, "/api/v1/referrals/claim", Triager("triage.claim"), true, bind(ClaimApi)});
  r.Add({Method::kPost, "/api/v1/referrals/release", Triager("triage.release"), true,
         bind(ReleaseApi)});
  r.Add({Method::kPost, "/api/v1/referrals/triage", Triager("triage.outcome"), true,
         bind(TriageApi)});
  r.Add({Method::kPost, "/api/v1/referrals/break-glass",
         Access::PatientData({Role::kTriageClinician, Role::kTreatingClinician},
                             Ownership::kReferralInBody, "triage.break_glass"),
         true, bind(BreakGlassApi)});
  r.Add({Method::kPost, "/api/v1/referrals/link",
         Access::PatientData({Role::kCoordinator}, Ownership::kReferralInBody, "referral.link"),
         true, bind(LinkApi)});
}

}  // namespace tendon::http
