#include "http/metrics.h"

#include <fmt/format.h>

#include <span>
#include <string_view>

namespace tendon::http {
namespace {

// A metric's HELP and TYPE lines.
void AppendHeader(std::string& out, std::string_view name, std::string_view type,
                  std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

// A histogram: its cumulative buckets (`buckets[i]` observations at most `bounds[i]`), then +Inf,
// the sum and the count.
template <typename Bound, typename Sum>
void AppendHistogram(std::string& out, std::string_view name, std::string_view help,
                     std::span<const Bound> bounds, std::span<const std::int64_t> buckets,
                     std::int64_t count, Sum sum) {
  AppendHeader(out, name, "histogram", help);
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    out += fmt::format("{}_bucket{{le=\"{}\"}} {}\n", name, bounds[i], buckets[i]);
  }
  out += fmt::format("{}_bucket{{le=\"+Inf\"}} {}\n", name, count);
  out += fmt::format("{}_sum {}\n{}_count {}\n", name, sum, name, count);
}

// A counter or gauge with one value.
template <typename Value>
void AppendSingle(std::string& out, std::string_view name, std::string_view type,
                  std::string_view help, Value value) {
  AppendHeader(out, name, type, help);
  out += fmt::format("{} {}\n", name, value);
}

}  // namespace

void Metrics::Record(const AccessRecord& record) {
  std::lock_guard lock(mu_);
  ++requests_[{record.route, record.status}];
  for (std::size_t i = 0; i < kLatencyBoundsMs.size(); ++i) {
    if (record.latency_ms <= kLatencyBoundsMs[i]) ++latency_buckets_[i];
  }
  ++latency_count_;
  latency_sum_ms_ += record.latency_ms;
}

void Metrics::RecordSweep(bool ok, Instant at) {
  std::lock_guard lock(mu_);
  if (!ok) {
    ++sweeps_failed_;
    return;
  }
  ++sweeps_ok_;
  last_sweep_ok_ = at;
}

std::string Metrics::Render(const store::StoreStats& store, std::int64_t open_connections,
                            std::int64_t in_flight) const {
  std::lock_guard lock(mu_);
  std::string out;
  AppendHeader(out, "tendon_http_requests_total", "counter",
               "Requests answered, by route pattern and status.");
  for (const auto& [key, count] : requests_) {
    out += fmt::format("tendon_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", key.first,
                       key.second, count);
  }
  std::array<double, kLatencyBoundsMs.size()> latency_bounds_seconds{};
  for (std::size_t i = 0; i < kLatencyBoundsMs.size(); ++i) {
    latency_bounds_seconds[i] = kLatencyBoundsMs[i] / 1000;
  }
  AppendHistogram<double>(out, "tendon_http_request_duration_seconds",
                          "Time from request to response.", latency_bounds_seconds,
                          latency_buckets_, latency_count_, latency_sum_ms_ / 1000);
  out += "# TYPE tendon_http_open_connections gauge\n";
  out += fmt::format("tendon_http_open_connections {}\n", open_connections);
  out += "# TYPE tendon_http_requests_in_flight gauge\n";
  out += fmt::format("tendon_http_requests_in_flight {}\n", in_flight);
  AppendSingle(out, "tendon_self_referral_honeypot_total", "counter",
               "Self-referrals refused as scripted.", honeypot_hits_.load());
  AppendHeader(out, "tendon_sweep_runs_total", "counter",
               "Housekeeping sweeps (reminders, follow-up windows).");
  out += fmt::format("tendon_sweep_runs_total{{outcome=\"ok\"}} {}\n", sweeps_ok_);
  out += fmt::format("tendon_sweep_runs_total{{outcome=\"failed\"}} {}\n", sweeps_failed_);
  AppendSingle(out, "tendon_sweep_last_success_timestamp_seconds", "gauge",
               "When a sweep last succeeded (0: none since the server started). Alert when it "
               "falls behind.",
               last_sweep_ok_ ? std::chrono::duration_cast<std::chrono::seconds>(
                                    last_sweep_ok_->time_since_epoch())
                                    .count()
                              : 0);
  AppendSingle(out, "tendon_store_write_queue_depth", "gauge",
               "Writes waiting for the store's writer.", store.queue_depth);
  AppendHistogram<std::int64_t>(out, "tendon_store_group_commit_size",
                                "Writes committed per transaction.",
                                store::StoreStats::kGroupSizeBounds, store.group_size_buckets,
                                store.groups_committed, store.writes_committed);
  AppendHistogram<double>(out, "tendon_store_sync_seconds",
                          "Syncs of the store's log to disk, each awaited by writes.",
                          store::StoreStats::kSyncSecondsBounds, store.sync_seconds_buckets,
                          store.syncs, store.sync_seconds);
  AppendSingle(out, "tendon_store_writer_busy_seconds_total", "counter",
               "Time the store's single writer spent committing groups. Its rate is the "
               "writer's utilisation: near 1, writes queue.",
               store.writer_busy_seconds);
  AppendSingle(out, "tendon_store_writer_cpu_seconds_total", "counter",
               "CPU time the store's single writer spent committing groups.",
               store.writer_cpu_seconds);
  return out;
}

}  // namespace tendon::http
