#include "workflow/intake.h"

#include <gtest/gtest.h>

#include <memory>

#include "config/service.h"
#include "core/london_time.h"
#include "core/source_dir_for_tests.h"
#include "store/check.h"
#include "store/sqlite/sqlite_store.h"
#include "store/testing/fixtures.h"
#include "workflow/testing.h"

namespace tendon::workflow {
namespace {

using nlohmann::json;

TEST(ParseSubmissionTest, AWholeReferralIsRead) {
  Parsed<Submission> parsed =
      ParseSubmission(testing::CompleteReferral(), ReferralSource::kGp, testing::kNow);
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors.front().field;
  const Submission& s = *parsed.value;
  EXPECT_EQ(s.patient.nhs_number, "9434765919");
  EXPECT_EQ(s.patient.postcode, "OX3 9DU");
  EXPECT_EQ(s.patient.date_of_birth, Date(date::year(1970) / 3 / 14));
  EXPECT_EQ(s.patient.sex, Sex::kFemale);
  EXPECT_TRUE(s.sex_given);
  EXPECT_EQ(s.patient.interpreter_language, "Polish");
  EXPECT_EQ(s.referrer_name, "Dr A Clinician");
  EXPECT_EQ(s.answers["body_sites"], json::array({"knee"}));
}

struct BadField {
  std::string pointer;  // JSON pointer of the member to set.
  json value;
  std::string field;  // The error's field.
};

class MalformedTest : public ::testing::TestWithParam<BadField> {};

TEST_P(MalformedTest, IsRefusedNamingTheField) {
  json body = testing::CompleteReferral();
  body[json::json_pointer(GetParam().pointer)] = GetParam().value;
  Parsed<Submission> parsed = ParseSubmission(body, ReferralSource::kGp, testing::kNow);
  EXPECT_FALSE(parsed.value.has_value());
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_EQ(parsed.errors[0].field, GetParam().field) << parsed.errors[0].message;
  EXPECT_FALSE(parsed.errors[0].message.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Fields, MalformedTest,
    ::testing::Values(BadField{"/patient/nhs_number", "9434765918", "patient.nhs_number"},
                      BadField{"/patient/nhs_number", "12345", "patient.nhs_number"},
                      BadField{"/patient/date_of_birth", "2030-01-01", "patient.date_of_birth"},
                      BadField{"/patient/date_of_birth", "1970-02-30", "patient.date_of_birth"},
                      BadField{"/patient/date_of_birth", "1850-01-01", "patient.date_of_birth"},
                      BadField{"/patient/postcode", "OX3 9D", "patient.postcode"},
                      BadField{"/patient/sex", "other", "patient.sex"},
                      BadField{"/patient/email", "not-an-email", "patient.email"},
                      BadField{"/patient/phone", "call me", "patient.phone"},
                      BadField{"/patient/given_name", std::string(201, 'a'), "patient.given_name"},
                      BadField{"/patient/accessibility_needs", std::string(4001, 'a'),
                               "patient.accessibility_needs"},
                      BadField{"/patient/given_name", 42, "patient.given_name"},
                      BadField{"/patient/nhs_numbr", "9434765919", "patient.nhs_numbr"},
                      BadField{"/answers/severity", 11, "answers.severity"},
                      BadField{"/answers/body_sites", json::array({"toe"}), "answers.body_sites"},
                      BadField{"/answers/redflags/night_pain", "yes",
                               "answers.redflags.night_pain"},
                      BadField{"/answers/age", 40, "answers.age"},
                      BadField{"/answers/notes", std::string(4001, 'a'), "answers.notes"},
                      BadField{"/referrer_name", json::array(), "referrer_name"},
                      BadField{"/extra", 1, "extra"}));

TEST(ParseSubmissionTest, EveryMalformedFieldIsListed) {
  json body = testing::CompleteReferral();
  body["patient"]["nhs_number"] = "1234567890";
  body["patient"]["date_of_birth"] = "2099-01-01";
  body["patient"]["postcode"] = "nowhere";
  body["answers"]["severity"] = -1;
  Parsed<Submission> parsed = ParseSubmission(body, ReferralSource::kGp, testing::kNow);
  std::vector<std::string> fields;
  for (const FieldError& e : parsed.errors) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"patient.nhs_number", "patient.date_of_birth",
                                              "patient.postcode", "answers.severity"}));
}

