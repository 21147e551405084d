#include "demo/history.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <unordered_set>

#include "core/london_time.h"
#include "demo/diary.h"
#include "demo/people.h"
#include "demo/random.h"
#include "demo/referral_sim.h"
#include "demo/roster.h"
#include "demo/work_clock.h"

namespace tendon::demo {
namespace {

using internal::Intake;

constexpr int kReferralIdLength = 12;
constexpr int kMinutesPerHour = 60;
constexpr int kSecondsPerMinute = 60;
constexpr int kDaysInWeek = 7;
// The ODS code of the county's acute trust (Oxford University Hospitals NHS Foundation Trust), the
// referring organisation of hospital referrals in the demo.
constexpr char kAcuteTrustOds[] = "RTH";

struct Arrival {
  Instant at;
  const SourceParameters* source;
};

// The relative arrival rate of `source` on day `d`.
double DayWeight(const SourceParameters& source, const WorkingCalendar& calendar, Date d) {
  if (calendar.IsBankHoliday(d)) return source.bank_holiday_weight;
  const unsigned monday_first = date::weekday(d).iso_encoding() - 1;
  return source.weekday_weights[monday_first];
}

// Each source's expected referrals over the history spread over its days by weight, drawn as a
// Poisson count a day, at uniform times within its hours; in time order.
std::vector<Arrival> Arrivals(const DemoParameters& params, const internal::WorkClock& clock,
                              Date from, Date until, int months, Rng& rng) {
  std::vector<Arrival> arrivals;
  for (const SourceParameters& source : params.sources) {
    double total_weight = 0;
    for (Date d = from; d < until; d += date::days(1)) {
      total_weight += DayWeight(source, clock.calendar(), d);
    }
    if (total_weight <= 0) continue;
    const double expected = params.referrals_per_month * months * source.share;
    const int first = source.received_from_hour * kMinutesPerHour;
    const int last = source.received_to_hour * kMinutesPerHour - 1;
    for (Date d = from; d < until; d += date::days(1)) {
      const double lambda = expected * DayWeight(source, clock.calendar(), d) / total_weight;
      for (std::int64_t n = rng.Poisson(lambda); n > 0; --n) {
        const Instant at = clock.At(d, rng.Between(first, last)) +
                           std::chrono::seconds(rng.Below(kSecondsPerMinute));
        arrivals.push_back({at, &source});
      }
    }
  }
  std::stable_sort(arrivals.begin(), arrivals.end(),
                   [](const Arrival& a, const Arrival& b) { return a.at < b.at; });
  return arrivals;
}

Status CheckOptions(const DemoOptions& options) {
  if (options.months < 1 || options.months > DemoOptions::kMaxMonths) {
    return InvalidArgumentError(
        "must be from 1 to " + std::to_string(DemoOptions::kMaxMonths) + " months", "months");
  }
  if (options.until == Date{}) return InvalidArgumentError("is required", "until");
  return OkStatus();
}

// Turns arrivals into referrals, one after another, each with its patient.
class Generator {
 public:
  Generator(const config::ServiceConfig& service, const DemoParameters& params,
            const internal::Geography& geography, const internal::SimWorld& world,
            internal::Diary& diary, std::uint64_t seed, Rng& rng)
      : params_(params),
        geography_(geography),
        world_(world),
        diary_(diary),
        seed_(seed),
        rng_(rng),
        factory_(service, params, geography, rng.Bits()) {}

  // GP and first-contact practitioner referrals come from the patient's practice (FCPs work in
  // primary care networks); hospital referrals from the county's acute trust; self-referrals from
  // no organisation.
  static std::string ReferrerOrganisation(ReferralSource source, const std::string& practice) {
    switch (source) {
      case ReferralSource::kGp:
      case ReferralSource::kFcp:
        return practice;
      case ReferralSource::kHospital:
        return kAcuteTrustOds;
      case ReferralSource::kSelf:
      case ReferralSource::kTransfer:
        return "";
    }
    return "";
  }

  Status Add(const Arrival& arrival, History& history) {
    GeneratedReferral& g = history.referrals.emplace_back();
    std::size_t district = 0;
    RETURN_IF_ERROR(ChoosePatient(arrival, history, g, district));
    Intake intake;
    intake.referral_id = NewReferralId();
    intake.patient_key = history.patients[g.patient].key;
    intake.source = arrival.source;
    intake.referrer_organisation =
        ReferrerOrganisation(arrival.source->source, history.patients[g.patient].gp_practice);
    intake.priority = static_cast<Priority>(rng_.Pick(arrival.source->priority_shares));
    intake.received_at = arrival.at;
    const bool nearest = rng_.Chance(params_.nearest_site_share);
    intake.site = geography_.district_sites[district][nearest ? 0 : 1];
    sim_rng_.Reseed(Mix(seed_, history.referrals.size()));
    g.referral =
        internal::SimulateReferral(world_, intake, sim_rng_, diary_, g.events, g.appointments);
    return OkStatus();
  }

 private:
  Status ChoosePatient(const Arrival& arrival, History& history, GeneratedReferral& g,
                       std::size_t& district) {
    if (!history.patients.empty() && rng_.Chance(params_.repeat_patient_share)) {
      g.patient = rng_.Below(history.patients.size());
      district = districts_[g.patient];
      return OkStatus();
    }
    ASSIGN_OR_RETURN(Patient patient,
                     factory_.Make(rng_, LondonDate(arrival.at), arrival.at, district));
    history.patients.push_back(std::move(patient));
    districts_.push_back(district);
    g.patient = history.patients.size() - 1;
    g.new_patient = true;
    return OkStatus();
  }

  std::string NewReferralId() {
    for (;;) {
      std::string id = rng_.Base32(kReferralIdLength);
      if (ids_.insert(id).second) return id;
    }
  }

