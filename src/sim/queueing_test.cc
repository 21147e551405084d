// The engine against queueing theory: Erlang C for an M/M/c queue, Little's law on the waiting
// list, conservation of referrals, and seed determinism whatever the thread count.
#include <gtest/gtest.h>

#include <cmath>

#include "core/pathway.h"
#include "sim/plan.h"
#include "sim/runner.h"
#include "sim/sinks.h"
#include "sim/testing.h"

namespace tendon::sim {
namespace {

// Erlang C: the mean wait in queue of an M/M/c queue with arrival rate `lambda` and service rate
// `mu` per server, in the time unit of the rates.
double ErlangCWait(double lambda, double mu, int c) {
  const double a = lambda / mu;
  double term = 1;  // a^k / k!
  double sum = 0;
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double last = term * c / (c - a);
  const double p_wait = last / (sum + last);
  return p_wait / (c * mu - lambda);
}

// 300 referrals a day to 10 clinicians whose visits average 33.6 minutes: utilisation 0.7. Thirty
// replications of 39 weeks after a 2-week warm-up (about 2.5 million customers) put the mean within
// about 1% of the analytic value, with a 95% interval of 2-3% either side, for any seed tried.
constexpr double kPerDay = 300;
constexpr double kVisitMinutes = 33.6;
constexpr int kServers = 10;

class MmcTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    StatusOr<Plan> plan = BuildPlan(testing::MmcScenario(kPerDay, kVisitMinutes, kServers, 39, 2));
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    plan_ = new Plan(std::move(*plan));
    summary_ = new Summary(Simulate(*plan_, {.replications = 30, .threads = 2, .seed = 2026}));
  }
  static void TearDownTestSuite() {
    delete summary_;
    delete plan_;
  }
  static Plan* plan_;
  static Summary* summary_;
};
Plan* MmcTest::plan_ = nullptr;
Summary* MmcTest::summary_ = nullptr;

TEST_F(MmcTest, MeanQueueWaitMatchesErlangC) {
  const double mu = 1440 / kVisitMinutes;
  const double analytic_weeks = ErlangCWait(kPerDay, mu, kServers) / 7;
  const Estimate& wait = testing::Find(*summary_, "wait_mean_weeks.all").estimate;
  EXPECT_NEAR(wait.mean, analytic_weeks, 0.03 * analytic_weeks);
  EXPECT_LE(wait.low(), analytic_weeks);
  EXPECT_GE(wait.high(), analytic_weeks);
  // The interval is tight enough for the 3% test to mean something.
  EXPECT_LT(wait.half_width, 0.03 * analytic_weeks);
}

TEST_F(MmcTest, LittlesLawHoldsOnTheWaitingList) {
  for (const Replication& r : summary_->replications) {
    const report::FoldResults& f = r.results;
    const double little = f.list_arrivals_per_day * f.list_mean_days;
    EXPECT_NEAR(f.list_time_average, little, 0.03 * little);
  }
  // And against the theory: the mean queue length is lambda times the Erlang C wait.
  const double analytic_length = kPerDay * ErlangCWait(kPerDay, 1440 / kVisitMinutes, kServers);
  const Estimate& length = testing::Find(*summary_, "waiting_list_mean").estimate;
  EXPECT_NEAR(length.mean, analytic_length, 0.05 * analytic_length);
}

// Counts what a run emits: referrals opened and referrals that reached a terminal state.
class CountingSink : public Sink {
 public:
  void Emit(const Emitted& e) override {
    if (e.type == EventType::kReferralReceived || e.type == EventType::kTransferImported) ++opened;
    if (IsTerminal(e.state)) ++ended;
  }
  std::int64_t opened = 0;
  std::int64_t ended = 0;
};

TEST_F(MmcTest, ArrivalsEqualCompletionsPlusThoseInTheSystem) {
  CountingSink sink;
  ReplicationStats stats = RunReplication(*plan_, 7, 0, sink);
  EXPECT_GT(sink.opened, 50000);
  EXPECT_EQ(sink.opened, stats.arrivals);
  EXPECT_EQ(sink.ended, stats.completed);
  EXPECT_GT(stats.in_system, 0);
  EXPECT_EQ(stats.arrivals, stats.completed + stats.in_system);
}

TEST(DeterminismTest, SameSeedGivesIdenticalResultsOnOneAndTwoThreads) {
  StatusOr<Plan> plan = BuildPlan(testing::MmcScenario(200, 60, 9, 8, 1));
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  Summary one = Simulate(*plan, {.replications = 5, .threads = 1, .seed = 99});
  Summary two = Simulate(*plan, {.replications = 5, .threads = 2, .seed = 99});
  ASSERT_EQ(one.metrics.size(), two.metrics.size());
  for (std::size_t i = 0; i < one.metrics.size(); ++i) {
    EXPECT_EQ(one.metrics[i].estimate.mean, two.metrics[i].estimate.mean) << one.metrics[i].name;
    EXPECT_EQ(one.metrics[i].estimate.half_width, two.metrics[i].estimate.half_width)
        << one.metrics[i].name;
  }
  EXPECT_EQ(one.pathway_events, two.pathway_events);
  Summary other = Simulate(*plan, {.replications = 5, .threads = 2, .seed = 100});
  EXPECT_NE(one.metrics[0].estimate.mean, other.metrics[0].estimate.mean);
}

TEST(StudentTTest, QuantilesMatchTables) {
  EXPECT_DOUBLE_EQ(StudentT95(1), 12.706);
  EXPECT_DOUBLE_EQ(StudentT95(19), 2.093);
  EXPECT_NEAR(StudentT95(40), 2.021, 0.001);
  EXPECT_NEAR(StudentT95(120), 1.980, 0.001);
  const double values[] = {1, 2, 3, 4};
  Estimate e = Estimate95(values);
  EXPECT_DOUBLE_EQ(e.mean, 2.5);
  EXPECT_NEAR(e.half_width, 3.182 * std::sqrt(5.0 / 3) / 2, 1e-9);
}

}  // namespace
}  // namespace tendon::sim