class IntakeTest : public testing::WorkflowTest {};

TEST_F(IntakeTest, ACompleteReferralAwaitsTriageDueByItsPriority) {
  auto result = Submit(env(), Referrer(), Parse(testing::CompleteReferral()), testing::kNow);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const Referral& r = result->referral;
  EXPECT_TRUE(result->missing.empty());
  EXPECT_EQ(r.state, ReferralState::kAwaitingTriage);
  EXPECT_EQ(r.priority, Priority::kRoutine);
  EXPECT_EQ(r.owner, "triage");
  EXPECT_EQ(r.referrer_organisation, "K84001");
  EXPECT_EQ(r.id.size(), 12u);
  // Tuesday 24 November 2026 + 5 working days (routine) = Tuesday 1 December, same time.
  EXPECT_EQ(r.next_action_due, testing::kNow + date::days(7));

  auto stored = store().GetReferral(r.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->state, ReferralState::kAwaitingTriage);
  auto events = store().ListEvents(r.id);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  const json payload = json::parse(events->front().payload);
  EXPECT_EQ(payload["source"], "gp");
  EXPECT_EQ(payload["channel"], "referrer");
  EXPECT_EQ(payload["route"], "tier1_physiotherapy");
  ASSERT_FALSE(payload["rules"].empty());
  EXPECT_EQ(payload["rules"][0]["rule_id"], "DS-TIER1-1");
  EXPECT_EQ(payload["rules"][0]["version"], 1);

  auto details = store().GetReferralDetails(r.id);
  ASSERT_TRUE(details.ok());
  EXPECT_EQ(json::parse(details->answers)["body_sites"], json::array({"knee"}));
  EXPECT_EQ(json::parse(details->decision)["route"], "tier1_physiotherapy");
  EXPECT_EQ(AuditActions(r.patient_key), std::vector<std::string>{"referral.create"});
  EXPECT_EQ(Violations(), std::vector<std::string>{});
}

TEST_F(IntakeTest, AReturnedReferralIsToldToTheReferrersMailboxOrTheSelfReferringPatient) {
  Env with_mailbox = env();
  with_mailbox.timing.gp_letters_mailbox = "gp-letters@example.nhs.uk";
  json body = testing::CompleteReferral();
  body["answers"].erase("duration_weeks");
  auto by_gp = Submit(with_mailbox, Referrer(), Parse(body), testing::kNow);
  ASSERT_TRUE(by_gp.ok()) << by_gp.status().ToString();
  body["patient"]["nhs_number"] = *MakeTestNhsNumber(7);
  auto by_self =
      Submit(with_mailbox, Coordinator(), Parse(body, ReferralSource::kSelf), testing::kNow);
  ASSERT_TRUE(by_self.ok()) << by_self.status().ToString();
  ASSERT_EQ(by_self->referral.state, ReferralState::kReturnedIncomplete);
  const auto queued = store().ListNotifications({});
  ASSERT_TRUE(queued.ok());
  ASSERT_EQ(queued->size(), 2u);
  EXPECT_EQ((*queued)[0].kind, "referral.returned");
  EXPECT_EQ((*queued)[0].recipient, "gp-letters@example.nhs.uk");  // Not the patient.
  const json told = json::parse((*queued)[0].payload);
  EXPECT_EQ(told["reference"], by_gp->referral.id);
  EXPECT_EQ(told["organisation"], "K84001");
  EXPECT_EQ(told["missing"][0], "How long the problem has lasted (weeks)");
  EXPECT_EQ((*queued)[1].recipient, "patient@example.com");  // They referred themselves.
  // Without a mailbox, a referrer's returned referral queues nothing (nowhere to send it).
  body["patient"]["nhs_number"] = *MakeTestNhsNumber(8);
  ASSERT_TRUE(Submit(env(), Referrer(), Parse(body), testing::kNow).ok());
  EXPECT_EQ(store().ListNotifications({})->size(), 2u);
}

