#include "demo/demo.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <string>

#include "core/london_time.h"
#include "demo/payload.h"
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
  // One write for the reference data, one for the slots, one per 400 referrals, one for the
  // appointments.
  EXPECT_EQ(store.Stats().writes_committed, 3 + (summary->referrals + 399) / 400);
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

// The diary: slots from clinics.csv on every working day of the history and of forward_weeks weeks
// from `until` (2026-04-01, so Good Friday, Easter Monday and both May bank holidays fall inside),
// none on a weekend or a bank holiday; overflow clinics' slots only before `until`.
TEST(BuildDemoTest, WritesTheDiaryOfTheHistoryAndForwardOnWorkingDaysOnly) {
  store::testing::TempDir dir;
  auto opened = store::sqlite::SqliteStore::Open(dir.file("demo.db"));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  store::Store& store = **opened;
  auto summary = BuildDemo(store, Real().service, Real().clinics, Real().params, Real().calendar,
                           Months(1, 5000));
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  auto templates = store.ListClinicTemplates();
  ASSERT_TRUE(templates.ok());
  // The rota's templates and the overflow clinics.
  std::size_t overflow_clinics = 0;
  for (const ClinicTemplate& t : *templates) overflow_clinics += t.id.rfind("overflow-", 0) == 0;
  EXPECT_GT(overflow_clinics, 0u);
  EXPECT_EQ(templates->size(), Real().clinics.templates.size() + overflow_clinics);
  store::SlotQuery everything;
  everything.from = Instant{};
  everything.to = *FromLondon(kUntil + date::days(366), std::chrono::minutes(0));
  auto slots = store.ListSlots(everything);
  ASSERT_TRUE(slots.ok()) << slots.status().ToString();
  ASSERT_FALSE(slots->empty());
  EXPECT_EQ(static_cast<std::int64_t>(slots->size()), summary->slots);
  const Date first = summary->from;
  const Date last = kUntil + date::days(7 * Real().params.forward_weeks - 1);
  std::set<Date> days;
  std::int64_t overflow = 0;
  for (const Slot& slot : *slots) {
    const Date day = LondonDate(slot.start);
    ASSERT_TRUE(Real().calendar.IsWorkingDay(day)) << slot.id;
    ASSERT_GE(day, first) << slot.id;
    ASSERT_LE(day, last) << slot.id;
    if (slot.template_id.rfind("overflow-", 0) == 0) {
      ++overflow;
      EXPECT_LT(day, kUntil) << slot.id;
    }
    days.insert(day);
  }
  int working_days = 0;
  for (Date d = first; d <= last; d += date::days(1)) {
    working_days += Real().calendar.IsWorkingDay(d);
  }
  EXPECT_EQ(static_cast<int>(days.size()), working_days);
  EXPECT_FALSE(days.count(date::year(2026) / 4 / 3));  // Good Friday.
  EXPECT_GT(overflow, 0);
  EXPECT_LE(overflow, summary->overflow_appointments);
}

// What the store holds of a referral's appointments, read back for the checks below.
struct Booked {
  Appointment row;
  Slot slot;
};

