#include "config/clinics.h"

#include <algorithm>
#include <array>
#include <set>
#include <string_view>
#include <utility>

#include "config/csv.h"
#include "core/pathway.h"

namespace tendon::config {
namespace {

namespace fs = std::filesystem;

// The limits of a clinic template; the same as scheduling::CheckTemplate's, which config may not
// depend on (tests/check_module_deps.sh).
constexpr int kMinSlotMinutes = 5;
constexpr int kMaxSlotMinutes = 480;
constexpr int kMaxEmbargoWorkingDays = 60;
constexpr int kMinutesPerHour = 60;
constexpr int kHoursPerDay = 24;
constexpr std::array<std::string_view, 5> kWeekdays = {"mon", "tue", "wed", "thu", "fri"};

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

StatusOr<CsvFile> ReadCsv(const fs::path& path, std::vector<std::string> header) {
  ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  ASSIGN_OR_RETURN(CsvFile csv, CsvFile::Parse(text, path.string(), std::move(header)));
  if (csv.rows().empty()) return FileError(csv.file(), 0, "", "has no rows");
  return csv;
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> items;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    const std::size_t end = std::min(text.find(';', begin), text.size());
    items.emplace_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return items;
}

bool IsSite(const ServiceConfig& service, std::string_view id) {
  return std::any_of(service.sites.begin(), service.sites.end(),
                     [&](const Site& s) { return s.id == id; });
}

StatusOr<std::vector<std::string>> ReadSkills(const CsvFile& csv, const CsvRow& row) {
  ASSIGN_OR_RETURN(std::string text, csv.Text(row, "skills"));
  std::vector<std::string> skills = SplitList(text);
  for (const std::string& skill : skills) {
    if (skill == "triage" || ParseServiceLine(skill).ok()) continue;
    return csv.Error(row, "skills",
                     Quoted(skill) + " is neither a service line (such as 'spinal') nor 'triage'");
  }
  return skills;
}

StatusOr<Clinician> ReadClinician(const CsvFile& csv, const CsvRow& row,
                                  const ServiceConfig& service) {
  Clinician c;
  ASSIGN_OR_RETURN(c.id, csv.Text(row, "id"));
  if (!IsKebabId(c.id)) {
    return csv.Error(row, "id", Quoted(c.id) + " must be lower-case kebab, such as 'clin-001'");
  }
  ASSIGN_OR_RETURN(c.name, csv.Text(row, "name"));
  ASSIGN_OR_RETURN(c.profession, csv.Text(row, "profession"));
  if (std::none_of(std::begin(kProfessions), std::end(kProfessions),
                   [&](const char* p) { return c.profession == p; })) {
    return csv.Error(row, "profession", Quoted(c.profession) + " is not a known profession");
  }
  ASSIGN_OR_RETURN(c.skills, ReadSkills(csv, row));
  ASSIGN_OR_RETURN(c.base_site_id, csv.Text(row, "base_site"));
  if (!IsSite(service, c.base_site_id)) {
    return csv.Error(row, "base_site", Quoted(c.base_site_id) + " is not a site in sites.csv");
  }
  ASSIGN_OR_RETURN(c.fte, csv.Double(row, "fte"));
  if (c.fte <= 0 || c.fte > 1) return csv.Error(row, "fte", "must be above 0 and at most 1");
  return c;
}

StatusOr<std::vector<Clinician>> LoadClinicians(const fs::path& path,
                                                const ServiceConfig& service) {
  ASSIGN_OR_RETURN(CsvFile csv,
                   ReadCsv(path, {"id", "name", "profession", "skills", "base_site", "fte"}));
  std::map<std::string, int> lines;
  std::vector<Clinician> clinicians;
  for (const CsvRow& row : csv.rows()) {
    ASSIGN_OR_RETURN(Clinician c, ReadClinician(csv, row, service));
    const auto [it, added] = lines.emplace(c.id, row.line);
    if (!added) {
      return csv.Error(row, "id",
                       Quoted(c.id) + " is already used on line " + std::to_string(it->second));
    }
    clinicians.push_back(std::move(c));
  }
  return clinicians;
}

StatusOr<std::vector<int>> ReadWeekdays(const CsvFile& csv, const CsvRow& row) {
  ASSIGN_OR_RETURN(std::string text, csv.Text(row, "weekdays"));
  std::vector<int> days;
  for (const std::string& name : SplitList(text)) {
    const auto it = std::find(kWeekdays.begin(), kWeekdays.end(), name);
    if (it == kWeekdays.end()) {
      return csv.Error(row, "weekdays", Quoted(name) + " is not one of mon, tue, wed, thu, fri");
    }
    const int day = static_cast<int>(it - kWeekdays.begin()) + 1;
    if (std::find(days.begin(), days.end(), day) != days.end()) {
      return csv.Error(row, "weekdays", Quoted(name) + " is listed twice");
    }
    days.push_back(day);
  }
  return days;
}

// "HH:MM", 00:00 to 24:00, as minutes past midnight.
StatusOr<int> ReadClock(const CsvFile& csv, const CsvRow& row, std::string_view column) {
  const std::string& text = csv.Field(row, column);
  const auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (text.size() == 5 && digit(0) && digit(1) && text[2] == ':' && digit(3) && digit(4)) {
    const int hours = (text[0] - '0') * 10 + (text[1] - '0');
    const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
    const int total = hours * kMinutesPerHour + minutes;
    if (minutes < kMinutesPerHour && total <= kHoursPerDay * kMinutesPerHour) return total;
  }
  return csv.Error(row, column, Quoted(text) + " is not a time of day written HH:MM");
}

// Parses with a core parser and rewrites its error as a file error.
template <typename T, typename Parser>
StatusOr<T> ReadEnum(const CsvFile& csv, const CsvRow& row, std::string_view column, Parser parse) {
  StatusOr<T> value = parse(csv.Field(row, column), column);
  if (!value.ok()) return csv.Error(row, column, value.status().message());
  return value;
}

Status ReadPlace(const CsvFile& csv, const CsvRow& row, const ServiceConfig& service,
                 const std::set<std::string>& clinicians, const std::set<std::string>& rooms,
                 ClinicTemplate& t) {
  ASSIGN_OR_RETURN(t.clinician_id, csv.Text(row, "clinician"));
  if (clinicians.count(t.clinician_id) == 0) {
    return csv.Error(row, "clinician", Quoted(t.clinician_id) + " is not in clinicians.csv");
  }
  ASSIGN_OR_RETURN(t.site_id, csv.Text(row, "site"));
  if (!IsSite(service, t.site_id)) {
    return csv.Error(row, "site", Quoted(t.site_id) + " is not a site in sites.csv");
  }
  t.room_id = csv.Field(row, "room");
  if (!t.room_id.empty() &&
      (rooms.count(t.room_id) == 0 || t.room_id.rfind(t.site_id + "-room-", 0) != 0)) {
    return csv.Error(row, "room",
                     Quoted(t.room_id) + " is not a room of " + t.site_id +
                         " (rooms are '<site>-room-<n>', n up to the site's rooms)");
  }
  return OkStatus();
}

Status ReadTimes(const CsvFile& csv, const CsvRow& row, ClinicTemplate& t) {
  ASSIGN_OR_RETURN(t.weekdays, ReadWeekdays(csv, row));
  ASSIGN_OR_RETURN(t.start_minute, ReadClock(csv, row, "start"));
  ASSIGN_OR_RETURN(t.end_minute, ReadClock(csv, row, "end"));
  if (t.end_minute <= t.start_minute) return csv.Error(row, "end", "must be after start");
  ASSIGN_OR_RETURN(t.slot_minutes, csv.Int(row, "slot_minutes"));
  if (t.slot_minutes < kMinSlotMinutes || t.slot_minutes > kMaxSlotMinutes) {
    return csv.Error(row, "slot_minutes", "must be between 5 and 480");
  }
  if (t.slot_minutes > t.end_minute - t.start_minute) {
    return csv.Error(row, "slot_minutes", "is longer than the session from start to end");
  }
  return OkStatus();
}

Status ReadKind(const CsvFile& csv, const CsvRow& row, ClinicTemplate& t) {
  ASSIGN_OR_RETURN(t.slot_type, ReadEnum<SlotType>(csv, row, "slot_type", ParseSlotType));
  ASSIGN_OR_RETURN(t.capacity, csv.Int(row, "capacity"));
  if (t.capacity < 1) return csv.Error(row, "capacity", "must be at least 1");
  if (t.capacity > 1 && t.slot_type != SlotType::kGroup) {
    return csv.Error(row, "capacity", "may be above 1 only for a group slot_type");
  }
  ASSIGN_OR_RETURN(t.modality, ReadEnum<Modality>(csv, row, "modality", ParseModality));
  ASSIGN_OR_RETURN(t.ringfence, ReadEnum<Ringfence>(csv, row, "ringfence", ParseRingfence));
  ASSIGN_OR_RETURN(t.embargo_working_days, csv.Int(row, "embargo_working_days"));
  if (t.embargo_working_days < 0 || t.embargo_working_days > kMaxEmbargoWorkingDays) {
    return csv.Error(row, "embargo_working_days", "must be between 0 and 60");
  }
  if (t.embargo_working_days > 0 && t.ringfence == Ringfence::kNone) {
    return csv.Error(row, "embargo_working_days", "must be 0 without a ringfence");
  }
  return OkStatus();
}

// Booked sessions of one clinician or room, by weekday, to find overlaps.
class Diary {
 public:
  explicit Diary(std::string what) : what_(std::move(what)) {}

