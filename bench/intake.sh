#!/usr/bin/env bash
# Measures referral intake over HTTP and the triage queue page (the intake issue):
#
#   referrals_per_s   10,000 referrals posted to POST /api/v1/referrals by 16 concurrent clients
#                     (wrk -t2 -c16, keep-alive), each a different patient; every other one is
#                     incomplete (no consent recorded) and is returned, so 5,000 wait for triage.
#                     Each is checked, screened, decided and committed durably before its answer.
#   p99_ms            the 99th percentile of those posts
#   queue_page_p95_ms GET /triage as a triage clinician with those 5,000 waiting (wrk -t1 -c4
#                     -d5s): read, order, audit and render the whole queue
#
# Goals: at least 1,000 referrals a second, p99 under 50 ms, queue page p95 under 50 ms.
#
# Prints exactly one line on stdout:
#   referrals_per_s=N p99_ms=N queue_page_p95_ms=N
# Progress goes to stderr; any failed step stops the script with a message and exit status 1.
#
# Usage: bench/intake.sh [BUILD_DIR] [TENDON]   (defaults: build, BUILD_DIR/src/cli/tendon)
# KEEP_WORK=1 keeps the database, logs and wrk output in the temporary folder it names.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
build="${1:-build}"
tendon="${2:-$build/src/cli/tendon}"
readonly referrals=10000 clients=16

bench=intake.sh
# shellcheck source=bench/lib.sh
. bench/lib.sh
need_tools wrk curl python3 sqlite3

db="$work/intake.db"
"$tendon" migrate --db "$db" >/dev/null || fail "tendon migrate failed"
add_user() {  # add_user NAME ROLE ORGANISATION
  printf '%s\n' "$password" |
    "$tendon" user add --db "$db" --username "$1" --role "$2" --organisation "$3" \
      --password-stdin >>"$work/user.log" 2>&1 || fail "tendon user add $1 failed: $(cat "$work/user.log")"
}
password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
add_user bench-referrer referrer K84001
add_user bench-triage triage_clinician RNU

start_server "$db" --data "$repo/data" --web "$repo/web"

read -r referrer_cookie referrer_csrf <<<"$(sign_in bench-referrer "$password")"
read -r triage_cookie _ <<<"$(sign_in bench-triage "$password")"

