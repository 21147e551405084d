// The web application in process, on a real SQLite file and the real templates: who may use each
// route, the ownership of patient data, CSRF, audit, sign-in and sessions.
#include "http/app.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <set>

#include "auth/tokens.h"
#include "http/testing.h"
#include "store/testing/fixtures.h"

namespace tendon::http {
namespace {

using store::testing::MakePatient;
using store::testing::MakeReferral;
using store::testing::ReceivedEvent;

constexpr Role kAllRoles[] = {Role::kPatient,           Role::kReferrer,    Role::kTriageClinician,
                              Role::kTreatingClinician, Role::kCoordinator, Role::kCommissioner,
                              Role::kAdministrator};

class AppTest : public testing::AppFixture {
 protected:
  void SetUp() override {
    now_ = store::testing::At(0);
    AppFixture::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(store()
                    .Write([](store::WriteTxn& txn) -> Status {
                      for (int n : {1, 2}) {
                        RETURN_IF_ERROR(txn.InsertPatient(MakePatient(n)));
                        Referral r = MakeReferral("ref-" + std::to_string(n),
                                                  "patient-" + std::to_string(n));
                        r.referrer_organisation = "ORG" + std::to_string(n);
                        RETURN_IF_ERROR(txn.CreateReferral(r, {ReceivedEvent()}).status());
                      }
                      return OkStatus();
                    })
                    .ok());
    for (Role role : kAllRoles) AddUser(role);
    app().SetHandlerObserver([this](const Route&) { ++handled_; });
  }

  // The account for `role`: patient-1's own, ORG1's referrer, and one of each staff role.
  void AddUser(Role role) {
    User u;
    u.id = "user-" + std::string(ToString(role));
    u.username = u.id;
    u.display_name = "Test " + std::string(RoleLabel(role));
    u.role = role;
    if (role == Role::kPatient) u.patient_key = "patient-1";
    if (role == Role::kReferrer) u.organisation = "ORG1";
    AppFixture::AddUser(std::move(u));
  }

  // A fresh session for `role`'s account, with `referral` open; returns the cookie token.
  std::string SignedIn(Role role, const std::string& referral = "ref-1") {
    return AppFixture::SignedIn("user-" + std::string(ToString(role)), referral);
  }

  std::vector<AuditEntry> Audit() {
    store::AuditFilter all;
    all.limit = 1000;
    return *store().ListAudit(all);
  }

