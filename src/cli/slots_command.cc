// `tendon slots`: moves the rolling horizon on, extending every clinic template's slots (the
// capacity issue), as an administrator's "Extend slots" button does.
#include "cli/commands.h"
#include "cli/service_env.h"
#include "core/london_time.h"
#include "workflow/admin.h"

namespace tendon::cli {
namespace {

Status Slots(const Args& args, std::ostream& out) {
  ASSIGN_OR_RETURN(Flags flags, Flags::Parse(args, {"db", "weeks", "data"}));
  ASSIGN_OR_RETURN(std::unique_ptr<ServiceEnv> loaded, OpenServiceEnv(flags));
  ASSIGN_OR_RETURN(std::int64_t weeks, flags.Int("weeks", loaded->service.timing.horizon_weeks, 1,
                                                 config::kMaxHorizonWeeks));
  const workflow::Env env = loaded->env();
  ASSIGN_OR_RETURN(workflow::SlotChanges changes,
                   workflow::ExtendHorizon(env, kSystemActor, static_cast<int>(weeks), Now()));
  for (const Slot& s : changes.stranded) {
    out << "booked slot to move: " << s.id << " " << FormatLondon(s.start) << " booked=" << s.booked
        << "\n";
  }
  out << "slots through " << FormatDate(changes.through) << ": added=" << changes.added
      << " cancelled=" << changes.cancelled << " held_back=" << changes.held_back
      << " booked_to_move=" << changes.stranded.size() << "\n";
  return OkStatus();
}

}  // namespace

int RunSlots(const Args& args, std::ostream& out) {
  Status status = Slots(args, out);
  return status.ok() ? 0 : ReportFailure(status);
}

}  // namespace tendon::cli