  const DemoParameters& params_;
  const internal::Geography& geography_;
  const internal::SimWorld& world_;
  internal::Diary& diary_;
  std::uint64_t seed_;
  Rng& rng_;
  Rng sim_rng_{0};
  internal::PatientFactory factory_;
  std::vector<std::size_t> districts_;  // District of each patient.
  std::unordered_set<std::string> ids_;
};

// FNV-1a, fed field by field with a separator so that ("ab", "c") and ("a", "bc") differ.
class Hasher {
 public:
  void Add(std::string_view s) {
    for (char c : s) Byte(static_cast<unsigned char>(c));
    Byte(0xFF);
  }
  void Add(std::int64_t v) {
    for (int i = 0; i < 8; ++i) Byte(static_cast<unsigned char>(v >> (8 * i)));
  }
  void Add(Instant t) { Add(ToUnixMillis(t)); }
  template <typename E>
  void AddEnum(std::optional<E> e) {
    Add(e ? static_cast<std::int64_t>(*e) : -1);
  }
  std::uint64_t value() const { return h_; }

 private:
  void Byte(unsigned char b) {
    h_ ^= b;
    h_ *= 0x100000001B3ULL;
  }
  std::uint64_t h_ = 0xCBF29CE484222325ULL;
};

void AddPatient(Hasher& h, const Patient& p) {
  for (const std::string* s : {&p.key, &p.nhs_number, &p.given_name, &p.family_name, &p.postcode,
                               &p.phone, &p.email, &p.gp_practice}) {
    h.Add(*s);
  }
  h.Add(std::int64_t{p.date_of_birth.value_or(Date{}).time_since_epoch().count()});
  h.Add(static_cast<std::int64_t>(p.sex));
  h.Add(static_cast<std::int64_t>(p.dissent));
  h.Add(p.created_at);
}

void AddReferral(Hasher& h, const GeneratedReferral& g) {
  const Referral& r = g.referral;
  for (const std::string* s : {&r.id, &r.patient_key, &r.site_id, &r.owner}) h.Add(*s);
  h.AddEnum(std::optional(r.source));
  h.AddEnum(std::optional(r.state));
  h.AddEnum(std::optional(r.priority));
  h.AddEnum(r.tier);
  h.AddEnum(r.service_line);
  h.Add(r.next_action_due.value_or(Instant{}));
  h.Add(r.received_at);
  h.Add(r.resubmitted_at.value_or(Instant{}));
  h.Add(r.updated_at);
  for (const PathwayEvent& e : g.events) {
    h.AddEnum(std::optional(e.type));
    h.AddEnum(std::optional(e.state_after));
    h.Add(e.occurred_at);
    h.Add(e.recorded_at);
    for (const std::string* s : {&e.referral_id, &e.patient_key, &e.actor, &e.site, &e.payload}) {
      h.Add(*s);
    }
    h.AddEnum(e.tier);
    h.AddEnum(e.service_line);
    h.AddEnum(std::optional(e.priority));
  }
  for (const Appointment& a : g.appointments) {
    for (const std::string* s : {&a.id, &a.slot_id, &a.cancelled_by, &a.cancel_reason}) h.Add(*s);
    h.AddEnum(std::optional(a.status));
    h.Add(a.booked_at);
    h.Add(a.updated_at);
  }
}

}  // namespace

StatusOr<History> GenerateHistory(const config::ServiceConfig& service,
                                  const config::ClinicsConfig& clinics,
                                  const DemoParameters& params, const WorkingCalendar& calendar,
                                  const DemoOptions& options) {
  RETURN_IF_ERROR(CheckOptions(options));
  ASSIGN_OR_RETURN(internal::Geography geography, internal::MakeGeography(service));
  Rng rng(options.seed);
  ASSIGN_OR_RETURN(internal::Roster roster, internal::MakeRoster(service, params, clinics, rng));
  const internal::WorkClock clock(calendar, params.open_hour, params.close_hour);
  History history;
  history.until = options.until;
  history.months = options.months;
  history.from = SubtractMonths(options.until, options.months);
  history.cutoff = clock.At(options.until, 0);
  const internal::SimWorld world{params, clock, roster, history.cutoff,
                                 internal::WaitScales(params)};
  const Date last = options.until + date::days(kDaysInWeek * params.forward_weeks - 1);
  ASSIGN_OR_RETURN(internal::Diary diary,
                   internal::Diary::Make(service.sites, clinics, params, clock, history.from,
                                         history.until, last));
  const std::vector<Arrival> arrivals =
      Arrivals(params, clock, history.from, history.until, options.months, rng);
  history.referrals.reserve(arrivals.size());
  Generator generator(service, params, geography, world, diary, options.seed, rng);
  for (const Arrival& arrival : arrivals) RETURN_IF_ERROR(generator.Add(arrival, history));
  history.clinicians = std::move(roster.clinicians);
  for (Clinician& bank : diary.BankClinicians()) history.clinicians.push_back(std::move(bank));
  history.slots = diary.SlotsToWrite();
  history.overflow_templates = diary.OverflowTemplates();
  history.overflow_appointments = diary.overflow_places();
  return history;
}

std::uint64_t Digest(const History& history) {
  Hasher h;
  h.Add(history.cutoff);
  h.Add(static_cast<std::int64_t>(history.slots.size()));
  h.Add(history.overflow_appointments);
  for (const Clinician& c : history.clinicians) {
    h.Add(c.id);
    h.Add(c.name);
    h.Add(c.base_site_id);
  }
  for (const Patient& p : history.patients) AddPatient(h, p);
  for (const GeneratedReferral& g : history.referrals) AddReferral(h, g);
  return h.value();
}

}  // namespace tendon::demo
