// The service's daily housekeeping, as `tendon sweep` runs it once and `tendon serve` runs it on a
// timer: appointment reminders two working days ahead, and each PIFU window's closing notice and
// end. Each message is queued once however often it runs, so a run repeated or missed is harmless.
#ifndef TENDON_CLI_SWEEP_H_
#define TENDON_CLI_SWEEP_H_

#include <chrono>
#include <functional>
#include <ostream>
#include <stop_token>
#include <string>

#include "core/status.h"
#include "core/time.h"
#include "workflow/workflow.h"

namespace tendon::cli {

struct SweepCounts {
  int reminders = 0;
  int pifu_closing = 0;
  int pifu_expired = 0;
};

// One sweep as of `now`.
StatusOr<SweepCounts> SweepOnce(const workflow::Env& env, Instant now);

// "reminders=N pifu_closing=N pifu_expired=N"
std::string Describe(const SweepCounts& counts);

// Sweeps at once, then every `every`, until `stop` is requested, writing a line to `out` after each
// ("sweep: reminders=..." or "sweep failed: ...") and passing its outcome to `done`. A failed sweep
// is tried again at the next turn.
void SweepEvery(const workflow::Env& env, std::chrono::seconds every, std::ostream& out,
                const std::function<void(const Status&)>& done, std::stop_token stop);

}  // namespace tendon::cli

#endif  // TENDON_CLI_SWEEP_H_
