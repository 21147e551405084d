// A checked reader over one toml++ table, for tendon's TOML configuration files (service.toml,
// demo.toml, ...). toml++ is compiled header-only without exceptions: tendon_config exports the
// definitions, so every file that includes this header agrees (see src/config/CMakeLists.txt).
//
// Every error is an InvalidArgument "file:line: key: reason" with the key's dotted path; a missing
// key has no line. Finish() refuses keys that were never read, to catch misspellings.
#ifndef TENDON_CONFIG_TOML_READER_H_
#define TENDON_CONFIG_TOML_READER_H_

#include <toml++/toml.h>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace tendon::config {

// Parses `text` as TOML; a syntax error is "file:line: not valid TOML: ...".
StatusOr<toml::table> ParseToml(std::string_view text, std::string_view file);

class TomlReader {
 public:
  TomlReader(const toml::table& table, std::string_view file, std::string path)
      : table_(table), file_(file), path_(std::move(path)) {}

  // The dotted path of `key` in this table, "triage.due_hours".
  std::string PathOf(std::string_view key) const;
  // An error about `key` at the line of `node` (nullptr: no line).
  Status Error(std::string_view key, const toml::node* node, std::string_view reason) const;

  // Whether the table has `key` (for optional keys; reading it still marks it used).
  bool Has(std::string_view key) const { return table_.contains(key); }
  // A required sub-table.
  StatusOr<TomlReader> Table(std::string_view key);
  // The sub-tables of an array of tables ([[key]]); at least one.
  StatusOr<std::vector<TomlReader>> Tables(std::string_view key);
  // The keys of this table, in file order.
  std::vector<std::string_view> Keys() const;

  // A number (integer or float) in [lo, hi].
  Status Number(std::string_view key, double lo, double hi, double& out);
  // A whole number in [lo, hi].
  Status Int(std::string_view key, int lo, int hi, int& out);
  // A date written as a TOML local date, without quotes (2022-10-01).
  Status DateValue(std::string_view key, Date& out);
  // A non-empty string.
  Status String(std::string_view key, std::string& out);
  // true or false.
  Status Bool(std::string_view key, bool& out);
  // A non-empty array of non-empty strings.
  Status Strings(std::string_view key, std::vector<std::string>& out);
  // An array of exactly out.size() numbers, each in [lo, hi].
  Status Numbers(std::string_view key, std::span<double> out, double lo, double hi);
  // An inline table with exactly the keys `names`, each a number in [lo, hi]: out[i] for names[i].
  Status Named(std::string_view key, std::span<const std::string_view> names, std::span<double> out,
               double lo, double hi);
  // As Named, shares in [0, 1] that sum to 1 (within 0.001).
  Status Shares(std::string_view key, std::span<const std::string_view> names,
                std::span<double> out);

  // Checks that `values`, read from `key`, sum to 1 within 0.001.
  Status SumsToOne(std::string_view key, std::span<const double> values) const;

  // Refuses any key of the table not read through this reader.
  Status Finish() const;

 private:
  StatusOr<const toml::node*> Require(std::string_view key);

  const toml::table& table_;
  std::string_view file_;
  std::string path_;
  std::vector<std::string> used_;
};

}  // namespace tendon::config

#endif  // TENDON_CONFIG_TOML_READER_H_
