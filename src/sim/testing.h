// Scenarios for the simulator's tests, built in code.
#ifndef TENDON_SIM_TESTING_H_
#define TENDON_SIM_TESTING_H_

#include <gtest/gtest.h>

#include <string>

#include "sim/plan.h"
#include "sim/runner.h"
#include "sim/scenario.h"

namespace tendon::sim::testing {

// An M/M/c queue as a scenario: Poisson referrals at `per_day`, every one routine and accepted
// (triage by an effectively infinite pool taking a negligible time), then one visit of exponential
// length with mean `visit_minutes` from a pool of `servers` clinicians working at any time.
inline Scenario MmcScenario(double per_day, double visit_minutes, int servers, int weeks,
                            int warmup_weeks) {
  using namespace date::literals;
  Scenario s;
  s.name = "M/M/c";
  s.start = 2026_y / 1 / 5;
  s.weeks = weeks;
  s.warmup_weeks = warmup_weeks;
  s.demand.referrals_per_week = per_day * 7;
  s.demand.regions = {"all"};
  s.demand.region_shares = {1};
  s.demand.sources[0].share = 1;
  s.demand.tier2_lines[0] = 1;
  s.triage.clinicians = 100000;
  s.triage.mean_minutes = 1e-4;
  s.triage.working_hours = false;
  s.treatment.model = CapacityModel::kPool;
  s.treatment.pool_clinicians = servers;
  s.treatment.visit_mean_minutes = visit_minutes;
  s.treatment.visits_min = 1;
  s.treatment.visits_max = 1;
  return s;
}

// The summary's metric `name`; a test failure, and an empty metric, when it has none.
inline const Metric& Find(const Summary& s, const std::string& name) {
  for (const Metric& m : s.metrics) {
    if (m.name == name) return m;
  }
  ADD_FAILURE() << "no metric " << name;
  static const Metric none;
  return none;
}

// The mean over two replications (seed 4, two threads) of `scenario`'s mean tier 1 wait, in weeks;
// a test failure, and 0, when its plan cannot be built.
inline double MeanTier1Wait(const Scenario& scenario) {
  StatusOr<Plan> plan = BuildPlan(scenario);
  if (!plan.ok()) {
    ADD_FAILURE() << plan.status().ToString();
    return 0;
  }
  return Find(Simulate(*plan, {.replications = 2, .threads = 2, .seed = 4}),
              "wait_mean_weeks.tier1")
      .estimate.mean;
}

}  // namespace tendon::sim::testing

#endif  // TENDON_SIM_TESTING_H_
