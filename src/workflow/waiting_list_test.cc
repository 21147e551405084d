#include "workflow/waiting_list.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "workflow/booking.h"
#include "workflow/testing.h"

namespace tendon::workflow {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// OX3, where the fixture's patients live, about 3 km from "site-1".
const std::vector<config::PostcodeDistrict>& Districts() {
  static const std::vector<config::PostcodeDistrict> districts = {
      {"OX3", "Headington, Marston", "Central Oxford", 51.762, -1.210}};
  return districts;
}

class WaitingListTest : public testing::WorkflowTest {
 protected:
  void SetUp() override {
    WorkflowTest::SetUp();
    // A physiotherapist at "site-1": the skill a physiotherapy referral needs (need.h).
    ASSERT_TRUE(store()
                    .Write([](store::WriteTxn& txn) -> Status {
                      RETURN_IF_ERROR(store::testing::InsertClinic(txn));
                      Clinician physio = store::testing::MakeClinician("clin-1", "site-1");
                      physio.skills = {"physiotherapy"};
                      return txn.PutClinician(physio);
                    })
                    .ok());
  }

  // A free new-patient slot `days` after kNow.
  Slot AddSlot(const std::string& id, int days) {
    Slot slot = store::testing::MakeSlot(id, 0);
    slot.start = slot.opens_to_all_at = testing::kNow + date::days(days);
    slot.end = slot.start + std::chrono::minutes(30);
    EXPECT_TRUE(
        store().Write([&](store::WriteTxn& txn) { return txn.PutSlots({slot}).status(); }).ok());
    return slot;
  }

  std::vector<std::string> ListedIds() {
    auto list = ReadWaitingList(env(), Districts());
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    std::vector<std::string> ids;
    if (!list.ok()) return ids;
    for (const WaitingListItem& item : *list) ids.push_back(item.referral.id);
    return ids;
  }

  // The allocator's proposal now, as a confirmation of every proposal under `batch_key`.
  ConfirmRequest ProposeAll(const std::string& batch_key) {
    auto proposed = ProposeAllocation(env(), Districts(), testing::kNow, {});
    EXPECT_TRUE(proposed.ok()) << proposed.status().ToString();
    ConfirmRequest request{batch_key, {}};
    if (!proposed.ok()) return request;
    for (const scheduling::Proposal& p : proposed->allocation.proposals) {
      request.proposals.push_back({proposed->items[p.entry].referral.id, p.slot.id});
    }
    return request;
  }

  int Booked(const std::string& slot_id) { return store().GetSlot(slot_id)->booked; }
  ReferralState State(const std::string& referral_id) {
    return store().GetReferral(referral_id)->state;
  }
};

TEST_F(WaitingListTest, ListsEachReferralWithItsNeedAndDistrictMostUrgentFirst) {
  const Referral routine = WaitingToBook();
  const Referral urgent = WaitingToBook(Priority::kUrgent);
  auto list = ReadWaitingList(env(), Districts());
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].referral.id, urgent.id);
  EXPECT_EQ((*list)[1].referral.id, routine.id);
  const WaitingListItem& item = (*list)[0];
  ASSERT_TRUE(item.need.has_value());
  EXPECT_EQ(item.need->type, SlotType::kNew);
  EXPECT_EQ(item.need->modality, Modality::kFaceToFace);
  EXPECT_EQ(item.need->skill, "physiotherapy");
  EXPECT_EQ(item.need->priority, Priority::kUrgent);
  EXPECT_EQ(item.postcode_district, "OX3");
  EXPECT_TRUE(item.origin.known);
  EXPECT_EQ(item.waiting_since, testing::kNow);
  EXPECT_FALSE(item.rebook_first);
}

