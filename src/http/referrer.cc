// The referrer's pages and API: the referral form with decision support, the worklist, and
// resubmission of a returned referral.
//
// The form and the API read the same JSON: the form's fields are converted into it (FormToJson)
// and both go through workflow::ParseSubmission, so that a malformed field gets the same message
// either way. Form field names are the JSON's dotted paths ("patient.nhs_number"), which are also
// the ids the error summary links to.
#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/london_time.h"
#include "http/app_internal.h"
#include "http/errors.h"
#include "workflow/intake.h"

namespace tendon::http {
namespace {

using nlohmann::json;
using workflow::FieldError;
using workflow::Parsed;
using workflow::Submission;

constexpr int kMaxWorklist = 500;

// ---- The form's questions ----------------------------------------------------------------------

enum class Kind {
  kText,      // One line of text.
  kLongText,  // A textarea.
  kDate,      // Day, month and year inputs; "YYYY-MM-DD" in the JSON.
  kNumber,    // A number in the JSON; text that is not a number is passed on to be refused.
  kChoice,    // Radios; a string in the JSON.
  kYesNo,     // Yes and No radios; true or false in the JSON.
  kChoices,   // Checkboxes, one form field each ("answers.body_sites.knee"); a list in the JSON.
  kTick,      // One checkbox (its one option); true when ticked, absent otherwise.
};

struct Question {
  const char* field;  // Dotted path in the JSON body; also the form field's name and id.
  Kind kind;
  const char* label;
  const char* hint = "";
  std::vector<Option> options = {};
};

struct Section {
  const char* heading;
  std::vector<Question> questions;
};

Question YesNo(const char* field, const char* label) { return {field, Kind::kYesNo, label}; }

const std::vector<Section>& Sections() {
  static const std::vector<Option> kImpact{
      {"none", "No effect"}, {"some", "Some effect"}, {"severe", "A severe effect"}};
  static const std::vector<Section> sections{
      {"The patient",
       {
           {"patient.nhs_number", Kind::kText, "NHS number", "10 digits, like 485 777 3456"},
           {"patient.given_name", Kind::kText, "First name"},
           {"patient.family_name", Kind::kText, "Last name"},
           {"patient.date_of_birth", Kind::kDate, "Date of birth", "For example, 15 3 1984"},
           {"patient.sex",
            Kind::kChoice,
            "Sex",
            "",
            {{"female", "Female"},
             {"male", "Male"},
             {"indeterminate", "Indeterminate"},
             {"not_known", "Not known"}}},
           {"patient.postcode", Kind::kText, "Postcode"},
           {"patient.phone", Kind::kText, "Telephone number"},
           {"patient.email", Kind::kText, "Email address"},
           {"patient.gp_practice", Kind::kText, "GP practice code", "For example, K84001"},
           {"patient.interpreter_language", Kind::kText, "Interpreter needed: which language",
            "Leave blank if the patient does not need an interpreter"},
           {"patient.accessibility_needs", Kind::kLongText, "Accessibility needs",
            "For example, step-free access or a British Sign Language interpreter"},
       }},
      {"The problem",
       {
           {"answers.body_sites", Kind::kChoices, "Where is the problem?", "Select all that apply",
            BodySiteOptions()},
           {"answers.side",
            Kind::kChoice,
            "Which side?",
            "",
            {{"left", "Left"},
             {"right", "Right"},
             {"both", "Both"},
             {"not_applicable", "Does not apply"}}},
           {"answers.duration_weeks", Kind::kNumber, "How long has it lasted, in weeks?",
            "3 days is 0.43 weeks"},
           {"answers.severity", Kind::kNumber, "How bad is it, from 0 to 10?",
            "0 is no pain, 10 is the worst pain imaginable"},
           {"answers.work_impact", Kind::kChoice, "Effect on work", "", kImpact},
           {"answers.daily_life_impact", Kind::kChoice, "Effect on daily life", "", kImpact},
           {"answers.treatment_so_far",
            Kind::kChoices,
            "Treatment so far",
            "Select all that apply",
            {{"none", "None yet"},
             {"advice", "Advice"},
             {"exercise", "Exercises"},
             {"medication", "Medicines"},
             {"physiotherapy", "Physiotherapy"},
             {"injection", "Injection"},
             {"surgery", "Surgery"},
             {"other", "Other"}}},
       }},
      {"Red flags: does the patient have any of these?",
       {
           YesNo("answers.redflags.bladder_bowel_dysfunction",
                 "New problems controlling their bladder or bowels"),
           YesNo("answers.redflags.saddle_anaesthesia",
                 "Numbness around their genitals or bottom (saddle area)"),
           YesNo("answers.redflags.bilateral_leg_symptoms",
                 "Pain, numbness or weakness in both legs"),
           YesNo("answers.redflags.progressive_neurological_deficit",
                 "Weakness or numbness that is getting worse"),
           YesNo("answers.redflags.sexual_dysfunction", "New problems with sexual function"),
           YesNo("answers.redflags.history_of_cancer", "Has had cancer"),
           {"answers.redflags.cancer_risk_evaluated_low",
            Kind::kTick,
            "Cancer risk",
            "Only if the patient has had cancer",
            {{"yes", "I have evaluated the cancer risk and believe it is low"}}},
           YesNo("answers.redflags.unexplained_weight_loss",
                 "Weight loss that cannot be explained"),
           YesNo("answers.redflags.night_pain",
                 "Pain at night that does not ease with rest or a change of position"),
           YesNo("answers.redflags.fever_or_systemically_unwell",
                 "A high temperature, or feeling generally unwell"),
           YesNo("answers.redflags.immunosuppressed",
                 "A weakened immune system, from an illness or medicines"),
           YesNo("answers.redflags.iv_drug_use", "Injects drugs"),
           YesNo("answers.redflags.recent_infection", "A recent infection"),
           YesNo("answers.redflags.major_trauma",
                 "A major injury, such as a fall from a height or a road accident"),
           YesNo("answers.redflags.minor_trauma_with_osteoporosis",
                 "A minor injury, and osteoporosis (weak bones)"),
           YesNo("answers.redflags.hot_swollen_joint", "A hot, swollen joint"),
           YesNo("answers.redflags.joint_prosthesis", "A joint replacement in the area"),
           YesNo("answers.redflags.morning_stiffness_over_30_min",
                 "Stiffness in the morning that lasts more than 30 minutes"),
           YesNo("answers.redflags.multiple_swollen_joints", "Several swollen joints"),
           YesNo("answers.redflags.small_joints_hands_feet",
                 "Pain or swelling in the small joints of the hands or feet"),
           YesNo("answers.redflags.new_headache_scalp_tenderness_jaw_claudication",
                 "A new headache, a tender scalp, or jaw pain when chewing"),
           YesNo("answers.redflags.visual_disturbance", "Changes in their sight"),
       }},
      {"Surgery",
       {
           YesNo("answers.recent_surgery", "Recent surgery on the problem area"),
           {"answers.surgery_weeks_ago", Kind::kNumber, "If so, how many weeks ago?"},
       }},
      {"The referral",
       {
           {"source",
            Kind::kChoice,
            "Who is referring?",
            "",
            {{"gp", "A GP practice"},
             {"fcp", "A first contact practitioner"},
             {"hospital", "A hospital"}}},
           {"answers.requested_service", Kind::kChoice, "Which service are you asking for?", "",
            RouteOptions()},
           {"answers.urgency",
            Kind::kChoice,
            "How urgent do you think it is?",
            "",
            {{"routine", "Routine"}, {"urgent", "Urgent"}}},
           YesNo("answers.consent_to_share", "The patient consents to sharing their records"),
           {"referrer_name", Kind::kText, "Your name", "As you sign your referrals"},
       }},
  };
  return sections;
}

json::json_pointer PointerTo(std::string_view field) {
  std::string pointer = "/" + std::string(field);
  std::replace(pointer.begin(), pointer.end(), '.', '/');
  return json::json_pointer(pointer);
}

// ---- Form fields to JSON and back --------------------------------------------------------------

std::string Get(const Form& form, const std::string& name) {
  auto it = form.find(name);
  return it == form.end() ? "" : it->second;
}

std::string TwoDigits(std::string s) { return s.size() == 1 ? "0" + s : s; }

// The JSON a question's form field(s) hold; null when not answered.
json AnswerFromForm(const Form& form, const Question& q) {
  const std::string value = Get(form, q.field);
  switch (q.kind) {
    case Kind::kText:
    case Kind::kLongText:
    case Kind::kChoice:
      return value.empty() ? json() : json(value);
    case Kind::kDate: {
      const std::string base(q.field);
      const std::string day = Get(form, base + ".day"), month = Get(form, base + ".month"),
                        year = Get(form, base + ".year");
      if (day.empty() && month.empty() && year.empty()) return json();
      return year + "-" + TwoDigits(month) + "-" + TwoDigits(day);
    }
    case Kind::kNumber: {
      if (value.empty()) return json();
      char* end = nullptr;
      const double number = std::strtod(value.c_str(), &end);
      if (end != value.c_str() + value.size()) return value;  // Refused by the answers' schema.
      if (number == static_cast<double>(static_cast<long long>(number))) {
        return static_cast<long long>(number);
      }
      return number;
    }
    case Kind::kYesNo:
      if (value == "yes") return true;
      if (value == "no") return false;
      return value.empty() ? json() : json(value);
    case Kind::kChoices: {
      json list = json::array();
      for (const Option& o : q.options) {
        if (!Get(form, std::string(q.field) + "." + o.value).empty()) list.push_back(o.value);
      }
      return list.empty() ? json() : list;
    }
    case Kind::kTick:
      return value.empty() ? json() : json(true);
  }
  return json();
}

// The body the API takes, from the form's fields.
json FormToJson(const Form& form) {
  json body{{"patient", json::object()}, {"answers", json::object()}};
  for (const Section& section : Sections()) {
    for (const Question& q : section.questions) {
      json answer = AnswerFromForm(form, q);
      if (!answer.is_null()) body[PointerTo(q.field)] = std::move(answer);
    }
  }
  return body;
}

// The form's fields for a JSON body: the inverse of FormToJson, to prefill the form.
Form JsonToForm(const json& body) {
  Form form;
  for (const Section& section : Sections()) {
    for (const Question& q : section.questions) {
      const json::json_pointer pointer = PointerTo(q.field);
      if (!body.contains(pointer) || body[pointer].is_null()) continue;
      const json& value = body[pointer];
      const std::string field(q.field);
      if (q.kind == Kind::kDate && value.is_string()) {
        const std::string d = value.get<std::string>();
        form[field + ".year"] = d.substr(0, 4);
        if (d.size() >= 7) form[field + ".month"] = d.substr(5, 2);
        if (d.size() >= 10) form[field + ".day"] = d.substr(8, 2);
      } else if (q.kind == Kind::kChoices && value.is_array()) {
        for (const json& v : value) {
          if (v.is_string()) form[field + "." + v.get<std::string>()] = "yes";
        }
      } else if (value.is_boolean()) {
        form[field] = q.kind == Kind::kTick ? (value.get<bool>() ? "yes" : "")
                                            : (value.get<bool>() ? "yes" : "no");
      } else {
        form[field] = value.is_string() ? value.get<std::string>() : value.dump();
      }
    }
  }
  return form;
}

// The stored patient as the API's "patient" object.
json PatientJson(const Patient& p) {
  json out = json::object();
  auto put = [&out](const char* name, const std::string& value) {
    if (!value.empty()) out[name] = value;
  };
  put("nhs_number", p.nhs_number);
  put("given_name", p.given_name);
  put("family_name", p.family_name);
  if (p.date_of_birth) out["date_of_birth"] = FormatDate(*p.date_of_birth);
  if (p.sex != Sex::kNotKnown) out["sex"] = std::string(ToString(p.sex));
  put("postcode", p.postcode);
  put("phone", p.phone);
  put("email", p.email);
  put("gp_practice", p.gp_practice);
  put("interpreter_language", p.interpreter_language);
  put("accessibility_needs", p.accessibility_needs);
  return out;
}

// ---- Reading a submission ----------------------------------------------------------------------

// Takes the optional "source" (gp by default; fcp and hospital too) off `body` and parses the rest.
// Every malformed field is listed, the source's included.
Parsed<Submission> ReadSubmission(json body, Instant now) {
  std::vector<FieldError> errors;
  ReferralSource source = ReferralSource::kGp;
  if (auto it = body.find("source"); it != body.end()) {
    auto parsed = it->is_string() ? ParseReferralSource(it->get<std::string>())
                                  : StatusOr<ReferralSource>(InvalidArgumentError("", "source"));
    if (parsed.ok() && *parsed != ReferralSource::kSelf && *parsed != ReferralSource::kTransfer) {
      source = *parsed;
    } else {
      errors.push_back({"source", "must be gp, fcp or hospital"});
    }
    body.erase(it);
  }
  Parsed<Submission> parsed = workflow::ParseSubmission(body, source, now);
  errors.insert(errors.end(), parsed.errors.begin(), parsed.errors.end());
  if (!errors.empty()) parsed.value.reset();
  parsed.errors = std::move(errors);
  return parsed;
}

json MissingJson(const std::vector<MissingItem>& missing) {
  json out = json::array();
  for (const MissingItem& m : missing) {
    out.push_back({{"rule_id", m.rule_id}, {"version", m.version}, {"item", m.item}});
  }
  return out;
}

json IntakeJson(const workflow::IntakeResult& result) {
  const Referral& r = result.referral;
  const Decision& d = result.decision;
  json rules = json::array();
  for (const FiredRule& f : d.fired)
    rules.push_back({{"rule_id", f.rule_id}, {"version", f.version}});
  json duplicates = json::array();
  for (const Referral& dup : result.duplicates) duplicates.push_back(dup.id);
  json out{{"referral_id", r.id},
           {"state", std::string(ToString(r.state))},
           {"priority", std::string(ToString(r.priority))},
           {"received_at", FormatInstant(r.received_at)},
           {"missing", MissingJson(result.missing)},
           {"decision",
            {{"priority", std::string(ToString(d.priority))},
             {"route", d.route ? json(std::string(ToString(*d.route))) : json()},
             {"reasons", d.reasons},
             {"advice", d.advice},
             {"rules", rules}}},
           {"duplicates", duplicates}};
  if (r.resubmitted_at) out["resubmitted_at"] = FormatInstant(*r.resubmitted_at);
  return out;
}

// ---- The worklist ------------------------------------------------------------------------------

struct WorklistItem {
  Referral referral;
  std::vector<std::string> missing;  // For a returned referral: what it lacks.
};

std::vector<std::string> MissingItems(App::Impl& app, const Referral& r) {
  std::vector<std::string> items;
  auto details = app.store.GetReferralDetails(r.id);
  if (!details.ok()) return items;
  const json decision = json::parse(details->decision, nullptr, /*allow_exceptions=*/false);
  if (!decision.is_object() || !decision.contains("missing")) return items;
  for (const json& m : decision["missing"]) {
    if (m.is_object() && m.value("item", json()).is_string())
      items.push_back(m["item"].get<std::string>());
  }
  return items;
}

// The organisation's referrals: the returned ones first, the soonest due first, then the rest
// newest first. The read is audited once, as a whole.
StatusOr<std::vector<WorklistItem>> Worklist(App::Impl& app, const User& user) {
  ASSIGN_OR_RETURN(auto referrals,
                   app.store.ListReferralsForOrganisation(user.organisation, kMaxWorklist));
  RETURN_IF_ERROR(app.Audit(user, "", "referral.worklist.read"));
  auto returned = [](const Referral& r) { return r.state == ReferralState::kReturnedIncomplete; };
  auto first_returned = std::stable_partition(referrals.begin(), referrals.end(), returned);
  std::stable_sort(referrals.begin(), first_returned, [](const Referral& a, const Referral& b) {
    return a.next_action_due.value_or(a.received_at) < b.next_action_due.value_or(b.received_at);
  });
  std::vector<WorklistItem> items;
  for (Referral& r : referrals) {
    WorklistItem item{std::move(r), {}};
    if (returned(item.referral)) item.missing = MissingItems(app, item.referral);
    items.push_back(std::move(item));
  }
  return items;
}

// ---- API ---------------------------------------------------------------------------------------

Response ApiSubmit(App::Impl& app, Context& ctx) {
  Parsed<Submission> parsed = ReadSubmission(ctx.json, app.Now());
  if (!parsed.value) return JsonFieldErrors(parsed.errors);
  auto result = workflow::Submit(app.env, ActorOf(*ctx.user), *parsed.value, app.Now());
  if (!result.ok()) return JsonError(result.status());
  return Response::Json(201, IntakeJson(*result).dump());
}

Response ApiResubmit(App::Impl& app, Context& ctx) {
  json body = ctx.json;
  body.erase("referral_id");
  Parsed<Submission> parsed = ReadSubmission(std::move(body), app.Now());
  if (!parsed.value) return JsonFieldErrors(parsed.errors);
  auto result =
      workflow::Resubmit(app.env, ActorOf(*ctx.user), ctx.referral->id, *parsed.value, app.Now());
  if (!result.ok()) return JsonError(result.status());
  return Response::Json(200, IntakeJson(*result).dump());
}

Response ApiWorklist(App::Impl& app, Context& ctx) {
  auto items = Worklist(app, *ctx.user);
  if (!items.ok()) return JsonError(items.status());
  json out = json::array();
  for (const WorklistItem& item : *items) {
    const Referral& r = item.referral;
    json entry{{"referral_id", r.id},
               {"state", std::string(ToString(r.state))},
               {"priority", std::string(ToString(r.priority))},
               {"received_at", FormatInstant(r.received_at)}};
    if (r.next_action_due) entry["next_action_due"] = FormatInstant(*r.next_action_due);
    if (r.state == ReferralState::kReturnedIncomplete) entry["missing"] = item.missing;
    out.push_back(std::move(entry));
  }
  return Response::Json(200, json{{"referrals", out}}.dump());
}

// ---- Pages -------------------------------------------------------------------------------------

// The question an error's field belongs to (the longest field that is a prefix), or null.
const Question* QuestionFor(std::string_view field) {
  const Question* found = nullptr;
  for (const Section& section : Sections()) {
    for (const Question& q : section.questions) {
      const std::string_view f = q.field;
      const bool prefix = field == f || (field.starts_with(f) && field[f.size()] == '.');
      if (prefix && (found == nullptr || f.size() > std::string_view(found->field).size())) {
        found = &q;
      }
    }
  }
  return found;
}

// Errors for the page: linked to the question's id, with the question named in the message.
json PageErrors(const std::vector<FieldError>& errors) {
  json out = json::array();
  for (const FieldError& e : errors) {
    const Question* q = QuestionFor(e.field);
    const std::string field = q ? q->field : e.field;
    const std::string label = q ? q->label : e.field;
    out.push_back({{"field", field}, {"message", label + ": " + e.message}});
  }
  return out;
}

json QuestionView(const Question& q, const Form& form, const json& errors) {
  const std::string field(q.field);
  json view{{"id", field},
            {"label", q.label},
            {"hint", q.hint},
            {"value", Get(form, field)},
            {"error", json()},
            {"is_text", q.kind == Kind::kText},
            {"is_long_text", q.kind == Kind::kLongText},
            {"is_number", q.kind == Kind::kNumber},
            {"is_date", q.kind == Kind::kDate},
            {"is_radios", q.kind == Kind::kChoice || q.kind == Kind::kYesNo},
            {"is_inline", q.kind == Kind::kYesNo},
            {"is_checkboxes", q.kind == Kind::kChoices || q.kind == Kind::kTick}};
  for (const json& e : errors) {
    if (e["field"] == field && view["error"].is_null()) view["error"] = e["message"];
  }
  if (q.kind == Kind::kDate) {
    view["day"] = Get(form, field + ".day");
    view["month"] = Get(form, field + ".month");
    view["year"] = Get(form, field + ".year");
  }
  std::vector<Option> options = q.options;
  if (q.kind == Kind::kYesNo) options = {{"yes", "Yes"}, {"no", "No"}};
  json list = json::array();
  for (const Option& o : options) {
    const bool own_field = q.kind == Kind::kChoices;
    const std::string name = own_field ? field + "." + o.value : field;
    const bool checked =
        own_field || q.kind == Kind::kTick ? !Get(form, name).empty() : Get(form, name) == o.value;
    // The first option carries the question's id, so that the error summary's link reaches it.
    list.push_back({{"id", list.empty() ? field : field + "-" + o.value},
                    {"name", name},
                    {"value", o.value},
                    {"label", o.label},
                    {"checked", checked}});
  }
  view["options"] = std::move(list);
  std::string described;
  if (*q.hint != '\0') described = field + "-hint";
  if (!view["error"].is_null()) described += (described.empty() ? "" : " ") + field + "-error";
  view["describedby"] = described;
  return view;
}

struct FormPage {
  const char* action;  // Where the form posts.
  const char* title;
  Form form;
  std::vector<FieldError> errors;
  std::optional<Decision> decision;  // After "Check where to refer".
};

Response RenderForm(App::Impl& app, const Context& ctx, const FormPage& page) {
  const json errors = PageErrors(page.errors);
  json sections = json::array();
  for (const Section& section : Sections()) {
    json questions = json::array();
    for (const Question& q : section.questions) {
      questions.push_back(QuestionView(q, page.form, errors));
    }
    sections.push_back({{"heading", section.heading}, {"questions", std::move(questions)}});
  }
  json data{{"page_title", page.title},
            {"action", page.action},
            {"errors", errors},
            {"sections", std::move(sections)}};
  if (page.decision) data["decision"] = DecisionView(*page.decision);
  return app.Page(ctx, page.errors.empty() ? 200 : 400, "refer", std::move(data));
}

// Opens `referral_id` in this session (its ownership checked and audited before this runs, or
// just made by this user) and sends the browser to `path`, so that no address carries the
// reference.
Response OpenAt(App::Impl& app, const Context& ctx, const std::string& referral_id,
                const char* path) {
  Session session = *ctx.session;
  session.context_referral_id = referral_id;
  if (!app.sessions.Save(session).ok()) return app.Error(ctx, 503);
  return Response::Redirect(path);
}

// The confirmation of the referral the session has open, from what the store holds: shown after a
// redirect, so reloading it never sends the referral again.
Response Confirmation(App::Impl& app, Context& ctx) {
  const Referral& r = *ctx.referral;
  const bool returned = r.state == ReferralState::kReturnedIncomplete;
  json missing = json::array();
  json advice = json::array();
  json answers = json::object();
  if (auto details = app.store.GetReferralDetails(r.id); details.ok()) {
    const json decision = json::parse(details->decision, nullptr, /*allow_exceptions=*/false);
    if (decision.is_object()) {
      for (const json& m : decision.value("missing", json::array())) missing.push_back(m["item"]);
      advice = decision.value("advice", json::array());
    }
    answers = json::parse(details->answers, nullptr, /*allow_exceptions=*/false);
  }
  json duplicates = json::array();
  if (auto patient = app.store.GetPatient(r.patient_key); patient.ok() && answers.is_object()) {
    auto found = workflow::FindDuplicates(app.env, *patient, answers, r.id);
    if (!found.ok()) return app.Error(ctx, HttpStatusFor(found.status().code()));
    for (const Referral& d : *found) duplicates.push_back(d.id);
  }
  return app.Page(ctx, 200, "refer_sent",
                  {{"page_title", returned ? "Referral returned: it needs completing"
                                           : "Referral accepted for triage"},
                   {"reference", r.id},
                   {"returned", returned},
                   {"priority", PriorityLabel(r.priority)},
                   {"due", r.next_action_due ? FormatLondon(*r.next_action_due) : ""},
                   {"missing", missing},
                   {"advice", advice},
                   {"duplicates", duplicates}});
}

// Checks or sends the form posted to `page.action`: ParseSubmission's errors, decision support,
// or `send`'s result (Submit or Resubmit) confirmed.
template <typename Send>
Response PostForm(App::Impl& app, Context& ctx, FormPage page, Send send) {
  page.form = ctx.form;
  Parsed<Submission> parsed = ReadSubmission(FormToJson(ctx.form), app.Now());
  if (!parsed.value) {
    page.errors = std::move(parsed.errors);
    return RenderForm(app, ctx, page);
  }
  if (Get(ctx.form, "action") == "check") {
    auto decision = workflow::Decide(app.env, *parsed.value, app.Now());
    if (!decision.ok()) return app.Error(ctx, HttpStatusFor(decision.status().code()));
    page.decision = std::move(decision).value();
    return RenderForm(app, ctx, page);
  }
  StatusOr<workflow::IntakeResult> result = send(*parsed.value);
  if (!result.ok()) {
    if (result.status().code() != StatusCode::kInvalidArgument) {
      return app.Error(ctx, HttpStatusFor(result.status().code()));
    }
    page.errors = {{"answers." + result.status().field(), result.status().message()}};
    return RenderForm(app, ctx, page);
  }
  return OpenAt(app, ctx, result->referral.id, "/refer/sent");
}

constexpr const char* kReferTitle = "Refer a patient";
constexpr const char* kCompleteTitle = "Complete a returned referral";

Response ReferPage(App::Impl& app, Context& ctx) {
  return RenderForm(app, ctx, {"/refer", kReferTitle, {}, {}, {}});
}

Response ReferPost(App::Impl& app, Context& ctx) {
  return PostForm(app, ctx, {"/refer", kReferTitle, {}, {}, {}}, [&](const Submission& s) {
    return workflow::Submit(app.env, ActorOf(*ctx.user), s, app.Now());
  });
}

Response CompletePage(App::Impl& app, Context& ctx) {
  const Referral& r = *ctx.referral;
  if (r.state != ReferralState::kReturnedIncomplete) return Response::Redirect("/referral");
  auto patient = app.store.GetPatient(r.patient_key);
  if (!patient.ok()) return app.Error(ctx, HttpStatusFor(patient.status().code()));
  json body{{"patient", PatientJson(*patient)},
            {"answers", json::object()},
            {"source", std::string(ToString(r.source))}};
  if (auto details = app.store.GetReferralDetails(r.id); details.ok()) {
    json answers = json::parse(details->answers, nullptr, /*allow_exceptions=*/false);
    if (answers.is_object()) body["answers"] = std::move(answers);
  }
  return RenderForm(app, ctx, {"/refer/complete", kCompleteTitle, JsonToForm(body), {}, {}});
}

Response CompletePost(App::Impl& app, Context& ctx) {
  if (ctx.referral->state != ReferralState::kReturnedIncomplete) {
    return Response::Redirect("/referral");
  }
  return PostForm(
      app, ctx, {"/refer/complete", kCompleteTitle, {}, {}, {}}, [&](const Submission& s) {
        return workflow::Resubmit(app.env, ActorOf(*ctx.user), ctx.referral->id, s, app.Now());
      });
}

Response OpenForCompletion(App::Impl& app, Context& ctx) {
  return OpenAt(app, ctx, ctx.referral->id, "/refer/complete");
}

const char* PriorityTagColour(Priority p) {
  switch (p) {
    case Priority::kEmergency:
      return "red";
    case Priority::kUrgent:
      return "orange";
    case Priority::kPostOp:
      return "purple";
    case Priority::kRoutine:
      return "grey";
  }
  return "grey";
}

Response WorklistPage(App::Impl& app, Context& ctx) {
  auto items = Worklist(app, *ctx.user);
  if (!items.ok()) return app.Error(ctx, HttpStatusFor(items.status().code()));
  json returned = json::array();
  json others = json::array();
  for (const WorklistItem& item : *items) {
    const Referral& r = item.referral;
    if (r.state == ReferralState::kReturnedIncomplete) {
      returned.push_back(
          {{"reference", r.id},
           {"missing", item.missing},
           {"due", r.next_action_due ? FormatLondon(*r.next_action_due) : "Not set"}});
    } else {
      others.push_back({{"reference", r.id},
                        {"received", FormatLondon(r.received_at)},
                        {"state", StateLabel(r.state)},
                        {"priority", PriorityLabel(r.priority)},
                        {"priority_colour", PriorityTagColour(r.priority)}});
    }
  }
  return app.Page(ctx, 200, "worklist",
                  {{"page_title", "Your referrals"}, {"returned", returned}, {"others", others}});
}

}  // namespace

void RegisterReferrer(App::Impl& app) {
  auto bind = [&app](Response (*fn)(App::Impl&, Context&)) {
    return [&app, fn](Context& ctx) { return fn(app, ctx); };
  };
  const auto referrer = Access::Roles({Role::kReferrer});
  auto returned = [](const char* action) {
    return Access::PatientData({Role::kReferrer}, Ownership::kReferralInSession, action);
  };
  Router& r = app.router;
  r.Add({Method::kPost, "/api/v1/referrals", referrer, true, bind(ApiSubmit)});
  r.Add({Method::kPost, "/api/v1/referrals/resubmit",
         Access::PatientData({Role::kReferrer}, Ownership::kReferralInBody,
                             "referral.resubmit.request"),
         true, bind(ApiResubmit)});
  r.Add({Method::kGet, "/api/v1/referrals/worklist", referrer, true, bind(ApiWorklist)});
  r.Add({Method::kGet, "/refer", referrer, false, bind(ReferPage)});
  r.Add({Method::kPost, "/refer", referrer, false, bind(ReferPost)});
  r.Add({Method::kGet, "/worklist", referrer, false, bind(WorklistPage)});
  r.Add({Method::kPost, "/worklist/open",
         Access::PatientData({Role::kReferrer}, Ownership::kReferralInBody, "referral.open"), false,
         bind(OpenForCompletion)});
  r.Add({Method::kGet, "/refer/sent", returned("referral.read"), false, bind(Confirmation)});
  r.Add({Method::kGet, "/refer/complete", returned("referral.read"), false, bind(CompletePage)});
  r.Add({Method::kPost, "/refer/complete", returned("referral.resubmit.request"), false,
         bind(CompletePost)});
}

}  // namespace tendon::http
