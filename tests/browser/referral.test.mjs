// The referrer's journey in a real browser: the referral form with decision support, a referral
// returned for a missing item, the worklist, and completing it. Each page is checked with axe-core
// (WCAG 2.2 AA) and screenshotted. References never appear in an address.
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
const referrer = account('referrer');

const RED_FLAGS = [
  'bladder_bowel_dysfunction',
  'saddle_anaesthesia',
  'bilateral_leg_symptoms',
  'progressive_neurological_deficit',
  'sexual_dysfunction',
  'history_of_cancer',
  'unexplained_weight_loss',
  'night_pain',
  'fever_or_systemically_unwell',
  'immunosuppressed',
  'iv_drug_use',
  'recent_infection',
  'major_trauma',
  'minor_trauma_with_osteoporosis',
  'hot_swollen_joint',
  'joint_prosthesis',
  'morning_stiffness_over_30_min',
  'multiple_swollen_joints',
  'small_joints_hands_feet',
  'new_headache_scalp_tenderness_jaw_claudication',
  'visual_disturbance',
];

function url(path) {
  return new URL(path, baseUrl).href;
}

// A random NHS number with a valid Modulus 11 check digit, so that this patient is new.
function randomNhsNumber() {
  for (;;) {
    const digits = Array.from({ length: 9 }, () => Math.floor(Math.random() * 10));
    const sum = digits.reduce((total, d, i) => total + d * (10 - i), 0);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    return [...digits, check === 11 ? 0 : check].join('');
  }
}

function field(page, name) {
  return page.locator(`[name="${name}"]`);
}

function choice(page, name, value) {
  return page.locator(`input[name="${name}"][value="${value}"]`);
}

// Fills the form for a routine knee problem; everything but the patient's consent.
async function fillReferral(page, nhsNumber) {
  await page.getByLabel('NHS number').fill(nhsNumber);
  await page.getByLabel('First name').fill('Browser');
  await page.getByLabel('Last name').fill('Tester');
  await field(page, 'patient.date_of_birth.day').fill('14');
  await field(page, 'patient.date_of_birth.month').fill('3');
  await field(page, 'patient.date_of_birth.year').fill('1970');
  await choice(page, 'patient.sex', 'female').check();
  await page.getByLabel('Postcode').fill('OX3 9DU');
  await page.getByLabel('Telephone number').fill('01865 000000');
  await page.getByLabel('Knee').check();
  await choice(page, 'answers.side', 'left').check();
  await page.getByLabel('How long has it lasted, in weeks?').fill('8');
  await page.getByLabel('How bad is it, from 0 to 10?').fill('5');
  for (const flag of RED_FLAGS) await choice(page, `answers.redflags.${flag}`, 'no').check();
  await choice(page, 'answers.recent_surgery', 'no').check();
  await choice(page, 'answers.requested_service', 'tier1_physiotherapy').check();
  await choice(page, 'answers.urgency', 'routine').check();
  await page.getByLabel('Your name').fill('Dr Browser');
}

async function press(page, name) {
  await Promise.all([
    page.waitForLoadState('load'),
    page.getByRole('button', { name, exact: true }).click(),
  ]);
  await page.locator('h1').waitFor();
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('a referrer', () => {
  test('sends an incomplete referral, sees it returned, and completes it from the worklist', async () => {
    const page = await newPage(browser);
    const addresses = [];
    page.on('request', (r) => addresses.push(r.url()));
    await signIn(page, baseUrl, referrer.username, referrer.password);
    await page.goto(url('/refer'));
    assert.equal(await page.locator('h1').innerText(), 'Refer a patient');
    await checkAccessibility(page, 'referral form');
    await screenshot(page, 'refer-form');

    const nhsNumber = randomNhsNumber();
    await fillReferral(page, nhsNumber);
    await press(page, 'Check where to refer');
    const panel = page.locator('#decision');
    assert.equal(await panel.getByRole('heading', { name: 'Where to refer' }).count(), 1);
    assert.match(await panel.innerText(), /Recommended/);
    assert.equal(await page.getByLabel('NHS number').inputValue(), nhsNumber, 'values are kept');
    await checkAccessibility(page, 'referral form with decision support');
    await screenshot(page, 'refer-decision');

    await press(page, 'Send referral');
    assert.equal(await page.locator('h1').innerText(), 'Referral returned: it needs completing');
    const reference = await page.locator('#reference').innerText();
    assert.match(reference, /^[0-9A-Z]{12}$/);
    assert.match(await page.locator('main').innerText(), /consents to sharing their records/);
    await checkAccessibility(page, 'returned confirmation');
    await screenshot(page, 'refer-returned');

    await page.goto(url('/worklist'));
    const returned = page.locator('.nhsuk-card', { hasText: reference });
    assert.equal(await returned.count(), 1);
    const text = await page.locator('main').innerText();
    assert.ok(text.indexOf(reference) < text.indexOf('Other referrals'), 'returned ones on top');
    await checkAccessibility(page, 'worklist');
    await screenshot(page, 'worklist');

    await Promise.all([
      page.waitForURL((u) => u.pathname === '/refer/complete'),
      returned.getByRole('button', { name: /Complete this referral/ }).click(),
    ]);
    assert.equal(await page.getByLabel('NHS number').inputValue(), nhsNumber, 'prefilled');
    await choice(page, 'answers.consent_to_share', 'yes').check();
    await press(page, 'Send referral');
    assert.equal(await page.locator('h1').innerText(), 'Referral accepted for triage');
    assert.equal(await page.locator('#reference').innerText(), reference);
    await checkAccessibility(page, 'accepted confirmation');
    await screenshot(page, 'refer-accepted');

    for (const address of addresses) assert.ok(!address.includes(reference), address);
    await closePage(page);
  });

  test('sees every malformed field named in the error summary, with values kept', async () => {
    const page = await newPage(browser);
    await signIn(page, baseUrl, referrer.username, referrer.password);
    await page.goto(url('/refer'));
    await page.getByLabel('NHS number').fill('123');
    await page.getByLabel('Postcode').fill('not a postcode');
    await press(page, 'Send referral');
    const summary = page.locator('.nhsuk-error-summary');
    assert.equal(await summary.locator('a[href="#patient.nhs_number"]').count(), 1);
    assert.equal(await summary.locator('a[href="#patient.postcode"]').count(), 1);
    assert.equal(await page.getByLabel('Postcode').inputValue(), 'not a postcode');
    await checkAccessibility(page, 'referral form with errors');
    await screenshot(page, 'refer-errors');
    await closePage(page);
  });
});