TEST_F(IntakeTest, IncompleteReferralIsKeptAndReturnedWithEveryMissingItem) {
  json body = testing::CompleteReferral();
  body["patient"].erase("nhs_number");
  body["answers"].erase("consent_to_share");
  body["answers"]["redflags"].erase("saddle_anaesthesia");
  auto result = Submit(env(), Referrer(), Parse(body), testing::kNow);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  std::vector<std::string> missing;
  for (const MissingItem& m : result->missing) missing.push_back(m.rule_id);
  EXPECT_EQ(missing,
            (std::vector<std::string>{"CP-NHS-NUMBER-1", "CP-REDFLAGS-1", "CP-CONSENT-1"}));
  const Referral& r = result->referral;
  EXPECT_EQ(r.state, ReferralState::kReturnedIncomplete);
  EXPECT_EQ(r.owner, "referrer:K84001");
  auto events = store().ListEvents(r.id);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].type, EventType::kReferralReceived);
  EXPECT_EQ((*events)[0].state_after, ReferralState::kReceived);
  EXPECT_EQ((*events)[1].type, EventType::kReferralReturned);
  const json returned = json::parse((*events)[1].payload);
  ASSERT_EQ(returned["missing"].size(), 3u);
  EXPECT_EQ(returned["missing"][0]["item"], "The patient's NHS number");
  EXPECT_EQ(returned["missing"][0]["version"], 1);

  auto worklist = store().ListReferralsForOrganisation("K84001", 10);
  ASSERT_TRUE(worklist.ok());
  ASSERT_EQ(worklist->size(), 1u);
  EXPECT_EQ(worklist->front().state, ReferralState::kReturnedIncomplete);
  EXPECT_EQ(Violations(), std::vector<std::string>{});
}

TEST_F(IntakeTest, AnIncompleteUrgentReferralGoesToTriageWithItsMissingItems) {
  json body = testing::CompleteReferral();
  body["patient"].erase("postcode");
  body["answers"]["redflags"]["hot_swollen_joint"] = true;
  auto result = Submit(env(), Referrer(), Parse(body), testing::kNow);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->missing.size(), 1u);
  EXPECT_EQ(result->missing[0].rule_id, "CP-POSTCODE-1");
  EXPECT_NE(result->referral.priority, Priority::kRoutine);
  EXPECT_EQ(result->referral.state, ReferralState::kAwaitingTriage);
  EXPECT_EQ(result->referral.owner, "triage");
  auto details = store().GetReferralDetails(result->referral.id);
  ASSERT_TRUE(details.ok());
  EXPECT_EQ(json::parse(details->decision)["missing"][0]["rule_id"], "CP-POSTCODE-1");
}

