// The JSON API under /api/v1, and the operational endpoints /healthz and /metrics.
#include <map>
#include <string>

#include "core/london_time.h"
#include "http/app_internal.h"
#include "http/errors.h"
#include "workflow/triage.h"

namespace tendon::http {
namespace {

using nlohmann::json;

constexpr std::chrono::seconds kHealthProbeEvery{1};
constexpr int kMaxAuditRows = 500;

json ReferralJson(const Referral& r) {
  json out{{"referral_id", r.id},
           {"state", std::string(ToString(r.state))},
           {"priority", std::string(ToString(r.priority))},
           {"source", std::string(ToString(r.source))},
           {"received_at", FormatInstant(r.received_at)},
           {"owner", r.owner}};
  if (r.tier) out["tier"] = std::string(ToString(*r.tier));
  if (r.service_line) out["service_line"] = std::string(ToString(*r.service_line));
  if (r.next_action_due) out["next_action_due"] = FormatInstant(*r.next_action_due);
  return out;
}

Response Health(App::Impl& app, Context&) {
  Status status = app.health.Check(app.Now());
  if (!status.ok()) return Response::Json(503, R"({"status":"unavailable"})");
  return Response::Json(200, R"({"status":"ok"})");
}

Response MetricsText(App::Impl& app, Context&) {
  std::pair<std::int64_t, std::int64_t> gauges{0, 0};
  if (app.server_gauges) gauges = app.server_gauges();
  return Response::Make(200, "text/plain; version=0.0.4; charset=utf-8",
                        app.metrics.Render(app.store.Stats(), gauges.first, gauges.second));
}

Response Me(App::Impl&, Context& ctx) {
  const User& u = *ctx.user;
  json body{{"username", u.username},
            {"display_name", u.display_name},
            {"role", std::string(ToString(u.role))},
            {"organisation", u.organisation}};
  return Response::Json(200, body.dump());
}

Response GetReferral(App::Impl& app, Context& ctx) {
  auto events = app.store.ListEvents(ctx.referral->id);
  if (!events.ok()) return JsonError(events.status());
  json body = ReferralJson(*ctx.referral);
  json timeline = json::array();
  for (const PathwayEvent& e : *events) {
    timeline.push_back({{"type", std::string(ToString(e.type))},
                        {"state_after", std::string(ToString(e.state_after))},
                        {"occurred_at", FormatInstant(e.occurred_at)}});
  }
  body["events"] = timeline;
  return Response::Json(200, body.dump());
}

Response AuditLog(App::Impl& app, Context& ctx) {
  store::AuditFilter filter;
  filter.actor = ctx.request.query["actor"];
  filter.action = ctx.request.query["action"];
  filter.limit = kMaxAuditRows;
  auto entries = app.store.ListAudit(filter);
  if (!entries.ok()) return JsonError(entries.status());
  json rows = json::array();
  for (const AuditEntry& e : *entries) {
    rows.push_back({{"id", e.id},
                    {"at", FormatInstant(e.at)},
                    {"actor", e.actor},
                    {"role", e.role},
                    {"patient_key", e.patient_key},
                    {"action", e.action},
                    {"reason", e.reason}});
  }
  return Response::Json(200, json{{"entries", rows}}.dump());
}

// The referrals awaiting triage, in working order. The list names referrals, not people; reading
// it is audited once, as a whole.
Response TriageQueue(App::Impl& app, Context& ctx) {
  auto queue = app.TriageQueue(*ctx.user);
  if (!queue.ok()) return JsonError(queue.status());
  auto claims = app.store.ListClaims();
  if (!claims.ok()) return JsonError(claims.status());
  std::map<std::string, std::string> holders;  // Referral id -> the user holding a live claim.
  for (const TriageClaim& c : *claims) {
    if (workflow::ClaimLive(app.env, c, app.Now())) holders[c.referral_id] = c.user_id;
  }
  json items = json::array();
  for (const TriageItem& item : *queue) {
    json entry = ReferralJson(item.referral);
    entry["overdue"] = item.overdue;
    auto holder = holders.find(item.referral.id);
    entry["claimed"] = holder != holders.end();
    entry["claimed_by_me"] = holder != holders.end() && holder->second == ctx.user->id;
    items.push_back(std::move(entry));
  }
  return Response::Json(200, json{{"items", items}}.dump());
}

// Red flags first, so that their routes (A&E now) win over decision support's.
Response DecisionSupport(App::Impl& app, Context& ctx) {
  const RuleSet* sets[] = {&app.rules.red_flags, &app.rules.decision_support};
  auto decision = Evaluate(sets, ctx.json, app.Now());
  if (!decision.ok()) return JsonError(decision.status());
  json fired = json::array();
  for (const FiredRule& rule : decision->fired) {
    fired.push_back({{"rule_id", rule.rule_id}, {"version", rule.version}});
  }
  json body{{"priority", std::string(ToString(decision->priority))},
            {"route", decision->route ? json(std::string(ToString(*decision->route))) : json()},
            {"stop", decision->stop},
            {"advice", decision->advice},
            {"reasons", decision->reasons},
            {"triage_skills", decision->triage_skills},
            {"rules", fired}};
  return Response::Json(200, body.dump());
}

}  // namespace

Status HealthProbe::Check(Instant now) {
  std::lock_guard lock(mu_);
  if (checked_at_ != Instant{} && now - checked_at_ < kHealthProbeEvery) return last_;
  last_ = store_.Write([](store::WriteTxn&) { return OkStatus(); });
  checked_at_ = now;
  return last_;
}

void RegisterApi(App::Impl& app) {
  auto bind = [&app](Response (*fn)(App::Impl&, Context&)) {
    return [&app, fn](Context& ctx) { return fn(app, ctx); };
  };
  Router& r = app.router;
  r.Add({Method::kGet, "/healthz", Access::Public(), true, bind(Health)});
  // Aggregate counters only, no patient data: open to the scraper on the service's network.
  r.Add({Method::kGet, "/metrics", Access::Public(), true, bind(MetricsText)});
  r.Add({Method::kGet, "/api/v1/me", Access::AllRoles(), true, bind(Me)});
  r.Add({Method::kPost, "/api/v1/referrals/get",
         Access::PatientData({Role::kPatient, Role::kReferrer, Role::kTriageClinician,
                              Role::kTreatingClinician, Role::kCoordinator},
                             Ownership::kReferralInBody, "referral.read"),
         true, bind(GetReferral)});
  r.Add(
      {Method::kGet, "/api/v1/audit", Access::Roles({Role::kAdministrator}), true, bind(AuditLog)});
  r.Add({Method::kGet, "/api/v1/triage/queue",
         Access::Roles({Role::kTriageClinician, Role::kCoordinator}), true, bind(TriageQueue)});
  r.Add({Method::kPost, "/api/v1/decision-support",
         Access::Roles({Role::kPatient, Role::kReferrer, Role::kTriageClinician,
                        Role::kTreatingClinician, Role::kCoordinator}),
         true, bind(DecisionSupport)});
}

}  // namespace tendon::http
