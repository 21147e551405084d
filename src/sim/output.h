// A simulation's summary as text (one line per figure), JSON and a standalone HTML page (tables in
// the NHS.UK style; no script), for `tendon simulate`.
#ifndef TENDON_SIM_OUTPUT_H_
#define TENDON_SIM_OUTPUT_H_

#include <string>

#include "sim/runner.h"

namespace tendon::sim {

// "wait_mean_weeks.tier2 = 4.61 weeks (95% CI 4.52 to 4.70)" per metric, after a heading line.
std::string SummaryText(const Summary& summary);

// {"scenario", "replications", "threads", "seed", "metrics": [{"name", "unit", "mean", "low",
// "high"}], "weekly_waiting_list": [...], "monthly_referrals": [{"month", ...}]}.
std::string SummaryJson(const Summary& summary);

// A page with the figures and the weekly waiting list as tables, every value with its interval.
std::string SummaryHtml(const Summary& summary);

}  // namespace tendon::sim

#endif  // TENDON_SIM_OUTPUT_H_
