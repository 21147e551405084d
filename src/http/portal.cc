// The patient portal (the patient issue): signing in with a referral reference, date of birth and
// a one-time code (/portal/sign-in, /portal/code), the patient's referrals (/portal), a referral's
// timeline, where it is and what happens next, the expected wait and advice (/portal/referral),
// its appointments with accept, cancel, move and book (/portal/appointments), and who has looked
// at the record (/portal/audit). Every route but the sign-in pages is for patients only; a
// referral travels in the session or a form's body, never an address, and is checked and audited
// before a handler runs, so another patient's referral or appointment is a 404 like no record at
// all. Appointment changes go through workflow/booking.h, as the coordinator's do.
#include "config/portal.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <string>

#include "auth/tokens.h"
#include "core/london_time.h"
#include "http/app_internal.h"
#include "http/errors.h"
#include "http/schedule_views.h"
#include "workflow/booking.h"
#include "workflow/portal.h"
#include "workflow/slot_search.h"

namespace tendon::http {
namespace {

using nlohmann::json;

// The cookie that holds a sign-in's challenge between /portal/sign-in and /portal/code.
constexpr std::string_view kChallengeCookie = "tendon_portal_challenge";
constexpr std::string_view kCookiePath = "/portal";
constexpr std::chrono::minutes kChallengeLifetime{10};
constexpr int kAccessRowsShown = 200;
constexpr std::size_t kSlotsOffered = 10;
constexpr int kDaysPerWeek = 7;
// Waits shorter than this are given in days, longer ones in weeks.
constexpr int kWaitInDaysBelow = 14;
// Why a patient moved their appointment, for the booking workflow's record.
constexpr char kMoveReason[] = "moved online by the patient to another time";

const std::map<std::string, std::string, std::less<>>& DoneBanners() {
  static const std::map<std::string, std::string, std::less<>> banners{
      {"accepted", "You accepted the appointment"},
      {"cancelled", "Your appointment is cancelled"},
      {"moved", "Your appointment has moved"},
      {"booked", "Your appointment is booked"}};
  return banners;
}

std::string Cookie(const App::Impl& app, std::string_view name, const std::string& value,
                   std::chrono::seconds max_age) {
  return std::string(name) + "=" + value + "; Path=" + std::string(kCookiePath) +
         "; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age.count()) +
         (app.config.secure_cookies ? "; Secure" : "");
}

// The token a public form carries: the session's once signed in, else the form cookie's (set
// with the form, double submit), else a new one that `response_cookie` is set to carry.
std::string FormCsrf(const App::Impl& app, const Context& ctx, std::string& response_cookie) {
  if (ctx.session) return ctx.session->csrf_token;
  if (auto cookie = ctx.request.Cookie(kFormCsrfCookie); cookie && !cookie->empty()) {
    return *cookie;
  }
  const std::string csrf = auth::RandomToken();
  response_cookie = Cookie(app, kFormCsrfCookie, csrf, std::chrono::hours(1));
  return csrf;
}

Response PublicPage(App::Impl& app, const Context& ctx, int status, std::string_view page,
                    json data) {
  std::string cookie;
  data["csrf_token"] = FormCsrf(app, ctx, cookie);
  Response response = app.Page(ctx, status, page, std::move(data));
  if (!cookie.empty()) response.headers["Set-Cookie"] = cookie;
  return response;
}

// --- Signing in --------------------------------------------------------------------------------

json SignInData(const Form& form, json errors) {
  return {{"page_title", "See your referral online"},
          {"reference", FormValue(form, "reference")},
          {"day", FormValue(form, "date_of_birth-day")},
          {"month", FormValue(form, "date_of_birth-month")},
          {"year", FormValue(form, "date_of_birth-year")},
          {"errors", std::move(errors)}};
}

Response SignInPage(App::Impl& app, const Context& ctx, int status, const Form& form, json errors) {
  return PublicPage(app, ctx, status, "portal_sign_in", SignInData(form, std::move(errors)));
}

// "31", "3", "1980" -> "1980-03-31"; "" when any part is not a number.
std::string DateOfBirth(const Form& form) {
  std::string parts[3] = {FormValue(form, "date_of_birth-year"),
                          FormValue(form, "date_of_birth-month"),
                          FormValue(form, "date_of_birth-day")};
  for (std::string& part : parts) {
    part.erase(std::remove(part.begin(), part.end(), ' '), part.end());
    const bool digits =
        !part.empty() && part.size() <= 4 && std::all_of(part.begin(), part.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c));
        });
    if (!digits) return "";
  }
  auto two = [](const std::string& s) { return s.size() == 1 ? "0" + s : s; };
  return parts[0] + "-" + two(parts[1]) + "-" + two(parts[2]);
}

