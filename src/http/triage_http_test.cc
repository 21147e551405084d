// Triage over HTTP (triage.cc), in process on a real SQLite file, the real rules and templates:
// claims and their conflicts, every outcome through the API and the pages, break-glass, and the
// coordinator's linking of duplicates. Referrals are registered through workflow::Submit, so that
// they have their answers and decision support.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <set>
#include <thread>
#include <utility>

#include "core/nhs_number.h"
#include "http/testing.h"
#include "workflow/testing.h"

namespace tendon::http {
namespace {

using nlohmann::json;
using workflow::testing::CompleteReferral;
using workflow::testing::kNow;

constexpr char kAlice[] = "alice";  // Triage clinicians.
constexpr char kBob[] = "bob";
constexpr char kCarol[] = "carol";  // Coordinator.
constexpr char kDan[] = "dan";      // Treating clinician.

class TriageHttpTest : public testing::AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    if (HasFatalFailure()) return;
    AddUser(kAlice, Role::kTriageClinician, "", "Alice Triager");
    AddUser(kBob, Role::kTriageClinician, "", "Bob Triager");
    AddUser(kCarol, Role::kCoordinator, "", "Carol Coordinator");
    AddUser(kDan, Role::kTreatingClinician, "", "Dan Treater");
  }

  Response Api(const std::string& path, const std::string& user, json body) {
    return Send(Method::kPost, "/api/v1/referrals/" + path, SignedIn(user), body.dump());
  }

  // A complete GP referral from `answers` (CompleteReferral()'s by default), awaiting triage.
  Referral Submitted(const std::function<void(json&)>& change = {}) {
    json body = CompleteReferral();
    if (change) change(body);
    auto result = workflow::Submit(env(), Referrer(), Parse(body), now_.load());
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? result->referral : Referral{};
  }

  Referral Get(const std::string& id) { return store().GetReferral(id).value(); }

  std::vector<std::string> EventTypes(const std::string& id) {
    std::vector<std::string> types;
    const std::vector<PathwayEvent> events = store().ListEvents(id).value();
    for (const PathwayEvent& e : events) {
      types.push_back(std::string(ToString(e.type)));
    }
    return types;
  }

  static bool Has(const Response& r, const std::string& text) {
    return r.body.find(text) != std::string::npos;
  }
};

TEST_F(TriageHttpTest, ClaimHoldsUntilItLapsesAndRefusesAReferralNotAwaitingTriage) {
  const Referral r = Submitted();
  Response alice = Api("claim", kAlice, {{"referral_id", r.id}});
  ASSERT_EQ(alice.status, 200) << alice.body;
  const json claim = json::parse(alice.body);
  EXPECT_EQ(claim["referral_id"], r.id);
  EXPECT_EQ(claim["claimed_at"], FormatInstant(kNow));
  EXPECT_EQ(claim["expires_at"], FormatInstant(kNow + std::chrono::minutes(30)));

  Response bob = Api("claim", kBob, {{"referral_id", r.id}});
  EXPECT_EQ(bob.status, 409) << bob.body;
  EXPECT_EQ(json::parse(bob.body)["code"], "Aborted");

  now_ = kNow + std::chrono::minutes(31);
  EXPECT_EQ(Api("claim", kBob, {{"referral_id", r.id}}).status, 200);
  Response queue = Send(Method::kGet, "/api/v1/triage/queue", SignedIn(kBob));
  const json item = json::parse(queue.body)["items"][0];
  EXPECT_EQ(item["claimed"], true);
  EXPECT_EQ(item["claimed_by_me"], true);

  ASSERT_EQ(Api("triage", kBob,
                {{"referral_id", r.id}, {"outcome", "discharge"}, {"advice", "Keep moving"}})
                .status,
            200);
  Response late = Api("claim", kAlice, {{"referral_id", r.id}});
  EXPECT_EQ(late.status, 422) << late.body;
}

TEST_F(TriageHttpTest, ReleaseLetsAnotherClinicianClaim) {
  const Referral r = Submitted();
  ASSERT_EQ(Api("claim", kAlice, {{"referral_id", r.id}}).status, 200);
  EXPECT_EQ(Api("release", kBob, {{"referral_id", r.id}}).status, 409);
  EXPECT_EQ(Api("release", kAlice, {{"referral_id", r.id}}).status, 200);
  EXPECT_EQ(Api("claim", kBob, {{"referral_id", r.id}}).status, 200);
}