  std::atomic<int> handled_{0};
};

struct RouteCase {
  Method method;
  std::string path;
  std::string body;        // For posts.
  std::set<Role> allowed;  // Empty with is_public: anyone.
  bool is_public = false;
};

const std::set<Role> kEveryone(std::begin(kAllRoles), std::end(kAllRoles));
const std::set<Role> kReaders{Role::kPatient, Role::kReferrer, Role::kTriageClinician,
                              Role::kTreatingClinician, Role::kCoordinator};

// The expected access of every route, written out independently of the routes' declarations.
const std::vector<RouteCase>& Cases() {
  static const std::vector<RouteCase> cases{
      {Method::kGet, "/", "", {}, true},
      {Method::kGet, "/sign-in", "", {}, true},
      {Method::kPost, "/sign-in", "", {}, true},
      {Method::kGet, "/healthz", "", {}, true},
      {Method::kGet, "/metrics", "", {}, true},
      {Method::kGet, "/self-referral", "", {}, true},
      {Method::kPost, "/self-referral", "", {}, true},
      {Method::kPost, "/api/v1/self-referrals", "", {}, true},
      {Method::kGet, "/home", "", kEveryone},
      {Method::kPost, "/sign-out", "", kEveryone},
      {Method::kGet, "/admin/audit", "", {Role::kAdministrator}},
      {Method::kGet, "/admin/users", "", {Role::kAdministrator}},
      {Method::kGet, "/api/v1/me", "", kEveryone},
      {Method::kGet, "/api/v1/audit", "", {Role::kAdministrator}},
      {Method::kPost, "/referral/open", "referral_id=ref-1", kReaders},
      {Method::kGet, "/referral", "", kReaders},
      {Method::kPost, "/api/v1/referrals/get", R"({"referral_id":"ref-1"})", kReaders},
      {Method::kPost, "/api/v1/decision-support", R"({"source":"gp"})", kReaders},
      {Method::kGet, "/api/v1/triage/queue", "", {Role::kTriageClinician, Role::kCoordinator}},
      {Method::kGet, "/triage", "", {Role::kTriageClinician, Role::kCoordinator}},
      {Method::kPost, "/api/v1/referrals", "{}", {Role::kReferrer}},
      {Method::kPost,
       "/api/v1/referrals/resubmit",
       R"({"referral_id":"ref-1"})",
       {Role::kReferrer}},
      {Method::kGet, "/api/v1/referrals/worklist", "", {Role::kReferrer}},
      {Method::kGet, "/refer", "", {Role::kReferrer}},
      {Method::kPost, "/refer", "action=check", {Role::kReferrer}},
      {Method::kGet, "/worklist", "", {Role::kReferrer}},
      {Method::kPost, "/worklist/open", "referral_id=ref-1", {Role::kReferrer}},
      {Method::kGet, "/refer/sent", "", {Role::kReferrer}},
      {Method::kGet, "/refer/complete", "", {Role::kReferrer}},
      {Method::kPost, "/refer/complete", "action=check", {Role::kReferrer}},
      // Triage (triage.cc). The link rows name a duplicate that does not exist: nothing is linked.
      {Method::kPost, "/triage/claim", "referral_id=ref-1", {Role::kTriageClinician}},
      {Method::kGet, "/triage/referral", "", {Role::kTriageClinician}},
      {Method::kPost, "/triage/outcome", "referral_id=ref-1", {Role::kTriageClinician}},
      {Method::kPost, "/triage/release", "referral_id=ref-1", {Role::kTriageClinician}},
      {Method::kPost,
       "/triage/break-glass",
       "referral_id=ref-1&reason=checking",
       {Role::kTriageClinician}},
      {Method::kGet, "/triage/duplicates", "", {Role::kCoordinator}},
      {Method::kPost,
       "/referral/link",
       "referral_id=ref-1&duplicate_id=ref-9&kind=linked",
       {Role::kCoordinator}},
      {Method::kPost,
       "/api/v1/referrals/claim",
       R"({"referral_id":"ref-1"})",
       {Role::kTriageClinician}},
      {Method::kPost,
       "/api/v1/referrals/release",
       R"({"referral_id":"ref-1"})",
       {Role::kTriageClinician}},
      {Method::kPost,
       "/api/v1/referrals/triage",
       R"({"referral_id":"ref-1"})",
       {Role::kTriageClinician}},
      {Method::kPost,
       "/api/v1/referrals/break-glass",
       R"({"referral_id":"ref-1","reason":"x"})",
       {Role::kTriageClinician, Role::kTreatingClinician}},
      {Method::kPost,
       "/api/v1/referrals/link",
       R"({"referral_id":"ref-1","duplicate_id":"ref-9","kind":"linked"})",
       {Role::kCoordinator}},
      // Booking (booking.cc). The slot and appointment do not exist: nothing is booked.
      {Method::kPost,
       "/api/v1/appointments/book",
       R"({"referral_id":"ref-1","slot_id":"none"})",
       {Role::kCoordinator}},
      {Method::kPost,
       "/api/v1/appointments/offer",
       R"({"referral_id":"ref-1","slot_id":"none"})",
       {Role::kCoordinator}},
      {Method::kPost,
       "/api/v1/appointments/accept",
       R"({"referral_id":"ref-1","appointment_id":"none"})",
       {Role::kCoordinator}},
      {Method::kPost,
       "/api/v1/appointments/cancel",
       R"({"referral_id":"ref-1","appointment_id":"none","by":"service","reason":"x"})",
       {Role::kCoordinator}},
      {Method::kPost,
       "/api/v1/appointments/reschedule",
       R"({"referral_id":"ref-1","appointment_id":"none","slot_id":"none","by":"service",)"
       R"("reason":"x"})",
       {Role::kCoordinator}},
      {Method::kPost,
       "/api/v1/appointments/attended",
       R"({"referral_id":"ref-1","appointment_id":"none"})",
       {Role::kCoordinator, Role::kTreatingClinician}},
      {Method::kPost,
       "/api/v1/appointments/dna",
       R"({"referral_id":"ref-1","appointment_id":"none"})",
       {Role::kCoordinator, Role::kTreatingClinician}},
      {Method::kPost,
       "/api/v1/appointments/rebook-best",
       R"({"referral_id":"ref-1"})",
       {Role::kCoordinator}},
      // No such clinician: nothing is cancelled.
      {Method::kPost,
       "/api/v1/clinicians/unavailable",
       R"({"clinician_id":"none","from":"2026-11-25T09:00:00Z","to":"2026-11-26T09:00:00Z",)"
       R"("reason":"x"})",
       {Role::kCoordinator}},
      // The booking screen, slot search and the diary (booking_screen.cc, slots.cc, diary.cc).
      // ref-1 awaits triage and the slot and appointment do not exist: nothing is booked.
      {Method::kPost, "/booking/select", "referral_id=ref-1", {Role::kCoordinator}},
      {Method::kGet, "/booking", "", {Role::kCoordinator}},
      {Method::kPost, "/booking/book", "referral_id=ref-1&slot_id=none", {Role::kCoordinator}},
      {Method::kPost,
       "/booking/cancel",
       "referral_id=ref-1&appointment_id=none&by=service&reason=x",
       {Role::kCoordinator}},
      {Method::kPost,
       "/booking/reschedule",
       "referral_id=ref-1&appointment_id=none&slot_id=none&by=service&reason=x",
       {Role::kCoordinator}},
      {Method::kPost, "/booking/rebook-best", "referral_id=ref-1", {Role::kCoordinator}},
      {Method::kPost,
       "/api/v1/slots/search",
       R"({"referral_id":"ref-1"})",
       {Role::kCoordinator, Role::kTreatingClinician}},
      {Method::kGet,
       "/api/v1/next-available",
       "",
       {Role::kCoordinator, Role::kCommissioner, Role::kAdministrator}},
      {Method::kGet,
       "/next-available",
       "",
       {Role::kCoordinator, Role::kCommissioner, Role::kAdministrator}},
      {Method::kGet, "/diary", "", {Role::kTreatingClinician, Role::kCoordinator}},
      {Method::kGet, "/diary/week", "", {Role::kTreatingClinician, Role::kCoordinator}},
      {Method::kPost,
       "/diary/attended",
       "appointment_id=none",
       {Role::kTreatingClinician, Role::kCoordinator}},
      {Method::kPost,
       "/diary/dna",
       "appointment_id=none",
       {Role::kTreatingClinician, Role::kCoordinator}},
      {Method::kPost, "/diary/discharge", "appointment_id=none", {Role::kTreatingClinician}},
      // Administration (admin.cc). The posts are incomplete, so nothing is saved; there are no
      // templates, so extending the slots adds none.
      {Method::kGet, "/admin", "", {Role::kAdministrator}},
      {Method::kPost, "/admin/slots/extend", "", {Role::kAdministrator}},
      {Method::kGet, "/admin/sites", "", {Role::kAdministrator}},
      {Method::kPost, "/admin/sites", "mode=add", {Role::kAdministrator}},
      {Method::kGet, "/admin/rooms", "", {Role::kAdministrator}},
      {Method::kPost, "/admin/rooms", "mode=add", {Role::kAdministrator}},
      {Method::kGet, "/admin/clinicians", "", {Role::kAdministrator}},
      {Method::kPost, "/admin/clinicians", "mode=add", {Role::kAdministrator}},
      {Method::kGet, "/admin/templates", "", {Role::kAdministrator}},
      {Method::kPost, "/admin/templates", "mode=add", {Role::kAdministrator}},
      {Method::kGet, "/api/v1/admin/sites", "", {Role::kAdministrator}},
      {Method::kPost, "/api/v1/admin/sites", "{}", {Role::kAdministrator}},
      {Method::kGet, "/api/v1/admin/rooms", "", {Role::kAdministrator}},
      {Method::kPost, "/api/v1/admin/rooms", "{}", {Role::kAdministrator}},
      {Method::kGet, "/api/v1/admin/clinicians", "", {Role::kAdministrator}},
      {Method::kPost, "/api/v1/admin/clinicians", "{}", {Role::kAdministrator}},
      {Method::kGet, "/api/v1/admin/templates", "", {Role::kAdministrator}},
      {Method::kPost, "/api/v1/admin/templates", "{}", {Role::kAdministrator}},
      {Method::kPost, "/api/v1/admin/slots/extend", "{}", {Role::kAdministrator}},
      // The waiting list and its allocation (waiting_list.cc). Nothing waits to book, and the
      // confirmations name a referral that does not exist: nothing is booked.
      {Method::kGet, "/waiting-list", "", {Role::kCoordinator}},
      {Method::kPost, "/waiting-list/propose", "", {Role::kCoordinator}},
      {Method::kPost, "/waiting-list/confirm", "batch_key=k", {Role::kCoordinator}},
      {Method::kGet, "/api/v1/waiting-list", "", {Role::kCoordinator}},
      {Method::kPost, "/api/v1/allocation/propose", "{}", {Role::kCoordinator}},
      {Method::kPost,
       "/api/v1/allocation/confirm",
       R"({"batch_key":"k","proposals":[{"referral_id":"ref-9","slot_id":"none"}]})",
       {Role::kCoordinator}},
      // The messages that could not be sent (notifications.cc).
      {Method::kGet, "/notifications/failed", "", {Role::kCoordinator, Role::kAdministrator}},
      // The what-if planner (planner.cc): simulated aggregates for commissioners and
      // administrators. No scenario is chosen: nothing runs.
      {Method::kGet, "/planner", "", {Role::kCommissioner, Role::kAdministrator}},
      {Method::kPost, "/planner", "", {Role::kCommissioner, Role::kAdministrator}},
      // The patient portal (portal.cc): its sign-in pages are public, the rest for patients only.
      // The appointment and slot named do not exist: nothing changes.
      {Method::kGet, "/portal/sign-in", "", {}, true},
      {Method::kPost, "/portal/sign-in", "", {}, true},
      {Method::kGet, "/portal/code", "", {}, true},
      {Method::kPost, "/portal/code", "", {}, true},
      {Method::kGet, "/portal", "", {Role::kPatient}},
      {Method::kPost, "/portal/referral/open", "referral_id=ref-1", {Role::kPatient}},
      {Method::kGet, "/portal/referral", "", {Role::kPatient}},
      {Method::kGet, "/portal/appointments", "", {Role::kPatient}},
      {Method::kPost,
       "/portal/appointments/accept",
       "referral_id=ref-1&appointment_id=none",
       {Role::kPatient}},
      {Method::kPost,
       "/portal/appointments/cancel",
       "referral_id=ref-1&appointment_id=none&reason=x",
       {Role::kPatient}},
      {Method::kPost,
       "/portal/appointments/move",
       "referral_id=ref-1&appointment_id=none&slot_id=none",
       {Role::kPatient}},
      {Method::kPost,
       "/portal/appointments/book",
       "referral_id=ref-1&slot_id=none",
       {Role::kPatient}},
      {Method::kGet, "/portal/audit", "", {Role::kPatient}},
      // What the patient gives back, and the clinician's discharge (portal_outcomes.cc). The
      // answers are incomplete and the discharge has no reason: nothing changes.
      {Method::kGet, "/portal/questionnaire", "", {Role::kPatient}},
      {Method::kPost, "/portal/questionnaire", "timepoint=baseline", {Role::kPatient}},
      {Method::kGet, "/portal/feedback", "", {Role::kPatient}},
      {Method::kPost, "/portal/feedback", "", {Role::kPatient}},
      {Method::kPost, "/portal/follow-up", "", {Role::kPatient}},
      {Method::kPost,
       "/api/v1/referrals/discharge",
       R"({"referral_id":"ref-1"})",
       {Role::kTreatingClinician}},
  };
  return cases;
}

bool Refused(const Response& r) {
  return r.status == 401 || r.status == 403 ||
         (r.status == 303 && r.headers.at("Location") == "/sign-in");
}

TEST_F(AppTest, EveryRouteIsInTheAccessTable) {
  std::set<std::pair<Method, std::string>> expected;
  for (const RouteCase& c : Cases()) expected.insert({c.method, c.path});
  for (const Route& route : app().router().routes()) {
    EXPECT_TRUE(expected.count({route.method, route.pattern}))
        << ToString(route.method) << " " << route.pattern << " has no expected access";
  }
  EXPECT_EQ(expected.size(), app().router().routes().size());
}

TEST_F(AppTest, EveryRoleIsAllowedOrDeniedAsTheTableSays) {
  for (const RouteCase& c : Cases()) {
    if (c.is_public) continue;  // sign-in forms and probes: tested on their own.
    for (Role role : kAllRoles) {
      const bool allowed = c.allowed.count(role) > 0;
      const int before = handled_.load();
      Response r = Send(c.method, c.path, SignedIn(role), c.body);
      const bool ran = handled_.load() > before;
      EXPECT_EQ(ran, allowed) << c.path << " as " << ToString(role) << ": " << r.status;
      if (allowed) {
        EXPECT_NE(r.status, 403) << c.path << " as " << ToString(role);
      } else {
        EXPECT_TRUE(Refused(r)) << c.path << " as " << ToString(role) << ": " << r.status;
      }
    }
  }
}

// For the patient-data routes, every role again against the other patient's record (patient-2,
// referred by ORG2): only the roles that may see any record get it.
TEST_F(AppTest, EveryRoleSeesAnotherPatientsRecordOnlyWhereTheTableSays) {
  const std::set<Role> any_record{Role::kTriageClinician, Role::kTreatingClinician,
                                  Role::kCoordinator};
  for (const RouteCase& c : Cases()) {
    const bool in_body = c.body.find("ref-1") != std::string::npos;
    if (!in_body && c.path != "/referral") continue;
    std::string body = c.body;
    if (in_body) body.replace(body.find("ref-1"), 5, "ref-2");
    for (Role role : kAllRoles) {
      const bool allowed = any_record.count(role) > 0 && c.allowed.count(role) > 0;
      const int before = handled_.load();
      Response r = Send(c.method, c.path, SignedIn(role, "ref-2"), body);
      EXPECT_EQ(handled_.load() > before, allowed) << c.path << " as " << ToString(role);
      if (!allowed) {
        EXPECT_TRUE(r.status == 404 || Refused(r)) << c.path << ": " << r.status;
      }
      EXPECT_EQ(r.body.find("patient-2"), std::string::npos) << c.path;
    }
  }
}

TEST_F(AppTest, NobodySignedInIsSentToSignInOrRefusedWith401) {
  for (const RouteCase& c : Cases()) {
    if (c.is_public) continue;
    const int before = handled_.load();
    Response r = Send(c.method, c.path, "", c.body);
    EXPECT_EQ(handled_.load(), before) << c.path;
    if (c.path.rfind("/api/", 0) == 0) {
      EXPECT_EQ(r.status, 401) << c.path;
      EXPECT_NE(r.body.find("\"code\""), std::string::npos);
    } else {
      EXPECT_EQ(r.status, 303) << c.path;
      EXPECT_EQ(r.headers["Location"], "/sign-in");
    }
  }
}

TEST_F(AppTest, AnotherPatientsReferralIsNeverShownAndTheAttemptIsAudited) {
  for (Role role : {Role::kPatient, Role::kReferrer}) {
    const int before = handled_.load();
    Response own =
        Send(Method::kPost, "/api/v1/referrals/get", SignedIn(role), R"({"referral_id":"ref-1"})");
    EXPECT_EQ(own.status, 200) << ToString(role);
    Response other =
        Send(Method::kPost, "/api/v1/referrals/get", SignedIn(role), R"({"referral_id":"ref-2"})");
    EXPECT_EQ(other.status, 404) << ToString(role);
    EXPECT_EQ(other.body.find("patient-2"), std::string::npos);
    Response page = Send(Method::kGet, "/referral", SignedIn(role, "ref-2"));
    EXPECT_EQ(page.status, 404) << ToString(role);
    EXPECT_EQ(handled_.load(), before + 1) << ToString(role);
  }
  int denied = 0;
  int read = 0;
  for (const AuditEntry& e : Audit()) {
    if (e.patient_key == "patient-2" && e.action == "referral.read.denied") ++denied;
    if (e.patient_key == "patient-1" && e.action == "referral.read") ++read;
  }
  EXPECT_EQ(denied, 4);
  EXPECT_EQ(read, 2);
}

TEST_F(AppTest, ClinicianReadingAReferralIsAudited) {
  Response r =
      Send(Method::kPost, "/referral/open", SignedIn(Role::kTriageClinician), "referral_id=ref-2");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.headers["Location"], "/referral");
  const auto audit = Audit();
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.back().actor, "user-triage_clinician");
  EXPECT_EQ(audit.back().role, "triage_clinician");
  EXPECT_EQ(audit.back().patient_key, "patient-2");
  EXPECT_EQ(audit.back().action, "referral.open");
}

