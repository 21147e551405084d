#include "config/rules_loader.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/csv.h"
#include "config/service.h"
#include "config/toml_reader.h"
#include "core/enum_names.h"

namespace tendon::config {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kMaxVersion = 1'000'000;
// Deeper nesting is a mistake in a hand-written rule, and the limit keeps recursion bounded.
constexpr int kMaxConditionDepth = 16;

constexpr std::string_view kConditionForms =
    "a condition is { field = \"...\" } with one of equals, in, at_least, at_most, is_true, "
    "is_missing or is_present; or { all = [...] }, { any = [...] } or { not = {...} }";

int LineOf(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

// A TOML value as JSON: a string, number or boolean, or an array of those.
std::optional<json> ToJson(const toml::node& node, bool allow_array = true) {
  if (const auto* s = node.as_string()) return json(s->get());
  if (const auto* i = node.as_integer()) return json(i->get());
  if (const auto* f = node.as_floating_point()) return json(f->get());
  if (const auto* b = node.as_boolean()) return json(b->get());
  const toml::array* array = node.as_array();
  if (array == nullptr || !allow_array) return std::nullopt;
  json out = json::array();
  for (const toml::node& element : *array) {
    std::optional<json> value = ToJson(element, false);
    if (!value) return std::nullopt;
    out.push_back(std::move(*value));
  }
  return out;
}

// Reads the condition language of data/rules/README.md from TOML tables, inline or not.
class ConditionReader {
 public:
  explicit ConditionReader(std::string_view file) : file_(file) {}

  StatusOr<Condition> Read(const toml::node& node, const std::string& path, int depth) const {
    if (depth > kMaxConditionDepth) {
      return Error(node, path,
                   "conditions nest more than " + std::to_string(kMaxConditionDepth) + " deep");
    }
    const toml::table* table = node.as_table();
    if (table == nullptr || table->empty()) return Error(node, path, kConditionForms);
    if (table->contains("field")) return ReadTest(*table, path);
    if (table->size() != 1) {
      return Error(node, path,
                   "a group has exactly one key, all, any or not; " + std::string(kConditionForms));
    }
    // toml++'s iterator yields a proxy pair of references: copy what is needed out of it.
    const auto entry = table->begin();
    const std::string key(entry->first.str());
    const toml::node& value = entry->second;
    const std::optional<ConditionForm> form = ConditionFormNamed(key);
    if (!form) {
      return Error(value, path,
                   "unknown condition form " + Quoted(key) + "; " + std::string(kConditionForms));
    }
    if (!IsGroupForm(*form)) {
      return Error(value, path + "." + key,
                   "names no field to test; write { field = \"...\", " + key + " = ... }");
    }
    return ReadGroup(*form, value, path + "." + key, depth);
  }

 private:
  Status Error(const toml::node& node, const std::string& key, std::string_view reason) const {
    return FileError(file_, LineOf(node), key, reason);
  }

  StatusOr<Condition> ReadGroup(ConditionForm form, const toml::node& value,
                                const std::string& path, int depth) const {
    std::vector<Condition> children;
    if (form == ConditionForm::kNot) {
      ASSIGN_OR_RETURN(Condition child, Read(value, path, depth + 1));
      children.push_back(std::move(child));
    } else {
      const toml::array* array = value.as_array();
      if (array == nullptr || array->empty()) {
        return Error(value, path, "must be a non-empty array of conditions");
      }
      for (std::size_t i = 0; i < array->size(); ++i) {
        const std::string child_path = path + "[" + std::to_string(i + 1) + "]";
        ASSIGN_OR_RETURN(Condition child, Read((*array)[i], child_path, depth + 1));
        children.push_back(std::move(child));
      }
    }
    StatusOr<Condition> group = Condition::Group(form, std::move(children));
    if (!group.ok()) return Error(value, path, group.status().message());
    return group;
  }

  // The one test key of a { field = ..., <form> = ... } table.
  StatusOr<std::pair<ConditionForm, const toml::node*>> TestKey(const toml::table& table,
                                                                const std::string& path) const {
    std::optional<std::pair<ConditionForm, const toml::node*>> found;
    for (const auto& [key, value] : table) {
      if (key.str() == "field") continue;
      const std::optional<ConditionForm> form = ConditionFormNamed(key.str());
      const std::string where = path + "." + std::string(key.str());
      if (!form || IsGroupForm(*form)) {
        return Error(
            value, where,
            "unknown condition form " + Quoted(key.str()) + "; " + std::string(kConditionForms));
      }
      if (found) {
        return Error(value, where,
                     "a test has one form; this one also has " +
                         std::string(ToString(found->first)) + " (combine tests with all = [...])");
      }
      found.emplace(*form, &value);
    }
    if (!found)
      return Error(table, path, "names a field but no test; " + std::string(kConditionForms));
    return *found;
  }

  StatusOr<Condition> ReadTest(const toml::table& table, const std::string& path) const {
    const toml::node& field_node = *table.get("field");
    const auto* field = field_node.as_string();
    if (field == nullptr || field->get().empty()) {
      return Error(field_node, path + ".field", "must be a dotted answer field in double quotes");
    }
    ASSIGN_OR_RETURN(auto test, TestKey(table, path));
    const auto [form, operand_node] = test;
    const std::string operand_path = path + "." + std::string(ToString(form));
    std::optional<json> operand = ToJson(*operand_node);
    if (!operand) {
      return Error(*operand_node, operand_path,
                   "must be a string, a number, true or false, or an array of them");
    }
    StatusOr<Condition> condition = Condition::Test(form, field->get(), std::move(*operand));
    if (condition.ok()) return condition;
    const bool unknown_field = FindAnswerField(field->get()) == nullptr;
    return Error(unknown_field ? field_node : *operand_node,
                 unknown_field ? path + ".field" : operand_path, condition.status().message());
  }

  std::string_view file_;
};

// ---------------------------------------------------------------------------------------------
// Rules.

// Upper-case letters and digits in words joined by single hyphens: "RF-CES-1".
bool IsRuleId(std::string_view id) {
  if (id.empty() || id.front() < 'A' || id.front() > 'Z' || id.back() == '-') return false;
  char previous = '\0';
  for (char c : id) {
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && !(c == '-' && previous != '-')) return false;
    previous = c;
  }
  return true;
}

// A citation of clinical-facts.md ("[S2]", "[S7, S11]") or service-facts.md ("[service-facts").
bool CitesASource(std::string_view text) {
  for (std::size_t at = text.find("[S"); at != std::string_view::npos;
       at = text.find("[S", at + 1)) {
    if (at + 2 < text.size() && text[at + 2] >= '0' && text[at + 2] <= '9') return true;
  }
  return text.find("[service-facts") != std::string_view::npos;
}

class RuleReader {
 public:
  RuleReader(std::string_view file, RuleKind kind) : file_(file), kind_(kind) {}