TEST_F(WaitingListTest, AServiceCancellationKeepsTheWaitAndGoesFirstAPatientsRestartsIt) {
  const Slot slot = AddSlot("s1", 3);
  const Slot other = AddSlot("s2", 4);
  const Referral cancelled_by_service = WaitingToBook();
  const Referral cancelled_by_patient = WaitingToBook();
  const Referral waiting = WaitingToBook();
  ASSERT_TRUE(
      Book(env(), Coordinator(), {cancelled_by_service.id, slot.id, ""}, testing::kNow).ok());
  auto patients =
      Book(env(), Coordinator(), {cancelled_by_patient.id, other.id, ""}, testing::kNow);
  ASSERT_TRUE(patients.ok());
  const Instant later = testing::kNow + date::days(1);
  ASSERT_TRUE(
      ClinicianUnavailable(env(), Coordinator(), "clin-1", slot.start, slot.end, "off sick", later)
          .ok());
  ASSERT_TRUE(Cancel(env(), Coordinator(), patients->id, "patient", "away", later).ok());

  auto list = ReadWaitingList(env(), Districts());
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].referral.id, cancelled_by_service.id);
  EXPECT_TRUE((*list)[0].rebook_first);
  EXPECT_EQ((*list)[0].waiting_since, testing::kNow) << "the service's cancellation costs no wait";
  EXPECT_EQ((*list)[1].referral.id, waiting.id);
  EXPECT_EQ((*list)[2].referral.id, cancelled_by_patient.id);
  EXPECT_FALSE((*list)[2].rebook_first);
  EXPECT_EQ((*list)[2].waiting_since, later);
}

TEST_F(WaitingListTest, AReferralWithNoTriageOutcomeIsLeftToBookByHand) {
  ASSERT_TRUE(store()
                  .Write([](store::WriteTxn& txn) -> Status {
                    RETURN_IF_ERROR(txn.InsertPatient(store::testing::MakePatient(7)));
                    Referral r = store::testing::MakeReferral("transfer-7", "patient-7");
                    r.state = ReferralState::kWaitingToBook;
                    r.owner = "booking";
                    r.next_action_due = testing::kNow;
                    r.received_at = r.updated_at = testing::kNow;
                    PathwayEvent imported = store::testing::MakeEvent(
                        EventType::kTransferImported, ReferralState::kWaitingToBook,
                        R"({"list":"outgoing provider"})");
                    return txn.CreateReferral(r, {imported}).status();
                  })
                  .ok());
  AddSlot("s1", 2);
  const Referral accepted = WaitingToBook();
  EXPECT_THAT(ListedIds(), ElementsAre("transfer-7", accepted.id)) << "it has waited longer";
  auto proposed = ProposeAllocation(env(), Districts(), testing::kNow, {});
  ASSERT_TRUE(proposed.ok()) << proposed.status().ToString();
  ASSERT_EQ(proposed->by_hand.size(), 1u);
  EXPECT_EQ(proposed->by_hand[0].referral.id, "transfer-7");
  EXPECT_FALSE(proposed->by_hand[0].need.has_value());
  ASSERT_EQ(proposed->allocation.proposals.size(), 1u);
  EXPECT_EQ(proposed->items[proposed->allocation.proposals[0].entry].referral.id, accepted.id);
}

TEST_F(WaitingListTest, ProposingBooksNothingConfirmingBooksEveryChoiceInOneGo) {
  const Slot first = AddSlot("s1", 2);
  const Slot second = AddSlot("s2", 3);
  const Referral routine = WaitingToBook();
  const Referral urgent = WaitingToBook(Priority::kUrgent);
  const ConfirmRequest request = ProposeAll("batch-1");
  ASSERT_EQ(request.proposals.size(), 2u);
  EXPECT_EQ(request.proposals[0].referral_id, urgent.id);
  EXPECT_EQ(request.proposals[0].slot_id, first.id);
  EXPECT_EQ(request.proposals[1].slot_id, second.id);
  EXPECT_EQ(Booked(first.id), 0);
  EXPECT_EQ(State(urgent.id), ReferralState::kWaitingToBook);

  auto booked = ConfirmAllocation(env(), Coordinator(), request, testing::kNow);
  ASSERT_TRUE(booked.ok()) << booked.status().ToString();
  ASSERT_EQ(booked->size(), 2u);
  EXPECT_EQ((*booked)[0].referral_id, urgent.id);
  EXPECT_EQ((*booked)[0].idempotency_key, "batch-1:" + urgent.id);
  EXPECT_EQ(State(urgent.id), ReferralState::kBooked);
  EXPECT_EQ(State(routine.id), ReferralState::kBooked);
  EXPECT_EQ(Booked(first.id), 1);
  EXPECT_EQ(Booked(second.id), 1);
  EXPECT_THAT(AuditActions(urgent.patient_key), ::testing::Contains("appointment.book.allocation"));
  auto events = store().ListEvents(routine.id);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->back().type, EventType::kAppointmentBooked);
  EXPECT_THAT(ListedIds(), IsEmpty());
  EXPECT_THAT(Violations(), IsEmpty());
}

