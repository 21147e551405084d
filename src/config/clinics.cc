#include "config/clinics.h"

#include <algorithm>
#include <set>
#include <string_view>
#include <utility>

#include "config/csv.h"
#include "core/pathway.h"

namespace tendon::config {
namespace {

namespace fs = std::filesystem;

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

template <typename T>
const T* FindById(const std::vector<T>& items, std::string_view id) {
  const auto it = std::find_if(items.begin(), items.end(), [&](const T& x) { return x.id == id; });
  return it == items.end() ? nullptr : &*it;
}

bool HasSkill(const Clinician& c, std::string_view skill) {
  return std::find(c.skills.begin(), c.skills.end(), skill) != c.skills.end();
}

// The column of a record's field in the CSV files, where their names differ.
std::string_view Column(std::string_view field) {
  static constexpr std::pair<std::string_view, std::string_view> kColumns[] = {
      {"clinician_id", "clinician"}, {"site_id", "site"},   {"room_id", "room"},
      {"start_minute", "start"},     {"end_minute", "end"}, {"base_site_id", "base_site"}};
  for (const auto& [name, column] : kColumns) {
    if (name == field) return column;
  }
  return field;
}

// The first of `problems` as an error at `row`, or OK.
Status FirstAsFileError(const CsvFile& csv, const CsvRow& row,
                        const std::vector<Status>& problems) {
  if (problems.empty()) return OkStatus();
  return csv.Error(row, Column(problems[0].field()), problems[0].message());
}

StatusOr<Clinician> ReadClinician(const CsvFile& csv, const CsvRow& row,
                                  const ServiceConfig& service) {
  Clinician c;
  ASSIGN_OR_RETURN(c.id, csv.Text(row, "id"));
  ASSIGN_OR_RETURN(c.name, csv.Text(row, "name"));
  ASSIGN_OR_RETURN(c.profession, csv.Text(row, "profession"));
  ASSIGN_OR_RETURN(std::string skills, csv.Text(row, "skills"));
  c.skills = SplitList(skills);
  ASSIGN_OR_RETURN(c.base_site_id, csv.Text(row, "base_site"));
  ASSIGN_OR_RETURN(c.fte, csv.Double(row, "fte"));
  RETURN_IF_ERROR(FirstAsFileError(csv, row, ClinicianProblems(c, service.sites)));
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

// Parses with a core parser and rewrites its error as a file error.
template <typename T, typename Parser>
StatusOr<T> ReadParsed(const CsvFile& csv, const CsvRow& row, std::string_view column,
                       Parser parse) {
  StatusOr<T> value = parse(csv.Field(row, column), column);
  if (!value.ok()) return csv.Error(row, column, value.status().message());
  return value;
}

StatusOr<std::vector<int>> ReadWeekdays(const CsvFile& csv, const CsvRow& row) {
  ASSIGN_OR_RETURN(std::string text, csv.Text(row, "weekdays"));
  std::vector<int> days;
  for (const std::string& name : SplitList(text)) {
    StatusOr<int> day = ParseWeekday(name);
    if (!day.ok()) return csv.Error(row, "weekdays", day.status().message());
    days.push_back(*day);
  }
  return days;
}

// Reads a row's fields; their rules are checked by the caller.
Status ReadTemplate(const CsvFile& csv, const CsvRow& row, ClinicTemplate& t) {
  ASSIGN_OR_RETURN(t.clinician_id, csv.Text(row, "clinician"));
  ASSIGN_OR_RETURN(t.site_id, csv.Text(row, "site"));
  t.room_id = csv.Field(row, "room");
  ASSIGN_OR_RETURN(t.weekdays, ReadWeekdays(csv, row));
  ASSIGN_OR_RETURN(t.start_minute, ReadParsed<int>(csv, row, "start", ParseClock));
  ASSIGN_OR_RETURN(t.end_minute, ReadParsed<int>(csv, row, "end", ParseClock));
  ASSIGN_OR_RETURN(t.slot_type, ReadParsed<SlotType>(csv, row, "slot_type", ParseSlotType));
  ASSIGN_OR_RETURN(t.slot_minutes, csv.Int(row, "slot_minutes"));
  ASSIGN_OR_RETURN(t.capacity, csv.Int(row, "capacity"));
  ASSIGN_OR_RETURN(t.modality, ReadParsed<Modality>(csv, row, "modality", ParseModality));
  ASSIGN_OR_RETURN(t.ringfence, ReadParsed<Ringfence>(csv, row, "ringfence", ParseRingfence));
  ASSIGN_OR_RETURN(t.embargo_working_days, csv.Int(row, "embargo_working_days"));
  return OkStatus();
}

// The sessions read so far of each clinician, or of each room, to refuse one that clashes.
class Diary {
 public:
  explicit Diary(std::string what) : what_(std::move(what)) {}

  // Adds t's sessions under `key`; an error naming the line of a session it overlaps.
  Status Add(const CsvFile& csv, const CsvRow& row, std::string_view column, const std::string& key,
             const ClinicTemplate& t) {
    std::vector<std::pair<ClinicTemplate, int>>& sessions = sessions_[key];
    for (const auto& [other, line] : sessions) {
      if (const std::optional<int> day = ClashDay(t, other)) {
        return csv.Error(row, column,
                         "overlaps the " + what_ + "'s session on line " + std::to_string(line) +
                             " on " + std::string(WeekdayName(*day)));
      }
    }
    sessions.emplace_back(t, row.line);
    return OkStatus();
  }

 private:
  std::string what_;
  std::map<std::string, std::vector<std::pair<ClinicTemplate, int>>> sessions_;
};

StatusOr<std::vector<ClinicTemplate>> LoadTemplates(const fs::path& path,
                                                    const ServiceConfig& service,
                                                    const ClinicsConfig& known) {
  ASSIGN_OR_RETURN(
      CsvFile csv,
      ReadCsv(path, {"id", "clinician", "site", "room", "weekdays", "start", "end", "slot_type",
                     "slot_minutes", "capacity", "modality", "ringfence", "embargo_working_days"}));
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
    RETURN_IF_ERROR(ReadTemplate(csv, row, t));
    t.valid_from = service.go_live;
    RETURN_IF_ERROR(FirstAsFileError(csv, row, TemplateProblems(t)));
    RETURN_IF_ERROR(FirstAsFileError(
        csv, row, TemplatePlaceProblems(t, known.clinicians, service.sites, known.rooms)));
    RETURN_IF_ERROR(by_clinician.Add(csv, row, "clinician", t.clinician_id, t));
    if (!t.room_id.empty()) RETURN_IF_ERROR(by_room.Add(csv, row, "room", t.room_id, t));
    templates.push_back(std::move(t));
  }
  return templates;
}

}  // namespace

bool IsSkill(std::string_view skill) { return skill == "triage" || ParseServiceLine(skill).ok(); }

std::vector<Status> ClinicianProblems(const Clinician& c, const std::vector<Site>& sites) {
  std::vector<Status> problems;
  auto fail = [&](std::string message, const char* field) {
    problems.push_back(InvalidArgumentError(std::move(message), field));
  };
  if (!IsKebabId(c.id)) fail(Quoted(c.id) + " must be lower-case kebab, such as 'clin-001'", "id");
  if (c.name.empty()) fail("enter the clinician's name", "name");
  if (std::none_of(std::begin(kProfessions), std::end(kProfessions),
                   [&](const char* p) { return c.profession == p; })) {
    fail(Quoted(c.profession) + " is not a known profession", "profession");
  }
  if (c.skills.empty()) fail("choose at least one skill", "skills");
  for (const std::string& skill : c.skills) {
    if (IsSkill(skill)) continue;
    fail(Quoted(skill) + " is neither a service line (such as 'spinal') nor 'triage'", "skills");
    break;
  }
  if (FindById(sites, c.base_site_id) == nullptr) {
    fail(Quoted(c.base_site_id) + " is not a site of the service", "base_site_id");
  }
  if (!(c.fte > 0 && c.fte <= 1)) fail("must be above 0 and at most 1", "fte");
  return problems;
}

std::vector<Status> TemplatePlaceProblems(const ClinicTemplate& t,
                                          const std::vector<Clinician>& clinicians,
                                          const std::vector<Site>& sites,
                                          const std::vector<Room>& rooms) {
  std::vector<Status> problems;
  auto fail = [&](std::string message, const char* field) {
    problems.push_back(InvalidArgumentError(std::move(message), field));
  };
  const Clinician* clinician = FindById(clinicians, t.clinician_id);
  if (clinician == nullptr) {
    fail(Quoted(t.clinician_id) + " is not a known clinician", "clinician_id");
  } else if (t.slot_type == SlotType::kInjection && !HasSkill(*clinician, "injection")) {
    fail(clinician->name + " does not have the injection skill an injection clinic needs",
         "clinician_id");
  }
  if (FindById(sites, t.site_id) == nullptr) {
    fail(Quoted(t.site_id) + " is not a site of the service", "site_id");
  }
  const Room* room = FindById(rooms, t.room_id);
  if (t.room_id.empty() && t.modality == Modality::kFaceToFace) {
    fail("a face-to-face clinic needs a room", "room_id");
  } else if (!t.room_id.empty() && (room == nullptr || room->site_id != t.site_id)) {
    fail(Quoted(t.room_id) + " is not a room of " + t.site_id, "room_id");
  }
  return problems;
}

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
