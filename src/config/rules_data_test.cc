// Tests of the real rules in data/rules/: every rule version has a case that must fire it and one
// that must not, and the clinical scenarios of the hazard log give their actions. A rule added to
// the files without a row in kRuleCases fails EveryRuleFiresOnItsCaseAndNotOnTheOther.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "config/rules_loader.h"
#include "core/london_time.h"
#include "core/source_dir_for_tests.h"

namespace tendon::config {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const Rules& RealRules() {
  static const Rules rules = [] {
    StatusOr<Rules> loaded = LoadRules(SourceDirForTests() / "data/rules");
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return loaded.ok() ? *loaded : Rules{};
  }();
  return rules;
}

// A complete GP referral for a knee problem with every red flag answered no; cases patch it (a
// JSON merge patch: null removes a key).
json BaseAnswers() {
  json answers = json::parse(R"({
    "source": "gp", "age": 45, "body_sites": ["knee"], "side": "left", "duration_weeks": 8,
    "severity": 5, "work_impact": "some", "daily_life_impact": "some",
    "treatment_so_far": ["exercise"], "recent_surgery": false, "urgency": "routine",
    "consent_to_share": true,
    "patient": {"nhs_number": "9434765919", "name": "Ann Example", "date_of_birth": "1980-04-01",
                "sex": "female", "postcode": "OX3 9DU", "phone": "01865 000000",
                "email": "ann@example.org"}
  })");
  for (const AnswerField& field : AnswerFields()) {
    if (field.path.starts_with("redflags.")) answers["redflags"][field.path.substr(9)] = false;
  }
  return answers;
}

json Patched(const std::string& patch) {
  json answers = BaseAnswers();
  answers.merge_patch(json::parse(patch));
  return answers;
}

Instant NoonOn(Date day) {
  StatusOr<Instant> t = FromLondon(day, std::chrono::hours(12));
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? *t : Instant{};
}

Instant Now() { return NoonOn(date::year(2026) / 2 / 2); }

struct RuleCase {
  std::string id;
  int version;
  std::string fires;          // Patch of BaseAnswers that must fire the rule.
  std::string does_not_fire;  // Patch that must not (a near miss where there is one).
  ReferralSource type = ReferralSource::kGp;  // For completeness rules.
};

