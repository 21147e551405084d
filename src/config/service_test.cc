#include "config/service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/source_dir_for_tests.h"
#include "date/date.h"

namespace tendon::config {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

TEST(LoadServiceTest, LoadsTheOxfordshireFolder) {
  StatusOr<ServiceConfig> config = LoadService(SourceDirForTests() / "data/services/oxfordshire");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->name, "Oxfordshire community MSK service");
  EXPECT_EQ(config->go_live, Date(date::year(2022) / 10 / 1));
  EXPECT_EQ(config->regions.size(), 5u);
  EXPECT_EQ(config->sites.size(), 10u);
  EXPECT_EQ(config->districts.size(), 29u);
  EXPECT_EQ(config->localities.size(), 6u);
  int rooms = 0;
  int diaries = 0;
  for (const Site& site : config->sites) {
    rooms += site.rooms;
    diaries += site.weekly_clinic_days;
  }
  EXPECT_EQ(rooms, 200);
  EXPECT_EQ(diaries, 161);
  const Site& marcham = config->sites[1];
  EXPECT_EQ(marcham.id, "marcham-road");
  EXPECT_EQ(marcham.address, "Marcham Road, Abingdon");
  EXPECT_EQ(marcham.region, "South");
}

TEST(LoadServiceTest, ClinicDaysByRegionMatchTheReference) {
  StatusOr<ServiceConfig> config = LoadService(SourceDirForTests() / "data/services/oxfordshire");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  std::map<std::string, int> days;
  for (const Site& site : config->sites) days[site.region] += site.weekly_clinic_days;
  const std::map<std::string, int> expected = {
      {"South", 36}, {"Central Oxford", 56}, {"Central West", 24}, {"West", 6}, {"North", 39}};
  EXPECT_EQ(days, expected);
}

TEST(LoadWorkingCalendarTest, LoadsTheBankHolidayFile) {
  StatusOr<WorkingCalendar> calendar =
      LoadWorkingCalendar(SourceDirForTests() / "data/bank-holidays-england-wales.csv");
  ASSERT_TRUE(calendar.ok()) << calendar.status().ToString();
  const Date funeral = date::year(2022) / 9 / 19;  // Proclaimed, not a rule-based day.
  EXPECT_TRUE(calendar->IsBankHoliday(funeral));
  EXPECT_TRUE(calendar->IsBankHoliday(date::year(2022) / 12 / 27));  // Substitute day.
  EXPECT_FALSE(calendar->IsWorkingDay(date::year(2030) / 12 / 25));
  EXPECT_TRUE(calendar->Covers(date::year(2030) / 1 / 1));
}

TEST(LoadWorkingCalendarTest, MissingFileIsNotFound) {
  StatusOr<WorkingCalendar> calendar = LoadWorkingCalendar("no/such/bank-holidays.csv");
  ASSERT_FALSE(calendar.ok());
  EXPECT_EQ(calendar.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(calendar.status().message(), HasSubstr("no/such/bank-holidays.csv"));
}

// A small valid service, written to a fresh temporary folder for each test; a test overwrites one
// file to break it.
// The [timing] table of a valid service.toml.
constexpr char kTiming[] =
    "[timing]\ntriage_working_days = { emergency = 0, urgent = 1, post_op = 2, routine = 5 }\n"
    "resubmit_working_days = 10\nbooking_working_days = 5\nclaim_timeout_minutes = 30\n";
// The [booking] table of a valid service.toml.
constexpr char kBooking[] =
    "[booking]\nfirst_dna = \"rebook\"\nhorizon_weeks = 8\noffer_working_days = 2\n";

class ServiceFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device random;
    dir_ = fs::temp_directory_path() /
           ("tendon_config_test_" + std::to_string(random()) + "_" + std::to_string(random()));
    ASSERT_TRUE(fs::create_directory(dir_));
    WriteBaseline();
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  void WriteBaseline() {
    Write("service.toml",
          std::string("name = \"Test service\"\ngo_live = 2022-10-01\n") + kTiming + kBooking);
    Write("regions.csv", "region,demand_share\nNorth,0.6\nSouth,0.4\n");
    Write("sites.csv",
          std::string(kSitesHeader) +
              "north-site,North Site,North,\"1 High Street, Banbury\",52.06,-1.34,3,2\n"
              "south-site,South Site,South,Didcot,51.6,-1.24,1,1\n");
    Write("districts.csv",
          "district,area,region,latitude,longitude\n"
          "OX16,Banbury,North,52.062,-1.340\n"
          "OX11,Didcot,South,51.608,-1.241\n");
    Write("localities.csv", "name\nNorth\nSouth\n");
  }

  void Write(const std::string& file, const std::string& text) {
    std::ofstream out(dir_ / file, std::ios::binary | std::ios::trunc);
    out << text;
    ASSERT_TRUE(out.good()) << "cannot write " << (dir_ / file);
  }

  static constexpr const char* kSitesHeader =
      "id,name,region,address,latitude,longitude,rooms,weekly_clinic_days\n";
  fs::path dir_;
};

