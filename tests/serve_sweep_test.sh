#!/usr/bin/env bash
# `tendon serve` runs the daily housekeeping itself (the patient issue's reminders and follow-up
# windows, without cron): at start it queues a reminder for every appointment two working days
# ahead, each once, so its next turns queue none, and /metrics counts the turns and gives the
# last success; --sweep-every 0 runs none; a bad value is refused naming the flag.
# Usage: serve_sweep_test.sh TENDON SOURCE_DIR
set -euo pipefail
tendon="${1:?usage: serve_sweep_test.sh TENDON SOURCE_DIR}"
src="${2:?usage: serve_sweep_test.sh TENDON SOURCE_DIR}"
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
reminders() { sqlite3 "$work/s.db" "SELECT count(*) FROM outbox WHERE kind = 'appointment.reminder'"; }

# The demo's diary runs from today, so some appointments fall two working days ahead.
"$tendon" demo --db "$work/s.db" --months 1 >"$work/demo.out"
[ "$(reminders)" = 0 ] || fail "the demo queued reminders itself"

# serve FLAGS...: starts the server, waits for its address.
serve() {
  "$tendon" serve --db "$work/s.db" --listen 127.0.0.1:0 --web "$src/web" --quiet "$@" \
    >"$work/serve.out" 2>"$work/serve.err" &
  server_pid=$!
  for _ in $(seq 100); do
    grep -q '^listening on ' "$work/serve.out" 2>/dev/null && return 0
    sleep 0.1
  done
  fail "the server did not start: $(cat "$work/serve.out" "$work/serve.err")"
}
stop() {
  kill -TERM "$server_pid"
  wait "$server_pid" || fail "serve exited with $?"
  server_pid=""
  grep -q '^stopped$' "$work/serve.out" || fail "serve did not stop cleanly: $(cat "$work/serve.out")"
}
# sweeps N: waits until serve has printed N sweep lines.
sweeps() {
  for _ in $(seq 100); do
    [ "$(grep -c '^sweep: ' "$work/serve.out" || true)" -ge "$1" ] && return 0
    sleep 0.1
  done
  fail "fewer than $1 sweeps: $(cat "$work/serve.out" "$work/serve.err")"
}

# --sweep-every 0: no housekeeping.
serve --sweep-every 0
sleep 1
stop
grep -q '^sweep' "$work/serve.out" && fail "--sweep-every 0 swept: $(cat "$work/serve.out")"
[ "$(reminders)" = 0 ] || fail "--sweep-every 0 queued reminders"

# Every second: the first turn queues the reminders, the next ones nothing more.
serve --sweep-every 1
sweeps 3
# /metrics counts the sweeps and gives the last success, for the monitoring to alert on.
base=$(sed -n 's/^listening on //p' "$work/serve.out")
metrics=$(curl -s "$base/metrics")
ok=$(sed -n 's/^tendon_sweep_runs_total{outcome="ok"} //p' <<<"$metrics")
[ "${ok:-0}" -ge 3 ] || fail "/metrics counts ${ok:-no} successful sweeps after three"
last=$(sed -n 's/^tendon_sweep_last_success_timestamp_seconds //p' <<<"$metrics")
[ $(($(date +%s) - ${last:-0})) -lt 60 ] || fail "the last successful sweep is not recent: ${last:-none}"
stop
first=$(grep -m1 '^sweep: ' "$work/serve.out" | sed -n 's/.*reminders=\([0-9]*\).*/\1/p')
[ "${first:-0}" -gt 0 ] || fail "the first sweep queued no reminder: $(cat "$work/serve.out")"
[ "$(reminders)" = "$first" ] || fail "the outbox holds $(reminders) reminders, the sweep said $first"
later=$(grep '^sweep: ' "$work/serve.out" | sed -n '2,$p')
grep -qv 'reminders=0 ' <<<"$later" && fail "a later sweep queued reminders again: $later"

# A bad value is refused, naming the flag, and nothing starts.
if "$tendon" serve --db "$work/s.db" --sweep-every -5 >"$work/bad.out" 2>&1; then
  fail "--sweep-every -5 was accepted"
fi
grep -q -- '--sweep-every' "$work/bad.out" || fail "the refusal does not name --sweep-every: $(cat "$work/bad.out")"
echo "ok: the first sweep queued $first reminders, the later ones none"
