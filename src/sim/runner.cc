#include "sim/runner.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <map>
#include <thread>

#include "sim/sinks.h"

namespace tendon::sim {
namespace {

// t(0.975, df) for df 1 to 30.
constexpr double kT95[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                           2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                           2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
constexpr double kZ975 = 1.959963985;
constexpr char kPriorityNames[][10] = {"emergency", "urgent", "post_op", "routine"};

using Extract = std::function<double(const Replication&)>;

void Add(Summary& out, std::string name, std::string unit, const Extract& extract) {
  std::vector<double> values;
  values.reserve(out.replications.size());
  for (const Replication& r : out.replications) values.push_back(extract(r));
  out.metrics.push_back({std::move(name), std::move(unit), Estimate95(values)});
}

void AddWaits(Summary& out, const std::string& group,
              const std::function<const report::WaitFigures&(const report::FoldResults&)>& of) {
  Add(out, "seen." + group, "referrals",
      [&](const Replication& r) { return static_cast<double>(of(r.results).count); });
  Add(out, "wait_mean_weeks." + group, "weeks",
      [&](const Replication& r) { return of(r.results).mean_days / 7; });
  Add(out, "wait_median_weeks." + group, "weeks",
      [&](const Replication& r) { return of(r.results).median_days / 7; });
  Add(out, "wait_p90_weeks." + group, "weeks",
      [&](const Replication& r) { return of(r.results).p90_days / 7; });
}

void Summarise(const Plan& plan, Summary& out) {
  Add(out, "referrals", "referrals",
      [](const Replication& r) { return static_cast<double>(r.results.referrals); });
  Add(out, "waiting_at_end", "referrals",
      [](const Replication& r) { return static_cast<double>(r.results.waiting_now); });
  Add(out, "waiting_list_mean", "referrals",
      [](const Replication& r) { return r.results.list_time_average; });
  Add(out, "triage_wait_days", "days", [](const Replication& r) {
    return r.stats.triages == 0 ? 0.0
                                : r.stats.triage_wait_days / static_cast<double>(r.stats.triages);
  });
  AddWaits(out, "all",
           [](const report::FoldResults& f) -> const report::WaitFigures& { return f.all; });
  for (int tier = 0; tier < 2; ++tier) {
    AddWaits(out, "tier" + std::to_string(tier + 1),
             [tier](const report::FoldResults& f) -> const report::WaitFigures& {
               return f.by_tier[tier];
             });
  }
  for (int p = 0; p < kPriorities; ++p) {
    Add(out, std::string("wait_mean_weeks.") + kPriorityNames[p], "weeks",
        [p](const Replication& r) { return r.results.by_priority[p].mean_days / 7; });
  }
  Add(out, "seen_within_6_weeks", "share",
      [](const Replication& r) { return r.results.all.within_6_weeks; });
  Add(out, "seen_within_18_weeks", "share",
      [](const Replication& r) { return r.results.all.within_18_weeks; });
  for (std::size_t i = 0; i < plan.site_ids.size(); ++i) {
    Add(out, "utilisation." + plan.site_ids[i], "share",
        [i](const Replication& r) { return r.results.sites[i].utilisation; });
  }
}

void SummariseSeries(Summary& out) {
  std::size_t weeks = 0;
  std::map<std::string, std::vector<double>> months;
  for (const Replication& r : out.replications) {
    weeks = std::max(weeks, r.results.weeks.size());
    for (const report::MonthCount& m : r.results.referrals_per_month) months[m.month];
  }
  for (std::size_t w = 0; w < weeks; ++w) {
    std::vector<double> values;
    for (const Replication& r : out.replications) {
      values.push_back(
          w < r.results.weeks.size() ? static_cast<double>(r.results.weeks[w].list_at_end) : 0.0);
    }
    out.weekly_list.push_back(Estimate95(values));
  }
  for (auto& [month, values] : months) {
    for (const Replication& r : out.replications) {
      double count = 0;
      for (const report::MonthCount& m : r.results.referrals_per_month) {
        if (m.month == month) count = static_cast<double>(m.referrals);
      }
      values.push_back(count);
    }
    out.months.push_back(month);
    out.monthly_referrals.push_back(Estimate95(values));
  }
}

}  // namespace

double StudentT95(int df) {
  if (df < 1) return 0;
  if (df <= 30) return kT95[df - 1];
  // Cornish-Fisher expansion about the normal quantile: within 1e-4 beyond 30 degrees.
  const double z = kZ975;
  const double n = df;
  const double z3 = z * z * z;
  const double z5 = z3 * z * z;
  const double z7 = z5 * z * z;
  return z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n) +
         (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * n * n * n);
}

Estimate Estimate95(std::span<const double> values) {
  Estimate e;
  if (values.empty()) return e;
  double sum = 0;
  for (double v : values) sum += v;
  const auto n = static_cast<double>(values.size());
  e.mean = sum / n;
  if (values.size() < 2) return e;
  double squares = 0;
  for (double v : values) squares += (v - e.mean) * (v - e.mean);
  const double sd = std::sqrt(squares / (n - 1));
  e.half_width = StudentT95(static_cast<int>(values.size()) - 1) * sd / std::sqrt(n);
  return e;
}

Summary Simulate(const Plan& plan, const RunOptions& options) {
  Summary out;
  out.scenario = plan.scenario.name;
  out.options = options;
  const int n = std::max(options.replications, 1);
  out.replications.resize(static_cast<std::size_t>(n));
  std::atomic<int> next{0};
  const auto work = [&] {
    for (int i = next++; i < n; i = next++) {
      FoldSink sink(plan);
      ReplicationStats stats = RunReplication(plan, options.seed, i, sink);
      out.replications[static_cast<std::size_t>(i)] = {sink.Results(), stats};
    }
  };
  const int threads = std::clamp(options.threads, 1, n);
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  for (const Replication& r : out.replications) {
    out.pathway_events += r.stats.pathway_events;
    out.engine_events += r.stats.engine_events;
  }
  Summarise(plan, out);
  SummariseSeries(out);
  return out;
}

}  // namespace tendon::sim
