#include "sim/model.h"

#include <algorithm>
#include <array>
#include <limits>
#include <vector>

#include "scheduling/slots.h"
#include "sim/event_queue.h"
#include "sim/random.h"

namespace tendon::sim {
namespace {

using S = ReferralState;
using E = EventType;

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr double kMinutesPerDay = 1440;

enum Kind : std::uint8_t {
  kArrive,
  kTriageDone,
  kTriageWake,
  kBookingRun,
  kAppointment,
  kPatientCancel,
  kServiceCancel,
  kVisitDone,
  kFollowUpDue,
  kPifuRequest,
  kPifuExpire,
};

// One random stream per process, so that changing one process leaves the others' draws alone.
enum Stream : std::uint64_t {
  kArrivalStream = 1,
  kRoutingStream,
  kTriageStream,
  kServiceStream,
  kAttendanceStream,
  kPifuStream,
  kBacklogStream,
  kLeadStream,
};

// A first-in first-out queue of referral indices on a ring that doubles when full.
class RingQueue {
 public:
  RingQueue() : ring_(1024) {}
  bool empty() const { return count_ == 0; }
  std::size_t size() const { return count_; }
  void Push(std::uint32_t r) {
    if (count_ == ring_.size()) Grow();
    ring_[(head_ + count_) & (ring_.size() - 1)] = r;
    ++count_;
  }
  std::uint32_t Pop() {
    const std::uint32_t r = ring_[head_];
    head_ = (head_ + 1) & (ring_.size() - 1);
    --count_;
    return r;
  }

 private:
  void Grow() {
    std::vector<std::uint32_t> bigger(ring_.size() * 2);
    for (std::size_t i = 0; i < count_; ++i) bigger[i] = ring_[(head_ + i) & (ring_.size() - 1)];
    ring_.swap(bigger);
    head_ = 0;
  }
  std::vector<std::uint32_t> ring_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
};

// Queues by priority, most urgent first.
class PriorityQueues {
 public:
  bool empty() const { return size_ == 0; }
  void Push(Priority priority, std::uint32_t r) {
    by_priority_[static_cast<std::size_t>(priority)].Push(r);
    ++size_;
  }
  std::uint32_t Pop() {
    --size_;
    for (RingQueue& q : by_priority_) {
      if (!q.empty()) return q.Pop();
    }
    return 0;
  }
  // Offers everyone queued, in order, to `take` once; those it does not take keep their place.
  template <typename Take>
  void OfferAll(Take take) {
    for (RingQueue& q : by_priority_) {
      for (std::size_t n = q.size(); n > 0; --n) {
        const std::uint32_t r = q.Pop();
        if (take(r)) {
          --size_;
        } else {
          q.Push(r);
        }
      }
    }
  }

 private:
  std::array<RingQueue, kPriorities> by_priority_;
  std::size_t size_ = 0;
};

// An enum kept in one byte, so that a referral fits in 32 bytes: the national model holds millions.
template <typename Enum>
class Small {
 public:
  Small(Enum e = Enum{}) : value_(static_cast<std::uint8_t>(e)) {}  // NOLINT: converts freely.
  operator Enum() const { return static_cast<Enum>(value_); }       // NOLINT: converts freely.
  int index() const { return value_; }

