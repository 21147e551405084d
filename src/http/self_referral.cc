// Self-referral online, one question per page, and by telephone through a coordinator; and the
// JSON API that does the same in one request.
//
// The journey keeps no state on the server: every page is a form that posts to POST
// /self-referral with its `step` and every answer so far as hidden inputs, so it works without
// JavaScript, without an account and without identifiers in addresses. The questions are one table
// (Questions()) that drives the pages, the check-your-answers list and the submission's JSON, which
// goes through workflow::ParseSubmission, so that a page's errors are the API's.
#include <charconv>
#include <map>
#include <string>
#include <vector>

#include "auth/tokens.h"
#include "http/app_internal.h"
#include "http/errors.h"
#include "workflow/intake.h"

namespace tendon::http {
namespace {

using nlohmann::json;
using State = std::map<std::string, std::string>;  // Form name to answer, non-empty only.

constexpr std::string_view kCheckStep = "check";
constexpr std::string_view kHowToTrack =
    "Keep this reference. The MSK service will contact you by phone or email to arrange your "
    "first appointment. If you contact the service about this referral, give the reference.";
constexpr std::string_view kRateLimited =
    "Too many referrals have been sent from this connection. Wait an hour, then try again, or "
    "phone the MSK service";

enum class Kind { kYesNo, kRadios, kCheckboxes, kInputs, kDate };
enum class Value { kText, kNumber, kWhole };

struct Input {
  const char* name;   // The form field and the HTML id.
  std::string key;    // Where the answer goes in the submission: "patient.phone", "answers.side".
  const char* label;  // Also starts its error messages.
  const char* hint = "";
  const char* autocomplete = "off";
  const char* width = "";  // An NHS.UK width class.
  Value value = Value::kText;
  bool long_text = false;          // A textarea.
  const char* required = nullptr;  // The message when left empty; null when optional.
};

struct Question {
  const char* step;
  Kind kind;
  const char* heading;
  const char* hint;
  const char* summary;   // The check-your-answers key.
  const char* required;  // The message when nothing is answered; null when optional.
  std::vector<Input> inputs;
  std::vector<Option> options = {};
  const char* only_if = nullptr;  // A yes/no question that must be answered yes.
  const char* separator = "\n";   // Between the inputs' answers on the check page.
};

Question RedFlag(const char* flag, const char* heading, const char* hint, const char* summary) {
  return Question{
      flag,
      Kind::kYesNo,
      heading,
      hint,
      summary,
      "Select yes or no",
      {{.name = flag, .key = std::string("answers.redflags.") + flag, .label = summary}}};
}

// Red flags first, the signs of cauda equina syndrome at their head, so that an emergency ends the
// journey before anything else is asked (data/rules/red-flags.toml).
std::vector<Question> BuildQuestions() {
  std::vector<Question> q{
      RedFlag("bladder_bowel_dysfunction",
              "Have you had new problems controlling your bladder or bowels?",
              "For example, not being able to pee, not knowing when you need to, or leaking.",
              "Problems controlling bladder or bowels"),
      RedFlag("saddle_anaesthesia", "Do you have numbness around your bottom or genitals?",
              "For example, you cannot feel toilet paper when you wipe.",
              "Numbness around bottom or genitals"),
      RedFlag("bilateral_leg_symptoms", "Do you have pain, numbness or weakness in both legs?", "",
              "Symptoms in both legs"),
      RedFlag(
          "sexual_dysfunction", "Have you had new problems with sex?",
          "For example, loss of feeling in your genitals, or being unable to get an erection or "
          "to ejaculate.",
          "New problems with sex"),
      RedFlag("progressive_neurological_deficit",
              "Is weakness, numbness or difficulty walking getting worse?", "",
              "Weakness, numbness or walking getting worse"),
      RedFlag("history_of_cancer", "Have you ever had cancer?", "", "Ever had cancer"),
      RedFlag("fever_or_systemically_unwell",
              "Do you have a high temperature or feel generally unwell?",
              "For example, you feel hot and shivery.", "High temperature or unwell"),
      RedFlag("immunosuppressed", "Do you have a weakened immune system?",
              "For example, because of chemotherapy, steroid tablets, an organ transplant or HIV.",
              "Weakened immune system"),
      RedFlag("iv_drug_use", "Do you inject drugs that were not prescribed to you?", "",
              "Injects drugs"),
      RedFlag("recent_infection", "Have you had an infection in the last few weeks?",
              "For example, a urine, chest or skin infection.", "Recent infection"),
      RedFlag("unexplained_weight_loss", "Have you lost weight recently without trying?", "",
              "Weight loss without trying"),
      RedFlag("night_pain", "Is the pain bad at night, whatever position you lie in?",
              "For example, it wakes you up or stops you sleeping.", "Pain at night"),
      RedFlag("major_trauma", "Did the problem start after a serious injury?",
              "For example, a car accident or a fall from a height.", "Serious injury"),
      RedFlag(
          "minor_trauma_with_osteoporosis",
          "Did it start after a small fall or knock, and have you been told you have weak bones "
          "(osteoporosis)?",
          "", "Small fall and weak bones"),
      RedFlag("hot_swollen_joint", "Do you have a joint that is hot, swollen and painful?", "",
              "Hot, swollen joint"),
      RedFlag("joint_prosthesis", "Have you had a joint replaced?",
              "For example, a hip or knee replacement.", "Joint replacement"),
      RedFlag("morning_stiffness_over_30_min",
              "Are your joints stiff for more than 30 minutes after you wake up?", "",
              "Morning stiffness over 30 minutes"),
      RedFlag("multiple_swollen_joints", "Are several of your joints swollen?", "",
              "Several swollen joints"),
      RedFlag("small_joints_hands_feet",
              "Are the small joints in your hands or feet painful or swollen?", "",
              "Small joints of hands or feet"),
      RedFlag("new_headache_scalp_tenderness_jaw_claudication",
              "Have you had a new headache, a tender scalp, or jaw pain when you chew?", "",
              "New headache, tender scalp or jaw pain"),
      RedFlag("visual_disturbance", "Have you had any changes in your sight?",
              "For example, blurred or double vision, or losing sight in one eye.",
              "Changes in sight"),
  };
  std::vector<Question> rest{
      {"body_sites",
       Kind::kCheckboxes,
       "Where is the problem?",
       "Select all that apply.",
       "Where the problem is",
       "Select where the problem is",
       {{.name = "body_sites", .key = "answers.body_sites", .label = "Where the problem is"}},
       BodySiteOptions()},
      {"side",
       Kind::kRadios,
       "Which side is it on?",
       "",
       "Side",
       "Select which side it is on",
       {{.name = "side", .key = "answers.side", .label = "Side"}},
       {{"left", "Left"},
        {"right", "Right"},
        {"both", "Both sides"},
        {"not_applicable", "Neither, for example it is in the middle of my back or neck"}}},
      {"duration",
       Kind::kInputs,
       "How long have you had the problem?",
       "",
       "How long, in weeks",
       nullptr,
       {{.name = "duration_weeks",
         .key = "answers.duration_weeks",
         .label = "Number of weeks",
         .hint = "For example, 6. Enter 0 if it is less than a week.",
         .width = "nhsuk-input--width-4",
         .value = Value::kNumber,
         .required = "Enter how many weeks you have had the problem"}}},
      {"severity",
       Kind::kInputs,
       "How bad is the pain or problem at its worst?",
       "",
       "How bad, 0 to 10",
       nullptr,
       {{.name = "severity",
         .key = "answers.severity",
         .label = "Score from 0 to 10",
         .hint = "0 means no pain and 10 means the worst pain you can imagine.",
         .width = "nhsuk-input--width-2",
         .value = Value::kWhole,
         .required = "Enter a score from 0 to 10"}}},
      {"work_impact",
       Kind::kRadios,
       "How much does the problem affect your work?",
       "Include caring, studying and volunteering.",
       "Effect on work",
       "Select how much it affects your work",
       {{.name = "work_impact", .key = "answers.work_impact", .label = "Effect on work"}},
       {{"none", "Not at all, or I do not work"}, {"some", "A little"}, {"severe", "A lot"}}},
      {"daily_life_impact",
       Kind::kRadios,
       "How much does the problem affect your daily life?",
       "For example, washing, dressing, shopping or sleeping.",
       "Effect on daily life",
       "Select how much it affects your daily life",
       {{.name = "daily_life_impact",
         .key = "answers.daily_life_impact",
         .label = "Effect on daily life"}},
       {{"none", "Not at all"}, {"some", "A little"}, {"severe", "A lot"}}},
      {"treatment_so_far",
       Kind::kCheckboxes,
       "What have you tried for it so far?",
       "Select all that apply.",
       "Treatment so far",
       "Select what you have tried, or nothing yet",
       {{.name = "treatment_so_far",
         .key = "answers.treatment_so_far",
         .label = "Treatment so far"}},
       {{"none", "Nothing yet"},
        {"advice", "Advice from a health professional"},
        {"exercise", "Exercises"},
        {"medication", "Painkillers or other medicines"},
        {"physiotherapy", "Physiotherapy"},
        {"injection", "Injections"},
        {"surgery", "An operation"},
        {"other", "Something else"}}},
      {"recent_surgery",
       Kind::kYesNo,
       "Have you had an operation on this part of your body in the last 6 months?",
       "",
       "Operation in the last 6 months",
       "Select yes or no",
       {{.name = "recent_surgery",
         .key = "answers.recent_surgery",
         .label = "Operation in the last 6 months"}}},
      {"surgery_weeks_ago",
       Kind::kInputs,
       "How many weeks ago was the operation?",
       "",
       "Weeks since the operation",
       nullptr,
       {{.name = "surgery_weeks_ago",
         .key = "answers.surgery_weeks_ago",
         .label = "Number of weeks",
         .width = "nhsuk-input--width-4",
         .value = Value::kNumber,
         .required = "Enter how many weeks ago the operation was"}},
       {},
       "recent_surgery"},
      {"name",
       Kind::kInputs,
       "What is your name?",
       "",
       "Name",
       nullptr,
       {{.name = "given_name",
         .key = "patient.given_name",
         .label = "First name",
         .autocomplete = "given-name",
         .width = "nhsuk-u-width-two-thirds",
         .required = "Enter your first name"},
        {.name = "family_name",
         .key = "patient.family_name",
         .label = "Last name",
         .autocomplete = "family-name",
         .width = "nhsuk-u-width-two-thirds",
         .required = "Enter your last name"}},
       {},
       nullptr,
       " "},
      {"date_of_birth",
       Kind::kDate,
       "What is your date of birth?",
       "For example, 31 3 1980",
       "Date of birth",
       "Enter your date of birth",
       {{.name = "dob", .key = "patient.date_of_birth", .label = "Date of birth"}}},
      {"sex",
       Kind::kRadios,
       "What is your sex?",
       "As it is on your NHS record, if you know it.",
       "Sex",
       "Select your sex",
       {{.name = "sex", .key = "patient.sex", .label = "Sex"}},
       {{"female", "Female"},
        {"male", "Male"},
        {"not_known", "I do not know or prefer not to say"}}},
      {"nhs_number",
       Kind::kInputs,
       "What is your NHS number? (optional)",
       "",
       "NHS number",
       nullptr,
       {{.name = "nhs_number",
         .key = "patient.nhs_number",
         .label = "NHS number",
         .hint = "It is 10 digits long, like 485 777 3456. You can find it on the NHS App or on a "
                 "letter from the NHS. Leave it empty if you do not know it.",
         .width = "nhsuk-input--width-10"}}},
      {"postcode",
       Kind::kInputs,
       "What is your postcode?",
       "",
       "Postcode",
       nullptr,
       {{.name = "postcode",
         .key = "patient.postcode",
         .label = "Postcode",
         .autocomplete = "postal-code",
         .width = "nhsuk-input--width-10",
         .required = "Enter your postcode"}}},
      {"contact",
       Kind::kInputs,
       "How can we contact you?",
       "Give a phone number, an email address or both.",
       "Contact details",
       "Enter a phone number or an email address",
       {{.name = "phone",
         .key = "patient.phone",
         .label = "Phone number",
         .autocomplete = "tel",
         .width = "nhsuk-input--width-20"},
        {.name = "email",
         .key = "patient.email",
         .label = "Email address",
         .autocomplete = "email",
         .width = "nhsuk-u-width-two-thirds"}}},
      {"interpreter",
       Kind::kInputs,
       "Do you need an interpreter? (optional)",
       "",
       "Interpreter",
       nullptr,
       {{.name = "interpreter_language",
         .key = "patient.interpreter_language",
         .label = "If you do, which language?",
         .hint = "Include British Sign Language. Leave it empty if you do not need one.",
         .width = "nhsuk-input--width-20"}}},
      {"accessibility",
       Kind::kInputs,
       "Do you need any help to get to or use our service? (optional)",
       "",
       "Accessibility needs",
       nullptr,
       {{.name = "accessibility_needs",
         .key = "patient.accessibility_needs",
         .label = "Tell us what you need",
         .hint = "For example, step-free access, a hearing loop, or someone to come with you.",
         .long_text = true}}},
      {"consent_to_share",
       Kind::kYesNo,
       "Can we share information about this referral with the health professionals who treat you?",
       "This includes your GP. It helps them give you the right care.",
       "Consent to share",
       "Select yes or no",
       {{.name = "consent_to_share",
         .key = "answers.consent_to_share",
         .label = "Consent to share"}}},
  };
  q.insert(q.end(), rest.begin(), rest.end());
  return q;
}

const std::vector<Question>& Questions() {
  static const std::vector<Question> questions = BuildQuestions();
  return questions;
}

const std::vector<Option>& YesNo() {
  static const std::vector<Option> options{{"yes", "Yes"}, {"no", "No"}};
  return options;
}

const std::vector<Option>& OptionsOf(const Question& q) {
  return q.kind == Kind::kYesNo ? YesNo() : q.options;
}

// The form names a question's answer is posted under.
std::vector<std::string> FormNames(const Question& q) {
  std::vector<std::string> names;
  const std::string first = q.inputs[0].name;
  switch (q.kind) {
    case Kind::kCheckboxes:
      for (const Option& o : q.options) names.push_back(first + "-" + o.value);
      break;
    case Kind::kDate:
      for (const char* part : {"-day", "-month", "-year"}) names.push_back(first + part);
      break;
    default:
      for (const Input& input : q.inputs) names.push_back(input.name);
  }
  return names;
}

// The HTML id an error about `input` of `q` links to: its first control.
std::string ControlId(const Question& q, const Input& input) {
  switch (q.kind) {
    case Kind::kInputs:
      return input.name;
    case Kind::kDate:
      return std::string(input.name) + "-day";
    default:
      return std::string(input.name) + "-" + OptionsOf(q)[0].value;
  }
}

bool Visible(const Question& q, const State& state) {
  if (q.only_if == nullptr) return true;
  auto it = state.find(q.only_if);
  return it != state.end() && it->second == "yes";
}

bool Answered(const Question& q, const State& state) {
  for (const std::string& name : FormNames(q)) {
    if (state.contains(name)) return true;
  }
  return false;
}

// A shown question still waiting for a required answer.
bool Unfinished(const Question& q, const State& state) {
  if (!Visible(q, state)) return false;
  if (q.required && !Answered(q, state)) return true;
  for (const Input& input : q.inputs) {
    if (input.required && !state.contains(input.name)) return true;
  }
  return false;
}

int IndexOf(std::string_view step) {
  const auto& questions = Questions();
  for (std::size_t i = 0; i < questions.size(); ++i) {
    if (questions[i].step == step) return static_cast<int>(i);
  }
  return -1;
}

// The next (`direction` 1) or previous (-1) question shown for `state`; -1 past either end.
int Neighbour(int index, int direction, const State& state) {
  const auto& questions = Questions();
  for (int i = index + direction; i >= 0 && i < static_cast<int>(questions.size());
       i += direction) {
    if (Visible(questions[i], state)) return i;
  }
  return -1;
}

State ReadState(const std::map<std::string, std::string>& form) {
  State state;
  for (const Question& q : Questions()) {
    for (const std::string& name : FormNames(q)) {
      auto it = form.find(name);
      if (it != form.end() && !it->second.empty()) state[name] = it->second;
    }
  }
  return state;
}

void Put(json& body, std::string_view key, json value) {
  json* at = &body;
  while (true) {
    const auto dot = key.find('.');
    if (dot == std::string_view::npos) break;
    at = &(*at)[std::string(key.substr(0, dot))];
    key.remove_prefix(dot + 1);
  }
  (*at)[std::string(key)] = std::move(value);
}

std::optional<double> Number(const std::string& text) {
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// "YYYY-MM-DD" from the three boxes, or nullopt when they do not make a real date.
std::optional<std::string> DateFrom(const std::string& day, const std::string& month,
                                    const std::string& year) {
  auto d = Number(day), m = Number(month), y = Number(year);
  if (!d || !m || !y || year.size() != 4) return std::nullopt;
  const date::year_month_day ymd{date::year(static_cast<int>(*y)),
                                 date::month(static_cast<unsigned>(*m)),
                                 date::day(static_cast<unsigned>(*d))};
  if (!ymd.ok() || *d != static_cast<int>(*d) || *m != static_cast<int>(*m)) return std::nullopt;
  return date::format("%F", ymd);
}

// One question's answer into the submission's JSON; a malformed one into `errors`.
void PutAnswer(const Question& q, const State& state, json& body,
               std::vector<workflow::FieldError>& errors) {
  auto get = [&state](const std::string& name) {
    auto it = state.find(name);
    return it == state.end() ? std::string() : it->second;
  };
  const Input& first = q.inputs[0];
  switch (q.kind) {
    case Kind::kYesNo:
    case Kind::kRadios: {
      const std::string v = get(first.name);
      if (v.empty()) return;
      for (const Option& o : OptionsOf(q)) {
        if (v == o.value) Put(body, first.key, q.kind == Kind::kYesNo ? json(v == "yes") : json(v));
      }
      return;
    }
    case Kind::kCheckboxes: {
      json chosen = json::array();
      for (const Option& o : q.options) {
        if (!get(std::string(first.name) + "-" + o.value).empty()) chosen.push_back(o.value);
      }
      if (!chosen.empty()) Put(body, first.key, chosen);
      return;
    }
    case Kind::kDate: {
      const std::string name = first.name;
      const std::string d = get(name + "-day"), m = get(name + "-month"), y = get(name + "-year");
      if (d.empty() && m.empty() && y.empty()) return;
      if (auto text = DateFrom(d, m, y)) {
        Put(body, first.key, *text);
      } else {
        errors.push_back({first.key, "must be a real date, like 31 3 1980"});
      }
      return;
    }
    case Kind::kInputs:
      for (const Input& input : q.inputs) {
        const std::string v = get(input.name);
        if (v.empty()) continue;
        if (input.value == Value::kText) {
          Put(body, input.key, v);
        } else if (auto n = Number(v); n && (input.value == Value::kNumber || *n == int(*n))) {
          Put(body, input.key,
              input.value == Value::kWhole ? json(static_cast<int>(*n)) : json(*n));
        } else {
          errors.push_back({input.key, input.value == Value::kWhole ? "must be a whole number"
                                                                    : "must be a number"});
        }
      }
      return;
  }
}

// The submission the answers so far make, read by the API's own parser: its value, or every
// malformed field with its dotted path.
workflow::Parsed<workflow::Submission> Parse(const State& state, Instant now) {
  json body = json::object();
  std::vector<workflow::FieldError> errors;
  for (const Question& q : Questions()) {
    if (Visible(q, state)) PutAnswer(q, state, body, errors);
  }
  auto parsed = workflow::ParseSubmission(body, ReferralSource::kSelf, now);
  errors.insert(errors.end(), parsed.errors.begin(), parsed.errors.end());
  parsed.errors = std::move(errors);
  if (!parsed.errors.empty()) parsed.value.reset();
  return parsed;
}

// "Postcode is too short", "NHS number: the check digit does not match".
std::string Message(const std::string& label, const std::string& message) {
  for (const char* verb : {"is ", "has ", "must ", "contains "}) {
    if (message.rfind(verb, 0) == 0) return label + " " + message;
  }
  return label + ": " + message;
}

// The page's errors for question `q`: unanswered, or malformed as the API would say.
json StepErrors(const Question& q, const State& state, Instant now) {
  json errors = json::array();
  if (q.required && !Answered(q, state)) {
    errors.push_back({{"field", ControlId(q, q.inputs[0])}, {"message", q.required}});
  }
  for (const Input& input : q.inputs) {
    if (input.required && !state.contains(input.name)) {
      errors.push_back({{"field", ControlId(q, input)}, {"message", input.required}});
    }
  }
  if (!errors.empty()) return errors;
  for (const workflow::FieldError& e : Parse(state, now).errors) {
    for (const Input& input : q.inputs) {
      if (e.field.rfind(input.key, 0) == 0) {
        errors.push_back(
            {{"field", ControlId(q, input)}, {"message", Message(input.label, e.message)}});
      }
    }
  }
  return errors;
}

std::string ErrorFor(const json& errors, const std::string& id) {
  for (const json& e : errors) {
    if (e["field"] == id) return e["message"];
  }
  return "";
}

json Hidden(const State& state, const std::vector<std::string>& except) {
  json hidden = json::array();
  for (const auto& [name, value] : state) {
    if (std::find(except.begin(), except.end(), name) == except.end()) {
      hidden.push_back({{"name", name}, {"value", value}});
    }
  }
  return hidden;
}

bool Telephone(const Context& ctx) { return ctx.user && ctx.user->role == Role::kCoordinator; }

workflow::Actor JourneyActor(const Context& ctx) {
  if (Telephone(ctx)) return {ctx.user->id, Role::kCoordinator, ctx.user->organisation};
  return {std::string(workflow::kPublicActor), Role::kPatient, ""};
}

// The layout's keys common to the journey's pages. Without a session the CSRF token is the
// double-submit cookie's, carried from page to page.
json Common(const Context& ctx, const std::string& title) {
  json data{{"page_title", title},
            {"telephone", Telephone(ctx)},
            {"caption", Telephone(ctx) ? "Telephone self-referral" : "Refer yourself"}};
  if (!ctx.session) {
    auto it = ctx.form.find("csrf_token");
    if (it != ctx.form.end()) data["csrf_token"] = it->second;
  }
  return data;
}

Response QuestionPage(App::Impl& app, const Context& ctx, int index, const State& state,
                      bool checking, json errors) {
  const Question& q = Questions()[index];
  json data = Common(ctx, q.heading);
  const std::vector<std::string> names = FormNames(q);
  auto value = [&state](const std::string& name) {
    auto it = state.find(name);
    return it == state.end() ? std::string() : it->second;
  };
  json options = json::array();
  for (const Option& o : OptionsOf(q)) {
    const std::string id = std::string(q.inputs[0].name) + "-" + o.value;
    const std::string name = q.kind == Kind::kCheckboxes ? id : q.inputs[0].name;
    const bool checked = q.kind == Kind::kCheckboxes ? !value(id).empty() : value(name) == o.value;
    options.push_back(
        {{"id", id}, {"name", name}, {"value", o.value}, {"label", o.label}, {"checked", checked}});
  }
  json inputs = json::array();
  for (const Input& input : q.inputs) {
    inputs.push_back({{"id", input.name},
                      {"label", input.label},
                      {"hint", input.hint},
                      {"value", value(input.name)},
                      {"autocomplete", input.autocomplete},
                      {"width", input.width},
                      {"long_text", input.long_text},
                      {"numeric", input.value != Value::kText},
                      {"error", ErrorFor(errors, input.name)}});
  }
  const std::string first_id = ControlId(q, q.inputs[0]);
  const std::string dob = q.inputs[0].name;
  data.update({{"step", q.step},
               {"heading", q.heading},
               {"hint", q.hint},
               {"checking", checking},
               {"is_choice", q.kind != Kind::kInputs && q.kind != Kind::kDate},
               {"is_checkboxes", q.kind == Kind::kCheckboxes},
               {"is_date", q.kind == Kind::kDate},
               {"is_inputs", q.kind == Kind::kInputs},
               {"options", options},
               {"inputs", inputs},
               {"date",
                {{"id", dob},
                 {"day", value(dob + "-day")},
                 {"month", value(dob + "-month")},
                 {"year", value(dob + "-year")}}},
               {"question_error", q.kind == Kind::kInputs ? "" : ErrorFor(errors, first_id)},
               {"hidden", Hidden(state, names)},
               {"all_hidden", Hidden(state, {})},
               {"errors", errors}});
  return app.Page(ctx, errors.empty() ? 200 : 400, "self_referral_question", std::move(data));
}

std::string AnswerText(const Question& q, const State& state) {
  auto value = [&state](const std::string& name) {
    auto it = state.find(name);
    return it == state.end() ? std::string() : it->second;
  };
  std::string text;
  auto add = [&text](const std::string& part, const char* separator) {
    if (part.empty()) return;
    text += (text.empty() ? "" : separator) + part;
  };
  switch (q.kind) {
    case Kind::kYesNo:
    case Kind::kRadios:
    case Kind::kCheckboxes:
      for (const Option& o : OptionsOf(q)) {
        const std::string id = std::string(q.inputs[0].name) + "-" + o.value;
        if (q.kind == Kind::kCheckboxes ? state.contains(id) : value(q.inputs[0].name) == o.value) {
          add(o.label, ", ");
        }
      }
      break;
    case Kind::kDate: {
      const std::string dob = q.inputs[0].name;
      if (Answered(q, state)) {
        text = value(dob + "-day") + " " + value(dob + "-month") + " " + value(dob + "-year");
      }
      break;
    }
    case Kind::kInputs:
      for (const Input& input : q.inputs) add(value(input.name), q.separator);
  }
  return text.empty() ? "Not given" : text;
}

Response CheckPage(App::Impl& app, const Context& ctx, const State& state, int status,
                   json errors) {
  json data = Common(ctx, "Check your answers before sending your referral");
  json rows = json::array();
  for (const Question& q : Questions()) {
    if (!Visible(q, state)) continue;
    json lines = json::array();
    std::string text = AnswerText(q, state);
    for (std::size_t from = 0, to = 0; from <= text.size(); from = to + 1) {
      to = std::min(text.find('\n', from), text.size());
      lines.push_back(text.substr(from, to - from));
    }
    rows.push_back({{"key", q.summary}, {"lines", lines}, {"step", q.step}});
  }
  data.update({{"rows", rows}, {"hidden", Hidden(state, {})}, {"errors", std::move(errors)}});
  // Decision support, so that the patient sees where they are likely to be seen, and why, before
  // they send the referral.
  if (auto parsed = Parse(state, app.Now()); parsed.value) {
    if (auto decision = workflow::Decide(app.env, *parsed.value, app.Now()); decision.ok()) {
      data["decision"] = DecisionView(*decision);
    }
  }
  return app.Page(ctx, status, "self_referral_check", std::move(data));
}

Response StopPage(App::Impl& app, const Context& ctx, const Decision& decision) {
  json data = Common(ctx, "You need urgent medical help");
  const bool emergency_department =
      decision.route && *decision.route == tendon::Route::kEmergencyDepartment;
  data.update({{"care_heading",
                emergency_department ? "Go to A&E now or call 999" : "Get medical help today"},
               {"advice", decision.advice}});
  return app.Page(ctx, 200, "self_referral_stop", std::move(data));
}

// What a sent self-referral came to: stopped, or registered with a reference.
struct Outcome {
  bool stopped = false;
  Decision decision;
  std::string reference;
  ReferralState state = ReferralState::kAwaitingTriage;
};

// Registers the self-referral, or, for a honeypot hit, works out what the answer would have been
// and saves nothing: a bot learns nothing from the difference.
StatusOr<Outcome> Send(App::Impl& app, const Context& ctx, const workflow::Submission& submission,
                       bool honeypot) {
  const Instant now = app.Now();
  Outcome out;
  if (!honeypot) {
    ASSIGN_OR_RETURN(workflow::IntakeResult result,
                     workflow::Submit(app.env, JourneyActor(ctx), submission, now));
    return Outcome{result.stopped, result.decision, result.referral.id, result.referral.state};
  }
  app.metrics.CountHoneypot();
  ASSIGN_OR_RETURN(out.decision, workflow::Decide(app.env, submission, now));
  out.stopped = out.decision.stop;
  if (out.stopped) return out;
  ASSIGN_OR_RETURN(auto missing,
                   Completeness(app.rules.completeness, workflow::RuleAnswers(submission, now),
                                ReferralSource::kSelf, now));
  out.state = workflow::GoesToTriage(out.decision.priority, missing);
  out.reference = workflow::NewReferralId();
  return out;
}

// True when this address may send another self-referral now (and counts this one). Coordinators
// taking referrals by telephone send many from one address, and are exempt.
bool WithinLimit(App::Impl& app, const Context& ctx) {
  if (Telephone(ctx)) return true;
  const std::string key = "address:" + ctx.request.remote_address;
  const Instant now = app.Now();
  if (!app.self_referral_throttle.Allowed(key, now)) return false;
  app.self_referral_throttle.RecordFailure(key, now);
  return true;
}

void SetRetryAfter(Response& response) {
  response.headers["Retry-After"] = std::to_string(kSelfReferralWindow.count());
}

Response DonePage(App::Impl& app, const Context& ctx, const Outcome& outcome) {
  json data = Common(ctx, "Referral sent");
  data.update({{"reference", outcome.reference},
               {"returned", outcome.state == ReferralState::kReturnedIncomplete},
               {"how_to_track", kHowToTrack}});
  return app.Page(ctx, 200, "self_referral_done", std::move(data));
}

Response SubmitJourney(App::Impl& app, Context& ctx, const State& state) {
  auto parsed = Parse(state, app.Now());
  if (!parsed.value) {
    json errors = json::array();
    for (const workflow::FieldError& e : parsed.errors) {
      errors.push_back({{"field", ""}, {"message", e.field + " " + e.message}});
    }
    return CheckPage(app, ctx, state, 400, errors);
  }
  if (!WithinLimit(app, ctx)) {
    Response r =
        CheckPage(app, ctx, state, 429, json::array({{{"field", ""}, {"message", kRateLimited}}}));
    SetRetryAfter(r);
    return r;
  }
  auto outcome = Send(app, ctx, *parsed.value, !ctx.form["website"].empty());
  if (!outcome.ok()) return app.Error(ctx, HttpStatusFor(outcome.status().code()));
  if (outcome->stopped) return StopPage(app, ctx, outcome->decision);
  return DonePage(app, ctx, *outcome);
}

// After a question is answered: the emergency stop when the answers so far call for it (the
// attempt is recorded by workflow::Submit), or the next page.
Response Continue(App::Impl& app, Context& ctx, int index, const State& state, bool checking) {
  const Question& q = Questions()[index];
  json errors = StepErrors(q, state, app.Now());
  if (!errors.empty()) return QuestionPage(app, ctx, index, state, checking, errors);
  auto parsed = Parse(state, app.Now());
  if (parsed.value) {
    auto decision = workflow::Decide(app.env, *parsed.value, app.Now());
    if (!decision.ok()) return app.Error(ctx, HttpStatusFor(decision.status().code()));
    if (decision->stop) {
      auto outcome = Send(app, ctx, *parsed.value, /*honeypot=*/false);
      if (!outcome.ok()) return app.Error(ctx, HttpStatusFor(outcome.status().code()));
      return StopPage(app, ctx, outcome->decision);
    }
  }
  const auto& questions = Questions();
  int next = Neighbour(index, 1, state);
  if (checking) {  // Back to the check page, unless a newly shown question needs an answer.
    next = -1;
    for (int i = 0; i < static_cast<int>(questions.size()) && next < 0; ++i) {
      if (Unfinished(questions[i], state)) next = i;
    }
  }
  if (next < 0) return CheckPage(app, ctx, state, 200, json::array());
  return QuestionPage(app, ctx, next, state, checking, json::array());
}

Response StartPage(App::Impl& app, Context& ctx) {
  json data = Common(ctx, Telephone(ctx) ? "Telephone self-referral"
                                         : "Refer yourself for physiotherapy or MSK care");
  if (ctx.session) return app.Page(ctx, 200, "self_referral_start", std::move(data));
  const std::string csrf = auth::RandomToken();
  data["csrf_token"] = csrf;
  Response response = app.Page(ctx, 200, "self_referral_start", std::move(data));
  response.headers["Set-Cookie"] = std::string(kFormCsrfCookie) + "=" + csrf +
                                   "; Path=/self-referral; HttpOnly; SameSite=Strict" +
                                   (app.config.secure_cookies ? "; Secure" : "");
  return response;
}

// Every page of the journey posts here: `step` says which page, `action` which button.
Response Journey(App::Impl& app, Context& ctx) {
  const State state = ReadState(ctx.form);
  const std::string step = ctx.form["step"];
  const std::string action = ctx.form["action"];
  const bool checking = !ctx.form["checking"].empty();
  if (auto change = ctx.form.find("change"); change != ctx.form.end()) {
    const int index = IndexOf(change->second);
    if (index < 0) return app.Error(ctx, 400);
    return QuestionPage(app, ctx, index, state, /*checking=*/true, json::array());
  }
  if (step == "start") return QuestionPage(app, ctx, 0, state, false, json::array());
  if (step == kCheckStep) {
    if (action == "back") {
      const int last = Neighbour(static_cast<int>(Questions().size()), -1, state);
      return QuestionPage(app, ctx, last, state, false, json::array());
    }
    return SubmitJourney(app, ctx, state);
  }
  const int index = IndexOf(step);
  if (index < 0) return app.Error(ctx, 400);
  if (action == "back") {
    const int previous = Neighbour(index, -1, state);
    if (previous < 0) return StartPage(app, ctx);
    return QuestionPage(app, ctx, previous, state, checking, json::array());
  }
  return Continue(app, ctx, index, state, checking);
}

Response ApiSubmit(App::Impl& app, Context& ctx) {
  if (!WithinLimit(app, ctx)) {
    Response r = JsonError(429, "ResourceExhausted", std::string(kRateLimited));
    SetRetryAfter(r);
    return r;
  }
  json body = ctx.json;
  std::string website;
  if (auto it = body.find("website"); it != body.end()) {
    if (!it->is_string() && !it->is_null()) {
      return JsonFieldErrors({{"website", "must be text"}});
    }
    if (it->is_string()) website = it->get<std::string>();
    body.erase(it);
  }
  auto parsed = workflow::ParseSubmission(body, ReferralSource::kSelf, app.Now());
  if (!parsed.value) return JsonFieldErrors(parsed.errors);
  auto outcome = Send(app, ctx, *parsed.value, !website.empty());
  if (!outcome.ok()) return JsonError(outcome.status());
  if (outcome->stopped) {
    json rules = json::array();
    for (const FiredRule& rule : outcome->decision.fired) {
      rules.push_back({{"rule_id", rule.rule_id}, {"version", rule.version}});
    }
    return Response::Json(
        200,
        json{{"stopped", true}, {"advice", outcome->decision.advice}, {"rules", rules}}.dump());
  }
  return Response::Json(201, json{{"reference", outcome->reference},
                                  {"state", std::string(ToString(outcome->state))},
                                  {"how_to_track", kHowToTrack}}
                                 .dump());
}

}  // namespace

void RegisterSelfReferral(App::Impl& app) {
  auto bind = [&app](Response (*fn)(App::Impl&, Context&)) {
    return [&app, fn](Context& ctx) { return fn(app, ctx); };
  };
  Router& r = app.router;
  // Public: anyone may refer themselves; a coordinator's session makes it a telephone referral.
  r.Add({Method::kGet, "/self-referral", Access::Public(), false, bind(StartPage)});
  r.Add({Method::kPost, "/self-referral", Access::Public(), false, bind(Journey)});
  r.Add({Method::kPost, "/api/v1/self-referrals", Access::Public(), true, bind(ApiSubmit)});
}

}  // namespace tendon::http
