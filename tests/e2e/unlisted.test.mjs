// The static analyzer with a cost export by key id, the keys JSON of one project and an audit log:
// the Summary says usage came from keys no page lists; the Keys tab lists them in their own table,
// a deleted key that still spent marked with when, by whom and how much after; its CSV downloads;
// the Owners tab shows roles; a key's details list its audit-log history.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, FIXTURES, serve, launchBrowser, downloaded, parseCsv, openReady } from './harness.mjs';

let server, b;
const failures = [];

before(async () => {
  server = await serve(join(ROOT, 'dist/www'));
  b = await launchBrowser();
});

after(async () => {
  await b?.browser.close();
  await server?.close();
  assert.deepEqual(failures, []);
});

/** The analyzer with `files` (fixture paths) dropped, once every file has its status line. */
async function analyze(files) {
  const page = await openReady(b.context, server.url, failures);
  await page.setInputFiles('#files', files.map((f) => join(FIXTURES, f)));
  await page.waitForFunction((n) => document.querySelectorAll('#file-status li').length === n, files.length);
  return page;
}

test('unlisted keys: a Summary alert, their own table and CSV under Keys, and key history', async () => {
  const page = await analyze([
    'json/proj_k7Qx2m-api-keys-page1.json',
    'json/proj_k7Qx2m-api-keys-page2.json',
    'csv/cost_2026-11-01_2026-11-05-by-key.csv',
    'json/audit-log-key-lifecycle.json',
  ]);
  await page.waitForSelector('#report:not([hidden]) .cards');

  const alerts = await page.$$eval('.tab-body p.alert', (ps) => ps.map((p) => p.textContent));
  assert.ok(alerts.includes('Usage by 2 keys no page read lists ($12.25): see Keys, Unlisted keys.'), alerts.join('\n'));
  const stale = await page.textContent('.coverage');
  assert.match(stale, /Listed on a page but deleted since \(audit log\): ci-runner \(sk-proj-\.\.\.w7Lm\), deleted 2026-11-03/);

  await page.click('button.tab:has-text("Keys")');
  await page.waitForSelector('table.unlisted-keys tbody tr');
  const rows = await page.$$eval('table.unlisted-keys tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  assert.deepEqual(rows, [
    ['key_gone1', 'Payments', '2026-11-01', '2026-11-04', '', '', '$10.25',
      'deleted 2026-11-02 by ops@example.com (audit log); used $4.25 after'],
    ['key_stray7', 'Research', '2026-11-03', '2026-11-05', '', '', '$2.00', 'not listed on any page read'],
  ]);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('button:has-text("Export unlisted keys (CSV)")'),
  ]);
  assert.match(download.suggestedFilename(), /^keyroster-.*unlisted-keys-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = parseCsv(await downloaded(download));
  assert.deepEqual(csv.slice(1).map((r) => [r[0], r[1], r[5]]), [
    ['openai', 'key_gone1', 'deleted (audit log)'],
    ['openai', 'key_stray7', 'not listed on any page read'],
  ]);

  // The listed key the audit log updated: its details carry the event.
  await page.fill('input[aria-label="Filter keys"]', 'prod-backend');
  await page.waitForFunction(() => document.querySelectorAll('table.keys tbody tr').length === 1);
  await page.click('table.keys tbody tr .key-name');
  await page.waitForSelector('dialog.key-details[open] ol.history li');
  const history = await page.$$eval('dialog.key-details ol.history li', (li) => li.map((x) => x.textContent));
  assert.deepEqual(history, ['2026-10-15: permissions set to api.model.read by sec@example.com']);
  await page.close();
});

test('unlisted keys follow the Provider filter, and their CSV holds what is shown', async () => {
  const page = await analyze([
    'json/proj_k7Qx2m-api-keys-page1.json',
    'csv/cost_2026-11-01_2026-11-05-by-key.csv',
    'json/anthropic-api-keys.json',
    'anthropic/usage-report-messages.json',
  ]);
  await page.click('button.tab:has-text("Keys")');
  const ids = () => page.$$eval('table.unlisted-keys tbody tr', (trs) => trs.map((tr) => tr.cells[0].textContent));
  await page.waitForSelector('table.unlisted-keys tbody tr');
  assert.equal((await ids()).length, 4, (await ids()).join(' '));

  await page.selectOption('select[aria-label="Provider"]', 'anthropic');
  await page.waitForFunction(() => document.querySelectorAll('table.unlisted-keys tbody tr').length === 2);
  const shown = await ids();
  assert.ok(shown.every((id) => id.startsWith('apikey_')), shown.join(' '));
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('button:has-text("Export unlisted keys (CSV)")'),
  ]);
  const csv = parseCsv(await downloaded(download));
  assert.deepEqual(csv.slice(1).map((r) => [r[0], r[1]]), shown.map((id) => ['anthropic', id]));
  await page.close();
});