 private:
  std::uint8_t value_;
};

struct Referral {
  double since = 0;  // When the wait began (for a new referral, when it arrived).
  double ready = 0;  // The earliest start of its next appointment.
  std::int32_t slot = -1;
  std::uint16_t visits = 0;      // Appointments booked so far.
  std::int16_t visits_left = 0;  // Appointments still to attend in this episode.
  Small<S> state = S::kReceived;
  Small<Priority> priority = Priority::kRoutine;
  Small<ServiceLine> line = ServiceLine::kPhysiotherapy;
  Small<Modality> modality = Modality::kFaceToFace;
  std::int8_t tier = -1;
  std::uint8_t region = 0;
  std::uint8_t source = 0;        // ReferralSource.
  bool seen_in_line : 1 = false;  // Attended in its current line: the next slot is a follow-up.
  bool attended : 1 = false;
  bool pifu_used : 1 = false;
};
static_assert(sizeof(Referral) == 32, "two referrals to a cache line");

class Run {
 public:
  Run(const Plan& plan, std::uint64_t seed, int replication, Sink& sink)
      : plan_(plan),
        s_(plan.scenario),
        sink_(sink),
        arrivals_(MixSeed(MixSeed(seed, static_cast<std::uint64_t>(replication)), kArrivalStream)),
        routing_(MixSeed(MixSeed(seed, static_cast<std::uint64_t>(replication)), kRoutingStream)),
        triage_(MixSeed(MixSeed(seed, static_cast<std::uint64_t>(replication)), kTriageStream)),
        service_(MixSeed(MixSeed(seed, static_cast<std::uint64_t>(replication)), kServiceStream)),
        attendance_(
            MixSeed(MixSeed(seed, static_cast<std::uint64_t>(replication)), kAttendanceStream)),
        pifu_(MixSeed(MixSeed(seed, static_cast<std::uint64_t>(replication)), kPifuStream)),
        backlog_(MixSeed(MixSeed(seed, static_cast<std::uint64_t>(replication)), kBacklogStream)),
        lead_(MixSeed(MixSeed(seed, static_cast<std::uint64_t>(replication)), kLeadStream)),
        free_triage_(s_.triage.clinicians),
        free_clinicians_(s_.treatment.pool_clinicians),
        slots_mode_(s_.treatment.model == CapacityModel::kSlots) {
    const double expected = s_.demand.referrals_per_week * (s_.weeks + s_.warmup_weeks) * 1.3 +
                            s_.backlog.patients + 64;
    referrals_.reserve(static_cast<std::size_t>(expected));
    for (std::size_t type = 0; type < kEventTypeCount; ++type) {
      for (std::size_t state = 0; state < kReferralStateCount; ++state) {
        wanted_[type][state] = sink.Wants(static_cast<E>(type), static_cast<S>(state));
      }
    }
    for (int i = 0; i < kSources; ++i) source_shares_[i] = s_.demand.sources[i].share;
    booked_.assign(plan.slots.size(), 0);
    first_free_.assign(plan.pools.size(), 0);
  }

  ReplicationStats Go() {
    LoadBacklog();
    const double first = NextArrival(0);
    if (first < plan_.end_days) queue_.Push(first, kArrive, 0);
    if (slots_mode_) ScheduleBookingRun(0);
    while (!queue_.empty() && queue_.top().time < plan_.end_days) {
      const SimEvent e = queue_.Pop();
      ++stats_.engine_events;
      // The next event's referral is most likely out of cache (a follow-up a week on): ask for it,
      // and the sink for its own record of it, while this one is handled.
      if (!queue_.empty()) {
        const std::uint32_t next = queue_.top().entity();
        __builtin_prefetch(referrals_.data() + next);
        sink_.Expect(next);
      }
      Handle(e);
    }
    for (const Referral& r : referrals_) {
      if (IsTerminal(r.state)) {
        ++stats_.completed;
      } else {
        ++stats_.in_system;
      }
    }
    return stats_;
  }

 private:
  void Handle(const SimEvent& e) {
    const double now = e.time;
    switch (e.kind()) {
      case kArrive:
        Arrive(now);
        break;
      case kTriageDone:
        TriageDone(e.entity(), now);
        break;
      case kTriageWake:
        triage_wake_ = false;
        TryTriage(now);
        break;
      case kBookingRun:
        BookingRun(now);
        break;
      case kAppointment:
        Appointment(e.entity(), now);
        break;
      case kPatientCancel:
      case kServiceCancel:
        Cancel(e.entity(), now, e.kind() == kPatientCancel);
        break;
      case kVisitDone:
        ++free_clinicians_;
        Next(e.entity(), now, !e.aux());  // aux: the patient did not attend.
        TryVisit(now);
        break;
      case kFollowUpDue:
        treatment_queue_.Push(referrals_[e.entity()].priority, e.entity());
        TryVisit(now);
        break;
      case kPifuRequest:
        PifuRequest(e.entity(), now);
        break;
      case kPifuExpire:
        Emit(e.entity(), now, E::kPifuExpired, S::kClosed);
        break;
      default:
        break;
    }
  }

  void Emit(std::uint32_t r, double now, E type, S state, std::int32_t site = -1,
            std::uint8_t reason = 0) {
    Referral& ref = referrals_[r];
    ref.state = state;
    ++stats_.pathway_events;
    if (!wanted_[static_cast<std::size_t>(type)][static_cast<std::size_t>(state)]) return;
    Emitted e;
    e.time = now;
    e.since = ref.since;
    e.type = type;
    e.state = state;
    e.referral = r;
    e.site = site;
    e.slot = ref.slot;
    e.visit = ref.visits;
    e.tier = ref.tier;
    e.priority = ref.priority;
    e.line = ref.line;
    e.modality = ref.modality;
    e.source = ref.source;
    e.reason = reason;
    sink_.Emit(e);
  }

