// Booking over real HTTP on loopback: the JSON API, and many clients racing for few slots.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "http/server.h"
#include "http/test_client.h"
#include "http/testing.h"

namespace tendon::http {
namespace {

using nlohmann::json;

constexpr char kCoordinator[] = "coordinator-1";

class BookingHttpTest : public testing::AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(store().Write(store::testing::InsertClinic).ok());
    AddUser(kCoordinator, Role::kCoordinator, "RNU", "A Coordinator");
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.decorate = [this](Response& r) { app().Decorate(r); };
    auto server = Server::Start(options, [this](Request& r) { return app().Handle(r); });
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
  }

  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  Slot AddSlot(const std::string& id, int days) {
    Slot slot = store::testing::MakeSlot(id, 0);
    slot.start = now_.load() + date::days(days);
    slot.end = slot.start + std::chrono::minutes(30);
    EXPECT_TRUE(
        store().Write([&](store::WriteTxn& txn) { return txn.PutSlots({slot}).status(); }).ok());
    return slot;
  }

  // POSTs `body` to `path` as the session `token`, on a connection of its own.
  std::optional<testing::Reply> Post(const std::string& path, const std::string& token,
                                     const json& body) {
    testing::Client client(server_->port());
    if (!client.connected()) return std::nullopt;
    const std::string text = body.dump();
    const std::string request = "POST " + path +
                                " HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                                "Cookie: tendon_session=" +
                                token + "\r\nX-CSRF-Token: " + CsrfToken(token) +
                                "\r\nContent-Length: " + std::to_string(text.size()) +
                                "\r\nConnection: close\r\n\r\n" + text;
    if (!client.Send(request)) return std::nullopt;
    return client.Read(false, std::chrono::seconds(30));
  }

  std::unique_ptr<Server> server_;
};

TEST_F(BookingHttpTest, BookThenCancelOverHttp) {
  const Slot slot = AddSlot("s1", 2);
  const Referral r = WaitingToBook();
  const std::string token = SignedIn(kCoordinator);
  auto booked = Post("/api/v1/appointments/book", token,
                     {{"referral_id", r.id}, {"slot_id", slot.id}, {"idempotency_key", "k1"}});
  ASSERT_TRUE(booked.has_value());
  ASSERT_EQ(booked->status, 201) << booked->body;
  const json appointment = json::parse(booked->body);
  EXPECT_EQ(appointment["status"], "booked");
  // The same key again: the same appointment, nothing new.
  auto again = Post("/api/v1/appointments/book", token,
                    {{"referral_id", r.id}, {"slot_id", slot.id}, {"idempotency_key", "k1"}});
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(json::parse(again->body)["appointment_id"], appointment["appointment_id"]);

  auto bad = Post("/api/v1/appointments/cancel", token,
                  {{"referral_id", r.id},
                   {"appointment_id", appointment["appointment_id"]},
                   {"by", "service"},
                   {"reason", ""}});
  ASSERT_TRUE(bad.has_value());
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(json::parse(bad->body)["field"], "reason");
  auto cancel = [&] {
    return Post("/api/v1/appointments/cancel", token,
                {{"referral_id", r.id},
                 {"appointment_id", appointment["appointment_id"]},
                 {"by", "service"},
                 {"reason", "clinician unwell"}});
  };
  auto cancelled = cancel();
  ASSERT_TRUE(cancelled.has_value());
  EXPECT_EQ(cancelled->status, 200) << cancelled->body;
  EXPECT_EQ(store().GetReferral(r.id)->state, ReferralState::kWaitingToBook);
  EXPECT_EQ(store().GetSlot(slot.id)->booked, 0);
  // Sent again, as after a lost answer: the same answer, and nothing recorded twice.
  const std::size_t events = store().ListEvents(r.id)->size();
  auto resent = cancel();
  ASSERT_TRUE(resent.has_value());
  EXPECT_EQ(resent->status, 200) << resent->body;
  EXPECT_EQ(json::parse(resent->body), json::parse(cancelled->body));
  EXPECT_EQ(store().ListEvents(r.id)->size(), events);
}

