#!/usr/bin/env bash
# Booking under load over HTTP (the booking issue; goals: ratio at least 1.0, p99 under 50 ms, max
# under 250 ms, no double booking):
#
#   bookings_per_s    16 clients (wrk -t16 -c16, one keep-alive connection each) as the demo
#                     coordinator, each with its own referral waiting to book, book one of 100 hot
#                     single-place slots, then cancel it to replenish the slot, for 10 s; a 409
#                     (another client holds that slot) moves the client to the next slot. Every
#                     booking and cancellation is committed durably before its answer.
#   raw_commit_per_s  SQLite's single-row commit rate (WAL, synchronous=FULL) on the same disk,
#                     measured in the same run (bench/store_bench.cc)
#   ratio             bookings_per_s / raw_commit_per_s
#   p99_ms, max_ms    over every request of the load (bookings and cancellations)
#   double_bookings   slots holding more appointments than places afterwards (read from the
#                     database; the database refuses them, so this must be 0)
#
# On stderr it also gives the syncs of the log during the load, and the store's single writer's
# share of the load with its CPU time a booking: the most bookings a second that one writer could
# commit with a core to itself.
#
# Prints exactly one line on stdout:
#   bookings_per_s=N raw_commit_per_s=N ratio=R p99_ms=N max_ms=N double_bookings=N
# Usage: bench/booking.sh [BUILD_DIR] [TENDON]   (defaults: build, BUILD_DIR/src/cli/tendon)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
tendon="${2:-$build/src/cli/tendon}"
readonly clients=16 hot_slots=100 duration=10

bench=booking.sh
# shellcheck source=bench/lib.sh
. bench/lib.sh
need_tools wrk curl python3 sqlite3
[ -x "$build/bench/store_bench" ] || fail "$build/bench/store_bench not found: build it"

say "measuring SQLite's raw commit rate"
raw=$("$build/bench/store_bench" "$work" 2 | sed -n 's/^raw sqlite.*: *\([0-9]*\) commits\/s/\1/p')
[ -n "$raw" ] || fail "store_bench printed no raw commit rate"

