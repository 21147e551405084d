// Self-referral through the app in process, on a real SQLite file and the real templates: the JSON
// API (registered, stopped, malformed, honeypot, rate limit, telephone) and the one-question-per-
// page journey posted form by form.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/rules.h"
#include "http/message.h"
#include "http/testing.h"

namespace tendon::http {
namespace {

using nlohmann::json;

constexpr const char* kCsrf = "form-token";
constexpr std::string_view kRedFlagPrefix = "redflags.";

// A complete self-referral with every red flag of the answer schema false.
json CompleteBody() {
  json flags = json::object();
  for (const AnswerField& field : AnswerFields()) {
    if (field.path.starts_with(kRedFlagPrefix)) {
      flags[field.path.substr(kRedFlagPrefix.size())] = false;
    }
  }
  return {{"patient",
           {{"given_name", "Ada"},
            {"family_name", "Lovelace"},
            {"date_of_birth", "1980-03-31"},
            {"sex", "female"},
            {"nhs_number", "9434765919"},
            {"postcode", "OX3 9DU"},
            {"phone", "01865 123456"}}},
          {"answers",
           {{"redflags", flags},
            {"body_sites", {"knee"}},
            {"side", "left"},
            {"duration_weeks", 6},
            {"severity", 5},
            {"work_impact", "some"},
            {"daily_life_impact", "some"},
            {"treatment_so_far", {"exercise"}},
            {"recent_surgery", false},
            {"consent_to_share", true}}}};
}

class SelfReferralTest : public testing::AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    if (HasFatalFailure()) return;
    AddUser("user-coordinator", Role::kCoordinator, "MSK1", "Test coordinator");
  }

  // The coordinator's session token.
  std::string Coordinator() { return SignedIn("user-coordinator"); }

  // A request from `address`: with a session `token`, its CSRF token; without, the double-submit
  // cookie and the same token (in a header for the API, a form field for pages).
  Response Send(Method method, const std::string& path, const std::string& token,
                const std::string& body = "", bool with_csrf = true,
                const std::string& address = "192.0.2.1") {
    Request request = MakeRequest(method, path, token, body, with_csrf, address);
    if (token.empty() && with_csrf) {
      request.headers["Cookie"] = std::string("tendon_form_csrf=") + kCsrf;
      if (path.rfind("/api/", 0) == 0) request.headers["X-CSRF-Token"] = kCsrf;
    }
    return Handle(std::move(request));
  }

  Response Api(const json& body, const std::string& token = "",
               const std::string& address = "192.0.2.1") {
    return Send(Method::kPost, "/api/v1/self-referrals", token, body.dump(), true, address);
  }

  // Posts `fields` to the journey with the form's CSRF token (unless `fields` carries one).
  Response Form(const std::map<std::string, std::string>& fields, const std::string& token = "") {
    std::map<std::string, std::string> form = fields;
    form.emplace("csrf_token", kCsrf);
    return Send(Method::kPost, "/self-referral", token, FormEncode(form));
  }

  std::int64_t Referrals() {
    std::int64_t total = 0;
    auto counts = store().CountReferralsByState();
    EXPECT_TRUE(counts.ok());
    for (const auto& [state, count] : *counts) total += count;
    return total;
  }

  std::vector<IntakeAttempt> Attempts() { return *store().ListIntakeAttempts(100); }
};

bool IsReference(const std::string& s) { return std::regex_match(s, std::regex("[0-9A-Z]{12}")); }

TEST_F(SelfReferralTest, ApiRegistersACompleteSelfReferral) {
  Response r = Api(CompleteBody());
  ASSERT_EQ(r.status, 201) << r.body;
  json body = json::parse(r.body);
  const std::string reference = body["reference"];
  EXPECT_TRUE(IsReference(reference)) << reference;
  EXPECT_EQ(body["state"], "awaiting_triage");
  EXPECT_FALSE(body["how_to_track"].get<std::string>().empty());
  auto referral = store().GetReferral(reference);
  ASSERT_TRUE(referral.ok());
  EXPECT_EQ(referral->source, ReferralSource::kSelf);
  EXPECT_EQ(referral->referrer_organisation, "");
}

