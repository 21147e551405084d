#include "core/pathway.h"

#include <array>
#include <string>

#include "core/enum_names.h"

namespace tendon {
namespace {

using S = ReferralState;

constexpr std::array<EnumName<S>, kReferralStateCount> kStateNames{{
    {S::kReceived, "received"},
    {S::kReturnedIncomplete, "returned_incomplete"},
    {S::kAwaitingTriage, "awaiting_triage"},
    {S::kTriaged, "triaged"},
    {S::kWaitingToBook, "waiting_to_book"},
    {S::kBooked, "booked"},
    {S::kInTreatment, "in_treatment"},
    {S::kDischarged, "discharged"},
    {S::kPifuWindow, "pifu_window"},
    {S::kClosed, "closed"},
    {S::kWithdrawn, "withdrawn"},
    {S::kOnwardReferred, "onward_referred"},
}};
static_assert(kStateNames.back().value == S::kOnwardReferred && !kStateNames.back().name.empty(),
              "every state is named, in order");

constexpr std::array<EnumName<Priority>, 4> kPriorityNames{{
    {Priority::kEmergency, "emergency"},
    {Priority::kUrgent, "urgent"},
    {Priority::kPostOp, "post_op"},
    {Priority::kRoutine, "routine"},
}};

constexpr std::array<EnumName<Tier>, 2> kTierNames{{
    {Tier::kTier1, "tier1"},
    {Tier::kTier2, "tier2"},
}};

constexpr std::array<EnumName<ServiceLine>, 10> kServiceLineNames{{
    {ServiceLine::kPhysioline, "physioline"},
    {ServiceLine::kPhysiotherapy, "physiotherapy"},
    {ServiceLine::kSpinal, "spinal"},
    {ServiceLine::kUpperLimb, "upper_limb"},
    {ServiceLine::kLowerLimb, "lower_limb"},
    {ServiceLine::kHand, "hand"},
    {ServiceLine::kInjection, "injection"},
    {ServiceLine::kPodiatry, "podiatry"},
    {ServiceLine::kOrthotics, "orthotics"},
    {ServiceLine::kPainManagement, "pain_management"},
}};

constexpr std::array<EnumName<OnwardDestination>, 5> kDestinationNames{{
    {OnwardDestination::kOrthopaedics, "orthopaedics"},
    {OnwardDestination::kRheumatology, "rheumatology"},
    {OnwardDestination::kPain, "pain"},
    {OnwardDestination::kPaediatrics, "paediatrics"},
    {OnwardDestination::kDiagnostics, "diagnostics"},
}};

constexpr std::array<EnumName<ReferralSource>, 5> kSourceNames{{
    {ReferralSource::kGp, "gp"},
    {ReferralSource::kSelf, "self"},
    {ReferralSource::kFcp, "fcp"},
    {ReferralSource::kHospital, "hospital"},
    {ReferralSource::kTransfer, "transfer"},
}};

// The legal moves of DESIGN.md's pathway. Cancellations and DNAs send a booked referral back to the
// booking list or to discharge; a PIFU request sends a referral in its window back to the booking
// list.
constexpr std::array kFromReceived{S::kReturnedIncomplete, S::kAwaitingTriage, S::kWithdrawn};
constexpr std::array kFromReturned{S::kAwaitingTriage, S::kWithdrawn};
constexpr std::array kFromAwaitingTriage{S::kTriaged, S::kReturnedIncomplete, S::kOnwardReferred,
                                         S::kDischarged, S::kWithdrawn};
constexpr std::array kFromTriaged{S::kWaitingToBook, S::kOnwardReferred, S::kDischarged,
                                  S::kWithdrawn};
constexpr std::array kFromWaitingToBook{S::kBooked, S::kOnwardReferred, S::kDischarged,
                                        S::kWithdrawn};
constexpr std::array kFromBooked{S::kInTreatment, S::kWaitingToBook, S::kDischarged,
                                 S::kOnwardReferred, S::kWithdrawn};
constexpr std::array kFromInTreatment{S::kWaitingToBook, S::kDischarged, S::kOnwardReferred,
                                      S::kWithdrawn};
constexpr std::array kFromDischarged{S::kPifuWindow, S::kClosed};
constexpr std::array kFromPifuWindow{S::kWaitingToBook, S::kClosed};

}  // namespace

std::string_view ToString(ReferralState s) { return NameIn(kStateNames, s); }
std::string_view ToString(Priority p) { return NameIn(kPriorityNames, p); }
std::string_view ToString(Tier t) { return NameIn(kTierNames, t); }
std::string_view ToString(ServiceLine l) { return NameIn(kServiceLineNames, l); }
std::string_view ToString(OnwardDestination d) { return NameIn(kDestinationNames, d); }
std::string_view ToString(ReferralSource s) { return NameIn(kSourceNames, s); }

StatusOr<ReferralState> ParseReferralState(std::string_view name, std::string_view field) {
  return ParseIn(kStateNames, name, field, "referral state");
}
StatusOr<Priority> ParsePriority(std::string_view name, std::string_view field) {
  return ParseIn(kPriorityNames, name, field, "priority");
}
StatusOr<Tier> ParseTier(std::string_view name, std::string_view field) {
  return ParseIn(kTierNames, name, field, "tier");
}
StatusOr<ServiceLine> ParseServiceLine(std::string_view name, std::string_view field) {
  return ParseIn(kServiceLineNames, name, field, "service line");
}
StatusOr<OnwardDestination> ParseOnwardDestination(std::string_view name, std::string_view field) {
  return ParseIn(kDestinationNames, name, field, "onward destination");
}
StatusOr<ReferralSource> ParseReferralSource(std::string_view name, std::string_view field) {
  return ParseIn(kSourceNames, name, field, "referral source");
}

Tier TierOf(ServiceLine line) {
  return (line == ServiceLine::kPhysioline || line == ServiceLine::kPhysiotherapy) ? Tier::kTier1
                                                                                   : Tier::kTier2;
}

bool IsTerminal(ReferralState s) {
  return s == S::kClosed || s == S::kWithdrawn || s == S::kOnwardReferred;
}

std::span<const ReferralState> NextStates(ReferralState from) {
  switch (from) {
    case S::kReceived:
      return kFromReceived;
    case S::kReturnedIncomplete:
      return kFromReturned;
    case S::kAwaitingTriage:
      return kFromAwaitingTriage;
    case S::kTriaged:
      return kFromTriaged;
    case S::kWaitingToBook:
      return kFromWaitingToBook;
    case S::kBooked:
      return kFromBooked;
    case S::kInTreatment:
      return kFromInTreatment;
    case S::kDischarged:
      return kFromDischarged;
    case S::kPifuWindow:
      return kFromPifuWindow;
    case S::kClosed:
    case S::kWithdrawn:
    case S::kOnwardReferred:
      return {};
  }
  return {};
}

Status CheckTransition(ReferralState from, ReferralState to) {
  for (ReferralState next : NextStates(from)) {
    if (next == to) return OkStatus();
  }
  return FailedPreconditionError("a referral cannot move from '" + std::string(ToString(from)) +
                                     "' to '" + std::string(ToString(to)) + "'",
                                 "state");
}

}  // namespace tendon
