#include "demo/referral_sim.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <ratio>
#include <string>
#include <string_view>

#include "core/london_time.h"
#include "demo/payload.h"

namespace tendon::demo::internal {
namespace {

using S = ReferralState;
using E = EventType;

constexpr std::string_view kDemoActor = "demo";
constexpr std::string_view kSystemActor = "system";
constexpr std::string_view kTriageTeam = "triage";
constexpr std::string_view kBookingTeam = "booking";
constexpr std::string_view kReferralsTeam = "referrals";
constexpr std::string_view kReferrer = "referrer";
// Events that follow one another in one act are a minute apart, so the log reads in order.
constexpr std::chrono::minutes kStep{1};
constexpr double kCalendarDaysPerWeek = 7;
// The smallest mean for the gamma draw of a wait, so that a tiny priority factor cannot make it 0.
constexpr double kMinWaitMeanDays = 0.5;
constexpr int kMskhqMin = 0;
constexpr int kMskhqMax = 56;

std::size_t Index(Priority p) { return static_cast<std::size_t>(p); }
std::size_t Index(Tier t) { return static_cast<std::size_t>(t); }

Instant AfterHours(Instant t, double hours) {
  return t + std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::duration<double, std::ratio<3600>>(hours));
}

// A point drawn uniformly in [a, b).
Instant Within(Rng& rng, Instant a, Instant b) {
  if (b <= a) return a;
  const double span = static_cast<double>((b - a).count());
  return a + std::chrono::milliseconds(static_cast<std::int64_t>(rng.Uniform() * span));
}

struct Ownership {
  std::string_view owner;
  std::optional<Instant> due;
};
constexpr Ownership kNobody{};

// An appointment of the referral, in a slot of the diary.
struct Booking {
  std::string id;
  std::size_t slot = 0;  // Index in the diary.
  std::size_t row = 0;   // Index of its appointment in the referral's appointments, once booked.
  Instant start{};
  Instant end{};
  Modality modality = Modality::kFaceToFace;
  std::string_view site;
  std::string_view clinician;
};

// What may go wrong with a booked appointment.
enum class Disruption { kNone, kDna, kPatientCancel, kServiceCancel };

// Appends events for one referral, tracking its state and who acts next, and stops for good at the
// first event that would fall at or after the cutoff.
class Builder {
 public:
  Builder(const Intake& intake, Instant cutoff, std::vector<PathwayEvent>& events)
      : intake_(intake), cutoff_(cutoff), events_(events) {}

  Instant last() const { return last_; }
  std::optional<Tier> tier() const { return tier_; }
  std::optional<ServiceLine> line() const { return line_; }
  void SetTier(Tier tier, ServiceLine line) {
    tier_ = tier;
    line_ = line;
  }
  void SetLine(ServiceLine line) { line_ = line; }

  // Appends an event at `when` (no earlier than the last) leaving the referral in `state` with
  // `ownership`. False, and nothing more recorded ever, when `when` is at or after the cutoff.
  bool Emit(E type, Instant when, S state, std::string_view actor, std::string_view site,
            std::string payload, Ownership ownership) {
    if (stopped_) return false;
    when = std::max(when, last_);
    if (when >= cutoff_) {
      stopped_ = true;
      return false;
    }
    PathwayEvent& e = events_.emplace_back();
    e.referral_id = intake_.referral_id;
    e.patient_key = intake_.patient_key;
    e.type = type;
    e.state_after = state;
    e.occurred_at = e.recorded_at = when;
    e.actor = actor;
    e.site = site;
    e.tier = tier_;
    e.service_line = line_;
    e.priority = intake_.priority;
    e.payload = std::move(payload);
    state_ = state;
    last_ = when;
    ownership_ = ownership;
    if (!site.empty()) site_ = site;
    if (type == E::kReferralResubmitted) resubmitted_ = when;
    return true;
  }

  // Whether an event at `when` would be recorded.
  bool Records(Instant when) const { return !stopped_ && std::max(when, last_) < cutoff_; }
  // Records nothing more: the referral stays as the last event left it.
  void Stop() { stopped_ = true; }

  // An event that records something without moving the referral or changing who acts next.
  bool Note(E type, Instant when, std::string_view actor, std::string_view site,
            std::string payload) {
    return Emit(type, when, state_, actor, site, std::move(payload), ownership_);
  }

