// Throttling of failed sign-ins, per account and per address: after `max_failures` failures within
// `window`, further attempts for that key are refused until the oldest failure leaves the window.
// In memory, per server process. Thread-safe.
#ifndef TENDON_AUTH_THROTTLE_H_
#define TENDON_AUTH_THROTTLE_H_

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/time.h"

namespace tendon::auth {

class Throttle {
 public:
  Throttle(int max_failures, std::chrono::seconds window)
      : max_failures_(max_failures), window_(window) {}

  // True when `key` may try now.
  bool Allowed(const std::string& key, Instant now);
  void RecordFailure(const std::string& key, Instant now);
  // Forgets the failures of `key` (after a successful sign-in to that account).
  void Reset(const std::string& key);

 private:
  static constexpr std::size_t kSweepAtKeys = 10'000;
  void Expire(std::deque<Instant>& failures, Instant now) const;
  void Sweep(Instant now);

  const int max_failures_;
  const std::chrono::seconds window_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<Instant>> failures_;  // Guarded by mu_.
};

}  // namespace tendon::auth

#endif  // TENDON_AUTH_THROTTLE_H_
