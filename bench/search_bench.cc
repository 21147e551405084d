// Slot search over a year of the Oxfordshire rota (the booking issue; goal: p99 under 5 ms).
//
// Generates a year of slots from the service's clinic templates (data/services/oxfordshire), sorted
// by start, with a third of them booked, then times 2,000 searches of each kind for random needs
// and patients (a random postcode district as the origin, random preferences): the 10 earliest and
// the 10 nearest. Prints one line:
//   slots=N search_p50_ms=N search_p99_ms=N nearest_p50_ms=N nearest_p99_ms=N
// Usage: search_bench DATA_DIR
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

#include "config/clinics.h"
#include "config/service.h"
#include "core/london_time.h"
#include "scheduling/search.h"
#include "scheduling/slots.h"

namespace {

using namespace tendon;

constexpr int kSearches = 2000;
constexpr std::size_t kLimit = 10;

double Percentile(std::vector<double> ms, double p) {
  std::sort(ms.begin(), ms.end());
  return ms[static_cast<std::size_t>(p * static_cast<double>(ms.size() - 1))];
}

int Run(const std::filesystem::path& data) {
  auto service = config::LoadService(data / config::kServiceSubdir);
  auto calendar = config::LoadWorkingCalendar(data / config::kBankHolidaysFile);
  if (!service.ok() || !calendar.ok()) {
    std::fprintf(stderr, "cannot load the service: %s %s\n", service.status().ToString().c_str(),
                 calendar.status().ToString().c_str());
    return 1;
  }
  auto clinics = config::LoadClinics(data / config::kServiceSubdir, *service);
  if (!clinics.ok()) {
    std::fprintf(stderr, "%s\n", clinics.status().ToString().c_str());
    return 1;
  }
  const Date from = date::year(2027) / 1 / 4;
  const Date to = from + date::days(364);
  std::vector<Slot> slots;
  for (const ClinicTemplate& t : clinics->templates) {
    auto made = scheduling::GenerateSlots(t, *calendar, from, to);
    if (!made.ok()) return 1;
    slots.insert(slots.end(), made->begin(), made->end());
  }
  std::sort(slots.begin(), slots.end(), [](const Slot& a, const Slot& b) {
    return a.start != b.start ? a.start < b.start : a.id < b.id;
  });
  std::mt19937_64 rng(7);
  for (Slot& s : slots) {
    if (rng() % 3 == 0) s.booked = s.capacity;
  }
  scheduling::SiteLocations sites;
  for (const Site& s : service->sites) sites[s.id] = {s.latitude, s.longitude};
  scheduling::ClinicianSkills skills;
  for (const Clinician& c : clinics->clinicians) skills[c.id] = c.skills;

  const SlotType types[] = {SlotType::kNew, SlotType::kFollowUp, SlotType::kInjection};
  std::vector<double> earliest_ms, nearest_ms;
  std::size_t found = 0;
  for (int i = 0; i < kSearches; ++i) {
    const auto& district = service->districts[rng() % service->districts.size()];
    scheduling::Need need;
    need.type = types[rng() % 3];
    need.modality = Modality::kFaceToFace;
    scheduling::Preferences prefs;
    if (rng() % 2)
      prefs.weekdays = {1 + static_cast<int>(rng() % 5), 1 + static_cast<int>(rng() % 5)};
    if (rng() % 2) prefs.earliest_minute = 12 * 60;
    prefs.max_km = rng() % 2 ? 25 : 0;
    const scheduling::Origin origin{district.latitude, district.longitude, true};
    const Instant now = FromLondon(from + date::days(rng() % 300), std::chrono::hours(8)).value();
    for (auto* times : {&earliest_ms, &nearest_ms}) {
      const auto start = std::chrono::steady_clock::now();
      const auto candidates =
          times == &earliest_ms
              ? scheduling::SearchSlots(slots, need, prefs, origin, sites, skills, now, kLimit)
              : scheduling::SearchNearestSlots(slots, need, prefs, origin, sites, skills, now,
                                               kLimit);
      times->push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count());
      found += candidates.size();
    }
  }
  std::printf(
      "slots=%zu search_p50_ms=%.3f search_p99_ms=%.3f nearest_p50_ms=%.3f "
      "nearest_p99_ms=%.3f found=%zu\n",
      slots.size(), Percentile(earliest_ms, 0.5), Percentile(earliest_ms, 0.99),
      Percentile(nearest_ms, 0.5), Percentile(nearest_ms, 0.99), found);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: search_bench DATA_DIR\n");
    return 2;
  }
  return Run(argv[1]);
}
