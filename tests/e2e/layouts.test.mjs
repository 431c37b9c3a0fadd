// Pages drawn without tables, read by the real extension as the platform's URLs: the org's keys
// as a CSS grid of plain <div>s (no ARIA roles), then the admin keys as <dl> cards. The popup
// reads both into one roster, with owners, badges and projects as a person reads them, and
// "Copy page structure" on the grid page carries none of its text.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FIXTURES, launchExtension, noDialogs, downloaded, parseCsv, assertSkeletonOf } from './harness.mjs';

const KEYS_URL = 'https://platform.openai.com/settings/organization/api-keys';
const ADMIN_URL = 'https://platform.openai.com/settings/organization/admin-keys';
const GRID = 'layouts/keys-04-div-grid-no-roles.html';
const CARDS = 'layouts/admin-keys-02-cards-dl.html';
const failures = [];
let ext;

before(async () => {
  ext = await launchExtension({
    '/settings/organization/api-keys': GRID,
    '/settings/organization/admin-keys': CARDS,
  });
});

after(async () => {
  await ext?.context.close();
});

async function popupFor(url) {
  const page = await ext.context.newPage();
  await page.goto(url);
  const tabsAt = async (u) => (await chrome.tabs.query({ url: u })).map((t) => t.id);
  const [tab] = await ext.worker.evaluate(tabsAt, url);
  const popup = await ext.context.newPage();
  noDialogs(popup, failures);
  await popup.goto(`chrome-extension://${ext.id}/popup.html?tab=${tab}`);
  await popup.waitForSelector('#popup[aria-busy="false"]');
  return { page, popup };
}

const totals = (popup) => popup.$$eval('#totals div', (d) => d.map((x) => x.textContent));
const owners = (popup) => popup.$$eval('.owner', (els) => els.map((e) => [
  e.querySelector('.owner-name').textContent, e.querySelector('.owner-count').textContent,
]));

test('a keys list drawn as plain <div>s is read whole, owners and badges as a person reads them', async () => {
  const { page, popup } = await popupFor(KEYS_URL);
  assert.equal(await popup.textContent('#page'), 'Read 6 keys from this page');
  assert.deepEqual(await totals(popup), ['6keys', '3owners', '4projects']);
  // "deploy-bot" with its "Service account" chip: the chip is the owner's type, not its name.
  assert.deepEqual(await owners(popup), [['Priya Nair', '3 keys'], ['deploy-bot', '2 keys'], ['Marcus Oyelaran', '1 key']]);

  const [download] = await Promise.all([popup.waitForEvent('download'), popup.click('#export-csv')]);
  const rows = parseCsv(await downloaded(download));
  const byName = Object.fromEntries(rows.slice(1).map((r) => [r[4], r]));
  assert.equal(rows.length - 1, 6);
  assert.deepEqual(byName['deploy-pipeline'].slice(5, 9), ['sk-svcacct-...Vb4T', 'service_account', 'service_account', 'deploy-bot']);
  assert.equal(byName['checkout-prod'][2], 'Checkout API');
  await popup.close();
  await page.close();
});

test('admin keys shown as <dl> cards add to the same roster', async () => {
  const { page, popup } = await popupFor(ADMIN_URL);
  assert.equal(await popup.textContent('#page'), 'Read 3 keys from this page');
  assert.deepEqual(await totals(popup), ['9keys', '3owners', '4projects']);
  assert.match(await popup.textContent('.owner[data-owner="Marcus Oyelaran"]'), /terraform-admin/);
  await popup.close();
  await page.close();
});

test('Copy page structure on the grid page carries its shape and none of its text', async () => {
  await ext.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const { page, popup } = await popupFor(KEYS_URL);
  await popup.click('#copy-structure');
  await popup.waitForFunction(() => document.querySelector('#structure-status').textContent.includes('Copied'));
  const skeleton = await popup.evaluate(() => navigator.clipboard.readText());
  assert.match(skeleton, /<redacted-key>/);
  assertSkeletonOf(skeleton, await readFile(join(FIXTURES, GRID), 'utf8'), assert);
  await popup.close();
  await page.close();
});

test('no dialog opened, and nothing was requested outside the extension and the platform', () => {
  const out = ext.requests.filter((u) => !u.startsWith(`chrome-extension://${ext.id}/`) && !u.startsWith('https://platform.openai.com/'));
  assert.deepEqual(out, []);
  assert.deepEqual(failures, []);
});
