#include "scheduling/geo.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tendon::scheduling {
namespace {

struct DistanceCase {
  std::string name;
  double lat1, lon1, lat2, lon2;
  double km;
  double tolerance_km;
};

TEST(GeoTest, DistanceKmMatchesKnownPairs) {
  const std::vector<DistanceCase> cases = {
      {"Oxford to Banbury", 51.752, -1.2577, 52.0629, -1.3398, 35.0, 1.0},
      // London (Charing Cross) to Edinburgh (Waverley): about 534 km as the crow flies.
      {"London to Edinburgh", 51.5074, -0.1278, 55.9533, -3.1883, 534.0, 3.0},
      // A degree of latitude along a meridian is 6371 * pi / 180 km on the sphere.
      {"one degree of latitude", 51.0, -1.0, 52.0, -1.0, 111.195, 0.01},
      {"the same point", 51.75, -1.25, 51.75, -1.25, 0.0, 1e-9},
      {"antipodes", 0.0, 0.0, 0.0, 180.0, 20015.09, 0.1},
  };
  for (const DistanceCase& c : cases) {
    EXPECT_NEAR(DistanceKm(c.lat1, c.lon1, c.lat2, c.lon2), c.km, c.tolerance_km) << c.name;
    EXPECT_DOUBLE_EQ(DistanceKm(c.lat1, c.lon1, c.lat2, c.lon2),
                     DistanceKm(c.lat2, c.lon2, c.lat1, c.lon1))
        << c.name << " is not symmetric";
  }
}

}  // namespace
}  // namespace tendon::scheduling
