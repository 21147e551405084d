#include "workflow/booking.h"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include "workflow/testing.h"
#include "workflow/triage.h"

namespace tendon::workflow {
namespace {

using nlohmann::json;

class BookingTest : public testing::WorkflowTest {
 protected:
  void SetUp() override {
    WorkflowTest::SetUp();
    ASSERT_TRUE(store().Write(store::testing::InsertClinic).ok());
  }

  // A single-place slot `days` after kNow, an hour earlier in the day, ring-fenced as asked.
  Slot AddSlot(const std::string& id, int days, Ringfence ringfence = Ringfence::kNone,
               Instant opens = {}) {
    Slot slot = store::testing::MakeSlot(id, 0);
    slot.start = testing::kNow + date::days(days) - std::chrono::hours(1);
    slot.end = slot.start + std::chrono::minutes(30);
    slot.ringfence = ringfence;
    slot.opens_to_all_at = opens;
    EXPECT_TRUE(
        store().Write([&](store::WriteTxn& txn) { return txn.PutSlots({slot}).status(); }).ok());
    return slot;
  }

  static Actor Booker() { return {"user-coordinator", Role::kCoordinator, "RNU"}; }
};

TEST_F(BookingTest, BookingMovesTheReferralWithItsEventAndTakesThePlace) {
  const Slot slot = AddSlot("s1", 2);
  const Referral r = WaitingToBook();
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
  const Referral r = WaitingToBook();
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
  const Referral a = WaitingToBook();
  const Referral b = WaitingToBook();
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
  const Referral routine = WaitingToBook();
  EXPECT_EQ(Book(env(), Booker(), {routine.id, slot.id, ""}, testing::kNow).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Book(env(), Booker(), {routine.id, slot.id, ""}, opens).ok());
}

TEST_F(BookingTest, OnlyAReferralWaitingToBookInAFutureSlot) {
  const Slot past = AddSlot("s0", -1);
  const Referral r = WaitingToBook();
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
  for (int i = 0; i < 200; ++i) referrals.push_back(WaitingToBook());
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
