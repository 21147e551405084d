#include "demo/demo.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <map>

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

// A store that runs each write against a transaction recording what was asked of it, and counts
// the writes. Reads are not needed by BuildDemo.
class RecordingStore final : public store::Store {
 public:
  class Txn final : public store::WriteTxn {
   public:
    explicit Txn(RecordingStore& s) : s_(s) {}
    Status PutSite(const Site&) override { return Count("site"); }
    Status PutRoom(const Room&) override { return Count("room"); }
    Status PutClinician(const Clinician&) override { return Count("clinician"); }
    Status InsertPatient(const Patient&) override { return Count("patient"); }
    StatusOr<std::int64_t> CreateReferral(const Referral& r,
                                          std::vector<PathwayEvent> events) override {
      std::optional<ReferralState> state;
      for (const PathwayEvent& e : events) {
        RETURN_IF_ERROR(ValidateEvent(e, state));
        state = e.state_after;
      }
      if (state != r.state) return InvalidArgumentError("state mismatch", "state");
      s_.events += static_cast<std::int64_t>(events.size());
      RETURN_IF_ERROR(Count("referral"));
      return s_.events;
    }
    StatusOr<std::int64_t> RecordEvent(const Referral&, PathwayEvent) override {
      return InternalError("not used");
    }
    StatusOr<std::int64_t> AppendAudit(const AuditEntry&) override {
      return InternalError("not used");
    }
    StatusOr<Patient> GetPatient(std::string_view) override { return InternalError("not used"); }
    StatusOr<Referral> GetReferral(std::string_view) override { return InternalError("not used"); }

   private:
    Status Count(const std::string& what) {
      ++s_.counts[what];
      return OkStatus();
    }
    RecordingStore& s_;
  };

  Status Write(store::WriteFn fn) override {
    ++writes;
    Txn txn(*this);
    return fn(txn);
  }
  StatusOr<Patient> GetPatient(std::string_view) override { return InternalError("not used"); }
  StatusOr<Patient> FindPatientByNhsNumber(std::string_view) override {
    return InternalError("not used");
  }
  StatusOr<Referral> GetReferral(std::string_view) override { return InternalError("not used"); }
  StatusOr<std::vector<PathwayEvent>> ListEvents(std::string_view) override {
    return InternalError("not used");
  }
  StatusOr<std::vector<Site>> ListSites() override { return InternalError("not used"); }
  StatusOr<std::vector<Room>> ListRooms() override { return InternalError("not used"); }
  StatusOr<std::vector<Clinician>> ListClinicians() override { return InternalError("not used"); }
  StatusOr<std::vector<AuditEntry>> ListAudit(const store::AuditFilter&) override {
    return InternalError("not used");
  }
  Status ScanEvents(std::int64_t, const std::function<Status(const PathwayEvent&)>&) override {
    return InternalError("not used");
  }
  Status ScanReferrals(const std::function<Status(const Referral&)>&) override {
    return InternalError("not used");
  }
  Status ScanPatients(const std::function<Status(const Patient&)>&) override {
    return InternalError("not used");
  }
  StatusOr<std::vector<std::string>> VerifyLogs() override { return InternalError("not used"); }

  int writes = 0;
  std::int64_t events = 0;
  std::map<std::string, std::int64_t> counts;
};

TEST(BuildDemoTest, WritesEverythingInBatchesOfTheGivenSize) {
  RecordingStore store;
  auto summary = BuildDemo(store, Real().service, Real().params, Real().calendar, Months(1, 400));
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(store.counts["site"], summary->sites);
  EXPECT_EQ(store.counts["clinician"], summary->clinicians);
  EXPECT_EQ(store.counts["patient"], summary->patients);
  EXPECT_EQ(store.counts["referral"], summary->referrals);
  EXPECT_EQ(store.events, summary->events);
  // One write for the reference data, then one per 400 referrals.
  EXPECT_EQ(store.writes, 1 + (summary->referrals + 399) / 400);
}

TEST(BuildDemoTest, RefusesABatchSizeBelowOne) {
  RecordingStore store;
  auto summary = BuildDemo(store, Real().service, Real().params, Real().calendar, Months(1, 0));
  EXPECT_EQ(summary.status().field(), "batch_referrals");
  EXPECT_EQ(store.writes, 0);
}

TEST(BuildDemoTest, FillsASqliteDatabaseThatPassesTheChecks) {
  store::testing::TempDir dir;
  auto opened = store::sqlite::SqliteStore::Open(dir.file("demo.db"));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  store::Store& store = **opened;
  const auto started = std::chrono::steady_clock::now();
  auto summary = BuildDemo(store, Real().service, Real().params, Real().calendar, Months(1));
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
