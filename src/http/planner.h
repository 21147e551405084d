// The planner page's view of the simulator (the simulator issue, part 5). http may not depend on
// sim (DESIGN.md, "Modules"), so the page runs scenarios through this interface, which the CLI
// implements with the simulator and gives the App (AppConfig::planner), as it gives the server its
// other workers. The page shows only simulated aggregates: no patient's data.
#ifndef TENDON_HTTP_PLANNER_H_
#define TENDON_HTTP_PLANNER_H_

#include <string>
#include <vector>

#include "core/status.h"

namespace tendon::http {

// The bounds of a planner run, checked by the page before it asks the Planner.
inline constexpr int kPlannerMaxReplications = 20;
inline constexpr int kPlannerMaxBacklog = 20000;
inline constexpr double kPlannerMinDemandPercent = -50;
inline constexpr double kPlannerMaxDemandPercent = 200;
inline constexpr int kPlannerMaxWeek = 52;

// A scenario file of the service, and changes on top of it; zero or empty changes nothing.
struct PlannerRequest {
  std::string scenario;           // One of Planner::Scenarios()' ids.
  double demand_percent = 0;      // Referrals up (or down) by this percentage.
  std::string add_site;           // A site id: a clinician added there ...
  std::vector<int> add_weekdays;  // ... on these ISO weekdays (1 Monday to 5 Friday).
  int backlog = 0;                // Patients transferred in at day 0, waiting to book.
  std::string close_site;         // A site id: closed ...
  int close_from_week = 0;        // ... from this week of the run ...
  int close_weeks = 0;            // ... for this many weeks.
  int replications = 10;
};

// One figure of the results: the baseline's and the scenario's means with their 95% intervals.
struct PlannerFigure {
  std::string name;  // "wait_mean_weeks.tier1"
  std::string unit;  // "weeks"
  double baseline = 0;
  double baseline_half_width = 0;
  double scenario = 0;
  double scenario_half_width = 0;
};

struct PlannerResult {
  std::string baseline_name;
  std::string scenario_name;
  int replications = 0;
  int weeks = 0;
  double seconds = 0;  // Wall time of the run.
  std::vector<PlannerFigure> figures;
};

struct PlannerChoice {
  std::string id;
  std::string label;
};

// Thread-safe. Runs one request at a time: a second while one is under way is refused.
class Planner {
 public:
  virtual ~Planner() = default;
  // The scenario files the planner may run, by id (the file name), with their names.
  virtual std::vector<PlannerChoice> Scenarios() const = 0;
  // The service's sites, for the forms' choices.
  virtual std::vector<PlannerChoice> Sites() const = 0;
  // Runs the scenario as it is (the baseline) and with the request's changes, with the same seed
  // (common random numbers). Unavailable while another run is under way; InvalidArgument naming
  // the field for a request that cannot run (an unknown scenario or site).
  virtual StatusOr<PlannerResult> Run(const PlannerRequest& request) = 0;
};

}  // namespace tendon::http

#endif  // TENDON_HTTP_PLANNER_H_
