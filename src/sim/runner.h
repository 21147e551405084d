// Replications of a plan run in parallel, and their results with 95% confidence intervals.
//
// Replication i draws from streams seeded by (seed, i) only and its results land in slot i, so the
// same seed gives the same summary, to the bit, whatever the number of threads. Two scenarios run
// with the same seed share their random streams (common random numbers: sim/random.h), so their
// difference is measured with less noise than two independent runs would give.
#ifndef TENDON_SIM_RUNNER_H_
#define TENDON_SIM_RUNNER_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "report/fold.h"
#include "sim/model.h"
#include "sim/plan.h"

namespace tendon::sim {

struct RunOptions {
  int replications = 10;
  int threads = 1;
  std::uint64_t seed = 1;
};

// A mean over replications with its 95% confidence interval (Student t with n - 1 degrees of
// freedom); half_width is 0 for a single replication.
struct Estimate {
  double mean = 0;
  double half_width = 0;
  double low() const { return mean - half_width; }
  double high() const { return mean + half_width; }
};

// One figure: a name ("wait_mean_weeks.tier2"), its unit and its estimate.
struct Metric {
  std::string name;
  std::string unit;
  Estimate estimate;
};

struct Replication {
  report::FoldResults results;
  ReplicationStats stats;
};

struct Summary {
  std::string scenario;
  RunOptions options;
  std::vector<Replication> replications;  // In replication order.
  std::vector<Metric> metrics;            // The figures, in a fixed order.
  std::vector<Estimate> weekly_list;      // Waiting list at each week's end.
  std::vector<std::string> months;        // Months with referrals, in order.
  std::vector<Estimate> monthly_referrals;
  std::int64_t pathway_events = 0;  // Over all replications.
  std::int64_t engine_events = 0;
};

// The two-sided 95% quantile of Student's t with `df` >= 1 degrees of freedom.
double StudentT95(int df);

// The mean of `values` with its 95% confidence interval.
Estimate Estimate95(std::span<const double> values);

// Runs options.replications replications of `plan` on options.threads threads (at least 1), each
// folding its events into the report's figures.
Summary Simulate(const Plan& plan, const RunOptions& options);

}  // namespace tendon::sim

#endif  // TENDON_SIM_RUNNER_H_
