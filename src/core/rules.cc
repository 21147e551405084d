#include "core/rules.h"

#include <algorithm>
#include <array>
#include <utility>

#include "core/enum_names.h"
#include "core/london_time.h"
#include "fmt/format.h"

namespace tendon {
namespace {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Names.

constexpr std::array<EnumName<ConditionForm>, 10> kFormNames{{
    {ConditionForm::kEquals, "equals"},
    {ConditionForm::kIn, "in"},
    {ConditionForm::kAtLeast, "at_least"},
    {ConditionForm::kAtMost, "at_most"},
    {ConditionForm::kIsTrue, "is_true"},
    {ConditionForm::kIsMissing, "is_missing"},
    {ConditionForm::kIsPresent, "is_present"},
    {ConditionForm::kAll, "all"},
    {ConditionForm::kAny, "any"},
    {ConditionForm::kNot, "not"},
}};

constexpr std::array<EnumName<RuleKind>, 3> kKindNames{{
    {RuleKind::kRedFlags, "red_flags"},
    {RuleKind::kDecisionSupport, "decision_support"},
    {RuleKind::kCompleteness, "completeness"},
}};

constexpr std::array<EnumName<Route>, 13> kRouteNames{{
    {Route::kSelfManagement, "self_management"},
    {Route::kPhysioline, "physioline"},
    {Route::kTier1Physiotherapy, "tier1_physiotherapy"},
    {Route::kTier2Spinal, "tier2_spinal"},
    {Route::kTier2UpperLimb, "tier2_upper_limb"},
    {Route::kTier2LowerLimb, "tier2_lower_limb"},
    {Route::kTier2Hand, "tier2_hand"},
    {Route::kPodiatry, "podiatry"},
    {Route::kOrthotics, "orthotics"},
    {Route::kInjectionAssessment, "injection_assessment"},
    {Route::kPainManagement, "pain_management"},
    {Route::kSecondaryCare, "secondary_care"},
    {Route::kEmergencyDepartment, "emergency_department"},
}};

constexpr std::array<std::string_view, 1> kTriageSkills{"rheumatology"};

// ---------------------------------------------------------------------------------------------
// The answers schema (data/rules/README.md, "Answers").

constexpr std::array<std::string_view, 4> kSources{"gp", "self", "fcp", "hospital"};
constexpr std::array<std::string_view, 10> kBodySites{
    "neck",       "upper_back", "lower_back", "shoulder",   "elbow",
    "wrist_hand", "hip",        "knee",       "ankle_foot", "multiple"};
constexpr std::array<std::string_view, 4> kSides{"left", "right", "both", "not_applicable"};
constexpr std::array<std::string_view, 3> kImpacts{"none", "some", "severe"};
constexpr std::array<std::string_view, 8> kTreatments{
    "none", "advice", "exercise", "medication", "physiotherapy", "injection", "surgery", "other"};
constexpr std::array<std::string_view, 2> kUrgencies{"routine", "urgent"};
constexpr std::array<std::string_view, 22> kRedFlags{
    "bladder_bowel_dysfunction",
    "saddle_anaesthesia",
    "bilateral_leg_symptoms",
    "progressive_neurological_deficit",
    "sexual_dysfunction",
    "history_of_cancer",
    "cancer_risk_evaluated_low",
    "unexplained_weight_loss",
    "night_pain",
    "fever_or_systemically_unwell",
    "immunosuppressed",
    "iv_drug_use",
    "recent_infection",
    "major_trauma",
    "minor_trauma_with_osteoporosis",
    "hot_swollen_joint",
    "joint_prosthesis",
    "morning_stiffness_over_30_min",
    "multiple_swollen_joints",
    "small_joints_hands_feet",
    "new_headache_scalp_tenderness_jaw_claudication",
    "visual_disturbance",
};
constexpr std::array<std::string_view, 7> kPatientFields{
    "nhs_number", "name", "date_of_birth", "sex", "postcode", "phone", "email"};

// Upper limits that catch typing slips (an age of 440, a duration in days typed as weeks for a
// century), not clinical thresholds.
constexpr double kMaxAgeYears = 130;
constexpr double kMaxSeverity = 10;
constexpr double kMaxWeeks = 5200;

std::vector<AnswerField> BuildSchema() {
  std::vector<AnswerField> fields;
  auto add = [&fields](std::string path, AnswerType type,
                       std::span<const std::string_view> values = {}, double max = 0) {
    fields.push_back({std::move(path), type, {values.begin(), values.end()}, 0, max});
  };
  std::vector<std::string_view> routes;
  for (const auto& entry : kRouteNames) routes.push_back(entry.name);
  using T = AnswerType;
  add("source", T::kEnum, kSources);
  add("age", T::kInteger, {}, kMaxAgeYears);
  add("body_sites", T::kEnumList, kBodySites);
  add("side", T::kEnum, kSides);
  add("duration_weeks", T::kNumber, {}, kMaxWeeks);
  add("severity", T::kInteger, {}, kMaxSeverity);
  add("work_impact", T::kEnum, kImpacts);
  add("daily_life_impact", T::kEnum, kImpacts);
  add("treatment_so_far", T::kEnumList, kTreatments);
  add("redflags", T::kObject);
  for (std::string_view flag : kRedFlags) add("redflags." + std::string(flag), T::kBool);
  add("recent_surgery", T::kBool);
  add("surgery_weeks_ago", T::kNumber, {}, kMaxWeeks);
  add("requested_service", T::kEnum, routes);
  add("urgency", T::kEnum, kUrgencies);
  add("consent_to_share", T::kBool);
  add("patient", T::kObject);
  for (std::string_view name : kPatientFields) add("patient." + std::string(name), T::kText);
  return fields;
}

const std::vector<AnswerField>& Schema() {
  static const std::vector<AnswerField> schema = BuildSchema();
  return schema;
}

// "a, b or c".
std::string ListOf(std::span<const std::string_view> names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += (i + 1 == names.size()) ? " or " : ", ";
    out += names[i];
  }
  return out;
}

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

// The value at dotted `path`, or nullptr when a step is absent or not an object.
const json* Lookup(const json& root, std::string_view path) {
  const json* node = &root;
  while (node->is_object()) {
    const std::size_t dot = path.find('.');
    const auto it = node->find(std::string(path.substr(0, dot)));
    if (it == node->end()) return nullptr;
    node = &*it;
    if (dot == std::string_view::npos) return node;
    path.remove_prefix(dot + 1);
  }
  return nullptr;
}

bool IsMissing(const json* value) {
  if (value == nullptr || value->is_null()) return true;
  if (value->is_string()) return value->get_ref<const std::string&>().empty();
  if (value->is_array() || value->is_object()) return value->empty();
  return false;
}

bool IsOneOf(const json& value, std::span<const std::string_view> values) {
  if (!value.is_string()) return false;
  const std::string& text = value.get_ref<const std::string&>();
  return std::find(values.begin(), values.end(), text) != values.end();
}

std::string Range(const AnswerField& field) {
  return fmt::format("from {:g} to {:g}", field.min, field.max);
}

Status BadAnswer(const AnswerField& field, std::string message) {
  return InvalidArgumentError(std::move(message), field.path);
}

Status CheckEnumValue(const AnswerField& field, const json& value) {
  if (IsOneOf(value, field.values)) return OkStatus();
  const std::string shown =
      value.is_string() ? Quoted(value.get_ref<const std::string&>()) : value.dump();
  return BadAnswer(field, shown + " is not one of " + ListOf(field.values));
}

Status CheckNumber(const AnswerField& field, const json& value) {
  const bool whole = field.type == AnswerType::kInteger;
  if (whole ? !value.is_number_integer() : !value.is_number()) {
    return BadAnswer(
        field, std::string(whole ? "must be a whole number " : "must be a number ") + Range(field));
  }
  const double x = value.get<double>();
  if (!(x >= field.min && x <= field.max)) {
    return BadAnswer(field,
                     fmt::format("{} is out of range: must be {}", value.dump(), Range(field)));
  }
  return OkStatus();
}

Status CheckAnswerValue(const AnswerField& field, const json& value) {
  switch (field.type) {
    case AnswerType::kEnum:
      return CheckEnumValue(field, value);
    case AnswerType::kEnumList:
      if (!value.is_array()) return BadAnswer(field, "must be an array of " + ListOf(field.values));
      for (const json& element : value) RETURN_IF_ERROR(CheckEnumValue(field, element));
      return OkStatus();
    case AnswerType::kInteger:
    case AnswerType::kNumber:
      return CheckNumber(field, value);
    case AnswerType::kBool:
      return value.is_boolean() ? OkStatus() : BadAnswer(field, "must be true or false");
    case AnswerType::kText:
      return value.is_string() ? OkStatus() : BadAnswer(field, "must be text (a JSON string)");
    case AnswerType::kObject:
      return value.is_object() ? OkStatus() : BadAnswer(field, "must be a JSON object");
  }
  return OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Building conditions.

std::string_view TypeName(AnswerType type) {
  switch (type) {
    case AnswerType::kEnum:
      return "a choice from a fixed list";
    case AnswerType::kEnumList:
      return "a list of choices";
    case AnswerType::kInteger:
      return "a whole number";
    case AnswerType::kNumber:
      return "a number";
    case AnswerType::kBool:
      return "true or false";
    case AnswerType::kText:
      return "text";
    case AnswerType::kObject:
      return "a group of fields";
  }
  return "unknown";
}

// The names of the known fields under `parent` ("" for the roots).
std::vector<std::string_view> ChildrenOf(std::string_view parent) {
  std::vector<std::string_view> names;
  for (const AnswerField& field : Schema()) {
    std::string_view path = field.path;
    if (!parent.empty()) {
      if (!path.starts_with(parent) || path.size() <= parent.size() || path[parent.size()] != '.')
        continue;
      path.remove_prefix(parent.size() + 1);
    }
    if (path.find('.') == std::string_view::npos) names.push_back(path);
  }
  return names;
}

StatusOr<const AnswerField*> KnownField(std::string_view path) {
  if (const AnswerField* field = FindAnswerField(path)) return field;
  const std::string_view root = path.substr(0, path.find('.'));
  const AnswerField* parent = FindAnswerField(root);
  if (parent == nullptr || root == path) {
    return InvalidArgumentError(Quoted(path) + " is not an answer field: unknown root " +
                                Quoted(root) + "; the roots are " + ListOf(ChildrenOf("")));
  }
  if (parent->type != AnswerType::kObject) {
    return InvalidArgumentError(Quoted(path) + " is not an answer field: " + std::string(root) +
                                " is " + std::string(TypeName(parent->type)) + ", with no members");
  }
  return InvalidArgumentError(Quoted(path) + " is not an answer field; " + std::string(root) +
                              " has " + ListOf(ChildrenOf(root)));
}

// A value `equals` or `in` may compare `field` with.
Status CheckComparable(const AnswerField& field, const json& value) {
  const std::string what = field.path + " is " + std::string(TypeName(field.type));
  switch (field.type) {
    case AnswerType::kEnum:
    case AnswerType::kEnumList:
      if (IsOneOf(value, field.values)) return OkStatus();
      return InvalidArgumentError(value.dump() + " is not a value of " + field.path +
                                  "; expected " + ListOf(field.values));
    case AnswerType::kInteger:
    case AnswerType::kNumber:
      if (value.is_number()) return OkStatus();
      return InvalidArgumentError(what + "; compare it with a number, not " + value.dump());
    case AnswerType::kBool:
      if (value.is_boolean()) return OkStatus();
      return InvalidArgumentError(what + "; compare it with true or false, not " + value.dump());
    case AnswerType::kText:
      if (value.is_string()) return OkStatus();
      return InvalidArgumentError(what + "; compare it with a string, not " + value.dump());
    case AnswerType::kObject:
      break;
  }
  return InvalidArgumentError(what + "; test one of its members instead");
}

Status CheckFlagOperand(ConditionForm form, const json& operand) {
  if (operand == json(true)) return OkStatus();
  const std::string name(ToString(form));
  std::string hint =
      form == ConditionForm::kIsTrue ? "; to test for false, use equals = false" : "";
  return InvalidArgumentError(name + " must be written " + name + " = true" + hint);
}

Status CheckInOperand(const AnswerField& field, const json& operand) {
  if (field.type == AnswerType::kBool || field.type == AnswerType::kObject ||
      field.type == AnswerType::kNumber) {
    return InvalidArgumentError("in cannot test " + field.path + ", which is " +
                                std::string(TypeName(field.type)));
  }
  if (!operand.is_array() || operand.empty()) {
    return InvalidArgumentError("in must be a non-empty array of values");
  }
  for (const json& value : operand) RETURN_IF_ERROR(CheckComparable(field, value));
  return OkStatus();
}

Status CheckOperand(ConditionForm form, const AnswerField& field, const json& operand) {
  switch (form) {
    case ConditionForm::kEquals:
      return CheckComparable(field, operand);
    case ConditionForm::kIn:
      return CheckInOperand(field, operand);
    case ConditionForm::kAtLeast:
    case ConditionForm::kAtMost:
      if (field.type != AnswerType::kInteger && field.type != AnswerType::kNumber) {
        return InvalidArgumentError(std::string(ToString(form)) + " needs a number field; " +
                                    field.path + " is " + std::string(TypeName(field.type)));
      }
      if (!operand.is_number()) return InvalidArgumentError("must be compared with a number");
      return OkStatus();
    case ConditionForm::kIsTrue:
      if (field.type != AnswerType::kBool) {
        return InvalidArgumentError("is_true needs a true-or-false field; " + field.path + " is " +
                                    std::string(TypeName(field.type)));
      }
      return CheckFlagOperand(form, operand);
    case ConditionForm::kIsMissing:
    case ConditionForm::kIsPresent:
      return CheckFlagOperand(form, operand);
    default:
      return InternalError("not a test form");
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluating conditions.

// `value` equals `operand`, or (an array) contains it. Numbers compare by value (3 == 3.0).
bool EqualsOrContains(const json& value, const json& operand) {
  if (!value.is_array()) return value == operand;
  return std::find(value.begin(), value.end(), operand) != value.end();
}

bool TestHolds(ConditionForm form, const json& operand, const json* value) {
  if (form == ConditionForm::kIsMissing) return IsMissing(value);
  if (form == ConditionForm::kIsPresent) return !IsMissing(value);
  if (value == nullptr || value->is_null()) return false;
  switch (form) {
    case ConditionForm::kEquals:
      return EqualsOrContains(*value, operand);
    case ConditionForm::kIn:
      return std::any_of(operand.begin(), operand.end(),
                         [value](const json& o) { return EqualsOrContains(*value, o); });
    case ConditionForm::kAtLeast:
      return value->is_number() && value->get<double>() >= operand.get<double>();
    case ConditionForm::kAtMost:
      return value->is_number() && value->get<double>() <= operand.get<double>();
    case ConditionForm::kIsTrue:
      return value->is_boolean() && value->get<bool>();
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Decisions.

void AddDistinct(std::vector<std::string>& list, const std::string& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

void Apply(const Rule& rule, Decision& decision) {
  const RuleAction& action = rule.action;
  const bool route_only = !action.priority && !action.stop && action.triage_skill.empty();
  const bool overridden = action.route && decision.route && route_only;
  decision.fired.push_back({rule.id, rule.version, rule.title, overridden});
  if (action.priority && *action.priority < decision.priority) decision.priority = *action.priority;
  if (action.route && !decision.route) {
    decision.route = action.route;
    decision.route_rule_id = rule.id;
  }
  decision.stop = decision.stop || action.stop;
  if (overridden) return;
  if (!action.advice.empty()) decision.advice.push_back(action.advice);
  if (!action.triage_skill.empty()) AddDistinct(decision.triage_skills, action.triage_skill);
  decision.reasons.push_back(rule.title);
}

Status RequireKind(const RuleSet& rules, bool completeness, std::string_view caller) {
  if ((rules.kind == RuleKind::kCompleteness) == completeness) return OkStatus();
  return FailedPreconditionError(std::string(caller) + " cannot use " +
                                 std::string(ToString(rules.kind)) + " rules");
}

}  // namespace

// ---------------------------------------------------------------------------------------------

std::span<const AnswerField> AnswerFields() { return Schema(); }

const AnswerField* FindAnswerField(std::string_view path) {
  for (const AnswerField& field : Schema()) {
    if (field.path == path) return &field;
  }
  return nullptr;
}

std::vector<Status> AnswerErrors(const json& answers) {
  if (!answers.is_object()) return {InvalidArgumentError("must be a JSON object", "answers")};
  std::vector<Status> errors;
  for (const AnswerField& field : Schema()) {
    const json* value = Lookup(answers, field.path);
    if (value == nullptr || value->is_null()) continue;
    if (Status status = CheckAnswerValue(field, *value); !status.ok()) {
      errors.push_back(std::move(status));
    }
  }
  return errors;
}

Status CheckAnswers(const json& answers) {
  std::vector<Status> errors = AnswerErrors(answers);
  return errors.empty() ? OkStatus() : errors.front();
}

std::string_view ToString(ConditionForm form) { return NameIn(kFormNames, form); }

std::optional<ConditionForm> ConditionFormNamed(std::string_view name) {
  return ValueIn(kFormNames, name);
}

bool IsGroupForm(ConditionForm form) {
  return form == ConditionForm::kAll || form == ConditionForm::kAny || form == ConditionForm::kNot;
}

StatusOr<Condition> Condition::Test(ConditionForm form, std::string_view field, json operand) {
  if (IsGroupForm(form)) {
    return InvalidArgumentError(std::string(ToString(form)) +
                                " groups conditions; it names no field");
  }
  ASSIGN_OR_RETURN(const AnswerField* known, KnownField(field));
  RETURN_IF_ERROR(CheckOperand(form, *known, operand));
  Condition condition;
  condition.form_ = form;
  condition.field_ = std::string(field);
  condition.operand_ = std::move(operand);
  return condition;
}

StatusOr<Condition> Condition::Group(ConditionForm form, std::vector<Condition> children) {
  const std::string name(ToString(form));
  if (!IsGroupForm(form)) return InvalidArgumentError(name + " tests a field; it is not a group");
  if (form == ConditionForm::kNot && children.size() != 1) {
    return InvalidArgumentError("not takes exactly one condition");
  }
  if (children.empty()) return InvalidArgumentError(name + " needs at least one condition");
  Condition condition;
  condition.form_ = form;
  condition.children_ = std::move(children);
  return condition;
}

bool Condition::Holds(const json& answers) const {
  const auto holds = [&answers](const Condition& c) { return c.Holds(answers); };
  switch (form_) {
    case ConditionForm::kAll:
      return std::all_of(children_.begin(), children_.end(), holds);
    case ConditionForm::kAny:
      return std::any_of(children_.begin(), children_.end(), holds);
    case ConditionForm::kNot:
      return !children_.empty() && !children_.front().Holds(answers);
    default:
      return TestHolds(form_, operand_, Lookup(answers, field_));
  }
}

StatusOr<bool> Matches(const Condition& condition, const json& answers) {
  RETURN_IF_ERROR(CheckAnswers(answers));
  return condition.Holds(answers);
}

std::string_view ToString(RuleKind kind) { return NameIn(kKindNames, kind); }
StatusOr<RuleKind> ParseRuleKind(std::string_view name, std::string_view field) {
  return ParseIn(kKindNames, name, field, "kind of rules");
}

std::string_view ToString(Route route) { return NameIn(kRouteNames, route); }
StatusOr<Route> ParseRoute(std::string_view name, std::string_view field) {
  return ParseIn(kRouteNames, name, field, "route");
}

std::span<const std::string_view> TriageSkills() { return kTriageSkills; }

std::vector<const Rule*> RulesInForce(const RuleSet& rules, Date day) {
  std::vector<const Rule*> in_force;
  for (const Rule& rule : rules.rules) {
    if (rule.effective_from > day) continue;
    const auto same = std::find_if(in_force.begin(), in_force.end(),
                                   [&rule](const Rule* r) { return r->id == rule.id; });
    if (same == in_force.end()) {
      in_force.push_back(&rule);
    } else if (rule.effective_from > (*same)->effective_from) {
      *same = &rule;
    }
  }
  return in_force;
}

StatusOr<Decision> Evaluate(const RuleSet& rules, const json& answers, Instant decision_time) {
  const std::array<const RuleSet*, 1> one{&rules};
  return Evaluate(one, answers, decision_time);
}

StatusOr<Decision> Evaluate(std::span<const RuleSet* const> rule_sets, const json& answers,
                            Instant decision_time) {
  for (const RuleSet* rules : rule_sets) RETURN_IF_ERROR(RequireKind(*rules, false, "Evaluate"));
  RETURN_IF_ERROR(CheckAnswers(answers));
  const Date day = LondonDate(decision_time);
  Decision decision;
  for (const RuleSet* rules : rule_sets) {
    for (const Rule* rule : RulesInForce(*rules, day)) {
      if (rule->condition.Holds(answers)) Apply(*rule, decision);
    }
  }
  return decision;
}

StatusOr<std::vector<MissingItem>> Completeness(const RuleSet& rules, const json& answers,
                                                ReferralSource type, Instant decision_time) {
  RETURN_IF_ERROR(RequireKind(rules, true, "Completeness"));
  RETURN_IF_ERROR(CheckAnswers(answers));
  std::vector<MissingItem> missing;
  for (const Rule* rule : RulesInForce(rules, LondonDate(decision_time))) {
    const auto& types = rule->referral_types;
    if (std::find(types.begin(), types.end(), type) == types.end()) continue;
    if (rule->condition.Holds(answers)) {
      missing.push_back({rule->id, rule->version, rule->missing_item});
    }
  }
  return missing;
}

}  // namespace tendon
