// `tendon demo`: creates a new database holding the demo service.
#include <filesystem>
#include <limits>

#include "cli/commands.h"
#include "cli/flags.h"
#include "config/clinics.h"
#include "config/service.h"
#include "core/london_time.h"
#include "demo/accounts.h"
#include "demo/demo.h"
#include "store/sqlite/sqlite_store.h"

namespace tendon::cli {
namespace {

constexpr std::int64_t kMaxSeed = std::numeric_limits<std::int64_t>::max();

StatusOr<demo::DemoOptions> ParseOptions(const Flags& flags) {
  demo::DemoOptions options;
  ASSIGN_OR_RETURN(std::int64_t months, flags.Int("months", demo::DemoOptions::kDefaultMonths, 1,
                                                  demo::DemoOptions::kMaxMonths));
  ASSIGN_OR_RETURN(std::int64_t seed, flags.Int("seed", 1, 0, kMaxSeed));
  options.months = static_cast<int>(months);
  options.seed = static_cast<std::uint64_t>(seed);
  if (auto until = flags.Get("until")) {
    ASSIGN_OR_RETURN(options.until, ParseDate(*until, "--until"));
  } else {
    options.until = LondonDate(Now());
  }
  return options;
}

Status Demo(const Args& args, std::ostream& out) {
  ASSIGN_OR_RETURN(Flags flags, Flags::Parse(args, {"db", "months", "seed", "until", "data"}));
  ASSIGN_OR_RETURN(std::string db, flags.Require("db"));
  ASSIGN_OR_RETURN(demo::DemoOptions options, ParseOptions(flags));
  const std::filesystem::path data = flags.Get("data").value_or(TENDON_DEFAULT_DATA_DIR);
  if (std::filesystem::exists(db)) {
    return AlreadyExistsError(db + " exists already; the demo only creates new databases", "--db");
  }
  RETURN_IF_ERROR(CheckLondonTimeZone());
  ASSIGN_OR_RETURN(config::ServiceConfig service,
                   config::LoadService(data / config::kServiceSubdir));
  ASSIGN_OR_RETURN(config::ClinicsConfig clinics,
                   config::LoadClinics(data / config::kServiceSubdir, service));
  ASSIGN_OR_RETURN(demo::DemoParameters params,
                   demo::LoadDemoParameters(data / config::kServiceSubdir / "demo.toml"));
  ASSIGN_OR_RETURN(WorkingCalendar calendar,
                   config::LoadWorkingCalendar(data / config::kBankHolidaysFile));
  ASSIGN_OR_RETURN(auto store, store::sqlite::SqliteStore::Open(db));
  ASSIGN_OR_RETURN(demo::DemoSummary summary,
                   demo::BuildDemo(*store, service, clinics, params, calendar, options));
  RETURN_IF_ERROR(demo::CreateDemoAccounts(*store));
  out << "demo database " << db << "\n" << demo::FormatSummary(summary);
  PrintDemoAccounts(demo::DemoAccounts(), out);
  return OkStatus();
}

}  // namespace

int RunDemo(const Args& args, std::ostream& out) {
  Status status = Demo(args, out);
  return status.ok() ? 0 : ReportFailure(status);
}

}  // namespace tendon::cli
