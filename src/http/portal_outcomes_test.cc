// The patient's questionnaires, feedback and request to be seen again through the portal, and the
// clinician's discharge over the API (portal_outcomes.cc), in process with a real store.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "core/questionnaire.h"
#include "http/testing.h"
#include "store/testing/fixtures.h"
#include "workflow/booking.h"
#include "workflow/discharge.h"
#include "workflow/portal.h"

namespace tendon::http {
namespace {

using nlohmann::json;
using workflow::testing::kNow;

class PortalOutcomesTest : public testing::AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    ASSERT_TRUE(store().Write(store::testing::InsertClinic).ok());
    User clinician;
    clinician.id = "user-clinician";
    clinician.username = "clinician";
    clinician.display_name = "A Clinician";
    clinician.role = Role::kTreatingClinician;
    clinician.organisation = "RNU";
    AddUser(clinician);
  }

  std::string PatientSession(const Referral& referral) {
    auto user = workflow::PortalUser(store(), {referral.patient_key, referral.id}, kNow);
    EXPECT_TRUE(user.ok()) << user.status().ToString();
    return SignedIn(user.ok() ? user->id : "", referral.id);
  }

  // Every item answered `score`, for the referral, as the questionnaire page posts it.
  static std::string Answers(const Referral& r, std::string_view timepoint, int score) {
    std::map<std::string, std::string> form{{"referral_id", r.id},
                                            {"timepoint", std::string(timepoint)}};
    for (const MskhqTopic& topic : MskhqTopics())
      form[std::string(topic.key)] = std::to_string(score);
    return FormEncode(form);
  }

  // A referral seen once: booked the day after kNow and attended, so in treatment.
  Referral InTreatment() {
    Slot slot = store::testing::MakeSlot("slot-1", 0);
    slot.start = kNow + std::chrono::days(1);
    slot.end = slot.start + std::chrono::minutes(30);
    EXPECT_TRUE(
        store().Write([&](store::WriteTxn& txn) { return txn.PutSlots({slot}).status(); }).ok());
    const Referral r = WaitingToBook();
    auto booked = workflow::Book(env(), Coordinator(), {r.id, slot.id, ""}, kNow);
    EXPECT_TRUE(booked.ok());
    EXPECT_TRUE(workflow::MarkAttended(env(), Coordinator(), booked->id, slot.start).ok());
    return r;
  }

  EventType LastEvent(const Referral& r) { return store().ListEvents(r.id)->back().type; }
};

TEST_F(PortalOutcomesTest, ThePatientAnswersTheBaselineQuestionnaireWithTheServicesWording) {
  const Referral r = WaitingToBook();
  const std::string token = PatientSession(r);
  Response referral_page = Send(Method::kGet, "/portal/referral", token);
  ASSERT_EQ(referral_page.status, 200);
  EXPECT_NE(referral_page.body.find("href=\"/portal/questionnaire\""), std::string::npos);

  Response form = Send(Method::kGet, "/portal/questionnaire", token);
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("Placeholder question about: walking."), std::string::npos);
  EXPECT_NE(form.body.find("name=\"overall_impact\" type=\"radio\" value=\"0\""),
            std::string::npos);

  // One item unanswered: refused naming it, nothing recorded.
  std::string partial = Answers(r, "baseline", 3);
  partial = partial.substr(0, partial.find("&walking=")) +
            partial.substr(partial.find('&', partial.find("&walking=") + 1));
  Response refused = Send(Method::kPost, "/portal/questionnaire", token, partial);
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("href=\"#walking\""), std::string::npos);
  EXPECT_NE(LastEvent(r), EventType::kOutcomeMskhq);

  Response sent = Send(Method::kPost, "/portal/questionnaire", token, Answers(r, "baseline", 3));
  EXPECT_EQ(sent.status, 303);
  const PathwayEvent last = store().ListEvents(r.id)->back();
  EXPECT_EQ(last.type, EventType::kOutcomeMskhq);
  EXPECT_EQ(json::parse(last.payload)["score"], 42);
  EXPECT_EQ(Send(Method::kGet, "/portal/referral", token).body.find("/portal/questionnaire"),
            std::string::npos);
  // Answering twice is refused with the reason.
  EXPECT_EQ(Send(Method::kPost, "/portal/questionnaire", token, Answers(r, "baseline", 3)).status,
            422);
}

TEST_F(PortalOutcomesTest, TheClinicianDischargesAndThePatientGivesFeedbackAndAsksToBeSeenAgain) {
  const Referral r = InTreatment();
  const std::string clinician = SignedIn("user-clinician");
  Response bad = Send(Method::kPost, "/api/v1/referrals/discharge", clinician,
                      json{{"referral_id", r.id}, {"reason", ""}}.dump());
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body)["field"], "reason");
  Response discharged =
      Send(Method::kPost, "/api/v1/referrals/discharge", clinician,
           json{{"referral_id", r.id}, {"reason", "treatment_complete"}, {"pifu", true}}.dump());
  ASSERT_EQ(discharged.status, 200) << discharged.body;
  EXPECT_EQ(json::parse(discharged.body)["state"], "pifu_window");

  const std::string token = PatientSession(r);
  Response page = Send(Method::kGet, "/portal/referral", token);
  EXPECT_NE(page.body.find("href=\"/portal/feedback\""), std::string::npos);
  EXPECT_NE(page.body.find("Ask to be seen again"), std::string::npos);

  EXPECT_EQ(Send(Method::kPost, "/portal/feedback", token, "comment=x").status, 400);
  Response feedback = Send(Method::kPost, "/portal/feedback", token,
                           FormEncode({{"answer", "good"}, {"comment", "Helpful"}}));
  EXPECT_EQ(feedback.status, 303);
  EXPECT_EQ(LastEvent(r), EventType::kFeedbackFft);

  Response asked =
      Send(Method::kPost, "/portal/follow-up", token, FormEncode({{"reason", "worse again"}}));
  EXPECT_EQ(asked.status, 303);
  EXPECT_EQ(LastEvent(r), EventType::kPifuRequested);
  EXPECT_EQ(store().GetReferral(r.id)->state, ReferralState::kWaitingToBook);
  Response again = Send(Method::kPost, "/portal/follow-up", token, "");
  EXPECT_EQ(again.status, 422);
}

TEST_F(PortalOutcomesTest, OnlyATreatingClinicianDischargesAndAPatientOnlyTheirOwn) {
  const Referral r = InTreatment();
  const Referral other = WaitingToBook();
  const std::string patient = PatientSession(other);
  EXPECT_EQ(Send(Method::kPost, "/api/v1/referrals/discharge", patient,
                 json{{"referral_id", r.id}, {"reason", "x"}}.dump())
                .status,
            403);
  // A questionnaire post naming another patient's referral answers the session's own.
  EXPECT_EQ(Send(Method::kPost, "/portal/questionnaire", patient, Answers(r, "baseline", 2)).status,
            303);
  EXPECT_EQ(LastEvent(r), EventType::kAppointmentAttended);
  EXPECT_EQ(LastEvent(other), EventType::kOutcomeMskhq);
}

}  // namespace
}  // namespace tendon::http
