#!/usr/bin/env bash
# End to end over real HTTP on loopback: `tendon serve` on a demo database answers /healthz, serves
# the NHS-styled sign-in page, puts the security headers on every response (error pages included),
# refuses path traversal and oversized bodies, answers 401 and 403 on the API, keeps identifiers out
# of its access log, folds the portal's wait figures at start, and stops cleanly on SIGTERM.
# Usage: serve_test.sh TENDON SOURCE_DIR
set -euo pipefail
tendon="${1:?usage: serve_test.sh TENDON SOURCE_DIR}"
src="${2:?usage: serve_test.sh TENDON SOURCE_DIR}"
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

"$tendon" demo --db "$work/s.db" --months 1 --until 2026-11-20 >"$work/demo.out"
"$tendon" serve --db "$work/s.db" --listen 127.0.0.1:0 --web "$src/web" \
  --assets "$src/node_modules/nhsuk-frontend/dist" >"$work/serve.out" 2>"$work/access.log" &
server_pid=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$work/serve.out" 2>/dev/null && break
  sleep 0.1
done
base=$(sed -n 's/^listening on //p' "$work/serve.out")
[ -n "$base" ] || fail "the server did not start: $(cat "$work/serve.out" "$work/access.log")"
grep -q 'demo-admin / demo-admin-password' "$work/serve.out" || fail "demo accounts not printed"
# The portal's wait figures are folded from the event log at start, not by the first patient.
for _ in $(seq 100); do
  grep -q '^portal wait figures ' "$work/serve.out" && break
  sleep 0.1
done
grep -Eq '^portal wait figures ready: [1-9][0-9]* completed waits in [0-9.]+ s$' "$work/serve.out" ||
  fail "wait figures not folded at start: $(grep '^portal' "$work/serve.out" || echo none)"

headers_ok() {  # FILE: the saved response headers carry the security headers.
  grep -qi '^content-security-policy: .*frame-ancestors .none.' "$1" || return 1
  grep -qi "^content-security-policy: .*unsafe-inline" "$1" && return 1
  grep -qi '^x-content-type-options: nosniff' "$1" || return 1
  grep -qi '^referrer-policy: ' "$1" || return 1
  grep -qi '^x-request-id: ' "$1" || return 1
}
status_of() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

# /healthz, the sign-in page and its NHS stylesheet.
curl -s -D "$work/h" "$base/healthz" >"$work/b"
grep -q '200' <(head -1 "$work/h") && grep -qx '{"status":"ok"}' "$work/b" || fail "healthz"
headers_ok "$work/h" || fail "healthz security headers"
curl -s -D "$work/h" "$base/sign-in" >"$work/b"
headers_ok "$work/h" || fail "sign-in security headers"
css=$(grep -o 'rel="stylesheet" href="[^"]*nhsuk[^"]*\.css"' "$work/b" | head -1 | sed 's/.*href="//; s/"$//' || true)
[ -n "$css" ] || fail "the sign-in page links no NHS stylesheet"
curl -s -D "$work/h" "$base$css" >"$work/css"
grep -q ' 200' <(head -1 "$work/h") && grep -qi '^content-type: text/css' "$work/h" \
  || fail "stylesheet $css not served as CSS"
grep -q 'nhsuk-header' "$work/css" || fail "$css is not the NHS.UK frontend"
icon=$(grep -o 'href="/assets/nhsuk/[^"]*"' "$work/b" | head -1 | sed 's/href="//; s/"$//' || true)
[ -n "$icon" ] && [ "$(status_of "$base$icon")" = 200 ] || fail "NHS.UK asset $icon not served"

# Error pages carry the headers too.
curl -s -D "$work/h" -o "$work/b" "$base/no-such-page"
grep -q ' 404' <(head -1 "$work/h") && headers_ok "$work/h" || fail "404 page"
grep -q 'Page not found' "$work/b" || fail "404 page text"

# No way out of the web roots.
for path in '/static/../CMakeLists.txt' '/assets/nhsuk/../../../package.json' \
            '/static/%2e%2e/%2e%2e/CMakeLists.txt' '/static/..%2f..%2fCMakeLists.txt'; do
  code=$(status_of --path-as-is "$base$path")
  [ "$code" = 404 ] || [ "$code" = 400 ] || fail "traversal $path answered $code"
done

