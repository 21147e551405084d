// What every workflow is given: the store, the clinical rules, the working calendar and the
// service's timing policy, and who is acting. Workflows are the use cases of DESIGN.md ("Modules"):
// each applies the rules of core and commits through the Store in one transaction, with its
// pathway events and audit rows.
#ifndef TENDON_WORKFLOW_WORKFLOW_H_
#define TENDON_WORKFLOW_WORKFLOW_H_

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "config/rules_loader.h"
#include "config/service.h"
#include "core/pathway.h"
#include "core/records.h"
#include "core/time.h"
#include "core/working_days.h"
#include "store/store.h"

namespace tendon::workflow {

using Timing = config::Timing;

struct Env {
  store::Store& store;
  const config::Rules& rules;
  const WorkingCalendar& calendar;
  Timing timing;
};

inline constexpr std::string_view kPublicActor = "public";

// Who is acting. `user_id` is "system" for the service itself, "public" for an anonymous
// self-referral.
struct Actor {
  std::string user_id;
  Role role = Role::kPatient;
  std::string organisation;  // ODS code; empty for the public.
};

// Limits on free text, in bytes.
inline constexpr std::size_t kMaxShortText = 200;  // Names, phone, email, languages.
inline constexpr std::size_t kMaxLongText = 4000;  // Notes, advice, accessibility needs.

// One malformed input field: its dotted path ("patient.nhs_number") and why.
struct FieldError {
  std::string field;
  std::string message;

  friend bool operator==(const FieldError&, const FieldError&) = default;
};

// The result of reading a request: a value, or every malformed field in input order.
template <typename T>
struct Parsed {
  std::optional<T> value;  // Set when `errors` is empty.
  std::vector<FieldError> errors;
};

// `n` working days after `t`, at the same London time of day (n == 0: `t`).
Instant AddWorkingDays(const WorkingCalendar& calendar, Instant t, int n);

// When triage of a referral of `priority` registered at `registered` falls due.
Instant TriageDue(const Env& env, Priority priority, Instant registered);

}  // namespace tendon::workflow

#endif  // TENDON_WORKFLOW_WORKFLOW_H_
