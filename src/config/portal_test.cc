// The patient portal's words (data/portal/): the real files load and tell every event type and
// state, and a bad file is refused naming the file, the line and what is wrong.
#include "config/portal.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/source_dir_for_tests.h"

namespace tendon::config {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

TEST(PortalContentTest, TheRealFilesTellEveryEventStateAndServiceLine) {
  auto content = LoadPortalContent(SourceDirForTests() / "data" / kPortalSubdir);
  ASSERT_TRUE(content.ok()) << content.status().ToString();
  EXPECT_EQ(content->states.size(), static_cast<std::size_t>(ReferralState::kOnwardReferred) + 1);
  EXPECT_EQ(content->advice.size(), static_cast<std::size_t>(ServiceLine::kPainManagement) + 1);
  EXPECT_EQ(content->wait.window_days, 90);
  EXPECT_EQ(content->wait.min_patients, 20);
  EXPECT_FALSE(content->general.get_help.empty());
  EXPECT_EQ(content->prepare.size(), 3u);
  EXPECT_FALSE(content->audit.empty());
}

// A copy of the real folder in a temporary directory, with timeline.toml replaced by `timeline`.
class BadPortalFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tendon-portal-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::copy(SourceDirForTests() / "data" / kPortalSubdir, dir_, fs::copy_options::recursive);
  }
  void TearDown() override { fs::remove_all(dir_); }

  Status LoadWithTimeline(const std::string& timeline) {
    std::ofstream(dir_ / "timeline.toml") << timeline;
    return LoadPortalContent(dir_).status();
  }

  fs::path dir_;
};

TEST_F(BadPortalFilesTest, AnUnknownPlaceholderIsRefusedWithItsLine) {
  std::ifstream real(SourceDirForTests() / "data" / kPortalSubdir / "timeline.toml");
  std::string text((std::istreambuf_iterator<char>(real)), std::istreambuf_iterator<char>());
  const std::string from = "Your appointment is on {start}";
  ASSERT_NE(text.find(from), std::string::npos);
  text.replace(text.find(from), from.size(), "Your appointment is on {nhs_number}");
  Status status = LoadWithTimeline(text);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("timeline.toml:"));
  EXPECT_THAT(status.message(), HasSubstr("{nhs_number} is not a placeholder"));
}

TEST_F(BadPortalFilesTest, AnEventTypeWithoutWordingIsRefused) {
  Status status = LoadWithTimeline(R"(
[wait]
window_days = 90
min_patients = 20

[prepare]
face_to_face = "Arrive early."
video = "Test your camera."
telephone = "Have your phone."

[[event]]
type = "referral.received"
title = "We received your referral"
text = "Your referral reached us."

[[state]]
state = "received"
now = "Now"
next = "Next"
)");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("tells referral.returned"));
}

TEST_F(BadPortalFilesTest, AMisspeltKeyIsRefused) {
  Status status = LoadWithTimeline(R"(
[wait]
window_days = 90
min_patients = 20
minimum = 3
)");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("minimum"));
}

}  // namespace
}  // namespace tendon::config
