#include <gtest/gtest.h>

#include <vector>

#include "sim/event_queue.h"
#include "sim/random.h"

namespace tendon::sim {
namespace {

TEST(EventQueueTest, TakesEventsInTimeOrderAndTiesInSchedulingOrder) {
  EventQueue q(2);
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
