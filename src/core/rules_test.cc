#include "core/rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "date/date.h"

namespace tendon {
namespace {

using F = ConditionForm;
using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Condition MustTest(F form, std::string_view field, json operand) {
  StatusOr<Condition> condition = Condition::Test(form, field, std::move(operand));
  EXPECT_TRUE(condition.ok()) << condition.status().ToString();
  return condition.ok() ? *condition : Condition();
}

Condition MustGroup(F form, std::vector<Condition> children) {
  StatusOr<Condition> condition = Condition::Group(form, std::move(children));
  EXPECT_TRUE(condition.ok()) << condition.status().ToString();
  return condition.ok() ? *condition : Condition();
}

Condition Flag(std::string_view name) {
  return MustTest(F::kIsTrue, "redflags." + std::string(name), true);
}

Instant At(std::string_view text) {
  StatusOr<Instant> t = ParseInstant(text);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? *t : Instant{};
}

Date Day(int y, int m, int d) { return date::year(y) / m / d; }

Rule MakeRule(std::string id, int version, Date from, Condition condition, RuleAction action) {
  Rule rule;
  rule.title = id + " v" + std::to_string(version);
  rule.id = std::move(id);
  rule.version = version;
  rule.effective_from = from;
  rule.rationale = "test rule [S1]";
  rule.condition = std::move(condition);
  rule.action = std::move(action);
  return rule;
}

// A rule action; the test helper avoids designated initialisers, which GCC's -Wextra flags when
// members are left out.
RuleAction Act(std::optional<Priority> priority, std::optional<Route> route,
               std::string advice = "", bool stop = false, std::string skill = "") {
  RuleAction action;
  action.priority = priority;
  action.route = route;
  action.advice = std::move(advice);
  action.stop = stop;
  action.triage_skill = std::move(skill);
  return action;
}

struct FormCase {
  std::string label;
  Condition condition;
  std::string answers;
  bool holds;
};

std::vector<FormCase> FormCases() {
  const Condition gp = MustTest(F::kEquals, "source", "gp");
  const Condition knee = MustTest(F::kEquals, "body_sites", "knee");
  const Condition age50 = MustTest(F::kEquals, "age", 50);
  const Condition six_weeks = MustTest(F::kEquals, "duration_weeks", 6);
  const Condition no_consent = MustTest(F::kEquals, "consent_to_share", false);
  const Condition left_or_both = MustTest(F::kIn, "side", json{"left", "both"});
  const Condition spine = MustTest(F::kIn, "body_sites", json{"neck", "lower_back"});
  const Condition over50 = MustTest(F::kAtLeast, "age", 50);
  const Condition mild = MustTest(F::kAtMost, "severity", 3);
  const Condition long_standing = MustTest(F::kAtLeast, "duration_weeks", 12);
  const Condition night = Flag("night_pain");
  const Condition no_nhs = MustTest(F::kIsMissing, "patient.nhs_number", true);
  const Condition no_sites = MustTest(F::kIsMissing, "body_sites", true);
  const Condition no_flags = MustTest(F::kIsMissing, "redflags", true);
  const Condition named = MustTest(F::kIsPresent, "patient.name", true);
  const Condition both = MustGroup(F::kAll, {over50, night});
  const Condition either = MustGroup(F::kAny, {over50, night});
  const Condition not_night = MustGroup(F::kNot, {night});
  const Condition cancer_unchecked = MustGroup(
      F::kAll,
      {Flag("history_of_cancer"), MustGroup(F::kNot, {Flag("cancer_risk_evaluated_low")})});
  return {
      {"equals: same value", gp, R"({"source": "gp"})", true},
      {"equals: other value", gp, R"({"source": "self"})", false},
      {"equals: missing", gp, R"({})", false},
      {"equals on a list: contains", knee, R"({"body_sites": ["hip", "knee"]})", true},
      {"equals on a list: does not contain", knee, R"({"body_sites": ["hip"]})", false},
      {"equals: whole number", age50, R"({"age": 50})", true},
      {"equals: 6 is 6.0", six_weeks, R"({"duration_weeks": 6.0})", true},
      {"equals false: false", no_consent, R"({"consent_to_share": false})", true},
      {"equals false: missing is not false", no_consent, R"({})", false},
      {"in: one of them", left_or_both, R"({"side": "both"})", true},
      {"in: none of them", left_or_both, R"({"side": "right"})", false},
      {"in on a list: shares one", spine, R"({"body_sites": ["knee", "neck"]})", true},
      {"in on a list: shares none", spine, R"({"body_sites": ["knee"]})", false},
      {"at_least: equal", over50, R"({"age": 50})", true},
      {"at_least: below", over50, R"({"age": 49})", false},
      {"at_least: missing", over50, R"({})", false},
      {"at_least: fraction above", long_standing, R"({"duration_weeks": 12.5})", true},
      {"at_most: equal", mild, R"({"severity": 3})", true},
      {"at_most: above", mild, R"({"severity": 4})", false},
      {"is_true: true", night, R"({"redflags": {"night_pain": true}})", true},
      {"is_true: false", night, R"({"redflags": {"night_pain": false}})", false},
      {"is_true: missing", night, R"({"redflags": {}})", false},
      {"is_true: no checklist", night, R"({})", false},
      {"is_missing: absent", no_nhs, R"({"patient": {"name": "A"}})", true},
      {"is_missing: null", no_nhs, R"({"patient": {"nhs_number": null}})", true},
      {"is_missing: empty text", no_nhs, R"({"patient": {"nhs_number": ""}})", true},
      {"is_missing: no patient", no_nhs, R"({})", true},
      {"is_missing: given", no_nhs, R"({"patient": {"nhs_number": "9434765919"}})", false},
      {"is_missing: empty list", no_sites, R"({"body_sites": []})", true},
      {"is_missing: empty object", no_flags, R"({"redflags": {}})", true},
      {"is_present: given", named, R"({"patient": {"name": "A"}})", true},
      {"is_present: absent", named, R"({"patient": {}})", false},
      {"all: both", both, R"({"age": 60, "redflags": {"night_pain": true}})", true},
      {"all: one", both, R"({"age": 60, "redflags": {"night_pain": false}})", false},
      {"any: one", either, R"({"age": 30, "redflags": {"night_pain": true}})", true},
      {"any: none", either, R"({"age": 30})", false},
      {"not: missing counts as not true", not_night, R"({})", true},
      {"not: true", not_night, R"({"redflags": {"night_pain": true}})", false},
      {"nested: cancer, tick missing", cancer_unchecked,
       R"({"redflags": {"history_of_cancer": true}})", true},
      {"nested: cancer, tick given", cancer_unchecked,
       R"({"redflags": {"history_of_cancer": true, "cancer_risk_evaluated_low": true}})", false},
      {"default condition never holds", Condition(), R"({"age": 1})", false},
  };
}

TEST(ConditionTest, EachFormHoldsAsTheTableSays) {
  for (const FormCase& c : FormCases()) {
    StatusOr<bool> holds = Matches(c.condition, json::parse(c.answers));
    ASSERT_TRUE(holds.ok()) << c.label << ": " << holds.status().ToString();
    EXPECT_EQ(*holds, c.holds) << c.label;
  }
}

struct BadTestCase {
  std::string label;
  F form;
  std::string field;
  json operand;
  std::string message;
};

TEST(ConditionTest, RefusesTestsThatDoNotFitTheField) {
  const std::vector<BadTestCase> cases = {
      {"unknown root", F::kEquals, "colour", "red",
       "'colour' is not an answer field: unknown root 'colour'; the roots are source, age,"},
      {"misspelt red flag", F::kIsTrue, "redflags.cuada_equina", true,
       "'redflags.cuada_equina' is not an answer field; redflags has bladder_bowel_dysfunction,"},
      {"member of a number", F::kEquals, "age.years", 3,
       "'age.years' is not an answer field: age is a whole number, with no members"},
      {"enum value typo", F::kEquals, "source", "GP",
       "\"GP\" is not a value of source; expected gp, self, fcp or hospital"},
      {"list value typo", F::kIn, "body_sites", json{"knees"}, "\"knees\" is not a value"},
      {"in with no values", F::kIn, "side", json::array(), "in must be a non-empty array"},
      {"in on true or false", F::kIn, "recent_surgery", json{true}, "in cannot test"},
      {"at_least on a choice", F::kAtLeast, "side", 1,
       "at_least needs a number field; side is a choice from a fixed list"},
      {"at_most with text", F::kAtMost, "age", "50", "must be compared with a number"},
      {"equals number with text", F::kEquals, "severity", "7",
       "severity is a whole number; compare it with a number"},
      {"is_true on a number", F::kIsTrue, "age", true,
       "is_true needs a true-or-false field; age is a whole number"},
      {"is_true = false", F::kIsTrue, "recent_surgery", false,
       "is_true must be written is_true = true; to test for false, use equals = false"},
      {"is_missing = false", F::kIsMissing, "age", false, "is_missing must be written"},
      {"equals on a group", F::kEquals, "redflags", true, "test one of its members instead"},
      {"a group form", F::kAll, "age", 1, "all groups conditions; it names no field"},
  };
  for (const BadTestCase& c : cases) {
    StatusOr<Condition> condition = Condition::Test(c.form, c.field, c.operand);
    ASSERT_FALSE(condition.ok()) << c.label;
    EXPECT_EQ(condition.status().code(), StatusCode::kInvalidArgument) << c.label;
    EXPECT_THAT(condition.status().message(), HasSubstr(c.message)) << c.label;
  }
}

TEST(ConditionTest, RefusesMalformedGroups) {
  const Condition night = Flag("night_pain");
  EXPECT_THAT(Condition::Group(F::kNot, {night, night}).status().message(),
              HasSubstr("not takes exactly one condition"));
  EXPECT_THAT(Condition::Group(F::kAny, {}).status().message(),
              HasSubstr("any needs at least one condition"));
  EXPECT_THAT(Condition::Group(F::kEquals, {night}).status().message(),
              HasSubstr("equals tests a field; it is not a group"));
}

struct BadAnswersCase {
  std::string label;
  std::string answers;
  std::string field;
  std::string message;
};

TEST(AnswersTest, WrongTypesAreRefusedNamingTheField) {
  const std::vector<BadAnswersCase> cases = {
      {"not an object", R"([1, 2])", "answers", "must be a JSON object"},
      {"age as text", R"({"age": "forty"})", "age", "must be a whole number from 0 to 130"},
      {"age with a fraction", R"({"age": 40.5})", "age", "must be a whole number"},
      {"age out of range", R"({"age": 440})", "age", "440 is out of range: must be from 0 to 130"},
      {"severity above 10", R"({"severity": 11})", "severity", "must be from 0 to 10"},
      {"negative duration", R"({"duration_weeks": -2})", "duration_weeks", "out of range"},
      {"source typo", R"({"source": "GP"})", "source",
       "'GP' is not one of gp, self, fcp or hospital"},
      {"body sites as text", R"({"body_sites": "knee"})", "body_sites",
       "must be an array of neck,"},
      {"unknown body site", R"({"body_sites": ["knee", "toe"]})", "body_sites",
       "'toe' is not one of"},
      {"red flags as text", R"({"redflags": "none"})", "redflags", "must be a JSON object"},
      {"red flag as yes", R"({"redflags": {"night_pain": "yes"}})", "redflags.night_pain",
       "must be true or false"},
      {"consent as 1", R"({"consent_to_share": 1})", "consent_to_share", "must be true or false"},
      {"NHS number as a number", R"({"patient": {"nhs_number": 9434765919}})", "patient.nhs_number",
       "must be text"},
      {"requested service typo", R"({"requested_service": "injection"})", "requested_service",
       "'injection' is not one of self_management,"},
  };
  for (const BadAnswersCase& c : cases) {
    const Status status = CheckAnswers(json::parse(c.answers));
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << c.label;
    EXPECT_EQ(status.field(), c.field) << c.label;
    EXPECT_THAT(status.message(), HasSubstr(c.message)) << c.label;
  }
}

TEST(AnswersTest, AnswerErrorsListsEveryWrongField) {
  const auto errors = AnswerErrors(
      json::parse(R"({"age": -1, "severity": 11, "redflags": {"night_pain": "yes"}})"));
  std::vector<std::string> fields;
  for (const Status& e : errors) fields.push_back(e.field());
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre("age", "severity", "redflags.night_pain"));
  EXPECT_TRUE(AnswerErrors(json::parse(R"({"age": 40})")).empty());
  EXPECT_EQ(AnswerErrors(json::array()).size(), 1u);
}

TEST(AnswersTest, UnknownKeysAndNullsAreAccepted) {
  const json answers = json::parse(R"({
    "favourite_colour": "blue",
    "redflags": {"a_question_added_later": true, "night_pain": null},
    "age": null,
    "patient": {"interpreter": "Polish"}
  })");
  EXPECT_TRUE(CheckAnswers(answers).ok()) << CheckAnswers(answers).ToString();
}

