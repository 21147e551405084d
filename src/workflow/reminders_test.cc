#include "workflow/reminders.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "store/testing/fixtures.h"
#include "workflow/booking.h"
#include "workflow/testing.h"

namespace tendon::workflow {
namespace {

using testing::kNow;  // Tuesday 24 November 2026, 10:00.

class RemindersTest : public testing::WorkflowTest {
 protected:
  void SetUp() override {
    WorkflowTest::SetUp();
    ASSERT_TRUE(store().Write(store::testing::InsertClinic).ok());
  }

  // A referral booked into a slot starting `days` after kNow.
  Appointment BookedIn(const std::string& slot_id, int days) {
    Slot slot = store::testing::MakeSlot(slot_id, 0);
    slot.start = kNow + date::days(days);
    slot.end = slot.start + std::chrono::minutes(30);
    EXPECT_TRUE(
        store().Write([&](store::WriteTxn& txn) { return txn.PutSlots({slot}).status(); }).ok());
    const Referral r = WaitingToBook();
    auto booked = Book(env(), Coordinator(), {r.id, slot.id, ""}, kNow);
    EXPECT_TRUE(booked.ok()) << booked.status().ToString();
    return *booked;
  }

  std::vector<std::string> Reminded() {
    std::vector<std::string> ids;
    const auto all = store().ListNotifications({});
    EXPECT_TRUE(all.ok());
    for (const Notification& n : *all) {
      if (n.kind == kNoticeReminder) {
        ids.push_back(nlohmann::json::parse(n.payload)["appointment_id"].get<std::string>());
      }
    }
    return ids;
  }
};

TEST_F(RemindersTest, RemindsOnceTwoWorkingDaysAheadAndNeverACancelledAppointment) {
  const Appointment thursday = BookedIn("thu", 2);   // Two working days on: reminded.
  const Appointment friday = BookedIn("fri", 3);     // Three: not yet.
  const Appointment cancelled = BookedIn("wed", 1);  // Cancelled: never.
  ASSERT_TRUE(Cancel(env(), Coordinator(), cancelled.id, "patient", "better", kNow).ok());

  auto first = QueueReminders(env(), kNow);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(*first, 1);
  EXPECT_EQ(Reminded(), std::vector<std::string>{thursday.id});
  EXPECT_EQ(*QueueReminders(env(), kNow + std::chrono::hours(2)), 0);  // Once.

  // The next day Friday's comes due; a run missed on Wednesday is made good on Thursday.
  EXPECT_EQ(*QueueReminders(env(), kNow + date::days(2)), 1);
  EXPECT_EQ(Reminded(), (std::vector<std::string>{thursday.id, friday.id}));
}

TEST_F(RemindersTest, CountsWorkingDaysOverAWeekend) {
  // Thursday 26 November: two working days on is Monday 30 November.
  const Appointment monday = BookedIn("mon", 6);
  EXPECT_EQ(*QueueReminders(env(), kNow + date::days(1)), 0);  // Wednesday: not yet.
  EXPECT_EQ(*QueueReminders(env(), kNow + date::days(2)), 1);  // Thursday.
  EXPECT_EQ(Reminded(), std::vector<std::string>{monday.id});
}

}  // namespace
}  // namespace tendon::workflow
