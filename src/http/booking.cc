// Booking over the JSON API (the booking issue): book a referral into a slot, cancel, reschedule,
// record attendance or a did-not-attend, rebook to the best alternative, and cancel a clinician's
// clinics. The referral is named in the body, never the URL, and checked and audited before the
// handler runs.
#include "workflow/booking.h"

#include "core/time.h"
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
  json out{{"appointment_id", a.id},
           {"slot_id", a.slot_id},
           {"status", std::string(ToString(a.status))},
           {"booked_at", FormatInstant(a.booked_at)}};
  if (a.offer_expires_at) out["offer_expires_at"] = FormatInstant(*a.offer_expires_at);
  return out;
}

using BookFn = StatusOr<Appointment> (*)(const workflow::Env&, const workflow::Actor&,
                                         const workflow::BookingRequest&, Instant);

// Book or Offer: the slot and the request's key from the body (or the Idempotency-Key header).
Response BookingApi(App::Impl& app, Context& ctx, BookFn book) {
  auto slot = Text(ctx.json, "slot_id");
  auto key = Text(ctx.json, "idempotency_key");
  if (!slot.ok()) return JsonError(slot.status());
  if (!key.ok()) return JsonError(key.status());
  if (slot->empty()) return JsonError(InvalidArgumentError("is required", "slot_id"));
  if (key->empty()) *key = std::string(ctx.request.Header("Idempotency-Key"));
  auto booked = book(app.env, ActorOf(*ctx.user), {ctx.referral->id, *slot, *key}, app.Now());
  if (!booked.ok()) return JsonError(booked.status());
  return Response::Json(201, AppointmentJson(*booked).dump());
}

Response BookApi(App::Impl& app, Context& ctx) { return BookingApi(app, ctx, workflow::Book); }
Response OfferApi(App::Impl& app, Context& ctx) { return BookingApi(app, ctx, workflow::Offer); }

// The body's appointment_id, when it names an appointment of the checked referral: another
// referral's looks like none at all.
StatusOr<std::string> OwnAppointment(App::Impl& app, Context& ctx) {
  ASSIGN_OR_RETURN(std::string id, Text(ctx.json, "appointment_id"));
  if (id.empty()) return InvalidArgumentError("is required", "appointment_id");
  auto appointment = app.store.GetAppointment(id);
  if (!appointment.ok() || appointment->referral_id != ctx.referral->id) {
    return NotFoundError("no appointment found", "appointment_id");
  }
  return id;
}

Response CancelApi(App::Impl& app, Context& ctx) {
  auto id = OwnAppointment(app, ctx);
  auto by = Text(ctx.json, "by");
  auto reason = Text(ctx.json, "reason");
  for (const auto* field : {&by, &reason}) {
    if (!field->ok()) return JsonError(field->status());
  }
  if (!id.ok()) return JsonError(id.status());
  auto cancelled =
      workflow::Cancel(app.env, ActorOf(*ctx.user), *id, *by, std::move(*reason), app.Now());
  if (!cancelled.ok()) return JsonError(cancelled.status());
  return Response::Json(200, AppointmentJson(*cancelled).dump());
}

Response AcceptApi(App::Impl& app, Context& ctx) {
  auto id = OwnAppointment(app, ctx);
  if (!id.ok()) return JsonError(id.status());
  auto accepted = workflow::AcceptOffer(app.env, ActorOf(*ctx.user), *id, app.Now());
  if (!accepted.ok()) return JsonError(accepted.status());
  return Response::Json(200, AppointmentJson(*accepted).dump());
}

Response RescheduleApi(App::Impl& app, Context& ctx) {
  auto id = OwnAppointment(app, ctx);
  auto slot = Text(ctx.json, "slot_id");
  auto by = Text(ctx.json, "by");
  auto reason = Text(ctx.json, "reason");
  for (const auto* field : {&slot, &by, &reason}) {
    if (!field->ok()) return JsonError(field->status());
  }
  if (slot->empty()) return JsonError(InvalidArgumentError("is required", "slot_id"));
  if (!id.ok()) return JsonError(id.status());
  auto moved = workflow::Reschedule(app.env, ActorOf(*ctx.user), *id, *slot, *by,
                                    std::move(*reason), app.Now());
  if (!moved.ok()) return JsonError(moved.status());
  return Response::Json(201, AppointmentJson(*moved).dump());
}

