// The built extension (dist/extension), loaded unpacked in Chromium, reading fixture pages served
// AS platform.openai.com: what the popup shows, what Export CSV downloads, that a second page
// grows the roster without duplicating it, that Clear empties it, that a markup-named key stays
// text, and that nothing is requested outside the extension and the routed platform pages.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchExtension, recordRequests, routePlatform, failOnDialog, downloadText, csvRecords,
  popupOwners, PLATFORM,
} from './lib.mjs';

const KEYS_URL = `${PLATFORM}/settings/organization/api-keys`;
const MEMBERS_URL = `${PLATFORM}/settings/organization/members`;
const XSS = '<img src=x onerror=alert(1)>';

let ext;
let requests;
const dialogs = [];
let tab; // the "platform" tab the popup reads
let tabId;

before(async () => {
  ext = await launchExtension();
  const { context, id } = ext;
  requests = recordRequests(context, (u) => u.startsWith(`chrome-extension://${id}/`)
    || u.startsWith(`blob:chrome-extension://${id}/`)
    || u === KEYS_URL || u === MEMBERS_URL);
  await routePlatform(context);
  context.on('page', (p) => failOnDialog(p, dialogs));
  tab = await context.newPage();
  failOnDialog(tab, dialogs);
  await tab.goto(KEYS_URL);
  // The host permission lets the extension see this tab's URL without the `tabs` permission.
  tabId = await ext.worker.evaluate(async (url) => (await chrome.tabs.query({})).find((t) => t.url === url)?.id, KEYS_URL);
  assert.equal(typeof tabId, 'number', 'the platform tab is visible to the extension');
});

after(async () => {
  await ext?.context.close();
});

async function openPopup() {
  const popup = await ext.context.newPage();
  await popup.goto(`chrome-extension://${ext.id}/popup.html?tab=${tabId}`);
  await popup.waitForSelector('#popup[aria-busy="false"]');
  return popup;
}

const totals = (popup) => popup.$$eval('#totals > div', (ds) => Object.fromEntries(ds.map((d) => [d.childNodes[1].textContent, Number(d.querySelector('strong').textContent)])));

async function storedRoster(page) {
  const saved = await page.evaluate(() => chrome.storage.session.get('roster'));
  return saved.roster ? JSON.parse(saved.roster) : null;
}

test('the popup reads the keys page into owner groups', async () => {
  const popup = await openPopup();
  assert.equal(await popup.textContent('#page'), 'Read 6 keys from this page');
  assert.deepEqual(await totals(popup), { keys: 6, owners: 3, projects: 4 });
  assert.equal(await popup.textContent('#org'), 'Northwind Labs');
  const owners = await popupOwners(popup);
  assert.deepEqual([...owners].sort(), [
    ['Lena Fischer', '1 key'],
    ['Marcus Bell', '2 keys'],
    ['Priya Natarajan', '3 keys'],
  ]);
  const priya = await popup.$$eval('#owners .owner[data-owner="Priya Natarajan"] .key-name', (els) => els.map((e) => e.textContent).sort());
  assert.deepEqual(priya, ['payments-prod', 'payments-staging', 'research-notebook']);
  // Findings: a severity row and at least one message (a never-used key, a legacy-style name...).
  assert.equal(await popup.$$eval('#findings .sev-row .sev', (e) => e.length), 5);
  const top = await popup.$$eval('#findings .top-findings li', (els) => els.map((e) => e.textContent));
  assert.ok(top.length > 0 && top.length <= 5, `top findings: ${top}`);
  assert.ok(top.some((t) => t.includes('payments-staging') || t.includes(XSS)), `a never-used key is flagged: ${top.join(' | ')}`);
  await popup.close();
});

test('a key named like markup is shown as text, never run', async () => {
  const popup = await openPopup();
  const names = await popup.$$eval('#owners .key-name', (els) => els.map((e) => e.textContent));
  assert.ok(names.includes(XSS), `the name is shown verbatim: ${names}`);
  assert.equal(await popup.$('img[src=x]'), null);
  assert.equal(await popup.$('#owners img'), null);
  const report = await ext.context.newPage();
  await report.goto(`chrome-extension://${ext.id}/report.html`);
  await report.waitForSelector('body[data-ready="true"]');
  await report.click('nav.tabs button:has-text("Keys")');
  await report.waitForSelector('table.keys tbody tr');
  const cells = await report.$$eval('table.keys .key-name', (els) => els.map((e) => e.textContent));
  assert.ok(cells.includes(XSS));
  assert.equal(await report.$('img[src=x]'), null);
  await report.close();
  assert.deepEqual(dialogs, []);
  await popup.close();
});

