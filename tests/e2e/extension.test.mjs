// The real built extension in Chromium: a platform page served as platform.openai.com, the popup
// opened on that tab, what a user sees, what Export CSV downloads, the roster growing without
// duplicates, Clear, and not one request outside the extension and the page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launchExtension, foreign, noDialogs, downloaded, parseCsv, assertSkeletonOf, FIXTURES } from './harness.mjs';

const KEYS_URL = 'https://platform.openai.com/settings/organization/api-keys';
const MEMBERS_URL = 'https://platform.openai.com/settings/organization/members';
const PLAYGROUND_URL = 'https://platform.openai.com/playground';
let ext;
const failures = [];

before(async () => {
  ext = await launchExtension({
    '/settings/organization/api-keys': 'e2e/api-keys.html',
    '/settings/organization/members': 'e2e/members.html',
    '/playground': 'e2e/not-a-table.html',
  });
});

after(async () => {
  await ext?.context.close();
});

async function tabIdOf(url) {
  const tabsAt = async (u) => (await chrome.tabs.query({ url: u })).map((t) => t.id);
  const ids = await ext.worker.evaluate(tabsAt, url);
  assert.equal(ids.length, 1, `one tab at ${url}`);
  return ids[0];
}

async function openPopup(tabId) {
  const popup = await ext.context.newPage();
  noDialogs(popup, failures);
  await popup.goto(`chrome-extension://${ext.id}/popup.html?tab=${tabId}`);
  await popup.waitForSelector('#popup[aria-busy="false"]');
  return popup;
}

async function owners(popup) {
  return popup.$$eval('.owner', (els) => els.map((e) => [e.querySelector('.owner-name').textContent, e.querySelector('.owner-count').textContent]));
}

test('popup reads the keys page, groups keys by owner and exports keys.csv', async () => {
  const page = await ext.context.newPage();
  noDialogs(page, failures);
  await page.goto(KEYS_URL);
  const popup = await openPopup(await tabIdOf(KEYS_URL));

  assert.equal(await popup.textContent('#page'), 'Read 6 keys from this page');
  // A page that was read offers "Copy page structure" only as a quiet link.
  assert.equal(await popup.$eval('#structure', (e) => !e.hidden && !e.classList.contains('prominent')), true);
  assert.deepEqual(await popup.$$eval('#totals div', (d) => d.map((x) => x.textContent)), ['6keys', '5owners', '4projects']);
  assert.deepEqual(await owners(popup), [
    ['Dana Ruiz', '2 keys'],
    ['Ada Okafor', '1 key'],
    ['Ben Carter', '1 key'],
    ['Chen Wei', '1 key'],
    ['Frank Li', '1 key'],
  ]);
  // The fifth owner is drawn just after the first paint (which has room for four), with its
  // keys as the first four have theirs.
  assert.match(await popup.textContent('.owner[data-owner="Frank Li"]'), /payments-prod.*sk-\.\.\.Qm7x/);
  // Findings by severity with the top ones.
  assert.match(await popup.textContent('#findings'), /user-key|owned by Frank Li|says prod/);

  // The hostile key name is text, not markup.
  const dana = await popup.textContent('.owner[data-owner="Dana Ruiz"]');
  assert.ok(dana.includes('<img src=x onerror=alert(1)>'), dana);
  assert.equal(await popup.$('img[src=x]'), null);

  const [download] = await Promise.all([popup.waitForEvent('download'), popup.click('#export-csv')]);
  assert.match(download.suggestedFilename(), /^keyroster-acme-robotics-keys-\d{4}-\d{2}-\d{2}\.csv$/);
  const rows = parseCsv(await downloaded(download));
  assert.equal(rows[0].join(','), 'provider,project_id,project_name,key_id,key_name,redacted_key,key_kind,owner_type,owner_name,owner_email,owner_id,created_by,permissions,created,last_used,age_days,idle_days,requests,input_tokens,output_tokens,cost_usd,risk,rules,sources');
  const byName = Object.fromEntries(rows.slice(1).map((r) => [r[4], r]));
  assert.equal(rows.length - 1, 6);
  assert.equal(byName['payments-prod'][2], 'Payments');
  assert.equal(byName['payments-prod'][8], 'Frank Li');
  assert.equal(byName['payments-prod'][5], 'sk-...Qm7x');
  assert.equal(byName['Secret key'][14], 'never');
  assert.equal(byName['etl-nightly'][14], '2025-05-30');
  assert.ok(byName['<img src=x onerror=alert(1)>'], 'the hostile name is exported as text');

  const [xlsx] = await Promise.all([popup.waitForEvent('download'), popup.click('#export-xlsx')]);
  assert.match(xlsx.suggestedFilename(), /^keyroster-acme-robotics-\d{4}-\d{2}-\d{2}\.xlsx$/);
  assert.equal((await downloaded(xlsx)).slice(0, 2), 'PK', 'a zip container: the workbook');
  await popup.close();
  await page.close();
});