// Attendance: `mark` is MarkAttended or MarkDna.
Response Attendance(App::Impl& app, Context& ctx,
                    StatusOr<Appointment> (*mark)(const workflow::Env&, const workflow::Actor&,
                                                  std::string_view, Instant)) {
  auto id = OwnAppointment(app, ctx);
  if (!id.ok()) return JsonError(id.status());
  auto marked = mark(app.env, ActorOf(*ctx.user), *id, app.Now());
  if (!marked.ok()) return JsonError(marked.status());
  json answer = AppointmentJson(*marked);
  auto referral = app.store.GetReferral(ctx.referral->id);
  if (referral.ok()) answer["referral_state"] = std::string(ToString(referral->state));
  return Response::Json(200, answer.dump());
}

Response AttendedApi(App::Impl& app, Context& ctx) {
  return Attendance(app, ctx, workflow::MarkAttended);
}

Response DnaApi(App::Impl& app, Context& ctx) { return Attendance(app, ctx, workflow::MarkDna); }

Response RebookBestApi(App::Impl& app, Context& ctx) {
  auto booked =
      workflow::RebookToBestAlternative(app.env, ActorOf(*ctx.user), ctx.referral->id, app.Now());
  if (!booked.ok()) return JsonError(booked.status());
  return Response::Json(201, AppointmentJson(*booked).dump());
}

// An ISO instant member of the body; required.
StatusOr<Instant> InstantField(const json& body, const char* name) {
  ASSIGN_OR_RETURN(std::string text, Text(body, name));
  if (text.empty()) return InvalidArgumentError("is required", name);
  return ParseInstant(text, name);
}

// Answers with counts and appointment ids only: no patient's data leaves through this route.
Response UnavailableApi(App::Impl& app, Context& ctx) {
  auto clinician = Text(ctx.json, "clinician_id");
  auto reason = Text(ctx.json, "reason");
  for (const auto* field : {&clinician, &reason}) {
    if (!field->ok()) return JsonError(field->status());
  }
  auto from = InstantField(ctx.json, "from");
  if (!from.ok()) return JsonError(from.status());
  auto to = InstantField(ctx.json, "to");
  if (!to.ok()) return JsonError(to.status());
  auto result = workflow::ClinicianUnavailable(app.env, ActorOf(*ctx.user), *clinician, *from, *to,
                                               std::move(*reason), app.Now());
  if (!result.ok()) return JsonError(result.status());
  json ids = json::array();
  for (const Appointment& a : result->appointments) ids.push_back(a.id);
  return Response::Json(200, json{{"slots_cancelled", result->slot_ids.size()},
                                  {"appointments_cancelled", result->appointments.size()},
                                  {"appointment_ids", ids}}
                                 .dump());
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
  r.Add({Method::kPost, "/api/v1/appointments/offer",
         Access::PatientData({Role::kCoordinator}, Ownership::kReferralInBody,
                             "appointment.offer.request"),
         true, bind(OfferApi)});
  r.Add({Method::kPost, "/api/v1/appointments/accept",
         Access::PatientData({Role::kCoordinator}, Ownership::kReferralInBody,
                             "appointment.accept.request"),
         true, bind(AcceptApi)});
  r.Add({Method::kPost, "/api/v1/appointments/cancel",
         Access::PatientData({Role::kCoordinator}, Ownership::kReferralInBody,
                             "appointment.cancel.request"),
         true, bind(CancelApi)});
  r.Add({Method::kPost, "/api/v1/appointments/reschedule",
         Access::PatientData({Role::kCoordinator}, Ownership::kReferralInBody,
                             "appointment.reschedule.request"),
         true, bind(RescheduleApi)});
  r.Add({Method::kPost, "/api/v1/appointments/attended",
         Access::PatientData({Role::kCoordinator, Role::kTreatingClinician},
                             Ownership::kReferralInBody, "appointment.attended.request"),
         true, bind(AttendedApi)});
  r.Add({Method::kPost, "/api/v1/appointments/dna",
         Access::PatientData({Role::kCoordinator, Role::kTreatingClinician},
                             Ownership::kReferralInBody, "appointment.dna.request"),
         true, bind(DnaApi)});
  r.Add({Method::kPost, "/api/v1/appointments/rebook-best",
         Access::PatientData({Role::kCoordinator}, Ownership::kReferralInBody,
                             "appointment.rebook.request"),
         true, bind(RebookBestApi)});
  r.Add({Method::kPost, "/api/v1/clinicians/unavailable", Access::Roles({Role::kCoordinator}), true,
         bind(UnavailableApi)});
}

}  // namespace tendon::http
