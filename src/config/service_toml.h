// Reading service.toml, the service-wide settings of a service folder. Internal to the config
// module: callers use LoadService (service.h). Kept in its own file because it is the only one that
// includes toml++, which is compiled header-only (see CMakeLists.txt).
#ifndef TENDON_CONFIG_SERVICE_TOML_H_
#define TENDON_CONFIG_SERVICE_TOML_H_

#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"

namespace tendon::config::internal {

struct ServiceSettings {
  std::string name;  // Required non-empty string.
  Date go_live{};    // Required TOML local date, unquoted: go_live = 2022-10-01.
};

// Parses the text of service.toml. `file` is used in error messages only. Every error is an
// InvalidArgument reading "file:line: key: reason": TOML syntax errors (with toml++'s description),
// unknown keys (to catch misspellings), and keys of the wrong type. A missing key has no line:
// "file: key: reason".
StatusOr<ServiceSettings> ParseServiceToml(std::string_view text, const std::string& file);

}  // namespace tendon::config::internal

#endif  // TENDON_CONFIG_SERVICE_TOML_H_
