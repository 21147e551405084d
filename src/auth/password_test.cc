#include "auth/password.h"

#include <gtest/gtest.h>

namespace tendon::auth {
namespace {

TEST(PasswordTest, HashVerifiesOnlyTheSamePassword) {
  auto hash = HashPassword("correct horse battery");
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse battery "));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
  EXPECT_FALSE(VerifyPassword("not a hash", "correct horse battery"));
}

TEST(PasswordTest, SamePasswordHashesDifferently) {
  auto a = HashPassword("correct horse battery");
  auto b = HashPassword("correct horse battery");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);  // A fresh salt each time.
}

TEST(PasswordTest, PolicyRefusesShortAndHugePasswords) {
  EXPECT_EQ(HashPassword("short").status().field(), "password");
  EXPECT_NE(CheckPasswordPolicy("elevenchars").message().find("at least 12"), std::string::npos);
  EXPECT_TRUE(CheckPasswordPolicy("twelve chars").ok());
  EXPECT_FALSE(CheckPasswordPolicy(std::string(257, 'x')).ok());
}

TEST(PasswordTest, DummyHashMatchesNothingUsual) {
  ASSERT_FALSE(DummyPasswordHash().empty());
  EXPECT_FALSE(VerifyPassword(DummyPasswordHash(), "correct horse battery"));
}

}  // namespace
}  // namespace tendon::auth
