#include "core/schedule.h"

#include <algorithm>
#include <array>

#include "core/enum_names.h"
#include "fmt/format.h"

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

constexpr std::array<EnumName<AppointmentStatus>, 5> kAppointmentStatusNames{{
    {AppointmentStatus::kOffered, "offered"},
    {AppointmentStatus::kBooked, "booked"},
    {AppointmentStatus::kCancelled, "cancelled"},
    {AppointmentStatus::kAttended, "attended"},
    {AppointmentStatus::kDna, "dna"},
}};

constexpr std::array<std::string_view, 5> kWeekdayNames = {"mon", "tue", "wed", "thu", "fri"};
constexpr int kMinutesPerHour = 60;

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

void CheckWeekdays(const std::vector<int>& weekdays, std::vector<Status>& problems) {
  if (weekdays.empty()) {
    problems.push_back(InvalidArgumentError("choose at least one weekday", "weekdays"));
    return;
  }
  for (auto day = weekdays.begin(); day != weekdays.end(); ++day) {
    if (WeekdayName(*day).empty()) {
      problems.push_back(InvalidArgumentError(
          fmt::format("{} is not a weekday from 1 (Monday) to 5 (Friday)", *day), "weekdays"));
      return;
    }
    if (std::find(weekdays.begin(), day, *day) != day) {
      problems.push_back(
          InvalidArgumentError(Quoted(WeekdayName(*day)) + " is listed twice", "weekdays"));
      return;
    }
  }
}

void CheckSession(const ClinicTemplate& t, std::vector<Status>& problems) {
  const bool start_ok = t.start_minute >= 0 && t.start_minute < kMinutesPerDay;
  if (!start_ok) {
    problems.push_back(InvalidArgumentError("must be a time from 00:00 to 23:59", "start_minute"));
  }
  const bool end_ok = t.end_minute > t.start_minute && t.end_minute <= kMinutesPerDay;
  if (!end_ok) {
    problems.push_back(
        InvalidArgumentError("must be after the start, and no later than 24:00", "end_minute"));
  }
  if (t.slot_minutes < kMinSlotMinutes || t.slot_minutes > kMaxSlotMinutes) {
    problems.push_back(InvalidArgumentError(
        fmt::format("must be from {} to {} minutes", kMinSlotMinutes, kMaxSlotMinutes),
        "slot_minutes"));
  } else if (start_ok && end_ok && t.slot_minutes > t.end_minute - t.start_minute) {
    problems.push_back(
        InvalidArgumentError("is longer than the session, so no slot fits", "slot_minutes"));
  }
}

void CheckCapacityAndEmbargo(const ClinicTemplate& t, std::vector<Status>& problems) {
  if (t.capacity < 1) {
    problems.push_back(InvalidArgumentError("must be at least 1", "capacity"));
  } else if (t.capacity > 1 && t.slot_type != SlotType::kGroup) {
    problems.push_back(
        InvalidArgumentError("only a group class holds more than one patient", "capacity"));
  }
  if (t.embargo_working_days < 0 || t.embargo_working_days > kMaxEmbargoWorkingDays) {
    problems.push_back(InvalidArgumentError(
        fmt::format("must be from 0 to {} working days", kMaxEmbargoWorkingDays),
        "embargo_working_days"));
  } else if (t.embargo_working_days > 0 && t.ringfence == Ringfence::kNone) {
    problems.push_back(InvalidArgumentError("an embargo needs a ring-fence (post_op or urgent)",
                                            "embargo_working_days"));
  }
}

// Whether the validity periods of `a` and `b` share a day.
bool ValidTogether(const ClinicTemplate& a, const ClinicTemplate& b) {
  const bool a_ends_first = a.valid_until && *a.valid_until < b.valid_from;
  const bool b_ends_first = b.valid_until && *b.valid_until < a.valid_from;
  return !a_ends_first && !b_ends_first;
}

}  // namespace

std::string_view WeekdayName(int iso_day) {
  if (iso_day < 1 || iso_day > static_cast<int>(kWeekdayNames.size())) return "";
  return kWeekdayNames[static_cast<std::size_t>(iso_day - 1)];
}

StatusOr<int> ParseWeekday(std::string_view name, std::string_view field) {
  const auto it = std::find(kWeekdayNames.begin(), kWeekdayNames.end(), name);
  if (it == kWeekdayNames.end()) {
    return InvalidArgumentError(Quoted(name) + " is not one of mon, tue, wed, thu, fri",
                                std::string(field));
  }
  return static_cast<int>(it - kWeekdayNames.begin()) + 1;
}

StatusOr<int> ParseClock(std::string_view text, std::string_view field) {
  const auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (text.size() == 5 && digit(0) && digit(1) && text[2] == ':' && digit(3) && digit(4)) {
    const int hours = (text[0] - '0') * 10 + (text[1] - '0');
    const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
    const int total = hours * kMinutesPerHour + minutes;
    if (minutes < kMinutesPerHour && total <= kMinutesPerDay) return total;
  }
  return InvalidArgumentError(Quoted(text) + " is not a time of day written HH:MM",
                              std::string(field));
}

std::string FormatClock(int minute) {
  return fmt::format("{:02}:{:02}", minute / kMinutesPerHour, minute % kMinutesPerHour);
}

std::vector<Status> TemplateProblems(const ClinicTemplate& t) {
  std::vector<Status> problems;
  if (t.id.empty()) problems.push_back(InvalidArgumentError("a template needs an id", "id"));
  if (t.clinician_id.empty()) {
    problems.push_back(InvalidArgumentError("a template needs a clinician", "clinician_id"));
  }
  if (t.site_id.empty())
    problems.push_back(InvalidArgumentError("a template needs a site", "site_id"));
  CheckWeekdays(t.weekdays, problems);
  CheckSession(t, problems);
  CheckCapacityAndEmbargo(t, problems);
  if (t.valid_until && *t.valid_until < t.valid_from) {
    problems.push_back(InvalidArgumentError("must not be before valid_from", "valid_until"));
  }
  return problems;
}

std::optional<int> ClashDay(const ClinicTemplate& a, const ClinicTemplate& b) {
  if (!ValidTogether(a, b) || a.start_minute >= b.end_minute || b.start_minute >= a.end_minute) {
    return std::nullopt;
  }
  for (int day : a.weekdays) {
    if (std::find(b.weekdays.begin(), b.weekdays.end(), day) != b.weekdays.end()) return day;
  }
  return std::nullopt;
}

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
