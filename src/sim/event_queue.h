// The simulator's future event list: small plain events taken in time order, and among equal times
// in the order they were scheduled, so that a run is the same on every machine. Two tiers: a binary
// min-heap holds the events before the end of the current window, and a bucket per later window
// (kBucketsPerDay a day) holds the rest unsorted until their window comes, when they move into the
// heap. Most pending events of a pathway are days or weeks away (follow-ups, PIFU windows), so the
// heap stays a window's events deep and cache-resident instead of sifting through thousands of
// far-future ones. The order taken
// is exactly a single heap's. The heap's storage is reserved up front and reused; a bucket is
// reused once emptied. Not thread-safe: one queue per replication.
#ifndef TENDON_SIM_EVENT_QUEUE_H_
#define TENDON_SIM_EVENT_QUEUE_H_

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
  // A power of two, so that a time's bucket is exact: three hours a bucket.
  static constexpr double kBucketsPerDay = 8;

  explicit EventQueue(std::size_t reserve = 1024) { heap_.reserve(reserve); }

  // The heap is never empty while a bucket holds an event (Push and Pop refill it).
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size() + in_buckets_; }
  // The earliest event; the queue must not be empty.
  const SimEvent& top() const { return heap_.front(); }

  // Schedules `kind` (at most SimEvent::kMaxKind) for `entity` (at most SimEvent::kMaxEntity) with
  // a one-bit `aux` at `time` (not negative).
  void Push(double time, std::uint8_t kind, std::uint32_t entity, bool aux = false) {
    const SimEvent e{time, next_seq_++,
                     entity | (static_cast<std::uint32_t>(kind) << SimEvent::kEntityBits) |
                         (static_cast<std::uint32_t>(aux) << 31)};
    const auto bucket = static_cast<std::size_t>(time * kBucketsPerDay);
    if (bucket < window_end_) {
      HeapPush(e);
      return;
    }
    if (bucket >= buckets_.size()) buckets_.resize(bucket + 1);
    std::vector<SimEvent>& into = buckets_[bucket];
    if (into.capacity() == 0 && !spare_.empty()) {
      into.swap(spare_.back());
      spare_.pop_back();
    }
    into.push_back(e);
    ++in_buckets_;
    if (heap_.empty()) Refill();
  }

  // Removes and returns the earliest event; the queue must not be empty.
  SimEvent Pop() {
    const SimEvent out = HeapPop();
    if (heap_.empty() && in_buckets_ > 0) Refill();
    return out;
  }

 private:
  // Moves the next buckets into the heap until it holds an event.
  void Refill() {
    while (heap_.empty() && in_buckets_ > 0) {
      std::vector<SimEvent>& bucket = buckets_[window_end_];
      for (const SimEvent& e : bucket) HeapPush(e);
      in_buckets_ -= bucket.size();
      bucket.clear();
      spare_.push_back(std::move(bucket));
      window_end_ += 1;
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

  std::vector<SimEvent> heap_;                  // The events before window_end_.
  std::vector<std::vector<SimEvent>> buckets_;  // By bucket, from window_end_ on.
  std::vector<std::vector<SimEvent>> spare_;    // Emptied buckets' storage, for reuse.
  std::size_t in_buckets_ = 0;
  std::size_t window_end_ = 1;  // A bucket: the heap's events are before it, the buckets' from it.
  std::uint32_t next_seq_ = 0;
};

}  // namespace tendon::sim

#endif  // TENDON_SIM_EVENT_QUEUE_H_
