#include "core/pathway.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace tendon {
namespace {

using S = ReferralState;
using ::testing::HasSubstr;

constexpr std::array kAllStates{
    S::kReceived,  S::kReturnedIncomplete, S::kAwaitingTriage, S::kTriaged,    S::kWaitingToBook,
    S::kBooked,    S::kInTreatment,        S::kDischarged,     S::kPifuWindow, S::kClosed,
    S::kWithdrawn, S::kOnwardReferred,
};

// Every legal move, written out from DESIGN.md's pathway independently of pathway.cc.
const std::set<std::pair<S, S>> kLegal = {
    {S::kReceived, S::kReturnedIncomplete},
    {S::kReceived, S::kAwaitingTriage},
    {S::kReceived, S::kWithdrawn},
    {S::kReturnedIncomplete, S::kAwaitingTriage},
    {S::kReturnedIncomplete, S::kWithdrawn},
    {S::kAwaitingTriage, S::kTriaged},
    {S::kAwaitingTriage, S::kReturnedIncomplete},
    {S::kAwaitingTriage, S::kOnwardReferred},
    {S::kAwaitingTriage, S::kDischarged},
    {S::kAwaitingTriage, S::kWithdrawn},
    {S::kTriaged, S::kWaitingToBook},
    {S::kTriaged, S::kOnwardReferred},
    {S::kTriaged, S::kDischarged},
    {S::kTriaged, S::kWithdrawn},
    {S::kWaitingToBook, S::kBooked},
    {S::kWaitingToBook, S::kOnwardReferred},
    {S::kWaitingToBook, S::kDischarged},
    {S::kWaitingToBook, S::kWithdrawn},
    {S::kBooked, S::kInTreatment},
    {S::kBooked, S::kWaitingToBook},
    {S::kBooked, S::kDischarged},
    {S::kBooked, S::kOnwardReferred},
    {S::kBooked, S::kWithdrawn},
    {S::kInTreatment, S::kWaitingToBook},
    {S::kInTreatment, S::kDischarged},
    {S::kInTreatment, S::kOnwardReferred},
    {S::kInTreatment, S::kWithdrawn},
    {S::kDischarged, S::kPifuWindow},
    {S::kDischarged, S::kClosed},
    {S::kPifuWindow, S::kWaitingToBook},
    {S::kPifuWindow, S::kClosed},
};

TEST(PathwayTest, EveryPairOfStatesIsLegalExactlyWhenListed) {
  int legal = 0;
  for (S from : kAllStates) {
    for (S to : kAllStates) {
      SCOPED_TRACE(std::string(ToString(from)) + " -> " + std::string(ToString(to)));
      const Status status = CheckTransition(from, to);
      if (kLegal.contains({from, to})) {
        EXPECT_TRUE(status.ok()) << status.ToString();
        ++legal;
        continue;
      }
      EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
      EXPECT_THAT(status.message(), HasSubstr("'" + std::string(ToString(from)) + "'"));
      EXPECT_THAT(status.message(), HasSubstr("'" + std::string(ToString(to)) + "'"));
      EXPECT_EQ(status.field(), "state");
    }
  }
  EXPECT_EQ(legal, static_cast<int>(kLegal.size()));
}

TEST(PathwayTest, NextStatesListsExactlyTheLegalMoves) {
  for (S from : kAllStates) {
    SCOPED_TRACE(ToString(from));
    std::set<S> expected;
    for (const auto& [f, t] : kLegal) {
      if (f == from) expected.insert(t);
    }
    const auto next = NextStates(from);
    EXPECT_EQ(std::set<S>(next.begin(), next.end()), expected);
    EXPECT_EQ(next.size(), expected.size()) << "NextStates lists a state twice";
  }
}

TEST(PathwayTest, TerminalStatesAreExactlyClosedWithdrawnAndOnwardReferred) {
  const std::set<S> terminal = {S::kClosed, S::kWithdrawn, S::kOnwardReferred};
  for (S s : kAllStates) {
    SCOPED_TRACE(ToString(s));
    EXPECT_EQ(IsTerminal(s), terminal.contains(s));
    EXPECT_EQ(NextStates(s).empty(), IsTerminal(s));
  }
}

// No referral is silently dropped: from every state some path of legal moves ends in a terminal
// one.
TEST(PathwayTest, EveryStateCanReachATerminalState) {
  for (S start : kAllStates) {
    SCOPED_TRACE(ToString(start));
    std::set<S> seen = {start};
    std::vector<S> frontier = {start};
    bool reached = false;
    while (!frontier.empty() && !reached) {
      const S s = frontier.back();
      frontier.pop_back();
      reached = IsTerminal(s);
      for (S next : NextStates(s)) {
        if (seen.insert(next).second) frontier.push_back(next);
      }
    }
    EXPECT_TRUE(reached);
  }
}

TEST(PathwayTest, EveryStateIsReachableFromReceived) {
  std::set<S> seen = {S::kReceived};
  std::vector<S> frontier = {S::kReceived};
  while (!frontier.empty()) {
    const S s = frontier.back();
    frontier.pop_back();
    for (S next : NextStates(s)) {
      if (seen.insert(next).second) frontier.push_back(next);
    }
  }
  EXPECT_EQ(seen.size(), kAllStates.size());
}

bool IsLowerSnakeCase(std::string_view name) {
  if (name.empty() || name.front() == '_' || name.back() == '_') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Checks that every value prints a distinct lower_snake_case name that parses back to it, and that
// an unknown name is refused naming `field` and listing the names.
template <typename E, typename Parse>
void ExpectRoundTrip(std::span<const E> values, Parse parse, std::string_view field) {
  std::set<std::string_view> names;
  for (E value : values) {
    const std::string_view name = ToString(value);
    SCOPED_TRACE(name);
    EXPECT_TRUE(IsLowerSnakeCase(name));
    EXPECT_TRUE(names.insert(name).second) << "duplicate name";
    const auto parsed = parse(name, field);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(*parsed, value);
  }
  for (std::string_view bad : {"", "Unknown", "ROUTINE", " routine", "routine "}) {
    const auto parsed = parse(bad, field);
    ASSERT_FALSE(parsed.ok()) << "'" << bad << "' parsed";
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(parsed.status().field(), field);
    EXPECT_THAT(parsed.status().message(), HasSubstr(std::string(ToString(values.back()))));
  }
}

TEST(PathwayTest, EveryEnumRoundTripsThroughItsName) {
  ExpectRoundTrip<S>(kAllStates, ParseReferralState, "state");
  constexpr std::array kPriorities{Priority::kEmergency, Priority::kUrgent, Priority::kPostOp,
                                   Priority::kRoutine};
  ExpectRoundTrip<Priority>(kPriorities, ParsePriority, "priority");
  constexpr std::array kTiers{Tier::kTier1, Tier::kTier2};
  ExpectRoundTrip<Tier>(kTiers, ParseTier, "tier");
  constexpr std::array kLines{ServiceLine::kPhysioline, ServiceLine::kPhysiotherapy,
                              ServiceLine::kSpinal,     ServiceLine::kUpperLimb,
                              ServiceLine::kLowerLimb,  ServiceLine::kHand,
                              ServiceLine::kInjection,  ServiceLine::kPodiatry,
                              ServiceLine::kOrthotics,  ServiceLine::kPainManagement};
  ExpectRoundTrip<ServiceLine>(kLines, ParseServiceLine, "service_line");
  constexpr std::array kDestinations{
      OnwardDestination::kOrthopaedics, OnwardDestination::kRheumatology, OnwardDestination::kPain,
      OnwardDestination::kPaediatrics, OnwardDestination::kDiagnostics};
  ExpectRoundTrip<OnwardDestination>(kDestinations, ParseOnwardDestination, "destination");
  constexpr std::array kSources{ReferralSource::kGp, ReferralSource::kSelf, ReferralSource::kFcp,
                                ReferralSource::kHospital, ReferralSource::kTransfer};
  ExpectRoundTrip<ReferralSource>(kSources, ParseReferralSource, "source");
}

TEST(PathwayTest, StoredNamesNeverChange) {
  EXPECT_EQ(ToString(S::kReturnedIncomplete), "returned_incomplete");
  EXPECT_EQ(ToString(S::kPifuWindow), "pifu_window");
  EXPECT_EQ(ToString(Priority::kPostOp), "post_op");
  EXPECT_EQ(ToString(Tier::kTier2), "tier2");
  EXPECT_EQ(ToString(ServiceLine::kPainManagement), "pain_management");
  EXPECT_EQ(ToString(ReferralSource::kFcp), "fcp");
}

TEST(PathwayTest, ParseErrorListsTheAcceptedNames) {
  const auto parsed = ParsePriority("soon");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().ToString(),
            "InvalidArgument: priority: 'soon' is not a priority; expected emergency, urgent, "
            "post_op or routine");
}

TEST(PathwayTest, PrioritiesOrderMostPressingFirst) {
  EXPECT_LT(Priority::kEmergency, Priority::kUrgent);
  EXPECT_LT(Priority::kUrgent, Priority::kPostOp);
  EXPECT_LT(Priority::kPostOp, Priority::kRoutine);
}

TEST(PathwayTest, TierOfEachServiceLine) {
  const std::vector<std::pair<ServiceLine, Tier>> cases = {
      {ServiceLine::kPhysioline, Tier::kTier1}, {ServiceLine::kPhysiotherapy, Tier::kTier1},
      {ServiceLine::kSpinal, Tier::kTier2},     {ServiceLine::kUpperLimb, Tier::kTier2},
      {ServiceLine::kLowerLimb, Tier::kTier2},  {ServiceLine::kHand, Tier::kTier2},
      {ServiceLine::kInjection, Tier::kTier2},  {ServiceLine::kPodiatry, Tier::kTier2},
      {ServiceLine::kOrthotics, Tier::kTier2},  {ServiceLine::kPainManagement, Tier::kTier2},
  };
  for (const auto& [line, tier] : cases) {
    SCOPED_TRACE(ToString(line));
    EXPECT_EQ(TierOf(line), tier);
  }
}

}  // namespace
}  // namespace tendon
