#include "cli/service_env.h"

#include <filesystem>

#include "core/london_time.h"

namespace tendon::cli {

StatusOr<std::unique_ptr<ServiceEnv>> OpenServiceEnv(const Flags& flags) {
  ASSIGN_OR_RETURN(std::string db, flags.Require("db"));
  if (!std::filesystem::exists(db)) return NotFoundError("no database at " + db, "--db");
  RETURN_IF_ERROR(CheckLondonTimeZone());
  const std::filesystem::path data = flags.Get("data").value_or(TENDON_DEFAULT_DATA_DIR);
  auto loaded = std::make_unique<ServiceEnv>();
  ASSIGN_OR_RETURN(loaded->service, config::LoadService(data / config::kServiceSubdir));
  ASSIGN_OR_RETURN(loaded->rules, config::LoadRules(data / "rules"));
  ASSIGN_OR_RETURN(loaded->calendar, config::LoadWorkingCalendar(data / config::kBankHolidaysFile));
  ASSIGN_OR_RETURN(loaded->store, store::sqlite::SqliteStore::Open(db));
  return loaded;
}

}  // namespace tendon::cli