  // The next arrival after `t`: exponential gaps at each whole day's rate (memoryless, so a gap
  // that crosses into the next day is drawn again from that day's rate).
  double NextArrival(double t) {
    for (;;) {
      const auto day = static_cast<std::size_t>(t);
      if (day >= plan_.arrival_rate.size()) return kInfinity;
      const double rate = plan_.arrival_rate[day];
      const double day_end = static_cast<double>(day + 1);
      if (rate > 0) {
        const double next = t + arrivals_.Exponential(1.0 / rate);
        if (next < day_end) return next;
      }
      t = day_end;
    }
  }

  // Draws what a new referral needs: region, source, priority, tier, line, modality, visits.
  std::uint32_t NewReferral(double now, Rng& rng, bool from_demand) {
    const Demand& d = s_.demand;
    Referral ref;
    ref.since = now;
    ref.region = static_cast<std::uint8_t>(rng.Pick(d.region_shares));
    // A transferred patient came through the outgoing provider; routed as a GP referral.
    const std::size_t source_index = from_demand ? rng.Pick(source_shares_) : 0;
    const SourceMix& source = d.sources[source_index];
    ref.source = static_cast<std::uint8_t>(
        from_demand ? source_index : static_cast<std::size_t>(ReferralSource::kTransfer));
    ref.priority =
        static_cast<Priority>(rng.Pick(from_demand ? source.priority : s_.backlog.priority));
    const bool tier2 = rng.Chance(source.tier2_share);
    if (tier2) {
      ref.line = static_cast<ServiceLine>(static_cast<int>(ServiceLine::kSpinal) +
                                          static_cast<int>(rng.Pick(d.tier2_lines)));
    } else {
      ref.line =
          rng.Chance(d.physioline_share) ? ServiceLine::kPhysioline : ServiceLine::kPhysiotherapy;
    }
    ref.modality = ModalityFor(ref.line, rng);
    ref.visits_left = ref.line == ServiceLine::kPhysioline ? 1 : Visits(TierOf(ref.line), rng);
    referrals_.push_back(ref);
    return static_cast<std::uint32_t>(referrals_.size() - 1);
  }

  Modality ModalityFor(ServiceLine line, Rng& rng) {
    if (line == ServiceLine::kPhysioline) return Modality::kTelephone;
    if (line == ServiceLine::kInjection) return Modality::kFaceToFace;
    return static_cast<Modality>(rng.Pick(s_.treatment.modality));
  }

  int Visits(Tier tier, Rng& rng) {
    const Treatment& t = s_.treatment;
    if (t.visits_max > 0) return rng.Between(t.visits_min, t.visits_max);
    return 1 + rng.Geometric(t.follow_ups_mean[static_cast<int>(tier)]);
  }

  void LoadBacklog() {
    for (int i = 0; i < s_.backlog.patients; ++i) {
      const std::uint32_t r = NewReferral(0, backlog_, false);
      Referral& ref = referrals_[r];
      ref.since = -backlog_.Exponential(s_.backlog.waited_weeks_mean * 7);
      ref.tier = static_cast<std::int8_t>(TierOf(ref.line));
      ++stats_.arrivals;
      Emit(r, 0, E::kTransferImported, S::kWaitingToBook);
      JoinBooking(r, 0, 0);
    }
  }

  void Arrive(double now) {
    // The event list packs a referral's index in 27 bits: a run stops taking referrals there.
    if (referrals_.size() >= SimEvent::kMaxEntity) return;
    const std::uint32_t r = NewReferral(now, routing_, true);
    ++stats_.arrivals;
    Emit(r, now, E::kReferralReceived, S::kAwaitingTriage);
    triage_queue_.Push(referrals_[r].priority, r);
    TryTriage(now);
    const double next = NextArrival(now);
    if (next < plan_.end_days) queue_.Push(next, kArrive, 0);
  }

  // The London day holding `t`.
  std::size_t DayOf(double t) const {
    auto d = static_cast<std::size_t>(std::max(0.0, t));
    while (d > 0 && plan_.days[d - 1].next_day > t) --d;
    while (d < plan_.days.size() && plan_.days[d].next_day <= t) ++d;
    return d;
  }

