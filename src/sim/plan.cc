#include "sim/plan.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <unordered_map>

#include "core/london_time.h"
#include "scheduling/slots.h"

namespace tendon::sim {
namespace {

constexpr double kDayMs = 86'400'000.0;

double DaysSince(Instant start, Instant t) {
  return static_cast<double>((t - start).count()) / kDayMs;
}

StatusOr<double> LondonAt(Instant start, Date d, int minute) {
  ASSIGN_OR_RETURN(Instant t, FromLondon(d, std::chrono::minutes(minute), "time"));
  return DaysSince(start, t);
}

Status BuildCalendar(Plan& plan, int total_days) {
  const Scenario& s = plan.scenario;
  plan.days.resize(static_cast<std::size_t>(total_days));
  plan.arrival_rate.resize(static_cast<std::size_t>(total_days));
  for (int d = 0; d < total_days; ++d) {
    const Date date = s.start + date::days(d);
    PlanDay& day = plan.days[static_cast<std::size_t>(d)];
    day.working = s.calendar.IsWorkingDay(date);
    ASSIGN_OR_RETURN(day.next_day, LondonAt(plan.start, date + date::days(1), 0));
    ASSIGN_OR_RETURN(day.triage_open, LondonAt(plan.start, date, s.triage.open_minute));
    ASSIGN_OR_RETURN(day.triage_close, LondonAt(plan.start, date, s.triage.close_minute));
    ASSIGN_OR_RETURN(day.booking_run, LondonAt(plan.start, date, s.treatment.booking_minute));
    const unsigned month = static_cast<unsigned>(date::year_month_day(date).month());
    plan.arrival_rate[static_cast<std::size_t>(d)] =
        s.demand.referrals_per_week / 7.0 * s.demand.seasonality[month - 1] *
        std::pow(1 + s.demand.growth_per_year, d / 365.25);
  }
  return OkStatus();
}

bool Holds(const Clinician& c, ServiceLine line) {
  return std::find(c.skills.begin(), c.skills.end(), ToString(line)) != c.skills.end();
}

// The pools of `types` (tried in order) for `line` with `modality`, face-to-face ones in `region`
// when `local`.
std::vector<std::uint32_t> Match(const Plan& plan,
                                 const std::vector<const ClinicTemplate*>& pool_templates,
                                 const std::unordered_map<std::string, const Clinician*>& staff,
                                 ServiceLine line, SlotType type, const Modality* modality,
                                 int region, bool local) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t p = 0; p < pool_templates.size(); ++p) {
    const ClinicTemplate& t = *pool_templates[p];
    auto who = staff.find(t.clinician_id);
    if (t.slot_type != type || who == staff.end() || !Holds(*who->second, line)) continue;
    if (modality != nullptr && t.modality != *modality) continue;
    if (local && t.modality == Modality::kFaceToFace &&
        plan.site_region[static_cast<std::size_t>(plan.pools[p].site)] != region) {
      continue;
    }
    out.push_back(p);
  }
  return out;
}

// Where a need may book, loosening one rule at a time until some pool fits: its own slot type and
// modality in the patient's region (face to face) or anywhere (video, telephone); then any region;
// then any modality; and a follow-up with no follow-up clinics of its kind takes new-patient
// slots, as the booking team does for lines whose clinicians hold no follow-up sessions.
void BuildCandidates(Plan& plan, const std::vector<const ClinicTemplate*>& pool_templates) {
  std::unordered_map<std::string, const Clinician*> staff;
  for (const Clinician& c : plan.scenario.clinicians) staff.emplace(c.id, &c);
  const int regions = static_cast<int>(plan.scenario.demand.regions.size());
  plan.candidates.assign(static_cast<std::size_t>(kLines) * kSlotTypes * kModalities * regions, {});
  for (int l = 0; l < kLines; ++l) {
    for (int ty = 0; ty < kSlotTypes; ++ty) {
      for (int m = 0; m < kModalities; ++m) {
        for (int r = 0; r < regions; ++r) {
          const auto line = static_cast<ServiceLine>(l);
          const auto modality = static_cast<Modality>(m);
          std::vector<SlotType> types{static_cast<SlotType>(ty)};
          if (types[0] == SlotType::kFollowUp) types.push_back(SlotType::kNew);
          std::vector<std::uint32_t> found;
          for (SlotType type : types) {
            for (const Modality* want : {&modality, static_cast<const Modality*>(nullptr)}) {
              for (bool local : {true, false}) {
                found = Match(plan, pool_templates, staff, line, type, want, r, local);
                if (!found.empty()) break;
              }
              if (!found.empty()) break;
            }
            if (!found.empty()) break;
          }
          plan.candidates[plan.NeedIndex(line, static_cast<SlotType>(ty), modality, r)] =
              std::move(found);
        }
      }
    }
  }
}

