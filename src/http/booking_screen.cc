// The coordinator's booking screen (the booking issue): a referral chosen from the waiting list
// (POST /booking/select) opens /booking, which shows what the referral needs and who the patient
// is, searches the earliest and the nearest free slots within the patient's preferences, and books,
// cancels, reschedules or rebooks to the best alternative. The referral travels in the session and
// in each form's body, never in an address; every form acts on the referral it was drawn for, so a
// second tab on another referral cannot turn a booking onto the wrong patient. Each action
// redirects back to the page (post/redirect/get); a refusal shows the page again naming the field.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/tokens.h"
#include "core/london_time.h"
#include "core/postcode.h"
#include "http/app_internal.h"
#include "http/errors.h"
#include "http/schedule_views.h"
#include "workflow/booking.h"
#include "workflow/need.h"
#include "workflow/slot_search.h"

namespace tendon::http {
namespace {

using nlohmann::json;

// Slots shown in each of the earliest and nearest lists.
constexpr std::size_t kShownSlots = 10;
constexpr int kWorkingWeekdays = 5;
constexpr const char* kDayNames[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"};
constexpr Modality kModalities[] = {Modality::kFaceToFace, Modality::kVideo, Modality::kTelephone};

// The banners a redirect back to /booking may ask for (?done=...): what was just done.
const std::map<std::string, std::string, std::less<>>& DoneBanners() {
  static const std::map<std::string, std::string, std::less<>> banners{
      {"booked", "Appointment booked"},
      {"cancelled", "Appointment cancelled"},
      {"rescheduled", "Appointment moved"},
      {"rebooked", "Rebooked to the best alternative"}};
  return banners;
}

// --- Preferences -------------------------------------------------------------------------------

// The preferences form's checkboxes are named by a prefix and the value chosen: "site-wantage",
// "day-1", "modality-video" (a form's fields are one value to a name).
constexpr std::string_view kSitePrefix = "site-";
constexpr std::string_view kDayPrefix = "day-";
constexpr std::string_view kModalityPrefix = "modality-";

// What follows `prefix` in `name`; none when `name` does not start with it.
std::optional<std::string> After(const std::string& name, std::string_view prefix) {
  if (name.rfind(prefix, 0) != 0) return std::nullopt;
  return name.substr(prefix.size());
}

// The preferences form's query (the checkboxes; earliest_time, latest_time, max_km) as the JSON
// ParseSlotSearch reads, so that the page and the API share every check.
json PreferencesJson(const Form& query) {
  json prefs = json::object();
  json sites = json::array(), days = json::array(), modalities = json::array();
  for (const auto& [name, value] : query) {
    if (auto site = After(name, kSitePrefix)) sites.push_back(*site);
    if (auto day = After(name, kDayPrefix)) days.push_back(std::atoi(day->c_str()));
    if (auto modality = After(name, kModalityPrefix)) modalities.push_back(*modality);
  }
  if (!sites.empty()) prefs["sites"] = sites;
  if (!days.empty()) prefs["weekdays"] = days;
  if (!modalities.empty()) prefs["modalities"] = modalities;
  for (const char* name : {"earliest_time", "latest_time"}) {
    if (const std::string text = FormValue(query, name); !text.empty()) prefs[name] = text;
  }
  if (const std::string km = FormValue(query, "max_km"); !km.empty()) {
    // A number goes as a number; anything else as text, for ParseSlotSearch to refuse by name.
    char* end = nullptr;
    const double number = std::strtod(km.c_str(), &end);
    prefs["max_km"] = end != nullptr && *end == '\0' ? json(number) : json(km);
  }
  return prefs;
}

// "preferences.max_km" -> "max_km": the form's field ids.
json PreferenceErrors(const std::vector<workflow::FieldError>& errors) {
  json out = json::array();
  for (const workflow::FieldError& e : errors) {
    const std::string field = After(e.field, "preferences.").value_or(e.field);
    out.push_back({{"field", field}, {"message", Sentence(e.message)}});
  }
  return out;
}

// The preferences form's choices and values, as asked.
json PreferencesForm(const Form& query, const std::vector<Site>& sites) {
  json site_options = json::array(), days = json::array(), modalities = json::array();
  for (const Site& s : sites) {
    const std::string name = std::string(kSitePrefix) + s.id;
    site_options.push_back({{"name", name},
                            {"label", s.name},
                            {"id", site_options.empty() ? "sites" : name},
                            {"checked", query.contains(name)}});
  }
  for (int day = 1; day <= kWorkingWeekdays; ++day) {
    const std::string name = std::string(kDayPrefix) + std::to_string(day);
    days.push_back({{"name", name},
                    {"label", kDayNames[day - 1]},
                    {"id", day == 1 ? "weekdays" : name},
                    {"checked", query.contains(name)}});
  }
  for (Modality m : kModalities) {
    const std::string name = std::string(kModalityPrefix) + std::string(ToString(m));
    modalities.push_back({{"name", name},
                          {"label", ModalityLabel(m)},
                          {"id", modalities.empty() ? "modalities" : name},
                          {"checked", query.contains(name)}});
  }
  return {{"sites", site_options},
          {"days", days},
          {"modalities", modalities},
          {"earliest_time", FormValue(query, "earliest_time")},
          {"latest_time", FormValue(query, "latest_time")},
          {"max_km", FormValue(query, "max_km")}};
}

// --- The referral ------------------------------------------------------------------------------

json Row(std::string key, std::string value) {
  return {{"key", std::move(key)}, {"value", std::move(value)}};
}

// When the referral's current wait to be booked began: the latest move into waiting to book.
std::optional<Instant> WaitingSince(const std::vector<PathwayEvent>& events) {
  std::optional<Instant> since;
  ReferralState before = ReferralState::kReceived;
  for (const PathwayEvent& e : events) {
    if (e.state_after == ReferralState::kWaitingToBook && before != e.state_after) {
      since = e.occurred_at;
    }
    before = e.state_after;
  }
  return since;
}

// "upper_limb" -> "upper limb"; "Face to face" -> "face to face".
std::string Lower(std::string text) {
  for (char& c : text) {
    c = c == '_' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

// "New appointment, face to face, with a clinician skilled in upper limb".
std::string NeedWords(const scheduling::Need& need) {
  std::string words = SlotTypeLabel(need.type);
  if (need.modality) words += ", " + Lower(ModalityLabel(*need.modality));
  if (!need.skill.empty()) words += ", with a clinician skilled in " + Lower(need.skill);
  return words;
}

std::string District(const Patient& p) {
  auto postcode = ParsePostcode(p.postcode);
  return postcode.ok() ? postcode->district() : "Not known";
}

json SummaryRows(const Referral& r, const Patient& p, const std::vector<PathwayEvent>& events,
                 const StatusOr<scheduling::Need>& need) {
  json rows = json::array();
  rows.push_back(Row("Reference", r.id));
  rows.push_back(Row("Patient", PatientName(p)));
  rows.push_back(Row("NHS number", NhsNumberLabel(p)));
  rows.push_back(Row("Where it is now", StateLabel(r.state)));
  rows.push_back(Row("Priority", PriorityLabel(r.priority)));
  rows.push_back(Row("Needs", need.ok() ? NeedWords(*need) : "Not accepted at triage"));
  if (r.state == ReferralState::kWaitingToBook) {
    const auto since = WaitingSince(events);
    rows.push_back(Row("Waiting to book since", since ? FormatLondon(*since) : "Not known"));
  }
  rows.push_back(Row("Postcode district", District(p)));
  rows.push_back(
      Row("Interpreter", p.interpreter_language.empty() ? "Not needed" : p.interpreter_language));
  rows.push_back(
      Row("Accessibility needs", p.accessibility_needs.empty() ? "None" : p.accessibility_needs));
  return rows;
}

// The names of the sites and clinicians, by id, for the slot rows.
struct Names {
  std::map<std::string, std::string> sites;
  std::map<std::string, std::string> clinicians;

  std::string Site(const std::string& id) const {
    auto it = sites.find(id);
    return it == sites.end() ? id : it->second;
  }
  std::string Clinician(const std::string& id) const {
    auto it = clinicians.find(id);
    return it == clinicians.end() ? id : it->second;
  }
};

std::string DistanceWords(const scheduling::Candidate& c) {
  if (c.slot.modality != Modality::kFaceToFace) return "Not travelling";
  if (!c.distance_km) return "Not known";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f km", *c.distance_km);
  return text;
}

json SlotRows(const std::vector<scheduling::Candidate>& found, const Names& names) {
  json rows = json::array();
  for (const scheduling::Candidate& c : found) {
    rows.push_back({{"slot_id", c.slot.id},
                    {"when", SlotWhen(c.slot)},
                    {"site", names.Site(c.slot.site_id)},
                    {"distance", DistanceWords(c)},
                    {"clinician", names.Clinician(c.slot.clinician_id)},
                    {"modality", ModalityLabel(c.slot.modality)}});
  }
  return rows;
}

// The referral's appointments, newest first; `current` is set to its booked one, if any.
StatusOr<json> AppointmentRows(App::Impl& app, const std::string& referral_id, const Names& names,
                               json& current, bool& cancelled_by_service) {
  ASSIGN_OR_RETURN(std::vector<Appointment> appointments,
                   app.store.ListAppointmentsForReferral(referral_id));
  cancelled_by_service = !appointments.empty() &&
                         appointments.back().status == AppointmentStatus::kCancelled &&
                         appointments.back().cancelled_by == "service";
  json rows = json::array();
  for (auto it = appointments.rbegin(); it != appointments.rend(); ++it) {
    ASSIGN_OR_RETURN(Slot slot, app.store.GetSlot(it->slot_id));
    json row{{"appointment_id", it->id},
             {"when", SlotWhen(slot)},
             {"site", names.Site(slot.site_id)},
             {"clinician", names.Clinician(slot.clinician_id)},
             {"what", SlotTypeLabel(slot.type) + ", " + ModalityLabel(slot.modality)},
             {"status", AppointmentStatusLabel(it->status)}};
    if (it->status == AppointmentStatus::kCancelled) {
      row["cancelled"] = "By the " + it->cancelled_by + ": " + it->cancel_reason;
    }
    if (it->status == AppointmentStatus::kBooked) current = row;
    rows.push_back(std::move(row));
  }
  return rows;
}

// --- The page ----------------------------------------------------------------------------------

// What a page shows besides the referral: the search asked for (by GET) and, after a refused post,
// its fields and the errors.
struct PageInput {
  Form query;
  Form posted;
  json errors = json::array();
};

// Searches the earliest and the nearest slots when the referral can be booked; adds them, or the
// preference errors, to `data`.
Status AddResults(App::Impl& app, const Referral& r, const Patient& p, const scheduling::Need& need,
                  const PageInput& in, const Names& names, json& data) {
  json body{{"referral_id", r.id}, {"preferences", PreferencesJson(in.query)}};
  const auto parsed = workflow::ParseSlotSearch(body);
  if (!parsed.value) {
    data["errors"] = PreferenceErrors(parsed.errors);
    return OkStatus();
  }
  const scheduling::Origin origin = workflow::OriginOf(p.postcode, app.service.districts);
  const auto& prefs = parsed.value->preferences;
  ASSIGN_OR_RETURN(auto earliest, workflow::SearchFreeSlots(app.env, need, prefs, origin,
                                                            workflow::SearchOrder::kEarliest,
                                                            kShownSlots, app.Now()));
  ASSIGN_OR_RETURN(auto nearest, workflow::SearchFreeSlots(app.env, need, prefs, origin,
                                                           workflow::SearchOrder::kNearest,
                                                           kShownSlots, app.Now()));
  data["earliest"] = SlotRows(earliest, names);
  data["nearest"] = SlotRows(nearest, names);
  data["origin_known"] = origin.known;
  data["searched"] = true;
  return OkStatus();
}

StatusOr<Names> ReadNames(App::Impl& app, std::vector<Site>& sites) {
  Names names;
  ASSIGN_OR_RETURN(sites, app.store.ListSites());
  ASSIGN_OR_RETURN(std::vector<Clinician> clinicians, app.store.ListClinicians());
  for (const Site& s : sites) names.sites[s.id] = s.name;
  for (const Clinician& c : clinicians) names.clinicians[c.id] = c.name;
  return names;
}

StatusOr<json> PageData(App::Impl& app, const Referral& r, const PageInput& in) {
  ASSIGN_OR_RETURN(Patient patient, app.store.GetPatient(r.patient_key));
  ASSIGN_OR_RETURN(std::vector<PathwayEvent> events, app.store.ListEvents(r.id));
  const StatusOr<scheduling::Need> need = workflow::NeedOf(events);
  std::vector<Site> sites;
  ASSIGN_OR_RETURN(Names names, ReadNames(app, sites));
  json current;
  bool cancelled_by_service = false;
  json data{{"page_title", "Book an appointment for referral " + r.id},
            {"referral_id", r.id},
            {"summary", SummaryRows(r, patient, events, need)},
            {"preferences", PreferencesForm(in.query, sites)},
            {"idempotency_key", auth::RandomToken()},
            {"errors", in.errors},
            {"form",
             {{"by", FormValue(in.posted, "by")},
              {"reason", FormValue(in.posted, "reason")},
              {"cancel_patient", FormValue(in.posted, "by") == "patient"},
              {"cancel_service", FormValue(in.posted, "by") == "service"}}}};
  ASSIGN_OR_RETURN(data["appointments"],
                   AppointmentRows(app, r.id, names, current, cancelled_by_service));
  const bool waiting = r.state == ReferralState::kWaitingToBook;
  const bool booked = r.state == ReferralState::kBooked && current.is_object();
  data["may_book"] = waiting && need.ok();
  data["may_rebook_best"] = waiting && cancelled_by_service;
  if (booked) data["current"] = current;
  if (!data["may_book"].get<bool>() && !booked) return data;
  if (!need.ok()) return data;
  data["show_search"] = true;
  RETURN_IF_ERROR(AddResults(app, r, patient, *need, in, names, data));
  if (booked && data.contains("earliest")) {
    // The reschedule form offers the slots found, earliest first then the nearer ones not listed.
    json choices = data["earliest"];
    for (const json& n : data["nearest"]) {
      const bool listed = std::any_of(choices.begin(), choices.end(),
                                      [&](const json& c) { return c["slot_id"] == n["slot_id"]; });
      if (!listed) choices.push_back(n);
    }
    data["move_choices"] = choices;
  }
  return data;
}

Response BookingPage(App::Impl& app, const Context& ctx, int status, const PageInput& in) {
  auto data = PageData(app, *ctx.referral, in);
  if (!data.ok()) return app.Error(ctx, HttpStatusFor(data.status().code()));
  if (auto it = DoneBanners().find(FormValue(in.query, "done")); it != DoneBanners().end()) {
    (*data)["banner"] = it->second;
  }
  if (!(*data)["errors"].empty() && status == 200) status = 400;
  return app.Page(ctx, status, "booking", std::move(data).value());
}

// The page again after a refused post, the error shown against `field` (an id on the page, or
// "" for none), keeping what was typed.
Response Refused(App::Impl& app, const Context& ctx, const Status& status,
                 const std::string& field) {
  const StatusCode code = status.code();
  if (code == StatusCode::kInternal || code == StatusCode::kUnavailable) {
    return app.Error(ctx, HttpStatusFor(code));
  }
  PageInput in;
  in.posted = ctx.form;
  in.errors = OneError(field, Sentence(status.message()));
  return BookingPage(app, ctx, HttpStatusFor(code), in);
}

// Opens the form's referral in the session and sends the browser back to /booking, saying what
// was done.
Response Done(App::Impl& app, Context& ctx, const std::string& done) {
  Session session = *ctx.session;
  session.context_referral_id = ctx.referral->id;
  if (!app.sessions.Save(session).ok()) return app.Error(ctx, 503);
  return Response::Redirect(done.empty() ? "/booking" : "/booking?done=" + done);
}

// The form's appointment, when it is the referral's: another referral's looks like none at all.
StatusOr<Appointment> OwnAppointment(App::Impl& app, const Context& ctx) {
  const std::string id = FormValue(ctx.form, "appointment_id");
  auto appointment = app.store.GetAppointment(id);
  if (id.empty() || !appointment.ok() || appointment->referral_id != ctx.referral->id) {
    return NotFoundError("no such appointment for this referral", "appointment_id");
  }
  return appointment;
}

// --- Handlers ----------------------------------------------------------------------------------

Response Select(App::Impl& app, Context& ctx) { return Done(app, ctx, ""); }

Response View(App::Impl& app, Context& ctx) {
  PageInput in;
  in.query = ctx.request.query;
  return BookingPage(app, ctx, 200, in);
}

Response BookSlot(App::Impl& app, Context& ctx) {
  const std::string slot = FormValue(ctx.form, "slot_id");
  if (slot.empty()) return Refused(app, ctx, InvalidArgumentError("choose a slot", "slot_id"), "");
  auto booked =
      workflow::Book(app.env, ActorOf(*ctx.user),
                     {ctx.referral->id, slot, FormValue(ctx.form, "idempotency_key")}, app.Now());
  if (!booked.ok()) return Refused(app, ctx, booked.status(), "");
  return Done(app, ctx, "booked");
}

// A form's field in the cancel ("cancel-") or move ("move-") form: the ids the page gives them.
std::string FormField(const std::string& prefix, const std::string& field) {
  if (field == "by" || field == "reason") return prefix + field;
  if (field == "slot_id" && prefix == "move-") return "move-slot";
  return "";
}

Response CancelAppointment(App::Impl& app, Context& ctx) {
  auto appointment = OwnAppointment(app, ctx);
  if (!appointment.ok()) return Refused(app, ctx, appointment.status(), "");
  auto cancelled =
      workflow::Cancel(app.env, ActorOf(*ctx.user), appointment->id, FormValue(ctx.form, "by"),
                       FormValue(ctx.form, "reason"), app.Now());
  if (!cancelled.ok()) {
    return Refused(app, ctx, cancelled.status(), FormField("cancel-", cancelled.status().field()));
  }
  return Done(app, ctx, "cancelled");
}

Response Reschedule(App::Impl& app, Context& ctx) {
  auto appointment = OwnAppointment(app, ctx);
  if (!appointment.ok()) return Refused(app, ctx, appointment.status(), "");
  const std::string slot = FormValue(ctx.form, "slot_id");
  if (slot.empty()) {
    return Refused(app, ctx, InvalidArgumentError("choose the new slot", "slot_id"), "move-slot");
  }
  auto moved =
      workflow::Reschedule(app.env, ActorOf(*ctx.user), appointment->id, slot,
                           FormValue(ctx.form, "by"), FormValue(ctx.form, "reason"), app.Now());
  if (!moved.ok()) {
    return Refused(app, ctx, moved.status(), FormField("move-", moved.status().field()));
  }
  return Done(app, ctx, "rescheduled");
}

Response RebookBest(App::Impl& app, Context& ctx) {
  auto booked =
      workflow::RebookToBestAlternative(app.env, ActorOf(*ctx.user), ctx.referral->id, app.Now());
  if (!booked.ok()) return Refused(app, ctx, booked.status(), "");
  return Done(app, ctx, "rebooked");
}

Access Coordinator(const char* action, Ownership ownership = Ownership::kReferralInBody) {
  return Access::PatientData({Role::kCoordinator}, ownership, action);
}

}  // namespace

void RegisterBookingScreen(App::Impl& app) {
  auto bind = [&app](Response (*fn)(App::Impl&, Context&)) {
    return [&app, fn](Context& ctx) { return fn(app, ctx); };
  };
  Router& r = app.router;
  r.Add({Method::kPost, "/booking/select", Coordinator("booking.select"), false, bind(Select)});
  r.Add({Method::kGet, "/booking", Coordinator("booking.read", Ownership::kReferralInSession),
         false, bind(View)});
  r.Add({Method::kPost, "/booking/book", Coordinator("booking.book"), false, bind(BookSlot)});
  r.Add({Method::kPost, "/booking/cancel", Coordinator("booking.cancel"), false,
         bind(CancelAppointment)});
  r.Add({Method::kPost, "/booking/reschedule", Coordinator("booking.reschedule"), false,
         bind(Reschedule)});
  r.Add({Method::kPost, "/booking/rebook-best", Coordinator("booking.rebook"), false,
         bind(RebookBest)});
}

}  // namespace tendon::http
