#include "core/schedule.h"

#include <array>

#include "core/enum_names.h"

namespace tendon {
namespace {

constexpr std::array<EnumName<Modality>, 3> kModalityNames{{
    {Modality::kFaceToFace, "face_to_face"},
    {Modality::kVideo, "video"},
    {Modality::kTelephone, "telephone"},
}};

constexpr std::array<EnumName<SlotType>, 5> kSlotTypeNames{{
    {SlotType::kNew, "new"},
    {SlotType::kFollowUp, "follow_up"},
    {SlotType::kInjection, "injection"},
    {SlotType::kPhysioline, "physioline"},
    {SlotType::kGroup, "group"},
}};

constexpr std::array<EnumName<Ringfence>, 3> kRingfenceNames{{
    {Ringfence::kNone, "none"},
    {Ringfence::kPostOp, "post_op"},
    {Ringfence::kUrgent, "urgent"},
}};

constexpr std::array<EnumName<AppointmentStatus>, 4> kAppointmentStatusNames{{
    {AppointmentStatus::kBooked, "booked"},
    {AppointmentStatus::kCancelled, "cancelled"},
    {AppointmentStatus::kAttended, "attended"},
    {AppointmentStatus::kDna, "dna"},
}};

}  // namespace

std::string_view ToString(Modality m) { return NameIn(kModalityNames, m); }
StatusOr<Modality> ParseModality(std::string_view name, std::string_view field) {
  return ParseIn(kModalityNames, name, field, "way of seeing the patient");
}

std::string_view ToString(SlotType t) { return NameIn(kSlotTypeNames, t); }
StatusOr<SlotType> ParseSlotType(std::string_view name, std::string_view field) {
  return ParseIn(kSlotTypeNames, name, field, "slot type");
}

std::string_view ToString(Ringfence r) { return NameIn(kRingfenceNames, r); }
StatusOr<Ringfence> ParseRingfence(std::string_view name, std::string_view field) {
  return ParseIn(kRingfenceNames, name, field, "ring-fence");
}

std::string_view ToString(AppointmentStatus s) { return NameIn(kAppointmentStatusNames, s); }
StatusOr<AppointmentStatus> ParseAppointmentStatus(std::string_view name, std::string_view field) {
  return ParseIn(kAppointmentStatusNames, name, field, "appointment status");
}

}  // namespace tendon
