#include "core/records.h"

#include <gtest/gtest.h>

#include <array>

namespace tendon {
namespace {

TEST(RecordsTest, SexRoundTripsThroughItsName) {
  constexpr std::array kAll{Sex::kFemale, Sex::kMale, Sex::kIndeterminate, Sex::kNotKnown};
  for (Sex sex : kAll) {
    SCOPED_TRACE(ToString(sex));
    const StatusOr<Sex> parsed = ParseSex(ToString(sex));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, sex);
  }
  const StatusOr<Sex> bad = ParseSex("F", "patient.sex");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().field(), "patient.sex");
}

}  // namespace
}  // namespace tendon