  StatusOr<Rule> Read(TomlReader& t, const toml::table& table, const std::string& path) const {
    RETURN_IF_ERROR(RequireKeys(table, path));
    Rule rule;
    RETURN_IF_ERROR(ReadHeader(t, table, rule));
    ASSIGN_OR_RETURN(TomlReader unused_condition, t.Table("condition"));
    ASSIGN_OR_RETURN(rule.condition,
                     ConditionReader(file_).Read(*table.get("condition"), path + ".condition", 0));
    if (kind_ == RuleKind::kCompleteness) {
      RETURN_IF_ERROR(ReadCompleteness(t, table, rule));
    } else {
      ASSIGN_OR_RETURN(TomlReader unused_action, t.Table("action"));
      ASSIGN_OR_RETURN(rule.action, ReadAction(*table.get("action")->as_table(), path + ".action"));
    }
    RETURN_IF_ERROR(t.Finish());
    return rule;
  }

 private:
  Status Error(const toml::node& node, const std::string& key, std::string_view reason) const {
    return FileError(file_, LineOf(node), key, reason);
  }

  // Missing keys are reported at the rule's line ([[rule]]), which TomlReader cannot give.
  Status RequireKeys(const toml::table& table, const std::string& path) const {
    std::vector<std::string_view> keys = {"id",    "version",   "effective_from",
                                          "title", "rationale", "condition"};
    if (kind_ == RuleKind::kCompleteness) {
      keys.insert(keys.end(), {"missing_item", "referral_types"});
    } else {
      keys.push_back("action");
    }
    for (std::string_view key : keys) {
      if (table.contains(key)) continue;
      return Error(table, path + "." + std::string(key),
                   key == "rationale"
                       ? "missing; every rule must give its clinical rationale, citing its source"
                       : "missing; every " + std::string(ToString(kind_)) + " rule must set it");
    }
    return OkStatus();
  }

