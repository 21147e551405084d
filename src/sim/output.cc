#include "sim/output.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace tendon::sim {
namespace {

nlohmann::json EstimateJson(const Estimate& e) {
  return {{"mean", e.mean}, {"low", e.low()}, {"high", e.high()}};
}

std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Cell(const Estimate& e) {
  return fmt::format("{:.2f} ({:.2f} to {:.2f})", e.mean, e.low(), e.high());
}

}  // namespace

std::string SummaryText(const Summary& s) {
  std::string out = fmt::format("scenario {}: {} replications, seed {}\n", s.scenario,
                                s.replications.size(), s.options.seed);
  for (const Metric& m : s.metrics) {
    out += fmt::format("{} = {:.3f} {} (95% CI {:.3f} to {:.3f})\n", m.name, m.estimate.mean,
                       m.unit, m.estimate.low(), m.estimate.high());
  }
  return out;
}

std::string SummaryJson(const Summary& s) {
  nlohmann::json out;
  out["scenario"] = s.scenario;
  out["replications"] = s.replications.size();
  out["threads"] = s.options.threads;
  out["seed"] = s.options.seed;
  out["pathway_events"] = s.pathway_events;
  nlohmann::json metrics = nlohmann::json::array();
  for (const Metric& m : s.metrics) {
    nlohmann::json row = EstimateJson(m.estimate);
    row["name"] = m.name;
    row["unit"] = m.unit;
    metrics.push_back(row);
  }
  out["metrics"] = metrics;
  nlohmann::json weeks = nlohmann::json::array();
  for (const Estimate& e : s.weekly_list) weeks.push_back(EstimateJson(e));
  out["weekly_waiting_list"] = weeks;
  nlohmann::json months = nlohmann::json::array();
  for (std::size_t i = 0; i < s.months.size(); ++i) {
    nlohmann::json row = EstimateJson(s.monthly_referrals[i]);
    row["month"] = s.months[i];
    months.push_back(row);
  }
  out["monthly_referrals"] = months;
  return out.dump(2) + "\n";
}

std::string SummaryHtml(const Summary& s) {
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>Simulation: {0}</title>\n</head>\n<body class=\"nhsuk-width-container\">\n"
      "<main class=\"nhsuk-main-wrapper\" id=\"maincontent\">\n<h1>Simulation: {0}</h1>\n"
      "<p>{1} replications from seed {2}. Each value is the mean over replications with its "
      "95% confidence interval in brackets.</p>\n",
      Escape(s.scenario), s.replications.size(), s.options.seed);
  out +=
      "<table class=\"nhsuk-table\">\n<caption>Figures</caption>\n<thead><tr><th "
      "scope=\"col\">Figure</th><th scope=\"col\">Unit</th><th scope=\"col\">Mean (95% "
      "CI)</th></tr></thead>\n<tbody>\n";
  for (const Metric& m : s.metrics) {
    out += fmt::format("<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>\n", Escape(m.name),
                       Escape(m.unit), Cell(m.estimate));
  }
  out +=
      "</tbody>\n</table>\n<table class=\"nhsuk-table\">\n<caption>Waiting list at the end of "
      "each week</caption>\n<thead><tr><th scope=\"col\">Week</th><th scope=\"col\">Referrals "
      "waiting (95% CI)</th></tr></thead>\n<tbody>\n";
  for (std::size_t w = 0; w < s.weekly_list.size(); ++w) {
    out += fmt::format("<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n", w + 1,
                       Cell(s.weekly_list[w]));
  }
  out += "</tbody>\n</table>\n</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace tendon::sim