TEST_F(AppTest, StateChangingRequestsNeedTheSessionsCsrfToken) {
  const int before = handled_.load();
  Response r = Send(Method::kPost, "/sign-out", SignedIn(Role::kCoordinator), "", false);
  EXPECT_EQ(r.status, 403);
  Response api = Send(Method::kPost, "/api/v1/referrals/get", SignedIn(Role::kCoordinator),
                      R"({"referral_id":"ref-1"})", false);
  EXPECT_EQ(api.status, 403);
  EXPECT_EQ(handled_.load(), before);
}

// A sweep that fails is only printed by the server; /metrics lets the monitoring see it, and see
// the last success fall behind.
TEST_F(AppTest, MetricsCountSweepsByOutcomeAndGiveTheLastSuccess) {
  Request metrics;
  metrics.method = Method::kGet;
  metrics.target = metrics.path = "/metrics";
  auto has = [&](const std::string& line) {
    return app().Handle(metrics).body.find(line + "\n") != std::string::npos;
  };
  app().RecordSweep(UnavailableError("the store is closing"));
  EXPECT_TRUE(has("tendon_sweep_runs_total{outcome=\"failed\"} 1"));
  EXPECT_TRUE(has("tendon_sweep_runs_total{outcome=\"ok\"} 0"));
  EXPECT_TRUE(has("tendon_sweep_last_success_timestamp_seconds 0"));
  app().RecordSweep(OkStatus());
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now_.load().time_since_epoch()).count();
  EXPECT_TRUE(has("tendon_sweep_runs_total{outcome=\"ok\"} 1"));
  EXPECT_TRUE(has("tendon_sweep_last_success_timestamp_seconds " + std::to_string(seconds)));
}

