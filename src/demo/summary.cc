#include "demo/summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>

#include "demo/payload.h"

namespace tendon::demo {
namespace {

using internal::PayloadNumber;
using internal::PayloadText;

constexpr double kPercent = 100;
constexpr double kMillisPerWeek = 7.0 * 24 * 60 * 60 * 1000;

double Ratio(double part, double whole) { return whole > 0 ? part / whole : 0; }

std::size_t Index(Tier t) { return static_cast<std::size_t>(t); }

Modality ModalityNamed(std::string_view name) {
  for (std::size_t i = 0; i < kModalities; ++i) {
    if (ToString(static_cast<Modality>(i)) == name) return static_cast<Modality>(i);
  }
  return Modality::kFaceToFace;
}

// Running totals over the referrals.
class Fold {
 public:
  Fold(const config::ServiceConfig& service, const DemoParameters& params)
      : service_(service), params_(params), region_counts_(service.regions.size()) {}

  void Add(const History& history, const GeneratedReferral& g);
  DemoSummary Finish(const History& history, std::int64_t sites);

 private:
  void AddRegion(const Patient& patient);
  void AddEvent(const PathwayEvent& e);
  void AddAttended(const PathwayEvent& e);
  void AddOutcome(const PathwayEvent& e);
  void FinishWaits();
  void FinishShares(int months);

