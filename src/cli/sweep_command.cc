// `tendon sweep`: the service's daily housekeeping of messages and follow-up windows (the patient
// issue): appointment reminders two working days ahead, and each PIFU window's closing notice and
// end.
#include "cli/commands.h"
#include "cli/service_env.h"
#include "cli/sweep.h"

namespace tendon::cli {
namespace {

Status Sweep(const Args& args, std::ostream& out) {
  ASSIGN_OR_RETURN(Flags flags, Flags::Parse(args, {"db", "data", "at"}));
  ASSIGN_OR_RETURN(Instant now, flags.At());
  ASSIGN_OR_RETURN(std::unique_ptr<ServiceEnv> loaded, OpenServiceEnv(flags));
  ASSIGN_OR_RETURN(SweepCounts counts, SweepOnce(loaded->env(), now));
  out << Describe(counts) << "\n";
  return OkStatus();
}

}  // namespace

int RunSweep(const Args& args, std::ostream& out) {
  Status status = Sweep(args, out);
  return status.ok() ? 0 : ReportFailure(status);
}

}  // namespace tendon::cli
