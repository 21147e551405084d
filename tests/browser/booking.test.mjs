// The coordinator's booking screen in a real browser, without JavaScript doing anything the forms
// do not: a referral accepted at triage is opened and selected for booking, slots are searched
// within the patient's preferences, one is booked, moved to another, and cancelled (a reason is
// required). The next-available table is reachable from the navigation. Each page is checked
// with axe-core (WCAG 2.2 AA) and screenshotted.
//
// Environment (run.sh sets them): TENDON_BASE_URL, TENDON_ACCOUNTS_FILE, TENDON_DB.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { acceptReferral } from './appointments.mjs';
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

// Opens `reference` from the coordinator's home page and selects it for booking.
async function openForBooking(page, reference) {
  await page.goto(url('/home'));
  await page.locator('#referral_id').fill(reference);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/referral'),
    page.getByRole('button', { name: 'Open referral' }).click(),
  ]);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/booking'),
    page.getByRole('button', { name: 'Book an appointment' }).click(),
  ]);
  assert.equal(await page.locator('h1').innerText(), `Referral ${reference}`);
}

describe('booking', () => {
  test('a coordinator books, moves and cancels an appointment', async () => {
    const setup = await newPage(browser);
    await signIn(setup, baseUrl, triager.username, triager.password);
    const reference = await acceptReferral(setup, baseUrl);
    await closePage(setup);

    const page = await newPage(browser);
    await signIn(page, baseUrl, coordinator.username, coordinator.password);
    await openForBooking(page, reference);
    assert.match(await page.locator('.nhsuk-summary-list').first().innerText(), /Waiting to book/);
    await checkAccessibility(page, 'booking screen');
    await screenshot(page, 'booking-search');

    // Mornings from 09:00 only: every slot listed starts at 09:00 or later.
    await page.locator('#earliest_time').fill('09:00');
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('earliest_time') === '09:00'),
      page.getByRole('button', { name: 'Search' }).click(),
    ]);
    const earliest = page.locator('table').first();
    const times = await earliest.locator('tbody tr td:first-child').allInnerTexts();
    assert.ok(times.length > 1, 'the demo diary has free slots to offer');
    for (const when of times) {
      const [hours] = when.match(/, (\d\d):\d\d to/).slice(1);
      assert.ok(Number(hours) >= 9, `${when} starts before 09:00`);
    }
    const first = times[0];
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('done') === 'booked'),
      earliest.getByRole('button', { name: /^Book/ }).first().click(),
    ]);
    const banner = page.locator('.nhsuk-notification-banner');
    assert.match(await banner.innerText(), /Appointment booked/);
    const current = page.locator('.nhsuk-summary-list').nth(1);
    assert.ok((await current.innerText()).includes(first), 'the slot booked is the current one');
    await checkAccessibility(page, 'booking screen with an appointment');
    await screenshot(page, 'booking-booked');

    // Move it to the first slot offered.
    const choice = page.locator('#move-slot option').nth(1);
    const moveTo = await choice.getAttribute('value');
    await page.locator('#move-slot').selectOption(moveTo);
    await page.locator('#move-by').check();
    await page.locator('#move-reason').fill('Patient asked for a later day');
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('done') === 'rescheduled'),
      page.getByRole('button', { name: 'Move appointment' }).click(),
    ]);
    assert.match(await banner.innerText(), /Appointment moved/);
    assert.match(
      await page.locator('ul.nhsuk-list--border').innerText(),
      /Cancelled.*By the patient: Patient asked for a later day/s,
    );

    // Cancelling without a reason is refused, naming the field; with one, the slot is freed.
    await page.locator('#cancel-by-service').check();
    await page.getByRole('button', { name: 'Cancel appointment' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor({ state: 'visible' });
    assert.match(await summary.innerText(), /Give the reason for cancelling/);
    assert.equal(await summary.locator('a').getAttribute('href'), '#cancel-reason');
    assert.ok(await page.locator('#cancel-by-service').isChecked());
    await checkAccessibility(page, 'booking screen with an error');
    await screenshot(page, 'booking-cancel-error');
    await page.locator('#cancel-reason').fill('Clinic room unavailable');
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('done') === 'cancelled'),
      page.getByRole('button', { name: 'Cancel appointment' }).click(),
    ]);
    assert.match(await page.locator('.nhsuk-summary-list').first().innerText(), /Waiting to book/);
    assert.match(
      await page.locator('ul.nhsuk-list--border').innerText(),
      /By the service: Clinic room unavailable/,
    );
    // The service cancelled, so the best alternative is offered.
    assert.equal(
      await page.getByRole('button', { name: 'Rebook to the best alternative' }).count(),
      1,
    );
    // The one console error is the browser noting the refused cancellation's 400.
    assert.deepEqual(page.consoleErrors.filter((e) => !/status of 400/.test(e)), []);
    assert.equal(page.consoleErrors.length, 1);
    await closePage(page);
  });

  test('the next available appointment is in the coordinator navigation', async () => {
    const page = await newPage(browser);
    await signIn(page, baseUrl, coordinator.username, coordinator.password);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/next-available'),
      page.getByRole('link', { name: 'Next available' }).click(),
    ]);
    const table = page.locator('table');
    assert.deepEqual(await table.locator('tbody th').allInnerTexts(), ['Tier 1', 'Tier 2']);
    assert.match(await table.innerText(), /working day|Today|None free/);
    await checkAccessibility(page, 'next available');
    await screenshot(page, 'next-available');
    await closePage(page);
  });
});