struct OutcomeCase {
  json decision;
  std::string state;
  std::vector<std::string> new_events;
};

TEST_F(TriageHttpTest, EveryOutcomeMovesTheReferralWithItsEventsAndAudit) {
  const std::vector<OutcomeCase> cases{
      {{{"outcome", "accept"}, {"service_line", "spinal"}, {"modality", "video"}},
       "waiting_to_book",
       {"triage.completed", "waitlist.added"}},
      {{{"outcome", "return"}, {"advice", "Add the X-ray report"}},
       "returned_incomplete",
       {"triage.completed"}},
      {{{"outcome", "onward"}, {"destination", "rheumatology"}},
       "onward_referred",
       {"triage.completed", "onward.referred"}},
      {{{"outcome", "discharge"}, {"advice", "Exercises in the leaflet"}},
       "closed",
       {"triage.completed", "referral.closed"}},
  };
  for (const OutcomeCase& c : cases) {
    const Referral r = Submitted();
    const std::size_t before = EventTypes(r.id).size();
    json body = c.decision;
    body["referral_id"] = r.id;
    Response response = Api("triage", kAlice, body);
    ASSERT_EQ(response.status, 200) << c.decision.dump() << ": " << response.body;
    const json answer = json::parse(response.body);
    EXPECT_EQ(answer["state"], c.state);
    EXPECT_EQ(Get(r.id).state, ParseReferralState(c.state).value());
    std::vector<std::string> types = EventTypes(r.id);
    EXPECT_EQ(std::vector<std::string>(types.begin() + before, types.end()), c.new_events);
    std::vector<std::string> actions = AuditActions(r.patient_key);
    EXPECT_EQ(actions.back(), "referral.triage") << c.decision.dump();
  }
}

TEST_F(TriageHttpTest, AcceptAnswersWithTheTierAndLine) {
  const Referral r = Submitted();
  Response response = Api("triage", kAlice,
                          {{"referral_id", r.id},
                           {"outcome", "accept"},
                           {"service_line", "spinal"},
                           {"priority", "urgent"},
                           {"modality", "face_to_face"}});
  ASSERT_EQ(response.status, 200) << response.body;
  const json answer = json::parse(response.body);
  EXPECT_EQ(answer["tier"], "tier2");
  EXPECT_EQ(answer["service_line"], "spinal");
  EXPECT_EQ(answer["priority"], "urgent");
}

TEST_F(TriageHttpTest, AMalformedOutcomeNamesEveryFieldAndChangesNothing) {
  const Referral r = Submitted();
  const std::size_t events = EventTypes(r.id).size();
  Response missing = Api("triage", kAlice, {{"referral_id", r.id}, {"outcome", "accept"}});
  ASSERT_EQ(missing.status, 400) << missing.body;
  const json body = json::parse(missing.body);
  ASSERT_EQ(body["errors"].size(), 2u) << missing.body;
  EXPECT_EQ(body["errors"][0]["field"], "service_line");
  EXPECT_EQ(body["errors"][1]["field"], "modality");

  Response bad = Api("triage", kAlice,
                     {{"referral_id", r.id},
                      {"outcome", "accept"},
                      {"service_line", "knees"},
                      {"modality", "carrier pigeon"},
                      {"colour", "red"}});
  ASSERT_EQ(bad.status, 400) << bad.body;
  std::set<std::string> fields;
  const json bad_body = json::parse(bad.body);
  for (const json& e : bad_body["errors"]) fields.insert(e["field"]);
  EXPECT_EQ(fields, (std::set<std::string>{"colour", "service_line", "modality"}));

  Response no_outcome = Api("triage", kAlice, {{"referral_id", r.id}});
  EXPECT_EQ(json::parse(no_outcome.body)["field"], "outcome");

  EXPECT_EQ(Get(r.id).state, ReferralState::kAwaitingTriage);
  EXPECT_EQ(EventTypes(r.id).size(), events);
}

TEST_F(TriageHttpTest, AnOutcomeFromAClinicianWithoutTheClaimIsRefused) {
  const Referral r = Submitted();
  ASSERT_EQ(Api("claim", kAlice, {{"referral_id", r.id}}).status, 200);
  Response bob =
      Api("triage", kBob, {{"referral_id", r.id}, {"outcome", "discharge"}, {"advice", "Rest"}});
  EXPECT_EQ(bob.status, 409) << bob.body;
  EXPECT_EQ(Get(r.id).state, ReferralState::kAwaitingTriage);
}