  Status ReadHeader(TomlReader& t, const toml::table& table, Rule& rule) const {
    RETURN_IF_ERROR(t.String("id", rule.id));
    if (!IsRuleId(rule.id)) {
      return t.Error(
          "id", table.get("id"),
          Quoted(rule.id) + " must be upper-case words joined by hyphens, such as RF-CES-1");
    }
    RETURN_IF_ERROR(t.Int("version", 1, kMaxVersion, rule.version));
    RETURN_IF_ERROR(t.DateValue("effective_from", rule.effective_from));
    RETURN_IF_ERROR(t.String("title", rule.title));
    RETURN_IF_ERROR(t.String("rationale", rule.rationale));
    if (!CitesASource(rule.rationale)) {
      return t.Error("rationale", table.get("rationale"),
                     "must cite its source in square brackets, such as [S2] (clinical-facts.md) "
                     "or [service-facts: ...] (service-facts.md)");
    }
    return OkStatus();
  }

  Status ReadCompleteness(TomlReader& t, const toml::table& table, Rule& rule) const {
    RETURN_IF_ERROR(t.String("missing_item", rule.missing_item));
    std::vector<std::string> types;
    RETURN_IF_ERROR(t.Strings("referral_types", types));
    for (const std::string& name : types) {
      StatusOr<ReferralSource> type = ParseReferralSource(name, "referral_types");
      if (!type.ok() || *type == ReferralSource::kTransfer) {
        return t.Error(
            "referral_types", table.get("referral_types"),
            Quoted(name) + " is not a referral type; expected gp, self, fcp or hospital");
      }
      rule.referral_types.push_back(*type);
    }
    return OkStatus();
  }

  Status ReadActionKey(std::string_view key, const toml::node& node, const std::string& where,
                       RuleAction& action) const {
    if (key == "stop") {
      const auto* stop = node.as_boolean();
      if (stop == nullptr) return Error(node, where, "must be true or false");
      action.stop = stop->get();
      return OkStatus();
    }
    const auto* value = node.as_string();
    if (value == nullptr || value->get().empty()) {
      return Error(node, where, "must be a non-empty string in double quotes");
    }
    const std::string& text = value->get();
    if (key == "advice") {
      action.advice = text;
    } else if (key == "priority") {
      StatusOr<Priority> priority = ParsePriority(text);
      if (!priority.ok()) return Error(node, where, priority.status().message());
      action.priority = *priority;
    } else if (key == "route") {
      StatusOr<Route> route = ParseRoute(text);
      if (!route.ok()) return Error(node, where, route.status().message());
      action.route = *route;
    } else {
      const auto skills = TriageSkills();
      if (std::find(skills.begin(), skills.end(), text) == skills.end()) {
        std::string known;
        for (std::string_view skill : skills)
          known += (known.empty() ? "" : ", ") + std::string(skill);
        return Error(node, where, Quoted(text) + " is not a triage skill; expected " + known);
      }
      action.triage_skill = text;
    }
    return OkStatus();
  }

  StatusOr<RuleAction> ReadAction(const toml::table& table, const std::string& path) const {
    static constexpr std::array<std::string_view, 5> kKeys{"priority", "route", "advice", "stop",
                                                           "triage_skill"};
    RuleAction action;
    for (const auto& [key, node] : table) {
      const std::string where = path + "." + std::string(key.str());
      if (std::find(kKeys.begin(), kKeys.end(), key.str()) == kKeys.end()) {
        return Error(node, where,
                     "unknown key; expected one of priority, route, advice, stop, triage_skill");
      }
      RETURN_IF_ERROR(ReadActionKey(key.str(), node, where, action));
    }
    if (!action.priority && !action.route && action.advice.empty() && !action.stop) {
      return Error(table, path, "does nothing; set priority, route, advice or stop");
    }
    if (action.stop && action.advice.empty()) {
      return Error(table, path + ".stop", "a rule that stops the journey must give advice");
    }
    return action;
  }

