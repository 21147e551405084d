// Distances between places given by latitude and longitude, for "nearest slot" search.
#ifndef TENDON_SCHEDULING_GEO_H_
#define TENDON_SCHEDULING_GEO_H_

namespace tendon::scheduling {

// The mean radius of the Earth used by DistanceKm.
inline constexpr double kEarthRadiusKm = 6371.0;

// The great-circle distance in kilometres between two points given in decimal degrees (WGS84
// latitude and longitude, as in the service's sites and postcode district files), by the haversine
// formula on a sphere of radius kEarthRadiusKm. Symmetric, 0 for the same point, and within about
// 0.5% of the true (ellipsoidal) distance: good enough to rank clinics, not to survey land.
double DistanceKm(double lat1, double lon1, double lat2, double lon2);

}  // namespace tendon::scheduling

#endif  // TENDON_SCHEDULING_GEO_H_
