// Loading clinical rules (red flags, decision support, completeness) from their TOML files in
// data/rules/ into core RuleSets. The file format, the condition language and the answers schema
// are described in data/rules/README.md.
//
// A bad file is refused whole with an InvalidArgument reading "file:line: key: reason", where key
// is the dotted path of the offending key ("rule[3].condition.any[2].field"); for example an
// unknown condition form, an unknown answer field, an unknown priority or route, a duplicate id and
// version, a version that does not take effect after the one before it, or a rule without a
// rationale citing its source.
//
// Functions here have no state and may be called from any thread.
#ifndef TENDON_CONFIG_RULES_LOADER_H_
#define TENDON_CONFIG_RULES_LOADER_H_

#include <filesystem>
#include <string_view>

#include "core/rules.h"
#include "core/status.h"

namespace tendon::config {

// Parses the text of one rules file; `file` is used only in error messages.
StatusOr<RuleSet> ParseRuleSet(std::string_view text, std::string_view file);

// Reads and parses one rules file. NotFound or Unavailable as ReadTextFile (config/service.h);
// content errors as ParseRuleSet, naming `path`.
StatusOr<RuleSet> LoadRuleSet(const std::filesystem::path& path);

// The three rule sets of a service.
struct Rules {
  RuleSet red_flags;
  RuleSet decision_support;
  RuleSet completeness;
};

// Loads red-flags.toml, decision-support.toml and completeness.toml from `dir`; each file's kind
// must match its name (InvalidArgument naming the file otherwise).
StatusOr<Rules> LoadRules(const std::filesystem::path& dir);

}  // namespace tendon::config

#endif  // TENDON_CONFIG_RULES_LOADER_H_
