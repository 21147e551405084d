// Calibration of the simulator from a database's event history (`tendon simulate --calibrate-from`,
// the simulator issue's part 3): reads the pathway events of a period through the Store interface
// and estimates the scenario parameters the model takes, so that the simulator itself never
// depends on store. The estimates:
// - demand: referrals a week and the share of each source (referral.received's "source"), each
//   source's priorities (at triage) and share accepted to tier 2, tier 1's physioline share and
//   tier 2's lines; seasonality by calendar month when the period covers a whole year (otherwise
//   flat); regions are left to the service's regions.csv (the log does not say where patients
//   live);
// - triage: the shares discharged with advice and referred onward, and the clinicians who triaged;
// - treatment: modality (asked at triage), the physioline outcomes, DNA and first-DNA discharge
//   shares, patient and service cancellations, follow-ups per completed episode and the days
//   between visits by tier, onward referral at the end of treatment by tier, PIFU windows, their
//   length and the chance of a request within one (from the request rate over the windows' open
//   time, so windows still open count for what they have run);
// - the lead to a first appointment (sim::Lead) by tier and priority: from the start of the wait to
//   the start of the first appointment booked, a gamma fitted by its mean and variance.
// It also folds the same events with report::Fold, so the period's observed waits can be set beside
// a simulation of the calibrated scenario.
#ifndef TENDON_CLI_CALIBRATE_H_
#define TENDON_CLI_CALIBRATE_H_

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/schedule.h"
#include "core/status.h"
#include "core/time.h"
#include "report/fold.h"
#include "sim/scenario.h"
#include "store/store.h"

namespace tendon::cli {

struct CalibrationPeriod {
  Instant from{};  // Inclusive: London midnight of the first day.
  Instant to{};    // Exclusive: London midnight after the last day.
};

// A clinic the database ran beyond the service's configured rota (the demo's overflow clinics, or
// sessions added since), and the skills of its clinician.
struct AddedClinic {
  ClinicTemplate clinic;
  std::vector<std::string> skills;
};

struct Calibration {
  // Demand, triage and treatment estimated; start and weeks from the period. Sites, clinicians,
  // templates and calendar are left empty: the scenario file names the service's own.
  sim::Scenario scenario;
  // Clinics in the database, valid in the period, that `configured` (the service's clinics.csv)
  // does not hold: the file adds them as changes, so the capacity is what the service ran.
  std::vector<AddedClinic> added_clinics;
  report::FoldResults observed;  // The period's own figures, as the report folds them.
  std::int64_t events = 0;       // Events read in the period.
  std::int64_t referrals = 0;    // Referrals received in the period.
};

// The period from the London day of the first event to the end of the day of the last: NotFound
// when the database has no events.
StatusOr<CalibrationPeriod> WholeHistory(store::Store& store);

// Estimates the parameters from the events that occurred in `period`. `horizon_weeks` is the
// service's booking horizon (service.toml), which the log does not show; `configured` the
// service's clinic templates. FailedPrecondition when the period holds no referral received.
StatusOr<Calibration> Calibrate(store::Store& store, const CalibrationPeriod& period,
                                int horizon_weeks, const std::vector<ClinicTemplate>& configured);

// The scenario file of `c` (the schema of data/services/<service>/scenarios/README.md), naming the
// service folder and bank-holiday file as given (absolute, or relative to where it is written).
std::string CalibratedScenarioToml(const Calibration& c, const std::string& service_dir,
                                   const std::string& bank_holidays);

}  // namespace tendon::cli

#endif  // TENDON_CLI_CALIBRATE_H_
