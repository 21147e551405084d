#include "auth/throttle.h"

#include <gtest/gtest.h>

namespace tendon::auth {
namespace {

Instant At(int seconds) { return FromUnixMillis(1'780'000'000'000 + seconds * 1000LL); }

TEST(ThrottleTest, RefusesAfterMaxFailuresUntilTheWindowPasses) {
  Throttle throttle(3, std::chrono::seconds(60));
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(throttle.Allowed("user:a", At(i)));
    throttle.RecordFailure("user:a", At(i));
  }
  EXPECT_FALSE(throttle.Allowed("user:a", At(10)));
  EXPECT_TRUE(throttle.Allowed("user:b", At(10)));  // Keys are independent.
  EXPECT_FALSE(throttle.Allowed("user:a", At(59)));
  EXPECT_TRUE(throttle.Allowed("user:a", At(60)));  // The first failure left the window.
}

TEST(ThrottleTest, ResetForgetsFailures) {
  Throttle throttle(1, std::chrono::seconds(60));
  throttle.RecordFailure("user:a", At(0));
  EXPECT_FALSE(throttle.Allowed("user:a", At(1)));
  throttle.Reset("user:a");
  EXPECT_TRUE(throttle.Allowed("user:a", At(1)));
}

TEST(ThrottleTest, ManyOneOffKeysAreSweptOnceExpired) {
  Throttle throttle(2, std::chrono::seconds(1));
  for (int i = 0; i < 20'000; ++i) throttle.RecordFailure("ip:" + std::to_string(i), At(0));
  throttle.RecordFailure("ip:late", At(5));
  throttle.RecordFailure("ip:late", At(5));
  EXPECT_FALSE(throttle.Allowed("ip:late", At(5)));
  EXPECT_TRUE(throttle.Allowed("ip:7", At(5)));
}

}  // namespace
}  // namespace tendon::auth