TEST_F(SelfReferralTest, ApiStopsAnEmergencyAndRecordsOnlyTheAttempt) {
  json body = CompleteBody();
  body["answers"]["redflags"]["bladder_bowel_dysfunction"] = true;
  Response r = Api(body);
  ASSERT_EQ(r.status, 200) << r.body;
  json out = json::parse(r.body);
  EXPECT_EQ(out["stopped"], true);
  EXPECT_FALSE(out["advice"].empty());
  EXPECT_EQ(out["rules"][0]["rule_id"], "RF-CES-1");
  EXPECT_FALSE(out.contains("reference"));
  EXPECT_EQ(Referrals(), 0);
  auto attempts = Attempts();
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0].channel, "online");
  EXPECT_EQ(attempts[0].outcome, "emergency_stop");
}

TEST_F(SelfReferralTest, ApiNamesEveryMalformedFieldAndSavesNothing) {
  json body = CompleteBody();
  body["patient"]["nhs_number"] = "9434765918";
  body["patient"]["date_of_birth"] = "2999-01-01";
  body["patient"]["postcode"] = "X";
  body["answers"]["severity"] = 11;
  Response r = Api(body);
  ASSERT_EQ(r.status, 400) << r.body;
  std::set<std::string> fields;
  const json out = json::parse(r.body);
  for (const json& e : out["errors"]) fields.insert(e["field"]);
  EXPECT_EQ(fields, (std::set<std::string>{"patient.nhs_number", "patient.date_of_birth",
                                           "patient.postcode", "answers.severity"}));
  EXPECT_EQ(Referrals(), 0);
  EXPECT_TRUE(Attempts().empty());
}

TEST_F(SelfReferralTest, ApiHoneypotLooksLikeSuccessButSavesNothing) {
  json body = CompleteBody();
  body["website"] = "http://spam.example";
  Response r = Api(body);
  ASSERT_EQ(r.status, 201) << r.body;
  json out = json::parse(r.body);
  EXPECT_TRUE(IsReference(out["reference"])) << out;
  EXPECT_EQ(out["state"], "awaiting_triage");
  EXPECT_EQ(out["how_to_track"], json::parse(Api(CompleteBody()).body)["how_to_track"]);
  EXPECT_EQ(store().GetReferral(out["reference"].get<std::string>()).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(Referrals(), 1);  // The second, real one only.
  Request metrics;
  metrics.method = Method::kGet;
  metrics.target = metrics.path = "/metrics";
  EXPECT_NE(app().Handle(metrics).body.find("tendon_self_referral_honeypot_total 1\n"),
            std::string::npos);
}

TEST_F(SelfReferralTest, ApiLimitsSubmissionsPerAddressButNotCoordinators) {
  json spam = CompleteBody();
  spam["website"] = "x";
  for (int i = 0; i < 10; ++i) ASSERT_EQ(Api(spam, "", "198.51.100.7").status, 201) << i;
  Response refused = Api(CompleteBody(), "", "198.51.100.7");
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(refused.headers["Retry-After"], "3600");
  EXPECT_NE(json::parse(refused.body)["message"].get<std::string>().find("Wait an hour"),
            std::string::npos);
  EXPECT_EQ(Api(CompleteBody(), "", "198.51.100.8").status, 201);
  EXPECT_EQ(Api(CompleteBody(), Coordinator(), "198.51.100.7").status, 201);
  now_.store(now_.load() + std::chrono::hours(1) + std::chrono::seconds(1));
  EXPECT_EQ(Api(CompleteBody(), "", "198.51.100.7").status, 201);
}

TEST_F(SelfReferralTest, ACoordinatorsReferralIsByTelephone) {
  const std::string token = Coordinator();
  json emergency = CompleteBody();
  emergency["answers"]["redflags"]["hot_swollen_joint"] = true;
  ASSERT_EQ(Api(emergency, token).status, 200);
  ASSERT_EQ(Attempts().size(), 1u);
  EXPECT_EQ(Attempts()[0].channel, "telephone");
  Response r = Api(CompleteBody(), token);
  ASSERT_EQ(r.status, 201) << r.body;
  auto referral = store().GetReferral(json::parse(r.body)["reference"].get<std::string>());
  ASSERT_TRUE(referral.ok());
  EXPECT_EQ(referral->source, ReferralSource::kSelf);
  EXPECT_EQ(referral->referrer_organisation, "");
}

TEST_F(SelfReferralTest, ApiNeedsTheCsrfToken) {
  Response r = Send(Method::kPost, "/api/v1/self-referrals", "", CompleteBody().dump(),
                    /*with_csrf=*/false);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Referrals(), 0);
}