// clang-format off
const std::vector<RuleCase> kRuleCases = {
    {"RF-CES-1", 1, R"({"redflags": {"saddle_anaesthesia": true}})",
     R"({"body_sites": ["lower_back"], "redflags": {"night_pain": true}})"},
    {"RF-MSCC-1", 1,
     R"({"redflags": {"history_of_cancer": true, "cancer_risk_evaluated_low": true, "progressive_neurological_deficit": true}})",
     R"({"redflags": {"history_of_cancer": true, "cancer_risk_evaluated_low": true}})"},
    {"RF-NEURO-1", 1, R"({"redflags": {"progressive_neurological_deficit": true}})", R"({})"},
    {"RF-SEPTIC-1", 1, R"({"redflags": {"hot_swollen_joint": true}})",
     R"({"redflags": {"joint_prosthesis": true}})"},
    {"RF-INFECT-1", 1, R"({"redflags": {"fever_or_systemically_unwell": true, "iv_drug_use": true}})",
     R"({"redflags": {"fever_or_systemically_unwell": true}})"},
    {"RF-GCA-2", 1, R"({"age": 72, "redflags": {"visual_disturbance": true}})",
     R"({"age": 45, "redflags": {"visual_disturbance": true}})"},
    {"RF-GCA-1", 1,
     R"({"age": null, "redflags": {"new_headache_scalp_tenderness_jaw_claudication": true}})",
     R"({"age": 45, "redflags": {"new_headache_scalp_tenderness_jaw_claudication": true}})"},
    {"RF-FRACTURE-1", 1, R"({"redflags": {"major_trauma": true}})", R"({})"},
    {"RF-FRACTURE-2", 1, R"({"redflags": {"minor_trauma_with_osteoporosis": true}})", R"({})"},
    {"RF-CANCER-1", 1, R"({"redflags": {"history_of_cancer": true, "cancer_risk_evaluated_low": null}})",
     R"({"redflags": {"history_of_cancer": true, "cancer_risk_evaluated_low": true}})"},
    {"RF-MALIG-1", 1, R"({"age": 67, "body_sites": ["lower_back"], "redflags": {"night_pain": true}})",
     R"({"age": 45, "body_sites": ["lower_back"], "redflags": {"night_pain": true}})"},
    {"RF-INFECT-2", 1, R"({"redflags": {"fever_or_systemically_unwell": true}})",
     R"({"redflags": {"immunosuppressed": true}})"},
    {"RF-INFLAM-1", 1, R"({"redflags": {"small_joints_hands_feet": true}})", R"({})"},
    {"RF-POSTOP-1", 1, R"({"recent_surgery": true, "surgery_weeks_ago": 3})", R"({})"},
    {"DS-INJECTION-1", 1, R"({"requested_service": "injection_assessment"})",
     R"({"requested_service": "injection_assessment", "source": "self"})"},
    {"DS-ORTHOTICS-1", 1, R"({"requested_service": "orthotics"})",
     R"({"requested_service": "orthotics", "source": "self"})"},
    {"DS-SECONDARY-1", 1, R"({"requested_service": "secondary_care"})",
     R"({"requested_service": "secondary_care", "source": "self"})"},
    {"DS-SELFCARE-1", 1, R"({"duration_weeks": 3, "severity": 2})",
     R"({"duration_weeks": 3, "severity": 2, "redflags": {"night_pain": true}})"},
    {"DS-PAIN-1", 1,
     R"({"duration_weeks": 40, "daily_life_impact": "severe", "treatment_so_far": ["physiotherapy"]})",
     R"({"duration_weeks": 40, "daily_life_impact": "severe", "treatment_so_far": ["exercise"]})"},
    {"DS-PODIATRY-1", 1, R"({"body_sites": ["ankle_foot"]})",
     R"({"body_sites": ["ankle_foot"], "source": "self"})"},
    {"DS-T2-SPINE-1", 1, R"({"body_sites": ["lower_back"], "duration_weeks": 20, "severity": 8})",
     R"({"body_sites": ["lower_back"], "duration_weeks": 20})"},
    {"DS-T2-UPPER-1", 1, R"({"body_sites": ["shoulder"], "duration_weeks": 20, "severity": 8})",
     R"({"body_sites": ["shoulder"], "duration_weeks": 20, "severity": 8, "source": "self"})"},
    {"DS-T2-HAND-1", 1, R"({"body_sites": ["wrist_hand"], "duration_weeks": 16, "work_impact": "severe"})",
     R"({"body_sites": ["wrist_hand"], "duration_weeks": 8, "severity": 8})"},
    {"DS-T2-LOWER-1", 1, R"({"body_sites": ["knee"], "duration_weeks": 30, "severity": 8})",
     R"({"body_sites": ["knee"], "duration_weeks": 30, "severity": 8, "source": "self"})"},
    {"DS-PHYSIOLINE-1", 1, R"({"body_sites": ["neck"]})", R"({})"},
    {"DS-TIER1-1", 1, R"({})", R"({"body_sites": []})"},
    {"CP-NHS-NUMBER-1", 1, R"({"patient": {"nhs_number": null}})", R"({})"},
    {"CP-NAME-1", 1, R"({"patient": {"name": ""}})", R"({})", ReferralSource::kSelf},
    {"CP-DOB-1", 1, R"({"patient": {"date_of_birth": null}})", R"({})", ReferralSource::kFcp},
    {"CP-SEX-1", 1, R"({"patient": {"sex": null}})", R"({})", ReferralSource::kHospital},
    {"CP-POSTCODE-1", 1, R"({"patient": {"postcode": null}})", R"({})"},
    {"CP-CONTACT-1", 1, R"({"patient": {"phone": null, "email": null}})",
     R"({"patient": {"phone": null}})", ReferralSource::kSelf},
    {"CP-BODY-SITE-1", 1, R"({"body_sites": []})", R"({})"},
    {"CP-DURATION-1", 1, R"({"duration_weeks": null})", R"({})"},
    {"CP-REDFLAGS-1", 1, R"({"redflags": {"visual_disturbance": null}})", R"({})",
     ReferralSource::kSelf},
    {"CP-CANCER-RISK-1", 1, R"({"redflags": {"history_of_cancer": true, "cancer_risk_evaluated_low": null}})",
     R"({"redflags": {"history_of_cancer": true, "cancer_risk_evaluated_low": false}})"},
    {"CP-CONSENT-1", 1, R"({"consent_to_share": null})", R"({"consent_to_share": false})"},
};
// clang-format on

