#!/usr/bin/env bash
# The waiting-list allocator beats first-come-first-served on a small seeded demo (the booking
# issue, point 5), as bench/allocation.sh measures on the six-month one: builds a one-month demo
# (seed 1, until 2026-11-20), runs `tendon allocate --compare` as of its end, and fails unless the
# allocator's mean wait for priority patients and its total travel are both below
# first-come-first-served's, with at least as many patients placed.
#
#   tests/allocation_compare_test.sh TENDON_BINARY
set -euo pipefail
tendon="${1:?usage: allocation_compare_test.sh TENDON_BINARY}"
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

"$tendon" demo --db "$work/demo.db" --months 1 --seed 1 --until 2026-11-20 >"$work/demo.log"
line=$("$tendon" allocate --compare --db "$work/demo.db" --at 2026-11-20)
echo "$line"

awk -v line="$line" 'BEGIN {
  n = split(line, pairs, " ")
  for (i = 1; i <= n; i++) {
    split(pairs[i], kv, "=")
    f[kv[1]] = kv[2] + 0
  }
  ok = 1
  if (f["priority_waiting"] < 1) { print "no priority patient is waiting: nothing to compare"; ok = 0 }
  if (!(f["allocator_priority_wait_days"] < f["fcfs_priority_wait_days"])) {
    print "the allocator does not beat first-come-first-served on priority waits"; ok = 0
  }
  if (!(f["allocator_travel_km"] < f["fcfs_travel_km"])) {
    print "the allocator does not beat first-come-first-served on travel"; ok = 0
  }
  if (f["placed"] < f["fcfs_placed"]) {
    print "the allocator places fewer patients than first-come-first-served"; ok = 0
  }
  exit ok ? 0 : 1
}'
