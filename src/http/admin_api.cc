// The JSON API of the administrator's pages (admin.cc): sites, rooms, clinicians and clinic
// templates listed and saved, and the rolling horizon of slots moved on. Administrators only; no
// patient's data. The handlers translate; the rules are workflow/admin.h's.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/london_time.h"
#include "http/app_internal.h"
#include "http/errors.h"
#include "workflow/admin.h"

namespace tendon::http {
namespace {

using nlohmann::json;

json SiteJson(const Site& s) {
  return {{"id", s.id},
          {"name", s.name},
          {"region", s.region},
          {"address", s.address},
          {"latitude", s.latitude},
          {"longitude", s.longitude},
          {"rooms", s.rooms},
          {"weekly_clinic_days", s.weekly_clinic_days}};
}

json RoomJson(const Room& r) { return {{"id", r.id}, {"site_id", r.site_id}, {"name", r.name}}; }

json ClinicianJson(const Clinician& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"profession", c.profession},
          {"skills", c.skills},
          {"base_site_id", c.base_site_id},
          {"fte", c.fte}};
}

json TemplateJson(const ClinicTemplate& t) {
  json days = json::array();
  for (int day : t.weekdays) days.push_back(std::string(WeekdayName(day)));
  return {{"id", t.id},
          {"clinician_id", t.clinician_id},
          {"site_id", t.site_id},
          {"room_id", t.room_id},
          {"weekdays", days},
          {"start", FormatClock(t.start_minute)},
          {"end", FormatClock(t.end_minute)},
          {"slot_type", std::string(ToString(t.slot_type))},
          {"slot_minutes", t.slot_minutes},
          {"capacity", t.capacity},
          {"modality", std::string(ToString(t.modality))},
          {"ringfence", std::string(ToString(t.ringfence))},
          {"embargo_working_days", t.embargo_working_days},
          {"valid_from", FormatDate(t.valid_from)},
          {"valid_until", t.valid_until ? json(FormatDate(*t.valid_until)) : json()}};
}

json ChangesJson(const workflow::SlotChanges& c) {
  json stranded = json::array();
  for (const Slot& s : c.stranded) {
    stranded.push_back({{"slot_id", s.id},
                        {"start", FormatInstant(s.start)},
                        {"booked", s.booked},
                        {"capacity", s.capacity}});
  }
  return {{"slots_added", c.added},           {"slots_cancelled", c.cancelled},
          {"slots_held_back", c.held_back},   {"slots_kept_cancelled", c.kept_cancelled},
          {"booked_slots_to_move", stranded}, {"through", FormatDate(c.through)}};
}

template <typename T>
Response ListApi(const StatusOr<std::vector<T>>& items, const char* key,
                 json (*to_json)(const T&)) {
  if (!items.ok()) return JsonError(items.status());
  json out = json::array();
  for (const T& item : *items) out.push_back(to_json(item));
  return Response::Json(200, json{{key, out}}.dump());
}

// The body's "mode" (default "add") and the record without it.
StatusOr<workflow::SaveMode> TakeMode(json& body) {
  std::string mode = "add";
  if (auto it = body.find("mode"); it != body.end()) {
    if (!it->is_string()) return InvalidArgumentError("must be \"add\" or \"edit\"", "mode");
    mode = it->get<std::string>();
    body.erase(it);
  }
  return workflow::ParseSaveMode(mode);
}

template <typename T>
using Check = std::function<StatusOr<std::vector<workflow::FieldError>>(const T&)>;

// A save from the API: 400 naming every bad field (parsing's, or else the workflow check's), the
// save's own error, or `answer()` with 201 (an addition) or 200 (a change).
template <typename T>
Response SaveApi(const workflow::Parsed<T>& parsed, workflow::SaveMode mode,
                 const std::function<Status(const T&)>& save, const Check<T>& check,
                 const std::function<json()>& answer) {
  if (!parsed.value) return JsonFieldErrors(parsed.errors);
  const Status saved = save(*parsed.value);
  if (saved.code() == StatusCode::kInvalidArgument) {
    auto errors = check(*parsed.value);
    if (!errors.ok()) return JsonError(errors.status());
    if (!errors->empty()) return JsonFieldErrors(*errors);
  }
  if (!saved.ok()) return JsonError(saved);
  return Response::Json(mode == workflow::SaveMode::kAdd ? 201 : 200, answer().dump());
}

Response SiteApi(App::Impl& app, Context& ctx) {
  auto mode = TakeMode(ctx.json);
  if (!mode.ok()) return JsonError(mode.status());
  auto parsed = workflow::ParseSite(ctx.json);
  return SaveApi<Site>(
      parsed, *mode,
      [&](const Site& site) {
        return workflow::SaveSite(app.env, ActorOf(*ctx.user), site, *mode, app.service.regions,
                                  app.Now());
      },
      [&](const Site& site) { return workflow::CheckSite(app.env, site, app.service.regions); },
      [&] { return SiteJson(*parsed.value); });
}

