#include "http/schedule_views.h"

#include "core/london_time.h"
#include "core/nhs_number.h"
#include "date/date.h"

namespace tendon::http {

std::string SlotTypeLabel(SlotType type) {
  switch (type) {
    case SlotType::kNew:
      return "New appointment";
    case SlotType::kFollowUp:
      return "Follow-up";
    case SlotType::kInjection:
      return "Injection";
    case SlotType::kPhysioline:
      return "Physioline call";
    case SlotType::kGroup:
      return "Group class";
  }
  return "Appointment";
}

std::string ModalityLabel(Modality modality) {
  switch (modality) {
    case Modality::kFaceToFace:
      return "Face to face";
    case Modality::kVideo:
      return "Video";
    case Modality::kTelephone:
      return "Telephone";
  }
  return "Face to face";
}

std::string AppointmentStatusLabel(AppointmentStatus status) {
  switch (status) {
    case AppointmentStatus::kOffered:
      return "Offered, not yet accepted";
    case AppointmentStatus::kBooked:
      return "Booked";
    case AppointmentStatus::kCancelled:
      return "Cancelled";
    case AppointmentStatus::kAttended:
      return "Attended";
    case AppointmentStatus::kDna:
      return "Did not attend";
  }
  return "Booked";
}

std::string TierLabel(Tier tier) { return tier == Tier::kTier1 ? "Tier 1" : "Tier 2"; }

std::string DayLabel(Date day) {
  const date::year_month_day ymd(day);
  return date::format("%A ", day) + std::to_string(static_cast<unsigned>(ymd.day())) +
         date::format(" %B %Y", day);
}

std::string TimeLabel(Instant t) {
  const auto minutes = LondonTimeOfDay(t).count();
  const auto two = [](long n) { return (n < 10 ? "0" : "") + std::to_string(n); };
  return two(minutes / 60) + ":" + two(minutes % 60);
}

std::string SlotWhen(const Slot& slot) {
  return DayLabel(LondonDate(slot.start)) + ", " + TimeLabel(slot.start) + " to " +
         TimeLabel(slot.end);
}

std::string NhsNumberLabel(const Patient& patient) {
  return patient.nhs_number.empty() ? "Not known" : FormatNhsNumber(patient.nhs_number);
}

std::string PatientName(const Patient& patient) {
  std::string name = patient.given_name;
  if (!name.empty() && !patient.family_name.empty()) name += " ";
  name += patient.family_name;
  return name.empty() ? "Name not known" : name;
}

}  // namespace tendon::http
