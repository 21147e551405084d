#!/usr/bin/env bash
# The waiting-list allocator against first-come-first-served on the demo service (the booking
# issue, point 5: the allocator must beat first-come-first-served on both the priority patients'
# waits and the total travel). Builds the six-month demo (seed 1, until 2026-11-20) in a temporary
# folder and runs `tendon allocate --compare` on its waiting list and free slots as of the demo's
# end (midnight in London on --until), with the default travel limit (30 km) and horizon (8 weeks).
# Prints one line, the comparison's figures first:
#   allocator_priority_wait_days=N fcfs_priority_wait_days=N allocator_travel_km=N fcfs_travel_km=N
#   placed=N fcfs_placed=N waiting=N ...
# Waits are whole days from joining the list to the appointment; priority patients are emergency,
# urgent and post-operative ones; travel is the sum over face-to-face proposals.
# Usage: bench/allocation.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
bench=allocation.sh
tendon="$build/src/cli/tendon"
# shellcheck source=bench/lib.sh
source bench/lib.sh
need_tools

until=2026-11-20
say "building the six-month demo until $until"
"$tendon" demo --db "$work/demo.db" --months 6 --seed 1 --until "$until" >"$work/demo.log"
"$tendon" allocate --compare --db "$work/demo.db" --at "$until"
