#include "http/templates.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "core/source_dir_for_tests.h"

namespace tendon::http {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

// What every page gets from the app (pages.cc), for a signed-in triage clinician.
json BaseContext() {
  return {
      {"service_name", "Tendon MSK"},
      {"page_title", "Home"},
      {"signed_in", true},
      {"user", {{"display_name", "Dr Ada Lovelace"}, {"role_label", "Triage clinician"}}},
      {"nav", json::array({{{"href", "/home"}, {"label", "Home"}, {"current", true}},
                           {{"href", "/referrals"}, {"label", "Referrals"}, {"current", false}}})},
      {"csrf_token", "csrf-123"},
      {"errors", json::array()}};
}

json With(json context, const json& extra) {
  context.update(extra);
  return context;
}

class WebTemplatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = Templates::Load(SourceDirForTests() / "web/templates");
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    templates_ = std::move(loaded).value();
  }

  std::string Render(std::string_view page, const json& context) {
    auto html = templates_->RenderPage(page, context);
    EXPECT_TRUE(html.ok()) << page << ": " << html.status().ToString();
    return html.ok() ? *html : std::string();
  }

  std::unique_ptr<Templates> templates_;
};

// Checks the frame every page shares: one h1, the title pattern, the language, no inline script
// or style (the Content-Security-Policy forbids them).
void ExpectWellFormedPage(const std::string& html, const std::string& title) {
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>\n")) << html.substr(0, 80);
  EXPECT_THAT(html, HasSubstr("<html lang=\"en-GB\">"));
  EXPECT_THAT(html, HasSubstr("<title>" + title + " - Tendon MSK - NHS</title>"));
  EXPECT_THAT(html, HasSubstr("id=\"maincontent\""));
  EXPECT_THAT(html, HasSubstr("href=\"/static/css/nhsuk-frontend.min.css\""));
  EXPECT_THAT(html, HasSubstr("<script type=\"module\" src=\"/static/js/init.js\"></script>"));
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, Not(HasSubstr("style=")));
  EXPECT_THAT(html, Not(HasSubstr("<style")));
  std::size_t h1s = 0;
  for (std::size_t at = html.find("<h1"); at != std::string::npos; at = html.find("<h1", at + 1)) {
    ++h1s;
  }
  EXPECT_EQ(h1s, 1u) << html;
}

TEST_F(WebTemplatesTest, SignInPageHasTheFormAndNoAccountArea) {
  json context = BaseContext();
  context["signed_in"] = false;
  context.erase("user");
  context["nav"] = json::array();
  context["page_title"] = "Sign in";
  const std::string html = Render("sign_in", context);
  ExpectWellFormedPage(html, "Sign in");
  EXPECT_THAT(html, HasSubstr("<form action=\"/sign-in\" method=\"post\" novalidate>"));
  EXPECT_THAT(html, HasSubstr("id=\"username\""));
  EXPECT_THAT(html, HasSubstr("id=\"password\""));
  EXPECT_THAT(html, HasSubstr("name=\"csrf_token\" value=\"csrf-123\""));
  EXPECT_THAT(html, Not(HasSubstr("Sign out")));
  EXPECT_THAT(html, Not(HasSubstr("nhsuk-error-summary")));
  EXPECT_THAT(html, Not(HasSubstr("nhsuk-header__navigation")));
}

TEST_F(WebTemplatesTest, SignInErrorsShowTheSummaryAndInlineMessages) {
  json context = With(
      BaseContext(),
      {{"signed_in", false},
       {"page_title", "Sign in"},
       {"username", "ada<b>"},
       {"errors", json::array({{{"field", "password"}, {"message", "Enter your password"}}})}});
  const std::string html = Render("sign_in", context);
  EXPECT_THAT(html, HasSubstr("<title>Error: Sign in - Tendon MSK - NHS</title>"));
  EXPECT_THAT(html, HasSubstr("nhsuk-error-summary"));
  EXPECT_THAT(html, HasSubstr("role=\"alert\""));
  EXPECT_THAT(html, HasSubstr("<a href=\"#password\">Enter your password</a>"));
  EXPECT_THAT(html, HasSubstr("id=\"password-error\""));
  EXPECT_THAT(html, HasSubstr("aria-describedby=\"password-error\""));
  EXPECT_THAT(html, Not(HasSubstr("id=\"username-error\"")));
  EXPECT_THAT(html, HasSubstr("value=\"ada&lt;b&gt;\""));
}

TEST_F(WebTemplatesTest, LayoutShowsTheAccountNavigationAndSignOutForm) {
  const std::string html =
      Render("home", With(BaseContext(), {{"home_heading", "Triage"}, {"home_intro", "Hello"}}));
  ExpectWellFormedPage(html, "Home");
  EXPECT_THAT(html, HasSubstr("Dr Ada Lovelace (Triage clinician)"));
  EXPECT_THAT(html, HasSubstr("action=\"/sign-out\" method=\"post\""));
  EXPECT_THAT(html, HasSubstr("href=\"/home\" aria-current=\"page\""));
  EXPECT_THAT(html, HasSubstr("href=\"/referrals\">Referrals</a>"));
}

