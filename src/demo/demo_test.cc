#include "demo/demo.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "demo/testing.h"
#include "store/check.h"
#include "store/sqlite/sqlite_store.h"
#include "store/testing/fixtures.h"

namespace tendon::demo {
namespace {

using testing::Real;

constexpr Date kUntil = date::sys_days(date::year(2026) / 4 / 1);

DemoOptions Months(int months, int batch = DemoOptions::kDefaultBatch) {
  DemoOptions options;
  options.months = months;
  options.seed = 1;
  options.until = kUntil;
  options.batch_referrals = batch;
  return options;
}

TEST(BuildDemoTest, RefusesABatchSizeBelowOne) {
  store::testing::TempDir dir;
  auto store = store::sqlite::SqliteStore::Open(dir.file("demo.db"));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto summary =
      BuildDemo(**store, Real().service, Real().params, Real().calendar, Months(1, 0));
  EXPECT_EQ(summary.status().field(), "batch_referrals");
  EXPECT_EQ((*store)->Stats().writes_committed, 0);
}

TEST(BuildDemoTest, FillsASqliteDatabaseThatPassesTheChecks) {
  store::testing::TempDir dir;
  auto opened = store::sqlite::SqliteStore::Open(dir.file("demo.db"));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  store::Store& store = **opened;
  const auto started = std::chrono::steady_clock::now();
  auto summary =
      BuildDemo(store, Real().service, Real().params, Real().calendar, Months(1, 400));
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  std::printf("one month: %lld referrals, %lld events in %lld ms\n",
              static_cast<long long>(summary->referrals), static_cast<long long>(summary->events),
              static_cast<long long>(
                  std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()));

  std::int64_t referrals = 0;
  std::int64_t open = 0;
  std::int64_t patients = 0;
  ASSERT_TRUE(store
                  .ScanReferrals([&](const Referral& r) {
                    ++referrals;
                    if (!IsTerminal(r.state)) ++open;
                    return OkStatus();
                  })
                  .ok());
  ASSERT_TRUE(store.ScanPatients([&](const Patient&) { return ++patients, OkStatus(); }).ok());
  EXPECT_EQ(referrals, summary->referrals);
  EXPECT_EQ(open, summary->open_referrals);
  EXPECT_EQ(patients, summary->patients);
  // One write for the reference data, then one per 400 referrals.
  EXPECT_EQ(store.Stats().writes_committed, 1 + (summary->referrals + 399) / 400);
  auto sites = store.ListSites();
  auto clinicians = store.ListClinicians();
  ASSERT_TRUE(sites.ok() && clinicians.ok());
  EXPECT_EQ(static_cast<std::int64_t>(sites->size()), summary->sites);
  EXPECT_EQ(static_cast<std::int64_t>(clinicians->size()), summary->clinicians);

  auto report = store::CheckInvariants(store);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->referrals, summary->referrals);
  EXPECT_EQ(report->events, summary->events);
  EXPECT_TRUE(report->violations.empty()) << report->violations.front();
}

TEST(BuildDemoTest, ASecondRunIntoTheSameStoreIsRefused) {
  store::testing::TempDir dir;
  auto opened = store::sqlite::SqliteStore::Open(dir.file("demo.db"));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  DemoOptions options = Months(1);
  options.until = kUntil - date::days(200);
  options.batch_referrals = 5000;
  ASSERT_TRUE(BuildDemo(**opened, Real().service, Real().params, Real().calendar, options).ok());
  auto again = BuildDemo(**opened, Real().service, Real().params, Real().calendar, options);
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists) << again.status().ToString();
}

}  // namespace
}  // namespace tendon::demo
