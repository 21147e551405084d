// The clinician's diary (diary.cc), in process on a real SQLite file with the real templates: whose
// clinics each role sees, the audit of every patient shown, and attendance recorded only once a
// slot has started and only by someone whose clinic it is.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/nhs_number.h"
#include "http/testing.h"
#include "workflow/booking.h"

namespace tendon::http {
namespace {

constexpr char kCarol[] = "carol";  // Coordinator.
constexpr char kDan[] = "dan";      // Treating clinician: clin-1's account.
constexpr char kErin[] = "erin";    // Treating clinician: clin-2's account.
constexpr char kEve[] = "eve";      // Treating clinician whose account names no clinician.

// clin-1 and clin-2 both hold clinics at site-1; kNow is Tuesday 24 November 2026, 10:00.
class DiaryTest : public testing::AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(store()
                    .Write([](store::WriteTxn& txn) -> Status {
                      RETURN_IF_ERROR(store::testing::InsertClinic(txn));
                      Clinician other = store::testing::MakeClinician("clin-2", "site-1");
                      other.name = "Erin Physio";
                      RETURN_IF_ERROR(txn.PutClinician(other));
                      ClinicTemplate t = store::testing::MakeTemplate("tpl-2");
                      t.clinician_id = "clin-2";
                      return txn.PutClinicTemplate(t);
                    })
                    .ok());
    AddUser(kCarol, Role::kCoordinator, "RNU", "Carol Coordinator");
    AddClinician(kDan, "clin-1");
    AddClinician(kErin, "clin-2");
    AddClinician(kEve, "");
  }

  void AddClinician(const std::string& id, const std::string& clinician_id) {
    User u;
    u.id = u.username = id;
    u.display_name = id;
    u.role = Role::kTreatingClinician;
    u.clinician_id = clinician_id;
    AddUser(std::move(u));
  }

  // `clinician`'s slot today or later (`days`) at `hour` UTC, booked for a new referral.
  Appointment Booked(const std::string& slot_id, const std::string& clinician, int days, int hour) {
    Slot slot = store::testing::MakeSlot(slot_id, 0);
    slot.clinician_id = clinician;
    slot.template_id = clinician == "clin-1" ? "tpl-1" : "tpl-2";
    slot.start = date::floor<date::days>(now_.load()) + date::days(days) + std::chrono::hours(hour);
    slot.end = slot.start + std::chrono::minutes(30);
    EXPECT_TRUE(
        store().Write([&](store::WriteTxn& txn) { return txn.PutSlots({slot}).status(); }).ok());
    const Referral r = WaitingToBook();
    auto booked = workflow::Book(env(), Coordinator(), {r.id, slot.id, ""}, now_.load());
    EXPECT_TRUE(booked.ok()) << booked.status().ToString();
    return booked.ok() ? *booked : Appointment{};
  }

  Response Get(const std::string& path, const std::string& token,
               const std::map<std::string, std::string>& query = {}) {
    Request request = MakeRequest(Method::kGet, path, token);
    request.query = query;
    return Handle(std::move(request));
  }

  Response Mark(const std::string& path, const std::string& user, const Appointment& a,
                const std::string& view = "day") {
    return Send(Method::kPost, path, SignedIn(user),
                FormEncode({{"appointment_id", a.id},
                            {"view", view},
                            {"clinician", "clin-1"},
                            {"date", "2026-11-25"}}));
  }

  std::string NhsNumberOf(const Appointment& a) {
    return FormatNhsNumber(store().GetPatient(a.patient_key)->nhs_number);
  }

  static bool Has(const Response& r, const std::string& text) {
    return r.body.find(text) != std::string::npos;
  }
};

TEST_F(DiaryTest, AClinicianSeesTheirOwnWeekWithEachPatientAudited) {
  const Appointment wednesday = Booked("wed", "clin-1", 1, 9);
  const Appointment friday = Booked("fri", "clin-1", 3, 14);
  const Appointment theirs = Booked("erin-wed", "clin-2", 1, 11);
  // The clinician named in the address is ignored: a clinician's diary is their own.
  const Response week = Get("/diary/week", SignedIn(kDan), {{"clinician", "clin-2"}});
  ASSERT_EQ(week.status, 200) << week.body;
  EXPECT_TRUE(Has(week, "Week beginning Monday 23 November 2026"));
  EXPECT_TRUE(Has(week, "Clinician clin-1"));
  EXPECT_TRUE(Has(week, "Wednesday 25 November 2026"));
  EXPECT_TRUE(Has(week, "09:00 to 09:30: New appointment, Face to face"));
  EXPECT_TRUE(Has(week, "1 of 1 booked"));
  EXPECT_TRUE(Has(week, "Jane Example"));
  EXPECT_TRUE(Has(week, NhsNumberOf(wednesday)));
  EXPECT_TRUE(Has(week, NhsNumberOf(friday)));
  EXPECT_FALSE(Has(week, NhsNumberOf(theirs)));
  EXPECT_FALSE(Has(week, "action=\"/diary/attended\""));  // Nothing has started yet.
  EXPECT_TRUE(Has(week, "once the appointment has started"));
  for (const Appointment& a : {wednesday, friday}) {
    const auto actions = AuditActions(a.patient_key);
    EXPECT_EQ(actions.back(), "diary.read") << a.patient_key;
  }
  EXPECT_NE(AuditActions(theirs.patient_key).back(), "diary.read");
  // The day shows that day only.
  const Response day = Get("/diary", SignedIn(kDan), {{"date", "2026-11-27"}});
  EXPECT_TRUE(Has(day, NhsNumberOf(friday)));
  EXPECT_FALSE(Has(day, NhsNumberOf(wednesday)));
}

