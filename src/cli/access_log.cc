#include "cli/access_log.h"

#include <fmt/format.h>
#include <unistd.h>

namespace tendon::cli {

AccessLog::AccessLog(int fd) : fd_(fd), writer_([this] { Run(); }) {}

AccessLog::~AccessLog() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  writer_.join();
}

void AccessLog::Record(const http::AccessRecord& r) {
  const std::string line =
      fmt::format("access id={} method={} route={} status={} ms={:.3f}\n", r.request_id,
                  http::ToString(r.method), r.route, r.status, r.latency_ms);
  bool was_empty = false;
  {
    std::lock_guard lock(mu_);
    was_empty = pending_.empty();
    pending_ += line;
  }
  if (was_empty) wake_.notify_one();
}

void AccessLog::Run() {
  std::string batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      if (pending_.empty()) return;  // Stopping, and everything is written.
      batch.swap(pending_);
    }
    std::size_t written = 0;
    while (written < batch.size()) {
      const ssize_t n = ::write(fd_, batch.data() + written, batch.size() - written);
      if (n <= 0) break;  // Nowhere to log to: drop the batch rather than stall the server.
      written += static_cast<std::size_t>(n);
    }
    batch.clear();
  }
}

}  // namespace tendon::cli
