// `tendon demo`: fills a store with the synthetic history of a service (history.h), for
// demonstrations, training and load tests.
#ifndef TENDON_DEMO_DEMO_H_
#define TENDON_DEMO_DEMO_H_

#include "config/clinics.h"
#include "config/service.h"
#include "core/status.h"
#include "core/working_days.h"
#include "demo/history.h"
#include "demo/parameters.h"
#include "demo/summary.h"
#include "store/store.h"

namespace tendon::demo {

// Generates the history and writes it to `store`: the service's sites, rooms, clinicians and clinic
// templates (`clinics`; replacing rows with the same ids; with no clinicians in `clinics`, the
// demo's synthetic ones and no rooms or rota templates), the history's bank clinicians and
// overflow clinics, then in one transaction the diary's slots (the rota's over the history and
// params.forward_weeks weeks from options.until, and the overflow slots in use), then the patients
// and referrals with their events, in transactions of options.batch_referrals referrals each, and
// last every appointment in one transaction (every Write is durable on its own, so an interrupted
// run leaves whole batches).
// Meant for an empty store: a patient key, NHS number or referral id already there fails the batch
// that holds it with AlreadyExists, and the batches before it stay written. Returns the summary of
// what was written; errors as GenerateHistory, plus any error of the store (InvalidArgument naming
// "batch_referrals" when it is below 1).
StatusOr<DemoSummary> BuildDemo(store::Store& store, const config::ServiceConfig& service,
                                const config::ClinicsConfig& clinics, const DemoParameters& params,
                                const WorkingCalendar& calendar, const DemoOptions& options);

}  // namespace tendon::demo

#endif  // TENDON_DEMO_DEMO_H_
