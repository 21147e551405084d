// Clinical rules as data: a small condition language over a referral's answers, versioned rules
// built from it, and their evaluation into a decision (priority, route, advice, stop) or a list of
// missing items. The rules themselves live in data/rules/ (read by config/rules_loader.h); the
// answers schema, the condition language and how to add a rule version are in data/rules/README.md.
//
// Everything here is pure: no I/O, no clock. The functions may be called from any thread; RuleSet,
// Rule and Condition are values, immutable once built.
#ifndef TENDON_CORE_RULES_H_
#define TENDON_CORE_RULES_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/pathway.h"
#include "core/status.h"
#include "core/time.h"

namespace tendon {

// ---------------------------------------------------------------------------------------------
// The answers: a JSON object describing the referral (data/rules/README.md, "Answers").

enum class AnswerType {
  kEnum,      // A string from `values`.
  kEnumList,  // An array of strings from `values`.
  kInteger,   // A whole number in [min, max].
  kNumber,    // Any number in [min, max].
  kBool,      // true or false.
  kText,      // A string.
  kObject,    // An object whose known members are fields of their own ("redflags").
};

struct AnswerField {
  std::string path;  // Dotted: "redflags.history_of_cancer".
  AnswerType type = AnswerType::kText;
  std::vector<std::string_view> values;  // kEnum, kEnumList.
  double min = 0;                        // kInteger, kNumber.
  double max = 0;
};

// Every known answer field, parents before their members. Unknown keys in answers are allowed (and
// ignored) for forward compatibility; rules may only test known fields.
std::span<const AnswerField> AnswerFields();
// The known field at dotted `path`, or nullptr.
const AnswerField* FindAnswerField(std::string_view path);

// OK when `answers` is a JSON object and every known field in it that is present and not null has
// its type and range. Otherwise InvalidArgument whose field() is the dotted path ("age",
// "redflags.night_pain") and whose message says what is wrong.
Status CheckAnswers(const nlohmann::json& answers);
// Every such error, in schema order (a member of an object that is itself wrongly typed is not
// looked at). Empty when CheckAnswers is OK.
std::vector<Status> AnswerErrors(const nlohmann::json& answers);

// ---------------------------------------------------------------------------------------------
// Conditions.

enum class ConditionForm {
  kEquals,     // {field, equals = v}: the field is v (a list field: contains v).
  kIn,         // {field, in = [..]}: the field is one of them (a list field: contains one).
  kAtLeast,    // {field, at_least = n}: a number >= n.
  kAtMost,     // {field, at_most = n}: a number <= n.
  kIsTrue,     // {field, is_true = true}: the field is true.
  kIsMissing,  // {field, is_missing = true}: absent, null, "", [] or {}.
  kIsPresent,  // {field, is_present = true}: not missing.
  kAll,        // {all = [..]}: every one holds (one or more).
  kAny,        // {any = [..]}: at least one holds (one or more).
  kNot,        // {not = {..}}: the one condition does not hold.
};
// The key that names the form in a rules file: "equals", "all", ...
std::string_view ToString(ConditionForm form);
std::optional<ConditionForm> ConditionFormNamed(std::string_view name);
bool IsGroupForm(ConditionForm form);  // all, any, not.

// A test that needs a value (equals, in, at_least, at_most, is_true) is false when the field is
// missing, so {not = {field = "x", is_true = true}} holds when x is missing.
class Condition {
 public:
  // A condition that never holds (an empty `any`).
  Condition() = default;

  // A test of `field`. InvalidArgument, with a message naming the problem, when `field` is not a
  // known answer field, or `operand` does not fit the form and the field: equals needs a value of
  // the field's type (for an enum, one of its values), in a non-empty array of such values,
  // at_least and at_most a number on a number field, is_true a boolean field; is_true, is_missing
  // and is_present take the operand true.
  static StatusOr<Condition> Test(ConditionForm form, std::string_view field,
                                  nlohmann::json operand);
  // all or any over one or more conditions, or not over exactly one. InvalidArgument otherwise.
  static StatusOr<Condition> Group(ConditionForm form, std::vector<Condition> children);

  ConditionForm form() const { return form_; }
  const std::string& field() const { return field_; }
  const nlohmann::json& operand() const { return operand_; }
  const std::vector<Condition>& children() const { return children_; }

  // Whether the condition holds for `answers`, which must have passed CheckAnswers (a value of the
  // wrong type never holds; it does not throw).
  bool Holds(const nlohmann::json& answers) const;

