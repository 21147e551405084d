#include "sim/scenario.h"

#include <cmath>
#include <numeric>
#include <span>

namespace tendon::sim {
namespace {

constexpr double kShareTolerance = 0.001;

bool SumsToOne(std::span<const double> shares) {
  double total = 0;
  for (double s : shares) {
    if (s < 0 || !std::isfinite(s)) return false;
    total += s;
  }
  return std::abs(total - 1) <= kShareTolerance;
}

bool IsShare(double x) { return x >= 0 && x <= 1; }

void Require(std::vector<Status>& out, bool ok, const char* field, const char* reason) {
  if (!ok) out.push_back(InvalidArgumentError(reason, field));
}

void DemandProblems(const Demand& d, std::vector<Status>& out) {
  Require(out, d.referrals_per_week >= 0 && std::isfinite(d.referrals_per_week),
          "demand.referrals_per_week", "must be a number of referrals, 0 or more");
  Require(out, d.growth_per_year > -1 && d.growth_per_year <= 10, "demand.growth_per_year",
          "must be above -1 (a fall of 100%) and at most 10");
  for (double m : d.seasonality) {
    Require(out, m >= 0 && std::isfinite(m), "demand.seasonality", "factors must be 0 or more");
  }
  Require(
      out,
      !d.regions.empty() && d.regions.size() <= 255 && d.regions.size() == d.region_shares.size(),
      "demand.regions", "needs 1 to 255 regions, each with a share");
  Require(out, SumsToOne(d.region_shares), "demand.regions", "the shares must sum to 1");
  double sources[kSources];
  for (int i = 0; i < kSources; ++i) {
    sources[i] = d.sources[i].share;
    Require(out, SumsToOne(d.sources[i].priority), "demand.sources.priority",
            "each source's priority shares must sum to 1");
    Require(out, IsShare(d.sources[i].tier2_share), "demand.sources.tier2_share",
            "must be a share from 0 to 1");
  }
  Require(out, SumsToOne(sources), "demand.sources", "the sources' shares must sum to 1");
  Require(out, IsShare(d.physioline_share), "demand.physioline_share", "must be from 0 to 1");
  Require(out, SumsToOne(d.tier2_lines), "demand.tier2_lines", "the shares must sum to 1");
}

void TreatmentProblems(const Scenario& s, std::vector<Status>& out) {
  const Treatment& t = s.treatment;
  const Triage& tr = s.triage;
  Require(out, tr.clinicians >= 1, "triage.clinicians", "must be at least 1");
  Require(out, tr.mean_minutes > 0, "triage.mean_minutes", "must be above 0");
  Require(out, tr.open_minute >= 0 && tr.open_minute < tr.close_minute && tr.close_minute <= 1440,
          "triage.hours", "must open before it closes, within the day");
  Require(out,
          IsShare(tr.advice_share) && IsShare(tr.onward_share) &&
              tr.advice_share + tr.onward_share <= 1,
          "triage.advice_share", "advice and onward shares must be from 0 to 1 together");
  if (t.model == CapacityModel::kPool) {
    Require(out, t.pool_clinicians >= 1, "treatment.clinicians", "must be at least 1");
    Require(out, t.visit_mean_minutes > 0, "treatment.visit_mean_minutes", "must be above 0");
  } else {
    Require(out, !s.templates.empty(), "service", "a slot model needs the service's clinics");
    Require(out, t.horizon_weeks >= 1 && t.horizon_weeks <= 104, "treatment.horizon_weeks",
            "must be from 1 to 104");
  }
  Require(out, t.visits_max == 0 || (t.visits_min >= 1 && t.visits_min <= t.visits_max),
          "treatment.visits", "must be 1 or more, the least first");
  for (int tier = 0; tier < 2; ++tier) {
    Require(out, t.follow_ups_mean[tier] >= 0, "treatment.follow_ups_mean", "must be 0 or more");
    Require(out, t.follow_up_interval_days[tier] >= 0, "treatment.follow_up_interval_days",
            "must be 0 or more");
    Require(out, IsShare(t.onward_share[tier]), "treatment.onward_share", "must be from 0 to 1");
    for (const Lead& lead : t.first_lead[tier]) {
      Require(out, lead.mean_days >= 0 && lead.shape > 0, "treatment.first_lead",
              "means must be 0 or more and shapes above 0");
    }
  }
  Require(out, SumsToOne(t.modality), "treatment.modality", "the shares must sum to 1");
  Require(out, SumsToOne(t.physioline_outcome), "treatment.physioline_outcome",
          "the shares must sum to 1");
  Require(out, IsShare(t.dna_share) && IsShare(t.dna_discharge_share), "treatment.dna_share",
          "must be from 0 to 1");
  Require(out,
          IsShare(t.patient_cancel_share) && IsShare(t.service_cancel_share) &&
              t.patient_cancel_share + t.service_cancel_share <= 1,
          "treatment.patient_cancel_share", "cancellation shares must be from 0 to 1 together");
  Require(out, IsShare(t.pifu_share) && IsShare(t.pifu_request_share) && t.pifu_window_weeks >= 0,
          "treatment.pifu_share", "PIFU shares must be from 0 to 1 and the window 0 or more");
}

}  // namespace

std::vector<Status> ScenarioProblems(const Scenario& s) {
  std::vector<Status> out;
  Require(out, s.weeks >= 1 && s.weeks <= 520, "weeks", "must be from 1 to 520");
  Require(out, s.warmup_weeks >= 0 && s.warmup_weeks <= 520, "warmup_weeks",
          "must be from 0 to 520");
  Require(out, s.replications >= 1, "replications", "must be at least 1");
  DemandProblems(s.demand, out);
  TreatmentProblems(s, out);
  Require(out, s.backlog.patients >= 0 && SumsToOne(s.backlog.priority), "backlog.priority",
          "needs patients of 0 or more and priority shares summing to 1");
  Require(out, s.backlog.waited_weeks_mean >= 0, "backlog.waited_weeks_mean", "must be 0 or more");
  for (const Closure& c : s.closures) {
    Require(out, c.from_week >= 0 && c.weeks >= 1, "changes.close_site",
            "needs from_week 0 or more and weeks 1 or more");
  }
  return out;
}

}  // namespace tendon::sim
