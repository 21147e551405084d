// Seeded random draws for the demo history, written from uniform draws of std::mt19937_64 so that
// the same seed gives the same history with any standard library (the std:: distributions are not
// specified bit for bit and differ between implementations).
#ifndef TENDON_DEMO_RANDOM_H_
#define TENDON_DEMO_RANDOM_H_

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>

namespace tendon::demo {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  // Restarts the stream from `seed`, as if newly constructed.
  void Reseed(std::uint64_t seed) { engine_.seed(seed); }

  std::uint64_t Bits() { return engine_(); }
  // Uniform on [0, 1), 53 bits.
  double Uniform();
  // Uniform on [lo, hi).
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Uniform whole number in [0, n); n > 0.
  std::uint64_t Below(std::uint64_t n);
  // Uniform whole number in [lo, hi]; lo <= hi.
  int Between(int lo, int hi);
  // True with probability p.
  bool Chance(double p) { return Uniform() < p; }

  // Exponential with the given mean (>= 0).
  double Exponential(double mean);
  // Standard normal, by the Box-Muller transform.
  double Normal();
  double Normal(double mean, double sd) { return mean + sd * Normal(); }
  // Gamma with shape k > 0 and the given mean (scale = mean / k), by Marsaglia and Tsang's method.
  double Gamma(double shape, double mean);
  // Poisson with mean lambda >= 0: multiplication for small means, Hormann's PTRS for large ones.
  std::int64_t Poisson(double lambda);
  // Geometric count on {0, 1, 2, ...} with the given mean.
  int Geometric(double mean);
  // An index drawn with probability proportional to `weights` (non-negative, not all zero).
  std::size_t Pick(std::span<const double> weights);

  // `n` characters of Crockford base32 (0-9, A-Z without I, L, O, U): 5 random bits a character.
  std::string Base32(int n);

 private:
  std::mt19937_64 engine_;
};

// A well-mixed 64-bit value from two inputs (SplitMix64 finaliser), for deriving independent
// streams: referral n's stream is seeded with Mix(seed, n).
std::uint64_t Mix(std::uint64_t a, std::uint64_t b);

}  // namespace tendon::demo

#endif  // TENDON_DEMO_RANDOM_H_
