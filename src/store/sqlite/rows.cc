#include "store/sqlite/rows.h"

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace tendon::store::sqlite {
namespace {

std::string JoinSkills(const std::vector<std::string>& skills) {
  std::string out;
  for (const std::string& skill : skills) {
    if (!out.empty()) out += ',';
    out += skill;
  }
  return out;
}

std::vector<std::string> SplitSkills(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

// An empty string is "not known": NULL, which UNIQUE and foreign keys ignore.
void BindTextOrNull(Statement& stmt, int index, const std::string& text) {
  if (text.empty()) {
    stmt.BindNull(index);
  } else {
    stmt.Bind(index, text);
  }
}

std::optional<std::int64_t> DaysSinceEpoch(const std::optional<Date>& date) {
  if (!date) return std::nullopt;
  return date->time_since_epoch().count();
}

template <typename E>
void BindOptionalName(Statement& stmt, int index, const std::optional<E>& value) {
  if (value) {
    stmt.Bind(index, ToString(*value));
  } else {
    stmt.BindNull(index);
  }
}

std::optional<std::int64_t> OptionalMillis(const std::optional<Instant>& t) {
  if (!t) return std::nullopt;
  return ToUnixMillis(*t);
}

std::optional<Instant> ReadOptionalInstant(const Statement& row, int column) {
  auto ms = row.OptionalInt(column);
  if (!ms) return std::nullopt;
  return FromUnixMillis(*ms);
}

// Reads an optional enum column with `parse`; an unknown name is a corrupt row (Internal).
template <typename E, typename Parse>
Status ReadOptionalEnum(const Statement& row, int column, Parse parse, std::optional<E>& out) {
  if (row.IsNull(column)) return OkStatus();
  auto value = parse(row.Text(column), "column");
  if (!value.ok()) return InternalError("stored row is corrupt: " + value.status().ToString());
  out = *value;
  return OkStatus();
}

template <typename E, typename Parse>
Status ReadEnum(const Statement& row, int column, Parse parse, E& out) {
  std::optional<E> value;
  RETURN_IF_ERROR(ReadOptionalEnum(row, column, parse, value));
  if (!value) return InternalError("stored row is corrupt: a required column is null");
  out = *value;
  return OkStatus();
}

std::string JoinWeekdays(const std::vector<int>& weekdays) {
  std::string out;
  for (int day : weekdays) {
    if (!out.empty()) out += ',';
    out += std::to_string(day);
  }
  return out;
}

StatusOr<std::vector<int>> SplitWeekdays(const std::string& text) {
  std::vector<int> out;
  for (const std::string& part : SplitSkills(text)) {
    if (part.size() != 1 || part[0] < '1' || part[0] > '7') {
      return InternalError("stored row is corrupt: weekdays \"" + text + "\"");
    }
    out.push_back(part[0] - '0');
  }
  return out;
}

}  // namespace

void BindSite(Statement& stmt, const Site& s) {
  stmt.Bind(1, s.id);
  stmt.Bind(2, s.name);
  stmt.Bind(3, s.region);
  stmt.Bind(4, s.address);
  stmt.Bind(5, s.latitude);
  stmt.Bind(6, s.longitude);
  stmt.Bind(7, std::int64_t{s.rooms});
  stmt.Bind(8, std::int64_t{s.weekly_clinic_days});
}

void BindRoom(Statement& stmt, const Room& r) {
  stmt.Bind(1, r.id);
  stmt.Bind(2, r.site_id);
  stmt.Bind(3, r.name);
}

void BindClinician(Statement& stmt, const Clinician& c) {
  stmt.Bind(1, c.id);
  stmt.Bind(2, c.name);
  stmt.Bind(3, c.profession);
  stmt.Bind(4, JoinSkills(c.skills));
  BindTextOrNull(stmt, 5, c.base_site_id);
  stmt.Bind(6, c.fte);
}

void BindPatient(Statement& stmt, const Patient& p) {
  stmt.Bind(1, p.key);
  BindTextOrNull(stmt, 2, p.nhs_number);
  stmt.Bind(3, p.given_name);
  stmt.Bind(4, p.family_name);
  stmt.BindOptional(5, DaysSinceEpoch(p.date_of_birth));
  stmt.Bind(6, ToString(p.sex));
  stmt.Bind(7, p.postcode);
  stmt.Bind(8, p.phone);
  stmt.Bind(9, p.email);
  stmt.Bind(10, p.gp_practice);
  stmt.Bind(11, std::int64_t{p.dissent ? 1 : 0});
  stmt.Bind(12, ToUnixMillis(p.created_at));
  stmt.Bind(13, p.interpreter_language);
  stmt.Bind(14, p.accessibility_needs);
}

void BindReferral(Statement& stmt, const Referral& r) {
  stmt.Bind(1, r.id);
  stmt.Bind(2, r.patient_key);
  stmt.Bind(3, ToString(r.source));
  stmt.Bind(4, ToString(r.state));
  stmt.Bind(5, ToString(r.priority));
  BindOptionalName(stmt, 6, r.tier);
  BindOptionalName(stmt, 7, r.service_line);
  stmt.Bind(8, r.site_id);
  stmt.Bind(9, r.owner);
  stmt.BindOptional(10, OptionalMillis(r.next_action_due));
  stmt.Bind(11, ToUnixMillis(r.received_at));
  stmt.BindOptional(12, OptionalMillis(r.resubmitted_at));
  stmt.Bind(13, ToUnixMillis(r.updated_at));
  stmt.Bind(14, r.referrer_organisation);
}

void BindEvent(Statement& stmt, const PathwayEvent& e) {
  stmt.Bind(1, e.id);
  stmt.Bind(2, e.referral_id);
  stmt.Bind(3, e.patient_key);
  stmt.Bind(4, ToString(e.type));
  stmt.Bind(5, ToString(e.state_after));
  stmt.Bind(6, ToUnixMillis(e.occurred_at));
  stmt.Bind(7, ToUnixMillis(e.recorded_at));
  stmt.Bind(8, e.actor);
  stmt.Bind(9, e.site);
  BindOptionalName(stmt, 10, e.tier);
  BindOptionalName(stmt, 11, e.service_line);
  stmt.Bind(12, ToString(e.priority));
  stmt.Bind(13, e.payload);
}

void BindAudit(Statement& stmt, const AuditEntry& a) {
  stmt.Bind(1, a.id);
  stmt.Bind(2, ToUnixMillis(a.at));
  stmt.Bind(3, a.actor);
  stmt.Bind(4, a.role);
  stmt.Bind(5, a.patient_key);
  stmt.Bind(6, a.action);
  stmt.Bind(7, a.reason);
}

void BindHash(Statement& stmt, int index, const ChainHash& hash) {
  stmt.BindBlob(index, hash.data(), hash.size());
}

StatusOr<ChainHash> ReadHash(const Statement& row, int column) {
  std::string bytes = row.Blob(column);
  ChainHash hash{};
  if (bytes.size() != hash.size()) return InternalError("a stored log hash has the wrong length");
  std::memcpy(hash.data(), bytes.data(), hash.size());
  return hash;
}

Site ReadSite(const Statement& row) {
  return Site{row.Text(0),
              row.Text(1),
              row.Text(2),
              row.Text(3),
              row.Real(4),
              row.Real(5),
              static_cast<int>(row.Int(6)),
              static_cast<int>(row.Int(7))};
}

Room ReadRoom(const Statement& row) { return Room{row.Text(0), row.Text(1), row.Text(2)}; }

Clinician ReadClinician(const Statement& row) {
  return Clinician{row.Text(0), row.Text(1), row.Text(2), SplitSkills(row.Text(3)),
                   row.Text(4), row.Real(5)};
}

StatusOr<Patient> ReadPatient(const Statement& row) {
  Patient p;
  p.key = row.Text(0);
  p.nhs_number = row.Text(1);
  p.given_name = row.Text(2);
  p.family_name = row.Text(3);
  if (auto days = row.OptionalInt(4)) p.date_of_birth = Date(date::days(*days));
  RETURN_IF_ERROR(ReadEnum(row, 5, ParseSex, p.sex));
  p.postcode = row.Text(6);
  p.phone = row.Text(7);
  p.email = row.Text(8);
  p.gp_practice = row.Text(9);
  p.dissent = row.Int(10) != 0;
  p.created_at = FromUnixMillis(row.Int(11));
  p.interpreter_language = row.Text(12);
  p.accessibility_needs = row.Text(13);
  return p;
}

StatusOr<Referral> ReadReferral(const Statement& row) {
  Referral r;
  r.id = row.Text(0);
  r.patient_key = row.Text(1);
  RETURN_IF_ERROR(ReadEnum(row, 2, ParseReferralSource, r.source));
  RETURN_IF_ERROR(ReadEnum(row, 3, ParseReferralState, r.state));
  RETURN_IF_ERROR(ReadEnum(row, 4, ParsePriority, r.priority));
  RETURN_IF_ERROR(ReadOptionalEnum(row, 5, ParseTier, r.tier));
  RETURN_IF_ERROR(ReadOptionalEnum(row, 6, ParseServiceLine, r.service_line));
  r.site_id = row.Text(7);
  r.owner = row.Text(8);
  r.next_action_due = ReadOptionalInstant(row, 9);
  r.received_at = FromUnixMillis(row.Int(10));
  r.resubmitted_at = ReadOptionalInstant(row, 11);
  r.updated_at = FromUnixMillis(row.Int(12));
  r.referrer_organisation = row.Text(13);
  return r;
}

StatusOr<PathwayEvent> ReadEvent(const Statement& row) {
  PathwayEvent e;
  e.id = row.Int(0);
  e.referral_id = row.Text(1);
  e.patient_key = row.Text(2);
  RETURN_IF_ERROR(ReadEnum(row, 3, ParseEventType, e.type));
  RETURN_IF_ERROR(ReadEnum(row, 4, ParseReferralState, e.state_after));
  e.occurred_at = FromUnixMillis(row.Int(5));
  e.recorded_at = FromUnixMillis(row.Int(6));
  e.actor = row.Text(7);
  e.site = row.Text(8);
  RETURN_IF_ERROR(ReadOptionalEnum(row, 9, ParseTier, e.tier));
  RETURN_IF_ERROR(ReadOptionalEnum(row, 10, ParseServiceLine, e.service_line));
  RETURN_IF_ERROR(ReadEnum(row, 11, ParsePriority, e.priority));
  e.payload = row.Text(12);
  return e;
}

AuditEntry ReadAudit(const Statement& row) {
  return AuditEntry{
      row.Int(0), FromUnixMillis(row.Int(1)), row.Text(2), row.Text(3), row.Text(4), row.Text(5),
      row.Text(6)};
}

void BindUser(Statement& stmt, const User& u) {
  stmt.Bind(1, u.id);
  stmt.Bind(2, u.username);
  stmt.Bind(3, u.display_name);
  stmt.Bind(4, ToString(u.role));
  stmt.Bind(5, u.organisation);
  BindTextOrNull(stmt, 6, u.patient_key);
  stmt.Bind(7, u.password_hash);
  stmt.Bind(8, std::int64_t{u.disabled ? 1 : 0});
  stmt.Bind(9, ToUnixMillis(u.created_at));
  BindTextOrNull(stmt, 10, u.clinician_id);
}

void BindSession(Statement& stmt, const Session& s) {
  stmt.Bind(1, s.token_hash);
  stmt.Bind(2, s.user_id);
  stmt.Bind(3, s.csrf_token);
  stmt.Bind(4, ToUnixMillis(s.created_at));
  stmt.Bind(5, ToUnixMillis(s.last_seen_at));
  stmt.Bind(6, s.context_referral_id);
}

StatusOr<User> ReadUser(const Statement& row) {
  User u;
  u.id = row.Text(0);
  u.username = row.Text(1);
  u.display_name = row.Text(2);
  RETURN_IF_ERROR(ReadEnum(row, 3, ParseRole, u.role));
  u.organisation = row.Text(4);
  u.patient_key = row.Text(5);
  u.password_hash = row.Text(6);
  u.disabled = row.Int(7) != 0;
  u.created_at = FromUnixMillis(row.Int(8));
  u.clinician_id = row.Text(9);
  return u;
}

Session ReadSession(const Statement& row) {
  return Session{
      row.Text(0), row.Text(1), row.Text(2), FromUnixMillis(row.Int(3)), FromUnixMillis(row.Int(4)),
      row.Text(5)};
}

void BindReferralDetails(Statement& stmt, const ReferralDetails& d) {
  stmt.Bind(1, d.referral_id);
  stmt.Bind(2, d.answers);
  stmt.Bind(3, d.decision);
  stmt.Bind(4, ToUnixMillis(d.updated_at));
}

void BindClaim(Statement& stmt, const TriageClaim& c) {
  stmt.Bind(1, c.referral_id);
  stmt.Bind(2, c.user_id);
  stmt.Bind(3, ToUnixMillis(c.claimed_at));
  stmt.Bind(4, ToUnixMillis(c.last_active_at));
}

void BindLink(Statement& stmt, const ReferralLink& l) {
  stmt.Bind(1, l.referral_id);
  stmt.Bind(2, l.other_id);
  stmt.Bind(3, ToString(l.kind));
  stmt.Bind(4, l.actor);
  stmt.Bind(5, ToUnixMillis(l.at));
}

void BindIntakeAttempt(Statement& stmt, const IntakeAttempt& a) {
  stmt.Bind(1, ToUnixMillis(a.at));
  stmt.Bind(2, a.channel);
  stmt.Bind(3, a.outcome);
  stmt.Bind(4, a.rules);
}

ReferralDetails ReadReferralDetails(const Statement& row) {
  return ReferralDetails{row.Text(0), row.Text(1), row.Text(2), FromUnixMillis(row.Int(3))};
}

TriageClaim ReadClaim(const Statement& row) {
  return TriageClaim{row.Text(0), row.Text(1), FromUnixMillis(row.Int(2)),
                     FromUnixMillis(row.Int(3))};
}

StatusOr<ReferralLink> ReadLink(const Statement& row) {
  ReferralLink l;
  l.referral_id = row.Text(0);
  l.other_id = row.Text(1);
  RETURN_IF_ERROR(ReadEnum(row, 2, ParseLinkKind, l.kind));
  l.actor = row.Text(3);
  l.at = FromUnixMillis(row.Int(4));
  return l;
}

IntakeAttempt ReadIntakeAttempt(const Statement& row) {
  return IntakeAttempt{row.Int(0), FromUnixMillis(row.Int(1)), row.Text(2), row.Text(3),
                       row.Text(4)};
}

void BindNotification(Statement& stmt, const Notification& n) {
  stmt.Bind(1, n.kind);
  stmt.Bind(2, n.patient_key);
  BindTextOrNull(stmt, 3, n.referral_id);
  stmt.Bind(4, n.payload);
  stmt.Bind(5, ToString(n.status));
  stmt.Bind(6, ToUnixMillis(n.created_at));
  BindOptionalName(stmt, 7, n.channel);
  stmt.Bind(8, n.recipient);
  stmt.Bind(9, std::int64_t{n.attempts});
  stmt.Bind(10, ToUnixMillis(n.next_attempt_at));
  stmt.BindOptional(11, OptionalMillis(n.claimed_at));
  stmt.Bind(12, n.last_error);
  stmt.BindOptional(13, OptionalMillis(n.sent_at));
  stmt.Bind(14, n.provider_id);
}

StatusOr<Notification> ReadNotification(const Statement& row) {
  Notification n;
  n.id = row.Int(0);
  n.kind = row.Text(1);
  n.patient_key = row.Text(2);
  n.referral_id = row.Text(3);
  n.payload = row.Text(4);
  RETURN_IF_ERROR(ReadEnum(row, 5, ParseNotificationStatus, n.status));
  n.created_at = FromUnixMillis(row.Int(6));
  RETURN_IF_ERROR(ReadOptionalEnum(row, 7, ParseChannel, n.channel));
  n.recipient = row.Text(8);
  n.attempts = static_cast<int>(row.Int(9));
  n.next_attempt_at = FromUnixMillis(row.Int(10));
  n.claimed_at = ReadOptionalInstant(row, 11);
  n.last_error = row.Text(12);
  n.sent_at = ReadOptionalInstant(row, 13);
  n.provider_id = row.Text(14);
  return n;
}

void BindClinicTemplate(Statement& stmt, const ClinicTemplate& t) {
  stmt.Bind(1, t.id);
  stmt.Bind(2, t.clinician_id);
  stmt.Bind(3, t.site_id);
  BindTextOrNull(stmt, 4, t.room_id);
  stmt.Bind(5, JoinWeekdays(t.weekdays));
  stmt.Bind(6, std::int64_t{t.start_minute});
  stmt.Bind(7, std::int64_t{t.end_minute});
  stmt.Bind(8, ToString(t.slot_type));
  stmt.Bind(9, std::int64_t{t.slot_minutes});
  stmt.Bind(10, std::int64_t{t.capacity});
  stmt.Bind(11, ToString(t.modality));
  stmt.Bind(12, ToString(t.ringfence));
  stmt.Bind(13, std::int64_t{t.embargo_working_days});
  stmt.Bind(14, std::int64_t{t.valid_from.time_since_epoch().count()});
  stmt.BindOptional(15, DaysSinceEpoch(t.valid_until));
}

StatusOr<ClinicTemplate> ReadClinicTemplate(const Statement& row) {
  ClinicTemplate t;
  t.id = row.Text(0);
  t.clinician_id = row.Text(1);
  t.site_id = row.Text(2);
  t.room_id = row.Text(3);
  ASSIGN_OR_RETURN(t.weekdays, SplitWeekdays(row.Text(4)));
  t.start_minute = static_cast<int>(row.Int(5));
  t.end_minute = static_cast<int>(row.Int(6));
  RETURN_IF_ERROR(ReadEnum(row, 7, ParseSlotType, t.slot_type));
  t.slot_minutes = static_cast<int>(row.Int(8));
  t.capacity = static_cast<int>(row.Int(9));
  RETURN_IF_ERROR(ReadEnum(row, 10, ParseModality, t.modality));
  RETURN_IF_ERROR(ReadEnum(row, 11, ParseRingfence, t.ringfence));
  t.embargo_working_days = static_cast<int>(row.Int(12));
  t.valid_from = Date(date::days(row.Int(13)));
  if (auto days = row.OptionalInt(14)) t.valid_until = Date(date::days(*days));
  return t;
}

void BindSlot(Statement& stmt, const Slot& s) {
  stmt.Bind(1, s.id);
  stmt.Bind(2, s.template_id);
  stmt.Bind(3, s.clinician_id);
  stmt.Bind(4, s.site_id);
  BindTextOrNull(stmt, 5, s.room_id);
  stmt.Bind(6, ToUnixMillis(s.start));
  stmt.Bind(7, ToUnixMillis(s.end));
  stmt.Bind(8, ToString(s.type));
  stmt.Bind(9, ToString(s.modality));
  stmt.Bind(10, std::int64_t{s.capacity});
  stmt.Bind(11, ToString(s.ringfence));
  stmt.Bind(12, ToUnixMillis(s.opens_to_all_at));
  stmt.Bind(13, std::int64_t{s.booked});
  stmt.Bind(14, std::int64_t{s.cancelled ? 1 : 0});
}

StatusOr<Slot> ReadSlot(const Statement& row) {
  Slot s;
  s.id = row.Text(0);
  s.template_id = row.Text(1);
  s.clinician_id = row.Text(2);
  s.site_id = row.Text(3);
  s.room_id = row.Text(4);
  s.start = FromUnixMillis(row.Int(5));
  s.end = FromUnixMillis(row.Int(6));
  RETURN_IF_ERROR(ReadEnum(row, 7, ParseSlotType, s.type));
  RETURN_IF_ERROR(ReadEnum(row, 8, ParseModality, s.modality));
  s.capacity = static_cast<int>(row.Int(9));
  RETURN_IF_ERROR(ReadEnum(row, 10, ParseRingfence, s.ringfence));
  s.opens_to_all_at = FromUnixMillis(row.Int(11));
  s.booked = static_cast<int>(row.Int(12));
  s.cancelled = row.Int(13) != 0;
  return s;
}

void BindAppointment(Statement& stmt, const Appointment& a) {
  stmt.Bind(1, a.id);
  stmt.Bind(2, a.slot_id);
  stmt.Bind(3, a.referral_id);
  stmt.Bind(4, a.patient_key);
  stmt.Bind(5, ToString(a.status));
  stmt.Bind(6, a.idempotency_key);
  stmt.Bind(7, a.cancelled_by);
  stmt.Bind(8, a.cancel_reason);
  stmt.Bind(9, ToUnixMillis(a.booked_at));
  stmt.Bind(10, ToUnixMillis(a.updated_at));
  stmt.BindOptional(11, OptionalMillis(a.offer_expires_at));
}

StatusOr<Appointment> ReadAppointment(const Statement& row) {
  Appointment a;
  a.id = row.Text(0);
  a.slot_id = row.Text(1);
  a.referral_id = row.Text(2);
  a.patient_key = row.Text(3);
  RETURN_IF_ERROR(ReadEnum(row, 4, ParseAppointmentStatus, a.status));
  a.idempotency_key = row.Text(5);
  a.cancelled_by = row.Text(6);
  a.cancel_reason = row.Text(7);
  a.booked_at = FromUnixMillis(row.Int(8));
  a.updated_at = FromUnixMillis(row.Int(9));
  a.offer_expires_at = ReadOptionalInstant(row, 10);
  return a;
}

}  // namespace tendon::store::sqlite
