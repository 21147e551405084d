// The demo service's synthetic history: patients, referrals and their pathway events, generated
// from a service's configuration and its demo parameters (demo.toml). Pure: no store, no I/O, no
// clock. The same inputs always give exactly the same history, whatever the standard library.
#ifndef TENDON_DEMO_HISTORY_H_
#define TENDON_DEMO_HISTORY_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "config/clinics.h"
#include "config/service.h"
#include "core/event.h"
#include "core/records.h"
#include "core/status.h"
#include "core/time.h"
#include "core/working_days.h"
#include "demo/parameters.h"

namespace tendon::demo {

struct DemoOptions {
  static constexpr int kDefaultMonths = 6;
  static constexpr int kDefaultBatch = 500;
  static constexpr int kMaxMonths = 120;

  int months = kDefaultMonths;  // Length of the history, in calendar months: 1 to kMaxMonths.
  std::uint64_t seed = 1;
  // "Today": the history covers the `months` months before this day and ends at 00:00 London time
  // on it. Nothing in the history happens at or after that instant; only the start times of booked
  // appointments and the ends of PIFU windows (inside payloads) may lie after it.
  Date until{};
  // Referrals written per Store::Write by BuildDemo (each Write is one durable transaction).
  int batch_referrals = kDefaultBatch;
};

struct GeneratedReferral {
  // As it stands at the end of the history: its state is the last event's state_after, and when it
  // is open it has an owner and a next-action due time.
  Referral referral;
  // Its whole history, in order, from referral.received; each passes ValidateEvent against the
  // state the ones before it left.
  std::vector<PathwayEvent> events;
  std::size_t patient = 0;   // Index into History::patients.
  bool new_patient = false;  // The patient's first referral: the patient is created with it.
};

struct History {
  Date from{};       // The first day of the history.
  Date until{};      // The day after the last.
  Instant cutoff{};  // 00:00 London time on `until`.
  int months = 0;
  std::vector<Clinician> clinicians;
  std::vector<Patient> patients;             // In order of their first referral.
  std::vector<GeneratedReferral> referrals;  // In order of arrival.
};

// Generates the history. Arrivals follow the demo parameters' monthly rate, split by source, each
// source with its own weekly pattern, as a Poisson count per day; each arrival is a new patient or,
// for repeat_patient_share of them, one already known. InvalidArgument naming "months" or "until"
// for bad options, FailedPrecondition when the service and the parameters do not fit together (no
// sites, an unknown hub site). The clinicians are `clinics.clinicians` when there are any (see
// MakeRoster in roster.h), else synthetic.
StatusOr<History> GenerateHistory(const config::ServiceConfig& service,
                                  const config::ClinicsConfig& clinics,
                                  const DemoParameters& params, const WorkingCalendar& calendar,
                                  const DemoOptions& options);

// A 64-bit digest of everything in `history` (patients, clinicians, referrals, events), to compare
// two histories cheaply.
std::uint64_t Digest(const History& history);

}  // namespace tendon::demo

#endif  // TENDON_DEMO_HISTORY_H_
