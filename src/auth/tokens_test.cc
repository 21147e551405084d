#include "auth/tokens.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace tendon::auth {
namespace {

TEST(TokensTest, RandomTokensAreLongHexAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string token = RandomToken();
    ASSERT_EQ(token.size(), 64u);
    ASSERT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos);
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(TokensTest, HashTokenIsSha256Hex) {
  EXPECT_EQ(HashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_NE(HashToken("abc"), HashToken("abd"));
}

TEST(TokensTest, ConstantTimeEqualsComparesWholeStrings) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

TEST(TokensTest, RandomBase32UsesCrockfordsAlphabetAndDiffers) {
  const std::string a = RandomBase32(12);
  EXPECT_EQ(a.size(), 12u);
  EXPECT_EQ(a.find_first_not_of("0123456789ABCDEFGHJKMNPQRSTVWXYZ"), std::string::npos) << a;
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(RandomBase32(12));
  EXPECT_EQ(seen.size(), 1000u);
}

// Each of the 32 characters about as often as the others: 64,000 draws, 2,000 expected each,
// a standard deviation of about 44.
TEST(TokensTest, RandomBase32CharactersAreUniform) {
  std::map<char, int> counts;
  for (int i = 0; i < 4000; ++i) {
    for (char c : RandomBase32(16)) ++counts[c];
  }
  ASSERT_EQ(counts.size(), 32u);
  for (const auto& [c, n] : counts) {
    EXPECT_GT(n, 1800) << c;
    EXPECT_LT(n, 2200) << c;
  }
}

TEST(TokensTest, RandomDigitsAreDigitsAndEveryDigitTurnsUp) {
  std::set<char> digits;
  for (int i = 0; i < 200; ++i) {
    const std::string code = RandomDigits(6);
    ASSERT_EQ(code.size(), 6u);
    EXPECT_EQ(code.find_first_not_of("0123456789"), std::string::npos) << code;
    digits.insert(code.begin(), code.end());
  }
  EXPECT_EQ(digits.size(), 10u);
}

}  // namespace
}  // namespace tendon::auth
