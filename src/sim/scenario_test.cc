// Scenario files, their changes, and the Oxfordshire model's events against the live schema.
#include "sim/scenario.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "core/event.h"
#include "core/london_time.h"
#include "core/source_dir_for_tests.h"
#include "sim/plan.h"
#include "sim/runner.h"
#include "sim/sinks.h"
#include "sim/testing.h"

namespace tendon::sim {
namespace {

using namespace date::literals;

std::filesystem::path Scenarios() {
  return SourceDirForTests() / "data/services/oxfordshire/scenarios";
}

Scenario Load(const std::string& name) {
  StatusOr<Scenario> s = LoadScenario(Scenarios() / name);
  EXPECT_TRUE(s.ok()) << s.status().ToString() << " (is TENDON_SOURCE_DIR set?)";
  if (s.ok()) return *s;
  Scenario none;
  return none;
}

// The baseline cut to `weeks` with no warm-up, so a test runs in a fraction of a second.
Scenario Short(Scenario s, int weeks) {
  s.weeks = weeks;
  s.warmup_weeks = 0;
  return s;
}

TEST(ScenarioTest, LoadsTheOxfordshireBaselineFromTheServiceConfiguration) {
  Scenario s = Load("baseline.toml");
  EXPECT_EQ(s.name, "Oxfordshire baseline");
  EXPECT_EQ(s.sites.size(), 10u);
  EXPECT_EQ(s.templates.size(), 196u);
  EXPECT_EQ(s.demand.regions.size(), 5u);
  EXPECT_EQ(s.triage.clinicians, 6);
  EXPECT_EQ(s.treatment.model, CapacityModel::kSlots);
  EXPECT_TRUE(s.calendar.IsBankHoliday(2026_y / 5 / 4));
  EXPECT_TRUE(ScenarioProblems(s).empty());
}

TEST(ScenarioTest, ChangesApplyOnTopOfTheBase) {
  const Scenario base = Load("baseline.toml");
  const Scenario south = Load("more-clinics-south.toml");
  EXPECT_EQ(south.name, "More clinics in the south");
  EXPECT_EQ(south.templates.size(), base.templates.size() + 3);
  EXPECT_EQ(south.clinicians.size(), base.clinicians.size() + 3);
  EXPECT_EQ(south.templates.back().site_id, "didcot");

  const Scenario backlog = Load("transferred-backlog.toml");
  EXPECT_EQ(backlog.backlog.patients, 3000);
  ASSERT_EQ(backlog.closures.size(), 1u);
  EXPECT_EQ(backlog.closures[0].site_id, "didcot");

  const Scenario rising = Load("rising-demand.toml");
  EXPECT_DOUBLE_EQ(rising.demand.referrals_per_week, base.demand.referrals_per_week * 1.1);
  EXPECT_DOUBLE_EQ(rising.demand.growth_per_year, 0.05);
  const auto injections = [](const Scenario& s) {
    return std::count_if(s.templates.begin(), s.templates.end(), [](const ClinicTemplate& t) {
      return t.slot_type == SlotType::kInjection;
    });
  };
  EXPECT_GT(injections(rising), injections(base));
}

TEST(ScenarioTest, RefusesABadFileNamingTheKey) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "tendon_sim_test";
  std::filesystem::create_directories(dir);
  const auto write = [&](const std::string& text) {
    std::ofstream(dir / "bad.toml") << text;
    return LoadScenario(dir / "bad.toml");
  };
  // An absolute base: the baseline's service folder is relative to the baseline itself.
  StatusOr<Scenario> s = write("base = \"" + (Scenarios() / "baseline.toml").string() +
                               "\"\nname = \"x\"\n[changes]\ndemand_percent = -300\n");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("changes.demand_percent"), std::string::npos)
      << s.status().ToString();
  s = write("base = \"" + (Scenarios() / "baseline.toml").string() +
            "\"\nname = \"x\"\n[changes]\ndemand_percnt = 10\n");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("demand_percnt"), std::string::npos);
  s = write("base = \"" + (Scenarios() / "baseline.toml").string() +
            "\"\nname = \"x\"\n[[changes.close_site]]\nsite = \"didcot\"\nfrom_week = 2\n");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("weeks"), std::string::npos);
  EXPECT_EQ(LoadScenario(dir / "missing.toml").status().code(), StatusCode::kNotFound);
}

