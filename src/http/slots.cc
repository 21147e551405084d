// Slot search over the API and the next-available figures (the booking issue). A search for a
// referral reads its need from its triage and the patient's place from their postcode district; it
// is checked and audited like any look at the referral. A search for an explicit need, and the
// next-available figures, show no patient's data.
#include <set>
#include <string>
#include <vector>

#include "core/london_time.h"
#include "http/app_internal.h"
#include "http/errors.h"
#include "http/schedule_views.h"
#include "workflow/slot_search.h"

namespace tendon::http {
namespace {

using nlohmann::json;

json NeedJson(const scheduling::Need& need) {
  return {{"type", std::string(ToString(need.type))},
          {"modality", need.modality ? json(std::string(ToString(*need.modality))) : json()},
          {"priority", std::string(ToString(need.priority))},
          {"skill", need.skill}};
}

json CandidateJson(const scheduling::Candidate& c) {
  const Slot& s = c.slot;
  return {{"slot_id", s.id},
          {"start", FormatInstant(s.start)},
          {"end", FormatInstant(s.end)},
          {"site_id", s.site_id},
          {"clinician_id", s.clinician_id},
          {"type", std::string(ToString(s.type))},
          {"modality", std::string(ToString(s.modality))},
          {"places_free", s.capacity - s.booked},
          {"distance_km", c.distance_km ? json(*c.distance_km) : json()}};
}

// InvalidArgument naming "preferences.sites" when a site asked for does not exist: a misspelt site
// would otherwise just find nothing.
Status CheckSites(App::Impl& app, const std::vector<std::string>& asked) {
  if (asked.empty()) return OkStatus();
  ASSIGN_OR_RETURN(std::vector<Site> sites, app.store.ListSites());
  std::set<std::string> known;
  for (const Site& s : sites) known.insert(s.id);
  for (const std::string& id : asked) {
    if (!known.contains(id)) return InvalidArgumentError("no site " + id, "preferences.sites");
  }
  return OkStatus();
}

// The referral's need and the patient's place, when the user may see the referral; the look is
// audited either way, and a refused referral looks like a missing one.
StatusOr<std::pair<scheduling::Need, scheduling::Origin>> ForReferral(App::Impl& app,
                                                                      const User& user,
                                                                      const std::string& id) {
  auto referral = app.store.GetReferral(id);
  const bool allowed = referral.ok() && MaySee(user, *referral);
  if (referral.ok()) {
    RETURN_IF_ERROR(
        app.Audit(user, referral->patient_key, allowed ? "slots.search" : "slots.search.denied"));
  }
  if (!allowed) return NotFoundError("no referral found", "referral_id");
  ASSIGN_OR_RETURN(scheduling::Need need, workflow::ReferralNeed(app.env, id));
  ASSIGN_OR_RETURN(Patient patient, app.store.GetPatient(referral->patient_key));
  return std::make_pair(need, workflow::OriginOf(patient.postcode, app.service.districts));
}

Response SearchApi(App::Impl& app, Context& ctx) {
  const auto parsed = workflow::ParseSlotSearch(ctx.json);
  if (!parsed.value) return JsonFieldErrors(parsed.errors);
  const workflow::SlotSearchRequest& request = *parsed.value;
  Status sites = CheckSites(app, request.preferences.sites);
  if (!sites.ok()) return JsonError(sites);
  scheduling::Need need;
  scheduling::Origin origin;
  if (!request.referral_id.empty()) {
    auto found = ForReferral(app, *ctx.user, request.referral_id);
    if (!found.ok()) return JsonError(found.status());
    std::tie(need, origin) = *found;
  } else {
    need = *request.need;
    origin = workflow::OriginOfDistrict(request.postcode_district, app.service.districts);
  }
  auto slots = workflow::SearchFreeSlots(app.env, need, request.preferences, origin, request.order,
                                         request.limit, app.Now());
  if (!slots.ok()) return JsonError(slots.status());
  json rows = json::array();
  for (const scheduling::Candidate& c : *slots) rows.push_back(CandidateJson(c));
  json body{{"need", NeedJson(need)},
            {"origin_known", origin.known},
            {"order", std::string(workflow::ToString(request.order))},
            {"slots", rows}};
  return Response::Json(200, body.dump());
}

Response NextAvailableApi(App::Impl& app, Context&) {
  const Instant now = app.Now();
  auto figures = workflow::NextAvailable(app.env, now);
  if (!figures.ok()) return JsonError(figures.status());
  json rows = json::array();
  for (const scheduling::NextAvailableFigure& f : *figures) {
    rows.push_back({{"tier", std::string(ToString(f.tier))},
                    {"modality", std::string(ToString(f.modality))},
                    {"working_days", f.working_days ? json(*f.working_days) : json()}});
  }
  json body{{"as_of", FormatInstant(now)},
            {"horizon_weeks", workflow::kSearchHorizon.count()},
            {"figures", rows}};
  return Response::Json(200, body.dump());
}

std::string DaysWords(const std::optional<int>& days) {
  if (!days) return "None free";
  if (*days == 0) return "Today";
  return std::to_string(*days) + (*days == 1 ? " working day" : " working days");
}

// One row per tier, one column per modality, in NextAvailableByTier's order.
Response NextAvailablePage(App::Impl& app, Context& ctx) {
  const Instant now = app.Now();
  auto figures = workflow::NextAvailable(app.env, now);
  if (!figures.ok()) return app.Error(ctx, HttpStatusFor(figures.status().code()));
  json rows = json::array();
  json head = json::array();
  for (const scheduling::NextAvailableFigure& f : *figures) {
    if (rows.empty() || rows.back()["tier"] != TierLabel(f.tier)) {
      rows.push_back({{"tier", TierLabel(f.tier)}, {"cells", json::array()}});
    }
    rows.back()["cells"].push_back(DaysWords(f.working_days));
    if (rows.size() == 1) head.push_back(ModalityLabel(f.modality));
  }
  return app.Page(ctx, 200, "next_available",
                  {{"page_title", "Next available appointment"},
                   {"as_of", FormatLondon(now)},
                   {"horizon_weeks", std::to_string(workflow::kSearchHorizon.count())},
                   {"head", head},
                   {"rows", rows}});
}

}  // namespace

void RegisterSlots(App::Impl& app) {
  auto bind = [&app](Response (*fn)(App::Impl&, Context&)) {
    return [&app, fn](Context& ctx) { return fn(app, ctx); };
  };
  Router& r = app.router;
  // The referral, when one is named, is checked and audited by the handler: a search may instead
  // name an explicit need, which shows no one's data.
  r.Add({Method::kPost, "/api/v1/slots/search",
         Access::Roles({Role::kCoordinator, Role::kTreatingClinician}), true, bind(SearchApi)});
  const Access planners =
      Access::Roles({Role::kCoordinator, Role::kCommissioner, Role::kAdministrator});
  r.Add({Method::kGet, "/api/v1/next-available", planners, true, bind(NextAvailableApi)});
  r.Add({Method::kGet, "/next-available", planners, false, bind(NextAvailablePage)});
}

}  // namespace tendon::http
