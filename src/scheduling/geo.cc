#include "scheduling/geo.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace tendon::scheduling {
namespace {

double Radians(double degrees) { return degrees * std::numbers::pi / 180.0; }

}  // namespace

double DistanceKm(double lat1, double lon1, double lat2, double lon2) {
  const double dlat = Radians(lat2 - lat1);
  const double dlon = Radians(lon2 - lon1);
  const double a = std::pow(std::sin(dlat / 2), 2) + std::cos(Radians(lat1)) *
                                                         std::cos(Radians(lat2)) *
                                                         std::pow(std::sin(dlon / 2), 2);
  // Rounding can push `a` a hair past 1 for antipodal points; asin would then return NaN.
  return 2 * kEarthRadiusKm * std::asin(std::sqrt(std::clamp(a, 0.0, 1.0)));
}

}  // namespace tendon::scheduling
