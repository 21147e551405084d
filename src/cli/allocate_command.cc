// `tendon allocate --compare`: the waiting-list allocator beside first-come-first-served on a
// database's waiting list and free slots, as figures only (no patient's data is printed).
#include <cstdio>

#include "cli/commands.h"
#include "cli/service_env.h"
#include "workflow/waiting_list.h"

namespace tendon::cli {
namespace {

constexpr std::int64_t kMaxKm = static_cast<std::int64_t>(workflow::kMaxTravelLimitKm);

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
  ASSIGN_OR_RETURN(Instant now, flags.At());
  ASSIGN_OR_RETURN(scheduling::AllocationOptions options, ParseOptions(flags));
  ASSIGN_OR_RETURN(std::unique_ptr<ServiceEnv> loaded, OpenServiceEnv(flags));
  const workflow::Env env = loaded->env();
  ASSIGN_OR_RETURN(workflow::AllocationComparison comparison,
                   workflow::CompareAllocations(env, loaded->service.districts, now, options));
  Print(comparison, out);
  return OkStatus();
}

}  // namespace

int RunAllocate(const Args& args, std::ostream& out) {
  Status status = Allocate(args, out);
  return status.ok() ? 0 : ReportFailure(status);
}

}  // namespace tendon::cli