  std::string_view file_;
  RuleKind kind_;
};

// The versions of one rule are written together, oldest first, each taking effect after the one
// before: so the file reads as the rule's history, and precedence (file order) cannot change
// between versions.
Status CheckVersion(std::string_view file, const std::vector<Rule>& earlier, const Rule& rule,
                    const toml::table& table, const std::string& path) {
  const auto same_id = [&rule](const Rule& r) { return r.id == rule.id; };
  const auto previous = std::find_if(earlier.rbegin(), earlier.rend(), same_id);
  if (previous == earlier.rend()) return OkStatus();
  const std::string name = rule.id + " version " + std::to_string(rule.version);
  for (const Rule& r : earlier) {
    if (same_id(r) && r.version == rule.version) {
      return FileError(file, LineOf(*table.get("version")), path + ".version",
                       name + " is already defined");
    }
  }
  if (previous != earlier.rbegin()) {
    return FileError(file, LineOf(*table.get("id")), path + ".id",
                     name + " must directly follow version " + std::to_string(previous->version) +
                         ": keep a rule's versions together, oldest first");
  }
  if (rule.version < previous->version) {
    return FileError(file, LineOf(*table.get("version")), path + ".version",
                     name + " comes after version " + std::to_string(previous->version) +
                         ": write versions oldest first");
  }
  if (rule.effective_from <= previous->effective_from) {
    return FileError(file, LineOf(*table.get("effective_from")), path + ".effective_from",
                     name + " takes effect on " + FormatDate(rule.effective_from) +
                         ", which is not after version " + std::to_string(previous->version) +
                         "'s " + FormatDate(previous->effective_from));
  }
  return OkStatus();
}

StatusOr<RuleSet> LoadExpected(const fs::path& path, RuleKind expected) {
  ASSIGN_OR_RETURN(RuleSet rules, LoadRuleSet(path));
  if (rules.kind == expected) return rules;
  return FileError(path.string(), 0, "kind",
                   "is " + std::string(ToString(rules.kind)) + "; this file must hold " +
                       std::string(ToString(expected)) + " rules");
}

}  // namespace

StatusOr<RuleSet> ParseRuleSet(std::string_view text, std::string_view file) {
  ASSIGN_OR_RETURN(toml::table root, ParseToml(text, file));
  TomlReader reader(root, file, "");
  std::string kind;
  RETURN_IF_ERROR(reader.String("kind", kind));
  StatusOr<RuleKind> parsed_kind = ParseRuleKind(kind);
  if (!parsed_kind.ok())
    return reader.Error("kind", root.get("kind"), parsed_kind.status().message());
  ASSIGN_OR_RETURN(std::vector<TomlReader> readers, reader.Tables("rule"));
  RETURN_IF_ERROR(reader.Finish());
  RuleSet rules;
  rules.kind = *parsed_kind;
  const RuleReader rule_reader(file, rules.kind);
  const toml::array& array = *root.get("rule")->as_array();
  for (std::size_t i = 0; i < readers.size(); ++i) {
    const toml::table& table = *array[i].as_table();
    const std::string path = "rule[" + std::to_string(i + 1) + "]";
    ASSIGN_OR_RETURN(Rule rule, rule_reader.Read(readers[i], table, path));
    RETURN_IF_ERROR(CheckVersion(file, rules.rules, rule, table, path));
    rules.rules.push_back(std::move(rule));
  }
  return rules;
}

StatusOr<RuleSet> LoadRuleSet(const fs::path& path) {
  ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  return ParseRuleSet(text, path.string());
}

StatusOr<Rules> LoadRules(const fs::path& dir) {
  Rules rules;
  ASSIGN_OR_RETURN(rules.red_flags, LoadExpected(dir / "red-flags.toml", RuleKind::kRedFlags));
  ASSIGN_OR_RETURN(rules.decision_support,
                   LoadExpected(dir / "decision-support.toml", RuleKind::kDecisionSupport));
  ASSIGN_OR_RETURN(rules.completeness,
                   LoadExpected(dir / "completeness.toml", RuleKind::kCompleteness));
  return rules;
}

}  // namespace tendon::config