  // When triage can next work, from `t` on.
  double TriageOpenFrom(double t) const {
    if (!s_.triage.working_hours) return t;
    for (std::size_t d = DayOf(t); d < plan_.days.size(); ++d) {
      const PlanDay& day = plan_.days[d];
      if (!day.working || t >= day.triage_close) continue;
      return std::max(t, day.triage_open);
    }
    return kInfinity;
  }

  void TryTriage(double now) {
    while (free_triage_ > 0 && !triage_queue_.empty()) {
      const double open = TriageOpenFrom(now);
      if (open > now) {
        if (!triage_wake_ && open < plan_.end_days) {
          queue_.Push(open, kTriageWake, 0);
          triage_wake_ = true;
        }
        return;
      }
      const std::uint32_t r = triage_queue_.Pop();
      --free_triage_;
      if (now >= plan_.warmup_days) {
        stats_.triage_wait_days += now - referrals_[r].since;
        ++stats_.triages;
      }
      queue_.Push(now + triage_.Exponential(s_.triage.mean_minutes / kMinutesPerDay), kTriageDone,
                  r);
    }
  }

  void TriageDone(std::uint32_t r, double now) {
    ++free_triage_;
    Referral& ref = referrals_[r];
    const double u = triage_.Uniform();
    if (u < s_.triage.advice_share) {
      Emit(r, now, E::kTriageCompleted, S::kDischarged);
      Emit(r, now, E::kReferralClosed, S::kClosed);
    } else if (u < s_.triage.advice_share + s_.triage.onward_share) {
      Emit(r, now, E::kTriageCompleted, S::kOnwardReferred);
    } else {
      ref.tier = static_cast<std::int8_t>(TierOf(ref.line));
      Emit(r, now, E::kTriageCompleted, S::kTriaged);
      Emit(r, now, E::kWaitlistAdded, S::kWaitingToBook);
      const Lead& lead = s_.treatment.first_lead[static_cast<std::size_t>(ref.tier)]
                                                [static_cast<std::size_t>(ref.priority.index())];
      const double ready =
          lead.mean_days > 0 ? ref.since + lead_.Gamma(lead.mean_days, lead.shape) : now;
      JoinBooking(r, now, std::max(now, ready));
    }
    TryTriage(now);
  }

  void JoinBooking(std::uint32_t r, double now, double ready) {
    Referral& ref = referrals_[r];
    ref.ready = ready;
    if (slots_mode_) {
      booking_queue_.Push(ref.priority, r);
      return;
    }
    if (ready > now) {
      queue_.Push(ready, kFollowUpDue, r);
      return;
    }
    treatment_queue_.Push(ref.priority, r);
    TryVisit(now);
  }

  // Pooled capacity: the next referral in priority order sees the next free clinician now.
  void TryVisit(double now) {
    while (free_clinicians_ > 0 && !treatment_queue_.empty()) {
      const std::uint32_t r = treatment_queue_.Pop();
      --free_clinicians_;
      Referral& ref = referrals_[r];
      ++ref.visits;
      Emit(r, now, E::kAppointmentBooked, BookedState(ref));
      const bool attended = AttendOrMiss(r, now, -1);
      queue_.Push(now + service_.Exponential(s_.treatment.visit_mean_minutes / kMinutesPerDay),
                  kVisitDone, r, !attended);
    }
  }

  static S BookedState(const Referral& ref) {
    return ref.state == S::kInTreatment ? S::kInTreatment : S::kBooked;
  }

  void ScheduleBookingRun(double after) {
    for (std::size_t d = DayOf(after); d < plan_.days.size(); ++d) {
      const PlanDay& day = plan_.days[d];
      if (day.working && day.booking_run >= after && day.booking_run > last_run_) {
        if (day.booking_run < plan_.end_days) queue_.Push(day.booking_run, kBookingRun, 0);
        return;
      }
    }
  }

  void BookingRun(double now) {
    last_run_ = now;
    AdvancePools(now);
    booking_queue_.OfferAll([&](std::uint32_t r) { return TryBook(r, now); });
    ScheduleBookingRun(now);
  }

  // Moves each pool's first free slot past the slots that have started.
  void AdvancePools(double now) {
    for (std::size_t p = 0; p < plan_.pools.size(); ++p) {
      const SlotPool& pool = plan_.pools[p];
      std::size_t& i = first_free_[p];
      while (i < pool.slots.size() && (pool.starts[i] < now || Unavailable(pool.slots[i]))) ++i;
    }
  }

  bool Unavailable(std::uint32_t slot) const {
    const Slot& s = plan_.slots[slot];
    return s.cancelled || booked_[slot] >= s.capacity;
  }

