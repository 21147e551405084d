// A table-driven mapping between an enum class and its stable string names (used in storage, JSON
// and data files, so names must never change once released).
#ifndef TENDON_CORE_ENUM_NAMES_H_
#define TENDON_CORE_ENUM_NAMES_H_

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace tendon {

template <typename E>
struct EnumName {
  E value;
  std::string_view name;
};

// The name of `value` in `table`; "unknown" when absent (a programmer error: tables are complete).
template <typename E, std::size_t N>
constexpr std::string_view NameIn(const std::array<EnumName<E>, N>& table, E value) {
  for (const auto& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return "unknown";
}

// The enum value named `name` in `table`, or nullopt.
template <typename E, std::size_t N>
constexpr std::optional<E> ValueIn(const std::array<EnumName<E>, N>& table, std::string_view name) {
  for (const auto& entry : table) {
    if (entry.name == name) return entry.value;
  }
  return std::nullopt;
}

// "a, b or c": the names of `table`, for error messages that list the accepted values.
template <typename E, std::size_t N>
std::string NamesIn(const std::array<EnumName<E>, N>& table) {
  std::string out;
  for (std::size_t i = 0; i < N; ++i) {
    if (i > 0) out += (i + 1 == N) ? " or " : ", ";
    out += table[i].name;
  }
  return out;
}

// The enum value named `name` in `table`, or InvalidArgument naming `field` and listing the
// accepted names, for example "'soon' is not a priority; expected emergency, urgent, post_op or
// routine".
template <typename E, std::size_t N>
StatusOr<E> ParseIn(const std::array<EnumName<E>, N>& table, std::string_view name,
                    std::string_view field, std::string_view what) {
  if (auto value = ValueIn(table, name)) return *value;
  return InvalidArgumentError(
      "'" + std::string(name) + "' is not a " + std::string(what) + "; expected " + NamesIn(table),
      std::string(field));
}

}  // namespace tendon

#endif  // TENDON_CORE_ENUM_NAMES_H_
