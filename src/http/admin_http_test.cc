// The administrator's pages and API (admin.cc), in process on a real SQLite file with the real
// templates: records added and changed through plain form posts and JSON, every bad field named,
// slots generated on saving a template, and booked slots listed, never dropped, when it changes.
#include <gtest/gtest.h>

#include <string>

#include "http/testing.h"
#include "workflow/admin.h"
#include "workflow/booking.h"

namespace tendon::http {
namespace {

using nlohmann::json;
using workflow::testing::kNow;

constexpr char kAda[] = "ada";  // Administrator.

class AdminHttpTest : public testing::AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    if (HasFatalFailure()) return;
    AddUser(kAda, Role::kAdministrator, "RNU", "Ada Admin");
    token_ = SignedIn(kAda);
  }

  Response Post(const std::string& path, const std::map<std::string, std::string>& form) {
    return Send(Method::kPost, path, token_, FormEncode(form));
  }
  Response Get(const std::string& path) { return Send(Method::kGet, path, token_); }
  // A record's page, the record chosen by ?id= as the server would parse it.
  Response Edit(const std::string& path, const std::string& id) {
    Request request = MakeRequest(Method::kGet, path, token_);
    request.target = path + "?id=" + id;
    request.query["id"] = id;
    return Handle(std::move(request));
  }
  Response Api(const std::string& path, const json& body) {
    return Send(Method::kPost, "/api/v1/admin/" + path, token_, body.dump());
  }

  // A site "north" with room "north-room-1" and physiotherapist "clin-1", through the API.
  void AddClinic() {
    ASSERT_EQ(Api("sites", {{"id", "north"},
                            {"name", "North clinic"},
                            {"region", "North"},
                            {"address", "Banbury"},
                            {"latitude", 52.06},
                            {"longitude", -1.34},
                            {"rooms", 2},
                            {"weekly_clinic_days", 2}})
                  .status,
              201);
    ASSERT_EQ(
        Api("rooms", {{"id", "north-room-1"}, {"site_id", "north"}, {"name", "Room 1"}}).status,
        201);
    ASSERT_EQ(Api("clinicians", {{"id", "clin-1"},
                                 {"name", "Ann Lee"},
                                 {"profession", "physiotherapist"},
                                 {"skills", {"physiotherapy"}},
                                 {"base_site_id", "north"},
                                 {"fte", 1}})
                  .status,
              201);
  }

  // Mondays and Wednesdays 09:00-10:00, two 30-minute slots, as the template form posts it.
  static std::map<std::string, std::string> TemplateForm() {
    return {{"mode", "add"},
            {"id", "tpl-1"},
            {"clinician_id", "clin-1"},
            {"site_id", "north"},
            {"room_id", "north-room-1"},
            {"weekdays-mon", "yes"},
            {"weekdays-wed", "yes"},
            {"start", "09:00"},
            {"end", "10:00"},
            {"slot_type", "new"},
            {"slot_minutes", "30"},
            {"capacity", "1"},
            {"modality", "face_to_face"},
            {"ringfence", "none"},
            {"embargo_working_days", "0"},
            {"valid_from", "2026-11-24"},
            {"valid_until", ""}};
  }

  static bool Has(const Response& r, const std::string& text) {
    return r.body.find(text) != std::string::npos;
  }

  std::string token_;
};

