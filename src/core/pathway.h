// The vocabulary of the pathway: referral states and the legal moves between them, priorities,
// tiers, service lines, onward destinations and referral sources. See DESIGN.md, "The pathway".
//
// Every enum has a stable lower_snake_case name used in storage, JSON and data files.
#ifndef TENDON_CORE_PATHWAY_H_
#define TENDON_CORE_PATHWAY_H_

#include <span>
#include <string_view>

#include "core/status.h"

namespace tendon {

enum class ReferralState {
  kReceived,
  kReturnedIncomplete,
  kAwaitingTriage,
  kTriaged,
  kWaitingToBook,
  kBooked,
  kInTreatment,
  kDischarged,
  kPifuWindow,
  kClosed,
  kWithdrawn,
  kOnwardReferred,  // The last: kReferralStateCount counts to here.
};
inline constexpr std::size_t kReferralStateCount =
    static_cast<std::size_t>(ReferralState::kOnwardReferred) + 1;

// Order matters: a lower value is seen first (emergency before urgent before post-op before
// routine).
enum class Priority { kEmergency, kUrgent, kPostOp, kRoutine };

enum class Tier { kTier1, kTier2 };

// Where within a tier a referral is treated. Tier 1: physioline (telephone assessment) and
// physiotherapy. Tier 2: the specialist lines.
enum class ServiceLine {
  kPhysioline,
  kPhysiotherapy,
  kSpinal,
  kUpperLimb,
  kLowerLimb,
  kHand,
  kInjection,
  kPodiatry,
  kOrthotics,
  kPainManagement,
};

// Destinations outside the community service.
enum class OnwardDestination { kOrthopaedics, kRheumatology, kPain, kPaediatrics, kDiagnostics };

// How the referral reached the service. Self-referrals go to tier 1 only.
enum class ReferralSource { kGp, kSelf, kFcp, kHospital, kTransfer };

std::string_view ToString(ReferralState s);
std::string_view ToString(Priority p);
std::string_view ToString(Tier t);
std::string_view ToString(ServiceLine l);
std::string_view ToString(OnwardDestination d);
std::string_view ToString(ReferralSource s);

// Parsers: InvalidArgument naming `field` and listing the accepted names when `name` is not one.
StatusOr<ReferralState> ParseReferralState(std::string_view name, std::string_view field = "state");
StatusOr<Priority> ParsePriority(std::string_view name, std::string_view field = "priority");
StatusOr<Tier> ParseTier(std::string_view name, std::string_view field = "tier");
StatusOr<ServiceLine> ParseServiceLine(std::string_view name,
                                       std::string_view field = "service_line");
StatusOr<OnwardDestination> ParseOnwardDestination(std::string_view name,
                                                   std::string_view field = "destination");
StatusOr<ReferralSource> ParseReferralSource(std::string_view name,
                                             std::string_view field = "source");

// The tier a service line belongs to.
Tier TierOf(ServiceLine line);

// A referral in a terminal state (closed, withdrawn, onward_referred) needs nothing more; every
// other state is open and must have an owner and a next-action due time.
bool IsTerminal(ReferralState s);

// The states reachable from `from` in one legal move.
std::span<const ReferralState> NextStates(ReferralState from);

// OK when moving from `from` to `to` is legal; FailedPrecondition naming both states otherwise.
// Staying in the same state is not a transition and is refused here too.
Status CheckTransition(ReferralState from, ReferralState to);

}  // namespace tendon

#endif  // TENDON_CORE_PATHWAY_H_