TEST(AnswersTest, EveryRedFlagOfTheChecklistIsAField) {
  int flags = 0;
  for (const AnswerField& field : AnswerFields()) {
    if (field.path.starts_with("redflags.")) {
      EXPECT_EQ(field.type, AnswerType::kBool) << field.path;
      ++flags;
    }
  }
  EXPECT_EQ(flags, 22);
  ASSERT_NE(FindAnswerField("redflags.cancer_risk_evaluated_low"), nullptr);
  EXPECT_EQ(FindAnswerField("redflags.unknown"), nullptr);
}

// T-1 has two versions; T-2 starts later. The same answers fire whichever version is in force.
RuleSet VersionedRules() {
  RuleSet rules;
  rules.kind = RuleKind::kRedFlags;
  rules.rules.push_back(MakeRule("T-1", 1, Day(2026, 1, 1), Flag("night_pain"),
                                 Act(Priority::kUrgent, std::nullopt)));
  rules.rules.push_back(MakeRule("T-1", 2, Day(2026, 6, 1), Flag("night_pain"),
                                 Act(Priority::kEmergency, std::nullopt)));
  rules.rules.push_back(MakeRule("T-2", 1, Day(2026, 3, 1), Flag("night_pain"),
                                 Act(Priority::kPostOp, std::nullopt)));
  return rules;
}

