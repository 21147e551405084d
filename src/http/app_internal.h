// The state behind App, shared by its handlers (pages.cc, api.cc). Internal to the http module.
#ifndef TENDON_HTTP_APP_INTERNAL_H_
#define TENDON_HTTP_APP_INTERNAL_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "auth/throttle.h"
#include "config/rules_loader.h"
#include "config/service.h"
#include "core/event.h"
#include "core/rules.h"
#include "core/triage_queue.h"
#include "http/app.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/session.h"
#include "http/static_files.h"
#include "http/templates.h"
#include "workflow/portal.h"
#include "workflow/workflow.h"

namespace tendon::http {

// Whether the store can commit a write, probed with an empty write at most once a second however
// often /healthz is asked.
class HealthProbe {
 public:
  explicit HealthProbe(store::Store& store) : store_(store) {}
  Status Check(Instant now);

 private:
  store::Store& store_;
  std::mutex mu_;
  Instant checked_at_{};  // Guarded by mu_.
  Status last_;           // Guarded by mu_.
};

// At most this many self-referrals from one address per window (self_referral.cc).
inline constexpr int kSelfReferralsPerWindow = 10;
inline constexpr std::chrono::seconds kSelfReferralWindow = std::chrono::hours(1);

class App::Impl {
 public:
  Impl(store::Store& store, AppConfig config, std::unique_ptr<Templates> templates,
       config::Rules rules, config::ServiceConfig service, WorkingCalendar calendar);

  Response Handle(Request& request);
  Instant Now() const { return config.clock(); }

  // Renders `page` with the shared layout keys (service, user, navigation, CSRF token) added to
  // `data`. A template failure becomes the plain 500 page.
  Response Page(const Context& ctx, int status, std::string_view page, nlohmann::json data) const;
  // The NHS-style error page (403, 404, 500...) or, for API routes, the JSON error.
  Response Error(const Context& ctx, int status) const;
  // The referrals awaiting triage in working order (core/triage_queue.h); the read is audited.
  StatusOr<std::vector<TriageItem>> TriageQueue(const User& user);
  // Writes an audit row for `user` about `patient_key`.
  Status Audit(const User& user, std::string_view patient_key, std::string_view action,
               std::string_view reason = {});

  store::Store& store;
  AppConfig config;
  std::unique_ptr<Templates> templates;
  const config::Rules rules;
  const config::ServiceConfig service;
  const WorkingCalendar calendar;
  const workflow::Env env;  // The workflows' view of the store, rules, calendar and timing.
  StaticFiles static_files;
  StaticFiles assets;
  SessionManager sessions;
  auth::Throttle account_throttle;
  auth::Throttle address_throttle;
  // Self-referrals sent per remote address (coordinators exempt; self_referral.cc).
  auth::Throttle self_referral_throttle{kSelfReferralsPerWindow, kSelfReferralWindow};
  Metrics metrics;
  HealthProbe health;
  Router router;
  // The patient portal (portal.cc): its words and wait figures, and how patients sign in.
  std::unique_ptr<workflow::Portal> portal;
  std::unique_ptr<workflow::PatientSignIn> patient_sign_in;
  std::function<void(const Route&)> observer;
  std::function<std::pair<std::int64_t, std::int64_t>()> server_gauges;

 private:
  Response Dispatch(Request& request, const Route& route);
  Status ParseBody(Context& ctx) const;
  bool CsrfValid(const Context& ctx) const;
  // Resolves and checks the referral a patient-data route is about; sets ctx.referral and queues
  // the access's audit row in `audited`, which Dispatch waits for before answering. Returns a
  // response when access is refused.
  std::optional<Response> CheckOwnership(Context& ctx, std::future<Status>& audited);
  // The audit row of an access, queued without waiting for it (see Store::WriteAsync).
  std::future<Status> QueueAudit(const User& user, std::string_view patient_key,
                                 std::string_view action);
};

// Each registers its routes on `app.router`.
void RegisterPages(App::Impl& app);         // pages.cc
void RegisterApi(App::Impl& app);           // api.cc
void RegisterReferrer(App::Impl& app);      // referrer.cc: the referral form and worklist.
void RegisterSelfReferral(App::Impl& app);  // self_referral.cc: the public journey.
void RegisterTriage(App::Impl& app);        // triage.cc: claim, outcome, duplicates.
void RegisterBooking(App::Impl& app);       // booking.cc: book and cancel appointments.

// booking_screen.cc: the coordinator's booking page; slots.cc: slot search and the next-available
// figures; diary.cc: a clinician's day and week.
void RegisterBookingScreen(App::Impl& app);
void RegisterSlots(App::Impl& app);
void RegisterDiary(App::Impl& app);
// admin.cc: the administrator's sites, rooms, clinicians, templates and slots; admin_api.cc: their
// JSON API.
void RegisterAdmin(App::Impl& app);
void RegisterAdminApi(App::Impl& app);
// waiting_list.cc: the waiting list, and proposing and confirming bookings for it.
void RegisterWaitingList(App::Impl& app);
// portal.cc: the patient portal. Loads its words (config/portal.h), whose errors it returns.
Status RegisterPortal(App::Impl& app);
// portal_outcomes.cc: the patient's questionnaires, feedback and request to be seen again, and the
// clinician's discharge. DueFromPatient: the questionnaires a referral's patient may answer now,
// as the referral page lists them ([{title, href, text}]).
void RegisterPortalOutcomes(App::Impl& app);
nlohmann::json DueFromPatient(std::span<const PathwayEvent> events);
// notifications.cc: the messages to patients that could not be sent.
void RegisterNotifications(App::Impl& app);
// planner.cc: the commissioner's what-if planner, run through AppConfig::planner.
void RegisterPlanner(App::Impl& app);

// A posted form's or a query string's fields, by name (Context::form).
using Form = std::map<std::string, std::string>;
// The field's value; "" when the form lacks it.
std::string FormValue(const Form& form, const std::string& name);

// Text for pages. Sentence: "choose a site" -> "Choose a site", a workflow's message. Spaced:
// "face_to_face" -> "face to face"; Words: -> "Face to face", a stored name for people.
std::string Sentence(std::string message);
std::string Spaced(std::string_view name);
std::string Words(std::string_view name);
// A page's error summary holding one error.
nlohmann::json OneError(const std::string& field, const std::string& message);

// The workflows' view of who is acting.
inline workflow::Actor ActorOf(const User& user) { return {user.id, user.role, user.organisation}; }

// Whether `user` may see `referral`: a patient their own, a referrer their organisation's, the
// clinical and booking roles any; commissioners and administrators none.
bool MaySee(const User& user, const Referral& referral);

// Plain words for a referral's state ("Awaiting triage") and priority ("Post-operative"), for
// pages. A choice on a form: the value sent and the words shown.
struct Option {
  const char* value;
  const char* label;
};
// The body sites of the answers schema (data/rules/README.md), in plain words, for both the
// referrer's form and the self-referral journey.
const std::vector<Option>& BodySiteOptions();
// Where decision support may send a patient (core's Route names), in plain words.
const std::vector<Option>& RouteOptions();
std::string RouteLabel(tendon::Route route);
// A decision for the decision panels: {route, priority, reasons, advice, stop}.
nlohmann::json DecisionView(const Decision& decision);

std::string StateLabel(ReferralState state);
std::string PriorityLabel(Priority priority);

// The name of the cookie that carries the sign-in form's CSRF token before there is a session.
inline constexpr std::string_view kFormCsrfCookie = "tendon_form_csrf";

}  // namespace tendon::http

#endif  // TENDON_HTTP_APP_INTERNAL_H_