# A 20 MB body is refused with 413 from its Content-Length, before any of it is sent.
host=${base#http://}
answer=$(python3 - "$host" <<'PY'
import socket, sys
host, port = sys.argv[1].rsplit(':', 1)
s = socket.create_connection((host, int(port)), timeout=5)
s.sendall(b"POST /sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
          b"Content-Length: 20971520\r\n\r\n")
print(s.recv(4096).split(b"\r\n")[0].decode())
PY
)
echo "$answer" | grep -q ' 413' || fail "20 MB body: $answer"

# The API: 401 without a session; 403 for the wrong role.
curl -s -D "$work/h" -o "$work/b" "$base/api/v1/me"
grep -q ' 401' <(head -1 "$work/h") || fail "unauthenticated API: $(head -1 "$work/h")"
grep -q '"code"' "$work/b" && headers_ok "$work/h" || fail "401 body or headers"
jar="$work/jar"
csrf=$(curl -s -c "$jar" "$base/sign-in" | grep -o 'name="csrf_token" value="[^"]*"' | sed 's/.*value="//; s/"$//')
[ -n "$csrf" ] || fail "no CSRF token in the sign-in form"
code=$(status_of -b "$jar" -c "$jar" --data "csrf_token=$csrf&username=demo-patient&password=demo-patient-password" "$base/sign-in")
[ "$code" = 303 ] || fail "patient sign-in answered $code"
[ "$(status_of -b "$jar" "$base/api/v1/me")" = 200 ] || fail "signed-in API"
curl -s -D "$work/h" -o "$work/b" -b "$jar" "$base/api/v1/audit"
grep -q ' 403' <(head -1 "$work/h") && headers_ok "$work/h" || fail "wrong-role API"
curl -s -D "$work/h" -o "$work/b" -b "$jar" "$base/admin/audit"
grep -q ' 403' <(head -1 "$work/h") && headers_ok "$work/h" || fail "wrong-role page"

# The patient's home lists their referral; its reference never reaches the access log.
curl -s -b "$jar" "$base/home" >"$work/home"
reference=$(sqlite3 "$work/s.db" "SELECT id FROM referrals WHERE patient_key =
  (SELECT patient_key FROM users WHERE username = 'demo-patient') LIMIT 1")
grep -q "$reference" "$work/home" || fail "the patient's home does not show their referral"

# Accounts from the command line: refused with the flag named; added; disabled, which ends sign-in.
set +e
echo "a long enough password" | "$tendon" user add --db "$work/s.db" --username gp-one \
  --role referrer --password-stdin 2>"$work/err"; rc=$?
set -e
[ $rc -eq 2 ] && grep -q -- '--organisation' "$work/err" || fail "referrer without organisation: $rc"
set +e
echo "short" | "$tendon" user add --db "$work/s.db" --username gp-one --role referrer \
  --organisation A81001 --password-stdin 2>"$work/err"; rc=$?
set -e
[ $rc -eq 2 ] && grep -q 'password: must be at least 12' "$work/err" || fail "short password: $rc"
echo "a long enough password" | "$tendon" user add --db "$work/s.db" --username gp-one \
  --role referrer --organisation A81001 --password-stdin >/dev/null
"$tendon" user list --db "$work/s.db" >"$work/users"
grep -q "^gp-one	referrer	A81001	active" "$work/users" || fail "user list"
# A treating clinician's account names the clinician whose diary is theirs, who must exist.
set +e
echo "a long enough password" | "$tendon" user add --db "$work/s.db" --username physio-one \
  --role treating_clinician --clinician-id nobody --password-stdin 2>"$work/err"; rc=$?
set -e
[ $rc -ne 0 ] && grep -q -- '--clinician-id' "$work/err" || fail "unknown clinician: $rc"
echo "a long enough password" | "$tendon" user add --db "$work/s.db" --username physio-one \
  --role treating_clinician --clinician-id clin-003 --password-stdin >/dev/null ||
  fail "clinician account"
sign_in() {  # USER PASSWORD: the status of a sign-in attempt in a fresh cookie jar.
  local jar="$work/jar-$1" token
  token=$(curl -s -c "$jar" "$base/sign-in" | grep -o 'name="csrf_token" value="[^"]*"' | sed 's/.*value="//; s/"$//')
  status_of -b "$jar" -c "$jar" --data "csrf_token=$token&username=$1&password=$2" "$base/sign-in"
}
[ "$(sign_in gp-one 'a+long+enough+password')" = 303 ] || fail "new account cannot sign in"
"$tendon" user disable --db "$work/s.db" --username gp-one >/dev/null
[ "$(sign_in gp-one 'a+long+enough+password')" = 401 ] || fail "a disabled account signed in"

# SIGTERM: a clean stop.
kill -TERM "$server_pid"
wait "$server_pid" || fail "the server exited with $? on SIGTERM"
server_pid=""
grep -q '^stopped' "$work/serve.out" || fail "no clean stop"
# The access log is complete once the server has stopped.
if grep -q "$reference" "$work/access.log"; then fail "a referral reference is in the access log"; fi
grep -q 'route=/home status=200' "$work/access.log" || fail "no access log line for /home"
echo "serve_test: all passed"
