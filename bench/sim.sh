#!/usr/bin/env bash
# The simulator against a SimPy 2 peer (the simulator issue; goals: speedup at least 50, at least 5
# million events a second, county year under 0.5 s, national year under 10 s, thread scaling at
# least 1.8). bench/peers/simpy_pathway.py runs the model of bench/scenarios/simpy-peer.toml in
# SimPy (Debian's python3-simpy, through /usr/bin/python3: a pyenv python3 on PATH lacks it);
# bench/sim_bench.cc runs the same scenario in tendon's engine, the same model at 4.5 million
# referrals a year, the Oxfordshire baseline for a year, and replications a second on 2 threads
# over 1. Both single-threaded timings are processor time. Prints one line:
#   simpy_s=N tendon_s=N speedup=R events_per_s=N county_year_s=N national_year_s=N thread_scaling=R
# Usage: bench/sim.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
bench=sim.sh
fail() {
  echo "$bench: $*" >&2
  exit 1
}
[ -x "$build/bench/sim_bench" ] || fail "build the sim_bench target"
/usr/bin/python3 -c 'import SimPy' 2>/dev/null || fail "python3-simpy is not installed (scripts/install-deps.sh)"

peer=$(/usr/bin/python3 bench/peers/simpy_pathway.py 1)
simpy_s=$(sed -n 's/.*simpy_s=\([0-9.]*\).*/\1/p' <<<"$peer")
line=$("$build/bench/sim_bench" "$PWD")
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$line"; }
tendon_s=$(field tendon_s)
speedup=$(awk -v a="$simpy_s" -v b="$tendon_s" 'BEGIN { printf "%.1f", a / b }')
echo "simpy_s=$simpy_s tendon_s=$tendon_s speedup=$speedup events_per_s=$(field events_per_s)" \
  "county_year_s=$(field county_year_s) national_year_s=$(field national_year_s)" \
  "thread_scaling=$(field thread_scaling)"