// The single writer's utilisation is the store's capacity signal, so /metrics carries its time.
TEST_F(AppTest, MetricsGiveTheStoreWritersBusyAndCpuTime) {
  SignedIn(Role::kCoordinator);  // Writes a session and its audit.
  Request metrics;
  metrics.method = Method::kGet;
  metrics.target = metrics.path = "/metrics";
  const std::string body = app().Handle(metrics).body;
  auto value = [&](const std::string& name) {
    const std::size_t at = body.find("\n" + name + " ");
    EXPECT_NE(at, std::string::npos) << name;
    return at == std::string::npos ? -1.0 : std::stod(body.substr(at + name.size() + 2));
  };
  const double busy = value("tendon_store_writer_busy_seconds_total");
  const double cpu = value("tendon_store_writer_cpu_seconds_total");
  EXPECT_GT(busy, 0);
  EXPECT_GT(cpu, 0);
  EXPECT_LE(cpu, busy);
}

TEST_F(AppTest, SessionsEndAfterThirtyIdleMinutes) {
  const std::string token = SignedIn(Role::kCoordinator);
  EXPECT_EQ(Send(Method::kGet, "/home", token).status, 200);
  now_ = now_.load() + std::chrono::minutes(29);
  EXPECT_EQ(Send(Method::kGet, "/home", token).status, 200);
  now_ = now_.load() + std::chrono::minutes(29);  // Seen 29 minutes ago: still alive.
  EXPECT_EQ(Send(Method::kGet, "/home", token).status, 200);
  now_ = now_.load() + std::chrono::minutes(31);
  Response r = Send(Method::kGet, "/home", token);
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(store().GetSession(auth::HashToken(token)).status().code(), StatusCode::kNotFound);
}

