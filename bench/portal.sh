#!/usr/bin/env bash
# The patient portal's timeline page under a patient's session (the patient issue; goal: p95 under
# 20 ms):
#
#   timeline_p95_ms  GET /portal/referral, one request at a time over a keep-alive connection,
#                    for the referral with the longest history among those waiting to book their
#                    first appointment (so that the page also works out the expected wait) on a
#                    demo database with a year of history (`tendon demo --months 12`). Each view
#                    writes its audit row durably before the answer, as every read of patient
#                    data does.
#
# The patient signs in the honest way: the reference and date of birth on /portal/sign-in, then the
# code read from the outbox row the sign-in queued (the store keeps only its hash elsewhere). One
# view before timing lets the server fold the whole event log into its wait figures (reported as
# first_view_ms); later views fold only new events, at most once a minute.
#
# Prints exactly one line on stdout:
#   timeline_p95_ms=N timeline_p50_ms=N first_view_ms=N views=N events=N
# Usage: bench/portal.sh [BUILD_DIR] [TENDON]   (defaults: build, BUILD_DIR/src/cli/tendon)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
tendon="${2:-$build/src/cli/tendon}"
readonly views=500 months=12

bench=portal.sh
# shellcheck source=bench/lib.sh
. bench/lib.sh
need_tools curl python3 sqlite3

db="$work/portal.db"
say "building a demo database with $months months of history"
"$tendon" demo --db "$db" --months "$months" >"$work/demo.log" 2>&1 ||
  fail "tendon demo: $(tail -3 "$work/demo.log")"

# The referral with the longest history among those waiting to book their first appointment (so
# that the page works out an expected wait) whose patient can be sent a code (an email address or
# a mobile number) and has a date of birth.
read -r reference dob events < <(sqlite3 -separator ' ' "$db" "
  SELECT r.id, date(p.date_of_birth * 86400, 'unixepoch'), count(e.id)
  FROM referrals r JOIN patients p ON p.key = r.patient_key
  JOIN pathway_events e ON e.referral_id = r.id
  WHERE r.state = 'waiting_to_book' AND p.date_of_birth IS NOT NULL
    AND (p.email LIKE '%@%' OR replace(p.phone, ' ', '') LIKE '07%')
    AND NOT EXISTS (SELECT 1 FROM pathway_events a
                    WHERE a.referral_id = r.id AND a.type = 'appointment.attended')
  GROUP BY r.id ORDER BY count(e.id) DESC, r.id LIMIT 1") || true
[ -n "${reference:-}" ] || fail "the demo database has no referral waiting to book to view"
IFS=- read -r year month day <<<"$dob"

start_server "$db"

say "signing in to the portal with referral $reference"
headers="$work/portal.headers"
curl -s -D "$headers" -o /dev/null "$base/portal/sign-in" || fail "GET /portal/sign-in failed"
form=$(sed -n 's/^[Ss]et-[Cc]ookie: tendon_form_csrf=\([^;]*\).*/\1/p' "$headers" | tr -d '\r')
[ -n "$form" ] || fail "the sign-in page set no form token"
curl -s -D "$headers" -o /dev/null -b "tendon_form_csrf=$form" \
  --data-urlencode "csrf_token=$form" --data-urlencode "reference=$reference" \
  --data-urlencode "date_of_birth-day=$day" --data-urlencode "date_of_birth-month=$month" \
  --data-urlencode "date_of_birth-year=$year" "$base/portal/sign-in" ||
  fail "POST /portal/sign-in failed"
challenge=$(sed -n 's/^[Ss]et-[Cc]ookie: tendon_portal_challenge=\([^;]*\).*/\1/p' "$headers" |
  tr -d '\r')
[ -n "$challenge" ] || fail "the sign-in set no challenge"
code=$(sqlite3 "$db" "SELECT json_extract(payload, '\$.code') FROM outbox
  WHERE kind = 'portal.sign_in_code' AND referral_id = '$reference' ORDER BY id DESC LIMIT 1")
[ -n "$code" ] || fail "no sign-in code was queued for $reference"
curl -s -D "$headers" -o /dev/null -b "tendon_form_csrf=$form; tendon_portal_challenge=$challenge" \
  --data-urlencode "csrf_token=$form" --data-urlencode "code=$code" "$base/portal/code" ||
  fail "POST /portal/code failed"
session=$(sed -n 's/^[Ss]et-[Cc]ookie: \([^=;]*tendon_session=[^;]*\).*/\1/p' "$headers" |
  tr -d '\r')
[ -n "$session" ] || fail "the code gave no session"

first=$(curl -s -o "$work/first.html" -w '%{http_code} %{time_total}' -H "Cookie: $session" \
  "$base/portal/referral")
[ "${first%% *}" = 200 ] || fail "GET /portal/referral answered ${first%% *}"
grep -q 'id="timeline"' "$work/first.html" || fail "the page has no timeline"
grep -q 'id="wait-how"' "$work/first.html" || fail "the page has no expected wait"

say "timing $views views of the timeline"
# One curl, one connection, $views sequential requests: each line is one request's total time.
requests=()
for _ in $(seq "$views"); do requests+=(-o /dev/null "$base/portal/referral"); done
curl -s -H "Cookie: $session" -w '%{http_code} %{time_total}\n' "${requests[@]}" >"$work/times.txt"
awk '$1 != 200 { bad++ } END { exit bad > 0 }' "$work/times.txt" ||
  fail "some views did not answer 200: $(sort "$work/times.txt" | uniq -c | head -3)"

python3 - "$work/times.txt" "${first#* }" "$views" "$events" <<'EOF'
import sys
times = sorted(float(line.split()[1]) * 1000 for line in open(sys.argv[1]))
def pct(p):
    return times[min(len(times) - 1, max(0, int(round(p / 100 * len(times))) - 1))]
print(f"timeline_p95_ms={pct(95):.1f} timeline_p50_ms={pct(50):.1f} "
      f"first_view_ms={float(sys.argv[2]) * 1000:.0f} views={sys.argv[3]} events={sys.argv[4]}")
EOF
