#include "cli/flags.h"

#include <gtest/gtest.h>

namespace tendon::cli {
namespace {

TEST(FlagsTest, AcceptsSpaceAndEqualsForms) {
  auto flags = Flags::Parse({"--db", "a.db", "--months=3", "--force"}, {"db", "months"}, {"force"});
  ASSERT_TRUE(flags.ok()) << flags.status().ToString();
  EXPECT_EQ(*flags->Get("db"), "a.db");
  EXPECT_EQ(*flags->Int("months", 6, 1, 60), 3);
  EXPECT_TRUE(flags->Has("force"));
  EXPECT_EQ(*flags->Int("seed", 1, 0, 100), 1);
}

struct BadCase {
  std::vector<std::string> args;
  std::string field;
};

TEST(FlagsTest, RefusesBadArgumentsNamingTheFlag) {
  const std::vector<BadCase> cases{
      {{"--nope", "1"}, "--nope"},
      {{"--db"}, "--db"},
      {{"stray"}, "stray"},
  };
  for (const BadCase& c : cases) {
    auto flags = Flags::Parse(c.args, {"db"});
    ASSERT_FALSE(flags.ok());
    EXPECT_EQ(flags.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(flags.status().field(), c.field);
  }
}

TEST(FlagsTest, IntRefusesJunkAndOutOfRange) {
  auto flags = Flags::Parse({"--months", "6x", "--seed", "-1"}, {"months", "seed"});
  ASSERT_TRUE(flags.ok());
  EXPECT_EQ(flags->Int("months", 6, 1, 60).status().field(), "--months");
  auto seed = flags->Int("seed", 1, 0, 100);
  EXPECT_FALSE(seed.ok());
  EXPECT_NE(seed.status().message().find("between 0 and 100"), std::string::npos);
  EXPECT_EQ(flags->Require("db").status().field(), "--db");
}

}  // namespace
}  // namespace tendon::cli
