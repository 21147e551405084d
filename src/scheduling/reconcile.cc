#include "scheduling/reconcile.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>

namespace tendon::scheduling {
namespace {

std::string FreeId(const std::string& id, const std::set<std::string, std::less<>>& taken) {
  if (!taken.contains(id)) return id;
  for (int n = 2;; ++n) {
    std::string candidate = id + "-" + std::to_string(n);
    if (!taken.contains(candidate)) return candidate;
  }
}

bool Overlaps(const Slot& a, const Slot& b) { return a.start < b.end && b.start < a.end; }

}  // namespace

bool SameSlot(const Slot& a, const Slot& b) {
  return std::tie(a.start, a.end, a.clinician_id, a.site_id, a.room_id, a.type, a.modality,
                  a.capacity, a.ringfence, a.opens_to_all_at) ==
         std::tie(b.start, b.end, b.clinician_id, b.site_id, b.room_id, b.type, b.modality,
                  b.capacity, b.ringfence, b.opens_to_all_at);
}

SlotPlan PlanSlots(const std::vector<Slot>& wanted, const std::vector<Slot>& stored, Instant now) {
  SlotPlan plan;
  std::set<std::string, std::less<>> taken;
  std::multimap<Instant, std::size_t> by_start;  // Future stored slots, by start.
  for (std::size_t i = 0; i < stored.size(); ++i) {
    taken.insert(stored[i].id);
    if (stored[i].start > now) by_start.emplace(stored[i].start, i);
  }
  std::vector<bool> matched(stored.size(), false);
  std::vector<const Slot*> missing;
  for (const Slot& w : wanted) {
    if (w.start <= now) continue;
    const auto [first, last] = by_start.equal_range(w.start);
    auto match = first;
    while (match != last && (matched[match->second] || !SameSlot(stored[match->second], w))) {
      ++match;
    }
    if (match == last) {
      missing.push_back(&w);
      continue;
    }
    matched[match->second] = true;
    ++(stored[match->second].cancelled ? plan.kept_cancelled : plan.kept);
  }
  for (const auto& [start, i] : by_start) {
    const Slot& s = stored[i];
    if (matched[i] || s.cancelled) continue;
    if (s.booked > 0) {
      plan.stranded.push_back(s);
    } else {
      plan.to_cancel.push_back(s.id);
    }
  }
  for (const Slot* w : missing) {
    const bool blocked = std::any_of(plan.stranded.begin(), plan.stranded.end(),
                                     [&](const Slot& s) { return Overlaps(s, *w); });
    if (blocked) {
      ++plan.held_back;
      continue;
    }
    Slot added = *w;
    added.id = FreeId(w->id, taken);
    taken.insert(added.id);
    plan.to_add.push_back(std::move(added));
  }
  return plan;
}

}  // namespace tendon::scheduling
