#include "workflow/admin.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/london_time.h"
#include "workflow/booking.h"
#include "workflow/testing.h"

namespace tendon::workflow {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::kNow;

const std::vector<config::Region> kRegions = {{"North", 0.5}, {"South", 0.5}};

class AdminTest : public testing::WorkflowTest {
 protected:
  void SetUp() override {
    WorkflowTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(SaveSite(env(), Admin(), North(), SaveMode::kAdd, kRegions, kNow).ok());
    for (const char* room : {"north-room-1", "north-room-2"}) {
      ASSERT_TRUE(SaveRoom(env(), Admin(), {room, "north", "Room"}, SaveMode::kAdd, kNow).ok());
    }
    ASSERT_TRUE(SaveClinician(env(), Admin(), Physio(), SaveMode::kAdd, kNow).ok());
    ASSERT_TRUE(SaveClinician(env(), Admin(), Esp(), SaveMode::kAdd, kNow).ok());
  }

  static Actor Admin() { return {"user-admin", Role::kAdministrator, "RNU"}; }

  static Site North() {
    Site s;
    s.id = "north";
    s.name = "North clinic";
    s.region = "North";
    s.address = "Banbury";
    s.latitude = 52.06;
    s.longitude = -1.34;
    s.rooms = 2;
    s.weekly_clinic_days = 2;
    return s;
  }

  static Clinician Physio() {
    return {"clin-1", "Ann Lee", "physiotherapist", {"physiotherapy"}, "north", 1.0};
  }
  static Clinician Esp() {
    return {"clin-2", "Raj Patel", "extended_scope_practitioner", {"spinal", "injection"},
            "north",  0.8};
  }

  // Mondays and Wednesdays 09:00-10:00 in room 1, two 30-minute new-patient slots, from today.
  static ClinicTemplate Clinic() {
    ClinicTemplate t;
    t.id = "tpl-1";
    t.clinician_id = "clin-1";
    t.site_id = "north";
    t.room_id = "north-room-1";
    t.weekdays = {1, 3};
    t.start_minute = 9 * 60;
    t.end_minute = 10 * 60;
    t.slot_minutes = 30;
    t.valid_from = LondonDate(kNow);
    return t;
  }

  std::vector<Slot> Slots(bool include_cancelled = false) {
    store::SlotQuery query;
    query.from = kNow;
    query.to = kNow + std::chrono::weeks(110);
    query.include_cancelled = include_cancelled;
    return store().ListSlots(query).value();
  }

  std::vector<AuditEntry> AdminAudit() {
    store::AuditFilter filter;
    filter.actor = "user-admin";
    return store().ListAudit(filter).value();
  }

