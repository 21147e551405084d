// The waiting list and its allocation (waiting_list.cc), in process on a real SQLite file with the
// real templates: the paged list and its audit, a proposal that books nothing, a confirmation of
// the ticked rows in one go, a confirmation refused whole when a slot was taken meanwhile, and the
// JSON API's named errors.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "http/testing.h"
#include "workflow/booking.h"

namespace tendon::http {
namespace {

using nlohmann::json;

constexpr char kCarol[] = "carol";  // Coordinator.

class WaitingListHttpTest : public testing::AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    if (HasFatalFailure()) return;
    // A physiotherapist at "site-1", near OX3, where the fixture's patients live.
    ASSERT_TRUE(store()
                    .Write([](store::WriteTxn& txn) -> Status {
                      RETURN_IF_ERROR(store::testing::InsertClinic(txn));
                      Clinician physio = store::testing::MakeClinician("clin-1", "site-1");
                      physio.skills = {"physiotherapy"};
                      return txn.PutClinician(physio);
                    })
                    .ok());
    AddUser(kCarol, Role::kCoordinator, "RNU", "Carol Coordinator");
    token_ = SignedIn(kCarol);
  }

  // A free new-patient slot `days` after now.
  Slot AddSlot(const std::string& id, int days) {
    Slot slot = store::testing::MakeSlot(id, 0);
    slot.start = slot.opens_to_all_at = now_.load() + date::days(days);
    slot.end = slot.start + std::chrono::minutes(30);
    EXPECT_TRUE(
        store().Write([&](store::WriteTxn& txn) { return txn.PutSlots({slot}).status(); }).ok());
    return slot;
  }

  Response Get(const std::string& path, const std::map<std::string, std::string>& query = {}) {
    Request request = MakeRequest(Method::kGet, path, token_);
    request.query = query;
    return Handle(std::move(request));
  }

  Response Post(const std::string& path, const std::string& body) {
    return Send(Method::kPost, path, token_, body);
  }

  Response PostForm(const std::string& path, const std::map<std::string, std::string>& form) {
    return Post(path, FormEncode(form));
  }

  int Audited(const std::string& patient_key, const std::string& action) {
    int n = 0;
    for (const std::string& a : AuditActions(patient_key)) n += a == action;
    return n;
  }

  ReferralState State(const std::string& id) { return store().GetReferral(id)->state; }

  std::string token_;
};

bool Has(const Response& r, const std::string& text) {
  return r.body.find(text) != std::string::npos;
}

TEST_F(WaitingListHttpTest, TheListShowsMostUrgentFirstWithABookButtonAndIsAudited) {
  const Referral routine = WaitingToBook();
  const Referral urgent = WaitingToBook(Priority::kUrgent);
  Response page = Get("/waiting-list");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Has(page, "2 referrals are waiting to book; 1 of them"));
  const auto first = page.body.find(urgent.id);
  const auto second = page.body.find(routine.id);
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  EXPECT_LT(first, second);
  EXPECT_TRUE(Has(page, "New appointment, face to face, physiotherapy"));
  EXPECT_TRUE(Has(page, "OX3"));
  EXPECT_TRUE(Has(page, R"(action="/booking/select")"));
  EXPECT_TRUE(Has(page, R"(name="referral_id" value=")" + urgent.id + "\""));
  EXPECT_EQ(Audited(urgent.patient_key, "waiting_list.read"), 1);
  EXPECT_EQ(Audited(routine.patient_key, "waiting_list.read"), 1);
}

TEST_F(WaitingListHttpTest, TheApiListsAPageOfTheWaitingList) {
  const Referral r = WaitingToBook(Priority::kPostOp);
  now_ = now_.load() + date::days(3);
  token_ = SignedIn(kCarol);  // The first session has lapsed.
  Response answer = Get("/api/v1/waiting-list", {{"page", "1"}});
  ASSERT_EQ(answer.status, 200) << answer.body;
  const json body = json::parse(answer.body);
  EXPECT_EQ(body["total"], 1);
  EXPECT_EQ(body["pages"], 1);
  ASSERT_EQ(body["items"].size(), 1u);
  const json& item = body["items"][0];
  EXPECT_EQ(item["referral_id"], r.id);
  EXPECT_EQ(item["priority"], "post_op");
  EXPECT_EQ(item["waiting_days"], 3);
  EXPECT_EQ(item["need"]["type"], "new");
  EXPECT_EQ(item["need"]["skill"], "physiotherapy");
  EXPECT_EQ(item["postcode_district"], "OX3");
  EXPECT_EQ(Audited(r.patient_key, "waiting_list.read"), 1);
}

