// The coordinator's booking screen (booking_screen.cc) and slot search over the API (slots.cc), in
// process on a real SQLite file with the real templates: selecting a referral, searching within
// the patient's preferences, booking once per click, cancelling, rescheduling and rebooking, the
// API's named errors and audit, and the next-available figures.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "http/testing.h"
#include "workflow/booking.h"

namespace tendon::http {
namespace {

using nlohmann::json;

constexpr char kCarol[] = "carol";  // Coordinator.
constexpr char kDan[] = "dan";      // Treating clinician.
constexpr char kRob[] = "rob";      // Commissioner.

// Site "site-1" is at the centre of OX3, where the fixture's patients live; "far" is in Banbury,
// about 34 km away.
class BookingScreenTest : public testing::AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(store()
                    .Write([](store::WriteTxn& txn) -> Status {
                      RETURN_IF_ERROR(store::testing::InsertClinic(txn));
                      Site home = store::testing::MakeSite("site-1");
                      home.latitude = 51.762;  // The centre of OX3 (districts.csv).
                      home.longitude = -1.210;
                      RETURN_IF_ERROR(txn.PutSite(home));
                      Clinician physio = store::testing::MakeClinician("clin-1", "site-1");
                      physio.skills = {"physiotherapy"};
                      RETURN_IF_ERROR(txn.PutClinician(physio));
                      Site far = store::testing::MakeSite("far");
                      far.name = "Banbury clinic";
                      far.latitude = 52.06;
                      far.longitude = -1.34;
                      RETURN_IF_ERROR(txn.PutSite(far));
                      RETURN_IF_ERROR(txn.PutRoom(store::testing::MakeRoom("far-room", "far")));
                      ClinicTemplate t = store::testing::MakeTemplate("tpl-far");
                      t.site_id = "far";
                      t.room_id = "far-room";
                      return txn.PutClinicTemplate(t);
                    })
                    .ok());
    AddUser(kCarol, Role::kCoordinator, "RNU", "Carol Coordinator");
    AddUser(kDan, Role::kTreatingClinician, "RNU", "Dan Treater");
    AddUser(kRob, Role::kCommissioner, "", "Rob Commissioner");
  }

  // A free new-patient slot of clin-1's `days` after now at `hour` UTC, at `site`.
  Slot AddSlot(const std::string& id, int days, int hour = 9, const std::string& site = "site-1") {
    Slot slot = store::testing::MakeSlot(id, 0);
    if (site != "site-1") {
      slot.template_id = "tpl-far";
      slot.site_id = site;
      slot.room_id = "far-room";
    }
    slot.start = date::floor<date::days>(now_.load()) + date::days(days) + std::chrono::hours(hour);
    slot.end = slot.start + std::chrono::minutes(30);
    EXPECT_TRUE(
        store().Write([&](store::WriteTxn& txn) { return txn.PutSlots({slot}).status(); }).ok());
    return slot;
  }

  // GET `path` with `query` as `token`.
  Response Get(const std::string& path, const std::string& token,
               const std::map<std::string, std::string>& query = {}) {
    Request request = MakeRequest(Method::kGet, path, token);
    request.query = query;
    return Handle(std::move(request));
  }

  Response PostForm(const std::string& path, const std::string& token,
                    const std::map<std::string, std::string>& form) {
    return Send(Method::kPost, path, token, FormEncode(form));
  }

  // A coordinator's session with `referral` open on the booking screen.
  std::string Selected(const Referral& referral) {
    const std::string token = SignedIn(kCarol);
    const Response r = PostForm("/booking/select", token, {{"referral_id", referral.id}});
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.headers.at("Location"), "/booking");
    return token;
  }

  std::vector<Appointment> Appointments(const Referral& r) {
    return store().ListAppointmentsForReferral(r.id).value();
  }

  std::vector<std::string> AuditActions(const std::string& patient_key) {
    return WorkflowTest::AuditActions(patient_key);
  }

  static bool Has(const Response& r, const std::string& text) {
    return r.body.find(text) != std::string::npos;
  }

  static std::size_t Count(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
    return n;
  }
};

