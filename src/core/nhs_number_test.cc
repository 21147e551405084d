#include "core/nhs_number.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <unordered_set>
#include <vector>

namespace tendon {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Check digits worked by hand (weights 10..2, check = 11 - sum mod 11), not taken from the code:
//   943476591: 90+36+24+28+42+30+20+27+2 = 299; 299 mod 11 = 2; check 9.
//   401023213: 40+0+8+0+12+15+8+3+6 = 92; 92 mod 11 = 4; check 7.
//   999000001: 90+81+72+0+0+0+0+0+2 = 245; 245 mod 11 = 3; check 8.
//   999000000: 243; 243 mod 11 = 1; check value 10, never issued.
struct ValidCase {
  std::string_view text;
  std::string_view digits;
};

TEST(NhsNumberTest, AcceptsValidNumbersInEachLayout) {
  const std::vector<ValidCase> cases = {
      {"9434765919", "9434765919"},   {"943 476 5919", "9434765919"},
      {"943-476-5919", "9434765919"}, {"  943 476 5919 ", "9434765919"},
      {"4010232137", "4010232137"},   {"401 023 2137", "4010232137"},
      {"9990000018", "9990000018"},   {"4857773457", "4857773457"},
      {"1234567881", "1234567881"},   {"4505577104", "4505577104"},
      {"1000000001", "1000000001"},   {"0000000019", "0000000019"},
  };
  for (const ValidCase& c : cases) {
    SCOPED_TRACE(c.text);
    const StatusOr<std::string> parsed = ParseNhsNumber(c.text);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(*parsed, c.digits);
  }
}

struct InvalidCase {
  std::string_view text;
  std::string_view why;
};

TEST(NhsNumberTest, RefusesWithAReason) {
  const std::vector<InvalidCase> cases = {
      {"", "is required"},
      {"   ", "is required"},
      {"943476591", "has 9 digits"},
      {"94347659190", "has 11 digits"},
      {"943 476 591", "has 9 digits"},
      {"943476591A", "contains 'A', which is not a digit"},
      {"943.476.5919", "contains '.'"},
      {"943\t476\t5919", "contains a character"},
      {"943 476 5919\xC2\xA0", "contains a character"},
      {"+449434765919", "contains '+'"},
      {"9434 765 919", "3-3-4"},
      {"94 3476 5919", "3-3-4"},
      {"943  476 5919", "3-3-4"},
      {"943 476-5919", "3-3-4"},
      {"943-476 5919", "3-3-4"},
      {"9434765-919", "3-3-4"},
      {"943--4765919", "3-3-4"},
      {"9434765918", "the check digit does not match"},
      {"943 476 5910", "the check digit does not match"},
      {"4010232138", "the check digit does not match"},
      {"9990000019", "the check digit does not match"},
      {"9990000000", "check value of 10"},
      {"9991234560", "check value of 10"},
      {"999 123 4567", "check value of 10"},
      {"0000000000", "all ten digits are the same"},
      {"1111111111", "all ten digits are the same"},
      {"222 222 2222", "all ten digits are the same"},
      {"9999999999", "all ten digits are the same"},
  };
  for (const InvalidCase& c : cases) {
    SCOPED_TRACE(c.text);
    const StatusOr<std::string> parsed = ParseNhsNumber(c.text, "patient.nhs_number");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(parsed.status().field(), "patient.nhs_number");
    EXPECT_THAT(parsed.status().message(), HasSubstr(c.why));
  }
}

TEST(NhsNumberTest, MessagesNeverRepeatTheNumber) {
  for (std::string_view text : {"9434765918", "9990000000", "9434765919X", "943476591"}) {
    SCOPED_TRACE(text);
    const StatusOr<std::string> parsed = ParseNhsNumber(text);
    ASSERT_FALSE(parsed.ok());
    EXPECT_THAT(parsed.status().message(), Not(HasSubstr(text.substr(0, 9))));
  }
}

TEST(NhsNumberTest, EveryAllSameDigitNumberPassesModulusElevenYetIsRefused) {
  for (char c = '0'; c <= '9'; ++c) {
    const std::string same(10, c);
    SCOPED_TRACE(same);
    EXPECT_EQ(NhsCheckDigit(same.substr(0, 9)), c) << "the reason for the extra rule";
    EXPECT_FALSE(ParseNhsNumber(same).ok());
  }
}

TEST(NhsNumberTest, CheckDigit) {
  const std::vector<std::pair<std::string_view, std::optional<char>>> cases = {
      {"943476591", '9'},           {"401023213", '7'},
      {"999000001", '8'},           {"100000000", '1'},
      {"000000001", '9'},           {"999000000", std::nullopt},  // Check value 10.
      {"99900000", std::nullopt},                                 // Eight digits.
      {"9990000011", std::nullopt},                               // Ten digits.
      {"99900000x", std::nullopt},
  };
  for (const auto& [nine, check] : cases) {
    SCOPED_TRACE(nine);
    EXPECT_EQ(NhsCheckDigit(nine), check);
  }
}

TEST(NhsNumberTest, Format) {
  EXPECT_EQ(FormatNhsNumber("9434765919"), "943 476 5919");
  EXPECT_EQ(FormatNhsNumber("9990000018"), "999 000 0018");
  EXPECT_EQ(FormatNhsNumber("943476591"), "943476591");
  EXPECT_EQ(FormatNhsNumber("943 476 5919"), "943 476 5919");
  EXPECT_EQ(FormatNhsNumber("94347659X9"), "94347659X9");
  EXPECT_EQ(*ParseNhsNumber(FormatNhsNumber("4010232137")), "4010232137");
}

TEST(NhsNumberTest, TestNumbersStartAsDocumented) {
  const std::vector<std::pair<std::uint32_t, std::string_view>> cases = {
      {0, "9990000018"},  // 9990000000 would have check value 10.
      {1, "9990000026"},
      {8, "9990000093"},
      {9, "9990000107"},                           // The next five-digit block.
      {kTestNhsNumberCapacity - 1, "9999999883"},  // Block 99998, its ninth usable digit.
  };
  for (const auto& [serial, number] : cases) {
    SCOPED_TRACE(serial);
    const StatusOr<std::string> made = MakeTestNhsNumber(serial);
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    EXPECT_EQ(*made, number);
  }
}

// Every serial gives a distinct valid number in the 999 test range; the whole capacity is checked.
TEST(NhsNumberTest, TestNumbersAreValidDistinctAndReserved) {
  std::unordered_set<std::string> seen;
  seen.reserve(kTestNhsNumberCapacity);
  for (std::uint32_t serial = 0; serial < kTestNhsNumberCapacity; ++serial) {
    const StatusOr<std::string> made = MakeTestNhsNumber(serial);
    ASSERT_TRUE(made.ok()) << serial << ": " << made.status().ToString();
    ASSERT_EQ(made->substr(0, 3), "999") << serial;
    ASSERT_TRUE(ParseNhsNumber(*made).ok()) << serial << ": " << *made;
    ASSERT_TRUE(seen.insert(*made).second) << serial << " repeats " << *made;
  }
  EXPECT_EQ(MakeTestNhsNumber(0).value(), MakeTestNhsNumber(0).value()) << "deterministic";
}

TEST(NhsNumberTest, TestNumbersBeyondCapacityAreRefused) {
  for (std::uint32_t serial :
       {kTestNhsNumberCapacity, kTestNhsNumberCapacity + 1, 10'000'000u, 0xFFFFFFFFu}) {
    SCOPED_TRACE(serial);
    const StatusOr<std::string> made = MakeTestNhsNumber(serial);
    ASSERT_FALSE(made.ok());
    EXPECT_EQ(made.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(made.status().field(), "serial");
  }
}

}  // namespace
}  // namespace tendon
