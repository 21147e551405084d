// Counters for GET /metrics, in the Prometheus text format: requests by route and status, a
// latency histogram, the server's connections, the housekeeping sweeps, and the store's write
// queue, group sizes, syncs and its writer's busy and CPU time.
#ifndef TENDON_HTTP_METRICS_H_
#define TENDON_HTTP_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "core/time.h"
#include "http/server.h"
#include "store/store.h"

namespace tendon::http {

class Metrics {
 public:
  static constexpr std::array<double, 11> kLatencyBoundsMs{0.5, 1,   2.5, 5,    10,  25,
                                                           50,  100, 250, 1000, 5000};

  void Record(const AccessRecord& record);
  // A self-referral that filled the honeypot field: a script, answered as if it had succeeded.
  void CountHoneypot() { ++honeypot_hits_; }
  // A housekeeping sweep (reminders, follow-up windows) that ended at `at`, succeeded or not.
  void RecordSweep(bool ok, Instant at);
  // The exposition text. `open_connections` and `in_flight` come from the server.
  std::string Render(const store::StoreStats& store, std::int64_t open_connections,
                     std::int64_t in_flight) const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, std::int64_t> requests_;  // (route, status) -> count.
  std::array<std::int64_t, kLatencyBoundsMs.size()> latency_buckets_{};
  std::int64_t latency_count_ = 0;
  double latency_sum_ms_ = 0;
  std::atomic<std::int64_t> honeypot_hits_{0};
  std::int64_t sweeps_ok_ = 0;            // Guarded by mu_.
  std::int64_t sweeps_failed_ = 0;        // Guarded by mu_.
  std::optional<Instant> last_sweep_ok_;  // Guarded by mu_.
};

}  // namespace tendon::http

#endif  // TENDON_HTTP_METRICS_H_
