#include "http/app.h"

#include <cctype>
#include <chrono>

#include "auth/tokens.h"
#include "http/app_internal.h"
#include "http/errors.h"

namespace tendon::http {
namespace {

constexpr int kAccountFailures = 5;
constexpr int kAddressFailures = 20;
constexpr std::chrono::minutes kThrottleWindow{15};
constexpr int kMaxQueueItems = 20'000;

bool ChangesState(Method method) {
  return method != Method::kGet && method != Method::kHead && method != Method::kOptions;
}

}  // namespace

std::string FormValue(const Form& form, const std::string& name) {
  const auto it = form.find(name);
  return it == form.end() ? "" : it->second;
}

std::string Sentence(std::string message) {
  if (!message.empty()) {
    message[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(message[0])));
  }
  return message;
}

std::string Spaced(std::string_view name) {
  std::string text(name);
  for (char& c : text) c = c == '_' ? ' ' : c;
  return text;
}

std::string Words(std::string_view name) { return Sentence(Spaced(name)); }

nlohmann::json OneError(const std::string& field, const std::string& message) {
  return nlohmann::json::array({{{"field", field}, {"message", message}}});
}

bool MaySee(const User& user, const Referral& referral) {
  switch (user.role) {
    case Role::kPatient:
      return !user.patient_key.empty() && referral.patient_key == user.patient_key;
    case Role::kReferrer:
      return !user.organisation.empty() && referral.referrer_organisation == user.organisation;
    case Role::kTriageClinician:
    case Role::kTreatingClinician:
    case Role::kCoordinator:
      return true;
    case Role::kCommissioner:
    case Role::kAdministrator:
      return false;
  }
  return false;
}

App::Impl::Impl(store::Store& s, AppConfig c, std::unique_ptr<Templates> t, config::Rules r,
                config::ServiceConfig service_config, WorkingCalendar working_calendar)
    : store(s),
      config(std::move(c)),
      templates(std::move(t)),
      rules(std::move(r)),
      service(std::move(service_config)),
      calendar(std::move(working_calendar)),
      env{store, rules, calendar, service.timing},
      static_files(config.web_dir / "static", "/static/"),
      assets(config.assets_dir, "/assets/nhsuk/"),
      sessions(s, SessionPolicy{.secure_cookies = config.secure_cookies}, config.clock),
      account_throttle(kAccountFailures, kThrottleWindow),
      address_throttle(kAddressFailures, kThrottleWindow),
      health(s) {}

namespace {

store::WriteFn AppendAudit(AuditEntry entry) {
  return
      [entry = std::move(entry)](store::WriteTxn& txn) { return txn.AppendAudit(entry).status(); };
}

AuditEntry Entry(Instant now, const User& user, std::string_view patient_key,
                 std::string_view action, std::string_view reason = {}) {
  return AuditEntry{0,
                    now,
                    user.id,
                    std::string(ToString(user.role)),
                    std::string(patient_key),
                    std::string(action),
                    std::string(reason)};
}

}  // namespace

Status App::Impl::Audit(const User& user, std::string_view patient_key, std::string_view action,
                        std::string_view reason) {
  return store.Write(AppendAudit(Entry(Now(), user, patient_key, action, reason)));
}

std::future<Status> App::Impl::QueueAudit(const User& user, std::string_view patient_key,
                                          std::string_view action) {
  return store.WriteAsync(AppendAudit(Entry(Now(), user, patient_key, action)));
}

StatusOr<std::vector<TriageItem>> App::Impl::TriageQueue(const User& user) {
  ASSIGN_OR_RETURN(auto awaiting,
                   store.ListReferralsInState(ReferralState::kAwaitingTriage, kMaxQueueItems));
  RETURN_IF_ERROR(Audit(user, "", "triage.queue.read"));
  return OrderTriageQueue(std::move(awaiting), Now());
}