# Each request a new patient: NHS numbers from the 999 test range with their Modulus 11 check
# digit; every other referral leaves out consent_to_share (incomplete: returned to the referrer).
cat >"$work/post.lua" <<EOF
local limit = math.floor($referrals / 2)  -- per wrk thread (-t2)
local sent = 0
local thread_no = 0
local threads = {}
function setup(thread)
  thread:set("thread_no", #threads)
  table.insert(threads, thread)
end
function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Cookie"] = "$referrer_cookie"
  wrk.headers["X-CSRF-Token"] = "$referrer_csrf"
  counter = thread_no * 1000000
end
local function nhs_number(serial)
  local nine = string.format("999%06d", serial % 1000000)
  local sum = 0
  for i = 1, 9 do sum = sum + tonumber(nine:sub(i, i)) * (11 - i) end
  local check = 11 - sum % 11
  if check == 11 then check = 0 end
  if check == 10 then return nil end
  return nine .. check
end
local redflag_names = {"bladder_bowel_dysfunction", "saddle_anaesthesia",
  "bilateral_leg_symptoms", "progressive_neurological_deficit", "sexual_dysfunction",
  "history_of_cancer", "unexplained_weight_loss", "night_pain", "fever_or_systemically_unwell",
  "immunosuppressed", "iv_drug_use", "recent_infection", "major_trauma",
  "minor_trauma_with_osteoporosis", "hot_swollen_joint", "joint_prosthesis",
  "morning_stiffness_over_30_min", "multiple_swollen_joints", "small_joints_hands_feet",
  "new_headache_scalp_tenderness_jaw_claudication", "visual_disturbance"}
local flags = {}
for _, name in ipairs(redflag_names) do table.insert(flags, '"' .. name .. '": false') end
local redflags = '"redflags": {' .. table.concat(flags, ", ") .. '}'
function request()
  local number
  repeat
    counter = counter + 1
    number = nhs_number(counter)
  until number
  sent = sent + 1
  local consent = (sent % 2 == 0) and ', "consent_to_share": true' or ''
  local body = '{"referrer_name": "Dr Bench", "patient": {"nhs_number": "' .. number
    .. '", "given_name": "Pat", "family_name": "Bench", "date_of_birth": "1970-03-14", '
    .. '"sex": "female", "postcode": "OX3 9DU", "phone": "01865 000000"}, '
    .. '"answers": {"body_sites": ["knee"], "side": "left", "duration_weeks": 8, '
    .. '"severity": 5, ' .. redflags .. consent .. '}}'
  return wrk.format(nil, "/api/v1/referrals", nil, body)
end
local answered = 0
function response(status, headers, body)
  answered = answered + 1
  if status ~= 201 then
    io.stderr:write("status " .. status .. ": " .. body .. "\n")
    wrk.thread:stop()
  end
  if answered >= limit then wrk.thread:stop() end
end
function done(summary, latency, requests)
  io.write(string.format("posted=%d errors=%d p99_ms=%.2f\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    latency:percentile(99) / 1000))
end
EOF

say "posting $referrals referrals with $clients clients"
# wrk runs until -d is over even once every thread has stopped at its limit, so the rate is taken
# from the registration times the server recorded: the first to the last referral.
wrk -t2 -c"$clients" -d30s -s "$work/post.lua" "$base" >"$work/post.wrk" 2>&1 ||
  fail "wrk failed: $(cat "$work/post.wrk")"
grep -q '^posted=' "$work/post.wrk" || fail "wrk gave no summary: $(cat "$work/post.wrk")"
posted=$(sed -n 's/^posted=\([0-9]*\).*/\1/p' "$work/post.wrk")
errors=$(sed -n 's/.*errors=\([0-9]*\).*/\1/p' "$work/post.wrk")
p99_ms=$(sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p' "$work/post.wrk")
[ "$errors" = 0 ] || fail "$errors posts failed: $(cat "$work/post.wrk")"
# wrk counts requests answered, a few past the limit while threads stop: count what was stored.
waiting=$(curl -s -H "Cookie: $triage_cookie" "$base/api/v1/triage/queue" |
  python3 -c 'import json, sys; print(len(json.load(sys.stdin)["items"]))')
say "posted $posted referrals; $waiting wait for triage"
[ "$posted" -ge "$referrals" ] || fail "only $posted of $referrals referrals were posted"
read -r stored span_ms < <(sqlite3 -separator ' ' "$db" \
  "SELECT count(*), max(received_at) - min(received_at) FROM referrals")
[ "$stored" -ge "$referrals" ] || fail "only $stored referrals were stored"
referrals_per_s=$(awk -v n="$stored" -v ms="$span_ms" 'BEGIN {printf "%.0f", (n - 1) * 1000 / ms}')

cat >"$work/queue.lua" <<EOF
wrk.headers["Cookie"] = "$triage_cookie"
function response(status, headers, body)
  if status ~= 200 then io.stderr:write("queue status " .. status .. "\n") end
end
function done(summary, latency, requests)
  io.write(string.format("queue_p95_ms=%.2f requests=%d non2xx=%d\n",
    latency:percentile(95) / 1000, summary.requests, summary.errors.status))
end
EOF
say "rendering /triage with $waiting waiting"
wrk -t1 -c4 -d5s -s "$work/queue.lua" "$base/triage" >"$work/queue.wrk" 2>&1 ||
  fail "wrk against /triage failed: $(cat "$work/queue.wrk")"
grep -q 'non2xx=0' "$work/queue.wrk" || fail "/triage gave error answers: $(cat "$work/queue.wrk")"
queue_p95=$(sed -n 's/^queue_p95_ms=\([0-9.]*\).*/\1/p' "$work/queue.wrk")

"$tendon" check --db "$db" >"$work/check.log" 2>&1 || fail "tendon check failed: $(tail -3 "$work/check.log")"
echo "referrals_per_s=$referrals_per_s p99_ms=$p99_ms queue_page_p95_ms=$queue_p95"