struct VersionCase {
  std::string label;
  std::string time;
  std::vector<FiredRule> fired;
  Priority priority;
};

TEST(EvaluateTest, ANewVersionAppliesOnlyFromItsEffectiveDate) {
  const RuleSet rules = VersionedRules();
  const json answers = json::parse(R"({"redflags": {"night_pain": true}})");
  const FiredRule v1{"T-1", 1, "T-1 v1", false};
  const FiredRule v2{"T-1", 2, "T-1 v2", false};
  const FiredRule t2{"T-2", 1, "T-2 v1", false};
  const std::vector<VersionCase> cases = {
      {"before any rule", "2025-12-31T23:59:59Z", {}, Priority::kRoutine},
      {"first day of v1", "2026-01-01T00:00:00Z", {v1}, Priority::kUrgent},
      {"T-2 joins", "2026-03-01T00:00:00Z", {v1, t2}, Priority::kUrgent},
      {"23:59 BST on 31 May", "2026-05-31T22:59:00Z", {v1, t2}, Priority::kUrgent},
      {"00:00 BST on 1 June", "2026-05-31T23:00:00Z", {v2, t2}, Priority::kEmergency},
      {"a year later", "2027-06-01T12:00:00Z", {v2, t2}, Priority::kEmergency},
  };
  for (const VersionCase& c : cases) {
    StatusOr<Decision> decision = Evaluate(rules, answers, At(c.time));
    ASSERT_TRUE(decision.ok()) << c.label << ": " << decision.status().ToString();
    EXPECT_EQ(decision->fired, c.fired) << c.label;
    EXPECT_EQ(decision->priority, c.priority) << c.label;
  }
}

