#include "workflow/booking.h"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include "core/london_time.h"
#include "core/nhs_number.h"
#include "workflow/testing.h"
#include "workflow/triage.h"

namespace tendon::workflow {
namespace {

using nlohmann::json;

class BookingTest : public testing::WorkflowTest {
 protected:
  void SetUp() override {
    WorkflowTest::SetUp();
    Site site;
    site.id = "east-oxford";
    site.name = "East Oxford";
    site.region = "Central Oxford";
    site.latitude = 51.75;
    site.longitude = -1.23;
    site.rooms = 2;
    Room room{"east-oxford-1", "east-oxford", "Room 1"};
    Clinician clinician;
    clinician.id = "clin-1";
    clinician.name = "A Physio";
    clinician.profession = "physiotherapist";
    clinician.base_site_id = "east-oxford";
    ClinicTemplate clinic;
    clinic.id = "t1";
    clinic.clinician_id = "clin-1";
    clinic.site_id = "east-oxford";
    clinic.room_id = "east-oxford-1";
    clinic.weekdays = {1, 2, 3, 4, 5};
    clinic.start_minute = 9 * 60;
    clinic.end_minute = 12 * 60;
    clinic.valid_from = LondonDate(testing::kNow);
    User triager;  // Triage claims name an account.
    triager.id = triager.username = "user-triage";
    triager.display_name = "Triage clinician";
    triager.role = Role::kTriageClinician;
    triager.password_hash = "unused";
    ASSERT_TRUE(store()
                    .Write([&](store::WriteTxn& txn) -> Status {
                      RETURN_IF_ERROR(txn.InsertUser(triager));
                      RETURN_IF_ERROR(txn.PutSite(site));
                      RETURN_IF_ERROR(txn.PutRoom(room));
                      RETURN_IF_ERROR(txn.PutClinician(clinician));
                      return txn.PutClinicTemplate(clinic);
                    })
                    .ok());
  }

  // A single-place slot `days` after kNow at 09:00 UTC, ring-fenced as asked.
  Slot AddSlot(const std::string& id, int days, Ringfence ringfence = Ringfence::kNone,
               Instant opens = {}) {
    Slot slot;
    slot.id = id;
    slot.template_id = "t1";
    slot.clinician_id = "clin-1";
    slot.site_id = "east-oxford";
    slot.room_id = "east-oxford-1";
    slot.start = testing::kNow + date::days(days) - std::chrono::hours(1);
    slot.end = slot.start + std::chrono::minutes(30);
    slot.ringfence = ringfence;
    slot.opens_to_all_at = opens;
    EXPECT_TRUE(
        store().Write([&](store::WriteTxn& txn) { return txn.PutSlots({slot}).status(); }).ok());
    return slot;
  }

  // A referral for a new patient, accepted at triage and waiting to book.
  Referral Waiting(Priority priority = Priority::kRoutine) {
    json body = testing::CompleteReferral();
    body["patient"]["nhs_number"] = *MakeTestNhsNumber(static_cast<std::uint32_t>(patients_++));
    auto submitted = Submit(env(), Referrer(), Parse(body), testing::kNow);
    EXPECT_TRUE(submitted.ok()) << submitted.status().ToString();
    const Referral r = submitted.ok() ? submitted->referral : Referral{};
    TriageDecision accept;
    accept.outcome = TriageOutcome::kAccept;
    accept.service_line = ServiceLine::kPhysiotherapy;
    accept.modality = Modality::kFaceToFace;
    accept.priority = priority;
    auto after = RecordTriage(env(), {"user-triage", Role::kTriageClinician, "RNU"}, r.id, accept,
                              testing::kNow);
    EXPECT_TRUE(after.ok()) << after.status().ToString();
    return after.ok() ? *after : r;
  }

  static Actor Booker() { return {"user-coordinator", Role::kCoordinator, "RNU"}; }