TEST_F(ServiceFolderTest, TheBaselineLoads) {
  StatusOr<ServiceConfig> config = LoadService(dir_);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->sites[0].address, "1 High Street, Banbury");
  const Timing& t = config->timing;
  EXPECT_EQ(t.triage_working_days, (std::array<int, 4>{0, 1, 2, 5}));
  EXPECT_EQ(t.resubmit_working_days, 10);
  EXPECT_EQ(t.booking_working_days, 5);
  EXPECT_EQ(t.claim_timeout, std::chrono::minutes(30));
  EXPECT_EQ(t.first_dna, FirstDna::kRebook);
  EXPECT_EQ(t.horizon_weeks, 8);
  EXPECT_EQ(t.offer_working_days, 2);
}

TEST_F(ServiceFolderTest, AFirstDnaCanDischarge) {
  Write("service.toml",
        std::string("name = \"Test service\"\ngo_live = 2022-10-01\n") + kTiming +
            "[booking]\nfirst_dna = \"discharge\"\nhorizon_weeks = 8\noffer_working_days = 2\n");
  StatusOr<ServiceConfig> config = LoadService(dir_);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->timing.first_dna, FirstDna::kDischarge);
}

struct BadFileCase {
  std::string label;
  std::string file;  // The file to overwrite, and the one the error must name.
  std::string text;
  int line;            // The line the error must name; 0 for none.
  std::string reason;  // Expected after "path:line: ".
};

std::string SitesWith(const std::string& second_row) {
  return "id,name,region,address,latitude,longitude,rooms,weekly_clinic_days\n"
         "north-site,North Site,North,Banbury,52.06,-1.34,3,2\n" +
         second_row + "\n";
}

