#include "workflow/slot_search.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "workflow/testing.h"

namespace tendon::workflow {
namespace {

using nlohmann::json;

std::vector<std::string> Fields(const std::vector<FieldError>& errors) {
  std::vector<std::string> fields;
  for (const FieldError& e : errors) fields.push_back(e.field);
  return fields;
}

TEST(ParseSlotSearchTest, ReadsAReferralsSearchWithEveryPreference) {
  const auto parsed = ParseSlotSearch(json::parse(R"({
    "referral_id": "R1", "order": "nearest", "limit": 3,
    "preferences": {"sites": ["wantage"], "weekdays": [1, 5], "earliest_time": "09:30",
                    "latest_time": "24:00", "modalities": ["video"], "max_km": 12.5}})"));
  ASSERT_TRUE(parsed.value) << parsed.errors.front().field;
  const SlotSearchRequest& r = *parsed.value;
  EXPECT_EQ(r.referral_id, "R1");
  EXPECT_FALSE(r.need);
  EXPECT_EQ(r.order, SearchOrder::kNearest);
  EXPECT_EQ(r.limit, 3u);
  EXPECT_EQ(r.preferences.sites, std::vector<std::string>{"wantage"});
  EXPECT_EQ(r.preferences.weekdays, (std::vector<int>{1, 5}));
  EXPECT_EQ(r.preferences.earliest_minute, 570);
  EXPECT_EQ(r.preferences.latest_minute, 1440);
  EXPECT_EQ(r.preferences.modalities, std::vector<Modality>{Modality::kVideo});
  EXPECT_EQ(r.preferences.max_km, 12.5);
}

TEST(ParseSlotSearchTest, ReadsAnExplicitNeedWithItsDefaults) {
  const auto parsed = ParseSlotSearch(
      json::parse(R"({"need": {"type": "physioline"}, "postcode_district": " ox3 "})"));
  ASSERT_TRUE(parsed.value) << parsed.errors.front().field;
  ASSERT_TRUE(parsed.value->need);
  EXPECT_EQ(parsed.value->need->type, SlotType::kPhysioline);
  EXPECT_FALSE(parsed.value->need->modality);
  EXPECT_EQ(parsed.value->need->priority, Priority::kRoutine);
  EXPECT_EQ(parsed.value->postcode_district, "OX3");
  EXPECT_EQ(parsed.value->order, SearchOrder::kEarliest);
  EXPECT_EQ(parsed.value->limit, kDefaultSearchLimit);
}

TEST(ParseSlotSearchTest, NamesEveryMalformedFieldAndNothingElse) {
  const auto parsed = ParseSlotSearch(json::parse(R"({
    "need": {"type": "massage", "modality": "fax", "priority": "soon", "colour": "red"},
    "postcode_district": "12345", "order": "random", "limit": 500, "radius": 3,
    "preferences": {"sites": "wantage", "weekdays": [0], "earliest_time": "9am",
                    "latest_time": "25:00", "modalities": ["post"], "max_km": -1}})"));
  EXPECT_FALSE(parsed.value);
  EXPECT_EQ(Fields(parsed.errors),
            (std::vector<std::string>{"need.type", "need.modality", "need.priority", "need.colour",
                                      "postcode_district", "preferences.sites",
                                      "preferences.weekdays", "preferences.modalities",
                                      "preferences.earliest_time", "preferences.latest_time",
                                      "preferences.max_km", "order", "limit", "radius"}));
}

TEST(ParseSlotSearchTest, AskForAReferralOrANeedButNotBoth) {
  EXPECT_EQ(Fields(ParseSlotSearch(json::object()).errors),
            std::vector<std::string>{"referral_id"});
  EXPECT_EQ(
      Fields(ParseSlotSearch(json::parse(R"({"referral_id":"R1","need":{"type":"new"}})")).errors),
      std::vector<std::string>{"need"});
  EXPECT_EQ(
      Fields(
          ParseSlotSearch(json::parse(R"({"referral_id":"R1","postcode_district":"OX3"})")).errors),
      std::vector<std::string>{"postcode_district"});
  EXPECT_EQ(Fields(ParseSlotSearch(json::parse(
                                       R"({"referral_id":"R1","preferences":{"earliest_time":
                                       "12:00","latest_time":"09:00"}})"))
                       .errors),
            std::vector<std::string>{"preferences.latest_time"});
}

TEST(ParseSlotSearchTest, ClockTimesAreHoursAndMinutes) {
  EXPECT_EQ(ParseClockTime("00:00", "t").value(), 0);
  EXPECT_EQ(ParseClockTime("17:45", "t").value(), 1065);
  EXPECT_EQ(ParseClockTime("24:00", "t").value(), 1440);
  for (const char* bad : {"", "9:30", "09:60", "24:01", "25:00", "0930", "09:3O"}) {
    auto parsed = ParseClockTime(bad, "t");
    EXPECT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().field(), "t") << bad;
  }
  EXPECT_EQ(FormatClockTime(570), "09:30");
  EXPECT_EQ(FormatClockTime(1440), "24:00");
}

