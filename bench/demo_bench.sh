#!/usr/bin/env bash
# Times `tendon demo --months 6 --seed 1` into a fresh file, RUNS times, and prints each time and the
# median. The limit the foundation issue sets is 10 seconds.
# Usage: bench/demo_bench.sh TENDON [RUNS]
set -euo pipefail
tendon="${1:?usage: demo_bench.sh TENDON [RUNS]}"
runs="${2:-3}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
times=()
for i in $(seq "$runs"); do
  start=$(date +%s.%N)
  "$tendon" demo --db "$work/demo-$i.db" --months 6 --seed 1 --until 2026-11-20 >/dev/null
  end=$(date +%s.%N)
  t=$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')
  times+=("$t")
  printf 'run %d: %.2f s\n' "$i" "$t"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
printf 'median: %.2f s (limit 10 s, %.2fx of the limit)\n' "$median" "$(awk -v m="$median" 'BEGIN {print m / 10}')"
