// The what-if planner (the simulator issue, part 5): a commissioner or administrator chooses one of
// the service's scenario files and changes to it (demand, a clinician added at a site on some
// weekdays, a transferred backlog, a site closed for some weeks), runs it, and sees the baseline
// and the scenario side by side with their 95% intervals. A plain form and tables: no script
// needed. The run is bounded (at most kPlannerMaxReplications replications, one run at a time: a
// second is refused with 503) and shows only simulated aggregates, so nothing is audited.
#include "http/planner.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "http/app_internal.h"
#include "http/errors.h"

namespace tendon::http {
namespace {

using nlohmann::json;

constexpr std::array<const char*, 5> kWeekdays{"mon", "tue", "wed", "thu", "fri"};
constexpr std::array<const char*, 5> kWeekdayLabels{"Monday", "Tuesday", "Wednesday", "Thursday",
                                                    "Friday"};
constexpr int kDefaultReplications = 10;

// The request a form asks for, and every problem with it.
struct Parsed {
  PlannerRequest request;
  json errors = json::array();
  json field_errors = json::object();
};

void Problem(Parsed& p, const std::string& field, const std::string& message) {
  p.errors.push_back({{"field", field}, {"message", message}});
  p.field_errors[field] = message;
}

// A whole number field in [lo, hi]; empty is `fallback`.
int WholeField(Parsed& p, const Form& form, const std::string& field, const std::string& what,
               int lo, int hi, int fallback = 0) {
  const std::string text = FormValue(form, field);
  if (text.empty()) return fallback;
  std::size_t used = 0;
  int value = 0;
  try {
    value = std::stoi(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || value < lo || value > hi) {
    Problem(p, field, fmt::format("{} must be a whole number from {} to {}", what, lo, hi));
    return fallback;
  }
  return value;
}

double PercentField(Parsed& p, const Form& form) {
  const std::string text = FormValue(form, "demand_percent");
  if (text.empty()) return 0;
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || !std::isfinite(value) || value < kPlannerMinDemandPercent ||
      value > kPlannerMaxDemandPercent) {
    Problem(p, "demand_percent",
            fmt::format("Change in demand must be a number from {} to {}", kPlannerMinDemandPercent,
                        kPlannerMaxDemandPercent));
    return 0;
  }
  return value;
}

bool Known(const std::vector<PlannerChoice>& choices, const std::string& id) {
  for (const PlannerChoice& c : choices) {
    if (c.id == id) return true;
  }
  return false;
}

Parsed ParseForm(const Planner& planner, const Form& form) {
  Parsed p;
  PlannerRequest& r = p.request;
  r.scenario = FormValue(form, "scenario");
  if (!Known(planner.Scenarios(), r.scenario)) Problem(p, "scenario", "Choose a scenario");
  r.demand_percent = PercentField(p, form);
  const std::vector<PlannerChoice> sites = planner.Sites();
  r.add_site = FormValue(form, "add_site");
  if (!r.add_site.empty() && !Known(sites, r.add_site)) Problem(p, "add_site", "Choose a site");
  for (std::size_t d = 0; d < kWeekdays.size(); ++d) {
    if (!FormValue(form, std::string("add_") + kWeekdays[d]).empty()) {
      r.add_weekdays.push_back(static_cast<int>(d) + 1);
    }
  }
  if (!r.add_site.empty() && r.add_weekdays.empty()) {
    Problem(p, "add_days", "Choose the weekdays the added clinician works");
  }
  r.backlog = WholeField(p, form, "backlog", "Transferred patients", 0, kPlannerMaxBacklog);
  r.close_site = FormValue(form, "close_site");
  if (!r.close_site.empty() && !Known(sites, r.close_site)) {
    Problem(p, "close_site", "Choose a site");
  }
  r.close_from_week =
      WholeField(p, form, "close_from_week", "First week closed", 0, kPlannerMaxWeek);
  r.close_weeks = WholeField(p, form, "close_weeks", "Weeks closed", 0, kPlannerMaxWeek);
  if (!r.close_site.empty() && r.close_weeks == 0 && p.field_errors.count("close_weeks") == 0) {
    Problem(p, "close_weeks", "Weeks closed must be 1 or more to close a site");
  }
  r.replications = WholeField(p, form, "replications", "Replications", 1, kPlannerMaxReplications,
                              kDefaultReplications);
  return p;
}

json Choices(const std::vector<PlannerChoice>& choices, const std::string& selected) {
  json out = json::array();
  for (const PlannerChoice& c : choices) {
    out.push_back({{"value", c.id}, {"label", c.label}, {"selected", c.id == selected}});
  }
  return out;
}

// The form's fields as they were sent (or empty), for showing it again.
json FormData(const Planner& planner, const Form& form) {
  json days = json::array();
  for (std::size_t d = 0; d < kWeekdays.size(); ++d) {
    const std::string name = std::string("add_") + kWeekdays[d];
    days.push_back({{"name", name},
                    {"label", kWeekdayLabels[d]},
                    {"checked", !FormValue(form, name).empty()}});
  }
  const std::vector<PlannerChoice> sites = planner.Sites();
  return {{"scenarios", Choices(planner.Scenarios(), FormValue(form, "scenario"))},
          {"add_sites", Choices(sites, FormValue(form, "add_site"))},
          {"close_sites", Choices(sites, FormValue(form, "close_site"))},
          {"weekdays", days},
          {"demand_percent", FormValue(form, "demand_percent")},
          {"backlog", FormValue(form, "backlog")},
          {"close_from_week", FormValue(form, "close_from_week")},
          {"close_weeks", FormValue(form, "close_weeks")},
          {"replications", FormValue(form, "replications").empty()
                               ? std::to_string(kDefaultReplications)
                               : FormValue(form, "replications")},
          {"max_replications", kPlannerMaxReplications}};
}

std::string WithInterval(double mean, double half_width) {
  if (half_width <= 0) return fmt::format("{:.2f}", mean);
  return fmt::format("{:.2f} ({:.2f} to {:.2f})", mean, mean - half_width, mean + half_width);
}

// "wait_mean_weeks.tier1" -> "Wait mean weeks, tier1".
std::string FigureLabel(const std::string& name) {
  std::string words = Spaced(name);
  const std::size_t dot = words.find('.');
  if (dot != std::string::npos) words.replace(dot, 1, ", ");
  return Sentence(words);
}

json ResultData(const PlannerResult& result) {
  json rows = json::array();
  for (const PlannerFigure& f : result.figures) {
    rows.push_back({{"label", FigureLabel(f.name)},
                    {"unit", f.unit},
                    {"baseline", WithInterval(f.baseline, f.baseline_half_width)},
                    {"scenario", WithInterval(f.scenario, f.scenario_half_width)},
                    {"change", fmt::format("{:+.2f}", f.scenario - f.baseline)}});
  }
  return {{"baseline_name", result.baseline_name},
          {"scenario_name", result.scenario_name},
          {"replications", result.replications},
          {"weeks", result.weeks},
          {"seconds", fmt::format("{:.1f}", result.seconds)},
          {"rows", rows}};
}

Response Show(App::Impl& app, Context& ctx, int status, json data) {
  data["page_title"] = "What-if planner";
  return app.Page(ctx, status, "planner", std::move(data));
}

Response PlannerPage(App::Impl& app, Context& ctx) {
  if (!app.config.planner) return app.Error(ctx, 503);
  return Show(app, ctx, 200, FormData(*app.config.planner, ctx.form));
}

Response RunPlanner(App::Impl& app, Context& ctx) {
  if (!app.config.planner) return app.Error(ctx, 503);
  Planner& planner = *app.config.planner;
  json data = FormData(planner, ctx.form);
  Parsed parsed = ParseForm(planner, ctx.form);
  if (!parsed.errors.empty()) {
    data["errors"] = parsed.errors;
    data["field_errors"] = parsed.field_errors;
    return Show(app, ctx, 400, std::move(data));
  }
  StatusOr<PlannerResult> result = planner.Run(parsed.request);
  if (!result.ok()) {
    const Status& s = result.status();
    const std::string message = s.code() == StatusCode::kUnavailable
                                    ? "Another scenario is running. Try again in a minute."
                                    : Sentence(s.message());
    data["errors"] = OneError(s.field(), message);
    return Show(app, ctx, HttpStatusFor(s.code()), std::move(data));
  }
  data["result"] = ResultData(*result);
  return Show(app, ctx, 200, std::move(data));
}

}  // namespace

void RegisterPlanner(App::Impl& app) {
  const Access planners = Access::Roles({Role::kCommissioner, Role::kAdministrator});
  app.router.Add({Method::kGet, "/planner", planners, false,
                  [&app](Context& ctx) { return PlannerPage(app, ctx); }});
  app.router.Add({Method::kPost, "/planner", planners, false,
                  [&app](Context& ctx) { return RunPlanner(app, ctx); }});
}

}  // namespace tendon::http