std::vector<BadFileCase> BadFileCases() {
  return {
      {"wrong header", "sites.csv",
       "id,name,region,address,lat,lon,rooms,weekly_clinic_days\nx,X,North,A,52,-1,1,1\n", 1,
       "header: expected 'id,name,region,address,latitude,longitude,rooms,weekly_clinic_days', "
       "found 'id,name,region,address,lat,lon,rooms,weekly_clinic_days'"},
      {"missing column", "sites.csv", SitesWith("south-site,South Site,South,Didcot,51.6,-1.24,1"),
       3, "weekly_clinic_days: missing; the row has 7 fields, the header 8"},
      {"non-numeric rooms", "sites.csv",
       SitesWith("south-site,South Site,South,Didcot,51.6,-1.24,ten,1"), 3,
       "rooms: 'ten' is not a whole number"},
      {"rooms with trailing junk", "sites.csv",
       SitesWith("south-site,South Site,South,Didcot,51.6,-1.24,10x,1"), 3,
       "rooms: '10x' is not a whole number"},
      {"no rooms", "sites.csv", SitesWith("south-site,South Site,South,Didcot,51.6,-1.24,0,0"), 3,
       "rooms: must be at least 1, found 0"},
      {"more clinic days than rooms", "sites.csv",
       SitesWith("south-site,South Site,South,Didcot,51.6,-1.24,2,3"), 3,
       "weekly_clinic_days: must be between 0 and the site's rooms (2), found 3"},
      {"latitude out of range", "sites.csv",
       SitesWith("south-site,South Site,South,Didcot,151.6,-1.24,1,1"), 3,
       "latitude: 151.6 is outside the United Kingdom (49 to 61)"},
      {"longitude sign dropped", "sites.csv",
       SitesWith("south-site,South Site,South,Didcot,51.6,12.4,1,1"), 3,
       "longitude: 12.4 is outside the United Kingdom (-9 to 2)"},
      {"duplicate site id", "sites.csv",
       SitesWith("north-site,South Site,South,Didcot,51.6,-1.24,1,1"), 3,
       "id: 'north-site' is already used on line 2"},
      {"site id not kebab", "sites.csv",
       SitesWith("South_Site,South Site,South,Didcot,51.6,-1.24,1,1"), 3,
       "id: 'South_Site' must be lower-case kebab, such as 'marcham-road'"},
      {"unknown site region", "sites.csv",
       SitesWith("south-site,South Site,Souht,Didcot,51.6,-1.24,1,1"), 3,
       "region: 'Souht' is not a region in regions.csv (North, South)"},
      {"unterminated quote", "sites.csv",
       SitesWith("south-site,South Site,South,\"Didcot,51.6,-1.24,1,1"), 3,
       "address: unterminated quoted field"},
      {"unknown district region", "districts.csv",
       "district,area,region,latitude,longitude\nOX16,Banbury,Nowhere,52.062,-1.340\n", 2,
       "region: 'Nowhere' is not a region in regions.csv (North, South)"},
      {"bad outward code", "districts.csv",
       "district,area,region,latitude,longitude\nOX 16,Banbury,North,52.062,-1.340\n", 2,
       "district: 'OX 16' is not a postcode outward code, such as 'OX3'"},
      {"duplicate district", "districts.csv",
       "district,area,region,latitude,longitude\nOX16,Banbury,North,52.06,-1.34\n"
       "OX16,Banbury,North,52.06,-1.34\n",
       3, "district: 'OX16' is already used on line 2"},
      {"shares not summing to 1", "regions.csv", "region,demand_share\nNorth,0.5\nSouth,0.4\n", 3,
       "demand_share: the demand shares sum to 0.9; they must sum to 1 (within 0.001)"},
      {"share out of range", "regions.csv", "region,demand_share\nNorth,1.5\nSouth,-0.5\n", 2,
       "demand_share: must be between 0 and 1"},
      {"duplicate region", "regions.csv", "region,demand_share\nNorth,0.5\nNorth,0.5\n", 3,
       "region: 'North' is already used on line 2"},
      {"no regions", "regions.csv", "region,demand_share\n", 0,
       "has no rows; at least one region is needed"},
      {"duplicate locality", "localities.csv", "name\nNorth\nSouth\nNorth\n", 4,
       "name: 'North' is already used on line 2"},
      {"malformed TOML", "service.toml", "name = \"Test service\ngo_live = 2022-10-01\n", 1,
       "not valid TOML: "},
      {"unknown TOML key", "service.toml",
       "golive = 2022-10-01\nname = \"Test service\"\ngo_live = 2022-10-01\n" +
           std::string(kTiming) + kBooking,
       1, "golive: unknown key; expected one of name, go_live, timing, booking"},
      {"first DNA rule unknown", "service.toml",
       "name = \"Test service\"\ngo_live = 2022-10-01\n" + std::string(kTiming) +
           "[booking]\nfirst_dna = \"ignore\"\n",
       9, "booking.first_dna: must be \"rebook\" or \"discharge\""},
      {"horizon beyond two years", "service.toml",
       "name = \"Test service\"\ngo_live = 2022-10-01\n" + std::string(kTiming) +
           "[booking]\nfirst_dna = \"rebook\"\nhorizon_weeks = 105\n",
       10, "booking.horizon_weeks: must be a whole number from 1 to 104"},
      {"an offer never held", "service.toml",
       "name = \"Test service\"\ngo_live = 2022-10-01\n" + std::string(kTiming) +
           "[booking]\nfirst_dna = \"rebook\"\nhorizon_weeks = 8\noffer_working_days = 0\n",
       11, "booking.offer_working_days: must be a whole number from 1 to 60"},
      {"first DNA rule missing", "service.toml",
       "name = \"Test service\"\ngo_live = 2022-10-01\n" + std::string(kTiming), 0,
       "booking: missing; the file must set it"},
      {"timing out of range", "service.toml",
       "name = \"Test service\"\ngo_live = 2022-10-01\n[timing]\n"
       "triage_working_days = { emergency = 0, urgent = 1, post_op = 2, routine = 61 }\n"
       "resubmit_working_days = 10\nbooking_working_days = 5\nclaim_timeout_minutes = 30\n",
       4, "timing.triage_working_days.routine: must be a whole number from 0 to 60"},
      {"timing priority missing", "service.toml",
       "name = \"Test service\"\ngo_live = 2022-10-01\n[timing]\n"
       "triage_working_days = { emergency = 0, urgent = 1, routine = 5 }\n"
       "resubmit_working_days = 10\nbooking_working_days = 5\nclaim_timeout_minutes = 30\n",
       0, "timing.triage_working_days.post_op: missing; the file must set it"},
      {"quoted go-live date", "service.toml", "name = \"Test service\"\ngo_live = \"2022-10-01\"\n",
       2, "go_live: must be a date without quotes, such as 2022-10-01"},
      {"name not a string", "service.toml", "name = 7\ngo_live = 2022-10-01\n", 1,
       "name: must be a non-empty string in double quotes"},
      {"missing TOML key", "service.toml", "name = \"Test service\"\n", 0,
       "go_live: missing; the file must set it"},
  };
}

TEST_F(ServiceFolderTest, RefusesBadFilesNamingFileLineAndReason) {
  for (const BadFileCase& c : BadFileCases()) {
    SCOPED_TRACE(c.label);
    WriteBaseline();  // A fresh copy of every file, then break one.
    Write(c.file, c.text);
    StatusOr<ServiceConfig> config = LoadService(dir_);
    if (config.ok()) {
      ADD_FAILURE() << "the broken folder loaded";
      continue;
    }
    EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
    const std::string where =
        (dir_ / c.file).string() + (c.line > 0 ? ":" + std::to_string(c.line) : "") + ": ";
    EXPECT_THAT(config.status().message(), HasSubstr(where + c.reason));
  }
}

