// `tendon slots`: moves the rolling horizon on, extending every clinic template's slots (the
// capacity issue), as an administrator's "Extend slots" button does.
#include <filesystem>

#include "cli/commands.h"
#include "cli/flags.h"
#include "config/rules_loader.h"
#include "config/service.h"
#include "core/london_time.h"
#include "store/sqlite/sqlite_store.h"
#include "workflow/admin.h"

namespace tendon::cli {
namespace {

// The service itself, in the audit log.
const workflow::Actor kSystem{"system", Role::kAdministrator, ""};

Status Slots(const Args& args, std::ostream& out) {
  ASSIGN_OR_RETURN(Flags flags, Flags::Parse(args, {"db", "weeks", "data"}));
  ASSIGN_OR_RETURN(std::string db, flags.Require("db"));
  if (!std::filesystem::exists(db)) return NotFoundError("no database at " + db, "--db");
  const std::filesystem::path data = flags.Get("data").value_or(TENDON_DEFAULT_DATA_DIR);
  RETURN_IF_ERROR(CheckLondonTimeZone());
  ASSIGN_OR_RETURN(config::ServiceConfig service,
                   config::LoadService(data / config::kServiceSubdir));
  ASSIGN_OR_RETURN(std::int64_t weeks,
                   flags.Int("weeks", service.timing.horizon_weeks, 1, config::kMaxHorizonWeeks));
  ASSIGN_OR_RETURN(config::Rules rules, config::LoadRules(data / "rules"));
  ASSIGN_OR_RETURN(WorkingCalendar calendar,
                   config::LoadWorkingCalendar(data / config::kBankHolidaysFile));
  ASSIGN_OR_RETURN(auto store, store::sqlite::SqliteStore::Open(db));
  const workflow::Env env{*store, rules, calendar, service.timing};
  ASSIGN_OR_RETURN(workflow::SlotChanges changes,
                   workflow::ExtendHorizon(env, kSystem, static_cast<int>(weeks), Now()));
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
