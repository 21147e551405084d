#include "cli/commands.h"

#include <iostream>
#include <map>

#include "cli/flags.h"
#include "store/check.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store.h"

namespace tendon::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

constexpr char kUsage[] = R"(tendon: an integrated community MSK service, end to end.

Usage: tendon <command> [flags]

Commands:
  demo     --db FILE [--months N] [--seed S] [--until YYYY-MM-DD] [--data DIR]
           Create a new database holding the synthetic demo service: the Oxfordshire sites and
           N months (default 6) of pathway history up to --until (default: today in London),
           generated from seed S (default 1). The same flags give the same database.
  migrate  --db FILE
           Create the database, or upgrade it in place to the latest schema.
  check    --db FILE
           Verify the invariants: every open referral has an owner and a next-action due time,
           every referral's state matches its last pathway event, the event log obeys the state
           machine, and no event or audit row was altered. Prints each violation and a last line
           violations=N; exits 1 when N > 0.
  serve    --db FILE [--listen HOST:PORT] [--web DIR] [--assets DIR] [--data DIR] [--secure-cookies]
           [--io-threads N] [--worker-threads N] [--sweep-every SECONDS] [--quiet]
           Serve the web application and the API (default 127.0.0.1:8080) until SIGTERM.
           Runs the daily housekeeping of `sweep` at start and every SECONDS (default 3600;
           0: never, for a service that runs `sweep` from cron), printing its line each time.
           Prints the demo accounts whose password is still the published one, then
           "listening on http://HOST:PORT". Access logs go to stderr (--quiet: none).
  user     add --db FILE --username NAME --role ROLE [--display-name TEXT]
               [--organisation ODS] [--patient-key KEY] [--clinician-id ID] --password-stdin
           disable --db FILE --username NAME
           list --db FILE
           Manage accounts. Roles: patient, referrer, triage_clinician, treating_clinician,
           coordinator, commissioner, administrator. The password is read from standard input.
           --clinician-id links a treating clinician's account to their diary.
  allocate --compare --db FILE [--at YYYY-MM-DD|INSTANT] [--max-km N] [--horizon-weeks N]
           [--data DIR]
           Run the waiting-list allocator and first-come-first-served on the waiting list and
           the free slots as of --at (a date is its midnight in London; default: now), with a
           travel limit of N km for face-to-face slots (default 30; 0: any distance) over N weeks
           (default 8). Prints one line of figures, the priority patients' mean waits and the
           total travel of each first; no patient's data. Nothing is booked.
  slots    --db FILE [--weeks N] [--data DIR]
           Extend every clinic template's slots to N weeks ahead (default: service.toml
           [booking] horizon_weeks), skipping bank holidays. Idempotent: slots already made and
           their bookings are kept. Prints how many slots it added, and any booked slot whose
           template no longer makes it (for a coordinator to move).
  sweep    --db FILE [--data DIR] [--at YYYY-MM-DD|INSTANT]
           The daily housekeeping (`serve` runs it every hour; or run it from cron): queue a reminder
           for each appointment two working days ahead, and for each follow-up (PIFU) window the
           patient's notice that it is closing ([pifu] closing_notice_days before), then its end:
           the referral closes and the GP's discharge letter is queued. Each message is queued
           once however often it runs. Prints reminders=N pifu_closing=N pifu_expired=N.
  deliver  --db FILE [--data DIR] [--once]
           Send the notifications outbox through the providers of service.toml
           [notifications] (SMTP for email, GOV.UK Notify for text messages): due messages are
           claimed, sent, retried with back-off or marked failed for coordinators to see. With
           --once, one pass, printing claimed=N sent=N retried=N failed=N; without, until SIGTERM.
           `serve` runs the same worker when [notifications] is configured.
  simulate SCENARIO [--replications R] [--threads T] [--seed S] [--json] [--html FILE]
           Run a what-if scenario (a TOML file such as
           data/services/oxfordshire/scenarios/baseline.toml) R times (default: the file's
           replications) on T threads (default: every core) from seed S (default: the file's), and
           print each figure with its 95% confidence interval; --json prints JSON instead, and
           --html also writes the figures as a page. The same seed gives the same results whatever
           T; scenarios run with the same seed share their random numbers, so they compare fairly.
  simulate --calibrate-from DB [--out FILE] [--from DATE] [--to DATE] [--data DIR]
           Estimate a scenario's demand, routing, DNA, cancellation, follow-up, PIFU and lead
           parameters from the database's pathway events between the London dates (default: all
           of them) and write it as a scenario file (to stdout without --out), printing with --out
           the period's observed mean waits by tier, which simulating the file should reproduce.
  version  Print the version.
  help     Print this help.

