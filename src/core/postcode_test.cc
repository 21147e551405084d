#include "core/postcode.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tendon {
namespace {

using ::testing::HasSubstr;

struct ValidCase {
  std::string_view text;
  std::string_view normalised;
  std::string_view district;
};

TEST(PostcodeTest, AcceptsEveryFormatAndNormalises) {
  const std::vector<ValidCase> cases = {
      // A9 9AA
      {"M1 1AE", "M1 1AE", "M1"},
      {"B3 3HN", "B3 3HN", "B3"},
      // A99 9AA
      {"M60 1NW", "M60 1NW", "M60"},
      {"B33 8TH", "B33 8TH", "B33"},
      // AA9 9AA
      {"CR2 6XH", "CR2 6XH", "CR2"},
      {"OX3 9DU", "OX3 9DU", "OX3"},
      // AA99 9AA
      {"DN55 1PT", "DN55 1PT", "DN55"},
      {"OX14 1AA", "OX14 1AA", "OX14"},
      // A9A 9AA
      {"W1A 1HQ", "W1A 1HQ", "W1A"},
      {"E1W 1AA", "E1W 1AA", "E1W"},
      // AA9A 9AA
      {"EC1A 1BB", "EC1A 1BB", "EC1A"},
      {"SW1A 1AA", "SW1A 1AA", "SW1A"},
      // Girobank.
      {"GIR 0AA", "GIR 0AA", "GIR"},
      {"gir0aa", "GIR 0AA", "GIR"},
      // Case and spacing.
      {"ox39du", "OX3 9DU", "OX3"},
      {" OX3  9DU ", "OX3 9DU", "OX3"},
      {"Ox3 9dU", "OX3 9DU", "OX3"},
      {"OX39DU", "OX3 9DU", "OX3"},
      {"O X 3 9 D U", "OX3 9DU", "OX3"},
      {"\tsw1a1aa\t", "SW1A 1AA", "SW1A"},
      {"m11ae", "M1 1AE", "M1"},
  };
  for (const ValidCase& c : cases) {
    SCOPED_TRACE(c.text);
    const StatusOr<Postcode> parsed = ParsePostcode(c.text);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(parsed->normalised, c.normalised);
    EXPECT_EQ(parsed->district(), c.district);
    EXPECT_EQ(parsed->inward(), c.normalised.substr(c.normalised.size() - 3));
    const StatusOr<Postcode> again = ParsePostcode(parsed->normalised);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *parsed) << "normalising is idempotent";
  }
}

struct InvalidCase {
  std::string_view text;
  std::string_view why;
};

TEST(PostcodeTest, RefusesWithAReason) {
  const std::vector<InvalidCase> cases = {
      {"", "is required"},
      {"   ", "is required"},
      {"OX3-9DU", "contains '-'"},
      {"OX3 9DU.", "contains '.'"},
      {"OX3 9D\xC3\x9C", "contains a character"},
      {"OX3", "is too short"},
      {"M19A", "is too short"},
      {"OX3 9DUUU", "is too long"},
      {"OX3 9DUU", "the inward code 'DUU' must be a digit and two letters"},
      {"SW1AA 1AA", "is too long"},
      // Inward code: a digit and two letters, none of C I K M O V.
      {"OX3 DDU", "must be a digit and two letters"},
      {"OX3 99U", "must be a digit and two letters"},
      {"OX3 9CU", "cannot be C, I, K, M, O or V"},
      {"OX3 9DI", "cannot be C, I, K, M, O or V"},
      {"OX3 9KA", "cannot be C, I, K, M, O or V"},
      {"OX3 9AM", "cannot be C, I, K, M, O or V"},
      {"OX3 9OA", "cannot be C, I, K, M, O or V"},
      {"OX3 9AV", "cannot be C, I, K, M, O or V"},
      // Shapes that are no UK format.
      {"1X3 9DU", "has none of the UK formats"},
      {"OXX 9DU", "has none of the UK formats"},
      {"O3X3 9DU", "has none of the UK formats"},
      {"OX3AA 9DU", "is too long"},
      {"GIR 1AA", "has none of the UK formats"},
      // A9 and A99: first letter.
      {"Q1 1AA", "first letter cannot be Q, V or X"},
      {"V12 1AA", "first letter cannot be Q, V or X"},
      {"X1 1AA", "first letter cannot be Q, V or X"},
      // AA9 and AA99: second letter.
      {"AI1 1AA", "second letter cannot be I, J or Z"},
      {"OJ12 1AA", "second letter cannot be I, J or Z"},
      {"QA1 1AA", "first letter cannot be Q, V or X"},
      {"BZ1 1AA", "second letter cannot be I, J or Z"},
      // A9A: third letter from ABCDEFGHJKPSTUW.
      {"W1I 1AA", "must be one of ABCDEFGHJKPSTUW"},
      {"W1L 1AA", "must be one of ABCDEFGHJKPSTUW"},
      {"X1A 1AA", "first letter cannot be Q, V or X"},
      // AA9A: fourth letter from ABEHMNPRVWXY.
      {"EC1C 1BB", "must be one of ABEHMNPRVWXY"},
      {"SW1Z 1AA", "must be one of ABEHMNPRVWXY"},
      {"SJ1A 1AA", "second letter cannot be I, J or Z"},
  };
  for (const InvalidCase& c : cases) {
    SCOPED_TRACE(c.text);
    const StatusOr<Postcode> parsed = ParsePostcode(c.text, "patient.postcode");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(parsed.status().field(), "patient.postcode");
    EXPECT_THAT(parsed.status().message(), HasSubstr(c.why));
  }
}

