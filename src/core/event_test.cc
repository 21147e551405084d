#include "core/event.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace tendon {
namespace {

using E = EventType;
using S = ReferralState;
using ::testing::HasSubstr;

constexpr std::array kAllTypes{
    E::kReferralReceived,    E::kReferralReturned,  E::kReferralResubmitted,
    E::kReferralWithdrawn,   E::kRedflagRaised,     E::kTriageCompleted,
    E::kWaitlistAdded,       E::kAppointmentBooked, E::kAppointmentCancelled,
    E::kAppointmentAttended, E::kAppointmentDna,    E::kEpisodeDischarged,
    E::kPifuOpened,          E::kPifuRequested,     E::kPifuExpired,
    E::kOnwardReferred,      E::kOutcomeMskhq,      E::kFeedbackFft,
    E::kTransferImported,    E::kReferralClosed,
};

// A payload with every field `type` requires.
std::string FullPayload(E type) {
  std::string out = "{";
  for (std::string_view name : SchemaOf(type).required_payload) {
    if (out.size() > 1) out += ",";
    out += "\"" + std::string(name) + "\":\"x\"";
  }
  return out + "}";
}

PathwayEvent MakeEvent(E type, S after, std::string payload) {
  PathwayEvent event;
  event.referral_id = "r-1";
  event.patient_key = "p-1";
  event.actor = "u-1";
  event.type = type;
  event.state_after = after;
  event.payload = std::move(payload);
  return event;
}

TEST(EventTest, EveryTypeRoundTripsThroughItsName) {
  std::set<std::string_view> names;
  for (E type : kAllTypes) {
    const std::string_view name = ToString(type);
    SCOPED_TRACE(name);
    EXPECT_NE(name, "unknown");
    EXPECT_TRUE(names.insert(name).second) << "duplicate name";
    EXPECT_NE(name.find('.'), std::string_view::npos) << "names are noun.verb";
    const auto parsed = ParseEventType(name);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(*parsed, type);
  }
}

TEST(EventTest, UnknownTypeIsRefusedNamingTheField) {
  for (std::string_view bad : {"", "referral", "Referral.Received", "referral.received "}) {
    const auto parsed = ParseEventType(bad, "event_type");
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(parsed.status().field(), "event_type");
    EXPECT_THAT(parsed.status().message(), HasSubstr("referral.received"));
  }
}

TEST(EventTest, EveryTypeHasItsOwnSchema) {
  for (E type : kAllTypes) {
    SCOPED_TRACE(ToString(type));
    EXPECT_EQ(SchemaOf(type).type, type);
  }
}

TEST(EventTest, OnlyReceivedAndTransferCreateReferrals) {
  for (E type : kAllTypes) {
    SCOPED_TRACE(ToString(type));
    const bool creates = type == E::kReferralReceived || type == E::kTransferImported;
    EXPECT_EQ(SchemaOf(type).creates_referral, creates);
    if (creates) {
      EXPECT_FALSE(SchemaOf(type).states_after.empty());
    }
  }
}

// Each state a non-creating type may leave a referral in is reachable by a legal move from some
// open state, or the type could never be recorded.
TEST(EventTest, EveryStateAfterIsReachable) {
  for (E type : kAllTypes) {
    if (SchemaOf(type).creates_referral) continue;
    for (S after : SchemaOf(type).states_after) {
      SCOPED_TRACE(std::string(ToString(type)) + " -> " + std::string(ToString(after)));
      bool reachable = false;
      for (S from :
           {S::kReceived, S::kReturnedIncomplete, S::kAwaitingTriage, S::kTriaged,
            S::kWaitingToBook, S::kBooked, S::kInTreatment, S::kDischarged, S::kPifuWindow}) {
        reachable = reachable || from == after || CheckTransition(from, after).ok();
      }
      EXPECT_TRUE(reachable);
    }
  }
}

struct ValidateCase {
  E type;
  std::optional<S> before;
  S after;
  StatusCode code;
  std::string_view field;  // Of the error; unused when OK.
};

TEST(EventTest, ValidateEventChecksStates) {
  constexpr auto kOk = StatusCode::kOk;
  constexpr auto kBad = StatusCode::kInvalidArgument;
  constexpr auto kIllegal = StatusCode::kFailedPrecondition;
  const std::vector<ValidateCase> cases = {
      // Creating types open a referral, in a state they allow.
      {E::kReferralReceived, std::nullopt, S::kAwaitingTriage, kOk, ""},
      {E::kReferralReceived, std::nullopt, S::kReturnedIncomplete, kOk, ""},
      {E::kTransferImported, std::nullopt, S::kInTreatment, kOk, ""},
      {E::kReferralReceived, std::nullopt, S::kBooked, kBad, "state_after"},
      {E::kTransferImported, std::nullopt, S::kClosed, kBad, "state_after"},
      {E::kReferralReceived, S::kReceived, S::kAwaitingTriage, StatusCode::kAlreadyExists,
       "referral_id"},
      {E::kTransferImported, S::kBooked, S::kBooked, StatusCode::kAlreadyExists, "referral_id"},
      // Non-creating types need a referral.
      {E::kAppointmentBooked, std::nullopt, S::kBooked, StatusCode::kNotFound, "referral_id"},
      {E::kRedflagRaised, std::nullopt, S::kReceived, StatusCode::kNotFound, "referral_id"},
      // The happy path along the pathway.
      {E::kReferralReturned, S::kAwaitingTriage, S::kReturnedIncomplete, kOk, ""},
      {E::kReferralResubmitted, S::kReturnedIncomplete, S::kAwaitingTriage, kOk, ""},
      {E::kTriageCompleted, S::kAwaitingTriage, S::kTriaged, kOk, ""},
      {E::kWaitlistAdded, S::kTriaged, S::kWaitingToBook, kOk, ""},
      {E::kAppointmentBooked, S::kWaitingToBook, S::kBooked, kOk, ""},
      {E::kAppointmentAttended, S::kBooked, S::kInTreatment, kOk, ""},
      {E::kAppointmentBooked, S::kInTreatment, S::kInTreatment, kOk, ""},
      {E::kAppointmentCancelled, S::kBooked, S::kWaitingToBook, kOk, ""},
      {E::kAppointmentDna, S::kBooked, S::kDischarged, kOk, ""},
      {E::kEpisodeDischarged, S::kInTreatment, S::kDischarged, kOk, ""},
      {E::kPifuOpened, S::kDischarged, S::kPifuWindow, kOk, ""},
      {E::kPifuRequested, S::kPifuWindow, S::kWaitingToBook, kOk, ""},
      {E::kPifuExpired, S::kPifuWindow, S::kClosed, kOk, ""},
      {E::kReferralClosed, S::kDischarged, S::kClosed, kOk, ""},
      {E::kOnwardReferred, S::kTriaged, S::kOnwardReferred, kOk, ""},
      {E::kReferralWithdrawn, S::kBooked, S::kWithdrawn, kOk, ""},
      // Types that leave the state unchanged, including on a finished referral.
      {E::kRedflagRaised, S::kAwaitingTriage, S::kAwaitingTriage, kOk, ""},
      {E::kOutcomeMskhq, S::kInTreatment, S::kInTreatment, kOk, ""},
      {E::kFeedbackFft, S::kClosed, S::kClosed, kOk, ""},
      {E::kRedflagRaised, S::kAwaitingTriage, S::kTriaged, kBad, "state_after"},
      {E::kFeedbackFft, S::kDischarged, S::kClosed, kBad, "state_after"},
      // A state the type never leaves a referral in.
      {E::kWaitlistAdded, S::kTriaged, S::kBooked, kBad, "state_after"},
      {E::kAppointmentAttended, S::kBooked, S::kDischarged, kBad, "state_after"},
      // A state the type allows, but not as a move from where the referral is.
      {E::kAppointmentBooked, S::kAwaitingTriage, S::kBooked, kIllegal, "state"},
      {E::kTriageCompleted, S::kWaitingToBook, S::kTriaged, kIllegal, "state"},
      {E::kPifuExpired, S::kBooked, S::kClosed, kIllegal, "state"},
      // A finished referral takes no further move, not even to the state it is in.
      {E::kReferralWithdrawn, S::kWithdrawn, S::kWithdrawn, kIllegal, "state"},
      {E::kReferralClosed, S::kClosed, S::kClosed, kIllegal, "state"},
      {E::kOnwardReferred, S::kOnwardReferred, S::kOnwardReferred, kIllegal, "state"},
      {E::kReferralClosed, S::kWithdrawn, S::kClosed, kIllegal, "state"},
  };
  for (const ValidateCase& c : cases) {
    SCOPED_TRACE(std::string(ToString(c.type)) + " from " +
                 (c.before ? std::string(ToString(*c.before)) : "nothing") + " to " +
                 std::string(ToString(c.after)));
    const Status status = ValidateEvent(MakeEvent(c.type, c.after, FullPayload(c.type)), c.before);
    EXPECT_EQ(status.code(), c.code) << status.ToString();
    if (!status.ok()) {
      EXPECT_EQ(status.field(), c.field);
    }
  }
}

TEST(EventTest, IllegalMoveNamesBothStates) {
  const Status status = ValidateEvent(
      MakeEvent(E::kAppointmentBooked, S::kBooked, FullPayload(E::kAppointmentBooked)),
      S::kAwaitingTriage);
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("'awaiting_triage'"));
  EXPECT_THAT(status.message(), HasSubstr("'booked'"));
}