TEST_F(AdminHttpTest, AnAdministratorAddsEachRecordWithPlainFormsAndSeesTheTemplatesSlots) {
  Response site = Post("/admin/sites", {{"mode", "add"},
                                        {"id", "north"},
                                        {"name", "North clinic"},
                                        {"region", "North"},
                                        {"address", "Banbury"},
                                        {"latitude", "52.06"},
                                        {"longitude", "-1.34"},
                                        {"rooms", "2"},
                                        {"weekly_clinic_days", "1"}});
  ASSERT_EQ(site.status, 200) << site.body;
  EXPECT_TRUE(Has(site, "Site north saved"));
  ASSERT_EQ(
      Post("/admin/rooms",
           {{"mode", "add"}, {"id", "north-room-1"}, {"site_id", "north"}, {"name", "Room 1"}})
          .status,
      200);
  Response clinician = Post("/admin/clinicians", {{"mode", "add"},
                                                  {"id", "clin-1"},
                                                  {"name", "Ann Lee"},
                                                  {"profession", "physiotherapist"},
                                                  {"skills-physiotherapy", "yes"},
                                                  {"skills-triage", "yes"},
                                                  {"base_site_id", "north"},
                                                  {"fte", "0.8"}});
  ASSERT_EQ(clinician.status, 200) << clinician.body;
  EXPECT_EQ(store().ListClinicians()->front().skills,
            (std::vector<std::string>{"physiotherapy", "triage"}));

  Response saved = Post("/admin/templates", TemplateForm());
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_TRUE(Has(saved, "Clinic template tpl-1 saved"));
  EXPECT_TRUE(Has(saved, "30 slots added, through 2027-01-18."));
  EXPECT_TRUE(Has(saved, "Change clinic template tpl-1"));
  EXPECT_TRUE(Has(saved, "2026-11-25 09:00 GMT"));  // The first slot, in the slots table.
  EXPECT_EQ(store().ListClinicTemplates()->size(), 1u);

  Response page = Edit("/admin/templates", "tpl-1");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(
      Has(page, R"(id="weekdays" name="weekdays-mon" type="checkbox" value="yes" checked)"));
  EXPECT_FALSE(Has(page, "Booked appointments to move"));

  std::vector<std::string> actions;
  store::AuditFilter filter;
  filter.actor = kAda;
  const std::vector<AuditEntry> entries = store().ListAudit(filter).value();
  for (const AuditEntry& e : entries) actions.push_back(e.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"admin.site.save", "admin.room.save",
                                               "admin.clinician.save", "admin.template.save"}));
}

