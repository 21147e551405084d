#include "cli/sim_planner.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/source_dir_for_tests.h"

namespace tendon::cli {
namespace {

const std::filesystem::path kScenarios =
    SourceDirForTests() / "data/services/oxfordshire/scenarios";

// The service's baseline; the test fails (and the scenario is empty) when it does not load.
sim::Scenario Baseline() {
  StatusOr<sim::Scenario> s = sim::LoadScenario(kScenarios / "baseline.toml");
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  if (!s.ok()) return sim::Scenario();
  return *std::move(s);
}

TEST(SimPlannerTest, AppliesEveryChangeOfTheForm) {
  const sim::Scenario base = Baseline();
  http::PlannerRequest r;
  r.demand_percent = 20;
  r.add_site = "wantage";
  r.add_weekdays = {2, 4};
  r.backlog = 500;
  r.close_site = "didcot";
  r.close_from_week = 3;
  r.close_weeks = 4;
  StatusOr<sim::Scenario> s = PlannedScenario(base, r);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_DOUBLE_EQ(s->demand.referrals_per_week, base.demand.referrals_per_week * 1.2);
  ASSERT_EQ(s->templates.size(), base.templates.size() + 1);
  const ClinicTemplate& added = s->templates.back();
  EXPECT_EQ(added.site_id, "wantage");
  EXPECT_EQ(added.weekdays, (std::vector<int>{2, 4}));
  EXPECT_EQ(added.slot_type, SlotType::kNew);
  EXPECT_EQ(s->clinicians.size(), base.clinicians.size() + 1);
  EXPECT_EQ(s->backlog.patients, 500);
  ASSERT_EQ(s->closures.size(), 1u);
  EXPECT_EQ(s->closures[0].site_id, "didcot");
  EXPECT_EQ(s->closures[0].from_week, 3);
  EXPECT_EQ(s->closures[0].weeks, 4);
}

TEST(SimPlannerTest, AnUnknownSiteIsRefusedNamingTheField) {
  http::PlannerRequest r;
  r.close_site = "atlantis";
  r.close_weeks = 1;
  StatusOr<sim::Scenario> s = PlannedScenario(Baseline(), r);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().field(), "close_site");
}

TEST(SimPlannerTest, RunsTheServicesScenarioWithAndWithoutTheChanges) {
  StatusOr<std::shared_ptr<http::Planner>> planner = MakeSimPlanner(kScenarios);
  ASSERT_TRUE(planner.ok()) << planner.status().ToString();
  const std::vector<http::PlannerChoice> scenarios = (*planner)->Scenarios();
  ASSERT_TRUE(std::any_of(scenarios.begin(), scenarios.end(),
                          [](const http::PlannerChoice& c) { return c.id == "baseline.toml"; }));
  http::PlannerRequest r;
  r.scenario = "baseline.toml";
  r.demand_percent = 30;
  r.replications = 2;
  StatusOr<http::PlannerResult> result = (*planner)->Run(r);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->replications, 2);
  const auto referrals =
      std::find_if(result->figures.begin(), result->figures.end(),
                   [](const http::PlannerFigure& f) { return f.name == "referrals"; });
  ASSERT_NE(referrals, result->figures.end());
  // The same seed draws the same arrivals' pattern: 30% more demand is about 30% more referrals.
  EXPECT_NEAR(referrals->scenario / referrals->baseline, 1.3, 0.03);
}

}  // namespace
}  // namespace tendon::cli