 private:
  int patients_ = 0;
};

TEST_F(BookingTest, BookingMovesTheReferralWithItsEventAndTakesThePlace) {
  const Slot slot = AddSlot("s1", 2);
  const Referral r = Waiting();
  auto booked = Book(env(), Booker(), {r.id, slot.id, "key-1"}, testing::kNow);
  ASSERT_TRUE(booked.ok()) << booked.status().ToString();
  EXPECT_EQ(booked->status, AppointmentStatus::kBooked);
  const Referral after = *store().GetReferral(r.id);
  EXPECT_EQ(after.state, ReferralState::kBooked);
  EXPECT_EQ(after.owner, "clin-1");
  EXPECT_EQ(after.next_action_due, slot.start);
  const PathwayEvent last = store().ListEvents(r.id)->back();
  EXPECT_EQ(last.type, EventType::kAppointmentBooked);
  EXPECT_EQ(json::parse(last.payload)["appointment_id"], booked->id);
  EXPECT_EQ(store().GetSlot(slot.id)->booked, 1);
  EXPECT_EQ(Violations(), std::vector<std::string>{});
}

TEST_F(BookingTest, TheSameKeyIsAppliedOnce) {
  const Slot slot = AddSlot("s1", 2);
  const Referral r = Waiting();
  auto first = Book(env(), Booker(), {r.id, slot.id, "key-1"}, testing::kNow);
  auto again = Book(env(), Booker(), {r.id, slot.id, "key-1"}, testing::kNow);
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(first->id, again->id);
  EXPECT_EQ(store().ListAppointmentsForReferral(r.id)->size(), 1u);
  const Slot other = AddSlot("s2", 3);
  EXPECT_EQ(Book(env(), Booker(), {r.id, other.id, "key-1"}, testing::kNow).status().code(),
            StatusCode::kAlreadyExists);
}

TEST_F(BookingTest, AFullSlotRefusesTheNextAndACancellationFreesIt) {
  const Slot slot = AddSlot("s1", 2);
  const Referral a = Waiting();
  const Referral b = Waiting();
  auto first = Book(env(), Booker(), {a.id, slot.id, ""}, testing::kNow);
  ASSERT_TRUE(first.ok());
  auto second = Book(env(), Booker(), {b.id, slot.id, ""}, testing::kNow);
  EXPECT_EQ(second.status().code(), StatusCode::kAborted);
  EXPECT_EQ(store().GetReferral(b.id)->state, ReferralState::kWaitingToBook);

  auto cancelled = Cancel(env(), Booker(), first->id, "service", "clinician unwell", testing::kNow);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status().ToString();
  const Referral back = *store().GetReferral(a.id);
  EXPECT_EQ(back.state, ReferralState::kWaitingToBook);
  EXPECT_EQ(back.owner, "booking");
  EXPECT_EQ(back.priority, a.priority);
  EXPECT_TRUE(Book(env(), Booker(), {b.id, slot.id, ""}, testing::kNow).ok());
  EXPECT_EQ(Violations(), std::vector<std::string>{});
}

TEST_F(BookingTest, CancellationNeedsWhoAndWhy) {
  EXPECT_EQ(Cancel(env(), Booker(), "x", "nobody", "r", testing::kNow).status().field(), "by");
  EXPECT_EQ(Cancel(env(), Booker(), "x", "patient", "  ", testing::kNow).status().field(),
            "reason");
}

TEST_F(BookingTest, ARingFencedSlotWaitsForItsPatientsUntilTheEmbargoLifts) {
  const Instant opens = testing::kNow + date::days(1);
  const Slot slot = AddSlot("s1", 5, Ringfence::kPostOp, opens);
  const Referral routine = Waiting();
  EXPECT_EQ(Book(env(), Booker(), {routine.id, slot.id, ""}, testing::kNow).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Book(env(), Booker(), {routine.id, slot.id, ""}, opens).ok());
}

TEST_F(BookingTest, OnlyAReferralWaitingToBookInAFutureSlot) {
  const Slot past = AddSlot("s0", -1);
  const Referral r = Waiting();
  EXPECT_EQ(Book(env(), Booker(), {r.id, past.id, ""}, testing::kNow).status().code(),
            StatusCode::kFailedPrecondition);
  const Referral triage = AwaitingTriage();
  const Slot slot = AddSlot("s1", 2);
  EXPECT_EQ(Book(env(), Booker(), {triage.id, slot.id, ""}, testing::kNow).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(Book(env(), Booker(), {r.id, "no-such-slot", ""}, testing::kNow).status().code(),
            StatusCode::kNotFound);
}

TEST_F(BookingTest, TwoHundredRacingBookingsForTenSlotsGiveExactlyTen) {
  std::vector<Slot> slots;
  for (int i = 0; i < 10; ++i) slots.push_back(AddSlot("s" + std::to_string(i), 2 + i));
  std::vector<Referral> referrals;
  for (int i = 0; i < 200; ++i) referrals.push_back(Waiting());
  std::latch start(200);
  std::atomic<int> ok{0}, full{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 200; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      auto r = Book(env(), Booker(), {referrals[i].id, slots[i % 10].id, ""}, testing::kNow);
      if (r.ok()) {
        ++ok;
      } else if (r.status().code() == StatusCode::kAborted) {
        ++full;
      } else {
        ++other;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 10);
  EXPECT_EQ(full.load(), 190);
  EXPECT_EQ(other.load(), 0);
  for (const Slot& s : slots) EXPECT_EQ(store().GetSlot(s.id)->booked, 1);
  EXPECT_EQ(Violations(), std::vector<std::string>{});
}

}  // namespace
}  // namespace tendon::workflow