// The journey: the step each page posts back, from its hidden input.
std::string StepOf(const Response& page) {
  std::smatch m;
  static const std::regex kStep(R"re(name="step" value="([a-z0-9_]+)")re");
  if (!std::regex_search(page.body, m, kStep)) return "";
  return m[1];
}

// Every answer a page carries as a hidden input, and the answers of its own question.
std::map<std::string, std::string> Carried(const Response& page) {
  std::map<std::string, std::string> fields;
  static const std::regex kHidden(R"re(<input type="hidden" name="([^"]+)" value="([^"]*)">)re");
  for (auto it = std::sregex_iterator(page.body.begin(), page.body.end(), kHidden);
       it != std::sregex_iterator(); ++it) {
    const std::string name = (*it)[1];
    if (name != "csrf_token" && name != "step") fields[name] = (*it)[2];
  }
  return fields;
}

const std::map<std::string, std::map<std::string, std::string>>& JourneyAnswers() {
  static const std::map<std::string, std::map<std::string, std::string>> answers{
      {"body_sites", {{"body_sites-knee", "knee"}}},
      {"side", {{"side", "left"}}},
      {"duration", {{"duration_weeks", "6"}}},
      {"severity", {{"severity", "5"}}},
      {"work_impact", {{"work_impact", "some"}}},
      {"daily_life_impact", {{"daily_life_impact", "severe"}}},
      {"treatment_so_far", {{"treatment_so_far-exercise", "exercise"}}},
      {"recent_surgery", {{"recent_surgery", "no"}}},
      {"name", {{"given_name", "Ada"}, {"family_name", "Lovelace"}}},
      {"date_of_birth", {{"dob-day", "31"}, {"dob-month", "3"}, {"dob-year", "1980"}}},
      {"sex", {{"sex", "female"}}},
      {"postcode", {{"postcode", "ox3 9du"}}},
      {"contact", {{"phone", "01865 123456"}}},
      {"consent_to_share", {{"consent_to_share", "yes"}}},
  };
  return answers;
}

TEST_F(SelfReferralTest, JourneyWalksPageByPageToTheConfirmation) {
  Response start = Send(Method::kGet, "/self-referral", "");
  ASSERT_EQ(start.status, 200);
  EXPECT_NE(start.headers["Set-Cookie"].find("tendon_form_csrf="), std::string::npos);
  Response page = Form({{"step", "start"}});
  int pages = 0;
  while (page.body.find("Check your answers") == std::string::npos && pages++ < 60) {
    ASSERT_EQ(page.status, 200) << pages << " " << page.body.substr(page.body.find("<main"));
    const std::string step = StepOf(page);
    auto fields = Carried(page);
    fields["step"] = step;
    auto own = JourneyAnswers().find(step);
    if (own != JourneyAnswers().end()) {
      fields.insert(own->second.begin(), own->second.end());
    } else if (step != "nhs_number" && step != "interpreter" && step != "accessibility") {
      fields[step] = "no";  // A red flag.
    }
    page = Form(fields);
  }
  ASSERT_NE(page.body.find("Check your answers"), std::string::npos);
  EXPECT_NE(page.body.find("Lovelace"), std::string::npos);
  EXPECT_NE(page.body.find("name=\"website\""), std::string::npos);
  // Decision support before sending: where the answers suggest the patient is seen.
  EXPECT_NE(page.body.find("Where you are likely to be seen"), std::string::npos);
  auto fields = Carried(page);
  fields["step"] = "check";
  fields["action"] = "submit";
  fields["website"] = "";
  Response done = Form(fields);
  ASSERT_EQ(done.status, 200) << done.body;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(done.body, m, std::regex(R"(id="reference">([0-9A-Z]{12})<)")));
  auto referral = store().GetReferral(m[1].str());
  ASSERT_TRUE(referral.ok());
  EXPECT_EQ(referral->state, ReferralState::kAwaitingTriage) << "nothing missing";
  EXPECT_EQ(referral->source, ReferralSource::kSelf);
}

