// The invariants `tendon check` verifies over any Store, the promises the whole system is tested
// against (DESIGN.md: "No referral is ever silently dropped"):
//   1. every open referral has an owner and a next-action due time;
//   2. every referral's current state is the state_after of its last pathway event, and every
//      referral has at least one event;
//   3. every referral's events, replayed in order, obey the state machine and the event schema;
//   4. no event or audit row was altered or removed (the hash chains verify).
#ifndef TENDON_STORE_CHECK_H_
#define TENDON_STORE_CHECK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace tendon::store {

struct CheckReport {
  std::int64_t referrals = 0;
  std::int64_t events = 0;
  std::vector<std::string> violations;  // One line each, naming the referral or row.
};

// Errors only when the store cannot be read; violations are findings, not errors. The event log and
// the referrals are read in two snapshots, so run it where no writes are under way (as `tendon
// check` is meant to be run) or a referral changed between the two may be reported.
StatusOr<CheckReport> CheckInvariants(Store& store);

}  // namespace tendon::store

#endif  // TENDON_STORE_CHECK_H_
