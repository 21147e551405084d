// `tendon sweep`: the service's daily housekeeping of messages and follow-up windows (the patient
// issue): appointment reminders two working days ahead, and each PIFU window's closing notice and
// end.
#include "cli/commands.h"
#include "cli/service_env.h"
#include "workflow/discharge.h"
#include "workflow/reminders.h"

namespace tendon::cli {
namespace {

Status Sweep(const Args& args, std::ostream& out) {
  ASSIGN_OR_RETURN(Flags flags, Flags::Parse(args, {"db", "data", "at"}));
  ASSIGN_OR_RETURN(Instant now, flags.At());
  ASSIGN_OR_RETURN(std::unique_ptr<ServiceEnv> loaded, OpenServiceEnv(flags));
  const workflow::Env env = loaded->env();
  ASSIGN_OR_RETURN(int reminders, workflow::QueueReminders(env, now));
  ASSIGN_OR_RETURN(workflow::PifuSweep pifu, workflow::SweepPifuWindows(env, now));
  out << "reminders=" << reminders << " pifu_closing=" << pifu.reminded
      << " pifu_expired=" << pifu.expired << "\n";
  return OkStatus();
}

}  // namespace

int RunSweep(const Args& args, std::ostream& out) {
  Status status = Sweep(args, out);
  return status.ok() ? 0 : ReportFailure(status);
}

}  // namespace tendon::cli
