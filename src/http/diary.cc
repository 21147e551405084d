// The clinician's diary (the booking issue): a day (/diary) or a week (/diary/week) of one
// clinician's clinics, each slot with its patients, and the "Attended" and "Did not attend" actions
// once a slot has started. A treating clinician may discharge the patient of an attended
// appointment whose referral is in treatment (the patient issue's follow-up windows). A treating
// clinician sees their own clinics (User::clinician_id); a coordinator chooses any clinician. The
// address may carry a staff clinician id and a date, which identify no patient; appointments are
// named only in form bodies. Showing a diary with patients is a look at each one's data, and
// audited as such.
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/london_time.h"
#include "date/date.h"
#include "http/app_internal.h"
#include "http/errors.h"
#include "http/schedule_views.h"
#include "workflow/booking.h"
#include "workflow/discharge.h"

namespace tendon::http {
namespace {

using nlohmann::json;

constexpr int kDaysPerWeek = 7;
constexpr int kWorkingDaysPerWeek = 5;

enum class View { kDay, kWeek };

// A staff clinician id as the address may carry it: the characters of the rota's ids only.
bool PlainId(const std::string& id) {
  if (id.empty()) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

// Whose diary, for which days, as the request asks; `errors` says what was wrong with it.
struct DiaryAsk {
  View view = View::kDay;
  std::string clinician_id;  // Empty: none chosen (a coordinator) or none linked (a clinician).
  Date day{};
  json errors = json::array();
};

DiaryAsk ReadAsk(App::Impl& app, const User& user, const Form& fields, View view,
                 const std::vector<Clinician>& clinicians) {
  DiaryAsk ask;
  ask.view = view;
  ask.day = LondonDate(app.Now());
  if (const std::string date = FormValue(fields, "date"); !date.empty()) {
    auto parsed = ParseDate(date, "date");
    if (parsed.ok()) {
      ask.day = *parsed;
    } else {
      ask.errors.push_back({{"field", "date"}, {"message", "Enter a date as YYYY-MM-DD"}});
    }
  }
  if (user.role == Role::kTreatingClinician) {
    ask.clinician_id = user.clinician_id;
    return ask;
  }
  const std::string chosen = FormValue(fields, "clinician");
  for (const Clinician& c : clinicians) {
    if (c.id == chosen) ask.clinician_id = c.id;
  }
  if (!chosen.empty() && ask.clinician_id.empty()) {
    ask.errors.push_back({{"field", "clinician"}, {"message", "Choose a clinician from the list"}});
  }
  return ask;
}

// The days shown: the day asked for, or Monday to Friday of its week.
std::vector<Date> DaysOf(const DiaryAsk& ask) {
  if (ask.view == View::kDay) return {ask.day};
  const Date monday = ask.day - (date::weekday(ask.day) - date::Monday);
  std::vector<Date> days;
  for (int i = 0; i < kWorkingDaysPerWeek; ++i) days.push_back(monday + date::days(i));
  return days;
}

std::string Href(View view, const std::string& clinician_id, Date day) {
  std::string href = view == View::kDay ? "/diary" : "/diary/week";
  href += "?date=" + FormatDate(day);
  if (!clinician_id.empty()) href += "&clinician=" + clinician_id;
  return href;
}

// The patients of each slot, with their actions once the slot has started. `in_treatment` holds the
// referrals that may be discharged, when the viewer may discharge (a treating clinician).
json PatientsOf(const Slot& slot, const std::vector<Appointment>& appointments,
                const std::map<std::string, Patient>& patients,
                const std::set<std::string>& in_treatment, Instant now) {
  json rows = json::array();
  for (const Appointment& a : appointments) {
    if (a.slot_id != slot.id || !HoldsPlace(a.status)) continue;
    auto p = patients.find(a.patient_key);
    if (p == patients.end()) continue;
    rows.push_back({{"appointment_id", a.id},
                    {"name", PatientName(p->second)},
                    {"nhs_number", NhsNumberLabel(p->second)},
                    {"status", AppointmentStatusLabel(a.status)},
                    {"booked", a.status == AppointmentStatus::kBooked},
                    {"may_mark", a.status == AppointmentStatus::kBooked && slot.start <= now},
                    {"may_discharge", a.status == AppointmentStatus::kAttended &&
                                          in_treatment.contains(a.referral_id)}});
  }
  return rows;
}

struct DiaryData {
  json days = json::array();
  std::set<std::string> patient_keys;  // Everyone shown, for the audit.
};

// `may_discharge`: whether the viewer may discharge patients (a treating clinician).
StatusOr<DiaryData> ReadDiary(App::Impl& app, const DiaryAsk& ask, bool may_discharge) {
  const std::vector<Date> days = DaysOf(ask);
  ASSIGN_OR_RETURN(Instant from, FromLondon(days.front(), std::chrono::minutes(0)));
  ASSIGN_OR_RETURN(Instant to, FromLondon(days.back() + date::days(1), std::chrono::minutes(0)));
  store::SlotQuery query;
  query.from = from;
  query.to = to;
  query.clinician_id = ask.clinician_id;
  query.include_cancelled = true;
  ASSIGN_OR_RETURN(std::vector<Slot> slots, app.store.ListSlots(query));
  ASSIGN_OR_RETURN(std::vector<Appointment> appointments,
                   app.store.ListAppointmentsBetween(from, to, ask.clinician_id));
  ASSIGN_OR_RETURN(std::vector<Site> sites, app.store.ListSites());
  std::map<std::string, std::string> site_names;
  for (const Site& s : sites) site_names[s.id] = s.name;
  DiaryData data;
  std::map<std::string, Patient> patients;
  for (const Appointment& a : appointments) {
    if (!HoldsPlace(a.status) || patients.contains(a.patient_key)) continue;
    ASSIGN_OR_RETURN(patients[a.patient_key], app.store.GetPatient(a.patient_key));
    data.patient_keys.insert(a.patient_key);
  }
  std::set<std::string> in_treatment;
  for (const Appointment& a : appointments) {
    if (!may_discharge || a.status != AppointmentStatus::kAttended) continue;
    ASSIGN_OR_RETURN(Referral referral, app.store.GetReferral(a.referral_id));
    if (referral.state == ReferralState::kInTreatment) in_treatment.insert(referral.id);
  }
  const Instant now = app.Now();
  for (Date day : days) {
    json rows = json::array();
    for (const Slot& s : slots) {
      if (LondonDate(s.start) != day) continue;
      rows.push_back(
          {{"time", TimeLabel(s.start) + " to " + TimeLabel(s.end)},
           {"what", SlotTypeLabel(s.type)},
           {"modality", ModalityLabel(s.modality)},
           {"site", site_names.contains(s.site_id) ? site_names[s.site_id] : s.site_id},
           {"places", std::to_string(s.booked) + " of " + std::to_string(s.capacity) + " booked"},
           {"cancelled", s.cancelled},
           {"patients", PatientsOf(s, appointments, patients, in_treatment, now)}});
    }
    data.days.push_back({{"label", DayLabel(day)}, {"slots", rows}});
  }
  return data;
}

// One audit row per patient shown, in one transaction.
Status AuditShown(App::Impl& app, const User& user, const std::set<std::string>& keys) {
  if (keys.empty()) return OkStatus();
  const Instant now = app.Now();
  return app.store.Write([&](store::WriteTxn& txn) -> Status {
    for (const std::string& key : keys) {
      RETURN_IF_ERROR(txn.AppendAudit({0, now, user.id, std::string(ToString(user.role)), key,
                                       "diary.read", ""})
                          .status());
    }
    return OkStatus();
  });
}

json ClinicianOptions(const std::vector<Clinician>& clinicians, const std::string& chosen) {
  json options = json::array();
  for (const Clinician& c : clinicians) {
    options.push_back({{"value", c.id}, {"label", c.name}, {"selected", c.id == chosen}});
  }
  return options;
}

std::string ClinicianName(const std::vector<Clinician>& clinicians, const std::string& id) {
  for (const Clinician& c : clinicians) {
    if (c.id == id) return c.name;
  }
  return id;
}

// The page's title, links and chooser for `ask`.
json Frame(const User& user, const DiaryAsk& ask, const std::vector<Clinician>& clinicians,
           int pifu_months) {
  const int step = ask.view == View::kDay ? 1 : kDaysPerWeek;
  const std::vector<Date> days = DaysOf(ask);
  std::string title =
      ask.view == View::kDay ? DayLabel(ask.day) : "Week beginning " + DayLabel(days.front());
  if (!ask.clinician_id.empty()) title = ClinicianName(clinicians, ask.clinician_id) + ": " + title;
  json data{{"page_title", "Diary: " + title},
            {"title", title},
            {"date", FormatDate(ask.day)},
            {"view", ask.view == View::kDay ? "day" : "week"},
            {"errors", ask.errors},
            {"may_choose", user.role == Role::kCoordinator},
            {"clinicians", ClinicianOptions(clinicians, ask.clinician_id)},
            {"clinician_id", ask.clinician_id},
            {"not_linked", user.role == Role::kTreatingClinician && ask.clinician_id.empty()},
            {"pifu_months", pifu_months}};
  data["previous"] = Href(ask.view, ask.clinician_id, ask.day - date::days(step));
  data["next"] = Href(ask.view, ask.clinician_id, ask.day + date::days(step));
  data["day_href"] = Href(View::kDay, ask.clinician_id, ask.day);
  data["week_href"] = Href(View::kWeek, ask.clinician_id, ask.day);
  return data;
}

// The diary `fields` ask for, with `action_errors` (a refused action) shown above it. A malformed
// ask shows the chooser and its errors only.
Response DiaryPage(App::Impl& app, const Context& ctx, const Form& fields, View view, int status,
                   json action_errors, const std::string& banner) {
  auto clinicians = app.store.ListClinicians();
  if (!clinicians.ok()) return app.Error(ctx, HttpStatusFor(clinicians.status().code()));
  const DiaryAsk ask = ReadAsk(app, *ctx.user, fields, view, *clinicians);
  json data = Frame(*ctx.user, ask, *clinicians, app.env.timing.pifu_window_months);
  for (json& e : action_errors) data["errors"].push_back(std::move(e));
  if (!banner.empty()) data["banner"] = banner;
  if (!ask.errors.empty()) return app.Page(ctx, 400, "diary", std::move(data));
  if (!ask.clinician_id.empty()) {
    auto diary = ReadDiary(app, ask, ctx.user->role == Role::kTreatingClinician);
    if (!diary.ok()) return app.Error(ctx, HttpStatusFor(diary.status().code()));
    Status audited = AuditShown(app, *ctx.user, diary->patient_keys);
    if (!audited.ok()) return app.Error(ctx, HttpStatusFor(audited.code()));
    data["days"] = std::move(diary->days);
    data["shown"] = true;
  }
  return app.Page(ctx, status, "diary", std::move(data));
}

const std::map<std::string, std::string, std::less<>>& DoneBanners() {
  static const std::map<std::string, std::string, std::less<>> banners{
      {"attended", "Attendance recorded"},
      {"dna", "Did not attend recorded"},
      {"discharged", "Patient discharged"}};
  return banners;
}

Response ShowDay(App::Impl& app, Context& ctx) {
  auto done = DoneBanners().find(FormValue(ctx.request.query, "done"));
  return DiaryPage(app, ctx, ctx.request.query, View::kDay, 200, json::array(),
                   done == DoneBanners().end() ? "" : done->second);
}

Response ShowWeek(App::Impl& app, Context& ctx) {
  auto done = DoneBanners().find(FormValue(ctx.request.query, "done"));
  return DiaryPage(app, ctx, ctx.request.query, View::kWeek, 200, json::array(),
                   done == DoneBanners().end() ? "" : done->second);
}

// The form's appointment, when `user` may record its attendance: a coordinator any, a treating
// clinician those in their own clinics. A refusal is audited and looks like a missing appointment.
StatusOr<Appointment> Markable(App::Impl& app, const User& user, const std::string& id) {
  auto appointment = app.store.GetAppointment(id);
  if (id.empty() || !appointment.ok())
    return NotFoundError("no such appointment", "appointment_id");
  ASSIGN_OR_RETURN(Slot slot, app.store.GetSlot(appointment->slot_id));
  const bool allowed = user.role == Role::kCoordinator ||
                       (!user.clinician_id.empty() && slot.clinician_id == user.clinician_id);
  if (!allowed) {
    RETURN_IF_ERROR(app.Audit(user, appointment->patient_key, "diary.mark.denied"));
    return NotFoundError("no such appointment", "appointment_id");
  }
  return appointment;
}

// After an action on the form's appointment: a refusal shows the diary the form came from again,
// saying why; success returns to it with the `done` banner.
Response AfterAction(App::Impl& app, Context& ctx, const Status& acted, const std::string& done) {
  const View view = FormValue(ctx.form, "view") == "week" ? View::kWeek : View::kDay;
  if (!acted.ok()) {
    const StatusCode code = acted.code();
    if (code == StatusCode::kInternal || code == StatusCode::kUnavailable) {
      return app.Error(ctx, HttpStatusFor(code));
    }
    return DiaryPage(app, ctx, ctx.form, view, HttpStatusFor(code),
                     OneError("", Sentence(acted.message())), "");
  }
  const std::string clinician = FormValue(ctx.form, "clinician");
  auto day = ParseDate(FormValue(ctx.form, "date"));
  return Response::Redirect(
      Href(view, PlainId(clinician) ? clinician : "", day.ok() ? *day : LondonDate(app.Now())) +
      "&done=" + done);
}

// Records attendance (`mark` is MarkAttended or MarkDna) and returns to the diary the form came
// from; a refusal shows that diary again saying why.
Response Mark(App::Impl& app, Context& ctx, const std::string& done,
              StatusOr<Appointment> (*mark)(const workflow::Env&, const workflow::Actor&,
                                            std::string_view, Instant)) {
  auto appointment = Markable(app, *ctx.user, FormValue(ctx.form, "appointment_id"));
  if (!appointment.ok() && appointment.status().code() != StatusCode::kNotFound) {
    return app.Error(ctx, HttpStatusFor(appointment.status().code()));
  }
  const Status marked = appointment.ok()
                            ? mark(app.env, ActorOf(*ctx.user), appointment->id, app.Now()).status()
                            : appointment.status();
  return AfterAction(app, ctx, marked, done);
}

// Discharges the patient of an attended appointment in the clinician's own clinic, with the reason
// given: into a follow-up window in which they may ask to be seen again ("pifu" "yes"), or closed
// with the letter to their GP ("no"). workflow::Discharge refuses a referral not in treatment.
Response Discharge(App::Impl& app, Context& ctx) {
  auto appointment = Markable(app, *ctx.user, FormValue(ctx.form, "appointment_id"));
  if (!appointment.ok() && appointment.status().code() != StatusCode::kNotFound) {
    return app.Error(ctx, HttpStatusFor(appointment.status().code()));
  }
  const std::string reason = FormValue(ctx.form, "reason");
  const std::string pifu = FormValue(ctx.form, "pifu");
  Status discharged = appointment.status();
  if (discharged.ok() && reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    discharged = InvalidArgumentError("Enter the reason for the discharge", "reason");
  } else if (discharged.ok() && pifu != "yes" && pifu != "no") {
    discharged =
        InvalidArgumentError("Choose whether the patient may ask to be seen again", "pifu");
  } else if (discharged.ok()) {
    discharged = workflow::Discharge(app.env, ActorOf(*ctx.user),
                                     {appointment->referral_id, reason, pifu == "yes"}, app.Now())
                     .status();
  }
  return AfterAction(app, ctx, discharged, "discharged");
}

Response Attended(App::Impl& app, Context& ctx) {
  return Mark(app, ctx, "attended", workflow::MarkAttended);
}

Response DidNotAttend(App::Impl& app, Context& ctx) {
  return Mark(app, ctx, "dna", workflow::MarkDna);
}

}  // namespace

void RegisterDiary(App::Impl& app) {
  auto bind = [&app](Response (*fn)(App::Impl&, Context&)) {
    return [&app, fn](Context& ctx) { return fn(app, ctx); };
  };
  Router& r = app.router;
  // Whose patients a diary shows is decided, and each look audited, by the handlers: a clinician
  // sees their own clinics, a coordinator any clinician's.
  const Access diary = Access::Roles({Role::kTreatingClinician, Role::kCoordinator});
  r.Add({Method::kGet, "/diary", diary, false, bind(ShowDay)});
  r.Add({Method::kGet, "/diary/week", diary, false, bind(ShowWeek)});
  r.Add({Method::kPost, "/diary/attended", diary, false, bind(Attended)});
  r.Add({Method::kPost, "/diary/dna", diary, false, bind(DidNotAttend)});
  // Discharge is a clinical decision: the treating clinician's, in their own clinics.
  r.Add({Method::kPost, "/diary/discharge", Access::Roles({Role::kTreatingClinician}), false,
         bind(Discharge)});
}

}  // namespace tendon::http