TEST(ParseSlotSearchTest, APatientIsAtTheCentreOfTheirPostcodeDistrict) {
  const std::vector<config::PostcodeDistrict> districts = {{"OX3", "Headington", "C", 51.76, -1.2}};
  const scheduling::Origin known = OriginOf("ox3 9du", districts);
  EXPECT_TRUE(known.known);
  EXPECT_EQ(known.lat, 51.76);
  EXPECT_FALSE(OriginOf("SW1A 1AA", districts).known);
  EXPECT_FALSE(OriginOf("", districts).known);
  EXPECT_TRUE(OriginOfDistrict("OX3", districts).known);
}

// Two sites 35 km apart; a physiotherapist at each and a spinal specialist at the near one.
class SlotSearchTest : public testing::WorkflowTest {
 protected:
  void SetUp() override {
    WorkflowTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(store()
                    .Write([](store::WriteTxn& txn) -> Status {
                      RETURN_IF_ERROR(
                          AddClinic(txn, "near", 51.75, -1.25, "physio-near", {"physiotherapy"}));
                      RETURN_IF_ERROR(
                          AddClinic(txn, "far", 52.06, -1.34, "physio-far", {"physiotherapy"}));
                      return AddClinic(txn, "near", 51.75, -1.25, "esp-near", {"spinal"});
                    })
                    .ok());
  }

  static Status AddClinic(store::WriteTxn& txn, const std::string& site, double lat, double lon,
                          const std::string& clinician, std::vector<std::string> skills) {
    Site s = store::testing::MakeSite(site);
    s.latitude = lat;
    s.longitude = lon;
    RETURN_IF_ERROR(txn.PutSite(s));
    RETURN_IF_ERROR(txn.PutRoom(store::testing::MakeRoom(site + "-room", site)));
    Clinician c = store::testing::MakeClinician(clinician, site);
    c.skills = std::move(skills);
    RETURN_IF_ERROR(txn.PutClinician(c));
    ClinicTemplate t = store::testing::MakeTemplate("tpl-" + clinician);
    t.clinician_id = clinician;
    t.site_id = site;
    t.room_id = site + "-room";
    return txn.PutClinicTemplate(t);
  }

  // A free new-patient slot of `clinician`'s, `days` after kNow at 09:00 or 14:00 UTC.
  void AddSlot(const std::string& id, const std::string& clinician, const std::string& site,
               int days, bool afternoon = false, Modality modality = Modality::kFaceToFace) {
    Slot slot = store::testing::MakeSlot(id, 0);
    slot.template_id = "tpl-" + clinician;
    slot.clinician_id = clinician;
    slot.site_id = site;
    slot.room_id = site + "-room";
    slot.start = date::floor<date::days>(testing::kNow) + date::days(days) +
                 std::chrono::hours(afternoon ? 14 : 9);
    slot.end = slot.start + std::chrono::minutes(30);
    slot.modality = modality;
    ASSERT_TRUE(
        store().Write([&](store::WriteTxn& txn) { return txn.PutSlots({slot}).status(); }).ok());
  }

