#include "demo/diary.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/london_time.h"
#include "demo/testing.h"

namespace tendon::demo::internal {
namespace {

constexpr Date kFrom = date::sys_days(date::year(2026) / 6 / 1);  // A Monday.
constexpr Date kUntil = kFrom + date::days(28);
constexpr Date kLast = kUntil + date::days(27);
constexpr int kMinutesPerHour = 60;

Site MakeSite(const std::string& id, double latitude, double longitude) {
  Site s;
  s.id = id;
  s.name = id;
  s.latitude = latitude;
  s.longitude = longitude;
  return s;
}

Clinician MakeClinician(const std::string& id, const std::string& site,
                        std::vector<std::string> skills) {
  Clinician c;
  c.id = id;
  c.name = id;
  c.skills = std::move(skills);
  c.base_site_id = site;
  return c;
}

// A one-hour session of 30-minute slots at 09:00 on `weekday` (ISO).
ClinicTemplate MakeClinic(const std::string& id, const std::string& clinician,
                          const std::string& site, SlotType type, int weekday) {
  ClinicTemplate t;
  t.id = id;
  t.clinician_id = clinician;
  t.site_id = site;
  t.room_id = site + "-room-1";
  t.weekdays = {weekday};
  t.start_minute = 9 * kMinutesPerHour;
  t.end_minute = 10 * kMinutesPerHour;
  t.slot_type = type;
  t.slot_minutes = 30;
  t.valid_from = kFrom;
  return t;
}

// Three sites, "a" with a physiotherapist's Monday follow-up clinic and a Tuesday post-op
// ring-fenced new-patient clinic, "b" near it and "c" far off, each with an extended scope
// practitioner's Monday new-patient clinic.
class DemoDiaryTest : public ::testing::Test {
 protected:
  DemoDiaryTest() : clock_(calendar_, 8, 18) {
    sites_ = {MakeSite("a", 51.75, -1.25), MakeSite("b", 51.76, -1.26),
              MakeSite("c", 52.10, -1.30)};
    clinics_.clinicians = {MakeClinician("physio", "a", {"physiotherapy"}),
                           MakeClinician("esp-b", "b", {"spinal", "injection"}),
                           MakeClinician("esp-c", "c", {"spinal", "injection"})};
    ClinicTemplate post_op = MakeClinic("post-op", "physio", "a", SlotType::kNew, 2);
    post_op.end_minute = post_op.start_minute + post_op.slot_minutes;
    post_op.ringfence = Ringfence::kPostOp;
    post_op.embargo_working_days = 2;
    clinics_.templates = {MakeClinic("follow-up", "physio", "a", SlotType::kFollowUp, 1),
                          MakeClinic("new-b", "esp-b", "b", SlotType::kNew, 1),
                          MakeClinic("new-c", "esp-c", "c", SlotType::kNew, 1), post_op};
    params_ = testing::Real().params;
    params_.overflow_after_working_days = 0;
  }

  Diary Make() {
    auto diary = Diary::Make(sites_, clinics_, params_, clock_, kFrom, kUntil, kLast);
    EXPECT_TRUE(diary.ok()) << diary.status().ToString();
    return std::move(diary).value();
  }

  static SlotNeed Need(ServiceLine line, SlotType type, Priority priority = Priority::kRoutine) {
    return {0, line, type, Modality::kFaceToFace, priority};
  }
  static SlotNeed FollowUp() { return Need(ServiceLine::kPhysiotherapy, SlotType::kFollowUp); }
  Instant At(Date d, int hour, int minute = 0) const {
    return clock_.At(d, hour * kMinutesPerHour + minute);
  }
  // Holds the place Find gives and returns the slot.
  static Slot Take(Diary& diary, const SlotNeed& need, Date day, Instant booked_at) {
    std::optional<std::size_t> i = diary.Find(need, day, booked_at);
    EXPECT_TRUE(i.has_value());
    if (!i) return {};
    diary.Hold(*i);
    return diary.slot(*i);
  }

