#include "demo/demo.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <set>

#include "core/london_time.h"
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
  auto summary = BuildDemo(**store, Real().service, Real().clinics, Real().params, Real().calendar,
                           Months(1, 0));
  EXPECT_EQ(summary.status().field(), "batch_referrals");
  EXPECT_EQ((*store)->Stats().writes_committed, 0);
}

TEST(BuildDemoTest, FillsASqliteDatabaseThatPassesTheChecks) {
  store::testing::TempDir dir;
  auto opened = store::sqlite::SqliteStore::Open(dir.file("demo.db"));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  store::Store& store = **opened;
  const auto started = std::chrono::steady_clock::now();
  auto summary = BuildDemo(store, Real().service, Real().clinics, Real().params, Real().calendar,
                           Months(1, 400));
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
  // One write for the reference data, one for the forward diary, then one per 400 referrals.
  EXPECT_EQ(store.Stats().writes_committed, 2 + (summary->referrals + 399) / 400);
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

// The forward diary: slots from clinics.csv on every working day of forward_weeks weeks from
// `until` (2026-04-01, so Good Friday, Easter Monday and both May bank holidays fall inside), none
// on a weekend or a bank holiday, none before `until`.
TEST(BuildDemoTest, WritesAForwardDiaryOnWorkingDaysOnly) {
  store::testing::TempDir dir;
  auto opened = store::sqlite::SqliteStore::Open(dir.file("demo.db"));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  store::Store& store = **opened;
  auto summary = BuildDemo(store, Real().service, Real().clinics, Real().params, Real().calendar,
                           Months(1, 5000));
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  auto templates = store.ListClinicTemplates();
  ASSERT_TRUE(templates.ok());
  EXPECT_EQ(templates->size(), Real().clinics.templates.size());
  store::SlotQuery everything;
  everything.from = Instant{};
  everything.to = *FromLondon(kUntil + date::days(366), std::chrono::minutes(0));
  auto slots = store.ListSlots(everything);
  ASSERT_TRUE(slots.ok()) << slots.status().ToString();
  ASSERT_FALSE(slots->empty());
  EXPECT_EQ(static_cast<std::int64_t>(slots->size()), summary->slots);
  const Date last = kUntil + date::days(7 * Real().params.forward_weeks - 1);
  std::set<Date> days;
  for (const Slot& slot : *slots) {
    const Date day = LondonDate(slot.start);
    ASSERT_TRUE(Real().calendar.IsWorkingDay(day)) << slot.id;
    ASSERT_GE(day, kUntil) << slot.id;
    ASSERT_LE(day, last) << slot.id;
    days.insert(day);
  }
  int working_days = 0;
  for (Date d = kUntil; d <= last; d += date::days(1))
    working_days += Real().calendar.IsWorkingDay(d);
  EXPECT_EQ(static_cast<int>(days.size()), working_days);
  EXPECT_FALSE(days.count(date::year(2026) / 4 / 3));  // Good Friday.
}

TEST(BuildDemoTest, ASecondRunIntoTheSameStoreIsRefused) {
  store::testing::TempDir dir;
  auto opened = store::sqlite::SqliteStore::Open(dir.file("demo.db"));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  DemoOptions options = Months(1);
  options.until = kUntil - date::days(200);
  options.batch_referrals = 5000;
  ASSERT_TRUE(
      BuildDemo(**opened, Real().service, Real().clinics, Real().params, Real().calendar, options)
          .ok());
  auto again =
      BuildDemo(**opened, Real().service, Real().clinics, Real().params, Real().calendar, options);
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists) << again.status().ToString();
}

}  // namespace
}  // namespace tendon::demo
