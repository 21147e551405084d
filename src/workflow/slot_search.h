// Slot search over the store's free slots (the booking issue): reading a search request, where a
// patient is, the earliest or nearest slots for a need within the patient's preferences, and the
// next-available figures. Reads only: nothing here writes to the store.
#ifndef TENDON_WORKFLOW_SLOT_SEARCH_H_
#define TENDON_WORKFLOW_SLOT_SEARCH_H_

#include <chrono>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/service.h"
#include "scheduling/next_available.h"
#include "scheduling/search.h"
#include "workflow/workflow.h"

namespace tendon::workflow {

enum class SearchOrder { kEarliest, kNearest };
std::string_view ToString(SearchOrder order);  // "earliest", "nearest"

inline constexpr std::size_t kDefaultSearchLimit = 10;
inline constexpr std::size_t kMaxSearchLimit = 50;
// How far ahead a search and the next-available figures look.
inline constexpr std::chrono::weeks kSearchHorizon{26};

struct SlotSearchRequest {
  // The referral whose need and patient are searched for; or, when empty, `need`.
  std::string referral_id;
  std::optional<scheduling::Need> need;
  // With an explicit need: the patient's postcode district ("OX3"), for the nearest slots.
  std::string postcode_district;
  scheduling::Preferences preferences;
  SearchOrder order = SearchOrder::kEarliest;
  std::size_t limit = kDefaultSearchLimit;
};

// Reads a search from JSON:
//   {"referral_id": text} or {"need": {"type", "modality", "priority", "skill"}} (exactly one;
//     type is required; modality any when absent; priority routine when absent),
//   "postcode_district": text (explicit need only),
//   "preferences": {"sites": [site id], "weekdays": [1-7], "earliest_time": "HH:MM",
//                   "latest_time": "HH:MM", "modalities": [modality], "max_km": number},
//   "order": "earliest" (default) or "nearest", "limit": 1 to kMaxSearchLimit (default 10).
// Every malformed field is listed with its dotted path ("preferences.max_km", "need.type"), as is
// any field not listed here (a misspelt field must not widen a search silently).
Parsed<SlotSearchRequest> ParseSlotSearch(const nlohmann::json& body);

// "09:30" -> 570 minutes past midnight; "24:00" is the end of the day (1440). InvalidArgument
// naming `field` for anything but two-digit hours and minutes in range.
StatusOr<int> ParseClockTime(std::string_view text, std::string_view field);
// 570 -> "09:30".
std::string FormatClockTime(int minutes);

// Where a patient with `postcode` is: the centre of its district in `districts`; unknown when the
// postcode is empty or malformed, or its district is not listed.
scheduling::Origin OriginOf(std::string_view postcode,
                            const std::vector<config::PostcodeDistrict>& districts);
// As OriginOf, from a district alone ("OX3").
scheduling::Origin OriginOfDistrict(std::string_view district,
                                    const std::vector<config::PostcodeDistrict>& districts);

// The free, running slots for `need` within `prefs` from `now` to now + kSearchHorizon, at most
// `limit`: earliest first, or nearest to `origin` first (scheduling/search.h says how ties and
// unknown distances fall). Clinicians' skills and sites' places are read from the store. Errors:
// the store's.
StatusOr<std::vector<scheduling::Candidate>> SearchFreeSlots(
    const Env& env, const scheduling::Need& need, const scheduling::Preferences& prefs,
    const scheduling::Origin& origin, SearchOrder order, std::size_t limit, Instant now);

// The need of a stored referral (need.h's NeedOf over its events). NotFound for an unknown
// referral; FailedPrecondition when it was never accepted at triage.
StatusOr<scheduling::Need> ReferralNeed(const Env& env, std::string_view referral_id);

// scheduling::NextAvailableByTier over the store's free slots from `now` to now + kSearchHorizon
// and its clinicians. No patient data is read.
StatusOr<std::vector<scheduling::NextAvailableFigure>> NextAvailable(const Env& env, Instant now);

}  // namespace tendon::workflow

#endif  // TENDON_WORKFLOW_SLOT_SEARCH_H_