TEST_F(IntakeTest, ResubmissionKeepsFirstRegistrationAndRecordsTheResubmission) {
  json body = testing::CompleteReferral();
  body["answers"].erase("duration_weeks");
  auto first = Submit(env(), Referrer(), Parse(body), testing::kNow);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const std::string id = first->referral.id;

  // Still incomplete: saved, stays returned, no event.
  const Instant later = testing::kNow + std::chrono::hours(2);
  auto again = Resubmit(env(), Referrer(), id, Parse(body), later);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->referral.state, ReferralState::kReturnedIncomplete);
  ASSERT_EQ(again->missing.size(), 1u);
  EXPECT_EQ(store().ListEvents(id)->size(), 2u);

  const Instant fixed = testing::kNow + date::days(1);
  auto done = Resubmit(env(), Referrer(), id, Parse(testing::CompleteReferral()), fixed);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_TRUE(done->missing.empty());
  auto stored = store().GetReferral(id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->state, ReferralState::kAwaitingTriage);
  EXPECT_EQ(stored->received_at, testing::kNow);
  EXPECT_EQ(stored->resubmitted_at, fixed);
  EXPECT_EQ(store().ListEvents(id)->back().type, EventType::kReferralResubmitted);

  auto twice = Resubmit(env(), Referrer(), id, Parse(testing::CompleteReferral()), fixed);
  EXPECT_EQ(twice.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Violations(), std::vector<std::string>{});
}

TEST_F(IntakeTest, RedFlagsSetThePriorityAndEachIsRecordedWithItsVersion) {
  json body = testing::CompleteReferral();
  body["answers"]["redflags"]["history_of_cancer"] = true;
  body["answers"]["redflags"]["cancer_risk_evaluated_low"] = false;
  auto result = Submit(env(), Referrer(), Parse(body), testing::kNow);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->referral.priority, Priority::kUrgent);
  // Urgent: one working day.
  EXPECT_EQ(result->referral.next_action_due, testing::kNow + date::days(1));
  auto events = store().ListEvents(result->referral.id);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[1].type, EventType::kRedflagRaised);
  const json raised = json::parse((*events)[1].payload);
  EXPECT_EQ(raised["rule_id"], "RF-CANCER-1");
  EXPECT_EQ(raised["rule_version"], 1);
}

TEST_F(IntakeTest, ANewRuleVersionAppliesOnlyToDecisionsAfterIt) {
  config::Rules rules = Rules();
  Rule v2 = rules.decision_support.rules.back();
  ASSERT_EQ(v2.id, "DS-TIER1-1");
  v2.version = 2;
  v2.effective_from = LondonDate(testing::kNow) + date::days(1);
  rules.decision_support.rules.push_back(v2);
  Env later_env{store(), rules, calendar(), Timing{}};
  auto before = Submit(later_env, Referrer(), Parse(testing::CompleteReferral()), testing::kNow);
  auto after = Submit(later_env, Referrer(), Parse(testing::CompleteReferral()),
                      testing::kNow + date::days(1));
  ASSERT_TRUE(before.ok() && after.ok());
  EXPECT_EQ(before->decision.fired.back().version, 1);
  EXPECT_EQ(after->decision.fired.back().version, 2);
}

TEST_F(IntakeTest, MalformedAnswersReachingSubmitChangeNothing) {
  Submission s = Parse(testing::CompleteReferral());
  s.answers["severity"] = "very";
  auto result = Submit(env(), Referrer(), s, testing::kNow);
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().field(), "severity");
  int referrals = 0;
  ASSERT_TRUE(store()
                  .ScanReferrals([&](const Referral&) {
                    ++referrals;
                    return OkStatus();
                  })
                  .ok());
  EXPECT_EQ(referrals, 0);
}

TEST_F(IntakeTest, TheSamePatientIsFoundByNhsNumberAndGapsAreFilled) {
  json first = testing::CompleteReferral();
  first["patient"].erase("email");
  auto a = Submit(env(), Referrer(), Parse(first), testing::kNow);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  auto b = Submit(env(), Referrer(), Parse(testing::CompleteReferral()), testing::kNow);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(a->referral.patient_key, b->referral.patient_key);
  auto patient = store().GetPatient(a->referral.patient_key);
  ASSERT_TRUE(patient.ok());
  EXPECT_EQ(patient->email, "patient@example.com");
}