// The HTTP status and message of a refused sign-in step; 0 for a failure of the service.
int RefusedStatus(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kAborted:
      return 429;
    case StatusCode::kFailedPrecondition:
      return 422;
    default:
      return 0;
  }
}

Response BeginSignIn(App::Impl& app, Context& ctx) {
  workflow::SignInFields fields{{"reference", FormValue(ctx.form, "reference")},
                                {"date_of_birth", DateOfBirth(ctx.form)}};
  auto step = app.patient_sign_in->Begin(fields, ctx.request.remote_address, app.Now());
  if (!step.ok()) {
    const int status = RefusedStatus(step.status());
    if (status == 0) return app.Error(ctx, HttpStatusFor(step.status().code()));
    const std::string field =
        step.status().field() == "attempts" ? "reference" : std::string(step.status().field());
    return SignInPage(app, ctx, status, ctx.form,
                      OneError(field, Sentence(step.status().message())));
  }
  Response response = Response::Redirect(step->redirect.empty() ? "/portal/code" : step->redirect);
  response.headers["Set-Cookie"] =
      Cookie(app, kChallengeCookie, step->challenge,
             std::chrono::duration_cast<std::chrono::seconds>(kChallengeLifetime));
  return response;
}

Response CodePage(App::Impl& app, const Context& ctx, int status, json errors) {
  return PublicPage(app, ctx, status, "portal_code",
                    {{"page_title", "Enter the code we sent you"},
                     {"minutes", kChallengeLifetime.count()},
                     {"errors", std::move(errors)}});
}

Response CompleteSignIn(App::Impl& app, Context& ctx) {
  const std::string challenge = ctx.request.Cookie(kChallengeCookie).value_or("");
  auto identity = app.patient_sign_in->Complete(challenge, {{"code", FormValue(ctx.form, "code")}},
                                                ctx.request.remote_address, app.Now());
  if (!identity.ok()) {
    const int status = RefusedStatus(identity.status());
    if (status == 0) return app.Error(ctx, HttpStatusFor(identity.status().code()));
    const json errors = OneError("code", Sentence(identity.status().message()));
    // A code that can no longer work: back to the first page for a new one.
    if (identity.status().code() == StatusCode::kFailedPrecondition) {
      return SignInPage(app, ctx, status, {},
                        OneError("reference", Sentence(identity.status().message())));
    }
    return CodePage(app, ctx, status, errors);
  }
  auto user = workflow::PortalUser(app.store, *identity, app.Now());
  if (!user.ok()) return app.Error(ctx, HttpStatusFor(user.status().code()));
  auto cookie = app.sessions.Start(*user, identity->referral_id);
  if (!cookie.ok()) return app.Error(ctx, 503);
  Response response = Response::Redirect("/portal/referral");
  response.headers["Set-Cookie"] = *cookie;
  return response;
}

// --- Referrals ---------------------------------------------------------------------------------

Response Home(App::Impl& app, Context& ctx) {
  const User& user = *ctx.user;
  auto referrals = app.store.ListReferralsForPatient(user.patient_key);
  if (!referrals.ok()) return app.Error(ctx, 503);
  if (!app.Audit(user, user.patient_key, "portal.referrals.read").ok()) return app.Error(ctx, 503);
  json rows = json::array();
  for (const Referral& r : *referrals) {
    rows.push_back({{"referral_id", r.id},
                    {"state", StateLabel(r.state)},
                    {"now", app.portal->StateOf(r.state).now},
                    {"received", DayLabel(LondonDate(r.received_at))}});
  }
  return app.Page(ctx, 200, "portal_home", {{"page_title", "Your referrals"}, {"referrals", rows}});
}

Response OpenReferral(App::Impl& app, Context& ctx) {
  Session session = *ctx.session;
  session.context_referral_id = ctx.referral->id;
  if (!app.sessions.Save(session).ok()) return app.Error(ctx, 503);
  return Response::Redirect("/portal/referral");
}

