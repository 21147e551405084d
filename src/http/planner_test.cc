// The what-if planner page against a stand-in Planner: the form, a run shown side by side, bad
// fields each named with nothing run, and a busy planner's 503.
#include "http/planner.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "http/testing.h"

namespace tendon::http {
namespace {

class FakePlanner : public Planner {
 public:
  std::vector<PlannerChoice> Scenarios() const override {
    return {{"baseline.toml", "Oxfordshire baseline"}, {"more.toml", "More clinics"}};
  }
  std::vector<PlannerChoice> Sites() const override {
    return {{"wantage", "Wantage"}, {"didcot", "Didcot"}};
  }
  StatusOr<PlannerResult> Run(const PlannerRequest& request) override {
    ++runs;
    last = request;
    if (busy) return UnavailableError("another scenario is running");
    PlannerResult r;
    r.baseline_name = "Oxfordshire baseline";
    r.scenario_name = "Oxfordshire baseline with the planner's changes";
    r.replications = request.replications;
    r.weeks = 52;
    r.figures = {{"wait_mean_weeks.tier1", "weeks", 2.5, 0.1, 1.75, 0.05}};
    return r;
  }
  int runs = 0;
  bool busy = false;
  PlannerRequest last;
};

class PlannerHttpTest : public testing::AppFixture {
 protected:
  void Configure(AppConfig& config) override { config.planner = planner_; }
  void SetUp() override {
    AppFixture::SetUp();
    if (HasFatalFailure()) return;
    AddUser("cat", Role::kCommissioner, "", "Cat Commissioner");
  }
  std::shared_ptr<FakePlanner> planner_ = std::make_shared<FakePlanner>();
};

TEST_F(PlannerHttpTest, ShowsTheFormWithTheServicesScenariosAndSites) {
  const Response page = Send(Method::kGet, "/planner", SignedIn("cat"));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("<option value=\"more.toml\">More clinics</option>"), std::string::npos);
  EXPECT_NE(page.body.find("<option value=\"didcot\">Didcot</option>"), std::string::npos);
  EXPECT_EQ(page.body.find("Baseline and scenario side by side"), std::string::npos);
  EXPECT_EQ(planner_->runs, 0);
}

// Commissioners and administrators find the planner in their menu; other staff do not.
TEST_F(PlannerHttpTest, TheMenuLinksToThePlannerForCommissionersAndAdministrators) {
  AddUser("ada", Role::kAdministrator, "", "Ada Administrator");
  AddUser("cal", Role::kCoordinator, "", "Cal Coordinator");
  const std::string link = "href=\"/planner\"";
  const Response commissioner = Send(Method::kGet, "/home", SignedIn("cat"));
  ASSERT_EQ(commissioner.status, 200) << commissioner.body;
  EXPECT_NE(commissioner.body.find(link), std::string::npos);
  const Response administrator = Send(Method::kGet, "/home", SignedIn("ada"));
  ASSERT_EQ(administrator.status, 200) << administrator.body;
  EXPECT_NE(administrator.body.find(link), std::string::npos);
  const Response coordinator = Send(Method::kGet, "/home", SignedIn("cal"));
  ASSERT_EQ(coordinator.status, 200) << coordinator.body;
  EXPECT_EQ(coordinator.body.find(link), std::string::npos);
}

TEST_F(PlannerHttpTest, RunsTheChangesAndShowsBaselineAndScenarioSideBySide) {
  const Response page = Send(Method::kPost, "/planner", SignedIn("cat"),
                             "scenario=baseline.toml&demand_percent=12.5&add_site=wantage&add_mon="
                             "yes&add_thu=yes&backlog=300&close_site=didcot&close_from_week=4&"
                             "close_weeks=6&replications=3");
  ASSERT_EQ(page.status, 200) << page.body;
  ASSERT_EQ(planner_->runs, 1);
  const PlannerRequest& r = planner_->last;
  EXPECT_EQ(r.scenario, "baseline.toml");
  EXPECT_DOUBLE_EQ(r.demand_percent, 12.5);
  EXPECT_EQ(r.add_site, "wantage");
  EXPECT_EQ(r.add_weekdays, (std::vector<int>{1, 4}));
  EXPECT_EQ(r.backlog, 300);
  EXPECT_EQ(r.close_site, "didcot");
  EXPECT_EQ(r.close_from_week, 4);
  EXPECT_EQ(r.close_weeks, 6);
  EXPECT_EQ(r.replications, 3);
  EXPECT_NE(page.body.find("Baseline and scenario side by side"), std::string::npos);
  EXPECT_NE(page.body.find("Wait mean weeks, tier1"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("2.50 (2.40 to 2.60)"), std::string::npos);
  EXPECT_NE(page.body.find("1.75 (1.70 to 1.80)"), std::string::npos);
  EXPECT_NE(page.body.find("-0.75"), std::string::npos);
  // The form keeps what was asked.
  EXPECT_NE(page.body.find("value=\"12.5\""), std::string::npos);
}

TEST_F(PlannerHttpTest, RefusesBadFieldsNamingEachAndRunsNothing) {
  const Response page = Send(Method::kPost, "/planner", SignedIn("cat"),
                             "scenario=other.toml&demand_percent=lots&add_site=wantage&backlog=-1&"
                             "close_site=didcot&replications=50");
  EXPECT_EQ(page.status, 400);
  EXPECT_EQ(planner_->runs, 0);
  for (const char* message :
       {"Choose a scenario", "Change in demand must be a number from -50 to 200",
        "Choose the weekdays the added clinician works",
        "Transferred patients must be a whole number from 0 to 20000",
        "Weeks closed must be 1 or more to close a site",
        "Replications must be a whole number from 1 to 20"}) {
    EXPECT_NE(page.body.find(message), std::string::npos) << message;
  }
  EXPECT_NE(page.body.find("href=\"#demand_percent\""), std::string::npos);
}

TEST_F(PlannerHttpTest, ABusyPlannerIsA503AndSaysSo) {
  planner_->busy = true;
  const Response page =
      Send(Method::kPost, "/planner", SignedIn("cat"), "scenario=baseline.toml&replications=2");
  EXPECT_EQ(page.status, 503);
  EXPECT_NE(page.body.find("Another scenario is running. Try again in a minute."),
            std::string::npos);
}

}  // namespace
}  // namespace tendon::http
