# shellcheck shell=bash
# Shared by the end-to-end shell tests: `fail`, a temporary folder ($work), and the processes a
# test starts in the background, all cleaned up however the test exits. A test sets `server_pid`
# to the server it starts (and clears it once it has stopped it cleanly) and adds any other
# process to `pids`; both are killed with SIGKILL on exit. Source it after `set -euo pipefail`:
#   . "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
server_pid=""
pids=()
cleanup() {
  local pid
  for pid in ${server_pid:+"$server_pid"} "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