  SlotType NeedType(const Referral& ref) const {
    if (ref.line == ServiceLine::kPhysioline) return SlotType::kPhysioline;
    if (ref.line == ServiceLine::kInjection) return SlotType::kInjection;
    return ref.seen_in_line ? SlotType::kFollowUp : SlotType::kNew;
  }

  Instant InstantAt(double t) const {
    return plan_.start + std::chrono::milliseconds(static_cast<std::int64_t>(t * 86'400'000.0));
  }

  // Books the earliest free slot that fits the referral's need within the horizon.
  bool TryBook(std::uint32_t r, double now) {
    Referral& ref = referrals_[r];
    const std::vector<std::uint32_t>& pools =
        plan_.candidates[plan_.NeedIndex(ref.line, NeedType(ref), ref.modality, ref.region)];
    if (pools.empty()) {
      ++stats_.unbookable;
      return false;
    }
    const double lo = std::max(ref.ready, now);
    double best_start = now + s_.treatment.horizon_weeks * 7.0;
    std::int64_t best = -1;
    for (std::uint32_t p : pools) {
      const SlotPool& pool = plan_.pools[p];
      std::size_t i = first_free_[p];
      const std::size_t n = pool.slots.size();
      if (i < n && pool.starts[i] < lo) {
        i = static_cast<std::size_t>(
            std::lower_bound(pool.starts.begin() + static_cast<std::ptrdiff_t>(i),
                             pool.starts.end(), lo) -
            pool.starts.begin());
      }
      for (; i < n && pool.starts[i] < best_start; ++i) {
        const std::uint32_t slot = pool.slots[i];
        if (Unavailable(slot)) continue;
        const Slot& s = plan_.slots[slot];
        if (s.ringfence != Ringfence::kNone &&
            !scheduling::SlotOpenTo(s, ref.priority, InstantAt(now))) {
          continue;
        }
        best_start = pool.starts[i];
        best = slot;
        break;
      }
    }
    if (best < 0) return false;
    Book(r, static_cast<std::uint32_t>(best), now);
    return true;
  }

  void Book(std::uint32_t r, std::uint32_t slot, double now) {
    Referral& ref = referrals_[r];
    ++booked_[slot];
    const std::uint32_t p = plan_.slot_pool[slot];
    const SlotPool& pool = plan_.pools[p];
    std::size_t& first = first_free_[p];
    while (first < pool.slots.size() && Unavailable(pool.slots[first])) ++first;
    ref.slot = static_cast<std::int32_t>(slot);
    ++ref.visits;
    const Slot& s = plan_.slots[slot];
    const Modality asked = ref.modality;
    ref.modality = s.modality;
    Emit(r, now, E::kAppointmentBooked, BookedState(ref), pool.site);
    ref.modality = asked;
    const double start = plan_.slot_start[slot];
    const double u = attendance_.Uniform();
    const Treatment& t = s_.treatment;
    if (u < t.patient_cancel_share) {
      queue_.Push(now + attendance_.Uniform() * (start - now), kPatientCancel, r);
    } else if (u < t.patient_cancel_share + t.service_cancel_share) {
      queue_.Push(now + attendance_.Uniform() * (start - now), kServiceCancel, r);
    } else {
      queue_.Push(start, kAppointment, r);
    }
  }

  void Cancel(std::uint32_t r, double now, bool by_patient) {
    Referral& ref = referrals_[r];
    const auto slot = static_cast<std::uint32_t>(ref.slot);
    const std::int32_t site = plan_.pools[plan_.slot_pool[slot]].site;
    if (by_patient) {
      // The patient's place goes back to the diary; the service's clinic does not run.
      --booked_[slot];
      const std::uint32_t p = plan_.slot_pool[slot];
      const std::size_t at = slot - plan_.pools[p].slots.front();
      first_free_[p] = std::min(first_free_[p], at);
    }
    const S state = ref.state == S::kInTreatment ? S::kInTreatment : S::kWaitingToBook;
    Emit(r, now, E::kAppointmentCancelled, state, site, by_patient ? 0 : 1);
    ref.slot = -1;
    JoinBooking(r, now, now);
  }

  void Appointment(std::uint32_t r, double now) {
    const auto slot = static_cast<std::uint32_t>(referrals_[r].slot);
    const bool attended = AttendOrMiss(r, now, plan_.pools[plan_.slot_pool[slot]].site);
    Next(r, now, attended);
    referrals_[r].slot = -1;
  }