StatusOr<workflow::SiteNames> Sites(App::Impl& app) {
  ASSIGN_OR_RETURN(std::vector<Site> sites, app.store.ListSites());
  workflow::SiteNames names;
  for (Site& s : sites) names.emplace(s.id, std::move(s));
  return names;
}

// "12 days", "about 6 weeks".
std::string WaitWords(int days) {
  if (days < kWaitInDaysBelow) return std::to_string(days) + (days == 1 ? " day" : " days");
  return "about " + std::to_string((days + kDaysPerWeek / 2) / kDaysPerWeek) + " weeks";
}

// Whom an estimate was worked out from, in words: "patients at tier 1 with routine priority at
// East Oxford Health Centre".
std::string GroupWords(WaitGroup group, const Referral& r, const workflow::SiteNames& sites) {
  std::string priority = PriorityLabel(r.priority);
  for (char& c : priority) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string tier = r.tier ? TierLabel(*r.tier) : "";
  std::string lower_tier = tier;
  if (!lower_tier.empty()) lower_tier[0] = 't';
  switch (group) {
    case WaitGroup::kTierPrioritySite: {
      const auto it = sites.find(r.site_id);
      return "patients at " + lower_tier + " with " + priority + " priority at " +
             (it == sites.end() ? "your site" : it->second.name);
    }
    case WaitGroup::kTierPriority:
      return "patients at " + lower_tier + " with " + priority + " priority, at any of our sites";
    case WaitGroup::kTier:
      return "patients at " + lower_tier + ", of any priority";
    case WaitGroup::kPriority:
      return "patients with " + priority + " priority";
    case WaitGroup::kService:
      return "patients across the whole service";
  }
  return "patients";
}

// The expected wait's headline. Once the middle wait has passed, no date in the past is given:
// the patient is told how their wait compares instead, and what to do.
json Headline(const workflow::ExpectedWait& wait, Instant now) {
  const auto& e = wait.estimate;
  const Instant around = wait.from + std::chrono::days(e.median_days);
  if (LondonDate(around) >= LondonDate(now)) {
    const std::string from =
        wait.from_acceptance
            ? "from when a clinician accepted your referral on " + DayLabel(LondonDate(wait.from))
            : "from today";
    return {{"headline", WaitWords(e.median_days) + " " + from + ": around " +
                             DayLabel(LondonDate(around)) + "."}};
  }
  const bool most = now > wait.from + std::chrono::days(e.quartile_high_days);
  return {{"headline", std::string("You have waited longer than ") +
                           (most ? "most" : "half of the") +
                           " patients like you. We will offer you an appointment as soon as one "
                           "is free."}};
}

// The expected wait in words, and how it was worked out (hazard H058).
json WaitView(const workflow::ExpectedWait& wait, const Referral& r,
              const workflow::SiteNames& sites, const WaitPolicy& policy, Instant now) {
  const std::string window = std::to_string(policy.window_days) + " days";
  if (!wait.estimate.group) {
    return {{"known", false},
            {"how", "We cannot estimate your wait yet: fewer than " +
                        std::to_string(policy.min_patients) +
                        " patients like you had a first appointment with us in the last " + window +
                        ", which is too few to say anything reliable."}};
  }
  const auto& e = wait.estimate;
  json view = Headline(wait, now);
  view.update(
      {{"known", true},
       {"how", "This is the middle wait of the " + std::to_string(e.patients) + " " +
                   GroupWords(*e.group, r, sites) + " whose first appointment was in the last " +
                   window +
                   ", from acceptance to that appointment: half waited less, and half longer. A "
                   "quarter waited " +
                   std::to_string(e.quartile_low_days) + " days or fewer, and three quarters " +
                   std::to_string(e.quartile_high_days) + " days or fewer."},
       {"caveat",
        "It is an estimate from recent waits, not a promise. Your own wait depends on your "
        "clinical need and the appointments that become free. If you are worried, or your "
        "symptoms get worse, contact us."}});
  return view;
}

json AdviceView(const config::Advice& advice) {
  return {{"title", advice.title},
          {"about", advice.about},
          {"self_care", advice.self_care},
          {"waiting_well", advice.waiting_well},
          {"get_help", advice.get_help}};
}