  // Adds t's sessions under `key`; an error naming the line of a session it overlaps.
  Status Add(const CsvFile& csv, const CsvRow& row, std::string_view column, const std::string& key,
             const ClinicTemplate& t) {
    for (int day : t.weekdays) {
      for (const Booked& b : sessions_[{key, day}]) {
        if (t.start_minute < b.end && b.start < t.end_minute) {
          return csv.Error(row, column,
                           "overlaps the " + what_ + "'s session on line " +
                               std::to_string(b.line) + " on " +
                               std::string(kWeekdays[static_cast<std::size_t>(day - 1)]));
        }
      }
      sessions_[{key, day}].push_back({t.start_minute, t.end_minute, row.line});
    }
    return OkStatus();
  }

 private:
  struct Booked {
    int start;
    int end;
    int line;
  };
  std::string what_;
  std::map<std::pair<std::string, int>, std::vector<Booked>> sessions_;
};

StatusOr<std::vector<ClinicTemplate>> LoadTemplates(const fs::path& path,
                                                    const ServiceConfig& service,
                                                    const ClinicsConfig& known) {
  ASSIGN_OR_RETURN(
      CsvFile csv,
      ReadCsv(path, {"id", "clinician", "site", "room", "weekdays", "start", "end", "slot_type",
                     "slot_minutes", "capacity", "modality", "ringfence", "embargo_working_days"}));
  std::set<std::string> clinicians;
  for (const Clinician& c : known.clinicians) clinicians.insert(c.id);
  std::set<std::string> rooms;
  for (const Room& r : known.rooms) rooms.insert(r.id);
  std::map<std::string, int> lines;
  Diary by_clinician("clinician");
  Diary by_room("room");
  std::vector<ClinicTemplate> templates;
  for (const CsvRow& row : csv.rows()) {
    ClinicTemplate t;
    ASSIGN_OR_RETURN(t.id, csv.Text(row, "id"));
    const auto [it, added] = lines.emplace(t.id, row.line);
    if (!added) {
      return csv.Error(row, "id",
                       Quoted(t.id) + " is already used on line " + std::to_string(it->second));
    }
    RETURN_IF_ERROR(ReadPlace(csv, row, service, clinicians, rooms, t));
    RETURN_IF_ERROR(ReadTimes(csv, row, t));
    RETURN_IF_ERROR(ReadKind(csv, row, t));
    RETURN_IF_ERROR(by_clinician.Add(csv, row, "clinician", t.clinician_id, t));
    if (!t.room_id.empty()) RETURN_IF_ERROR(by_room.Add(csv, row, "room", t.room_id, t));
    t.valid_from = service.go_live;
    templates.push_back(std::move(t));
  }
  return templates;
}

}  // namespace

std::vector<Room> MakeRooms(const std::vector<Site>& sites) {
  std::vector<Room> rooms;
  for (const Site& site : sites) {
    for (int n = 1; n <= site.rooms; ++n) {
      rooms.push_back(
          {site.id + "-room-" + std::to_string(n), site.id, "Room " + std::to_string(n)});
    }
  }
  return rooms;
}

StatusOr<ClinicsConfig> LoadClinics(const fs::path& dir, const ServiceConfig& service) {
  ClinicsConfig config;
  config.rooms = MakeRooms(service.sites);
  ASSIGN_OR_RETURN(config.clinicians, LoadClinicians(dir / kCliniciansFile, service));
  ASSIGN_OR_RETURN(config.templates, LoadTemplates(dir / kClinicsFile, service, config));
  return config;
}

std::map<std::string, int> WeeklyClinicDays(const std::vector<ClinicTemplate>& templates) {
  std::map<std::string, std::set<std::pair<std::string, int>>> room_days;
  for (const ClinicTemplate& t : templates) {
    if (t.room_id.empty()) continue;
    for (int day : t.weekdays) room_days[t.site_id].insert({t.room_id, day});
  }
  std::map<std::string, int> days;
  for (const auto& [site, pairs] : room_days) days[site] = static_cast<int>(pairs.size());
  return days;
}

}  // namespace tendon::config
