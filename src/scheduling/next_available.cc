#include "scheduling/next_available.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "scheduling/search.h"

namespace tendon::scheduling {
namespace {

constexpr Tier kTiers[] = {Tier::kTier1, Tier::kTier2};
constexpr Modality kModalities[] = {Modality::kFaceToFace, Modality::kVideo, Modality::kTelephone};
constexpr SlotType kFirstAppointments[] = {SlotType::kNew, SlotType::kPhysioline,
                                           SlotType::kInjection};

bool FirstAppointment(SlotType type) {
  return std::find(std::begin(kFirstAppointments), std::end(kFirstAppointments), type) !=
         std::end(kFirstAppointments);
}

}  // namespace

std::optional<Tier> ClinicianTier(const Clinician& clinician) {
  std::optional<Tier> tier;
  for (const std::string& skill : clinician.skills) {
    auto line = ParseServiceLine(skill);
    if (!line.ok()) continue;
    if (TierOf(*line) == Tier::kTier2) return Tier::kTier2;
    tier = Tier::kTier1;
  }
  return tier;
}

std::vector<NextAvailableFigure> NextAvailableByTier(std::span<const Slot> slots,
                                                     std::span<const Clinician> clinicians,
                                                     Instant now, const WorkingCalendar& calendar) {
  std::unordered_map<std::string, Tier> tiers;
  for (const Clinician& c : clinicians) {
    if (auto tier = ClinicianTier(c)) tiers.emplace(c.id, *tier);
  }
  // The first appointments of each tier, in start order; NextAvailableWorkingDays checks the rest.
  std::vector<Slot> by_tier[std::size(kTiers)];
  for (const Slot& slot : slots) {
    if (!FirstAppointment(slot.type)) continue;
    std::optional<Tier> tier;
    if (slot.type == SlotType::kPhysioline) {
      tier = Tier::kTier1;
    } else if (auto it = tiers.find(slot.clinician_id); it != tiers.end()) {
      tier = it->second;
    }
    if (tier) by_tier[static_cast<int>(*tier)].push_back(slot);
  }
  std::vector<NextAvailableFigure> figures;
  for (Tier tier : kTiers) {
    for (Modality modality : kModalities) {
      NextAvailableFigure figure{tier, modality, std::nullopt};
      for (SlotType type : kFirstAppointments) {
        auto days = NextAvailableWorkingDays(by_tier[static_cast<int>(tier)], type, modality, now,
                                             calendar);
        if (days && (!figure.working_days || *days < *figure.working_days)) {
          figure.working_days = days;
        }
      }
      figures.push_back(figure);
    }
  }
  return figures;
}

}  // namespace tendon::scheduling
