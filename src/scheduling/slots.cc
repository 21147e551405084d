#include "scheduling/slots.h"

#include <algorithm>
#include <chrono>
#include <string>

#include "core/london_time.h"
#include "date/date.h"
#include "fmt/format.h"

namespace tendon::scheduling {
namespace {

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
  std::vector<Status> problems = TemplateProblems(t);
  return problems.empty() ? OkStatus() : problems.front();
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