TEST(EvaluateTest, RulesInForceKeepPrecedenceAcrossVersions) {
  const RuleSet rules = VersionedRules();
  const std::vector<const Rule*> in_force = RulesInForce(rules, Day(2026, 7, 1));
  ASSERT_EQ(in_force.size(), 2u);
  EXPECT_EQ(in_force[0]->id, "T-1");
  EXPECT_EQ(in_force[0]->version, 2);
  EXPECT_EQ(in_force[1]->id, "T-2");
}

// Rules that all fire on night pain, named by letter; a case lists them in file order.
std::map<std::string, RuleAction> PrecedenceActions() {
  return {
      {"A", Act(std::nullopt, Route::kPhysioline, "A advice")},
      {"B", Act(Priority::kUrgent, Route::kTier2Spinal, "B advice")},
      {"C", Act(std::nullopt, Route::kSelfManagement, "C advice")},
      {"D", Act(Priority::kEmergency, std::nullopt, "D advice", true)},
      {"F", Act(Priority::kPostOp, std::nullopt, "", false, "rheumatology")},
  };
}

// The rules of PrecedenceActions named in `order`, in that order.
RuleSet InOrder(const std::vector<std::string>& order) {
  const std::map<std::string, RuleAction> actions = PrecedenceActions();
  RuleSet rules;
  for (const std::string& name : order) {
    rules.rules.push_back(MakeRule(name, 1, Day(2026, 1, 1), Flag("night_pain"), actions.at(name)));
  }
  return rules;
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

struct PrecedenceCase {
  std::vector<std::string> order;
  std::optional<Route> route;
  std::string route_rule;
  Priority priority;
  std::vector<std::string> overridden;
  std::vector<std::string> advice;
};

TEST(EvaluateTest, TheFirstRouteWinsAndTheMostUrgentPriorityIsKept) {
  const std::vector<PrecedenceCase> cases = {
      {{"A", "B", "C"},
       Route::kPhysioline,
       "A",
       Priority::kUrgent,
       {"C"},
       {"A advice", "B advice"}},
      {{"B", "A", "C"}, Route::kTier2Spinal, "B", Priority::kUrgent, {"A", "C"}, {"B advice"}},
      {{"C", "F", "D"},
       Route::kSelfManagement,
       "C",
       Priority::kEmergency,
       {},
       {"C advice", "D advice"}},
      {{"F"}, std::nullopt, "", Priority::kPostOp, {}, {}},
  };
  const json answers = json::parse(R"({"redflags": {"night_pain": true}})");
  for (const PrecedenceCase& c : cases) {
    StatusOr<Decision> decision = Evaluate(InOrder(c.order), answers, At("2026-02-01T09:00:00Z"));
    ASSERT_TRUE(decision.ok()) << decision.status().ToString();
    const std::string label = "order " + ::testing::PrintToString(c.order);
    EXPECT_EQ(decision->route, c.route) << label;
    EXPECT_EQ(decision->route_rule_id, c.route_rule) << label;
    EXPECT_EQ(decision->priority, c.priority) << label;
    EXPECT_EQ(decision->advice, c.advice) << label;
    std::vector<std::string> reasons;
    for (const std::string& name : c.order) {
      if (!Contains(c.overridden, name)) reasons.push_back(name + " v1");
    }
    EXPECT_EQ(decision->reasons, reasons) << label;
    ASSERT_EQ(decision->fired.size(), c.order.size()) << label;
    for (const FiredRule& fired : decision->fired) {
      EXPECT_EQ(fired.overridden, Contains(c.overridden, fired.rule_id)) << label << fired.rule_id;
    }
  }
}

TEST(EvaluateTest, StopsAndTriageSkillsAreCollected) {
  RuleSet rules;
  const std::map<std::string, RuleAction> actions = PrecedenceActions();
  for (const char* name : {"D", "F", "A"}) {
    rules.rules.push_back(MakeRule(name, 1, Day(2026, 1, 1), Flag("night_pain"), actions.at(name)));
  }
  rules.rules.push_back(MakeRule("E", 1, Day(2026, 1, 1), Flag("major_trauma"),
                                 Act(Priority::kUrgent, std::nullopt)));
  StatusOr<Decision> decision = Evaluate(
      rules, json::parse(R"({"redflags": {"night_pain": true}})"), At("2026-02-01T09:00:00Z"));
  ASSERT_TRUE(decision.ok()) << decision.status().ToString();
  EXPECT_TRUE(decision->stop);
  EXPECT_EQ(decision->priority, Priority::kEmergency);
  EXPECT_THAT(decision->triage_skills, ElementsAre("rheumatology"));
  EXPECT_THAT(decision->reasons, ElementsAre("D v1", "F v1", "A v1"));
}

TEST(EvaluateTest, RedFlagRoutesWinOverDecisionSupport) {
  RuleSet red_flags;
  red_flags.rules.push_back(
      MakeRule("RF", 1, Day(2026, 1, 1), Flag("saddle_anaesthesia"),
               Act(Priority::kEmergency, Route::kEmergencyDepartment, "Go to A&E now", true)));
  RuleSet support;
  support.kind = RuleKind::kDecisionSupport;
  support.rules.push_back(MakeRule("DS", 1, Day(2026, 1, 1),
                                   MustTest(F::kIn, "body_sites", json{"lower_back"}),
                                   Act(std::nullopt, Route::kPhysioline, "Physioline")));
  const std::vector<const RuleSet*> both{&red_flags, &support};
  const json answers =
      json::parse(R"({"body_sites": ["lower_back"], "redflags": {"saddle_anaesthesia": true}})");
  StatusOr<Decision> decision = Evaluate(both, answers, At("2026-02-01T09:00:00Z"));
  ASSERT_TRUE(decision.ok()) << decision.status().ToString();
  EXPECT_EQ(decision->route, Route::kEmergencyDepartment);
  EXPECT_TRUE(decision->stop);
  EXPECT_THAT(decision->advice, ElementsAre("Go to A&E now"));
  EXPECT_THAT(decision->fired,
              ElementsAre(FiredRule{"RF", 1, "RF v1", false}, FiredRule{"DS", 1, "DS v1", true}));
}

TEST(EvaluateTest, WrongTypedAnswersAreRefusedNamingTheField) {
  const RuleSet rules = VersionedRules();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"redflags": {"night_pain": "yes"}})", "redflags.night_pain"},
      {R"({"age": "sixty"})", "age"},
      {R"({"body_sites": ["knee", 3]})", "body_sites"},
  };
  for (const auto& [answers, field] : cases) {
    StatusOr<Decision> decision = Evaluate(rules, json::parse(answers), At("2026-02-01T09:00:00Z"));
    ASSERT_FALSE(decision.ok()) << answers;
    EXPECT_EQ(decision.status().code(), StatusCode::kInvalidArgument) << answers;
    EXPECT_EQ(decision.status().field(), field) << answers;
  }
}