  Referral Finish() const {
    Referral r;
    r.id = intake_.referral_id;
    r.patient_key = intake_.patient_key;
    r.source = intake_.source->source;
    r.referrer_organisation = intake_.referrer_organisation;
    r.state = state_;
    r.priority = intake_.priority;
    r.tier = tier_;
    r.service_line = line_;
    r.site_id = site_;
    if (!IsTerminal(state_)) {
      r.owner = ownership_.owner;
      r.next_action_due = ownership_.due;
    }
    r.received_at = intake_.received_at;
    r.resubmitted_at = resubmitted_;
    r.updated_at = last_;
    return r;
  }

 private:
  const Intake& intake_;
  Instant cutoff_;
  std::vector<PathwayEvent>& events_;
  bool stopped_ = false;
  Instant last_{};
  S state_ = S::kReceived;
  Ownership ownership_;
  std::optional<Tier> tier_;
  std::optional<ServiceLine> line_;
  std::string_view site_;
  std::optional<Instant> resubmitted_;
};

// One referral's pathway. Each stage returns false when the pathway has ended (a terminal state) or
// the cutoff has come; Run stops at the first.
class Sim {
 public:
  Sim(const SimWorld& world, const Intake& intake, Rng& rng, Diary& diary,
      std::vector<PathwayEvent>& events, std::vector<Appointment>& appointments)
      : w_(world),
        p_(world.params),
        in_(intake),
        rng_(rng),
        diary_(diary),
        rows_(appointments),
        b_(intake, world.cutoff, events),
        site_(in_.site) {}

  Referral Run() {
    if (Register() && Triage() && FirstAppointment()) Treat();
    return b_.Finish();
  }

 private:
  bool Register();
  bool ReturnAndResubmit();
  bool Triage();
  bool DischargeAtTriage(Instant t, std::string_view triager, std::string_view outcome,
                         std::string_view reason);
  bool OnwardAtTriage(Instant t, std::string_view triager);
  bool Accept(Instant t, std::string_view triager);
  bool FirstAppointment();
  Date FirstAppointmentDay();
  std::optional<Instant> FailedAppointment(Disruption kind, Instant booked_at, Booking& a);
  void Treat();
  bool FollowUps(int count);
  bool FollowUpOutcome(const Booking& a);
  void Discharge(Instant t, std::string_view reason);
  void DischargeOutcomes(Instant t);
  void Pifu(Instant t);
  void ReturnWithinPifu(Instant asked);

  Modality ChooseModality(ServiceLine line);
  std::optional<Booking> Reserve(Date day, Instant booked_at);
  void Settle(const Booking& a, AppointmentStatus status);
  Disruption PickDisruption();
  bool Book(Instant when, Booking& a, S state);
  bool Attend(const Booking& a);
  bool Dna(const Booking& a, S state, Ownership next);
  bool Cancel(Disruption kind, Instant at, const Booking& a, S state, Ownership next);
  bool CancelFor(bool by_patient, std::string_view reason, Instant at, const Booking& a, S state,
                 Ownership next);
  void DnaDischarge(const Booking& a);
  void Onward(Instant t, std::string_view actor);
  void Close(Instant t, std::string_view reason, std::string_view actor);

  Ownership TriageDue(Instant from) const {
    return {kTriageTeam, AfterHours(from, p_.triage_due_hours[Index(in_.priority)])};
  }
  Ownership BookingDue(Instant from) const {
    return {kBookingTeam, w_.clock.AddWorking(from, p_.booking_due_working_days)};
  }
  Ownership ReviewDue(Instant from) const {
    return {clinician_, w_.clock.AddWorking(from, p_.review_due_working_days)};
  }
  Ownership CloseDue(std::string_view who, Instant from) const {
    return {who, w_.clock.AddWorking(from, p_.close_due_working_days)};
  }
  std::string_view AnyOf(const std::vector<std::size_t>& team) {
    return w_.roster.clinicians[team[rng_.Below(team.size())]].id;
  }
  static std::string IdPayload(const Booking& a) {
    return Payload().Text("appointment_id", a.id).Take();
  }
  int ClampScore(double score) const {
    return std::clamp(static_cast<int>(std::lround(score)), kMskhqMin, kMskhqMax);
  }

