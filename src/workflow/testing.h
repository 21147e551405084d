// Test fixtures for workflow tests: a real SQLite store in a temporary directory, the real rules
// and bank holidays from data/, the people who act, and a complete GP referral that tests alter to
// make the case they need. Test-only; header-only.
#ifndef TENDON_WORKFLOW_TESTING_H_
#define TENDON_WORKFLOW_TESTING_H_

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/rules_loader.h"
#include "config/service.h"
#include "core/nhs_number.h"
#include "core/source_dir_for_tests.h"
#include "store/check.h"
#include "store/sqlite/sqlite_store.h"
#include "store/testing/fixtures.h"
#include "workflow/intake.h"
#include "workflow/triage.h"

namespace tendon::workflow::testing {

// Tuesday 24 November 2026, 10:00 GMT: a working day with working days after it.
inline const Instant kNow = date::sys_days(date::year(2026) / 11 / 24) + std::chrono::hours(10);

// A GP referral that every completeness rule accepts and no red flag fires on: a routine knee.
inline nlohmann::json CompleteReferral() {
  return nlohmann::json::parse(R"({
    "referrer_name": "Dr A Clinician",
    "patient": {"nhs_number": "943 476 5919", "given_name": "Jane", "family_name": "Example",
                "date_of_birth": "1970-03-14", "sex": "female", "postcode": "ox3 9du",
                "phone": "01865 000000", "email": "patient@example.com",
                "gp_practice": "K84001", "interpreter_language": "Polish",
                "accessibility_needs": ""},
    "answers": {"body_sites": ["knee"], "side": "left", "duration_weeks": 8, "severity": 5,
                "work_impact": "some", "daily_life_impact": "some",
                "treatment_so_far": ["advice", "medication"], "recent_surgery": false,
                "requested_service": "tier1_physiotherapy", "urgency": "routine",
                "consent_to_share": true,
                "redflags": {"bladder_bowel_dysfunction": false, "saddle_anaesthesia": false,
                             "bilateral_leg_symptoms": false,
                             "progressive_neurological_deficit": false,
                             "sexual_dysfunction": false, "history_of_cancer": false,
                             "unexplained_weight_loss": false, "night_pain": false,
                             "fever_or_systemically_unwell": false, "immunosuppressed": false,
                             "iv_drug_use": false, "recent_infection": false,
                             "major_trauma": false, "minor_trauma_with_osteoporosis": false,
                             "hot_swollen_joint": false, "joint_prosthesis": false,
                             "morning_stiffness_over_30_min": false,
                             "multiple_swollen_joints": false, "small_joints_hands_feet": false,
                             "new_headache_scalp_tenderness_jaw_claudication": false,
                             "visual_disturbance": false}}
  })");
}

class WorkflowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::SqliteStore::Open(dir_.file("tendon.db"));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    auto rules = config::LoadRules(SourceDirForTests() / "data/rules");
    ASSERT_TRUE(rules.ok()) << rules.status().ToString();
    rules_ = std::make_unique<config::Rules>(std::move(rules).value());
    auto calendar =
        config::LoadWorkingCalendar(SourceDirForTests() / "data/bank-holidays-england-wales.csv");
    ASSERT_TRUE(calendar.ok()) << calendar.status().ToString();
    calendar_ = std::make_unique<WorkingCalendar>(std::move(calendar).value());
    env_ = std::make_unique<Env>(Env{*store_, *rules_, *calendar_, Timing{}});
  }

  store::Store& store() { return *store_; }
  const Env& env() { return *env_; }
  const config::Rules& Rules() { return *rules_; }
  const WorkingCalendar& calendar() { return *calendar_; }
  // The test's temporary directory: it holds the store, and tests may put their own files in it.
  const store::testing::TempDir& dir() const { return dir_; }

  static Actor Referrer() { return {"user-referrer", Role::kReferrer, "K84001"}; }
  static Actor Coordinator() { return {"user-coordinator", Role::kCoordinator, "RNU"}; }
  static Actor Public() { return {std::string(kPublicActor), Role::kPatient, ""}; }

  // The submission `body` reads as; fails the test when it is malformed.
  static Submission Parse(const nlohmann::json& body, ReferralSource source = ReferralSource::kGp) {
    Parsed<Submission> parsed = ParseSubmission(body, source, kNow);
    EXPECT_TRUE(parsed.errors.empty())
        << parsed.errors.front().field << ": " << parsed.errors.front().message;
    return parsed.value.value_or(Submission{});
  }

  // A complete GP referral, registered and awaiting triage.
  Referral AwaitingTriage(ReferralSource source = ReferralSource::kGp) {
    auto result = Submit(env(), source == ReferralSource::kSelf ? Coordinator() : Referrer(),
                         Parse(CompleteReferral(), source), kNow);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? result->referral : Referral{};
  }

  // A referral for a new patient, accepted at triage to tier 1 physiotherapy and waiting to book.
  Referral WaitingToBook(Priority priority = Priority::kRoutine) {
    if (patients_ == 0) {
      User triager;  // Triage claims name an account.
      triager.id = triager.username = "user-triage";
      triager.display_name = "Triage clinician";
      triager.role = Role::kTriageClinician;
      triager.password_hash = "unused";
      EXPECT_TRUE(
          store_->Write([&](store::WriteTxn& txn) { return txn.InsertUser(triager); }).ok());
    }
    nlohmann::json body = CompleteReferral();
    body["patient"]["nhs_number"] = *MakeTestNhsNumber(static_cast<std::uint32_t>(patients_++));
    auto submitted = Submit(env(), Referrer(), Parse(body), kNow);
    EXPECT_TRUE(submitted.ok()) << submitted.status().ToString();
    if (!submitted.ok()) return Referral{};
    TriageDecision accept;
    accept.service_line = ServiceLine::kPhysiotherapy;
    accept.modality = Modality::kFaceToFace;
    accept.priority = priority;
    auto accepted = RecordTriage(env(), {"user-triage", Role::kTriageClinician, "RNU"},
                                 submitted->referral.id, accept, kNow);
    EXPECT_TRUE(accepted.ok()) << accepted.status().ToString();
    return accepted.ok() ? *accepted : submitted->referral;
  }

  std::vector<std::string> AuditActions(const std::string& patient_key) {
    store::AuditFilter filter;
    filter.patient_key = patient_key;
    auto entries = store_->ListAudit(filter);
    EXPECT_TRUE(entries.ok()) << entries.status().ToString();
    std::vector<std::string> actions;
    if (!entries.ok()) return actions;
    for (const AuditEntry& e : *entries) actions.push_back(e.action);
    return actions;
  }

  std::vector<std::string> Violations() {
    auto report = store::CheckInvariants(*store_);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? report->violations : std::vector<std::string>{"check failed"};
  }

 private:
  store::testing::TempDir dir_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  std::unique_ptr<config::Rules> rules_;
  std::unique_ptr<WorkingCalendar> calendar_;
  std::unique_ptr<Env> env_;
  int patients_ = 0;
};

}  // namespace tendon::workflow::testing

#endif  // TENDON_WORKFLOW_TESTING_H_
