// The what-if planner in a real browser, with plain HTML forms: a commissioner sees the form (a
// choice of the service's scenario files), a change with a bad field is refused with an error
// summary that names it, and a run with changes shows the baseline and the scenario side by side in
// a table. The run is also made with JavaScript switched off. Each page is checked with axe-core
// (WCAG 2.2 AA) and screenshotted.
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
const commissioner = account('commissioner');

let browser;

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// Fills the planner's form with a tenth more demand, a clinician at the first site on Mondays and
// Wednesdays and two replications, and runs it.
async function runWithChanges(page) {
  await page.goto(new URL('/planner', baseUrl).href);
  await page.locator('#scenario').selectOption('baseline.toml');
  await page.locator('#demand_percent').fill('10');
  await page.locator('#add_site').selectOption({ index: 1 });
  await page.getByLabel('Monday').check();
  await page.getByLabel('Wednesday').check();
  await page.locator('#replications').fill('2');
  await Promise.all([
    page.waitForLoadState('load'),
    page.getByRole('button', { name: 'Run the scenario' }).click(),
  ]);
  await page.locator('#results').waitFor();
}

describe('planner', () => {
  test('the form passes axe and offers the service scenarios', async () => {
    const page = await newPage(browser);
    await signIn(page, baseUrl, commissioner.username, commissioner.password);
    await page.goto(new URL('/planner', baseUrl).href);
    assert.equal(await page.locator('h1').innerText(), 'What-if planner');
    const options = await page.locator('#scenario option').allInnerTexts();
    assert.ok(options.includes('Oxfordshire baseline'), options.join(', '));
    await checkAccessibility(page, 'planner form');
    await screenshot(page, 'planner-form');
    await closePage(page);
  });

  test('a bad change is refused with an error summary naming it', async () => {
    const page = await newPage(browser);
    await signIn(page, baseUrl, commissioner.username, commissioner.password);
    await page.goto(new URL('/planner', baseUrl).href);
    await page.locator('#demand_percent').fill('a lot');
    await page.getByRole('button', { name: 'Run the scenario' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    assert.match(await summary.innerText(), /Change in demand must be a number from -50 to 200/);
    assert.equal(await page.locator('#results').count(), 0);
    await checkAccessibility(page, 'planner error');
    await screenshot(page, 'planner-error');
    await closePage(page);
  });

  test('a run shows the baseline and the scenario side by side', async () => {
    const page = await newPage(browser);
    await signIn(page, baseUrl, commissioner.username, commissioner.password);
    await runWithChanges(page);
    const table = page.locator('table', { hasText: 'Baseline and scenario side by side' });
    const headers = await table.locator('thead th').allInnerTexts();
    assert.deepEqual(headers, ['Figure', 'Unit', 'Baseline', 'Scenario', 'Change']);
    assert.ok((await table.locator('tbody tr').count()) > 10);
    const referrals = await table.locator('tbody tr', { hasText: 'Referrals' }).first().innerText();
    assert.match(referrals, /\+\d/, `a tenth more demand shows as more referrals: ${referrals}`);
    await checkAccessibility(page, 'planner results');
    await screenshot(page, 'planner-results');
    await closePage(page);
  });

  test('the planner works with JavaScript switched off', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, baseUrl, commissioner.username, commissioner.password);
    await runWithChanges(page);
    assert.ok((await page.locator('table tbody tr').count()) > 10);
    await context.close();
  });
});
