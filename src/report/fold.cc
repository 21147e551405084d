#include "report/fold.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/london_time.h"

namespace tendon::report {
namespace {

constexpr std::int64_t kHourMs = 3'600'000;
constexpr std::int64_t kDayMs = 24 * kHourMs;
constexpr std::int64_t kWeekMs = 7 * kDayMs;
constexpr std::int64_t kSixWeeksMs = 6 * kWeekMs;
constexpr std::int64_t kEighteenWeeksMs = 18 * kWeekMs;

bool Creates(EventType type) {
  return type == EventType::kReferralReceived || type == EventType::kTransferImported;
}

// A referral imported already in treatment, or discharged into its PIFU window, was seen by the
// outgoing provider: it is not waiting for a first appointment.
bool AlreadySeen(ReferralState state) {
  return state == ReferralState::kInTreatment || state == ReferralState::kPifuWindow;
}

// States that end a referral's wait without a first attendance.
bool EndsUnseen(ReferralState state) {
  return state == ReferralState::kDischarged || state == ReferralState::kClosed ||
         state == ReferralState::kWithdrawn || state == ReferralState::kOnwardReferred;
}

bool TakesPlace(EventType type) {
  return type == EventType::kAppointmentAttended || type == EventType::kAppointmentDna;
}

std::int64_t MidnightMs(Date d) {
  // Midnight exists on every London date: the clocks change at 01:00.
  return ToUnixMillis(*FromLondon(d, std::chrono::minutes(0)));
}

}  // namespace

Fold::Fold(FoldOptions options) : options_(std::move(options)) {
  start_ms_ = ToUnixMillis(options_.start);
  list_.now_ms = start_ms_;
  list_.weeks.emplace_back();
  site_appointments_.assign(options_.sites.size(), 0);
  for (std::size_t i = 0; i < options_.sites.size(); ++i) {
    site_ids_.emplace(options_.sites[i].site_id, static_cast<std::int32_t>(i));
  }
}

Status Fold::Add(const PathwayEvent& event) {
  FoldEvent e;
  e.type = event.type;
  e.state_after = event.state_after;
  e.at_ms = ToUnixMillis(event.occurred_at);
  e.since_ms = e.at_ms;
  if (event.type == EventType::kTransferImported) {
    nlohmann::json payload = nlohmann::json::parse(event.payload, nullptr, false);
    if (payload.is_object() && payload.contains("waiting_since")) {
      const nlohmann::json& since = payload["waiting_since"];
      StatusOr<Instant> at = since.is_string() ? ParseInstant(since.get<std::string>(), "payload")
                                               : InvalidArgumentError("", "payload");
      if (!at.ok()) {
        return InvalidArgumentError("transfer.imported's waiting_since must be an instant",
                                    "payload");
      }
      e.since_ms = ToUnixMillis(*at);
    }
  }
  auto [it, inserted] =
      referral_ids_.emplace(event.referral_id, static_cast<std::uint32_t>(referral_ids_.size()));
  e.referral = it->second;
  auto site = site_ids_.find(event.site);
  e.site = site == site_ids_.end() ? -1 : site->second;
  e.tier = event.tier ? static_cast<std::int8_t>(*event.tier) : std::int8_t{-1};
  e.priority = event.priority;
  Add(e);
  return OkStatus();
}

bool Fold::Changes(EventType type, ReferralState state_after) {
  return Creates(type) || TakesPlace(type) || EndsUnseen(state_after);
}

void Fold::Add(const FoldEvent& e) {
  latest_ms_ = std::max(latest_ms_, e.at_ms);
  // The list's size is constant between the events that change it, so integrating it up to the
  // latest time only at those events gives the same area.
  if (!Changes(e.type, e.state_after)) return;
  Advance(list_, start_ms_, latest_ms_);
  const bool creates = Creates(e.type);
  const bool took_place = TakesPlace(e.type);
  if (e.referral >= referrals_.size()) referrals_.resize(std::size_t{e.referral} + 1);
  Referral& r = referrals_[e.referral];
  if (creates) {
    if (!r.open) Open(e, r);
    return;
  }
  // Events of referrals opened before the fold began tell nothing of their waits.
  if (!r.open) return;
  if (took_place && e.site >= 0 && static_cast<std::size_t>(e.site) < site_appointments_.size()) {
    ++site_appointments_[e.site];
  }
  if (took_place) ++appointments_;
  if (r.seen) return;
  if (e.type == EventType::kAppointmentAttended) {
    r.seen = true;
    ++seen_;
    ++list_.weeks.back().first_seen;
    RecordWait(e, r);
    if (r.listed) Leave(r);
  } else if (r.listed && EndsUnseen(e.state_after)) {
    ++left_unseen_;
    Leave(r);
  }
}

void Fold::Advance(ListState& list, std::int64_t start_ms, std::int64_t to_ms) {
  if (to_ms <= list.now_ms) return;
  for (;;) {
    const std::int64_t week_end = start_ms + static_cast<std::int64_t>(list.weeks.size()) * kWeekMs;
    if (to_ms < week_end) break;
    const double area =
        static_cast<double>(list.size) * static_cast<double>(week_end - list.now_ms);
    list.area_ms += area;
    list.week_area_ms += area;
    list.weeks.back().list_mean = list.week_area_ms / static_cast<double>(kWeekMs);
    list.weeks.back().list_at_end = list.size;
    list.weeks.emplace_back();
    list.week_area_ms = 0;
    list.now_ms = week_end;
  }
  const double area = static_cast<double>(list.size) * static_cast<double>(to_ms - list.now_ms);
  list.area_ms += area;
  list.week_area_ms += area;
  list.now_ms = to_ms;
}

void Fold::Open(const FoldEvent& e, Referral& r) {
  r.open = true;
  r.since_ms = e.since_ms == 0 ? e.at_ms : e.since_ms;
  // A referral from before the start (a simulation's warm-up, a report's earlier months) is not
  // one of the period's referrals, but it waits on the list from the start.
  if (e.at_ms >= start_ms_) {
    ++opened_;
    ++list_.weeks.back().referrals;
    CountMonth(e.at_ms);
  }
  if (AlreadySeen(e.state_after)) {
    r.seen = true;
    return;
  }
  r.listed = true;
  r.listed_ms = list_.now_ms;
  ++list_.size;
  ++list_arrivals_;
}

void Fold::Leave(Referral& r) {
  r.listed = false;
  --list_.size;
  ++list_leavers_;
  list_leaver_days_ += static_cast<double>(list_.now_ms - r.listed_ms) / kDayMs;
}

void Fold::RecordWait(const FoldEvent& e, const Referral& r) {
  const std::int64_t wait_ms = std::max<std::int64_t>(0, e.at_ms - r.since_ms);
  Histogram& group = (e.tier == 0 || e.tier == 1) ? groups_[e.tier][static_cast<int>(e.priority)]
                                                  : no_tier_[static_cast<int>(e.priority)];
  for (Histogram* h : {&all_, &group}) {
    const auto hour = static_cast<std::size_t>(wait_ms / kHourMs);
    if (hour >= h->hours.size()) h->hours.resize(hour + 1, 0);
    ++h->hours[hour];
    ++h->count;
    h->sum_days += static_cast<double>(wait_ms) / kDayMs;
    if (wait_ms <= kSixWeeksMs) ++h->within_6;
    if (wait_ms <= kEighteenWeeksMs) ++h->within_18;
  }
}

void Fold::CountMonth(std::int64_t at_ms) {
  if (at_ms >= month_begin_ms_ && at_ms < month_end_ms_) {
    ++*month_count_;
    return;
  }
  const date::year_month_day day{LondonDate(FromUnixMillis(at_ms))};
  const date::year_month month{day.year(), day.month()};
  const Date first{month / 1};
  const Date next{(month + date::months(1)) / 1};
  month_begin_ms_ = MidnightMs(first);
  month_end_ms_ = MidnightMs(next);
  const int key =
      static_cast<int>(day.year()) * 12 + static_cast<int>(static_cast<unsigned>(day.month())) - 1;
  month_count_ = &months_[key];
  ++*month_count_;
}

void Fold::Merge(Histogram& into, const Histogram& from) {
  if (from.hours.size() > into.hours.size()) into.hours.resize(from.hours.size(), 0);
  for (std::size_t i = 0; i < from.hours.size(); ++i) into.hours[i] += from.hours[i];
  into.count += from.count;
  into.sum_days += from.sum_days;
  into.within_6 += from.within_6;
  into.within_18 += from.within_18;
}

WaitFigures Fold::Figures(const Histogram& h) {
  WaitFigures f;
  f.count = h.count;
  if (h.count == 0) return f;
  const auto n = static_cast<double>(h.count);
  f.mean_days = h.sum_days / n;
  f.within_6_weeks = static_cast<double>(h.within_6) / n;
  f.within_18_weeks = static_cast<double>(h.within_18) / n;
  // Nearest rank: the smallest wait with at least ceil(p * n) waits at or below it.
  const auto rank = [&](double p) {
    const auto want = static_cast<std::int64_t>(std::ceil(p * n - 1e-9));
    return std::max<std::int64_t>(want, 1);
  };
  const std::int64_t median_rank = rank(0.5);
  const std::int64_t p90_rank = rank(0.9);
  std::int64_t seen = 0;
  bool median_found = false;
  for (std::size_t hour = 0; hour < h.hours.size(); ++hour) {
    seen += h.hours[hour];
    const double days = static_cast<double>(hour) / 24.0;
    if (!median_found && seen >= median_rank) {
      f.median_days = days;
      median_found = true;
    }
    if (seen >= p90_rank) {
      f.p90_days = days;
      break;
    }
  }
  return f;
}

FoldResults Fold::Results(Instant end) const {
  FoldResults out;
  ListState list = list_;
  const std::int64_t end_ms = std::max({ToUnixMillis(end), list.now_ms, latest_ms_});
  Advance(list, start_ms_, end_ms);
  const std::int64_t week_start =
      start_ms_ + static_cast<std::int64_t>(list.weeks.size() - 1) * kWeekMs;
  list.weeks.back().list_at_end = list.size;
  if (end_ms > week_start) {
    list.weeks.back().list_mean = list.week_area_ms / static_cast<double>(end_ms - week_start);
  } else {
    list.weeks.pop_back();  // `end` is a week boundary: the week after it has not begun.
  }
  out.start = options_.start;
  out.end = FromUnixMillis(end_ms);
  out.referrals = opened_;
  out.seen = seen_;
  out.left_unseen = left_unseen_;
  out.waiting_now = list.size;
  out.appointments = appointments_;
  out.weeks = std::move(list.weeks);

  out.all = Figures(all_);
  for (int tier = 0; tier < 2; ++tier) {
    Histogram merged;
    for (int p = 0; p < 4; ++p) {
      out.by_tier_priority[tier][p] = Figures(groups_[tier][p]);
      Merge(merged, groups_[tier][p]);
    }
    out.by_tier[tier] = Figures(merged);
  }
  for (int p = 0; p < 4; ++p) {
    Histogram merged = no_tier_[p];
    Merge(merged, groups_[0][p]);
    Merge(merged, groups_[1][p]);
    out.by_priority[p] = Figures(merged);
  }

  const double span_ms = static_cast<double>(end_ms - start_ms_);
  const double weeks = span_ms / kWeekMs;
  for (std::size_t i = 0; i < options_.sites.size(); ++i) {
    SiteUse use;
    use.site_id = options_.sites[i].site_id;
    use.appointments = site_appointments_[i];
    use.capacity = options_.sites[i].slots_per_week * weeks;
    use.utilisation = use.capacity > 0 ? static_cast<double>(use.appointments) / use.capacity : 0;
    out.sites.push_back(std::move(use));
  }
  for (const auto& [key, count] : months_) {
    char month[16];
    std::snprintf(month, sizeof month, "%04d-%02d", key / 12, key % 12 + 1);
    out.referrals_per_month.push_back({month, count});
  }
  if (span_ms > 0) {
    out.list_time_average = list.area_ms / span_ms;
    out.list_arrivals_per_day = static_cast<double>(list_arrivals_) / (span_ms / kDayMs);
  }
  if (list_leavers_ > 0)
    out.list_mean_days = list_leaver_days_ / static_cast<double>(list_leavers_);
  return out;
}

}  // namespace tendon::report
