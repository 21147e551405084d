// The patient portal in a real browser: a patient refers themselves, signs in with their reference,
// date of birth and the code read from the outbox, sees their timeline, sees the appointment a
// coordinator booked, cancels it with a reason and books another, answers the baseline MSK-HQ
// (one question left out first, and named), and sees who has looked at their record. Every portal page is checked with axe-core (WCAG 2.2 AA), and the sign-in to the
// timeline is walked again with JavaScript turned off.
//
// Environment (run.sh sets them): TENDON_BASE_URL, TENDON_ACCOUNTS_FILE, TENDON_DB.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';

import { postJson } from './appointments.mjs';
import {
  account,
  checkAccessibility,
  closePage,
  launch,
  newPage,
  screenshot,
  selfReferralAnswers,
  serverUrl,
  signIn,
} from './lib.mjs';

const baseUrl = serverUrl();
const triager = account('triage_clinician');
const coordinator = account('coordinator');

// The patient's answers to the self-referral questions after the red flags (all answered No). The
// date of birth is the one portalSignIn gives by default.
const ANSWERS = selfReferralAnswers({
  given: 'Grace',
  family: 'Hopper',
  born: { day: '9', month: '12', year: '1976' },
  contact: async (page) => page.getByLabel('Email address').fill('grace.hopper@example.com'),
});

function url(path) {
  return new URL(path, baseUrl).href;
}

async function submit(page, name) {
  await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name, exact: true }).click(),
  ]);
}

// Refers a patient through the public self-referral pages; returns the reference shown.
async function selfRefer(page) {
  await page.goto(url('/self-referral'));
  await submit(page, 'Start now');
  for (let pages = 0; pages < 60; pages++) {
    const input = page.locator('input[name="step"]');
    const step = (await input.count()) > 0 ? await input.first().getAttribute('value') : null;
    if (step === 'check') {
      await submit(page, 'Send referral');
      return (await page.locator('#reference').innerText()).trim();
    }
    const answer = ANSWERS[step];
    if (answer) {
      await answer(page);
    } else {
      await page.getByLabel('No', { exact: true }).check();
    }
    await submit(page, 'Continue');
  }
  assert.fail('never reached check your answers');
}

// The newest sign-in code queued for `reference`, read from the outbox as the delivery worker
// would (the store keeps only its hash elsewhere).
function codeFromOutbox(reference) {
  assert.match(reference, /^[0-9A-Z]+$/);
  const db = process.env.TENDON_DB;
  assert.ok(db, 'set TENDON_DB (tests/browser/run.sh does)');
  const code = execFileSync(
    'sqlite3',
    [
      db,
      "SELECT json_extract(payload, '$.code') FROM outbox WHERE kind = 'portal.sign_in_code' " +
        `AND referral_id = '${reference}' ORDER BY id DESC LIMIT 1`,
    ],
    { encoding: 'utf8' },
  ).trim();
  assert.match(code, /^\d{6}$/, `no sign-in code queued for ${reference}`);
  return code;
}

