// Test helpers for the demo module: the real Oxfordshire data folder, loaded once. Test-only.
#ifndef TENDON_DEMO_TESTING_H_
#define TENDON_DEMO_TESTING_H_

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "config/clinics.h"
#include "config/service.h"
#include "core/source_dir_for_tests.h"
#include "core/working_days.h"
#include "demo/parameters.h"

namespace tendon::demo::testing {

inline std::filesystem::path ServiceDir() {
  return SourceDirForTests() / "data/services/oxfordshire";
}

// The Oxfordshire service, the bank holidays and demo.toml, loaded once for the whole test binary.
struct RealData {
  config::ServiceConfig service;
  config::ClinicsConfig clinics;
  WorkingCalendar calendar;
  DemoParameters params;
};

inline const RealData& Real() {
  static const RealData* data = [] {
    auto service = config::LoadService(ServiceDir());
    auto calendar =
        config::LoadWorkingCalendar(SourceDirForTests() / "data/bank-holidays-england-wales.csv");
    auto params = LoadDemoParameters(ServiceDir() / "demo.toml");
    StatusOr<config::ClinicsConfig> clinics =
        service.ok() ? config::LoadClinics(ServiceDir(), *service) : service.status();
    EXPECT_TRUE(service.ok()) << service.status().ToString();
    EXPECT_TRUE(calendar.ok()) << calendar.status().ToString();
    EXPECT_TRUE(params.ok()) << params.status().ToString();
    EXPECT_TRUE(clinics.ok()) << clinics.status().ToString();
    if (!service.ok() || !clinics.ok() || !calendar.ok() || !params.ok()) std::abort();
    return new RealData{*service, *clinics, *calendar, *params};
  }();
  return *data;
}

}  // namespace tendon::demo::testing

#endif  // TENDON_DEMO_TESTING_H_
