#include "cli/calibrate.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "core/london_time.h"

namespace tendon::cli {
namespace {

using json = nlohmann::json;
using E = EventType;

constexpr double kMsPerDay = 86'400'000.0;
constexpr int kMonths = 12;
constexpr double kDaysPerYear = 365;
// Fewer observations than this in a tier and priority: its lead is the tier's over all priorities.
constexpr std::int64_t kMinLeadSamples = 10;
constexpr double kMinShape = 0.2;  // Bounds on a fitted gamma shape, so a few extreme waits
constexpr double kMaxShape = 50;   // cannot make a degenerate distribution.
// What the log cannot show, kept at the baseline's values (baseline.toml gives their sources).
constexpr double kTriageMinutes = 10;
constexpr int kTriageOpen = 8 * 60 + 30;
constexpr int kTriageClose = 17 * 60;
constexpr int kBookingMinute = 8 * 60;

double Days(Instant a, Instant b) {
  return static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count()) /
         kMsPerDay;
}

double Ratio(double part, double whole, double fallback = 0) {
  return whole > 0 ? part / whole : fallback;
}

// Mean and variance of a sample, kept as sums.
struct Moments {
  std::int64_t n = 0;
  double sum = 0;
  double sum_sq = 0;
  void Add(double x) {
    ++n;
    sum += x;
    sum_sq += x * x;
  }
  void Add(const Moments& m) {
    n += m.n;
    sum += m.sum;
    sum_sq += m.sum_sq;
  }
  double Mean() const { return Ratio(sum, static_cast<double>(n)); }
  // The gamma with this sample's mean and variance (method of moments).
  sim::Lead Gamma() const {
    const double mean = Mean();
    const double variance = Ratio(sum_sq, static_cast<double>(n)) - mean * mean;
    const double shape = variance > 0 ? mean * mean / variance : kMaxShape;
    return sim::Lead{mean, std::clamp(shape, kMinShape, kMaxShape)};
  }
};

// Shares of counts, or `fallback` (index of the whole share) when there are none.
template <std::size_t N>
std::array<double, N> Shares(const std::array<double, N>& counts, std::size_t fallback) {
  std::array<double, N> out{};
  double total = 0;
  for (double c : counts) total += c;
  if (total <= 0) {
    out[fallback] = 1;
    return out;
  }
  for (std::size_t i = 0; i < N; ++i) out[i] = counts[i] / total;
  return out;
}

// What the estimator remembers of one referral.
struct Track {
  Instant since{};
  bool received_in_period = false;
  int source = -1;  // A ReferralSource's value; -1 when unknown.
  int tier = -1;
  Priority priority = Priority::kRoutine;
  ServiceLine line = ServiceLine::kPhysiotherapy;
  bool booked = false;    // A first appointment booked.
  bool attended = false;  // Ever attended.
  int attended_in_line = 0;
  Instant last_attended{};
  bool after_physioline = false;  // Attended physioline; its outcome not yet seen.
  bool pifu_return = false;       // The episode is a PIFU return, not counted as an episode.
  bool pifu_open = false;
  Instant pifu_opened{};
  Instant pifu_ends{};
};

class Estimator {
 public:
  // Leads are taken from referrals received `lead_cutoff_days` or more before the period's end.
  Estimator(const CalibrationPeriod& period, int lead_cutoff_days)
      : period_(period),
        lead_cutoff_(period.to - date::days(lead_cutoff_days)),
        fold_(report::FoldOptions{period.from, {}}) {}

  Status Add(const PathwayEvent& e) {
    if (e.occurred_at >= period_.to) return OkStatus();
    RETURN_IF_ERROR(fold_.Add(e));
    Track& t = refs_[e.referral_id];
    const bool counts = e.occurred_at >= period_.from;
    if (counts) ++events_;
    const json payload = json::parse(e.payload, nullptr, false);
    switch (e.type) {
      case E::kReferralReceived:
        Received(t, e, payload, counts);
        break;
      case E::kTriageCompleted:
        Triaged(t, e, payload, counts);
        break;
      case E::kAppointmentBooked:
        Booked(t, e, payload, counts);
        break;
      case E::kAppointmentCancelled:
        if (counts) ++(payload.value("by", "") == "service" ? service_cancels_ : patient_cancels_);
        break;
      case E::kAppointmentAttended:
        Attended(t, e, counts);
        break;
      case E::kAppointmentDna:
        Missed(t, e, counts);
        break;
      default:
        Ended(t, e, payload, counts);
        break;
    }
    return OkStatus();
  }

