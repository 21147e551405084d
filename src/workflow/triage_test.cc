#include "workflow/triage.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <latch>
#include <memory>
#include <thread>
#include <tuple>

#include "config/rules_loader.h"
#include "core/london_time.h"
#include "core/source_dir_for_tests.h"
#include "store/sqlite/sqlite_store.h"
#include "store/testing/fixtures.h"
#include "workflow/intake.h"

namespace tendon::workflow {
namespace {

using nlohmann::json;
using store::testing::At;
using store::testing::MakePatient;
using store::testing::MakeReferral;
using store::testing::ReceivedEvent;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;

constexpr std::string_view kReferrerOrganisation = "K84001";
const Actor kAlice{"clinician-a", Role::kTriageClinician, "RTH"};
const Actor kBob{"clinician-b", Role::kTriageClinician, "RTH"};
const Instant kStart = At(0);

const config::Rules& RealRules() {
  static const config::Rules rules = [] {
    auto loaded = config::LoadRules(SourceDirForTests() / "data/rules");
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return loaded.ok() ? *loaded : config::Rules{};
  }();
  return rules;
}

Instant Minutes(int m) { return kStart + std::chrono::minutes(m); }

TriageDecision Decision(const json& body) {
  Parsed<TriageDecision> parsed = ParseTriageDecision(body);
  EXPECT_TRUE(parsed.errors.empty())
      << parsed.errors.front().field << ": " << parsed.errors.front().message;
  return parsed.value.value_or(TriageDecision{});
}

const TriageDecision kDischarge =
    Decision({{"outcome", "discharge"}, {"advice", "Keep active; see the leaflet."}});

class TriageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::SqliteStore::Open(dir_.file("tendon.db"));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    for (const Actor& actor : {kAlice, kBob}) {
      User user;
      user.id = actor.user_id;
      user.username = actor.user_id;
      user.role = actor.role;
      ASSERT_TRUE(store_->Write([&](store::WriteTxn& txn) { return txn.InsertUser(user); }).ok());
    }
  }

  Env env() { return Env{*store_, RealRules(), calendar_, timing_}; }

  // A new patient (dissenting to sharing when asked) and their referral awaiting triage.
  std::string AddReferral(ReferralSource source = ReferralSource::kGp, bool dissent = false) {
    const int n = ++referrals_;
    Patient patient = MakePatient(n);
    patient.dissent = dissent;
    Referral referral = MakeReferral("ref-" + std::to_string(n), patient.key);
    referral.source = source;
    if (source != ReferralSource::kSelf) referral.referrer_organisation = kReferrerOrganisation;
    Status s = store_->Write([&](store::WriteTxn& txn) -> Status {
      RETURN_IF_ERROR(txn.InsertPatient(patient));
      return txn.CreateReferral(referral, {ReceivedEvent()}).status();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return referral.id;
  }

  Referral GetReferral(const std::string& id) { return store_->GetReferral(id).value(); }
  std::vector<PathwayEvent> Events(const std::string& id) { return store_->ListEvents(id).value(); }
  std::vector<TriageClaim> Claims() { return store_->ListClaims().value(); }
  std::vector<AuditEntry> AuditRows(const std::string& action,
                                    const std::string& patient_key = "") {
    store::AuditFilter filter;
    filter.patient_key = patient_key;
    filter.action = action;
    return store_->ListAudit(filter).value();
  }

  store::testing::TempDir dir_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  WorkingCalendar calendar_;
  Timing timing_;
  int referrals_ = 0;
};

TEST_F(TriageTest, ClaimTakesAnUnclaimedReferralAndIsAudited) {
  const std::string id = AddReferral();
  auto claim = Claim(env(), kAlice, id, kStart);
  ASSERT_TRUE(claim.ok()) << claim.status().ToString();
  EXPECT_EQ(claim->referral_id, id);
  EXPECT_EQ(claim->user_id, kAlice.user_id);
  EXPECT_EQ(claim->claimed_at, kStart);
  EXPECT_EQ(claim->last_active_at, kStart);
  ASSERT_EQ(Claims().size(), 1u);
  EXPECT_EQ(Claims()[0].user_id, kAlice.user_id);
  const std::vector<AuditEntry> audit = AuditRows("referral.claim");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].actor, kAlice.user_id);
  EXPECT_EQ(audit[0].role, "triage_clinician");
  EXPECT_EQ(audit[0].patient_key, GetReferral(id).patient_key);
  EXPECT_EQ(audit[0].at, kStart);
}

