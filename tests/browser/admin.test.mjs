// Administration in a real browser: an administrator adds a room, a clinician and a clinic template
// and sees the template's slots generated; a bad template is refused naming its fields, and nothing
// is saved; the slots of every template are extended from the index. Each page is checked with
// axe-core (WCAG 2.2 AA) and screenshotted; the same journey works with JavaScript turned off.
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
const admin = account('administrator');

function url(path) {
  return new URL(path, baseUrl).href;
}

// Ids no other run of this file has used on the same database.
function suffix() {
  return `b${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
}

// The forms' choices that are drop-down lists; every other field is typed into or ticked.
const SELECTS = new Set([
  'site_id',
  'profession',
  'base_site_id',
  'clinician_id',
  'room_id',
  'slot_type',
  'modality',
  'ringfence',
]);

// Fills a form: `true` ticks the checkbox of that name, a select is chosen by value, and any other
// field (by id) is typed into.
async function fill(page, values) {
  for (const [name, value] of Object.entries(values)) {
    if (value === true) {
      await page.locator(`input[name="${name}"]`).check();
    } else if (SELECTS.has(name)) {
      await page.locator(`#${name}`).selectOption(value);
    } else {
      await page.locator(`#${name}`).fill(value);
    }
  }
}

// Presses the form's button and waits for the page it answers with.
async function submit(page, name) {
  await Promise.all([
    page.waitForEvent('load'),
    page.getByRole('button', { name, exact: true }).click(),
  ]);
}

// Adds room "bicester-room-<id>" and physiotherapist "clin-<id>" based at Bicester.
async function addRoomAndClinician(page, id) {
  await page.goto(url('/admin/rooms'));
  await fill(page, { id: `bicester-room-${id}`, site_id: 'bicester', name: `Room ${id}` });
  await submit(page, 'Add room');
  assert.match(await page.locator('.nhsuk-notification-banner').innerText(), /Room .* saved/);
  await page.goto(url('/admin/clinicians'));
  await fill(page, {
    id: `clin-${id}`,
    name: `Pat Tester ${id}`,
    profession: 'physiotherapist',
    'skills-physiotherapy': true,
    base_site_id: 'bicester',
    fte: '1',
  });
  await submit(page, 'Add clinician');
  assert.match(await page.locator('.nhsuk-notification-banner').innerText(), /saved/);
}

// The template form for `id`'s clinician in `id`'s room, 17:00-18:00 on `day`, 30-minute slots.
function templateValues(id, day) {
  return {
    id: `tpl-${id}`,
    clinician_id: `clin-${id}`,
    site_id: 'bicester',
    room_id: `bicester-room-${id}`,
    [`weekdays-${day}`]: true,
    start: '17:00',
    end: '18:00',
    slot_type: 'new',
    slot_minutes: '30',
    modality: 'face_to_face',
  };
}

// Adds the template and checks that its slots were made and are listed.
async function addTemplate(page, id, day) {
  await page.goto(url('/admin/templates'));
  await fill(page, templateValues(id, day));
  await submit(page, 'Add clinic template');
  const banner = await page.locator('.nhsuk-notification-banner').innerText();
  assert.match(banner, new RegExp(`Clinic template tpl-${id} saved`));
  const added = Number(banner.match(/(\d+) slots? added/)[1]);
  assert.ok(added > 0, `no slots were added: ${banner}`);
  const slots = page.locator('#admin-slots-caption').locator('xpath=..').locator('tbody tr');
  assert.ok((await slots.count()) > 0, 'the slots table is empty');
  // Slots already started are not listed: run on the template's own day after 17:00, the first
  // listed is today's 17:30.
  assert.match(await slots.first().innerText(), /17:(00|30)/);
}

// Sends a template with no weekday and four patients in a new-patient slot: refused, naming both.
async function refuseBadTemplate(page, id) {
  await page.goto(url('/admin/templates'));
  const values = templateValues(id, 'mon');
  delete values['weekdays-mon'];
  values.id = `tpl-bad-${id}`;
  values.capacity = '4';
  await fill(page, values);
  await submit(page, 'Add clinic template');
  const summary = page.locator('.nhsuk-error-summary');
  await summary.waitFor({ state: 'visible' });
  const text = await summary.innerText();
  assert.match(text, /Choose at least one weekday/);
  assert.match(text, /Only a group class holds more than one patient/);
  assert.equal(await page.locator('#capacity').inputValue(), '4');
  assert.equal(await page.getByRole('cell', { name: `tpl-bad-${id}`, exact: true }).count(), 0);
}

// Console errors other than the browser's note that a refused form came back with status 400.
const ERROR_STATUS_NOTE = /^Failed to load resource: the server responded with a status of 400/;
function unexpectedConsoleErrors(page) {
  return page.consoleErrors.filter((text) => !ERROR_STATUS_NOTE.test(text));
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('administration', () => {
  test('an administrator adds a room, a clinician and a template and sees its slots', async () => {
    const page = await newPage(browser);
    await signIn(page, baseUrl, admin.username, admin.password);
    const index = await page.goto(url('/admin'));
    assert.equal(index.status(), 200);
    await checkAccessibility(page, 'administration index');
    await screenshot(page, 'admin-index');

    const id = suffix();
    await addRoomAndClinician(page, id);
    await checkAccessibility(page, 'clinicians page after a save');
    await addTemplate(page, id, 'thu');
    await checkAccessibility(page, 'template saved with its slots');
    await screenshot(page, 'admin-template-saved');

    await refuseBadTemplate(page, id);
    await checkAccessibility(page, 'template refused');
    await screenshot(page, 'admin-template-error');
    assert.deepEqual(unexpectedConsoleErrors(page), []);
    await closePage(page);
  });

  test('the slots of every template are extended from the index', async () => {
    const page = await newPage(browser);
    await signIn(page, baseUrl, admin.username, admin.password);
    await page.goto(url('/admin'));
    await submit(page, 'Extend slots to 8 weeks ahead');
    const banner = await page.locator('.nhsuk-notification-banner').innerText();
    assert.match(banner, /Slots extended/);
    assert.match(banner, /slots? added, through \d{4}-\d{2}-\d{2}/);
    await checkAccessibility(page, 'slots extended');
    assert.deepEqual(page.consoleErrors, []);
    await closePage(page);
  });

  test('works with JavaScript turned off', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, baseUrl, admin.username, admin.password);
    const id = suffix();
    await addRoomAndClinician(page, id);
    await addTemplate(page, id, 'tue');
    await refuseBadTemplate(page, id);
    await context.close();
  });
});
