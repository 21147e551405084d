// Triage in a real browser: a triage clinician claims the first referral in the queue, reads it and
// records an outcome; a discharge without advice is refused with an error summary. The queue and
// the referral page are checked with axe-core (WCAG 2.2 AA) and screenshotted.
//
// Environment (run.sh sets them):
//   TENDON_BASE_URL       the running server, "http://127.0.0.1:PORT"
//   TENDON_ACCOUNTS_FILE  JSON [{username, password, role}], one account per role
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
const triager = account('triage_clinician');

function url(path) {
  return new URL(path, baseUrl).href;
}

// Signs in as the triage clinician, opens the queue and claims its first unclaimed referral.
// Returns the referral's reference, read from the referral page's heading.
async function claimFirst(page) {
  await signIn(page, baseUrl, triager.username, triager.password);
  const queue = await page.goto(url('/triage'));
  assert.equal(queue.status(), 200);
  const claim = page.getByRole('button', { name: /^Claim referral/ }).first();
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/triage/referral'),
    claim.click(),
  ]);
  const heading = await page.locator('h1').innerText();
  const match = heading.match(/^Referral (\S+)$/);
  assert.ok(match, `unexpected heading "${heading}"`);
  return match[1];
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('triage', () => {
  test('the queue passes axe and offers a claim on each row', async () => {
    const page = await newPage(browser);
    await signIn(page, baseUrl, triager.username, triager.password);
    const response = await page.goto(url('/triage'));
    assert.equal(response.status(), 200);
    await page.locator('h1').waitFor({ state: 'visible' });
    assert.ok((await page.getByRole('columnheader', { name: 'Claimed by' }).count()) === 1);
    assert.ok((await page.getByRole('button', { name: /^Claim referral/ }).count()) > 0);
    await checkAccessibility(page, 'triage queue');
    await screenshot(page, 'triage-queue');
    assert.deepEqual(page.consoleErrors, []);
    await closePage(page);
  });

  test('a clinician claims a referral, accepts it, and it leaves the queue', async () => {
    const page = await newPage(browser);
    const reference = await claimFirst(page);
    await page.getByText('You have claimed this referral').waitFor();
    await checkAccessibility(page, 'triage referral');
    await screenshot(page, 'triage-referral');

    await page.getByLabel('Accept', { exact: true }).check();
    await page.locator('#service_line').selectOption('physiotherapy');
    await page.getByLabel('Telephone', { exact: true }).check();
    await page.getByRole('button', { name: 'Record outcome' }).click();

    const banner = page.locator('.nhsuk-notification-banner');
    await banner.waitFor({ state: 'visible' });
    assert.match(
      await banner.innerText(),
      new RegExp(`Referral ${reference} accepted to tier 1 physiotherapy`),
    );
    assert.equal(await page.locator(`input[name="referral_id"][value="${reference}"]`).count(), 0);
    await screenshot(page, 'triage-accepted');
    assert.deepEqual(page.consoleErrors, []);
    await closePage(page);
  });

  test('discharging without advice shows the error and changes nothing', async () => {
    const page = await newPage(browser);
    const reference = await claimFirst(page);
    await page.getByLabel('Discharge with advice', { exact: true }).check();
    await page.getByRole('button', { name: 'Record outcome' }).click();

    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor({ state: 'visible' });
    assert.match(await summary.innerText(), /Give the patient advice/);
    assert.equal(await page.locator('h1').innerText(), `Referral ${reference}`);
    assert.ok(await page.getByLabel('Discharge with advice', { exact: true }).isChecked());
    await checkAccessibility(page, 'triage referral with an error');
    await screenshot(page, 'triage-error');

    // Give the referral back, so that it waits in the queue for someone else.
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/triage'),
      page.getByRole('button', { name: 'Release this referral' }).click(),
    ]);
    const row = page.locator(`input[name="referral_id"][value="${reference}"]`);
    assert.equal(await row.count(), 1);
    await closePage(page);
  });
});