  std::vector<std::string> Found(const scheduling::Preferences& prefs, SearchOrder order,
                                 const std::string& skill = "physiotherapy") {
    const scheduling::Need need{SlotType::kNew, Modality::kFaceToFace, Priority::kRoutine, skill};
    const scheduling::Origin at_near{51.75, -1.25, true};
    auto found = SearchFreeSlots(env(), need, prefs, at_near, order, 10, testing::kNow);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    std::vector<std::string> ids;
    if (found.ok()) {
      for (const scheduling::Candidate& c : *found) ids.push_back(c.slot.id);
    }
    return ids;
  }
};

TEST_F(SlotSearchTest, EarliestAndNearestFirstWithinThePatientsPreferences) {
  AddSlot("far-wed", "physio-far", "far", 1);
  AddSlot("near-thu", "physio-near", "near", 2);
  AddSlot("near-thu-pm", "physio-near", "near", 2, true);
  AddSlot("near-fri-phone", "physio-near", "near", 3, false, Modality::kTelephone);
  AddSlot("esp-wed", "esp-near", "near", 1);
  EXPECT_EQ(Found({}, SearchOrder::kEarliest),
            (std::vector<std::string>{"far-wed", "near-thu", "near-thu-pm"}));
  EXPECT_EQ(Found({}, SearchOrder::kNearest),
            (std::vector<std::string>{"near-thu", "near-thu-pm", "far-wed"}));
  scheduling::Preferences within_10km;
  within_10km.max_km = 10;
  EXPECT_EQ(Found(within_10km, SearchOrder::kEarliest),
            (std::vector<std::string>{"near-thu", "near-thu-pm"}));
  scheduling::Preferences mornings_at_far;
  mornings_at_far.latest_minute = 12 * 60;
  mornings_at_far.sites = {"far"};
  EXPECT_EQ(Found(mornings_at_far, SearchOrder::kNearest), std::vector<std::string>{"far-wed"});
  scheduling::Preferences fridays;
  fridays.weekdays = {5};
  EXPECT_EQ(Found(fridays, SearchOrder::kEarliest), std::vector<std::string>{});
  EXPECT_EQ(Found({}, SearchOrder::kEarliest, "spinal"), std::vector<std::string>{"esp-wed"});
}

TEST_F(SlotSearchTest, AReferralNeedsWhatItWasAcceptedFor) {
  const Referral r = WaitingToBook(Priority::kUrgent);
  auto need = ReferralNeed(env(), r.id);
  ASSERT_TRUE(need.ok()) << need.status().ToString();
  EXPECT_EQ(need->type, SlotType::kNew);
  EXPECT_EQ(need->modality, Modality::kFaceToFace);
  EXPECT_EQ(need->skill, "physiotherapy");
  EXPECT_EQ(need->priority, Priority::kUrgent);
  EXPECT_EQ(ReferralNeed(env(), "no-such").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(ReferralNeed(env(), AwaitingTriage().id).status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(SlotSearchTest, NextAvailableCountsTheStoresFreeSlots) {
  AddSlot("far-wed", "physio-far", "far", 1);
  AddSlot("esp-fri", "esp-near", "near", 3);
  auto figures = NextAvailable(env(), testing::kNow);
  ASSERT_TRUE(figures.ok()) << figures.status().ToString();
  ASSERT_EQ(figures->size(), 6u);
  EXPECT_EQ((*figures)[0].tier, Tier::kTier1);
  EXPECT_EQ((*figures)[0].modality, Modality::kFaceToFace);
  EXPECT_EQ((*figures)[0].working_days, 1);  // Tuesday to Wednesday.
  EXPECT_EQ((*figures)[3].tier, Tier::kTier2);
  EXPECT_EQ((*figures)[3].working_days, 3);  // Tuesday to Friday.
  EXPECT_EQ((*figures)[4].working_days, std::nullopt);
}

}  // namespace
}  // namespace tendon::workflow
