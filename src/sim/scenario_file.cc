// Reading a scenario file (sim/scenario.h, LoadScenario). The schema, with an example of every key,
// is data/services/oxfordshire/scenarios/README.md.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "config/clinics.h"
#include "config/service.h"
#include "config/toml_reader.h"
#include "sim/scenario.h"

namespace tendon::sim {
namespace {

namespace fs = std::filesystem;
using config::TomlReader;

constexpr int kMaxBaseDepth = 4;
constexpr std::array<std::string_view, kPriorities> kPriorityNames{"emergency", "urgent", "post_op",
                                                                   "routine"};
constexpr std::array<std::string_view, kSources> kSourceNames{"gp", "self", "fcp", "hospital"};
constexpr std::array<std::string_view, 2> kTierNames{"tier1", "tier2"};
constexpr std::array<std::string_view, kModalities> kModalityNames{"face_to_face", "video",
                                                                   "telephone"};
constexpr std::array<std::string_view, 3> kPhysiolineOutcomes{"discharge", "physiotherapy",
                                                              "onward"};
constexpr std::array<std::string_view, kTier2Lines> kTier2LineNames{
    "spinal",    "upper_limb", "lower_limb", "hand",
    "injection", "podiatry",   "orthotics",  "pain_management"};
constexpr double kBig = 1e9;

bool Has(const TomlReader& r, std::string_view key) {
  const std::vector<std::string_view> keys = r.Keys();
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// A choice written as one of `names`; out is its index.
Status Choice(TomlReader& r, std::string_view key, std::span<const std::string_view> names,
              int& out) {
  std::string value;
  RETURN_IF_ERROR(r.String(key, value));
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == value) {
      out = static_cast<int>(i);
      return OkStatus();
    }
  }
  std::string accepted;
  for (std::string_view n : names) accepted += (accepted.empty() ? "" : ", ") + std::string(n);
  return r.Error(key, nullptr, "must be one of " + accepted);
}

Status Clock(TomlReader& r, std::string_view key, int& out) {
  std::string text;
  RETURN_IF_ERROR(r.String(key, text));
  StatusOr<int> minute = ParseClock(text, key);
  if (!minute.ok()) return r.Error(key, nullptr, minute.status().message());
  out = *minute;
  return OkStatus();
}

Status ReadDemand(TomlReader& d, Scenario& s, bool have_regions) {
  Demand& demand = s.demand;
  RETURN_IF_ERROR(d.Number("referrals_per_week", 0, kBig, demand.referrals_per_week));
  RETURN_IF_ERROR(d.Number("growth_per_year", -0.99, 10, demand.growth_per_year));
  RETURN_IF_ERROR(d.Numbers("seasonality", demand.seasonality, 0, 10));
  if (Has(d, "regions") || !have_regions) {
    ASSIGN_OR_RETURN(TomlReader regions, d.Table("regions"));
    demand.regions.clear();
    demand.region_shares.clear();
    for (std::string_view name : regions.Keys()) {
      double share = 0;
      RETURN_IF_ERROR(regions.Number(name, 0, 1, share));
      demand.regions.emplace_back(name);
      demand.region_shares.push_back(share);
    }
    RETURN_IF_ERROR(regions.SumsToOne("regions", demand.region_shares));
    RETURN_IF_ERROR(regions.Finish());
  }
  RETURN_IF_ERROR(d.Number("physioline_share", 0, 1, demand.physioline_share));
  RETURN_IF_ERROR(d.Shares("tier2_lines", kTier2LineNames, demand.tier2_lines));
  ASSIGN_OR_RETURN(TomlReader sources, d.Table("sources"));
  std::array<double, kSources> shares{};
  for (int i = 0; i < kSources; ++i) {
    ASSIGN_OR_RETURN(TomlReader src, sources.Table(kSourceNames[i]));
    SourceMix& mix = demand.sources[i];
    RETURN_IF_ERROR(src.Number("share", 0, 1, mix.share));
    RETURN_IF_ERROR(src.Shares("priority", kPriorityNames, mix.priority));
    RETURN_IF_ERROR(src.Number("tier2_share", 0, 1, mix.tier2_share));
    RETURN_IF_ERROR(src.Finish());
    shares[i] = mix.share;
  }
  RETURN_IF_ERROR(sources.SumsToOne("share", shares));
  RETURN_IF_ERROR(sources.Finish());
  return d.Finish();
}

Status ReadTriage(TomlReader& t, Triage& triage) {
  RETURN_IF_ERROR(t.Int("clinicians", 1, 100000, triage.clinicians));
  RETURN_IF_ERROR(t.Number("mean_minutes", 0.01, 10000, triage.mean_minutes));
  constexpr std::array<std::string_view, 2> kHours{"working", "any"};
  int hours = 0;
  RETURN_IF_ERROR(Choice(t, "hours", kHours, hours));
  triage.working_hours = hours == 0;
  if (triage.working_hours) {
    RETURN_IF_ERROR(Clock(t, "open", triage.open_minute));
    RETURN_IF_ERROR(Clock(t, "close", triage.close_minute));
  }
  RETURN_IF_ERROR(t.Number("advice_share", 0, 1, triage.advice_share));
  RETURN_IF_ERROR(t.Number("onward_share", 0, 1, triage.onward_share));
  return t.Finish();
}

// [treatment.first_lead]: by tier, { priority = [mean days, shape] } for every priority.
Status ReadLead(TomlReader& lead, Treatment& tr) {
  for (std::size_t tier = 0; tier < kTierNames.size(); ++tier) {
    ASSIGN_OR_RETURN(TomlReader by_priority, lead.Table(kTierNames[tier]));
    for (std::size_t p = 0; p < kPriorityNames.size(); ++p) {
      std::array<double, 2> pair{};
      RETURN_IF_ERROR(by_priority.Numbers(kPriorityNames[p], pair, 0, 3650));
      if (pair[1] <= 0)
        return by_priority.Error(kPriorityNames[p], nullptr, "shape must be above 0");
      tr.first_lead[tier][p] = Lead{pair[0], pair[1]};
    }
    RETURN_IF_ERROR(by_priority.Finish());
  }
  return lead.Finish();
}

Status ReadTreatment(TomlReader& t, Treatment& tr) {
  constexpr std::array<std::string_view, 2> kModels{"pool", "slots"};
  int model = 0;
  RETURN_IF_ERROR(Choice(t, "capacity", kModels, model));
  tr.model = static_cast<CapacityModel>(model);
  if (tr.model == CapacityModel::kPool) {
    RETURN_IF_ERROR(t.Int("clinicians", 1, 1000000, tr.pool_clinicians));
    RETURN_IF_ERROR(t.Number("visit_mean_minutes", 0.01, 10000, tr.visit_mean_minutes));
  } else {
    RETURN_IF_ERROR(t.Int("horizon_weeks", 1, 104, tr.horizon_weeks));
    RETURN_IF_ERROR(Clock(t, "booking_time", tr.booking_minute));
  }
  if (Has(t, "visits")) {
    std::array<double, 2> visits{};
    RETURN_IF_ERROR(t.Numbers("visits", visits, 1, 100));
    tr.visits_min = static_cast<int>(visits[0]);
    tr.visits_max = static_cast<int>(visits[1]);
    if (tr.visits_max < tr.visits_min) return t.Error("visits", nullptr, "the least comes first");
  } else {
    RETURN_IF_ERROR(t.Named("follow_ups_mean", kTierNames, tr.follow_ups_mean, 0, 100));
  }
  RETURN_IF_ERROR(
      t.Named("follow_up_interval_days", kTierNames, tr.follow_up_interval_days, 0, 365));
  RETURN_IF_ERROR(t.Shares("modality", kModalityNames, tr.modality));
  RETURN_IF_ERROR(t.Shares("physioline_outcome", kPhysiolineOutcomes, tr.physioline_outcome));
  RETURN_IF_ERROR(t.Number("dna_share", 0, 1, tr.dna_share));
  RETURN_IF_ERROR(t.Number("dna_discharge_share", 0, 1, tr.dna_discharge_share));
  RETURN_IF_ERROR(t.Number("patient_cancel_share", 0, 1, tr.patient_cancel_share));
  RETURN_IF_ERROR(t.Number("service_cancel_share", 0, 1, tr.service_cancel_share));
  RETURN_IF_ERROR(t.Named("onward_share", kTierNames, tr.onward_share, 0, 1));
  RETURN_IF_ERROR(t.Number("pifu_share", 0, 1, tr.pifu_share));
  RETURN_IF_ERROR(t.Number("pifu_window_weeks", 0, 104, tr.pifu_window_weeks));
  RETURN_IF_ERROR(t.Number("pifu_request_share", 0, 1, tr.pifu_request_share));
  if (Has(t, "first_lead")) {
    ASSIGN_OR_RETURN(TomlReader lead, t.Table("first_lead"));
    RETURN_IF_ERROR(ReadLead(lead, tr));
  }
  return t.Finish();
}

Status ReadBacklog(TomlReader& b, Backlog& backlog) {
  RETURN_IF_ERROR(b.Int("patients", 0, 10000000, backlog.patients));
  RETURN_IF_ERROR(b.Shares("priority", kPriorityNames, backlog.priority));
  RETURN_IF_ERROR(b.Number("waited_weeks_mean", 0, 520, backlog.waited_weeks_mean));
  return b.Finish();
}

Status ReadService(TomlReader& r, const fs::path& dir, Scenario& s) {
  std::string service_dir;
  std::string holidays;
  RETURN_IF_ERROR(r.String("service", service_dir));
  RETURN_IF_ERROR(r.String("bank_holidays", holidays));
  ASSIGN_OR_RETURN(config::ServiceConfig service, config::LoadService(dir / service_dir));
  ASSIGN_OR_RETURN(config::ClinicsConfig clinics, config::LoadClinics(dir / service_dir, service));
  ASSIGN_OR_RETURN(s.calendar, config::LoadWorkingCalendar(dir / holidays));
  s.sites = std::move(service.sites);
  s.clinicians = std::move(clinics.clinicians);
  s.templates = std::move(clinics.templates);
  s.demand.regions.clear();
  s.demand.region_shares.clear();
  for (const config::Region& region : service.regions) {
    s.demand.regions.push_back(region.name);
    s.demand.region_shares.push_back(region.demand_share);
  }
  return OkStatus();
}

bool Injects(const Clinician& c) {
  return std::find(c.skills.begin(), c.skills.end(), "injection") != c.skills.end();
}

// More (n > 0) or fewer (n < 0) injecting clinicians: an extra one works the injection sessions of
// an existing one (the first, second, ... in file order); one fewer drops the injection sessions
// of the last injecting clinicians.
Status ChangeInjectors(TomlReader& c, Scenario& s, int n) {
  std::vector<std::string> injectors;
  for (const Clinician& who : s.clinicians) {
    const bool has_sessions =
        std::any_of(s.templates.begin(), s.templates.end(), [&](const ClinicTemplate& t) {
          return t.clinician_id == who.id && t.slot_type == SlotType::kInjection;
        });
    if (Injects(who) && has_sessions) injectors.push_back(who.id);
  }
  if (injectors.empty() || -n > static_cast<int>(injectors.size())) {
    return c.Error("injection_clinicians", nullptr,
                   "the service has " + std::to_string(injectors.size()) +
                       " clinicians running injection clinics");
  }
  if (n < 0) {
    const std::vector<std::string> dropped(injectors.end() + n, injectors.end());
    std::erase_if(s.templates, [&](const ClinicTemplate& t) {
      return t.slot_type == SlotType::kInjection &&
             std::find(dropped.begin(), dropped.end(), t.clinician_id) != dropped.end();
    });
    return OkStatus();
  }
  const std::size_t existing = s.templates.size();
  for (int k = 0; k < n; ++k) {
    const std::string& model = injectors[static_cast<std::size_t>(k) % injectors.size()];
    const std::string id = "sim-extra-injector-" + std::to_string(k + 1);
    Clinician extra = *std::find_if(s.clinicians.begin(), s.clinicians.end(),
                                    [&](const Clinician& who) { return who.id == model; });
    extra.id = id;
    s.clinicians.push_back(extra);
    for (std::size_t i = 0; i < existing; ++i) {
      if (s.templates[i].clinician_id != model || s.templates[i].slot_type != SlotType::kInjection)
        continue;
      ClinicTemplate copy = s.templates[i];
      copy.id += "-" + id;
      copy.clinician_id = id;
      s.templates.push_back(copy);
    }
  }
  return OkStatus();
}

Status AddClinic(TomlReader& a, Scenario& s, int index) {
  ClinicTemplate t;
  Clinician who;
  who.id = "sim-added-" + std::to_string(index);
  who.name = "Added clinician " + std::to_string(index);
  who.profession = "physiotherapist";
  t.id = who.id;
  t.clinician_id = who.id;
  RETURN_IF_ERROR(a.String("site", t.site_id));
  who.base_site_id = t.site_id;
  RETURN_IF_ERROR(a.Strings("skills", who.skills));
  std::vector<std::string> days;
  RETURN_IF_ERROR(a.Strings("weekdays", days));
  for (const std::string& day : days) {
    StatusOr<int> iso = ParseWeekday(day);
    if (!iso.ok()) return a.Error("weekdays", nullptr, iso.status().message());
    t.weekdays.push_back(*iso);
  }
  RETURN_IF_ERROR(Clock(a, "start", t.start_minute));
  RETURN_IF_ERROR(Clock(a, "end", t.end_minute));
  std::string type;
  std::string modality;
  RETURN_IF_ERROR(a.String("slot_type", type));
  RETURN_IF_ERROR(a.String("modality", modality));
  StatusOr<SlotType> slot_type = ParseSlotType(type);
  if (!slot_type.ok()) return a.Error("slot_type", nullptr, slot_type.status().message());
  StatusOr<Modality> how = ParseModality(modality);
  if (!how.ok()) return a.Error("modality", nullptr, how.status().message());
  t.slot_type = *slot_type;
  t.modality = *how;
  RETURN_IF_ERROR(a.Int("slot_minutes", kMinSlotMinutes, kMaxSlotMinutes, t.slot_minutes));
  int from_week = 0;
  RETURN_IF_ERROR(a.Int("from_week", 0, 520, from_week));
  t.valid_from = s.start + date::days(7 * from_week);
  for (const Status& problem : TemplateProblems(t)) {
    return a.Error(problem.field(), nullptr, problem.message());
  }
  if (std::none_of(s.sites.begin(), s.sites.end(),
                   [&](const Site& site) { return site.id == t.site_id; })) {
    return a.Error("site", nullptr, "is not one of the service's sites");
  }
  RETURN_IF_ERROR(a.Finish());
  s.clinicians.push_back(std::move(who));
  s.templates.push_back(std::move(t));
  return OkStatus();
}

Status ReadChanges(TomlReader& c, Scenario& s) {
  if (Has(c, "demand_percent")) {
    double percent = 0;
    RETURN_IF_ERROR(c.Number("demand_percent", -100, 1000, percent));
    s.demand.referrals_per_week *= 1 + percent / 100;
  }
  if (Has(c, "growth_per_year")) {
    RETURN_IF_ERROR(c.Number("growth_per_year", -0.99, 10, s.demand.growth_per_year));
  }
  if (Has(c, "modality")) {
    RETURN_IF_ERROR(c.Shares("modality", kModalityNames, s.treatment.modality));
  }
  if (Has(c, "injection_clinicians")) {
    int n = 0;
    RETURN_IF_ERROR(c.Int("injection_clinicians", -1000, 1000, n));
    RETURN_IF_ERROR(ChangeInjectors(c, s, n));
  }
  if (Has(c, "add_clinic")) {
    ASSIGN_OR_RETURN(std::vector<TomlReader> clinics, c.Tables("add_clinic"));
    for (std::size_t i = 0; i < clinics.size(); ++i) {
      RETURN_IF_ERROR(AddClinic(clinics[i], s, static_cast<int>(i) + 1));
    }
  }
  if (Has(c, "close_site")) {
    ASSIGN_OR_RETURN(std::vector<TomlReader> closures, c.Tables("close_site"));
    for (TomlReader& r : closures) {
      Closure closure;
      RETURN_IF_ERROR(r.String("site", closure.site_id));
      RETURN_IF_ERROR(r.Int("from_week", 0, 520, closure.from_week));
      RETURN_IF_ERROR(r.Int("weeks", 1, 520, closure.weeks));
      RETURN_IF_ERROR(r.Finish());
      s.closures.push_back(std::move(closure));
    }
  }
  return c.Finish();
}

// The base's parameters, or this file's own when it has no base.
Status ReadBaseline(TomlReader& r, const fs::path& dir, Scenario& s, int depth);

StatusOr<Scenario> Load(const fs::path& file, int depth) {
  if (depth > kMaxBaseDepth) {
    return InvalidArgumentError(file.string() + ": base: scenarios are based " + "more than " +
                                    std::to_string(kMaxBaseDepth) + " deep",
                                "base");
  }
  ASSIGN_OR_RETURN(std::string text, config::ReadTextFile(file));
  const std::string name = file.string();
  ASSIGN_OR_RETURN(toml::table table, config::ParseToml(text, name));
  TomlReader r(table, name, "");
  Scenario s;
  RETURN_IF_ERROR(ReadBaseline(r, file.parent_path(), s, depth));
  RETURN_IF_ERROR(r.String("name", s.name));
  if (Has(r, "backlog")) {
    ASSIGN_OR_RETURN(TomlReader b, r.Table("backlog"));
    RETURN_IF_ERROR(ReadBacklog(b, s.backlog));
  }
  if (Has(r, "changes")) {
    ASSIGN_OR_RETURN(TomlReader c, r.Table("changes"));
    RETURN_IF_ERROR(ReadChanges(c, s));
  }
  RETURN_IF_ERROR(r.Finish());
  return s;
}

Status ReadBaseline(TomlReader& r, const fs::path& dir, Scenario& s, int depth) {
  if (Has(r, "base")) {
    std::string base;
    RETURN_IF_ERROR(r.String("base", base));
    ASSIGN_OR_RETURN(s, Load(dir / base, depth + 1));
    if (Has(r, "weeks")) RETURN_IF_ERROR(r.Int("weeks", 1, 520, s.weeks));
    if (Has(r, "replications")) RETURN_IF_ERROR(r.Int("replications", 1, 10000, s.replications));
    return OkStatus();
  }
  const bool has_service = Has(r, "service");
  if (has_service) RETURN_IF_ERROR(ReadService(r, dir, s));
  RETURN_IF_ERROR(r.DateValue("start", s.start));
  RETURN_IF_ERROR(r.Int("weeks", 1, 520, s.weeks));
  RETURN_IF_ERROR(r.Int("warmup_weeks", 0, 520, s.warmup_weeks));
  RETURN_IF_ERROR(r.Int("replications", 1, 10000, s.replications));
  int seed = 0;
  RETURN_IF_ERROR(r.Int("seed", 0, 2'000'000'000, seed));
  s.seed = static_cast<std::uint64_t>(seed);
  ASSIGN_OR_RETURN(TomlReader demand, r.Table("demand"));
  RETURN_IF_ERROR(ReadDemand(demand, s, has_service));
  ASSIGN_OR_RETURN(TomlReader triage, r.Table("triage"));
  RETURN_IF_ERROR(ReadTriage(triage, s.triage));
  ASSIGN_OR_RETURN(TomlReader treatment, r.Table("treatment"));
  return ReadTreatment(treatment, s.treatment);
}

}  // namespace

StatusOr<Scenario> LoadScenario(const fs::path& file) {
  ASSIGN_OR_RETURN(Scenario s, Load(file, 0));
  std::vector<Status> problems = ScenarioProblems(s);
  if (!problems.empty()) {
    const Status& first = problems.front();
    return InvalidArgumentError(file.string() + ": " + first.field() + ": " + first.message(),
                                first.field());
  }
  return s;
}

}  // namespace tendon::sim