TEST_F(SelfReferralTest, JourneyStopsAtTheFirstEmergencyAnswer) {
  Response first = Form({{"step", "start"}});
  ASSERT_EQ(StepOf(first), "bladder_bowel_dysfunction");
  Response stop =
      Form({{"step", "bladder_bowel_dysfunction"}, {"bladder_bowel_dysfunction", "yes"}});
  ASSERT_EQ(stop.status, 200);
  EXPECT_NE(stop.body.find("999"), std::string::npos);
  EXPECT_NE(stop.body.find("nhsuk-card--care--emergency"), std::string::npos);
  EXPECT_EQ(stop.body.find("name=\"step\""), std::string::npos) << "the journey ends";
  EXPECT_EQ(Referrals(), 0);
  ASSERT_EQ(Attempts().size(), 1u);
  EXPECT_EQ(Attempts()[0].channel, "online");
}

TEST_F(SelfReferralTest, JourneyPagesShowTheApisErrors) {
  Response page = Form({{"step", "nhs_number"}, {"nhs_number", "9434765918"}});
  EXPECT_EQ(page.status, 400);
  EXPECT_NE(page.body.find("There is a problem"), std::string::npos);
  EXPECT_NE(page.body.find("NHS number: the check digit does not match"), std::string::npos);
  EXPECT_NE(page.body.find("href=\"#nhs_number\""), std::string::npos);
  page =
      Form({{"step", "date_of_birth"}, {"dob-day", "1"}, {"dob-month", "1"}, {"dob-year", "2999"}});
  EXPECT_EQ(page.status, 400);
  EXPECT_NE(page.body.find("Date of birth must not be in the future"), std::string::npos);
  page = Form({{"step", "side"}});
  EXPECT_EQ(page.status, 400);
  EXPECT_NE(page.body.find("Select which side it is on"), std::string::npos);
  EXPECT_EQ(Referrals(), 0);
}

TEST_F(SelfReferralTest, JourneyBackReturnsToThePreviousQuestionKeepingAnswers) {
  Response page = Form({{"step", "side"}, {"action", "back"}, {"body_sites-hip", "hip"}});
  EXPECT_EQ(StepOf(page), "body_sites");
  EXPECT_NE(page.body.find("value=\"hip\" checked"), std::string::npos);
  page = Form({{"step", "bladder_bowel_dysfunction"}, {"action", "back"}});
  EXPECT_NE(page.body.find("Start now"), std::string::npos);
}

TEST_F(SelfReferralTest, JourneyPostsNeedTheCsrfToken) {
  EXPECT_EQ(Send(Method::kPost, "/self-referral", "", "step=start", /*with_csrf=*/false).status,
            403);
  Request request;
  request.method = Method::kPost;
  request.target = request.path = "/self-referral";
  request.body = "step=start&csrf_token=guessed";
  request.headers["Cookie"] = std::string("tendon_form_csrf=") + kCsrf;
  EXPECT_EQ(app().Handle(request).status, 403);
}

TEST_F(SelfReferralTest, ACoordinatorSeesTheTelephoneJourney) {
  const std::string token = Coordinator();
  Response start = Send(Method::kGet, "/self-referral", token);
  ASSERT_EQ(start.status, 200);
  EXPECT_NE(start.body.find("Telephone self-referral"), std::string::npos);
  EXPECT_EQ(start.headers.count("Set-Cookie"), 0u);
}

}  // namespace
}  // namespace tendon::http
