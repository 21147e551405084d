#include "workflow/admin.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "config/clinics.h"
#include "config/csv.h"
#include "core/london_time.h"
#include "scheduling/reconcile.h"
#include "scheduling/slots.h"
#include "workflow/internal.h"

namespace tendon::workflow {
namespace {

using internal::FieldReader;
using nlohmann::json;

constexpr std::array<std::string_view, 8> kSiteFields = {
    "id", "name", "region", "address", "latitude", "longitude", "rooms", "weekly_clinic_days"};
constexpr std::array<std::string_view, 3> kRoomFields = {"id", "site_id", "name"};
constexpr std::array<std::string_view, 6> kClinicianFields = {
    "id", "name", "profession", "skills", "base_site_id", "fte"};
constexpr std::array<std::string_view, 15> kTemplateFields = {"id",
                                                              "clinician_id",
                                                              "site_id",
                                                              "room_id",
                                                              "weekdays",
                                                              "start",
                                                              "end",
                                                              "slot_type",
                                                              "slot_minutes",
                                                              "capacity",
                                                              "modality",
                                                              "ringfence",
                                                              "embargo_working_days",
                                                              "valid_from",
                                                              "valid_until"};

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

// Notes `message` against `field` unless the field has an error already: one per field.
void AddError(std::vector<FieldError>& errors, std::string field, std::string message) {
  const auto same = [&](const FieldError& e) { return e.field == field; };
  if (std::none_of(errors.begin(), errors.end(), same)) {
    errors.push_back({std::move(field), std::move(message)});
  }
}

// A template's members as its request fields: the session's times are read as "HH:MM".
std::string RequestField(std::string_view member) {
  if (member == "start_minute") return "start";
  if (member == "end_minute") return "end";
  return std::string(member);
}

void AddProblems(const std::vector<Status>& problems, std::vector<FieldError>& errors) {
  for (const Status& p : problems) AddError(errors, RequestField(p.field()), p.message());
}

// `errors` in the order of `fields`, the form's order.
template <std::size_t N>
std::vector<FieldError> InFieldOrder(std::vector<FieldError> errors,
                                     const std::array<std::string_view, N>& fields) {
  const auto rank = [&](const FieldError& e) {
    return std::find(fields.begin(), fields.end(), e.field) - fields.begin();
  };
  std::stable_sort(errors.begin(), errors.end(),
                   [&](const FieldError& a, const FieldError& b) { return rank(a) < rank(b); });
  return errors;
}

// A required number: "not given" is an error saying `missing`.
template <typename T>
T Need(FieldReader& r, std::string_view name,
       std::optional<T> (FieldReader::*read)(std::string_view), const char* missing) {
  if (!r.Given(name)) {
    r.Fail(name, missing);
    return T{};
  }
  return (r.*read)(name).value_or(T{});
}

// An optional number: `fallback` when not given.
int IntOr(FieldReader& r, std::string_view name, int fallback) {
  return r.Given(name) ? r.Int(name).value_or(fallback) : fallback;
}

std::optional<Date> ReadDate(FieldReader& r, std::string_view name) {
  const std::string text = r.Text(name, kMaxShortText);
  if (text.empty()) return std::nullopt;
  StatusOr<Date> date = ParseDate(text, name);
  if (!date.ok()) {
    r.Fail(date.status());
    return std::nullopt;
  }
  return *date;
}

// A required time of day, "HH:MM".
int ReadClock(FieldReader& r, std::string_view name, const char* missing) {
  const std::string text = r.Text(name, kMaxShortText);
  if (text.empty()) {
    r.Fail(name, missing);
    return 0;
  }
  StatusOr<int> minute = ParseClock(text, name);
  if (minute.ok()) return *minute;
  r.Fail(minute.status());
  return 0;
}

void ReadSession(FieldReader& r, ClinicTemplate& t) {
  for (const std::string& name : r.Texts("weekdays", kMaxShortText)) {
    StatusOr<int> day = ParseWeekday(name, "weekdays");
    if (!day.ok()) {
      r.Fail(day.status());
      break;
    }
    t.weekdays.push_back(*day);
  }
  t.start_minute = ReadClock(r, "start", "enter the time the session starts, such as 09:00");
  t.end_minute = ReadClock(r, "end", "enter the time the session ends, such as 12:30");
}

void ReadKind(FieldReader& r, ClinicTemplate& t) {
  if (auto type = r.Choice<SlotType>("slot_type", ParseSlotType)) {
    t.slot_type = *type;
  } else if (!r.Given("slot_type")) {
    r.Fail("slot_type", "choose what the slots are for");
  }
  t.slot_minutes =
      Need<int>(r, "slot_minutes", &FieldReader::Int, "enter how many minutes each slot lasts");
  t.capacity = IntOr(r, "capacity", 1);
  if (auto modality = r.Choice<Modality>("modality", ParseModality)) {
    t.modality = *modality;
  } else if (!r.Given("modality")) {
    r.Fail("modality", "choose how patients are seen");
  }
  t.ringfence = r.Choice<Ringfence>("ringfence", ParseRingfence).value_or(Ringfence::kNone);
  t.embargo_working_days = IntOr(r, "embargo_working_days", 0);
}

// Whether `id` is in use, as `mode` needs: AlreadyExists when adding a taken id, NotFound when
// changing an unknown one.
template <typename T>
Status CheckMode(const std::vector<T>& stored, const std::string& id, SaveMode mode,
                 std::string_view what) {
  const bool exists =
      std::any_of(stored.begin(), stored.end(), [&](const T& x) { return x.id == id; });
  if (mode == SaveMode::kAdd && exists) {
    return AlreadyExistsError(Quoted(id) + " is already the id of a " + std::string(what) +
                                  "; choose another, or change that one",
                              "id");
  }
  if (mode == SaveMode::kEdit && !exists) {
    return NotFoundError("no " + std::string(what) + " has the id " + Quoted(id), "id");
  }
  return OkStatus();
}

// The first of `errors` as an InvalidArgument, or OK.
Status FirstError(const std::vector<FieldError>& errors) {
  if (errors.empty()) return OkStatus();
  return InvalidArgumentError(errors.front().message, errors.front().field);
}

// Saves with `put` and the audit row `action` (reason: the record's id) in one transaction.
Status PutAudited(const Env& env, const Actor& actor, std::string_view action,
                  const std::string& id, Instant now,
                  const std::function<Status(store::WriteTxn&)>& put) {
  return env.store.Write([&](store::WriteTxn& txn) -> Status {
    RETURN_IF_ERROR(put(txn));
    return internal::Audit(txn, actor, "", action, now, id);
  });
}

bool HasSkill(const Clinician& c, std::string_view skill) {
  return std::find(c.skills.begin(), c.skills.end(), skill) != c.skills.end();
}

// The session clashes of `t` with the other stored templates of its clinician and room.
void AddClashes(const ClinicTemplate& t, const std::vector<ClinicTemplate>& stored,
                std::vector<FieldError>& errors) {
  for (const ClinicTemplate& other : stored) {
    if (other.id == t.id) continue;
    const std::optional<int> day = ClashDay(t, other);
    if (!day) continue;
    const std::string when = std::string(WeekdayName(*day)) + " " +
                             FormatClock(other.start_minute) + "-" + FormatClock(other.end_minute);
    if (other.clinician_id == t.clinician_id) {
      AddError(errors, "clinician_id",
               "the clinician already has a session then: " + other.id + " on " + when);
    }
    if (!t.room_id.empty() && other.room_id == t.room_id) {
      AddError(errors, "room_id", "the room is already in use then: " + other.id + " on " + when);
    }
  }
}

}  // namespace

StatusOr<SaveMode> ParseSaveMode(std::string_view name, std::string_view field) {
  if (name == "add") return SaveMode::kAdd;
  if (name == "edit") return SaveMode::kEdit;
  return InvalidArgumentError("must be \"add\" or \"edit\"", std::string(field));
}

Parsed<Site> ParseSite(const json& body) {
  Parsed<Site> parsed;
  FieldReader r(body, "", parsed.errors);
  Site s;
  s.id = r.Text("id", kMaxShortText);
  s.name = r.Text("name", kMaxShortText);
  s.region = r.Text("region", kMaxShortText);
  s.address = r.Text("address", kMaxShortText);
  s.latitude = Need<double>(r, "latitude", &FieldReader::Number, "enter the site's latitude");
  s.longitude = Need<double>(r, "longitude", &FieldReader::Number, "enter the site's longitude");
  s.rooms = Need<int>(r, "rooms", &FieldReader::Int, "enter how many rooms the site has");
  s.weekly_clinic_days = Need<int>(r, "weekly_clinic_days", &FieldReader::Int,
                                   "enter how many clinic days a week the site runs");
  r.RefuseUnknown();
  parsed.errors = InFieldOrder(std::move(parsed.errors), kSiteFields);
  if (parsed.errors.empty()) parsed.value = std::move(s);
  return parsed;
}

Parsed<Room> ParseRoom(const json& body) {
  Parsed<Room> parsed;
  FieldReader r(body, "", parsed.errors);
  Room room;
  room.id = r.Text("id", kMaxShortText);
  room.site_id = r.Text("site_id", kMaxShortText);
  room.name = r.Text("name", kMaxShortText);
  r.RefuseUnknown();
  if (parsed.errors.empty()) parsed.value = std::move(room);
  return parsed;
}

Parsed<Clinician> ParseClinician(const json& body) {
  Parsed<Clinician> parsed;
  FieldReader r(body, "", parsed.errors);
  Clinician c;
  c.id = r.Text("id", kMaxShortText);
  c.name = r.Text("name", kMaxShortText);
  c.profession = r.Text("profession", kMaxShortText);
  c.skills = r.Texts("skills", kMaxShortText);
  c.base_site_id = r.Text("base_site_id", kMaxShortText);
  c.fte = Need<double>(r, "fte", &FieldReader::Number,
                       "enter the clinician's whole-time equivalent, such as 0.8");
  r.RefuseUnknown();
  parsed.errors = InFieldOrder(std::move(parsed.errors), kClinicianFields);
  if (parsed.errors.empty()) parsed.value = std::move(c);
  return parsed;
}

Parsed<ClinicTemplate> ParseClinicTemplate(const json& body, Date today) {
  Parsed<ClinicTemplate> parsed;
  FieldReader r(body, "", parsed.errors);
  ClinicTemplate t;
  t.id = r.Text("id", kMaxShortText);
  t.clinician_id = r.Text("clinician_id", kMaxShortText);
  t.site_id = r.Text("site_id", kMaxShortText);
  t.room_id = r.Text("room_id", kMaxShortText);
  ReadSession(r, t);
  ReadKind(r, t);
  t.valid_from = ReadDate(r, "valid_from").value_or(today);
  t.valid_until = ReadDate(r, "valid_until");
  r.RefuseUnknown();
  parsed.errors = InFieldOrder(std::move(parsed.errors), kTemplateFields);
  if (parsed.errors.empty()) parsed.value = std::move(t);
  return parsed;
}

StatusOr<std::vector<FieldError>> CheckSite(const Env& env, const Site& site,
                                            const std::vector<config::Region>& regions) {
  ASSIGN_OR_RETURN(std::vector<Site> sites, env.store.ListSites());
  std::vector<FieldError> errors;
  AddProblems(config::SiteProblems(site, regions), errors);
  for (const Site& other : sites) {
    if (other.id != site.id && other.name == site.name) {
      AddError(errors, "name",
               Quoted(site.name) + " is the name of another site (" + other.id + ")");
    }
  }
  return InFieldOrder(std::move(errors), kSiteFields);
}

StatusOr<std::vector<FieldError>> CheckRoom(const Env& env, const Room& room) {
  ASSIGN_OR_RETURN(std::vector<Site> sites, env.store.ListSites());
  ASSIGN_OR_RETURN(std::vector<ClinicTemplate> templates, env.store.ListClinicTemplates());
  std::vector<FieldError> errors;
  if (!config::IsKebabId(room.id)) {
    AddError(errors, "id",
             Quoted(room.id) + " must be lower-case kebab, such as 'east-oxford-room-3'");
  }
  const bool site_known =
      std::any_of(sites.begin(), sites.end(), [&](const Site& s) { return s.id == room.site_id; });
  if (!site_known) AddError(errors, "site_id", "choose the site the room is at");
  for (const ClinicTemplate& t : templates) {
    if (t.room_id == room.id && t.site_id != room.site_id) {
      AddError(errors, "site_id",
               "clinic template " + t.id + " at " + t.site_id +
                   " uses this room; move that clinic before moving the room");
    }
  }
  if (room.name.empty()) AddError(errors, "name", "enter the room's name");
  return InFieldOrder(std::move(errors), kRoomFields);
}

StatusOr<std::vector<FieldError>> CheckClinician(const Env& env, const Clinician& clinician,
                                                 Date today) {
  ASSIGN_OR_RETURN(std::vector<Site> sites, env.store.ListSites());
  ASSIGN_OR_RETURN(std::vector<ClinicTemplate> templates, env.store.ListClinicTemplates());
  std::vector<FieldError> errors;
  AddProblems(config::ClinicianProblems(clinician, sites), errors);
  if (!HasSkill(clinician, "injection")) {
    for (const ClinicTemplate& t : templates) {
      const bool current = !t.valid_until || *t.valid_until >= today;
      if (t.clinician_id == clinician.id && t.slot_type == SlotType::kInjection && current) {
        AddError(errors, "skills",
                 "runs injection clinic " + t.id +
                     ": keep the injection skill, or give that clinic to another clinician first");
      }
    }
  }
  return InFieldOrder(std::move(errors), kClinicianFields);
}

StatusOr<std::vector<FieldError>> CheckClinicTemplate(const Env& env, const ClinicTemplate& t) {
  ASSIGN_OR_RETURN(std::vector<Site> sites, env.store.ListSites());
  ASSIGN_OR_RETURN(std::vector<Room> rooms, env.store.ListRooms());
  ASSIGN_OR_RETURN(std::vector<Clinician> clinicians, env.store.ListClinicians());
  ASSIGN_OR_RETURN(std::vector<ClinicTemplate> templates, env.store.ListClinicTemplates());
  std::vector<FieldError> errors;
  if (!t.id.empty() && !config::IsKebabId(t.id)) {
    AddError(errors, "id", Quoted(t.id) + " must be lower-case kebab, such as 'tpl-201'");
  }
  AddProblems(TemplateProblems(t), errors);
  AddProblems(config::TemplatePlaceProblems(t, clinicians, sites, rooms), errors);
  AddClashes(t, templates, errors);
  return InFieldOrder(std::move(errors), kTemplateFields);
}

Status SaveSite(const Env& env, const Actor& actor, const Site& site, SaveMode mode,
                const std::vector<config::Region>& regions, Instant now) {
  ASSIGN_OR_RETURN(std::vector<Site> sites, env.store.ListSites());
  RETURN_IF_ERROR(CheckMode(sites, site.id, mode, "site"));
  ASSIGN_OR_RETURN(std::vector<FieldError> errors, CheckSite(env, site, regions));
  RETURN_IF_ERROR(FirstError(errors));
  return PutAudited(env, actor, kAuditSiteSave, site.id, now,
                    [&](store::WriteTxn& txn) { return txn.PutSite(site); });
}

Status SaveRoom(const Env& env, const Actor& actor, const Room& room, SaveMode mode, Instant now) {
  ASSIGN_OR_RETURN(std::vector<Room> rooms, env.store.ListRooms());
  RETURN_IF_ERROR(CheckMode(rooms, room.id, mode, "room"));
  ASSIGN_OR_RETURN(std::vector<FieldError> errors, CheckRoom(env, room));
  RETURN_IF_ERROR(FirstError(errors));
  return PutAudited(env, actor, kAuditRoomSave, room.id, now,
                    [&](store::WriteTxn& txn) { return txn.PutRoom(room); });
}

Status SaveClinician(const Env& env, const Actor& actor, const Clinician& clinician, SaveMode mode,
                     Instant now) {
  ASSIGN_OR_RETURN(std::vector<Clinician> clinicians, env.store.ListClinicians());
  RETURN_IF_ERROR(CheckMode(clinicians, clinician.id, mode, "clinician"));
  ASSIGN_OR_RETURN(std::vector<FieldError> errors, CheckClinician(env, clinician, LondonDate(now)));
  RETURN_IF_ERROR(FirstError(errors));
  return PutAudited(env, actor, kAuditClinicianSave, clinician.id, now,
                    [&](store::WriteTxn& txn) { return txn.PutClinician(clinician); });
}

// --- Slots over the rolling horizon -------------------------------------------------------------

namespace {

constexpr int kDaysPerWeek = 7;
// Every generator stops within kMaxHorizonWeeks of the day it ran, so a window that long from now
// holds every stored future slot.
constexpr std::chrono::weeks kFutureWindow{config::kMaxHorizonWeeks + 1};

// The stored slots starting from `now`, cancelled ones included, by template id, each by start.
StatusOr<std::map<std::string, std::vector<Slot>>> FutureSlots(const Env& env, Instant now) {
  store::SlotQuery query;
  query.from = now;
  query.to = now + kFutureWindow;
  query.include_cancelled = true;
  query.limit = std::numeric_limits<int>::max();
  ASSIGN_OR_RETURN(std::vector<Slot> slots, env.store.ListSlots(query));
  std::map<std::string, std::vector<Slot>> by_template;
  for (Slot& s : slots) by_template[s.template_id].push_back(std::move(s));
  return by_template;
}

// The plan for `t` against its stored future slots, over `weeks` weeks from today or to its last
// stored slot, whichever is later; `through` becomes the last day generated.
StatusOr<scheduling::SlotPlan> PlanFor(const Env& env, const ClinicTemplate& t,
                                       const std::vector<Slot>& stored, int weeks, Instant now,
                                       Date& through) {
  const Date today = LondonDate(now);
  Date last = today + date::days(weeks * kDaysPerWeek - 1);
  if (!stored.empty()) last = std::max(last, LondonDate(stored.back().start));
  if (!env.calendar.Covers(last)) {
    return FailedPreconditionError("the bank holiday file ends before " + FormatDate(last) +
                                       "; add the later years' bank holidays first",
                                   "weeks");
  }
  through = std::max(through, last);
  ASSIGN_OR_RETURN(std::vector<Slot> wanted,
                   scheduling::GenerateSlots(t, env.calendar, today, last));
  return scheduling::PlanSlots(wanted, stored, now);
}

void Count(const scheduling::SlotPlan& plan, SlotChanges& changes) {
  changes.stranded.insert(changes.stranded.end(), plan.stranded.begin(), plan.stranded.end());
  changes.held_back += plan.held_back;
  changes.kept_cancelled += plan.kept_cancelled;
}

// Applies `plan` in `txn`. A slot to cancel that was booked since the plan was made is kept, as
// stranded, and the new slots that overlap it are held back.
Status Apply(store::WriteTxn& txn, scheduling::SlotPlan plan, SlotChanges& changes) {
  std::vector<Slot> raced;
  for (const std::string& id : plan.to_cancel) {
    ASSIGN_OR_RETURN(Slot slot, txn.GetSlot(id));
    if (slot.booked > 0) {
      raced.push_back(std::move(slot));
      continue;
    }
    RETURN_IF_ERROR(txn.SetSlotCancelled(id, true));
    ++changes.cancelled;
  }
  const auto blocked = [&](const Slot& added) {
    return std::any_of(raced.begin(), raced.end(),
                       [&](const Slot& s) { return added.start < s.end && s.start < added.end; });
  };
  const auto kept = std::remove_if(plan.to_add.begin(), plan.to_add.end(), blocked);
  plan.held_back += static_cast<int>(plan.to_add.end() - kept);
  plan.to_add.erase(kept, plan.to_add.end());
  plan.stranded.insert(plan.stranded.end(), raced.begin(), raced.end());
  ASSIGN_OR_RETURN(int added, txn.PutSlots(plan.to_add));
  changes.added += added;
  Count(plan, changes);
  return OkStatus();
}

Status CheckTemplateSave(const Env& env, const ClinicTemplate& t, SaveMode mode) {
  ASSIGN_OR_RETURN(std::vector<ClinicTemplate> templates, env.store.ListClinicTemplates());
  RETURN_IF_ERROR(CheckMode(templates, t.id, mode, "clinic template"));
  ASSIGN_OR_RETURN(std::vector<FieldError> errors, CheckClinicTemplate(env, t));
  return FirstError(errors);
}

}  // namespace

StatusOr<SlotChanges> SaveClinicTemplate(const Env& env, const Actor& actor,
                                         const ClinicTemplate& t, SaveMode mode, Instant now) {
  RETURN_IF_ERROR(CheckTemplateSave(env, t, mode));
  ASSIGN_OR_RETURN(auto future, FutureSlots(env, now));
  SlotChanges changes;
  ASSIGN_OR_RETURN(scheduling::SlotPlan plan,
                   PlanFor(env, t, future[t.id], env.timing.horizon_weeks, now, changes.through));
  RETURN_IF_ERROR(env.store.Write([&](store::WriteTxn& txn) -> Status {
    RETURN_IF_ERROR(txn.PutClinicTemplate(t));
    RETURN_IF_ERROR(Apply(txn, std::move(plan), changes));
    return internal::Audit(txn, actor, "", kAuditTemplateSave, now, t.id);
  }));
  return changes;
}

StatusOr<SlotChanges> PlanClinicTemplate(const Env& env, const ClinicTemplate& t, Instant now) {
  ASSIGN_OR_RETURN(auto future, FutureSlots(env, now));
  SlotChanges changes;
  ASSIGN_OR_RETURN(scheduling::SlotPlan plan,
                   PlanFor(env, t, future[t.id], env.timing.horizon_weeks, now, changes.through));
  changes.added = static_cast<int>(plan.to_add.size());
  changes.cancelled = static_cast<int>(plan.to_cancel.size());
  Count(plan, changes);
  return changes;
}

StatusOr<std::vector<Slot>> UpcomingSlots(const Env& env, std::string_view template_id, Instant now,
                                          int limit) {
  ASSIGN_OR_RETURN(auto future, FutureSlots(env, now));
  std::vector<Slot>& slots = future[std::string(template_id)];
  if (slots.size() > static_cast<std::size_t>(std::max(limit, 0))) slots.resize(limit);
  return std::move(slots);
}

StatusOr<SlotChanges> ExtendHorizon(const Env& env, const Actor& actor, int weeks, Instant now) {
  if (weeks < 1 || weeks > config::kMaxHorizonWeeks) {
    return InvalidArgumentError(
        "must be from 1 to " + std::to_string(config::kMaxHorizonWeeks) + " weeks", "weeks");
  }
  ASSIGN_OR_RETURN(std::vector<ClinicTemplate> templates, env.store.ListClinicTemplates());
  ASSIGN_OR_RETURN(auto future, FutureSlots(env, now));
  SlotChanges changes;
  std::vector<scheduling::SlotPlan> plans;
  for (const ClinicTemplate& t : templates) {
    StatusOr<scheduling::SlotPlan> plan =
        PlanFor(env, t, future[t.id], weeks, now, changes.through);
    if (!plan.ok()) return plan.status().WithContext("clinic template " + t.id);
    plans.push_back(std::move(plan).value());
  }
  RETURN_IF_ERROR(env.store.Write([&](store::WriteTxn& txn) -> Status {
    for (scheduling::SlotPlan& plan : plans) RETURN_IF_ERROR(Apply(txn, std::move(plan), changes));
    return internal::Audit(txn, actor, "", kAuditSlotsExtend, now,
                           std::to_string(weeks) + " weeks");
  }));
  return changes;
}

}  // namespace tendon::workflow