TEST_F(WaitingListHttpTest, AProposalBooksNothingAndOffersEachRowTicked) {
  const Slot slot = AddSlot("s1", 2);
  const Referral r = WaitingToBook();
  Response page = PostForm("/waiting-list/propose", {{"max_km", "30"}, {"horizon_weeks", "4"}});
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Has(page, "1 booking proposed. No referral needs booking by hand."));
  EXPECT_TRUE(Has(page, "Jane Example"));
  EXPECT_TRUE(Has(page, R"(name="proposals[0].referral_id" value=")" + r.id + "\""));
  EXPECT_TRUE(Has(page, R"(name="proposals[0].slot_id" value="s1")"));
  EXPECT_TRUE(Has(page, R"(name="proposals[0].confirm" type="checkbox" value="yes" checked)"));
  EXPECT_TRUE(Has(page, R"(name="horizon_weeks" value="4")"));
  EXPECT_TRUE(Has(page, "Confirm selected bookings"));
  EXPECT_EQ(store().GetSlot(slot.id)->booked, 0);
  EXPECT_EQ(State(r.id), ReferralState::kWaitingToBook);
  EXPECT_EQ(Audited(r.patient_key, "allocation.propose"), 1);
}

TEST_F(WaitingListHttpTest, BadOptionsAreNamedBesideTheirFields) {
  WaitingToBook();
  Response page = PostForm("/waiting-list/propose", {{"max_km", "far"}, {"horizon_weeks", "99"}});
  EXPECT_EQ(page.status, 400);
  EXPECT_TRUE(Has(page, R"(href="#max_km">Travel distance must be a number)"));
  EXPECT_TRUE(Has(page, R"(id="horizon_weeks-error")"));
  EXPECT_TRUE(Has(page, R"(value="far")"));
}

TEST_F(WaitingListHttpTest, ConfirmingBooksTheTickedRowsOnlyAndTheyLeaveTheList) {
  AddSlot("s1", 2);
  AddSlot("s2", 3);
  const Referral urgent = WaitingToBook(Priority::kUrgent);
  const Referral routine = WaitingToBook();
  // Row 0 (the urgent referral) is ticked; row 1 is not.
  Response done = PostForm("/waiting-list/confirm", {{"batch_key", "page-batch"},
                                                     {"proposals[0].referral_id", urgent.id},
                                                     {"proposals[0].slot_id", "s1"},
                                                     {"proposals[0].confirm", "yes"},
                                                     {"proposals[1].referral_id", routine.id},
                                                     {"proposals[1].slot_id", "s2"}});
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(done.headers["Location"], "/waiting-list?booked=1");
  EXPECT_EQ(State(urgent.id), ReferralState::kBooked);
  EXPECT_EQ(State(routine.id), ReferralState::kWaitingToBook);
  EXPECT_EQ(Audited(urgent.patient_key, "appointment.book.allocation"), 1);

  Response list = Get("/waiting-list", {{"booked", "1"}});
  EXPECT_TRUE(Has(list, "1 booking confirmed"));
  EXPECT_FALSE(Has(list, urgent.id));
  EXPECT_TRUE(Has(list, routine.id));
}

TEST_F(WaitingListHttpTest, ASlotTakenMeanwhileRefusesTheWholeConfirmationAndProposesAgain) {
  AddSlot("s1", 2);
  AddSlot("s2", 3);
  AddSlot("s3", 4);
  const Referral urgent = WaitingToBook(Priority::kUrgent);
  const Referral routine = WaitingToBook();
  const Referral meanwhile = WaitingToBook(Priority::kPostOp);
  ASSERT_TRUE(workflow::Book(env(), Coordinator(), {meanwhile.id, "s2", ""}, now_.load()).ok());
  Response page = PostForm("/waiting-list/confirm", {{"batch_key", "stale-batch"},
                                                     {"proposals[0].referral_id", urgent.id},
                                                     {"proposals[0].slot_id", "s1"},
                                                     {"proposals[0].confirm", "yes"},
                                                     {"proposals[1].referral_id", routine.id},
                                                     {"proposals[1].slot_id", "s2"},
                                                     {"proposals[1].confirm", "yes"}});
  EXPECT_EQ(page.status, 409);
  EXPECT_TRUE(Has(page, "There is a problem"));
  EXPECT_TRUE(Has(page, "Referral " + routine.id + ": the slot is full"));
  EXPECT_TRUE(Has(page, "Nothing was booked"));
  EXPECT_TRUE(Has(page, R"(name="proposals[1].slot_id" value="s3")")) << "proposed again";
  EXPECT_EQ(State(urgent.id), ReferralState::kWaitingToBook);
  EXPECT_EQ(State(routine.id), ReferralState::kWaitingToBook);
}

TEST_F(WaitingListHttpTest, ConfirmingNothingAsksForAChoice) {
  AddSlot("s1", 2);
  const Referral r = WaitingToBook();
  Response page = PostForm("/waiting-list/confirm", {{"batch_key", "empty-batch"},
                                                     {"proposals[0].referral_id", r.id},
                                                     {"proposals[0].slot_id", "s1"}});
  EXPECT_EQ(page.status, 400);
  EXPECT_TRUE(Has(page, "Choose at least one booking to confirm"));
  EXPECT_EQ(State(r.id), ReferralState::kWaitingToBook);
}

TEST_F(WaitingListHttpTest, TheApiProposesThenConfirmsOnceHoweverOftenItIsSent) {
  AddSlot("s1", 2);
  const Referral r = WaitingToBook();
  Response proposed = Post("/api/v1/allocation/propose", R"({"max_km": 25})");
  ASSERT_EQ(proposed.status, 200) << proposed.body;
  const json proposal = json::parse(proposed.body);
  ASSERT_EQ(proposal["proposals"].size(), 1u);
  EXPECT_EQ(proposal["proposals"][0]["referral_id"], r.id);
  EXPECT_EQ(proposal["proposals"][0]["slot_id"], "s1");
  EXPECT_LT(proposal["proposals"][0]["travel_km"].get<double>(), 25);
  ASSERT_TRUE(proposal["batch_key"].is_string());

  const json confirm{{"batch_key", proposal["batch_key"]},
                     {"proposals", json::array({{{"referral_id", r.id}, {"slot_id", "s1"}}})}};
  Response once = Post("/api/v1/allocation/confirm", confirm.dump());
  ASSERT_EQ(once.status, 201) << once.body;
  Response twice = Post("/api/v1/allocation/confirm", confirm.dump());
  ASSERT_EQ(twice.status, 201) << twice.body;
  EXPECT_EQ(json::parse(once.body)["appointments"][0]["appointment_id"],
            json::parse(twice.body)["appointments"][0]["appointment_id"]);
  EXPECT_EQ(store().GetSlot("s1")->booked, 1);
}

TEST_F(WaitingListHttpTest, TheApiNamesEveryBadFieldAndEveryRefusedProposal) {
  Response bad = Post("/api/v1/allocation/confirm",
                      R"({"proposals": [{"referral_id": "r"}], "colour": "red"})");
  ASSERT_EQ(bad.status, 400) << bad.body;
  std::vector<std::string> fields;
  const json errors = json::parse(bad.body)["errors"];
  for (const json& e : errors) fields.push_back(e["field"]);
  EXPECT_EQ(fields, (std::vector<std::string>{"colour", "batch_key", "proposals[0].slot_id"}));
  Response options = Post("/api/v1/allocation/propose", R"({"horizon_weeks": 0})");
  EXPECT_EQ(options.status, 400);
  EXPECT_EQ(json::parse(options.body)["field"], "horizon_weeks");

  const Slot slot = AddSlot("s1", 2);
  const Referral a = WaitingToBook();
  const Referral b = WaitingToBook();
  ASSERT_TRUE(workflow::Book(env(), Coordinator(), {b.id, slot.id, ""}, now_.load()).ok());
  const json confirm{{"batch_key", "api-batch"},
                     {"proposals", json::array({{{"referral_id", a.id}, {"slot_id", slot.id}}})}};
  Response refused = Post("/api/v1/allocation/confirm", confirm.dump());
  EXPECT_EQ(refused.status, 409);
  const json body = json::parse(refused.body);
  EXPECT_EQ(body["field"], "proposals[0].slot_id");
  ASSERT_EQ(body["errors"].size(), 1u);
  EXPECT_EQ(body["errors"][0]["field"], "proposals[0].slot_id");
  EXPECT_EQ(State(a.id), ReferralState::kWaitingToBook);
}

}  // namespace
}  // namespace tendon::http
