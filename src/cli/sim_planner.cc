#include "cli/sim_planner.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sim/plan.h"
#include "sim/runner.h"

namespace tendon::cli {
namespace {

namespace fs = std::filesystem;

// The clinician a request adds: a physiotherapist seeing new patients face to face all day.
constexpr int kAddedStart = 9 * 60;
constexpr int kAddedEnd = 17 * 60;
constexpr int kAddedSlotMinutes = 45;
constexpr int kMaxThreads = 2;  // The server's other work keeps the rest of the machine.

bool HasSite(const sim::Scenario& s, const std::string& id) {
  return std::any_of(s.sites.begin(), s.sites.end(),
                     [&](const Site& site) { return site.id == id; });
}

void AddClinician(sim::Scenario& s, const http::PlannerRequest& r) {
  Clinician who;
  who.id = "planner-added";
  who.name = "Added physiotherapist";
  who.profession = "physiotherapist";
  who.skills = {"physiotherapy"};
  who.base_site_id = r.add_site;
  ClinicTemplate t;
  t.id = who.id;
  t.clinician_id = who.id;
  t.site_id = r.add_site;
  t.weekdays = r.add_weekdays;
  t.start_minute = kAddedStart;
  t.end_minute = kAddedEnd;
  t.slot_type = SlotType::kNew;
  t.slot_minutes = kAddedSlotMinutes;
  t.modality = Modality::kFaceToFace;
  t.valid_from = s.start;
  s.clinicians.push_back(std::move(who));
  s.templates.push_back(std::move(t));
}

std::vector<http::PlannerFigure> Figures(const sim::Summary& baseline,
                                         const sim::Summary& scenario) {
  std::vector<http::PlannerFigure> out;
  const std::size_t n = std::min(baseline.metrics.size(), scenario.metrics.size());
  for (std::size_t i = 0; i < n; ++i) {
    const sim::Metric& b = baseline.metrics[i];
    const sim::Metric& s = scenario.metrics[i];
    if (b.name != s.name) continue;
    out.push_back({b.name, b.unit, b.estimate.mean, b.estimate.half_width, s.estimate.mean,
                   s.estimate.half_width});
  }
  return out;
}

class SimPlanner : public http::Planner {
 public:
  SimPlanner(std::map<std::string, fs::path> files, std::vector<http::PlannerChoice> scenarios,
             std::vector<http::PlannerChoice> sites)
      : files_(std::move(files)), scenarios_(std::move(scenarios)), sites_(std::move(sites)) {}

  std::vector<http::PlannerChoice> Scenarios() const override { return scenarios_; }
  std::vector<http::PlannerChoice> Sites() const override { return sites_; }

  StatusOr<http::PlannerResult> Run(const http::PlannerRequest& request) override {
    std::unique_lock lock(running_, std::try_to_lock);
    if (!lock.owns_lock()) return UnavailableError("another scenario is running");
    const auto file = files_.find(request.scenario);
    if (file == files_.end()) return InvalidArgumentError("choose a scenario", "scenario");
    const auto began = std::chrono::steady_clock::now();
    ASSIGN_OR_RETURN(sim::Scenario base, sim::LoadScenario(file->second));
    ASSIGN_OR_RETURN(sim::Scenario changed, PlannedScenario(base, request));
    ASSIGN_OR_RETURN(sim::Plan base_plan, sim::BuildPlan(base));
    ASSIGN_OR_RETURN(sim::Plan changed_plan, sim::BuildPlan(changed));
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const sim::RunOptions options{request.replications, std::min(cores, kMaxThreads), base.seed};
    const sim::Summary baseline = sim::Simulate(base_plan, options);
    const sim::Summary scenario = sim::Simulate(changed_plan, options);
    http::PlannerResult result;
    result.baseline_name = base.name;
    result.scenario_name = changed.name;
    result.replications = request.replications;
    result.weeks = base.weeks;
    result.figures = Figures(baseline, scenario);
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    return result;
  }

 private:
  const std::map<std::string, fs::path> files_;  // By id.
  const std::vector<http::PlannerChoice> scenarios_;
  const std::vector<http::PlannerChoice> sites_;
  std::mutex running_;  // Held while a run is under way.
};

}  // namespace

StatusOr<sim::Scenario> PlannedScenario(const sim::Scenario& base,
                                        const http::PlannerRequest& request) {
  sim::Scenario s = base;
  s.name = base.name + " with the planner's changes";
  s.demand.referrals_per_week *= 1 + request.demand_percent / 100;
  if (!request.add_site.empty()) {
    if (!HasSite(s, request.add_site)) {
      return InvalidArgumentError("is not one of the scenario's sites", "add_site");
    }
    AddClinician(s, request);
  }
  if (request.backlog > 0) {
    // A backlog of the base's make-up when it has one; otherwise routine patients.
    if (s.backlog.patients == 0) s.backlog.priority = {0, 0, 0, 1};
    s.backlog.patients += request.backlog;
  }
  if (!request.close_site.empty()) {
    if (!HasSite(s, request.close_site)) {
      return InvalidArgumentError("is not one of the scenario's sites", "close_site");
    }
    s.closures.push_back({request.close_site, request.close_from_week, request.close_weeks});
  }
  std::vector<Status> problems = sim::ScenarioProblems(s);
  if (!problems.empty()) return problems.front();
  return s;
}

StatusOr<std::shared_ptr<http::Planner>> MakeSimPlanner(const fs::path& dir) {
  if (!fs::is_directory(dir)) return NotFoundError("no scenario folder at " + dir.string());
  std::vector<fs::path> paths;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".toml") {
      paths.push_back(entry.path());
    }
  }
  if (paths.empty()) return NotFoundError("no scenario files in " + dir.string());
  std::sort(paths.begin(), paths.end());
  std::map<std::string, fs::path> files;
  std::vector<http::PlannerChoice> scenarios;
  std::vector<http::PlannerChoice> sites;
  for (const fs::path& path : paths) {
    ASSIGN_OR_RETURN(sim::Scenario s, sim::LoadScenario(path));
    const std::string id = path.filename().string();
    files[id] = path;
    scenarios.push_back({id, s.name});
    if (sites.empty()) {
      for (const Site& site : s.sites) sites.push_back({site.id, site.name});
    }
  }
  return std::shared_ptr<http::Planner>(
      std::make_shared<SimPlanner>(std::move(files), std::move(scenarios), std::move(sites)));
}

}  // namespace tendon::cli
