#!/usr/bin/env bash
# Runs the browser tests (tests/browser/*.test.mjs) against a real tendon server.
#
#   tests/browser/run.sh TENDON_BINARY [BUILD_DIR]
#
# Builds a one-month demo database in a temporary folder, adds one account per role with a random
# password (the treating clinician's linked to the clinician with the most clinics), starts
# `tendon serve` on a free port, waits for /healthz, runs `node --test tests/browser/` (with the
# database's path in TENDON_DB, for tests that add a slot of their own) and stops the server.
# Exits with node's status. Screenshots go to $TENDON_ARTIFACTS (default
# BUILD_DIR/browser-artifacts, or build/browser-artifacts).
#
# Needs: node 20+ and `npm ci` (playwright-core, @axe-core/playwright, nhsuk-frontend), sqlite3,
# curl, and Chromium at /usr/bin/chromium (or $TENDON_CHROMIUM). Nothing is downloaded.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 TENDON_BINARY [BUILD_DIR]" >&2
  exit 2
fi
tendon=$(realpath "$1")
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build_dir=${2:-$repo/build}
cd "$repo"

for tool in node sqlite3 curl; do
  command -v "$tool" >/dev/null || { echo "$0: $tool is not installed" >&2; exit 2; }
done
if [[ ! -d node_modules/playwright-core || ! -d node_modules/nhsuk-frontend/dist ]]; then
  echo "$0: run 'npm ci' in $repo first" >&2
  exit 2
fi
# The committed NHS.UK frontend CSS must match the installed package.
npm run --silent check:css

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tendon-browser.XXXXXX")
server_pid=""
# shellcheck disable=SC2317  # Called by the trap.
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

db=$tmp/b.db
# The demo ends yesterday, so that its forward diary has free slots after today's real clock.
"$tendon" demo --db "$db" --months 1 --until "$(date -u -d yesterday +%F)" >"$tmp/demo.log"

patient_key=$(sqlite3 "$db" "select key from patients limit 1")
organisation=$(sqlite3 "$db" "select gp_practice from patients limit 1")
if [[ -z $patient_key || -z $organisation ]]; then
  echo "$0: the demo database has no patients" >&2
  exit 1
fi
# The treating clinician's diary: the clinician with the most clinics, as the demo's own account.
clinician=$(sqlite3 "$db" "select clinician_id from clinic_templates group by clinician_id
  order by count(*) desc, clinician_id limit 1")
[[ -n $clinician ]] || { echo "$0: the demo database has no clinics" >&2; exit 1; }

# One account per role, each with its own random password, listed for the tests.
roles=(patient referrer triage_clinician treating_clinician coordinator commissioner administrator)
accounts=$tmp/accounts.json
{
  echo "["
  for i in "${!roles[@]}"; do
    role=${roles[$i]}
    username="$role-user"
    password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
    extra=()
    case $role in
      patient) extra=(--patient-key "$patient_key") ;;
      referrer) extra=(--organisation "$organisation") ;;
      treating_clinician) extra=(--clinician-id "$clinician") ;;
    esac
    printf '%s\n' "$password" |
      "$tendon" user add --db "$db" --username "$username" --role "$role" --password-stdin \
        "${extra[@]}" >>"$tmp/users.log"
    separator=","
    if [[ $i -eq $((${#roles[@]} - 1)) ]]; then separator=""; fi
    printf '  {"username": "%s", "password": "%s", "role": "%s"}%s\n' \
      "$username" "$password" "$role" "$separator"
  done
  echo "]"
} >"$accounts"

"$tendon" serve --db "$db" --listen 127.0.0.1:0 --web web \
  --assets node_modules/nhsuk-frontend/dist >"$tmp/serve.out" 2>"$tmp/serve.err" &
server_pid=$!

# The server prints "listening on http://127.0.0.1:PORT" once it is bound.
base_url=""
for _ in $(seq 1 100); do
  base_url=$(sed -n 's|^listening on \(http://[0-9.]*:[0-9]*\)$|\1|p' "$tmp/serve.out" | head -n 1)
  [[ -n $base_url ]] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "$0: tendon serve exited:" >&2
    cat "$tmp/serve.err" >&2
    exit 1
  fi
  sleep 0.1
done
[[ -n $base_url ]] || { echo "$0: tendon serve did not say where it listens" >&2; exit 1; }

ready=""
for _ in $(seq 1 100); do
  if curl -fsS -o /dev/null "$base_url/healthz"; then ready=yes; break; fi
  sleep 0.1
done
[[ -n $ready ]] || { echo "$0: $base_url/healthz never answered" >&2; exit 1; }

status=0
TENDON_BASE_URL=$base_url \
  TENDON_ACCOUNTS_FILE=$accounts \
  TENDON_DB=$db \
  TENDON_ARTIFACTS=${TENDON_ARTIFACTS:-$build_dir/browser-artifacts} \
  node --test tests/browser/ || status=$?

if [[ $status -ne 0 ]]; then
  echo "--- tendon serve stderr (last 40 lines) ---" >&2
  tail -n 40 "$tmp/serve.err" >&2
fi
exit "$status"