TEST_F(WaitingListTest, AConfirmationSentTwiceBooksOnce) {
  AddSlot("s1", 2);
  AddSlot("s2", 3);
  WaitingToBook();
  const ConfirmRequest request = ProposeAll("batch-twice");
  ASSERT_EQ(request.proposals.size(), 1u);
  auto once = ConfirmAllocation(env(), Coordinator(), request, testing::kNow);
  auto twice = ConfirmAllocation(env(), Coordinator(), request, testing::kNow);
  ASSERT_TRUE(once.ok()) << once.status().ToString();
  ASSERT_TRUE(twice.ok()) << twice.status().ToString();
  EXPECT_EQ((*twice)[0].id, (*once)[0].id);
  EXPECT_EQ(Booked("s1"), 1);
  EXPECT_EQ(Booked("s2"), 0);
  auto appointments = store().ListAppointmentsForReferral(request.proposals[0].referral_id);
  ASSERT_TRUE(appointments.ok());
  EXPECT_EQ(appointments->size(), 1u);
}

TEST_F(WaitingListTest, ASlotTakenSinceTheProposalFailsTheWholeBatch) {
  const Slot first = AddSlot("s1", 2);
  const Slot second = AddSlot("s2", 3);
  AddSlot("s3", 4);
  const Referral a = WaitingToBook();
  const Referral b = WaitingToBook();
  const ConfirmRequest request = ProposeAll("batch-taken");
  ASSERT_EQ(request.proposals.size(), 2u);
  ASSERT_EQ(request.proposals[1].slot_id, second.id);
  // Someone books the second proposal's slot for a referral that joined the list meanwhile.
  const Referral meanwhile = WaitingToBook();
  ASSERT_TRUE(Book(env(), Coordinator(), {meanwhile.id, second.id, ""}, testing::kNow).ok());

  std::vector<FieldError> refusals;
  auto booked = ConfirmAllocation(env(), Coordinator(), request, testing::kNow, &refusals);
  ASSERT_FALSE(booked.ok());
  EXPECT_EQ(booked.status().code(), StatusCode::kAborted);
  EXPECT_EQ(booked.status().field(), "proposals[1].slot_id");
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_EQ(refusals[0].field, "proposals[1].slot_id");
  EXPECT_EQ(State(a.id), ReferralState::kWaitingToBook) << "all or nothing";
  EXPECT_EQ(State(b.id), ReferralState::kWaitingToBook);
  EXPECT_EQ(Booked(first.id), 0);
  EXPECT_THAT(AuditActions(a.patient_key),
              ::testing::Not(::testing::Contains("appointment.book.allocation")));
}

TEST_F(WaitingListTest, ASlotNoLongerOpenOrAReferralNoLongerWaitingIsNamed) {
  AddSlot("s1", 2);
  AddSlot("s2", 3);
  WaitingToBook();
  WaitingToBook();
  const ConfirmRequest request = ProposeAll("batch-stale");
  ASSERT_EQ(request.proposals.size(), 2u);
  // Meanwhile the first proposal's clinic is cancelled and the second's referral booked elsewhere.
  ASSERT_TRUE(store()
                  .Write([&](store::WriteTxn& txn) {
                    return txn.SetSlotCancelled(request.proposals[0].slot_id, true);
                  })
                  .ok());
  const Slot elsewhere = AddSlot("s3", 5);
  ASSERT_TRUE(Book(env(), Coordinator(), {request.proposals[1].referral_id, elsewhere.id, ""},
                   testing::kNow)
                  .ok());

  std::vector<FieldError> refusals;
  auto booked = ConfirmAllocation(env(), Coordinator(), request, testing::kNow, &refusals);
  ASSERT_FALSE(booked.ok());
  EXPECT_EQ(booked.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(booked.status().field(), "proposals[0].slot_id");
  ASSERT_EQ(refusals.size(), 2u);
  EXPECT_EQ(refusals[0],
            (FieldError{"proposals[0].slot_id", "the clinic of this slot is cancelled"}));
  EXPECT_EQ(refusals[1].field, "proposals[1].referral_id");
  EXPECT_EQ(State(request.proposals[0].referral_id), ReferralState::kWaitingToBook);
  EXPECT_EQ(Booked(request.proposals[1].slot_id), 0);
}

TEST_F(WaitingListTest, AMalformedConfirmationNamesEveryFieldAndChangesNothing) {
  const Parsed<ConfirmRequest> parsed = ParseConfirmRequest(json::parse(R"({
    "proposals": [{"referral_id": "r1", "slot_id": "s1"}, {"referral_id": "r1"},
                  "r2", {"referral_id": "r3", "slot_id": 4, "when": "now"}],
    "colour": "blue"})"));
  EXPECT_FALSE(parsed.value.has_value());
  std::vector<std::string> fields;
  for (const FieldError& e : parsed.errors) fields.push_back(e.field);
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre("batch_key", "colour", "proposals[1].slot_id",
                                                      "proposals[1].referral_id", "proposals[2]",
                                                      "proposals[3].slot_id", "proposals[3].when"));
  EXPECT_THAT(ParseConfirmRequest(json::parse(R"({"batch_key": "k", "proposals": []})")).errors,
              ElementsAre(FieldError{"proposals", "choose at least one proposal to confirm"}));
  const Parsed<ConfirmRequest> good = ParseConfirmRequest(
      json::parse(R"({"batch_key": "k", "proposals": [{"referral_id": "r", "slot_id": "s"}]})"));
  ASSERT_TRUE(good.value.has_value());
  EXPECT_EQ(good.value->proposals[0].slot_id, "s");

  const Slot slot = AddSlot("s1", 2);
  const Referral r = WaitingToBook();
  auto refused = ConfirmAllocation(env(), Coordinator(), {"", {{r.id, slot.id}}}, testing::kNow);
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().field(), "batch_key");
  EXPECT_EQ(State(r.id), ReferralState::kWaitingToBook);
}

