// Capacity and bookings: clinic templates, the slots they generate, and the appointments booked
// into them (the booking issue). Plain values; the rules that make slots and choose among them live
// in src/scheduling/, and booking in src/workflow/.
#ifndef TENDON_CORE_SCHEDULE_H_
#define TENDON_CORE_SCHEDULE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace tendon {

// How a patient is seen.
enum class Modality { kFaceToFace, kVideo, kTelephone };
std::string_view ToString(Modality modality);  // "face_to_face", "video", "telephone"
StatusOr<Modality> ParseModality(std::string_view name, std::string_view field = "modality");

// What a slot is for.
enum class SlotType { kNew, kFollowUp, kInjection, kPhysioline, kGroup };
std::string_view ToString(SlotType type);  // "new", "follow_up", "injection", "physioline", "group"
StatusOr<SlotType> ParseSlotType(std::string_view name, std::string_view field = "slot_type");

// Whom a slot is kept for until its embargo lifts.
enum class Ringfence { kNone, kPostOp, kUrgent };
std::string_view ToString(Ringfence ringfence);  // "none", "post_op", "urgent"
StatusOr<Ringfence> ParseRingfence(std::string_view name, std::string_view field = "ringfence");

// A clinic pattern: a clinician in a room on some weekdays, cut into slots of one length.
struct ClinicTemplate {
  std::string id;  // Stable short id.
  std::string clinician_id;
  std::string site_id;
  std::string room_id;
  std::vector<int> weekdays;  // ISO: 1 Monday to 5 Friday.
  int start_minute = 0;       // London wall clock, minutes past midnight.
  int end_minute = 0;         // The last slot ends by then.
  SlotType slot_type = SlotType::kNew;
  int slot_minutes = 30;
  int capacity = 1;  // Above 1 only for group classes.
  Modality modality = Modality::kFaceToFace;
  Ringfence ringfence = Ringfence::kNone;
  // A ring-fenced slot opens to everyone this many working days before it starts.
  int embargo_working_days = 0;
  Date valid_from{};
  std::optional<Date> valid_until;  // Inclusive; none: open-ended.
};

// One bookable period. Its id is derived from its template and start, so generating the same
// period twice gives the same slot.
struct Slot {
  std::string id;
  std::string template_id;
  std::string clinician_id;
  std::string site_id;
  std::string room_id;
  Instant start{};
  Instant end{};
  SlotType type = SlotType::kNew;
  Modality modality = Modality::kFaceToFace;
  int capacity = 1;
  Ringfence ringfence = Ringfence::kNone;
  Instant opens_to_all_at{};  // When the ring-fence lifts; `start` minus the embargo.
  int booked = 0;             // Active appointments; kept by the store, never above capacity.
  bool cancelled = false;     // The clinic will not run (clinician unavailable).
};

enum class AppointmentStatus { kBooked, kCancelled, kAttended, kDna };
std::string_view ToString(AppointmentStatus status);  // "booked", "cancelled", "attended", "dna"
StatusOr<AppointmentStatus> ParseAppointmentStatus(std::string_view name,
                                                   std::string_view field = "status");

struct Appointment {
  std::string id;  // Opaque, random.
  std::string slot_id;
  std::string referral_id;
  std::string patient_key;
  AppointmentStatus status = AppointmentStatus::kBooked;
  std::string idempotency_key;  // The client's key for the booking request; unique when set.
  std::string cancelled_by;     // "patient" or "service" when cancelled.
  std::string cancel_reason;
  Instant booked_at{};
  Instant updated_at{};
};

// An appointment holds its slot's place while it is booked or has happened.
inline bool HoldsPlace(AppointmentStatus status) { return status != AppointmentStatus::kCancelled; }

}  // namespace tendon

#endif  // TENDON_CORE_SCHEDULE_H_
