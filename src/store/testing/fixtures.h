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

}  // namespace tendon::store::testing

#endif  // TENDON_STORE_TESTING_FIXTURES_H_
