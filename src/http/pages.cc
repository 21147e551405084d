// The HTML pages: sign in and out, a home page per role, a referral, and the administrator's pages.
#include <string>
#include <vector>

#include "auth/password.h"
#include "auth/tokens.h"
#include "core/london_time.h"
#include "http/app_internal.h"
#include "http/errors.h"

namespace tendon::http {
namespace {

using nlohmann::json;

// Counts of 1 to 7 are suppressed in anything a commissioner sees (DESIGN.md, "Security").
constexpr std::int64_t kSmallestShownCount = 8;

// `planner`: whether this server runs the what-if planner (AppConfig::planner).
json Nav(const std::optional<User>& user, const std::string& path, bool planner) {
  json nav = json::array();
  if (!user) return nav;
  auto add = [&](const char* href, const char* label) {
    nav.push_back({{"href", href}, {"label", label}, {"current", path == href}});
  };
  add("/home", "Home");
  if (user->role == Role::kPatient) {
    add("/portal", "Your referrals");
    add("/portal/audit", "Who has seen your record");
  }
  if (user->role == Role::kReferrer) {
    add("/refer", "Refer a patient");
    add("/worklist", "Your referrals");
  }
  if (user->role == Role::kTriageClinician || user->role == Role::kCoordinator) {
    add("/triage", "Triage queue");
  }
  if (user->role == Role::kCoordinator) add("/waiting-list", "Waiting list");
  if (user->role == Role::kCoordinator) add("/self-referral", "Telephone self-referral");
  if (user->role == Role::kCoordinator) add("/next-available", "Next available");
  if (user->role == Role::kCoordinator) add("/notifications/failed", "Messages not sent");
  if (user->role == Role::kTreatingClinician || user->role == Role::kCoordinator) {
    add("/diary", "Diary");
  }
  if (planner && (user->role == Role::kCommissioner || user->role == Role::kAdministrator)) {
    add("/planner", "What-if planner");
  }
  if (user->role == Role::kAdministrator) {
    add("/admin", "Administration");
    add("/admin/users", "Accounts");
    add("/admin/audit", "Audit log");
  }
  return nav;
}

struct ErrorText {
  int status;
  const char* title;
  std::vector<const char*> paragraphs;
};

const std::vector<ErrorText>& ErrorTexts() {
  static const std::vector<ErrorText> texts{
      {400,
       "Sorry, there is a problem with your request",
       {"Check what you entered and try again."}},
      {403,
       "You do not have permission to see this page",
       {"Your account does not give you access to this page.",
        "If you think you should have access, contact your service administrator."}},
      {404,
       "Page not found",
       {"If you typed the web address, check it is correct.",
        "If you pasted the web address, check you copied the entire address."}},
      {405, "Sorry, there is a problem with your request", {"This page cannot be used that way."}},
      {500, "Sorry, there is a problem with the service", {"Try again later."}},
      {503, "Sorry, the service is unavailable", {"Try again in a few minutes."}},
  };
  return texts;
}

}  // namespace

const std::vector<Option>& RouteOptions() {
  static const std::vector<Option> routes{
      {"self_management", "Self-management advice"},
      {"physioline", "Physioline (telephone advice)"},
      {"tier1_physiotherapy", "Physiotherapy (tier 1)"},
      {"tier2_spinal", "Specialist spinal service (tier 2)"},
      {"tier2_upper_limb", "Specialist upper limb service (tier 2)"},
      {"tier2_lower_limb", "Specialist lower limb service (tier 2)"},
      {"tier2_hand", "Specialist hand service (tier 2)"},
      {"podiatry", "Podiatry"},
      {"orthotics", "Orthotics"},
      {"injection_assessment", "Assessment for an injection"},
      {"pain_management", "Pain management"},
      {"secondary_care", "Hospital specialist (secondary care)"},
      {"emergency_department", "A&E (emergency department)"},
  };
  return routes;
}

std::string RouteLabel(tendon::Route route) {
  for (const Option& o : RouteOptions()) {
    if (ToString(route) == o.value) return o.label;
  }
  return std::string(ToString(route));
}

json DecisionView(const Decision& d) {
  return {{"route", d.route ? RouteLabel(*d.route) : "No recommendation"},
          {"priority", PriorityLabel(d.priority)},
          {"reasons", d.reasons},
          {"advice", d.advice},
          {"stop", d.stop}};
}

const std::vector<Option>& BodySiteOptions() {
  static const std::vector<Option> sites{{"neck", "Neck"},
                                         {"upper_back", "Upper back"},
                                         {"lower_back", "Lower back"},
                                         {"shoulder", "Shoulder"},
                                         {"elbow", "Elbow"},
                                         {"wrist_hand", "Wrist or hand"},
                                         {"hip", "Hip"},
                                         {"knee", "Knee"},
                                         {"ankle_foot", "Ankle or foot"},
                                         {"multiple", "Several areas"}};
  return sites;
}

std::string StateLabel(ReferralState state) {
  std::string label(ToString(state));
  for (char& c : label) c = c == '_' ? ' ' : c;
  label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
  return label;
}

std::string PriorityLabel(Priority priority) {
  switch (priority) {
    case Priority::kEmergency:
      return "Emergency";
    case Priority::kUrgent:
      return "Urgent";
    case Priority::kPostOp:
      return "Post-operative";
    case Priority::kRoutine:
      return "Routine";
  }
  return "Routine";
}

namespace {

std::string ShownCount(std::int64_t count, bool suppress) {
  if (suppress && count > 0 && count < kSmallestShownCount) return "fewer than 8";
  return std::to_string(count);
}

}  // namespace

Response App::Impl::Page(const Context& ctx, int status, std::string_view page, json data) const {
  data["service_name"] = service.name;
  data["signed_in"] = ctx.user.has_value();
  if (ctx.user) {
    data["user"] = {{"display_name", ctx.user->display_name},
                    {"role_label", std::string(RoleLabel(ctx.user->role))}};
  }
  data["nav"] = Nav(ctx.user, ctx.request.path, config.planner != nullptr);
  if (ctx.session && !data.contains("csrf_token")) data["csrf_token"] = ctx.session->csrf_token;
  if (!data.contains("errors")) data["errors"] = json::array();
  auto html = templates->RenderPage(page, data);
  if (!html.ok()) return Response::Make(500, "text/plain; charset=utf-8", "internal error\n");
  return Response::Html(status, std::move(html).value());
}

Response App::Impl::Error(const Context& ctx, int status) const {
  const ErrorText* text = &ErrorTexts()[4];
  for (const ErrorText& t : ErrorTexts()) {
    if (t.status == status) text = &t;
  }
  if (ctx.route.api) return JsonError(status, "Error", text->title);
  json paragraphs = json::array();
  for (const char* p : text->paragraphs) paragraphs.push_back(p);
  return Page(ctx, status, "error",
              {{"page_title", text->title},
               {"error_heading", text->title},
               {"error_paragraphs", paragraphs}});
}

namespace {

json SignInData(const std::string& csrf, const std::string& username, json errors) {
  return {{"page_title", "Sign in"},
          {"csrf_token", csrf},
          {"username", username},
          {"errors", std::move(errors)}};
}

// The sign-in form, with a fresh CSRF token in a cookie and in the form (double submit: there is
// no session yet to hold it).
Response SignInPage(App::Impl& app, const Context& ctx, int status, const std::string& username,
                    json errors) {
  const std::string csrf = auth::RandomToken();
  Response response =
      app.Page(ctx, status, "sign_in", SignInData(csrf, username, std::move(errors)));
  response.headers["Set-Cookie"] = std::string(kFormCsrfCookie) + "=" + csrf +
                                   "; Path=/sign-in; HttpOnly; SameSite=Strict" +
                                   (app.config.secure_cookies ? "; Secure" : "");
  return response;
}

json FieldError(const char* field, const char* message) {
  return json::array({{{"field", field}, {"message", message}}});
}

Response SignIn(App::Impl& app, Context& ctx) {
  const std::string username = ctx.form["username"];
  const std::string& password = ctx.form["password"];
  if (username.empty())
    return SignInPage(app, ctx, 400, "", FieldError("username", "Enter your username"));
  if (password.empty()) {
    return SignInPage(app, ctx, 400, username, FieldError("password", "Enter your password"));
  }
  const Instant now = app.Now();
  const std::string account_key = "account:" + username;
  const std::string address_key = "address:" + ctx.request.remote_address;
  if (!app.account_throttle.Allowed(account_key, now) ||
      !app.address_throttle.Allowed(address_key, now)) {
    return SignInPage(app, ctx, 429, username,
                      FieldError("username", "Too many attempts. Wait 15 minutes, then try again"));
  }
  auto user = app.store.FindUserByUsername(username);
  const std::string& hash = user.ok() ? user->password_hash : auth::DummyPasswordHash();
  const bool verified = auth::VerifyPassword(hash, password);
  if (!user.ok() || !verified || user->disabled) {
    app.account_throttle.RecordFailure(account_key, now);
    app.address_throttle.RecordFailure(address_key, now);
    return SignInPage(app, ctx, 401, username,
                      FieldError("username", "Your username or password is not right"));
  }
  app.account_throttle.Reset(account_key);
  auto cookie = app.sessions.Start(*user);
  if (!cookie.ok()) return app.Error(ctx, 503);
  (void)app.Audit(*user, "", "session.start");
  Response response = Response::Redirect("/home");
  response.headers["Set-Cookie"] = *cookie;
  return response;
}

Response SignOut(App::Impl& app, Context& ctx) {
  auto cookie = app.sessions.End(*ctx.session);
  if (!cookie.ok()) return app.Error(ctx, 503);
  Response response = Response::Redirect("/sign-in");
  response.headers["Set-Cookie"] = *cookie;
  return response;
}

json StateTable(const std::vector<std::pair<ReferralState, std::int64_t>>& counts, bool suppress) {
  json rows = json::array();
  for (const auto& [state, count] : counts) {
    rows.push_back(json::array({StateLabel(state), ShownCount(count, suppress)}));
  }
  return {{"caption", "Referrals by where they are now"},
          {"head", json::array({"Where the referral is", "Referrals"})},
          {"rows", rows}};
}

StatusOr<json> PatientHome(App::Impl& app, const User& user) {
  ASSIGN_OR_RETURN(auto referrals, app.store.ListReferralsForPatient(user.patient_key));
  RETURN_IF_ERROR(app.Audit(user, user.patient_key, "referral.list"));
  json rows = json::array();
  for (const Referral& r : referrals) {
    rows.push_back(json::array({r.id, StateLabel(r.state), FormatDate(LondonDate(r.received_at))}));
  }
  return json{{"home_heading", "Your referrals"},
              {"home_intro", "See where your referral is and what happens next."},
              {"table",
               {{"caption", "Your referrals"},
                {"head", json::array({"Reference", "Where it is now", "Received"})},
                {"rows", rows}}},
              {"open_referral", !referrals.empty()}};
}

StatusOr<json> StaffHome(App::Impl& app, const User& user) {
  ASSIGN_OR_RETURN(auto counts, app.store.CountReferralsByState());
  const bool commissioner = user.role == Role::kCommissioner;
  json data{
      {"home_heading", std::string(RoleLabel(user.role))},
      {"home_intro", commissioner
                         ? "Figures for the whole service. Counts from 1 to 7 are not shown."
                         : "Referrals across the service today."},
      {"table", StateTable(counts, commissioner)},
      {"open_referral", user.role != Role::kCommissioner && user.role != Role::kAdministrator}};
  if (user.role == Role::kAdministrator) {
    data["cards"] = json::array({{{"title", "Sites and clinics"},
                                  {"text", "Sites, rooms, clinicians and clinic templates."},
                                  {"href", "/admin"}},
                                 {{"title", "Accounts"},
                                  {"text", "Who can sign in, and their roles."},
                                  {"href", "/admin/users"}},
                                 {{"title", "Audit log"},
                                  {"text", "Every look at patient data."},
                                  {"href", "/admin/audit"}}});
  }
  return data;
}

Response Home(App::Impl& app, Context& ctx) {
  const User& user = *ctx.user;
  auto data = user.role == Role::kPatient ? PatientHome(app, user) : StaffHome(app, user);
  if (!data.ok()) return app.Error(ctx, 503);
  (*data)["page_title"] = (*data)["home_heading"];
  return app.Page(ctx, 200, "home", std::move(data).value());
}

// Opens the referral named in the form for this session (ownership checked and audited before
// this runs), so that its page never carries the reference in its address.
Response OpenReferral(App::Impl& app, Context& ctx) {
  Session session = *ctx.session;
  session.context_referral_id = ctx.referral->id;
  if (!app.sessions.Save(session).ok()) return app.Error(ctx, 503);
  return Response::Redirect("/referral");
}

Response ViewReferral(App::Impl& app, Context& ctx) {
  const Referral& r = *ctx.referral;
  auto events = app.store.ListEvents(r.id);
  if (!events.ok()) return app.Error(ctx, 503);
  json summary = json::array({
      {{"key", "Reference"}, {"value", r.id}},
      {{"key", "Where it is now"}, {"value", StateLabel(r.state)}},
      {{"key", "Priority"}, {"value", std::string(ToString(r.priority))}},
      {{"key", "Received"}, {"value", FormatLondon(r.received_at)}},
  });
  json timeline = json::array();
  for (const PathwayEvent& e : *events) {
    timeline.push_back({{"when", FormatLondon(e.occurred_at)},
                        {"title", std::string(ToString(e.type))},
                        {"detail", StateLabel(e.state_after)}});
  }
  return app.Page(ctx, 200, "referral",
                  {{"page_title", "Referral"},
                   {"summary", summary},
                   {"events", timeline},
                   {"may_link", ctx.user->role == Role::kCoordinator},
                   {"referral_id", r.id},
                   {"may_book", ctx.user->role == Role::kCoordinator &&
                                    (r.state == ReferralState::kWaitingToBook ||
                                     r.state == ReferralState::kBooked)}});
}

// Enough of a patient key to tell rows apart on the audit page, not enough to look anyone up.
std::string MaskedPatient(const std::string& key) {
  constexpr std::size_t kShown = 4;
  if (key.empty()) return "";
  return "patient …" + key.substr(key.size() > kShown ? key.size() - kShown : 0);
}

Response AuditPage(App::Impl& app, Context& ctx) {
  store::AuditFilter filter;
  filter.actor = ctx.request.query["actor"];
  filter.action = ctx.request.query["action"];
  filter.limit = 200;
  auto entries = app.store.ListAudit(filter);
  if (!entries.ok()) return app.Error(ctx, 503);
  json rows = json::array();
  for (const AuditEntry& e : *entries) {
    rows.push_back({{"at", FormatLondon(e.at)},
                    {"actor", e.actor},
                    {"role", e.role},
                    {"action", e.action},
                    {"reason", e.reason},
                    {"patient", MaskedPatient(e.patient_key)}});
  }
  return app.Page(ctx, 200, "audit",
                  {{"page_title", "Audit log"},
                   {"filter", {{"actor", filter.actor}, {"action", filter.action}}},
                   {"rows", rows}});
}

Response UsersPage(App::Impl& app, Context& ctx) {
  auto users = app.store.ListUsers();
  if (!users.ok()) return app.Error(ctx, 503);
  json rows = json::array();
  for (const User& u : *users) {
    rows.push_back({{"username", u.username},
                    {"display_name", u.display_name},
                    {"role_label", std::string(RoleLabel(u.role))},
                    {"organisation", u.organisation},
                    {"status", u.disabled ? "Disabled" : "Active"}});
  }
  return app.Page(ctx, 200, "users", {{"page_title", "Accounts"}, {"accounts", rows}});
}

const std::initializer_list<Role> kReferralReaders{Role::kPatient, Role::kReferrer,
                                                   Role::kTriageClinician, Role::kTreatingClinician,
                                                   Role::kCoordinator};

}  // namespace

void RegisterPages(App::Impl& app) {
  auto bind = [&app](Response (*fn)(App::Impl&, Context&)) {
    return [&app, fn](Context& ctx) { return fn(app, ctx); };
  };
  Router& r = app.router;
  r.Add({Method::kGet, "/", Access::Public(), false,
         [](Context& ctx) { return Response::Redirect(ctx.user ? "/home" : "/sign-in"); }});
  r.Add({Method::kGet, "/sign-in", Access::Public(), false, [&app](Context& ctx) {
           if (ctx.user) return Response::Redirect("/home");
           return SignInPage(app, ctx, 200, "", json::array());
         }});
  r.Add({Method::kPost, "/sign-in", Access::Public(), false, bind(SignIn)});
  r.Add({Method::kPost, "/sign-out", Access::AllRoles(), false, bind(SignOut)});
  r.Add({Method::kGet, "/home", Access::AllRoles(), false, bind(Home)});
  r.Add({Method::kPost, "/referral/open",
         Access::PatientData(kReferralReaders, Ownership::kReferralInBody, "referral.open"), false,
         bind(OpenReferral)});
  r.Add({Method::kGet, "/referral",
         Access::PatientData(kReferralReaders, Ownership::kReferralInSession, "referral.read"),
         false, bind(ViewReferral)});
  r.Add({Method::kGet, "/admin/audit", Access::Roles({Role::kAdministrator}), false,
         bind(AuditPage)});
  r.Add({Method::kGet, "/admin/users", Access::Roles({Role::kAdministrator}), false,
         bind(UsersPage)});
}

}  // namespace tendon::http