  Calibration Finish() const;

 private:
  void Received(Track& t, const PathwayEvent& e, const json& payload, bool counts) {
    t.since = e.occurred_at;
    t.received_in_period = counts;
    t.priority = e.priority;
    StatusOr<ReferralSource> source = ParseReferralSource(payload.value("source", ""));
    t.source = source.ok() ? static_cast<int>(*source) : -1;
    if (!counts || t.source < 0 || t.source >= sim::kSources) return;
    ++received_[static_cast<std::size_t>(t.source)];
    const Date day = LondonDate(e.occurred_at);
    ++by_month_[static_cast<unsigned>(date::year_month_day(day).month()) - 1];
  }

  void Triaged(Track& t, const PathwayEvent& e, const json& payload, bool counts) {
    t.priority = e.priority;
    if (!counts) return;
    ++triaged_;
    triage_actors_.insert(e.actor);
    const std::string outcome = payload.value("outcome", "");
    if (outcome == "refer_onward") ++triage_onward_;
    if (outcome == "discharged_with_advice" || outcome == "emergency_advice") ++triage_advice_;
    if (t.source < 0 || t.source >= sim::kSources) return;
    const auto source = static_cast<std::size_t>(t.source);
    ++priority_[source][static_cast<std::size_t>(e.priority)];
    if (outcome != "accepted" || !e.tier || !e.service_line) return;
    t.tier = static_cast<int>(*e.tier);
    t.line = *e.service_line;
    ++accepted_[source];
    if (*e.tier == Tier::kTier2) ++accepted_tier2_[source];
    AcceptedTo(t.line, payload);
  }

  void AcceptedTo(ServiceLine line, const json& payload) {
    if (line == ServiceLine::kPhysioline || line == ServiceLine::kPhysiotherapy) {
      ++tier1_;
      if (line == ServiceLine::kPhysioline) ++physioline_;
    } else {
      ++tier2_lines_[static_cast<std::size_t>(line) -
                     static_cast<std::size_t>(ServiceLine::kSpinal)];
    }
    if (line == ServiceLine::kPhysioline || line == ServiceLine::kInjection) return;
    StatusOr<Modality> how = ParseModality(payload.value("modality", ""));
    if (how.ok()) ++modality_[static_cast<std::size_t>(*how)];
  }

  void Booked(Track& t, const PathwayEvent& e, const json& payload, bool counts) {
    if (counts) ++booked_;
    if (t.after_physioline && e.service_line == ServiceLine::kPhysiotherapy) {
      if (counts) ++physioline_outcome_[1];
      t.after_physioline = false;
    }
    if (t.booked) return;
    t.booked = true;
    StatusOr<Instant> start = ParseInstant(payload.value("start", ""), "start");
    if (!t.received_in_period || t.since >= lead_cutoff_ || t.tier < 0 || !start.ok()) return;
    lead_[static_cast<std::size_t>(t.tier)][static_cast<std::size_t>(t.priority)].Add(
        Days(t.since, *start));
  }

  void Attended(Track& t, const PathwayEvent& e, bool counts) {
    t.attended = true;
    if (counts) ++attended_;
    if (e.service_line && *e.service_line != t.line) {
      t.line = *e.service_line;
      t.attended_in_line = 0;
    }
    if (t.line == ServiceLine::kPhysioline) {
      t.after_physioline = true;
      return;
    }
    if (counts && t.attended_in_line > 0 && t.tier >= 0 && !t.pifu_return) {
      interval_[static_cast<std::size_t>(t.tier)].Add(Days(t.last_attended, e.occurred_at));
    }
    ++t.attended_in_line;
    t.last_attended = e.occurred_at;
  }

  void Missed(Track& t, const PathwayEvent& e, bool counts) {
    if (!counts) return;
    ++missed_;
    if (t.attended) return;
    ++first_missed_;
    if (e.state_after == ReferralState::kDischarged) ++first_missed_discharged_;
  }

  // Discharges, onward referrals and PIFU events: the ends of episodes and windows.
  void Ended(Track& t, const PathwayEvent& e, const json& payload, bool counts);

