#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <iterator>
#include <queue>
#include <utility>
#include <vector>

#include "sim/event_queue.h"
#include "sim/random.h"

namespace tendon::sim {
namespace {

TEST(EventQueueTest, TakesEventsInTimeOrderAndTiesInSchedulingOrder) {
  EventQueue q;
  const std::vector<double> times{5, 1, 3, 1, 4, 2, 1};
  for (std::uint32_t i = 0; i < times.size(); ++i) q.Push(times[i], 0, i);
  std::vector<std::uint32_t> order;
  double last = 0;
  while (!q.empty()) {
    SimEvent e = q.Pop();
    EXPECT_GE(e.time, last);
    last = e.time;
    order.push_back(e.entity());
  }
  EXPECT_EQ(order, (std::vector<std::uint32_t>{1, 3, 6, 5, 2, 4, 0}));
}

TEST(EventQueueTest, PacksKindEntityAndAux) {
  EventQueue q;
  q.Push(2, 9, SimEvent::kMaxEntity, true);
  q.Push(1, 15, 12345, false);
  SimEvent first = q.Pop();
  EXPECT_EQ(first.kind(), 15);
  EXPECT_EQ(first.entity(), 12345u);
  EXPECT_FALSE(first.aux());
  SimEvent second = q.Pop();
  EXPECT_EQ(second.kind(), 9);
  EXPECT_EQ(second.entity(), SimEvent::kMaxEntity);
  EXPECT_TRUE(second.aux());
  EXPECT_EQ(sizeof(SimEvent), 16u);
}

TEST(EventQueueTest, InterleavedPushesAndPopsStayOrdered) {
  EventQueue q;
  Rng rng(7);
  double now = 0;
  for (int i = 0; i < 1000; ++i) q.Push(rng.Exponential(1), 0, 0);
  for (int i = 0; i < 100000; ++i) {
    SimEvent e = q.Pop();
    ASSERT_GE(e.time, now);
    now = e.time;
    q.Push(now + rng.Exponential(1), 0, 0);
  }
  EXPECT_EQ(q.size(), 1000u);
}

// Far-future events wait in the day buckets: they must still come out in time order, ties in
// scheduling order, among events scheduled later for sooner.
TEST(EventQueueTest, FarFutureEventsComeOutInOrderWithNearOnes) {
  EventQueue q;
  q.Push(30.5, 1, 1);  // A follow-up a month away.
  q.Push(0.25, 2, 2);
  q.Push(30.5, 3, 3);  // Same time: after the first.
  q.Push(7.0, 4, 4);
  EXPECT_EQ(q.Pop().entity(), 2u);
  q.Push(30.25, 5, 5);  // Scheduled later, due sooner than the month's two.
  q.Push(0.5, 6, 6);    // Within the current window.
  std::vector<std::uint32_t> order;
  while (!q.empty()) order.push_back(q.Pop().entity());
  EXPECT_EQ(order, (std::vector<std::uint32_t>{6, 4, 5, 1, 3}));
}

// Events minutes to months away, pushed while others are taken, come out exactly as a single
// heap ordered by (time, scheduling order) would give them: through the ring's laps, the
// overflow's dealing and the jumps over empty weeks.
TEST(EventQueueTest, MatchesASingleHeapOverManyLaps) {
  EventQueue q;
  Rng rng(11);
  using Key = std::pair<double, std::uint32_t>;  // Time, and the entity, numbered in push order.
  std::priority_queue<Key, std::vector<Key>, std::greater<>> reference;
  std::uint32_t pushed = 0;
  const auto push = [&](double time) {
    const std::uint32_t id = pushed++ & SimEvent::kMaxEntity;
    q.Push(time, 0, id);
    reference.push({time, id});
  };
  double now = 0;
  for (int i = 0; i < 200; ++i) push(rng.Uniform() * 100);
  for (int i = 0; i < 200000; ++i) {
    ASSERT_FALSE(q.empty());
    const SimEvent e = q.Pop();
    ASSERT_EQ(e.time, reference.top().first);
    ASSERT_EQ(e.entity(), reference.top().second);
    reference.pop();
    now = e.time;
    const double u = rng.Uniform();
    if (u < 0.5) push(now + rng.Exponential(0.02));    // Within the window, mostly.
    if (u < 0.8) push(now + rng.Exponential(7));       // A week on: often past the ring.
    if (u > 0.9) push(now + 40 + rng.Uniform() * 60);  // Months on: the overflow.
    if (u > 0.95) push(now);                           // A tie with the event just taken.
    if (reference.empty()) push(now + 30);             // After a gap of empty weeks.
  }
  EXPECT_EQ(q.size(), reference.size());
}

TEST(RngTest, GammaHasItsMeanAndVariance) {
  for (double shape : {0.5, 1.0, 2.5}) {
    Rng rng(MixSeed(9, static_cast<std::uint64_t>(shape * 10)));
    constexpr int kDraws = 200000;
    const double mean = 14;
    double sum = 0;
    double squares = 0;
    for (int i = 0; i < kDraws; ++i) {
      const double x = rng.Gamma(mean, shape);
      ASSERT_GE(x, 0);
      sum += x;
      squares += x * x;
    }
    const double m = sum / kDraws;
    EXPECT_NEAR(m, mean, mean * 0.02) << "shape " << shape;
    EXPECT_NEAR(squares / kDraws - m * m, mean * mean / shape, mean * mean / shape * 0.05)
        << "shape " << shape;
  }
}

TEST(RngTest, SameSeedSameStreamAndDistinctSeedsDiffer) {
  Rng a(MixSeed(1, 2));
  Rng b(MixSeed(1, 2));
  Rng c(MixSeed(1, 3));
  for (int i = 0; i < 100; ++i) {
    const std::uint64_t x = a.Bits();
    EXPECT_EQ(x, b.Bits());
    EXPECT_NE(x, c.Bits());
  }
}

// The ziggurat's layers, wedges and tail together give the exponential's distribution: the share
// at or below each point (beyond the tail's start at 7.7 too) is within four standard errors.
TEST(RngTest, ExponentialFollowsItsDistribution) {
  Rng rng(7);
  constexpr int kDraws = 2'000'000;
  const double points[] = {0.01, 0.1, 0.5, 1, 2, 4, 7, 7.8, 9, 12};
  int below[std::size(points)] = {};
  double smallest = 1;
  for (int i = 0; i < kDraws; ++i) {
    const double x = rng.StandardExponential();
    ASSERT_GE(x, 0);
    smallest = std::min(smallest, x);
    for (std::size_t p = 0; p < std::size(points); ++p) below[p] += x <= points[p];
  }
  for (std::size_t p = 0; p < std::size(points); ++p) {
    const double expected = 1 - std::exp(-points[p]);
    const double error = std::sqrt(expected * (1 - expected) / kDraws);
    EXPECT_NEAR(below[p] / static_cast<double>(kDraws), expected, 4 * error + 1e-7)
        << "at " << points[p];
  }
  EXPECT_LT(smallest, 1e-5);
}

TEST(RngTest, DrawsHaveTheirMeans) {
  Rng rng(42);
  constexpr int kDraws = 200000;
  double exp_sum = 0;
  double geo_sum = 0;
  int between_low = 0;
  int between_high = 0;
  for (int i = 0; i < kDraws; ++i) {
    exp_sum += rng.Exponential(2.5);
    geo_sum += rng.Geometric(1.5);
    const int v = rng.Between(1, 6);
    ASSERT_GE(v, 1);
    ASSERT_LE(v, 6);
    between_low += v == 1;
    between_high += v == 6;
  }
  EXPECT_NEAR(exp_sum / kDraws, 2.5, 0.03);
  EXPECT_NEAR(geo_sum / kDraws, 1.5, 0.03);
  EXPECT_NEAR(between_low / static_cast<double>(kDraws), 1.0 / 6, 0.01);
  EXPECT_NEAR(between_high / static_cast<double>(kDraws), 1.0 / 6, 0.01);
  const double weights[] = {0.2, 0.0, 0.8};
  int picks[3] = {0, 0, 0};
  for (int i = 0; i < kDraws; ++i) ++picks[rng.Pick(weights)];
  EXPECT_EQ(picks[1], 0);
  EXPECT_NEAR(picks[0] / static_cast<double>(kDraws), 0.2, 0.01);
}

}  // namespace
}  // namespace tendon::sim