TEST_F(DiaryTest, AttendanceIsRecordedOnlyOnceTheSlotHasStarted) {
  const Appointment a = Booked("wed", "clin-1", 1, 9);
  const Response early = Mark("/diary/attended", kDan, a);
  EXPECT_EQ(early.status, 422);
  EXPECT_TRUE(Has(early, "The appointment has not started yet"));
  EXPECT_EQ(store().GetAppointment(a.id)->status, AppointmentStatus::kBooked);

  now_ = store().GetSlot("wed")->start + std::chrono::minutes(5);
  const Response day = Get("/diary", SignedIn(kDan), {{"date", "2026-11-25"}});
  EXPECT_TRUE(Has(day, "name=\"appointment_id\" value=\"" + a.id + "\""));
  EXPECT_TRUE(Has(day, "action=\"/diary/dna\""));
  const Response done = Mark("/diary/attended", kDan, a);
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(done.headers.at("Location"), "/diary?date=2026-11-25&clinician=clin-1&done=attended");
  EXPECT_EQ(store().GetAppointment(a.id)->status, AppointmentStatus::kAttended);
  EXPECT_EQ(store().GetReferral(a.referral_id)->state, ReferralState::kInTreatment);
  const Response after =
      Get("/diary", SignedIn(kDan), {{"date", "2026-11-25"}, {"done", "attended"}});
  EXPECT_TRUE(Has(after, "Attendance recorded"));
  EXPECT_TRUE(Has(after, "Attended"));
  EXPECT_FALSE(Has(after, "action=\"/diary/dna\""));
  // A second mark of the same appointment is refused and changes nothing.
  EXPECT_EQ(Mark("/diary/dna", kDan, a).status, 422);
  EXPECT_EQ(store().GetAppointment(a.id)->status, AppointmentStatus::kAttended);
}

TEST_F(DiaryTest, ADidNotAttendFromTheWeekReturnsToTheWeek) {
  const Appointment a = Booked("wed", "clin-1", 1, 9);
  now_ = store().GetSlot("wed")->end;
  const Response done = Mark("/diary/dna", kCarol, a, "week");
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(done.headers.at("Location"), "/diary/week?date=2026-11-25&clinician=clin-1&done=dna");
  EXPECT_EQ(store().GetAppointment(a.id)->status, AppointmentStatus::kDna);
  EXPECT_EQ(store().GetReferral(a.referral_id)->state, ReferralState::kWaitingToBook);
}