  // The patient attends or does not; emits which. A first did-not-attend may discharge.
  bool AttendOrMiss(std::uint32_t r, double now, std::int32_t site) {
    Referral& ref = referrals_[r];
    const Treatment& t = s_.treatment;
    if (attendance_.Chance(t.dna_share)) {
      S state = S::kWaitingToBook;
      if (ref.state == S::kInTreatment) {
        state = S::kInTreatment;
      } else if (!ref.attended && attendance_.Chance(t.dna_discharge_share)) {
        state = S::kDischarged;
      }
      Emit(r, now, E::kAppointmentDna, state, site);
      return false;
    }
    ref.attended = true;
    ref.seen_in_line = true;
    --ref.visits_left;
    Emit(r, now, E::kAppointmentAttended, S::kInTreatment, site);
    return true;
  }

  // What follows an appointment that has ended.
  void Next(std::uint32_t r, double now, bool attended) {
    Referral& ref = referrals_[r];
    if (!attended) {
      if (ref.state == S::kDischarged) {
        Emit(r, now, E::kReferralClosed, S::kClosed, -1, 1);
      } else {
        JoinBooking(r, now, now);
      }
      return;
    }
    if (ref.line == ServiceLine::kPhysioline) {
      switch (service_.Pick(s_.treatment.physioline_outcome)) {
        case 0:
          EndEpisode(r, now, false);
          return;
        case 1:
          ref.line = ServiceLine::kPhysiotherapy;
          ref.modality = ModalityFor(ref.line, service_);
          ref.seen_in_line = false;
          ref.visits_left = Visits(Tier::kTier1, service_);
          JoinBooking(r, now, now);
          return;
        default:
          Emit(r, now, E::kOnwardReferred, S::kOnwardReferred);
          return;
      }
    }
    if (ref.visits_left > 0) {
      const int tier = ref.tier < 0 ? 0 : ref.tier;
      JoinBooking(r, now, now + service_.Exponential(s_.treatment.follow_up_interval_days[tier]));
      return;
    }
    EndEpisode(r, now, true);
  }

  void EndEpisode(std::uint32_t r, double now, bool may_go_onward) {
    Referral& ref = referrals_[r];
    const Treatment& t = s_.treatment;
    const int tier = ref.tier < 0 ? 0 : ref.tier;
    if (may_go_onward && pifu_.Chance(t.onward_share[tier])) {
      Emit(r, now, E::kOnwardReferred, S::kOnwardReferred);
      return;
    }
    Emit(r, now, E::kEpisodeDischarged, S::kDischarged);
    if (!ref.pifu_used && pifu_.Chance(t.pifu_share)) {
      Emit(r, now, E::kPifuOpened, S::kPifuWindow);
      const double window = t.pifu_window_weeks * 7;
      if (pifu_.Chance(t.pifu_request_share)) {
        queue_.Push(now + pifu_.Uniform() * window, kPifuRequest, r);
      } else {
        queue_.Push(now + window, kPifuExpire, r);
      }
      return;
    }
    Emit(r, now, E::kReferralClosed, S::kClosed, -1, 2);
  }

  void PifuRequest(std::uint32_t r, double now) {
    Referral& ref = referrals_[r];
    ref.pifu_used = true;
    ref.visits_left = 1;
    Emit(r, now, E::kPifuRequested, S::kWaitingToBook);
    JoinBooking(r, now, now);
  }

  const Plan& plan_;
  const Scenario& s_;
  Sink& sink_;
  Rng arrivals_, routing_, triage_, service_, attendance_, pifu_, backlog_, lead_;
  EventQueue queue_;
  std::vector<Referral> referrals_;
  PriorityQueues triage_queue_;
  PriorityQueues treatment_queue_;
  PriorityQueues booking_queue_;
  int free_triage_;
  int free_clinicians_;
  bool slots_mode_;
  // Whether the sink wants an event, by type and state after.
  std::array<std::array<bool, kReferralStateCount>, kEventTypeCount> wanted_;
  std::array<double, kSources> source_shares_;  // The demand's, by source.
  bool triage_wake_ = false;
  double last_run_ = -1;
  std::vector<std::uint16_t> booked_;    // Places taken, by slot.
  std::vector<std::size_t> first_free_;  // By pool: no free slot before this index.
  ReplicationStats stats_;
};

}  // namespace

ReplicationStats RunReplication(const Plan& plan, std::uint64_t seed, int replication, Sink& sink) {
  Run run(plan, seed, replication, sink);
  return run.Go();
}

}  // namespace tendon::sim