// Whether `rule` (in `rules`) fires for `answers` at `t`.
bool Fires(const RuleSet& rules, const Rule& rule, const json& answers, ReferralSource type,
           Instant t) {
  if (rules.kind == RuleKind::kCompleteness) {
    StatusOr<std::vector<MissingItem>> missing = Completeness(rules, answers, type, t);
    EXPECT_TRUE(missing.ok()) << missing.status().ToString();
    if (!missing.ok()) return false;
    return std::any_of(missing->begin(), missing->end(), [&rule](const MissingItem& m) {
      return m.rule_id == rule.id && m.version == rule.version;
    });
  }
  StatusOr<Decision> decision = Evaluate(rules, answers, t);
  EXPECT_TRUE(decision.ok()) << decision.status().ToString();
  if (!decision.ok()) return false;
  return std::any_of(decision->fired.begin(), decision->fired.end(), [&rule](const FiredRule& f) {
    return f.rule_id == rule.id && f.version == rule.version;
  });
}

TEST(RealRulesTest, EveryRuleFiresOnItsCaseAndNotOnTheOther) {
  const Rules& rules = RealRules();
  std::set<std::pair<std::string, int>> in_files;
  for (const RuleSet* set : {&rules.red_flags, &rules.decision_support, &rules.completeness}) {
    for (const Rule& rule : set->rules) {
      in_files.emplace(rule.id, rule.version);
      const auto row = std::find_if(kRuleCases.begin(), kRuleCases.end(), [&rule](const auto& c) {
        return c.id == rule.id && c.version == rule.version;
      });
      if (row == kRuleCases.end()) {
        ADD_FAILURE()
            << rule.id << " version " << rule.version
            << " has no row in kRuleCases: add a case that fires it and one that must not";
        continue;
      }
      const Instant t = NoonOn(rule.effective_from);
      EXPECT_TRUE(Fires(*set, rule, Patched(row->fires), row->type, t)) << rule.id << " fires";
      EXPECT_FALSE(Fires(*set, rule, Patched(row->does_not_fire), row->type, t))
          << rule.id << " must not fire";
    }
  }
  for (const RuleCase& row : kRuleCases) {
    EXPECT_TRUE(in_files.contains({row.id, row.version}))
        << row.id << " version " << row.version << " is in kRuleCases but not in data/rules/";
  }
}

StatusOr<Decision> Decide(const json& answers) {
  const std::vector<const RuleSet*> sets{&RealRules().red_flags, &RealRules().decision_support};
  return Evaluate(sets, answers, Now());
}

struct ScenarioCase {
  std::string label;
  std::string patch;
  Priority priority;
  std::optional<Route> route;
  bool stop;
  std::string advice;  // A part of the first advice; empty for none.
};

