// How each record maps to its table's columns. For every record type: the column list, a binder
// that binds the record's fields to parameters 1..N in that order, and a reader that builds the
// record from a row selected with that column list. Readers turn a value the schema should have
// prevented into an Internal error rather than a crash.
#ifndef TENDON_STORE_SQLITE_ROWS_H_
#define TENDON_STORE_SQLITE_ROWS_H_

#include <string_view>

#include "core/event.h"
#include "core/records.h"
#include "core/schedule.h"
#include "core/status.h"
#include "store/log_hash.h"
#include "store/sqlite/connection.h"

namespace tendon::store::sqlite {

inline constexpr std::string_view kSiteColumns =
    "id, name, region, address, latitude, longitude, rooms, weekly_clinic_days";
inline constexpr std::string_view kRoomColumns = "id, site_id, name";
inline constexpr std::string_view kClinicianColumns =
    "id, name, profession, skills, base_site_id, fte";
// An unknown NHS number or date of birth is NULL in the table and empty in the record.
inline constexpr std::string_view kPatientColumns =
    "key, nhs_number, given_name, family_name, date_of_birth, sex, postcode, phone, email, "
    "gp_practice, dissent, created_at, interpreter_language, accessibility_needs";
inline constexpr std::string_view kReferralColumns =
    "id, patient_key, source, state, priority, tier, service_line, site_id, owner, "
    "next_action_due, received_at, resubmitted_at, updated_at, referrer_organisation";
// Without the hash, which is the next column (index 13) where a caller selects it.
inline constexpr std::string_view kEventColumns =
    "id, referral_id, patient_key, type, state_after, occurred_at, recorded_at, actor, site, tier, "
    "service_line, priority, payload";
inline constexpr int kEventHashColumn = 13;
inline constexpr std::string_view kUserColumns =
    "id, username, display_name, role, organisation, patient_key, password_hash, disabled, "
    "created_at, clinician_id";
inline constexpr std::string_view kSessionColumns =
    "token_hash, user_id, csrf_token, created_at, last_seen_at, context_referral_id";
inline constexpr std::string_view kAuditColumns =
    "id, at, actor, role, patient_key, action, reason";
inline constexpr int kAuditHashColumn = 7;
inline constexpr std::string_view kReferralDetailsColumns =
    "referral_id, answers, decision, updated_at";
inline constexpr std::string_view kClaimColumns =
    "referral_id, user_id, claimed_at, last_active_at";
inline constexpr std::string_view kLinkColumns = "referral_id, other_id, kind, actor, at";
inline constexpr std::string_view kIntakeAttemptColumns = "id, at, channel, outcome, rules";
inline constexpr std::string_view kNotificationColumns =
    "id, kind, patient_key, referral_id, payload, status, created_at, channel, recipient, "
    "attempts, next_attempt_at, claimed_at, last_error, sent_at, provider_id";
// Weekdays are text, "1,2,5"; an empty room is NULL (a clinic held by telephone or video).
inline constexpr std::string_view kClinicTemplateColumns =
    "id, clinician_id, site_id, room_id, weekdays, start_minute, end_minute, slot_type, "
    "slot_minutes, capacity, modality, ringfence, embargo_working_days, valid_from, valid_until";
// `booked` (parameter 13) is kept by the database's triggers: writers bind it but never store it.
inline constexpr std::string_view kSlotColumns =
    "id, template_id, clinician_id, site_id, room_id, start_at, end_at, type, modality, capacity, "
    "ringfence, opens_to_all_at, booked, cancelled";
inline constexpr std::string_view kAppointmentColumns =
    "id, slot_id, referral_id, patient_key, status, idempotency_key, cancelled_by, cancel_reason, "
    "booked_at, updated_at, offer_expires_at";

void BindSite(Statement& stmt, const Site& site);
void BindRoom(Statement& stmt, const Room& room);
void BindClinician(Statement& stmt, const Clinician& clinician);
void BindPatient(Statement& stmt, const Patient& patient);
void BindReferral(Statement& stmt, const Referral& referral);
void BindEvent(Statement& stmt, const PathwayEvent& event);  // Including id (parameter 1).
void BindAudit(Statement& stmt, const AuditEntry& entry);    // Including id (parameter 1).
void BindUser(Statement& stmt, const User& user);
void BindSession(Statement& stmt, const Session& session);
void BindReferralDetails(Statement& stmt, const ReferralDetails& details);
void BindClaim(Statement& stmt, const TriageClaim& claim);
void BindLink(Statement& stmt, const ReferralLink& link);
// Without the id (parameters 1..4 are at, channel, outcome, rules): the store assigns it.
void BindIntakeAttempt(Statement& stmt, const IntakeAttempt& attempt);
// Without the id (parameters 1..14 are kind to provider_id): the store assigns it.
void BindNotification(Statement& stmt, const Notification& notification);
void BindClinicTemplate(Statement& stmt, const ClinicTemplate& clinic);
void BindSlot(Statement& stmt, const Slot& slot);
void BindAppointment(Statement& stmt, const Appointment& appointment);

void BindHash(Statement& stmt, int index, const ChainHash& hash);
StatusOr<ChainHash> ReadHash(const Statement& row, int column);

Site ReadSite(const Statement& row);
Room ReadRoom(const Statement& row);
Clinician ReadClinician(const Statement& row);
StatusOr<Patient> ReadPatient(const Statement& row);
StatusOr<Referral> ReadReferral(const Statement& row);
StatusOr<PathwayEvent> ReadEvent(const Statement& row);
AuditEntry ReadAudit(const Statement& row);
StatusOr<User> ReadUser(const Statement& row);
Session ReadSession(const Statement& row);
ReferralDetails ReadReferralDetails(const Statement& row);
TriageClaim ReadClaim(const Statement& row);
StatusOr<ReferralLink> ReadLink(const Statement& row);
IntakeAttempt ReadIntakeAttempt(const Statement& row);
StatusOr<Notification> ReadNotification(const Statement& row);
StatusOr<ClinicTemplate> ReadClinicTemplate(const Statement& row);
StatusOr<Slot> ReadSlot(const Statement& row);
StatusOr<Appointment> ReadAppointment(const Statement& row);

}  // namespace tendon::store::sqlite

#endif  // TENDON_STORE_SQLITE_ROWS_H_
