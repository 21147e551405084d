#!/usr/bin/env bash
# End to end: the real tendon binary creates the demo database, `tendon check` finds it sound, the
# same seed gives the same database, tampering is found, and bad usage is refused clearly.
# Usage: demo_check_test.sh TENDON
set -euo pipefail
tendon="${1:?usage: demo_check_test.sh TENDON}"
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
demo() { "$tendon" demo --db "$1" --months 6 --seed "$2" --until 2026-11-20 >"$1.out"; }
# Demo accounts' password hashes are salted at random, so the users table is left out.
dump_digest() { sqlite3 "$1" .dump | grep -v '^INSERT INTO users ' | sha256sum | cut -d' ' -f1; }

# 1. demo, then check: violations=0 and exit 0.
demo "$work/a.db" 1 || fail "tendon demo exited $?"
grep -q 'referrals' "$work/a.db.out" || fail "demo printed no summary"
"$tendon" check --db "$work/a.db" >"$work/check.out" || fail "check exited $? on the demo database"
[ "$(tail -n 1 "$work/check.out")" = "violations=0" ] || fail "check: $(tail -n 3 "$work/check.out")"
referrals=$(sqlite3 "$work/a.db" "SELECT count(*) FROM referrals")
[ "$referrals" -gt 25000 ] || fail "only $referrals referrals in six months"
# The demo clinician's account opens the diary of a clinician who holds clinics.
diary=$(sqlite3 "$work/a.db" "SELECT count(*) FROM users u JOIN clinic_templates t
  ON t.clinician_id = u.clinician_id WHERE u.username = 'demo-clinician'")
[ "$diary" -gt 0 ] || fail "the demo clinician's account is linked to no clinics"

# 2. The same seed gives the same database; another seed does not.
demo "$work/b.db" 1
[ "$(dump_digest "$work/a.db")" = "$(dump_digest "$work/b.db")" ] || fail "seed 1 twice differs"
demo "$work/c.db" 2
[ "$(dump_digest "$work/a.db")" != "$(dump_digest "$work/c.db")" ] || fail "seeds 1 and 2 agree"

# 3. An existing database is never overwritten.
if "$tendon" demo --db "$work/a.db" 2>"$work/err"; then fail "demo overwrote a database"; fi
grep -q 'exists' "$work/err" || fail "no reason given: $(cat "$work/err")"

# 4. Tampering is found: a referral whose state no longer matches its last event.
sqlite3 "$work/a.db" "UPDATE referrals SET state = 'withdrawn'
  WHERE id = (SELECT min(id) FROM referrals WHERE state = 'closed')"
if "$tendon" check --db "$work/a.db" >"$work/check.out"; then fail "check passed a tampered db"; fi
[ "$(tail -n 1 "$work/check.out")" = "violations=1" ] || fail "check: $(tail -n 3 "$work/check.out")"
grep -q "state is 'withdrawn' but its last event left it 'closed'" "$work/check.out" \
  || fail "check did not say what is wrong"

# 5. Usage errors name the flag and exit 2; help is useful.
set +e
"$tendon" demo --months 3 2>"$work/err"; rc=$?
set -e
[ $rc -eq 2 ] || fail "demo without --db exited $rc"
grep -q -- '--db' "$work/err" || fail "missing --db not named: $(cat "$work/err")"
set +e
"$tendon" check --db "$work/none.db" 2>"$work/err"; rc=$?
set -e
[ $rc -ne 0 ] || fail "check of a missing database succeeded"
# Into a file, not a pipe: `grep -q` stops reading at the first match, and under pipefail the help
# text's later writes would then fail the pipeline (SIGPIPE).
"$tendon" --help >"$work/help" 2>&1 || true
grep -q 'violations=N' "$work/help" || fail "help does not describe check"
"$tendon" version >"$work/version"
grep -q '^tendon ' "$work/version" || fail "version"
echo "demo_check_test: all passed"
