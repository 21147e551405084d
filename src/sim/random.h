// Seeded random streams for the simulator: xoshiro256** (small, fast, and the same bits on every
// platform), seeded through SplitMix64. The draws are written here from uniform bits rather than
// taken from std:: distributions, whose output the standard does not fix, so a seed gives the same
// results with any standard library.
//
// Each process of the model (arrivals, triage, routing, service, attendance, ...) draws from its
// own stream, seeded from (scenario seed, replication, stream), so that two scenarios run with the
// same seed share their arrivals and every other draw that is not changed by the scenario (common
// random numbers), and a replication's results do not depend on which thread ran it.
#ifndef TENDON_SIM_RANDOM_H_
#define TENDON_SIM_RANDOM_H_

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>

namespace tendon::sim {

// A well-mixed 64-bit value from two inputs (the SplitMix64 finaliser over their combination).
std::uint64_t MixSeed(std::uint64_t a, std::uint64_t b);

// The exponential ziggurat's layers: x[0] is the base layer's width (its area over f(r)), x[1] = r
// where the tail begins, down to x[256] = 0; f[i] = exp(-x[i]). Filled before main runs.
struct ExpZiggurat {
  double x[257];
  double f[257];
};
extern const ExpZiggurat kExpZiggurat;

class Rng {
 public:
  // A stream seeded from `seed` (any value, 0 included).
  explicit Rng(std::uint64_t seed = 0);

  std::uint64_t Bits() {
    const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform on [0, 1), 53 bits.
  double Uniform() { return static_cast<double>(Bits() >> 11) * 0x1.0p-53; }
  // True with probability p.
  bool Chance(double p) { return Uniform() < p; }
  // Uniform on (0, 1], 53 bits.
  double UniformOpenZero() { return static_cast<double>((Bits() >> 11) + 1) * 0x1.0p-53; }
  // Exponential with the given mean (>= 0).
  double Exponential(double mean) { return mean * StandardExponential(); }
  // Exponential with mean 1, by the ziggurat method (Marsaglia and Tsang, 2000) on 256 layers:
  // one draw, a multiply and a comparison in 99% of cases, where -log(U) would cost a logarithm.
  double StandardExponential() {
    const std::uint64_t bits = Bits();
    const std::size_t i = bits & 0xff;
    const double x = static_cast<double>(bits >> 11) * 0x1.0p-53 * kExpZiggurat.x[i];
    if (x < kExpZiggurat.x[i + 1]) return x;
    return ExponentialEdge(i, x);
  }
  // Uniform whole number in [lo, hi]; lo <= hi.
  int Between(int lo, int hi) {
    return lo + static_cast<int>(Uniform() * static_cast<double>(hi - lo + 1));
  }
  // A count on {0, 1, 2, ...} with the given mean >= 0 (geometric).
  int Geometric(double mean);
  // Gamma with the given mean (>= 0) and shape (> 0): Marsaglia and Tsang's method, with a shape
  // below 1 boosted by a uniform power. Normal deviates come from the polar method.
  double Gamma(double mean, double shape);
  // An index drawn with probability proportional to `weights` (non-negative, not all zero).
  std::size_t Pick(std::span<const double> weights);

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  double Normal();
  // The ziggurat's slow path, for a draw `x` in layer `i` outside its inner rectangle.
  double ExponentialEdge(std::size_t i, double x);
  std::uint64_t s_[4];
};

}  // namespace tendon::sim

#endif  // TENDON_SIM_RANDOM_H_