TEST_F(IntakeTest, ThePatientsAnswerOnSharingIsKeptAsDissentAndTheLatestWins) {
  json no = testing::CompleteReferral();
  no["answers"]["consent_to_share"] = false;
  auto a = Submit(env(), Referrer(), Parse(no), testing::kNow);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->referral.state, ReferralState::kAwaitingTriage);  // "No" is an answer.
  EXPECT_TRUE(store().GetPatient(a->referral.patient_key)->dissent);
  auto b = Submit(env(), Referrer(), Parse(testing::CompleteReferral()), testing::kNow);
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(store().GetPatient(b->referral.patient_key)->dissent);
}

TEST_F(IntakeTest, DuplicateOpenReferralForSameBodySiteWarns) {
  auto first = Submit(env(), Referrer(), Parse(testing::CompleteReferral()), testing::kNow);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->duplicates.empty());
  auto second = Submit(env(), Referrer(), Parse(testing::CompleteReferral()), testing::kNow);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->duplicates.size(), 1u);
  EXPECT_EQ(second->duplicates[0].id, first->referral.id);

  json shoulder = testing::CompleteReferral();
  shoulder["answers"]["body_sites"] = json::array({"shoulder"});
  auto third = Submit(env(), Referrer(), Parse(shoulder), testing::kNow);
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE(third->duplicates.empty());
}

