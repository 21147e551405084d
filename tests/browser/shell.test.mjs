// The web shell in a real browser: sign-in, each role's home page, sign-out, the error pages and
// the administrator's pages, each checked with axe-core (WCAG 2.2 AA) and screenshotted.
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
  signOut,
} from './lib.mjs';

const ROLES = [
  'patient',
  'referrer',
  'triage_clinician',
  'treating_clinician',
  'coordinator',
  'commissioner',
  'administrator',
];
const NHS_BLUE = 'rgb(0, 94, 184)';

const baseUrl = serverUrl();

function url(path) {
  return new URL(path, baseUrl).href;
}

// Console errors other than the browser's note that the page itself came with an error status.
const ERROR_STATUS_NOTE = /^Failed to load resource: the server responded with a status of 40[34]/;
function unexpectedConsoleErrors(page) {
  return page.consoleErrors.filter((text) => !ERROR_STATUS_NOTE.test(text));
}

// Asserts the page is an NHS-styled error page: the status, one visible h1, a way home.
async function expectErrorPage(page, response, status) {
  assert.equal(response.status(), status);
  assert.equal(await page.locator('h1').count(), 1);
  await page.locator('h1').waitFor({ state: 'visible' });
  assert.equal(await page.locator('header.nhsuk-header').count(), 1);
  assert.equal(await page.getByRole('link', { name: 'Go to the home page' }).count(), 1);
  assert.deepEqual(unexpectedConsoleErrors(page), []);
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('sign-in page', () => {
  test('is styled by NHS.UK frontend, served from this server, and passes axe', async () => {
    const page = await newPage(browser);
    const responses = [];
    page.on('response', (r) => responses.push(r));
    const response = await page.goto(url('/sign-in'));
    assert.equal(response.status(), 200);
    await page.waitForLoadState('networkidle');

    const stylesheet = responses.find((r) =>
      new URL(r.url()).pathname.startsWith('/static/css/nhsuk-frontend'),
    );
    assert.ok(stylesheet, 'the NHS.UK frontend stylesheet was requested');
    assert.equal(stylesheet.status(), 200);
    assert.match(stylesheet.headers()['content-type'], /^text\/css/);
    const fromPackage = responses.filter((r) =>
      new URL(r.url()).pathname.startsWith('/assets/nhsuk/'),
    );
    assert.ok(fromPackage.length > 0, 'something was loaded from /assets/nhsuk/');
    for (const r of fromPackage) assert.equal(r.status(), 200, r.url());
    // Nothing from another origin (the CSP would block it; the page must not even ask).
    const origin = new URL(baseUrl).origin;
    for (const r of responses) assert.equal(new URL(r.url()).origin, origin, r.url());

    const header = page.locator('header.nhsuk-header');
    assert.equal(await header.evaluate((e) => getComputedStyle(e).backgroundColor), NHS_BLUE);
    const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    assert.doesNotMatch(font, /Times/, 'the NHS font stack applies, not the browser default');
    // NHS.UK frontend's script ran (loaded as a module; no inline script is allowed).
    assert.match(await page.evaluate(() => document.body.className), /nhsuk-frontend-supported/);
    assert.deepEqual(unexpectedConsoleErrors(page), []);

    const serviceName = await page.locator('.nhsuk-header__service-name').innerText();
    assert.equal(await page.title(), `Sign in - ${serviceName} - NHS`);
    await checkAccessibility(page, 'sign-in');
    await screenshot(page, 'sign-in');
    await closePage(page);
  });

  test('starts with a skip link to the main content', async () => {
    const page = await newPage(browser);
    await page.goto(url('/sign-in'));
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    assert.equal(await focused.innerText(), 'Skip to main content');
    await page.keyboard.press('Enter');
    // The address changes when the browser has followed the link, a moment after the key press.
    await page.waitForURL((u) => u.hash === '#maincontent', { timeout: 5000 });
    assert.equal(new URL(page.url()).hash, '#maincontent');
    await closePage(page);
  });

  test('a wrong password shows the error summary, which passes axe', async () => {
    const page = await newPage(browser);
    await page.goto(url('/sign-in'));
    await page.locator('#username').fill(account('patient').username);
    await page.locator('#password').fill('not-the-password');
    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('button', { name: 'Sign in', exact: true }).click(),
    ]);
    assert.equal(new URL(page.url()).pathname, '/sign-in');
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor({ state: 'visible' });
    assert.equal(await summary.getByRole('alert').count(), 1);
    assert.match(await page.title(), /^Error: /);
    // Every message in the summary links to a field on the page.
    for (const link of await summary.locator('a').all()) {
      const target = (await link.getAttribute('href')).replace(/^#/, '');
      assert.equal(await page.locator(`[id="${target}"]`).count(), 1, `#${target} exists`);
    }
    assert.equal(await page.locator('#password').inputValue(), '', 'the password is not echoed');
    await checkAccessibility(page, 'sign-in with an error');
    await screenshot(page, 'sign-in-error');
    await closePage(page);
  });
});