TEST_F(TriageTest, ClaimByAnotherWhileLiveIsAborted) {
  const std::string id = AddReferral();
  ASSERT_TRUE(Claim(env(), kAlice, id, kStart).ok());
  auto taken = Claim(env(), kBob, id, Minutes(29));
  EXPECT_EQ(taken.status().code(), StatusCode::kAborted);
  EXPECT_THAT(taken.status().message(), HasSubstr("another clinician"));
  EXPECT_THAT(taken.status().message(), HasSubstr(FormatLondon(kStart)));
  ASSERT_EQ(Claims().size(), 1u);
  EXPECT_EQ(Claims()[0].user_id, kAlice.user_id);
}

TEST_F(TriageTest, ClaimLapsesAfterTheTimeoutAndAnotherCanTakeIt) {
  const std::string id = AddReferral();
  auto claim = Claim(env(), kAlice, id, kStart);
  ASSERT_TRUE(claim.ok());
  const Instant lapse = kStart + timing_.claim_timeout;
  EXPECT_TRUE(ClaimLive(env(), *claim, lapse - std::chrono::milliseconds(1)));
  EXPECT_FALSE(ClaimLive(env(), *claim, lapse));
  EXPECT_EQ(Claim(env(), kBob, id, lapse - std::chrono::milliseconds(1)).status().code(),
            StatusCode::kAborted);
  auto taken = Claim(env(), kBob, id, lapse);
  ASSERT_TRUE(taken.ok()) << taken.status().ToString();
  EXPECT_EQ(taken->user_id, kBob.user_id);
  EXPECT_EQ(taken->claimed_at, lapse);
}

TEST_F(TriageTest, ClaimingAgainRefreshesTheClaim) {
  const std::string id = AddReferral();
  ASSERT_TRUE(Claim(env(), kAlice, id, kStart).ok());
  auto refreshed = Claim(env(), kAlice, id, Minutes(20));
  ASSERT_TRUE(refreshed.ok()) << refreshed.status().ToString();
  EXPECT_EQ(refreshed->claimed_at, kStart);
  EXPECT_EQ(refreshed->last_active_at, Minutes(20));
  // Without the refresh the claim would have lapsed at 30 minutes.
  EXPECT_EQ(Claim(env(), kBob, id, Minutes(40)).status().code(), StatusCode::kAborted);
  EXPECT_TRUE(Claim(env(), kBob, id, Minutes(50)).ok());
}

TEST_F(TriageTest, ClaimRefusesAMissingReferralOrOneNotAwaitingTriage) {
  EXPECT_EQ(Claim(env(), kAlice, "no-such-referral", kStart).status().code(),
            StatusCode::kNotFound);
  const std::string id = AddReferral();
  ASSERT_TRUE(RecordTriage(env(), kAlice, id, kDischarge, kStart).ok());
  auto claim = Claim(env(), kAlice, id, Minutes(1));
  EXPECT_EQ(claim.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(claim.status().field(), "state");
}

TEST_F(TriageTest, ReleaseGivesUpOnlyTheActorsOwnClaim) {
  const std::string id = AddReferral();
  EXPECT_TRUE(Release(env(), kAlice, id, kStart).ok()) << "unclaimed: nothing to give up";
  ASSERT_TRUE(Claim(env(), kAlice, id, kStart).ok());
  EXPECT_EQ(Release(env(), kBob, id, Minutes(1)).code(), StatusCode::kAborted);
  EXPECT_EQ(Claims().size(), 1u);
  ASSERT_TRUE(Release(env(), kAlice, id, Minutes(2)).ok());
  EXPECT_TRUE(Claims().empty());
  const std::vector<AuditEntry> audit = AuditRows("referral.release");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].actor, kAlice.user_id);
  EXPECT_TRUE(Claim(env(), kBob, id, Minutes(3)).ok());
  EXPECT_EQ(Release(env(), kAlice, id, Minutes(4)).code(), StatusCode::kAborted);
  EXPECT_EQ(Release(env(), kAlice, "no-such-referral", Minutes(4)).code(), StatusCode::kNotFound);
}