TEST_F(IntakeTest, ACoordinatorMergesADuplicateIntoTheReferralKept) {
  auto keep = Submit(env(), Referrer(), Parse(testing::CompleteReferral()), testing::kNow);
  auto dup = Submit(env(), Referrer(), Parse(testing::CompleteReferral()), testing::kNow);
  ASSERT_TRUE(keep.ok() && dup.ok());
  Status merged = LinkReferrals(env(), Coordinator(), keep->referral.id, dup->referral.id,
                                LinkKind::kMerged, testing::kNow);
  ASSERT_TRUE(merged.ok()) << merged.ToString();
  EXPECT_EQ(store().GetReferral(dup->referral.id)->state, ReferralState::kWithdrawn);
  const json withdrawn = json::parse(store().ListEvents(dup->referral.id)->back().payload);
  EXPECT_EQ(withdrawn["reason"], "merged");
  EXPECT_EQ(withdrawn["into"], keep->referral.id);
  auto links = store().ListLinks(keep->referral.id);
  ASSERT_TRUE(links.ok());
  ASSERT_EQ(links->size(), 1u);
  EXPECT_EQ(links->front().kind, LinkKind::kMerged);
  // Merged already: a second merge is refused and changes nothing.
  EXPECT_EQ(LinkReferrals(env(), Coordinator(), keep->referral.id, dup->referral.id,
                          LinkKind::kMerged, testing::kNow)
                .code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(Violations(), std::vector<std::string>{});
}

TEST_F(IntakeTest, LinkingKeepsBothOpenAndRefusesAnotherPatientsReferral) {
  auto a = Submit(env(), Referrer(), Parse(testing::CompleteReferral()), testing::kNow);
  auto b = Submit(env(), Referrer(), Parse(testing::CompleteReferral()), testing::kNow);
  json other = testing::CompleteReferral();
  other["patient"]["nhs_number"] = "9434765870";
  auto c = Submit(env(), Referrer(), Parse(other), testing::kNow);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  ASSERT_TRUE(LinkReferrals(env(), Coordinator(), a->referral.id, b->referral.id, LinkKind::kLinked,
                            testing::kNow)
                  .ok());
  EXPECT_EQ(store().GetReferral(b->referral.id)->state, ReferralState::kAwaitingTriage);
  EXPECT_EQ(LinkReferrals(env(), Coordinator(), a->referral.id, c->referral.id, LinkKind::kLinked,
                          testing::kNow)
                .code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(IntakeTest, SelfReferralWithEmergencySymptomsStopsAndRecordsTheAttemptOnly) {
  json body = testing::CompleteReferral();
  body["answers"]["redflags"]["saddle_anaesthesia"] = true;
  auto result = Submit(env(), Public(), Parse(body, ReferralSource::kSelf), testing::kNow);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->stopped);
  EXPECT_TRUE(result->decision.stop);
  EXPECT_EQ(result->decision.route, Route::kEmergencyDepartment);
  auto attempts = store().ListIntakeAttempts(10);
  ASSERT_TRUE(attempts.ok());
  ASSERT_EQ(attempts->size(), 1u);
  EXPECT_EQ(attempts->front().outcome, "emergency_stop");
  EXPECT_EQ(attempts->front().channel, "online");
  EXPECT_NE(attempts->front().rules.find("RF-CES-1"), std::string::npos);
  int patients = 0;
  ASSERT_TRUE(store()
                  .ScanPatients([&](const Patient&) {
                    ++patients;
                    return OkStatus();
                  })
                  .ok());
  EXPECT_EQ(patients, 0);
}

TEST_F(IntakeTest, SelfReferralsAreSteeredToTierOne) {
  json body = testing::CompleteReferral();
  body["answers"]["body_sites"] = json::array({"lower_back"});
  body["answers"]["duration_weeks"] = 30;
  body["answers"]["treatment_so_far"] = json::array({"physiotherapy"});
  body["answers"]["severity"] = 8;
  auto gp = Decide(env(), Parse(body), testing::kNow);
  ASSERT_TRUE(gp.ok()) << gp.status().ToString();
  ASSERT_TRUE(gp->route && IsTier2Route(*gp->route));
  auto self = Decide(env(), Parse(body, ReferralSource::kSelf), testing::kNow);
  ASSERT_TRUE(self.ok());
  ASSERT_TRUE(self->route.has_value());
  EXPECT_FALSE(IsTier2Route(*self->route)) << ToString(*self->route);

  // Should a rule route a self-referral to tier 2, the workflow still steers it to tier 1.
  config::Rules rules = Rules();
  Rule to_spine = rules.decision_support.rules.front();
  to_spine.id = "DS-TEST-1";
  to_spine.condition = *Condition::Test(ConditionForm::kEquals, "source", "self");
  to_spine.action.route = Route::kTier2Spinal;
  rules.decision_support.rules.insert(rules.decision_support.rules.begin(), to_spine);
  Env steered{store(), rules, calendar(), Timing{}};
  auto decision = Decide(steered, Parse(body, ReferralSource::kSelf), testing::kNow);
  ASSERT_TRUE(decision.ok()) << decision.status().ToString();
  EXPECT_EQ(decision->route, Route::kTier1Physiotherapy);
  EXPECT_NE(decision->reasons.back().find("tier 1"), std::string::npos);
}

TEST_F(IntakeTest, OnlyTheRightPeopleMakeEachKindOfReferral) {
  EXPECT_EQ(
      Submit(env(), Public(), Parse(testing::CompleteReferral()), testing::kNow).status().code(),
      StatusCode::kFailedPrecondition);
  EXPECT_EQ(Submit(env(), Referrer(), Parse(testing::CompleteReferral(), ReferralSource::kSelf),
                   testing::kNow)
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  auto phoned = Submit(env(), Coordinator(),
                       Parse(testing::CompleteReferral(), ReferralSource::kSelf), testing::kNow);
  ASSERT_TRUE(phoned.ok()) << phoned.status().ToString();
  EXPECT_EQ(phoned->referral.source, ReferralSource::kSelf);
  EXPECT_EQ(phoned->referral.referrer_organisation, "");
  const json received = json::parse(store().ListEvents(phoned->referral.id)->front().payload);
  EXPECT_EQ(received["channel"], "telephone");
}

TEST_F(IntakeTest, ReferencesAreDistinctAndUnrelated) {
  std::set<std::string> ids;
  for (int i = 0; i < 2000; ++i) ids.insert(NewReferralId());
  EXPECT_EQ(ids.size(), 2000u);
}

}  // namespace
}  // namespace tendon::workflow
