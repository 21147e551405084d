#include "demo/parameters.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "config/rules_loader.h"
#include "config/service.h"
#include "core/source_dir_for_tests.h"
#include "demo/testing.h"

namespace tendon::demo {
namespace {

using ::testing::HasSubstr;

const std::string& RealText() {
  static const std::string text = [] {
    auto read = config::ReadTextFile(testing::ServiceDir() / "demo.toml");
    EXPECT_TRUE(read.ok()) << read.status().ToString();
    return read.ok() ? *read : std::string();
  }();
  return text;
}

// The real file with the first `from` replaced by `to` (which must be there).
std::string Edited(const std::string& from, const std::string& to) {
  std::string text = RealText();
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// The red flags the demo raises are rules that exist, at the version it records.
TEST(DemoParametersTest, RedFlagRulesAreTheServicesRules) {
  auto p = LoadDemoParameters(testing::ServiceDir() / "demo.toml");
  auto rules = config::LoadRuleSet(SourceDirForTests() / "data/rules/red-flags.toml");
  ASSERT_TRUE(p.ok() && rules.ok());
  for (const std::string& id : p->redflag_rules) {
    bool found = false;
    for (const Rule& rule : rules->rules) {
      found = found || (rule.id == id && rule.version == p->redflag_rule_version);
    }
    EXPECT_TRUE(found) << id << " version " << p->redflag_rule_version;
  }
}

TEST(DemoParametersTest, LoadsTheOxfordshireFile) {
  auto p = LoadDemoParameters(testing::ServiceDir() / "demo.toml");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->referrals_per_month, 5058);
  ASSERT_EQ(p->sources.size(), 4u);
  for (const SourceParameters& s : p->sources) {
    if (s.source == ReferralSource::kSelf) {
      EXPECT_EQ(s.tier2_share, 0);
    }
  }
  EXPECT_EQ(p->modality_shares[static_cast<std::size_t>(Modality::kFaceToFace)], 0.88);
  EXPECT_EQ(p->waits[0].mean_weeks, 2.07);
  EXPECT_EQ(p->waits[1].mean_weeks, 5.1);
  EXPECT_EQ(p->pifu_window_months, 6);
  EXPECT_EQ(p->tier2_line_shares[static_cast<std::size_t>(ServiceLine::kPhysioline)], 0);
  EXPECT_GT(p->tier2_line_shares[static_cast<std::size_t>(ServiceLine::kSpinal)], 0);
  EXPECT_EQ(p->age_bands.size(), 6u);
  EXPECT_EQ(p->forward_weeks, 8);
  EXPECT_EQ(p->overflow_after_working_days, 5);
}

struct BadCase {
  const char* name;
  std::string from;
  std::string to;
  std::string expected;  // A part of the error message.
};

TEST(DemoParametersTest, ErrorsNameTheFileTheKeyAndTheReason) {
  const BadCase cases[] = {
      {"missing key", "referrals_per_month = 5058\n", "",
       "demo.toml: history.referrals_per_month: missing"},
      {"unknown key", "[history]\n", "[history]\nreferals_per_month = 1\n",
       "demo.toml:14: history.referals_per_month: unknown key"},
      {"wrong type", "referrals_per_month = 5058", "referrals_per_month = \"lots\"",
       "history.referrals_per_month: must be a number"},
      {"out of range", "female_share = 0.58", "female_share = 1.5",
       "patients.female_share: must be a number from 0 to 1"},
      {"shares", "share = 0.55", "share = 0.65", "sources: the shares must sum to 1"},
      {"self to tier 2", "tier2_share = 0.0", "tier2_share = 0.1",
       "sources.self.tier2_share: must be 0: self-referrals go to tier 1 only"},
      {"unknown source", "[sources.fcp]", "[sources.post]", "sources.post: not a referral source"},
      {"priority table", "emergency = 0.003, urgent = 0.10,", "emergency = 0.003,",
       "sources.gp.priority.urgent: missing"},
      {"unknown section", "[fft]", "[fff]", "demo.toml: fft: missing"},
      {"syntax", "[history]", "[history", "not valid TOML"},
      {"overflow window", "overflow_after_working_days = 5", "overflow_after_working_days = 61",
       "diary.overflow_after_working_days: must be"},
  };
  for (const BadCase& c : cases) {
    auto p = ParseDemoParameters(Edited(c.from, c.to), "demo.toml");
    ASSERT_FALSE(p.ok()) << c.name;
    EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument) << c.name;
    EXPECT_THAT(p.status().message(), HasSubstr(c.expected)) << c.name;
  }
}

TEST(DemoParametersTest, AMissingFileIsNotFound) {
  auto p = LoadDemoParameters(testing::ServiceDir() / "no-such-demo.toml");
  EXPECT_EQ(p.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace tendon::demo