TEST_F(TriageTest, TwoCliniciansClaimingAtOnceExactlyOneWins) {
  constexpr int kIterations = 40;
  for (int i = 0; i < kIterations; ++i) {
    const std::string id = AddReferral();
    std::latch start(2);
    StatusOr<TriageClaim> a = AbortedError("not run");
    StatusOr<TriageClaim> b = AbortedError("not run");
    auto race = [&](const Actor& actor, StatusOr<TriageClaim>& result) {
      start.arrive_and_wait();
      result = Claim(env(), actor, id, kStart);
    };
    std::thread first(race, std::cref(kAlice), std::ref(a));
    std::thread second(race, std::cref(kBob), std::ref(b));
    first.join();
    second.join();
    SCOPED_TRACE("iteration " + std::to_string(i));
    ASSERT_NE(a.ok(), b.ok()) << a.status().ToString() << " / " << b.status().ToString();
    const StatusOr<TriageClaim>& loser = a.ok() ? b : a;
    EXPECT_EQ(loser.status().code(), StatusCode::kAborted) << loser.status().ToString();
    const TriageClaim& won = a.ok() ? *a : *b;
    EXPECT_THAT(Claims(), Contains(Field(&TriageClaim::referral_id, id)));
    EXPECT_THAT(Claims(), Contains(AllOf(Field(&TriageClaim::referral_id, id),
                                         Field(&TriageClaim::user_id, won.user_id))));
  }
  EXPECT_EQ(Claims().size(), static_cast<std::size_t>(kIterations));
}

// An outcome, and what it leaves: the referral's state, owner and due time, and the events after
// referral.received with the payload fields they must carry.
struct OutcomeCase {
  std::string name;
  json decision;
  ReferralState state;
  std::vector<std::pair<EventType, ReferralState>> events;
  std::vector<std::tuple<std::size_t, std::string, std::string>> payload;  // Event, field, value.
  std::string owner;               // Empty: terminal, no owner.
  std::optional<int> due_in_days;  // Working days after the triage; unset: no due time.
};

const std::vector<OutcomeCase>& OutcomeCases() {
  using E = EventType;
  using S = ReferralState;
  static const std::vector<OutcomeCase> cases{
      {"accept",
       {{"outcome", "accept"},
        {"service_line", "spinal"},
        {"priority", "urgent"},
        {"modality", "video"},
        {"skill", "spinal"},
        {"notes", "MRI report attached"}},
       S::kWaitingToBook,
       {{E::kTriageCompleted, S::kTriaged}, {E::kWaitlistAdded, S::kWaitingToBook}},
       {{0, "outcome", "accepted"},
        {0, "tier", "tier2"},
        {0, "service_line", "spinal"},
        {0, "priority", "urgent"},
        {0, "modality", "video"},
        {0, "skill", "spinal"},
        {0, "notes", "MRI report attached"}},
       "booking",
       Timing{}.booking_working_days},
      {"return",
       {{"outcome", "return"}, {"advice", "Please add the X-ray report."}},
       S::kReturnedIncomplete,
       {{E::kTriageCompleted, S::kReturnedIncomplete}},
       {{0, "outcome", "returned_to_referrer"}, {0, "advice", "Please add the X-ray report."}},
       "referrer:" + std::string(kReferrerOrganisation),
       Timing{}.resubmit_working_days},
      {"onward",
       {{"outcome", "onward"}, {"destination", "rheumatology"}, {"notes", "Raised CRP"}},
       S::kOnwardReferred,
       {{E::kTriageCompleted, S::kTriaged}, {E::kOnwardReferred, S::kOnwardReferred}},
       {{0, "outcome", "refer_onward"},
        {0, "destination", "rheumatology"},
        {0, "notes", "Raised CRP"},
        {1, "destination", "rheumatology"}},
       "",
       std::nullopt},
      {"discharge",
       {{"outcome", "discharge"}, {"advice", "Keep active."}},
       S::kClosed,
       {{E::kTriageCompleted, S::kDischarged}, {E::kReferralClosed, S::kClosed}},
       {{0, "outcome", "discharged_with_advice"},
        {0, "advice", "Keep active."},
        {1, "reason", "advice_given"}},
       "",
       std::nullopt},
  };
  return cases;
}

