#include "workflow/workflow.h"

#include "core/london_time.h"

namespace tendon::workflow {

Instant AddWorkingDays(const WorkingCalendar& calendar, Instant t, int n) {
  if (n == 0) return t;
  const Date day = calendar.AddWorkingDays(LondonDate(t), n);
  const std::chrono::minutes time_of_day = LondonTimeOfDay(t);
  auto at = FromLondon(day, time_of_day);
  // The same wall-clock time falls in the spring gap: an hour later is the same moment of work.
  if (!at.ok()) at = FromLondon(day, time_of_day + std::chrono::hours(1));
  return at.ok() ? *at : t + date::days(n);
}

Instant TriageDue(const Env& env, Priority priority, Instant registered) {
  const int days = env.timing.triage_working_days[static_cast<std::size_t>(priority)];
  return AddWorkingDays(env.calendar, registered, days);
}

}  // namespace tendon::workflow
