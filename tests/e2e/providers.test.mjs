// One organization on both platforms, through the real extension: an OpenAI keys page served as
// platform.openai.com and Claude Console pages served as platform.claude.com and
// console.anthropic.com (their real hosts, so the host permissions are what lets them be read).
// The roster merges them; the report shows totals per provider and filters the keys by
// provider; keys.csv carries both; and no request leaves the extension and the pages. The same
// org's files (OpenAI's Admin API and pages, Anthropic's Admin API lists, usage report and
// Console usage export) dropped on www give the same per-provider report and downloads.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { ROOT, FIXTURES, launchExtension, launchBrowser, serve, foreign, noDialogs, downloaded, parseCsv, openReady } from './harness.mjs';

const OPENAI_KEYS = 'https://platform.openai.com/settings/organization/api-keys';
const CLAUDE_KEYS = 'https://platform.claude.com/settings/keys';
const CLAUDE_WORKSPACES = 'https://platform.claude.com/settings/workspaces';
const CLAUDE_MEMBERS = 'https://console.anthropic.com/settings/members';
let ext, server, b;
const failures = [];

before(async () => {
  ext = await launchExtension({
    '/settings/organization/api-keys': 'e2e/api-keys.html',
    [CLAUDE_KEYS]: 'anthropic/console-keys-table.html',
    [CLAUDE_WORKSPACES]: 'anthropic/console-workspaces.html',
    [CLAUDE_MEMBERS]: 'anthropic/console-members.html',
  });
  server = await serve(join(ROOT, 'dist/www'));
  b = await launchBrowser();
});

after(async () => {
  await ext?.context.close();
  await b?.browser.close();
  await server?.close();
  assert.deepEqual(failures, []);
});

async function readWithPopup(url) {
  const page = await ext.context.newPage();
  noDialogs(page, failures);
  await page.goto(url);
  const tabsAt = async (u) => (await chrome.tabs.query({ url: u })).map((t) => t.id);
  const [tabId] = await ext.worker.evaluate(tabsAt, url);
  const popup = await ext.context.newPage();
  noDialogs(popup, failures);
  await popup.goto(`chrome-extension://${ext.id}/popup.html?tab=${tabId}`);
  await popup.waitForSelector('#popup[aria-busy="false"]');
  return { page, popup };
}

