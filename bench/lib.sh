# shellcheck shell=bash disable=SC2154  # bench and tendon are set by the sourcing script.
# Shared by the HTTP benchmarks (bench/intake.sh, bench/booking.sh): messages, a temporary folder
# and a server cleaned up on exit, starting `tendon serve`, and signing in as a browser would.
# Source it after setting `bench` (the script's name, for messages) and `tendon` (the binary).
# KEEP_WORK=1 keeps the temporary folder ($work) for a look at the database and logs.

fail() {
  echo "$bench: $*" >&2
  exit 1
}
say() { echo "$bench: $*" >&2; }

# need_tools TOOL...: fails naming the first that is not installed.
need_tools() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/install-deps.sh)"
  done
  [ -x "$tendon" ] || fail "$tendon not found: build tendon"
}

work=$(mktemp -d)
server_pid=""
cleanup() {
  stop_server
  if [ -n "${KEEP_WORK:-}" ]; then
    echo "$bench: kept $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

# start_server DB [serve flags...]: serves DB on a free loopback port, sets $base and $server_pid,
# and waits until /healthz answers. The server's housekeeping sweep is off, so that its first turn
# (a reminder queued for each appointment two working days ahead) does not fall into a measurement.
start_server() {
  local db=$1 port
  shift
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  base="http://127.0.0.1:$port"
  say "starting tendon serve on $base"
  "$tendon" serve --db "$db" --listen "127.0.0.1:$port" --quiet --sweep-every 0 "$@" \
    >"$work/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz" || true)" = 200 ] && return 0
    sleep 0.1
  done
  fail "the server did not answer /healthz: $(cat "$work/serve.log")"
}

stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}

# sign_in USERNAME PASSWORD: prints "COOKIE CSRF" for a fresh session. The sign-in form's token is
# a double-submit cookie; the session's CSRF token is read from a page's form.
sign_in() {
  local headers="$work/$1.headers" form session token
  curl -s -D "$headers" -o /dev/null "$base/sign-in" || fail "GET /sign-in failed"
  form=$(sed -n 's/^[Ss]et-[Cc]ookie: tendon_form_csrf=\([^;]*\).*/\1/p' "$headers" | tr -d '\r')
  curl -s -D "$headers" -o /dev/null -b "tendon_form_csrf=$form" \
    --data-urlencode "csrf_token=$form" --data-urlencode "username=$1" \
    --data-urlencode "password=$2" "$base/sign-in" || fail "POST /sign-in failed"
  session=$(sed -n 's/^[Ss]et-[Cc]ookie: \([^=;]*tendon_session=[^;]*\).*/\1/p' "$headers" |
    tr -d '\r')
  [ -n "$session" ] || fail "signing in as $1 gave no session cookie"
  token=$(curl -s -H "Cookie: $session" "$base/home" |
    sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
  [ -n "$token" ] || fail "no CSRF token on /home for $1"
  echo "$session $token"
}
