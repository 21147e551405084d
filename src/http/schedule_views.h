// Slots, appointments and clinic days in plain words, shared by the booking screen, the diary and
// the next-available page. Internal to the http module.
#ifndef TENDON_HTTP_SCHEDULE_VIEWS_H_
#define TENDON_HTTP_SCHEDULE_VIEWS_H_

#include <string>

#include "core/records.h"
#include "core/schedule.h"
#include "core/time.h"

namespace tendon::http {

std::string SlotTypeLabel(SlotType type);      // "New appointment", "Follow-up", ...
std::string ModalityLabel(Modality modality);  // "Face to face", "Video", "Telephone"
std::string AppointmentStatusLabel(AppointmentStatus status);  // "Booked", "Did not attend", ...
std::string TierLabel(Tier tier);                              // "Tier 1"
// "Wednesday 25 November 2026".
std::string DayLabel(Date day);
// The London wall-clock time, "09:30".
std::string TimeLabel(Instant t);
// "Wednesday 25 November 2026, 09:30 to 10:00" (London).
std::string SlotWhen(const Slot& slot);
// The NHS number as people read it ("943 476 5919"), or "Not known".
std::string NhsNumberLabel(const Patient& patient);
// "Jane Example", or "Name not known".
std::string PatientName(const Patient& patient);

}  // namespace tendon::http

#endif  // TENDON_HTTP_SCHEDULE_VIEWS_H_
