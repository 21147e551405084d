#include "scheduling/slots.h"

#include <algorithm>
#include <chrono>
#include <string>

#include "core/london_time.h"
#include "date/date.h"
#include "fmt/format.h"

namespace tendon::scheduling {
namespace {

constexpr int kMonday = 1;
constexpr int kFriday = 5;

Status CheckWeekdays(const std::vector<int>& weekdays) {
  if (weekdays.empty()) return InvalidArgumentError("at least one weekday is needed", "weekdays");
  for (size_t i = 0; i < weekdays.size(); ++i) {
    const int day = weekdays[i];
    if (day < kMonday || day > kFriday) {
      return InvalidArgumentError(
          fmt::format("{} is not a weekday from 1 (Monday) to 5 (Friday)", day), "weekdays");
    }
    if (std::find(weekdays.begin(), weekdays.begin() + i, day) != weekdays.begin() + i) {
      return InvalidArgumentError(fmt::format("day {} is listed twice", day), "weekdays");
    }
  }
  return OkStatus();
}

Status CheckSession(const ClinicTemplate& t) {
  if (t.start_minute < 0 || t.start_minute >= kMinutesPerDay) {
    return InvalidArgumentError("must be from 0 to 1439 minutes past midnight", "start_minute");
  }
  if (t.end_minute <= t.start_minute || t.end_minute > kMinutesPerDay) {
    return InvalidArgumentError("must be after start_minute and at most 1440", "end_minute");
  }
  if (t.slot_minutes < kMinSlotMinutes || t.slot_minutes > kMaxSlotMinutes) {
    return InvalidArgumentError(
        fmt::format("must be from {} to {} minutes", kMinSlotMinutes, kMaxSlotMinutes),
        "slot_minutes");
  }
  if (t.slot_minutes > t.end_minute - t.start_minute) {
    return InvalidArgumentError("is longer than the session, so no slot fits", "slot_minutes");
  }
  return OkStatus();
}

Status CheckCapacityAndEmbargo(const ClinicTemplate& t) {
  if (t.capacity < 1) return InvalidArgumentError("must be at least 1", "capacity");
  if (t.capacity > 1 && t.slot_type != SlotType::kGroup) {
    return InvalidArgumentError("only a group class holds more than one patient", "capacity");
  }
  if (t.embargo_working_days < 0 || t.embargo_working_days > kMaxEmbargoWorkingDays) {
    return InvalidArgumentError(fmt::format("must be from 0 to {}", kMaxEmbargoWorkingDays),
                                "embargo_working_days");
  }
  if (t.embargo_working_days > 0 && t.ringfence == Ringfence::kNone) {
    return InvalidArgumentError("an embargo needs a ring-fence (post_op or urgent)",
                                "embargo_working_days");
  }
  return OkStatus();
}

// "20261026-0900": the London date and start of a slot, for its id.
std::string IdSuffix(Date d, int minute) {
  const date::year_month_day ymd(d);
  return fmt::format("{:04}{:02}{:02}-{:02}{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     minute / 60, minute % 60);
}

// The slots of `t` on working day `d`.
Status AppendDay(const ClinicTemplate& t, const WorkingCalendar& calendar, Date d,
                 std::vector<Slot>& out) {
  const Date opens_day = calendar.AddWorkingDays(d, -t.embargo_working_days);
  for (int m = t.start_minute; m + t.slot_minutes <= t.end_minute; m += t.slot_minutes) {
    Slot slot;
    ASSIGN_OR_RETURN(slot.start, FromLondon(d, std::chrono::minutes(m), "start_minute"));
    slot.end = slot.start + std::chrono::minutes(t.slot_minutes);
    if (t.ringfence != Ringfence::kNone) {
      ASSIGN_OR_RETURN(slot.opens_to_all_at,
                       FromLondon(opens_day, std::chrono::minutes(m), "embargo_working_days"));
    }
    slot.id = t.id + "-" + IdSuffix(d, m);
    slot.template_id = t.id;
    slot.clinician_id = t.clinician_id;
    slot.site_id = t.site_id;
    slot.room_id = t.room_id;
    slot.type = t.slot_type;
    slot.modality = t.modality;
    slot.capacity = t.capacity;
    slot.ringfence = t.ringfence;
    out.push_back(std::move(slot));
  }
  return OkStatus();
}

bool OnWeekday(const ClinicTemplate& t, Date d) {
  const int iso = static_cast<int>(date::weekday(d).iso_encoding());
  return std::find(t.weekdays.begin(), t.weekdays.end(), iso) != t.weekdays.end();
}

}  // namespace

Status CheckTemplate(const ClinicTemplate& t) {
  if (t.id.empty()) return InvalidArgumentError("a template needs an id", "id");
  if (t.clinician_id.empty())
    return InvalidArgumentError("a template needs a clinician", "clinician_id");
  if (t.site_id.empty()) return InvalidArgumentError("a template needs a site", "site_id");
  RETURN_IF_ERROR(CheckWeekdays(t.weekdays));
  RETURN_IF_ERROR(CheckSession(t));
  RETURN_IF_ERROR(CheckCapacityAndEmbargo(t));
  if (t.valid_until && *t.valid_until < t.valid_from) {
    return InvalidArgumentError("must not be before valid_from", "valid_until");
  }
  return OkStatus();
}

StatusOr<std::vector<Slot>> GenerateSlots(const ClinicTemplate& t, const WorkingCalendar& calendar,
                                          Date from, Date to) {
  RETURN_IF_ERROR(CheckTemplate(t));
  const Date first = std::max(from, t.valid_from);
  const Date last = t.valid_until ? std::min(to, *t.valid_until) : to;
  std::vector<Slot> slots;
  for (Date d = first; d <= last; d += date::days(1)) {
    if (!OnWeekday(t, d) || !calendar.IsWorkingDay(d)) continue;
    RETURN_IF_ERROR(AppendDay(t, calendar, d, slots));
  }
  return slots;
}

bool SlotOpenTo(const Slot& slot, Priority priority, Instant now) {
  if (slot.ringfence == Ringfence::kNone || now >= slot.opens_to_all_at) return true;
  switch (slot.ringfence) {
    case Ringfence::kPostOp:
      return priority == Priority::kPostOp;
    case Ringfence::kUrgent:
      return priority == Priority::kUrgent || priority == Priority::kEmergency;
    case Ringfence::kNone:
      return true;
  }
  return false;
}

}  // namespace tendon::scheduling