test('visiting more pages adds to the roster without duplicating it; Clear empties it', async () => {
  const members = await ext.context.newPage();
  await members.goto(MEMBERS_URL);
  let popup = await openPopup(await tabIdOf(MEMBERS_URL));
  assert.match(await popup.textContent('#page'), /org-members.*4 records/);
  assert.deepEqual(await popup.$$eval('#totals div', (d) => d.map((x) => x.textContent)), ['6keys', '5owners', '4projects']);
  // Frank Li is not among the members now: the popup says so.
  assert.match(await popup.textContent('#findings'), /frank|Frank Li/i);
  await popup.close();

  // The keys page again: the same six keys, not twelve.
  const keys = await ext.context.newPage();
  await keys.goto(KEYS_URL);
  popup = await openPopup(await tabIdOf(KEYS_URL));
  assert.equal(await popup.textContent('#page'), 'Read 6 keys from this page');
  assert.equal(await popup.textContent('#totals div:first-child'), '6keys');

  await popup.click('#clear');
  assert.equal(await popup.textContent('#totals div:first-child'), '0keys');
  assert.equal(await popup.isDisabled('#export-csv'), true);
  await popup.close();
  await keys.close();
  await members.close();
});

test('a page with nothing to read says which pages to visit', async () => {
  const page = await ext.context.newPage();
  await page.goto(PLAYGROUND_URL);
  const popup = await openPopup(await tabIdOf(PLAYGROUND_URL));
  const text = await popup.textContent('#page');
  assert.match(text, /Nothing to read on this page/);
  assert.match(text, /settings\/organization\/api-keys/);
  assert.match(text, /settings\/organization\/members/);
  assert.match(text, /platform\.claude\.com\/settings\/keys/);
  await popup.close();
  await page.close();
});

test('Copy page structure on a page that read nothing puts its skeleton, and no text of it, on the clipboard', async () => {
  await ext.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await ext.context.newPage();
  await page.goto(PLAYGROUND_URL);
  const popup = await openPopup(await tabIdOf(PLAYGROUND_URL));
  assert.equal(await popup.isVisible('#copy-structure'), true);
  assert.equal(await popup.$eval('#structure', (e) => e.classList.contains('prominent')), true);
  await popup.click('#copy-structure');
  await popup.waitForFunction(() => document.getElementById('structure-status').textContent.includes('Copied'));
  const skeleton = await popup.evaluate(() => navigator.clipboard.readText());
  assertSkeletonOf(skeleton, await readFile(join(FIXTURES, 'e2e/not-a-table.html'), 'utf8'), assert);
  assert.match(skeleton, /\n {2}body > main\n {4}h1 <text:10>\n {4}p <text:22>\n/);
  await popup.close();
  await page.close();
});

test('a roster that session storage refuses is still shown, and the popup says it was not kept', async () => {
  const page = await ext.context.newPage();
  await page.goto(KEYS_URL);
  const tabId = await tabIdOf(KEYS_URL);
  const popup = await ext.context.newPage();
  noDialogs(popup, failures);
  // What Chrome does past storage.session's 10 MB quota, without building a 10 MB page.
  await popup.addInitScript(() => {
    chrome.storage.session.set = () => Promise.reject(new Error('Session storage quota bytes exceeded.'));
  });
  await popup.goto(`chrome-extension://${ext.id}/popup.html?tab=${tabId}`);
  await popup.waitForSelector('#popup[aria-busy="false"]');
  assert.match(await popup.textContent('#page'), /^Read 6 keys from this page/);
  assert.equal(await popup.textContent('#page .save-error'),
    'This page was read but the roster could not be kept for the next page: Session storage quota bytes exceeded.');
  assert.equal(await popup.textContent('#totals div:first-child'), '6keys');
  assert.equal(await popup.isDisabled('#export-csv'), false);
  await popup.close();
  await page.close();
});