// Signs in to the portal as the patient with `reference`, born on `born` (the self-referral's
// patient by default); with `axe`, checks both pages.
async function portalSignIn(page, reference, axe, born = { day: '9', month: '12', year: '1976' }) {
  await page.goto(url('/portal/sign-in'));
  assert.equal(await page.locator('h1').innerText(), 'See your referral online');
  if (axe) {
    await checkAccessibility(page, 'portal sign-in');
    await screenshot(page, 'portal-sign-in');
  }
  await page.getByLabel('Your referral reference').fill(reference.toLowerCase());
  await page.getByLabel('Day').fill(born.day);
  await page.getByLabel('Month').fill(born.month);
  await page.getByLabel('Year').fill(born.year);
  await submit(page, 'Send me a code');
  assert.equal(new URL(page.url()).pathname, '/portal/code');
  if (axe) {
    await checkAccessibility(page, 'portal code');
    await screenshot(page, 'portal-code');
  }
  await page.getByLabel('Code').fill(codeFromOutbox(reference));
  await submit(page, 'Continue');
  assert.equal(new URL(page.url()).pathname, '/portal/referral');
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('patient portal', () => {
  let reference;

  test('a patient signs in, sees the timeline, cancels and rebooks, answers the MSK-HQ, and sees the audit', async () => {
    const patient = await newPage(browser);
    reference = await selfRefer(patient);
    assert.match(reference, /^[0-9A-Z]{12}$/);
    // A triage clinician claims it at once, so that the other browser tests, which accept the
    // first unclaimed referral in the queue, leave it alone.
    const staff = await newPage(browser);
    await signIn(staff, baseUrl, triager.username, triager.password);
    const claimed = await postJson(staff, baseUrl, '/api/v1/referrals/claim', {
      referral_id: reference,
    });
    assert.equal(claimed.status, 200, JSON.stringify(claimed.body));

    // A wrong code is refused on the page, naming the field.
    await patient.goto(url('/portal/sign-in'));
    await patient.getByLabel('Your referral reference').fill(reference);
    await patient.getByLabel('Day').fill('9');
    await patient.getByLabel('Month').fill('12');
    await patient.getByLabel('Year').fill('1976');
    await submit(patient, 'Send me a code');
    const right = codeFromOutbox(reference);
    await patient.getByLabel('Code').fill(right === '000000' ? '111111' : '000000');
    await submit(patient, 'Continue');
    assert.match(await patient.locator('.nhsuk-error-summary').innerText(), /code is not right/);
    await checkAccessibility(patient, 'portal code with an error');

    await portalSignIn(patient, reference, true);
    assert.match(await patient.locator('#state').innerText(), /Awaiting triage/);
    assert.match(await patient.locator('#timeline').innerText(), /We received your referral/);
    assert.match(await patient.locator('main').innerText(), /How we worked this out/);
    await checkAccessibility(patient, 'portal referral');
    await screenshot(patient, 'portal-referral');

    // The triage clinician accepts the referral; a coordinator books its earliest slot.
    const accepted = await postJson(staff, baseUrl, '/api/v1/referrals/triage', {
      referral_id: reference,
      outcome: 'accept',
      service_line: 'physiotherapy',
      modality: 'face_to_face',
    });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    await closePage(staff);
    const booker = await newPage(browser);
    await signIn(booker, baseUrl, coordinator.username, coordinator.password);
    const found = await postJson(booker, baseUrl, '/api/v1/slots/search', {
      referral_id: reference,
    });
    assert.equal(found.status, 200, JSON.stringify(found.body));
    assert.ok(found.body.slots.length > 1, 'the demo diary has free slots');
    const booked = await postJson(booker, baseUrl, '/api/v1/appointments/book', {
      referral_id: reference,
      slot_id: found.body.slots[0].slot_id,
      idempotency_key: `portal-browser-${reference}`,
    });
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    await closePage(booker);

    // The patient sees the booking on the timeline and on the appointments page.
    await patient.goto(url('/portal/referral'));
    assert.match(await patient.locator('#state').innerText(), /Booked/);
    assert.match(await patient.locator('#timeline').innerText(), /Your appointment was booked/);
    await patient.getByRole('link', { name: 'See and change your appointments' }).click();
    await patient.waitForURL((u) => u.pathname === '/portal/appointments');
    const card = patient.locator('.app-appointment');
    assert.equal(await card.count(), 1);
    assert.match(await card.innerText(), /How to prepare/);
    await checkAccessibility(patient, 'portal appointments');
    await screenshot(patient, 'portal-appointments');

    // Cancelling needs a reason.
    await submit(patient, 'Cancel this appointment');
    assert.match(await patient.locator('.nhsuk-error-summary').innerText(), /reason/);
    await checkAccessibility(patient, 'portal appointments with an error');
    await patient.getByLabel('Why are you cancelling?').fill('I will be away that week');
    await submit(patient, 'Cancel this appointment');
    assert.match(await patient.locator('#banner').innerText(), /cancelled/);
    assert.equal(await patient.locator('.app-appointment').count(), 0);
    assert.match(await patient.locator('#past').innerText(), /You cancelled it/);

    // Rebook to another slot the booking rules offer.
    const choices = patient.locator('input[name="slot_id"]');
    assert.ok((await choices.count()) > 0, 'the page offers slots to choose from');
    await choices.nth(1).check();
    await submit(patient, 'Book this appointment');
    assert.match(await patient.locator('#banner').innerText(), /booked/);
    assert.equal(await patient.locator('.app-appointment').count(), 1);
    await checkAccessibility(patient, 'portal appointments after rebooking');

    // The baseline MSK-HQ is due before the first appointment: the referral page asks for it.
    await patient.goto(url('/portal/referral'));
    await patient
      .getByRole('link', { name: 'Your muscle and joint health questionnaire' })
      .click();
    await patient.waitForURL((u) => u.pathname === '/portal/questionnaire');
    const items = patient.locator('fieldset');
    assert.equal(await items.count(), 14);
    await checkAccessibility(patient, 'portal questionnaire');
    await screenshot(patient, 'portal-questionnaire');
    // Sent with the third question unanswered, the page names it and keeps the other answers.
    for (let i = 0; i < 14; i += 1) {
      if (i !== 2) await items.nth(i).locator('input[value="3"]').check();
    }
    await submit(patient, 'Send my answers');
    const summary = patient.locator('.nhsuk-error-summary');
    assert.match(await summary.innerText(), /Choose an answer/);
    assert.equal(await summary.locator('a').count(), 1);
    assert.ok(await patient.locator('#pain_day-3').isChecked(), 'answers given are kept');
    await checkAccessibility(patient, 'portal questionnaire with an error');
    await patient.locator('#walking-2').check();
    await submit(patient, 'Send my answers');
    await patient.waitForURL((u) => u.pathname === '/portal/referral');
    assert.match(await patient.locator('#timeline').innerText(), /You filled in a questionnaire/);
    assert.equal(
      await patient.getByRole('link', { name: 'Your muscle and joint health questionnaire' }).count(),
      0,
    );

    await patient.goto(url('/portal'));
    assert.match(await patient.locator('main').innerText(), new RegExp(reference));
    await checkAccessibility(patient, 'portal home');

    await patient.goto(url('/portal/audit'));
    const log = await patient.locator('#access-log').innerText();
    assert.match(log, /Booking coordinator/);
    assert.match(log, /Triage clinician/);
    assert.match(log, /You/);
    await checkAccessibility(patient, 'portal audit');
    await screenshot(patient, 'portal-audit');
    // The two refused forms above answer 400 on purpose; nothing else may fail.
    const unexpected = patient.consoleErrors.filter((e) => !/status of 400/.test(e));
    assert.deepEqual(unexpected, []);
    await closePage(patient);
  });

  test('a discharged patient answers the questionnaires and asks to be seen again', async () => {
    // A demo referral discharged into a follow-up window, with neither questionnaire answered
    // since, whose patient has an email address for the code.
    const [found, born] = execFileSync(
      'sqlite3',
      [
        process.env.TENDON_DB,
        "SELECT r.id, date(p.date_of_birth * 86400, 'unixepoch') FROM referrals r " +
          "JOIN patients p ON p.key = r.patient_key WHERE r.state = 'pifu_window' " +
          "AND p.email <> '' AND NOT EXISTS (SELECT 1 FROM pathway_events e " +
          "WHERE e.referral_id = r.id AND e.type IN ('feedback.fft', 'outcome.mskhq') " +
          'AND e.id > (SELECT max(d.id) FROM pathway_events d WHERE d.referral_id = r.id ' +
          "AND d.type = 'episode.discharged')) ORDER BY r.id LIMIT 1",
      ],
      { encoding: 'utf8' },
    )
      .trim()
      .split('|');
    assert.ok(found, 'the demo has a referral in a follow-up window');
    const [year, month, day] = born.split('-').map((n) => String(Number(n)));
    const page = await newPage(browser);
    await portalSignIn(page, found, false, { day, month, year });

    // The discharge questionnaire.
    await page.getByRole('link', { name: 'Your muscle and joint health questionnaire' }).click();
    await page.waitForURL((u) => u.pathname === '/portal/questionnaire');
    assert.match(await page.locator('main').innerText(), /how much your treatment helped/);
    await checkAccessibility(page, 'portal discharge questionnaire');
    const items = page.locator('fieldset');
    for (let i = 0; i < (await items.count()); i += 1) {
      await items.nth(i).locator('input[value="4"]').check();
    }
    await submit(page, 'Send my answers');
    await page.waitForURL((u) => u.pathname === '/portal/referral');

    // The Friends and Family Test: an answer is needed, a comment is not.
    await page.getByRole('link', { name: 'Tell us about your experience' }).click();
    await page.waitForURL((u) => u.pathname === '/portal/feedback');
    await checkAccessibility(page, 'portal feedback');
    await submit(page, 'Send');
    assert.match(await page.locator('.nhsuk-error-summary').innerText(), /Choose how/);
    await checkAccessibility(page, 'portal feedback with an error');
    await page.getByLabel('Good', { exact: true }).check();
    await page.getByLabel(/why you gave that answer/).fill('Clear advice.');
    await submit(page, 'Send');
    assert.match(await page.locator('#timeline').innerText(), /You gave feedback/);

    // Asking to be seen again puts the referral back on the list.
    await checkAccessibility(page, 'portal referral in a follow-up window');
    const csrf = await page
      .locator('form[action="/portal/follow-up"] input[name="csrf_token"]')
      .getAttribute('value');
    await page.getByLabel(/What has changed/).fill('The pain is back.');
    await submit(page, 'Ask to be seen again');
    assert.match(await page.locator('#timeline').innerText(), /You asked to be seen again/);
    assert.equal(await page.getByRole('button', { name: 'Ask to be seen again' }).count(), 0);
    // Asked again (a second tab, say), the request is refused with the reason.
    await Promise.all([
      page.waitForNavigation(),
      page.evaluate((token) => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = '/portal/follow-up';
        const input = document.createElement('input');
        input.type = 'hidden';
        input.name = 'csrf_token';
        input.value = token;
        form.appendChild(input);
        document.body.appendChild(form);
        form.submit();
      }, csrf),
    ]);
    assert.match(await page.locator('main').innerText(), /no follow-up window open/);
    await checkAccessibility(page, 'portal follow-up refused');
    await closePage(page);
  });

  test('signing in to the timeline works with JavaScript turned off', async () => {
    assert.ok(reference, 'the first test made a referral');
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await portalSignIn(page, reference, false);
    assert.match(await page.locator('#timeline').innerText(), /We received your referral/);
    await page.getByRole('link', { name: 'See and change your appointments' }).click();
    await page.waitForURL((u) => u.pathname === '/portal/appointments');
    assert.equal(await page.locator('.app-appointment').count(), 1);
    await page.goto(url('/portal/questionnaire'));
    assert.match(await page.locator('main').innerText(), /no questionnaire for you to answer now/);
    await page.goto(url('/portal/audit'));
    assert.match(await page.locator('h1').innerText(), /Who has looked at your record/);
    await context.close();
  });
});