TEST_F(AppTest, SessionsEndAfterTwelveHoursHoweverBusy) {
  const std::string token = SignedIn(Role::kCoordinator);
  constexpr int kQuarterHours = 12 * 4;
  for (int i = 1; i < kQuarterHours; ++i) {
    now_ = now_.load() + std::chrono::minutes(15);
    ASSERT_EQ(Send(Method::kGet, "/home", token).status, 200) << i;
  }
  now_ = now_.load() + std::chrono::minutes(15);
  EXPECT_EQ(Send(Method::kGet, "/home", token).status, 303);
}

std::string CookieValue(const Response& r, const std::string& name) {
  auto it = r.headers.find("Set-Cookie");
  if (it == r.headers.end() || it->second.rfind(name + "=", 0) != 0) return "";
  return it->second.substr(name.size() + 1, it->second.find(';') - name.size() - 1);
}

TEST_F(AppTest, SignInSetsAStrictHttpOnlyCookieAndThrottlesFailures) {
  Response form = Send(Method::kGet, "/sign-in", "");
  ASSERT_EQ(form.status, 200);
  const std::string csrf = CookieValue(form, "tendon_form_csrf");
  ASSERT_FALSE(csrf.empty());
  auto post = [&](const std::string& password) {
    Request request;
    request.method = Method::kPost;
    request.target = request.path = "/sign-in";
    request.remote_address = "10.0.0.9";
    request.headers["Cookie"] = "tendon_form_csrf=" + csrf;
    request.body = "csrf_token=" + csrf + "&username=user-coordinator&password=" + password;
    return app().Handle(request);
  };
  Response ok = post("a+long+enough+password");
  ASSERT_EQ(ok.status, 303) << ok.body;
  const std::string cookie = ok.headers["Set-Cookie"];
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(Send(Method::kGet, "/home", CookieValue(ok, "tendon_session")).status, 200);

  for (int i = 0; i < 5; ++i) {
    Response wrong = post("not+the+password");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_NE(wrong.body.find("Your username or password is not right"), std::string::npos);
  }
  EXPECT_EQ(post("a+long+enough+password").status, 429);  // Throttled, even with the right one.
}

