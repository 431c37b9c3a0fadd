// The extension's two builds of the core: the popup opens on its own small module (pkg-popup/),
// and the full one (pkg/: every export writer, policy files) is fetched only when it is needed,
// when the user goes to export, or at open when the user has set a policy file of their own.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchExtension, foreign, noDialogs, downloaded } from './harness.mjs';

const KEYS_URL = 'https://platform.openai.com/settings/organization/api-keys';
const RULES = [
  'exposed-secret', 'owner-departed', 'legacy-user-key', 'admin-key-idle', 'unused', 'never-used',
  'rotation-overdue', 'user-key-in-production', 'no-spend-limit', 'usage-spike', 'default-project',
  'undescriptive-name', 'duplicate-name', 'many-keys-per-owner', 'expiring-soon', 'expired', 'no-expiry',
  'broad-permissions',
];
let ext, tabId;
const failures = [];

before(async () => {
  ext = await launchExtension({ '/settings/organization/api-keys': 'e2e/api-keys.html' });
  const page = await ext.context.newPage();
  await page.goto(KEYS_URL);
  const tabsAt = async (u) => (await chrome.tabs.query({ url: u })).map((t) => t.id);
  [tabId] = await ext.worker.evaluate(tabsAt, KEYS_URL);
});

after(async () => {
  await ext?.context.close();
});

/** The wasm modules fetched since `from` (an index into the recorded requests). */
const modulesSince = (from) => ext.requests.slice(from).filter((u) => u.endsWith('.wasm'))
  .map((u) => new URL(u).pathname);

async function openPopup() {
  const popup = await ext.context.newPage();
  noDialogs(popup, failures);
  popup.on('pageerror', (e) => failures.push(`pageerror: ${e.message}`));
  await popup.goto(`chrome-extension://${ext.id}/popup.html?tab=${tabId}`);
  await popup.waitForSelector('#popup[aria-busy="false"]');
  return popup;
}

const severities = (popup) => popup.$$eval('#findings .sev-row > *', (els) => els.map((e) => e.textContent));

test('the popup opens on its own module and fetches the full one when the user goes to export', async () => {
  await ext.worker.evaluate(() => chrome.storage.session.clear());
  const from = ext.requests.length;
  const popup = await openPopup();
  assert.equal(await popup.textContent('#page'), 'Read 6 keys from this page');
  assert.deepEqual(modulesSince(from), ['/pkg-popup/keyroster_bg.wasm']);

  // Every export comes from the full module, fetched when the user goes to export: the pointer
  // on an Export button starts it, before any click.
  await popup.hover('#export-csv');
  for (let i = 0; i < 100 && modulesSince(from).length < 2; i++) await popup.waitForTimeout(50);
  assert.deepEqual(modulesSince(from), ['/pkg-popup/keyroster_bg.wasm', '/pkg/keyroster_bg.wasm']);
  const [csv] = await Promise.all([popup.waitForEvent('download'), popup.click('#export-csv')]);
  assert.match(csv.suggestedFilename(), /^keyroster-acme-robotics-keys-\d{4}-\d{2}-\d{2}\.csv$/);
  assert.equal((await downloaded(csv)).split('\n').filter(Boolean).length, 7, 'a header and six keys');
  assert.deepEqual(modulesSince(from), ['/pkg-popup/keyroster_bg.wasm', '/pkg/keyroster_bg.wasm']);
  // The workbook, and another CSV, reuse it.
  const [xlsx] = await Promise.all([popup.waitForEvent('download'), popup.click('#export-xlsx')]);
  assert.match(xlsx.suggestedFilename(), /^keyroster-acme-robotics-\d{4}-\d{2}-\d{2}\.xlsx$/);
  assert.equal((await downloaded(xlsx)).slice(0, 2), 'PK', 'a zip container: the workbook');
  await Promise.all([popup.waitForEvent('download'), popup.click('#export-csv')]);
  assert.equal(modulesSince(from).length, 2);
  await popup.close();
});

test('a preset stays on the popup module; a policy file of the user\'s own loads the full one and applies', async () => {
  await ext.worker.evaluate(() => chrome.storage.session.clear());
  const plain = await openPopup();
  const byDefault = await severities(plain);
  await plain.close();
  assert.ok(byDefault.some((s) => !s.startsWith('0')), `the page has findings: ${byDefault}`);

  await ext.worker.evaluate(() => chrome.storage.session.set({ policy: { name: 'preset', text: 'preset = "strict"\n' } }));
  let from = ext.requests.length;
  const strict = await openPopup();
  assert.deepEqual(modulesSince(from), ['/pkg-popup/keyroster_bg.wasm']);
  await strict.close();

  const toml = RULES.map((id) => `[rules.${id}]\nenabled = false\n`).join('\n');
  await ext.worker.evaluate((text) => chrome.storage.session.set({ policy: { name: 'policy', text } }), toml);
  from = ext.requests.length;
  const own = await openPopup();
  assert.ok(modulesSince(from).includes('/pkg/keyroster_bg.wasm'), `${modulesSince(from)}`);
  assert.equal(await own.textContent('#page'), 'Read 6 keys from this page');
  // Every rule off: no finding of any severity.
  assert.ok((await severities(own)).every((s) => s.startsWith('0')), `${await severities(own)}`);
  await own.close();
});

test('the popup modules made no request outside the extension and the page, and no dialog', () => {
  assert.deepEqual(foreign(ext.requests, [`chrome-extension://${ext.id}/`, 'https://platform.openai.com/']), []);
  assert.deepEqual(failures, []);
});
