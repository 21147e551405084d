#!/usr/bin/env bash
# Fails when a rule id in data/rules/*.toml does not appear in the hazard log (every clinical rule
# must name the hazard it mitigates: docs/clinical-safety/hazard-log.md), or when the log cites a
# GoogleTest (`Suite.Name`) that no longer exists under src/. Prints what is missing.
# Usage: hazard_log_rules_test.sh SOURCE_DIR
set -euo pipefail
src="${1:?usage: hazard_log_rules_test.sh SOURCE_DIR}"
log="$src/docs/clinical-safety/hazard-log.md"
rules=("$src"/data/rules/*.toml)

[ -f "$log" ] || { echo "FAIL: no hazard log at $log" >&2; exit 1; }
[ -f "${rules[0]}" ] || { echo "FAIL: no rule files in $src/data/rules" >&2; exit 1; }

ids=$(sed -nE 's/^[[:space:]]*id[[:space:]]*=[[:space:]]*"([A-Za-z0-9_-]+)".*/\1/p' "${rules[@]}" |
  sort -u)
[ -n "$ids" ] || { echo "FAIL: no rule ids found in $src/data/rules/*.toml" >&2; exit 1; }

missing=()
for id in $ids; do
  # A whole id only: CP-NAME-1 must not be found inside CP-NAME-12.
  grep -qE "(^|[^A-Za-z0-9_-])${id}([^A-Za-z0-9_-]|$)" "$log" || missing+=("$id")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "FAIL: rule ids with no entry in docs/clinical-safety/hazard-log.md:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  exit 1
fi

tests=$(grep -oE '`[A-Z][A-Za-z0-9]*Test\.[A-Za-z0-9_]+`' "$log" | tr -d '`' | sort -u)
stale=()
for t in $tests; do
  grep -rqE "TEST(_F|_P)?\(${t%%.*}, ${t#*.}\)" "$src/src" || stale+=("$t")
done
if [ "${#stale[@]}" -gt 0 ]; then
  echo "FAIL: tests cited in docs/clinical-safety/hazard-log.md that do not exist:" >&2
  printf '  %s\n' "${stale[@]}" >&2
  exit 1
fi
echo "ok: all $(wc -w <<<"$ids") rule ids are in the hazard log; its $(wc -w <<<"$tests") tests exist"