  void EndEpisode(Track& t, bool onward, bool counts) {
    if (t.after_physioline) {
      if (counts) ++physioline_outcome_[onward ? 2 : 0];
      t.after_physioline = false;
      return;
    }
    if (t.attended_in_line == 0 || t.tier < 0) return;
    const auto tier = static_cast<std::size_t>(t.tier);
    if (counts && !t.pifu_return) {
      episodes_[tier].Add(t.attended_in_line - 1);
      ++(onward ? onward_[tier] : discharged_[tier]);
    }
    t.attended_in_line = 0;
  }

  sim::Demand Demand() const;
  sim::Treatment Treatment() const;

  CalibrationPeriod period_;
  Instant lead_cutoff_;
  report::Fold fold_;
  std::unordered_map<std::string, Track> refs_;
  std::int64_t events_ = 0;
  std::array<double, sim::kSources> received_{};
  std::array<double, kMonths> by_month_{};
  std::int64_t triaged_ = 0, triage_advice_ = 0, triage_onward_ = 0;
  std::set<std::string> triage_actors_;
  std::array<std::array<double, sim::kPriorities>, sim::kSources> priority_{};
  std::array<double, sim::kSources> accepted_{};
  std::array<double, sim::kSources> accepted_tier2_{};
  double tier1_ = 0, physioline_ = 0;
  std::array<double, sim::kTier2Lines> tier2_lines_{};
  std::array<double, sim::kModalities> modality_{};
  std::array<double, 3> physioline_outcome_{};
  std::int64_t booked_ = 0, patient_cancels_ = 0, service_cancels_ = 0;
  std::int64_t attended_ = 0, missed_ = 0, first_missed_ = 0, first_missed_discharged_ = 0;
  std::array<Moments, 2> episodes_{};  // Follow-ups per completed episode, by tier.
  std::array<Moments, 2> interval_{};  // Days between visits, by tier.
  std::array<double, 2> onward_{}, discharged_{};
  std::int64_t pifu_opened_ = 0, pifu_requests_ = 0;
  double pifu_window_days_ = 0;
  double pifu_exposure_days_ = 0;  // Time windows were open in the period, up to a request.
  std::array<std::array<Moments, sim::kPriorities>, 2> lead_{};
};

void Estimator::Ended(Track& t, const PathwayEvent& e, const json& payload, bool counts) {
  switch (e.type) {
    case E::kEpisodeDischarged:
      EndEpisode(t, false, counts);
      return;
    case E::kOnwardReferred:
      EndEpisode(t, true, counts);
      return;
    case E::kPifuOpened: {
      StatusOr<Instant> ends = ParseInstant(payload.value("window_ends", ""), "window_ends");
      if (!counts || !ends.ok()) return;
      ++pifu_opened_;
      pifu_window_days_ += Days(e.occurred_at, *ends);
      t.pifu_open = true;
      t.pifu_opened = e.occurred_at;
      t.pifu_ends = *ends;
      return;
    }
    case E::kPifuRequested:
      t.pifu_return = true;
      if (!counts || !t.pifu_open) return;
      ++pifu_requests_;
      pifu_exposure_days_ += Days(t.pifu_opened, e.occurred_at);
      t.pifu_open = false;
      return;
    default:
      return;
  }
}

sim::Demand Estimator::Demand() const {
  sim::Demand d;
  double total = 0;
  for (double n : received_) total += n;
  const double days = Days(period_.from, period_.to);
  d.referrals_per_week = total / days * 7;
  // A month's rate needs the month seen whole at least once: only a year or more shows seasonality.
  if (days >= kDaysPerYear) {
    for (int m = 0; m < kMonths; ++m) d.seasonality[m] = by_month_[m] / (total / kMonths);
  }
  for (std::size_t s = 0; s < sim::kSources; ++s) {
    d.sources[s].share = Ratio(received_[s], total);
    d.sources[s].priority = Shares(priority_[s], static_cast<std::size_t>(Priority::kRoutine));
    d.sources[s].tier2_share = Ratio(accepted_tier2_[s], accepted_[s]);
  }
  d.physioline_share = Ratio(physioline_, tier1_);
  d.tier2_lines = Shares(tier2_lines_, 0);
  return d;
}

sim::Treatment Estimator::Treatment() const {
  sim::Treatment t;
  t.modality = Shares(modality_, static_cast<std::size_t>(Modality::kFaceToFace));
  t.physioline_outcome = Shares(physioline_outcome_, 0);
  const auto seen = static_cast<double>(attended_ + missed_);
  t.dna_share = Ratio(static_cast<double>(missed_), seen);
  t.dna_discharge_share =
      Ratio(static_cast<double>(first_missed_discharged_), static_cast<double>(first_missed_));
  t.patient_cancel_share =
      Ratio(static_cast<double>(patient_cancels_), static_cast<double>(booked_));
  t.service_cancel_share =
      Ratio(static_cast<double>(service_cancels_), static_cast<double>(booked_));
  for (std::size_t tier = 0; tier < 2; ++tier) {
    t.follow_ups_mean[tier] = episodes_[tier].Mean();
    t.follow_up_interval_days[tier] = interval_[tier].Mean();
    t.onward_share[tier] = Ratio(onward_[tier], onward_[tier] + discharged_[tier]);
    Moments pooled;
    for (const Moments& m : lead_[tier]) pooled.Add(m);
    for (std::size_t p = 0; p < sim::kPriorities; ++p) {
      const Moments& m = lead_[tier][p].n >= kMinLeadSamples ? lead_[tier][p] : pooled;
      t.first_lead[tier][p] = m.Gamma();
    }
  }
  const auto discharges = discharged_[0] + discharged_[1] + physioline_outcome_[0];
  t.pifu_share = std::min(1.0, Ratio(static_cast<double>(pifu_opened_), discharges));
  t.pifu_window_weeks = Ratio(pifu_window_days_, static_cast<double>(pifu_opened_)) / 7;
  // Requests come at a rate over the time windows are open; the share is the chance of one
  // within a whole window at that rate.
  double exposure = pifu_exposure_days_;
  for (const auto& [id, track] : refs_) {
    if (track.pifu_open) exposure += Days(track.pifu_opened, std::min(track.pifu_ends, period_.to));
  }
  const double rate = Ratio(static_cast<double>(pifu_requests_), exposure);
  t.pifu_request_share = 1 - std::exp(-rate * t.pifu_window_weeks * 7);
  return t;
}

Calibration Estimator::Finish() const {
  Calibration c;
  sim::Scenario& s = c.scenario;
  s.name = "Calibrated from " + date::format("%F", LondonDate(period_.from)) + " to " +
           date::format("%F", LondonDate(period_.to) - date::days(1));
  s.start = LondonDate(period_.from);
  s.weeks = std::max(1, static_cast<int>(std::lround(Days(period_.from, period_.to) / 7)));
  s.warmup_weeks = 0;
  s.demand = Demand();
  s.triage.clinicians = std::max(1, static_cast<int>(triage_actors_.size()));
  s.triage.mean_minutes = kTriageMinutes;
  s.triage.advice_share = Ratio(static_cast<double>(triage_advice_), static_cast<double>(triaged_));
  s.triage.onward_share = Ratio(static_cast<double>(triage_onward_), static_cast<double>(triaged_));
  s.treatment = Treatment();
  c.observed = fold_.Results(period_.to);
  c.events = events_;
  for (double n : received_) c.referrals += static_cast<std::int64_t>(n);
  return c;
}

// "{ a = 0.1, b = 0.9 }" of `values` named by `names`.
template <std::size_t N>
std::string Table(const std::array<std::string_view, N>& names,
                  const std::array<double, N>& values) {
  std::string out = "{ ";
  for (std::size_t i = 0; i < N; ++i) {
    out += fmt::format("{}{} = {:.6f}", i == 0 ? "" : ", ", names[i], values[i]);
  }
  return out + " }";
}

constexpr std::array<std::string_view, sim::kPriorities> kPriorityNames{"emergency", "urgent",
                                                                        "post_op", "routine"};
constexpr std::array<std::string_view, sim::kSources> kSourceNames{"gp", "self", "fcp", "hospital"};
constexpr std::array<std::string_view, 2> kTierNames{"tier1", "tier2"};

std::string DemandToml(const sim::Demand& d) {
  std::string out = "[demand]\n";
  out += fmt::format("referrals_per_week = {:.3f}\ngrowth_per_year = 0.0\n", d.referrals_per_week);
  out += fmt::format("seasonality = [{:.4f}]\n", fmt::join(d.seasonality, ", "));
  out += fmt::format("physioline_share = {:.6f}\n", d.physioline_share);
  out += "tier2_lines = " +
         Table<sim::kTier2Lines>({"spinal", "upper_limb", "lower_limb", "hand", "injection",
                                  "podiatry", "orthotics", "pain_management"},
                                 d.tier2_lines) +
         "\n";
  for (std::size_t s = 0; s < sim::kSources; ++s) {
    const sim::SourceMix& mix = d.sources[s];
    out += fmt::format(
        "\n[demand.sources.{}]\nshare = {:.6f}\npriority = {}\ntier2_share = {:.6f}\n",
        kSourceNames[s], mix.share, Table(kPriorityNames, mix.priority), mix.tier2_share);
  }
  return out;
}

std::string TriageToml(const sim::Triage& t) {
  return fmt::format(
      "\n[triage]\n# The clinicians who triaged in the period. The log does not show how long a "
      "triage takes:\n# the baseline's ten minutes.\nclinicians = {}\nmean_minutes = {:.1f}\n"
      "hours = \"working\"\nopen = \"{:02}:{:02}\"\nclose = \"{:02}:{:02}\"\n"
      "advice_share = {:.6f}\nonward_share = {:.6f}\n",
      t.clinicians, t.mean_minutes, t.open_minute / 60, t.open_minute % 60, t.close_minute / 60,
      t.close_minute % 60, t.advice_share, t.onward_share);
}

std::string LeadToml(const sim::Treatment& t) {
  std::string out =
      "\n# From the start of the wait to the first appointment booked: [mean days, gamma shape].\n"
      "[treatment.first_lead]\n";
  for (std::size_t tier = 0; tier < 2; ++tier) {
    out += std::string(kTierNames[tier]) + " = { ";
    for (std::size_t p = 0; p < sim::kPriorities; ++p) {
      const sim::Lead& lead = t.first_lead[tier][p];
      out += fmt::format("{}{} = [{:.4f}, {:.4f}]", p == 0 ? "" : ", ", kPriorityNames[p],
                         lead.mean_days, lead.shape);
    }
    out += " }\n";
  }
  return out;
}

// Each added clinic as a change from the first week (the simulated period is the calibrated one).
std::string ClinicsToml(const std::vector<AddedClinic>& clinics) {
  if (clinics.empty()) return "";
  std::string out =
      "\n# Clinics the database ran beyond the service's clinics.csv (such as the demo's overflow\n"
      "# clinics), so that the simulated capacity is the capacity the service had.\n[changes]\n";
  for (const AddedClinic& a : clinics) {
    const ClinicTemplate& t = a.clinic;
    std::vector<std::string> days;
    for (int d : t.weekdays) days.emplace_back(fmt::format("\"{}\"", WeekdayName(d)));
    std::vector<std::string> skills;
    for (const std::string& skill : a.skills) skills.push_back("\"" + skill + "\"");
    out += fmt::format(
        "\n[[changes.add_clinic]]\n# {}\nsite = \"{}\"\nskills = [{}]\nweekdays = [{}]\n"
        "start = \"{:02}:{:02}\"\nend = \"{:02}:{:02}\"\nslot_type = \"{}\"\nslot_minutes = {}\n"
        "modality = \"{}\"\nfrom_week = 0\n",
        t.id, t.site_id, fmt::join(skills, ", "), fmt::join(days, ", "), t.start_minute / 60,
        t.start_minute % 60, t.end_minute / 60, t.end_minute % 60, ToString(t.slot_type),
        t.slot_minutes, ToString(t.modality));
  }
  return out;
}

std::string TreatmentToml(const sim::Treatment& t) {
  std::string out = fmt::format(
      "\n[treatment]\ncapacity = \"slots\"\nhorizon_weeks = {}\nbooking_time = \"{:02}:{:02}\"\n",
      t.horizon_weeks, t.booking_minute / 60, t.booking_minute % 60);
  out += "follow_ups_mean = " + Table(kTierNames, t.follow_ups_mean) + "\n";
  out += "follow_up_interval_days = " + Table(kTierNames, t.follow_up_interval_days) + "\n";
  out +=
      "modality = " + Table<sim::kModalities>({"face_to_face", "video", "telephone"}, t.modality) +
      "\n";
  out += "physioline_outcome = " +
         Table<3>({"discharge", "physiotherapy", "onward"}, t.physioline_outcome) + "\n";
  out += fmt::format(
      "dna_share = {:.6f}\ndna_discharge_share = {:.6f}\npatient_cancel_share = {:.6f}\n"
      "service_cancel_share = {:.6f}\n",
      t.dna_share, t.dna_discharge_share, t.patient_cancel_share, t.service_cancel_share);
  out += "onward_share = " + Table(kTierNames, t.onward_share) + "\n";
  out +=
      fmt::format("pifu_share = {:.6f}\npifu_window_weeks = {:.3f}\npifu_request_share = {:.6f}\n",
                  t.pifu_share, t.pifu_window_weeks, t.pifu_request_share);
  return out + LeadToml(t);
}

}  // namespace

