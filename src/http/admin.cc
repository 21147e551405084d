// The administrator's pages for the capacity model (the capacity issue): sites, rooms, clinicians
// and clinic templates, and the rolling horizon of slots (their JSON API is admin_api.cc).
// Administrators only, and no patient's data is shown: a template's page lists slots and how many
// bookings they hold, never who. A record is chosen for change by its id in the query string
// (?id=), which names no patient. The handlers translate; the rules are workflow/admin.h's.
#include "workflow/admin.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/clinics.h"
#include "core/london_time.h"
#include "fmt/format.h"
#include "http/app_internal.h"
#include "http/errors.h"

namespace tendon::http {
namespace {

using nlohmann::json;

// Slots listed on a template's page.
constexpr int kSlotsShown = 20;

// --- Form fields: the data of admin_records.mustache ----------------------------------------

json Text(const std::string& name, const std::string& label, const Form& values,
          const std::string& hint = "", const std::string& width = "nhsuk-input--width-20") {
  return {{"text", true}, {"name", name},   {"label", label},
          {"hint", hint}, {"width", width}, {"value", FormValue(values, name)}};
}

// The record's id: typed when adding, shown and sent unchanged when changing.
json IdField(const std::string& label, const Form& values, bool editing, const std::string& hint) {
  if (!editing) return Text("id", label, values, hint);
  return {{"fixed", true}, {"name", "id"}, {"label", label}, {"value", FormValue(values, "id")}};
}

json Select(const std::string& name, const std::string& label, const Form& values,
            const std::vector<std::pair<std::string, std::string>>& choices,
            const std::string& empty = "", const std::string& hint = "") {
  json options = json::array();
  if (!empty.empty()) options.push_back({{"value", ""}, {"label", empty}, {"selected", false}});
  for (const auto& [value, text] : choices) {
    options.push_back(
        {{"value", value}, {"label", text}, {"selected", value == FormValue(values, name)}});
  }
  return {{"select", true}, {"name", name}, {"label", label}, {"hint", hint}, {"options", options}};
}

// Checkboxes sent as "<name>-<choice>"; the first has the field's id, for the error summary.
json Checkboxes(const std::string& name, const std::string& label, const Form& values,
                const std::vector<std::pair<std::string, std::string>>& choices,
                const std::string& hint = "") {
  json options = json::array();
  for (const auto& [value, text] : choices) {
    const std::string input = name + "-" + value;
    options.push_back({{"id", options.empty() ? name : input},
                       {"input", input},
                       {"label", text},
                       {"checked", !FormValue(values, input).empty()}});
  }
  return {
      {"checkboxes", true}, {"name", name}, {"label", label}, {"hint", hint}, {"options", options}};
}

// The ticked choices of Checkboxes(name, ...), as a JSON list.
json Ticked(const Form& form, const std::string& name) {
  json ticked = json::array();
  const std::string prefix = name + "-";
  for (const auto& [key, value] : form) {
    if (key.rfind(prefix, 0) == 0 && !value.empty()) ticked.push_back(key.substr(prefix.size()));
  }
  return ticked;
}

// The page's errors from the workflow's: a message that names no subject ("must be a whole number")
// starts with its field's label, and an error about no field on the form links nowhere. Each field
// gets its error, and what describes it.
json PageErrors(const std::vector<workflow::FieldError>& errors, json& fields) {
  json out = json::array();
  for (const workflow::FieldError& e : errors) {
    json* field = nullptr;
    for (json& f : fields) field = f["name"] == e.field ? &f : field;
    std::string message = e.message;
    if (field && (message.rfind("must ", 0) == 0 || message.rfind("is ", 0) == 0)) {
      const std::string label = (*field)["label"];
      message = label.substr(0, label.find(" (")) + " " + message;
    }
    message = Sentence(std::move(message));
    if (field && !field->contains("error")) (*field)["error"] = message;
    out.push_back({{"field", field ? e.field : ""}, {"message", message}});
  }
  for (json& f : fields) {
    const std::string name = f["name"];
    std::string described = f.value("hint", "").empty() ? "" : name + "-hint";
    if (f.contains("error")) described += (described.empty() ? "" : " ") + name + "-error";
    f["described"] = described;
  }
  return out;
}

// The form's values, posted or stored, as the API's JSON, for the workflow's parser: every text
// field as given, and the ticked checkboxes of `lists` as lists.
json BodyOf(const Form& form, std::initializer_list<const char*> texts,
            std::initializer_list<const char*> lists = {}) {
  json body = json::object();
  for (const char* name : texts) body[name] = FormValue(form, name);
  for (const char* name : lists) body[name] = Ticked(form, name);
  return body;
}

// --- Record kinds --------------------------------------------------------------------------

template <typename T>
const T* FindById(const std::vector<T>& items, std::string_view id) {
  for (const T& item : items) {
    if (item.id == id) return &item;
  }
  return nullptr;
}

std::vector<std::pair<std::string, std::string>> SiteChoices(const std::vector<Site>& sites) {
  std::vector<std::pair<std::string, std::string>> choices;
  for (const Site& s : sites) choices.emplace_back(s.id, s.name);
  return choices;
}

// A decimal as a form shows it: "52.06", not "52.060000".
std::string Number(double value) {
  std::string text = fmt::format("{:.6f}", value);
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') text.pop_back();
  return text;
}

Form SiteForm(const Site& s) {
  return {{"id", s.id},
          {"name", s.name},
          {"region", s.region},
          {"address", s.address},
          {"latitude", Number(s.latitude)},
          {"longitude", Number(s.longitude)},
          {"rooms", std::to_string(s.rooms)},
          {"weekly_clinic_days", std::to_string(s.weekly_clinic_days)}};
}

Form RoomForm(const Room& r) { return {{"id", r.id}, {"site_id", r.site_id}, {"name", r.name}}; }

Form ClinicianForm(const Clinician& c) {
  Form form{{"id", c.id},
            {"name", c.name},
            {"profession", c.profession},
            {"base_site_id", c.base_site_id},
            {"fte", Number(c.fte)}};
  for (const std::string& skill : c.skills) form["skills-" + skill] = "yes";
  return form;
}

Form TemplateForm(const ClinicTemplate& t) {
  Form form{{"id", t.id},
            {"clinician_id", t.clinician_id},
            {"site_id", t.site_id},
            {"room_id", t.room_id},
            {"start", FormatClock(t.start_minute)},
            {"end", FormatClock(t.end_minute)},
            {"slot_type", std::string(ToString(t.slot_type))},
            {"slot_minutes", std::to_string(t.slot_minutes)},
            {"capacity", std::to_string(t.capacity)},
            {"modality", std::string(ToString(t.modality))},
            {"ringfence", std::string(ToString(t.ringfence))},
            {"embargo_working_days", std::to_string(t.embargo_working_days)},
            {"valid_from", FormatDate(t.valid_from)},
            {"valid_until", t.valid_until ? FormatDate(*t.valid_until) : ""}};
  for (int day : t.weekdays) form["weekdays-" + std::string(WeekdayName(day))] = "yes";
  return form;
}

// The lists a page needs, read once.
struct Reference {
  std::vector<Site> sites;
  std::vector<Room> rooms;
  std::vector<Clinician> clinicians;
  std::vector<ClinicTemplate> templates;
};

StatusOr<Reference> ReadReference(App::Impl& app) {
  Reference ref;
  ASSIGN_OR_RETURN(ref.sites, app.store.ListSites());
  ASSIGN_OR_RETURN(ref.rooms, app.store.ListRooms());
  ASSIGN_OR_RETURN(ref.clinicians, app.store.ListClinicians());
  ASSIGN_OR_RETURN(ref.templates, app.store.ListClinicTemplates());
  return ref;
}

std::string SiteName(const Reference& ref, const std::string& id) {
  const Site* site = FindById(ref.sites, id);
  return site ? site->name : id;
}

std::string Days(const std::vector<int>& weekdays) {
  std::string text;
  for (int day : weekdays) text += (text.empty() ? "" : ", ") + Words(WeekdayName(day));
  return text;
}

// "Kept for post-operative patients until 5 working days before": a ring-fence, for people.
std::string RingfenceWords(Ringfence ringfence, int embargo) {
  if (ringfence == Ringfence::kNone) return "None";
  const std::string lifts =
      embargo == 0 ? "they start" : std::to_string(embargo) + " working days before";
  return "Kept for " + std::string(ringfence == Ringfence::kPostOp ? "post-operative" : "urgent") +
         " patients until " + lifts;
}

// One kind of record: its page's words, its table, and its form (empty, or filled from a stored
// record).
struct Kind {
  const char* path;      // "/admin/sites"
  const char* title;     // "Sites"
  const char* singular;  // "site"
  const char* intro;
  json (*rows)(const Kind&, const Reference&);  // [{cells, href, label}]
  std::vector<std::string> head;
  json (*fields)(App::Impl&, const Reference&, const Form&, bool editing);
  std::optional<Form> (*stored)(const Reference&, const std::string& id);
  Form (*defaults)(App::Impl&);
};

json Row(const Kind& kind, const std::string& id, json cells) {
  return {{"cells", std::move(cells)},
          {"href", std::string(kind.path) + "?" + FormEncode({{"id", id}})},
          {"label", std::string(kind.singular) + " " + id}};
}

json SiteRows(const Kind& kind, const Reference& ref) {
  json rows = json::array();
  for (const Site& s : ref.sites) {
    rows.push_back(Row(kind, s.id,
                       {s.id, s.name, s.region, s.address, std::to_string(s.rooms),
                        std::to_string(s.weekly_clinic_days)}));
  }
  return rows;
}

json SiteFields(App::Impl& app, const Reference&, const Form& v, bool editing) {
  std::vector<std::pair<std::string, std::string>> regions;
  for (const config::Region& r : app.service.regions) regions.emplace_back(r.name, r.name);
  return json::array(
      {IdField("Site id", v, editing, "Lower-case words joined by hyphens, such as east-oxford"),
       Text("name", "Name", v), Select("region", "Region", v, regions, "Choose a region"),
       Text("address", "Address", v, "A town or area is enough"),
       Text("latitude", "Latitude", v, "Degrees north, such as 51.75", "nhsuk-input--width-10"),
       Text("longitude", "Longitude", v, "Degrees east; negative in Oxfordshire, such as -1.21",
            "nhsuk-input--width-10"),
       Text("rooms", "Rooms", v, "Rooms available, in full days a week", "nhsuk-input--width-4"),
       Text("weekly_clinic_days", "Clinic days a week", v, "At most the number of rooms",
            "nhsuk-input--width-4")});
}

json RoomRows(const Kind& kind, const Reference& ref) {
  json rows = json::array();
  for (const Room& r : ref.rooms) {
    rows.push_back(Row(kind, r.id, {r.id, r.name, SiteName(ref, r.site_id)}));
  }
  return rows;
}

json RoomFields(App::Impl&, const Reference& ref, const Form& v, bool editing) {
  return json::array({IdField("Room id", v, editing,
                              "Lower-case words joined by hyphens, such as east-oxford-room-3"),
                      Select("site_id", "Site", v, SiteChoices(ref.sites), "Choose a site"),
                      Text("name", "Name", v, "As people at the site call it, such as Room 3")});
}

json ClinicianRows(const Kind& kind, const Reference& ref) {
  json rows = json::array();
  for (const Clinician& c : ref.clinicians) {
    std::string skills;
    for (const std::string& s : c.skills) skills += (skills.empty() ? "" : ", ") + Words(s);
    rows.push_back(Row(
        kind, c.id,
        {c.id, c.name, Words(c.profession), skills, SiteName(ref, c.base_site_id), Number(c.fte)}));
  }
  return rows;
}

json ClinicianFields(App::Impl&, const Reference& ref, const Form& v, bool editing) {
  std::vector<std::pair<std::string, std::string>> professions;
  for (const char* p : config::kProfessions) professions.emplace_back(p, Words(p));
  std::vector<std::pair<std::string, std::string>> skills;
  for (int i = 0; i <= static_cast<int>(ServiceLine::kPainManagement); ++i) {
    const std::string_view name = ToString(static_cast<ServiceLine>(i));
    skills.emplace_back(name, Words(name));
  }
  skills.emplace_back("triage", "Triage");
  return json::array(
      {IdField("Staff id", v, editing, "Lower-case words joined by hyphens, such as clin-071"),
       Text("name", "Name", v),
       Select("profession", "Profession", v, professions, "Choose a profession"),
       Checkboxes("skills", "Skills", v, skills,
                  "An injection clinic needs a clinician with the injection skill"),
       Select("base_site_id", "Base site", v, SiteChoices(ref.sites), "Choose a site"),
       Text("fte", "Whole-time equivalent", v, "Above 0 and at most 1, such as 0.8",
            "nhsuk-input--width-4")});
}

json TemplateRows(const Kind& kind, const Reference& ref) {
  json rows = json::array();
  for (const ClinicTemplate& t : ref.templates) {
    const Clinician* c = FindById(ref.clinicians, t.clinician_id);
    const std::string valid = FormatDate(t.valid_from) + " to " +
                              (t.valid_until ? FormatDate(*t.valid_until) : "no end date");
    rows.push_back(Row(
        kind, t.id,
        {t.id, c ? c->name : t.clinician_id, SiteName(ref, t.site_id), Days(t.weekdays),
         FormatClock(t.start_minute) + " to " + FormatClock(t.end_minute),
         Words(ToString(t.slot_type)) + ", " + std::to_string(t.slot_minutes) + " minutes" +
             (t.capacity > 1 ? ", " + std::to_string(t.capacity) + " places" : ""),
         Words(ToString(t.modality)), RingfenceWords(t.ringfence, t.embargo_working_days), valid}));
  }
  return rows;
}

template <typename E, std::size_t N>
std::vector<std::pair<std::string, std::string>> EnumChoices(const E (&values)[N]) {
  std::vector<std::pair<std::string, std::string>> choices;
  for (E value : values) choices.emplace_back(ToString(value), Words(ToString(value)));
  return choices;
}

json TemplateFields(App::Impl&, const Reference& ref, const Form& v, bool editing) {
  std::vector<std::pair<std::string, std::string>> clinicians;
  for (const Clinician& c : ref.clinicians) {
    clinicians.emplace_back(c.id, c.name + " (" + Words(c.profession) + ")");
  }
  std::vector<std::pair<std::string, std::string>> rooms;
  for (const Room& r : ref.rooms)
    rooms.emplace_back(r.id, SiteName(ref, r.site_id) + ": " + r.name);
  const char* day_names[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"};
  std::vector<std::pair<std::string, std::string>> days;
  for (int day = 1; day <= 5; ++day) days.emplace_back(WeekdayName(day), day_names[day - 1]);
  const SlotType types[] = {SlotType::kNew, SlotType::kFollowUp, SlotType::kInjection,
                            SlotType::kPhysioline, SlotType::kGroup};
  const Modality modalities[] = {Modality::kFaceToFace, Modality::kVideo, Modality::kTelephone};
  const Ringfence fences[] = {Ringfence::kNone, Ringfence::kPostOp, Ringfence::kUrgent};
  return json::array(
      {IdField("Template id", v, editing, "Lower-case words joined by hyphens, such as tpl-201"),
       Select("clinician_id", "Clinician", v, clinicians, "Choose a clinician"),
       Select("site_id", "Site", v, SiteChoices(ref.sites), "Choose a site"),
       Select("room_id", "Room", v, rooms, "No room (a telephone or video clinic)",
              "A face-to-face clinic needs a room at its site"),
       Checkboxes("weekdays", "Weekdays", v, days),
       Text("start", "Session starts", v, "London time, such as 09:00", "nhsuk-input--width-5"),
       Text("end", "Session ends", v, "The last slot ends by then, such as 12:30",
            "nhsuk-input--width-5"),
       Select("slot_type", "Slot type", v, EnumChoices(types), "Choose a slot type"),
       Text("slot_minutes", "Slot length in minutes", v, "From 5 to 480", "nhsuk-input--width-4"),
       Text("capacity", "Patients per slot", v, "Above 1 only for a group class",
            "nhsuk-input--width-4"),
       Select("modality", "How patients are seen", v, EnumChoices(modalities), "Choose one"),
       Select("ringfence", "Ring-fence", v, EnumChoices(fences), "",
              "Keeps the slots for post-operative or urgent patients until the embargo lifts"),
       Text("embargo_working_days", "Embargo in working days", v,
            "The slots open to everyone this many working days before they start; 0 without a "
            "ring-fence",
            "nhsuk-input--width-4"),
       Text("valid_from", "First day", v, "YYYY-MM-DD", "nhsuk-input--width-10"),
       Text("valid_until", "Last day (optional)", v,
            "YYYY-MM-DD; the template's later slots without bookings are cancelled",
            "nhsuk-input--width-10")});
}

template <typename T, Form (*to_form)(const T&), std::vector<T> Reference::*member>
std::optional<Form> StoredForm(const Reference& ref, const std::string& id) {
  const T* found = FindById(ref.*member, id);
  if (found == nullptr) return std::nullopt;
  return to_form(*found);
}

Form NoDefaults(App::Impl&) { return {}; }

Form TemplateDefaults(App::Impl& app) {
  return {{"capacity", "1"},
          {"ringfence", "none"},
          {"embargo_working_days", "0"},
          {"valid_from", FormatDate(LondonDate(app.Now()))}};
}

const Kind kSites{
    "/admin/sites", "Sites",
    "site",         "The places the service runs clinics, with their rooms and clinic days a week.",
    SiteRows,       {"Id", "Name", "Region", "Address", "Rooms", "Clinic days a week"},
    SiteFields,     StoredForm<Site, SiteForm, &Reference::sites>,
    NoDefaults};
const Kind kRooms{"/admin/rooms", "Rooms",
                  "room",         "The rooms clinic templates use. A room belongs to one site.",
                  RoomRows,       {"Id", "Name", "Site"},
                  RoomFields,     StoredForm<Room, RoomForm, &Reference::rooms>,
                  NoDefaults};
const Kind kClinicians{"/admin/clinicians",
                       "Clinicians",
                       "clinician",
                       "The clinicians who run clinics, their skills and base site.",
                       ClinicianRows,
                       {"Id", "Name", "Profession", "Skills", "Base site", "Whole-time equivalent"},
                       ClinicianFields,
                       StoredForm<Clinician, ClinicianForm, &Reference::clinicians>,
                       NoDefaults};
const Kind kTemplates{
    "/admin/templates",
    "Clinic templates",
    "clinic template",
    "Each template is a clinician's session in a room on some weekdays, cut into slots. Saving one "
    "makes its slots for the coming weeks; a change never moves or drops a booked appointment.",
    TemplateRows,
    {"Id", "Clinician", "Site", "Days", "Session", "Slots", "Seen by", "Ring-fence", "Valid"},
    TemplateFields,
    StoredForm<ClinicTemplate, TemplateForm, &Reference::templates>,
    TemplateDefaults};

// --- Pages ---------------------------------------------------------------------------------

std::string Plural(int n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

json SlotRow(const std::vector<Clinician>& clinicians, const Slot& s) {
  const Clinician* c = FindById(clinicians, s.clinician_id);
  return json::array({FormatLondon(s.start), c ? c->name : s.clinician_id,
                      std::to_string(s.booked) + " of " + std::to_string(s.capacity),
                      s.cancelled ? "Cancelled" : "Running"});
}

// The warning that lists slots holding bookings the template no longer makes.
json StrandedView(const std::vector<Clinician>& clinicians, const std::vector<Slot>& stranded) {
  if (stranded.empty()) return nullptr;
  int booked = 0;
  json rows = json::array();
  for (const Slot& s : stranded) {
    booked += s.booked;
    rows.push_back(SlotRow(clinicians, s));
  }
  return {{"heading", "Booked appointments to move"},
          {"text", Plural(booked, "booked appointment", "booked appointments") + " in " +
                       Plural(static_cast<int>(stranded.size()), "slot", "slots") +
                       " no longer match this template. They stay as they are until a booking "
                       "coordinator moves each patient; new slots at the same times are held back "
                       "until then."},
          {"rows", rows}};
}

json ChangesLines(const workflow::SlotChanges& c) {
  json lines = json::array(
      {Plural(c.added, "slot", "slots") + " added, through " + FormatDate(c.through) + "."});
  if (c.cancelled > 0) {
    lines.push_back(Plural(c.cancelled, "future slot", "future slots") +
                    " without bookings cancelled, as the template no longer makes them.");
  }
  if (c.held_back > 0) {
    lines.push_back(Plural(c.held_back, "slot is", "slots are") +
                    " held back until the booked appointments below are moved.");
  }
  if (c.kept_cancelled > 0) {
    lines.push_back(Plural(c.kept_cancelled, "slot", "slots") +
                    " the template makes stay cancelled (for example for a clinician's absence).");
  }
  return lines;
}

// A template's upcoming slots and the booked ones it no longer makes, for its page.
Status AddTemplateSlots(App::Impl& app, const Reference& ref, const std::string& id, json& data) {
  const ClinicTemplate* t = FindById(ref.templates, id);
  if (t == nullptr) return OkStatus();
  ASSIGN_OR_RETURN(std::vector<Slot> slots,
                   workflow::UpcomingSlots(app.env, id, app.Now(), kSlotsShown));
  json rows = json::array();
  for (const Slot& s : slots) rows.push_back(SlotRow(ref.clinicians, s));
  data["slots"] = {{"caption", "The next " + std::to_string(kSlotsShown) + " slots"},
                   {"head", json::array({"Starts", "Clinician", "Booked", "State"})},
                   {"rows", rows}};
  if (!data.contains("stranded")) {
    // A horizon past the bank-holiday file cannot be planned; the page still shows the slots.
    auto plan = workflow::PlanClinicTemplate(app.env, *t, app.Now());
    if (plan.ok()) {
      data["stranded"] = StrandedView(ref.clinicians, plan->stranded);
    } else if (plan.status().code() != StatusCode::kFailedPrecondition) {
      return plan.status();
    }
  }
  return OkStatus();
}

Response RecordsPage(App::Impl& app, const Context& ctx, const Kind& kind, int status,
                     const Form& values, bool editing,
                     const std::vector<workflow::FieldError>& errors = {},
                     json data = json::object()) {
  auto ref = ReadReference(app);
  if (!ref.ok()) return app.Error(ctx, 503);
  json fields = kind.fields(app, *ref, values, editing);
  const std::string id = FormValue(values, "id");
  data["page_title"] = kind.title;
  data["intro"] = kind.intro;
  data["errors"] = PageErrors(errors, fields);
  data["table"] = {{"caption", kind.title}, {"head", kind.head}, {"rows", kind.rows(kind, *ref)}};
  data["form"] = {{"heading", editing ? "Change " + std::string(kind.singular) + " " + id
                                      : "Add a " + std::string(kind.singular)},
                  {"action", kind.path},
                  {"mode", editing ? "edit" : "add"},
                  {"submit", editing ? "Save changes" : "Add " + std::string(kind.singular)},
                  {"add_href", editing ? kind.path : ""},
                  {"fields", std::move(fields)}};
  if (&kind == &kTemplates && editing && !AddTemplateSlots(app, *ref, id, data).ok()) {
    return app.Error(ctx, 503);
  }
  return app.Page(ctx, status, "admin_records", std::move(data));
}

Response ShowRecords(App::Impl& app, Context& ctx, const Kind& kind) {
  const std::string id = ctx.request.query["id"];
  if (id.empty()) return RecordsPage(app, ctx, kind, 200, kind.defaults(app), false);
  auto ref = ReadReference(app);
  if (!ref.ok()) return app.Error(ctx, 503);
  std::optional<Form> stored = kind.stored(*ref, id);
  if (!stored) return app.Error(ctx, 404);
  return RecordsPage(app, ctx, kind, 200, *stored, true);
}

// What a page shows when a save is refused: every field the workflow's check names, or the one
// error the save gave.
StatusOr<std::vector<workflow::FieldError>> Refusal(
    const Status& status,
    const std::function<StatusOr<std::vector<workflow::FieldError>>()>& check) {
  if (status.code() == StatusCode::kInvalidArgument) {
    ASSIGN_OR_RETURN(std::vector<workflow::FieldError> errors, check());
    if (!errors.empty()) return errors;
  }
  const StatusCode code = status.code();
  if (code != StatusCode::kInvalidArgument && code != StatusCode::kAlreadyExists &&
      code != StatusCode::kNotFound && code != StatusCode::kFailedPrecondition) {
    return status;
  }
  return std::vector<workflow::FieldError>{{status.field(), status.message()}};
}

// One record's save, given the parsed record, from a page or the API.
struct Saving {
  std::function<Status()> save;
  std::function<StatusOr<std::vector<workflow::FieldError>>()> check;
};

// A save from a record's page: the page again with every error named, or with `success()` (a
// banner; by default "<Kind> <id> saved") and the form to change the record.
Response SaveFromPage(App::Impl& app, Context& ctx, const Kind& kind,
                      const std::vector<workflow::FieldError>& parse_errors,
                      const std::function<Saving(workflow::SaveMode)>& saving,
                      const std::function<json()>& success = {}) {
  auto mode = workflow::ParseSaveMode(ctx.form["mode"]);
  if (!mode.ok()) return app.Error(ctx, 400);
  const bool editing = *mode == workflow::SaveMode::kEdit;
  if (!parse_errors.empty()) {
    return RecordsPage(app, ctx, kind, 400, ctx.form, editing, parse_errors);
  }
  Saving s = saving(*mode);
  const Status saved = s.save();
  if (!saved.ok()) {
    auto errors = Refusal(saved, s.check);
    if (!errors.ok()) return app.Error(ctx, HttpStatusFor(errors.status().code()));
    return RecordsPage(app, ctx, kind, HttpStatusFor(saved.code()), ctx.form, editing, *errors);
  }
  json data =
      success
          ? success()
          : json{{"banner", {{"title", Words(kind.singular) + " " + ctx.form["id"] + " saved"}}}};
  return RecordsPage(app, ctx, kind, 200, ctx.form, true, {}, std::move(data));
}

workflow::Actor ActorIn(const Context& ctx) { return ActorOf(*ctx.user); }

Response SaveSitePage(App::Impl& app, Context& ctx) {
  auto parsed = workflow::ParseSite(BodyOf(ctx.form, {"id", "name", "region", "address", "latitude",
                                                      "longitude", "rooms", "weekly_clinic_days"}));
  return SaveFromPage(app, ctx, kSites, parsed.errors, [&](workflow::SaveMode mode) {
    return Saving{[&, mode] {
                    return workflow::SaveSite(app.env, ActorIn(ctx), *parsed.value, mode,
                                              app.service.regions, app.Now());
                  },
                  [&] { return workflow::CheckSite(app.env, *parsed.value, app.service.regions); }};
  });
}

Response SaveRoomPage(App::Impl& app, Context& ctx) {
  auto parsed = workflow::ParseRoom(BodyOf(ctx.form, {"id", "site_id", "name"}));
  return SaveFromPage(app, ctx, kRooms, parsed.errors, [&](workflow::SaveMode mode) {
    return Saving{[&, mode] {
                    return workflow::SaveRoom(app.env, ActorIn(ctx), *parsed.value, mode,
                                              app.Now());
                  },
                  [&] { return workflow::CheckRoom(app.env, *parsed.value); }};
  });
}

Response SaveClinicianPage(App::Impl& app, Context& ctx) {
  auto parsed = workflow::ParseClinician(
      BodyOf(ctx.form, {"id", "name", "profession", "base_site_id", "fte"}, {"skills"}));
  return SaveFromPage(app, ctx, kClinicians, parsed.errors, [&](workflow::SaveMode mode) {
    return Saving{
        [&, mode] {
          return workflow::SaveClinician(app.env, ActorIn(ctx), *parsed.value, mode, app.Now());
        },
        [&] { return workflow::CheckClinician(app.env, *parsed.value, LondonDate(app.Now())); }};
  });
}

json TemplateBody(const Form& form) {
  return BodyOf(
      form,
      {"id", "clinician_id", "site_id", "room_id", "start", "end", "slot_type", "slot_minutes",
       "capacity", "modality", "ringfence", "embargo_working_days", "valid_from", "valid_until"},
      {"weekdays"});
}

Response SaveTemplatePage(App::Impl& app, Context& ctx) {
  auto parsed = workflow::ParseClinicTemplate(TemplateBody(ctx.form), LondonDate(app.Now()));
  workflow::SlotChanges changes;
  auto saving = [&](workflow::SaveMode mode) {
    return Saving{[&, mode]() -> Status {
                    auto saved = workflow::SaveClinicTemplate(app.env, ActorIn(ctx), *parsed.value,
                                                              mode, app.Now());
                    if (saved.ok()) changes = *std::move(saved);
                    return saved.status();
                  },
                  [&] { return workflow::CheckClinicTemplate(app.env, *parsed.value); }};
  };
  auto success = [&] {
    auto clinicians = app.store.ListClinicians();
    return json{{"banner",
                 {{"title", "Clinic template " + parsed.value->id + " saved"},
                  {"lines", ChangesLines(changes)}}},
                {"stranded", StrandedView(clinicians.ok() ? *clinicians : std::vector<Clinician>{},
                                          changes.stranded)}};
  };
  return SaveFromPage(app, ctx, kTemplates, parsed.errors, saving, success);
}

json IndexCards() {
  auto card = [](const char* title, const char* text, const char* href) {
    return json{{"title", title}, {"text", text}, {"href", href}};
  };
  return json::array(
      {card("Sites", "Where clinics run.", "/admin/sites"),
       card("Rooms", "The rooms at each site.", "/admin/rooms"),
       card("Clinicians", "Skills, base site and hours.", "/admin/clinicians"),
       card("Clinic templates", "Sessions that make the slots patients book.", "/admin/templates"),
       card("Accounts", "Who can sign in, and their roles.", "/admin/users"),
       card("Audit log", "Every look at patient data, and every change here.", "/admin/audit")});
}

Response IndexPage(App::Impl& app, const Context& ctx, int status, json data) {
  data["page_title"] = "Administration";
  data["cards"] = IndexCards();
  data["horizon_weeks"] = std::to_string(app.env.timing.horizon_weeks);
  return app.Page(ctx, status, "admin", std::move(data));
}

Response Index(App::Impl& app, Context& ctx) { return IndexPage(app, ctx, 200, json::object()); }

Response ExtendPage(App::Impl& app, Context& ctx) {
  auto changes =
      workflow::ExtendHorizon(app.env, ActorIn(ctx), app.env.timing.horizon_weeks, app.Now());
  if (!changes.ok()) {
    const StatusCode code = changes.status().code();
    if (code != StatusCode::kFailedPrecondition) return app.Error(ctx, HttpStatusFor(code));
    return IndexPage(
        app, ctx, HttpStatusFor(code),
        {{"errors",
          json::array({{{"field", ""}, {"message", Sentence(changes.status().message())}}})}});
  }
  json lines = ChangesLines(*changes);
  if (!changes->stranded.empty()) {
    lines.push_back(Plural(static_cast<int>(changes->stranded.size()), "slot", "slots") +
                    " with bookings no longer match their template; open each template to see "
                    "which.");
  }
  return IndexPage(app, ctx, 200, {{"banner", {{"title", "Slots extended"}, {"lines", lines}}}});
}

}  // namespace

void RegisterAdmin(App::Impl& app) {
  auto bind = [&app](Response (*fn)(App::Impl&, Context&)) {
    return [&app, fn](Context& ctx) { return fn(app, ctx); };
  };
  auto show = [&app](const Kind& kind) {
    return [&app, &kind](Context& ctx) { return ShowRecords(app, ctx, kind); };
  };
  const Access admin = Access::Roles({Role::kAdministrator});
  Router& r = app.router;
  r.Add({Method::kGet, "/admin", admin, false, bind(Index)});
  r.Add({Method::kPost, "/admin/slots/extend", admin, false, bind(ExtendPage)});
  r.Add({Method::kGet, "/admin/sites", admin, false, show(kSites)});
  r.Add({Method::kPost, "/admin/sites", admin, false, bind(SaveSitePage)});
  r.Add({Method::kGet, "/admin/rooms", admin, false, show(kRooms)});
  r.Add({Method::kPost, "/admin/rooms", admin, false, bind(SaveRoomPage)});
  r.Add({Method::kGet, "/admin/clinicians", admin, false, show(kClinicians)});
  r.Add({Method::kPost, "/admin/clinicians", admin, false, bind(SaveClinicianPage)});
  r.Add({Method::kGet, "/admin/templates", admin, false, show(kTemplates)});
  r.Add({Method::kPost, "/admin/templates", admin, false, bind(SaveTemplatePage)});
}

}  // namespace tendon::http