// After an attended appointment the clinician discharges from the diary: a missing reason or
// choice is named and changes nothing; the discharge opens the follow-up window; the form is gone
// once the referral is no longer in treatment. Another clinician's patient looks missing, and a
// coordinator may not discharge at all.
TEST_F(DiaryTest, TheClinicianDischargesAnAttendedPatientIntoAFollowUpWindow) {
  const Appointment a = Booked("wed", "clin-1", 1, 9);
  now_ = store().GetSlot("wed")->start + std::chrono::minutes(5);
  ASSERT_EQ(Mark("/diary/attended", kDan, a).status, 303);
  const Response day = Get("/diary", SignedIn(kDan), {{"date", "2026-11-25"}});
  EXPECT_TRUE(Has(day, "action=\"/diary/discharge\""));
  EXPECT_FALSE(
      Has(Get("/diary", SignedIn(kCarol), {{"date", "2026-11-25"}, {"clinician", "clin-1"}}),
          "action=\"/diary/discharge\""));

  const auto discharge = [&](const std::string& user, const std::string& reason,
                             const std::string& pifu) {
    return Send(Method::kPost, "/diary/discharge", SignedIn(user),
                FormEncode({{"appointment_id", a.id},
                            {"reason", reason},
                            {"pifu", pifu},
                            {"view", "day"},
                            {"clinician", "clin-1"},
                            {"date", "2026-11-25"}}));
  };
  const Response no_reason = discharge(kDan, "  ", "yes");
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_TRUE(Has(no_reason, "Enter the reason for the discharge"));
  const Response no_choice = discharge(kDan, "treatment complete", "");
  EXPECT_EQ(no_choice.status, 400);
  EXPECT_TRUE(Has(no_choice, "Choose whether the patient may ask to be seen again"));
  EXPECT_EQ(store().GetReferral(a.referral_id)->state, ReferralState::kInTreatment);
  EXPECT_EQ(discharge(kErin, "treatment complete", "yes").status, 404);
  EXPECT_EQ(discharge(kCarol, "treatment complete", "yes").status, 403);
  EXPECT_EQ(store().GetReferral(a.referral_id)->state, ReferralState::kInTreatment);

  const Response done = discharge(kDan, "treatment complete", "yes");
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(done.headers.at("Location"), "/diary?date=2026-11-25&clinician=clin-1&done=discharged");
  EXPECT_EQ(store().GetReferral(a.referral_id)->state, ReferralState::kPifuWindow);
  const Response after =
      Get("/diary", SignedIn(kDan), {{"date", "2026-11-25"}, {"done", "discharged"}});
  EXPECT_TRUE(Has(after, "Patient discharged"));
  EXPECT_FALSE(Has(after, "action=\"/diary/discharge\""));
  // A second discharge is refused and changes nothing.
  EXPECT_EQ(discharge(kDan, "treatment complete", "no").status, 422);
  EXPECT_EQ(store().GetReferral(a.referral_id)->state, ReferralState::kPifuWindow);
}

// Attendance recorded against another clinician's patient: refused as if there were no such
// appointment, audited, and nothing changes.
TEST_F(DiaryTest, AClinicianCannotRecordAttendanceInAnotherClinicianClinic) {
  const Appointment theirs = Booked("erin-wed", "clin-2", 1, 9);
  now_ = store().GetSlot("erin-wed")->start + std::chrono::minutes(5);
  for (const char* user : {kDan, kEve}) {
    const Response refused = Mark("/diary/attended", user, theirs);
    EXPECT_EQ(refused.status, 404) << user;
    EXPECT_EQ(AuditActions(theirs.patient_key).back(), "diary.mark.denied") << user;
  }
  EXPECT_EQ(store().GetAppointment(theirs.id)->status, AppointmentStatus::kBooked);
  EXPECT_EQ(Mark("/diary/attended", kErin, theirs).status, 303);
  EXPECT_EQ(store().GetAppointment(theirs.id)->status, AppointmentStatus::kAttended);
}

TEST_F(DiaryTest, ACoordinatorChoosesAnyClinicianAndAMalformedAskIsNamed) {
  const Appointment theirs = Booked("erin-wed", "clin-2", 1, 9);
  const std::string token = SignedIn(kCarol);
  const Response chooser = Get("/diary", token);
  ASSERT_EQ(chooser.status, 200);
  EXPECT_TRUE(Has(chooser, "<option value=\"clin-2\">Erin Physio</option>"));
  EXPECT_FALSE(Has(chooser, "Jane Example"));
  const Response erin = Get("/diary", token, {{"clinician", "clin-2"}, {"date", "2026-11-25"}});
  ASSERT_EQ(erin.status, 200);
  EXPECT_TRUE(Has(erin, "Erin Physio: Wednesday 25 November 2026"));
  EXPECT_TRUE(Has(erin, NhsNumberOf(theirs)));
  EXPECT_TRUE(Has(erin, "href=\"/diary?date=2026-11-26&amp;clinician=clin-2\""));
  const Response bad_date = Get("/diary", token, {{"clinician", "clin-2"}, {"date", "tomorrow"}});
  EXPECT_EQ(bad_date.status, 400);
  EXPECT_TRUE(Has(bad_date, "href=\"#date\""));
  EXPECT_FALSE(Has(bad_date, NhsNumberOf(theirs)));
  const Response bad_clinician = Get("/diary/week", token, {{"clinician", "nobody"}});
  EXPECT_EQ(bad_clinician.status, 400);
  EXPECT_TRUE(Has(bad_clinician, "href=\"#clinician\""));
}

TEST_F(DiaryTest, AnAccountNotLinkedToAClinicianSeesNoPatients) {
  Booked("wed", "clin-1", 1, 9);
  const Response page = Get("/diary/week", SignedIn(kEve), {{"date", "2026-11-25"}});
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(Has(page, "not linked to a clinician"));
  EXPECT_FALSE(Has(page, "Jane Example"));
}

}  // namespace
}  // namespace tendon::http
