#include "cli/calibrate.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/london_time.h"
#include "core/source_dir_for_tests.h"
#include "store/sqlite/sqlite_store.h"
#include "store/testing/fixtures.h"

namespace tendon::cli {
namespace {

const std::filesystem::path kService = SourceDirForTests() / "data/services/oxfordshire";
const std::filesystem::path kHolidays =
    SourceDirForTests() / "data/bank-holidays-england-wales.csv";

// A calibration as Calibrate leaves it, with the baseline's parameters and values of its own.
Calibration Example() {
  StatusOr<sim::Scenario> base = sim::LoadScenario(kService / "scenarios/baseline.toml");
  EXPECT_TRUE(base.ok()) << base.status().ToString();
  Calibration c;
  if (!base.ok()) return c;
  c.scenario = *base;
  c.scenario.name = "Calibrated from 2026-05-24 to 2026-11-23";
  c.scenario.start = date::year{2026} / 5 / 24;
  c.scenario.weeks = 26;
  c.scenario.demand.referrals_per_week = 1164.5;
  c.scenario.treatment.first_lead[1][static_cast<int>(Priority::kRoutine)] = sim::Lead{36.2, 2.5};
  c.scenario.treatment.pifu_request_share = 0.119;
  ClinicTemplate overflow = base->templates.front();
  overflow.id = "overflow-001";
  overflow.site_id = "didcot";
  overflow.weekdays = {1, 2, 3, 4, 5};
  overflow.start_minute = 8 * 60;
  overflow.end_minute = 18 * 60;
  overflow.slot_type = SlotType::kFollowUp;
  c.added_clinics.push_back({overflow, {"physiotherapy"}});
  return c;
}

// The file written reads back as the same scenario, the added clinic included.
TEST(CalibrateTest, TheScenarioFileReadsBackAsCalibrated) {
  const Calibration c = Example();
  store::testing::TempDir dir;
  const std::filesystem::path file = dir.file("calibrated.toml");
  std::ofstream(file) << CalibratedScenarioToml(c, kService.string(), kHolidays.string());
  StatusOr<sim::Scenario> read = sim::LoadScenario(file);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->name, c.scenario.name);
  EXPECT_EQ(read->start, c.scenario.start);
  EXPECT_EQ(read->weeks, 26);
  EXPECT_NEAR(read->demand.referrals_per_week, 1164.5, 1e-3);
  for (int s = 0; s < sim::kSources; ++s) {
    EXPECT_NEAR(read->demand.sources[s].share, c.scenario.demand.sources[s].share, 1e-6);
  }
  const sim::Lead& lead = read->treatment.first_lead[1][static_cast<int>(Priority::kRoutine)];
  EXPECT_NEAR(lead.mean_days, 36.2, 1e-4);
  EXPECT_NEAR(lead.shape, 2.5, 1e-4);
  EXPECT_NEAR(read->treatment.pifu_request_share, 0.119, 1e-6);
  ASSERT_EQ(read->templates.size(), c.scenario.templates.size() + 1);
  const ClinicTemplate& added = read->templates.back();
  EXPECT_EQ(added.site_id, "didcot");
  EXPECT_EQ(added.slot_type, SlotType::kFollowUp);
  EXPECT_EQ(added.weekdays, (std::vector<int>{1, 2, 3, 4, 5}));
  EXPECT_EQ(added.start_minute, 8 * 60);
  EXPECT_EQ(added.end_minute, 18 * 60);
}

TEST(CalibrateTest, AnEmptyDatabaseHasNothingToCalibrateFrom) {
  store::testing::TempDir dir;
  auto store = store::sqlite::SqliteStore::Open(dir.file("empty.db").string());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(WholeHistory(**store).status().code(), StatusCode::kNotFound);
  CalibrationPeriod period;
  period.from = *FromLondon(date::year{2026} / 5 / 1, std::chrono::minutes(0));
  period.to = *FromLondon(date::year{2026} / 6 / 1, std::chrono::minutes(0));
  const Status none = Calibrate(**store, period, 8, {}).status();
  EXPECT_EQ(none.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(none.field(), "--from");
}

}  // namespace
}  // namespace tendon::cli