TEST_F(TriageHttpTest, TwoCliniciansClaimingAtOnceExactlyOneWins) {
  constexpr int kRounds = 25;
  for (int round = 0; round < kRounds; ++round) {
    const Referral r = Submitted();
    const std::string alice = SignedIn(kAlice);
    const std::string bob = SignedIn(kBob);
    const std::string body = json{{"referral_id", r.id}}.dump();
    int statuses[2] = {0, 0};
    std::thread a(
        [&] { statuses[0] = Send(Method::kPost, "/api/v1/referrals/claim", alice, body).status; });
    std::thread b(
        [&] { statuses[1] = Send(Method::kPost, "/api/v1/referrals/claim", bob, body).status; });
    a.join();
    b.join();
    EXPECT_EQ(std::min(statuses[0], statuses[1]), 200) << round;
    EXPECT_EQ(std::max(statuses[0], statuses[1]), 409) << round;
  }
}

TEST_F(TriageHttpTest, TheQueuePageClaimsOpensAndRecordsAnAcceptance) {
  const Referral r = Submitted();
  const std::string alice = SignedIn(kAlice);
  Response queue = Send(Method::kGet, "/triage", alice);
  ASSERT_EQ(queue.status, 200);
  EXPECT_TRUE(Has(queue, "Claimed by"));
  EXPECT_TRUE(Has(queue, "action=\"/triage/claim\""));

  Response claimed = Send(Method::kPost, "/triage/claim", alice, "referral_id=" + r.id);
  ASSERT_EQ(claimed.status, 303) << claimed.body;
  EXPECT_EQ(claimed.headers["Location"], "/triage/referral");
  Response page = Send(Method::kGet, "/triage/referral", alice);
  ASSERT_EQ(page.status, 200) << page.body;
  for (const char* text : {"Jane Example", "943 476 5919", "Polish", "Knee", "5 out of 10",
                           "You have claimed this referral", "Record outcome"}) {
    EXPECT_TRUE(Has(page, text)) << text;
  }

  Response mine = Send(Method::kGet, "/triage", alice);
  EXPECT_TRUE(Has(mine, "Continue"));
  Response theirs = Send(Method::kGet, "/triage", SignedIn(kBob));
  EXPECT_TRUE(Has(theirs, "Alice Triager"));
  EXPECT_TRUE(Has(theirs, "nhsuk-tag--grey"));
  Response refused = Send(Method::kPost, "/triage/claim", SignedIn(kBob), "referral_id=" + r.id);
  EXPECT_EQ(refused.status, 409);
  EXPECT_TRUE(Has(refused, "is claimed by another clinician since")) << refused.body;

  Response done = Send(Method::kPost, "/triage/outcome", alice,
                       "referral_id=" + r.id +
                           "&outcome=accept&service_line=physiotherapy&priority=routine&"
                           "modality=telephone&skill=&destination=&advice=&notes=");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_TRUE(Has(done, "Referral " + r.id + " accepted to tier 1 physiotherapy"));
  EXPECT_EQ(Get(r.id).state, ReferralState::kWaitingToBook);
  EXPECT_FALSE(Has(Send(Method::kGet, "/triage", alice), "value=\"" + r.id + "\""));
}

