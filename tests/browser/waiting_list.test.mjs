// The waiting list and its allocation in a real browser, with plain HTML forms: a coordinator sees
// the list (a "Book" button on each row), proposes bookings for the whole list, unticks all but two,
// confirms them in one go, and those two patients leave the list; confirming nothing is refused
// with an error summary. Each page is checked with axe-core (WCAG 2.2 AA) and screenshotted.
//
// Other browser tests accept and book referrals of their own at the same time (the newest on the
// list, so at the end of a proposal): this one confirms two rows from the middle, and proposes
// again once if a slot it chose was taken meanwhile, as a coordinator would.
//
// Environment (run.sh sets them): TENDON_BASE_URL, TENDON_ACCOUNTS_FILE.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

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
const coordinator = account('coordinator');

function url(path) {
  return new URL(path, baseUrl).href;
}

// Every referral id on the waiting list, read page by page from the JSON API in the page's
// session.
async function waitingIds(page) {
  const ids = new Set();
  for (let n = 1; ; n += 1) {
    const response = await page.request.get(url(`/api/v1/waiting-list?page=${n}`));
    assert.equal(response.status(), 200);
    const body = await response.json();
    for (const item of body.items) ids.add(item.referral_id);
    if (n >= body.pages) return ids;
  }
}

// From the waiting list, proposes bookings with the default limits and waits for the proposal.
async function propose(page) {
  await page.goto(url('/waiting-list'));
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/waiting-list/propose'),
    page.getByRole('button', { name: 'Propose bookings' }).click(),
  ]);
  assert.equal(await page.locator('h1').innerText(), 'Proposed bookings');
}

// Unticks every proposal but rows `keep` (indices into the table); returns their references.
async function keepOnly(page, keep) {
  const boxes = page.locator('input[type="checkbox"][name$=".confirm"]');
  await boxes.evaluateAll((inputs, kept) => {
    inputs.forEach((input, i) => {
      input.checked = kept.includes(i);
    });
  }, keep);
  const references = [];
  for (const i of keep) {
    const name = await boxes.nth(i).getAttribute('name');
    const row = name.match(/^proposals\[(\d+)\]\.confirm$/)[1];
    references.push(
      await page.locator(`input[name="proposals[${row}].referral_id"]`).getAttribute('value'),
    );
  }
  return references;
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('waiting list', () => {
  test('the list passes axe and offers a Book button on each row', async () => {
    const page = await newPage(browser);
    await signIn(page, baseUrl, coordinator.username, coordinator.password);
    const response = await page.goto(url('/waiting-list'));
    assert.equal(response.status(), 200);
    assert.equal(await page.locator('h1').innerText(), 'Waiting list');
    const rows = await page.locator('tbody tr').count();
    assert.ok(rows > 0, 'the demo has referrals waiting to book');
    assert.equal(await page.locator('form[action="/booking/select"]').count(), rows);
    assert.equal(await page.getByRole('button', { name: /^Book referral/ }).count(), rows);
    await checkAccessibility(page, 'waiting list');
    await screenshot(page, 'waiting-list');
    assert.deepEqual(page.consoleErrors, []);
    await closePage(page);
  });

  test('a coordinator confirms two proposals and those patients leave the list', async () => {
    const page = await newPage(browser);
    await signIn(page, baseUrl, coordinator.username, coordinator.password);
    let references = [];
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      await propose(page);
      if (attempt === 1) {
        await checkAccessibility(page, 'proposed bookings');
        await screenshot(page, 'waiting-list-proposal');
      }
      const count = await page.locator('input[type="checkbox"][name$=".confirm"]').count();
      assert.ok(count >= 2, `only ${count} bookings were proposed`);
      const middle = Math.floor(count / 2) - 1;
      references = await keepOnly(page, [Math.max(middle, 0), Math.max(middle, 0) + 1]);
      const waiting = await waitingIds(page);
      for (const reference of references) {
        assert.ok(waiting.has(reference), `${reference} is not waiting`);
      }
      await page.getByRole('button', { name: 'Confirm selected bookings' }).click();
      await page.waitForLoadState();
      if (new URL(page.url()).pathname === '/waiting-list') break;
      // A slot was taken meanwhile: nothing was booked, and the page proposes again.
      assert.match(await page.locator('.nhsuk-error-summary').innerText(), /Nothing was booked/);
    }
    const banner = page.locator('.nhsuk-notification-banner');
    await banner.waitFor({ state: 'visible' });
    assert.match(await banner.innerText(), /2 bookings confirmed/);
    const waiting = await waitingIds(page);
    for (const reference of references) {
      assert.ok(!waiting.has(reference), `${reference} is still on the waiting list`);
    }
    await screenshot(page, 'waiting-list-confirmed');
    assert.deepEqual(page.consoleErrors, []);
    await closePage(page);
  });

  test('confirming with nothing ticked is refused and books nothing', async () => {
    const page = await newPage(browser);
    await signIn(page, baseUrl, coordinator.username, coordinator.password);
    await propose(page);
    const first = await page
      .locator('input[name="proposals[0].referral_id"]')
      .getAttribute('value');
    await keepOnly(page, []);
    await page.getByRole('button', { name: 'Confirm selected bookings' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor({ state: 'visible' });
    assert.match(await summary.innerText(), /Choose at least one booking to confirm/);
    assert.equal(await page.locator('h1').innerText(), 'Proposed bookings');
    await checkAccessibility(page, 'proposed bookings with an error');
    await screenshot(page, 'waiting-list-proposal-error');
    assert.ok((await waitingIds(page)).has(first), `${first} was booked`);
    await closePage(page);
  });
});
