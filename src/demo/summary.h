// What a generated demo history holds, in the figures service-facts.md gives for the real service,
// so that `tendon demo` can show how well the synthetic service matches them.
#ifndef TENDON_DEMO_SUMMARY_H_
#define TENDON_DEMO_SUMMARY_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "config/service.h"
#include "demo/history.h"
#include "demo/parameters.h"

namespace tendon::demo {

inline constexpr std::size_t kReferralStates =
    12;  // Indexed by static_cast<size_t>(ReferralState).

struct RegionShare {
  std::string region;
  double share = 0;  // Of referrals, by the patient's postcode district.
};

struct DemoSummary {
  Date from{};
  Date until{};
  int months = 0;
  std::int64_t sites = 0;
  std::int64_t clinicians = 0;
  std::int64_t slots = 0;         // The diary's slots: History::slots (BuildDemo: those written).
  std::int64_t appointments = 0;  // Appointment rows, one per appointment.booked.
  std::int64_t overflow_appointments = 0;  // Of those, in overflow clinics beyond the rota.
  std::int64_t patients = 0;
  std::int64_t referrals = 0;
  std::int64_t events = 0;
  std::int64_t open_referrals = 0;     // Not closed, withdrawn or onward_referred.
  std::int64_t overdue_referrals = 0;  // Open, with the next action due before the end.
  std::array<std::int64_t, kReferralStates> by_state{};
  double referrals_per_month = 0;
  std::vector<RegionShare> regions;  // In the service's order.
  std::int64_t returned_referrals = 0;

  // Registration (or resubmission after a return) to the first attended appointment.
  std::array<std::int64_t, kTiers> first_appointments{};
  double tier1_share = 0;  // Of first attended appointments.
  std::array<double, kTiers> mean_wait_weeks{};
  double mean_wait_weeks_all = 0;
  double median_wait_weeks_all = 0;

  std::int64_t appointments_attended = 0;
  std::int64_t appointments_dna = 0;
  std::int64_t appointments_cancelled = 0;
  double physioline_share = 0;  // Of attended appointments.
  // Of attended appointments other than physioline, by Modality.
  std::array<double, kModalities> modality_shares{};
  double dna_rate = 0;  // DNAs / (attended + DNAs).

  std::int64_t onward_referrals = 0;
  std::int64_t pifu_windows_open = 0;
  std::int64_t mskhq_pairs = 0;  // Referrals with a baseline and a discharge score.
  double mskhq_mean_change = 0;
  double mskhq_significant_share = 0;  // Of pairs, change above the significant change.
  std::int64_t fft_responses = 0;
  double fft_positive_share = 0;  // Very good or good, of all responses.
};

// Folds `history` into its summary. Regions come from `service` (by postcode district).
DemoSummary Summarize(const History& history, const config::ServiceConfig& service,
                      const DemoParameters& params);

// A plain-text report of `summary`, a line a figure, for the command line.
std::string FormatSummary(const DemoSummary& summary);

}  // namespace tendon::demo

#endif  // TENDON_DEMO_SUMMARY_H_