TEST(EventTest, EveryMissingPayloadFieldIsNamed) {
  int checked = 0;
  for (E type : kAllTypes) {
    const auto required = SchemaOf(type).required_payload;
    for (std::string_view missing : required) {
      SCOPED_TRACE(std::string(ToString(type)) + " without " + std::string(missing));
      std::string payload = "{";
      for (std::string_view name : required) {
        if (name == missing) continue;
        if (payload.size() > 1) payload += ",";
        payload += "\"" + std::string(name) + "\":1";
      }
      payload += "}";
      // The payload is checked before the states, so any state will do.
      const Status status = ValidateEvent(MakeEvent(type, S::kReceived, payload), S::kReceived);
      EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
      EXPECT_EQ(status.field(), "payload");
      EXPECT_THAT(status.message(), HasSubstr("'" + std::string(missing) + "'"));
      ++checked;
    }
  }
  EXPECT_GT(checked, 15);
}

TEST(EventTest, PayloadMustBeAJsonObject) {
  for (std::string_view payload : {"", "[]", "42", "\"text\"", "null", "{", "{\"reason\":}",
                                   "not json", "{\"reason\":\"x\"} trailing"}) {
    SCOPED_TRACE(payload);
    const Status status = ValidateEvent(
        MakeEvent(E::kReferralWithdrawn, S::kWithdrawn, std::string(payload)), S::kBooked);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(status.field(), "payload");
  }
}

TEST(EventTest, IdentifyingFieldsAreRequired) {
  struct Case {
    void (*clear)(PathwayEvent&);
    std::string_view field;
  };
  const std::vector<Case> cases = {
      {[](PathwayEvent& e) { e.referral_id.clear(); }, "referral_id"},
      {[](PathwayEvent& e) { e.patient_key.clear(); }, "patient_key"},
      {[](PathwayEvent& e) { e.actor.clear(); }, "actor"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    PathwayEvent event = MakeEvent(E::kWaitlistAdded, S::kWaitingToBook, "{}");
    ASSERT_TRUE(ValidateEvent(event, S::kTriaged).ok());
    c.clear(event);
    const Status status = ValidateEvent(event, S::kTriaged);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(status.field(), c.field);
  }
}

}  // namespace
}  // namespace tendon