TEST_F(BookingHttpTest, OfferThenAcceptOverHttpWithTheAccessAudited) {
  const Slot slot = AddSlot("s1", 10);
  const Referral r = WaitingToBook();
  const Referral other = WaitingToBook();
  const std::string token = SignedIn(kCoordinator);
  auto offered = Post("/api/v1/appointments/offer", token,
                      {{"referral_id", r.id}, {"slot_id", slot.id}, {"idempotency_key", "o1"}});
  ASSERT_TRUE(offered.has_value());
  ASSERT_EQ(offered->status, 201) << offered->body;
  const json offer = json::parse(offered->body);
  EXPECT_EQ(offer["status"], "offered");
  EXPECT_TRUE(offer.contains("offer_expires_at"));
  // While it is held, the place is taken.
  auto taken =
      Post("/api/v1/appointments/book", token, {{"referral_id", other.id}, {"slot_id", slot.id}});
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(taken->status, 409) << taken->body;
  // Another referral's offer cannot be accepted through this one: it looks like none.
  auto foreign = Post("/api/v1/appointments/accept", token,
                      {{"referral_id", other.id}, {"appointment_id", offer["appointment_id"]}});
  ASSERT_TRUE(foreign.has_value());
  EXPECT_EQ(foreign->status, 404);
  auto accepted = Post("/api/v1/appointments/accept", token,
                       {{"referral_id", r.id}, {"appointment_id", offer["appointment_id"]}});
  ASSERT_TRUE(accepted.has_value());
  ASSERT_EQ(accepted->status, 200) << accepted->body;
  EXPECT_EQ(json::parse(accepted->body)["status"], "booked");
  EXPECT_EQ(store().GetReferral(r.id)->state, ReferralState::kBooked);
  // Each request's access was audited before it was answered.
  store::AuditFilter filter;
  filter.patient_key = r.patient_key;
  filter.action = "appointment.accept.request";
  EXPECT_EQ(store().ListAudit(filter)->size(), 1u);
  filter.action = "appointment.offer.request";
  EXPECT_EQ(store().ListAudit(filter)->size(), 1u);
}

TEST_F(BookingHttpTest, RescheduleThenRecordAttendanceAndADidNotAttend) {
  const Slot first = AddSlot("s1", 2);
  const Slot second = AddSlot("s2", 3);
  const Slot third = AddSlot("s3", 4);
  const Referral r = WaitingToBook();
  const Referral other = WaitingToBook();
  const std::string token = SignedIn(kCoordinator);
  auto booked =
      Post("/api/v1/appointments/book", token, {{"referral_id", r.id}, {"slot_id", first.id}});
  ASSERT_TRUE(booked.has_value());
  ASSERT_EQ(booked->status, 201) << booked->body;
  const std::string old_id = json::parse(booked->body)["appointment_id"];
  ASSERT_TRUE(
      Post("/api/v1/appointments/book", token, {{"referral_id", other.id}, {"slot_id", third.id}})
          ->status == 201);

  const json move{
      {"referral_id", r.id}, {"appointment_id", old_id}, {"by", "patient"}, {"reason", "away"}};
  auto no_slot = Post("/api/v1/appointments/reschedule", token, move);
  ASSERT_TRUE(no_slot.has_value());
  EXPECT_EQ(no_slot->status, 400);
  EXPECT_EQ(json::parse(no_slot->body)["field"], "slot_id");
  json to_full = move;
  to_full["slot_id"] = third.id;
  EXPECT_EQ(Post("/api/v1/appointments/reschedule", token, to_full)->status, 409);
  json to_free = move;
  to_free["slot_id"] = second.id;
  auto moved = Post("/api/v1/appointments/reschedule", token, to_free);
  ASSERT_TRUE(moved.has_value());
  ASSERT_EQ(moved->status, 201) << moved->body;
  const std::string new_id = json::parse(moved->body)["appointment_id"];
  EXPECT_EQ(store().GetAppointment(old_id)->status, AppointmentStatus::kCancelled);
  // Sent again (a retry after a lost answer): the same answer, and nothing moves twice.
  auto again = Post("/api/v1/appointments/reschedule", token, to_free);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->status, 201);
  EXPECT_EQ(again->body, moved->body);

  // Attendance before the slot starts is refused; another referral's appointment is not found.
  const json mark{{"referral_id", r.id}, {"appointment_id", new_id}};
  EXPECT_EQ(Post("/api/v1/appointments/attended", token, mark)->status, 422);
  EXPECT_EQ(Post("/api/v1/appointments/dna", token,
                 {{"referral_id", other.id}, {"appointment_id", new_id}})
                ->status,
            404);
  now_ = second.start + std::chrono::minutes(15);
  const std::string later = SignedIn(kCoordinator);  // The first session has lapsed by now.
  auto missed = Post("/api/v1/appointments/dna", later, mark);
  ASSERT_TRUE(missed.has_value());
  ASSERT_EQ(missed->status, 200) << missed->body;
  EXPECT_EQ(json::parse(missed->body)["status"], "dna");
  EXPECT_EQ(json::parse(missed->body)["referral_state"], "waiting_to_book");
  EXPECT_EQ(Post("/api/v1/appointments/attended", later, mark)->status, 422);
}

