// The waiting list and its allocation (the booking issue, point 5): the referrals waiting to book
// with what each needs and where its patient is; the allocator's proposal of a slot for each
// (scheduling/allocate.h) beside first-come-first-served; and a coordinator's confirmation of
// chosen proposals, booked together or not at all.
#ifndef TENDON_WORKFLOW_WAITING_LIST_H_
#define TENDON_WORKFLOW_WAITING_LIST_H_

#include <chrono>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "config/service.h"
#include "core/records.h"
#include "core/schedule.h"
#include "core/status.h"
#include "scheduling/allocate.h"
#include "scheduling/search.h"
#include "workflow/workflow.h"

namespace tendon::workflow {

// The most referrals ReadWaitingList reads.
inline constexpr int kMaxWaitingList = 20'000;

// One referral waiting to book.
struct WaitingListItem {
  Referral referral;
  // When it last joined the list. A cancellation by the service does not restart the wait: the
  // patient did nothing to lose their place.
  Instant waiting_since{};
  // The event that returned it to the list was a cancellation by the service marked
  // "rebook_first" (a clinician unavailable): it goes before others of its priority.
  bool rebook_first = false;
  // What it needs booked (need.h NeedOf); none when it was never accepted at triage (a transfer,
  // say), so that a coordinator must book it by hand.
  std::optional<scheduling::Need> need;
  scheduling::Origin origin;      // The centre of the patient's postcode district, when known.
  std::string postcode_district;  // "OX3"; empty when the patient's postcode is missing or bad.
};

// Every referral waiting to book (at most kMaxWaitingList, the first registered first), in the
// allocator's order: priority, rebook_first, the longest waiting, then reference. Origins come
// from `districts` (slot_search.h OriginOf). Reads only: the caller audits what it shows. Errors:
// the store's.
StatusOr<std::vector<WaitingListItem>> ReadWaitingList(
    const Env& env, const std::vector<config::PostcodeDistrict>& districts);

// The longest horizon a coordinator may ask an allocation to look over, and the farthest travel
// limit (a limit of 0 means any distance).
inline constexpr std::chrono::weeks kMaxAllocationHorizon{26};
inline constexpr double kMaxTravelLimitKm = 200;

// Reads allocation options from JSON, every member optional and given as a number or as text (as a
// form sends it): "max_km" (from 0, any distance, to kMaxTravelLimitKm; default
// scheduling::kDefaultMaxTravelKm) and "horizon_weeks" (a whole number from 1 to
// kMaxAllocationHorizon; default 8). Every malformed member is listed, as is any member not named
// here.
Parsed<scheduling::AllocationOptions> ParseAllocationOptions(const nlohmann::json& body);

// What ProposeAllocation proposes.
struct ProposedAllocation {
  // The waiting list's referrals whose need is known, in list order, as the allocator took them;
  // allocation.proposals and allocation.unplaced index this.
  std::vector<WaitingListItem> items;
  scheduling::Allocation allocation;
  // Referrals on the list whose need is unknown: not allocated, to be booked by hand.
  std::vector<WaitingListItem> by_hand;
};

// The allocator's proposal (scheduling::Allocate) for the waiting list over the free, running
// slots from `now` to now + options.horizon, with the sites' places and clinicians' skills from
// the store. Proposes only: nothing is booked. Errors: the store's.
StatusOr<ProposedAllocation> ProposeAllocation(
    const Env& env, const std::vector<config::PostcodeDistrict>& districts, Instant now,
    const scheduling::AllocationOptions& options);

// The allocator and first-come-first-served on the same list and slots, judged by the same
// figures.
struct AllocationComparison {
  scheduling::AllocationFigures allocator;
  scheduling::AllocationFigures first_come_first_served;
  int by_hand = 0;  // Referrals on the list whose need is unknown, in neither.
};
StatusOr<AllocationComparison> CompareAllocations(
    const Env& env, const std::vector<config::PostcodeDistrict>& districts, Instant now,
    const scheduling::AllocationOptions& options);

// A proposal the coordinator chose to confirm.
struct ChosenProposal {
  std::string referral_id;
  std::string slot_id;
};

// The most proposals one confirmation books, and the longest batch key.
inline constexpr std::size_t kMaxConfirmedProposals = 1000;
inline constexpr std::size_t kMaxBatchKey = 100;

struct ConfirmRequest {
  // The client's key for the batch (a proposal page makes a fresh random one). Each booking's
  // idempotency key is "<batch_key>:<referral_id>", so a confirmation sent twice books once.
  std::string batch_key;
  std::vector<ChosenProposal> proposals;
};

// Reads {"batch_key": text, "proposals": [{"referral_id": text, "slot_id": text}, ...]}. Every
// malformed field is listed with its path ("proposals[2].slot_id"): a missing batch key or id, no
// proposals, more than kMaxConfirmedProposals, a referral proposed twice, a member not named here.
Parsed<ConfirmRequest> ParseConfirmRequest(const nlohmann::json& body);

// Books every proposal of `request` in ONE transaction, each with Book's checks, its
// appointment.booked event and an audit row "appointment.book.allocation": all or nothing. When a
// proposal cannot be booked (its slot taken, full, cancelled, started, or kept for others; its
// referral no longer waiting to book; either unknown) nothing is booked and the answer is the
// first refusal, with its code (Aborted for a full slot, FailedPrecondition, NotFound) and a field
// naming the proposal, "proposals[i].slot_id" or "proposals[i].referral_id"; `refusals`, when
// given, receives every refusal so, for the coordinator to propose again. A request already
// confirmed under the same batch key returns the same appointments and books nothing more.
// Returns the appointments in the order of the proposals. InvalidArgument for a request
// ParseConfirmRequest would refuse.
StatusOr<std::vector<Appointment>> ConfirmAllocation(const Env& env, const Actor& actor,
                                                     const ConfirmRequest& request, Instant now,
                                                     std::vector<FieldError>* refusals = nullptr);

}  // namespace tendon::workflow

#endif  // TENDON_WORKFLOW_WAITING_LIST_H_
