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
  std::vector<std::size_t> triage;  // The central triage team, who triage every referral.
};

// The clinicians of the history. Appointments go to the clinicians of the slots they are booked
// in (diary.h); the triage team triages. FailedPrecondition when the hub is not a site. With
// clinics.clinicians empty, synthetic clinicians drawn with `rng`: one per
// clinic_days_per_clinician weekly clinic days at each site, at least one per tier, and the central
// triage and physioline teams at the hub site. Otherwise the service's own clinicians (and no
// draws), the triage team being those with the "triage" skill: FailedPrecondition when there are
// none.
StatusOr<Roster> MakeRoster(const config::ServiceConfig& service, const DemoParameters& params,
                            const config::ClinicsConfig& clinics, Rng& rng);

// Synthetic names, shared by patients and staff.
std::string_view GivenName(Rng& rng, Sex sex);
std::string_view FamilyName(Rng& rng);

}  // namespace tendon::demo::internal

#endif  // TENDON_DEMO_ROSTER_H_
