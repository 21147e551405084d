// The clinician's diary in a real browser: a treating clinician sees their week, records one
// patient as attended and another as not attended once their slots have started, and discharges
// the one who came into a follow-up window. The slots are
// the test's own, starting a few seconds after they are booked (appointments.mjs), so that no one
// waits for a real clinic. Each page is checked with axe-core and screenshotted.
//
// Environment (run.sh sets them): TENDON_BASE_URL, TENDON_ACCOUNTS_FILE, TENDON_DB.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';

import { acceptReferral, addSlotSoon, clinicianOf, postJson } from './appointments.mjs';
import {
  account,
  checkAccessibility,
  closePage,
  launch,
  newPage,
  screenshot,
  serverUrl,
  signIn,
} from './lib.mjs';

const baseUrl = serverUrl();
const triager = account('triage_clinician');
const coordinator = account('coordinator');
const clinician = account('treating_clinician');

// Seconds from adding the slots to their start: time enough to book them and load the diary.
const kLeadSeconds = 20;

function url(path) {
  return new URL(path, baseUrl).href;
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// The attendance form of one appointment, by the id it posts.
function markButton(page, action, appointmentId) {
  return page.locator(
    `form[action="${action}"]:has(input[name="appointment_id"][value="${appointmentId}"]) button`,
  );
}

describe('diary', () => {
  test('a clinician sees their week', async () => {
    const page = await newPage(browser);
    await signIn(page, baseUrl, clinician.username, clinician.password);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/diary'),
      page.getByRole('link', { name: 'Diary', exact: true }).click(),
    ]);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/diary/week'),
      page.getByRole('button', { name: 'Show the week' }).click(),
    ]);
    assert.match(await page.locator('h1').innerText(), /: Week beginning Monday /);
    assert.equal(await page.locator('h2').filter({ hasText: /day \d+ \w+ \d{4}$/ }).count(), 5);
    await checkAccessibility(page, 'diary week');
    await screenshot(page, 'diary-week');
    assert.deepEqual(page.consoleErrors, []);
    await closePage(page);
  });

  test('attended and did not attend are recorded once the slot has started', async () => {
    const setup = await newPage(browser);
    await signIn(setup, baseUrl, triager.username, triager.password);
    const came = await acceptReferral(setup, baseUrl);
    const missed = await acceptReferral(setup, baseUrl);
    await closePage(setup);

    const clinicianId = clinicianOf(clinician.username);
    const slots = [
      addSlotSoon(clinicianId, 'came', kLeadSeconds),
      addSlotSoon(clinicianId, 'missed', kLeadSeconds),
    ];
    const booker = await newPage(browser);
    await signIn(booker, baseUrl, coordinator.username, coordinator.password);
    const ids = [];
    for (const [i, referral] of [came, missed].entries()) {
      const booked = await postJson(booker, baseUrl, '/api/v1/appointments/book', {
        referral_id: referral,
        slot_id: slots[i].id,
      });
      assert.equal(booked.status, 201, JSON.stringify(booked.body));
      ids.push(booked.body.appointment_id);
    }
    await closePage(booker);

    const page = await newPage(browser);
    await signIn(page, baseUrl, clinician.username, clinician.password);
    await page.goto(url('/diary'));
    if (Date.now() < slots[0].start.getTime()) {
      // Not started yet: no attendance can be recorded.
      assert.equal(await markButton(page, '/diary/attended', ids[0]).count(), 0);
      await sleep(slots[0].start.getTime() - Date.now() + 1000);
      await page.reload();
    }
    await checkAccessibility(page, 'diary day with patients');
    await screenshot(page, 'diary-day');

    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('done') === 'attended'),
      markButton(page, '/diary/attended', ids[0]).click(),
    ]);
    const banner = page.locator('.nhsuk-notification-banner');
    assert.match(await banner.innerText(), /Attendance recorded/);
    assert.equal(await markButton(page, '/diary/attended', ids[0]).count(), 0);
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('done') === 'dna'),
      markButton(page, '/diary/dna', ids[1]).click(),
    ]);
    assert.match(await banner.innerText(), /Did not attend recorded/);
    assert.equal(await markButton(page, '/diary/dna', ids[1]).count(), 0);
    await screenshot(page, 'diary-marked');

    // The referrals moved on: one into treatment, the other back to the booking list.
    const states = [];
    for (const referral of [came, missed]) {
      const read = await postJson(page, baseUrl, '/api/v1/referrals/get', {
        referral_id: referral,
      });
      assert.equal(read.status, 200);
      states.push(read.body.state);
    }
    assert.deepEqual(states, ['in_treatment', 'waiting_to_book']);

    // The patient who came is discharged into a follow-up window: a missing choice is named first.
    const form = page.locator(
      `form[action="/diary/discharge"]:has(input[name="appointment_id"][value="${ids[0]}"])`,
    );
    assert.equal(await form.count(), 1);
    await checkAccessibility(page, 'diary with the discharge form');
    await form.locator('input[name="reason"]').fill('Treatment complete');
    await form.getByRole('button', { name: /^Discharge/ }).click();
    await page.waitForLoadState();
    assert.match(
      await page.locator('.nhsuk-error-summary').innerText(),
      /Choose whether the patient may ask to be seen again/,
    );
    const again = page.locator(
      `form[action="/diary/discharge"]:has(input[name="appointment_id"][value="${ids[0]}"])`,
    );
    await again.locator('input[name="reason"]').fill('Treatment complete');
    await again.getByLabel(/^Yes, for \d+ months/).check();
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('done') === 'discharged'),
      again.getByRole('button', { name: /^Discharge/ }).click(),
    ]);
    assert.match(await banner.innerText(), /Patient discharged/);
    assert.equal(await again.count(), 0);
    await screenshot(page, 'diary-discharged');
    const read = await postJson(page, baseUrl, '/api/v1/referrals/get', { referral_id: came });
    assert.equal(read.body.state, 'pifu_window');
    // The one console error is the browser's note of the refused form's 400.
    assert.deepEqual(page.consoleErrors.filter((e) => !/status of 400/.test(e)), []);
    assert.equal(page.consoleErrors.length, 1);
    await closePage(page);
  });
});