// Every letter in every restricted position: accepted exactly when the rules allow it.
TEST(PostcodeTest, LetterRulesHoldForEveryLetter) {
  const std::string_view kNotFirst = "QVX", kNotSecond = "IJZ", kNotInward = "CIKMOV";
  const std::string_view kThirdOfA9A = "ABCDEFGHJKPSTUW", kFourthOfAA9A = "ABEHMNPRVWXY";
  for (char c = 'A'; c <= 'Z'; ++c) {
    SCOPED_TRACE(std::string(1, c));
    auto ok = [](std::string text) { return ParsePostcode(text).ok(); };
    auto in = [c](std::string_view set) { return set.find(c) != std::string_view::npos; };
    EXPECT_EQ(ok(std::string(1, c) + "1 1AA"), !in(kNotFirst));
    EXPECT_EQ(ok(std::string("A") + c + "1 1AA"), !in(kNotSecond));
    EXPECT_EQ(ok(std::string("W1") + c + " 1AA"), in(kThirdOfA9A));
    EXPECT_EQ(ok(std::string("EC1") + c + " 1AA"), in(kFourthOfAA9A));
    EXPECT_EQ(ok(std::string("OX3 9") + c + "A"), !in(kNotInward));
    EXPECT_EQ(ok(std::string("OX3 9A") + c), !in(kNotInward));
  }
}

TEST(PostcodeTest, Districts) {
  const std::vector<std::pair<std::string_view, std::string_view>> valid = {
      {"OX3", "OX3"}, {"ox3", "OX3"},   {" ox14 ", "OX14"}, {"M1", "M1"},
      {"W1A", "W1A"}, {"EC1A", "EC1A"}, {"B33", "B33"},     {"gir", "GIR"},
  };
  for (const auto& [text, district] : valid) {
    SCOPED_TRACE(text);
    const StatusOr<std::string> parsed = ParsePostcodeDistrict(text);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(*parsed, district);
  }
  const std::vector<InvalidCase> invalid = {
      {"", "is required"},
      {"OX3 9DU", "the first part only"},
      {"O X3", "the first part only"},
      {"OX", "has none of the UK formats"},
      {"OX123", "has none of the UK formats"},
      {"Q1", "first letter cannot be Q, V or X"},
      {"W1L", "must be one of ABCDEFGHJKPSTUW"},
      {"OX-3", "contains '-'"},
  };
  for (const InvalidCase& c : invalid) {
    SCOPED_TRACE(c.text);
    const StatusOr<std::string> parsed = ParsePostcodeDistrict(c.text, "district");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().field(), "district");
    EXPECT_THAT(parsed.status().message(), HasSubstr(c.why));
  }
}

}  // namespace
}  // namespace tendon
