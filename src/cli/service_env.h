// What a command that runs workflows on a database loads first: the service's configuration, its
// clinical rules and working calendar from the data directory (--data, default the installed
// data/), and the store (--db, which must exist).
#ifndef TENDON_CLI_SERVICE_ENV_H_
#define TENDON_CLI_SERVICE_ENV_H_

#include <memory>

#include "cli/flags.h"
#include "config/rules_loader.h"
#include "config/service.h"
#include "core/working_days.h"
#include "store/sqlite/sqlite_store.h"
#include "workflow/workflow.h"

namespace tendon::cli {

struct ServiceEnv {
  config::ServiceConfig service;
  config::Rules rules;
  WorkingCalendar calendar;
  std::unique_ptr<store::sqlite::SqliteStore> store;

  workflow::Env env() const { return {*store, rules, calendar, service.timing}; }
};

// The service itself, as workflows' actor in the audit log.
inline const workflow::Actor kSystemActor{"system", Role::kAdministrator, ""};

// Loads the service named by `flags` (see above), after checking London's time zone data.
StatusOr<std::unique_ptr<ServiceEnv>> OpenServiceEnv(const Flags& flags);

}  // namespace tendon::cli

#endif  // TENDON_CLI_SERVICE_ENV_H_
