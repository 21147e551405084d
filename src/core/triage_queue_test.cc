#include "core/triage_queue.h"

#include <gtest/gtest.h>

namespace tendon {
namespace {

Instant At(int hours) { return FromUnixMillis(1'780'000'000'000 + hours * 3'600'000LL); }

Referral Awaiting(std::string id, Priority priority, int received_hour, int due_hour) {
  Referral r;
  r.id = std::move(id);
  r.state = ReferralState::kAwaitingTriage;
  r.priority = priority;
  r.received_at = At(received_hour);
  r.next_action_due = At(due_hour);
  return r;
}

std::vector<std::string> Ids(const std::vector<TriageItem>& queue) {
  std::vector<std::string> ids;
  for (const TriageItem& item : queue) ids.push_back(item.referral.id);
  return ids;
}

TEST(TriageQueueTest, MostUrgentFirstThenLongestWaiting) {
  std::vector<Referral> awaiting{
      Awaiting("routine-old", Priority::kRoutine, 0, 100),
      Awaiting("urgent-new", Priority::kUrgent, 20, 40),
      Awaiting("emergency", Priority::kEmergency, 30, 31),
      Awaiting("urgent-old", Priority::kUrgent, 10, 30),
      Awaiting("post-op", Priority::kPostOp, 5, 60),
      Awaiting("routine-new", Priority::kRoutine, 25, 120),
  };
  EXPECT_EQ(Ids(OrderTriageQueue(awaiting, At(35))),
            (std::vector<std::string>{"emergency", "urgent-old", "urgent-new", "post-op",
                                      "routine-old", "routine-new"}));
}

TEST(TriageQueueTest, ResubmissionCountsAsRegistrationAndTiesBreakByReference) {
  Referral resubmitted = Awaiting("b", Priority::kRoutine, 0, 100);
  resubmitted.resubmitted_at = At(50);
  std::vector<Referral> awaiting{resubmitted, Awaiting("c", Priority::kRoutine, 10, 100),
                                 Awaiting("a", Priority::kRoutine, 10, 100)};
  EXPECT_EQ(Ids(OrderTriageQueue(awaiting, At(0))), (std::vector<std::string>{"a", "c", "b"}));
}

TEST(TriageQueueTest, OverdueOncePastTheDueTimeAndOtherStatesLeftOut) {
  Referral booked = Awaiting("booked", Priority::kUrgent, 0, 1);
  booked.state = ReferralState::kBooked;
  Referral no_due = Awaiting("no-due", Priority::kRoutine, 0, 1);
  no_due.next_action_due.reset();
  auto queue = OrderTriageQueue({Awaiting("due-now", Priority::kUrgent, 0, 10),
                                 Awaiting("later", Priority::kUrgent, 1, 11), booked, no_due},
                                At(10));
  ASSERT_EQ(queue.size(), 3u);
  EXPECT_TRUE(queue[0].overdue);   // Due at exactly now.
  EXPECT_FALSE(queue[1].overdue);  // Due in an hour.
  EXPECT_TRUE(queue[2].overdue);   // No due time: shown as overdue, never hidden.
}

}  // namespace
}  // namespace tendon
