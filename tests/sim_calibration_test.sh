#!/usr/bin/env bash
# The calibrated simulator reproduces the record (the simulator issue, part 3): builds a six-month
# demo (seed 1, until 2026-11-23), calibrates a scenario from its event log with
# `tendon simulate --calibrate-from`, simulates that scenario over the same period (10
# replications, seed 7) and fails unless the simulated mean wait to the first attended appointment
# of each tier is within 10% of the demo's own, both as the report's fold measures them.
#
#   tests/sim_calibration_test.sh TENDON_BINARY
set -euo pipefail
tendon="${1:?usage: sim_calibration_test.sh TENDON_BINARY}"
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

"$tendon" demo --db "$work/demo.db" --months 6 --seed 1 --until 2026-11-23 >"$work/demo.log"
observed=$("$tendon" simulate --calibrate-from "$work/demo.db" --out "$work/calibrated.toml")
simulated=$("$tendon" simulate "$work/calibrated.toml" --replications 10 --seed 7)
echo "$observed"
echo "$simulated" | grep -E '^wait_mean_weeks\.(all|tier1|tier2) '

# "observed: wait_mean_weeks.tier1=2.02 ..." against "wait_mean_weeks.tier1 = 2.09 weeks (...)".
awk -v observed="$observed" -v simulated="$simulated" 'BEGIN {
  n = split(observed, words, /[ \n]/)
  for (i = 1; i <= n; i++) if (split(words[i], kv, "=") == 2) seen[kv[1]] = kv[2] + 0
  n = split(simulated, lines, "\n")
  for (i = 1; i <= n; i++) if (split(lines[i], w, " ") >= 3 && w[2] == "=") sim[w[1]] = w[3] + 0
  ok = 1
  split("wait_mean_weeks.tier1 wait_mean_weeks.tier2", keys, " ")
  for (k in keys) {
    key = keys[k]
    if (!(key in seen) || !(key in sim) || seen[key] <= 0) { print "no figure for " key; ok = 0; continue }
    gap = (sim[key] - seen[key]) / seen[key]
    printf "%s observed %.3f simulated %.3f (%+.1f%%)\n", key, seen[key], sim[key], 100 * gap
    if (gap > 0.10 || gap < -0.10) { print key " is not within 10% of the record"; ok = 0 }
  }
  exit ok ? 0 : 1
}'
