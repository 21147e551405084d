// The places and staff of the demo service: which region and sites serve each postcode district,
// and the synthetic clinicians at each site. Internal to the demo module.
#ifndef TENDON_DEMO_ROSTER_H_
#define TENDON_DEMO_ROSTER_H_

#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

#include "config/clinics.h"
#include "config/service.h"
#include "core/records.h"
#include "core/status.h"
#include "demo/parameters.h"
#include "demo/random.h"

namespace tendon::demo::internal {

struct Geography {
  std::vector<double> region_shares;                       // By index of ServiceConfig::regions.
  std::vector<std::vector<std::size_t>> region_districts;  // Districts of each region.
  std::vector<std::size_t> district_region;                // Region of each district.
  // The nearest and second nearest site of each district (the same site twice when there is one).
  std::vector<std::array<std::size_t, 2>> district_sites;
};

// FailedPrecondition when the service has no sites, or a region with demand has no districts.
StatusOr<Geography> MakeGeography(const config::ServiceConfig& service);

struct Roster {
  std::vector<Clinician> clinicians;
  // Clinicians by site index and tier: at_site[site][tier] is never empty.
  std::vector<std::array<std::vector<std::size_t>, kTiers>> at_site;
  std::vector<std::size_t> triage;      // The central triage team.
  std::vector<std::size_t> physioline;  // The central physioline team.
};

// The clinicians the history assigns work to. Synthetic: one clinician per
// clinic_days_per_clinician weekly clinic days at each site, at least one per tier, and the central
// teams at the hub site. FailedPrecondition when the hub is not a site. With clinics.clinicians
// empty, synthetic clinicians drawn with `rng`. Otherwise the service's own clinicians (and no
// draws): at_site from who holds a clinic template with a room at each site, tier 1 for
// physiotherapists and tier 2 for the other professions; triage from the "triage" skill; physioline
// from who holds a physioline template. FailedPrecondition when a site lacks clinicians of a tier
// or a team is empty.
StatusOr<Roster> MakeRoster(const config::ServiceConfig& service, const DemoParameters& params,
                            const config::ClinicsConfig& clinics, Rng& rng);

// Synthetic names, shared by patients and staff.
std::string_view GivenName(Rng& rng, Sex sex);
std::string_view FamilyName(Rng& rng);

}  // namespace tendon::demo::internal

#endif  // TENDON_DEMO_ROSTER_H_
