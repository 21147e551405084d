#!/usr/bin/env bash
# Notification delivery against real local servers (the patient issue, notifications; hazards H055
# and H056): Debian's aiosmtpd as the SMTP relay (tests/smtp_sink.py), under STARTTLS, and a
# stand-in for the GOV.UK Notify API, over TLS, that checks each request's JSON Web Token and body
# (tests/notify_stub.py). Both record every message they take, durably, then answer slowly.
#
# The must-show: 20 messages are queued on a demo database, half by email and half by text
# message, and `tendon deliver` is killed with SIGKILL mid-batch, twice (each time once the
# receivers hold some of the messages, so that a batch is claimed and part sent). Then it runs
# again until nothing is due. Every message must end sent exactly once: at the Notify stand-in
# each reference is taken once (a retried message is first looked up by reference); at the SMTP
# relay each Message-ID arrives, and a message whose 250 the kill cut off may arrive twice with
# the same Message-ID, which is how a mail system drops the duplicate: distinct Message-IDs equal
# the emails queued, and the script prints how many arrived twice. Two more messages are refused
# for good (a 550 and a Notify 400) and must end failed, with the reason.
# Usage: notify_delivery_test.sh TENDON SOURCE_DIR
set -euo pipefail
tendon="${1:?usage: notify_delivery_test.sh TENDON SOURCE_DIR}"
src="${2:?usage: notify_delivery_test.sh TENDON SOURCE_DIR}"
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
python=/usr/bin/python3  # Debian's, which has python3-aiosmtpd (a pyenv python3 may not).
$python -c 'import aiosmtpd' 2>/dev/null || fail "python3-aiosmtpd is not installed (scripts/install-deps.sh)"

service_id=26785a09-ab16-4eb0-8407-a37497a57506
secret=3d844edf-8d35-48ac-975b-e847b4f122b0
sms_template=11111111-2222-3333-4444-555555555555
email_template=66666666-7777-8888-9999-000000000000
export TENDON_NOTIFY_API_KEY="tendon_test-$service_id-$secret"
delay=0.4

# The receivers. Both speak TLS (the relay through STARTTLS, which it requires) with a certificate
# for 127.0.0.1 that only this test's configuration trusts (ca_file).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
  -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>"$work/openssl.err" ||
  fail "openssl could not make a certificate: $(cat "$work/openssl.err")"
$python "$src/tests/notify_stub.py" "$work/notify.port" "$work/notify.jsonl" "$delay" \
  "$service_id" "$secret" "$sms_template" "$email_template" \
  "$work/cert.pem" "$work/key.pem" 2>"$work/notify.err" &
pids+=($!)
smtp_port=$($python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
PYTHONPATH="$src/tests" $python -m aiosmtpd -n -l "127.0.0.1:$smtp_port" \
  --tlscert "$work/cert.pem" --tlskey "$work/key.pem" -c smtp_sink.Recorder \
  "$work/smtp.jsonl" "$delay" 2>"$work/smtp.err" &
pids+=($!)
for _ in $(seq 100); do
  [ -s "$work/notify.port" ] && $python -c "import socket; socket.create_connection(('127.0.0.1', $smtp_port))" 2>/dev/null && break
  sleep 0.1
done
notify_port=$(cat "$work/notify.port" 2>/dev/null || true)
[ -n "$notify_port" ] || fail "the Notify stand-in did not start: $(cat "$work/notify.err")"
touch "$work/notify.jsonl" "$work/smtp.jsonl"

# A demo database and the service's data with [notifications] pointing at the receivers: a
# batch of 4, time limits of 1 s, so the lease must exceed 4 x 2 x 1 s.
db="$work/n.db"
cp -r "$src/data" "$work/data"
cat >>"$work/data/services/oxfordshire/service.toml" <<TOML

[notifications]
contact_phone = "01865 000000"
portal_url = "https://msk.example.nhs.uk"
batch_size = 4
lease_seconds = 9
max_attempts = 5
first_retry_seconds = 1
max_retry_seconds = 2
poll_seconds = 1
[notifications.smtp]
host = "127.0.0.1"
port = $smtp_port
from = "no-reply@msk.example.nhs.uk"
from_name = "Oxfordshire MSK service"
helo = "msk.example.nhs.uk"
timeout_seconds = 1
starttls = true
ca_file = "$work/cert.pem"
[notifications.notify]
base_url = "https://127.0.0.1:$notify_port"
ca_file = "$work/cert.pem"
api_key_env = "TENDON_NOTIFY_API_KEY"
sms_template_id = "$sms_template"
email_template_id = "$email_template"
timeout_seconds = 1
TOML
"$tendon" demo --db "$db" --months 1 --data "$work/data" >"$work/demo.out" 2>&1 \
  || fail "tendon demo: $(cat "$work/demo.out")"

# 20 messages about real future appointments, as booking queues them, alternately by email and
# by text message to the patient's own address; then one of each that the receivers refuse.
$python - "$db" <<'PY'
import json, sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1])
now = int(time.time() * 1000)
rows = conn.execute(
    "SELECT a.patient_key, a.referral_id, s.start_at, s.site_id, s.modality, p.email, p.phone "
    "FROM appointments a JOIN slots s ON s.id = a.slot_id JOIN patients p ON p.key = a.patient_key "
    "WHERE a.status = 'booked' AND s.start_at > ? AND p.email <> '' AND p.phone LIKE '07%' "
    "ORDER BY a.id LIMIT 22", (now,)).fetchall()