// Every appointment event names exactly one appointment row of its referral; appointment.booked
// names one whose slot starts at the event's "start", at the event's site, in its modality; each
// row's status is what the last event about it says (booked when none has come yet, and then its
// slot starts after the end of the history; attended or dna only for a slot before the end); and
// every row has its appointment.booked.
void CheckAppointments(store::Store& store, const Referral& r, Instant cutoff) {
  auto rows = store.ListAppointmentsForReferral(r.id);
  auto events = store.ListEvents(r.id);
  ASSERT_TRUE(rows.ok() && events.ok());
  std::map<std::string, Booked> by_id;
  for (const Appointment& a : *rows) {
    auto slot = store.GetSlot(a.slot_id);
    ASSERT_TRUE(slot.ok()) << a.id << ": " << slot.status().ToString();
    EXPECT_TRUE(by_id.emplace(a.id, Booked{a, *slot}).second) << a.id;
  }
  std::map<std::string, AppointmentStatus> expected;
  for (const PathwayEvent& e : *events) {
    const std::string id(internal::PayloadText(e.payload, "appointment_id"));
    if (id.empty()) continue;
    const auto found = by_id.find(id);
    ASSERT_NE(found, by_id.end()) << r.id << " " << ToString(e.type) << " " << id;
    const Booked& b = found->second;
    switch (e.type) {
      case EventType::kAppointmentBooked:
        EXPECT_EQ(internal::PayloadText(e.payload, "start"), FormatInstant(b.slot.start)) << id;
        EXPECT_EQ(internal::PayloadText(e.payload, "slot_id"), b.slot.id) << id;
        EXPECT_EQ(internal::PayloadText(e.payload, "modality"), ToString(b.slot.modality)) << id;
        EXPECT_EQ(e.site, b.slot.site_id) << id;
        EXPECT_EQ(b.row.booked_at, e.occurred_at) << id;
        EXPECT_TRUE(expected.emplace(id, AppointmentStatus::kBooked).second) << id;
        break;
      case EventType::kAppointmentAttended:
        expected[id] = AppointmentStatus::kAttended;
        break;
      case EventType::kAppointmentDna:
        expected[id] = AppointmentStatus::kDna;
        break;
      case EventType::kAppointmentCancelled:
        expected[id] = AppointmentStatus::kCancelled;
        EXPECT_EQ(internal::PayloadText(e.payload, "by"), b.row.cancelled_by) << id;
        EXPECT_EQ(internal::PayloadText(e.payload, "reason"), b.row.cancel_reason) << id;
        break;
      default:
        ADD_FAILURE() << ToString(e.type) << " names appointment " << id;
    }
  }
  EXPECT_EQ(expected.size(), by_id.size()) << r.id;
  for (const auto& [id, status] : expected) {
    const Booked& b = by_id.at(id);
    EXPECT_EQ(b.row.status, status) << id;
    if (status == AppointmentStatus::kBooked) {
      EXPECT_GE(b.slot.start, cutoff) << id;
    } else if (status != AppointmentStatus::kCancelled) {
      EXPECT_LT(b.slot.start, cutoff) << id;  // Attended or missed: it has happened.
    }
  }
}

TEST(BuildDemoTest, EveryAppointmentEventHasOneAppointmentInASlotAtItsTimeAndSite) {
  store::testing::TempDir dir;
  auto opened = store::sqlite::SqliteStore::Open(dir.file("demo.db"));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  store::Store& store = **opened;
  auto summary = BuildDemo(store, Real().service, Real().clinics, Real().params, Real().calendar,
                           Months(1, 5000));
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  const Instant cutoff = *FromLondon(kUntil, std::chrono::minutes(0));
  std::int64_t referrals = 0;
  ASSERT_TRUE(store
                  .ScanReferrals([&](const Referral& r) {
                    ++referrals;
                    CheckAppointments(store, r, cutoff);
                    return OkStatus();
                  })
                  .ok());
  EXPECT_EQ(referrals, summary->referrals);

  // No slot holds more than its capacity, and its count is its appointments that hold a place.
  store::SlotQuery everything;
  everything.from = Instant{};
  everything.to = Instant::max();
  auto slots = store.ListSlots(everything);
  auto appointments = store.ListAppointmentsBetween(Instant::min(), Instant::max(), "");
  ASSERT_TRUE(slots.ok() && appointments.ok());
  EXPECT_EQ(static_cast<std::int64_t>(appointments->size()), summary->appointments);
  std::map<std::string, int> holding;
  for (const Appointment& a : *appointments) holding[a.slot_id] += HoldsPlace(a.status) ? 1 : 0;
  std::int64_t booked = 0;
  for (const Slot& slot : *slots) {
    EXPECT_LE(slot.booked, slot.capacity) << slot.id;
    EXPECT_EQ(slot.booked, holding[slot.id]) << slot.id;
    booked += slot.booked;
  }
  EXPECT_GT(booked, 0);
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
