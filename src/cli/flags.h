// A small command-line flag parser for the tendon subcommands: `--name value` or `--name=value`,
// and boolean `--name`. Unknown flags and missing values are errors that name the flag.
#ifndef TENDON_CLI_FLAGS_H_
#define TENDON_CLI_FLAGS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace tendon::cli {

class Flags {
 public:
  // Parses `args` (after the subcommand). `with_value` and `booleans` name the accepted flags,
  // without the leading dashes.
  static StatusOr<Flags> Parse(const std::vector<std::string>& args,
                               const std::set<std::string>& with_value,
                               const std::set<std::string>& booleans = {});

  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  std::optional<std::string> Get(const std::string& name) const;
  // The flag's value, or InvalidArgument naming it when it is absent.
  StatusOr<std::string> Require(const std::string& name) const;
  // The flag as a whole number in [min, max], `fallback` when absent.
  StatusOr<std::int64_t> Int(const std::string& name, std::int64_t fallback, std::int64_t min,
                             std::int64_t max) const;
  // --at: a London date (its midnight, as a demo built --until that date ends) or an instant
  // (2026-11-24T10:00:00Z); now when absent.
  StatusOr<Instant> At() const;

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace tendon::cli

#endif  // TENDON_CLI_FLAGS_H_
