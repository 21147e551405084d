// The patient portal in process (portal.cc): signing in with a reference, date of birth and the
// code from the outbox; the same answer for an unknown reference; throttling; the timeline; a
// patient's appointments cancelled and booked again through the booking workflow; 404 for another
// patient's referral, appointment or questionnaire by every route; and the patient's view of the
// audit log.
#include "workflow/portal.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "http/testing.h"
#include "store/testing/fixtures.h"
#include "workflow/booking.h"

namespace tendon::http {
namespace {

using workflow::testing::kNow;

constexpr char kAddress[] = "10.1.2.3";

class PortalHttpTest : public testing::AppFixture {
 protected:
  // The value of cookie `name` set by `r`, or "".
  static std::string SetCookie(const Response& r, const std::string& name) {
    auto it = r.headers.find("Set-Cookie");
    if (it == r.headers.end() || it->second.rfind(name + "=", 0) != 0) return "";
    return it->second.substr(name.size() + 1, it->second.find(';') - name.size() - 1);
  }

  // A public form post with the form's CSRF token, and `extra_cookie` ("name=value") beside it.
  Response PostPublic(const std::string& path, std::map<std::string, std::string> form,
                      const std::string& extra_cookie = "", const std::string& address = kAddress) {
    const std::string csrf = "form-token";
    form["csrf_token"] = csrf;
    Request request;
    request.method = Method::kPost;
    request.target = request.path = path;
    request.remote_address = address;
    request.headers["Cookie"] =
        "tendon_form_csrf=" + csrf + (extra_cookie.empty() ? "" : "; " + extra_cookie);
    request.body = FormEncode(form);
    return Handle(request);
  }

  Response BeginSignIn(const std::string& reference, const std::string& address = kAddress) {
    return PostPublic("/portal/sign-in",
                      {{"reference", reference},
                       {"date_of_birth-day", "14"},
                       {"date_of_birth-month", "3"},
                       {"date_of_birth-year", "1970"}},
                      "", address);
  }

  std::string LastCode() {
    store::OutboxQuery query;
    query.limit = 1000;
    std::string code;
    const auto all = store().ListNotifications(query);
    for (const Notification& n : *all) {
      if (n.kind == workflow::kNoticeSignInCode) {
        code = nlohmann::json::parse(n.payload)["code"].get<std::string>();
      }
    }
    return code;
  }

  // A session for `referral`'s patient through the portal's own account, with it open.
  std::string PatientSession(const Referral& referral) {
    auto user = workflow::PortalUser(store(), {referral.patient_key, referral.id}, kNow);
    EXPECT_TRUE(user.ok()) << user.status().ToString();
    return SignedIn(user.ok() ? user->id : "", referral.id);
  }

