#include "core/triage_queue.h"

#include <algorithm>
#include <tuple>

namespace tendon {
namespace {

Instant RegisteredAt(const Referral& r) { return r.resubmitted_at.value_or(r.received_at); }

}  // namespace

std::vector<TriageItem> OrderTriageQueue(std::vector<Referral> awaiting, Instant now) {
  std::erase_if(awaiting,
                [](const Referral& r) { return r.state != ReferralState::kAwaitingTriage; });
  std::sort(awaiting.begin(), awaiting.end(), [](const Referral& a, const Referral& b) {
    return std::forward_as_tuple(a.priority, RegisteredAt(a), a.id) <
           std::forward_as_tuple(b.priority, RegisteredAt(b), b.id);
  });
  std::vector<TriageItem> queue;
  queue.reserve(awaiting.size());
  for (Referral& r : awaiting) {
    const bool overdue = !r.next_action_due || *r.next_action_due <= now;
    queue.push_back({std::move(r), overdue});
  }
  return queue;
}

}  // namespace tendon
