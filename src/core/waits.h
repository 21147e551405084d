// Expected waits for the patient portal (the patient issue; hazard H058): how long recent patients
// waited from acceptance at triage to their first appointment, folded from the pathway event log,
// and the estimate for a referral's tier, priority and site, widened to larger groups while the
// narrow one has too few patients to say anything honest. Pure: no I/O. A WaitLog is a plain value;
// callers that share one across threads guard it.
#ifndef TENDON_CORE_WAITS_H_
#define TENDON_CORE_WAITS_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/event.h"
#include "core/pathway.h"
#include "core/time.h"

namespace tendon {

// How an estimate is worked out: only first appointments in the last `window_days` count, and a
// group of patients is used only when it holds at least `min_patients`.
struct WaitPolicy {
  int window_days = 90;
  int min_patients = 20;
};

// One patient's completed wait: accepted at triage at `accepted_at`, first seen (an attended
// appointment) at `seen_at`, with the referral's tier, priority and site at that appointment.
struct CompletedWait {
  std::optional<Tier> tier;
  Priority priority = Priority::kRoutine;
  std::string site;
  Instant accepted_at{};
  Instant seen_at{};
};

// The groups an estimate may come from, narrowest first.
enum class WaitGroup {
  kTierPrioritySite,  // Same tier, priority and site.
  kTierPriority,      // Same tier and priority, any site.
  kTier,              // Same tier.
  kPriority,          // Same priority (a referral not yet given a tier).
  kService,           // Everyone.
};

struct WaitEstimate {
  // Unset when no group had enough patients: then there is no estimate to give.
  std::optional<WaitGroup> group;
  int patients = 0;            // In the group used (or, with no group, in the widest one).
  int median_days = 0;         // Half waited this many days or fewer (rounded up).
  int quartile_low_days = 0;   // A quarter waited this many days or fewer.
  int quartile_high_days = 0;  // Three quarters waited this many days or fewer.
};

class WaitLog {
 public:
  // Folds one event; events must come in the order they were recorded. An acceptance at triage
  // (triage.completed with outcome "accepted") starts a wait; the referral's next
  // appointment.attended ends it; leaving the pathway (closed, withdrawn, onward) forgets it.
  void Add(const PathwayEvent& event);

  // The estimate for a referral of `tier` (unset before triage), `priority` and `site` (empty
  // before booking) at `now`: from the narrowest group the referral can be placed in that has at
  // least policy.min_patients first appointments in the policy's window.
  WaitEstimate Estimate(std::optional<Tier> tier, Priority priority, std::string_view site,
                        Instant now, const WaitPolicy& policy) const;

  const std::vector<CompletedWait>& waits() const { return waits_; }

 private:
  std::unordered_map<std::string, Instant> accepted_;  // Referral id -> accepted at, not yet seen.
  std::vector<CompletedWait> waits_;                   // In the order they ended.
};

// The wait in whole days, rounded up (a wait of 3 days and an hour is 4 days).
int WaitDays(const CompletedWait& wait);

}  // namespace tendon

#endif  // TENDON_CORE_WAITS_H_