// [treatment.first_lead], as a calibration writes it: read by tier and priority, a bad shape named.
TEST(ScenarioTest, ReadsTheLeadToTheFirstAppointment) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "tendon_sim_lead";
  std::filesystem::create_directories(dir);
  std::ifstream in(Scenarios() / "baseline.toml");
  std::stringstream text;
  text << in.rdbuf();
  std::string baseline = text.str();
  const auto absolute = [&](const std::string& key, const std::string& relative) {
    const std::string line = key + " = \"" + relative + "\"";
    baseline.replace(baseline.find(line), line.size(),
                     key + " = \"" + (Scenarios() / relative).string() + "\"");
  };
  absolute("service", "..");
  absolute("bank_holidays", "../../../bank-holidays-england-wales.csv");
  const auto write = [&](const std::string& shape) {
    std::ofstream(dir / "lead.toml")
        << baseline << "\n[treatment.first_lead]\n"
        << "tier1 = { emergency = [1, 1], urgent = [7, 2], post_op = [10, 1.5], routine = [14, "
        << shape << "] }\n"
        << "tier2 = { emergency = [2, 1], urgent = [14, 3], post_op = [20, 2], routine = [35, 2.5] "
           "}\n";
    return LoadScenario(dir / "lead.toml");
  };
  StatusOr<Scenario> s = write("1.4");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_DOUBLE_EQ(s->treatment.first_lead[0][static_cast<int>(Priority::kRoutine)].mean_days, 14);
  EXPECT_DOUBLE_EQ(s->treatment.first_lead[0][static_cast<int>(Priority::kRoutine)].shape, 1.4);
  EXPECT_DOUBLE_EQ(s->treatment.first_lead[1][static_cast<int>(Priority::kUrgent)].mean_days, 14);
  s = write("0");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("first_lead.tier1.routine"), std::string::npos)
      << s.status().ToString();
}

TEST(ScenarioTest, SlotsComeFromTheTemplatesOnTheWorkingCalendar) {
  StatusOr<Plan> plan = BuildPlan(Short(Load("baseline.toml"), 6));
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_GT(plan->slots.size(), 10000u);
  for (const Slot& slot : plan->slots) {
    const Date day = LondonDate(slot.start);
    ASSERT_TRUE(plan->scenario.calendar.IsWorkingDay(day)) << slot.id;
  }
}

// Replays a run's PathwayEvents through the live schema's checks.
TEST(ScenarioTest, EveryEventFollowsTheLiveSchema) {
  Scenario s = Short(Load("transferred-backlog.toml"), 10);
  s.backlog.patients = 300;
  StatusOr<Plan> plan = BuildPlan(s);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  std::unordered_map<std::string, ReferralState> states;
  std::set<EventType> types;
  std::int64_t checked = 0;
  Instant last{};
  PathwayEventSink sink(*plan, [&](const PathwayEvent& e) {
    auto it = states.find(e.referral_id);
    std::optional<ReferralState> before;
    if (it != states.end()) before = it->second;
    Status valid = ValidateEvent(e, before);
    ASSERT_TRUE(valid.ok()) << valid.ToString() << " " << e.referral_id << " " << ToString(e.type)
                            << " " << e.payload;
    ASSERT_GE(e.occurred_at, last);
    last = e.occurred_at;
    states[e.referral_id] = e.state_after;
    types.insert(e.type);
    ++checked;
  });
  ReplicationStats stats = RunReplication(*plan, 3, 0, sink);
  EXPECT_EQ(checked, stats.pathway_events);
  EXPECT_GT(checked, 50000);
  for (EventType t :
       {EventType::kReferralReceived, EventType::kTransferImported, EventType::kTriageCompleted,
        EventType::kWaitlistAdded, EventType::kAppointmentBooked, EventType::kAppointmentAttended,
        EventType::kAppointmentDna, EventType::kAppointmentCancelled, EventType::kEpisodeDischarged,
        EventType::kPifuOpened, EventType::kPifuRequested, EventType::kOnwardReferred,
        EventType::kReferralClosed}) {
    EXPECT_TRUE(types.count(t)) << ToString(t);
  }
}