TEST_F(TriageTest, EachOutcomeMovesTheReferralWithItsEventsAndReleasesTheClaim) {
  for (const OutcomeCase& c : OutcomeCases()) {
    SCOPED_TRACE(c.name);
    const std::string id = AddReferral();
    ASSERT_TRUE(Claim(env(), kAlice, id, kStart).ok());
    const Instant now = Minutes(5);
    auto after = RecordTriage(env(), kAlice, id, Decision(c.decision), now);
    ASSERT_TRUE(after.ok()) << after.status().ToString();

    const Referral stored = GetReferral(id);
    EXPECT_EQ(after->state, c.state);
    EXPECT_EQ(stored.state, c.state);
    EXPECT_EQ(stored.owner, c.owner);
    std::optional<Instant> due;
    if (c.due_in_days) due = AddWorkingDays(calendar_, now, *c.due_in_days);
    EXPECT_EQ(stored.next_action_due, due);

    const std::vector<PathwayEvent> events = Events(id);
    ASSERT_EQ(events.size(), c.events.size() + 1);
    for (std::size_t i = 0; i < c.events.size(); ++i) {
      EXPECT_EQ(events[i + 1].type, c.events[i].first) << i;
      EXPECT_EQ(events[i + 1].state_after, c.events[i].second) << i;
      EXPECT_EQ(events[i + 1].actor, kAlice.user_id) << i;
      EXPECT_EQ(events[i + 1].occurred_at, now) << i;
    }
    for (const auto& [index, field, value] : c.payload) {
      const json payload = json::parse(events[index + 1].payload);
      EXPECT_EQ(payload.value(field, "<absent>"), value) << field;
    }
    EXPECT_TRUE(Claims().empty());
    const std::vector<AuditEntry> audit = AuditRows("referral.triage", stored.patient_key);
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].actor, kAlice.user_id);
    EXPECT_EQ(audit[0].at, now);
  }
}

TEST_F(TriageTest, AcceptSetsTheTierLineAndPriority) {
  const std::string id = AddReferral();
  auto after = RecordTriage(env(), kAlice, id, Decision(OutcomeCases()[0].decision), kStart);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->tier, Tier::kTier2);
  EXPECT_EQ(after->service_line, ServiceLine::kSpinal);
  EXPECT_EQ(after->priority, Priority::kUrgent);
  EXPECT_EQ(Events(id).back().service_line, ServiceLine::kSpinal);
}

TEST_F(TriageTest, AcceptWithoutAPriorityKeepsTheReferrals) {
  const std::string id = AddReferral();
  auto after = RecordTriage(
      env(), kAlice, id,
      Decision({{"outcome", "accept"}, {"service_line", "physioline"}, {"modality", "telephone"}}),
      kStart);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->priority, Priority::kRoutine);
  EXPECT_EQ(after->tier, Tier::kTier1);
}

TEST_F(TriageTest, RecordTriageOnAnUnclaimedReferralNeedsNoClaim) {
  const std::string id = AddReferral();
  ASSERT_TRUE(RecordTriage(env(), kAlice, id, kDischarge, kStart).ok());
  EXPECT_EQ(GetReferral(id).state, ReferralState::kClosed);
  EXPECT_TRUE(Claims().empty());
}

TEST_F(TriageTest, RecordTriageAfterAnothersClaimLapsedSucceeds) {
  const std::string id = AddReferral();
  ASSERT_TRUE(Claim(env(), kBob, id, kStart).ok());
  EXPECT_TRUE(RecordTriage(env(), kAlice, id, kDischarge, kStart + timing_.claim_timeout).ok());
  EXPECT_TRUE(Claims().empty());
}