StatusOr<CalibrationPeriod> WholeHistory(store::Store& store) {
  std::optional<Instant> first;
  Instant last{};
  RETURN_IF_ERROR(store.ScanEvents(0, [&](const PathwayEvent& e) {
    if (!first || e.occurred_at < *first) first = e.occurred_at;
    last = std::max(last, e.occurred_at);
    return OkStatus();
  }));
  if (!first) return NotFoundError("the database has no pathway events to calibrate from", "--db");
  ASSIGN_OR_RETURN(Instant from, FromLondon(LondonDate(*first), std::chrono::minutes(0)));
  ASSIGN_OR_RETURN(Instant to,
                   FromLondon(LondonDate(last) + date::days(1), std::chrono::minutes(0)));
  return CalibrationPeriod{from, to};
}

// The store's clinics beyond `configured` that run on some day of `period`.
StatusOr<std::vector<AddedClinic>> ClinicsBeyond(store::Store& store,
                                                 const CalibrationPeriod& period,
                                                 const std::vector<ClinicTemplate>& configured) {
  std::set<std::string> known;
  for (const ClinicTemplate& t : configured) known.insert(t.id);
  ASSIGN_OR_RETURN(std::vector<ClinicTemplate> stored, store.ListClinicTemplates());
  ASSIGN_OR_RETURN(std::vector<Clinician> clinicians, store.ListClinicians());
  const Date first = LondonDate(period.from);
  const Date last = LondonDate(period.to) - date::days(1);
  std::vector<AddedClinic> out;
  for (ClinicTemplate& t : stored) {
    if (known.count(t.id) > 0 || t.valid_from > last || (t.valid_until && *t.valid_until < first)) {
      continue;
    }
    const auto who = std::find_if(clinicians.begin(), clinicians.end(),
                                  [&](const Clinician& c) { return c.id == t.clinician_id; });
    if (who == clinicians.end()) continue;
    out.push_back({std::move(t), who->skills});
  }
  return out;
}