TEST_F(BookingScreenTest, SelectingAReferralShowsWhatItNeedsAndTheSlotsToBook) {
  AddSlot("near", 2);
  AddSlot("far-early", 1, 9, "far");
  const Referral r = WaitingToBook(Priority::kUrgent);
  const std::string token = Selected(r);
  const Response page = Get("/booking", token);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Has(page, "Referral " + r.id));
  EXPECT_TRUE(
      Has(page, "New appointment, face to face, with a clinician skilled in physiotherapy"));
  EXPECT_TRUE(Has(page, "Urgent"));
  EXPECT_TRUE(Has(page, "OX3"));
  EXPECT_TRUE(Has(page, "Polish"));
  EXPECT_TRUE(Has(page, "Waiting to book since"));
  // Earliest: Banbury first; nearest: the local clinic first, at 0 km.
  const auto earliest = page.body.find("Earliest slots");
  const auto nearest = page.body.find("Nearest slots");
  ASSERT_NE(earliest, std::string::npos);
  ASSERT_NE(nearest, std::string::npos);
  EXPECT_LT(page.body.find("Banbury clinic", earliest), page.body.find("Site site-1", earliest));
  EXPECT_LT(page.body.find("Site site-1", nearest), page.body.find("Banbury clinic", nearest));
  EXPECT_TRUE(Has(page, "0.0 km"));
  EXPECT_EQ(Count(page.body, "action=\"/booking/book\""), 4u);
  EXPECT_EQ(Count(page.body, "name=\"referral_id\" value=\"" + r.id + "\""), 4u);
  const auto actions = AuditActions(r.patient_key);
  EXPECT_NE(std::find(actions.begin(), actions.end(), "booking.select"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "booking.read"), actions.end());
}