TEST_F(TriageTest, OutcomeByANonHolderIsAbortedAndChangesNothing) {
  for (const OutcomeCase& c : OutcomeCases()) {
    SCOPED_TRACE(c.name);
    const std::string id = AddReferral();
    ASSERT_TRUE(Claim(env(), kAlice, id, kStart).ok());
    auto after = RecordTriage(env(), kBob, id, Decision(c.decision), Minutes(1));
    EXPECT_EQ(after.status().code(), StatusCode::kAborted);
    EXPECT_EQ(GetReferral(id).state, ReferralState::kAwaitingTriage);
    EXPECT_EQ(Events(id).size(), 1u);
    ASSERT_EQ(Claims().size(), 1u);
    EXPECT_EQ(Claims()[0].user_id, kAlice.user_id);
    Status released = Release(env(), kAlice, id, Minutes(2));
    ASSERT_TRUE(released.ok()) << released.ToString();
  }
  EXPECT_TRUE(AuditRows("referral.triage").empty());
}

TEST_F(TriageTest, OutcomeOnAReferralNotAwaitingTriageIsRefused) {
  for (const OutcomeCase& c : OutcomeCases()) {
    SCOPED_TRACE(c.name);
    const std::string id = AddReferral();
    ASSERT_TRUE(RecordTriage(env(), kAlice, id, Decision(c.decision), kStart).ok());
    const std::size_t events = Events(id).size();
    auto again = RecordTriage(env(), kAlice, id, kDischarge, Minutes(1));
    EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(Events(id).size(), events);
  }
  EXPECT_EQ(RecordTriage(env(), kAlice, "no-such-referral", kDischarge, kStart).status().code(),
            StatusCode::kNotFound);
}

