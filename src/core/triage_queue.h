// The triage queue: referrals awaiting triage in the order clinicians work them, most urgent
// priority first, then longest waiting (DESIGN.md; the intake issue). Each item is due by its
// referral's next-action due time, set when the referral was registered, and is overdue once that
// time has passed.
#ifndef TENDON_CORE_TRIAGE_QUEUE_H_
#define TENDON_CORE_TRIAGE_QUEUE_H_

#include <vector>

#include "core/records.h"
#include "core/time.h"

namespace tendon {

struct TriageItem {
  Referral referral;
  bool overdue = false;  // next_action_due is at or before `now`.
};

// Orders `awaiting` (referrals in state awaiting_triage; others are left out) by priority, then by
// registration time (the resubmission time for a referral that was returned and resubmitted), then
// by reference so that the order is total. A referral with no due time counts as overdue: it should
// not exist, and hiding it would be worse.
std::vector<TriageItem> OrderTriageQueue(std::vector<Referral> awaiting, Instant now);

}  // namespace tendon

#endif  // TENDON_CORE_TRIAGE_QUEUE_H_