  const SimWorld& w_;
  const DemoParameters& p_;
  const Intake& in_;
  Rng& rng_;
  Diary& diary_;
  std::vector<Appointment>& rows_;
  Builder b_;
  Instant registered_{};        // Registration (or resubmission): where waits start.
  std::string_view clinician_;  // The treating clinician: the latest appointment's.
  std::size_t site_;            // Where the line's appointments are wanted (a site index).
  std::string_view site_id_;    // The site of the latest appointment.
  Modality modality_ = Modality::kFaceToFace;  // How the line's appointments are.
  bool attended_ = false;  // An appointment of the accepted referral was attended.
  Instant last_start_{};   // Start of the latest appointment.
  int true_baseline_ = 0;  // The patient's MSK-HQ at the first appointment, recorded or not.
  bool pifu_used_ = false;
};

bool Sim::Register() {
  const Instant t = in_.received_at;
  registered_ = t;
  std::string payload = Payload().Text("source", ToString(in_.source->source)).Take();
  if (!rng_.Chance(in_.source->return_share)) {
    return b_.Emit(E::kReferralReceived, t, S::kAwaitingTriage, kDemoActor, "", std::move(payload),
                   TriageDue(t));
  }
  const Ownership check{kReferralsTeam, w_.clock.AddWorking(t, p_.received_due_working_days)};
  if (!b_.Emit(E::kReferralReceived, t, S::kReceived, kDemoActor, "", std::move(payload), check)) {
    return false;
  }
  return ReturnAndResubmit();
}

bool Sim::ReturnAndResubmit() {
  const Instant returned =
      w_.clock.AddWorking(b_.last(), rng_.Exponential(p_.return_after_working_days));
  const Instant deadline = w_.clock.AddWorking(returned, p_.resubmit_deadline_working_days);
  const std::string& missing = p_.missing_items[rng_.Below(p_.missing_items.size())];
  if (!b_.Emit(E::kReferralReturned, returned, S::kReturnedIncomplete, kDemoActor, "",
               Payload().List("missing", missing).Take(), {kReferrer, deadline})) {
    return false;
  }
  if (!rng_.Chance(p_.resubmit_share)) {
    b_.Emit(E::kReferralWithdrawn, deadline, S::kWithdrawn, kSystemActor, "",
            Payload().Text("reason", "not_resubmitted").Take(), kNobody);
    return false;
  }
  Instant t = w_.clock.AddWorking(returned, rng_.Exponential(p_.resubmit_after_working_days));
  if (t >= deadline) t = deadline - kStep;
  registered_ = t;
  return b_.Emit(E::kReferralResubmitted, t, S::kAwaitingTriage, kDemoActor, "", "{}",
                 TriageDue(t));
}

bool Sim::Triage() {
  const std::size_t priority = Index(in_.priority);
  const Instant t =
      w_.clock.AddWorking(registered_, rng_.Exponential(p_.triage_mean_working_days[priority]));
  const std::string_view triager = AnyOf(w_.roster.triage);
  if (rng_.Chance(p_.redflag_shares[priority])) {
    const std::string& rule = p_.redflag_rules[rng_.Below(p_.redflag_rules.size())];
    b_.Note(E::kRedflagRaised, Within(rng_, registered_, t), triager, "",
            Payload().Text("rule_id", rule).Number("rule_version", p_.redflag_rule_version).Take());
  }
  if (in_.priority == Priority::kEmergency) {
    return DischargeAtTriage(t, triager, "emergency_advice", "advised_emergency_care");
  }
  const double u = rng_.Uniform();
  if (u < p_.triage_advice_share) {
    return DischargeAtTriage(t, triager, "discharged_with_advice", "advice_given");
  }
  if (u < p_.triage_advice_share + p_.triage_onward_share) return OnwardAtTriage(t, triager);
  return Accept(t, triager);
}

bool Sim::DischargeAtTriage(Instant t, std::string_view triager, std::string_view outcome,
                            std::string_view reason) {
  if (b_.Emit(E::kTriageCompleted, t, S::kDischarged, triager, "",
              Payload().Text("outcome", outcome).Take(), CloseDue(triager, t))) {
    Close(t + kStep, reason, triager);
  }
  return false;
}

bool Sim::OnwardAtTriage(Instant t, std::string_view triager) {
  if (b_.Emit(E::kTriageCompleted, t, S::kTriaged, triager, "",
              Payload().Text("outcome", "refer_onward").Take(), CloseDue(triager, t))) {
    Onward(t + kStep, triager);
  }
  return false;
}

bool Sim::Accept(Instant t, std::string_view triager) {
  const bool tier2 = rng_.Chance(in_.source->tier2_share);
  ServiceLine line = ServiceLine::kPhysiotherapy;
  if (tier2) {
    line = static_cast<ServiceLine>(rng_.Pick(p_.tier2_line_shares));
  } else if (rng_.Chance(p_.physioline_share)) {
    line = ServiceLine::kPhysioline;
  }
  const Tier tier = TierOf(line);
  b_.SetTier(tier, line);
  modality_ = ChooseModality(line);
  std::string payload = Payload()
                            .Text("outcome", "accepted")
                            .Text("tier", ToString(tier))
                            .Text("service_line", ToString(line))
                            .Text("modality", ToString(modality_))
                            .Text("skill", ToString(line))
                            .Take();
  return b_.Emit(E::kTriageCompleted, t, S::kTriaged, triager, "", std::move(payload),
                 BookingDue(t)) &&
         b_.Emit(E::kWaitlistAdded, t + kStep, S::kWaitingToBook, kDemoActor, "", "{}",
                 BookingDue(t));
}

Date Sim::FirstAppointmentDay() {
  const std::size_t tier = Index(*b_.tier());
  const WaitParameters& wait = p_.waits[tier];
  const double mean_days =
      wait.mean_weeks * kCalendarDaysPerWeek * w_.wait_scale[tier][Index(in_.priority)];
  const double days = rng_.Gamma(wait.shape, std::max(mean_days, kMinWaitMeanDays));
  const Date target = w_.clock.NearestWorkingDay(LondonDate(registered_) +
                                                 date::days(static_cast<int>(std::lround(days))));
  const Date earliest =
      w_.clock.calendar().AddWorkingDays(LondonDate(b_.last()), std::max(1, wait.min_working_days));
  return std::max(target, earliest);
}

bool Sim::FirstAppointment() {
  const Date day = FirstAppointmentDay();
  Instant booked_at =
      w_.clock.AddWorking(b_.last(), rng_.Exponential(p_.booking_mean_working_days));
  if (LondonDate(booked_at) >= day) booked_at = b_.last() + kStep;
  const Disruption kind = PickDisruption();
  const int room = w_.clock.calendar().WorkingDaysBetween(LondonDate(booked_at), day);
  if (kind != Disruption::kNone && room >= 2) {
    const Date early =
        w_.clock.calendar().AddWorkingDays(LondonDate(booked_at), rng_.Between(1, room - 1));
    std::optional<Booking> failed = Reserve(early, booked_at);
    if (!failed) return false;
    std::optional<Instant> rebook = FailedAppointment(kind, booked_at, *failed);
    if (!rebook) return false;
    booked_at = LondonDate(*rebook) < day ? *rebook : b_.last() + kStep;
  }
  std::optional<Booking> first = Reserve(day, booked_at);
  if (!first || !Book(booked_at, *first, S::kBooked)) return false;
  if (rng_.Chance(p_.withdraw_share)) {
    // The patient withdraws before the appointment, which is cancelled first.
    const Instant at = Within(rng_, b_.last(), first->start);
    if (CancelFor(true, "patient_request", at, *first, S::kWaitingToBook, BookingDue(at))) {
      b_.Emit(E::kReferralWithdrawn, at + kStep, S::kWithdrawn, kDemoActor, "",
              Payload().Text("reason", "patient_request").Take(), kNobody);
    }
    return false;
  }
  if (!Attend(*first)) return false;
  true_baseline_ = ClampScore(rng_.Normal(p_.mskhq_baseline_mean, p_.mskhq_baseline_sd));
  if (rng_.Chance(p_.mskhq_baseline_completion)) {
    b_.Note(E::kOutcomeMskhq, first->end, first->clinician, first->site,
            Payload().Text("timepoint", "baseline").Number("score", true_baseline_).Take());
  }
  return true;
}

// Books `a`, which then fails: a DNA (after which the patient may be discharged) or a cancellation.
// Returns when the replacement is booked, or nullopt when the pathway ended or the cutoff came.
std::optional<Instant> Sim::FailedAppointment(Disruption kind, Instant booked_at, Booking& a) {
  if (!Book(booked_at, a, S::kBooked)) return std::nullopt;
  if (kind == Disruption::kDna) {
    if (rng_.Chance(p_.dna_discharge_share)) {
      DnaDischarge(a);
      return std::nullopt;
    }
    if (!Dna(a, S::kWaitingToBook, BookingDue(a.end))) return std::nullopt;
  } else {
    const Instant at = Within(rng_, booked_at, a.start);
    if (!Cancel(kind, at, a, S::kWaitingToBook, BookingDue(at))) return std::nullopt;
  }
  return w_.clock.AddWorking(b_.last(), rng_.Exponential(p_.rebook_mean_working_days));
}

void Sim::Treat() {
  const Tier tier = *b_.tier();
  int follow_ups = rng_.Geometric(p_.follow_ups_mean[Index(tier)]);
  if (b_.line() == ServiceLine::kPhysioline) {
    const auto outcome = static_cast<PhysiolineOutcome>(rng_.Pick(p_.physioline_outcome_shares));
    if (outcome == PhysiolineOutcome::kDischarge)
      return Discharge(b_.last() + kStep, "advice_given");
    if (outcome == PhysiolineOutcome::kOnward) return Onward(b_.last() + kStep, clinician_);
    // Face-to-face physiotherapy follows, at the patient's site.
    b_.SetLine(ServiceLine::kPhysiotherapy);
    modality_ = ChooseModality(ServiceLine::kPhysiotherapy);
    site_ = in_.site;
    ++follow_ups;  // The first face-to-face appointment.
  }
  if (!FollowUps(follow_ups)) return;
  if (rng_.Chance(p_.onward_share[Index(tier)])) return Onward(b_.last() + kStep, clinician_);
  Discharge(b_.last() + kStep, "treatment_complete");
}

bool Sim::FollowUps(int count) {
  const std::size_t tier = Index(*b_.tier());
  for (int i = 0; i < count; ++i) {
    const double gap = rng_.Gamma(p_.follow_up_interval_shape, p_.follow_up_interval_days[tier]);
    const Date wanted = w_.clock.NearestWorkingDay(LondonDate(last_start_) +
                                                   date::days(static_cast<int>(std::lround(gap))));
    const Date day = std::max(wanted, w_.clock.NextWorkingDay(LondonDate(b_.last())));
    const Instant booked_at = b_.last() + kStep;
    std::optional<Booking> a = Reserve(day, booked_at);
    if (!a || !Book(booked_at, *a, S::kInTreatment) || !FollowUpOutcome(*a)) return false;
  }
  return true;
}

bool Sim::FollowUpOutcome(const Booking& a) {
  const Disruption kind = PickDisruption();
  if (kind == Disruption::kNone) return Attend(a);
  if (kind != Disruption::kDna) {
    const Instant at = Within(rng_, b_.last(), a.start);
    return Cancel(kind, at, a, S::kInTreatment, ReviewDue(at));
  }
  if (rng_.Chance(p_.dna_discharge_share)) {
    DnaDischarge(a);
    return false;
  }
  return Dna(a, S::kInTreatment, ReviewDue(a.end));
}

void Sim::Discharge(Instant t, std::string_view reason) {
  if (!b_.Emit(E::kEpisodeDischarged, t, S::kDischarged, clinician_, site_id_,
               Payload().Text("reason", reason).Take(), CloseDue(clinician_, t))) {
    return;
  }
  DischargeOutcomes(t);
  const Instant after = b_.last() + kStep;
  if (pifu_used_ || !rng_.Chance(p_.pifu_share)) return Close(after, "discharged", clinician_);
  Pifu(after);
}

void Sim::DischargeOutcomes(Instant t) {
  if (rng_.Chance(p_.mskhq_discharge_completion)) {
    const int score =
        ClampScore(true_baseline_ + rng_.Normal(p_.mskhq_change_mean, p_.mskhq_change_sd));
    b_.Note(E::kOutcomeMskhq, t, clinician_, site_id_,
            Payload().Text("timepoint", "discharge").Number("score", score).Take());
  }
  if (rng_.Chance(p_.fft_response_share)) {
    const auto answer = static_cast<FftAnswer>(rng_.Pick(p_.fft_answer_shares));
    b_.Note(E::kFeedbackFft, t + kStep, kDemoActor, site_id_,
            Payload().Text("answer", ToString(answer)).Take());
  }
}

void Sim::Pifu(Instant t) {
  const Instant ends = AddMonths(t, p_.pifu_window_months);
  pifu_used_ = true;
  if (!b_.Emit(E::kPifuOpened, t, S::kPifuWindow, clinician_, site_id_,
               Payload().Time("window_ends", ends).Take(), {clinician_, ends})) {
    return;
  }
  if (!rng_.Chance(p_.pifu_request_share)) {
    b_.Emit(E::kPifuExpired, ends, S::kClosed, kSystemActor, "", "{}", kNobody);
    return;
  }
  ReturnWithinPifu(Within(rng_, t, ends));
}

void Sim::ReturnWithinPifu(Instant asked) {
  const Ownership respond{kBookingTeam, w_.clock.AddWorking(asked, p_.pifu_response_working_days)};
  if (!b_.Emit(E::kPifuRequested, asked, S::kWaitingToBook, kDemoActor, "", "{}", respond)) return;
  const Instant booked = w_.clock.AddWorking(asked, rng_.Uniform() * p_.pifu_response_working_days);
  const int soonest = std::max(1, p_.waits[Index(*b_.tier())].min_working_days);
  const Date day = w_.clock.calendar().AddWorkingDays(LondonDate(booked), soonest);
  std::optional<Booking> a = Reserve(day, booked);
  if (!a || !Book(booked, *a, S::kBooked) || !Attend(*a)) return;
  Discharge(b_.last() + kStep, "treatment_complete");
}

Modality Sim::ChooseModality(ServiceLine line) {
  if (line == ServiceLine::kPhysioline) return Modality::kTelephone;
  if (line == ServiceLine::kInjection) return Modality::kFaceToFace;
  return static_cast<Modality>(rng_.Pick(p_.modality_shares));
}

// A place for the line's next appointment, wanted on `day` and booked at `booked_at`, in a slot of
// the kind the line needs (as workflow::NeedOf reads it: physioline; a follow-up once an
// appointment was attended; else an injection or a new-patient slot). When the booking would fall
// at or after the cutoff, or the diary has no place, nothing more is recorded.
std::optional<Booking> Sim::Reserve(Date day, Instant booked_at) {
  const ServiceLine line = *b_.line();
  SlotType type = SlotType::kNew;
  if (line == ServiceLine::kPhysioline) {
    type = SlotType::kPhysioline;
  } else if (attended_) {
    type = SlotType::kFollowUp;
  } else if (line == ServiceLine::kInjection) {
    type = SlotType::kInjection;
  }
  const Instant at = std::max(booked_at, b_.last());
  std::optional<std::size_t> found;
  if (b_.Records(at)) found = diary_.Find({site_, line, type, modality_, in_.priority}, day, at);
  if (!found) {
    b_.Stop();
    return std::nullopt;
  }
  const Slot& slot = diary_.slot(*found);
  Booking a;
  a.id = diary_.AppointmentId(*found);
  a.slot = *found;
  a.start = slot.start;
  a.end = slot.end;
  a.modality = slot.modality;
  a.site = slot.site_id;
  a.clinician = slot.clinician_id;
  return a;
}

// Gives `a` the status the event just recorded says, as of that event.
void Sim::Settle(const Booking& a, AppointmentStatus status) {
  Appointment& row = rows_[a.row];
  row.status = status;
  row.updated_at = b_.last();
}

Disruption Sim::PickDisruption() {
  const double none = 1.0 - p_.dna_share - p_.patient_cancel_share - p_.service_cancel_share;
  const std::array<double, 4> weights{std::max(0.0, none), p_.dna_share, p_.patient_cancel_share,
                                      p_.service_cancel_share};
  return static_cast<Disruption>(rng_.Pick(weights));
}

bool Sim::Book(Instant when, Booking& a, S state) {
  const Slot& slot = diary_.slot(a.slot);
  std::string payload = Payload()
                            .Text("appointment_id", a.id)
                            .Text("slot_id", slot.id)
                            .Time("start", a.start)
                            .Text("modality", ToString(a.modality))
                            .Text("clinician", a.clinician)
                            .Take();
  if (!b_.Emit(E::kAppointmentBooked, when, state, kDemoActor, a.site, std::move(payload),
               {a.clinician, a.end})) {
    return false;
  }
  diary_.Hold(a.slot);
  a.row = rows_.size();
  Appointment& row = rows_.emplace_back();
  row.id = a.id;
  row.slot_id = slot.id;
  row.referral_id = in_.referral_id;
  row.patient_key = in_.patient_key;
  row.booked_at = row.updated_at = b_.last();
  last_start_ = a.start;
  clinician_ = a.clinician;
  site_ = diary_.site_of(a.slot);
  site_id_ = a.site;
  return true;
}

bool Sim::Attend(const Booking& a) {
  if (!b_.Emit(E::kAppointmentAttended, a.end, S::kInTreatment, a.clinician, a.site, IdPayload(a),
               ReviewDue(a.end))) {
    return false;
  }
  Settle(a, AppointmentStatus::kAttended);
  attended_ = true;
  return true;
}

bool Sim::Dna(const Booking& a, S state, Ownership next) {
  if (!b_.Emit(E::kAppointmentDna, a.end, state, a.clinician, a.site, IdPayload(a), next)) {
    return false;
  }
  Settle(a, AppointmentStatus::kDna);
  return true;
}

bool Sim::Cancel(Disruption kind, Instant at, const Booking& a, S state, Ownership next) {
  const bool by_patient = kind == Disruption::kPatientCancel;
  const auto& reasons = by_patient ? p_.patient_cancel_reasons : p_.service_cancel_reasons;
  return CancelFor(by_patient, reasons[rng_.Below(reasons.size())], at, a, state, next);
}

bool Sim::CancelFor(bool by_patient, std::string_view reason, Instant at, const Booking& a, S state,
                    Ownership next) {
  const std::string_view by = by_patient ? "patient" : "service";
  std::string payload =
      Payload().Text("appointment_id", a.id).Text("by", by).Text("reason", reason).Take();
  if (!b_.Emit(E::kAppointmentCancelled, at, state, kDemoActor, a.site, std::move(payload), next)) {
    return false;
  }
  Settle(a, AppointmentStatus::kCancelled);
  Appointment& row = rows_[a.row];
  row.cancelled_by = by;
  row.cancel_reason = reason;
  return true;
}

void Sim::DnaDischarge(const Booking& a) {
  if (Dna(a, S::kDischarged, CloseDue(a.clinician, a.end))) {
    Close(a.end + kStep, "did_not_attend", a.clinician);
  }
}

void Sim::Onward(Instant t, std::string_view actor) {
  const auto destination = static_cast<OnwardDestination>(rng_.Pick(p_.onward_destination_shares));
  b_.Emit(E::kOnwardReferred, t, S::kOnwardReferred, actor, site_id_,
          Payload().Text("destination", ToString(destination)).Take(), kNobody);
}

void Sim::Close(Instant t, std::string_view reason, std::string_view actor) {
  b_.Emit(E::kReferralClosed, t, S::kClosed, actor, "", Payload().Text("reason", reason).Take(),
          kNobody);
}

}  // namespace

