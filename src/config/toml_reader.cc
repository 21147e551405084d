#include "config/toml_reader.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "config/csv.h"

namespace tendon::config {
namespace {

constexpr double kShareTolerance = 0.001;

int LineOf(const toml::node* node) {
  return node == nullptr ? 0 : static_cast<int>(node->source().begin.line);
}

std::string FormatNumber(double x) {
  std::string s = std::to_string(x);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string Range(double lo, double hi) {
  return "from " + FormatNumber(lo) + " to " + FormatNumber(hi);
}

}  // namespace

StatusOr<toml::table> ParseToml(std::string_view text, std::string_view file) {
  toml::parse_result parsed = toml::parse(text, file);
  if (!parsed) {
    const toml::parse_error& error = parsed.error();
    return FileError(file, static_cast<int>(error.source().begin.line), "",
                     "not valid TOML: " + std::string(error.description()));
  }
  return std::move(parsed).table();
}

std::string TomlReader::PathOf(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

Status TomlReader::Error(std::string_view key, const toml::node* node,
                         std::string_view reason) const {
  return FileError(file_, LineOf(node), PathOf(key), reason);
}

StatusOr<const toml::node*> TomlReader::Require(std::string_view key) {
  const toml::node* node = table_.get(key);
  if (node == nullptr) return Error(key, nullptr, "missing; the file must set it");
  used_.emplace_back(key);
  return node;
}

StatusOr<TomlReader> TomlReader::Table(std::string_view key) {
  ASSIGN_OR_RETURN(const toml::node* node, Require(key));
  const toml::table* table = node->as_table();
  if (table == nullptr) return Error(key, node, "must be a table");
  return TomlReader(*table, file_, PathOf(key));
}

StatusOr<std::vector<TomlReader>> TomlReader::Tables(std::string_view key) {
  ASSIGN_OR_RETURN(const toml::node* node, Require(key));
  const toml::array* array = node->as_array();
  if (array == nullptr || array->empty()) {
    return Error(key, node, "must be a non-empty array of tables ([[" + PathOf(key) + "]])");
  }
  std::vector<TomlReader> out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::table* table = (*array)[i].as_table();
    if (table == nullptr) return Error(key, &(*array)[i], "every element must be a table");
    out.emplace_back(*table, file_, PathOf(key) + "[" + std::to_string(i + 1) + "]");
  }
  return out;
}

std::vector<std::string_view> TomlReader::Keys() const {
  std::vector<std::string_view> keys;
  for (const auto& [key, node] : table_) keys.push_back(key.str());
  return keys;
}

Status TomlReader::Number(std::string_view key, double lo, double hi, double& out) {
  ASSIGN_OR_RETURN(const toml::node* node, Require(key));
  if (const auto* i = node->as_integer()) {
    out = static_cast<double>(i->get());
  } else if (const auto* f = node->as_floating_point()) {
    out = f->get();
  } else {
    return Error(key, node, "must be a number");
  }
  if (!std::isfinite(out) || out < lo || out > hi) {
    return Error(key, node, "must be a number " + Range(lo, hi));
  }
  return OkStatus();
}

Status TomlReader::Int(std::string_view key, int lo, int hi, int& out) {
  ASSIGN_OR_RETURN(const toml::node* node, Require(key));
  const auto* i = node->as_integer();
  if (i == nullptr) return Error(key, node, "must be a whole number");
  if (i->get() < lo || i->get() > hi) {
    return Error(key, node, "must be a whole number " + Range(lo, hi));
  }
  out = static_cast<int>(i->get());
  return OkStatus();
}

Status TomlReader::DateValue(std::string_view key, Date& out) {
  ASSIGN_OR_RETURN(const toml::node* node, Require(key));
  const toml::value<toml::date>* value = node->as_date();
  if (value == nullptr)
    return Error(key, node, "must be a date without quotes, such as 2022-10-01");
  const toml::date& d = value->get();
  const date::year_month_day ymd(date::year(d.year), date::month(d.month), date::day(d.day));
  if (!ymd.ok()) return Error(key, node, "is not a real date");
  out = Date(ymd);
  return OkStatus();
}

Status TomlReader::String(std::string_view key, std::string& out) {
  ASSIGN_OR_RETURN(const toml::node* node, Require(key));
  const auto* s = node->as_string();
  if (s == nullptr || s->get().empty()) {
    return Error(key, node, "must be a non-empty string in double quotes");
  }
  out = s->get();
  return OkStatus();
}

Status TomlReader::Bool(std::string_view key, bool& out) {
  ASSIGN_OR_RETURN(const toml::node* node, Require(key));
  const auto* b = node->as_boolean();
  if (b == nullptr) return Error(key, node, "must be true or false, without quotes");
  out = b->get();
  return OkStatus();
}

Status TomlReader::Strings(std::string_view key, std::vector<std::string>& out) {
  ASSIGN_OR_RETURN(const toml::node* node, Require(key));
  const toml::array* array = node->as_array();
  if (array == nullptr || array->empty()) {
    return Error(key, node, "must be a non-empty array of strings");
  }
  out.clear();
  for (const toml::node& element : *array) {
    const auto* s = element.as_string();
    if (s == nullptr || s->get().empty()) {
      return Error(key, &element, "every element must be a non-empty string");
    }
    out.push_back(s->get());
  }
  return OkStatus();
}

Status TomlReader::Numbers(std::string_view key, std::span<double> out, double lo, double hi) {
  ASSIGN_OR_RETURN(const toml::node* node, Require(key));
  const toml::array* array = node->as_array();
  if (array == nullptr || array->size() != out.size()) {
    return Error(key, node, "must be an array of " + std::to_string(out.size()) + " numbers");
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    const toml::node& element = (*array)[i];
    std::optional<double> value = element.value<double>();
    if (!value || !std::isfinite(*value) || *value < lo || *value > hi) {
      return Error(key, &element, "every element must be a number " + Range(lo, hi));
    }
    out[i] = *value;
  }
  return OkStatus();
}

Status TomlReader::Named(std::string_view key, std::span<const std::string_view> names,
                         std::span<double> out, double lo, double hi) {
  ASSIGN_OR_RETURN(TomlReader sub, Table(key));
  for (std::size_t i = 0; i < names.size(); ++i) {
    RETURN_IF_ERROR(sub.Number(names[i], lo, hi, out[i]));
  }
  return sub.Finish();
}

Status TomlReader::Shares(std::string_view key, std::span<const std::string_view> names,
                          std::span<double> out) {
  RETURN_IF_ERROR(Named(key, names, out, 0.0, 1.0));
  return SumsToOne(key, out);
}

Status TomlReader::Finish() const {
  for (const auto& [key, node] : table_) {
    if (std::find(used_.begin(), used_.end(), key.str()) != used_.end()) continue;
    std::string known;
    for (const std::string& name : used_) known += (known.empty() ? "" : ", ") + name;
    return FileError(file_, static_cast<int>(key.source().begin.line), PathOf(key.str()),
                     "unknown key; expected one of " + known);
  }
  return OkStatus();
}

Status TomlReader::SumsToOne(std::string_view key, std::span<const double> values) const {
  double total = 0;
  for (double v : values) total += v;
  if (std::fabs(total - 1.0) > kShareTolerance) {
    return Error(key, table_.get(key),
                 "the shares must sum to 1; they sum to " + FormatNumber(total));
  }
  return OkStatus();
}

}  // namespace tendon::config
