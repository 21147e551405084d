#include "store/check.h"

#include <limits>
#include <optional>
#include <string>
#include <unordered_map>

namespace tendon::store {
namespace {

// Replays the event log, remembering each referral's state after its last event, and reports every
// event the state machine or the schema refuses.
Status ReplayEvents(Store& store, std::unordered_map<std::string, ReferralState>& last_state,
                    CheckReport& report) {
  return store.ScanEvents(0, [&](const PathwayEvent& event) -> Status {
    ++report.events;
    auto it = last_state.find(event.referral_id);
    std::optional<ReferralState> before;
    if (it != last_state.end()) before = it->second;
    Status valid = ValidateEvent(event, before);
    if (!valid.ok()) {
      report.violations.push_back("referral " + event.referral_id + ": event " +
                                  std::to_string(event.id) + " (" +
                                  std::string(ToString(event.type)) + ") " + valid.ToString());
    }
    last_state[event.referral_id] = event.state_after;
    return OkStatus();
  });
}

void CheckReferral(const Referral& r,
                   const std::unordered_map<std::string, ReferralState>& last_state,
                   CheckReport& report) {
  const std::string who = "referral " + r.id + ": ";
  if (!IsTerminal(r.state) && r.owner.empty()) {
    report.violations.push_back(who + "open (" + std::string(ToString(r.state)) +
                                ") with no owner");
  }
  if (!IsTerminal(r.state) && !r.next_action_due) {
    report.violations.push_back(who + "open (" + std::string(ToString(r.state)) +
                                ") with no next-action due time");
  }
  auto it = last_state.find(r.id);
  if (it == last_state.end()) {
    report.violations.push_back(who + "has no pathway events");
  } else if (it->second != r.state) {
    report.violations.push_back(who + "state is '" + std::string(ToString(r.state)) +
                                "' but its last event left it '" +
                                std::string(ToString(it->second)) + "'");
  }
}

// Each slot's count of booked places equals its appointments that hold one, and stays within its
// capacity (the database keeps both; this finds a count altered behind its back).
Status CheckSlots(Store& store, CheckReport& report) {
  SlotQuery all;
  all.from = Instant::min();
  all.to = Instant::max();
  all.include_cancelled = true;
  all.limit = std::numeric_limits<int>::max();
  ASSIGN_OR_RETURN(std::vector<Slot> slots, store.ListSlots(all));
  ASSIGN_OR_RETURN(std::vector<Appointment> appointments,
                   store.ListAppointmentsBetween(Instant::min(), Instant::max(), ""));
  std::unordered_map<std::string, int> holding;
  for (const Appointment& a : appointments) {
    if (HoldsPlace(a.status)) ++holding[a.slot_id];
  }
  for (const Slot& slot : slots) {
    const int held = holding[slot.id];
    if (slot.booked != held || held > slot.capacity) {
      report.violations.push_back("slot " + slot.id + ": " + std::to_string(held) +
                                  " appointments hold a place, the count says " +
                                  std::to_string(slot.booked) + ", capacity " +
                                  std::to_string(slot.capacity));
    }
  }
  return OkStatus();
}

}  // namespace

StatusOr<CheckReport> CheckInvariants(Store& store) {
  CheckReport report;
  std::unordered_map<std::string, ReferralState> last_state;
  RETURN_IF_ERROR(ReplayEvents(store, last_state, report));
  RETURN_IF_ERROR(store.ScanReferrals([&](const Referral& r) -> Status {
    ++report.referrals;
    CheckReferral(r, last_state, report);
    return OkStatus();
  }));
  RETURN_IF_ERROR(CheckSlots(store, report));
  ASSIGN_OR_RETURN(std::vector<std::string> tampered, store.VerifyLogs());
  for (std::string& line : tampered) report.violations.push_back(std::move(line));
  return report;
}

}  // namespace tendon::store
