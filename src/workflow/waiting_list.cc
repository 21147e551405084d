#include "workflow/waiting_list.h"

#include <algorithm>
#include <set>
#include <span>
#include <tuple>

#include "core/postcode.h"
#include "workflow/booking.h"
#include "workflow/internal.h"
#include "workflow/need.h"
#include "workflow/slot_search.h"

namespace tendon::workflow {
namespace {

using nlohmann::json;

// What the allocations read besides the list: the free slots and where and who they are.
struct SlotData {
  std::vector<Slot> slots;  // By start, as ListSlots gives them.
  scheduling::SiteLocations sites;
  scheduling::ClinicianSkills skills;
};

// Sets when the referral last joined the list and whether it is to be rebooked first, from its
// events in recorded order.
void ReadJoining(std::span<const PathwayEvent> events, WaitingListItem& item) {
  std::optional<Instant> since;
  ReferralState before = ReferralState::kReceived;
  for (const PathwayEvent& e : events) {
    const bool joins =
        e.state_after == ReferralState::kWaitingToBook && before != ReferralState::kWaitingToBook;
    before = e.state_after;
    if (!joins) continue;
    const json payload = json::parse(e.payload, nullptr, /*allow_exceptions=*/false);
    const bool by_service = e.type == EventType::kAppointmentCancelled && payload.is_object() &&
                            payload.contains("by") && payload["by"] == "service";
    item.rebook_first =
        by_service && payload.contains("rebook_first") && payload["rebook_first"] == true;
    if (!by_service || !since) since = e.occurred_at;
  }
  item.waiting_since = since.value_or(item.referral.updated_at);
}

StatusOr<WaitingListItem> ReadItem(const Env& env, Referral referral,
                                   const std::vector<config::PostcodeDistrict>& districts) {
  ASSIGN_OR_RETURN(std::vector<PathwayEvent> events, env.store.ListEvents(referral.id));
  ASSIGN_OR_RETURN(Patient patient, env.store.GetPatient(referral.patient_key));
  WaitingListItem item;
  item.referral = std::move(referral);
  ReadJoining(events, item);
  if (auto need = NeedOf(events); need.ok()) {
    item.need = *need;
    item.need->priority = item.referral.priority;
  }
  if (auto postcode = ParsePostcode(patient.postcode); postcode.ok()) {
    item.postcode_district = postcode->district();
    item.origin = OriginOfDistrict(item.postcode_district, districts);
  }
  return item;
}

StatusOr<SlotData> ReadFreeSlots(const Env& env, Instant now,
                                 const scheduling::AllocationOptions& options) {
  store::SlotQuery query;
  query.from = now;
  query.to = now + options.horizon;
  query.free_only = true;
  SlotData data;
  ASSIGN_OR_RETURN(data.slots, env.store.ListSlots(query));
  ASSIGN_OR_RETURN(std::vector<Site> sites, env.store.ListSites());
  ASSIGN_OR_RETURN(std::vector<Clinician> clinicians, env.store.ListClinicians());
  for (const Site& s : sites) data.sites.emplace(s.id, scheduling::LatLon{s.latitude, s.longitude});
  for (Clinician& c : clinicians) data.skills.emplace(c.id, std::move(c.skills));
  return data;
}

// The list split into what the allocator takes (with their entries) and what it cannot.
struct SplitList {
  std::vector<WaitingListItem> items;
  std::vector<scheduling::WaitingEntry> entries;  // One per item.
  std::vector<WaitingListItem> by_hand;
};

SplitList Split(std::vector<WaitingListItem> list) {
  SplitList split;
  for (WaitingListItem& item : list) {
    if (!item.need) {
      split.by_hand.push_back(std::move(item));
      continue;
    }
    split.entries.push_back(
        {item.referral.id, *item.need, item.rebook_first, item.waiting_since, item.origin});
    split.items.push_back(std::move(item));
  }
  return split;
}

// Notes what is wrong with a confirmation's batch key and proposals, leaving out any field that
// `errors` names already, itself or its object (one refused as malformed is not refused again as
// missing).
void CheckConfirm(const ConfirmRequest& request, std::vector<FieldError>& errors) {
  const std::size_t earlier = errors.size();
  const auto note = [&](std::string field, std::string message) {
    const auto named = [&](const FieldError& e) {
      return e.field == field || field.rfind(e.field + ".", 0) == 0;
    };
    if (std::none_of(errors.begin(), errors.begin() + static_cast<std::ptrdiff_t>(earlier),
                     named)) {
      errors.push_back({std::move(field), std::move(message)});
    }
  };
  if (request.batch_key.empty()) note("batch_key", "is required");
  if (request.batch_key.size() > kMaxBatchKey) {
    note("batch_key", "must be at most " + std::to_string(kMaxBatchKey) + " characters");
  }
  if (request.proposals.empty()) note("proposals", "choose at least one proposal to confirm");
  if (request.proposals.size() > kMaxConfirmedProposals) {
    note("proposals",
         "confirm at most " + std::to_string(kMaxConfirmedProposals) + " proposals at once");
  }
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < request.proposals.size(); ++i) {
    const ChosenProposal& p = request.proposals[i];
    const std::string at = "proposals[" + std::to_string(i) + "].";
    if (p.referral_id.empty()) note(at + "referral_id", "is required");
    if (p.slot_id.empty()) note(at + "slot_id", "is required");
    if (!p.referral_id.empty() && !seen.insert(p.referral_id).second) {
      note(at + "referral_id", "is proposed twice; choose one slot for it");
    }
  }
}

// A refusal of proposal `i`, naming its referral or, for anything about the slot or the booking,
// its slot.
Status RefusalOf(std::size_t i, const Status& status) {
  const std::string field = status.field() == "referral_id" ? "referral_id" : "slot_id";
  return Status(status.code(), status.message(), "proposals[" + std::to_string(i) + "]." + field);
}

bool StoreFailure(StatusCode code) {
  return code == StatusCode::kUnavailable || code == StatusCode::kInternal;
}

}  // namespace