Response App::Impl::Handle(Request& request) {
  if (static_files.Handles(request)) return static_files.Serve(request);
  if (assets.Handles(request)) return assets.Serve(request);
  bool path_exists = false;
  const Route* route = router.Match(request.method, request.path, &path_exists);
  if (route == nullptr) {
    const Route none{Method::kGet, "-", Access{}, request.path.rfind("/api/", 0) == 0, {}};
    Context ctx{request, none, {}, {}, {}, {}, {}};
    if (auto signed_in = sessions.Find(request); signed_in.ok() && *signed_in) {
      ctx.user = (*signed_in)->user;  // So that the error page keeps the user's navigation.
    }
    return Error(ctx, path_exists ? 405 : 404);
  }
  return Dispatch(request, *route);
}

Status App::Impl::ParseBody(Context& ctx) const {
  if (!ChangesState(ctx.request.method)) return OkStatus();
  if (!ctx.route.api) {
    ctx.form = ParseForm(ctx.request.body);
    return OkStatus();
  }
  if (ctx.request.body.empty()) {
    ctx.json = nlohmann::json::object();
    return OkStatus();
  }
  ctx.json = nlohmann::json::parse(ctx.request.body, nullptr, /*allow_exceptions=*/false);
  if (ctx.json.is_discarded() || !ctx.json.is_object()) {
    return InvalidArgumentError("the body must be a JSON object", "body");
  }
  return OkStatus();
}

bool App::Impl::CsrfValid(const Context& ctx) const {
  if (!ChangesState(ctx.request.method)) return true;
  std::string sent(ctx.request.Header("X-CSRF-Token"));
  if (sent.empty()) {
    auto it = ctx.form.find("csrf_token");
    if (it != ctx.form.end()) sent = it->second;
  }
  if (sent.empty()) return false;
  if (ctx.session) return auth::ConstantTimeEquals(sent, ctx.session->csrf_token);
  auto cookie = ctx.request.Cookie(kFormCsrfCookie);
  return cookie && auth::ConstantTimeEquals(sent, *cookie);
}

std::optional<Response> App::Impl::CheckOwnership(Context& ctx, std::future<Status>& audited) {
  const Ownership ownership = ctx.route.access.ownership;
  if (ownership == Ownership::kNone) return std::nullopt;
  std::string id;
  if (ownership == Ownership::kReferralInSession) {
    id = ctx.session->context_referral_id;
  } else if (ctx.route.api) {
    if (ctx.json.contains("referral_id") && ctx.json["referral_id"].is_string()) {
      id = ctx.json["referral_id"].get<std::string>();
    }
  } else if (auto it = ctx.form.find("referral_id"); it != ctx.form.end()) {
    id = it->second;
  }
  if (id.empty()) {
    if (ctx.route.api) return JsonError(InvalidArgumentError("is required", "referral_id"));
    return Error(ctx, 404);
  }
  auto referral = store.GetReferral(id);
  const bool allowed = referral.ok() && MaySee(*ctx.user, *referral);
  if (referral.ok()) {
    const std::string action = ctx.route.access.audit_action + (allowed ? "" : ".denied");
    audited = QueueAudit(*ctx.user, referral->patient_key, action);
  }
  // Not found and not theirs look the same, so that references cannot be probed.
  if (!allowed)
    return ctx.route.api ? JsonError(404, "NotFound", "no referral found") : Error(ctx, 404);
  ctx.referral = std::move(referral).value();
  return std::nullopt;
}

Response App::Impl::Dispatch(Request& request, const Route& route) {
  Context ctx{request, route, {}, {}, {}, {}, {}};
  auto signed_in = sessions.Find(request);
  if (!signed_in.ok()) return route.api ? JsonError(signed_in.status()) : Error(ctx, 503);
  if (*signed_in) {
    ctx.user = (*signed_in)->user;
    ctx.session = (*signed_in)->session;
  }
  if (!route.access.is_public) {
    if (!ctx.user) {
      if (route.api) return JsonError(401, "Unauthenticated", "sign in first");
      return Response::Redirect("/sign-in");
    }
    if (!route.access.Allows(ctx.user->role)) return Error(ctx, 403);
  }
  Status body = ParseBody(ctx);
  if (!body.ok()) return route.api ? JsonError(body) : Error(ctx, 400);
  if (!CsrfValid(ctx)) {
    return route.api ? JsonError(403, "Forbidden", "the CSRF token is missing or wrong")
                     : Error(ctx, 403);
  }
  // The access's audit row commits while the handler works (often in the same group as the
  // handler's own write); nothing is answered until it is durable.
  std::future<Status> audited;
  std::optional<Response> response = CheckOwnership(ctx, audited);
  if (!response) {
    if (observer) observer(route);
    response = route.handler(ctx);
  }
  if (audited.valid()) {
    Status status = audited.get();
    if (!status.ok()) return route.api ? JsonError(status) : Error(ctx, 503);
  }
  return *std::move(response);
}

