#include "demo/roster.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace tendon::demo::internal {
namespace {

constexpr std::array<std::string_view, 40> kFemaleNames{
    "Olivia",   "Amelia", "Isla",     "Ava",     "Emily",  "Sophia", "Grace",     "Mia",
    "Poppy",    "Ella",   "Lily",     "Evie",    "Isabel", "Ruby",   "Freya",     "Alice",
    "Florence", "Sarah",  "Margaret", "Susan",   "Helen",  "Janet",  "Patricia",  "Linda",
    "Karen",    "Angela", "Joanne",   "Claire",  "Rachel", "Nicola", "Priya",     "Aisha",
    "Fatima",   "Zainab", "Mary",     "Barbara", "Jean",   "Ann",    "Catherine", "Joan"};
constexpr std::array<std::string_view, 40> kMaleNames{
    "Oliver",  "George", "Noah",   "Arthur",  "Harry",    "Leo",   "Jack",   "Charlie",
    "Oscar",   "Jacob",  "Henry",  "Thomas",  "William",  "James", "David",  "John",
    "Michael", "Peter",  "Robert", "Richard", "Paul",     "Mark",  "Andrew", "Stephen",
    "Ian",     "Graham", "Keith",  "Colin",   "Mohammed", "Ali",   "Arjun",  "Ravi",
    "Daniel",  "Samuel", "Joseph", "Edward",  "Alan",     "Brian", "Kevin",  "Gary"};
constexpr std::array<std::string_view, 60> kFamilyNames{
    "Smith",      "Jones",    "Taylor", "Brown",    "Williams", "Wilson",  "Johnson", "Davies",
    "Patel",      "Robinson", "Wright", "Thompson", "Evans",    "Walker",  "White",   "Roberts",
    "Green",      "Hall",     "Thomas", "Clarke",   "Jackson",  "Wood",    "Harris",  "Edwards",
    "Turner",     "Martin",   "Cooper", "Hill",     "Ward",     "Hughes",  "Moore",   "Clark",
    "King",       "Harrison", "Lewis",  "Baker",    "Lee",      "Allen",   "Morris",  "Khan",
    "Scott",      "Watson",   "Davis",  "Parker",   "James",    "Bennett", "Young",   "Phillips",
    "Richardson", "Mitchell", "Bailey", "Carter",   "Cook",     "Singh",   "Shaw",    "Bell",
    "Collins",    "Morgan",   "Kelly",  "Begum"};

constexpr std::string_view kPhysiotherapist = "physiotherapist";
constexpr std::string_view kSpecialist = "extended_scope_practitioner";
constexpr int kIdDigits = 3;
constexpr double kFemaleStaffShare = 0.5;

double DistanceSquared(const config::PostcodeDistrict& d, const Site& s) {
  // Equirectangular: east-west degrees shrink with the cosine of the latitude.
  constexpr double kDegreesToRadians = 3.14159265358979323846 / 180.0;
  const double x = (d.longitude - s.longitude) * std::cos(d.latitude * kDegreesToRadians);
  const double y = d.latitude - s.latitude;
  return x * x + y * y;
}

std::array<std::size_t, 2> NearestTwo(const config::PostcodeDistrict& d,
                                      const std::vector<Site>& sites) {
  std::vector<std::size_t> order(sites.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return DistanceSquared(d, sites[a]) < DistanceSquared(d, sites[b]);
  });
  return {order[0], order[std::min<std::size_t>(1, order.size() - 1)]};
}

std::string ClinicianId(std::size_t n) {
  std::string digits = std::to_string(n + 1);
  if (digits.size() < kIdDigits) digits.insert(0, kIdDigits - digits.size(), '0');
  return "clin-" + digits;
}

std::size_t AddClinician(Roster& roster, Rng& rng, const std::string& site_id,
                         std::string_view profession, std::vector<std::string> skills) {
  Clinician c;
  c.id = ClinicianId(roster.clinicians.size());
  const Sex sex = rng.Chance(kFemaleStaffShare) ? Sex::kFemale : Sex::kMale;
  c.name = std::string(GivenName(rng, sex)) + " " + std::string(FamilyName(rng));
  c.profession = std::string(profession);
  c.skills = std::move(skills);
  c.base_site_id = site_id;
  roster.clinicians.push_back(std::move(c));
  return roster.clinicians.size() - 1;
}