StatusOr<std::vector<WaitingListItem>> ReadWaitingList(
    const Env& env, const std::vector<config::PostcodeDistrict>& districts) {
  ASSIGN_OR_RETURN(std::vector<Referral> waiting,
                   env.store.ListReferralsInState(ReferralState::kWaitingToBook, kMaxWaitingList));
  std::vector<WaitingListItem> items;
  items.reserve(waiting.size());
  for (Referral& r : waiting) {
    ASSIGN_OR_RETURN(WaitingListItem item, ReadItem(env, std::move(r), districts));
    items.push_back(std::move(item));
  }
  std::sort(items.begin(), items.end(), [](const WaitingListItem& a, const WaitingListItem& b) {
    const auto key = [](const WaitingListItem& i) {
      return std::tuple<Priority, bool, Instant, const std::string&>(
          i.referral.priority, !i.rebook_first, i.waiting_since, i.referral.id);
    };
    return key(a) < key(b);
  });
  return items;
}

Parsed<scheduling::AllocationOptions> ParseAllocationOptions(const json& body) {
  Parsed<scheduling::AllocationOptions> parsed;
  if (!body.is_object()) {
    parsed.errors.push_back({"body", "must be a JSON object"});
    return parsed;
  }
  scheduling::AllocationOptions options;
  internal::FieldReader reader(body, "", parsed.errors);
  if (const std::optional<double> km = reader.Number("max_km")) {
    if (*km >= 0 && *km <= kMaxTravelLimitKm) {
      options.max_km = *km;
    } else {
      reader.Fail("max_km", "must be from 0 (any distance) to " +
                                std::to_string(static_cast<int>(kMaxTravelLimitKm)) + " km");
    }
  }
  if (const std::optional<int> weeks = reader.Int("horizon_weeks")) {
    const int most = static_cast<int>(kMaxAllocationHorizon.count());
    if (*weeks >= 1 && *weeks <= most) {
      options.horizon = std::chrono::weeks(*weeks);
    } else {
      reader.Fail("horizon_weeks", "must be from 1 to " + std::to_string(most) + " weeks");
    }
  }
  reader.RefuseUnknown();
  if (parsed.errors.empty()) parsed.value = options;
  return parsed;
}

StatusOr<ProposedAllocation> ProposeAllocation(
    const Env& env, const std::vector<config::PostcodeDistrict>& districts, Instant now,
    const scheduling::AllocationOptions& options) {
  ASSIGN_OR_RETURN(std::vector<WaitingListItem> list, ReadWaitingList(env, districts));
  ASSIGN_OR_RETURN(SlotData data, ReadFreeSlots(env, now, options));
  SplitList split = Split(std::move(list));
  ProposedAllocation proposed;
  proposed.allocation =
      scheduling::Allocate(split.entries, data.slots, data.sites, data.skills, now, options);
  proposed.items = std::move(split.items);
  proposed.by_hand = std::move(split.by_hand);
  return proposed;
}