TEST_F(BookingHttpTest, ClinicianUnavailableThenRebookToTheBestAlternative) {
  const Slot lost = AddSlot("s1", 2);
  const Slot later = AddSlot("s2", 5);
  const Referral r = WaitingToBook();
  const std::string token = SignedIn(kCoordinator);
  ASSERT_EQ(Post("/api/v1/appointments/book", token, {{"referral_id", r.id}, {"slot_id", lost.id}})
                ->status,
            201);
  json body{{"clinician_id", "clin-1"},
            {"from", FormatInstant(lost.start)},
            {"to", "tomorrow"},
            {"reason", "sickness"}};
  auto bad = Post("/api/v1/clinicians/unavailable", token, body);
  ASSERT_TRUE(bad.has_value());
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(json::parse(bad->body)["field"], "to");
  body["to"] = FormatInstant(lost.start + std::chrono::hours(1));
  auto done = Post("/api/v1/clinicians/unavailable", token, body);
  ASSERT_TRUE(done.has_value());
  ASSERT_EQ(done->status, 200) << done->body;
  const json answer = json::parse(done->body);
  EXPECT_EQ(answer["slots_cancelled"], 1);
  EXPECT_EQ(answer["appointments_cancelled"], 1);
  EXPECT_EQ(answer["appointment_ids"].size(), 1u);
  EXPECT_EQ(answer.size(), 3u);  // Counts and ids only: no patient's data.
  EXPECT_EQ(store().GetReferral(r.id)->state, ReferralState::kWaitingToBook);

  auto rebooked = Post("/api/v1/appointments/rebook-best", token, {{"referral_id", r.id}});
  ASSERT_TRUE(rebooked.has_value());
  ASSERT_EQ(rebooked->status, 201) << rebooked->body;
  EXPECT_EQ(json::parse(rebooked->body)["slot_id"], later.id);
  EXPECT_EQ(Post("/api/v1/appointments/rebook-best", token, {{"referral_id", r.id}})->status, 422);
}

TEST_F(BookingHttpTest, TwoHundredSimultaneousAttemptsForTenSlotsGiveTenBookings) {
  std::vector<Slot> slots;
  for (int i = 0; i < 10; ++i) slots.push_back(AddSlot("s" + std::to_string(i), 2 + i));
  std::vector<Referral> referrals;
  for (int i = 0; i < 200; ++i) referrals.push_back(WaitingToBook());
  const std::string token = SignedIn(kCoordinator);

  std::latch start(200);
  std::mutex mu;
  std::map<int, int> statuses;  // HTTP status -> count; 0 for no answer.
  std::vector<std::thread> clients;
  for (int i = 0; i < 200; ++i) {
    clients.emplace_back([&, i] {
      start.arrive_and_wait();
      auto reply = Post("/api/v1/appointments/book", token,
                        {{"referral_id", referrals[i].id}, {"slot_id", slots[i % 10].id}});
      std::lock_guard lock(mu);
      ++statuses[reply ? reply->status : 0];
      if (reply && reply->status == 409) {
        EXPECT_EQ(json::parse(reply->body)["message"], "the slot is full");
      }
    });
  }
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(statuses, (std::map<int, int>{{201, 10}, {409, 190}}));
  for (const Slot& s : slots) EXPECT_EQ(store().GetSlot(s.id)->booked, 1);
  EXPECT_EQ(Violations(), std::vector<std::string>{});
}

}  // namespace
}  // namespace tendon::http