Response ViewReferral(App::Impl& app, Context& ctx) {
  const Referral& r = *ctx.referral;
  auto events = app.store.ListEvents(r.id);
  auto sites = Sites(app);
  if (!events.ok() || !sites.ok()) return app.Error(ctx, 503);
  json timeline = json::array();
  for (const workflow::TimelineEntry& e : app.portal->Tell(*events, *sites)) {
    timeline.push_back(
        {{"when", DayLabel(LondonDate(e.at))}, {"title", e.title}, {"text", e.text}});
  }
  const config::StateWording& state = app.portal->StateOf(r.state);
  json data{{"page_title", "Your referral " + r.id},
            {"referral_id", r.id},
            {"state", StateLabel(r.state)},
            {"now", state.now},
            {"next", state.next},
            {"received", DayLabel(LondonDate(r.received_at))},
            {"timeline", timeline},
            {"advice", AdviceView(app.portal->AdviceFor(r))}};
  auto wait = app.portal->WaitFor(app.store, r, *events, app.Now());
  if (!wait.ok()) return app.Error(ctx, 503);
  if (*wait) data["wait"] = WaitView(**wait, r, *sites, app.portal->content().wait, app.Now());
  data["questionnaires"] = DueFromPatient(*events);
  data["follow_up_open"] = r.state == ReferralState::kPifuWindow;
  if (r.state == ReferralState::kPifuWindow && r.next_action_due) {
    data["follow_up_until"] = DayLabel(LondonDate(*r.next_action_due));
  }
  return app.Page(ctx, 200, "portal_referral", std::move(data));
}

// --- Appointments ------------------------------------------------------------------------------

json AppointmentView(App::Impl& app, const workflow::PatientAppointment& pa) {
  const Appointment& a = pa.appointment;
  json view{{"appointment_id", a.id},
            {"when", SlotWhen(pa.slot)},
            {"what", SlotTypeLabel(pa.slot.type)},
            {"modality", ModalityLabel(pa.slot.modality)},
            {"status", AppointmentStatusLabel(a.status)},
            {"site", pa.site ? pa.site->name : "Not known"},
            {"address", pa.site ? pa.site->address : ""},
            {"prepare", app.portal->content().prepare.at(pa.slot.modality)},
            {"offered", a.status == AppointmentStatus::kOffered},
            {"booked", a.status == AppointmentStatus::kBooked}};
  if (a.offer_expires_at) view["expires"] = FormatLondon(*a.offer_expires_at);
  if (a.status == AppointmentStatus::kCancelled) {
    view["cancelled"] =
        a.cancelled_by == "patient" ? "You cancelled it" : "We cancelled it: " + a.cancel_reason;
  }
  return view;
}

// The free slots the booking rules offer the referral now, earliest first.
StatusOr<json> SlotChoices(App::Impl& app, const Referral& r, const workflow::SiteNames& sites) {
  auto need = workflow::ReferralNeed(app.env, r.id);
  if (!need.ok()) return json::array();
  ASSIGN_OR_RETURN(Patient patient, app.store.GetPatient(r.patient_key));
  const auto origin = workflow::OriginOf(patient.postcode, app.service.districts);
  ASSIGN_OR_RETURN(auto found, workflow::SearchFreeSlots(app.env, *need, {}, origin,
                                                         workflow::SearchOrder::kEarliest,
                                                         kSlotsOffered, app.Now()));
  json choices = json::array();
  for (const scheduling::Candidate& c : found) {
    const auto site = sites.find(c.slot.site_id);
    choices.push_back({{"slot_id", c.slot.id},
                       {"label", SlotWhen(c.slot) + ", " + ModalityLabel(c.slot.modality) +
                                     (site == sites.end() ? "" : ", " + site->second.name)},
                       {"id", choices.empty() ? "slot_id" : "slot-" + c.slot.id}});
  }
  return choices;
}