if len(rows) < 22:
    sys.exit(f"only {len(rows)} future appointments to write about")
for i, (patient, referral, start, site, modality, email, phone) in enumerate(rows):
    channel = "email" if i % 2 == 0 else "sms"
    recipient = email if channel == "email" else phone
    if i == 20: recipient = "bounce@example.com"
    if i == 21: recipient = "07700 900999"
    payload = {"start": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start / 1000)),
               "site_id": site, "modality": modality, "reason": "the clinician is unavailable"}
    conn.execute(
        "INSERT INTO outbox (kind, patient_key, referral_id, payload, status, created_at, channel, "
        "recipient, next_attempt_at) VALUES ('appointment.cancelled_by_service', ?, ?, ?, 'queued', "
        "?, ?, ?, ?)", (patient, referral, json.dumps(payload), now + i, channel, recipient, now))
conn.commit()
PY

received() { cat "$work/notify.jsonl" "$work/smtp.jsonl" | wc -l; }
count() { $python -c "import sqlite3,sys; print(sqlite3.connect('$db').execute(sys.argv[1]).fetchone()[0])" "$1"; }

# Run the worker until the receivers hold N messages, then SIGKILL it.
deliver_then_kill() {
  "$tendon" deliver --db "$db" --data "$work/data" >"$work/deliver.out" 2>>"$work/deliver.err" &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 300); do
    [ "$(received)" -ge "$1" ] && break
    kill -0 "$pid" 2>/dev/null || fail "tendon deliver stopped: $(cat "$work/deliver.err")"
    sleep 0.05
  done
  [ "$(received)" -ge "$1" ] || fail "only $(received) messages received"
  kill -9 "$pid"
  wait "$pid" 2>/dev/null || true
  echo "killed mid-batch with $(received) received: sending=$(count "SELECT count(*) FROM outbox WHERE status='sending'") sent=$(count "SELECT count(*) FROM outbox WHERE status='sent'")"
}
deliver_then_kill 6
in_flight=$(count "SELECT count(*) FROM outbox WHERE status = 'sending'")
[ "$in_flight" -ge 1 ] || fail "the kill did not interrupt a batch (no message left sending)"
deliver_then_kill 13

# Once the dead workers' leases lapse, passes send the rest; none is left queued or sending.
sleep 10
for _ in $(seq 30); do
  left=$(count "SELECT count(*) FROM outbox WHERE status IN ('queued', 'sending')")
  [ "$left" = 0 ] && break
  "$tendon" deliver --db "$db" --data "$work/data" --once >>"$work/once.out" 2>>"$work/deliver.err" \
    || fail "tendon deliver --once: $(tail -3 "$work/deliver.err")"
  sleep 1
done
[ "$left" = 0 ] || fail "$left messages still queued or sending: $(cat "$work/once.out")"

$python - "$db" "$work/notify.jsonl" "$work/smtp.jsonl" <<'PY'
import collections, json, sqlite3, sys
db, notify_file, smtp_file = sys.argv[1:4]
conn = sqlite3.connect(db)
rows = conn.execute("SELECT id, channel, recipient, status, provider_id, last_error, attempts "
                    "FROM outbox ORDER BY id").fetchall()
def fail(why):
    sys.exit("FAIL: " + why)
sent = [r for r in rows if r[3] == "sent"]
failed = [r for r in rows if r[3] == "failed"]
if len(sent) != 20 or len(failed) != 2:
    fail(f"{len(sent)} sent and {len(failed)} failed; expected 20 and 2: {rows}")
reasons = sorted(r[5] for r in failed)
if not any("550" in r for r in reasons) or not any("Not a UK mobile" in r for r in reasons):
    fail(f"the refusals do not say why: {reasons}")
notify = [json.loads(line) for line in open(notify_file)]
smtp = [json.loads(line) for line in open(smtp_file)]
sms_sent = {r[4] for r in sent if r[1] == "sms"}
email_sent = {r[4] for r in sent if r[1] == "email"}
# Notify: every reference taken exactly once, and each sent message's id is Notify's id for it.
refs = collections.Counter(m["reference"] for m in notify)
if len(notify) != 10 or len(refs) != 10 or max(refs.values()) != 1:
    fail(f"Notify took {len(notify)} messages under {len(refs)} references: {refs}")
if sms_sent != {m["id"] for m in notify}:
    fail("the text messages' provider ids are not Notify's ids")
# SMTP: every email's Message-ID arrived; any repeat carries the same Message-ID.
ids = collections.Counter(m["message_id"] for m in smtp)
if set(ids) != email_sent or len(ids) != 10:
    fail(f"{len(ids)} distinct Message-IDs at the relay for {len(email_sent)} emails sent")
repeats = sum(n - 1 for n in ids.values())
for m in smtp:
    if "{{" in m["body"] or "cancel your appointment on" not in m["body"]:
        fail("an email was not written from its template: " + m["body"][:200])
for m in notify:
    if "01865 000000" not in m["body"]:
        fail("a text message was not written from its template: " + m["body"])
retried = sum(1 for r in sent if r[6] > 1)
print(f"ok: 20 queued messages sent exactly once (Notify: 10 references, each taken once; SMTP: "
      f"10 distinct Message-IDs in {len(smtp)} deliveries, {repeats} repeated with the same "
      f"Message-ID after a kill cut off the relay's 250); {retried} needed a second claim; the 2 "
      f"refused messages failed saying why")
PY
