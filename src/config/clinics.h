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
//   clinicians.csv  id not lower-case kebab or repeated; empty name; a profession not in
//                   kProfessions; skills empty or one that is neither a service line ("spinal",
//                   "injection", ...) nor "triage"; base_site not a site; fte outside (0, 1].
//   clinics.csv     id empty or repeated; clinician or site unknown; room neither empty nor one of
//                   the site's rooms; weekdays not a ';'-list of distinct mon..fri; start or end
//                   not HH:MM, or end not after start; unknown slot_type, modality or ringfence;
//                   slot_minutes outside 5 to 480 or longer than the session; capacity below 1, or
//                   above 1 outside a group; embargo_working_days outside 0 to 60, or above 0
//                   without a ring-fence; a session that overlaps another of the same clinician, or
//                   of the same room, on one of its weekdays (the error names the other's line).
// Templates are valid from service.go_live, open-ended.
StatusOr<ClinicsConfig> LoadClinics(const std::filesystem::path& dir, const ServiceConfig& service);

// The professions clinicians.csv accepts.
inline constexpr const char* kProfessions[] = {
    "physiotherapist", "extended_scope_practitioner",       "podiatrist", "orthotist",
    "pain_specialist", "sport_exercise_medicine_consultant"};

// Clinic days a week by site id (see the top of this file): sites without a room-based template
// are absent.
std::map<std::string, int> WeeklyClinicDays(const std::vector<ClinicTemplate>& templates);

}  // namespace tendon::config

#endif  // TENDON_CONFIG_CLINICS_H_
