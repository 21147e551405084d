// The service's results as a fold over pathway events (DESIGN.md, "The spine"): waits from referral
// to first attended appointment by tier and priority, the waiting list over time, utilisation per
// site, the shares seen within 6 and 18 weeks and referrals per month. The live commissioner report
// and the simulator feed the same Fold, so a forecast and the record are measured alike.
//
// The wait: from the referral's start (the occurred_at of referral.received, or of
// transfer.imported unless its payload gives "waiting_since", when the patient began waiting with
// the outgoing provider) to its first appointment.attended: the first time a clinician saw the
// patient, as the service reports its waits (service-facts.md, "Performance"). A referral booked
// but not yet seen is still waiting.
//
// The waiting list: referrals opened (received or imported in a state before treatment) and neither
// seen yet nor ended unseen (discharged, closed, withdrawn or referred onward before a first
// attendance). Its size is integrated over time, so both its size at the end of each week and its
// time average are exact, and Little's law can be checked against the list's arrivals and the mean
// time spent on it.
//
// Events are expected in occurred_at order (the live log is in recorded order, which is that order
// to within the lag of recording). An event earlier than one already added counts at the later time
// for the list's size; its wait is measured exactly. An event before the fold's start counts as at
// the start, except that a referral opened before the start is not counted among the period's
// referrals (nor its weeks' and months'): it is on the waiting list from the start if it is still
// waiting, and its first attendance in the period counts with its whole wait. Not thread-safe: one
// fold per thread, or the caller locks.
#ifndef TENDON_REPORT_FOLD_H_
#define TENDON_REPORT_FOLD_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/event.h"
#include "core/pathway.h"
#include "core/status.h"
#include "core/time.h"

namespace tendon::report {

// What the fold reads of one event: a PathwayEvent without its strings, so that a simulator can
// feed the fold without building strings. Referrals and sites are dense indices chosen by the
// caller.
struct FoldEvent {
  EventType type = EventType::kReferralReceived;
  ReferralState state_after = ReferralState::kReceived;
  std::uint32_t referral = 0;  // Dense: the fold keeps a vector indexed by it.
  std::int64_t at_ms = 0;      // occurred_at, milliseconds since the Unix epoch.
  // For a creating event, when the wait began (waiting_since of a transfer); at_ms when not given.
  std::int64_t since_ms = 0;
  std::int32_t site = -1;  // Index into FoldOptions::sites; -1 when none or unknown.
  std::int8_t tier = -1;   // A Tier's value; -1 when none.
  Priority priority = Priority::kRoutine;
};

// A site's capacity, for its utilisation: slots (appointment places) a week.
struct SiteCapacity {
  std::string site_id;
  double slots_per_week = 0;
};

struct FoldOptions {
  Instant start{};                  // Week 0 begins here.
  std::vector<SiteCapacity> sites;  // Sites whose utilisation is reported, in this order.
};

// Waits of a group of first attendances, in days (weeks are days / 7). The median and the 90th
// percentile are by nearest rank over waits rounded down to the hour; the mean is exact. All 0
// when count is 0.
struct WaitFigures {
  std::int64_t count = 0;
  double mean_days = 0;
  double median_days = 0;
  double p90_days = 0;
  // Shares of the group seen within 6 weeks (42 days) and 18 weeks (126 days) inclusive.
  double within_6_weeks = 0;
  double within_18_weeks = 0;
};

struct WeekFigures {
  std::int64_t list_at_end = 0;  // Waiting-list size at the week's end (or at `end`, for the last).
  double list_mean = 0;          // Time-average size over the week (the part before `end`).
  std::int64_t referrals = 0;    // Referrals opened in the week.
  std::int64_t first_seen = 0;   // First attendances in the week.
};

struct SiteUse {
  std::string site_id;
  std::int64_t appointments = 0;  // Appointments that took place (attended or missed) at the site.
  double capacity = 0;            // slots_per_week times the weeks from start to end.
  double utilisation = 0;         // appointments / capacity; 0 when capacity is 0.
};

struct MonthCount {
  std::string month;  // "2026-04", London calendar month of the referral's start event.
  std::int64_t referrals = 0;
};

struct FoldResults {
  Instant start{};
  Instant end{};
  std::int64_t referrals = 0;     // Referrals opened (received or imported) from the start.
  std::int64_t seen = 0;          // Of them, seen (first attended).
  std::int64_t left_unseen = 0;   // Left the waiting list without being seen.
  std::int64_t waiting_now = 0;   // On the waiting list at `end`.
  std::int64_t appointments = 0;  // Attended or missed, at any site.
  WaitFigures all;
  std::array<WaitFigures, 2> by_tier;      // Indexed by Tier.
  std::array<WaitFigures, 4> by_priority;  // Indexed by Priority.
  std::array<std::array<WaitFigures, 4>, 2> by_tier_priority;
  std::vector<WeekFigures> weeks;
  std::vector<SiteUse> sites;                   // In FoldOptions::sites order.
  std::vector<MonthCount> referrals_per_month;  // In month order.
  // Little's law on the waiting list: its time-average size over [start, end], its arrivals per
  // day, and the mean days on it of those who left it (seen or not).
  double list_time_average = 0;
  double list_arrivals_per_day = 0;
  double list_mean_days = 0;
};

class Fold {
 public:
  explicit Fold(FoldOptions options);
  Fold(const Fold&) = delete;
  Fold& operator=(const Fold&) = delete;
  Fold(Fold&&) = default;
  Fold& operator=(Fold&&) = default;

