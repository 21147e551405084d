// The messages that could not be sent (the patient issue, notifications; hazards H055 and H056):
// every outbox message that failed for good, oldest first, with where it was to go and why it
// failed, so that a coordinator can reach the patient another way. It shows patients' contact
// details, so each patient shown is audited. Coordinators and administrators only.
#include <set>
#include <string>
#include <vector>

#include "core/london_time.h"
#include "http/app_internal.h"

namespace tendon::http {
namespace {

using nlohmann::json;

// The most failed messages one page shows.
constexpr int kMaxShown = 500;

// What a kind of message tells, in words ("appointment.cancelled_by_service": "Appointment
// cancelled by service").
std::string KindLabel(const std::string& kind) {
  std::string words = kind;
  for (char& c : words) c = c == '.' || c == '_' ? ' ' : c;
  return Sentence(words);
}

Response Failed(App::Impl& app, Context& ctx) {
  store::OutboxQuery query;
  query.status = NotificationStatus::kFailed;
  query.limit = kMaxShown;
  auto failed = app.store.ListNotifications(query);
  if (!failed.ok()) return app.Error(ctx, 503);
  json rows = json::array();
  std::set<std::string> shown;
  for (const Notification& n : *failed) {
    auto patient = app.store.GetPatient(n.patient_key);
    if (!patient.ok()) return app.Error(ctx, 503);
    rows.push_back(
        {{"queued", FormatLondon(n.created_at)},
         {"kind", KindLabel(n.kind)},
         {"patient", patient->given_name + " " + patient->family_name},
         {"nhs_number", patient->nhs_number},
         {"phone", patient->phone},
         {"channel", n.channel ? (*n.channel == Channel::kSms ? "Text message" : "Email") : "None"},
         {"recipient", n.recipient},
         {"attempts", n.attempts},
         {"error", n.last_error}});
    shown.insert(n.patient_key);
  }
  const Instant now = app.Now();
  const User& user = *ctx.user;
  Status audited = app.store.Write([&](store::WriteTxn& txn) -> Status {
    for (const std::string& key : shown) {
      const AuditEntry entry{
          0, now, user.id, std::string(ToString(user.role)), key, "notifications.failed.read", ""};
      RETURN_IF_ERROR(txn.AppendAudit(entry).status());
    }
    return OkStatus();
  });
  if (!audited.ok()) return app.Error(ctx, 503);
  json data{{"page_title", "Messages that could not be sent"},
            {"rows", rows},
            {"has_rows", !rows.empty()},
            {"count", rows.size()}};
  return app.Page(ctx, 200, "notifications_failed", std::move(data));
}

}  // namespace

void RegisterNotifications(App::Impl& app) {
  // Many patients at once, so no single referral's ownership check: the handler audits each one.
  app.router.Add({Method::kGet, "/notifications/failed",
                  Access::Roles({Role::kCoordinator, Role::kAdministrator}), false,
                  [&app](Context& ctx) { return Failed(app, ctx); }});
}

}  // namespace tendon::http