// clang-format off
const std::vector<ScenarioCase> kScenarios = {
    {"cauda equina", R"({"body_sites": ["lower_back"], "redflags": {"bladder_bowel_dysfunction": true}})",
     Priority::kEmergency, Route::kEmergencyDepartment, true, "Go to A&E now or call 999"},
    {"spinal cord compression from cancer",
     R"({"redflags": {"history_of_cancer": true, "cancer_risk_evaluated_low": true, "bilateral_leg_symptoms": true}})",
     Priority::kEmergency, Route::kEmergencyDepartment, true, "Go to A&E now or call 999"},
    {"progressive neurological deficit", R"({"redflags": {"progressive_neurological_deficit": true}})",
     Priority::kEmergency, Route::kEmergencyDepartment, true, "go to A&E or call 999"},
    {"septic arthritis", R"({"redflags": {"hot_swollen_joint": true, "joint_prosthesis": true}})",
     Priority::kEmergency, Route::kEmergencyDepartment, true, "Go to A&E now"},
    {"spinal infection", R"({"redflags": {"fever_or_systemically_unwell": true, "immunosuppressed": true}})",
     Priority::kEmergency, Route::kEmergencyDepartment, true, "go to A&E or call NHS 111"},
    {"giant cell arteritis with visual symptoms",
     R"({"age": 70, "redflags": {"visual_disturbance": true, "new_headache_scalp_tenderness_jaw_claudication": true}})",
     Priority::kEmergency, Route::kEmergencyDepartment, true, "eye casualty"},
    {"giant cell arteritis",
     R"({"age": 70, "redflags": {"new_headache_scalp_tenderness_jaw_claudication": true}})",
     Priority::kEmergency, Route::kSecondaryCare, true, "Contact your GP practice today"},
    {"major trauma", R"({"redflags": {"major_trauma": true}})",
     Priority::kUrgent, Route::kTier1Physiotherapy, false, "go to A&E now"},
    {"osteoporotic fracture", R"({"redflags": {"minor_trauma_with_osteoporosis": true}})",
     Priority::kUrgent, Route::kTier1Physiotherapy, false, "X-ray"},
    {"cancer, risk not evaluated", R"({"redflags": {"history_of_cancer": true}})",
     Priority::kUrgent, Route::kTier1Physiotherapy, false, "Urgent medical review"},
    {"cancer, GP evaluated the risk as low",
     R"({"redflags": {"history_of_cancer": true, "cancer_risk_evaluated_low": true}})",
     Priority::kRoutine, Route::kTier1Physiotherapy, false, ""},
    {"cancer, self-referral ticks low risk",
     R"({"source": "self", "redflags": {"history_of_cancer": true, "cancer_risk_evaluated_low": true}})",
     Priority::kUrgent, Route::kTier1Physiotherapy, false, "Urgent medical review"},
    {"weight loss", R"({"redflags": {"unexplained_weight_loss": true}})",
     Priority::kUrgent, Route::kTier1Physiotherapy, false, "rule out a serious cause"},
    {"fever alone", R"({"redflags": {"fever_or_systemically_unwell": true}})",
     Priority::kUrgent, Route::kTier1Physiotherapy, false, "NHS 111"},
    {"inflammatory arthritis", R"({"redflags": {"multiple_swollen_joints": true}})",
     Priority::kUrgent, Route::kTier1Physiotherapy, false, "rheumatology"},
    {"recent surgery", R"({"recent_surgery": true})",
     Priority::kPostOp, Route::kTier1Physiotherapy, false, ""},
    {"no red flag", R"({})", Priority::kRoutine, Route::kTier1Physiotherapy, false, ""},
};
// clang-format on

TEST(RealRulesTest, RedFlagScenariosGiveTheirAction) {
  for (const ScenarioCase& c : kScenarios) {
    StatusOr<Decision> decision = Decide(Patched(c.patch));
    ASSERT_TRUE(decision.ok()) << c.label << ": " << decision.status().ToString();
    EXPECT_EQ(decision->priority, c.priority) << c.label;
    EXPECT_EQ(decision->route, c.route) << c.label;
    EXPECT_EQ(decision->stop, c.stop) << c.label;
    if (c.advice.empty()) {
      EXPECT_TRUE(decision->advice.empty()) << c.label;
    } else {
      ASSERT_FALSE(decision->advice.empty()) << c.label;
      EXPECT_THAT(decision->advice.front(), HasSubstr(c.advice)) << c.label;
    }
  }
}

TEST(RealRulesTest, InflammatoryArthritisAsksForRheumatologySkills) {
  StatusOr<Decision> decision =
      Decide(Patched(R"({"redflags": {"small_joints_hands_feet": true}})"));
  ASSERT_TRUE(decision.ok()) << decision.status().ToString();
  EXPECT_THAT(decision->triage_skills, ElementsAre("rheumatology"));
  EXPECT_THAT(decision->reasons,
              ElementsAre("Suspected inflammatory arthritis", "Physiotherapy (tier 1)"));
}

struct RouteCase {
  std::string label;
  std::string patch;
  Route route;
};