TEST_F(AppTest, SignInWithoutTheFormTokenIsRefused) {
  Request request;
  request.method = Method::kPost;
  request.target = request.path = "/sign-in";
  request.body = "username=user-coordinator&password=a+long+enough+password";
  EXPECT_EQ(app().Handle(request).status, 403);
}

TEST_F(AppTest, EveryResponseCarriesTheSecurityHeaders) {
  for (std::string path : {"/sign-in", "/nowhere", "/admin/audit", "/healthz"}) {
    Response r = Send(Method::kGet, path, path == "/admin/audit" ? SignedIn(Role::kPatient) : "");
    const std::string csp = r.headers["Content-Security-Policy"];
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << path;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << path;
    EXPECT_EQ(r.headers["X-Content-Type-Options"], "nosniff") << path;
    EXPECT_EQ(r.headers["Referrer-Policy"], "no-referrer") << path;
  }
}

TEST_F(AppTest, ErrorPagesAreNhsPages) {
  Response missing = Send(Method::kGet, "/nowhere", "");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("Page not found"), std::string::npos);
  Response forbidden = Send(Method::kGet, "/admin/users", SignedIn(Role::kReferrer));
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_NE(forbidden.body.find("You do not have permission"), std::string::npos);
  EXPECT_NE(forbidden.body.find("nhsuk-header"), std::string::npos);
  Response api = Send(Method::kGet, "/api/v1/nowhere", "");
  EXPECT_EQ(api.status, 404);
  EXPECT_NE(api.body.find("\"code\""), std::string::npos);
}