Response RoomApi(App::Impl& app, Context& ctx) {
  auto mode = TakeMode(ctx.json);
  if (!mode.ok()) return JsonError(mode.status());
  auto parsed = workflow::ParseRoom(ctx.json);
  return SaveApi<Room>(
      parsed, *mode,
      [&](const Room& room) {
        return workflow::SaveRoom(app.env, ActorOf(*ctx.user), room, *mode, app.Now());
      },
      [&](const Room& room) { return workflow::CheckRoom(app.env, room); },
      [&] { return RoomJson(*parsed.value); });
}

Response ClinicianApi(App::Impl& app, Context& ctx) {
  auto mode = TakeMode(ctx.json);
  if (!mode.ok()) return JsonError(mode.status());
  auto parsed = workflow::ParseClinician(ctx.json);
  return SaveApi<Clinician>(
      parsed, *mode,
      [&](const Clinician& c) {
        return workflow::SaveClinician(app.env, ActorOf(*ctx.user), c, *mode, app.Now());
      },
      [&](const Clinician& c) {
        return workflow::CheckClinician(app.env, c, LondonDate(app.Now()));
      },
      [&] { return ClinicianJson(*parsed.value); });
}

// Answers the template with what its save did to its slots.
Response TemplateApi(App::Impl& app, Context& ctx) {
  auto mode = TakeMode(ctx.json);
  if (!mode.ok()) return JsonError(mode.status());
  auto parsed = workflow::ParseClinicTemplate(ctx.json, LondonDate(app.Now()));
  workflow::SlotChanges changes;
  return SaveApi<ClinicTemplate>(
      parsed, *mode,
      [&](const ClinicTemplate& t) {
        auto saved = workflow::SaveClinicTemplate(app.env, ActorOf(*ctx.user), t, *mode, app.Now());
        if (saved.ok()) changes = *std::move(saved);
        return saved.status();
      },
      [&](const ClinicTemplate& t) { return workflow::CheckClinicTemplate(app.env, t); },
      [&] {
        json answer = TemplateJson(*parsed.value);
        answer["slots"] = ChangesJson(changes);
        return answer;
      });
}

Response ExtendApi(App::Impl& app, Context& ctx) {
  int weeks = app.env.timing.horizon_weeks;
  if (auto it = ctx.json.find("weeks"); it != ctx.json.end() && !it->is_null()) {
    if (!it->is_number_integer()) {
      return JsonError(InvalidArgumentError("must be a whole number", "weeks"));
    }
    // Out of int's range is out of the horizon's too: ExtendHorizon refuses it, naming "weeks".
    weeks = static_cast<int>(
        std::clamp<std::int64_t>(it->get<std::int64_t>(), 0, config::kMaxHorizonWeeks + 1));
  }
  auto changes = workflow::ExtendHorizon(app.env, ActorOf(*ctx.user), weeks, app.Now());
  if (!changes.ok()) return JsonError(changes.status());
  return Response::Json(200, ChangesJson(*changes).dump());
}

}  // namespace

void RegisterAdminApi(App::Impl& app) {
  auto bind = [&app](Response (*fn)(App::Impl&, Context&)) {
    return [&app, fn](Context& ctx) { return fn(app, ctx); };
  };
  const Access admin = Access::Roles({Role::kAdministrator});
  Router& r = app.router;
  r.Add({Method::kGet, "/api/v1/admin/sites", admin, true,
         [&app](Context&) { return ListApi<Site>(app.store.ListSites(), "sites", SiteJson); }});
  r.Add({Method::kPost, "/api/v1/admin/sites", admin, true, bind(SiteApi)});
  r.Add({Method::kGet, "/api/v1/admin/rooms", admin, true,
         [&app](Context&) { return ListApi<Room>(app.store.ListRooms(), "rooms", RoomJson); }});
  r.Add({Method::kPost, "/api/v1/admin/rooms", admin, true, bind(RoomApi)});
  r.Add({Method::kGet, "/api/v1/admin/clinicians", admin, true, [&app](Context&) {
           return ListApi<Clinician>(app.store.ListClinicians(), "clinicians", ClinicianJson);
         }});
  r.Add({Method::kPost, "/api/v1/admin/clinicians", admin, true, bind(ClinicianApi)});
  r.Add({Method::kGet, "/api/v1/admin/templates", admin, true, [&app](Context&) {
           return ListApi<ClinicTemplate>(app.store.ListClinicTemplates(), "templates",
                                          TemplateJson);
         }});
  r.Add({Method::kPost, "/api/v1/admin/templates", admin, true, bind(TemplateApi)});
  r.Add({Method::kPost, "/api/v1/admin/slots/extend", admin, true, bind(ExtendApi)});
}

}  // namespace tendon::http
