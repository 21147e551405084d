#include "auth/throttle.h"

namespace tendon::auth {

void Throttle::Expire(std::deque<Instant>& failures, Instant now) const {
  while (!failures.empty() && failures.front() + window_ <= now) failures.pop_front();
}

// Drops every key whose failures have all left the window, so that many one-off addresses cannot
// grow the table without bound.
void Throttle::Sweep(Instant now) {
  for (auto it = failures_.begin(); it != failures_.end();) {
    Expire(it->second, now);
    it = it->second.empty() ? failures_.erase(it) : std::next(it);
  }
}

bool Throttle::Allowed(const std::string& key, Instant now) {
  std::lock_guard lock(mu_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return true;
  Expire(it->second, now);
  if (it->second.empty()) {
    failures_.erase(it);
    return true;
  }
  return static_cast<int>(it->second.size()) < max_failures_;
}

void Throttle::RecordFailure(const std::string& key, Instant now) {
  std::lock_guard lock(mu_);
  if (failures_.size() >= kSweepAtKeys) Sweep(now);
  std::deque<Instant>& failures = failures_[key];
  Expire(failures, now);
  failures.push_back(now);
}

void Throttle::Reset(const std::string& key) {
  std::lock_guard lock(mu_);
  failures_.erase(key);
}

}  // namespace tendon::auth
