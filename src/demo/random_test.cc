#include "demo/random.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <set>

namespace tendon::demo {
namespace {

constexpr int kDraws = 200'000;

// Mean and variance of `draw()` over kDraws draws.
template <typename F>
std::pair<double, double> Moments(F draw) {
  double sum = 0;
  double sum_sq = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double x = static_cast<double>(draw());
    sum += x;
    sum_sq += x * x;
  }
  const double mean = sum / kDraws;
  return {mean, sum_sq / kDraws - mean * mean};
}

TEST(RngTest, SameSeedSameStreamAndReseedRestarts) {
  Rng a(42);
  Rng b(42);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.Bits(), b.Bits());
  b.Reseed(42);
  EXPECT_EQ(b.Bits(), Rng(42).Bits());
  EXPECT_NE(Rng(1).Bits(), Rng(2).Bits());
}

TEST(RngTest, UniformStaysInRange) {
  Rng rng(1);
  for (int i = 0; i < kDraws; ++i) {
    const double u = rng.Uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    const int k = rng.Between(3, 5);
    ASSERT_GE(k, 3);
    ASSERT_LE(k, 5);
  }
}

struct MomentCase {
  const char* name;
  double mean;
  double variance;
};

TEST(RngTest, SamplersHaveTheirMeansAndVariances) {
  Rng rng(7);
  const std::array<std::pair<MomentCase, std::pair<double, double>>, 7> cases{{
      {{"exponential(3)", 3, 9}, Moments([&] { return rng.Exponential(3); })},
      {{"normal(2, 1.5)", 2, 2.25}, Moments([&] { return rng.Normal(2, 1.5); })},
      {{"gamma(2.5, mean 10)", 10, 40}, Moments([&] { return rng.Gamma(2.5, 10); })},
      {{"gamma(0.5, mean 4)", 4, 32}, Moments([&] { return rng.Gamma(0.5, 4); })},
      {{"poisson(4)", 4, 4}, Moments([&] { return rng.Poisson(4); })},
      {{"poisson(180)", 180, 180}, Moments([&] { return rng.Poisson(180); })},
      {{"geometric(2.4)", 2.4, 2.4 * 3.4}, Moments([&] { return rng.Geometric(2.4); })},
  }};
  for (const auto& [c, moments] : cases) {
    EXPECT_NEAR(moments.first, c.mean, 0.02 * c.mean + 0.01) << c.name;
    EXPECT_NEAR(moments.second, c.variance, 0.06 * c.variance) << c.name;
  }
}

TEST(RngTest, PickFollowsTheWeights) {
  Rng rng(3);
  const std::array<double, 4> weights{0.5, 0.0, 0.3, 0.2};
  std::array<int, 4> counts{};
  for (int i = 0; i < kDraws; ++i) ++counts[rng.Pick(weights)];
  EXPECT_EQ(counts[1], 0);
  for (std::size_t i = 0; i < weights.size(); ++i) {
    EXPECT_NEAR(static_cast<double>(counts[i]) / kDraws, weights[i], 0.01);
  }
}

TEST(RngTest, Base32UsesCrockfordsAlphabet) {
  Rng rng(5);
  std::set<char> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string s = rng.Base32(12);
    ASSERT_EQ(s.size(), 12u);
    seen.insert(s.begin(), s.end());
  }
  EXPECT_EQ(seen.size(), 32u);
  for (char c : {'I', 'L', 'O', 'U'}) EXPECT_FALSE(seen.count(c)) << c;
}

TEST(RngTest, MixSeparatesNearbyInputs) {
  EXPECT_NE(Mix(1, 0), Mix(1, 1));
  EXPECT_NE(Mix(1, 0), Mix(2, 0));
  EXPECT_EQ(Mix(9, 9), Mix(9, 9));
}

}  // namespace
}  // namespace tendon::demo
