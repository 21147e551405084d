// The referrer's routes in process, on a real SQLite file, the real rules and templates: the
// referral API, the worklist, resubmission, and the form without JavaScript.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "http/message.h"
#include "http/testing.h"
#include "workflow/testing.h"

namespace tendon::http {
namespace {

using nlohmann::json;
using workflow::testing::CompleteReferral;

class ReferrerTest : public testing::AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    if (HasFatalFailure()) return;
    for (const char* org : {"ORG1", "ORG2"})
      AddUser(std::string("referrer-") + org, Role::kReferrer, org, "Dr Test");
  }

  // A fresh session for ORG1's (or `org`'s) referrer; returns the cookie token.
  std::string SignedIn(const std::string& org = "ORG1") {
    return AppFixture::SignedIn("referrer-" + org);
  }

  // Posts `body` to the API and returns the answer's JSON, checking the status.
  json Api(const std::string& path, const json& body, int status, const std::string& token = "") {
    Response r = Send(Method::kPost, path, token.empty() ? SignedIn() : token, body.dump());
    EXPECT_EQ(r.status, status) << r.body;
    return json::parse(r.body, nullptr, false);
  }

  std::size_t ReferralCount(const std::string& org = "ORG1") {
    return store().ListReferralsForOrganisation(org, 1000)->size();
  }
};

// A complete referral without its consent: returned for that one item.
json WithoutConsent() {
  json body = CompleteReferral();
  body["answers"].erase("consent_to_share");
  return body;
}

// The form's fields for CompleteReferral(), as a browser without JavaScript posts them.
std::map<std::string, std::string> CompleteForm(const std::string& action) {
  std::map<std::string, std::string> form{
      {"action", action},
      {"referrer_name", "Dr A Clinician"},
      {"patient.nhs_number", "943 476 5919"},
      {"patient.given_name", "Jane"},
      {"patient.family_name", "Example"},
      {"patient.date_of_birth.day", "14"},
      {"patient.date_of_birth.month", "3"},
      {"patient.date_of_birth.year", "1970"},
      {"patient.sex", "female"},
      {"patient.postcode", "OX3 9DU"},
      {"patient.phone", "01865 000000"},
      {"answers.body_sites.knee", "knee"},
      {"answers.side", "left"},
      {"answers.duration_weeks", "8"},
      {"answers.severity", "5"},
      {"answers.work_impact", "some"},
      {"answers.daily_life_impact", "some"},
      {"answers.treatment_so_far.advice", "advice"},
      {"answers.recent_surgery", "no"},
      {"answers.requested_service", "tier1_physiotherapy"},
      {"answers.urgency", "routine"},
      {"answers.consent_to_share", "yes"},
  };
  const json referral = CompleteReferral();
  for (const auto& [flag, value] : referral["answers"]["redflags"].items()) {
    form["answers.redflags." + flag] = "no";
  }
  return form;
}

TEST_F(ReferrerTest, CompleteReferralAwaitsTriageWithTheRulesThatDecidedIt) {
  json out = Api("/api/v1/referrals", CompleteReferral(), 201);
  EXPECT_EQ(out["state"], "awaiting_triage");
  EXPECT_EQ(out["priority"], "routine");
  EXPECT_TRUE(out["missing"].empty());
  ASSERT_FALSE(out["decision"]["rules"].empty());
  EXPECT_TRUE(out["decision"]["rules"][0].contains("version"));
  auto details = store().GetReferralDetails(out["referral_id"].get<std::string>());
  ASSERT_TRUE(details.ok());
  EXPECT_EQ(json::parse(details->decision)["rules"].size(), out["decision"]["rules"].size());
}

TEST_F(ReferrerTest, SourceIsOptionalButNeverSelf) {
  json fcp = CompleteReferral();
  fcp["source"] = "fcp";
  Api("/api/v1/referrals", fcp, 201);
  json self = CompleteReferral();
  self["source"] = "self";
  json out = Api("/api/v1/referrals", self, 400);
  EXPECT_EQ(out["field"], "source");
}

