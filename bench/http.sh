#!/usr/bin/env bash
# Measures tendon's HTTP server (`tendon serve`) against a bare Boost.Beast hello-world server
# (bench/peers/hello_beast.cc, same I/O thread count) on this machine, with wrk -t2 -c32 -d5s.
#
#   hello_rps      GET / on hello_beast
#   healthz_rps    GET /healthz on tendon (its cheapest route); p99_ms is its 99th percentile
#   page_rps       GET /home signed in as an administrator (session lookup, template render)
#   ratio          healthz_rps / hello_rps
#   new_client_ms  a fresh curl's /healthz while 1,000 idle keep-alive connections are open
#                  (median of 3 curls)
#
# Prints exactly one line on stdout:
#   healthz_rps=N page_rps=N hello_rps=N ratio=R p99_ms=N new_client_ms=N
# Progress goes to stderr; any failed step stops the script with a message and exit status 1.
#
# Usage: bench/http.sh [BUILD_DIR] [TENDON]   (defaults: build, BUILD_DIR/src/cli/tendon)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
tendon="${2:-$build/src/cli/tendon}"
hello="$build/bench/hello_beast"
readonly duration=5s threads=2 connections=32 idle_connections=1000
readonly username=bench-admin

fail() {
  echo "http.sh: $*" >&2
  exit 1
}
say() { echo "http.sh: $*" >&2; }

for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/install-deps.sh)"
done
[ -x "$hello" ] || fail "$hello not found: build the hello_beast target"
[ -x "$tendon" ] || command -v "$tendon" >/dev/null || fail "$tendon not found: build tendon"
# The idle connections need descriptors in this shell's children (the client and the server).
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 4096 ]; then
  ulimit -n 4096 || fail "cannot raise the open-file limit to 4096 (ulimit -n)"
fi

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for_200 URL: polls for up to 10 s until URL answers 200.
wait_for_200() {
  for _ in $(seq 100); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = 200 ] && return 0
    sleep 0.1
  done
  fail "$1 did not answer 200 within 10 s"
}

# run_wrk NAME URL [wrk args...]: runs wrk, fails on errors or non-2xx/3xx answers; output in
# $work/NAME.wrk.
run_wrk() {
  local name=$1 url=$2
  shift 2
  say "wrk $name: $url"
  wrk -t"$threads" -c"$connections" -d"$duration" --latency "$@" "$url" >"$work/$name.wrk" 2>&1 ||
    fail "wrk against $url failed: $(cat "$work/$name.wrk")"
  if grep -q 'Non-2xx or 3xx' "$work/$name.wrk"; then
    fail "$url gave error answers under load: $(grep 'Non-2xx' "$work/$name.wrk")"
  fi
  if grep -q 'Socket errors' "$work/$name.wrk"; then
    say "warning, $name: $(grep 'Socket errors' "$work/$name.wrk")"
  fi
}

