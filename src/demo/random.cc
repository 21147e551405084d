#include "demo/random.h"

#include <cmath>
#include <numbers>
#include <string_view>

namespace tendon::demo {
namespace {

constexpr int kMantissaBits = 53;
constexpr double kMantissaScale = 0x1.0p-53;
// Below this mean, Poisson draws multiply uniforms; above it PTRS is faster and exact.
constexpr double kPoissonSmallMean = 10.0;
constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr int kBase32Bits = 5;
constexpr std::uint64_t kBase32Mask = 31;

}  // namespace

double Rng::Uniform() {
  return static_cast<double>(engine_() >> (64 - kMantissaBits)) * kMantissaScale;
}

std::uint64_t Rng::Below(std::uint64_t n) {
  // Rejection keeps the draw exactly uniform.
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  std::uint64_t x = engine_();
  while (x >= limit) x = engine_();
  return x % n;
}

int Rng::Between(int lo, int hi) {
  return lo + static_cast<int>(Below(static_cast<std::uint64_t>(hi - lo) + 1));
}

double Rng::Exponential(double mean) { return -mean * std::log1p(-Uniform()); }

double Rng::Normal() {
  const double u = 1.0 - Uniform();  // (0, 1]: log(u) is finite.
  const double v = Uniform();
  return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * v);
}

double Rng::Gamma(double shape, double mean) {
  if (shape < 1.0) {
    // Boost a shape below 1: Gamma(k) = Gamma(k + 1) * U^(1/k).
    const double u = 1.0 - Uniform();
    return Gamma(shape + 1.0, mean * (shape + 1.0) / shape) * std::pow(u, 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x = Normal();
    double v = 1.0 + c * x;
    if (v <= 0.0) continue;
    v = v * v * v;
    const double u = 1.0 - Uniform();
    if (std::log(u) < 0.5 * x * x + d - d * v + d * std::log(v)) return d * v * mean / shape;
  }
}

std::int64_t Rng::Poisson(double lambda) {
  if (lambda <= 0.0) return 0;
  if (lambda < kPoissonSmallMean) {
    const double limit = std::exp(-lambda);
    std::int64_t k = 0;
    double product = Uniform();
    while (product > limit) {
      ++k;
      product *= Uniform();
    }
    return k;
  }
  // PTRS: W. Hormann, "The transformed rejection method for generating Poisson random variables",
  // Insurance: Mathematics and Economics 12 (1993); constants from the paper.
  const double slam = std::sqrt(lambda);
  const double loglam = std::log(lambda);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2.0);
  for (;;) {
    const double u = Uniform() - 0.5;
    const double v = Uniform();
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2.0 * a / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<std::int64_t>(k);
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <=
        -lambda + k * loglam - std::lgamma(k + 1.0)) {
      return static_cast<std::int64_t>(k);
    }
  }
}

int Rng::Geometric(double mean) {
  if (mean <= 0.0) return 0;
  // P(X >= n) = q^n with q = mean / (1 + mean).
  const double q = mean / (1.0 + mean);
  const double u = 1.0 - Uniform();
  return static_cast<int>(std::floor(std::log(u) / std::log(q)));
}

std::size_t Rng::Pick(std::span<const double> weights) {
  double total = 0.0;
  for (double w : weights) total += w;
  double x = Uniform() * total;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (x < weights[i]) return i;
    x -= weights[i];
  }
  // Rounding can leave x just past the end: the last index with weight takes it.
  for (std::size_t i = weights.size(); i > 0; --i) {
    if (weights[i - 1] > 0.0) return i - 1;
  }
  return 0;
}

std::string Rng::Base32(int n) {
  std::string out(static_cast<std::size_t>(n), '0');
  std::uint64_t bits = 0;
  int available = 0;
  for (char& c : out) {
    if (available < kBase32Bits) {
      bits = engine_();
      available = 64;
    }
    c = kCrockford[bits & kBase32Mask];
    bits >>= kBase32Bits;
    available -= kBase32Bits;
  }
  return out;
}

std::uint64_t Mix(std::uint64_t a, std::uint64_t b) {
  std::uint64_t z = a + 0x9E3779B97F4A7C15ULL * (b + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace tendon::demo