// Counts attended appointments at one site by week.
class SiteSink : public Sink {
 public:
  explicit SiteSink(std::int32_t site) : site_(site) {}
  void Emit(const Emitted& e) override {
    if (e.type == EventType::kAppointmentAttended && e.site == site_) {
      ++by_week[static_cast<int>(e.time / 7)];
    }
  }
  std::map<int, int> by_week;

 private:
  std::int32_t site_;
};

TEST(ScenarioTest, AClosedSiteSeesNobodyWhileClosed) {
  Scenario s = Short(Load("transferred-backlog.toml"), 18);
  StatusOr<Plan> plan = BuildPlan(s);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  const auto didcot = static_cast<std::int32_t>(
      std::find(plan->site_ids.begin(), plan->site_ids.end(), "didcot") - plan->site_ids.begin());
  SiteSink sink(didcot);
  RunReplication(*plan, 5, 0, sink);
  for (int week = 10; week < 16; ++week) EXPECT_EQ(sink.by_week[week], 0) << week;
  EXPECT_GT(sink.by_week[8], 0);
  EXPECT_GT(sink.by_week[17], 0);
}

// Records the referrals' arrivals.
class ArrivalSink : public Sink {
 public:
  void Emit(const Emitted& e) override {
    if (e.type == EventType::kReferralReceived) arrivals.emplace_back(e.time, e.priority);
  }
  std::vector<std::pair<double, Priority>> arrivals;
};

TEST(ScenarioTest, ScenariosShareRandomNumbersWhereTheyDoNotDiffer) {
  // More clinics change bookings, not demand: with one seed, the same referrals arrive.
  StatusOr<Plan> base = BuildPlan(Short(Load("baseline.toml"), 8));
  StatusOr<Plan> south = BuildPlan(Short(Load("more-clinics-south.toml"), 8));
  ASSERT_TRUE(base.ok() && south.ok());
  ArrivalSink a;
  ArrivalSink b;
  RunReplication(*base, 11, 2, a);
  RunReplication(*south, 11, 2, b);
  EXPECT_GT(a.arrivals.size(), 5000u);
  EXPECT_EQ(a.arrivals, b.arrivals);
  ArrivalSink other;
  RunReplication(*base, 11, 3, other);
  EXPECT_NE(a.arrivals, other.arrivals);
}

TEST(ScenarioTest, MoreClinicsInTheSouthShortenWaits) {
  const double before = testing::MeanTier1Wait(Short(Load("baseline.toml"), 26));
  const double after = testing::MeanTier1Wait(Short(Load("more-clinics-south.toml"), 26));
  EXPECT_GT(before, 0);
  EXPECT_LT(after, before);
}

// The lead to a first appointment (what a calibration from the live log fills) holds patients back
// from the first free slot: the mean wait grows by about the lead when capacity is not short.
TEST(ScenarioTest, ALeadToTheFirstAppointmentLengthensWaitsByAboutIt) {
  Scenario base = Short(Load("baseline.toml"), 26);
  Scenario led = base;
  for (auto& by_priority : led.treatment.first_lead) by_priority.fill(Lead{21, 2});
  const double before = testing::MeanTier1Wait(base);
  const double after = testing::MeanTier1Wait(led);
  EXPECT_GT(after, before + 2);
  EXPECT_LT(after, before + 4);
}

}  // namespace
}  // namespace tendon::sim