StatusOr<AllocationComparison> CompareAllocations(
    const Env& env, const std::vector<config::PostcodeDistrict>& districts, Instant now,
    const scheduling::AllocationOptions& options) {
  ASSIGN_OR_RETURN(std::vector<WaitingListItem> list, ReadWaitingList(env, districts));
  ASSIGN_OR_RETURN(SlotData data, ReadFreeSlots(env, now, options));
  const SplitList split = Split(std::move(list));
  AllocationComparison comparison;
  comparison.allocator = scheduling::Figures(
      split.entries,
      scheduling::Allocate(split.entries, data.slots, data.sites, data.skills, now, options));
  comparison.first_come_first_served = scheduling::Figures(
      split.entries, scheduling::AllocateFirstComeFirstServed(split.entries, data.slots, data.sites,
                                                              data.skills, now, options));
  comparison.by_hand = static_cast<int>(split.by_hand.size());
  return comparison;
}

Parsed<ConfirmRequest> ParseConfirmRequest(const json& body) {
  Parsed<ConfirmRequest> parsed;
  if (!body.is_object()) {
    parsed.errors.push_back({"body", "must be a JSON object"});
    return parsed;
  }
  ConfirmRequest request;
  internal::FieldReader reader(body, "", parsed.errors);
  request.batch_key = reader.Text("batch_key", kMaxBatchKey);
  for (const auto& [key, value] : body.items()) {
    if (key != "batch_key" && key != "proposals") {
      parsed.errors.push_back({key, "is not a field of a confirmation"});
    }
  }
  const auto list = body.find("proposals");
  const bool is_list = list != body.end() && list->is_array();
  if (list != body.end() && !list->is_null() && !is_list) {
    parsed.errors.push_back({"proposals", "must be a list"});
  }
  for (std::size_t i = 0; is_list && i < list->size(); ++i) {
    const json& item = (*list)[i];
    const std::string at = "proposals[" + std::to_string(i) + "]";
    if (!item.is_object()) {
      parsed.errors.push_back({at, "must be an object with referral_id and slot_id"});
      request.proposals.emplace_back();  // Keeps the later proposals' indices.
      continue;
    }
    internal::FieldReader fields(item, at + ".", parsed.errors);
    ChosenProposal chosen{fields.Text("referral_id", kMaxShortText),
                          fields.Text("slot_id", kMaxShortText)};
    fields.RefuseUnknown();
    request.proposals.push_back(std::move(chosen));
  }
  CheckConfirm(request, parsed.errors);
  if (parsed.errors.empty()) parsed.value = std::move(request);
  return parsed;
}

StatusOr<std::vector<Appointment>> ConfirmAllocation(const Env& env, const Actor& actor,
                                                     const ConfirmRequest& request, Instant now,
                                                     std::vector<FieldError>* refusals) {
  std::vector<FieldError> malformed;
  CheckConfirm(request, malformed);
  if (!malformed.empty()) {
    return InvalidArgumentError(malformed.front().message, malformed.front().field);
  }
  std::vector<Appointment> booked;
  std::vector<Status> refused;
  Status written = env.store.Write([&](store::WriteTxn& txn) -> Status {
    booked.clear();
    refused.clear();
    for (std::size_t i = 0; i < request.proposals.size(); ++i) {
      const ChosenProposal& p = request.proposals[i];
      // Every proposal is tried, so that the coordinator hears of every one that failed; any
      // refusal undoes the whole transaction below.
      auto appointment = internal::BookInTxn(
          txn, actor, {p.referral_id, p.slot_id, request.batch_key + ":" + p.referral_id}, now,
          "appointment.book.allocation");
      if (appointment.ok()) {
        booked.push_back(*std::move(appointment));
      } else if (StoreFailure(appointment.status().code())) {
        return appointment.status();
      } else {
        refused.push_back(RefusalOf(i, appointment.status()));
      }
    }
    return refused.empty() ? OkStatus() : refused.front();
  });
  if (refusals != nullptr) {
    refusals->clear();
    for (const Status& s : refused) refusals->push_back({s.field(), s.message()});
  }
  RETURN_IF_ERROR(written);
  return booked;
}

}  // namespace tendon::workflow