TEST_F(WebTemplatesTest, HomePageRendersCardsAndTable) {
  json context = With(
      BaseContext(),
      {{"home_heading", "Triage"},
       {"home_intro", "Referrals waiting for a decision."},
       {"cards",
        json::array(
            {{{"title", "Referrals to triage"}, {"text", "12 waiting"}, {"href", "/triage"}}})},
       {"table",
        {{"caption", "Waiting by priority"},
         {"head", json::array({"Priority", "Referrals"})},
         {"rows", json::array({json::array({"Urgent", 3}), json::array({"Routine", ""})})}}}});
  const std::string html = Render("home", context);
  ExpectWellFormedPage(html, "Home");
  EXPECT_THAT(html, HasSubstr("<h1>Triage</h1>"));
  EXPECT_THAT(html, HasSubstr("nhsuk-card--clickable"));
  EXPECT_THAT(html,
              HasSubstr("<a class=\"nhsuk-card__link\" href=\"/triage\">Referrals to triage</a>"));
  EXPECT_THAT(html, HasSubstr(">Waiting by priority</caption>"));
  EXPECT_THAT(html, HasSubstr("<th class=\"nhsuk-table__header\" scope=\"col\">Priority</th>"));
  EXPECT_THAT(html, HasSubstr("<td class=\"nhsuk-table__cell\">3</td>"));
}

TEST_F(WebTemplatesTest, HomePageWithoutCardsOrTableOmitsThem) {
  const std::string html = Render("home", With(BaseContext(), {{"home_heading", "Home"}}));
  EXPECT_THAT(html, Not(HasSubstr("nhsuk-card-group")));
  EXPECT_THAT(html, Not(HasSubstr("<table")));
}

TEST_F(WebTemplatesTest, HomePageOpensAReferralByPostNeverByAddress) {
  const std::string closed = Render("home", With(BaseContext(), {{"home_heading", "Home"}}));
  EXPECT_THAT(closed, Not(HasSubstr("/referral/open")));

  json context =
      With(BaseContext(), {{"home_heading", "Home"},
                           {"open_referral", true},
                           {"errors", json::array({{{"field", "referral_id"},
                                                    {"message", "Enter a referral reference"}}})}});
  const std::string html = Render("home", context);
  ExpectWellFormedPage(html, "Error: Home");
  EXPECT_THAT(html, HasSubstr("<form action=\"/referral/open\" method=\"post\" novalidate>"));
  EXPECT_THAT(html, HasSubstr("name=\"referral_id\""));
  EXPECT_THAT(html, HasSubstr("<a href=\"#referral_id\">Enter a referral reference</a>"));
  EXPECT_THAT(html, HasSubstr("aria-describedby=\"referral_id-hint referral_id-error\""));
  // The page's own form and the header's sign-out form both carry the token.
  std::size_t tokens = 0;
  for (std::size_t at = html.find("value=\"csrf-123\""); at != std::string::npos;
       at = html.find("value=\"csrf-123\"", at + 1)) {
    ++tokens;
  }
  EXPECT_EQ(tokens, 2u);
}

TEST_F(WebTemplatesTest, ReferralPageRendersSummaryAndTimeline) {
  json context =
      With(BaseContext(),
           {{"page_title", "Referral R-0001"},
            {"summary", json::array({{{"key", "Status"}, {"value", "Triaged"}}})},
            {"events",
             json::array({{{"when", "3 March 2026"}, {"title", "Referred"}, {"detail", "By GP"}},
                          {{"when", "5 March 2026"}, {"title", "Triaged"}}})}});
  const std::string html = Render("referral", context);
  ExpectWellFormedPage(html, "Referral R-0001");
  EXPECT_THAT(html, HasSubstr("<dt class=\"nhsuk-summary-list__key\">Status</dt>"));
  EXPECT_THAT(html, HasSubstr("<h3 class=\"app-timeline__title\">Triaged</h3>"));
  EXPECT_THAT(html, HasSubstr("By GP"));
}

TEST_F(WebTemplatesTest, AuditPageFiltersByActorAndActionOnly) {
  json context = With(BaseContext(), {{"page_title", "Audit log"},
                                      {"filter", {{"actor", "triage-user"}, {"action", ""}}},
                                      {"rows", json::array({{{"at", "2026-11-20 09:00"},
                                                             {"actor", "triage-user"},
                                                             {"role", "Triage clinician"},
                                                             {"action", "view_referral"},
                                                             {"reason", ""},
                                                             {"patient", "Patient ****1234"}}})}});
  const std::string html = Render("audit", context);
  ExpectWellFormedPage(html, "Audit log");
  EXPECT_THAT(html, HasSubstr("method=\"get\""));
  EXPECT_THAT(html, HasSubstr("name=\"actor\" type=\"text\" value=\"triage-user\""));
  EXPECT_THAT(html, HasSubstr("name=\"action\" type=\"text\" value=\"\""));
  EXPECT_THAT(html, Not(HasSubstr("name=\"patient")));
  EXPECT_THAT(html, HasSubstr("<td class=\"nhsuk-table__cell\">Patient ****1234</td>"));
}

