// Synthetic patients for the demo history. Internal to the demo module.
#ifndef TENDON_DEMO_PEOPLE_H_
#define TENDON_DEMO_PEOPLE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "config/service.h"
#include "core/records.h"
#include "core/status.h"
#include "demo/parameters.h"
#include "demo/random.h"
#include "demo/roster.h"

namespace tendon::demo::internal {

// Makes patients with synthetic names, test-range NHS numbers (distinct, in a scrambled order),
// valid postcodes in the service's districts, MSK-shaped ages and opaque random keys.
class PatientFactory {
 public:
  PatientFactory(const config::ServiceConfig& service, const DemoParameters& params,
                 const Geography& geography, std::uint64_t seed);

  // A new patient referred on `day` (first seen at `created_at`), living in a district drawn by
  // regional demand; `district` is set to its index. InvalidArgument when the test NHS number range
  // is exhausted.
  StatusOr<Patient> Make(Rng& rng, Date day, Instant created_at, std::size_t& district);

 private:
  std::string Postcode(Rng& rng, std::size_t district) const;
  Date DateOfBirth(Rng& rng, Date day) const;
  std::string Key(Rng& rng);

  const config::ServiceConfig& service_;
  const DemoParameters& params_;
  const Geography& geography_;
  std::uint32_t next_serial_ = 0;
  std::uint32_t serial_offset_;
  std::vector<double> age_shares_;  // Of params_.age_bands, for drawing one.
  std::unordered_set<std::string> keys_;
};

}  // namespace tendon::demo::internal

#endif  // TENDON_DEMO_PEOPLE_H_