TEST_F(ReferrerTest, IncompleteReferralIsReturnedWithWhatIsMissingAndTopsTheWorklist) {
  json returned = Api("/api/v1/referrals", WithoutConsent(), 201);
  EXPECT_EQ(returned["state"], "returned_incomplete");
  ASSERT_EQ(returned["missing"].size(), 1u);
  EXPECT_EQ(returned["missing"][0]["rule_id"], "CP-CONSENT-1");
  json other = CompleteReferral();
  other["patient"]["nhs_number"] = "401 023 2137";
  Api("/api/v1/referrals", other, 201);

  Response r = Send(Method::kGet, "/api/v1/referrals/worklist", SignedIn());
  ASSERT_EQ(r.status, 200);
  json list = json::parse(r.body)["referrals"];
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["referral_id"], returned["referral_id"]);
  EXPECT_EQ(list[0]["missing"][0], returned["missing"][0]["item"]);
  EXPECT_EQ(list[1]["state"], "awaiting_triage");

  Response page = Send(Method::kGet, "/worklist", SignedIn());
  ASSERT_EQ(page.status, 200);
  const auto at = page.body.find(returned["referral_id"].get<std::string>());
  EXPECT_LT(page.body.find("Returned: needs completing"), at);
  EXPECT_LT(at, page.body.find("Other referrals"));
}

TEST_F(ReferrerTest, MalformedReferralNamesEveryFieldAndSavesNothing) {
  json body = CompleteReferral();
  body["patient"]["nhs_number"] = "943 476 5918";
  body["patient"]["date_of_birth"] = "2030-01-01";
  body["patient"]["postcode"] = "not a postcode";
  body["patient"]["given_name"] = std::string(workflow::kMaxShortText + 1, 'a');
  body["source"] = "transfer";
  json out = Api("/api/v1/referrals", body, 400);
  std::set<std::string> fields;
  for (const json& e : out["errors"]) fields.insert(e["field"].get<std::string>());
  EXPECT_EQ(fields, (std::set<std::string>{"source", "patient.nhs_number", "patient.date_of_birth",
                                           "patient.postcode", "patient.given_name"}));
  EXPECT_EQ(ReferralCount(), 0u);
}

TEST_F(ReferrerTest, ResubmissionCompletesAReturnedReferralKeepingItsFirstReceipt) {
  json returned = Api("/api/v1/referrals", WithoutConsent(), 201);
  json body = CompleteReferral();
  body["referral_id"] = returned["referral_id"];
  json out = Api("/api/v1/referrals/resubmit", body, 200);
  EXPECT_EQ(out["state"], "awaiting_triage");
  EXPECT_EQ(out["received_at"], returned["received_at"]);
  EXPECT_TRUE(out.contains("resubmitted_at"));
  EXPECT_EQ(ReferralCount(), 1u);
}

TEST_F(ReferrerTest, AnotherOrganisationCannotResubmit) {
  json returned = Api("/api/v1/referrals", WithoutConsent(), 201);
  json body = CompleteReferral();
  body["referral_id"] = returned["referral_id"];
  Api("/api/v1/referrals/resubmit", body, 404, SignedIn("ORG2"));
  auto r = store().GetReferral(returned["referral_id"].get<std::string>());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->state, ReferralState::kReturnedIncomplete);
}

TEST_F(ReferrerTest, OpenReferralForTheSameBodySiteIsListedAsADuplicate) {
  json first = Api("/api/v1/referrals", CompleteReferral(), 201);
  json second = Api("/api/v1/referrals", CompleteReferral(), 201);
  EXPECT_EQ(second["duplicates"], json::array({first["referral_id"]}));
}