  static std::vector<std::string> Fields(const std::vector<FieldError>& errors) {
    std::vector<std::string> fields;
    for (const FieldError& e : errors) fields.push_back(e.field);
    return fields;
  }
};

TEST_F(AdminTest, EachSaveIsAuditedWithTheRecordAndNoPatient) {
  EXPECT_EQ(store().ListSites()->size(), 1u);
  EXPECT_EQ(store().ListRooms()->size(), 2u);
  EXPECT_EQ(store().ListClinicians()->size(), 2u);
  ASSERT_TRUE(SaveClinicTemplate(env(), Admin(), Clinic(), SaveMode::kAdd, kNow).ok());
  std::vector<std::string> rows;
  for (const AuditEntry& e : AdminAudit()) {
    EXPECT_EQ(e.patient_key, "");
    EXPECT_EQ(e.role, "administrator");
    rows.push_back(e.action + " " + e.reason);
  }
  EXPECT_THAT(rows, ElementsAre("admin.site.save north", "admin.room.save north-room-1",
                                "admin.room.save north-room-2", "admin.clinician.save clin-1",
                                "admin.clinician.save clin-2", "admin.template.save tpl-1"));
}

TEST_F(AdminTest, AddingATakenIdOrChangingAnUnknownOneChangesNothing) {
  Site renamed = North();
  renamed.name = "Renamed";
  Status added = SaveSite(env(), Admin(), renamed, SaveMode::kAdd, kRegions, kNow);
  EXPECT_EQ(added.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(added.field(), "id");
  Clinician unknown = Physio();
  unknown.id = "clin-9";
  Status changed = SaveClinician(env(), Admin(), unknown, SaveMode::kEdit, kNow);
  EXPECT_EQ(changed.code(), StatusCode::kNotFound);
  EXPECT_EQ(store().ListSites()->front().name, "North clinic");
  EXPECT_EQ(store().ListClinicians()->size(), 2u);
  EXPECT_EQ(AdminAudit().size(), 5u);  // The set-up's saves only.

  ASSERT_TRUE(SaveSite(env(), Admin(), renamed, SaveMode::kEdit, kRegions, kNow).ok());
  EXPECT_EQ(store().ListSites()->front().name, "Renamed");
}

TEST_F(AdminTest, ParsingListsEveryMalformedField) {
  const nlohmann::json body = {{"id", "tpl-2"},
                               {"clinician_id", "clin-1"},
                               {"site_id", "north"},
                               {"weekdays", {"mon", "sat"}},
                               {"start", "9am"},
                               {"end", "12:00"},
                               {"slot_type", "review"},
                               {"slot_minutes", "thirty"},
                               {"modality", "face_to_face"},
                               {"colour", "blue"}};
  Parsed<ClinicTemplate> parsed = ParseClinicTemplate(body, LondonDate(kNow));
  EXPECT_FALSE(parsed.value);
  EXPECT_THAT(Fields(parsed.errors),
              ElementsAre("weekdays", "start", "slot_type", "slot_minutes", "colour"));
  Parsed<Site> site = ParseSite({{"id", "x"}, {"latitude", "52.1"}, {"rooms", 2.5}});
  EXPECT_THAT(Fields(site.errors), ElementsAre("longitude", "rooms", "weekly_clinic_days"));
}

TEST_F(AdminTest, ABadTemplateIsRefusedNamingEveryFieldAndChangesNothing) {
  ClinicTemplate t = Clinic();
  t.id = "Tpl 2";
  t.room_id = "north-room-9";
  t.weekdays = {};
  t.slot_minutes = 90;
  t.capacity = 4;
  t.embargo_working_days = 3;
  auto errors = CheckClinicTemplate(env(), t);
  ASSERT_TRUE(errors.ok());
  EXPECT_THAT(Fields(*errors), ElementsAre("id", "room_id", "weekdays", "slot_minutes", "capacity",
                                           "embargo_working_days"));
  auto saved = SaveClinicTemplate(env(), Admin(), t, SaveMode::kAdd, kNow);
  EXPECT_EQ(saved.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(saved.status().field(), "id");
  EXPECT_TRUE(store().ListClinicTemplates()->empty());
  EXPECT_TRUE(Slots(true).empty());
  EXPECT_EQ(AdminAudit().size(), 5u);
}

// From Tuesday 24 November 2026 for 8 weeks (to 18 January 2027): 7 working Mondays (28 December
// is the Boxing Day holiday) and 8 Wednesdays, two slots each.
TEST_F(AdminTest, SavingATemplateGeneratesItsSlotsOverTheHorizonSkippingBankHolidays) {
  auto saved = SaveClinicTemplate(env(), Admin(), Clinic(), SaveMode::kAdd, kNow);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_EQ(saved->added, 30);
  EXPECT_EQ(saved->through, Date(date::year(2027) / 1 / 18));
  const std::vector<Slot> slots = Slots();
  ASSERT_EQ(slots.size(), 30u);
  EXPECT_EQ(slots.front().id, "tpl-1-20261125-0900");
  for (const Slot& s : slots) {
    EXPECT_NE(LondonDate(s.start), Date(date::year(2026) / 12 / 28)) << s.id;
    EXPECT_EQ(s.clinician_id, "clin-1");
  }

  auto again = SaveClinicTemplate(env(), Admin(), Clinic(), SaveMode::kEdit, kNow);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->added, 0);
  EXPECT_EQ(again->cancelled, 0);
  EXPECT_EQ(Slots().size(), 30u);
}

TEST_F(AdminTest, AnEditNeverDropsABookedAppointmentAndSaysWhichSlotsToMove) {
  ASSERT_TRUE(SaveClinicTemplate(env(), Admin(), Clinic(), SaveMode::kAdd, kNow).ok());
  const Referral referral = WaitingToBook();
  auto booked = Book(env(), Coordinator(), {referral.id, "tpl-1-20261202-0930", ""}, kNow);
  ASSERT_TRUE(booked.ok()) << booked.status().ToString();

  ClinicTemplate longer = Clinic();  // One 60-minute slot a session instead of two of 30.
  longer.slot_minutes = 60;
  auto saved = SaveClinicTemplate(env(), Admin(), longer, SaveMode::kEdit, kNow);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  ASSERT_EQ(saved->stranded.size(), 1u);
  EXPECT_EQ(saved->stranded[0].id, "tpl-1-20261202-0930");
  EXPECT_EQ(saved->held_back, 1);  // 2 December's new 09:00-10:00 overlaps the booked slot.
  EXPECT_EQ(saved->cancelled, 29);
  EXPECT_EQ(saved->added, 14);

  const Slot kept = store().GetSlot("tpl-1-20261202-0930").value();
  EXPECT_FALSE(kept.cancelled);
  EXPECT_EQ(kept.booked, 1);
  EXPECT_EQ(store().GetAppointment(booked->id)->status, AppointmentStatus::kBooked);
  EXPECT_EQ(store().GetReferral(referral.id)->state, ReferralState::kBooked);
  EXPECT_TRUE(store().GetSlot("tpl-1-20261202-0900")->cancelled);
  EXPECT_EQ(store().GetSlot("tpl-1-20261125-0900-2")->end -
                store().GetSlot("tpl-1-20261125-0900-2")->start,
            std::chrono::minutes(60));
  EXPECT_THAT(Violations(), IsEmpty());

  // Once the coordinator moves the patient, the next pass cancels the old slot and adds the new.
  ASSERT_TRUE(Cancel(env(), Coordinator(), booked->id, "service", "clinic changed", kNow).ok());
  auto extended = ExtendHorizon(env(), Admin(), 8, kNow);
  ASSERT_TRUE(extended.ok());
  EXPECT_EQ(extended->cancelled, 1);
  EXPECT_EQ(extended->added, 1);
  EXPECT_THAT(extended->stranded, IsEmpty());
}

TEST_F(AdminTest, ChangingTheRingFenceReissuesEveryFutureUnbookedSlot) {
  ASSERT_TRUE(SaveClinicTemplate(env(), Admin(), Clinic(), SaveMode::kAdd, kNow).ok());
  ClinicTemplate fenced = Clinic();
  fenced.ringfence = Ringfence::kPostOp;
  fenced.embargo_working_days = 5;
  auto saved = SaveClinicTemplate(env(), Admin(), fenced, SaveMode::kEdit, kNow);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_EQ(saved->cancelled, 30);
  EXPECT_EQ(saved->added, 30);
  const std::vector<Slot> running = Slots();
  ASSERT_EQ(running.size(), 30u);
  for (const Slot& s : running) {
    EXPECT_EQ(s.ringfence, Ringfence::kPostOp) << s.id;
    EXPECT_EQ(calendar().WorkingDaysBetween(LondonDate(s.opens_to_all_at), LondonDate(s.start)), 5)
        << s.id;
  }
}

TEST_F(AdminTest, AnInjectionClinicNeedsAClinicianWithTheInjectionSkill) {
  ClinicTemplate injections = Clinic();
  injections.slot_type = SlotType::kInjection;
  auto refused = CheckClinicTemplate(env(), injections);
  ASSERT_TRUE(refused.ok());
  ASSERT_THAT(Fields(*refused), ElementsAre("clinician_id"));
  EXPECT_EQ(refused->front().message,
            "Ann Lee does not have the injection skill an injection clinic needs");

  injections.clinician_id = "clin-2";
  ASSERT_TRUE(SaveClinicTemplate(env(), Admin(), injections, SaveMode::kAdd, kNow).ok());
  Clinician without = Esp();
  without.skills = {"spinal"};
  Status taken = SaveClinician(env(), Admin(), without, SaveMode::kEdit, kNow);
  EXPECT_EQ(taken.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(taken.field(), "skills");
  EXPECT_EQ(store().ListClinicians()->back().skills, Esp().skills);
}

TEST_F(AdminTest, OverlappingSessionsOfAClinicianOrARoomAreRefused) {
  ASSERT_TRUE(SaveClinicTemplate(env(), Admin(), Clinic(), SaveMode::kAdd, kNow).ok());
  ClinicTemplate clash = Clinic();
  clash.id = "tpl-2";
  clash.weekdays = {3};
  clash.start_minute = 9 * 60 + 30;
  clash.end_minute = 11 * 60;
  auto errors = CheckClinicTemplate(env(), clash);
  ASSERT_TRUE(errors.ok());
  EXPECT_THAT(Fields(*errors), ElementsAre("clinician_id", "room_id"));
  EXPECT_EQ(errors->front().message,
            "the clinician already has a session then: tpl-1 on wed 09:00-10:00");
  clash.clinician_id = "clin-2";
  clash.room_id = "north-room-2";
  EXPECT_THAT(*CheckClinicTemplate(env(), clash), IsEmpty());
}

TEST_F(AdminTest, MovingARoomThatAClinicUsesToAnotherSiteIsRefused) {
  Site south = North();
  south.id = "south";
  south.name = "South clinic";
  ASSERT_TRUE(SaveSite(env(), Admin(), south, SaveMode::kAdd, kRegions, kNow).ok());
  ASSERT_TRUE(SaveClinicTemplate(env(), Admin(), Clinic(), SaveMode::kAdd, kNow).ok());
  Status moved = SaveRoom(env(), Admin(), {"north-room-1", "south", "Room"}, SaveMode::kEdit, kNow);
  EXPECT_EQ(moved.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(moved.field(), "site_id");
  EXPECT_TRUE(
      SaveRoom(env(), Admin(), {"north-room-2", "south", "Room"}, SaveMode::kEdit, kNow).ok());
}

TEST_F(AdminTest, ExtendingTheHorizonAddsEachSlotOnceAndIsAudited) {
  ASSERT_TRUE(SaveClinicTemplate(env(), Admin(), Clinic(), SaveMode::kAdd, kNow).ok());
  auto extended = ExtendHorizon(env(), Admin(), 12, kNow);
  ASSERT_TRUE(extended.ok()) << extended.status().ToString();
  EXPECT_EQ(extended->added, 16);  // Weeks 9 to 12: 8 sessions.
  EXPECT_EQ(extended->through, Date(date::year(2027) / 2 / 15));
  auto again = ExtendHorizon(env(), Admin(), 12, kNow);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->added, 0);
  EXPECT_EQ(again->cancelled, 0);
  // A shorter horizon keeps the slots already made.
  auto shorter = ExtendHorizon(env(), Admin(), 4, kNow);
  ASSERT_TRUE(shorter.ok());
  EXPECT_EQ(shorter->cancelled, 0);
  EXPECT_EQ(Slots().size(), 46u);
  EXPECT_EQ(AdminAudit().back().action, "admin.slots.extend");
  EXPECT_EQ(ExtendHorizon(env(), Admin(), 105, kNow).status().field(), "weeks");
}

TEST_F(AdminTest, AHorizonBeyondTheBankHolidayFileIsRefused) {
  const Instant late = date::sys_days(date::year(2029) / 6 / 4) + std::chrono::hours(10);
  ASSERT_TRUE(SaveClinicTemplate(env(), Admin(), Clinic(), SaveMode::kAdd, late).ok());
  auto far = ExtendHorizon(env(), Admin(), 104, late);
  EXPECT_EQ(far.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(far.status().field(), "weeks");
}

}  // namespace
}  // namespace tendon::workflow
