#include "config/rules_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/source_dir_for_tests.h"

namespace tendon::config {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(LoadRulesTest, TheThreeRealFilesLoad) {
  StatusOr<Rules> rules = LoadRules(SourceDirForTests() / "data/rules");
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  EXPECT_EQ(rules->red_flags.kind, RuleKind::kRedFlags);
  EXPECT_EQ(rules->decision_support.kind, RuleKind::kDecisionSupport);
  EXPECT_EQ(rules->completeness.kind, RuleKind::kCompleteness);
  ASSERT_FALSE(rules->red_flags.rules.empty());
  EXPECT_FALSE(rules->decision_support.rules.empty());
  EXPECT_FALSE(rules->completeness.rules.empty());
  const Rule& first = rules->red_flags.rules.front();
  EXPECT_EQ(first.id, "RF-CES-1");
  EXPECT_EQ(first.action.priority, Priority::kEmergency);
  EXPECT_EQ(first.action.route, Route::kEmergencyDepartment);
  EXPECT_TRUE(first.action.stop);
  EXPECT_THAT(first.action.advice, HasSubstr("Go to A&E now or call 999"));
  EXPECT_THAT(first.rationale, HasSubstr("[S4]"));
}

TEST(LoadRulesTest, AMissingFileIsNotFound) {
  StatusOr<RuleSet> rules = LoadRuleSet("no/such/red-flags.toml");
  EXPECT_EQ(rules.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(rules.status().message(), HasSubstr("no/such/red-flags.toml"));
}

TEST(LoadRulesTest, AFileOfTheWrongKindIsRefused) {
  std::random_device random;
  const fs::path dir =
      fs::temp_directory_path() / ("tendon_rules_test_" + std::to_string(random()));
  ASSERT_TRUE(fs::create_directory(dir));
  for (const char* name : {"red-flags.toml", "decision-support.toml", "completeness.toml"}) {
    fs::copy_file(SourceDirForTests() / "data/rules" / name, dir / name);
  }
  fs::copy_file(dir / "decision-support.toml", dir / "red-flags.toml",
                fs::copy_options::overwrite_existing);
  StatusOr<Rules> rules = LoadRules(dir);
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  EXPECT_EQ(rules.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(rules.status().message(),
            (dir / "red-flags.toml").string() +
                ": kind: is decision_support; this file must hold red_flags rules");
}

// One rule written key per line: [[rule]] on its first line, then id, version, effective_from,
// title, rationale, condition and action (or missing_item and referral_types), in that order. An
// empty value leaves the key out.
struct RuleText {
  std::string id = "\"RF-X-1\"";
  std::string version = "1";
  std::string effective_from = "2026-01-01";
  std::string title = "\"X\"";
  std::string rationale = "\"Because [S2]\"";
  std::string condition = R"({ field = "redflags.night_pain", is_true = true })";
  std::string action = R"({ priority = "urgent" })";
  std::string extra;  // Any further lines, verbatim.

  std::string Text() const {
    std::string text = "[[rule]]\n";
    const std::pair<const char*, const std::string*> keys[] = {
        {"id", &id},        {"version", &version},     {"effective_from", &effective_from},
        {"title", &title},  {"rationale", &rationale}, {"condition", &condition},
        {"action", &action}};
    for (const auto& [key, value] : keys) {
      if (!value->empty()) text += std::string(key) + " = " + *value + "\n";
    }
    return text + extra;
  }
};

// kind on line 1; the first rule from line 2 (its condition on line 8, action on line 9); the
// second from line 10 (id 11, version 12, effective_from 13).
std::string FileOf(const std::vector<RuleText>& rules, const std::string& kind = "red_flags") {
  std::string text = "kind = \"" + kind + "\"\n";
  for (const RuleText& rule : rules) text += rule.Text();
  return text;
}

RuleText With(std::string RuleText::*member, std::string value) {
  RuleText rule;
  rule.*member = std::move(value);
  return rule;
}

RuleText Version(const std::string& version, const std::string& effective_from) {
  RuleText rule;
  rule.version = version;
  rule.effective_from = effective_from;
  return rule;
}

struct BadRulesCase {
  std::string label;
  std::string text;
  int line;  // 0: no line.
  std::string key;
  std::string reason;  // The start of the reason.
};

std::vector<BadRulesCase> BadRulesCases() {
  using R = RuleText;
  const std::string cond = "\"redflags.night_pain\"";
  return {
      {"not TOML", "kind = \"red_flags\n", 1, "", "not valid TOML"},
      {"no kind", "[[rule]]\n", 0, "kind", "missing; the file must set it"},
      {"unknown kind", FileOf({R()}, "redflags"), 1, "kind",
       "'redflags' is not a kind of rules; expected red_flags, decision_support or completeness"},
      {"no rules", "kind = \"red_flags\"\n", 0, "rule", "missing; the file must set it"},
      {"unknown top-level key", "kind = \"red_flags\"\nrules = 1\n" + R().Text(), 2, "rules",
       "unknown key; expected one of kind, rule"},
      {"unknown condition form", FileOf({With(&R::condition, "{ field = \"age\", equal = 50 }")}),
       8, "rule[1].condition.equal", "unknown condition form 'equal'; a condition is"},
      {"unknown group form", FileOf({With(&R::condition, "{ every = [] }")}), 8,
       "rule[1].condition", "unknown condition form 'every'"},
      {"unknown field root",
       FileOf({With(&R::condition, "{ field = \"redflag.night_pain\", is_true = true }")}), 8,
       "rule[1].condition.field",
       "'redflag.night_pain' is not an answer field: unknown root 'redflag'"},
      {"misspelt red flag",
       FileOf({With(&R::condition, "{ field = \"redflags.cuada\", is_true = true }")}), 8,
       "rule[1].condition.field", "'redflags.cuada' is not an answer field; redflags has"},
      {"value not in the field's list",
       FileOf({With(&R::condition, "{ field = \"source\", equals = \"GP\" }")}), 8,
       "rule[1].condition.equals", "\"GP\" is not a value of source"},
      {"number test on text",
       FileOf({With(&R::condition, "{ field = \"age\", at_least = \"fifty\" }")}), 8,
       "rule[1].condition.at_least", "must be compared with a number"},
      {"a date as a value",
       FileOf({With(&R::condition, "{ field = \"age\", equals = 2026-01-01 }")}), 8,
       "rule[1].condition.equals", "must be a string, a number, true or false"},
      {"two tests in one",
       FileOf({With(&R::condition, "{ field = \"age\", at_least = 1, at_most = 9 }")}), 8,
       "rule[1].condition.at_most", "a test has one form; this one also has at_least"},
      {"a field with no test", FileOf({With(&R::condition, "{ field = \"age\" }")}), 8,
       "rule[1].condition", "names a field but no test"},
      {"not over an array", FileOf({With(&R::condition, "{ not = [] }")}), 8,
       "rule[1].condition.not", "a condition is"},
      {"empty any", FileOf({With(&R::condition, "{ any = [] }")}), 8, "rule[1].condition.any",
       "must be a non-empty array of conditions"},
      {"nested error on its own line",
       FileOf({With(&R::condition, "{ any = [\n  { field = " + cond +
                                       ", is_true = true },\n  { field = \"age\", at_least = "
                                       "true },\n] }")}),
       10, "rule[1].condition.any[2].at_least", "must be compared with a number"},
      {"unknown priority", FileOf({With(&R::action, "{ priority = \"soon\" }")}), 9,
       "rule[1].action.priority",
       "'soon' is not a priority; expected emergency, urgent, post_op or routine"},
      {"unknown route", FileOf({With(&R::action, "{ route = \"a_and_e\" }")}), 9,
       "rule[1].action.route", "'a_and_e' is not a route; expected self_management,"},
      {"unknown triage skill", FileOf({With(&R::action, "{ triage_skill = \"ortho\" }")}), 9,
       "rule[1].action.triage_skill", "'ortho' is not a triage skill; expected rheumatology"},
      {"unknown action key", FileOf({With(&R::action, "{ priority = \"urgent\", colour = 1 }")}), 9,
       "rule[1].action.colour", "unknown key"},
      {"an action that does nothing", FileOf({With(&R::action, "{ stop = false }")}), 9,
       "rule[1].action", "does nothing"},
      {"stop without advice", FileOf({With(&R::action, "{ stop = true }")}), 9,
       "rule[1].action.stop", "a rule that stops the journey must give advice"},
      {"missing action", FileOf({With(&R::action, "")}), 2, "rule[1].action",
       "missing; every red_flags rule must set it"},
      {"missing rationale", FileOf({With(&R::rationale, "")}), 2, "rule[1].rationale",
       "missing; every rule must give its clinical rationale, citing its source"},
      {"rationale without a source", FileOf({With(&R::rationale, "\"Because.\"")}), 7,
       "rule[1].rationale", "must cite its source in square brackets"},
      {"id not in the house form", FileOf({With(&R::id, "\"rf ces\"")}), 3, "rule[1].id",
       "'rf ces' must be upper-case words joined by hyphens"},
      {"version 0", FileOf({With(&R::version, "0")}), 4, "rule[1].version",
       "must be a whole number from 1 to"},
      {"date in quotes", FileOf({With(&R::effective_from, "\"2026-01-01\"")}), 5,
       "rule[1].effective_from", "must be a date without quotes"},
      {"duplicate id and version", FileOf({R(), R()}), 12, "rule[2].version",
       "RF-X-1 version 1 is already defined"},
      {"version not after the previous",
       FileOf({Version("1", "2026-01-01"), Version("2", "2026-01-01")}), 13,
       "rule[2].effective_from",
       "RF-X-1 version 2 takes effect on 2026-01-01, which is not after version 1's 2026-01-01"},
      {"version before the previous",
       FileOf({Version("2", "2026-01-01"), Version("1", "2026-06-01")}), 12, "rule[2].version",
       "RF-X-1 version 1 comes after version 2"},
      {"versions apart", FileOf({R(), With(&R::id, "\"RF-Y-1\""), Version("2", "2026-06-01")}), 19,
       "rule[3].id", "RF-X-1 version 2 must directly follow version 1"},
      {"completeness rule with an action",
       FileOf({With(&R::extra, "missing_item = \"X\"\nreferral_types = [\"gp\"]\n")},
              "completeness"),
       9, "rule[1].action", "unknown key"},
      {"completeness rule for transfers",
       FileOf({[] {
                R rule;
                rule.action.clear();
                rule.extra = "missing_item = \"X\"\nreferral_types = [\"gp\", \"transfer\"]\n";
                return rule;
              }()},
              "completeness"),
       10, "rule[1].referral_types", "'transfer' is not a referral type"},
      {"completeness rule without its item", FileOf({With(&R::action, "")}, "completeness"), 2,
       "rule[1].missing_item", "missing; every completeness rule must set it"},
  };
}

TEST(ParseRuleSetTest, BadFilesAreRefusedWithFileLineAndReason) {
  for (const BadRulesCase& c : BadRulesCases()) {
    StatusOr<RuleSet> rules = ParseRuleSet(c.text, "bad.toml");
    ASSERT_FALSE(rules.ok()) << c.label;
    EXPECT_EQ(rules.status().code(), StatusCode::kInvalidArgument) << c.label;
    std::string prefix = "bad.toml";
    if (c.line > 0) prefix += ":" + std::to_string(c.line);
    prefix += ": ";
    if (!c.key.empty()) prefix += c.key + ": ";
    EXPECT_THAT(rules.status().message(), StartsWith(prefix + c.reason)) << c.label;
  }
}

TEST(ParseRuleSetTest, AGoodFileKeepsFileOrderAndEveryField) {
  RuleText second = Version("2", "2026-06-01");
  second.action = R"({ priority = "emergency", route = "emergency_department", stop = true, )"
                  R"(advice = "Go to A&E now", triage_skill = "rheumatology" })";
  RuleText other;
  other.id = "\"RF-Y-1\"";
  StatusOr<RuleSet> rules = ParseRuleSet(FileOf({RuleText(), second, other}), "good.toml");
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  ASSERT_EQ(rules->rules.size(), 3u);
  const Rule& v2 = rules->rules[1];
  EXPECT_EQ(v2.id, "RF-X-1");
  EXPECT_EQ(v2.version, 2);
  EXPECT_EQ(v2.effective_from, Date(date::year(2026) / 6 / 1));
  EXPECT_EQ(v2.title, "X");
  EXPECT_EQ(v2.rationale, "Because [S2]");
  EXPECT_EQ(v2.condition.form(), ConditionForm::kIsTrue);
  EXPECT_EQ(v2.condition.field(), "redflags.night_pain");
  EXPECT_EQ(v2.action.priority, Priority::kEmergency);
  EXPECT_EQ(v2.action.route, Route::kEmergencyDepartment);
  EXPECT_TRUE(v2.action.stop);
  EXPECT_EQ(v2.action.advice, "Go to A&E now");
  EXPECT_EQ(v2.action.triage_skill, "rheumatology");
  EXPECT_EQ(rules->rules[2].id, "RF-Y-1");
}

}  // namespace
}  // namespace tendon::config
