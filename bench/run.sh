#!/usr/bin/env bash
# Runs the benchmarks and prints their figures; record them in bench/RESULTS.md with the date.
# Usage: bench/run.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"

echo "== machine"
echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "disk of $PWD: $(df -h . | awk 'NR==2 {print $1}')"

echo "== store: group commit vs raw SQLite commits (same run, same disk)"
"$build/bench/store_bench" "$PWD/$build" 3

echo "== demo generation: tendon demo --months 6 --seed 1 (median of 3)"
./bench/demo_bench.sh "$build/src/cli/tendon" 3

echo "== intake: 10,000 referrals over HTTP by 16 clients, then /triage with 5,000 waiting"
./bench/intake.sh "$build"

echo "== slot search: a year of the Oxfordshire rota, earliest and nearest 10"
./bench/search.sh "$build"

echo "== booking: 16 clients over HTTP against 100 hot slots, beside SQLite's raw commit rate"
./bench/booking.sh "$build"

echo "== allocation: the waiting-list allocator against first-come-first-served on the demo"
./bench/allocation.sh "$build"

echo "== portal: a patient's timeline page on a year of demo history"
./bench/portal.sh "$build"

echo "== simulator: a SimPy 2 peer, the county model and a national year"
./bench/sim.sh "$build"