// clang-format off
const std::vector<RouteCase> kRoutes = {
    {"short, mild knee problem", R"({"duration_weeks": 2, "severity": 2})", Route::kSelfManagement},
    {"short, mild but night pain", R"({"duration_weeks": 2, "severity": 2, "redflags": {"night_pain": true}})",
     Route::kTier1Physiotherapy},
    {"typical back pain", R"({"body_sites": ["lower_back"]})", Route::kPhysioline},
    {"long-standing severe back pain (GP)",
     R"({"body_sites": ["lower_back"], "duration_weeks": 20, "severity": 8})", Route::kTier2Spinal},
    {"long-standing severe back pain (self-referral)",
     R"({"source": "self", "body_sites": ["lower_back"], "duration_weeks": 20, "severity": 8})",
     Route::kPhysioline},
    {"long-standing severe shoulder", R"({"body_sites": ["shoulder"], "duration_weeks": 14, "severity": 7})",
     Route::kTier2UpperLimb},
    {"long-standing severe hand", R"({"body_sites": ["wrist_hand"], "duration_weeks": 14, "severity": 7})",
     Route::kTier2Hand},
    {"long-standing severe hip", R"({"body_sites": ["hip"], "duration_weeks": 14, "severity": 7})",
     Route::kTier2LowerLimb},
    {"foot problem", R"({"body_sites": ["ankle_foot"]})", Route::kPodiatry},
    {"foot problem (self-referral)", R"({"source": "self", "body_sites": ["ankle_foot"]})",
     Route::kTier1Physiotherapy},
    {"injection requested", R"({"body_sites": ["lower_back"], "requested_service": "injection_assessment"})",
     Route::kInjectionAssessment},
    {"long-standing high-impact pain after physiotherapy",
     R"({"body_sites": ["lower_back"], "duration_weeks": 52, "severity": 8, "work_impact": "severe", "treatment_so_far": ["physiotherapy", "medication"]})",
     Route::kPainManagement},
    {"a red-flag stop wins over a requested injection",
     R"({"requested_service": "injection_assessment", "redflags": {"saddle_anaesthesia": true}})",
     Route::kEmergencyDepartment},
};
// clang-format on

TEST(RealRulesTest, DecisionSupportRoutesAsTheTableSays) {
  for (const RouteCase& c : kRoutes) {
    StatusOr<Decision> decision = Decide(Patched(c.patch));
    ASSERT_TRUE(decision.ok()) << c.label << ": " << decision.status().ToString();
    EXPECT_EQ(decision->route, c.route) << c.label;
    EXPECT_FALSE(decision->reasons.empty()) << c.label;
  }
}

TEST(RealRulesTest, CompletenessListsEveryMissingItemByReferralType) {
  const std::vector<std::pair<ReferralSource, std::vector<std::string>>> cases = {
      {ReferralSource::kGp,
       {"CP-NHS-NUMBER-1", "CP-NAME-1", "CP-DOB-1", "CP-SEX-1", "CP-POSTCODE-1", "CP-CONTACT-1",
        "CP-BODY-SITE-1", "CP-DURATION-1", "CP-REDFLAGS-1", "CP-CONSENT-1"}},
      {ReferralSource::kSelf,
       {"CP-NAME-1", "CP-DOB-1", "CP-SEX-1", "CP-POSTCODE-1", "CP-CONTACT-1", "CP-BODY-SITE-1",
        "CP-DURATION-1", "CP-REDFLAGS-1"}},
  };
  for (const auto& [type, expected] : cases) {
    StatusOr<std::vector<MissingItem>> empty =
        Completeness(RealRules().completeness, json::object(), type, Now());
    ASSERT_TRUE(empty.ok()) << empty.status().ToString();
    std::vector<std::string> ids;
    for (const MissingItem& item : *empty) {
      ids.push_back(item.rule_id);
      EXPECT_FALSE(item.item.empty()) << item.rule_id;
    }
    EXPECT_EQ(ids, expected) << ToString(type);
    StatusOr<std::vector<MissingItem>> complete =
        Completeness(RealRules().completeness, BaseAnswers(), type, Now());
    ASSERT_TRUE(complete.ok()) << complete.status().ToString();
    EXPECT_TRUE(complete->empty()) << ToString(type);
  }
}

}  // namespace
}  // namespace tendon::config
