#include "notify/fields.h"

#include <gtest/gtest.h>

namespace tendon::notify {
namespace {

TEST(FieldsTest, TimesAndDatesInPlainEnglishLondonTime) {
  // 10:30 UTC in November is 10:30 GMT; 08:05 UTC in July is 09:05 BST.
  EXPECT_EQ(LongLondonTime(*ParseInstant("2026-11-24T10:30:00Z")),
            "Tuesday 24 November 2026 at 10:30am");
  EXPECT_EQ(LongLondonTime(*ParseInstant("2026-07-01T08:05:00Z")),
            "Wednesday 1 July 2026 at 9:05am");
  EXPECT_EQ(LongLondonTime(*ParseInstant("2026-11-24T12:00:00Z")),
            "Tuesday 24 November 2026 at 12pm");
  EXPECT_EQ(LongDate(*ParseDate("2026-12-25")), "Friday 25 December 2026");
}

TEST(FieldsTest, PayloadPatientSitesAndServiceGiveTheFields) {
  Notification n;
  n.payload = R"({"start":"2026-11-24T14:00:00Z","site_id":"east","modality":"face_to_face",)"
              R"("new_site_id":"west","missing":["the duration","consent"],"attempt":2,)"
              R"("detail":{"ignored":true}})";
  Patient p;
  p.given_name = "Ada";
  p.family_name = "Lovelace";
  std::vector<Site> sites(2);
  sites[0].id = "east";
  sites[0].name = "East Oxford";
  sites[0].address = "Cowley Road";
  sites[1].id = "west";
  sites[1].name = "Witney";
  auto fields = MessageFields(n, p, sites, {"MSK service", "01865 000000", "https://msk"});
  ASSERT_TRUE(fields.ok()) << fields.status().ToString();
  const Fields& f = *fields;
  EXPECT_EQ(f.at("given_name"), "Ada");
  EXPECT_EQ(f.at("service_name"), "MSK service");
  EXPECT_EQ(f.at("start_text"), "Tuesday 24 November 2026 at 2pm");
  EXPECT_EQ(f.at("site_name"), "East Oxford");
  EXPECT_EQ(f.at("site_address"), "Cowley Road");
  EXPECT_EQ(f.at("new_site_name"), "Witney");
  EXPECT_EQ(f.at("modality_text"), "face to face");
  EXPECT_EQ(f.at("missing"), "the duration; consent");
  EXPECT_EQ(f.at("attempt"), "2");
  EXPECT_EQ(f.count("detail"), 0u);
}

TEST(FieldsTest, AnUnknownSiteGivesNoNameSoTheMessageCannotBeWritten) {
  Notification n;
  n.payload = R"({"site_id":"gone"})";
  auto fields = MessageFields(n, Patient{}, {}, {});
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->count("site_name"), 0u);
  n.payload = "[]";
  EXPECT_EQ(MessageFields(n, Patient{}, {}, {}).status().field(), "payload");
}

}  // namespace
}  // namespace tendon::notify