TEST_F(AppTest, DecisionSupportStopsForCaudaEquinaAndNamesTheRule) {
  Response r = Send(Method::kPost, "/api/v1/decision-support", SignedIn(Role::kReferrer),
                    R"({"source":"gp","age":44,"body_sites":["lower_back"],)"
                    R"("redflags":{"saddle_anaesthesia":true}})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["priority"], "emergency");
  EXPECT_EQ(body["route"], "emergency_department");
  EXPECT_EQ(body["stop"], true);
  EXPECT_EQ(body["rules"][0]["rule_id"], "RF-CES-1");
  EXPECT_EQ(body["rules"][0]["version"], 1);
  EXPECT_FALSE(body["reasons"].empty());
}

TEST_F(AppTest, DecisionSupportRefusesMalformedAnswersNamingTheField) {
  Response r = Send(Method::kPost, "/api/v1/decision-support", SignedIn(Role::kReferrer),
                    R"({"source":"gp","severity":"very"})");
  EXPECT_EQ(r.status, 400);
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["code"], "InvalidArgument");
  EXPECT_EQ(body["field"], "severity");
  Response not_json =
      Send(Method::kPost, "/api/v1/decision-support", SignedIn(Role::kReferrer), "{oops");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(nlohmann::json::parse(not_json.body)["field"], "body");
}

