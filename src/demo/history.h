// The demo service's synthetic history: patients, referrals, their pathway events and appointments,
// and the slots of the service's rota they are booked in, generated from a service's configuration
// and its demo parameters (demo.toml). Pure: no store, no I/O, no clock. The same inputs always
// give exactly the same history, whatever the standard library.
#ifndef TENDON_DEMO_HISTORY_H_
#define TENDON_DEMO_HISTORY_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "config/clinics.h"
#include "config/service.h"
#include "core/event.h"
#include "core/records.h"
#include "core/schedule.h"
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
  // One for each appointment.booked among the events, in the same order, in a slot of
  // History::slots starting at the event's "start": attended, dna or cancelled as its later event
  // says, else booked (its start is then after the cutoff).
  std::vector<Appointment> appointments;
  std::size_t patient = 0;   // Index into History::patients.
  bool new_patient = false;  // The patient's first referral: the patient is created with it.
};

struct History {
  Date from{};       // The first day of the history.
  Date until{};      // The day after the last.
  Instant cutoff{};  // 00:00 London time on `until`.
  int months = 0;
  // The rota's clinicians (or synthetic ones), then the bank clinicians of the overflow clinics.
  std::vector<Clinician> clinicians;
  // The slots of the rota (clinics.templates) on every working day from `from` to the end of the
  // forward diary (params.forward_weeks weeks from `until`), and the overflow clinics' slots that
  // hold an appointment, in id order. booked is 0: the store counts the appointments.
  std::vector<Slot> slots;
  // The overflow clinics (diary.h) the history opened: extra sessions beyond the rota where it had
  // no room, valid from `from` to the day before `until`.
  std::vector<ClinicTemplate> overflow_templates;
  std::int64_t overflow_appointments = 0;    // Appointments in the overflow clinics.
  std::vector<Patient> patients;             // In order of their first referral.
  std::vector<GeneratedReferral> referrals;  // In order of arrival.
};

// Generates the history. Arrivals follow the demo parameters' monthly rate, split by source, each
// source with its own weekly pattern, as a Poisson count per day; each arrival is a new patient or,
// for repeat_patient_share of them, one already known. Each appointment takes the first free slot
// of its kind on or after the day the simulation wants it (diary.h), so waits grow where the rota
// is full, and goes to an overflow clinic when the rota has none within
// params.overflow_after_working_days working days. InvalidArgument naming "months" or "until" for
// bad options, or the demo parameter that cannot make an overflow clinic's slots;
// FailedPrecondition when the service and the parameters do not fit together (no sites, an unknown
// hub site, no triage team). The clinicians are `clinics.clinicians` when there are any (see
// MakeRoster in roster.h), else synthetic, with no rota: every appointment is then in an overflow
// clinic.
StatusOr<History> GenerateHistory(const config::ServiceConfig& service,
                                  const config::ClinicsConfig& clinics,
                                  const DemoParameters& params, const WorkingCalendar& calendar,
                                  const DemoOptions& options);

// A 64-bit digest of everything in `history` (patients, clinicians, referrals, events), to compare
// two histories cheaply.
std::uint64_t Digest(const History& history);

}  // namespace tendon::demo

#endif  // TENDON_DEMO_HISTORY_H_
