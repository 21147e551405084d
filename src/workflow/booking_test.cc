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
    return Put(slot);
  }

  Slot Put(const Slot& slot) {
    EXPECT_TRUE(
        store().Write([&](store::WriteTxn& txn) { return txn.PutSlots({slot}).status(); }).ok());
    return slot;
  }

  // A second site, "site-2", with clinician "clin-2" and template "tpl-2"; returns a slot there.
  Slot AddOtherSiteSlot(const std::string& id, int days) {
    EXPECT_TRUE(store()
                    .Write([](store::WriteTxn& txn) -> Status {
                      RETURN_IF_ERROR(txn.PutSite(store::testing::MakeSite("site-2")));
                      RETURN_IF_ERROR(txn.PutRoom(store::testing::MakeRoom("room-2", "site-2")));
                      RETURN_IF_ERROR(
                          txn.PutClinician(store::testing::MakeClinician("clin-2", "site-2")));
                      ClinicTemplate t = store::testing::MakeTemplate("tpl-2");
                      t.clinician_id = "clin-2";
                      t.site_id = "site-2";
                      t.room_id = "room-2";
                      return txn.PutClinicTemplate(t);
                    })
                    .ok());
    Slot slot = store::testing::MakeSlot(id, 0);
    slot.start = slot.opens_to_all_at = testing::kNow + date::days(days) - std::chrono::hours(1);
    slot.end = slot.start + std::chrono::minutes(30);
    slot.template_id = "tpl-2";
    slot.clinician_id = "clin-2";
    slot.site_id = "site-2";
    slot.room_id = "room-2";
    return Put(slot);
  }

  // A referral booked into `slot`.
  std::pair<Referral, Appointment> Booked(const Slot& slot,
                                          Priority priority = Priority::kRoutine) {
    const Referral r = WaitingToBook(priority);
    auto booked = Book(env(), Booker(), {r.id, slot.id, ""}, testing::kNow);
    EXPECT_TRUE(booked.ok()) << booked.status().ToString();
    return {r, booked.ok() ? *booked : Appointment{}};
  }

  // The messages queued in the outbox, oldest first, but for booking confirmations unless asked.
  std::vector<Notification> Outbox(bool with_confirmations = false) {
    auto queued = store().ListNotifications({});
    EXPECT_TRUE(queued.ok()) << queued.status().ToString();
    std::vector<Notification> out;
    for (const Notification& n : queued.ok() ? *queued : std::vector<Notification>{}) {
      if (with_confirmations || n.kind != kNoticeBooked) out.push_back(n);
    }
    return out;
  }

  std::size_t EventCount(const std::string& referral_id) {
    return store().ListEvents(referral_id)->size();
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

TEST_F(BookingTest, ACancellationSentAgainIsAnsweredAsBeforeAndChangesNothing) {
  const Slot slot = AddSlot("s1", 2);
  const Referral a = WaitingToBook();
  auto booked = Book(env(), Booker(), {a.id, slot.id, ""}, testing::kNow);
  ASSERT_TRUE(booked.ok());
  auto first = Cancel(env(), Booker(), booked->id, "service", "clinician unwell", testing::kNow);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const std::size_t events = store().ListEvents(a.id)->size();
  const std::size_t messages = store().ListNotifications({})->size();
  auto again = Cancel(env(), Booker(), booked->id, "service", "clinician unwell",
                      testing::kNow + std::chrono::minutes(1));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->status, AppointmentStatus::kCancelled);
  EXPECT_EQ(again->updated_at, first->updated_at);
  EXPECT_EQ(store().ListEvents(a.id)->size(), events);
  EXPECT_EQ(store().ListNotifications({})->size(), messages);  // The patient is told once.
  // Another party, or another reason, is not the same cancellation: refused as before.
  EXPECT_EQ(Cancel(env(), Booker(), booked->id, "patient", "clinician unwell", testing::kNow)
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(
      Cancel(env(), Booker(), booked->id, "service", "room flooded", testing::kNow).status().code(),
      StatusCode::kFailedPrecondition);
  EXPECT_EQ(Violations(), std::vector<std::string>{});
}

TEST_F(BookingTest, AnOfferHoldsThePlaceUntilThePatientAcceptsIt) {
  const Slot slot = AddSlot("s1", 10);
  const Referral a = WaitingToBook(Priority::kUrgent);
  const Referral b = WaitingToBook();
  auto offered = Offer(env(), Booker(), {a.id, slot.id, "offer-1"}, testing::kNow);
  ASSERT_TRUE(offered.ok()) << offered.status().ToString();
  EXPECT_EQ(offered->status, AppointmentStatus::kOffered);
  ASSERT_TRUE(offered->offer_expires_at.has_value());
  EXPECT_GT(*offered->offer_expires_at, testing::kNow);
  EXPECT_LT(*offered->offer_expires_at, slot.start);
  const Referral waiting = *store().GetReferral(a.id);
  EXPECT_EQ(waiting.state, ReferralState::kWaitingToBook);
  EXPECT_EQ(waiting.next_action_due, offered->offer_expires_at);
  const PathwayEvent event = store().ListEvents(a.id)->back();
  EXPECT_EQ(event.type, EventType::kAppointmentOffered);
  EXPECT_EQ(json::parse(event.payload)["expires_at"], FormatInstant(*offered->offer_expires_at));
  // The place is held: nobody else can take it while the offer is open.
  EXPECT_EQ(Book(env(), Booker(), {b.id, slot.id, ""}, testing::kNow).status().code(),
            StatusCode::kAborted);
  auto accepted = AcceptOffer(env(), Booker(), offered->id, testing::kNow + std::chrono::hours(1));
  ASSERT_TRUE(accepted.ok()) << accepted.status().ToString();
  EXPECT_EQ(accepted->status, AppointmentStatus::kBooked);
  EXPECT_EQ(store().GetReferral(a.id)->state, ReferralState::kBooked);
  EXPECT_EQ(store().ListEvents(a.id)->back().type, EventType::kAppointmentBooked);
  EXPECT_EQ(store().GetSlot(slot.id)->booked, 1);
  EXPECT_EQ(AcceptOffer(env(), Booker(), offered->id, testing::kNow).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(Violations(), std::vector<std::string>{});
}

TEST_F(BookingTest, ALapsedOfferCannotBeAcceptedAndItsPlaceGoesToTheNextBooking) {
  const Slot slot = AddSlot("s1", 20);
  const Referral a = WaitingToBook();
  const Referral b = WaitingToBook();
  auto offered = Offer(env(), Booker(), {a.id, slot.id, ""}, testing::kNow);
  ASSERT_TRUE(offered.ok()) << offered.status().ToString();
  const Instant later = *offered->offer_expires_at + std::chrono::minutes(1);
  EXPECT_EQ(AcceptOffer(env(), Booker(), offered->id, later).status().code(),
            StatusCode::kFailedPrecondition);
  auto booked = Book(env(), Booker(), {b.id, slot.id, ""}, later);
  ASSERT_TRUE(booked.ok()) << booked.status().ToString();
  const Appointment lapsed = *store().GetAppointment(offered->id);
  EXPECT_EQ(lapsed.status, AppointmentStatus::kCancelled);
  EXPECT_EQ(lapsed.cancel_reason, "the offer lapsed");
  EXPECT_EQ(store().GetSlot(slot.id)->booked, 1);
  EXPECT_EQ(store().GetReferral(a.id)->state, ReferralState::kWaitingToBook);
  EXPECT_EQ(Violations(), std::vector<std::string>{});
}

TEST_F(BookingTest, DecliningAnOfferFreesThePlaceWithItsEvent) {
  const Slot slot = AddSlot("s1", 10);
  const Referral a = WaitingToBook();
  auto offered = Offer(env(), Booker(), {a.id, slot.id, ""}, testing::kNow);
  ASSERT_TRUE(offered.ok());
  auto declined =
      Cancel(env(), Booker(), offered->id, "patient", "cannot make Tuesdays", testing::kNow);
  ASSERT_TRUE(declined.ok()) << declined.status().ToString();
  EXPECT_EQ(declined->status, AppointmentStatus::kCancelled);
  EXPECT_EQ(store().GetSlot(slot.id)->booked, 0);
  const Referral after = *store().GetReferral(a.id);
  EXPECT_EQ(after.state, ReferralState::kWaitingToBook);
  EXPECT_EQ(after.next_action_due, testing::kNow);
  const PathwayEvent last = store().ListEvents(a.id)->back();
  EXPECT_EQ(last.type, EventType::kAppointmentCancelled);
  EXPECT_EQ(json::parse(last.payload)["reason"], "cannot make Tuesdays");
  EXPECT_EQ(Violations(), std::vector<std::string>{});
}

TEST_F(BookingTest, OneOpenOfferAtATimeAndABookingReplacesIt) {
  const Slot first = AddSlot("s1", 10);
  const Slot second = AddSlot("s2", 11);
  const Referral a = WaitingToBook();
  auto offered = Offer(env(), Booker(), {a.id, first.id, ""}, testing::kNow);
  ASSERT_TRUE(offered.ok());
  const std::size_t events = EventCount(a.id);
  const Status again = Offer(env(), Booker(), {a.id, second.id, ""}, testing::kNow).status();
  EXPECT_EQ(again.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(again.field(), "referral_id");
  EXPECT_EQ(EventCount(a.id), events);
  EXPECT_EQ(store().GetSlot(second.id)->booked, 0);
  // Booking the patient elsewhere withdraws the offer and gives its place back.
  ASSERT_TRUE(Book(env(), Booker(), {a.id, second.id, ""}, testing::kNow).ok());
  EXPECT_EQ(store().GetAppointment(offered->id)->status, AppointmentStatus::kCancelled);
  EXPECT_EQ(store().GetSlot(first.id)->booked, 0);
  EXPECT_EQ(store().GetSlot(second.id)->booked, 1);
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

TEST_F(BookingTest, RescheduleCancelsTheOldAndBooksTheNewTogether) {
  const Slot first = AddSlot("s1", 2);
  const Slot second = AddSlot("s2", 3);
  auto [r, old] = Booked(first);
  auto moved =
      Reschedule(env(), Booker(), old.id, second.id, "patient", "on holiday", testing::kNow);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved->slot_id, second.id);
  EXPECT_EQ(store().GetAppointment(old.id)->status, AppointmentStatus::kCancelled);
  EXPECT_EQ(store().GetAppointment(old.id)->cancelled_by, "patient");
  EXPECT_EQ(store().GetSlot(first.id)->booked, 0);
  EXPECT_EQ(store().GetSlot(second.id)->booked, 1);
  const Referral after = *store().GetReferral(r.id);
  EXPECT_EQ(after.state, ReferralState::kBooked);
  EXPECT_EQ(after.next_action_due, second.start);
  const std::vector<PathwayEvent> events = *store().ListEvents(r.id);
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events[events.size() - 2].type, EventType::kAppointmentCancelled);
  EXPECT_EQ(events.back().type, EventType::kAppointmentBooked);
  EXPECT_EQ(Violations(), std::vector<std::string>{});
}

TEST_F(BookingTest, ARescheduleSentAgainIsAnsweredAsBeforeAndChangesNothing) {
  const Slot first = AddSlot("s1", 2);
  const Slot second = AddSlot("s2", 3);
  const Slot third = AddSlot("s3", 4);
  auto [r, old] = Booked(first);
  auto moved = Reschedule(env(), Booker(), old.id, second.id, "service", "room", testing::kNow);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  const std::size_t events = EventCount(r.id);
  const std::size_t messages = store().ListNotifications({})->size();
  auto again = Reschedule(env(), Booker(), old.id, second.id, "service", "room",
                          testing::kNow + std::chrono::minutes(1));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->id, moved->id);
  EXPECT_EQ(again->booked_at, moved->booked_at);
  EXPECT_EQ(EventCount(r.id), events);
  EXPECT_EQ(store().ListNotifications({})->size(), messages);  // The patient is told once.
  EXPECT_EQ(store().GetSlot(second.id)->booked, 1);
  // Another slot, party or reason is not the same move: refused, as is a resend once the moved
  // appointment is itself cancelled.
  EXPECT_EQ(Reschedule(env(), Booker(), old.id, third.id, "service", "room", testing::kNow)
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reschedule(env(), Booker(), old.id, second.id, "patient", "room", testing::kNow)
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reschedule(env(), Booker(), old.id, second.id, "service", "flood", testing::kNow)
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  ASSERT_TRUE(Cancel(env(), Booker(), moved->id, "patient", "better", testing::kNow).ok());
  EXPECT_EQ(Reschedule(env(), Booker(), old.id, second.id, "service", "room", testing::kNow)
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(store().GetSlot(third.id)->booked, 0);
  EXPECT_EQ(Violations(), std::vector<std::string>{});
}

TEST_F(BookingTest, RescheduleIntoAFullSlotChangesNothing) {
  const Slot first = AddSlot("s1", 2);
  const Slot full = AddSlot("s2", 3);
  auto [r, old] = Booked(first);
  Booked(full);
  const std::size_t events = EventCount(r.id);
  auto moved = Reschedule(env(), Booker(), old.id, full.id, "service", "room", testing::kNow);
  EXPECT_EQ(moved.status().code(), StatusCode::kAborted);
  EXPECT_EQ(store().GetAppointment(old.id)->status, AppointmentStatus::kBooked);
  EXPECT_EQ(store().GetSlot(first.id)->booked, 1);
  EXPECT_EQ(store().GetSlot(full.id)->booked, 1);
  EXPECT_EQ(store().GetReferral(r.id)->state, ReferralState::kBooked);
  EXPECT_EQ(EventCount(r.id), events);
  EXPECT_EQ(
      Reschedule(env(), Booker(), old.id, first.id, "service", "x", testing::kNow).status().field(),
      "slot_id");
  EXPECT_EQ(
      Reschedule(env(), Booker(), old.id, full.id, "nobody", "x", testing::kNow).status().field(),
      "by");
  EXPECT_EQ(Violations(), std::vector<std::string>{});
}

TEST_F(BookingTest, AttendanceIsRecordedOnlyOnceTheSlotHasStarted) {
  const Slot slot = AddSlot("s1", 2);
  auto [r, appointment] = Booked(slot);
  EXPECT_EQ(MarkAttended(env(), Booker(), appointment.id, testing::kNow).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(MarkDna(env(), Booker(), appointment.id, testing::kNow).status().code(),
            StatusCode::kFailedPrecondition);
  const Instant during = slot.start + std::chrono::minutes(10);
  auto attended = MarkAttended(env(), Booker(), appointment.id, during);
  ASSERT_TRUE(attended.ok()) << attended.status().ToString();
  EXPECT_EQ(attended->status, AppointmentStatus::kAttended);
  const Referral after = *store().GetReferral(r.id);
  EXPECT_EQ(after.state, ReferralState::kInTreatment);
  EXPECT_EQ(after.owner, "clin-1");
  EXPECT_GT(after.next_action_due, during);
  EXPECT_EQ(store().ListEvents(r.id)->back().type, EventType::kAppointmentAttended);
  EXPECT_EQ(store().GetSlot(slot.id)->booked, 1);  // An attended appointment keeps its place.
  EXPECT_EQ(MarkDna(env(), Booker(), appointment.id, during).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(Violations(), std::vector<std::string>{});
}

struct FirstDnaCase {
  config::FirstDna rule;
  ReferralState state;
  std::vector<EventType> last_events;
};

TEST_F(BookingTest, AFirstDnaFollowsTheServicesRule) {
  const std::vector<FirstDnaCase> cases{
      {config::FirstDna::kRebook, ReferralState::kWaitingToBook, {EventType::kAppointmentDna}},
      {config::FirstDna::kDischarge,
       ReferralState::kClosed,
       {EventType::kAppointmentDna, EventType::kReferralClosed}},
  };
  int n = 0;
  for (const FirstDnaCase& c : cases) {
    SCOPED_TRACE(static_cast<int>(c.rule));
    Env ruled = env();
    ruled.timing.first_dna = c.rule;
    const Slot slot = AddSlot("dna" + std::to_string(n++), 2);
    auto [r, appointment] = Booked(slot);
    auto missed = MarkDna(ruled, Booker(), appointment.id, slot.start + std::chrono::minutes(20));
    ASSERT_TRUE(missed.ok()) << missed.status().ToString();
    EXPECT_EQ(missed->status, AppointmentStatus::kDna);
    const Referral after = *store().GetReferral(r.id);
    EXPECT_EQ(after.state, c.state);
    EXPECT_EQ(after.priority, r.priority);
    const std::vector<PathwayEvent> events = *store().ListEvents(r.id);
    std::vector<EventType> last;
    for (std::size_t i = events.size() - c.last_events.size(); i < events.size(); ++i) {
      last.push_back(events[i].type);
    }
    EXPECT_EQ(last, c.last_events);
    if (c.state == ReferralState::kWaitingToBook) {
      EXPECT_EQ(after.owner, "booking");
    }
  }
  EXPECT_EQ(Violations(), std::vector<std::string>{});
}

TEST_F(BookingTest, ADnaAfterAnAttendanceRebooksWhateverTheRule) {
  Env ruled = env();
  ruled.timing.first_dna = config::FirstDna::kDischarge;
  const Slot first = AddSlot("s1", 2);
  const Slot second = AddSlot("s2", 9);
  auto [r, appointment] = Booked(first);
  const Instant seen = first.start + std::chrono::minutes(5);
  ASSERT_TRUE(MarkAttended(ruled, Booker(), appointment.id, seen).ok());
  // The clinician asks for a follow-up: back on the booking list, then booked.
  ASSERT_TRUE(store()
                  .Write([&](store::WriteTxn& txn) -> Status {
                    Referral follow_up = *txn.GetReferral(r.id);
                    follow_up.state = ReferralState::kWaitingToBook;
                    follow_up.owner = "booking";
                    follow_up.next_action_due = seen;
                    PathwayEvent added;
                    added.type = EventType::kWaitlistAdded;
                    added.actor = "clin-1";
                    added.occurred_at = seen;
                    return txn.RecordEvent(follow_up, added).status();
                  })
                  .ok());
  auto again = Book(ruled, Booker(), {r.id, second.id, ""}, seen);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  ASSERT_TRUE(MarkDna(ruled, Booker(), again->id, second.start + std::chrono::minutes(20)).ok());
  EXPECT_EQ(store().GetReferral(r.id)->state, ReferralState::kWaitingToBook);
  EXPECT_EQ(json::parse(store().ListEvents(r.id)->back().payload)["first_appointment"], false);
  EXPECT_EQ(Violations(), std::vector<std::string>{});
}

TEST_F(BookingTest, ClinicianUnavailableCancelsEveryBookingInThePeriod) {
  const Slot a = AddSlot("s1", 2);
  Slot b_slot = store::testing::MakeSlot("s2", 0);
  b_slot.start = a.start + std::chrono::hours(1);
  b_slot.end = b_slot.start + std::chrono::minutes(30);
  b_slot.opens_to_all_at = b_slot.start;
  const Slot b = Put(b_slot);
  const Slot c = AddSlot("s3", 3);
  const Slot empty = AddSlot("s4", 3);
  const Slot after = AddSlot("s5", 6);
  auto [ra, aa] = Booked(a, Priority::kUrgent);
  auto [rb, ab] = Booked(b);
  auto [rc, ac] = Booked(c);
  auto [rd, ad] = Booked(after);
  const Instant from = testing::kNow + date::days(1);
  const Instant to = testing::kNow + date::days(5);
  auto result =
      ClinicianUnavailable(env(), Booker(), "clin-1", from, to, "sickness", testing::kNow);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->slot_ids, (std::vector<std::string>{a.id, b.id, c.id, empty.id}));
  std::vector<std::string> ids;
  for (const Appointment& x : result->appointments) ids.push_back(x.id);
  EXPECT_EQ(ids, (std::vector<std::string>{aa.id, ab.id, ac.id}));
  for (const Slot& s : {a, b, c, empty}) EXPECT_TRUE(store().GetSlot(s.id)->cancelled) << s.id;
  EXPECT_FALSE(store().GetSlot(after.id)->cancelled);
  EXPECT_EQ(store().GetAppointment(ad.id)->status, AppointmentStatus::kBooked);
  for (const Referral& r : {ra, rb, rc}) {
    const Referral now = *store().GetReferral(r.id);
    EXPECT_EQ(now.state, ReferralState::kWaitingToBook);
    EXPECT_EQ(now.priority, r.priority);
    EXPECT_EQ(now.owner, "booking");
    EXPECT_EQ(now.next_action_due, testing::kNow);
    const PathwayEvent last = store().ListEvents(r.id)->back();
    EXPECT_EQ(last.type, EventType::kAppointmentCancelled);
    const json payload = json::parse(last.payload);
    EXPECT_EQ(payload["by"], "service");
    EXPECT_EQ(payload["reason"], "sickness");
    EXPECT_EQ(payload["rebook_first"], true);
  }
  EXPECT_EQ(store().GetReferral(ra.id)->priority, Priority::kUrgent);
  // Each patient is told, in the transaction that cancelled their appointment.
  const std::vector<Notification> told = Outbox();
  ASSERT_EQ(told.size(), 3u);
  for (std::size_t i = 0; i < told.size(); ++i) {
    EXPECT_EQ(told[i].kind, kNoticeCancelled);
    EXPECT_EQ(told[i].status, NotificationStatus::kQueued);
    EXPECT_EQ(told[i].referral_id, result->appointments[i].referral_id);
    EXPECT_EQ(told[i].patient_key, result->appointments[i].patient_key);
    const json payload = json::parse(told[i].payload);
    EXPECT_EQ(payload["appointment_id"], result->appointments[i].id);
    EXPECT_EQ(payload["reason"], "sickness");
    EXPECT_EQ(payload["site_id"], "site-1");
  }
  EXPECT_EQ(Violations(), std::vector<std::string>{});
}

TEST_F(BookingTest, OnlyTheServicesCancellationsAndMovesQueueAMessage) {
  const Slot first = AddSlot("s1", 2);
  const Slot second = AddSlot("s2", 3);
  const Slot third = AddSlot("s3", 4);
  auto [r, appointment] = Booked(first);
  ASSERT_TRUE(
      Cancel(env(), Booker(), appointment.id, "patient", "feeling better", testing::kNow).ok());
  EXPECT_TRUE(Outbox().empty());
  auto again = Book(env(), Booker(), {r.id, second.id, ""}, testing::kNow);
  ASSERT_TRUE(again.ok());
  auto moved =
      Reschedule(env(), Booker(), again->id, third.id, "service", "room closed", testing::kNow);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  ASSERT_TRUE(Cancel(env(), Booker(), moved->id, "service", "clinic closed", testing::kNow).ok());
  const std::vector<Notification> told = Outbox();
  ASSERT_EQ(told.size(), 2u);
  EXPECT_EQ(told[0].kind, kNoticeMoved);
  const json move = json::parse(told[0].payload);
  EXPECT_EQ(move["appointment_id"], again->id);
  EXPECT_EQ(move["start"], FormatInstant(second.start));
  EXPECT_EQ(move["new_start"], FormatInstant(third.start));
  EXPECT_EQ(told[1].kind, kNoticeCancelled);
  EXPECT_EQ(json::parse(told[1].payload)["appointment_id"], moved->id);
}

TEST_F(BookingTest, EveryBookingIsConfirmedToThePatientButAMoveByTheService) {
  const Slot first = AddSlot("s1", 2);
  const Slot second = AddSlot("s2", 3);
  const Slot third = AddSlot("s3", 4);
  auto [r, appointment] = Booked(first);
  auto by_patient =
      Reschedule(env(), Booker(), appointment.id, second.id, "patient", "clash", testing::kNow);
  ASSERT_TRUE(by_patient.ok());
  ASSERT_TRUE(
      Reschedule(env(), Booker(), by_patient->id, third.id, "service", "closed", testing::kNow)
          .ok());
  std::vector<std::string> kinds;
  for (const Notification& n : Outbox(/*with_confirmations=*/true)) kinds.push_back(n.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{std::string(kNoticeBooked), std::string(kNoticeBooked),
                                             std::string(kNoticeMoved)}));
  const json confirmed = json::parse(Outbox(true)[0].payload);
  EXPECT_EQ(confirmed["appointment_id"], appointment.id);
  EXPECT_EQ(confirmed["start"], FormatInstant(first.start));
  EXPECT_EQ(confirmed["site_id"], "site-1");
  EXPECT_EQ(Outbox(true)[0].recipient, "patient@example.com");
}

TEST_F(BookingTest, ACancellationThatFailsQueuesNoMessage) {
  const Slot slot = AddSlot("s1", 2);
  auto [r, appointment] = Booked(slot);
  ASSERT_TRUE(Cancel(env(), Booker(), appointment.id, "service", "closed", testing::kNow).ok());
  // Cancelling it again for another reason is refused, and the refusal leaves no second message.
  EXPECT_EQ(Cancel(env(), Booker(), appointment.id, "service", "room flooded", testing::kNow)
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(Outbox().size(), 1u);
}

TEST_F(BookingTest, ClinicianUnavailableChecksWhoWhenAndWhy) {
  const Instant from = testing::kNow + date::days(1);
  EXPECT_EQ(ClinicianUnavailable(env(), Booker(), "clin-1", from, from, "leave", testing::kNow)
                .status()
                .field(),
            "to");
  EXPECT_EQ(ClinicianUnavailable(env(), Booker(), "clin-1", from, from + date::days(1), " ",
                                 testing::kNow)
                .status()
                .field(),
            "reason");
  EXPECT_EQ(ClinicianUnavailable(env(), Booker(), "nobody", from, from + date::days(1), "leave",
                                 testing::kNow)
                .status()
                .code(),
            StatusCode::kNotFound);
}

TEST_F(BookingTest, RebookBestPicksTheEarliestSlotAtTheSameSiteThenAnyOther) {
  const Slot original = AddSlot("s1", 2);
  const Slot elsewhere = AddOtherSiteSlot("s2", 3);
  Slot video = store::testing::MakeSlot("s3", 0);
  video.start = video.opens_to_all_at = elsewhere.start - std::chrono::hours(1);
  video.end = video.start + std::chrono::minutes(30);
  video.modality = Modality::kVideo;
  Put(video);
  const Slot same_site_later = AddSlot("s4", 4);
  const Slot same_site_latest = AddSlot("s5", 5);
  auto [r, appointment] = Booked(original);
  EXPECT_EQ(RebookToBestAlternative(env(), Booker(), r.id, testing::kNow).status().code(),
            StatusCode::kFailedPrecondition);  // Still booked.
  ASSERT_TRUE(ClinicianUnavailable(env(), Booker(), "clin-1", original.start,
                                   original.start + std::chrono::hours(1), "sickness",
                                   testing::kNow)
                  .ok());
  auto rebooked = RebookToBestAlternative(env(), Booker(), r.id, testing::kNow);
  ASSERT_TRUE(rebooked.ok()) << rebooked.status().ToString();
  EXPECT_EQ(rebooked->slot_id, same_site_later.id);
  EXPECT_EQ(store().GetReferral(r.id)->state, ReferralState::kBooked);

  // With the site's remaining slot taken, the other site's is the best alternative.
  Booked(same_site_latest);
  ASSERT_TRUE(Cancel(env(), Booker(), rebooked->id, "service", "room flooded", testing::kNow).ok());
  ASSERT_TRUE(store()
                  .Write([&](store::WriteTxn& txn) {
                    return txn.SetSlotCancelled(same_site_later.id, true);
                  })
                  .ok());
  auto moved = RebookToBestAlternative(env(), Booker(), r.id, testing::kNow);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved->slot_id, elsewhere.id);
  EXPECT_EQ(Violations(), std::vector<std::string>{});
}

TEST_F(BookingTest, RebookBestWithoutAFreeSlotIsNotFound) {
  const Slot only = AddSlot("s1", 2);
  auto [r, appointment] = Booked(only);
  ASSERT_TRUE(Cancel(env(), Booker(), appointment.id, "service", "closed", testing::kNow).ok());
  ASSERT_TRUE(store()
                  .Write([&](store::WriteTxn& txn) { return txn.SetSlotCancelled(only.id, true); })
                  .ok());
  auto none = RebookToBestAlternative(env(), Booker(), r.id, testing::kNow);
  EXPECT_EQ(none.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(none.status().field(), "referral_id");
  const Referral fresh = WaitingToBook();
  EXPECT_EQ(RebookToBestAlternative(env(), Booker(), fresh.id, testing::kNow).status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace tendon::workflow