test('Export CSV downloads every key of the roster', async () => {
  const popup = await openPopup();
  const [download] = await Promise.all([popup.waitForEvent('download'), popup.click('#export-csv')]);
  assert.match(download.suggestedFilename(), /^keyroster-northwind-labs-keys-\d{4}-\d{2}-\d{2}\.csv$/);
  const { header, records } = csvRecords(await downloadText(download));
  assert.deepEqual(header.slice(0, 6), ['provider', 'project_id', 'project_name', 'key_id', 'key_name', 'redacted_key']);
  assert.equal(records.length, 6);
  const byName = Object.fromEntries(records.map((r) => [r.key_name, r]));
  assert.equal(byName['payments-prod'].owner_name, 'Priya Natarajan');
  assert.equal(byName['payments-prod'].project_name, 'Payments');
  assert.equal(byName['payments-prod'].redacted_key, 'sk-proj-...Qm7x');
  assert.equal(byName['payments-prod'].created, '2025-03-02');
  assert.equal(byName['payments-prod'].last_used, '2026-11-21');
  assert.equal(byName['payments-staging'].last_used, 'never');
  assert.equal(byName['etl-nightly'].owner_name, 'Lena Fischer');
  assert.equal(byName[XSS].owner_name, 'Marcus Bell', 'the markup name round-trips as text');
  for (const r of records) assert.ok(!/sk-proj-[A-Za-z0-9]{20}/.test(Object.values(r).join(',')), 'no full secret');
  await popup.close();
});

test('the report page applies a policy and a pasted member list', async () => {
  const report = await ext.context.newPage();
  await report.goto(`chrome-extension://${ext.id}/report.html`);
  await report.waitForSelector('body[data-ready="true"]');
  await report.click('details.settings summary');
  await report.click('#policy-default');
  const toml = await report.inputValue('#policy-text');
  assert.ok(toml.length > 100, 'the default policy is offered as a starting point');
  await report.fill('#policy-text', 'this is = = not toml');
  await report.click('#policy-apply');
  await report.waitForFunction(() => document.querySelector('#policy-status').textContent !== '');
  assert.match(await report.textContent('#policy-status'), /^policy: /, 'the error names the policy input');
  await report.fill('#policy-text', toml);
  await report.click('#policy-apply');
  await report.waitForFunction(() => document.querySelector('#policy-status').textContent.startsWith('Applied'));

  await report.fill('#members-text', 'Name,Email,Role\nPriya Natarajan,priya@northwind.example,owner\nMarcus Bell,marcus@northwind.example,reader\n');
  await report.click('#members-add');
  await report.waitForFunction(() => document.querySelector('#members-status').textContent !== '');
  assert.equal(await report.textContent('#members-status'), 'Added 2 members.');
  const saved = await storedRoster(report);
  assert.equal(saved.members.length, 2);
  assert.equal(saved.keys.length, 6);
  await report.close();
});

test('a second page grows the roster without duplicating it; Clear empties it', async () => {
  await tab.goto(MEMBERS_URL);
  const popup = await openPopup();
  assert.match(await popup.textContent('#page'), /^Read this page \(html:org-members\): 3 records/);
  assert.deepEqual(await totals(popup), { keys: 6, owners: 3, projects: 4 });
  let saved = await storedRoster(popup);
  assert.equal(saved.keys.length, 6);
  // The members pasted on the report page and the members page are the same people: merged.
  assert.deepEqual(saved.members.map((m) => m.name).sort(), ['Marcus Bell', 'Priya Natarajan', 'Sam Kowalski']);
  // The popup re-reads its tab on every open: each page is listed once however often it was read.
  assert.deepEqual(saved.sources.map((s) => s.url ?? s.name), [KEYS_URL, 'members (pasted)', MEMBERS_URL]);

  // Reading the same page again adds no keys.
  await tab.goto(KEYS_URL);
  await popup.close();
  const again = await openPopup();
  assert.deepEqual(await totals(again), { keys: 6, owners: 3, projects: 4 });

  await again.click('#clear');
  await again.waitForFunction(() => document.querySelector('#page').textContent === 'Roster cleared.');
  assert.deepEqual(await totals(again), { keys: 0, owners: 0, projects: 0 });
  assert.equal(await again.isDisabled('#export-csv'), true);
  saved = await storedRoster(again);
  assert.equal(saved, null);
  await again.close();
});

test('a page with nothing to read says which pages to visit', async () => {
  await tab.goto(`${PLATFORM}/settings/organization/general`); // routed: a 404 "not a fixture" page
  const popup = await openPopup();
  assert.match(await popup.textContent('#page'), /Visit one of these/);
  const hints = await popup.$$eval('#page .hint li', (els) => els.map((e) => e.textContent));
  assert.ok(hints.some((h) => h.includes('platform.openai.com/settings/organization/api-keys')), hints.join('\n'));
  assert.ok(hints.some((h) => h.includes('members')));
  await popup.close();
});

test('nothing was requested outside the extension and the routed platform pages', () => {
  assert.ok(requests.seen.some((u) => u.endsWith('/pkg/keyroster_bg.wasm')), 'the recorder saw the wasm load');
  const offenders = requests.offenders().filter((u) => u !== `${PLATFORM}/settings/organization/general`);
  assert.deepEqual(offenders, []);
  assert.deepEqual(dialogs, []);
});