std::array<ByPriority, kTiers> WaitScales(const DemoParameters& params) {
  std::array<ByPriority, kTiers> mix{};
  for (const SourceParameters& s : params.sources) {
    for (std::size_t p = 0; p < kPriorities; ++p) {
      if (p == Index(Priority::kEmergency)) continue;
      const double w = s.share * s.priority_shares[p];
      mix[Index(Tier::kTier1)][p] += w * (1 - s.tier2_share);
      mix[Index(Tier::kTier2)][p] += w * s.tier2_share;
    }
  }
  std::array<ByPriority, kTiers> scale{};
  for (std::size_t t = 0; t < kTiers; ++t) {
    double total = 0;
    double weighted = 0;
    for (std::size_t p = 0; p < kPriorities; ++p) {
      total += mix[t][p];
      weighted += mix[t][p] * params.wait_priority_factor[p];
    }
    const double mean = (total > 0 && weighted > 0) ? weighted / total : 1.0;
    for (std::size_t p = 0; p < kPriorities; ++p) {
      scale[t][p] = params.wait_priority_factor[p] / mean;
    }
  }
  return scale;
}

Referral SimulateReferral(const SimWorld& world, const Intake& intake, Rng& rng, Diary& diary,
                          std::vector<PathwayEvent>& events,
                          std::vector<Appointment>& appointments) {
  return Sim(world, intake, rng, diary, events, appointments).Run();
}

}  // namespace tendon::demo::internal
