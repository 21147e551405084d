// The self-referral journey in a real browser, without an account: the whole walk to a reference,
// the emergency stop, and the same walk with JavaScript off. axe-core (WCAG 2.2 AA) on the start
// page, a question, the emergency page, check your answers and the confirmation.
//
// Environment (run.sh sets it): TENDON_BASE_URL, the running server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  checkAccessibility,
  closePage,
  launch,
  newPage,
  screenshot,
  selfReferralAnswers,
  serverUrl,
} from './lib.mjs';

const baseUrl = serverUrl();

// The answers after the red flags, by step; every red flag is answered No.
const ANSWERS = selfReferralAnswers({
  given: 'Ada',
  family: 'Lovelace',
  born: { day: '31', month: '3', year: '1980' },
  contact: async (page) => page.getByLabel('Phone number').fill('01865 123456'),
});

async function submit(page, name) {
  await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name, exact: true }).click(),
  ]);
}

async function start(page) {
  const response = await page.goto(new URL('/self-referral', baseUrl).href);
  assert.equal(response.status(), 200);
  await submit(page, 'Start now');
}

async function step(page) {
  const input = page.locator('input[name="step"]');
  return (await input.count()) > 0 ? input.first().getAttribute('value') : null;
}

// Answers every question (red flags No) until the check-your-answers page. With `axe`, checks a
// question page on the way.
async function walkToCheck(page, axe) {
  for (let pages = 0; pages < 60; pages++) {
    const current = await step(page);
    if (current === 'check') return;
    const answer = ANSWERS[current];
    if (answer) {
      await answer(page);
    } else {
      await page.getByLabel('No', { exact: true }).check();
      if (axe && current === 'bladder_bowel_dysfunction') {
        await checkAccessibility(page, 'self-referral question');
        await screenshot(page, 'self-referral-question');
      }
    }
    await submit(page, 'Continue');
  }
  assert.fail('never reached check your answers');
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('self-referral', () => {
  test('walks the whole journey without an account to a reference', async () => {
    const page = await newPage(browser);
    await page.goto(new URL('/self-referral', baseUrl).href);
    assert.match(await page.locator('h1').innerText(), /Refer yourself/);
    await checkAccessibility(page, 'self-referral start');
    await screenshot(page, 'self-referral-start');
    await submit(page, 'Start now');
    await walkToCheck(page, true);

    assert.match(await page.locator('h1').innerText(), /Check your answers/);
    await checkAccessibility(page, 'self-referral check your answers');
    await screenshot(page, 'self-referral-check');
    // Change a question from the check page and come back to it.
    await submit(page, 'Change Side');
    assert.equal(await step(page), 'side');
    await page.getByLabel('Right', { exact: true }).check();
    await submit(page, 'Continue');
    assert.equal(await step(page), 'check');
    assert.match(await page.locator('.nhsuk-summary-list').innerText(), /Right/);

    await submit(page, 'Send referral');
    assert.match(await page.locator('h1').innerText(), /Referral sent/);
    assert.match(await page.locator('#reference').innerText(), /^[0-9A-Z]{12}$/);
    assert.match(await page.locator('main').innerText(), /What happens next/);
    await checkAccessibility(page, 'self-referral confirmation');
    await screenshot(page, 'self-referral-confirmation');
    assert.deepEqual(page.consoleErrors, []);
    await closePage(page);
  });

  test('answering yes to bladder or bowel problems stops at the emergency page', async () => {
    const page = await newPage(browser);
    await start(page);
    assert.equal(await step(page), 'bladder_bowel_dysfunction');
    await page.getByLabel('Yes', { exact: true }).check();
    await submit(page, 'Continue');
    assert.match(await page.locator('main').innerText(), /999/);
    assert.equal(await page.locator('.nhsuk-card--care--emergency').count(), 1);
    assert.equal(await step(page), null, 'the journey does not continue');
    assert.equal(await page.getByRole('button', { name: 'Continue' }).count(), 0);
    await checkAccessibility(page, 'self-referral emergency');
    await screenshot(page, 'self-referral-emergency');
    await closePage(page);
  });

  test('shows an error on the page and goes back with the Back button', async () => {
    const page = await newPage(browser);
    await start(page);
    await submit(page, 'Continue');
    assert.match(await page.locator('.nhsuk-error-summary').innerText(), /Select yes or no/);
    await page.getByLabel('No', { exact: true }).check();
    await submit(page, 'Continue');
    assert.equal(await step(page), 'saddle_anaesthesia');
    await submit(page, 'Back');
    assert.equal(await step(page), 'bladder_bowel_dysfunction');
    assert.equal(await page.getByLabel('No', { exact: true }).isChecked(), true);
    await closePage(page);
  });

  test('works with JavaScript turned off', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await start(page);
    await walkToCheck(page, false);
    await submit(page, 'Send referral');
    assert.match(await page.locator('#reference').innerText(), /^[0-9A-Z]{12}$/);
    await context.close();
  });
});
