#!/usr/bin/env bash
# A SIGKILL of the server during a booking load loses no acknowledged booking (the booking issue).
# `tendon serve` on a one-month demo database (with its forward diary of slots); 8 clients book the
# referrals waiting to book into free slots over HTTP as the demo coordinator; half way through,
# the server is killed with SIGKILL. Every booking answered 201 must then be in the database,
# booked, in its slot, and `tendon check` must find no violation.
# Usage: booking_kill_test.sh TENDON SOURCE_DIR
set -euo pipefail
tendon="${1:?usage: booking_kill_test.sh TENDON SOURCE_DIR}"
src="${2:?usage: booking_kill_test.sh TENDON SOURCE_DIR}"
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

db="$work/k.db"
"$tendon" demo --db "$db" --months 1 >"$work/demo.out" || fail "tendon demo: $(cat "$work/demo.out")"
"$tendon" serve --db "$db" --listen 127.0.0.1:0 --web "$src/web" --data "$src/data" --quiet \
  --assets "$src/node_modules/nhsuk-frontend/dist" >"$work/serve.out" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$work/serve.out" 2>/dev/null && break
  sleep 0.1
done
base=$(sed -n 's/^listening on //p' "$work/serve.out")
[ -n "$base" ] || fail "the server did not start: $(cat "$work/serve.out")"

python3 - "$base" "$db" "$server_pid" "$work/acknowledged" <<'EOF'
import http.client, json, os, re, signal, sqlite3, sys, threading, time, urllib.parse

base, db, server_pid, acknowledged_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
host, port = urllib.parse.urlparse(base).hostname, urllib.parse.urlparse(base).port

def request(method, path, body=None, headers=None):
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request(method, path, body=body, headers=headers or {})
    reply = conn.getresponse()
    return reply.status, reply.getheaders(), reply.read().decode()

# Sign in as the demo coordinator, as a browser would (double-submit CSRF token on the form).
status, headers, page = request("GET", "/sign-in")
form_csrf = re.search(r"tendon_form_csrf=([^;]+)", dict(headers)["Set-Cookie"]).group(1)
body = urllib.parse.urlencode({"csrf_token": form_csrf, "username": "demo-coordinator",
                               "password": "demo-coordinator-password"})
status, headers, _ = request("POST", "/sign-in", body, {
    "Content-Type": "application/x-www-form-urlencoded", "Cookie": "tendon_form_csrf=" + form_csrf})
cookie = next(v.split(";")[0] for k, v in headers if k == "Set-Cookie" and "tendon_session" in v)
status, _, home = request("GET", "/home", headers={"Cookie": cookie})
csrf = re.search(r'name="csrf_token" value="([^"]+)"', home).group(1)

# Pairs of a referral waiting to book and a free slot open to all, read from the database.
conn = sqlite3.connect(db)
now_ms = int(time.time() * 1000) + 60_000
referrals = [r for (r,) in conn.execute(
    "SELECT id FROM referrals WHERE state = 'waiting_to_book' ORDER BY id")]
slots = [s for (s,) in conn.execute(
    "SELECT id FROM slots WHERE start_at > ? AND booked < capacity AND cancelled = 0 "
    "AND (ringfence = 'none' OR opens_to_all_at <= ?) AND capacity = 1 ORDER BY start_at",
    (now_ms, now_ms))]
conn.close()
pairs = list(zip(referrals, slots))
if len(pairs) < 40:
    sys.exit(f"only {len(pairs)} referral/slot pairs to book; the demo needs more")

acknowledged, lock, killed = [], threading.Lock(), threading.Event()
def client(work):
    for referral, slot in work:
        if killed.is_set():
            return
        try:
            status, _, body = request("POST", "/api/v1/appointments/book",
                                      json.dumps({"referral_id": referral, "slot_id": slot}),
                                      {"Cookie": cookie, "X-CSRF-Token": csrf,
                                       "Content-Type": "application/json"})
        except OSError:
            return  # The server is gone.
        if status == 201:
            with lock:
                acknowledged.append(json.loads(body)["appointment_id"])
                if len(acknowledged) == len(pairs) // 2:
                    os.kill(server_pid, signal.SIGKILL)
                    killed.set()

threads = [threading.Thread(target=client, args=(pairs[i::8],)) for i in range(8)]
for t in threads: t.start()
for t in threads: t.join()
if not killed.is_set():
    sys.exit(f"the load ended before the kill: {len(acknowledged)} of {len(pairs)} booked")
with open(acknowledged_file, "w") as out:
    out.write("\n".join(acknowledged) + "\n")
print(f"{len(acknowledged)} bookings acknowledged before SIGKILL", file=sys.stderr)
EOF
wait "$server_pid" 2>/dev/null || true
server_pid=""

acknowledged=$(wc -l <"$work/acknowledged")
found=$(python3 - "$db" "$work/acknowledged" <<'EOF'
import sqlite3, sys
ids = [line.strip() for line in open(sys.argv[2]) if line.strip()]
conn = sqlite3.connect(sys.argv[1])
print(sum(1 for i in ids if conn.execute(
    "SELECT 1 FROM appointments a JOIN referrals r ON r.id = a.referral_id "
    "WHERE a.id = ? AND a.status = 'booked' AND r.state = 'booked'", (i,)).fetchone()))
EOF
)
[ "$found" = "$acknowledged" ] || fail "$found of $acknowledged acknowledged bookings survived"
"$tendon" check --db "$db" >"$work/check.out" || fail "tendon check: $(tail -5 "$work/check.out")"
echo "ok: all $acknowledged acknowledged bookings survived SIGKILL; check is clean"
