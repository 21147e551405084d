// Booking over the JSON API: book a referral into a slot, and cancel (the booking issue). The
// referral is named in the body, never the URL, and checked and audited before the handler runs.
#include "workflow/booking.h"

#include "http/app_internal.h"
#include "http/errors.h"

namespace tendon::http {
namespace {

using nlohmann::json;

// A text member of the body; "" when absent. InvalidArgument naming it when it is not text.
StatusOr<std::string> Text(const json& body, const char* name) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::string();
  if (!it->is_string()) return InvalidArgumentError("must be text", name);
  return it->get<std::string>();
}

json AppointmentJson(const Appointment& a) {
  return {{"appointment_id", a.id},
          {"slot_id", a.slot_id},
          {"status", std::string(ToString(a.status))},
          {"booked_at", FormatInstant(a.booked_at)}};
}

Response BookApi(App::Impl& app, Context& ctx) {
  auto slot = Text(ctx.json, "slot_id");
  auto key = Text(ctx.json, "idempotency_key");
  if (!slot.ok()) return JsonError(slot.status());
  if (!key.ok()) return JsonError(key.status());
  if (slot->empty()) return JsonError(InvalidArgumentError("is required", "slot_id"));
  if (key->empty()) *key = std::string(ctx.request.Header("Idempotency-Key"));
  auto booked =
      workflow::Book(app.env, ActorOf(*ctx.user), {ctx.referral->id, *slot, *key}, app.Now());
  if (!booked.ok()) return JsonError(booked.status());
  return Response::Json(201, AppointmentJson(*booked).dump());
}

Response CancelApi(App::Impl& app, Context& ctx) {
  auto id = Text(ctx.json, "appointment_id");
  auto by = Text(ctx.json, "by");
  auto reason = Text(ctx.json, "reason");
  for (const auto* field : {&id, &by, &reason}) {
    if (!field->ok()) return JsonError(field->status());
  }
  // The appointment must be the checked referral's: another referral's looks like none at all.
  auto appointment = app.store.GetAppointment(*id);
  if (!appointment.ok() || appointment->referral_id != ctx.referral->id) {
    return JsonError(404, "NotFound", "no appointment found");
  }
  auto cancelled =
      workflow::Cancel(app.env, ActorOf(*ctx.user), *id, *by, std::move(*reason), app.Now());
  if (!cancelled.ok()) return JsonError(cancelled.status());
  return Response::Json(200, AppointmentJson(*cancelled).dump());
}

}  // namespace

void RegisterBooking(App::Impl& app) {
  auto bind = [&app](Response (*fn)(App::Impl&, Context&)) {
    return [&app, fn](Context& ctx) { return fn(app, ctx); };
  };
  Router& r = app.router;
  r.Add({Method::kPost, "/api/v1/appointments/book",
         Access::PatientData({Role::kCoordinator}, Ownership::kReferralInBody,
                             "appointment.book.request"),
         true, bind(BookApi)});
  r.Add({Method::kPost, "/api/v1/appointments/cancel",
         Access::PatientData({Role::kCoordinator}, Ownership::kReferralInBody,
                             "appointment.cancel.request"),
         true, bind(CancelApi)});
}

}  // namespace tendon::http
