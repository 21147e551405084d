#include "http/message.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>

namespace tendon::http {
namespace {

TEST(PercentDecodeTest, DecodesTable) {
  struct Case {
    std::string input;
    bool plus_is_space;
    std::optional<std::string> expected;
  };
  const Case cases[] = {
      {"", false, ""},
      {"/plain/path", false, "/plain/path"},
      {"a%20b", false, "a b"},
      {"%41%42%43", false, "ABC"},
      {"%c3%A9", false, "\xc3\xa9"},
      {"a+b", true, "a b"},
      {"a+b", false, "a+b"},
      {"%2B", true, "+"},
      {"a%00b", false, std::string("a\0b", 3)},
      {"%", false, std::nullopt},
      {"%4", false, std::nullopt},
      {"a%4", false, std::nullopt},
      {"%zz", false, std::nullopt},
      {"%g0", false, std::nullopt},
      {"ok%2", true, std::nullopt},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(PercentDecode(c.input, c.plus_is_space), c.expected) << "input: " << c.input;
  }
}

TEST(ParseFormTest, DecodesPairs) {
  const auto form = ParseForm("name=Ann+Smith&postcode=LS1%201AA&empty=&flag");
  EXPECT_EQ(form.size(), 4u);
  EXPECT_EQ(form.at("name"), "Ann Smith");
  EXPECT_EQ(form.at("postcode"), "LS1 1AA");
  EXPECT_EQ(form.at("empty"), "");
  EXPECT_EQ(form.at("flag"), "");
}

TEST(ParseFormTest, LastValueWins) {
  const auto form = ParseForm("a=1&a=2");
  ASSERT_EQ(form.size(), 1u);
  EXPECT_EQ(form.at("a"), "2");
}

TEST(ParseFormTest, SkipsEmptyPiecesAndMalformedEscapes) {
  const auto form = ParseForm("&&bad=%zz&ok=1&%xy=2&");
  ASSERT_EQ(form.size(), 1u);
  EXPECT_EQ(form.at("ok"), "1");
}

TEST(ParseFormTest, EmptyBodyIsEmptyForm) { EXPECT_TRUE(ParseForm("").empty()); }

TEST(FormEncodeTest, RoundTripsThroughParseForm) {
  const std::map<std::string, std::string> form{
      {"name", "Ann Smith"},      {"answers.redflags.night_pain", "no"},
      {"a&b=c", "1+1=2 & 100%"},  {"empty", ""},
      {"unicode", "caf\xc3\xa9"}, {"nul", std::string("a\0b", 3)},
      {"safe-._~", "-._~"},
  };
  EXPECT_EQ(ParseForm(FormEncode(form)), form);
}

TEST(FormEncodeTest, EncodesInNameOrder) {
  EXPECT_EQ(FormEncode({{"b", "x y"}, {"a", "1/2"}}), "a=1%2F2&b=x+y");
  EXPECT_EQ(FormEncode({}), "");
}

TEST(HeadersTest, NamesCompareWithoutCase) {
  Request request;
  request.headers["content-type"] = "text/plain";
  EXPECT_EQ(request.Header("Content-Type"), "text/plain");
  EXPECT_EQ(request.Header("CONTENT-TYPE"), "text/plain");
  EXPECT_EQ(request.Header("Content-Length"), "");
  request.headers["CONTENT-TYPE"] = "text/html";
  EXPECT_EQ(request.headers.size(), 1u);
  EXPECT_EQ(request.Header("content-type"), "text/html");
}

TEST(HeadersTest, HeaderLessOrdersCaseInsensitively) {
  const HeaderLess less;
  EXPECT_FALSE(less("Accept", "accept"));
  EXPECT_FALSE(less("accept", "Accept"));
  EXPECT_TRUE(less("Accept", "cookie"));
  EXPECT_TRUE(less("accept", "Cookie"));
  EXPECT_TRUE(less("Host", "Host-Extra"));
}

Request WithCookie(std::string cookie) {
  Request request;
  request.headers["Cookie"] = std::move(cookie);
  return request;
}

TEST(CookieTest, FindsNamedCookie) {
  const Request request = WithCookie("theme=dark; session=abc123; lang=en");
  EXPECT_EQ(request.Cookie("session"), "abc123");
  EXPECT_EQ(request.Cookie("theme"), "dark");
  EXPECT_EQ(request.Cookie("lang"), "en");
}

TEST(CookieTest, AbsentCookieOrHeader) {
  EXPECT_EQ(WithCookie("a=1").Cookie("session"), std::nullopt);
  EXPECT_EQ(Request().Cookie("session"), std::nullopt);
  // A name that merely starts like another is a different cookie.
  EXPECT_EQ(WithCookie("sessionx=1; xsession=2").Cookie("session"), std::nullopt);
}

TEST(CookieTest, NamesAreCaseSensitive) {
  EXPECT_EQ(WithCookie("Session=abc").Cookie("session"), std::nullopt);
}

TEST(CookieTest, ToleratesWhitespaceQuotesAndJunk) {
  const Request request = WithCookie("  a = 1 ;\tb=\"quoted\";junk; c=; d=x=y ;");
  EXPECT_EQ(request.Cookie("a"), "1");
  EXPECT_EQ(request.Cookie("b"), "quoted");
  EXPECT_EQ(request.Cookie("c"), "");
  EXPECT_EQ(request.Cookie("d"), "x=y");
  EXPECT_EQ(request.Cookie("junk"), std::nullopt);
}

TEST(CookieTest, FirstPairWins) {
  EXPECT_EQ(WithCookie("session=first; session=second").Cookie("session"), "first");
}

TEST(CookieTest, ValueIsNotPercentDecoded) {
  EXPECT_EQ(WithCookie("v=a%20b").Cookie("v"), "a%20b");
}

TEST(ResponseTest, FactoriesSetContentType) {
  const Response html = Response::Html(404, "<p>Not found</p>");
  EXPECT_EQ(html.status, 404);
  EXPECT_EQ(html.headers.at("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(html.body, "<p>Not found</p>");

  const Response json = Response::Json(201, "{}");
  EXPECT_EQ(json.status, 201);
  EXPECT_EQ(json.headers.at("Content-Type"), "application/json");

  const Response made = Response::Make(200, "text/csv", "a,b\n");
  EXPECT_EQ(made.headers.at("Content-Type"), "text/csv");
  EXPECT_EQ(made.body, "a,b\n");
}

TEST(ResponseTest, RedirectIsSeeOther) {
  const Response redirect = Response::Redirect("/referrals");
  EXPECT_EQ(redirect.status, 303);
  EXPECT_EQ(redirect.headers.at("Location"), "/referrals");
  EXPECT_TRUE(redirect.body.empty());
}

TEST(MethodTest, Names) {
  EXPECT_EQ(ToString(Method::kGet), "GET");
  EXPECT_EQ(ToString(Method::kHead), "HEAD");
  EXPECT_EQ(ToString(Method::kPost), "POST");
  EXPECT_EQ(ToString(Method::kPut), "PUT");
  EXPECT_EQ(ToString(Method::kPatch), "PATCH");
  EXPECT_EQ(ToString(Method::kDelete), "DELETE");
  EXPECT_EQ(ToString(Method::kOptions), "OPTIONS");
  EXPECT_EQ(ToString(Method::kOther), "OTHER");
}

}  // namespace
}  // namespace tendon::http
