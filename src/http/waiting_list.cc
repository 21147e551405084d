// The waiting list and its allocation, for booking coordinators (the booking issue, point 5): the
// paged list, the allocator's proposal of a slot for each referral, and the confirmation of the
// chosen proposals in one go. Pages and their JSON twins. Referrals travel in form and JSON
// bodies, never in addresses; every page or answer that shows patients is audited with one row per
// patient shown. The rules are in scheduling/allocate.h and workflow/waiting_list.h.
#include "workflow/waiting_list.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "auth/tokens.h"
#include "core/london_time.h"
#include "http/app_internal.h"
#include "http/errors.h"
#include "http/schedule_views.h"

namespace tendon::http {
namespace {

using nlohmann::json;

// Rows on one page of the list: a coordinator works from the top; the counts cover the whole list.
constexpr int kListPageSize = 50;
constexpr std::string_view kProposalPrefix = "proposals[";

// --- Shared --------------------------------------------------------------------------------------

// One audit row per patient shown, in one transaction.
Status AuditShown(App::Impl& app, const User& user, const std::vector<std::string>& patient_keys,
                  std::string_view action) {
  if (patient_keys.empty()) return OkStatus();
  const Instant now = app.Now();
  return app.store.Write([&](store::WriteTxn& txn) -> Status {
    for (const std::string& key : patient_keys) {
      const AuditEntry entry{
          0, now, user.id, std::string(ToString(user.role)), key, std::string(action), ""};
      RETURN_IF_ERROR(txn.AppendAudit(entry).status());
    }
    return OkStatus();
  });
}

// A query parameter as a whole number; `fallback` when absent or not one.
int QueryInt(const Context& ctx, const char* name, int fallback) {
  const auto it = ctx.request.query.find(name);
  if (it == ctx.request.query.end()) return fallback;
  int value = fallback;
  const auto [end, error] =
      std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
  return error == std::errc() && end == it->second.data() + it->second.size() ? value : fallback;
}

std::string Days(double days) {
  const long whole = std::lround(std::floor(days));
  return std::to_string(whole) + (whole == 1 ? " day" : " days");
}

double DaysBetween(Instant from, Instant to) {
  return std::chrono::duration<double, date::days::period>(to - from).count();
}

// "New appointment, face to face, physiotherapy"; or what to do when the need is unknown.
std::string NeedLabel(const std::optional<scheduling::Need>& need) {
  if (!need) return "Not known: book by hand";
  std::string label = SlotTypeLabel(need->type);
  if (need->modality) label += ", " + Spaced(ToString(*need->modality));
  if (!need->skill.empty()) label += ", " + Spaced(need->skill);
  return label;
}

json NeedJson(const std::optional<scheduling::Need>& need) {
  if (!need) return nullptr;
  return {{"type", std::string(ToString(need->type))},
          {"modality", need->modality ? json(std::string(ToString(*need->modality))) : json()},
          {"skill", need->skill}};
}

std::string ReasonLabel(scheduling::UnplacedReason reason) {
  if (reason == scheduling::UnplacedReason::kPlaceUnknown) {
    return "Postcode district not known, so no face-to-face clinic can be checked against the "
           "travel limit: book by hand";
  }
  return "No free slot fits within the time and travel limits: book by hand";
}

std::string_view ReasonName(scheduling::UnplacedReason reason) {
  return reason == scheduling::UnplacedReason::kPlaceUnknown ? "place_unknown" : "no_slot";
}

// How far the patient travels, for people.
std::string TravelLabel(const scheduling::Proposal& p) {
  if (p.slot.modality != Modality::kFaceToFace) {
    return "No travel (" + ModalityLabel(p.slot.modality) + ")";
  }
  if (!p.travel_km) return "Not known";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f km", *p.travel_km);
  return text;
}

StatusOr<std::map<std::string, std::string>> SiteNames(App::Impl& app) {
  ASSIGN_OR_RETURN(std::vector<Site> sites, app.store.ListSites());
  std::map<std::string, std::string> names;
  for (Site& s : sites) names.emplace(s.id, std::move(s.name));
  return names;
}

// The options a form or body asks for, with every malformed field.
workflow::Parsed<scheduling::AllocationOptions> OptionsFromForm(const Form& form) {
  json body = json::object();
  for (const char* name : {"max_km", "horizon_weeks"}) {
    if (auto it = form.find(name); it != form.end()) body[name] = it->second;
  }
  return workflow::ParseAllocationOptions(body);
}

// The form's values for the options, or the defaults, for showing in the form again.
json OptionsFormValues(const Form& form) {
  auto value = [&](const char* name, std::string fallback) {
    auto it = form.find(name);
    return it == form.end() ? fallback : it->second;
  };
  return {{"max_km",
           value("max_km", std::to_string(static_cast<int>(scheduling::kDefaultMaxTravelKm)))},
          {"horizon_weeks",
           value("horizon_weeks", std::to_string(scheduling::kDefaultAllocationHorizon.count()))}};
}

// --- The list ------------------------------------------------------------------------------------

json ListRow(const workflow::WaitingListItem& item, Instant now) {
  return {{"reference", item.referral.id},
          {"priority", PriorityLabel(item.referral.priority)},
          {"urgent", item.referral.priority != Priority::kRoutine},
          {"rebook_first", item.rebook_first},
          {"waiting", Days(DaysBetween(item.waiting_since, now))},
          {"since", FormatLondon(item.waiting_since)},
          {"need", NeedLabel(item.need)},
          {"district", item.postcode_district.empty() ? "Not known" : item.postcode_district}};
}

struct PageSlice {
  int page = 1;
  int pages = 0;
  int first = 0;
  int last = 0;  // One past.
};

PageSlice SliceFor(const Context& ctx, int total) {
  PageSlice s;
  s.pages = (total + kListPageSize - 1) / kListPageSize;
  s.page = std::clamp(QueryInt(ctx, "page", 1), 1, std::max(s.pages, 1));
  s.first = (s.page - 1) * kListPageSize;
  s.last = std::min(total, s.first + kListPageSize);
  return s;
}

// The list page with `data` (a banner, errors, the options form's values) added.
Response ListPage(App::Impl& app, const Context& ctx, int status, json data) {
  const Instant now = app.Now();
  auto list = workflow::ReadWaitingList(app.env, app.service.districts);
  if (!list.ok()) return app.Error(ctx, HttpStatusFor(list.status().code()));
  const int total = static_cast<int>(list->size());
  const PageSlice slice = SliceFor(ctx, total);
  json rows = json::array();
  std::vector<std::string> shown;
  for (int i = slice.first; i < slice.last; ++i) {
    rows.push_back(ListRow((*list)[i], now));
    shown.push_back((*list)[i].referral.patient_key);
  }
  if (!AuditShown(app, *ctx.user, shown, "waiting_list.read").ok()) return app.Error(ctx, 503);
  const auto priority = std::count_if(list->begin(), list->end(), [](const auto& item) {
    return item.referral.priority != Priority::kRoutine;
  });
  data["page_title"] = "Waiting list";
  data["waiting"] = std::to_string(total);
  data["priority_count"] = std::to_string(priority);
  data["items"] = std::move(rows);
  if (!data.contains("options")) data["options"] = OptionsFormValues({});
  if (slice.pages > 1) {
    const auto n = [](int v) { return std::to_string(v); };
    data["pagination"] = {
        {"showing", "Showing " + n(slice.first + 1) + " to " + n(slice.last) + " of " + n(total)},
        {"page_of", "Page " + n(slice.page) + " of " + n(slice.pages)}};
    if (slice.page > 1) data["pagination"]["previous"] = "/waiting-list?page=" + n(slice.page - 1);
    if (slice.page < slice.pages) {
      data["pagination"]["next"] = "/waiting-list?page=" + n(slice.page + 1);
    }
  }
  return app.Page(ctx, status, "waiting_list", std::move(data));
}

Response List(App::Impl& app, Context& ctx) {
  json data = json::object();
  const int booked = QueryInt(ctx, "booked", 0);
  if (booked > 0) {
    data["banner"] = std::to_string(booked) + (booked == 1 ? " booking" : " bookings") +
                     " confirmed. The patients have left the waiting list.";
  }
  return ListPage(app, ctx, 200, std::move(data));
}

Response ListApi(App::Impl& app, Context& ctx) {
  const Instant now = app.Now();
  auto list = workflow::ReadWaitingList(app.env, app.service.districts);
  if (!list.ok()) return JsonError(list.status());
  const int total = static_cast<int>(list->size());
  const PageSlice slice = SliceFor(ctx, total);
  json items = json::array();
  std::vector<std::string> shown;
  for (int i = slice.first; i < slice.last; ++i) {
    const workflow::WaitingListItem& item = (*list)[i];
    items.push_back(
        {{"referral_id", item.referral.id},
         {"priority", std::string(ToString(item.referral.priority))},
         {"rebook_first", item.rebook_first},
         {"waiting_since", FormatInstant(item.waiting_since)},
         {"waiting_days", static_cast<int>(std::floor(DaysBetween(item.waiting_since, now)))},
         {"need", NeedJson(item.need)},
         {"postcode_district", item.postcode_district}});
    shown.push_back(item.referral.patient_key);
  }
  Status audited = AuditShown(app, *ctx.user, shown, "waiting_list.read");
  if (!audited.ok()) return JsonError(audited);
  return Response::Json(200, json{{"total", total},
                                  {"page", slice.page},
                                  {"pages", slice.pages},
                                  {"page_size", kListPageSize},
                                  {"items", std::move(items)}}
                                 .dump());
}

// --- The proposal --------------------------------------------------------------------------------

// What the proposal page and its JSON twin show, read once.
struct ProposalView {
  workflow::ProposedAllocation proposed;
  std::map<std::string, std::string> site_names;
  std::map<std::string, std::string> patient_names;  // By patient key.
};

StatusOr<ProposalView> ReadProposal(App::Impl& app, const User& user,
                                    const scheduling::AllocationOptions& options, bool with_names) {
  ProposalView view;
  ASSIGN_OR_RETURN(view.proposed,
                   workflow::ProposeAllocation(app.env, app.service.districts, app.Now(), options));
  ASSIGN_OR_RETURN(view.site_names, SiteNames(app));
  std::vector<std::string> shown;
  for (const auto* items : {&view.proposed.items, &view.proposed.by_hand}) {
    for (const workflow::WaitingListItem& item : *items) {
      shown.push_back(item.referral.patient_key);
      if (!with_names) continue;
      ASSIGN_OR_RETURN(Patient patient, app.store.GetPatient(item.referral.patient_key));
      view.patient_names.emplace(patient.key, PatientName(patient));
    }
  }
  RETURN_IF_ERROR(AuditShown(app, user, shown, "allocation.propose"));
  return view;
}

json ProposalRow(const ProposalView& view, const scheduling::Proposal& p, std::size_t index) {
  const workflow::WaitingListItem& item = view.proposed.items[p.entry];
  const auto site = view.site_names.find(p.slot.site_id);
  return {{"index", std::to_string(index)},
          {"reference", item.referral.id},
          {"slot_id", p.slot.id},
          {"patient", view.patient_names.at(item.referral.patient_key)},
          {"priority", PriorityLabel(item.referral.priority)},
          {"urgent", item.referral.priority != Priority::kRoutine},
          {"rebook_first", item.rebook_first},
          {"wait", Days(p.wait_days)},
          {"when", SlotWhen(p.slot)},
          {"site", site == view.site_names.end() ? p.slot.site_id : site->second},
          {"travel", TravelLabel(p)}};
}

json UnplacedRow(const ProposalView& view, const workflow::WaitingListItem& item,
                 std::string reason) {
  return {{"reference", item.referral.id},
          {"patient", view.patient_names.at(item.referral.patient_key)},
          {"priority", PriorityLabel(item.referral.priority)},
          {"urgent", item.referral.priority != Priority::kRoutine},
          {"reason", std::move(reason)}};
}

// "2 bookings proposed. 1 referral needs booking by hand."
std::string Summary(std::size_t proposed, std::size_t unplaced) {
  std::string text =
      std::to_string(proposed) + (proposed == 1 ? " booking" : " bookings") + " proposed. ";
  if (unplaced == 0) return text + "No referral needs booking by hand.";
  return text + std::to_string(unplaced) + (unplaced == 1 ? " referral needs" : " referrals need") +
         " booking by hand.";
}

// The proposal page for `options` (as the form gave them) with `errors` at the top.
Response ProposalPage(App::Impl& app, const Context& ctx, int status,
                      const scheduling::AllocationOptions& options, const Form& options_form,
                      json errors) {
  auto view = ReadProposal(app, *ctx.user, options, true);
  if (!view.ok()) return app.Error(ctx, HttpStatusFor(view.status().code()));
  json rows = json::array();
  for (std::size_t i = 0; i < view->proposed.allocation.proposals.size(); ++i) {
    rows.push_back(ProposalRow(*view, view->proposed.allocation.proposals[i], i));
  }
  json unplaced = json::array();
  for (const scheduling::Unplaced& u : view->proposed.allocation.unplaced) {
    unplaced.push_back(UnplacedRow(*view, view->proposed.items[u.entry], ReasonLabel(u.reason)));
  }
  for (const workflow::WaitingListItem& item : view->proposed.by_hand) {
    unplaced.push_back(UnplacedRow(*view, item, NeedLabel(std::nullopt)));
  }
  json data{{"page_title", "Proposed bookings"}, {"summary", Summary(rows.size(), unplaced.size())},
            {"proposals", std::move(rows)},      {"unplaced", std::move(unplaced)},
            {"batch_key", auth::RandomToken()},  {"options", OptionsFormValues(options_form)},
            {"errors", std::move(errors)}};
  return app.Page(ctx, status, "waiting_list_proposal", std::move(data));
}

// The options form's errors, each in the summary and beside its field.
json OptionErrors(const std::vector<workflow::FieldError>& errors, json& values) {
  json summary = json::array();
  for (const workflow::FieldError& e : errors) {
    const std::string label = e.field == "max_km" ? "Travel distance " : "Weeks ahead ";
    values[e.field + "_error"] = label + e.message;
    summary.push_back({{"field", e.field}, {"message", label + e.message}});
  }
  return summary;
}

Response Propose(App::Impl& app, Context& ctx) {
  const auto options = OptionsFromForm(ctx.form);
  if (!options.value) {
    json values = OptionsFormValues(ctx.form);
    json errors = OptionErrors(options.errors, values);
    return ListPage(app, ctx, 400, {{"errors", std::move(errors)}, {"options", std::move(values)}});
  }
  return ProposalPage(app, ctx, 200, *options.value, ctx.form, json::array());
}

json ProposalJson(const ProposalView& view, const scheduling::Proposal& p) {
  const workflow::WaitingListItem& item = view.proposed.items[p.entry];
  return {{"referral_id", item.referral.id},
          {"priority", std::string(ToString(item.referral.priority))},
          {"rebook_first", item.rebook_first},
          {"slot_id", p.slot.id},
          {"start", FormatInstant(p.slot.start)},
          {"site_id", p.slot.site_id},
          {"clinician_id", p.slot.clinician_id},
          {"modality", std::string(ToString(p.slot.modality))},
          {"travel_km", p.travel_km ? json(*p.travel_km) : json()},
          {"wait_days", p.wait_days}};
}

Response ProposeApi(App::Impl& app, Context& ctx) {
  const auto options = workflow::ParseAllocationOptions(ctx.json);
  if (!options.value) return JsonFieldErrors(options.errors);
  auto view = ReadProposal(app, *ctx.user, *options.value, false);
  if (!view.ok()) return JsonError(view.status());
  json proposals = json::array();
  for (const scheduling::Proposal& p : view->proposed.allocation.proposals) {
    proposals.push_back(ProposalJson(*view, p));
  }
  json unplaced = json::array();
  for (const scheduling::Unplaced& u : view->proposed.allocation.unplaced) {
    unplaced.push_back({{"referral_id", view->proposed.items[u.entry].referral.id},
                        {"reason", std::string(ReasonName(u.reason))}});
  }
  for (const workflow::WaitingListItem& item : view->proposed.by_hand) {
    unplaced.push_back({{"referral_id", item.referral.id}, {"reason", "need_unknown"}});
  }
  return Response::Json(200, json{{"batch_key", auth::RandomToken()},
                                  {"proposals", std::move(proposals)},
                                  {"unplaced", std::move(unplaced)}}
                                 .dump());
}

// --- The confirmation ----------------------------------------------------------------------------

// The confirmation a proposal page posts: the batch key, and for each ticked row i
// ("proposals[i].confirm"), its hidden "proposals[i].referral_id" and "proposals[i].slot_id", in
// row order.
json ConfirmationFromForm(const Form& form) {
  std::map<int, json> chosen;
  for (const auto& [name, value] : form) {
    if (name.rfind(kProposalPrefix, 0) != 0 || !name.ends_with("].confirm")) continue;
    int row = 0;
    const char* digits = name.data() + kProposalPrefix.size();
    const auto [end, error] = std::from_chars(digits, name.data() + name.size(), row);
    if (error != std::errc() || std::string_view(end) != "].confirm") continue;
    const std::string at = "proposals[" + std::to_string(row) + "].";
    const auto field = [&](const char* member) {
      const auto it = form.find(at + member);
      return it == form.end() ? std::string() : it->second;
    };
    chosen[row] = {{"referral_id", field("referral_id")}, {"slot_id", field("slot_id")}};
  }
  json proposals = json::array();
  for (auto& [row, proposal] : chosen) proposals.push_back(std::move(proposal));
  const auto key = form.find("batch_key");
  return {{"batch_key", key == form.end() ? "" : key->second}, {"proposals", proposals}};
}

// The coordinator's words for refusals: each names the referral, and says that nothing was booked.
json RefusalErrors(const workflow::ConfirmRequest& request,
                   const std::vector<workflow::FieldError>& refusals) {
  json errors = json::array();
  for (const workflow::FieldError& r : refusals) {
    const std::size_t row = std::strtoul(r.field.c_str() + kProposalPrefix.size(), nullptr, 10);
    const std::string who = row < request.proposals.size()
                                ? "Referral " + request.proposals[row].referral_id + ": "
                                : "";
    errors.push_back({{"field", ""}, {"message", who + r.message}});
  }
  errors.push_back({{"field", ""},
                    {"message",
                     "Nothing was booked. The waiting list has been proposed again "
                     "below: check it and confirm again"}});
  return errors;
}

Response ConfirmFromPage(App::Impl& app, Context& ctx) {
  const auto options = OptionsFromForm(ctx.form);
  const scheduling::AllocationOptions chosen_options =
      options.value.value_or(scheduling::AllocationOptions{});
  const auto parsed = workflow::ParseConfirmRequest(ConfirmationFromForm(ctx.form));
  if (!parsed.value) {
    json errors = json::array();
    for (const auto& e : parsed.errors) {
      errors.push_back(
          {{"field", ""},
           {"message", e.field == "proposals" ? "Choose at least one booking to confirm"
                                              : Sentence(e.field + ": " + e.message)}});
    }
    return ProposalPage(app, ctx, 400, chosen_options, ctx.form, std::move(errors));
  }
  std::vector<workflow::FieldError> refusals;
  auto booked =
      workflow::ConfirmAllocation(app.env, ActorOf(*ctx.user), *parsed.value, app.Now(), &refusals);
  if (booked.ok()) {
    return Response::Redirect("/waiting-list?booked=" + std::to_string(booked->size()));
  }
  const StatusCode code = booked.status().code();
  if (code == StatusCode::kUnavailable || code == StatusCode::kInternal) {
    return app.Error(ctx, HttpStatusFor(code));
  }
  return ProposalPage(app, ctx, HttpStatusFor(code), chosen_options, ctx.form,
                      RefusalErrors(*parsed.value, refusals));
}

Response ConfirmApi(App::Impl& app, Context& ctx) {
  const auto parsed = workflow::ParseConfirmRequest(ctx.json);
  if (!parsed.value) return JsonFieldErrors(parsed.errors);
  std::vector<workflow::FieldError> refusals;
  auto booked =
      workflow::ConfirmAllocation(app.env, ActorOf(*ctx.user), *parsed.value, app.Now(), &refusals);
  if (!booked.ok()) {
    if (refusals.empty()) return JsonError(booked.status());
    json list = json::array();
    for (const auto& r : refusals) list.push_back({{"field", r.field}, {"message", r.message}});
    const json body{{"code", std::string(StatusCodeName(booked.status().code()))},
                    {"message", std::to_string(refusals.size()) +
                                    " proposals could not be booked; nothing was booked: propose "
                                    "again"},
                    {"field", booked.status().field()},
                    {"errors", std::move(list)}};
    return Response::Json(HttpStatusFor(booked.status().code()), body.dump());
  }
  json appointments = json::array();
  for (const Appointment& a : *booked) {
    appointments.push_back(
        {{"appointment_id", a.id}, {"referral_id", a.referral_id}, {"slot_id", a.slot_id}});
  }
  return Response::Json(201, json{{"appointments", std::move(appointments)}}.dump());
}

}  // namespace

void RegisterWaitingList(App::Impl& app) {
  auto bind = [&app](Response (*fn)(App::Impl&, Context&)) {
    return [&app, fn](Context& ctx) { return fn(app, ctx); };
  };
  // Many patients at once, so no single referral's ownership check: coordinators only, and each
  // handler audits every patient it shows (the confirmation audits each booking).
  const Access coordinators = Access::Roles({Role::kCoordinator});
  Router& r = app.router;
  r.Add({Method::kGet, "/waiting-list", coordinators, false, bind(List)});
  r.Add({Method::kPost, "/waiting-list/propose", coordinators, false, bind(Propose)});
  r.Add({Method::kPost, "/waiting-list/confirm", coordinators, false, bind(ConfirmFromPage)});
  r.Add({Method::kGet, "/api/v1/waiting-list", coordinators, true, bind(ListApi)});
  r.Add({Method::kPost, "/api/v1/allocation/propose", coordinators, true, bind(ProposeApi)});
  r.Add({Method::kPost, "/api/v1/allocation/confirm", coordinators, true, bind(ConfirmApi)});
}

}  // namespace tendon::http
