#include "config/clinics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <tuple>

#include "core/source_dir_for_tests.h"

namespace tendon::config {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

fs::path OxfordshireDir() { return SourceDirForTests() / "data/services/oxfordshire"; }

TEST(LoadClinicsTest, LoadsTheOxfordshireRota) {
  StatusOr<ServiceConfig> service = LoadService(OxfordshireDir());
  ASSERT_TRUE(service.ok()) << service.status().ToString();
  StatusOr<ClinicsConfig> clinics = LoadClinics(OxfordshireDir(), *service);
  ASSERT_TRUE(clinics.ok()) << clinics.status().ToString();
  EXPECT_EQ(clinics->rooms.size(), 200u);
  EXPECT_EQ(clinics->rooms.front().id, "wantage-room-1");
  EXPECT_FALSE(clinics->clinicians.empty());
  bool group = false;
  bool post_op = false;
  bool physioline = false;
  for (const ClinicTemplate& t : clinics->templates) {
    EXPECT_EQ(t.valid_from, service->go_live);
    group = group || (t.slot_type == SlotType::kGroup && t.capacity > 1);
    post_op = post_op || (t.ringfence == Ringfence::kPostOp && t.embargo_working_days > 0);
    physioline = physioline || (t.slot_type == SlotType::kPhysioline &&
                                t.modality == Modality::kTelephone && t.room_id.empty());
  }
  EXPECT_TRUE(group);
  EXPECT_TRUE(post_op);
  EXPECT_TRUE(physioline);
}

// Table 4 of the service facts, through sites.csv: each site's templates use exactly its weekly
// clinic days (one room on one weekday is one clinic day).
TEST(LoadClinicsTest, OxfordshireClinicDaysMatchSites) {
  StatusOr<ServiceConfig> service = LoadService(OxfordshireDir());
  ASSERT_TRUE(service.ok()) << service.status().ToString();
  StatusOr<ClinicsConfig> clinics = LoadClinics(OxfordshireDir(), *service);
  ASSERT_TRUE(clinics.ok()) << clinics.status().ToString();
  const std::map<std::string, int> days = WeeklyClinicDays(clinics->templates);
  int total = 0;
  for (const Site& site : service->sites) {
    const auto it = days.find(site.id);
    EXPECT_EQ(it == days.end() ? 0 : it->second, site.weekly_clinic_days) << site.id;
    total += it == days.end() ? 0 : it->second;
  }
  EXPECT_EQ(total, 161);
}

TEST(WeeklyClinicDaysTest, CountsRoomDaysNotSessions) {
  ClinicTemplate am;
  am.id = "a";
  am.clinician_id = "c1";
  am.site_id = "s";
  am.room_id = "s-room-1";
  am.weekdays = {1, 2};
  ClinicTemplate pm = am;
  pm.id = "b";
  pm.clinician_id = "c2";
  pm.weekdays = {2, 3};
  ClinicTemplate phone = am;
  phone.id = "c";
  phone.room_id = "";
  phone.weekdays = {4, 5};
  EXPECT_EQ(WeeklyClinicDays({am, pm, phone}), (std::map<std::string, int>{{"s", 3}}));
}

class BadClinicsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tendon_clinics_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    service_.go_live = Date(date::year(2022) / 10 / 1);
    for (auto [id, name, rooms] : {std::tuple("north", "North", 2), {"south", "South", 1}}) {
      Site site;
      site.id = id;
      site.name = name;
      site.rooms = rooms;
      service_.sites.push_back(site);
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  Status Load(const std::string& clinicians, const std::string& clinics) {
    std::ofstream(dir_ / kCliniciansFile) << kClinicianHeader << clinicians;
    std::ofstream(dir_ / kClinicsFile) << kClinicsHeader << clinics;
    return LoadClinics(dir_, service_).status();
  }

  static constexpr char kClinicianHeader[] = "id,name,profession,skills,base_site,fte\n";
  static constexpr char kClinicsHeader[] =
      "id,clinician,site,room,weekdays,start,end,slot_type,slot_minutes,capacity,modality,"
      "ringfence,embargo_working_days\n";
  static constexpr char kGoodClinician[] =
      "clin-1,Ann Lee,physiotherapist,physiotherapy;injection,north,1.0\n";
  static constexpr char kGoodClinic[] =
      "t1,clin-1,north,north-room-1,mon;wed,08:30,12:30,new,45,1,face_to_face,none,0\n";

  fs::path dir_;
  ServiceConfig service_;
};

TEST_F(BadClinicsTest, GoodFilesLoad) {
  EXPECT_TRUE(Load(kGoodClinician, kGoodClinic).ok());
  auto clinics = LoadClinics(dir_, service_);
  ASSERT_TRUE(clinics.ok());
  ASSERT_EQ(clinics->templates.size(), 1u);
  const ClinicTemplate& t = clinics->templates[0];
  EXPECT_EQ(t.weekdays, (std::vector<int>{1, 3}));
  EXPECT_EQ(t.start_minute, 510);
  EXPECT_EQ(t.end_minute, 750);
  EXPECT_EQ(clinics->clinicians[0].skills,
            (std::vector<std::string>{"physiotherapy", "injection"}));
  EXPECT_EQ(clinics->rooms.size(), 3u);
}

TEST_F(BadClinicsTest, MissingFileIsNotFound) {
  std::ofstream(dir_ / kCliniciansFile) << kClinicianHeader << kGoodClinician;
  EXPECT_EQ(LoadClinics(dir_, service_).status().code(), StatusCode::kNotFound);
}

struct BadCase {
  const char* name;
  std::string file;  // Which file is spoilt.
  std::string row;   // Replaces the good row (a clinician or clinic), or is added after it.
  bool append;
  int line;
  std::string error;
};

TEST_F(BadClinicsTest, RefusesBadRowsNamingFileLineAndColumn) {
  const std::string c = kGoodClinician;
  const std::string t = kGoodClinic;
  const BadCase cases[] = {
      {"id not kebab", "clinicians.csv", "Clin_1,A B,physiotherapist,physiotherapy,north,1\n",
       false, 2, "id: 'Clin_1' must be lower-case kebab"},
      {"duplicate clinician", "clinicians.csv", c, true, 3,
       "id: 'clin-1' is already used on line 2"},
      {"unknown profession", "clinicians.csv", "clin-2,A B,surgeon,physiotherapy,north,1\n", true,
       3, "profession: 'surgeon' is not a known profession"},
      {"unknown skill", "clinicians.csv", "clin-2,A B,podiatrist,juggling,north,1\n", true, 3,
       "skills: 'juggling' is neither a service line"},
      {"unknown base", "clinicians.csv", "clin-2,A B,podiatrist,podiatry,east,1\n", true, 3,
       "base_site: 'east' is not a site"},
      {"fte too high", "clinicians.csv", "clin-2,A B,podiatrist,podiatry,north,1.5\n", true, 3,
       "fte: must be above 0 and at most 1"},
      {"unknown clinician", "clinics.csv",
       "t2,clin-9,north,north-room-2,mon,08:30,12:30,new,45,1,face_to_face,none,0\n", true, 3,
       "clinician: 'clin-9' is not a known clinician"},
      {"room of another site", "clinics.csv",
       "t2,clin-1,south,north-room-2,tue,08:30,12:30,new,45,1,face_to_face,none,0\n", true, 3,
       "room: 'north-room-2' is not a room of south"},
      {"room beyond the site's rooms", "clinics.csv",
       "t2,clin-1,north,north-room-3,tue,08:30,12:30,new,45,1,face_to_face,none,0\n", true, 3,
       "room: 'north-room-3' is not a room of north"},
      {"weekend", "clinics.csv",
       "t2,clin-1,north,north-room-2,sat,08:30,12:30,new,45,1,face_to_face,none,0\n", true, 3,
       "weekdays: 'sat' is not one of mon, tue, wed, thu, fri"},
      {"bad time", "clinics.csv",
       "t2,clin-1,north,north-room-2,tue,8:30,12:30,new,45,1,face_to_face,none,0\n", true, 3,
       "start: '8:30' is not a time of day written HH:MM"},
      {"end before start", "clinics.csv",
       "t2,clin-1,north,north-room-2,tue,12:30,08:30,new,45,1,face_to_face,none,0\n", true, 3,
       "end: must be after the start"},
      {"slot longer than session", "clinics.csv",
       "t2,clin-1,north,north-room-2,tue,08:30,09:00,new,45,1,face_to_face,none,0\n", true, 3,
       "slot_minutes: is longer than the session"},
      {"unknown slot type", "clinics.csv",
       "t2,clin-1,north,north-room-2,tue,08:30,12:30,review,45,1,face_to_face,none,0\n", true, 3,
       "slot_type: "},
      {"capacity outside a group", "clinics.csv",
       "t2,clin-1,north,north-room-2,tue,08:30,12:30,new,45,4,face_to_face,none,0\n", true, 3,
       "capacity: only a group class holds more than one patient"},
      {"embargo without ring-fence", "clinics.csv",
       "t2,clin-1,north,north-room-2,tue,08:30,12:30,new,45,1,face_to_face,none,5\n", true, 3,
       "embargo_working_days: an embargo needs a ring-fence"},
      {"injection clinic without the skill", "clinics.csv",
       "t2,clin-2,south,south-room-1,tue,08:30,12:30,injection,20,1,face_to_face,none,0\n", true, 3,
       "clinician: B C does not have the injection skill an injection clinic needs"},
      {"face-to-face clinic without a room", "clinics.csv",
       "t2,clin-1,north,,tue,08:30,12:30,new,45,1,face_to_face,none,0\n", true, 3,
       "room: a face-to-face clinic needs a room"},
      {"clinician double-booked", "clinics.csv",
       "t2,clin-1,north,north-room-2,wed,12:00,13:00,new,30,1,face_to_face,none,0\n", true, 3,
       "clinician: overlaps the clinician's session on line 2 on wed"},
      {"room double-booked", "clinics.csv",
       "t2,clin-2,north,north-room-1,mon,09:00,10:00,new,30,1,face_to_face,none,0\n", true, 3,
       "room: overlaps the room's session on line 2 on mon"},
  };
  for (const BadCase& bad : cases) {
    const std::string spoilt =
        bad.append ? (bad.file == "clinicians.csv" ? c : t) + bad.row : bad.row;
    const std::string clinicians =
        bad.file == "clinicians.csv" ? spoilt : c + "clin-2,B C,podiatrist,podiatry,south,0.5\n";
    const std::string clinics = bad.file == "clinics.csv" ? spoilt : t;
    const Status s = Load(clinicians, clinics);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad.name;
    const std::string where = (dir_ / bad.file).string() + ":" + std::to_string(bad.line) + ": ";
    EXPECT_THAT(s.message(), HasSubstr(where + bad.error)) << bad.name;
  }
}

}  // namespace
}  // namespace tendon::config
