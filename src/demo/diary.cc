#include "demo/diary.h"

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <utility>

#include "scheduling/geo.h"
#include "scheduling/slots.h"

namespace tendon::demo::internal {
namespace {

constexpr std::uint32_t kSlotTypes = 5;  // SlotType's enumerators.
constexpr int kIdDigits = 3;
constexpr std::array<int, 5> kMondayToFriday{1, 2, 3, 4, 5};

std::uint32_t KeyOf(std::size_t site, ServiceLine line, SlotType type, Modality modality) {
  std::size_t key = site;
  key = key * kServiceLines + static_cast<std::size_t>(line);
  key = key * kSlotTypes + static_cast<std::size_t>(type);
  key = key * kModalities + static_cast<std::size_t>(modality);
  return static_cast<std::uint32_t>(key);
}

std::uint32_t KeyOf(std::size_t site, const SlotNeed& need) {
  return KeyOf(site, need.line, need.type, need.modality);
}

std::string Numbered(std::string_view prefix, std::size_t n) {
  std::string digits = std::to_string(n);
  if (digits.size() < kIdDigits) digits.insert(0, kIdDigits - digits.size(), '0');
  return std::string(prefix) + digits;
}

// The professions of the bank staff, each with the lines it works in (as clinicians.csv's
// clinicians of that profession).
struct Profession {
  std::string_view name;
  std::string_view title;  // For the bank clinician's name.
  std::vector<ServiceLine> lines;
};

const std::vector<Profession>& Professions() {
  using L = ServiceLine;
  static const std::vector<Profession> kProfessions{
      {"physiotherapist", "physiotherapists", {L::kPhysioline, L::kPhysiotherapy}},
      {"extended_scope_practitioner",
       "extended scope practitioners",
       {L::kSpinal, L::kUpperLimb, L::kLowerLimb, L::kHand, L::kInjection}},
      {"podiatrist", "podiatrists", {L::kPodiatry}},
      {"orthotist", "orthotists", {L::kOrthotics}},
      {"pain_specialist", "pain specialists", {L::kPainManagement}},
  };
  return kProfessions;
}

// The index in Professions() of the profession that works in `line`.
std::size_t ProfessionOf(ServiceLine line) {
  const std::vector<Profession>& all = Professions();
  for (std::size_t p = 0; p < all.size(); ++p) {
    if (std::find(all[p].lines.begin(), all[p].lines.end(), line) != all[p].lines.end()) return p;
  }
  return 0;
}

// The length of an overflow clinic's slots of `type`: the demo's first-appointment, physioline or
// follow-up length.
int OverflowMinutes(const DemoParameters& params, SlotType type) {
  switch (type) {
    case SlotType::kNew:
      return params.first_minutes;
    case SlotType::kPhysioline:
      return params.physioline_minutes;
    case SlotType::kFollowUp:
    case SlotType::kInjection:
    case SlotType::kGroup:
      return params.follow_up_minutes;
  }
  return params.follow_up_minutes;
}

// Each line whose skill `c` has.
std::vector<ServiceLine> LinesOf(const Clinician& c) {
  std::vector<ServiceLine> lines;
  for (const std::string& skill : c.skills) {
    StatusOr<ServiceLine> line = ParseServiceLine(skill);
    if (line.ok()) lines.push_back(*line);
  }
  return lines;
}

}  // namespace

StatusOr<Diary> Diary::Make(const std::vector<Site>& sites, const config::ClinicsConfig& clinics,
                            const DemoParameters& params, const WorkClock& clock, Date from,
                            Date until, Date last) {
  Diary diary(sites, params, clock, from, until);
  for (SlotType type : {SlotType::kNew, SlotType::kFollowUp, SlotType::kPhysioline}) {
    ClinicTemplate probe;
    probe.id = probe.clinician_id = probe.site_id = "overflow";
    probe.weekdays = {kMondayToFriday.begin(), kMondayToFriday.end()};
    probe.start_minute = clock.open_minute();
    probe.end_minute = clock.close_minute();
    probe.slot_minutes = OverflowMinutes(params, type);
    if (!scheduling::CheckTemplate(probe).ok()) {
      return InvalidArgumentError("cannot make an overflow clinic of " +
                                      std::to_string(probe.slot_minutes) + "-minute slots",
                                  type == SlotType::kNew        ? "first_minutes"
                                  : type == SlotType::kFollowUp ? "follow_up_minutes"
                                                                : "physioline_minutes");
    }
  }
  if (!clinics.clinicians.empty()) RETURN_IF_ERROR(diary.AddRota(clinics, last));
  return diary;
}

Status Diary::AddRota(const config::ClinicsConfig& clinics, Date last) {
  std::map<std::string_view, std::size_t> site_index;
  for (std::size_t i = 0; i < sites_.size(); ++i) site_index[sites_[i].id] = i;
  std::map<std::string_view, std::vector<ServiceLine>> lines;
  for (const Clinician& c : clinics.clinicians) lines[c.id] = LinesOf(c);
  for (const ClinicTemplate& t : clinics.templates) {
    const auto site = site_index.find(t.site_id);
    if (site == site_index.end()) continue;  // LoadClinics refuses unknown sites.
    StatusOr<std::vector<Slot>> made = scheduling::GenerateSlots(t, clock_.calendar(), from_, last);
    if (!made.ok()) return made.status().WithContext("clinic template " + t.id);
    for (Slot& slot : *made) {
      const auto index = static_cast<std::uint32_t>(slots_.size());
      for (ServiceLine line : lines[t.clinician_id]) {
        rota_[KeyOf(site->second, line, slot.type, slot.modality)].push_back(index);
      }
      slots_.push_back(std::move(slot));
      site_of_.push_back(site->second);
    }
  }
  rota_slots_ = slots_.size();
  held_.assign(rota_slots_, 0);
  overflow_of_.assign(rota_slots_, -1);
  for (auto& [key, list] : rota_) {
    std::stable_sort(list.begin(), list.end(), [&](std::uint32_t a, std::uint32_t b) {
      return slots_[a].start < slots_[b].start;
    });
  }
  return OkStatus();
}

// need.site when the rota has slots for the need there, else the nearest site that has, else
// need.site (where an overflow clinic will open).
std::size_t Diary::SiteFor(const SlotNeed& need) {
  const std::uint32_t own = KeyOf(need.site, need);
  if (rota_.count(own)) return need.site;
  const auto cached = site_for_.find(own);
  if (cached != site_for_.end()) return cached->second;
  const Site& here = sites_[need.site];
  std::size_t best = need.site;
  double best_km = 0;
  for (std::size_t s = 0; s < sites_.size(); ++s) {
    if (!rota_.count(KeyOf(s, need))) continue;
    const double km = scheduling::DistanceKm(here.latitude, here.longitude, sites_[s].latitude,
                                             sites_[s].longitude);
    if (best == need.site || km < best_km) {
      best = s;
      best_km = km;
    }
  }
  site_for_[own] = best;
  return best;
}

std::optional<std::size_t> Diary::FirstFree(const std::vector<std::uint32_t>& list, Instant from,
                                            Instant to, Instant after, Priority priority) const {
  auto it = std::lower_bound(list.begin(), list.end(), std::max(from, after),
                             [&](std::uint32_t i, Instant t) { return slots_[i].start < t; });
  for (; it != list.end() && slots_[*it].start < to; ++it) {
    const Slot& s = slots_[*it];
    if (s.start > after && held_[*it] < static_cast<std::uint32_t>(s.capacity) &&
        scheduling::SlotOpenTo(s, priority, after)) {
      return *it;
    }
  }
  return std::nullopt;
}

std::optional<std::size_t> Diary::Find(const SlotNeed& need, Date day, Instant booked_at) {
  const std::size_t site = SiteFor(need);
  const std::uint32_t key = KeyOf(site, need);
  static const std::vector<std::uint32_t> kNone;
  const auto found = rota_.find(key);
  const std::vector<std::uint32_t>& rota = found == rota_.end() ? kNone : found->second;
  const Instant window_end =
      clock_.At(clock_.calendar().AddWorkingDays(day, params_.overflow_after_working_days + 1), 0);
  if (auto i = FirstFree(rota, clock_.At(day, 0), window_end, booked_at, need.priority)) return i;
  if (clock_.calendar().AddWorkingDays(day, 0) < until_) {
    const std::vector<std::uint32_t>& extra = OverflowSlots(need, site);
    if (auto i =
            FirstFree(extra, clock_.At(day, 0), clock_.At(until_, 0), booked_at, need.priority)) {
      return i;
    }
  }
  return FirstFree(rota, window_end, Instant::max(), booked_at, need.priority);
}

// The overflow clinic of `need`'s profession, type and modality at `site`, opened on first use with
// the site's bank clinician of that profession.
const std::vector<std::uint32_t>& Diary::OverflowSlots(const SlotNeed& need, std::size_t site) {
  const std::size_t profession = ProfessionOf(need.line);
  const Profession& p = Professions()[profession];
  auto [it, opened] =
      overflow_slots_.try_emplace(KeyOf(site, p.lines.front(), need.type, need.modality));
  if (!opened) return it->second;
  const std::size_t bank = Bank(site, profession);
  Overflow& o = overflows_.emplace_back();
  o.bank = bank;
  ClinicTemplate& t = o.clinic;
  t.id = Numbered("overflow-", overflows_.size());
  t.clinician_id = banks_[bank].clinician.id;
  t.site_id = sites_[site].id;
  t.weekdays = {kMondayToFriday.begin(), kMondayToFriday.end()};
  t.start_minute = clock_.open_minute();
  t.end_minute = clock_.close_minute();
  t.slot_type = need.type;
  t.slot_minutes = OverflowMinutes(params_, need.type);
  t.modality = need.modality;
  t.valid_from = from_;
  t.valid_until = until_ - date::days(1);
  // Make checked these lengths, so GenerateSlots cannot fail.
  StatusOr<std::vector<Slot>> made =
      scheduling::GenerateSlots(t, clock_.calendar(), from_, *t.valid_until);
  for (Slot& slot : made.value()) {
    it->second.push_back(static_cast<std::uint32_t>(slots_.size()));
    slots_.push_back(std::move(slot));
    held_.push_back(0);
    site_of_.push_back(site);
    overflow_of_.push_back(static_cast<int>(overflows_.size() - 1));
  }
  return it->second;
}

// The index in banks_ of the bank clinician of `profession` (in Professions()) at `site`: one
// stands for all the bank staff of a profession at a site, so its overflow clinics run side by
// side.
std::size_t Diary::Bank(std::size_t site, std::size_t profession) {
  const auto [it, added] = bank_of_.try_emplace({site, profession}, banks_.size());
  if (!added) return it->second;
  const Profession& p = Professions()[profession];
  Clinician& c = banks_.emplace_back().clinician;
  c.id = Numbered("bank-", banks_.size());
  c.name = "Bank " + std::string(p.title) + ", " + sites_[site].name;
  c.profession = p.name;
  for (ServiceLine line : p.lines) c.skills.emplace_back(ToString(line));
  c.base_site_id = sites_[site].id;
  return it->second;
}

std::string Diary::AppointmentId(std::size_t i) const {
  return slots_[i].id + "-" + std::to_string(held_[i] + 1);
}

void Diary::Hold(std::size_t i) {
  ++held_[i];
  if (overflow_of_[i] < 0) return;
  Overflow& o = overflows_[static_cast<std::size_t>(overflow_of_[i])];
  o.used = true;
  banks_[o.bank].used = true;
  ++overflow_places_;
}

std::vector<ClinicTemplate> Diary::OverflowTemplates() const {
  std::vector<ClinicTemplate> templates;
  for (const Overflow& o : overflows_) {
    if (o.used) templates.push_back(o.clinic);
  }
  return templates;
}

std::vector<Clinician> Diary::BankClinicians() const {
  std::vector<Clinician> bank;
  for (const BankClinician& b : banks_) {
    if (b.used) bank.push_back(b.clinician);
  }
  return bank;
}

std::vector<Slot> Diary::SlotsToWrite() const {
  std::vector<Slot> slots(slots_.begin(),
                          slots_.begin() + static_cast<std::ptrdiff_t>(rota_slots_));
  for (std::size_t i = rota_slots_; i < slots_.size(); ++i) {
    if (held_[i] > 0) slots.push_back(slots_[i]);
  }
  std::sort(slots.begin(), slots.end(), [](const Slot& a, const Slot& b) { return a.id < b.id; });
  return slots;
}

}  // namespace tendon::demo::internal