test('the report page shows the roster with the shared report UI', async () => {
  const page = await ext.context.newPage();
  await page.goto(KEYS_URL);
  const popup = await openPopup(await tabIdOf(KEYS_URL));
  const [report] = await Promise.all([ext.context.waitForEvent('page'), popup.click('#open-report')]);
  noDialogs(report, failures);
  await report.waitForSelector('body[data-ready="true"]');
  await report.click('button.tab:has-text("Keys")');
  await report.waitForSelector('table.keys tbody tr');
  assert.equal(await report.$$eval('table.keys tbody tr', (r) => r.length), 6);
  assert.equal(await report.$('img[src=x]'), null);
  await report.click('button.tab:has-text("Findings")');
  assert.match(await report.textContent('.findings'), /rotation-overdue/);
  await report.close();
  await popup.close();
  await page.close();
});

test('the report page applies a policy and a pasted member list', async () => {
  const report = await ext.context.newPage();
  noDialogs(report, failures);
  await report.goto(`chrome-extension://${ext.id}/report.html`);
  await report.waitForSelector('body[data-ready="true"]');
  await report.click('details.settings summary');
  await report.click('#policy-default');
  const toml = await report.inputValue('#policy-text');
  assert.match(toml, /^# Key Roster policy/, 'the default policy is offered as a starting point');
  await report.fill('#policy-text', '[thresholds]\nunused_dayz = 30\n');
  await report.click('#policy-apply');
  await report.waitForFunction(() => document.querySelector('#policy-status').textContent !== '');
  assert.equal(await report.textContent('#policy-status'), 'policy: thresholds.unused_dayz: unknown threshold (did you mean unused_days?)');
  await report.fill('#policy-text', toml.replace('unused_days = 90', 'unused_days = 30'));
  await report.click('#policy-apply');
  await report.waitForFunction(() => document.querySelector('#policy-status').textContent.startsWith('Applied'));
  assert.equal(await report.textContent('#policy-status'), 'Applied (custom).');

  await report.fill('#members-text', 'Name,Email,Role\nAda Okafor,ada@acme-robotics.com,owner\nDana Ruiz,dana@acme-robotics.com,owner\n');
  await report.click('#members-add');
  await report.waitForFunction(() => document.querySelector('#members-status').textContent !== '');
  assert.equal(await report.textContent('#members-status'), 'Added 2 members.');
  assert.equal(await report.textContent('.cards .card:nth-child(4) .card-value'), '2');
  // Saved with the roster: the popup sees them too.
  const saved = JSON.parse((await ext.worker.evaluate(() => chrome.storage.session.get('roster'))).roster);
  assert.equal(saved.inventory.members.length, 2);
  await report.close();
});

test('the report page lists the core presets and keeps a previous audit across a preset change', async () => {
  const report = await ext.context.newPage();
  noDialogs(report, failures);
  await report.goto(`chrome-extension://${ext.id}/report.html`);
  await report.waitForSelector('body[data-ready="true"]');
  await report.click('details.settings summary');
  assert.deepEqual(await report.$$eval('#preset option', (os) => os.map((o) => o.value)), ['default', 'cis', 'strict']);
  await report.setInputFiles('#previous', join(FIXTURES, 'golden/org/keys.csv'));
  await report.waitForFunction(() => document.querySelector('#previous-status').textContent !== '');
  assert.equal(await report.textContent('#previous-status'), 'Compared with keys.csv.');
  await report.click('button.tab:has-text("Findings")');
  await report.waitForSelector('.findings .badge[class*="change-"]');
  // Only the list rebuilt under the new preset can match once the old one is gone.
  await report.evaluate(() => document.querySelector('.findings').remove());
  await report.selectOption('#preset', 'strict');
  await report.waitForFunction(() => document.querySelector('.report-head')?.textContent.includes('policy strict'));
  await report.waitForSelector('.findings .badge[class*="change-"]');
  await report.close();

  // Another page read in the popup, then the report opened again: the comparison was kept with
  // the roster, not only in the page that loaded it.
  const keys = await ext.context.newPage();
  await keys.goto(KEYS_URL);
  const popup = await openPopup(await tabIdOf(KEYS_URL));
  await popup.close();
  const again = await ext.context.newPage();
  noDialogs(again, failures);
  await again.goto(`chrome-extension://${ext.id}/report.html`);
  await again.waitForSelector('body[data-ready="true"]');
  await again.click('button.tab:has-text("Findings")');
  await again.waitForSelector('.findings .badge[class*="change-"]');
  await again.close();
  await keys.close();
});

test('nothing was requested outside the extension and the platform page; no dialog opened', () => {
  const out = foreign(ext.requests, [`chrome-extension://${ext.id}/`, 'https://platform.openai.com/']);
  assert.deepEqual(out, []);
  // The worker's and pages' requests were recorded at all.
  assert.ok(ext.requests.some((u) => u.endsWith('keyroster_bg.wasm')), 'the wasm load was seen');
  assert.deepEqual(failures, []);
});