TEST_F(AdminHttpTest, ABadTemplateFormNamesEveryFieldAndSavesNothing) {
  AddClinic();
  auto form = TemplateForm();
  form.erase("weekdays-mon");
  form.erase("weekdays-wed");
  form["start"] = "9am";
  form["slot_minutes"] = "thirty";
  Response parsed = Post("/admin/templates", form);
  EXPECT_EQ(parsed.status, 400);
  EXPECT_TRUE(Has(parsed, R"(<a href="#start">)"));
  EXPECT_TRUE(
      Has(parsed, R"(<a href="#slot_minutes">Slot length in minutes must be a whole number</a>)"));

  form = TemplateForm();
  form.erase("weekdays-mon");
  form.erase("weekdays-wed");
  form["capacity"] = "6";
  form["embargo_working_days"] = "3";
  Response checked = Post("/admin/templates", form);
  EXPECT_EQ(checked.status, 400);
  EXPECT_TRUE(Has(checked, R"(<a href="#weekdays">Choose at least one weekday</a>)"));
  EXPECT_TRUE(
      Has(checked, R"(<a href="#capacity">Only a group class holds more than one patient</a>)"));
  EXPECT_TRUE(Has(checked, R"(<a href="#embargo_working_days">)"));
  EXPECT_TRUE(Has(checked, R"(value="6")"));  // The values entered are kept.
  EXPECT_TRUE(store().ListClinicTemplates()->empty());

  Response taken = Post("/admin/sites", {{"mode", "add"},
                                         {"id", "north"},
                                         {"name", "Other"},
                                         {"region", "North"},
                                         {"address", "Banbury"},
                                         {"latitude", "52"},
                                         {"longitude", "-1"},
                                         {"rooms", "1"},
                                         {"weekly_clinic_days", "1"}});
  EXPECT_EQ(taken.status, 409);
  EXPECT_TRUE(Has(taken, R"(<a href="#id">)"));
  EXPECT_EQ(store().ListSites()->front().name, "North clinic");
}

TEST_F(AdminHttpTest, ChangingATemplateListsTheBookedSlotsToMoveAndKeepsThem) {
  AddClinic();
  ASSERT_EQ(Post("/admin/templates", TemplateForm()).status, 200);
  const Referral referral = WaitingToBook();
  auto booked =
      workflow::Book(env(), Coordinator(), {referral.id, "tpl-1-20261202-0930", ""}, kNow);
  ASSERT_TRUE(booked.ok()) << booked.status().ToString();

  auto form = TemplateForm();
  form["mode"] = "edit";
  form["slot_minutes"] = "60";
  Response changed = Post("/admin/templates", form);
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_TRUE(Has(changed, "Booked appointments to move"));
  EXPECT_TRUE(Has(changed, "1 booked appointment in 1 slot no longer match this template."));
  EXPECT_TRUE(Has(changed, "29 future slots without bookings cancelled"));
  EXPECT_TRUE(Has(changed, "1 slot is held back"));
  EXPECT_FALSE(Has(changed, referral.patient_key));
  EXPECT_EQ(store().GetAppointment(booked->id)->status, AppointmentStatus::kBooked);
  EXPECT_FALSE(store().GetSlot("tpl-1-20261202-0930")->cancelled);

  Response page = Edit("/admin/templates", "tpl-1");
  EXPECT_TRUE(Has(page, "1 booked appointment in 1 slot no longer match this template."));
}

TEST_F(AdminHttpTest, TheApiAddsChangesAndListsRecordsNamingEveryBadField) {
  AddClinic();
  Response again = Api("rooms", {{"id", "north-room-1"}, {"site_id", "north"}, {"name", "Room"}});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(json::parse(again.body)["field"], "id");
  Response changed =
      Api("rooms",
          {{"mode", "edit"}, {"id", "north-room-1"}, {"site_id", "north"}, {"name", "Quiet room"}});
  EXPECT_EQ(changed.status, 200) << changed.body;

  Response bad = Api("clinicians", {{"id", "Clin 2"},
                                    {"name", "B"},
                                    {"profession", "surgeon"},
                                    {"skills", {"juggling"}},
                                    {"base_site_id", "east"},
                                    {"fte", 1.5}});
  ASSERT_EQ(bad.status, 400) << bad.body;
  std::vector<std::string> fields;
  const json errors = json::parse(bad.body)["errors"];
  for (const json& e : errors) fields.push_back(e["field"]);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"id", "profession", "skills", "base_site_id", "fte"}));
  EXPECT_EQ(store().ListClinicians()->size(), 1u);

  Response rooms = Get("/api/v1/admin/rooms");
  ASSERT_EQ(rooms.status, 200);
  EXPECT_EQ(json::parse(rooms.body)["rooms"][0]["name"], "Quiet room");
}

TEST_F(AdminHttpTest, TheApiTemplateSaveAndTheExtendButtonSayWhatChangedInTheSlots) {
  AddClinic();
  Response saved = Api("templates", {{"id", "tpl-1"},
                                     {"clinician_id", "clin-1"},
                                     {"site_id", "north"},
                                     {"room_id", "north-room-1"},
                                     {"weekdays", {"mon", "wed"}},
                                     {"start", "09:00"},
                                     {"end", "10:00"},
                                     {"slot_type", "new"},
                                     {"slot_minutes", 30},
                                     {"modality", "face_to_face"}});
  ASSERT_EQ(saved.status, 201) << saved.body;
  const json answer = json::parse(saved.body);
  EXPECT_EQ(answer["slots"]["slots_added"], 30);
  EXPECT_EQ(answer["valid_from"], "2026-11-24");
  EXPECT_EQ(json::parse(Get("/api/v1/admin/templates").body)["templates"][0]["weekdays"],
            json::array({"mon", "wed"}));

  Response extended = Api("slots/extend", {{"weeks", 9}});
  ASSERT_EQ(extended.status, 200) << extended.body;
  EXPECT_EQ(json::parse(extended.body)["slots_added"], 4);
  EXPECT_EQ(json::parse(Api("slots/extend", {{"weeks", 9}}).body)["slots_added"], 0);
  EXPECT_EQ(Api("slots/extend", {{"weeks", 0}}).status, 400);

  Response button = Post("/admin/slots/extend", {});
  ASSERT_EQ(button.status, 200) << button.body;
  EXPECT_TRUE(Has(button, "Slots extended"));
  EXPECT_TRUE(Has(button, "0 slots added, through 2027-01-25."));
}

}  // namespace
}  // namespace tendon::http