test('OpenAI and Claude Console pages make one roster with totals per provider', async () => {
  let { page, popup } = await readWithPopup(OPENAI_KEYS);
  assert.equal(await popup.textContent('#page'), 'Read 6 keys from this page');
  await popup.close();
  await page.close();

  ({ page, popup } = await readWithPopup(CLAUDE_KEYS));
  assert.equal(await popup.textContent('#page'), 'Read 7 keys from this page');
  assert.equal(await popup.textContent('#totals div:first-child'), '13keys');
  await popup.close();
  await page.close();

  for (const url of [CLAUDE_WORKSPACES, CLAUDE_MEMBERS]) {
    ({ page, popup } = await readWithPopup(url));
    assert.doesNotMatch(await popup.textContent('#page'), /Nothing to read/, url);
    assert.equal(await popup.textContent('#totals div:first-child'), '13keys', `${url} adds no keys`);
    if (url !== CLAUDE_MEMBERS) {
      await popup.close();
      await page.close();
    }
  }

  // keys.csv from the popup: both platforms' keys, each with its provider.
  const [download] = await Promise.all([popup.waitForEvent('download'), popup.click('#export-csv')]);
  const rows = parseCsv(await downloaded(download)).slice(1);
  const count = (p) => rows.filter((r) => r[0] === p).length;
  assert.deepEqual([count('openai'), count('anthropic')], [6, 7]);
  const test = rows.find((r) => r[0] === 'anthropic' && r[4] === 'test');
  assert.equal(test[2], 'Default', 'the Default workspace in the project_name column');
  assert.match(test[22], /default-project/);
  await popup.close();
  await page.close();

  // The report: a row per provider on the Summary, and the Keys tab filtered by provider.
  const report = await ext.context.newPage();
  noDialogs(report, failures);
  await report.goto(`chrome-extension://${ext.id}/report.html`);
  await report.waitForSelector('body[data-ready="true"]');
  const byProvider = await report.$$eval('table.by-provider tbody tr', (trs) =>
    trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  assert.deepEqual(byProvider.map((r) => r.slice(0, 2)), [['OpenAI', '6'], ['Anthropic', '7']]);
  assert.equal(byProvider[1][4], '4 workspaces');
  assert.match(byProvider[0][4], /projects?$/);

  await report.click('#tab-Keys');
  await report.waitForSelector('table.keys tbody tr');
  await report.selectOption('select[aria-label="Provider"]', 'anthropic');
  await report.waitForFunction(() => /of 7 keys/.test(document.querySelector('.pager span')?.textContent ?? ''));
  const scopes = await report.$$eval('table.keys tbody tr.key-row td:nth-child(3) .muted', (d) => d.map((x) => x.textContent));
  assert.equal(scopes.length, 7);
  assert.ok(scopes.every((s) => s === 'workspace'), scopes.join());
  const inactive = await report.$$eval('table.keys tbody tr.key-row', (trs) =>
    trs.filter((tr) => tr.textContent.includes('old-eval')).map((tr) => tr.querySelector('td:nth-child(8)').textContent));
  assert.deepEqual(inactive, ['noneinactive']);
  await report.close();

  assert.deepEqual(foreign(ext.requests, [
    `chrome-extension://${ext.id}/`,
    'https://platform.openai.com/',
    'https://platform.claude.com/',
    'https://console.anthropic.com/',
  ]), []);
});

test('www: the same org as files gives totals per provider and both in one set of downloads', async () => {
  const page = await openReady(b.context, server.url, failures);
  const org = readdirSync(join(FIXTURES, 'org')).sort().map((f) => join(FIXTURES, 'org', f));
  const anthropic = ['api-keys.json', 'users.json', 'workspaces.json', 'usage-report-messages.json', 'console-usage.csv']
    .map((f) => join(FIXTURES, 'anthropic', f));
  await page.setInputFiles('#files', [...org, ...anthropic]);
  await page.waitForSelector('#report:not([hidden]) table.by-provider');
  const status = await page.$$eval('#file-status li', (l) => l.map((x) => x.textContent));
  assert.ok(status.some((s) => /console-usage\.csv: csv:anthropic-usage/.test(s)), status.join('\n'));
  const rows = await page.$$eval('table.by-provider tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  assert.deepEqual(rows.map((r) => [r[0], r[1], r[4]]), [['OpenAI', '8', '4 projects'], ['Anthropic', '8', '4 workspaces']]);

  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Export CSV")')]);
  const keys = parseCsv(await downloaded(csv)).slice(1).filter((r) => r.length > 1);
  assert.deepEqual(['openai', 'anthropic'].map((p) => keys.filter((r) => r[0] === p).length), [8, 8]);
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Export Excel")')]);
  assert.equal((await downloaded(xlsx)).slice(0, 2), 'PK');

  await page.click('button.tab:has-text("Keys")');
  await page.waitForSelector('table.keys tbody tr');
  await page.selectOption('select[aria-label="Group by"]', 'provider');
  await page.waitForSelector('table.keys tr.group-row');
  const groups = await page.$$eval('table.keys tr.group-row', (trs) => trs.map((t) => t.textContent));
  assert.deepEqual(groups, ['Anthropic', 'OpenAI']);
  const lastUse = await page.$$eval('table.keys tr.key-row', (trs) => Object.fromEntries(trs.map((tr) =>
    [tr.querySelector('.key-name').textContent, tr.querySelector('td:nth-child(6)').textContent])));
  assert.equal(lastUse['support-bot-prod'], 'seen 2026-11-22');
  assert.equal(lastUse['staging-canary'], 'not seen in usage');
  assert.equal(lastUse['mobile-live'], '2026-11-22', 'OpenAI keys keep their last-used date');
  await page.close();
});
