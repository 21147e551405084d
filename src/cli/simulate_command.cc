// `tendon simulate`: runs a scenario's replications in parallel and prints its results with 95%
// confidence intervals, as text, JSON or an HTML page (the simulator issue).
#include <algorithm>
#include <chrono>
#include <fstream>
#include <limits>
#include <optional>
#include <thread>

#include "cli/calibrate.h"
#include "cli/commands.h"
#include "cli/flags.h"
#include "config/clinics.h"
#include "config/service.h"
#include "core/london_time.h"
#include "sim/output.h"
#include "sim/plan.h"
#include "sim/runner.h"
#include "sim/scenario.h"
#include "store/sqlite/sqlite_store.h"

namespace tendon::cli {
namespace {

constexpr int kMaxReplications = 10000;
constexpr int kMaxThreads = 256;

// --from and --to, London dates (both days included); the database's whole history by default.
StatusOr<CalibrationPeriod> Period(const Flags& flags, store::Store& store) {
  ASSIGN_OR_RETURN(CalibrationPeriod period, WholeHistory(store));
  if (const std::optional<std::string> from = flags.Get("from")) {
    ASSIGN_OR_RETURN(Date day, ParseDate(*from, "--from"));
    ASSIGN_OR_RETURN(period.from, FromLondon(day, std::chrono::minutes(0)));
  }
  if (const std::optional<std::string> to = flags.Get("to")) {
    ASSIGN_OR_RETURN(Date day, ParseDate(*to, "--to"));
    ASSIGN_OR_RETURN(period.to, FromLondon(day + date::days(1), std::chrono::minutes(0)));
  }
  if (period.to <= period.from) return InvalidArgumentError("must be after --from", "--to");
  return period;
}

// `tendon simulate --calibrate-from DB`: writes the calibrated scenario (to --out, or to `out`)
// and the period's observed waits, which a simulation of that scenario should reproduce.
Status CalibrateCommand(const Args& args, std::ostream& out) {
  ASSIGN_OR_RETURN(Flags flags,
                   Flags::Parse(args, {"calibrate-from", "out", "from", "to", "data"}));
  ASSIGN_OR_RETURN(std::string db, flags.Require("calibrate-from"));
  if (!std::filesystem::exists(db))
    return NotFoundError("no database at " + db, "--calibrate-from");
  RETURN_IF_ERROR(CheckLondonTimeZone());
  const std::filesystem::path data =
      std::filesystem::absolute(flags.Get("data").value_or(TENDON_DEFAULT_DATA_DIR));
  ASSIGN_OR_RETURN(config::ServiceConfig service,
                   config::LoadService(data / config::kServiceSubdir));
  ASSIGN_OR_RETURN(auto store, store::sqlite::SqliteStore::Open(db));
  ASSIGN_OR_RETURN(CalibrationPeriod period, Period(flags, *store));
  ASSIGN_OR_RETURN(config::ClinicsConfig clinics,
                   config::LoadClinics(data / config::kServiceSubdir, service));
  ASSIGN_OR_RETURN(Calibration c,
                   Calibrate(*store, period, service.timing.horizon_weeks, clinics.templates));
  const std::string toml = CalibratedScenarioToml(c, (data / config::kServiceSubdir).string(),
                                                  (data / config::kBankHolidaysFile).string());
  const std::optional<std::string> file = flags.Get("out");
  if (!file) {
    out << toml;
    return OkStatus();
  }
  std::ofstream written(*file, std::ios::binary | std::ios::trunc);
  written << toml;
  if (!written) return UnavailableError("cannot write " + *file);
  const report::FoldResults& seen = c.observed;
  out << "calibrated " << *file << " from " << c.events << " events, " << c.referrals
      << " referrals\nobserved: wait_mean_weeks.all=" << seen.all.mean_days / 7
      << " wait_mean_weeks.tier1=" << seen.by_tier[0].mean_days / 7
      << " wait_mean_weeks.tier2=" << seen.by_tier[1].mean_days / 7 << " seen=" << seen.seen
      << "\n";
  return OkStatus();
}

Status Simulate(const Args& args, std::ostream& out) {
  if (!args.empty() && args.front().starts_with("--calibrate-from")) {
    return CalibrateCommand(args, out);
  }
  if (args.empty() || args.front().starts_with("--")) {
    return InvalidArgumentError("give the scenario file first: tendon simulate SCENARIO",
                                "SCENARIO");
  }
  const Args rest(args.begin() + 1, args.end());
  ASSIGN_OR_RETURN(Flags flags,
                   Flags::Parse(rest, {"replications", "threads", "seed", "html"}, {"json"}));
  RETURN_IF_ERROR(CheckLondonTimeZone());
  ASSIGN_OR_RETURN(sim::Scenario scenario, sim::LoadScenario(args.front()));
  sim::RunOptions options;
  ASSIGN_OR_RETURN(std::int64_t replications,
                   flags.Int("replications", scenario.replications, 1, kMaxReplications));
  const auto cores = static_cast<std::int64_t>(std::max(1u, std::thread::hardware_concurrency()));
  ASSIGN_OR_RETURN(std::int64_t threads, flags.Int("threads", cores, 1, kMaxThreads));
  ASSIGN_OR_RETURN(std::int64_t seed, flags.Int("seed", static_cast<std::int64_t>(scenario.seed), 0,
                                                std::numeric_limits<std::int64_t>::max()));
  options.replications = static_cast<int>(replications);
  options.threads = static_cast<int>(threads);
  options.seed = static_cast<std::uint64_t>(seed);

  ASSIGN_OR_RETURN(sim::Plan plan, sim::BuildPlan(scenario));
  const auto began = std::chrono::steady_clock::now();
  sim::Summary summary = sim::Simulate(plan, options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();

  if (const std::optional<std::string> html = flags.Get("html")) {
    std::ofstream file(*html, std::ios::binary | std::ios::trunc);
    file << sim::SummaryHtml(summary);
    if (!file) return UnavailableError("cannot write " + *html);
  }
  if (flags.Has("json")) {
    out << sim::SummaryJson(summary);
    return OkStatus();
  }
  out << sim::SummaryText(summary);
  out << "run: seconds=" << seconds << " replications=" << options.replications
      << " threads=" << options.threads << " pathway_events=" << summary.pathway_events
      << " engine_events=" << summary.engine_events << "\n";
  return OkStatus();
}

}  // namespace

int RunSimulate(const Args& args, std::ostream& out) {
  Status status = Simulate(args, out);
  return status.ok() ? 0 : ReportFailure(status);
}

}  // namespace tendon::cli