std::vector<std::string> Tier2Skills() {
  std::vector<std::string> skills;
  for (std::size_t i = 0; i < kServiceLines; ++i) {
    const auto line = static_cast<ServiceLine>(i);
    if (TierOf(line) == Tier::kTier2) skills.emplace_back(ToString(line));
  }
  return skills;
}

Roster RosterFromClinics(const config::ClinicsConfig& clinics) {
  Roster roster;
  roster.clinicians = clinics.clinicians;
  for (std::size_t i = 0; i < roster.clinicians.size(); ++i) {
    const std::vector<std::string>& skills = roster.clinicians[i].skills;
    if (std::find(skills.begin(), skills.end(), "triage") != skills.end()) {
      roster.triage.push_back(i);
    }
  }
  return roster;
}

}  // namespace

StatusOr<Geography> MakeGeography(const config::ServiceConfig& service) {
  if (service.sites.empty()) return FailedPreconditionError("the service has no sites", "sites");
  Geography g;
  g.region_districts.resize(service.regions.size());
  for (const config::Region& r : service.regions) g.region_shares.push_back(r.demand_share);
  for (std::size_t d = 0; d < service.districts.size(); ++d) {
    const config::PostcodeDistrict& district = service.districts[d];
    std::size_t region = service.regions.size();
    for (std::size_t r = 0; r < service.regions.size(); ++r) {
      if (service.regions[r].name == district.region) region = r;
    }
    if (region == service.regions.size()) {
      return FailedPreconditionError(
          "district " + district.district + " names unknown region " + district.region,
          "districts");
    }
    g.district_region.push_back(region);
    g.region_districts[region].push_back(d);
    g.district_sites.push_back(NearestTwo(district, service.sites));
  }
  for (std::size_t r = 0; r < service.regions.size(); ++r) {
    if (g.region_shares[r] > 0 && g.region_districts[r].empty()) {
      return FailedPreconditionError("region " + service.regions[r].name + " has no districts",
                                     "districts");
    }
  }
  return g;
}

StatusOr<Roster> MakeRoster(const config::ServiceConfig& service, const DemoParameters& params,
                            const config::ClinicsConfig& clinics, Rng& rng) {
  auto hub = std::find_if(service.sites.begin(), service.sites.end(),
                          [&](const Site& s) { return s.id == params.hub_site; });
  if (hub == service.sites.end()) {
    return FailedPreconditionError("the demo's hub_site '" + params.hub_site + "' is not a site",
                                   "hub_site");
  }
  if (!clinics.clinicians.empty()) {
    Roster roster = RosterFromClinics(clinics);
    if (roster.triage.empty()) {
      return FailedPreconditionError("clinicians.csv needs a triage team", "clinicians");
    }
    return roster;
  }
  Roster roster;
  const std::vector<std::string> tier2_skills = Tier2Skills();
  for (const Site& site : service.sites) {
    const double staff = site.weekly_clinic_days / params.clinic_days_per_clinician;
    const int tier2 = std::max(1, static_cast<int>(std::lround(staff * params.tier2_day_share)));
    const int tier1 = std::max(1, static_cast<int>(std::lround(staff)) - tier2);
    for (int i = 0; i < tier1; ++i) {
      AddClinician(roster, rng, site.id, kPhysiotherapist, {"physiotherapy"});
    }
    for (int i = 0; i < tier2; ++i) AddClinician(roster, rng, site.id, kSpecialist, tier2_skills);
  }
  for (int i = 0; i < params.triage_team; ++i) {
    roster.triage.push_back(AddClinician(roster, rng, hub->id, kPhysiotherapist, {"triage"}));
  }
  for (int i = 0; i < params.physioline_team; ++i) {
    AddClinician(roster, rng, hub->id, kPhysiotherapist, {"physioline"});
  }
  return roster;
}

std::string_view GivenName(Rng& rng, Sex sex) {
  if (sex == Sex::kFemale) return kFemaleNames[rng.Below(kFemaleNames.size())];
  return kMaleNames[rng.Below(kMaleNames.size())];
}

std::string_view FamilyName(Rng& rng) { return kFamilyNames[rng.Below(kFamilyNames.size())]; }

}  // namespace tendon::demo::internal
