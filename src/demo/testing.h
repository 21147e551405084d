// Test helpers for the demo module: the real Oxfordshire data folder, loaded once. Test-only.
#ifndef TENDON_DEMO_TESTING_H_
#define TENDON_DEMO_TESTING_H_

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "config/service.h"
#include "core/working_days.h"
#include "demo/parameters.h"

namespace tendon::demo::testing {

// The repository root: TENDON_SOURCE_DIR (set by ctest), else the working directory.
inline std::filesystem::path SourceDir() {
  const char* dir = std::getenv("TENDON_SOURCE_DIR");
  return dir != nullptr ? std::filesystem::path(dir) : std::filesystem::current_path();
}

inline std::filesystem::path ServiceDir() { return SourceDir() / "data/services/oxfordshire"; }

// The Oxfordshire service, the bank holidays and demo.toml, loaded once for the whole test binary.
struct RealData {
  config::ServiceConfig service;
  WorkingCalendar calendar;
  DemoParameters params;
};

inline const RealData& Real() {
  static const RealData* data = [] {
    auto service = config::LoadService(ServiceDir());
    auto calendar =
        config::LoadWorkingCalendar(SourceDir() / "data/bank-holidays-england-wales.csv");
    auto params = LoadDemoParameters(ServiceDir() / "demo.toml");
    EXPECT_TRUE(service.ok()) << service.status().ToString();
    EXPECT_TRUE(calendar.ok()) << calendar.status().ToString();
    EXPECT_TRUE(params.ok()) << params.status().ToString();
    if (!service.ok() || !calendar.ok() || !params.ok()) std::abort();
    return new RealData{*service, *calendar, *params};
  }();
  return *data;
}

}  // namespace tendon::demo::testing

#endif  // TENDON_DEMO_TESTING_H_