StatusOr<json> AppointmentsData(App::Impl& app, const Referral& r) {
  ASSIGN_OR_RETURN(workflow::SiteNames sites, Sites(app));
  ASSIGN_OR_RETURN(workflow::PatientAppointments appointments,
                   workflow::AppointmentsOf(app.store, sites, r.id, app.Now()));
  json upcoming = json::array(), past = json::array();
  std::string current_id;
  for (const auto& pa : appointments.upcoming) {
    upcoming.push_back(AppointmentView(app, pa));
    if (pa.appointment.status == AppointmentStatus::kBooked) current_id = pa.appointment.id;
  }
  const bool booked = !current_id.empty();
  for (const auto& pa : appointments.past) past.push_back(AppointmentView(app, pa));
  json data{{"page_title", "Your appointments"},
            {"referral_id", r.id},
            {"upcoming", upcoming},
            {"past", past},
            {"current_id", current_id},
            {"idempotency_key", auth::RandomToken()}};
  const bool waiting = r.state == ReferralState::kWaitingToBook;
  if (waiting || booked) {
    ASSIGN_OR_RETURN(data["choices"], SlotChoices(app, r, sites));
    data["may_book"] = waiting && !data["choices"].empty();
    data["may_move"] = booked && !data["choices"].empty();
  }
  return data;
}

Response AppointmentsPage(App::Impl& app, const Context& ctx, int status, json errors,
                          const std::string& done = "") {
  auto data = AppointmentsData(app, *ctx.referral);
  if (!data.ok()) return app.Error(ctx, HttpStatusFor(data.status().code()));
  (*data)["errors"] = std::move(errors);
  (*data)["reason"] = FormValue(ctx.form, "reason");
  if (auto it = DoneBanners().find(done); it != DoneBanners().end()) (*data)["banner"] = it->second;
  return app.Page(ctx, status, "portal_appointments", std::move(data).value());
}

Response ViewAppointments(App::Impl& app, Context& ctx) {
  return AppointmentsPage(app, ctx, 200, json::array(), FormValue(ctx.request.query, "done"));
}

// The page again after a refused change, naming the field on the page ("" for none).
Response Refused(App::Impl& app, const Context& ctx, const Status& status,
                 const std::string& field) {
  const StatusCode code = status.code();
  if (code == StatusCode::kNotFound || code == StatusCode::kInternal ||
      code == StatusCode::kUnavailable) {
    return app.Error(ctx, HttpStatusFor(code));
  }
  return AppointmentsPage(app, ctx, HttpStatusFor(code),
                          OneError(field, Sentence(status.message())));
}

Response Done(App::Impl& app, Context& ctx, const std::string& done) {
  Session session = *ctx.session;
  session.context_referral_id = ctx.referral->id;
  if (!app.sessions.Save(session).ok()) return app.Error(ctx, 503);
  return Response::Redirect("/portal/appointments?done=" + done);
}

// The form's appointment when it is one of the referral's: another's is not found, as none is.
StatusOr<std::string> OwnAppointment(App::Impl& app, const Context& ctx) {
  const std::string id = FormValue(ctx.form, "appointment_id");
  auto appointment = app.store.GetAppointment(id);
  if (id.empty() || !appointment.ok() || appointment->referral_id != ctx.referral->id) {
    return NotFoundError("no such appointment", "appointment_id");
  }
  return id;
}

Response Accept(App::Impl& app, Context& ctx) {
  auto id = OwnAppointment(app, ctx);
  if (!id.ok()) return Refused(app, ctx, id.status(), "");
  auto accepted = workflow::AcceptOffer(app.env, ActorOf(*ctx.user), *id, app.Now());
  if (!accepted.ok()) return Refused(app, ctx, accepted.status(), "");
  return Done(app, ctx, "accepted");
}

Response Cancel(App::Impl& app, Context& ctx) {
  auto id = OwnAppointment(app, ctx);
  if (!id.ok()) return Refused(app, ctx, id.status(), "");
  auto cancelled = workflow::Cancel(app.env, ActorOf(*ctx.user), *id, "patient",
                                    FormValue(ctx.form, "reason"), app.Now());
  if (!cancelled.ok()) {
    const bool reason = cancelled.status().field() == "reason";
    return Refused(app, ctx, cancelled.status(), reason ? "reason" : "");
  }
  return Done(app, ctx, "cancelled");
}

Response Move(App::Impl& app, Context& ctx) {
  auto id = OwnAppointment(app, ctx);
  if (!id.ok()) return Refused(app, ctx, id.status(), "");
  const std::string slot = FormValue(ctx.form, "slot_id");
  if (slot.empty()) {
    return Refused(app, ctx, InvalidArgumentError("choose a new time", "slot_id"), "slot_id");
  }
  // The same form sent again (a second click, a reload after the answer) gets the same success:
  // workflow::Reschedule recognises a move that was done, as workflow::Cancel a cancellation.
  auto moved = workflow::Reschedule(app.env, ActorOf(*ctx.user), *id, slot, "patient", kMoveReason,
                                    app.Now());
  if (!moved.ok()) return Refused(app, ctx, moved.status(), "slot_id");
  return Done(app, ctx, "moved");
}