TEST_F(TriageHttpTest, TheQueueIsShownAPageAtATimeInWorkingOrder) {
  std::vector<std::string> ids;
  for (int i = 0; i < 55; ++i) {
    ids.push_back(Submitted([i](json& body) {
                    body["patient"]["nhs_number"] = *MakeTestNhsNumber(static_cast<unsigned>(i));
                  }).id);
    now_ = now_.load() + std::chrono::seconds(1);
  }
  const std::string alice = SignedIn(kAlice);
  auto page = [&](const char* number) {
    Request request = MakeRequest(Method::kGet, "/triage", alice);
    if (number) request.query["page"] = number;
    return Handle(std::move(request));
  };
  Response first = page(nullptr);
  ASSERT_EQ(first.status, 200);
  EXPECT_TRUE(Has(first, "55 referrals are waiting"));
  EXPECT_TRUE(Has(first, "Showing 1 to 50 of 55"));
  EXPECT_TRUE(Has(first, "value=\"" + ids[0] + "\""));
  EXPECT_TRUE(Has(first, "value=\"" + ids[49] + "\""));
  EXPECT_FALSE(Has(first, "value=\"" + ids[50] + "\""));
  EXPECT_TRUE(Has(first, "href=\"/triage?page=2\""));
  Response second = page("2");
  EXPECT_TRUE(Has(second, "Showing 51 to 55 of 55"));
  EXPECT_TRUE(Has(second, "value=\"" + ids[54] + "\""));
  EXPECT_TRUE(Has(second, "href=\"/triage?page=1\""));
  EXPECT_TRUE(Has(page("99"), "Showing 51 to 55 of 55"));
  EXPECT_TRUE(Has(page("x"), "Showing 1 to 50 of 55"));
}

TEST_F(TriageHttpTest, ReadingAClaimedReferralRenewsTheClaim) {
  const Referral r = Submitted();
  const std::string alice = SignedIn(kAlice);
  ASSERT_EQ(Send(Method::kPost, "/triage/claim", alice, "referral_id=" + r.id).status, 303);
  now_ = now_.load() + std::chrono::minutes(25);
  ASSERT_EQ(Send(Method::kGet, "/triage/referral", alice).status, 200);
  now_ = now_.load() + std::chrono::minutes(25);  // 50 minutes after the claim, 25 idle.
  EXPECT_EQ(Api("claim", kBob, {{"referral_id", r.id}}).status, 409);
}

TEST_F(TriageHttpTest, TheOutcomeFormKeepsItsValuesAndShowsEachError) {
  const Referral r = Submitted();
  const std::string alice = SignedIn(kAlice, r.id);
  Response page = Send(Method::kPost, "/triage/outcome", alice,
                       "referral_id=" + r.id + "&outcome=discharge&advice=&notes=kept+note");
  ASSERT_EQ(page.status, 400) << page.body;
  EXPECT_TRUE(Has(page, "There is a problem"));
  EXPECT_TRUE(Has(page, "href=\"#advice\""));
  EXPECT_TRUE(Has(page, "Give the patient advice"));
  EXPECT_TRUE(Has(page, "kept note"));
  EXPECT_EQ(Get(r.id).state, ReferralState::kAwaitingTriage);

  Response no_outcome = Send(Method::kPost, "/triage/outcome", alice, "referral_id=" + r.id);
  EXPECT_EQ(no_outcome.status, 400);
  EXPECT_TRUE(Has(no_outcome, "href=\"#outcome\"")) << no_outcome.body;
}

TEST_F(TriageHttpTest, ReleaseFromThePageReturnsToTheQueue) {
  const Referral r = Submitted();
  const std::string alice = SignedIn(kAlice);
  ASSERT_EQ(Send(Method::kPost, "/triage/claim", alice, "referral_id=" + r.id).status, 303);
  Response released = Send(Method::kPost, "/triage/release", alice, "referral_id=" + r.id);
  EXPECT_EQ(released.status, 303);
  EXPECT_EQ(released.headers["Location"], "/triage");
  EXPECT_EQ(Api("claim", kBob, {{"referral_id", r.id}}).status, 200);
}