TEST_F(TriageTest, RecordTriageRefusesAnIncompleteDecision) {
  const std::string id = AddReferral();
  TriageDecision accept;  // No service line or modality.
  auto after = RecordTriage(env(), kAlice, id, accept, kStart);
  EXPECT_EQ(after.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(after.status().field(), "service_line");
  EXPECT_EQ(Events(id).size(), 1u);
}

TEST_F(TriageTest, SelfReferralIsAcceptedToTier1Only) {
  const std::string id = AddReferral(ReferralSource::kSelf);
  ASSERT_TRUE(Claim(env(), kAlice, id, kStart).ok());
  auto tier2 = RecordTriage(
      env(), kAlice, id,
      Decision(
          {{"outcome", "accept"}, {"service_line", "upper_limb"}, {"modality", "face_to_face"}}),
      Minutes(1));
  EXPECT_EQ(tier2.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(tier2.status().field(), "service_line");
  EXPECT_EQ(Events(id).size(), 1u);
  EXPECT_EQ(Claims().size(), 1u) << "the claim stays with the clinician";
  auto tier1 = RecordTriage(
      env(), kAlice, id,
      Decision(
          {{"outcome", "accept"}, {"service_line", "physiotherapy"}, {"modality", "face_to_face"}}),
      Minutes(2));
  ASSERT_TRUE(tier1.ok()) << tier1.status().ToString();
  EXPECT_EQ(tier1->tier, Tier::kTier1);
}

TEST_F(TriageTest, ReturnedSelfReferralIsOwnedByTheReferralsTeam) {
  const std::string id = AddReferral(ReferralSource::kSelf);
  auto after =
      RecordTriage(env(), kAlice, id,
                   Decision({{"outcome", "return"}, {"advice", "Call the patient."}}), kStart);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->owner, "referrals");
}

TEST(ParseTriageDecisionTest, ReadsAnAcceptance) {
  Parsed<TriageDecision> parsed = ParseTriageDecision({{"outcome", "accept"},
                                                       {"service_line", "hand"},
                                                       {"priority", "post_op"},
                                                       {"modality", "face_to_face"},
                                                       {"skill", "  injection "},
                                                       {"notes", "Left thumb"},
                                                       {"destination", ""},
                                                       {"advice", nullptr}});
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors.front().field;
  const TriageDecision& d = *parsed.value;
  EXPECT_EQ(d.outcome, TriageOutcome::kAccept);
  EXPECT_EQ(d.service_line, ServiceLine::kHand);
  EXPECT_EQ(d.priority, Priority::kPostOp);
  EXPECT_EQ(d.modality, Modality::kFaceToFace);
  EXPECT_EQ(d.skill, "injection");
  EXPECT_EQ(d.notes, "Left thumb");
}

TEST(ParseTriageDecisionTest, IgnoresTheFieldsOfOtherOutcomes) {
  Parsed<TriageDecision> parsed = ParseTriageDecision({{"outcome", "onward"},
                                                       {"destination", "diagnostics"},
                                                       {"service_line", "nonsense"},
                                                       {"advice", "unused"}});
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors.front().field;
  EXPECT_EQ(parsed.value->destination, OnwardDestination::kDiagnostics);
  EXPECT_FALSE(parsed.value->service_line);
  EXPECT_EQ(parsed.value->advice, "");
}

struct ParseErrorCase {
  std::string name;
  json body;
  std::vector<FieldError> errors;
};

TEST(ParseTriageDecisionTest, ListsEveryMalformedOrMissingField) {
  const std::string long_text(kMaxLongText + 1, 'x');
  const std::string long_skill(101, 'x');
  const std::vector<ParseErrorCase> cases{
      {"not an object", json::array(), {{"body", "must be a JSON object"}}},
      {"no outcome", json::object(), {{"outcome", "choose accept, return, onward or discharge"}}},
      {"unknown outcome",
       {{"outcome", "maybe"}},
       {{"outcome", ParseTriageOutcome("maybe").status().message()}}},
      {"outcome not text", {{"outcome", 3}}, {{"outcome", "must be text"}}},
      {"unknown field",
       {{"outcome", "discharge"}, {"advice", "Rest."}, {"colour", "blue"}},
       {{"colour", "is not a field of a triage decision"}}},
      {"accept without line or modality",
       {{"outcome", "accept"}},
       {{"service_line", "choose the service line to accept to"},
        {"modality", "choose how the patient is to be seen"}}},
      {"accept with bad names",
       {{"outcome", "accept"},
        {"service_line", "knees"},
        {"priority", "soon"},
        {"modality", "carrier_pigeon"}},
       {{"service_line", ParseServiceLine("knees").status().message()},
        {"priority", ParsePriority("soon").status().message()},
        {"modality", ParseModality("carrier_pigeon").status().message()}}},
      {"accept with overlong text",
       {{"outcome", "accept"},
        {"service_line", "spinal"},
        {"modality", "video"},
        {"skill", long_skill},
        {"notes", long_text}},
       {{"skill", "must be at most 100 characters"}, {"notes", "must be at most 4000 characters"}}},
      {"accept with skill not text",
       {{"outcome", "accept"}, {"service_line", "spinal"}, {"modality", "video"}, {"skill", 7}},
       {{"skill", "must be text"}}},
      {"onward without destination",
       {{"outcome", "onward"}},
       {{"destination", "choose where to refer the patient on to"}}},
      {"onward to an unknown destination",
       {{"outcome", "onward"}, {"destination", "mars"}},
       {{"destination", ParseOnwardDestination("mars").status().message()}}},
      {"return without advice",
       {{"outcome", "return"}, {"advice", "   "}},
       {{"advice", "give the referrer advice: what is missing, or what to do instead"}}},
      {"return with overlong advice",
       {{"outcome", "return"}, {"advice", long_text}},
       {{"advice", "must be at most 4000 characters"}}},
      {"discharge without advice",
       {{"outcome", "discharge"}},
       {{"advice", "give the patient advice on managing their condition"}}},
  };
  for (const ParseErrorCase& c : cases) {
    SCOPED_TRACE(c.name);
    Parsed<TriageDecision> parsed = ParseTriageDecision(c.body);
    EXPECT_FALSE(parsed.value);
    EXPECT_EQ(parsed.errors, c.errors);
  }
}

TEST(TriageNamesTest, OutcomesAndModalitiesRoundTrip) {
  for (TriageOutcome o : {TriageOutcome::kAccept, TriageOutcome::kReturn, TriageOutcome::kOnward,
                          TriageOutcome::kDischarge}) {
    EXPECT_EQ(ParseTriageOutcome(ToString(o)).value(), o);
  }
  for (Modality m : {Modality::kFaceToFace, Modality::kVideo, Modality::kTelephone}) {
    EXPECT_EQ(ParseModality(ToString(m)).value(), m);
  }
  EXPECT_EQ(ParseModality("fax", "decision.modality").status().field(), "decision.modality");
}

TEST_F(TriageTest, HistoryIsOpenWhenThePatientHasNotDissented) {
  const Patient patient = store_->GetPatient(GetReferral(AddReferral()).patient_key).value();
  EXPECT_FALSE(HistoryHidden(env(), kAlice, patient, kStart).value());
}

TEST_F(TriageTest, BreakGlassOpensHistoryToThatClinicianForTwelveHours) {
  const std::string id = AddReferral(ReferralSource::kGp, /*dissent=*/true);
  const Patient patient = store_->GetPatient(GetReferral(id).patient_key).value();
  EXPECT_TRUE(HistoryHidden(env(), kAlice, patient, kStart).value());

  ASSERT_TRUE(
      BreakGlass(env(), kAlice, patient, "  Safeguarding concern from the GP  ", kStart).ok());
  const std::chrono::hours window(kBreakGlassHours);
  EXPECT_FALSE(HistoryHidden(env(), kAlice, patient, kStart).value());
  EXPECT_FALSE(HistoryHidden(env(), kAlice, patient, kStart + window - std::chrono::milliseconds(1))
                   .value());
  EXPECT_TRUE(HistoryHidden(env(), kAlice, patient, kStart + window).value());
  EXPECT_TRUE(HistoryHidden(env(), kBob, patient, Minutes(1)).value()) << "Alice's reason only";

  const std::vector<AuditEntry> audit = AuditRows("patient.break_glass");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].actor, kAlice.user_id);
  EXPECT_EQ(audit[0].role, "triage_clinician");
  EXPECT_EQ(audit[0].patient_key, patient.key);
  EXPECT_EQ(audit[0].reason, "Safeguarding concern from the GP");
  EXPECT_EQ(audit[0].at, kStart);
}