TEST_F(WaitingListTest, AllocationOptionsAreCheckedFieldByField) {
  const auto fields = [](const char* body) {
    std::vector<std::string> out;
    for (const FieldError& e : ParseAllocationOptions(json::parse(body)).errors) {
      out.push_back(e.field);
    }
    return out;
  };
  EXPECT_THAT(fields(R"({"max_km": -1, "horizon_weeks": 0})"),
              ElementsAre("max_km", "horizon_weeks"));
  EXPECT_THAT(fields(R"({"max_km": "far", "horizon_weeks": 2.5, "sites": []})"),
              ElementsAre("max_km", "horizon_weeks", "sites"));
  EXPECT_THAT(fields(R"({"horizon_weeks": 27})"), ElementsAre("horizon_weeks"));
  const auto parsed =
      ParseAllocationOptions(json::parse(R"({"max_km": "12.5", "horizon_weeks": 4})"));
  ASSERT_TRUE(parsed.value.has_value());
  EXPECT_EQ(parsed.value->max_km, 12.5);
  EXPECT_EQ(parsed.value->horizon, date::days(28));
  const auto defaults = ParseAllocationOptions(json::object());
  ASSERT_TRUE(defaults.value.has_value());
  EXPECT_EQ(defaults.value->max_km, scheduling::kDefaultMaxTravelKm);
}

TEST_F(WaitingListTest, TheComparisonRunsBothAllocatorsOnTheSameList) {
  const Slot first = AddSlot("s1", 2);
  const Slot second = AddSlot("s2", 3);
  WaitingToBook();
  // The two priority patients rejoin the list after the routine one (they cancelled).
  const Instant later = testing::kNow + std::chrono::hours(1);
  for (const auto& [priority, slot] :
       {std::pair{Priority::kUrgent, first}, std::pair{Priority::kPostOp, second}}) {
    auto booked =
        Book(env(), Coordinator(), {WaitingToBook(priority).id, slot.id, ""}, testing::kNow);
    ASSERT_TRUE(booked.ok()) << booked.status().ToString();
    ASSERT_TRUE(Cancel(env(), Coordinator(), booked->id, "patient", "cannot come", later).ok());
  }
  auto compared = CompareAllocations(env(), Districts(), later, {});
  ASSERT_TRUE(compared.ok()) << compared.status().ToString();
  EXPECT_EQ(compared->allocator.waiting, 3);
  EXPECT_EQ(compared->allocator.placed, 2);
  EXPECT_EQ(compared->allocator.priority_placed, 2) << "both priority patients are placed";
  EXPECT_EQ(compared->first_come_first_served.placed, 2);
  EXPECT_EQ(compared->first_come_first_served.priority_placed, 1)
      << "the routine patient joined first";
  EXPECT_EQ(compared->by_hand, 0);
}

}  // namespace
}  // namespace tendon::workflow