  // Clinic "clin-1" (skilled in physiotherapy) at "site-1" with free new-patient slots "slot-N",
  // N days from now at 10:00 London time, for N in 1..count.
  void AddSlots(int count) {
    Status s = store().Write([&](store::WriteTxn& txn) -> Status {
      RETURN_IF_ERROR(txn.PutSite(store::testing::MakeSite("site-1")));
      RETURN_IF_ERROR(txn.PutRoom(store::testing::MakeRoom("room-1", "site-1")));
      Clinician c = store::testing::MakeClinician("clin-1", "site-1");
      c.skills = {"physiotherapy"};
      RETURN_IF_ERROR(txn.PutClinician(c));
      RETURN_IF_ERROR(txn.PutClinicTemplate(store::testing::MakeTemplate("tpl-1")));
      std::vector<Slot> slots;
      for (int n = 1; n <= count; ++n) {
        Slot slot = store::testing::MakeSlot("slot-" + std::to_string(n), 0);
        slot.start = kNow + std::chrono::days(n);
        slot.end = slot.start + std::chrono::minutes(30);
        slot.opens_to_all_at = slot.start;
        slots.push_back(slot);
      }
      return txn.PutSlots(slots).status();
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  StatusOr<std::string> PortalUserId(const Referral& referral) {
    ASSIGN_OR_RETURN(User user,
                     workflow::PortalUser(store(), {referral.patient_key, referral.id}, kNow));
    return user.id;
  }

  std::vector<Appointment> AppointmentsOf(const Referral& r) {
    return *store().ListAppointmentsForReferral(r.id);
  }
};

TEST_F(PortalHttpTest, ReferenceDateOfBirthAndTheCodeFromTheOutboxOpenTheTimeline) {
  const Referral referral = AwaitingTriage();
  Response form = Send(Method::kGet, "/portal/sign-in", "");
  ASSERT_EQ(form.status, 200);
  EXPECT_FALSE(SetCookie(form, "tendon_form_csrf").empty());

  Response begun = BeginSignIn(referral.id);
  ASSERT_EQ(begun.status, 303) << begun.body;
  EXPECT_EQ(begun.headers["Location"], "/portal/code");
  const std::string challenge = SetCookie(begun, "tendon_portal_challenge");
  ASSERT_FALSE(challenge.empty());
  EXPECT_NE(begun.headers["Set-Cookie"].find("HttpOnly"), std::string::npos);
  const std::string code = LastCode();
  ASSERT_EQ(code.size(), 6u);

  Response wrong = PostPublic("/portal/code", {{"code", code == "000000" ? "111111" : "000000"}},
                              "tendon_portal_challenge=" + challenge);
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(wrong.body.find("The code is not right"), std::string::npos);

  Response in =
      PostPublic("/portal/code", {{"code", code}}, "tendon_portal_challenge=" + challenge);
  ASSERT_EQ(in.status, 303) << in.body;
  EXPECT_EQ(in.headers["Location"], "/portal/referral");
  const std::string session = SetCookie(in, "tendon_session");
  ASSERT_FALSE(session.empty());

  Response page = Send(Method::kGet, "/portal/referral", session);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("Awaiting triage"), std::string::npos);
  EXPECT_NE(page.body.find("We received your referral"), std::string::npos);
  EXPECT_NE(page.body.find("How we worked this out"), std::string::npos);
  EXPECT_NE(page.body.find("Get help urgently"), std::string::npos);
  Response home = Send(Method::kGet, "/portal", session);
  EXPECT_EQ(home.status, 200);
  EXPECT_NE(home.body.find(referral.id), std::string::npos);
}

TEST_F(PortalHttpTest, AnUnknownReferenceGetsTheSameAnswerAndNoCode) {
  const Referral referral = AwaitingTriage();
  Response known = BeginSignIn(referral.id);
  Response unknown = BeginSignIn("ZZZZZZZZZZZZ");
  EXPECT_EQ(unknown.status, known.status);
  EXPECT_EQ(unknown.headers["Location"], known.headers["Location"]);
  EXPECT_EQ(SetCookie(unknown, "tendon_portal_challenge").size(),
            SetCookie(known, "tendon_portal_challenge").size());
  store::OutboxQuery query;
  EXPECT_EQ(store().ListNotifications(query)->size(), 1u);
}

TEST_F(PortalHttpTest, MissingDetailsAreNamedAndChangeNothing) {
  Response r = PostPublic("/portal/sign-in", {{"reference", ""}, {"date_of_birth-day", "31"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("href=\"#reference\""), std::string::npos);
  Response dob =
      PostPublic("/portal/sign-in", {{"reference", "ABC123"}, {"date_of_birth-day", "x"}});
  EXPECT_EQ(dob.status, 400);
  EXPECT_NE(dob.body.find("href=\"#date_of_birth\""), std::string::npos);
  store::OutboxQuery query;
  EXPECT_TRUE(store().ListNotifications(query)->empty());
}

TEST_F(PortalHttpTest, GuessingIsThrottledPerClient) {
  const workflow::CodeSignInPolicy policy;
  for (int i = 0; i < policy.attempts_per_client; ++i) {
    ASSERT_EQ(BeginSignIn("GUESS" + std::to_string(i)).status, 303) << i;
  }
  Response throttled = BeginSignIn("GUESSMORE");
  EXPECT_EQ(throttled.status, 429);
  EXPECT_NE(throttled.body.find("too many attempts"), std::string::npos);
  EXPECT_EQ(BeginSignIn("GUESSMORE", "10.9.9.9").status, 303) << "another client may try";
}

// Every portal route, as patient A, against patient B's referral and appointment: 404, as if
// there were none, never 403, and B's data never shown.
TEST_F(PortalHttpTest, AnotherPatientsReferralAndAppointmentAreNotFoundByEveryRoute) {
  AddSlots(2);
  const Referral mine = WaitingToBook();
  const Referral theirs = WaitingToBook();
  auto booked = workflow::Book(env(), Coordinator(), {theirs.id, "slot-1", "k1"}, kNow);
  ASSERT_TRUE(booked.ok()) << booked.status().ToString();
  const std::string token = PatientSession(mine);
  const std::string other = "referral_id=" + theirs.id + "&appointment_id=" + booked->id;
  const std::string own_referral = "referral_id=" + mine.id + "&appointment_id=" + booked->id;
  for (std::string path : {"/portal/appointments/accept", "/portal/appointments/cancel",
                           "/portal/appointments/move", "/portal/appointments/book"}) {
    for (const std::string& body : std::vector<std::string>{
             other + "&reason=x&slot_id=slot-2", own_referral + "&reason=x&slot_id=slot-2"}) {
      if (path == "/portal/appointments/book" && body.rfind("referral_id=" + mine.id, 0) == 0) {
        continue;  // Booking names no appointment: mine may book.
      }
      Response r = Send(Method::kPost, path, token, body);
      EXPECT_EQ(r.status, 404) << path << " " << body;
      EXPECT_EQ(r.body.find(theirs.id), std::string::npos) << path;
    }
  }
  EXPECT_EQ(Send(Method::kPost, "/portal/referral/open", token, "referral_id=" + theirs.id).status,
            404);
  auto user = workflow::PortalUser(store(), {mine.patient_key, mine.id}, kNow);
  ASSERT_TRUE(user.ok());
  const std::string wrong_session = SignedIn(user->id, theirs.id);
  EXPECT_EQ(Send(Method::kGet, "/portal/referral", wrong_session).status, 404);
  EXPECT_EQ(Send(Method::kGet, "/portal/appointments", wrong_session).status, 404);
  // Their questionnaire, feedback and follow-up (portal_outcomes.cc) alike.
  for (std::string path : {"/portal/questionnaire", "/portal/feedback"}) {
    EXPECT_EQ(Send(Method::kGet, path, wrong_session).status, 404) << path;
    EXPECT_EQ(Send(Method::kPost, path, wrong_session, "timepoint=baseline&answer=good").status,
              404)
        << path;
  }
  EXPECT_EQ(Send(Method::kPost, "/portal/follow-up", wrong_session, "").status, 404);
  const auto events = store().ListEvents(theirs.id);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->back().type, EventType::kAppointmentBooked);  // Nothing recorded for them.
  auto still = store().GetAppointment(booked->id);
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still->status, AppointmentStatus::kBooked);
  const auto denied = AuditActions(theirs.patient_key);
  EXPECT_NE(std::find(denied.begin(), denied.end(), "portal.referral.read.denied"), denied.end());
}

TEST_F(PortalHttpTest, APatientCancelsWithAReasonAndBooksAnotherSlot) {
  AddSlots(3);
  const Referral referral = WaitingToBook();
  auto booked = workflow::Book(env(), Coordinator(), {referral.id, "slot-1", "k1"}, kNow);
  ASSERT_TRUE(booked.ok()) << booked.status().ToString();
  const std::string token = PatientSession(referral);

  Response page = Send(Method::kGet, "/portal/appointments", token);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("Site site-1"), std::string::npos);
  EXPECT_NE(page.body.find("How to prepare"), std::string::npos);
  EXPECT_NE(page.body.find("Move your appointment"), std::string::npos);

  const std::string ids = "referral_id=" + referral.id + "&appointment_id=" + booked->id;
  Response no_reason = Send(Method::kPost, "/portal/appointments/cancel", token, ids + "&reason=");
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_NE(no_reason.body.find("href=\"#reason\""), std::string::npos);
  EXPECT_EQ(store().GetAppointment(booked->id)->status, AppointmentStatus::kBooked);

  Response cancelled =
      Send(Method::kPost, "/portal/appointments/cancel", token, ids + "&reason=I+am+away");
  ASSERT_EQ(cancelled.status, 303) << cancelled.body;
  auto after = store().GetAppointment(booked->id);
  EXPECT_EQ(after->status, AppointmentStatus::kCancelled);
  EXPECT_EQ(after->cancelled_by, "patient");
  // The same form sent again gets the same answer and changes nothing more.
  const std::size_t events = store().ListEvents(referral.id)->size();
  Response again =
      Send(Method::kPost, "/portal/appointments/cancel", token, ids + "&reason=I+am+away");
  EXPECT_EQ(again.status, 303) << again.body;
  EXPECT_EQ(again.headers.at("Location"), "/portal/appointments?done=cancelled");
  EXPECT_EQ(store().ListEvents(referral.id)->size(), events);

  Request after_cancel = MakeRequest(Method::kGet, "/portal/appointments", token);
  after_cancel.query["done"] = "cancelled";
  Response choose = Handle(after_cancel);
  EXPECT_EQ(choose.status, 200);
  EXPECT_NE(choose.body.find("Your appointment is cancelled"), std::string::npos);
  EXPECT_NE(choose.body.find("Choose an appointment"), std::string::npos);
  const std::string book =
      "referral_id=" + referral.id + "&slot_id=slot-2&idempotency_key=form-key-1";
  ASSERT_EQ(Send(Method::kPost, "/portal/appointments/book", token, book).status, 303);
  EXPECT_EQ(Send(Method::kPost, "/portal/appointments/book", token, book).status, 303)
      << "the same form sent twice books once";
  int in_slot_2 = 0;
  for (const Appointment& a : AppointmentsOf(referral)) in_slot_2 += a.slot_id == "slot-2";
  EXPECT_EQ(in_slot_2, 1);
  EXPECT_EQ(store().GetReferral(referral.id)->state, ReferralState::kBooked);
  const auto actions = AuditActions(referral.patient_key);
  EXPECT_NE(std::find(actions.begin(), actions.end(), "appointment.cancel"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "portal.appointments.read"), actions.end());
}

TEST_F(PortalHttpTest, APatientMovesABookedAppointment) {
  AddSlots(3);
  const Referral referral = WaitingToBook();
  auto booked = workflow::Book(env(), Coordinator(), {referral.id, "slot-1", "k1"}, kNow);
  ASSERT_TRUE(booked.ok());
  const std::string token = PatientSession(referral);
  const std::string form =
      "referral_id=" + referral.id + "&appointment_id=" + booked->id + "&slot_id=slot-3";
  Response moved = Send(Method::kPost, "/portal/appointments/move", token, form);
  ASSERT_EQ(moved.status, 303) << moved.body;
  // The same form sent again gets the same answer and books nothing more; a move of the old
  // appointment to another slot is still refused.
  Response again = Send(Method::kPost, "/portal/appointments/move", token, form);
  EXPECT_EQ(again.status, 303) << again.body;
  EXPECT_EQ(again.headers.at("Location"), "/portal/appointments?done=moved");
  EXPECT_EQ(Send(Method::kPost, "/portal/appointments/move", token,
                 "referral_id=" + referral.id + "&appointment_id=" + booked->id + "&slot_id=slot-2")
                .status,
            422);
  // Both were booked at the same instant, so their order is not fixed: find each by its slot.
  const auto appointments = AppointmentsOf(referral);
  ASSERT_EQ(appointments.size(), 2u);
  for (const Appointment& a : appointments) {
    EXPECT_EQ(a.status,
              a.slot_id == "slot-3" ? AppointmentStatus::kBooked : AppointmentStatus::kCancelled)
        << a.slot_id;
  }
}

// Twenty patients accepted now and seen a day later give an estimate; a date already past is never
// given as the expected one.
TEST_F(PortalHttpTest, TheExpectedWaitSaysHowItWasWorkedOutAndNeverGivesAPastDate) {
  AddSlots(0);
  Slot group = store::testing::MakeSlot("group-1", 0, 20);
  group.start = kNow + std::chrono::days(1);
  group.end = group.start + std::chrono::hours(1);
  group.opens_to_all_at = group.start;
  ASSERT_TRUE(
      store().Write([&](store::WriteTxn& txn) { return txn.PutSlots({group}).status(); }).ok());
  std::vector<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    const Referral r = WaitingToBook();
    auto booked = workflow::Book(env(), Coordinator(), {r.id, "group-1", ""}, kNow);
    ASSERT_TRUE(booked.ok()) << booked.status().ToString();
    seen.push_back(booked->id);
  }
  now_ = group.start + std::chrono::minutes(30);
  for (const std::string& id : seen) {
    ASSERT_TRUE(workflow::MarkAttended(env(), Coordinator(), id, now_.load()).ok());
  }
  const Referral waiting = WaitingToBook();
  const std::string token = PatientSession(waiting);
  Response page = Send(Method::kGet, "/portal/referral", token);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("2 days from when a clinician accepted your referral on Tuesday 24 "
                           "November 2026: around Thursday 26 November 2026."),
            std::string::npos)
      << page.body;
  EXPECT_NE(page.body.find("the 20 patients at tier 1 with routine priority, at any of our sites"),
            std::string::npos);
  EXPECT_NE(page.body.find("not a promise"), std::string::npos);

  now_ = kNow + std::chrono::days(10);
  Response later =
      Send(Method::kGet, "/portal/referral", SignedIn(*PortalUserId(waiting), waiting.id));
  ASSERT_EQ(later.status, 200);
  EXPECT_NE(later.body.find("You have waited longer than most patients like you"),
            std::string::npos);
  EXPECT_EQ(later.body.find("around Thursday 26 November"), std::string::npos);
}

TEST_F(PortalHttpTest, TheAuditViewShowsRolesNotNames) {
  const Referral referral = AwaitingTriage();
  const std::string token = PatientSession(referral);
  Response r = Send(Method::kGet, "/portal/audit", token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("<td class=\"nhsuk-table__cell\">Referrer</td>"), std::string::npos)
      << "who registered it, by role";
  EXPECT_NE(r.body.find("Registered your referral"), std::string::npos);
  EXPECT_NE(r.body.find("Looked at who has seen your record"), std::string::npos);
  const auto actions = AuditActions(referral.patient_key);
  EXPECT_NE(std::find(actions.begin(), actions.end(), "portal.audit.read"), actions.end());
}

}  // namespace
}  // namespace tendon::http
