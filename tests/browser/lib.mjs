// Helpers for tendon's browser tests: a real Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core, which never downloads a browser) and axe-core accessibility checks.
//
// Environment:
//   TENDON_BASE_URL       the running server, "http://127.0.0.1:PORT" (run.sh sets it)
//   TENDON_ACCOUNTS_FILE  JSON [{username, password, role}], one account per role (run.sh sets it)
//   TENDON_CHROMIUM       the browser to launch (default /usr/bin/chromium)
//   TENDON_ARTIFACTS      where screenshots go (default build/browser-artifacts)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

import AxeBuilder from '@axe-core/playwright';
import { chromium } from 'playwright-core';

// WCAG 2.2 AA and everything below it that axe can check automatically.
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
// Violations at these impacts fail a test; "minor" and "moderate" ones are printed only.
const FAILING_IMPACTS = new Set(['serious', 'critical']);

export function artifactsDir() {
  return process.env.TENDON_ARTIFACTS || path.join('build', 'browser-artifacts');
}

// The running server's address, from TENDON_BASE_URL.
export function serverUrl() {
  const baseUrl = process.env.TENDON_BASE_URL;
  assert.ok(baseUrl, 'set TENDON_BASE_URL (tests/browser/run.sh does)');
  return baseUrl;
}

// The accounts in TENDON_ACCOUNTS_FILE, read on the first call of account().
let accounts;

// The account {username, password, role} of `role` in TENDON_ACCOUNTS_FILE.
export function account(role) {
  const accountsFile = process.env.TENDON_ACCOUNTS_FILE;
  assert.ok(accountsFile, 'set TENDON_ACCOUNTS_FILE (tests/browser/run.sh does)');
  accounts ??= JSON.parse(readFileSync(accountsFile, 'utf8'));
  const found = accounts.find((a) => a.role === role);
  assert.ok(found, `${accountsFile} has no ${role} account`);
  return found;
}

// A headless Chromium with no network chatter of its own (no updates, sync, QUIC or sandbox: the
// tests run in containers).
export async function launch() {
  return chromium.launch({
    executablePath: process.env.TENDON_CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    headless: true,
  });
}

// A new page in a fresh browser context (its own cookies, so one test's session never leaks into
// another; axe also needs a page made through a context). Browser-console errors (a script that
// failed, a resource the Content-Security-Policy blocked) are collected in page.consoleErrors.
// Close it with closePage().
export async function newPage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.consoleErrors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') page.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => page.consoleErrors.push(String(error)));
  return page;
}

export async function closePage(page) {
  await page.context().close();
}

// Signs in through the form at /sign-in and waits for the home page.
export async function signIn(page, baseUrl, username, password) {
  await page.goto(new URL('/sign-in', baseUrl).href);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/home'),
    page.getByRole('button', { name: 'Sign in', exact: true }).click(),
  ]);
}

// Signs out with the header's button (a POST form) and waits for the sign-in page.
export async function signOut(page) {
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/sign-in'),
    page.getByRole('button', { name: 'Sign out', exact: true }).click(),
  ]);
}

function describe(violation) {
  const targets = violation.nodes.map((node) => `      ${node.target.join(' ')}`).join('\n');
  const { impact, id, help, helpUrl } = violation;
  return `  [${impact}] ${id}: ${help}\n    ${helpUrl}\n${targets}`;
}

// Runs axe-core on the page as it is now. Prints every violation; fails on serious or critical
// ones. Returns the axe results.
export async function checkAccessibility(page, name) {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  const failing = results.violations.filter((v) => FAILING_IMPACTS.has(v.impact));
  if (results.violations.length > 0) {
    console.log(`axe on ${name} (${page.url()}):\n${results.violations.map(describe).join('\n')}`);
  }
  assert.equal(
    failing.length,
    0,
    `${name}: ${failing.length} serious or critical accessibility violation(s):\n` +
      failing.map(describe).join('\n'),
  );
  return results;
}

// Saves a full-page PNG as <TENDON_ARTIFACTS>/<name>.png and returns its path.
export async function screenshot(page, name) {
  const dir = artifactsDir();
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^A-Za-z0-9_.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// The self-referral journey's answers after the red flags, by step (every red flag is answered
// No): a left knee, for the patient `given` `family`, born on `born` ({day, month, year}), whose
// contact step `contact(page)` fills.
export function selfReferralAnswers({ given, family, born, contact }) {
  return {
    body_sites: async (page) => page.getByLabel('Knee', { exact: true }).check(),
    side: async (page) => page.getByLabel('Left', { exact: true }).check(),
    duration: async (page) => page.getByLabel('Number of weeks').fill('6'),
    severity: async (page) => page.getByLabel('Score from 0 to 10').fill('5'),
    work_impact: async (page) => page.getByLabel('A little', { exact: true }).check(),
    daily_life_impact: async (page) => page.getByLabel('A lot', { exact: true }).check(),
    treatment_so_far: async (page) => page.getByLabel('Exercises', { exact: true }).check(),
    recent_surgery: async (page) => page.getByLabel('No', { exact: true }).check(),
    name: async (page) => {
      await page.getByLabel('First name').fill(given);
      await page.getByLabel('Last name').fill(family);
    },
    date_of_birth: async (page) => {
      await page.getByLabel('Day').fill(born.day);
      await page.getByLabel('Month').fill(born.month);
      await page.getByLabel('Year').fill(born.year);
    },
    sex: async (page) => page.getByLabel('Female', { exact: true }).check(),
    nhs_number: async () => {},
    postcode: async (page) => page.getByLabel('Postcode').fill('OX3 9DU'),
    contact,
    interpreter: async () => {},
    accessibility: async () => {},
    consent_to_share: async (page) => page.getByLabel('Yes', { exact: true }).check(),
  };
}