App::App(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
App::~App() = default;

StatusOr<std::unique_ptr<App>> App::Create(store::Store& store, AppConfig config) {
  ASSIGN_OR_RETURN(config::Rules rules, config::LoadRules(config.data_dir / "rules"));
  ASSIGN_OR_RETURN(config::ServiceConfig service,
                   config::LoadService(config.data_dir / config::kServiceSubdir));
  ASSIGN_OR_RETURN(WorkingCalendar calendar,
                   config::LoadWorkingCalendar(config.data_dir / config::kBankHolidaysFile));
  return Create(store, std::move(config), std::move(rules), std::move(service),
                std::move(calendar));
}

StatusOr<std::unique_ptr<App>> App::Create(store::Store& store, AppConfig config,
                                           config::Rules rules, config::ServiceConfig service,
                                           WorkingCalendar calendar) {
  if (!config.clock) config.clock = tendon::Now;
  ASSIGN_OR_RETURN(auto templates, Templates::Load(config.web_dir / "templates"));
  auto impl = std::make_unique<Impl>(store, std::move(config), std::move(templates),
                                     std::move(rules), std::move(service), std::move(calendar));
  RegisterPages(*impl);
  RegisterApi(*impl);
  RegisterReferrer(*impl);
  RegisterSelfReferral(*impl);
  RegisterTriage(*impl);
  RegisterBooking(*impl);
  RegisterBookingScreen(*impl);
  RegisterSlots(*impl);
  RegisterDiary(*impl);
  RegisterAdmin(*impl);
  RegisterAdminApi(*impl);
  RegisterWaitingList(*impl);
  RETURN_IF_ERROR(RegisterPortal(*impl));
  RegisterPortalOutcomes(*impl);
  RegisterNotifications(*impl);
  RegisterPlanner(*impl);
  return std::unique_ptr<App>(new App(std::move(impl)));
}

Response App::Handle(Request& request) { return impl_->Handle(request); }

std::string App::RouteOf(const Request& request) const {
  if (impl_->static_files.Handles(request) || impl_->assets.Handles(request)) return "static";
  bool path_exists = false;
  const Route* route = impl_->router.Match(request.method, request.path, &path_exists);
  return route ? route->pattern : "-";
}

bool App::RunsInline(const Request& request) const {
  if (impl_->static_files.Handles(request) || impl_->assets.Handles(request)) return true;
  return request.method == Method::kGet && request.path == "/healthz";
}

void App::Decorate(Response& response) const {
  auto& h = response.headers;
  h["Content-Security-Policy"] =
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
      "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
      "base-uri 'none'; object-src 'none'";
  h["X-Content-Type-Options"] = "nosniff";
  h["Referrer-Policy"] = "no-referrer";
  h["X-Frame-Options"] = "DENY";
  h["Cross-Origin-Opener-Policy"] = "same-origin";
  h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
  if (h.find("Cache-Control") == h.end()) h["Cache-Control"] = "no-store";
  if (impl_->config.secure_cookies) {
    h["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  }
}

void App::RecordAccess(const AccessRecord& record) { impl_->metrics.Record(record); }

StatusOr<std::size_t> App::WarmUp() { return impl_->portal->Warm(impl_->store, impl_->Now()); }

void App::RecordSweep(const Status& outcome) {
  impl_->metrics.RecordSweep(outcome.ok(), impl_->Now());
}

void App::SetServerGauges(std::function<std::pair<std::int64_t, std::int64_t>()> gauges) {
  impl_->server_gauges = std::move(gauges);
}

const Router& App::router() const { return impl_->router; }

void App::SetHandlerObserver(std::function<void(const Route&)> observer) {
  impl_->observer = std::move(observer);
}

}  // namespace tendon::http
