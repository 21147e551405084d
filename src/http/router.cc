#include "http/router.h"

#include <algorithm>

namespace tendon::http {

Access Access::AllRoles() {
  return Roles({Role::kPatient, Role::kReferrer, Role::kTriageClinician, Role::kTreatingClinician,
                Role::kCoordinator, Role::kCommissioner, Role::kAdministrator});
}

bool Access::Allows(Role role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

void Router::Add(Route route) { routes_.push_back(std::move(route)); }

const Route* Router::Match(Method method, const std::string& path, bool* path_exists) const {
  *path_exists = false;
  for (const Route& route : routes_) {
    if (route.pattern != path) continue;
    *path_exists = true;
    if (route.method == method || (method == Method::kHead && route.method == Method::kGet)) {
      return &route;
    }
  }
  return nullptr;
}

}  // namespace tendon::http