  // Adds a live event: interns its referral id and site. InvalidArgument (naming "payload") when a
  // transfer.imported payload's waiting_since is not an instant FormatInstant writes; the fold is
  // then unchanged. A site not in the options counts for no site's utilisation.
  Status Add(const PathwayEvent& event);
  // Adds a compact event. Referral indices need not be contiguous, but the fold keeps a vector as
  // long as the largest.
  void Add(const FoldEvent& event);

  // A hint that events of `referral` are likely soon: fetches its record into cache.
  void Expect(std::uint32_t referral) const {
    if (referral < referrals_.size()) __builtin_prefetch(referrals_.data() + referral);
  }

  // Whether an event of `type` leaving its referral in `state_after` may change a figure. Most do
  // not (bookings, triage accepting onto the list): a caller may leave them out, except that the
  // latest event's time bounds Results' `end` from below.
  static bool Changes(EventType type, ReferralState state_after);

  // The figures over [options.start, end]. `end` before the last event counts as the last event's
  // time. Does not change the fold: more events may be added and Results asked again.
  FoldResults Results(Instant end) const;

 private:
  // A referral's part in the figures.
  struct Referral {
    std::int64_t since_ms = 0;   // When its wait began.
    std::int64_t listed_ms = 0;  // When it joined the waiting list.
    bool open = false;           // Opened by a creating event.
    bool listed = false;         // On the waiting list now.
    bool seen = false;           // First attended.
  };
  struct Histogram {
    std::vector<std::int64_t> hours;  // Count of waits by whole hours.
    std::int64_t count = 0;
    double sum_days = 0;
    std::int64_t within_6 = 0;
    std::int64_t within_18 = 0;
  };

  // The waiting list's size over time, integrated week by week.
  struct ListState {
    std::int64_t now_ms = 0;         // Integrated up to here.
    std::int64_t size = 0;           // On the list at now_ms.
    double area_ms = 0;              // Integral of the size from the start to now_ms.
    double week_area_ms = 0;         // The same over the current week.
    std::vector<WeekFigures> weeks;  // The closed weeks, then the current one.
  };

  // Integrates `list` up to `to_ms`, closing the weeks it passes.
  static void Advance(ListState& list, std::int64_t start_ms, std::int64_t to_ms);
  static void Merge(Histogram& into, const Histogram& from);
  static WaitFigures Figures(const Histogram& h);
  void Open(const FoldEvent& e, Referral& r);
  void Leave(Referral& r);
  void RecordWait(const FoldEvent& e, const Referral& r);
  void CountMonth(std::int64_t at_ms);

  FoldOptions options_;
  std::int64_t start_ms_ = 0;
  std::unordered_map<std::string, std::uint32_t> referral_ids_;
  std::unordered_map<std::string, std::int32_t> site_ids_;
  std::vector<Referral> referrals_;

  ListState list_;
  std::int64_t latest_ms_ = 0;  // The latest event's time (the list is integrated up to it lazily).
  std::int64_t list_arrivals_ = 0;
  std::int64_t list_leavers_ = 0;
  double list_leaver_days_ = 0;

  std::int64_t opened_ = 0;
  std::int64_t seen_ = 0;
  std::int64_t left_unseen_ = 0;
  std::int64_t appointments_ = 0;
  std::vector<std::int64_t> site_appointments_;
  Histogram all_;
  std::array<std::array<Histogram, 4>, 2> groups_;  // By tier, then priority.
  std::array<Histogram, 4> no_tier_;                // Seen with no tier recorded, by priority.

  std::map<int, std::int64_t> months_;  // Referrals by year * 12 + month - 1.
  // The UTC span of the month last counted, and its count, so that most referrals find their
  // month without a time-zone lookup. Empty (begin after end) until the first referral.
  std::int64_t month_begin_ms_ = 1;
  std::int64_t month_end_ms_ = 0;
  std::int64_t* month_count_ = nullptr;
};

}  // namespace tendon::report

#endif  // TENDON_REPORT_FOLD_H_