  const config::ServiceConfig& service_;
  const DemoParameters& params_;
  DemoSummary s_;
  std::vector<std::int64_t> region_counts_;
  std::array<double, kTiers> wait_sum_{};
  std::vector<double> waits_;
  std::array<std::int64_t, kModalities> modality_{};
  std::int64_t physioline_ = 0;
  double change_sum_ = 0;
  std::int64_t significant_ = 0;
  std::int64_t positive_ = 0;
  // Per referral: where its waits start, whether it was seen yet, its appointments' modalities and
  // its MSK-HQ scores.
  Instant registered_{};
  bool seen_ = false;
  std::vector<std::pair<std::string_view, Modality>> booked_;
  std::optional<long> baseline_;
  std::optional<long> discharge_;
};

void Fold::AddRegion(const Patient& patient) {
  const std::string_view district =
      std::string_view(patient.postcode).substr(0, patient.postcode.find(' '));
  for (const config::PostcodeDistrict& d : service_.districts) {
    if (d.district != district) continue;
    for (std::size_t r = 0; r < service_.regions.size(); ++r) {
      if (service_.regions[r].name == d.region) ++region_counts_[r];
    }
    return;
  }
}

void Fold::Add(const History& history, const GeneratedReferral& g) {
  const Referral& r = g.referral;
  ++s_.referrals;
  s_.events += static_cast<std::int64_t>(g.events.size());
  s_.appointments += static_cast<std::int64_t>(g.appointments.size());
  ++s_.by_state[static_cast<std::size_t>(r.state)];
  if (!IsTerminal(r.state)) {
    ++s_.open_referrals;
    if (r.next_action_due && *r.next_action_due < history.cutoff) ++s_.overdue_referrals;
  }
  AddRegion(history.patients[g.patient]);
  registered_ = r.received_at;
  seen_ = false;
  booked_.clear();
  baseline_.reset();
  discharge_.reset();
  for (const PathwayEvent& e : g.events) AddEvent(e);
  if (baseline_ && discharge_) {
    const double change = static_cast<double>(*discharge_ - *baseline_);
    ++s_.mskhq_pairs;
    change_sum_ += change;
    if (change > params_.mskhq_significant_change) ++significant_;
  }
}

void Fold::AddEvent(const PathwayEvent& e) {
  switch (e.type) {
    case EventType::kReferralReturned:
      ++s_.returned_referrals;
      break;
    case EventType::kReferralResubmitted:
      registered_ = e.occurred_at;
      break;
    case EventType::kAppointmentBooked:
      booked_.emplace_back(PayloadText(e.payload, "appointment_id"),
                           ModalityNamed(PayloadText(e.payload, "modality")));
      break;
    case EventType::kAppointmentAttended:
      AddAttended(e);
      break;
    case EventType::kAppointmentDna:
      ++s_.appointments_dna;
      break;
    case EventType::kAppointmentCancelled:
      ++s_.appointments_cancelled;
      break;
    case EventType::kOnwardReferred:
      ++s_.onward_referrals;
      break;
    case EventType::kOutcomeMskhq:
    case EventType::kFeedbackFft:
      AddOutcome(e);
      break;
    default:
      break;
  }
}

void Fold::AddAttended(const PathwayEvent& e) {
  ++s_.appointments_attended;
  if (e.service_line == ServiceLine::kPhysioline) {
    ++physioline_;
  } else {
    const std::string_view id = PayloadText(e.payload, "appointment_id");
    for (const auto& [booked_id, modality] : booked_) {
      if (booked_id == id) ++modality_[static_cast<std::size_t>(modality)];
    }
  }
  if (seen_ || !e.tier) return;
  seen_ = true;
  const double weeks = static_cast<double>((e.occurred_at - registered_).count()) / kMillisPerWeek;
  ++s_.first_appointments[Index(*e.tier)];
  wait_sum_[Index(*e.tier)] += weeks;
  waits_.push_back(weeks);
}

void Fold::AddOutcome(const PathwayEvent& e) {
  if (e.type == EventType::kFeedbackFft) {
    ++s_.fft_responses;
    const std::string_view answer = PayloadText(e.payload, "answer");
    if (answer == ToString(FftAnswer::kVeryGood) || answer == ToString(FftAnswer::kGood)) {
      ++positive_;
    }
    return;
  }
  const std::string_view timepoint = PayloadText(e.payload, "timepoint");
  if (timepoint == "baseline") baseline_ = PayloadNumber(e.payload, "score");
  if (timepoint == "discharge") discharge_ = PayloadNumber(e.payload, "score");
}

void Fold::FinishWaits() {
  const auto firsts = static_cast<double>(s_.first_appointments[0] + s_.first_appointments[1]);
  s_.tier1_share = Ratio(static_cast<double>(s_.first_appointments[0]), firsts);
  for (std::size_t t = 0; t < kTiers; ++t) {
    s_.mean_wait_weeks[t] = Ratio(wait_sum_[t], static_cast<double>(s_.first_appointments[t]));
  }
  s_.mean_wait_weeks_all = Ratio(wait_sum_[0] + wait_sum_[1], firsts);
  if (waits_.empty()) return;
  auto middle = waits_.begin() + static_cast<std::ptrdiff_t>(waits_.size() / 2);
  std::nth_element(waits_.begin(), middle, waits_.end());
  s_.median_wait_weeks_all = *middle;
}

void Fold::FinishShares(int months) {
  const auto referrals = static_cast<double>(s_.referrals);
  s_.referrals_per_month = Ratio(referrals, months);
  for (std::size_t r = 0; r < region_counts_.size(); ++r) {
    s_.regions.push_back(
        {service_.regions[r].name, Ratio(static_cast<double>(region_counts_[r]), referrals)});
  }
  const auto attended = static_cast<double>(s_.appointments_attended);
  s_.physioline_share = Ratio(static_cast<double>(physioline_), attended);
  for (std::size_t m = 0; m < kModalities; ++m) {
    s_.modality_shares[m] =
        Ratio(static_cast<double>(modality_[m]), attended - static_cast<double>(physioline_));
  }
  s_.dna_rate = Ratio(static_cast<double>(s_.appointments_dna),
                      attended + static_cast<double>(s_.appointments_dna));
  const auto pairs = static_cast<double>(s_.mskhq_pairs);
  s_.mskhq_mean_change = Ratio(change_sum_, pairs);
  s_.mskhq_significant_share = Ratio(static_cast<double>(significant_), pairs);
  s_.fft_positive_share =
      Ratio(static_cast<double>(positive_), static_cast<double>(s_.fft_responses));
  s_.pifu_windows_open = s_.by_state[static_cast<std::size_t>(ReferralState::kPifuWindow)];
}

DemoSummary Fold::Finish(const History& history, std::int64_t sites) {
  s_.from = history.from;
  s_.until = history.until;
  s_.months = history.months;
  s_.sites = sites;
  s_.clinicians = static_cast<std::int64_t>(history.clinicians.size());
  s_.patients = static_cast<std::int64_t>(history.patients.size());
  s_.slots = static_cast<std::int64_t>(history.slots.size());
  s_.overflow_appointments = history.overflow_appointments;
  FinishWaits();
  FinishShares(history.months);
  return s_;
}

}  // namespace

DemoSummary Summarize(const History& history, const config::ServiceConfig& service,
                      const DemoParameters& params) {
  Fold fold(service, params);
  for (const GeneratedReferral& g : history.referrals) fold.Add(history, g);
  return fold.Finish(history, static_cast<std::int64_t>(service.sites.size()));
}

std::string FormatSummary(const DemoSummary& s) {
  std::string out = fmt::format(
      "history {} to {} ({} months): {} sites, {} clinicians, {} patients\n"
      "referrals {} ({:.0f} a month), events {}, returned incomplete {}\n"
      "open referrals {} ({} overdue):",
      FormatDate(s.from), FormatDate(s.until - date::days(1)), s.months, s.sites, s.clinicians,
      s.patients, s.referrals, s.referrals_per_month, s.events, s.returned_referrals,
      s.open_referrals, s.overdue_referrals);
  for (std::size_t i = 0; i < kReferralStates; ++i) {
    const auto state = static_cast<ReferralState>(i);
    if (!IsTerminal(state) && s.by_state[i] > 0) {
      out += fmt::format(" {} {}", ToString(state), s.by_state[i]);
    }
  }
  out += "\nregions:";
  for (const RegionShare& r : s.regions)
    out += fmt::format(" {} {:.1f}%", r.region, r.share * kPercent);
  out += fmt::format(
      "\nfirst appointments: tier 1 {} ({:.1f}%), tier 2 {}\n"
      "wait to first attended appointment: tier 1 mean {:.2f} weeks, tier 2 mean {:.2f} weeks, "
      "all mean {:.2f} weeks, median {:.2f} weeks\n",
      s.first_appointments[0], s.tier1_share * kPercent, s.first_appointments[1],
      s.mean_wait_weeks[0], s.mean_wait_weeks[1], s.mean_wait_weeks_all, s.median_wait_weeks_all);
  out += fmt::format(
      "appointments attended {}: physioline {:.1f}%; others face to face {:.1f}%, video {:.1f}%, "
      "telephone {:.1f}%; did not attend {:.1f}%; cancelled {}\n",
      s.appointments_attended, s.physioline_share * kPercent, s.modality_shares[0] * kPercent,
      s.modality_shares[1] * kPercent, s.modality_shares[2] * kPercent, s.dna_rate * kPercent,
      s.appointments_cancelled);
  out += fmt::format(
      "onward referrals {}, PIFU windows open {}\n"
      "MSK-HQ baseline and discharge pairs {}: mean change {:+.1f}, {:.0f}% clinically "
      "significant\n"
      "Friends and Family Test responses {}: {:.0f}% positive\n",
      s.onward_referrals, s.pifu_windows_open, s.mskhq_pairs, s.mskhq_mean_change,
      s.mskhq_significant_share * kPercent, s.fft_responses, s.fft_positive_share * kPercent);
  out += fmt::format(
      "diary: {} slots, {} appointments, {} ({:.1f}%) in overflow clinics beyond the rota\n",
      s.slots, s.appointments, s.overflow_appointments,
      Ratio(static_cast<double>(s.overflow_appointments), static_cast<double>(s.appointments)) *
          kPercent);
  return out;
}

}  // namespace tendon::demo
