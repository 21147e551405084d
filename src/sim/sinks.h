// Sinks for a replication's events: the report fold (report/fold.h), fed compact events with no
// strings made, and the live schema's PathwayEvents, built only for a sink that asks for them.
#ifndef TENDON_SIM_SINKS_H_
#define TENDON_SIM_SINKS_H_

#include <functional>

#include "core/event.h"
#include "report/fold.h"
#include "sim/model.h"
#include "sim/plan.h"

namespace tendon::sim {

// Folds a replication's events into the commissioner report's figures. The fold starts at the end
// of the warm-up; its sites are the plan's, with their slots a week as capacity.
class FoldSink : public Sink {
 public:
  explicit FoldSink(const Plan& plan);
  void Emit(const Emitted& event) override;
  void Expect(std::uint32_t referral) override { fold_.Expect(referral); }
  // Only the events that may change a figure.
  bool Wants(EventType type, ReferralState state) const override {
    return report::Fold::Changes(type, state);
  }
  const report::Fold& fold() const { return fold_; }
  // The fold's figures at the end of the run.
  report::FoldResults Results() const;

 private:
  const Plan& plan_;
  std::int64_t start_ms_;
  report::Fold fold_;
};

// The event as the live system would have logged it: referral "sim-<n>", patient "sim-patient-<n>",
// actor "sim", the site's id, appointment "sim-<n>-<visit>", and each type's payload fields.
PathwayEvent ToPathwayEvent(const Plan& plan, const Emitted& event);

// Hands each event, as a PathwayEvent, to a callback.
class PathwayEventSink : public Sink {
 public:
  PathwayEventSink(const Plan& plan, std::function<void(const PathwayEvent&)> out)
      : plan_(plan), out_(std::move(out)) {}
  void Emit(const Emitted& event) override { out_(ToPathwayEvent(plan_, event)); }

 private:
  const Plan& plan_;
  std::function<void(const PathwayEvent&)> out_;
};

}  // namespace tendon::sim

#endif  // TENDON_SIM_SINKS_H_