// A [notifications] section with both providers; tests append to it or replace a line.
constexpr char kNotifications[] =
    "[notifications]\ncontact_phone = \"01865 000000\"\nportal_url = \"https://msk.example\"\n"
    "batch_size = 5\nlease_seconds = 301\n"
    "[notifications.smtp]\nhost = \"127.0.0.1\"\nport = 2525\nfrom = \"no-reply@msk.example\"\n"
    "helo = \"msk.example\"\ntimeout_seconds = 30\nstarttls = true\n"
    "[notifications.notify]\nbase_url = \"https://127.0.0.1:8025\"\n"
    "ca_file = \"/etc/tendon/notify-authorities.pem\"\napi_key_env = \"TENDON_NOTIFY_API_KEY\"\n"
    "sms_template_id = \"11111111-2222-3333-4444-555555555555\"\n"
    "email_template_id = \"66666666-7777-8888-9999-000000000000\"\n";

TEST_F(ServiceFolderTest, NotificationsAreOptionalAndReadWhenGiven) {
  StatusOr<ServiceConfig> none = LoadService(dir_);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_FALSE(none->notifications.has_value());
  Write("service.toml", std::string("name = \"Test service\"\ngo_live = 2022-10-01\n") + kTiming +
                            kBooking + kNotifications);
  StatusOr<ServiceConfig> config = LoadService(dir_);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  ASSERT_TRUE(config->notifications.has_value());
  const NotificationConfig& n = *config->notifications;
  EXPECT_EQ(n.contact_phone, "01865 000000");
  EXPECT_EQ(n.batch_size, 5);
  EXPECT_EQ(n.max_attempts, 8);
  EXPECT_FALSE(n.email_via_notify);
  ASSERT_TRUE(n.smtp.has_value());
  EXPECT_EQ(n.smtp->port, 2525);
  EXPECT_TRUE(n.smtp->starttls);
  EXPECT_EQ(n.smtp->ca_file, "");
  ASSERT_TRUE(n.notify.has_value());
  EXPECT_EQ(n.notify->api_key_env, "TENDON_NOTIFY_API_KEY");
  EXPECT_EQ(n.notify->ca_file, "/etc/tendon/notify-authorities.pem");
  EXPECT_EQ(n.notify->timeout_seconds, 30);
}

TEST_F(ServiceFolderTest, BadNotificationSettingsAreRefusedNamingTheKey) {
  const std::string head =
      std::string("name = \"Test service\"\ngo_live = 2022-10-01\n") + kTiming + kBooking;
  auto replaced = [](std::string text, const std::string& from, const std::string& to) {
    return text.replace(text.find(from), from.size(), to);
  };
  struct Case {
    std::string text;
    std::string reason;
  };
  for (const Case& c : std::vector<Case>{
           // 5 messages x 2 requests x 30 s = 300 s: a lease of 300 could lapse mid-batch.
           {replaced(kNotifications, "lease_seconds = 301", "lease_seconds = 300"),
            "notifications.lease_seconds: must be more than batch_size x 2 x the longest "
            "timeout_seconds (300)"},
           {replaced(kNotifications, "api_key_env", "api_key"), "notifications.notify.api_key"},
           {replaced(kNotifications, "api_key_env = \"TENDON_NOTIFY_API_KEY\"\n", ""),
            "give exactly one of api_key_env and api_key_file"},
           {replaced(kNotifications, "batch_size = 5", "email_via = \"pigeon\""),
            "notifications.email_via: must be \"smtp\" or \"notify\""},
           {replaced(kNotifications, "port = 2525", "port = 0"), "notifications.smtp.port"},
       }) {
    SCOPED_TRACE(c.reason);
    Write("service.toml", head + c.text);
    StatusOr<ServiceConfig> config = LoadService(dir_);
    EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(config.status().message(), HasSubstr(c.reason));
  }
}

TEST_F(ServiceFolderTest, MissingFileIsNotFound) {
  fs::remove(dir_ / "districts.csv");
  StatusOr<ServiceConfig> config = LoadService(dir_);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(config.status().message(), HasSubstr((dir_ / "districts.csv").string()));
}

TEST_F(ServiceFolderTest, ReadTextFileReadsBytesAndRefusesDirectories) {
  Write("bytes.txt", std::string("a\0b\r\n", 5));
  StatusOr<std::string> text = ReadTextFile(dir_ / "bytes.txt");
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text, std::string("a\0b\r\n", 5));
  StatusOr<std::string> directory = ReadTextFile(dir_);
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace tendon::config