  WorkingCalendar calendar_;
  WorkClock clock_;
  std::vector<Site> sites_;
  config::ClinicsConfig clinics_;
  DemoParameters params_;
};

TEST_F(DemoDiaryTest, TakesTheFirstFreeSlotThatStartsAfterTheBooking) {
  params_.overflow_after_working_days = 5;
  Diary diary = Make();
  const Instant friday = At(kFrom - date::days(3), 10);
  EXPECT_EQ(Take(diary, FollowUp(), kFrom, friday).start, At(kFrom, 9));
  EXPECT_EQ(Take(diary, FollowUp(), kFrom, friday).start, At(kFrom, 9, 30));
  // Monday's two places are taken: the next Monday, five working days on.
  EXPECT_EQ(Take(diary, FollowUp(), kFrom, friday).start, At(kFrom + date::days(7), 9));
  // Booked at 09:10, the 09:00 slot has started.
  EXPECT_EQ(
      Take(diary, FollowUp(), kFrom + date::days(14), At(kFrom + date::days(14), 9, 10)).start,
      At(kFrom + date::days(14), 9, 30));
  EXPECT_EQ(diary.overflow_places(), 0);
}

TEST_F(DemoDiaryTest, OpensAnOverflowClinicWhenTheRotaIsFullWithinTheWindow) {
  Diary diary = Make();
  const Instant friday = At(kFrom - date::days(3), 10);
  Take(diary, FollowUp(), kFrom, friday);
  Take(diary, FollowUp(), kFrom, friday);
  const Slot extra = Take(diary, FollowUp(), kFrom, friday);
  EXPECT_EQ(extra.template_id, "overflow-001");
  EXPECT_EQ(extra.clinician_id, "bank-001");
  EXPECT_EQ(extra.site_id, "a");
  EXPECT_EQ(extra.type, SlotType::kFollowUp);
  EXPECT_EQ(extra.modality, Modality::kFaceToFace);
  EXPECT_EQ(extra.start, At(kFrom, params_.open_hour));
  EXPECT_EQ(extra.end - extra.start, std::chrono::minutes(params_.follow_up_minutes));
  EXPECT_EQ(diary.overflow_places(), 1);

  const std::vector<ClinicTemplate> overflow = diary.OverflowTemplates();
  ASSERT_EQ(overflow.size(), 1u);
  EXPECT_EQ(overflow[0].valid_from, kFrom);
  EXPECT_EQ(overflow[0].valid_until, kUntil - date::days(1));
  EXPECT_TRUE(overflow[0].room_id.empty());
  const std::vector<Clinician> bank = diary.BankClinicians();
  ASSERT_EQ(bank.size(), 1u);
  EXPECT_EQ(bank[0].profession, "physiotherapist");
  EXPECT_EQ(bank[0].base_site_id, "a");
  EXPECT_NE(std::find(bank[0].skills.begin(), bank[0].skills.end(), "physiotherapy"),
            bank[0].skills.end());

  // Written: every rota slot and the one overflow slot in use, in id order.
  const std::vector<Slot> written = diary.SlotsToWrite();
  const auto overflow_slots = std::count_if(written.begin(), written.end(), [](const Slot& s) {
    return s.template_id == "overflow-001";
  });
  EXPECT_EQ(overflow_slots, 1);
  EXPECT_TRUE(std::is_sorted(written.begin(), written.end(),
                             [](const Slot& x, const Slot& y) { return x.id < y.id; }));
  for (const Slot& s : written) EXPECT_EQ(s.booked, 0) << s.id;
}

TEST_F(DemoDiaryTest, GoesToTheNearestSiteWithAClinicForTheLine) {
  Diary diary = Make();
  std::optional<std::size_t> i =
      diary.Find(Need(ServiceLine::kSpinal, SlotType::kNew), kFrom, At(kFrom - date::days(3), 10));
  ASSERT_TRUE(i.has_value());
  EXPECT_EQ(diary.slot(*i).site_id, "b");
  EXPECT_EQ(diary.site_of(*i), 1u);
}

TEST_F(DemoDiaryTest, NeverOverflowsIntoTheForwardDiary) {
  Diary diary = Make();
  const Instant before = At(kUntil - date::days(3), 10);
  Take(diary, FollowUp(), kUntil, before);
  Take(diary, FollowUp(), kUntil, before);
  // The next free place in the rota, a week on, however late.
  EXPECT_EQ(Take(diary, FollowUp(), kUntil, before).start, At(kUntil + date::days(7), 9));
  while (diary.Find(FollowUp(), kUntil, before)) Take(diary, FollowUp(), kUntil, before);
  EXPECT_EQ(diary.overflow_places(), 0);
  EXPECT_TRUE(diary.OverflowTemplates().empty());
}

TEST_F(DemoDiaryTest, KeepsRingFencedSlotsForTheirPatientsUntilTheEmbargoLifts) {
  Diary diary = Make();
  const Date tuesday = kFrom + date::days(1);
  const Instant early = At(kFrom - date::days(3), 8);  // Before the embargo lifts at 09:00.
  const SlotNeed routine = Need(ServiceLine::kPhysiotherapy, SlotType::kNew);
  EXPECT_NE(Take(diary, routine, tuesday, early).template_id, "post-op");
  const SlotNeed post_op = Need(ServiceLine::kPhysiotherapy, SlotType::kNew, Priority::kPostOp);
  EXPECT_EQ(Take(diary, post_op, tuesday, early).template_id, "post-op");
}

TEST_F(DemoDiaryTest, RefusesALengthThatCannotMakeAnOverflowSlot) {
  params_.first_minutes = 2;
  auto diary = Diary::Make(sites_, clinics_, params_, clock_, kFrom, kUntil, kLast);
  EXPECT_EQ(diary.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(diary.status().field(), "first_minutes");
}

}  // namespace
}  // namespace tendon::demo::internal
