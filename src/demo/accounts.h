// The demo service's accounts: one per role, with published passwords, so that anyone trying the
// demo can sign in as each kind of user. Only `tendon demo` creates them; `tendon serve` prints
// those whose password is still the published one.
#ifndef TENDON_DEMO_ACCOUNTS_H_
#define TENDON_DEMO_ACCOUNTS_H_

#include <string>
#include <vector>

#include "core/records.h"
#include "core/status.h"
#include "store/store.h"

namespace tendon::demo {

struct DemoAccount {
  std::string username;
  std::string password;
  std::string display_name;
  Role role;
};

const std::vector<DemoAccount>& DemoAccounts();

// Creates the demo accounts in `store`, which must hold a demo history: the patient account is
// linked to the patient of the first open, booked referral, the referrer to the organisation that
// made the most referrals, and the treating clinician to the clinician with the most clinic
// templates (none when the service has no rota). FailedPrecondition when the store has no such
// referral.
Status CreateDemoAccounts(store::Store& store);

// The demo accounts in `store` whose password is still the published one.
std::vector<DemoAccount> PublishedDemoAccounts(store::Store& store);

}  // namespace tendon::demo

#endif  // TENDON_DEMO_ACCOUNTS_H_
