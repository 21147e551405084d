// Loading a service's staff and clinic rota (data/services/<service>/clinicians.csv and
// clinics.csv; the service's README.md gives their schemas), and the rooms its sites.csv implies.
// Every file is read against a schema; a bad file is refused with an InvalidArgument reading
// "path:line: column: reason", as LoadService does.
//
// A clinic day is one room in use on one weekday: the distinct (room, weekday) pairs of a site's
// clinic templates, however many sessions and clinicians share the room that day. Templates
// without a room (telephone clinics such as physioline) use no clinic room and count no day.
// sites.csv's weekly_clinic_days is the figure a site's templates should give (WeeklyClinicDays).
//
// Functions here have no state and may be called from any thread.
#ifndef TENDON_CONFIG_CLINICS_H_
#define TENDON_CONFIG_CLINICS_H_

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/service.h"
#include "core/records.h"
#include "core/schedule.h"
#include "core/status.h"

namespace tendon::config {

inline constexpr char kCliniciansFile[] = "clinicians.csv";
inline constexpr char kClinicsFile[] = "clinics.csv";

struct ClinicsConfig {
  std::vector<Room> rooms;                // MakeRooms of the service's sites.
  std::vector<Clinician> clinicians;      // In file order; ids unique.
  std::vector<ClinicTemplate> templates;  // In file order; ids unique; valid from go-live.
};

// Every site's rooms, in site order: "<site id>-room-<n>" named "Room <n>", n from 1 to
// site.rooms.
std::vector<Room> MakeRooms(const std::vector<Site>& sites);

// Loads clinicians.csv and clinics.csv from `dir` against `service` (normally LoadService(dir)).
// A missing file is NotFound. InvalidArgument "path:line: column: reason" for any bad field:
//   clinicians.csv  id repeated, or any of ClinicianProblems (skills are ';'-separated);
//   clinics.csv     id empty or repeated; weekdays not a ';'-list of mon..fri; start or end not
//                   HH:MM; unknown slot_type, modality or ringfence; any of TemplateProblems
//                   (core/schedule.h) or TemplatePlaceProblems; a session that overlaps another of
//                   the same clinician, or of the same room, on one of its weekdays (the error
//                   names the other's line).
StatusOr<ClinicsConfig> LoadClinics(const std::filesystem::path& dir, const ServiceConfig& service);

// The skills a clinician may have: a service line's name ("spinal", "injection", ...;
// core/pathway.h) or "triage".
bool IsSkill(std::string_view skill);

// Every problem with a clinician's fields, as clinicians.csv and the administrator's pages apply
// them: an InvalidArgument per bad field, naming it (Clinician's member names), in member order: id
// not lower-case kebab (csv.h IsKebabId); name empty; profession not one of kProfessions; skills
// empty, or one that is not IsSkill; base_site_id not one of `sites`; fte outside (0, 1]. Empty
// when the clinician is valid.
std::vector<Status> ClinicianProblems(const Clinician& c, const std::vector<Site>& sites);

// Every problem with who runs template `t` and where, against the service's clinicians, sites and
// rooms: an InvalidArgument per bad field, naming it (ClinicTemplate's member names):
//   clinician_id  not one of `clinicians`; or, for an injection clinic, a clinician without the
//                 "injection" skill;
//   site_id       not one of `sites`;
//   room_id       not one of `rooms`, or a room of another site; or empty for a face-to-face
//                 clinic, which needs a room (telephone and video clinics may have none).
// TemplateProblems (core/schedule.h) checks the template's own fields.
std::vector<Status> TemplatePlaceProblems(const ClinicTemplate& t,
                                          const std::vector<Clinician>& clinicians,
                                          const std::vector<Site>& sites,
                                          const std::vector<Room>& rooms);

// The professions clinicians.csv accepts.
inline constexpr const char* kProfessions[] = {
    "physiotherapist", "extended_scope_practitioner",       "podiatrist", "orthotist",
    "pain_specialist", "sport_exercise_medicine_consultant"};

// Clinic days a week by site id (see the top of this file): sites without a room-based template
// are absent.
std::map<std::string, int> WeeklyClinicDays(const std::vector<ClinicTemplate>& templates);

}  // namespace tendon::config

#endif  // TENDON_CONFIG_CLINICS_H_