TEST_F(BookingScreenTest, PreferencesNarrowTheSlotsAndAMalformedOneIsNamed) {
  AddSlot("wed", 1);  // kNow is a Tuesday.
  AddSlot("thu", 2);
  AddSlot("thu-late", 2, 16);
  AddSlot("far-thu", 2, 9, "far");
  const Referral r = WaitingToBook();
  const std::string token = Selected(r);
  const Response thursday_mornings_nearby =
      Get("/booking", token, {{"day-4", "yes"}, {"latest_time", "12:00"}, {"max_km", "10"}});
  ASSERT_EQ(thursday_mornings_nearby.status, 200);
  EXPECT_TRUE(Has(thursday_mornings_nearby, "value=\"thu\""));
  for (const char* other : {"value=\"wed\"", "value=\"thu-late\"", "value=\"far-thu\""}) {
    EXPECT_FALSE(Has(thursday_mornings_nearby, other)) << other;
  }
  EXPECT_TRUE(Has(thursday_mornings_nearby, "id=\"weekdays\" name=\"day-1\""));
  EXPECT_TRUE(
      Has(thursday_mornings_nearby, "name=\"day-4\" type=\"checkbox\" value=\"yes\" checked"));

  const Response bad = Get("/booking", token, {{"earliest_time", "9am"}, {"max_km", "far"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(Has(bad, "href=\"#earliest_time\""));
  EXPECT_TRUE(Has(bad, "href=\"#max_km\""));
  EXPECT_FALSE(Has(bad, "action=\"/booking/book\""));
}

TEST_F(BookingScreenTest, ADoubleClickOnBookBooksOnce) {
  const Slot slot = AddSlot("s1", 2);
  AddSlot("s2", 3);
  const Referral r = WaitingToBook();
  const std::string token = Selected(r);
  const std::map<std::string, std::string> form{
      {"referral_id", r.id}, {"slot_id", slot.id}, {"idempotency_key", "page-key-1"}};
  for (int click = 0; click < 2; ++click) {
    const Response booked = PostForm("/booking/book", token, form);
    ASSERT_EQ(booked.status, 303) << click << ": " << booked.body;
    EXPECT_EQ(booked.headers.at("Location"), "/booking?done=booked");
  }
  EXPECT_EQ(Appointments(r).size(), 1u);
  EXPECT_EQ(store().GetSlot(slot.id)->booked, 1);
  const Response page = Get("/booking", token, {{"done", "booked"}});
  EXPECT_TRUE(Has(page, "Appointment booked"));
  EXPECT_TRUE(Has(page, "Current appointment"));
  EXPECT_TRUE(Has(page, "action=\"/booking/reschedule\""));
  EXPECT_FALSE(Has(page, "action=\"/booking/book\""));
  // The same key for another slot is refused, naming nothing to fix on the page.
  const Response other =
      PostForm("/booking/book", token,
               {{"referral_id", r.id}, {"slot_id", "s2"}, {"idempotency_key", "page-key-1"}});
  EXPECT_EQ(other.status, 409);
  EXPECT_EQ(Appointments(r).size(), 1u);
}

// A second tab opened on another referral must not turn the first tab's booking onto it.
TEST_F(BookingScreenTest, AFormActsOnTheReferralItWasDrawnFor) {
  const Slot slot = AddSlot("s1", 2);
  const Referral first = WaitingToBook();
  const Referral second = WaitingToBook();
  const std::string token = Selected(first);
  ASSERT_EQ(PostForm("/booking/select", token, {{"referral_id", second.id}}).status, 303);
  const Response booked =
      PostForm("/booking/book", token, {{"referral_id", first.id}, {"slot_id", slot.id}});
  ASSERT_EQ(booked.status, 303) << booked.body;
  EXPECT_EQ(Appointments(first).size(), 1u);
  EXPECT_TRUE(Appointments(second).empty());
  EXPECT_EQ(store().GetReferral(second.id)->state, ReferralState::kWaitingToBook);
  // The page after the redirect shows the referral just booked.
  EXPECT_TRUE(Has(Get("/booking", token), "Referral " + first.id));
}

TEST_F(BookingScreenTest, CancellingNeedsAReasonThenFreesTheSlot) {
  const Slot slot = AddSlot("s1", 2);
  const Referral r = WaitingToBook();
  const std::string token = Selected(r);
  ASSERT_EQ(PostForm("/booking/book", token, {{"referral_id", r.id}, {"slot_id", slot.id}}).status,
            303);
  const std::string id = Appointments(r).front().id;
  const Response no_reason = PostForm(
      "/booking/cancel", token, {{"referral_id", r.id}, {"appointment_id", id}, {"by", "patient"}});
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_TRUE(Has(no_reason, "href=\"#cancel-reason\""));
  EXPECT_TRUE(Has(no_reason, "Give the reason for cancelling"));
  EXPECT_TRUE(Has(no_reason, "id=\"cancel-reason-error\""));
  EXPECT_TRUE(
      Has(no_reason, "id=\"cancel-by\" name=\"by\" type=\"radio\" value=\"patient\" checked"));
  EXPECT_EQ(Appointments(r).front().status, AppointmentStatus::kBooked);

  const Response cancelled = PostForm(
      "/booking/cancel", token,
      {{"referral_id", r.id}, {"appointment_id", id}, {"by", "patient"}, {"reason", "On holiday"}});
  ASSERT_EQ(cancelled.status, 303) << cancelled.body;
  EXPECT_EQ(cancelled.headers.at("Location"), "/booking?done=cancelled");
  EXPECT_EQ(store().GetSlot(slot.id)->booked, 0);
  EXPECT_EQ(store().GetReferral(r.id)->state, ReferralState::kWaitingToBook);
  const Response page = Get("/booking", token, {{"done", "cancelled"}});
  EXPECT_TRUE(Has(page, "Appointment cancelled"));
  EXPECT_TRUE(Has(page, "By the patient: On holiday"));
  EXPECT_FALSE(Has(page, "Rebook to the best alternative"));  // The patient cancelled.
}

TEST_F(BookingScreenTest, AnotherReferralsAppointmentIsNotFoundFromThisReferralsForm) {
  const Slot slot = AddSlot("s1", 2);
  const Referral mine = WaitingToBook();
  const Referral theirs = WaitingToBook();
  ASSERT_TRUE(workflow::Book(env(), Coordinator(), {theirs.id, slot.id, ""}, now_.load()).ok());
  const std::string token = Selected(mine);
  const Response r = PostForm("/booking/cancel", token,
                              {{"referral_id", mine.id},
                               {"appointment_id", Appointments(theirs).front().id},
                               {"by", "service"},
                               {"reason", "x"}});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(Appointments(theirs).front().status, AppointmentStatus::kBooked);
}

TEST_F(BookingScreenTest, ReschedulingMovesTheAppointmentToTheSlotChosen) {
  const Slot first = AddSlot("s1", 2);
  const Slot second = AddSlot("s2", 3);
  const Referral r = WaitingToBook();
  const std::string token = Selected(r);
  ASSERT_EQ(PostForm("/booking/book", token, {{"referral_id", r.id}, {"slot_id", first.id}}).status,
            303);
  const std::string old_id = Appointments(r).front().id;
  const Response page = Get("/booking", token);
  EXPECT_TRUE(Has(page, "<option value=\"s2\">"));
  std::map<std::string, std::string> form{{"referral_id", r.id},
                                          {"appointment_id", old_id},
                                          {"by", "service"},
                                          {"reason", "Clinic moved"}};
  const Response no_slot = PostForm("/booking/reschedule", token, form);
  EXPECT_EQ(no_slot.status, 400);
  EXPECT_TRUE(Has(no_slot, "href=\"#move-slot\""));
  form["slot_id"] = second.id;
  const Response moved = PostForm("/booking/reschedule", token, form);
  ASSERT_EQ(moved.status, 303) << moved.body;
  EXPECT_EQ(moved.headers.at("Location"), "/booking?done=rescheduled");
  EXPECT_EQ(store().GetAppointment(old_id)->status, AppointmentStatus::kCancelled);
  const auto appointments = Appointments(r);
  ASSERT_EQ(appointments.size(), 2u);
  const Appointment& moved_to = appointments[0].id == old_id ? appointments[1] : appointments[0];
  EXPECT_EQ(moved_to.slot_id, second.id);
  EXPECT_EQ(moved_to.status, AppointmentStatus::kBooked);
}

TEST_F(BookingScreenTest, AfterTheServiceCancelsTheCoordinatorRebooksToTheBestAlternative) {
  const Slot lost = AddSlot("s1", 2);
  const Slot later = AddSlot("s2", 5);
  const Referral r = WaitingToBook();
  ASSERT_TRUE(workflow::Book(env(), Coordinator(), {r.id, lost.id, ""}, now_.load()).ok());
  ASSERT_TRUE(workflow::ClinicianUnavailable(env(), Coordinator(), "clin-1", lost.start, lost.end,
                                             "sickness", now_.load())
                  .ok());
  const std::string token = Selected(r);
  const Response page = Get("/booking", token);
  ASSERT_TRUE(Has(page, "Rebook to the best alternative")) << page.body;
  EXPECT_TRUE(Has(page, "By the service: sickness"));
  const Response rebooked = PostForm("/booking/rebook-best", token, {{"referral_id", r.id}});
  ASSERT_EQ(rebooked.status, 303) << rebooked.body;
  EXPECT_EQ(rebooked.headers.at("Location"), "/booking?done=rebooked");
  const auto appointments = Appointments(r);
  const auto booked =
      std::find_if(appointments.begin(), appointments.end(),
                   [](const Appointment& a) { return a.status == AppointmentStatus::kBooked; });
  ASSERT_NE(booked, appointments.end());
  EXPECT_EQ(booked->slot_id, later.id);
}

TEST_F(BookingScreenTest, AReferralNotAcceptedAtTriageOffersNothingToBook) {
  AddSlot("s1", 2);
  const Referral r = AwaitingTriage();
  const Response page = Get("/booking", Selected(r));
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(Has(page, "Not accepted at triage"));
  EXPECT_TRUE(Has(page, "This referral cannot be booked now"));
  EXPECT_FALSE(Has(page, "action=\"/booking/book\""));
}

// --- The API -----------------------------------------------------------------------------------

TEST_F(BookingScreenTest, ApiSearchesForAReferralsNeedAndAuditsIt) {
  AddSlot("near", 2);
  AddSlot("far-early", 1, 9, "far");
  const Referral r = WaitingToBook();
  const Response found =
      Send(Method::kPost, "/api/v1/slots/search", SignedIn(kDan),
           json{{"referral_id", r.id}, {"order", "nearest"}, {"limit", 5}}.dump());
  ASSERT_EQ(found.status, 200) << found.body;
  const json body = json::parse(found.body);
  EXPECT_EQ(body["need"]["skill"], "physiotherapy");
  EXPECT_EQ(body["need"]["modality"], "face_to_face");
  EXPECT_EQ(body["origin_known"], true);
  ASSERT_EQ(body["slots"].size(), 2u);
  EXPECT_EQ(body["slots"][0]["slot_id"], "near");
  EXPECT_EQ(body["slots"][0]["places_free"], 1);
  EXPECT_LT(body["slots"][0]["distance_km"].get<double>(), 1.0);
  EXPECT_GT(body["slots"][1]["distance_km"].get<double>(), 30.0);
  const auto actions = AuditActions(r.patient_key);
  EXPECT_EQ(actions.back(), "slots.search");
}

// A patient who will travel at most 10 km is never offered the clinic 35 km away, whatever order
// is asked for.
TEST_F(BookingScreenTest, ApiNeverOffersAFaceToFaceSlotBeyondTheTravelLimit) {
  AddSlot("far-early", 1, 9, "far");
  AddSlot("near", 2);
  const Referral r = WaitingToBook();
  for (const char* order : {"earliest", "nearest"}) {
    const Response found = Send(
        Method::kPost, "/api/v1/slots/search", SignedIn(kCarol),
        json{{"referral_id", r.id}, {"order", order}, {"preferences", {{"max_km", 10}}}}.dump());
    ASSERT_EQ(found.status, 200) << found.body;
    const json slots = json::parse(found.body)["slots"];
    ASSERT_EQ(slots.size(), 1u) << order;
    EXPECT_EQ(slots[0]["slot_id"], "near") << order;
  }
}

TEST_F(BookingScreenTest, ApiNamesEveryBadFieldAndAnUnknownSite) {
  const std::string token = SignedIn(kCarol);
  const Response bad =
      Send(Method::kPost, "/api/v1/slots/search", token,
           R"({"need":{"type":"massage"},"preferences":{"weekdays":[8]},"limit":0})");
  ASSERT_EQ(bad.status, 400);
  const json errors = json::parse(bad.body)["errors"];
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0]["field"], "need.type");
  EXPECT_EQ(errors[1]["field"], "preferences.weekdays");
  EXPECT_EQ(errors[2]["field"], "limit");
  const Response site = Send(Method::kPost, "/api/v1/slots/search", token,
                             R"({"need":{"type":"new"},"preferences":{"sites":["nowhere"]}})");
  EXPECT_EQ(site.status, 400);
  EXPECT_EQ(json::parse(site.body)["field"], "preferences.sites");
  const Referral awaiting = AwaitingTriage();
  const Response not_accepted =
      Send(Method::kPost, "/api/v1/slots/search", token, json{{"referral_id", awaiting.id}}.dump());
  EXPECT_EQ(not_accepted.status, 422);
  EXPECT_EQ(Send(Method::kPost, "/api/v1/slots/search", token, R"({"referral_id":"nope"})").status,
            404);
}

TEST_F(BookingScreenTest, ApiSearchForAnExplicitNeedReadsNoPatientData) {
  AddSlot("near", 2);
  AddSlot("far-early", 1, 9, "far");
  const std::size_t before = store().ListAudit({}).value().size();
  const Response found =
      Send(Method::kPost, "/api/v1/slots/search", SignedIn(kCarol),
           R"({"need":{"type":"new","modality":"face_to_face","skill":"physiotherapy"},)"
           R"("postcode_district":"OX3","order":"nearest"})");
  ASSERT_EQ(found.status, 200) << found.body;
  const json body = json::parse(found.body);
  EXPECT_EQ(body["origin_known"], true);
  EXPECT_EQ(body["slots"][0]["slot_id"], "near");
  EXPECT_EQ(store().ListAudit({}).value().size(), before);
}

TEST_F(BookingScreenTest, NextAvailableByTierAndModalityOverTheApiAndOnAPage) {
  AddSlot("wed", 1);  // Tuesday to Wednesday: 1 working day.
  const Response api = Send(Method::kGet, "/api/v1/next-available", SignedIn(kRob));
  ASSERT_EQ(api.status, 200) << api.body;
  const json figures = json::parse(api.body)["figures"];
  ASSERT_EQ(figures.size(), 6u);
  EXPECT_EQ(figures[0],
            (json{{"tier", "tier1"}, {"modality", "face_to_face"}, {"working_days", 1}}));
  EXPECT_TRUE(figures[3]["working_days"].is_null());
  const Response page = Get("/next-available", SignedIn(kCarol));
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(Has(page, "1 working day"));
  EXPECT_TRUE(Has(page, "None free"));
  EXPECT_TRUE(Has(page, ">Tier 2<"));
}

}  // namespace
}  // namespace tendon::http