Status BuildSlots(Plan& plan, int total_days) {
  const Scenario& s = plan.scenario;
  std::unordered_map<std::string, std::int32_t> site_index;
  for (const Site& site : s.sites) {
    auto region = std::find(s.demand.regions.begin(), s.demand.regions.end(), site.region);
    site_index.emplace(site.id, static_cast<std::int32_t>(plan.site_ids.size()));
    plan.site_ids.push_back(site.id);
    plan.site_region.push_back(region == s.demand.regions.end()
                                   ? -1
                                   : static_cast<int>(region - s.demand.regions.begin()));
  }
  plan.site_slots_per_week.assign(plan.site_ids.size(), 0);
  const Date last = s.start + date::days(total_days - 1);
  std::vector<const ClinicTemplate*> pool_templates;
  for (const ClinicTemplate& t : s.templates) {
    auto site = site_index.find(t.site_id);
    if (site == site_index.end()) {
      return InvalidArgumentError("template " + t.id + " names an unknown site " + t.site_id,
                                  "templates");
    }
    ASSIGN_OR_RETURN(std::vector<Slot> made,
                     scheduling::GenerateSlots(t, s.calendar, s.start, last));
    if (made.empty()) continue;
    SlotPool pool;
    pool.site = site->second;
    for (Slot& slot : made) {
      const double at = DaysSince(plan.start, slot.start);
      for (const Closure& c : s.closures) {
        if (c.site_id == slot.site_id && at >= c.from_week * 7.0 &&
            at < (c.from_week + c.weeks) * 7.0) {
          slot.cancelled = true;
        }
      }
      if (!slot.cancelled && at >= plan.warmup_days && at < plan.end_days) {
        plan.site_slots_per_week[static_cast<std::size_t>(pool.site)] += slot.capacity;
      }
      pool.slots.push_back(static_cast<std::uint32_t>(plan.slots.size()));
      pool.starts.push_back(at);
      plan.slot_start.push_back(at);
      plan.slot_pool.push_back(static_cast<std::uint32_t>(plan.pools.size()));
      plan.slots.push_back(std::move(slot));
    }
    plan.pools.push_back(std::move(pool));
    pool_templates.push_back(&t);
  }
  const double weeks = (plan.end_days - plan.warmup_days) / 7.0;
  for (double& places : plan.site_slots_per_week) places /= weeks;
  BuildCandidates(plan, pool_templates);
  return OkStatus();
}

}  // namespace

StatusOr<Plan> BuildPlan(const Scenario& scenario) {
  std::vector<Status> problems = ScenarioProblems(scenario);
  if (!problems.empty()) return problems.front();
  Plan plan;
  plan.scenario = scenario;
  ASSIGN_OR_RETURN(plan.start, FromLondon(scenario.start, std::chrono::minutes(0), "start"));
  const int run_days = (scenario.warmup_weeks + scenario.weeks) * 7;
  const int total_days = run_days + scenario.treatment.horizon_weeks * 7 + 2;
  RETURN_IF_ERROR(BuildCalendar(plan, total_days));
  plan.warmup_days =
      scenario.warmup_weeks == 0
          ? 0
          : plan.days[static_cast<std::size_t>(scenario.warmup_weeks * 7 - 1)].next_day;
  plan.end_days = plan.days[static_cast<std::size_t>(run_days - 1)].next_day;
  if (scenario.treatment.model == CapacityModel::kSlots) {
    RETURN_IF_ERROR(BuildSlots(plan, total_days));
  }
  return plan;
}

}  // namespace tendon::sim
