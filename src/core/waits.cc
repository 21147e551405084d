#include "core/waits.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

namespace tendon {
namespace {

constexpr std::int64_t kMillisPerDay = 24LL * 60 * 60 * 1000;

bool Accepted(const PathwayEvent& event) {
  const auto payload = nlohmann::json::parse(event.payload, nullptr, /*allow_exceptions=*/false);
  if (!payload.is_object()) return false;
  const auto outcome = payload.find("outcome");
  return outcome != payload.end() && outcome->is_string() && *outcome == "accepted";
}

bool InGroup(const CompletedWait& w, WaitGroup group, std::optional<Tier> tier, Priority priority,
             std::string_view site) {
  switch (group) {
    case WaitGroup::kTierPrioritySite:
      return w.tier == tier && w.priority == priority && w.site == site;
    case WaitGroup::kTierPriority:
      return w.tier == tier && w.priority == priority;
    case WaitGroup::kTier:
      return w.tier == tier;
    case WaitGroup::kPriority:
      return w.priority == priority;
    case WaitGroup::kService:
      return true;
  }
  return false;
}

// Whether a referral with these fields can be placed in `group`: a group by tier needs a tier, and
// one by site a site.
bool Placeable(WaitGroup group, std::optional<Tier> tier, std::string_view site) {
  switch (group) {
    case WaitGroup::kTierPrioritySite:
      return tier && !site.empty();
    case WaitGroup::kTierPriority:
    case WaitGroup::kTier:
      return tier.has_value();
    case WaitGroup::kPriority:
      return !tier;
    case WaitGroup::kService:
      return true;
  }
  return false;
}

// The value at or below which `share` of the sorted `days` lie (nearest rank).
int Rank(const std::vector<int>& days, double share) {
  const auto n = static_cast<double>(days.size());
  auto index = static_cast<std::size_t>(std::max(0.0, share * n - 1e-9));
  if (index >= days.size()) index = days.size() - 1;
  return days[index];
}

}  // namespace

int WaitDays(const CompletedWait& wait) {
  const std::int64_t millis = ToUnixMillis(wait.seen_at) - ToUnixMillis(wait.accepted_at);
  if (millis <= 0) return 0;
  return static_cast<int>((millis + kMillisPerDay - 1) / kMillisPerDay);
}

void WaitLog::Add(const PathwayEvent& event) {
  switch (event.type) {
    case EventType::kTriageCompleted:
      if (Accepted(event)) accepted_[event.referral_id] = event.occurred_at;
      return;
    case EventType::kAppointmentAttended: {
      auto it = accepted_.find(event.referral_id);
      if (it == accepted_.end()) return;
      waits_.push_back({event.tier, event.priority, event.site, it->second, event.occurred_at});
      accepted_.erase(it);
      return;
    }
    case EventType::kReferralClosed:
    case EventType::kReferralWithdrawn:
    case EventType::kOnwardReferred:
      accepted_.erase(event.referral_id);
      return;
    default:
      return;
  }
}

WaitEstimate WaitLog::Estimate(std::optional<Tier> tier, Priority priority, std::string_view site,
                               Instant now, const WaitPolicy& policy) const {
  constexpr std::array kGroups{WaitGroup::kTierPrioritySite, WaitGroup::kTierPriority,
                               WaitGroup::kTier, WaitGroup::kPriority, WaitGroup::kService};
  const Instant from = now - std::chrono::days(policy.window_days);
  WaitEstimate estimate;
  for (WaitGroup group : kGroups) {
    if (!Placeable(group, tier, site)) continue;
    std::vector<int> days;
    for (const CompletedWait& w : waits_) {
      if (w.seen_at <= from || w.seen_at > now) continue;
      if (InGroup(w, group, tier, priority, site)) days.push_back(WaitDays(w));
    }
    estimate.patients = static_cast<int>(days.size());
    if (estimate.patients < policy.min_patients) continue;
    std::sort(days.begin(), days.end());
    estimate.group = group;
    estimate.median_days = Rank(days, 0.5);
    estimate.quartile_low_days = Rank(days, 0.25);
    estimate.quartile_high_days = Rank(days, 0.75);
    return estimate;
  }
  return estimate;
}

}  // namespace tendon