StatusOr<Calibration> Calibrate(store::Store& store, const CalibrationPeriod& period,
                                int horizon_weeks, const std::vector<ClinicTemplate>& configured) {
  // A referral received near the end whose first appointment is far off may not be booked yet: the
  // leads come from referrals received a booking horizon or more before the end, or the long ones
  // would be missed (when the period is long enough to leave some).
  const int days = static_cast<int>(Days(period.from, period.to));
  Estimator estimator(period, std::min(horizon_weeks * 7, days / 2));
  RETURN_IF_ERROR(store.ScanEvents(0, [&](const PathwayEvent& e) { return estimator.Add(e); }));
  Calibration c = estimator.Finish();
  if (c.referrals == 0) {
    return FailedPreconditionError("no referral was received in the period", "--from");
  }
  c.scenario.treatment.horizon_weeks = horizon_weeks;
  c.scenario.treatment.booking_minute = kBookingMinute;
  c.scenario.triage.open_minute = kTriageOpen;
  c.scenario.triage.close_minute = kTriageClose;
  ASSIGN_OR_RETURN(c.added_clinics, ClinicsBeyond(store, period, configured));
  return c;
}

std::string CalibratedScenarioToml(const Calibration& c, const std::string& service_dir,
                                   const std::string& bank_holidays) {
  const sim::Scenario& s = c.scenario;
  std::string out = fmt::format(
      "# Written by `tendon simulate --calibrate-from`: the parameters estimated from {} pathway\n"
      "# events and {} referrals of the period (src/cli/calibrate.h says how). The capacity is "
      "the\n"
      "# service's clinic templates; regions are its regions.csv.\n\n"
      "name = \"{}\"\nservice = \"{}\"\nbank_holidays = \"{}\"\nstart = {}\nweeks = {}\n"
      "warmup_weeks = 0\nreplications = 10\nseed = 1\n\n",
      c.events, c.referrals, s.name, service_dir, bank_holidays, date::format("%F", s.start),
      s.weeks);
  return out + DemandToml(s.demand) + TriageToml(s.triage) + TreatmentToml(s.treatment) +
         ClinicsToml(c.added_clinics);
}

}  // namespace tendon::cli
