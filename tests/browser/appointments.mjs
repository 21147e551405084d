// Helpers for the booking and diary browser tests: the JSON API called in a signed-in page's own
// session, a referral accepted at triage so that it waits to be booked, and a slot of the test's
// own added to the database (a slot that starts in a few seconds, which no rota makes, so that a
// test can record attendance without waiting for a real clinic).
//
// Environment (run.sh sets it): TENDON_DB, the served database's path.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

// POSTs `body` as JSON to `path` in the page's session, with the session's CSRF token read from
// the page (every signed-in page carries it in its sign-out form). Returns {status, body}.
export async function postJson(page, baseUrl, path, body) {
  const token = await page.locator('input[name="csrf_token"]').first().getAttribute('value');
  const response = await page.request.post(new URL(path, baseUrl).href, {
    data: body,
    headers: { 'X-CSRF-Token': token },
  });
  return { status: response.status(), body: await response.json() };
}

// Accepts the first referral awaiting triage that no one else holds to tier 1 physiotherapy, face
// to face, so that it waits to be booked. The page must be signed in as a triage clinician.
// Returns the referral's reference.
export async function acceptReferral(page, baseUrl) {
  const queue = await page.request.get(new URL('/api/v1/triage/queue', baseUrl).href);
  assert.equal(queue.status(), 200);
  const { items } = await queue.json();
  for (const item of items.filter((i) => !i.claimed)) {
    const outcome = await postJson(page, baseUrl, '/api/v1/referrals/triage', {
      referral_id: item.referral_id,
      outcome: 'accept',
      service_line: 'physiotherapy',
      modality: 'face_to_face',
    });
    if (outcome.status === 409) continue; // Claimed by another test meanwhile.
    assert.equal(outcome.status, 200, JSON.stringify(outcome.body));
    assert.equal(outcome.body.state, 'waiting_to_book');
    return item.referral_id;
  }
  assert.fail('no referral awaiting triage is free to accept');
}

function sqlite(sql) {
  const db = process.env.TENDON_DB;
  assert.ok(db, 'set TENDON_DB (tests/browser/run.sh does)');
  return execFileSync('sqlite3', [db, sql], { encoding: 'utf8' }).trim();
}

// The clinician whose diary the account `username` opens.
export function clinicianOf(username) {
  assert.match(username, /^[a-z0-9._-]+$/);
  return sqlite(`SELECT clinician_id FROM users WHERE username = '${username}'`);
}

// Adds a free 30-minute face-to-face new-patient slot of `clinicianId`'s, in one of their clinics,
// starting `seconds` from now. Returns its id and start (a Date).
export function addSlotSoon(clinicianId, name, seconds) {
  assert.match(clinicianId, /^[A-Za-z0-9_-]+$/);
  const start = new Date(Date.now() + seconds * 1000);
  const id = `browser-${name}-${start.getTime()}`;
  const end = start.getTime() + 30 * 60 * 1000;
  sqlite(
    'INSERT INTO slots (id, template_id, clinician_id, site_id, room_id, start_at, end_at, type, ' +
      'modality, capacity, ringfence, opens_to_all_at) ' +
      `SELECT '${id}', id, clinician_id, site_id, room_id, ${start.getTime()}, ${end}, 'new', ` +
      `'face_to_face', 1, 'none', 0 FROM clinic_templates WHERE clinician_id = '${clinicianId}' ` +
      'ORDER BY id LIMIT 1',
  );
  assert.equal(sqlite(`SELECT count(*) FROM slots WHERE id = '${id}'`), '1');
  return { id, start };
}
