// A scenario compiled for running: the slots of its clinic templates generated once on its working
// calendar (scheduling::GenerateSlots, the live system's own rule), grouped into pools, the pools
// each need may book, the day-by-day arrival rate and the clinic calendar. Immutable once built,
// so the replications of a run share one plan across threads.
#ifndef TENDON_SIM_PLAN_H_
#define TENDON_SIM_PLAN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "core/schedule.h"
#include "core/status.h"
#include "core/time.h"
#include "sim/scenario.h"

namespace tendon::sim {

inline constexpr int kSlotTypes = 5;  // Indexed by SlotType.

// The slots of one clinic template, in start order.
struct SlotPool {
  std::vector<std::uint32_t> slots;  // Indices into Plan::slots.
  std::vector<double> starts;        // Their starts, days from the run's start.
  std::int32_t site = -1;            // Index into Plan::site_ids.
};

// One London day of the run.
struct PlanDay {
  bool working = false;    // A working day (no weekend, no bank holiday).
  double triage_open = 0;  // Days from the run's start; working days only.
  double triage_close = 0;
  double booking_run = 0;  // When the booking team books, on working days.
  double next_day = 0;     // The next London midnight.
};

struct Plan {
  Scenario scenario;
  Instant start{};         // London midnight of scenario.start.
  double warmup_days = 0;  // The results start here.
  double end_days = 0;     // The run stops here.

  // Arrival rate, referrals a day, by whole day from the start.
  std::vector<double> arrival_rate;
  std::vector<PlanDay> days;  // From the start to the end of the booking horizon.

  std::vector<std::string> site_ids;        // Sites with slots, in scenario order.
  std::vector<int> site_region;             // Index into scenario.demand.regions, by site.
  std::vector<double> site_slots_per_week;  // Places a week, over the results period.
  std::vector<Slot> slots;                  // As GenerateSlots made them, closures cancelled.
  std::vector<double> slot_start;           // Days from the run's start, by slot.
  std::vector<std::uint32_t> slot_pool;     // The pool of each slot.
  std::vector<SlotPool> pools;              // One per template with slots.
  // The pools a need may book, most suitable first: by NeedIndex.
  std::vector<std::vector<std::uint32_t>> candidates;

  std::size_t NeedIndex(ServiceLine line, SlotType type, Modality modality, int region) const {
    const std::size_t regions = scenario.demand.regions.size();
    return ((static_cast<std::size_t>(line) * kSlotTypes + static_cast<std::size_t>(type)) *
                kModalities +
            static_cast<std::size_t>(modality)) *
               regions +
           static_cast<std::size_t>(region);
  }
};

// Compiles `scenario`. Errors: ScenarioProblems' first; GenerateSlots' for a bad template.
StatusOr<Plan> BuildPlan(const Scenario& scenario);

}  // namespace tendon::sim

#endif  // TENDON_SIM_PLAN_H_
