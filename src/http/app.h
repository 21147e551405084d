// The tendon web application: every page and API route, and the checks that stand in front of them.
// Independent of the network: the server (server.h) hands it requests; tests may too.
//
// For each request, in order: static files; the route (404, 405); the session; access (deny by
// default: no session on a non-public route is a redirect to sign in, or 401 for the API; a role
// the route does not name is 403); the CSRF token on every state-changing request; the ownership of
// patient data (403 when the referral is not the user's to see) with its audit row; then the
// handler. A denied request never runs its handler. Every response gets the security headers
// (Decorate), the error pages included.
#ifndef TENDON_HTTP_APP_H_
#define TENDON_HTTP_APP_H_

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "config/rules_loader.h"
#include "config/service.h"
#include "core/records.h"
#include "core/status.h"
#include "core/working_days.h"
#include "http/message.h"
#include "http/planner.h"
#include "http/router.h"
#include "http/server.h"
#include "store/store.h"

namespace tendon::http {

struct AppConfig {
  std::filesystem::path web_dir = "web";  // templates/ and static/
  std::filesystem::path assets_dir =
      "node_modules/nhsuk-frontend/dist";  // Served at /assets/nhsuk/
  // Reference data: rules/ (red flags, decision support, completeness), the service
  // (services/oxfordshire: its name and timing) and the bank holidays.
  std::filesystem::path data_dir = "data";
  bool secure_cookies = false;  // Set when served behind TLS.
  // The clock; the system clock when empty. Tests move time forward with it.
  std::function<Instant()> clock;
  // Runs the planner page's scenarios (planner.h); the page answers 503 without one.
  std::shared_ptr<Planner> planner;
};

// What a handler is given: the request, who is asking, and the checked patient data.
struct Context {
  Request& request;
  const Route& route;
  std::optional<User> user;
  std::optional<Session> session;
  std::optional<Referral> referral;         // For patient-data routes: checked and audited.
  std::map<std::string, std::string> form;  // A form post's fields.
  nlohmann::json json;                      // An API post's body (an object).
};

class App {
 public:
  // Loads the templates from config.web_dir, and the clinical rules, the service and the bank
  // holidays from config.data_dir. Errors as Templates::Load, config::LoadRules, LoadService and
  // LoadWorkingCalendar.
  static StatusOr<std::unique_ptr<App>> Create(store::Store& store, AppConfig config);
  // As above, with the rules, the service and the bank holidays already loaded by the caller from
  // config.data_dir, so that the caller's workflows and the app's run on the same ones.
  static StatusOr<std::unique_ptr<App>> Create(store::Store& store, AppConfig config,
                                               config::Rules rules, config::ServiceConfig service,
                                               WorkingCalendar calendar);
  ~App();

  // Handles one request; thread-safe.
  Response Handle(Request& request);
  // The route pattern the request matches, for the access log ("static" for files, "-" for none).
  std::string RouteOf(const Request& request) const;
  // True for requests whose handling is quick and never blocks (static files, /healthz), which the
  // server may then answer on its I/O thread.
  bool RunsInline(const Request& request) const;
  // Adds the security headers; the server calls it on every response.
  void Decorate(Response& response) const;
  // Counts a finished request for /metrics.
  void RecordAccess(const AccessRecord& record);
  // Does at start what the first requests would otherwise wait for: folds the event log into the
  // patient portal's wait figures. Returns how many completed waits they hold. Thread-safe; the
  // server may answer meanwhile.
  StatusOr<std::size_t> WarmUp();
  // Counts a housekeeping sweep's outcome for /metrics.
  void RecordSweep(const Status& outcome);
  // Lets /metrics report the server's open connections and requests in flight.
  void SetServerGauges(std::function<std::pair<std::int64_t, std::int64_t>()> gauges);

  const Router& router() const;
  // Tests: called with each route just before its handler runs.
  void SetHandlerObserver(std::function<void(const Route&)> observer);

  class Impl;

 private:
  explicit App(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tendon::http

#endif  // TENDON_HTTP_APP_H_