TEST_F(TriageTest, HistoryHiddenFindsTheNewestBreakGlassBeyondOnePage) {
  const std::string id = AddReferral(ReferralSource::kGp, /*dissent=*/true);
  const Patient patient = store_->GetPatient(GetReferral(id).patient_key).value();
  const Instant long_ago = kStart - std::chrono::hours(10 * kBreakGlassHours);
  const int old_rows = store::AuditFilter{}.limit + 50;
  Status s = store_->Write([&](store::WriteTxn& txn) -> Status {
    for (int i = 0; i < old_rows; ++i) {
      RETURN_IF_ERROR(txn.AppendAudit({0, long_ago, kAlice.user_id, "triage_clinician", patient.key,
                                       "patient.break_glass", "old"})
                          .status());
    }
    return OkStatus();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(HistoryHidden(env(), kAlice, patient, kStart).value());
  ASSERT_TRUE(BreakGlass(env(), kAlice, patient, "Reviewing a new referral", kStart).ok());
  EXPECT_FALSE(HistoryHidden(env(), kAlice, patient, Minutes(1)).value());
}

TEST_F(TriageTest, BreakGlassRefusesAnEmptyOrOverlongReason) {
  const std::string id = AddReferral(ReferralSource::kGp, /*dissent=*/true);
  const Patient patient = store_->GetPatient(GetReferral(id).patient_key).value();
  for (const std::string& reason : {std::string(), std::string(" \t\n "), std::string(1001, 'x')}) {
    Status s = BreakGlass(env(), kAlice, patient, reason, kStart);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << reason.size();
    EXPECT_EQ(s.field(), "reason");
  }
  EXPECT_TRUE(AuditRows("patient.break_glass").empty());
  EXPECT_TRUE(HistoryHidden(env(), kAlice, patient, kStart).value());
  EXPECT_TRUE(BreakGlass(env(), kAlice, patient, std::string(1000, 'x'), kStart).ok());
}

}  // namespace
}  // namespace tendon::workflow