db="$work/booking.db"
"$tendon" demo --db "$db" --months 1 >"$work/demo.log" 2>&1 || fail "tendon demo: $(tail -3 "$work/demo.log")"
now_ms=$(($(date +%s) * 1000 + 3600000))
referrals=$(sqlite3 "$db" "SELECT id FROM referrals WHERE state = 'waiting_to_book' ORDER BY id
  LIMIT $clients" | paste -sd, -)
slots=$(sqlite3 "$db" "SELECT id FROM slots WHERE start_at > $now_ms AND capacity = 1
  AND booked = 0 AND cancelled = 0 AND (ringfence = 'none' OR opens_to_all_at <= $now_ms)
  ORDER BY start_at LIMIT $hot_slots" | paste -sd, -)
[ "$(tr ',' '\n' <<<"$referrals" | wc -l)" = "$clients" ] || fail "fewer than $clients referrals wait"
[ "$(tr ',' '\n' <<<"$slots" | wc -l)" = "$hot_slots" ] || fail "fewer than $hot_slots free slots"

start_server "$db"
read -r cookie csrf <<<"$(sign_in demo-coordinator demo-coordinator-password)"

# One connection per wrk thread, so each thread's state follows its own requests: book a slot,
# then cancel that appointment, then book the next slot.
cat >"$work/book.lua" <<EOF
local referrals = {}
for r in string.gmatch("$referrals", "[^,]+") do table.insert(referrals, r) end
local slots = {}
for s in string.gmatch("$slots", "[^,]+") do table.insert(slots, s) end
local threads = {}
local count = 0
function setup(thread)
  count = count + 1
  thread:set("me", count)
  table.insert(threads, thread)
end
function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Cookie"] = "$cookie"
  wrk.headers["X-CSRF-Token"] = "$csrf"
  referral = referrals[me]
  next_slot = (me - 1) * math.floor(#slots / $clients)
  appointment = nil
  booked, full, errors = 0, 0, 0
end
function request()
  if appointment then
    return wrk.format(nil, "/api/v1/appointments/cancel", nil, '{"referral_id":"' .. referral
      .. '","appointment_id":"' .. appointment .. '","by":"service","reason":"bench"}')
  end
  local slot = slots[next_slot % #slots + 1]
  return wrk.format(nil, "/api/v1/appointments/book", nil,
    '{"referral_id":"' .. referral .. '","slot_id":"' .. slot .. '"}')
end
function response(status, headers, body)
  if appointment then
    if status == 200 then appointment = nil else errors = errors + 1 end
    next_slot = next_slot + 1
    return
  end
  if status == 201 then
    booked = booked + 1
    appointment = string.match(body, '"appointment_id":"([^"]+)"')
  elseif status == 409 then
    full = full + 1
    next_slot = next_slot + 1
  else
    errors = errors + 1
    io.stderr:write("status " .. status .. ": " .. body .. "\n")
  end
end
function done(summary, latency, requests)
  local b, f, e = 0, 0, 0
  for _, t in ipairs(threads) do
    b = b + t:get("booked"); f = f + t:get("full"); e = e + t:get("errors")
  end
  io.write(string.format("booked=%d full=%d errors=%d seconds=%.3f p99_ms=%.2f max_ms=%.2f\n",
    b, f, e, summary.duration / 1e6, latency:percentile(99) / 1000,
    latency.max / 1000))
end
EOF
metric() { sed -n "s/^$1 \([0-9.e+-]*\)$/\1/p" <<<"$metrics"; }
metrics=$(curl -s "$base/metrics")
busy_before=$(metric tendon_store_writer_busy_seconds_total)
cpu_before=$(metric tendon_store_writer_cpu_seconds_total)
say "booking with $clients clients against $hot_slots hot slots for ${duration}s"
wrk -t"$clients" -c"$clients" -d"${duration}s" -s "$work/book.lua" "$base" >"$work/book.wrk" 2>&1 ||
  fail "wrk failed: $(cat "$work/book.wrk")"
line=$(grep '^booked=' "$work/book.wrk") || fail "wrk gave no summary: $(cat "$work/book.wrk")"
value() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$line"; }
[ "$(value errors)" = 0 ] || fail "$(value errors) requests failed: $(tail -5 "$work/book.wrk")"

# How long the server's syncs of the log took, for a slow run: every answer waits for one.
metrics=$(curl -s "$base/metrics")
syncs=$(metric tendon_store_sync_seconds_count)
say "$syncs syncs of the log, mean $(awk -v s="$(metric tendon_store_sync_seconds_sum)" -v n="$syncs" \
  'BEGIN { printf "%.3f", n ? 1000 * s / n : 0 }') ms; over 10 ms: $((syncs - \
  $(metric 'tendon_store_sync_seconds_bucket{le="0.01"}'))), over 50 ms: $((syncs - \
  $(metric 'tendon_store_sync_seconds_bucket{le="0.05"}')))"
# The single writer's share of the load, and its CPU time for each booking with the writes that
# came with it (its cancellation, the audit of each request): with a core to itself, the writer
# could commit no more bookings a second than the bookings over that CPU time.
awk -v busy="$(metric tendon_store_writer_busy_seconds_total)" -v busy0="$busy_before" \
  -v cpu="$(metric tendon_store_writer_cpu_seconds_total)" -v cpu0="$cpu_before" \
  -v n="$(value booked)" -v s="$(value seconds)" -v raw="$raw" 'BEGIN {
    printf "booking.sh: the writer was busy %.0f%% of the load, on the CPU for %.0f us a booking: " \
      "with a core to itself, at most %.0f bookings/s (ratio %.2f)\n", 100 * (busy - busy0) / s,
      1e6 * (cpu - cpu0) / n, n / (cpu - cpu0), n / (cpu - cpu0) / raw }' >&2
stop_server
double=$(sqlite3 "$db" "SELECT count(*) FROM (SELECT slot_id FROM appointments
  WHERE status <> 'cancelled' GROUP BY slot_id HAVING count(*) > 1)")
"$tendon" check --db "$db" >"$work/check.log" 2>&1 || fail "tendon check: $(tail -3 "$work/check.log")"

rate=$(awk -v n="$(value booked)" -v s="$(value seconds)" 'BEGIN {printf "%.0f", n / s}')
ratio=$(awk -v a="$rate" -v b="$raw" 'BEGIN {printf "%.2f", a / b}')
echo "bookings_per_s=$rate raw_commit_per_s=$raw ratio=$ratio p99_ms=$(value p99_ms)" \
  "max_ms=$(value max_ms) double_bookings=$double"
