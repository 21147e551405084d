#include "scheduling/next_available.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace tendon::scheduling {
namespace {

using namespace date::literals;

Instant At(std::string_view utc) { return ParseInstant(utc).value(); }

Clinician MakeClinician(std::string id, std::vector<std::string> skills) {
  Clinician c;
  c.id = std::move(id);
  c.skills = std::move(skills);
  return c;
}

Slot MakeSlot(std::string id, std::string_view start_utc, std::string clinician, SlotType type,
              Modality modality = Modality::kFaceToFace) {
  Slot slot;
  slot.id = std::move(id);
  slot.clinician_id = std::move(clinician);
  slot.site_id = "site";
  slot.start = At(start_utc);
  slot.end = slot.start + std::chrono::minutes(30);
  slot.type = type;
  slot.modality = modality;
  return slot;
}

TEST(NextAvailableTest, AClinicianHasTheTierOfTheLinesTheirSkillsName) {
  EXPECT_EQ(ClinicianTier(MakeClinician("a", {"physiotherapy", "physioline"})), Tier::kTier1);
  EXPECT_EQ(ClinicianTier(MakeClinician("b", {"spinal", "injection"})), Tier::kTier2);
  EXPECT_EQ(ClinicianTier(MakeClinician("c", {"physiotherapy", "hand"})), Tier::kTier2);
  EXPECT_EQ(ClinicianTier(MakeClinician("d", {"triage"})), std::nullopt);
  EXPECT_EQ(ClinicianTier(MakeClinician("e", {})), std::nullopt);
}

// Now is Friday 29 May 2026, 10:00 BST; Monday 1 June is 1 working day away, Wednesday 3.
TEST(NextAvailableTest, OneFigurePerTierAndModalityFromFirstAppointmentsOnly) {
  const WorkingCalendar calendar({2026_y / 5 / 25});
  const std::vector<Clinician> clinicians = {MakeClinician("physio", {"physiotherapy"}),
                                             MakeClinician("esp", {"spinal", "injection"}),
                                             MakeClinician("triager", {"triage"})};
  std::vector<Slot> slots = {
      MakeSlot("tier1-follow-up-fri", "2026-05-29T13:00:00Z", "physio", SlotType::kFollowUp),
      MakeSlot("triager-new-fri", "2026-05-29T13:30:00Z", "triager", SlotType::kNew),
      MakeSlot("physioline-by-esp-mon", "2026-06-01T08:00:00Z", "esp", SlotType::kPhysioline,
               Modality::kTelephone),
      MakeSlot("tier1-new-mon", "2026-06-01T09:00:00Z", "physio", SlotType::kNew),
      MakeSlot("tier2-injection-tue", "2026-06-02T09:00:00Z", "esp", SlotType::kInjection),
      MakeSlot("tier2-full-mon", "2026-06-01T10:00:00Z", "esp", SlotType::kNew, Modality::kVideo),
      MakeSlot("tier2-video-wed", "2026-06-03T09:00:00Z", "esp", SlotType::kNew, Modality::kVideo),
  };
  slots[5].booked = 1;
  std::sort(slots.begin(), slots.end(),
            [](const Slot& a, const Slot& b) { return a.start < b.start; });
  const auto figures = NextAvailableByTier(slots, clinicians, At("2026-05-29T09:00:00Z"), calendar);
  ASSERT_EQ(figures.size(), 6u);
  auto figure = [&](Tier tier, Modality modality) {
    for (const NextAvailableFigure& f : figures) {
      if (f.tier == tier && f.modality == modality) return f.working_days;
    }
    ADD_FAILURE() << "no figure";
    return std::optional<int>();
  };
  EXPECT_EQ(figures[0].tier, Tier::kTier1);
  EXPECT_EQ(figures[0].modality, Modality::kFaceToFace);
  // The Friday follow-up and the triager's slot do not count; the physioline slot is tier 1.
  EXPECT_EQ(figure(Tier::kTier1, Modality::kFaceToFace), 1);
  EXPECT_EQ(figure(Tier::kTier1, Modality::kTelephone), 1);
  EXPECT_EQ(figure(Tier::kTier1, Modality::kVideo), std::nullopt);
  EXPECT_EQ(figure(Tier::kTier2, Modality::kFaceToFace), 2);
  EXPECT_EQ(figure(Tier::kTier2, Modality::kVideo), 3);
  EXPECT_EQ(figure(Tier::kTier2, Modality::kTelephone), std::nullopt);
}

}  // namespace
}  // namespace tendon::scheduling
