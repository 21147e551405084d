#include "cli/flags.h"

#include <charconv>

#include "core/london_time.h"

namespace tendon::cli {

StatusOr<Flags> Flags::Parse(const std::vector<std::string>& args,
                             const std::set<std::string>& with_value,
                             const std::set<std::string>& booleans) {
  Flags flags;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0) {
      return InvalidArgumentError("unexpected argument '" + arg + "'", arg);
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (booleans.count(name) > 0 && !value) {
      flags.values_[name] = "true";
      continue;
    }
    if (with_value.count(name) == 0) {
      return InvalidArgumentError("unknown flag --" + name, "--" + name);
    }
    if (!value) {
      if (i + 1 >= args.size()) return InvalidArgumentError("needs a value", "--" + name);
      value = args[++i];
    }
    flags.values_[name] = *value;
  }
  return flags;
}

std::optional<std::string> Flags::Get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

StatusOr<std::string> Flags::Require(const std::string& name) const {
  if (auto value = Get(name)) return *value;
  return InvalidArgumentError("is required", "--" + name);
}

StatusOr<std::int64_t> Flags::Int(const std::string& name, std::int64_t fallback, std::int64_t min,
                                  std::int64_t max) const {
  auto text = Get(name);
  if (!text) return fallback;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) {
    return InvalidArgumentError("'" + *text + "' is not a whole number", "--" + name);
  }
  if (value < min || value > max) {
    return InvalidArgumentError(
        "must be between " + std::to_string(min) + " and " + std::to_string(max), "--" + name);
  }
  return value;
}

StatusOr<Instant> Flags::At() const {
  const std::optional<std::string> at = Get("at");
  if (!at) return Now();
  if (auto day = ParseDate(*at, "--at"); day.ok()) {
    return FromLondon(*day, std::chrono::minutes(0), "--at");
  }
  return ParseInstant(*at, "--at");
}

}  // namespace tendon::cli