TEST(EvaluateTest, RuleSetsOfTheWrongKindAreRefused) {
  RuleSet completeness;
  completeness.kind = RuleKind::kCompleteness;
  const Instant t = At("2026-02-01T09:00:00Z");
  EXPECT_EQ(Evaluate(completeness, json::object(), t).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(Completeness(VersionedRules(), json::object(), ReferralSource::kGp, t).status().code(),
            StatusCode::kFailedPrecondition);
}

RuleSet CompletenessRules() {
  RuleSet rules;
  rules.kind = RuleKind::kCompleteness;
  Rule nhs = MakeRule("C-NHS", 1, Day(2026, 1, 1),
                      MustTest(F::kIsMissing, "patient.nhs_number", true), {});
  nhs.missing_item = "NHS number";
  nhs.referral_types = {ReferralSource::kGp, ReferralSource::kFcp, ReferralSource::kHospital};
  Rule name =
      MakeRule("C-NAME", 1, Day(2026, 1, 1), MustTest(F::kIsMissing, "patient.name", true), {});
  name.missing_item = "Name";
  name.referral_types = {ReferralSource::kGp, ReferralSource::kSelf, ReferralSource::kFcp,
                         ReferralSource::kHospital};
  Rule later =
      MakeRule("C-LATER", 1, Day(2027, 1, 1), MustTest(F::kIsMissing, "patient.email", true), {});
  later.missing_item = "Email";
  later.referral_types = name.referral_types;
  rules.rules = {nhs, name, later};
  return rules;
}

struct CompletenessCase {
  std::string label;
  ReferralSource type;
  std::string answers;
  std::vector<MissingItem> missing;
};

TEST(CompletenessTest, ListsTheItemsMissingForTheReferralType) {
  const MissingItem nhs{"C-NHS", 1, "NHS number"};
  const MissingItem name{"C-NAME", 1, "Name"};
  const std::vector<CompletenessCase> cases = {
      {"GP, nothing given", ReferralSource::kGp, R"({})", {nhs, name}},
      {"self, nothing given", ReferralSource::kSelf, R"({})", {name}},
      {"hospital, name given", ReferralSource::kHospital, R"({"patient": {"name": "A"}})", {nhs}},
      {"FCP, complete",
       ReferralSource::kFcp,
       R"({"patient": {"name": "A", "nhs_number": "9434765919"}})",
       {}},
      {"transfer: no rule applies", ReferralSource::kTransfer, R"({})", {}},
  };
  const RuleSet rules = CompletenessRules();
  for (const CompletenessCase& c : cases) {
    StatusOr<std::vector<MissingItem>> missing =
        Completeness(rules, json::parse(c.answers), c.type, At("2026-02-01T09:00:00Z"));
    ASSERT_TRUE(missing.ok()) << c.label << ": " << missing.status().ToString();
    EXPECT_EQ(*missing, c.missing) << c.label;
  }
  StatusOr<std::vector<MissingItem>> bad =
      Completeness(rules, json::parse(R"({"patient": {"name": 7}})"), ReferralSource::kGp,
                   At("2026-02-01T09:00:00Z"));
  EXPECT_EQ(bad.status().field(), "patient.name");
}

TEST(RuleNamesTest, EveryNameParsesBackAndUnknownNamesAreRefused) {
  for (int i = 0; i <= static_cast<int>(Route::kEmergencyDepartment); ++i) {
    const Route route = static_cast<Route>(i);
    StatusOr<Route> parsed = ParseRoute(ToString(route));
    ASSERT_TRUE(parsed.ok()) << ToString(route);
    EXPECT_EQ(*parsed, route);
  }
  for (RuleKind kind : {RuleKind::kRedFlags, RuleKind::kDecisionSupport, RuleKind::kCompleteness}) {
    EXPECT_EQ(*ParseRuleKind(ToString(kind)), kind);
  }
  for (int i = 0; i <= static_cast<int>(F::kNot); ++i) {
    const F form = static_cast<F>(i);
    EXPECT_EQ(ConditionFormNamed(ToString(form)), form);
  }
  EXPECT_THAT(ParseRoute("a_and_e").status().message(),
              HasSubstr("'a_and_e' is not a route; expected self_management,"));
  EXPECT_EQ(ConditionFormNamed("equal"), std::nullopt);
}

}  // namespace
}  // namespace tendon
