// Routes, and who may use them. Deny by default: a route that does not name its audience serves
// nobody, and every route's access is checked before its handler runs (app.cc).
#ifndef TENDON_HTTP_ROUTER_H_
#define TENDON_HTTP_ROUTER_H_

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "core/records.h"
#include "http/message.h"

namespace tendon::http {

// How a route's patient data is tied to the person asking, checked before the handler runs.
enum class Ownership {
  kNone,               // The route shows no patient's data.
  kReferralInBody,     // A referral named by the body's "referral_id" (form field or JSON).
  kReferralInSession,  // The referral the session has open (Session::context_referral_id).
};

struct Access {
  bool is_public = false;   // Anyone, signed in or not.
  std::vector<Role> roles;  // Otherwise: these roles only (empty: nobody).
  Ownership ownership = Ownership::kNone;
  std::string audit_action;  // For patient-data routes: the audit log's "what".

  static Access Public() { return Access{true, {}, Ownership::kNone, ""}; }
  static Access Roles(std::initializer_list<Role> roles) {
    return Access{false, roles, Ownership::kNone, ""};
  }
  static Access AllRoles();
  // A patient-data route: `roles` may use it, subject to the ownership check, and each use is
  // audited as `audit_action`.
  static Access PatientData(std::initializer_list<Role> roles, Ownership ownership,
                            std::string audit_action) {
    return Access{false, roles, ownership, std::move(audit_action)};
  }
  bool Allows(Role role) const;
};

struct Context;  // app.h: the request with its user, session and checked referral.
using RouteHandler = std::function<Response(Context&)>;

struct Route {
  Method method = Method::kGet;
  std::string pattern;  // An exact path ("/home"); never carries identifiers.
  Access access;
  bool api = false;  // JSON errors instead of pages; 401 instead of a redirect to sign in.
  RouteHandler handler;
};

class Router {
 public:
  void Add(Route route);
  // The route for `method` and `path`. When the path exists under another method only,
  // `path_exists` is set (the caller answers 405).
  const Route* Match(Method method, const std::string& path, bool* path_exists) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace tendon::http

#endif  // TENDON_HTTP_ROUTER_H_
