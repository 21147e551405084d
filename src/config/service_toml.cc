#include "config/service_toml.h"

// The Debian toml++ shared library is built with exceptions (it exports only toml::ex::parse), and
// tendon reports errors as Status values; so this file compiles toml++ header-only with
// TOML_EXCEPTIONS=0 (set in CMakeLists.txt) and reads errors from toml::parse_result.
#include <toml++/toml.h>

#include <array>

#include "config/csv.h"

namespace tendon::config::internal {
namespace {

constexpr std::string_view kName = "name";
constexpr std::string_view kGoLive = "go_live";
constexpr std::array<std::string_view, 2> kKeys = {kName, kGoLive};

int LineOf(const toml::source_region& source) { return static_cast<int>(source.begin.line); }

Status CheckKnownKeys(const toml::table& table, std::string_view file) {
  for (const auto& [key, node] : table) {
    bool known = false;
    for (std::string_view k : kKeys) known = known || key.str() == k;
    if (!known) {
      return FileError(file, LineOf(key.source()), key.str(),
                       "unknown key; service.toml has only the keys name and go_live");
    }
  }
  return OkStatus();
}

StatusOr<const toml::node*> RequireKey(const toml::table& table, std::string_view key,
                                       std::string_view file) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return FileError(file, 0, key, "missing; service.toml must set it");
  return node;
}

StatusOr<std::string> ReadName(const toml::table& table, std::string_view file) {
  ASSIGN_OR_RETURN(const toml::node* node, RequireKey(table, kName, file));
  const toml::value<std::string>* name = node->as_string();
  if (name == nullptr) {
    return FileError(file, LineOf(node->source()), kName, "must be a string in double quotes");
  }
  if (name->get().empty()) return FileError(file, LineOf(node->source()), kName, "is empty");
  return name->get();
}

StatusOr<Date> ReadGoLive(const toml::table& table, std::string_view file) {
  ASSIGN_OR_RETURN(const toml::node* node, RequireKey(table, kGoLive, file));
  const toml::value<toml::date>* value = node->as_date();
  if (value == nullptr) {
    return FileError(file, LineOf(node->source()), kGoLive,
                     "must be a date without quotes, such as 2022-10-01");
  }
  const toml::date& d = value->get();
  const date::year_month_day ymd(date::year(d.year), date::month(d.month), date::day(d.day));
  if (!ymd.ok()) return FileError(file, LineOf(node->source()), kGoLive, "is not a real date");
  return Date(ymd);
}

}  // namespace

StatusOr<ServiceSettings> ParseServiceToml(std::string_view text, const std::string& file) {
  toml::parse_result parsed = toml::parse(text, std::string_view(file));
  if (!parsed) {
    const toml::parse_error& error = parsed.error();
    return FileError(file, LineOf(error.source()), "",
                     "not valid TOML: " + std::string(error.description()));
  }
  const toml::table& table = parsed.table();
  RETURN_IF_ERROR(CheckKnownKeys(table, file));
  ServiceSettings settings;
  ASSIGN_OR_RETURN(settings.name, ReadName(table, file));
  ASSIGN_OR_RETURN(settings.go_live, ReadGoLive(table, file));
  return settings;
}

}  // namespace tendon::config::internal