Response Book(App::Impl& app, Context& ctx) {
  const std::string slot = FormValue(ctx.form, "slot_id");
  if (slot.empty()) {
    return Refused(app, ctx, InvalidArgumentError("choose a time", "slot_id"), "slot_id");
  }
  auto booked =
      workflow::Book(app.env, ActorOf(*ctx.user),
                     {ctx.referral->id, slot, FormValue(ctx.form, "idempotency_key")}, app.Now());
  if (!booked.ok()) return Refused(app, ctx, booked.status(), "slot_id");
  return Done(app, ctx, "booked");
}

// --- Who has looked at my record ---------------------------------------------------------------

Response AccessPage(App::Impl& app, Context& ctx) {
  const User& user = *ctx.user;
  // The read is recorded first, so that the page shows it too.
  if (!app.Audit(user, user.patient_key, "portal.audit.read").ok()) return app.Error(ctx, 503);
  auto rows = workflow::AccessLog(app.store, *app.portal, user.patient_key, user.id,
                                  app.service.portal_show_staff_names, kAccessRowsShown);
  if (!rows.ok()) return app.Error(ctx, 503);
  json out = json::array();
  for (const workflow::AccessRow& row : *rows) {
    out.push_back({{"at", FormatLondon(row.at)}, {"who", row.who}, {"what", row.what}});
  }
  return app.Page(ctx, 200, "portal_audit",
                  {{"page_title", "Who has looked at your record"},
                   {"rows", out},
                   {"names_shown", app.service.portal_show_staff_names}});
}

Access Patient(const char* audit_action, Ownership ownership = Ownership::kReferralInBody) {
  return Access::PatientData({Role::kPatient}, ownership, audit_action);
}

}  // namespace

Status RegisterPortal(App::Impl& app) {
  ASSIGN_OR_RETURN(config::PortalContent content,
                   config::LoadPortalContent(app.config.data_dir / config::kPortalSubdir));
  app.portal = std::make_unique<workflow::Portal>(std::move(content));
  app.patient_sign_in = std::make_unique<workflow::ReferenceCodeSignIn>(app.store);
  auto bind = [&app](Response (*fn)(App::Impl&, Context&)) {
    return [&app, fn](Context& ctx) { return fn(app, ctx); };
  };
  Router& r = app.router;
  r.Add({Method::kGet, "/portal/sign-in", Access::Public(), false,
         [&app](Context& ctx) { return SignInPage(app, ctx, 200, {}, json::array()); }});
  r.Add({Method::kPost, "/portal/sign-in", Access::Public(), false, bind(BeginSignIn)});
  r.Add({Method::kGet, "/portal/code", Access::Public(), false,
         [&app](Context& ctx) { return CodePage(app, ctx, 200, json::array()); }});
  r.Add({Method::kPost, "/portal/code", Access::Public(), false, bind(CompleteSignIn)});
  r.Add({Method::kGet, "/portal", Access::Roles({Role::kPatient}), false, bind(Home)});
  r.Add({Method::kPost, "/portal/referral/open", Patient("portal.referral.open"), false,
         bind(OpenReferral)});
  r.Add({Method::kGet, "/portal/referral",
         Patient("portal.referral.read", Ownership::kReferralInSession), false,
         bind(ViewReferral)});
  r.Add({Method::kGet, "/portal/appointments",
         Patient("portal.appointments.read", Ownership::kReferralInSession), false,
         bind(ViewAppointments)});
  r.Add({Method::kPost, "/portal/appointments/accept", Patient("portal.appointment.accept"), false,
         bind(Accept)});
  r.Add({Method::kPost, "/portal/appointments/cancel", Patient("portal.appointment.cancel"), false,
         bind(Cancel)});
  r.Add({Method::kPost, "/portal/appointments/move", Patient("portal.appointment.move"), false,
         bind(Move)});
  r.Add({Method::kPost, "/portal/appointments/book", Patient("portal.appointment.book"), false,
         bind(Book)});
  r.Add({Method::kGet, "/portal/audit", Access::Roles({Role::kPatient}), false, bind(AccessPage)});
  return OkStatus();
}

}  // namespace tendon::http