TEST_F(WebTemplatesTest, AuditPageWithNoRowsSaysSo) {
  const std::string html =
      Render("audit", With(BaseContext(), {{"page_title", "Audit log"}, {"rows", json::array()}}));
  EXPECT_THAT(html, HasSubstr("No audit entries match."));
  EXPECT_THAT(html, Not(HasSubstr("<table")));
}

TEST_F(WebTemplatesTest, UsersPageListsAccounts) {
  json context =
      With(BaseContext(), {{"page_title", "Users"},
                           {"accounts", json::array({{{"username", "gp-user"},
                                                      {"display_name", "Dr Grace Hopper"},
                                                      {"role_label", "Referrer"},
                                                      {"organisation", "K84001"},
                                                      {"status", "Active"}}})}});
  const std::string html = Render("users", context);
  ExpectWellFormedPage(html, "Users");
  EXPECT_THAT(html, HasSubstr("<td class=\"nhsuk-table__cell\">Dr Grace Hopper</td>"));
  EXPECT_THAT(html, HasSubstr("<td class=\"nhsuk-table__cell\">K84001</td>"));
}

TEST_F(WebTemplatesTest, ErrorPageShowsHeadingParagraphsAndHomeLink) {
  json context = With(BaseContext(), {{"page_title", "Page not found"},
                                      {"error_heading", "Page not found"},
                                      {"error_paragraphs", json::array({"Check the address."})}});
  const std::string html = Render("error", context);
  ExpectWellFormedPage(html, "Page not found");
  EXPECT_THAT(html, HasSubstr("<h1>Page not found</h1>"));
  EXPECT_THAT(html, HasSubstr("<p>Check the address.</p>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/\">Go to the home page</a>"));
}

TEST_F(WebTemplatesTest, LayoutEscapesTheServiceName) {
  json context = With(BaseContext(),
                      {{"service_name", "<script>alert(1)</script>"}, {"error_heading", "Oops"}});
  const std::string html = Render("error", context);
  EXPECT_THAT(html, Not(HasSubstr("<script>alert(1)</script>")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

TEST_F(WebTemplatesTest, ContentKeyInTheContextCannotReplaceThePage) {
  json context = With(BaseContext(), {{"content", "<b>injected</b>"}, {"error_heading", "Oops"}});
  const std::string html = Render("error", context);
  EXPECT_THAT(html, Not(HasSubstr("<b>injected</b>")));
  EXPECT_THAT(html, HasSubstr("<h1>Oops</h1>"));
}

TEST_F(WebTemplatesTest, UnknownPageIsNotFound) {
  for (std::string_view name : {"nope", "layout", "../layout", ""}) {
    auto html = templates_->RenderPage(name, BaseContext());
    ASSERT_FALSE(html.ok()) << name;
    EXPECT_EQ(html.status().code(), StatusCode::kNotFound) << name;
  }
}

// A scratch folder for templates, removed afterwards.
class TemplateFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device random;
    dir_ = fs::temp_directory_path() /
           ("tendon_templates_test_" + std::to_string(random()) + std::to_string(random()));
    ASSERT_TRUE(fs::create_directory(dir_));
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }

  fs::path dir_;
};

TEST_F(TemplateFolderTest, RefusesATemplateWithASyntaxErrorNamingTheFile) {
  Write("layout.mustache", "<main>{{{content}}}</main>");
  Write("broken.mustache", "<p>{{#open}}never closed</p>");
  auto loaded = Templates::Load(dir_);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(loaded.status().message(), HasSubstr("broken.mustache"));
  EXPECT_THAT(loaded.status().message(), HasSubstr("open"));
}

TEST_F(TemplateFolderTest, MissingLayoutOrFolderIsNotFound) {
  Write("page.mustache", "<p>hi</p>");
  auto loaded = Templates::Load(dir_);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(loaded.status().message(), HasSubstr("layout.mustache"));

  auto missing = Templates::Load(dir_ / "absent");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST_F(TemplateFolderTest, PartialsComeFromTheFolderNotTheContext) {
  Write("layout.mustache", "[{{{content}}}]");
  Write("page.mustache", "{{> part}}|{{has_items}}{{#has_items}}yes{{/has_items}}");
  Write("part.mustache", "from file");
  auto loaded = Templates::Load(dir_);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  auto html =
      (*loaded)->RenderPage("page", json{{"part", "from context"}, {"items", json::array({1})}});
  ASSERT_TRUE(html.ok()) << html.status().ToString();
  EXPECT_EQ(*html, "[from file|yes]");
}

}  // namespace
}  // namespace tendon::http
