// The simulator's future event list: small plain events taken in time order, and among equal times
// in the order they were scheduled, so that a run is the same on every machine.
//
// Events are kept by window of time (kBucketsPerDay a day). The windows of the next eight days are
// a ring of buckets whose storage is reused lap after lap; events beyond them wait unsorted in an
// overflow, dealt into the ring every half lap. When its window comes, a bucket is sorted into a
// run taken from its end; events scheduled during a window for within it go to a small binary
// min-heap; the earlier of the run's next and the heap's top comes out. Most of a pathway's events
// are minutes to weeks away (a visit's end, a follow-up, a PIFU window), so each costs a push onto
// a warm vector and its share of a short sort, where a single heap would sift it through
// thousands. The order taken is exactly a single heap's. Not thread-safe: one queue per
// replication.
#ifndef TENDON_SIM_EVENT_QUEUE_H_
#define TENDON_SIM_EVENT_QUEUE_H_

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace tendon::sim {

// One scheduled happening, in 16 bytes so that a parent's two children share a cache line. What
// `kind`, `entity` and `aux` mean is the model's business.
struct SimEvent {
  static constexpr int kEntityBits = 27;
  static constexpr std::uint32_t kMaxEntity = (1u << kEntityBits) - 1;  // 134 million.
  static constexpr std::uint32_t kMaxKind = 15;

  double time = 0;         // Days since the run's start; never negative.
  std::uint32_t seq = 0;   // Scheduling order, set by the queue: breaks ties in time.
  std::uint32_t word = 0;  // entity, kind and aux packed.

  std::uint32_t entity() const { return word & kMaxEntity; }
  std::uint8_t kind() const { return static_cast<std::uint8_t>((word >> kEntityBits) & kMaxKind); }
  bool aux() const { return (word >> 31) != 0; }
};

class EventQueue {
 public:
  // Powers of two, so that a time's window is exact: 5.625 minutes a window, and the ring eight
  // days of them.
  static constexpr double kBucketsPerDay = 256;
  static constexpr std::size_t kRingBuckets = 2048;

  EventQueue() : ring_(kRingBuckets) {
    heap_.reserve(1024);
    run_.reserve(1024);
  }

  // The run or the heap holds an event whenever the ring or the overflow does (Push and Pop refill
  // them).
  bool empty() const { return heap_.empty() && run_.empty(); }
  std::size_t size() const { return heap_.size() + run_.size() + in_ring_ + overflow_.size(); }
  // The earliest event; the queue must not be empty.
  const SimEvent& top() const { return FromRun() ? run_.back() : heap_.front(); }

  // Schedules `kind` (at most SimEvent::kMaxKind) for `entity` (at most SimEvent::kMaxEntity) with
  // a one-bit `aux` at `time` (not negative).
  void Push(double time, std::uint8_t kind, std::uint32_t entity, bool aux = false) {
    const SimEvent e{time, next_seq_++,
                     entity | (static_cast<std::uint32_t>(kind) << SimEvent::kEntityBits) |
                         (static_cast<std::uint32_t>(aux) << 31)};
    const std::size_t bucket = BucketOf(e);
    if (bucket < window_end_) {
      HeapPush(e);
      return;
    }
    if (bucket < ring_end_) {
      ToRing(bucket, e);
    } else {
      overflow_.push_back(e);
    }
    if (empty()) Refill();
  }

  // Removes and returns the earliest event; the queue must not be empty.
  SimEvent Pop() {
    SimEvent out;
    if (FromRun()) {
      out = run_.back();
      run_.pop_back();
    } else {
      out = HeapPop();
    }
    if (empty()) Refill();
    return out;
  }

 private:
  static std::size_t BucketOf(const SimEvent& e) {
    return static_cast<std::size_t>(e.time * kBucketsPerDay);
  }

  bool FromRun() const {
    return !run_.empty() && (heap_.empty() || Before(run_.back(), heap_.front()));
  }

  void ToRing(std::size_t bucket, const SimEvent& e) {
    ring_[bucket % kRingBuckets].push_back(e);
    ++in_ring_;
  }

  // Sorts the next window that holds events into the run, latest first. Called when the run and
  // the heap are empty.
  void Refill() {
    while (run_.empty() && in_ring_ + overflow_.size() > 0) {
      if (in_ring_ == 0) {
        // Nothing in the next eight days: jump to the overflow's earliest window.
        std::size_t earliest = SIZE_MAX;
        for (const SimEvent& e : overflow_) earliest = std::min(earliest, BucketOf(e));
        window_end_ = earliest;
        Deal();
      } else if (window_end_ + kRingBuckets / 2 >= ring_end_) {
        Deal();
      }
      std::vector<SimEvent>& bucket = ring_[window_end_ % kRingBuckets];
      window_end_ += 1;
      if (bucket.empty()) continue;
      in_ring_ -= bucket.size();
      run_.swap(bucket);  // The bucket keeps the run's old storage, empty, for its next lap.
      SortLatestFirst(run_);
    }
  }

  // Extends the ring to eight days of windows from window_end_, moving in the overflow's events
  // that now fall within it.
  void Deal() {
    ring_end_ = window_end_ + kRingBuckets;
    std::size_t kept = 0;
    for (const SimEvent& e : overflow_) {
      const std::size_t bucket = BucketOf(e);
      if (bucket < ring_end_) {
        ToRing(bucket, e);
      } else {
        overflow_[kept++] = e;
      }
    }
    overflow_.resize(kept);
  }

  // A window holds a handful of events: insertion sort, unless it holds many.
  static void SortLatestFirst(std::vector<SimEvent>& events) {
    const auto later = [](const SimEvent& a, const SimEvent& b) { return Before(b, a); };
    if (events.size() > 32) {
      std::sort(events.begin(), events.end(), later);
      return;
    }
    for (std::size_t i = 1; i < events.size(); ++i) {
      const SimEvent e = events[i];
      std::size_t j = i;
      for (; j > 0 && later(e, events[j - 1]); --j) events[j] = events[j - 1];
      events[j] = e;
    }
  }

  void HeapPush(const SimEvent& e) {
    // Sift the hole up from the end, moving parents down rather than swapping.
    std::size_t i = heap_.size();
    heap_.push_back(e);
    while (i > 0) {
      const std::size_t parent = (i - 1) / 2;
      if (!Before(e, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }

  SimEvent HeapPop() {
    const SimEvent out = heap_.front();
    const std::size_t n = heap_.size() - 1;  // The size after the pop.
    const SimEvent last = heap_[n];
    // Sift the hole down from the root, then drop the last event into it. heap_[n] still holds
    // the last event, so reading a right child at n stays in bounds (and its comparison is masked).
    std::size_t i = 0;
    for (;;) {
      std::size_t child = 2 * i + 1;
      if (child >= n) break;
      // Which child is earlier is a coin toss to the branch predictor: add the comparison instead.
      child += static_cast<std::size_t>((child + 1 < n) & Before(heap_[child + 1], heap_[child]));
      if (!Before(heap_[child], last)) break;
      heap_[i] = heap_[child];
      i = child;
    }
    heap_[i] = last;
    heap_.pop_back();
    return out;
  }

  // Times are never negative, and non-negative doubles order as their bit patterns do, so the
  // comparison is on whole numbers: no branch for NaN, and one the compiler can make branch-free.
  static bool Before(const SimEvent& a, const SimEvent& b) {
    const auto ta = std::bit_cast<std::uint64_t>(a.time);
    const auto tb = std::bit_cast<std::uint64_t>(b.time);
    return (ta < tb) | ((ta == tb) & (a.seq < b.seq));
  }

  std::vector<SimEvent> heap_;  // Events scheduled in the current window for before window_end_.
  std::vector<SimEvent> run_;   // The current window's events, sorted latest first.
  // Window w in [window_end_, ring_end_) is ring_[w % kRingBuckets]; ring_end_ - window_end_ is
  // never more than kRingBuckets, so no two windows share a bucket.
  std::vector<std::vector<SimEvent>> ring_;
  std::vector<SimEvent> overflow_;  // Events from ring_end_ on, unsorted.
  std::size_t in_ring_ = 0;
  std::size_t window_end_ = 1;  // A window: the run's and heap's events are before it.
  std::size_t ring_end_ = 1 + kRingBuckets;
  std::uint32_t next_seq_ = 0;
};

}  // namespace tendon::sim

#endif  // TENDON_SIM_EVENT_QUEUE_H_
