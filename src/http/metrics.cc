#include "http/metrics.h"

#include <fmt/format.h>

namespace tendon::http {

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
  out += "# HELP tendon_http_requests_total Requests answered, by route pattern and status.\n";
  out += "# TYPE tendon_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    out += fmt::format("tendon_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", key.first,
                       key.second, count);
  }
  out += "# HELP tendon_http_request_duration_seconds Time from request to response.\n";
  out += "# TYPE tendon_http_request_duration_seconds histogram\n";
  for (std::size_t i = 0; i < kLatencyBoundsMs.size(); ++i) {
    out += fmt::format("tendon_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n",
                       kLatencyBoundsMs[i] / 1000, latency_buckets_[i]);
  }
  out += fmt::format("tendon_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n",
                     latency_count_);
  out += fmt::format("tendon_http_request_duration_seconds_sum {}\n", latency_sum_ms_ / 1000);
  out += fmt::format("tendon_http_request_duration_seconds_count {}\n", latency_count_);
  out += "# TYPE tendon_http_open_connections gauge\n";
  out += fmt::format("tendon_http_open_connections {}\n", open_connections);
  out += "# TYPE tendon_http_requests_in_flight gauge\n";
  out += fmt::format("tendon_http_requests_in_flight {}\n", in_flight);
  out += "# HELP tendon_self_referral_honeypot_total Self-referrals refused as scripted.\n";
  out += "# TYPE tendon_self_referral_honeypot_total counter\n";
  out += fmt::format("tendon_self_referral_honeypot_total {}\n", honeypot_hits_.load());
  out += "# HELP tendon_sweep_runs_total Housekeeping sweeps (reminders, follow-up windows).\n";
  out += "# TYPE tendon_sweep_runs_total counter\n";
  out += fmt::format("tendon_sweep_runs_total{{outcome=\"ok\"}} {}\n", sweeps_ok_);
  out += fmt::format("tendon_sweep_runs_total{{outcome=\"failed\"}} {}\n", sweeps_failed_);
  out +=
      "# HELP tendon_sweep_last_success_timestamp_seconds When a sweep last succeeded (0: none "
      "since the server started). Alert when it falls behind.\n";
  out += "# TYPE tendon_sweep_last_success_timestamp_seconds gauge\n";
  out += fmt::format("tendon_sweep_last_success_timestamp_seconds {}\n",
                     last_sweep_ok_ ? std::chrono::duration_cast<std::chrono::seconds>(
                                          last_sweep_ok_->time_since_epoch())
                                          .count()
                                    : 0);
  out += "# HELP tendon_store_write_queue_depth Writes waiting for the store's writer.\n";
  out += "# TYPE tendon_store_write_queue_depth gauge\n";
  out += fmt::format("tendon_store_write_queue_depth {}\n", store.queue_depth);
  out += "# HELP tendon_store_group_commit_size Writes committed per transaction.\n";
  out += "# TYPE tendon_store_group_commit_size histogram\n";
  for (std::size_t i = 0; i < std::size(store::StoreStats::kGroupSizeBounds); ++i) {
    out += fmt::format("tendon_store_group_commit_size_bucket{{le=\"{}\"}} {}\n",
                       store::StoreStats::kGroupSizeBounds[i], store.group_size_buckets[i]);
  }
  out += fmt::format("tendon_store_group_commit_size_bucket{{le=\"+Inf\"}} {}\n",
                     store.groups_committed);
  out += fmt::format("tendon_store_group_commit_size_sum {}\n", store.writes_committed);
  out += fmt::format("tendon_store_group_commit_size_count {}\n", store.groups_committed);
  out +=
      "# HELP tendon_store_sync_seconds Syncs of the store's log to disk, each awaited by "
      "writes.\n";
  out += "# TYPE tendon_store_sync_seconds histogram\n";
  for (std::size_t i = 0; i < std::size(store::StoreStats::kSyncSecondsBounds); ++i) {
    out += fmt::format("tendon_store_sync_seconds_bucket{{le=\"{}\"}} {}\n",
                       store::StoreStats::kSyncSecondsBounds[i], store.sync_seconds_buckets[i]);
  }
  out += fmt::format("tendon_store_sync_seconds_bucket{{le=\"+Inf\"}} {}\n", store.syncs);
  out += fmt::format("tendon_store_sync_seconds_sum {}\n", store.sync_seconds);
  out += fmt::format("tendon_store_sync_seconds_count {}\n", store.syncs);
  out +=
      "# HELP tendon_store_writer_busy_seconds_total Time the store's single writer spent "
      "committing groups. Its rate is the writer's utilisation: near 1, writes queue.\n";
  out += "# TYPE tendon_store_writer_busy_seconds_total counter\n";
  out += fmt::format("tendon_store_writer_busy_seconds_total {}\n", store.writer_busy_seconds);
  out +=
      "# HELP tendon_store_writer_cpu_seconds_total CPU time the store's single writer spent "
      "committing groups.\n";
  out += "# TYPE tendon_store_writer_cpu_seconds_total counter\n";
  out += fmt::format("tendon_store_writer_cpu_seconds_total {}\n", store.writer_cpu_seconds);
  return out;
}

}  // namespace tendon::http
