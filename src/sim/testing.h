// Scenarios for the simulator's tests, built in code.
#ifndef TENDON_SIM_TESTING_H_
#define TENDON_SIM_TESTING_H_

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

}  // namespace tendon::sim::testing

#endif  // TENDON_SIM_TESTING_H_
