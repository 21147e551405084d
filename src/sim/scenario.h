// A simulation scenario: every parameter of the pathway model as plain data, so that a scenario
// file, a calibration from the live event log or a planner's form can fill it alike. LoadScenario
// reads one from TOML (data/services/oxfordshire/scenarios/README.md gives the schema): a baseline
// built on the service's own configuration (its sites, clinicians, clinic templates and the bank
// holidays the live system uses), or a baseline plus changes.
#ifndef TENDON_SIM_SCENARIO_H_
#define TENDON_SIM_SCENARIO_H_

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/pathway.h"
#include "core/records.h"
#include "core/schedule.h"
#include "core/status.h"
#include "core/time.h"
#include "core/working_days.h"

namespace tendon::sim {

inline constexpr int kPriorities = 4;  // Indexed by Priority.
inline constexpr int kSources = 4;     // gp, self, fcp, hospital (ReferralSource's first four).
inline constexpr int kLines = 10;      // Indexed by ServiceLine.
inline constexpr int kTier2Lines = 8;  // spinal to pain_management, in ServiceLine order.
inline constexpr int kModalities = 3;  // Indexed by Modality.

// Where referrals come from, and what the referrer asks for.
struct SourceMix {
  double share = 0;                                      // Of all referrals; the shares sum to 1.
  std::array<double, kPriorities> priority{0, 0, 0, 1};  // Shares, summing to 1.
  double tier2_share = 0;  // Of those accepted, sent to tier 2 (0 for self-referrals).
};

struct Demand {
  double referrals_per_week = 0;
  double growth_per_year = 0;  // Compound: 0.05 is 5% more a year.
  // Relative rate by calendar month of the London date, January first (mean 1 keeps the total).
  std::array<double, 12> seasonality{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  std::vector<std::string> regions;   // Region names, as the service's regions.csv.
  std::vector<double> region_shares;  // Summing to 1.
  std::array<SourceMix, kSources> sources{};
  double physioline_share = 0;                    // Of tier-1 referrals, first seen by physioline.
  std::array<double, kTier2Lines> tier2_lines{};  // Shares of tier-2 referrals by line.
};

// The triage clinicians: a pool of servers taking referrals in priority order, then first come.
struct Triage {
  int clinicians = 1;
  double mean_minutes = 10;  // Exponential.
  // When set, triage happens only on working days between these London times; otherwise at any
  // time (a queueing-theory configuration).
  bool working_hours = true;
  int open_minute = 8 * 60 + 30;
  int close_minute = 17 * 60;
  double advice_share = 0;  // Discharged with advice at triage.
  double onward_share = 0;  // Referred straight onward.
};

// How long after the start of a referral's wait its first appointment is to be at the earliest:
// gamma distributed. It stands for what keeps a patient from the first free slot when capacity is
// not short: the time the service takes to book and the notice patients are given and ask for.
// A mean of 0 (the default) books the first free slot.
struct Lead {
  double mean_days = 0;
  double shape = 1;
};

// How treatment capacity is modelled.
enum class CapacityModel {
  // A pool of clinicians free at any time, visits of exponential length, taken in priority order
  // then first come (the queueing-theory and peer-comparison configuration).
  kPool,
  // The service's clinic slots, generated from its templates on the working calendar and booked by
  // the booking team each working day with the live booking rules.
  kSlots,
};

struct Treatment {
  CapacityModel model = CapacityModel::kSlots;
  // kPool only.
  int pool_clinicians = 1;
  double visit_mean_minutes = 30;
  // Visits per episode: uniform on [visits_min, visits_max] when visits_max > 0; otherwise one
  // plus a geometric count of follow-ups with the tier's mean.
  int visits_min = 1;
  int visits_max = 0;
  std::array<double, 2> follow_ups_mean{0, 0};            // By tier.
  std::array<double, 2> follow_up_interval_days{14, 28};  // By tier; exponential.
  // kSlots only: how the booking team books.
  int horizon_weeks = 8;        // Slots bookable up to this far ahead.
  int booking_minute = 8 * 60;  // The daily booking run, London time, each working day.
  // How patients are seen, for lines other than physioline (telephone) and injection (face to
  // face). Shares summing to 1, indexed by Modality.
  std::array<double, kModalities> modality{1, 0, 0};
  // After a physioline assessment: discharged, on to physiotherapy, referred onward.
  std::array<double, 3> physioline_outcome{1, 0, 0};
  double dna_share = 0;
  double dna_discharge_share = 0;            // At a first appointment; otherwise rebooked.
  double patient_cancel_share = 0;           // Of bookings: the patient cancels, freeing the slot.
  double service_cancel_share = 0;           // Of bookings: the service cancels; the place is lost.
  std::array<double, 2> onward_share{0, 0};  // At the end of treatment, by tier.
  double pifu_share = 0;                     // Discharges given a PIFU window.
  double pifu_window_weeks = 26;
  double pifu_request_share = 0;  // Of those, who ask to come back within it.
  // The lead to a first appointment after triage, by tier then priority (kSlots and kPool alike).
  std::array<std::array<Lead, kPriorities>, 2> first_lead{};
};

// Patients transferred from an outgoing provider at day 0, waiting to book.
struct Backlog {
  int patients = 0;
  std::array<double, kPriorities> priority{0, 0, 0, 1};
  double waited_weeks_mean = 0;  // Exponential: how long they had waited before the transfer.
};

// A site closed for some weeks: its slots in that time are cancelled.
struct Closure {
  std::string site_id;
  int from_week = 0;  // Weeks from the start.
  int weeks = 0;
};

struct Scenario {
  std::string name;
  Date start{};          // The first simulated London day.
  int weeks = 52;        // Simulated after the warm-up.
  int warmup_weeks = 0;  // Simulated first and left out of the results.
  std::uint64_t seed = 1;
  int replications = 10;

  Demand demand;
  Triage triage;
  Treatment treatment;
  Backlog backlog;

  // The service the slots come from (kSlots): its sites, clinicians, templates and bank holidays.
  std::vector<Site> sites;
  std::vector<Clinician> clinicians;
  std::vector<ClinicTemplate> templates;
  std::vector<Closure> closures;
  WorkingCalendar calendar;
};

// Every problem with `s`'s values that would make the model meaningless, each an InvalidArgument
// naming the field ("demand.referrals_per_week"); empty when it can run.
std::vector<Status> ScenarioProblems(const Scenario& s);

// Loads a scenario file (TOML). Its `base`, when given, is another scenario file (relative to this
// one) loaded first; this file's values and changes then apply on top. `service`, a service folder
// (relative to the file), gives the sites, clinicians, clinic templates and regions, and
// `bank_holidays` the calendar. Errors: NotFound for a missing file; InvalidArgument
// "file:line: key: reason" for a bad value, and ScenarioProblems' for a scenario that cannot run.
StatusOr<Scenario> LoadScenario(const std::filesystem::path& file);

}  // namespace tendon::sim

#endif  // TENDON_SIM_SCENARIO_H_
