// Administration of the capacity model (the capacity issue, points 1 and 6): sites, rooms,
// clinicians and clinic templates, checked by the same rules as the service's data files
// (config/service.h, config/clinics.h) and scheduling (core/schedule.h TemplateProblems), each
// saved with its audit row in one transaction; and the rolling horizon of slots.
//
// Saving a template generates its slots up to the horizon (env.timing.horizon_weeks from today) in
// the same transaction. A template edit never drops or moves a booking: future slots without a
// booking that the template no longer makes are cancelled and replaced; those with a booking stay
// as they are and are returned, for a coordinator to move their patients (scheduling/reconcile.h).
// No patient's data is read or written here: audit rows name no patient, and their reason is the
// id of the record saved.
#ifndef TENDON_WORKFLOW_ADMIN_H_
#define TENDON_WORKFLOW_ADMIN_H_

#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "config/service.h"
#include "core/records.h"
#include "core/schedule.h"
#include "core/status.h"
#include "core/time.h"
#include "workflow/workflow.h"

namespace tendon::workflow {

// The audit actions of the saves below.
inline constexpr std::string_view kAuditSiteSave = "admin.site.save";
inline constexpr std::string_view kAuditRoomSave = "admin.room.save";
inline constexpr std::string_view kAuditClinicianSave = "admin.clinician.save";
inline constexpr std::string_view kAuditTemplateSave = "admin.template.save";
inline constexpr std::string_view kAuditSlotsExtend = "admin.slots.extend";

// Whether a save adds a record or changes one. Adding refuses an id in use and changing refuses an
// unknown id (field "id"), so that neither happens by mistake.
enum class SaveMode { kAdd, kEdit };
// "add" or "edit"; InvalidArgument naming `field` otherwise.
StatusOr<SaveMode> ParseSaveMode(std::string_view name, std::string_view field = "mode");

// Reading a request. Each takes a JSON object as the API receives it (the pages build the same
// from their forms) and lists every malformed or missing field, by name:
//   site       id, name, region, address, latitude, longitude, rooms, weekly_clinic_days;
//   room       id, site_id, name;
//   clinician  id, name, profession, skills (a list of names), base_site_id, fte;
//   template   id, clinician_id, site_id, room_id (optional), weekdays (a list of "mon" to "fri"),
//              start and end ("HH:MM", London), slot_type, slot_minutes, capacity (default 1),
//              modality, ringfence (default "none"), embargo_working_days (default 0), valid_from
//              (YYYY-MM-DD; default `today`), valid_until (optional).
// Numbers may be JSON numbers or text, as a form sends them. A member not listed is refused. The
// rules a record must keep are the Check functions'.
Parsed<Site> ParseSite(const nlohmann::json& body);
Parsed<Room> ParseRoom(const nlohmann::json& body);
Parsed<Clinician> ParseClinician(const nlohmann::json& body);
Parsed<ClinicTemplate> ParseClinicTemplate(const nlohmann::json& body, Date today);

// Every rule a record breaks against what the store holds now, one FieldError per bad field (the
// field names above), in field order; empty when it may be saved. Besides the field rules of
// config and core:
//   site       its name is another site's; region not one of `regions`;
//   room       its site is unknown; moving a room to another site while a template at its old
//              site uses it;
//   clinician  taking the injection skill from a clinician with an injection clinic that has not
//              ended by `today`;
//   template   a session of the same clinician or room that it overlaps on a shared weekday while
//              both are valid (ClashDay), naming the other template.
// Whether the id is in use is the Save functions' to check. Unavailable when the store cannot be
// read.
StatusOr<std::vector<FieldError>> CheckSite(const Env& env, const Site& site,
                                            const std::vector<config::Region>& regions);
StatusOr<std::vector<FieldError>> CheckRoom(const Env& env, const Room& room);
StatusOr<std::vector<FieldError>> CheckClinician(const Env& env, const Clinician& clinician,
                                                 Date today);
StatusOr<std::vector<FieldError>> CheckClinicTemplate(const Env& env, const ClinicTemplate& t);

// Saves the record with its audit row in one transaction. AlreadyExists (field "id") when adding
// an id in use; NotFound (field "id") when changing an unknown one; otherwise InvalidArgument
// naming the first field its Check refuses.
Status SaveSite(const Env& env, const Actor& actor, const Site& site, SaveMode mode,
                const std::vector<config::Region>& regions, Instant now);
Status SaveRoom(const Env& env, const Actor& actor, const Room& room, SaveMode mode, Instant now);
Status SaveClinician(const Env& env, const Actor& actor, const Clinician& clinician, SaveMode mode,
                     Instant now);

// What bringing slots into line with their templates did, or would do.
struct SlotChanges {
  int added = 0;      // Slots added.
  int cancelled = 0;  // Future slots without a booking that their template no longer makes.
  // Future slots with a booking that their template no longer makes, by start: left running, for a
  // coordinator to move their patients.
  std::vector<Slot> stranded;
  int held_back = 0;       // Slots not added because a stranded slot holds their time.
  int kept_cancelled = 0;  // Slots the templates make that were cancelled (an absence): left so.
  Date through{};          // The last day slots were generated for.
};

// Slot generation, in SaveClinicTemplate, PlanClinicTemplate and ExtendHorizon: a template's slots
// run from today to the end of the horizon (today + 7 * weeks - 1 days) or to its last stored slot,
// whichever is later. FailedPrecondition (field "weeks") when the bank holiday file does not cover
// that far, since slots would then fall on bank holidays.

// Saves template `t` (checked as CheckClinicTemplate; errors as SaveSite) and, in the same
// transaction with its audit row, brings its future slots into line with it up to
// env.timing.horizon_weeks. A slot booked while the transaction waited is kept, never cancelled.
StatusOr<SlotChanges> SaveClinicTemplate(const Env& env, const Actor& actor,
                                         const ClinicTemplate& t, SaveMode mode, Instant now);

// What SaveClinicTemplate would do to `t`'s slots now, changing nothing: for the template's page.
StatusOr<SlotChanges> PlanClinicTemplate(const Env& env, const ClinicTemplate& t, Instant now);

// A template's stored slots starting from `now`, cancelled ones included, by start; at most
// `limit`.
StatusOr<std::vector<Slot>> UpcomingSlots(const Env& env, std::string_view template_id, Instant now,
                                          int limit);

// Brings every stored template's slots into line with it up to `weeks` weeks ahead, in one
// transaction with one audit row: the rolling horizon moved on. Idempotent: a second run adds
// nothing. InvalidArgument (field "weeks") unless 1 <= weeks <= config::kMaxHorizonWeeks.
StatusOr<SlotChanges> ExtendHorizon(const Env& env, const Actor& actor, int weeks, Instant now);

}  // namespace tendon::workflow

#endif  // TENDON_WORKFLOW_ADMIN_H_
