// The pathway model: one replication of a plan, run by a discrete-event engine (sim/event_queue.h)
// from the run's start to its end, emitting the pathway events of the live schema (core/event.h)
// as compact records to a sink.
//
// What happens to a referral: it arrives (Poisson, at the plan's day-by-day rate) with a region,
// source, priority, tier, service line and modality drawn from the demand mix; waits for a triage
// clinician (priority order, then first come; on working hours when the scenario says so);
// triage discharges it with advice, refers it onward or accepts it onto the waiting list. It is
// then booked: with pooled capacity, the next free clinician sees it at once; with slots, the
// booking team's run each working day books the list in priority order, then longest waiting,
// into the earliest fitting slot within the horizon (the pools of Plan::candidates; ring-fences
// by scheduling::SlotOpenTo). A booking may be cancelled by the patient (the slot is freed) or by
// the service (the place is lost), and either way the referral goes back to the list; at the
// appointment the patient attends or does not (a first did-not-attend may discharge). A
// physioline assessment discharges, moves the referral to physiotherapy or refers it onward. After
// the episode's visits it is referred onward or discharged, with a PIFU window from which some
// patients come back for a visit.
//
// The hot path does not allocate once the queues have grown: referrals, sites and slots are dense
// indices, and strings are made only by a sink that wants PathwayEvents.
#ifndef TENDON_SIM_MODEL_H_
#define TENDON_SIM_MODEL_H_

#include <cstdint>

#include "core/event.h"
#include "core/pathway.h"
#include "core/schedule.h"
#include "sim/plan.h"

namespace tendon::sim {

// One pathway event as the model emits it.
struct Emitted {
  double time = 0;   // Days from the run's start.
  double since = 0;  // For transfer.imported: when the patient began waiting (may be negative).
  EventType type = EventType::kReferralReceived;
  ReferralState state = ReferralState::kReceived;
  std::uint32_t referral = 0;
  std::int32_t site = -1;   // Index into Plan::site_ids; -1: none.
  std::int32_t slot = -1;   // Index into Plan::slots for an appointment in a slot; else -1.
  std::uint32_t visit = 0;  // The referral's appointment number, from 1, for appointment events.
  std::int8_t tier = -1;    // -1 until triage.
  Priority priority = Priority::kRoutine;
  ServiceLine line = ServiceLine::kPhysiotherapy;
  Modality modality = Modality::kFaceToFace;
  std::uint8_t source = 0;  // A ReferralSource's value.
  // Which reason: appointment.cancelled 0 patient, 1 service; referral.closed 0 advice at triage,
  // 1 did not attend, 2 discharged.
  std::uint8_t reason = 0;
};

// Receives a replication's events in time order.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual void Emit(const Emitted& event) = 0;
  // Whether the sink wants the events of `type` that leave their referral in `state`; asked for
  // every pair before a replication's first event. The others are not emitted to it.
  virtual bool Wants(EventType /*type*/, ReferralState /*state*/) const { return true; }
  // A hint: events of `referral` are likely soon (the sink may fetch its record into cache).
  virtual void Expect(std::uint32_t /*referral*/) {}
};

struct ReplicationStats {
  std::int64_t arrivals = 0;        // Referrals opened (received and transferred in).
  std::int64_t completed = 0;       // Of them, in a terminal state at the end.
  std::int64_t in_system = 0;       // Of them, not.
  std::int64_t engine_events = 0;   // Events taken from the event list.
  std::int64_t pathway_events = 0;  // Events emitted.
  // Time from joining the triage queue to starting triage, over triages started after the warm-up.
  double triage_wait_days = 0;
  std::int64_t triages = 0;
  std::int64_t unbookable = 0;  // Booking attempts that found no pool at all for the need.
};

// Runs replication `replication` of `plan` with `seed`: every random stream is seeded from
// (seed, replication, stream), so the result depends on nothing else. Emits to `sink`.
ReplicationStats RunReplication(const Plan& plan, std::uint64_t seed, int replication, Sink& sink);

}  // namespace tendon::sim

#endif  // TENDON_SIM_MODEL_H_
