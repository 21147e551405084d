// The demo service's diary: every slot its clinic templates make over the history and the forward
// diary, and the places the simulated referrals take in them, so that each appointment of the
// history is in a real slot of the right site, type and modality and no slot holds more than its
// capacity. Internal to the demo module: GenerateHistory makes one and the referral simulation
// books into it, one referral after another.
//
// The rota does not have room for all the demand of the demo's parameters (it has about half the
// follow-up slots it would need, no follow-up clinics for extended scope practitioners, and video
// clinics for physiotherapy follow-ups only). An appointment the rota cannot take within
// params.overflow_after_working_days working days of the day it wants goes to an overflow clinic
// instead: extra sessions beyond the rota, as bank staff would run, so that the figures the demo is
// calibrated to still hold. Each overflow clinic is a template of its own (site, profession, slot
// type and modality), open on working days within clinic hours and valid over the history only,
// so the forward diary holds the rota's slots alone. One bank clinician stands for the bank staff
// of a profession at a site and holds all their overflow clinics there, side by side.
#ifndef TENDON_DEMO_DIARY_H_
#define TENDON_DEMO_DIARY_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "config/clinics.h"
#include "core/pathway.h"
#include "core/records.h"
#include "core/schedule.h"
#include "core/status.h"
#include "core/time.h"
#include "demo/parameters.h"
#include "demo/work_clock.h"

namespace tendon::demo::internal {

// What an appointment needs.
struct SlotNeed {
  std::size_t site = 0;  // Where the patient is to be seen: an index into the service's sites.
  ServiceLine line = ServiceLine::kPhysiotherapy;  // The clinician holds this line's skill.
  SlotType type = SlotType::kNew;
  Modality modality = Modality::kFaceToFace;
  Priority priority = Priority::kRoutine;  // Whom a ring-fenced slot admits (SlotOpenTo).
};

class Diary {
 public:
  // The slots of `clinics.templates` on the working days from `from` to `last` (both inclusive),
  // none when clinics.clinicians is empty (the synthetic roster has no rota); overflow clinics
  // may open on the working days before `until`. `sites` (the service's), `params` and `clock`
  // must outlive the diary. Errors: those of scheduling::GenerateSlots for a template, and
  // InvalidArgument naming the demo parameter whose length cannot make an overflow clinic's slot.
  static StatusOr<Diary> Make(const std::vector<Site>& sites, const config::ClinicsConfig& clinics,
                              const DemoParameters& params, const WorkClock& clock, Date from,
                              Date until, Date last);

  // The slot for an appointment booked at `booked_at` and wanted on `day`: the first free one that
  // starts after booked_at, is open to need.priority then, has need.type and need.modality and a
  // clinician with the skill of need.line, at need.site, or at the nearest site that has such slots
  // in the rota when need.site has none. Looked for in the rota from `day` for the overflow window;
  // then, when `day` is before `until`, in the overflow clinic of that site and need from `day`;
  // then in the rota after the window. nullopt when there is none by the end of the diary. Find
  // takes no place: Hold does.
  std::optional<std::size_t> Find(const SlotNeed& need, Date day, Instant booked_at);
  // Takes a place in slot `i` (a Find result) for good: a cancelled appointment keeps its place.
  // Referrals are simulated one after another, not in time order, so a place given back could be
  // taken by a booking made before the cancellation, and the slot would once have been overbooked.
  void Hold(std::size_t i);

  // The id of the appointment that will take the next place in slot `i`: the slot's id and the
  // place's number ("tpl-001-20260601-0830-1"), unique as no place is given back. Ids so made
  // sort with their slots, which lets BuildDemo write appointments in an order the store's indexes
  // take cheaply.
  std::string AppointmentId(std::size_t i) const;

  const Slot& slot(std::size_t i) const { return slots_[i]; }
  std::size_t site_of(std::size_t i) const { return site_of_[i]; }

  // The overflow clinics that hold a place, and their bank clinicians, in the order they opened.
  std::vector<ClinicTemplate> OverflowTemplates() const;
  std::vector<Clinician> BankClinicians() const;
  // Every rota slot and every overflow slot that holds a place, in id order; booked 0 (the store
  // counts).
  std::vector<Slot> SlotsToWrite() const;
  // Places taken in overflow clinics.
  std::int64_t overflow_places() const { return overflow_places_; }

 private:
  struct Overflow {
    ClinicTemplate clinic;
    std::size_t bank = 0;  // Its clinician, in banks_.
    bool used = false;     // It holds a place.
  };
  struct BankClinician {
    Clinician clinician;
    bool used = false;  // One of its clinics holds a place.
  };

  Diary(const std::vector<Site>& sites, const DemoParameters& params, const WorkClock& clock,
        Date from, Date until)
      : sites_(sites), params_(params), clock_(clock), from_(from), until_(until) {}

  Status AddRota(const config::ClinicsConfig& clinics, Date last);
  std::size_t SiteFor(const SlotNeed& need);
  const std::vector<std::uint32_t>& OverflowSlots(const SlotNeed& need, std::size_t site);
  std::size_t Bank(std::size_t site, std::size_t profession);
  std::optional<std::size_t> FirstFree(const std::vector<std::uint32_t>& list, Instant from,
                                       Instant to, Instant after, Priority priority) const;

  const std::vector<Site>& sites_;
  const DemoParameters& params_;
  const WorkClock& clock_;
  Date from_;
  Date until_;
  std::deque<Slot> slots_;  // A deque: references to a slot stay valid as overflow slots are added.
  std::vector<std::uint32_t> held_;
  std::vector<std::size_t> site_of_;
  std::vector<int> overflow_of_;  // The slot's index in overflows_, or -1 for a rota slot.
  std::size_t rota_slots_ = 0;    // The first rota_slots_ slots are the rota's.
  // Slot indices by need (site, line, type, modality), in start order.
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> rota_;
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> overflow_slots_;
  std::unordered_map<std::uint32_t, std::size_t> site_for_;  // SiteFor's answers, by need.
  std::vector<Overflow> overflows_;
  std::vector<BankClinician> banks_;
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> bank_of_;  // By site and profession.
  std::int64_t overflow_places_ = 0;
};

}  // namespace tendon::demo::internal

#endif  // TENDON_DEMO_DIARY_H_
