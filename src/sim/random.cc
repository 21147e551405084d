#include "sim/random.h"

namespace tendon::sim {
namespace {

// The right edge of the exponential ziggurat's 255 rectangles, and the area of every layer, for
// 256 layers (Marsaglia and Tsang, "The ziggurat method for generating random variables", 2000).
constexpr double kExpR = 7.69711747013104972;
constexpr double kExpArea = 3.949659822581572e-3;

ExpZiggurat MakeExpZiggurat() {
  ExpZiggurat z{};
  z.x[0] = kExpArea / std::exp(-kExpR);
  z.x[1] = kExpR;
  for (int i = 1; i < 255; ++i) z.x[i + 1] = -std::log(kExpArea / z.x[i] + std::exp(-z.x[i]));
  z.x[256] = 0;
  for (int i = 0; i < 257; ++i) z.f[i] = std::exp(-z.x[i]);
  return z;
}

std::uint64_t SplitMix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

const ExpZiggurat kExpZiggurat = MakeExpZiggurat();

std::uint64_t MixSeed(std::uint64_t a, std::uint64_t b) {
  std::uint64_t state = a ^ (b * 0xd1b54a32d192ed03ULL);
  SplitMix(state);
  return SplitMix(state);
}

Rng::Rng(std::uint64_t seed) {
  std::uint64_t state = seed;
  for (std::uint64_t& word : s_) word = SplitMix(state);
}

int Rng::Geometric(double mean) {
  if (mean <= 0) return 0;
  // Failures before the first success, with success probability 1 / (1 + mean).
  const double q = mean / (1 + mean);
  return static_cast<int>(std::floor(std::log1p(-Uniform()) / std::log(q)));
}

double Rng::ExponentialEdge(std::size_t i, double x) {
  for (;;) {
    // The base layer's part beyond r is the tail, and the exponential is memoryless there.
    if (i == 0) return kExpR - std::log(UniformOpenZero());
    // Under the curve within the layer's wedge: accept.
    if (kExpZiggurat.f[i + 1] + (kExpZiggurat.f[i] - kExpZiggurat.f[i + 1]) * Uniform() <
        std::exp(-x)) {
      return x;
    }
    const std::uint64_t bits = Bits();
    i = bits & 0xff;
    x = static_cast<double>(bits >> 11) * 0x1.0p-53 * kExpZiggurat.x[i];
    if (x < kExpZiggurat.x[i + 1]) return x;
  }
}

double Rng::Normal() {
  for (;;) {
    const double u = 2 * Uniform() - 1;
    const double v = 2 * Uniform() - 1;
    const double s = u * u + v * v;
    if (s > 0 && s < 1) return u * std::sqrt(-2 * std::log(s) / s);
  }
}

double Rng::Gamma(double mean, double shape) {
  if (mean <= 0) return 0;
  // A shape below 1: draw with shape + 1 and scale by U^(1/shape) (Marsaglia and Tsang, 2000).
  const double boost = shape < 1 ? std::pow(UniformOpenZero(), 1 / shape) : 1;
  const double a = shape < 1 ? shape + 1 : shape;
  const double d = a - 1.0 / 3;
  const double c = 1 / std::sqrt(9 * d);
  for (;;) {
    const double x = Normal();
    const double v = std::pow(1 + c * x, 3);
    if (v <= 0) continue;
    const double u = UniformOpenZero();
    if (std::log(u) < 0.5 * x * x + d - d * v + d * std::log(v)) {
      return d * v * boost * mean / shape;
    }
  }
}

std::size_t Rng::Pick(std::span<const double> weights) {
  double total = 0;
  for (double w : weights) total += w;
  double x = Uniform() * total;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (x < weights[i]) return i;
    x -= weights[i];
  }
  // Rounding left x at the total: the last index with weight.
  for (std::size_t i = weights.size(); i-- > 0;) {
    if (weights[i] > 0) return i;
  }
  return 0;
}

}  // namespace tendon::sim