rps_of() { awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$work/$1.wrk"; }

# The 99th percentile in ms ("99%  1.23ms", "99%  850.00us", "99%  1.02s").
p99_ms_of() {
  awk '$1 == "99%" {
    v = $2; unit = v; sub(/^[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
    if (unit == "us") v /= 1000; else if (unit == "s") v *= 1000; else if (unit == "m") v *= 60000
    printf "%.2f", v
  }' "$work/$1.wrk"
}

# --- The peer: bare Beast.
say "starting $hello"
"$hello" 0 >"$work/hello.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  grep -q '^port ' "$work/hello.out" && break
  sleep 0.1
done
hello_port=$(awk '/^port / {print $2}' "$work/hello.out")
[ -n "$hello_port" ] || fail "hello_beast did not start: $(cat "$work/hello.out")"
run_wrk hello "http://127.0.0.1:$hello_port/"
hello_rps=$(rps_of hello)
[ -n "$hello_rps" ] && [ "$hello_rps" -gt 0 ] || fail "no Requests/sec from wrk against hello_beast"
kill "${pids[-1]}"

# --- tendon serve on a demo database with one administrator.
db="$work/bench.db"
say "creating the demo database"
"$tendon" demo --db "$db" --months 1 --until 2026-11-20 >"$work/demo.log" 2>&1 ||
  fail "tendon demo failed: $(tail -5 "$work/demo.log")"
password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
printf '%s\n' "$password" |
  "$tendon" user add --db "$db" --username "$username" --role administrator --password-stdin \
    >"$work/user.log" 2>&1 || fail "tendon user add failed: $(cat "$work/user.log")"

port=$(free_port)
base="http://127.0.0.1:$port"
say "starting tendon serve on $base"
"$tendon" serve --db "$db" --listen "127.0.0.1:$port" --sweep-every 0 >"$work/serve.log" 2>&1 &
pids+=($!)
wait_for_200 "$base/healthz"

run_wrk healthz "$base/healthz"
healthz_rps=$(rps_of healthz)
p99_ms=$(p99_ms_of healthz)
[ -n "$healthz_rps" ] && [ -n "$p99_ms" ] || fail "could not read wrk's figures for /healthz"

# Sign in as a browser would: the form's CSRF token comes as a cookie and in the form (double
# submit); the session cookie comes back on the 303 to /home.
say "signing in as $username"
curl -s -D "$work/form.headers" -o "$work/form.html" "$base/sign-in" || fail "GET /sign-in failed"
csrf=$(sed -n 's/^[Ss]et-[Cc]ookie: tendon_form_csrf=\([^;]*\).*/\1/p' "$work/form.headers" | tr -d '\r')
[ -n "$csrf" ] || fail "GET /sign-in set no tendon_form_csrf cookie"
curl -s -D "$work/signin.headers" -o /dev/null -b "tendon_form_csrf=$csrf" \
  --data-urlencode "csrf_token=$csrf" --data-urlencode "username=$username" \
  --data-urlencode "password=$password" "$base/sign-in" || fail "POST /sign-in failed"
session=$(sed -n 's/^[Ss]et-[Cc]ookie: \([^=;]*tendon_session=[^;]*\).*/\1/p' \
  "$work/signin.headers" | tr -d '\r')
[ -n "$session" ] || fail "sign-in gave no session cookie: $(head -1 "$work/signin.headers")"
home_status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $session" "$base/home")
[ "$home_status" = 200 ] || fail "GET /home with the session cookie answered $home_status, not 200"

run_wrk page "$base/home" -H "Cookie: $session"
page_rps=$(rps_of page)

# --- A fresh client while 1,000 idle keep-alive connections are open.
say "opening $idle_connections idle keep-alive connections"
python3 - "$port" "$idle_connections" "$work/idle.ready" >"$work/idle.log" 2>&1 <<'EOF' &
import socket, sys, time

port, count, ready = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]

def read_answer(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            sys.exit("the server closed an idle connection before answering")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            sys.exit("the server closed an idle connection mid-answer")
        body += chunk

conns = []
for _ in range(count):
    conn = socket.create_connection(("127.0.0.1", port), timeout=10)
    conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    conns.append(conn)
for conn in conns:
    read_answer(conn)
open(ready, "w").close()
time.sleep(120)
EOF
pids+=($!)
idle_pid=${pids[-1]}
for _ in $(seq 300); do
  [ -e "$work/idle.ready" ] && break
  kill -0 "$idle_pid" 2>/dev/null || fail "the idle-connection client failed: $(cat "$work/idle.log")"
  sleep 0.1
done
[ -e "$work/idle.ready" ] || fail "$idle_connections idle connections not open within 30 s"
times=()
for _ in 1 2 3; do
  out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "$base/healthz" || true)
  [ "${out%% *}" = 200 ] || fail "a fresh /healthz beside the idle connections answered '${out%% *}'"
  times+=("${out#* }")
done
kill -0 "$idle_pid" 2>/dev/null || fail "the idle connections were dropped: $(cat "$work/idle.log")"
new_client_ms=$(printf '%s\n' "${times[@]}" | sort -n | awk 'NR == 2 {printf "%.1f", $1 * 1000}')

ratio=$(awk -v a="$healthz_rps" -v b="$hello_rps" 'BEGIN {printf "%.2f", a / b}')
echo "healthz_rps=$healthz_rps page_rps=$page_rps hello_rps=$hello_rps ratio=$ratio" \
  "p99_ms=$p99_ms new_client_ms=$new_client_ms"
