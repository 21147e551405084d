// The planner page's runner (http/planner.h) on the simulator: the CLI gives it to the App, so
// that http need not depend on sim. It offers the scenario files of the service's scenarios/
// folder, applies a request's changes to the chosen one, and runs both with the same seed on up to
// two threads, one request at a time.
#ifndef TENDON_CLI_SIM_PLANNER_H_
#define TENDON_CLI_SIM_PLANNER_H_

#include <filesystem>
#include <memory>

#include "core/status.h"
#include "http/planner.h"
#include "sim/scenario.h"

namespace tendon::cli {

// The changes of `request` applied to `base`: the scenario the planner compares with it.
// InvalidArgument naming the request's field when a site is not one of the scenario's.
StatusOr<sim::Scenario> PlannedScenario(const sim::Scenario& base,
                                        const http::PlannerRequest& request);

// A planner over the *.toml files of `dir` (each loaded once here, to check it and read its name).
// Errors: NotFound for a missing folder or one without scenarios; LoadScenario's for a bad file.
StatusOr<std::shared_ptr<http::Planner>> MakeSimPlanner(const std::filesystem::path& dir);

}  // namespace tendon::cli

#endif  // TENDON_CLI_SIM_PLANNER_H_
