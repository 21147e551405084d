#include "cli/sweep.h"

#include <condition_variable>
#include <mutex>

#include "workflow/discharge.h"
#include "workflow/reminders.h"

namespace tendon::cli {

StatusOr<SweepCounts> SweepOnce(const workflow::Env& env, Instant now) {
  SweepCounts counts;
  ASSIGN_OR_RETURN(counts.reminders, workflow::QueueReminders(env, now));
  ASSIGN_OR_RETURN(workflow::PifuSweep pifu, workflow::SweepPifuWindows(env, now));
  counts.pifu_closing = pifu.reminded;
  counts.pifu_expired = pifu.expired;
  return counts;
}

std::string Describe(const SweepCounts& counts) {
  return "reminders=" + std::to_string(counts.reminders) +
         " pifu_closing=" + std::to_string(counts.pifu_closing) +
         " pifu_expired=" + std::to_string(counts.pifu_expired);
}

void SweepEvery(const workflow::Env& env, std::chrono::seconds every, std::ostream& out,
                const std::function<void(const Status&)>& done, std::stop_token stop) {
  std::mutex mu;
  std::condition_variable_any woken;
  while (!stop.stop_requested()) {
    StatusOr<SweepCounts> swept = SweepOnce(env, Now());
    const std::string line = swept.ok() ? "sweep: " + Describe(*swept) + "\n"
                                        : "sweep failed: " + swept.status().ToString() + "\n";
    out << line << std::flush;  // One write, so that another thread's line is not cut into it.
    done(swept.status());
    std::unique_lock lock(mu);
    woken.wait_for(lock, stop, every, [] { return false; });
  }
}

}  // namespace tendon::cli
