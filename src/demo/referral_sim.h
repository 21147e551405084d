// One referral's way through the pathway, as a sequence of pathway events up to the end of the
// history. Internal to the demo module: GenerateHistory (history.h) calls it for every arrival.
#ifndef TENDON_DEMO_REFERRAL_SIM_H_
#define TENDON_DEMO_REFERRAL_SIM_H_

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/records.h"
#include "core/schedule.h"
#include "demo/diary.h"
#include "demo/parameters.h"
#include "demo/random.h"
#include "demo/roster.h"
#include "demo/work_clock.h"

namespace tendon::demo::internal {

// What every referral's simulation shares. References must outlive the simulations.
struct SimWorld {
  const DemoParameters& params;
  const WorkClock& clock;
  const Roster& roster;
  Instant cutoff;  // The end of the history: no event at or after it.
  // Multiplier of each tier's mean wait by priority, so that each tier keeps its mean over the
  // priority mix it receives (see WaitScales).
  std::array<ByPriority, kTiers> wait_scale;
};

// wait_priority_factor rescaled per tier: factor / (the factor's mean over that tier's expected
// priority mix, emergencies excluded as they are never booked).
std::array<ByPriority, kTiers> WaitScales(const DemoParameters& params);

// A referral as it arrives.
struct Intake {
  std::string referral_id;
  std::string patient_key;
  const SourceParameters* source = nullptr;
  std::string referrer_organisation;  // ODS code; empty for self-referrals.
  Priority priority = Priority::kRoutine;
  Instant received_at{};
  std::size_t site = 0;  // Index of the site where the patient would be seen face to face.
};

// Simulates `intake` from arrival until its pathway ends or the cutoff comes, appending its events
// to `events` (occurred_at ascending, each leaving the referral in a state the state machine
// allows) and returning the referral as it stands after the last of them, with an owner and a due
// time when it is still open. Only payload times (appointment starts, PIFU window ends) may lie
// after the cutoff. Every appointment.booked takes a place in a slot of `diary` and appends its
// appointment to `appointments`, whose status follows the appointment's later events (booked
// while it has none); a booking that finds no slot in the diary does not happen, and the referral
// stays as it was (waiting to book, or in treatment).
Referral SimulateReferral(const SimWorld& world, const Intake& intake, Rng& rng, Diary& diary,
                          std::vector<PathwayEvent>& events,
                          std::vector<Appointment>& appointments);

}  // namespace tendon::demo::internal

#endif  // TENDON_DEMO_REFERRAL_SIM_H_
