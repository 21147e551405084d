#!/usr/bin/env bash
# Slot search over a year of slots at the 10 Oxfordshire sites (the booking issue; goal: p99 under
# 5 ms): bench/search_bench.cc. Prints one line, `search_p99_ms=N` first:
#   search_p99_ms=N search_p50_ms=N nearest_p50_ms=N nearest_p99_ms=N slots=N found=N
# Usage: bench/search.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
[ -x "$build/bench/search_bench" ] || { echo "search.sh: build the search_bench target" >&2; exit 1; }
line=$("$build/bench/search_bench" data)
p99=$(sed -n 's/.*search_p99_ms=\([0-9.]*\).*/\1/p' <<<"$line")
echo "search_p99_ms=$p99 ${line/search_p99_ms=$p99 /}"