Each command also accepts --help.
)";

// Parses the flags of a command that takes only --db, returning the path.
StatusOr<std::string> DbFlag(const Args& args) {
  ASSIGN_OR_RETURN(Flags flags, Flags::Parse(args, {"db"}));
  return flags.Require("db");
}

bool WantsHelp(const Args& args) {
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h") return true;
  }
  return false;
}

}  // namespace

int ReportFailure(const Status& status) {
  std::cerr << "tendon: " << status.ToString() << "\n";
  return status.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
}

int RunMigrate(const Args& args, std::ostream& out) {
  auto db = DbFlag(args);
  if (!db.ok()) return ReportFailure(db.status());
  auto store = store::sqlite::SqliteStore::Open(*db);
  if (!store.ok()) return ReportFailure(store.status());
  out << "schema version " << store::sqlite::LatestSchemaVersion() << "\n";
  return kExitOk;
}

int RunCheck(const Args& args, std::ostream& out) {
  auto db = DbFlag(args);
  if (!db.ok()) return ReportFailure(db.status());
  if (!std::filesystem::exists(*db))
    return ReportFailure(NotFoundError("no database at " + *db, "--db"));
  auto store = store::sqlite::SqliteStore::Open(*db);
  if (!store.ok()) return ReportFailure(store.status());
  auto report = store::CheckInvariants(**store);
  if (!report.ok()) return ReportFailure(report.status());
  for (const std::string& violation : report->violations) out << violation << "\n";
  out << "referrals=" << report->referrals << " events=" << report->events << "\n";
  out << "violations=" << report->violations.size() << "\n";
  return report->violations.empty() ? kExitOk : kExitFailure;
}

void PrintDemoAccounts(const std::vector<demo::DemoAccount>& accounts, std::ostream& out) {
  if (accounts.empty()) return;
  out << "demo accounts (username / password):\n";
  for (const demo::DemoAccount& a : accounts) {
    out << "  " << RoleLabel(a.role) << ": " << a.username << " / " << a.password << "\n";
  }
}

int RunVersion(const Args&, std::ostream& out) {
  out << "tendon " << TENDON_VERSION << "\n";
  return kExitOk;
}

int Main(int argc, char** argv) {
  const std::map<std::string, int (*)(const Args&, std::ostream&)> commands{
      {"allocate", RunAllocate}, {"deliver", RunDeliver}, {"demo", RunDemo},
      {"migrate", RunMigrate},   {"check", RunCheck},     {"serve", RunServe},
      {"user", RunUser},         {"slots", RunSlots},     {"simulate", RunSimulate},
      {"sweep", RunSweep},       {"version", RunVersion}};
  if (argc < 2) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  const std::string name = argv[1];
  Args args(argv + 2, argv + argc);
  if (name == "help" || name == "--help" || name == "-h" || WantsHelp(args)) {
    std::cout << kUsage;
    return kExitOk;
  }
  auto it = commands.find(name);
  if (it == commands.end()) {
    std::cerr << "tendon: unknown command '" << name << "'; see tendon help\n";
    return kExitUsage;
  }
  return it->second(args, std::cout);
}

}  // namespace tendon::cli