 private:
  ConditionForm form_ = ConditionForm::kAny;
  std::string field_;
  nlohmann::json operand_;
  std::vector<Condition> children_;
};

// CheckAnswers, then Holds.
StatusOr<bool> Matches(const Condition& condition, const nlohmann::json& answers);

// ---------------------------------------------------------------------------------------------
// Rules.

enum class RuleKind { kRedFlags, kDecisionSupport, kCompleteness };
std::string_view ToString(RuleKind kind);  // "red_flags", "decision_support", "completeness"
StatusOr<RuleKind> ParseRuleKind(std::string_view name, std::string_view field = "kind");

// Where decision support or a red flag sends the patient.
enum class Route {
  kSelfManagement,
  kPhysioline,
  kTier1Physiotherapy,
  kTier2Spinal,
  kTier2UpperLimb,
  kTier2LowerLimb,
  kTier2Hand,
  kPodiatry,
  kOrthotics,
  kInjectionAssessment,
  kPainManagement,
  kSecondaryCare,
  kEmergencyDepartment,
};
std::string_view ToString(Route route);  // "self_management", "tier2_spinal", ...
StatusOr<Route> ParseRoute(std::string_view name, std::string_view field = "route");

// The clinician skills a rule may ask triage for ("rheumatology").
std::span<const std::string_view> TriageSkills();

struct RuleAction {
  std::optional<Priority> priority;
  std::optional<Route> route;
  std::string advice;        // Plain words for the referrer or patient; empty for none.
  bool stop = false;         // Stop the journey: the patient needs care elsewhere now.
  std::string triage_skill;  // One of TriageSkills(), or empty.
};

struct Rule {
  std::string id;  // "RF-CES-1"; with `version`, unique in a rule set.
  int version = 1;
  Date effective_from{};  // Applies to decisions made on or after this London date.
  std::string title;      // Shown to the referrer as the reason.
  std::string rationale;  // Clinical text citing its source ([S2], [service-facts]).
  Condition condition;
  RuleAction action;  // red_flags and decision_support rules.
  // completeness rules: what is missing when the condition holds, and for which referral types.
  std::string missing_item;
  std::vector<ReferralSource> referral_types;
};

// The rules of one kind, in precedence order (first = highest). The versions of one rule are kept
// together, oldest first, with strictly later effective_from dates (the loader checks this).
struct RuleSet {
  RuleKind kind = RuleKind::kRedFlags;
  std::vector<Rule> rules;
};

// The version of each rule in force on London date `day`: the newest one whose effective_from is
// on or before it, in precedence order of the rules' first versions. Rules not yet in force are
// left out.
std::vector<const Rule*> RulesInForce(const RuleSet& rules, Date day);

struct FiredRule {
  std::string rule_id;
  int version = 0;
  std::string title;
  // The rule held but only set a route, and an earlier rule's route won: it adds no advice or
  // reason.
  bool overridden = false;

  friend bool operator==(const FiredRule&, const FiredRule&) = default;
};

struct Decision {
  std::vector<FiredRule> fired;            // Every rule whose condition held, in precedence order.
  Priority priority = Priority::kRoutine;  // The most urgent fired; routine when none.
  std::optional<Route> route;              // From the first fired rule that names one.
  std::string route_rule_id;               // That rule's id; empty when no route.
  std::vector<std::string> advice;         // In precedence order.
  std::vector<std::string> triage_skills;  // Distinct, in precedence order.
  bool stop = false;                       // Any fired rule stops the journey.
  std::vector<std::string> reasons;        // Titles of the fired rules not overridden.
};

// Evaluates the rules in force at `decision_time` against `answers`. The time is read as a London
// date (LondonDate, core/london_time.h: the program checks the zone at start-up).
// InvalidArgument naming the dotted field when CheckAnswers fails; FailedPrecondition when the set
// holds completeness rules.
StatusOr<Decision> Evaluate(const RuleSet& rules, const nlohmann::json& answers,
                            Instant decision_time);
// As above over several sets; earlier sets take precedence, so pass the red flags first and their
// routes win over decision support's.
StatusOr<Decision> Evaluate(std::span<const RuleSet* const> rule_sets,
                            const nlohmann::json& answers, Instant decision_time);

struct MissingItem {
  std::string rule_id;
  int version = 0;
  std::string item;  // "The patient's NHS number"

  friend bool operator==(const MissingItem&, const MissingItem&) = default;
};

// The items missing from a referral of `type`: every completeness rule in force at
// `decision_time` that applies to `type` and whose condition holds, in file order. Errors as
// Evaluate (FailedPrecondition when the set is not completeness rules).
StatusOr<std::vector<MissingItem>> Completeness(const RuleSet& rules, const nlohmann::json& answers,
                                                ReferralSource type, Instant decision_time);

}  // namespace tendon

#endif  // TENDON_CORE_RULES_H_