describe('each role', () => {
  for (const role of ROLES) {
    test(`${role} signs in, sees a home page that passes axe, and signs out`, async () => {
      const { username, password } = account(role);
      const page = await newPage(browser);
      await signIn(page, baseUrl, username, password);
      const h1 = page.locator('h1');
      assert.equal(await h1.count(), 1);
      await h1.waitFor({ state: 'visible' });
      assert.ok((await h1.innerText()).trim().length > 0);
      assert.equal(await page.getByRole('button', { name: 'Sign out', exact: true }).count(), 1);
      assert.deepEqual(unexpectedConsoleErrors(page), []);
      await checkAccessibility(page, `${role} home`);
      await screenshot(page, `home-${role}`);

      await signOut(page);
      assert.equal(await page.locator('h1').innerText(), 'Sign in');
      await closePage(page);
    });
  }
});

describe('a referral', () => {
  test('a patient opens their referral from the home page; its reference stays out of the URL',
    async () => {
      const { username, password } = account('patient');
      const page = await newPage(browser);
      await signIn(page, baseUrl, username, password);
      // The patient's home page lists their referrals, reference first.
      const reference = (await page.locator('tbody tr td:first-child').first().innerText()).trim();
      assert.ok(reference.length > 0, 'the demo patient has a referral');
      await page.locator('#referral_id').fill(reference);
      await Promise.all([
        page.waitForURL((u) => u.pathname === '/referral'),
        page.getByRole('button', { name: 'Open referral', exact: true }).click(),
      ]);
      assert.ok(!page.url().includes(reference), 'the reference is not in the address');
      assert.equal(await page.locator('h1').count(), 1);
      assert.ok((await page.locator('main').innerText()).includes(reference));
      assert.deepEqual(unexpectedConsoleErrors(page), []);
      await checkAccessibility(page, 'referral');
      await screenshot(page, 'referral');
      await closePage(page);
    });
});

describe('error pages', () => {
  test('a patient visiting the audit log gets the 403 page', async () => {
    const { username, password } = account('patient');
    const page = await newPage(browser);
    await signIn(page, baseUrl, username, password);
    const response = await page.goto(url('/admin/audit'));
    await expectErrorPage(page, response, 403);
    await checkAccessibility(page, '403 page');
    await screenshot(page, 'error-403');
    await closePage(page);
  });

  test('an unknown address gets the 404 page', async () => {
    const { username, password } = account('referrer');
    const page = await newPage(browser);
    await signIn(page, baseUrl, username, password);
    const response = await page.goto(url('/no-such-page'));
    await expectErrorPage(page, response, 404);
    await checkAccessibility(page, '404 page');
    await screenshot(page, 'error-404');
    await closePage(page);
  });
});

describe('triage queue', () => {
  test('a triage clinician sees the queue, most urgent first, and it passes axe', async () => {
    const { username, password } = account('triage_clinician');
    const page = await newPage(browser);
    await signIn(page, baseUrl, username, password);
    const response = await page.goto(url('/triage'));
    assert.equal(response.status(), 200);
    assert.equal(await page.locator('h1').innerText(), 'Triage queue');
    const priorities = await page.locator('tbody tr td:nth-child(2)').allInnerTexts();
    assert.ok(priorities.length > 0, 'the demo has referrals awaiting triage');
    const rank = ['Emergency', 'Urgent', 'Post-operative', 'Routine'];
    const ranks = priorities.map((p) => rank.indexOf(p.trim()));
    assert.ok(ranks.every((r) => r >= 0), `known priorities: ${priorities.join(', ')}`);
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), 'most urgent first');
    assert.deepEqual(unexpectedConsoleErrors(page), []);
    await checkAccessibility(page, 'triage queue');
    await screenshot(page, 'triage');
    await closePage(page);
  });
});

describe('administrator pages', () => {
  for (const path of ['/admin/audit', '/admin/users']) {
    test(`${path} shows its content and passes axe`, async () => {
      const { username, password } = account('administrator');
      const page = await newPage(browser);
      await signIn(page, baseUrl, username, password);
      const response = await page.goto(url(path));
      assert.equal(response.status(), 200);
      assert.equal(await page.locator('h1').count(), 1);
      assert.deepEqual(unexpectedConsoleErrors(page), []);
      if (path === '/admin/users') {
        const listed = await page.locator('tbody tr td:first-child').allInnerTexts();
        for (const role of ROLES) {
          const { username: name } = account(role);
          assert.ok(listed.includes(name), `${name} listed`);
        }
      }
      await checkAccessibility(page, path);
      await screenshot(page, `admin-${path.split('/').pop()}`);
      await closePage(page);
    });
  }

  test('the audit filter shows one user; only actor and action go in the URL', async () => {
    const { username, password } = account('administrator');
    const page = await newPage(browser);
    await signIn(page, baseUrl, username, password);
    await page.goto(url('/admin/audit'));
    // Signing in is audited, so there is at least one row; filter by its user.
    const actorCells = page.locator('tbody tr td:nth-child(2)');
    const actor = (await actorCells.first().innerText()).trim();
    assert.ok(actor.length > 0, 'the audit log has a row with a user');
    await page.locator('#actor').fill(actor);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/admin/audit' && u.searchParams.has('actor')),
      page.getByRole('button', { name: 'Filter', exact: true }).click(),
    ]);
    const params = [...new URL(page.url()).searchParams.keys()].sort();
    assert.deepEqual(params, ['action', 'actor']);
    assert.equal(await page.locator('#actor').inputValue(), actor, 'the filter is shown again');
    const shown = (await actorCells.allInnerTexts()).map((text) => text.trim());
    assert.ok(shown.length > 0);
    assert.deepEqual([...new Set(shown)], [actor]);
    await checkAccessibility(page, 'filtered audit log');
    await closePage(page);
  });
});
