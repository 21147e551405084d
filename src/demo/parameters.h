// The parameters of the synthetic demo history (data/services/<service>/demo.toml): how many
// referrals arrive and when, from where, how they move through the pathway and how long each step
// takes. Every figure is data so that the demo can be recalibrated without a rebuild; demo.toml
// gives each one's source in reference/service-facts.md or says it is an assumption.
//
// Shares are fractions in [0, 1]; a table of shares (a categorical distribution) sums to 1. Times
// carry their unit in the name: _weeks and _days are calendar time, _working_days count Monday to
// Friday less bank holidays (a fraction is that part of the opening hours), _hours are clock hours.
#ifndef TENDON_DEMO_PARAMETERS_H_
#define TENDON_DEMO_PARAMETERS_H_

#include <array>
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/pathway.h"
#include "core/questionnaire.h"
#include "core/schedule.h"
#include "core/status.h"

namespace tendon::demo {

inline constexpr std::size_t kDaysPerWeek = 7;
inline constexpr std::size_t kPriorities = 4;     // Indexed by static_cast<size_t>(Priority).
inline constexpr std::size_t kTiers = 2;          // Indexed by static_cast<size_t>(Tier).
inline constexpr std::size_t kServiceLines = 10;  // Indexed by static_cast<size_t>(ServiceLine).
inline constexpr std::size_t kDestinations = 5;   // Indexed by OnwardDestination.

using ByPriority = std::array<double, kPriorities>;
using ByTier = std::array<double, kTiers>;

// Appointment modalities (appointment.booked's "modality" field): core/schedule.h's Modality.
inline constexpr std::size_t kModalities = 3;  // Indexed by static_cast<size_t>(Modality).

// Friends and Family Test answers (feedback.fft's "answer" field) are core/questionnaire.h's
// FftAnswer [clinical-facts.md, section 4].

// What follows a physioline telephone assessment.
enum class PhysiolineOutcome { kDischarge, kPhysiotherapy, kOnward };
inline constexpr std::size_t kPhysiolineOutcomes = 3;

struct SourceParameters {
  ReferralSource source = ReferralSource::kGp;
  double share = 0;  // Of all referrals.
  // Relative arrival rate on each day of the week, Monday first, and on a bank holiday.
  std::array<double, kDaysPerWeek> weekday_weights{};
  double bank_holiday_weight = 0;
  int received_from_hour = 0;  // Referrals arrive uniformly in [from, to) London time.
  int received_to_hour = 0;
  ByPriority priority_shares{};
  double return_share = 0;  // Returned as incomplete.
  double tier2_share = 0;   // Of referrals accepted to a tier; 0 for self-referrals.
};

struct AgeBand {
  int from_age = 0;  // Inclusive.
  int to_age = 0;    // Inclusive.
  double share = 0;
};

struct WaitParameters {
  double mean_weeks = 0;  // Registration to first attended appointment, over all priorities.
  double shape = 1;       // Gamma shape: lower is more right-skewed.
  int min_working_days = 0;
};

struct DemoParameters {
  // [history]
  double referrals_per_month = 0;
  double repeat_patient_share = 0;
  std::vector<SourceParameters> sources;  // One per source, any order; self must have tier2 0.

  // [patients]
  double female_share = 0;
  double dissent_share = 0;
  double nearest_site_share = 0;  // Seen at the nearest site; else the second nearest.
  std::string gp_practice_prefix;
  int gp_practices_per_district = 1;
  std::vector<AgeBand> age_bands;

  // [returns]
  double return_after_working_days = 0;
  double resubmit_share = 0;
  double resubmit_after_working_days = 0;
  int resubmit_deadline_working_days = 0;
  std::vector<std::string> missing_items;  // What a returned referral lacked.

  // [triage]
  ByPriority triage_mean_working_days{};
  ByPriority triage_due_hours{};
  double received_due_working_days = 0;  // Registration check of a referral that will be returned.
  double triage_advice_share = 0;        // Discharged with advice at triage.
  double triage_onward_share = 0;        // Referred straight to secondary care at triage.
  ByPriority redflag_shares{};
  std::vector<std::string> redflag_rules;
  int redflag_rule_version = 1;

  // [tiers]
  double physioline_share = 0;  // Of tier-1 referrals, assessed first by physioline.
  std::array<double, kServiceLines> tier2_line_shares{};  // Tier-1 lines must be 0.

  // [waits]
  std::array<WaitParameters, kTiers> waits{};
  ByPriority wait_priority_factor{};  // Relative wait by priority; normalised per tier.
  double booking_mean_working_days = 0;
  double booking_due_working_days = 0;
  double rebook_mean_working_days = 0;

  // [appointments]
  int open_hour = 0;  // Clinics run [open, close) London time on working days.
  int close_hour = 0;
  // Slot lengths of overflow clinics (diary.h): new patients; physioline; follow-ups and
  // injections. Rota appointments take their slots' lengths.
  int first_minutes = 0;
  int follow_up_minutes = 0;
  int physioline_minutes = 0;
  // How the patient is seen, chosen at triage for every line but physioline (always telephone) and
  // injection (always face to face).
  std::array<double, kModalities> modality_shares{};
  double dna_share = 0;
  double dna_discharge_share = 0;
  double patient_cancel_share = 0;
  double service_cancel_share = 0;
  std::vector<std::string> patient_cancel_reasons;
  std::vector<std::string> service_cancel_reasons;
  double withdraw_share = 0;

  // [treatment]
  std::array<double, kPhysiolineOutcomes> physioline_outcome_shares{};
  ByTier follow_ups_mean{};
  ByTier follow_up_interval_days{};
  double follow_up_interval_shape = 1;
  ByTier onward_share{};
  std::array<double, kDestinations> onward_destination_shares{};
  double review_due_working_days = 0;

  // [discharge]
  double pifu_share = 0;
  int pifu_window_months = 0;
  double pifu_request_share = 0;
  double pifu_response_working_days = 0;
  double close_due_working_days = 0;

  // [mskhq]
  double mskhq_baseline_completion = 0;
  double mskhq_discharge_completion = 0;
  double mskhq_baseline_mean = 0;
  double mskhq_baseline_sd = 0;
  double mskhq_change_mean = 0;
  double mskhq_change_sd = 0;
  double mskhq_significant_change = 0;

  // [fft]
  double fft_response_share = 0;
  std::array<double, kFftAnswers> fft_answer_shares{};

  // [clinicians]
  double clinic_days_per_clinician = 1;
  double tier2_day_share = 0;
  int triage_team = 1;
  int physioline_team = 1;
  std::string hub_site;  // Where the triage and physioline teams are based.

  // [diary]
  int forward_weeks = 8;  // Weeks of slots generated from the demo's `until`: 0 to 52.
  // How many working days after the day it wants an appointment may wait for a free slot of the
  // rota before it goes to an overflow clinic (diary.h): 0 to 60.
  int overflow_after_working_days = 5;
};

inline constexpr int kMaxForwardWeeks = 52;

// Parses the text of a demo.toml. `file` names it in errors. Every error is an InvalidArgument
// reading "file:line: key: reason" (no line for a missing key), with the key's dotted path: syntax
// errors, unknown or missing keys, wrong types, values out of range and shares that do not sum
// to 1.
StatusOr<DemoParameters> ParseDemoParameters(std::string_view text, const std::string& file);

// Reads and parses `path`. NotFound when it does not exist; errors as ParseDemoParameters.
StatusOr<DemoParameters> LoadDemoParameters(const std::filesystem::path& path);

}  // namespace tendon::demo

#endif  // TENDON_DEMO_PARAMETERS_H_