TEST_F(AppTest, TriageQueueListsReferralsAwaitingTriageWithTheirDueTimes) {
  now_ = store::testing::At(4 * 86400);  // Both referrals were due on day 3.
  Response r = Send(Method::kGet, "/api/v1/triage/queue", SignedIn(Role::kTriageClinician));
  ASSERT_EQ(r.status, 200) << r.body;
  auto items = nlohmann::json::parse(r.body)["items"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["referral_id"], "ref-1");
  EXPECT_EQ(items[1]["referral_id"], "ref-2");
  EXPECT_EQ(items[0]["overdue"], true);
  EXPECT_TRUE(items[0].contains("next_action_due"));
  EXPECT_EQ(Audit().back().action, "triage.queue.read");
}

TEST_F(AppTest, HealthzSaysOkWhenTheStoreCanWrite) {
  Response r = Send(Method::kGet, "/healthz", "");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"status":"ok"})");
}

TEST_F(AppTest, CommissionerSeesOnlySuppressedAggregates) {
  Response r = Send(Method::kGet, "/home", SignedIn(Role::kCommissioner));
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("fewer than 8"), std::string::npos);  // Two referrals awaiting triage.
  EXPECT_EQ(r.body.find("ref-1"), std::string::npos);
  EXPECT_TRUE(Audit().empty());  // No patient data was read.
}

}  // namespace
}  // namespace tendon::http
