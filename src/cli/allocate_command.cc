// `tendon allocate --compare`: the waiting-list allocator beside first-come-first-served on a
// database's waiting list and free slots, as figures only (no patient's data is printed).
#include <cstdio>
#include <filesystem>

#include "cli/commands.h"
#include "cli/flags.h"
#include "config/rules_loader.h"
#include "config/service.h"
#include "core/london_time.h"
#include "store/sqlite/sqlite_store.h"
#include "workflow/waiting_list.h"

namespace tendon::cli {
namespace {

constexpr std::int64_t kMaxKm = static_cast<std::int64_t>(workflow::kMaxTravelLimitKm);

// --at: a London date (its midnight, as a demo built --until that date ends) or an instant.
StatusOr<Instant> ParseAt(const Flags& flags) {
  const std::optional<std::string> at = flags.Get("at");
  if (!at) return Now();
  if (auto day = ParseDate(*at, "--at"); day.ok()) {
    return FromLondon(*day, std::chrono::minutes(0), "--at");
  }
  return ParseInstant(*at, "--at");
}

StatusOr<scheduling::AllocationOptions> ParseOptions(const Flags& flags) {
  scheduling::AllocationOptions options;
  const auto default_km = static_cast<std::int64_t>(scheduling::kDefaultMaxTravelKm);
  ASSIGN_OR_RETURN(std::int64_t km, flags.Int("max-km", default_km, 0, kMaxKm));
  ASSIGN_OR_RETURN(std::int64_t weeks,
                   flags.Int("horizon-weeks", scheduling::kDefaultAllocationHorizon.count(), 1,
                             workflow::kMaxAllocationHorizon.count()));
  options.max_km = static_cast<double>(km);
  options.horizon = std::chrono::weeks(weeks);
  return options;
}

void Print(const workflow::AllocationComparison& c, std::ostream& out) {
  const scheduling::AllocationFigures& ours = c.allocator;
  const scheduling::AllocationFigures& fcfs = c.first_come_first_served;
  char line[512];
  std::snprintf(
      line, sizeof line,
      "allocator_priority_wait_days=%.2f fcfs_priority_wait_days=%.2f "
      "allocator_travel_km=%.1f fcfs_travel_km=%.1f placed=%d fcfs_placed=%d waiting=%d "
      "allocator_priority_p90_days=%.2f fcfs_priority_p90_days=%.2f priority_waiting=%d "
      "allocator_priority_placed=%d fcfs_priority_placed=%d allocator_mean_wait_days=%.2f "
      "fcfs_mean_wait_days=%.2f by_hand=%d\n",
      ours.priority_mean_wait_days, fcfs.priority_mean_wait_days, ours.travel_km, fcfs.travel_km,
      ours.placed, fcfs.placed, ours.waiting + c.by_hand, ours.priority_p90_wait_days,
      fcfs.priority_p90_wait_days, ours.priority_waiting, ours.priority_placed,
      fcfs.priority_placed, ours.mean_wait_days, fcfs.mean_wait_days, c.by_hand);
  out << line;
}

Status Allocate(const Args& args, std::ostream& out) {
  ASSIGN_OR_RETURN(Flags flags, Flags::Parse(args, {"db", "at", "max-km", "horizon-weeks", "data"},
                                             {"compare"}));
  if (!flags.Has("compare")) {
    return InvalidArgumentError(
        "give --compare: proposals are reviewed and confirmed on the waiting-list page",
        "--compare");
  }
  ASSIGN_OR_RETURN(std::string db, flags.Require("db"));
  if (!std::filesystem::exists(db)) return NotFoundError("no database at " + db, "--db");
  RETURN_IF_ERROR(CheckLondonTimeZone());
  ASSIGN_OR_RETURN(Instant now, ParseAt(flags));
  ASSIGN_OR_RETURN(scheduling::AllocationOptions options, ParseOptions(flags));
  const std::filesystem::path data = flags.Get("data").value_or(TENDON_DEFAULT_DATA_DIR);
  ASSIGN_OR_RETURN(config::ServiceConfig service,
                   config::LoadService(data / config::kServiceSubdir));
  ASSIGN_OR_RETURN(config::Rules rules, config::LoadRules(data / "rules"));
  ASSIGN_OR_RETURN(WorkingCalendar calendar,
                   config::LoadWorkingCalendar(data / config::kBankHolidaysFile));
  ASSIGN_OR_RETURN(auto store, store::sqlite::SqliteStore::Open(db));
  const workflow::Env env{*store, rules, calendar, service.timing};
  ASSIGN_OR_RETURN(workflow::AllocationComparison comparison,
                   workflow::CompareAllocations(env, service.districts, now, options));
  Print(comparison, out);
  return OkStatus();
}

}  // namespace

int RunAllocate(const Args& args, std::ostream& out) {
  Status status = Allocate(args, out);
  return status.ok() ? 0 : ReportFailure(status);
}

}  // namespace tendon::cli
