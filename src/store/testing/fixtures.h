// Test fixtures for store tests: a temporary directory, and well-formed patients, referrals and
// events that tests alter to make the case they need. Test-only; header-only.
#ifndef TENDON_STORE_TESTING_FIXTURES_H_
#define TENDON_STORE_TESTING_FIXTURES_H_

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

#include "core/event.h"
#include "core/records.h"
#include "core/schedule.h"
#include "store/store.h"

namespace tendon::store::testing {

// A fresh directory under the system temporary directory, removed with its contents on destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("tendon-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::filesystem::path file(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

inline Instant At(std::int64_t seconds) {
  return FromUnixMillis(1'780'000'000'000 + seconds * 1000);
}

// Patient number `n`: key "patient-n" and a distinct NHS number-shaped string.
inline Patient MakePatient(int n) {
  Patient p;
  p.key = "patient-" + std::to_string(n);
  std::string digits = std::to_string(9990000000LL + n);
  p.nhs_number = digits;
  p.given_name = "Test";
  p.family_name = "Patient" + std::to_string(n);
  p.date_of_birth = Date(date::days(3650 + n));
  p.sex = Sex::kFemale;
  p.postcode = "OX3 9DU";
  p.created_at = At(0);
  return p;
}

// An open referral awaiting triage, owned by the triage team, for `patient_key`.
inline Referral MakeReferral(const std::string& id, const std::string& patient_key) {
  Referral r;
  r.id = id;
  r.patient_key = patient_key;
  r.source = ReferralSource::kGp;
  r.state = ReferralState::kAwaitingTriage;
  r.priority = Priority::kRoutine;
  r.owner = "triage";
  r.next_action_due = At(3 * 86400);
  r.received_at = At(0);
  r.updated_at = At(0);
  return r;
}

inline PathwayEvent MakeEvent(EventType type, ReferralState after, std::string payload = "{}") {
  PathwayEvent e;
  e.type = type;
  e.state_after = after;
  e.occurred_at = At(0);
  e.recorded_at = At(1);
  e.actor = "test";
  e.payload = std::move(payload);
  return e;
}

// The creating event for MakeReferral's referral.
inline PathwayEvent ReceivedEvent() {
  return MakeEvent(EventType::kReferralReceived, ReferralState::kAwaitingTriage,
                   R"({"source":"gp"})");
}

// Inserts patient `n` and an awaiting-triage referral "ref-n" for them.
inline Status InsertReferredPatient(WriteTxn& txn, int n) {
  RETURN_IF_ERROR(txn.InsertPatient(MakePatient(n)));
  return txn
      .CreateReferral(MakeReferral("ref-" + std::to_string(n), "patient-" + std::to_string(n)),
                      {ReceivedEvent()})
      .status();
}

inline Site MakeSite(const std::string& id) {
  Site s;
  s.id = id;
  s.name = "Site " + id;
  s.region = "Central Oxford";
  s.latitude = 51.75;
  s.longitude = -1.25;
  s.rooms = 2;
  s.weekly_clinic_days = 5;
  return s;
}

inline Room MakeRoom(const std::string& id, const std::string& site_id) {
  return Room{id, site_id, "Room " + id};
}

inline Clinician MakeClinician(const std::string& id, const std::string& site_id) {
  Clinician c;
  c.id = id;
  c.name = "Clinician " + id;
  c.profession = "physiotherapist";
  c.skills = {"spinal"};
  c.base_site_id = site_id;
  return c;
}

// A Monday-to-Friday morning clinic of 30-minute new-patient slots, for clinician "clin-1" in
// room "room-1" at site "site-1" (see InsertClinic).
inline ClinicTemplate MakeTemplate(const std::string& id) {
  ClinicTemplate t;
  t.id = id;
  t.clinician_id = "clin-1";
  t.site_id = "site-1";
  t.room_id = "room-1";
  t.weekdays = {1, 2, 3, 4, 5};
  t.start_minute = 9 * 60;
  t.end_minute = 12 * 60;
  t.valid_from = Date(date::days(20000));
  return t;
}

// Slot `id` of template "tpl-1", starting `start_seconds` after At(0), for 30 minutes.
inline Slot MakeSlot(const std::string& id, std::int64_t start_seconds, int capacity = 1) {
  Slot s;
  s.id = id;
  s.template_id = "tpl-1";
  s.clinician_id = "clin-1";
  s.site_id = "site-1";
  s.room_id = "room-1";
  s.start = At(start_seconds);
  s.end = At(start_seconds + 30 * 60);
  s.capacity = capacity;
  s.type = capacity > 1 ? SlotType::kGroup : SlotType::kNew;
  s.opens_to_all_at = s.start;
  return s;
}

// Inserts site "site-1", its room "room-1", clinician "clin-1" and template "tpl-1": what
// MakeSlot's slots need.
inline Status InsertClinic(WriteTxn& txn) {
  RETURN_IF_ERROR(txn.PutSite(MakeSite("site-1")));
  RETURN_IF_ERROR(txn.PutRoom(MakeRoom("room-1", "site-1")));
  RETURN_IF_ERROR(txn.PutClinician(MakeClinician("clin-1", "site-1")));
  return txn.PutClinicTemplate(MakeTemplate("tpl-1"));
}

// A booked appointment `id` in `slot_id` for referral "ref-n" of patient "patient-n".
inline Appointment MakeAppointment(const std::string& id, const std::string& slot_id, int n) {
  Appointment a;
  a.id = id;
  a.slot_id = slot_id;
  a.referral_id = "ref-" + std::to_string(n);
  a.patient_key = "patient-" + std::to_string(n);
  a.booked_at = At(60);
  a.updated_at = At(60);
  return a;
}

}  // namespace tendon::store::testing

#endif  // TENDON_STORE_TESTING_FIXTURES_H_
