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

// The limits of a clinic template (TemplateProblems).
inline constexpr int kMinSlotMinutes = 5;
inline constexpr int kMaxSlotMinutes = 480;
inline constexpr int kMaxEmbargoWorkingDays = 60;
inline constexpr int kMinutesPerDay = 1440;

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

// "mon" to "fri" for ISO weekdays 1 to 5; "" for any other day.
std::string_view WeekdayName(int iso_day);
// The ISO weekday 1 to 5 named "mon" to "fri"; InvalidArgument naming `field` for any other name.
StatusOr<int> ParseWeekday(std::string_view name, std::string_view field = "weekdays");

// Minutes past midnight from a time of day written "HH:MM", 00:00 to 24:00 (24:00 is 1440, the end
// of a session that runs to midnight); InvalidArgument naming `field` for anything else.
StatusOr<int> ParseClock(std::string_view text, std::string_view field);
// "09:30" for 570; "24:00" for 1440.
std::string FormatClock(int minute);

// Every problem with `t`'s own fields, each an InvalidArgument naming the field (a member of
// ClinicTemplate), in member order, one at most per field; empty when `t` can generate slots:
//   id, clinician_id, site_id  empty;
//   weekdays                   empty, a day outside 1 (Monday) to 5 (Friday), or a day listed
//   twice; start_minute               outside 0 to 1439; end_minute                 not after
//   start_minute, or past 1440; slot_minutes               outside 5 to 480, or longer than the
//   session (no slot would fit); capacity                   below 1, or above 1 for a type other
//   than group; embargo_working_days       outside 0 to 60, or above 0 without a ring-fence;
//   valid_until                before valid_from.
// Whether the clinician, site and room exist is the caller's to check. The clinic loader, the
// scheduling module and the administrator's pages all apply these, so that they agree.
std::vector<Status> TemplateProblems(const ClinicTemplate& t);

// The first ISO weekday on which `a` and `b` both hold sessions whose times overlap while both are
// valid; nullopt when they never clash. One clinician, or one room, holds one session at a time.
std::optional<int> ClashDay(const ClinicTemplate& a, const ClinicTemplate& b);

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

// An offered appointment holds its place for the patient until they accept it (booked), decline it
// or the offer lapses (both cancelled).
enum class AppointmentStatus { kOffered, kBooked, kCancelled, kAttended, kDna };
// "offered", "booked", "cancelled", "attended", "dna"
std::string_view ToString(AppointmentStatus status);
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
  Instant booked_at{};  // When it was booked, or offered.
  Instant updated_at{};
  std::optional<Instant> offer_expires_at;  // For an offer: when it lapses unless accepted.
};

// An appointment holds its slot's place while it is offered, booked or has happened.
inline bool HoldsPlace(AppointmentStatus status) { return status != AppointmentStatus::kCancelled; }

}  // namespace tendon

#endif  // TENDON_CORE_SCHEDULE_H_