TEST_F(TriageHttpTest, ADissentingPatientsHistoryIsHiddenUntilAReasonIsGiven) {
  const Referral earlier = Submitted([](json& b) { b["answers"]["body_sites"] = {"shoulder"}; });
  const Referral r = Submitted();
  Patient patient = store().GetPatient(r.patient_key).value();
  ASSERT_EQ(patient.key, earlier.patient_key);
  patient.dissent = true;
  ASSERT_TRUE(store().Write([&](store::WriteTxn& txn) { return txn.UpdatePatient(patient); }).ok());

  const std::string alice = SignedIn(kAlice, r.id);
  Response hidden = Send(Method::kGet, "/triage/referral", alice);
  ASSERT_EQ(hidden.status, 200) << hidden.body;
  EXPECT_TRUE(Has(hidden, "This patient has dissented to sharing their record"));
  EXPECT_FALSE(Has(hidden, earlier.id));

  Response empty =
      Send(Method::kPost, "/triage/break-glass", alice, "referral_id=" + r.id + "&reason=");
  EXPECT_EQ(empty.status, 400);
  EXPECT_TRUE(Has(empty, "href=\"#reason\""));

  Response opened = Send(Method::kPost, "/triage/break-glass", alice,
                         "referral_id=" + r.id + "&reason=Safeguarding+concern+from+the+GP");
  ASSERT_EQ(opened.status, 303) << opened.body;
  EXPECT_EQ(opened.headers["Location"], "/triage/referral");
  Response shown = Send(Method::kGet, "/triage/referral", alice);
  EXPECT_TRUE(Has(shown, "Referral " + earlier.id)) << shown.body;
  EXPECT_FALSE(Has(shown, "has dissented"));

  store::AuditFilter filter;
  filter.action = "patient.break_glass";
  const auto audit = store().ListAudit(filter).value();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].actor, kAlice);
  EXPECT_EQ(audit[0].patient_key, patient.key);
  EXPECT_EQ(audit[0].reason, "Safeguarding concern from the GP");

  // Bob has given no reason: still hidden from him.
  Response bob = Send(Method::kGet, "/triage/referral", SignedIn(kBob, r.id));
  EXPECT_TRUE(Has(bob, "has dissented"));
}

TEST_F(TriageHttpTest, BreakGlassOverTheApiIsAuditedWithTheReason) {
  const Referral r = Submitted();
  Response refused = Api("break-glass", kDan, {{"referral_id", r.id}});
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(json::parse(refused.body)["field"], "reason");
  Response ok = Api("break-glass", kDan, {{"referral_id", r.id}, {"reason", "Seeing her today"}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  store::AuditFilter filter;
  filter.action = "patient.break_glass";
  const auto audit = store().ListAudit(filter).value();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].reason, "Seeing her today");
}

TEST_F(TriageHttpTest, ReferralWithoutDetailsStillShows) {
  const Referral r = Submitted();
  Referral bare = r;
  bare.id = "bare-1";
  ASSERT_TRUE(store()
                  .Write([&](store::WriteTxn& txn) {
                    return txn.CreateReferral(bare, {store::testing::ReceivedEvent()}).status();
                  })
                  .ok());
  Response page = Send(Method::kGet, "/triage/referral", SignedIn(kAlice, "bare-1"));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Has(page, "No referral form details are held for this referral"));
}

TEST_F(TriageHttpTest, CoordinatorLinksAndMergesDuplicatesOthersMayNot) {
  const Referral first = Submitted();
  const Referral second = Submitted();
  const Referral third = Submitted();
  Response duplicates = Send(Method::kGet, "/triage/duplicates", SignedIn(kCarol, first.id));
  ASSERT_EQ(duplicates.status, 200) << duplicates.body;
  EXPECT_TRUE(Has(duplicates, second.id));
  EXPECT_TRUE(Has(duplicates, "Merge"));

  const json link{{"referral_id", first.id}, {"duplicate_id", second.id}, {"kind", "linked"}};
  EXPECT_EQ(Api("link", kAlice, link).status, 403);
  EXPECT_EQ(Api("link", kDan, link).status, 403);
  ASSERT_EQ(Api("link", kCarol, link).status, 200);
  const auto links = store().ListLinks(first.id).value();
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].other_id, second.id);
  EXPECT_EQ(Get(second.id).state, ReferralState::kAwaitingTriage);

  Response bad_kind = Api(
      "link", kCarol, {{"referral_id", first.id}, {"duplicate_id", third.id}, {"kind", "glued"}});
  EXPECT_EQ(bad_kind.status, 400);
  EXPECT_EQ(json::parse(bad_kind.body)["field"], "kind");

  Response merged = Send(Method::kPost, "/referral/link", SignedIn(kCarol),
                         "referral_id=" + first.id + "&duplicate_id=" + third.id + "&kind=merged");
  ASSERT_EQ(merged.status, 200) << merged.body;
  EXPECT_TRUE(Has(merged, "Referral " + third.id + " merged into referral " + first.id));
  EXPECT_EQ(Get(third.id).state, ReferralState::kWithdrawn);
  EXPECT_EQ(Send(Method::kPost, "/referral/link", SignedIn(kAlice),
                 "referral_id=" + first.id + "&duplicate_id=" + second.id + "&kind=merged")
                .status,
            403);
}

}  // namespace
}  // namespace tendon::http