TEST_F(ReferrerTest, FormChecksWhereToReferThenSendsWithoutJavaScript) {
  Response check = Send(Method::kPost, "/refer", SignedIn(), FormEncode(CompleteForm("check")));
  ASSERT_EQ(check.status, 200) << check.body;
  EXPECT_NE(check.body.find("Where to refer"), std::string::npos);
  EXPECT_NE(check.body.find("value=\"943 476 5919\""), std::string::npos);
  EXPECT_EQ(ReferralCount(), 0u);

  const std::string token = SignedIn();
  Response posted = Send(Method::kPost, "/refer", token, FormEncode(CompleteForm("send")));
  ASSERT_EQ(posted.status, 303) << posted.body;
  EXPECT_EQ(posted.headers["Location"], "/refer/sent");
  Response sent = Send(Method::kGet, "/refer/sent", token);
  ASSERT_EQ(sent.status, 200);
  EXPECT_NE(sent.body.find("Referral accepted for triage"), std::string::npos);
  // Reloading the confirmation sends nothing again.
  EXPECT_EQ(Send(Method::kGet, "/refer/sent", token).status, 200);
  EXPECT_EQ(ReferralCount(), 1u);
  auto referrals = store().ListReferralsForOrganisation("ORG1", 10);
  ASSERT_EQ(referrals->size(), 1u);
  EXPECT_EQ(referrals->front().state, ReferralState::kAwaitingTriage);
  EXPECT_NE(sent.body.find(referrals->front().id), std::string::npos);

  ASSERT_EQ(Send(Method::kPost, "/refer", token, FormEncode(CompleteForm("send"))).status, 303);
  Response again = Send(Method::kGet, "/refer/sent", token);
  EXPECT_NE(again.body.find("This patient may already be referred"), std::string::npos);
  EXPECT_NE(again.body.find(referrals->front().id), std::string::npos);
}

TEST_F(ReferrerTest, FormShowsTheSameErrorsAsTheApiWithValuesKept) {
  auto form = CompleteForm("send");
  form["patient.nhs_number"] = "943 476 5918";
  form["patient.date_of_birth.year"] = "2030";
  Response r = Send(Method::kPost, "/refer", SignedIn(), FormEncode(form));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("href=\"#patient.nhs_number\""), std::string::npos);
  EXPECT_NE(r.body.find("href=\"#patient.date_of_birth\""), std::string::npos);
  EXPECT_NE(r.body.find("value=\"943 476 5918\""), std::string::npos);
  EXPECT_NE(r.body.find("value=\"2030\""), std::string::npos);
  EXPECT_EQ(ReferralCount(), 0u);
}

TEST_F(ReferrerTest, ReturnedReferralIsCompletedThroughTheForm) {
  auto form = CompleteForm("send");
  form.erase("answers.consent_to_share");
  const std::string token = SignedIn();
  ASSERT_EQ(Send(Method::kPost, "/refer", token, FormEncode(form)).status, 303);
  Response sent = Send(Method::kGet, "/refer/sent", token);
  EXPECT_NE(sent.body.find("consent"), std::string::npos);
  const std::string id = store().ListReferralsForOrganisation("ORG1", 10)->front().id;

  Response open = Send(Method::kPost, "/worklist/open", token, "referral_id=" + id);
  ASSERT_EQ(open.status, 303);
  EXPECT_EQ(open.headers["Location"], "/refer/complete");
  Response page = Send(Method::kGet, "/refer/complete", token);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("value=\"Example\""), std::string::npos);

  Response done = Send(Method::kPost, "/refer/complete", token, FormEncode(CompleteForm("send")));
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_NE(Send(Method::kGet, "/refer/sent", token).body.find("Referral accepted for triage"),
            std::string::npos);
  EXPECT_EQ(store().GetReferral(id)->state, ReferralState::kAwaitingTriage);
}

TEST_F(ReferrerTest, PostsNeedTheCsrfToken) {
  Response api = Send(Method::kPost, "/api/v1/referrals", SignedIn(), CompleteReferral().dump(),
                      /*with_csrf=*/false);
  EXPECT_EQ(api.status, 403);
  Response form = Send(Method::kPost, "/refer", SignedIn(), FormEncode(CompleteForm("send")),
                       /*with_csrf=*/false);
  EXPECT_EQ(form.status, 403);
  EXPECT_EQ(ReferralCount(), 0u);
}

}  // namespace
}  // namespace tendon::http
