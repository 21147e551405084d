#include "notify/templates.h"

#include <gtest/gtest.h>

#include "core/source_dir_for_tests.h"

namespace tendon::notify {
namespace {

TEST(RenderTest, FillsEveryPlaceholder) {
  auto text = Render("Dear {{given_name}} {{ family_name }}, see you {{when}}.",
                     {{"given_name", "Ada"}, {"family_name", "Lovelace"}, {"when", "soon"}});
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text, "Dear Ada Lovelace, see you soon.");
}

TEST(RenderTest, RefusesAPlaceholderWithoutAValueNamingIt) {
  auto text = Render("Your appointment is on {{start_text}}.", {{"given_name", "Ada"}});
  EXPECT_EQ(text.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(text.status().field(), "start_text");
}

TEST(RenderTest, RefusesMalformedPlaceholders) {
  for (const char* bad : {"Dear {{given_name", "Dear {{}}", "Dear {{given name}}"}) {
    EXPECT_EQ(Render(bad, {{"given_name", "Ada"}}).status().code(), StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(MessageTemplatesTest, ParsesHeadersAndBody) {
  auto t = MessageTemplates::Parse(
      "# A comment\nsubject: Hello {{given_name}}\nsms: Hi {{given_name}}\n\nBody line 1\n"
      "Body line 2\n",
      "greeting", "greeting.txt");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->subject, "Hello {{given_name}}");
  EXPECT_EQ(t->sms, "Hi {{given_name}}");
  EXPECT_EQ(t->body, "Body line 1\nBody line 2\n");
}

TEST(MessageTemplatesTest, RefusesAMalformedFileNamingTheLine) {
  struct Case {
    const char* text;
    const char* where;
  };
  for (const Case& c : std::vector<Case>{
           {"subject: Hi\n\nBody\n", "x.txt:2: sms: is missing"},
           {"subject: Hi\nsms: Hi\nsubject: Again\n\nBody\n", "x.txt:3:"},
           {"subject: Hi\nsms:\n\nBody\n", "x.txt:2: sms is empty"},
           {"subject: Hi\nsms: Hi\n\n", "x.txt:4: the body is empty"},
           {"subject: Hi {{oops\nsms: Hi\n\nBody\n", "x.txt:1:"},
           {"subject: Hi\nsms: Hi\n\nBody {{bad name}}\n", "x.txt:4:"},
       }) {
    auto t = MessageTemplates::Parse(c.text, "x", "x.txt");
    EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument) << c.text;
    EXPECT_NE(t.status().message().find(c.where), std::string::npos) << t.status().ToString();
  }
}

// Every shipped template renders with the fields its kind's payload gives (data/notifications/
// README.md), so that no message to a patient fails for want of a placeholder.
TEST(MessageTemplatesTest, EveryShippedTemplateRendersWithItsKindsFields) {
  auto templates = MessageTemplates::Load(SourceDirForTests() / "data" / "notifications");
  ASSERT_TRUE(templates.ok()) << templates.status().ToString();
  const Fields common{{"given_name", "Ada"},
                      {"family_name", "Lovelace"},
                      {"service_name", "MSK service"},
                      {"contact_phone", "01865 000000"},
                      {"portal_url", "https://msk.example/"}};
  const Fields appointment{{"start_text", "Tuesday 24 November 2026 at 10:30am"},
                           {"site_name", "East Oxford"},
                           {"site_address", "Cowley Road"},
                           {"modality_text", "face to face"}};
  const Fields moved{{"new_start_text", "Friday 27 November 2026 at 9am"},
                     {"new_site_name", "Witney"},
                     {"new_site_address", "Welch Way"},
                     {"new_modality_text", "video"}};
  const std::map<std::string, std::vector<Fields>> by_kind{
      {"appointment.booked", {appointment}},
      {"appointment.reminder", {appointment}},
      {"appointment.cancelled_by_service", {appointment, {{"reason", "sickness"}}}},
      {"appointment.moved_by_service", {appointment, moved, {{"reason", "sickness"}}}},
      {"referral.returned", {{{"reference", "R-1"}, {"missing", "the duration"}}}},
      {"pifu.opened", {{{"until_text", "Friday 27 November 2026"}}}},
      {"pifu.closing", {{{"until_text", "Friday 27 November 2026"}}}},
      {"fft.invitation", {}},
  };
  for (const auto& [kind, extra] : by_kind) {
    EXPECT_EQ(templates->all().count(kind), 1u) << kind;
    Fields fields = common;
    for (const Fields& f : extra) fields.insert(f.begin(), f.end());
    auto rendered = templates->Render(kind, fields);
    ASSERT_TRUE(rendered.ok()) << kind << ": " << rendered.status().ToString();
    EXPECT_EQ(rendered->body.find("{{"), std::string::npos) << kind;
    EXPECT_EQ(rendered->sms.find('\n'), std::string::npos) << kind;
    EXPECT_NE(rendered->body.find("MSK service"), std::string::npos) << kind;
  }
  EXPECT_EQ(templates->Render("no.such.kind", common).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace tendon::notify
