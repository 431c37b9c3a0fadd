// The key details panel and the owner × project matrix, over the bundled sample org in www and
// over a platform page read by the extension: a key opens from the Keys tab with its findings
// (muted ones marked), the inputs it was read from and its daily cost with the spike day; Escape
// closes it; `#key=<id>` opens it on load; the Matrix tab shows the core's counts and worst risk.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, serve, launchBrowser, launchExtension, openReady } from './harness.mjs';

const KEYS_URL = 'https://platform.openai.com/settings/organization/api-keys';
// payments-prod in tests/fixtures/org: Frank Li's key in Payments, with a usage spike.
const PAYMENTS_PROD = 'key_Pq3L9wXc0vN2mR7t';
const failures = [];
let ext, server, b;

before(async () => {
  ext = await launchExtension({ '/settings/organization/api-keys': 'e2e/api-keys.html' });
  server = await serve(join(ROOT, 'dist/www'));
  b = await launchBrowser();
});

after(async () => {
  await ext?.context.close();
  await b?.browser.close();
  await server?.close();
});

async function sampleOrg(hash = '') {
  const page = await openReady(b.context, server.url + hash, failures);
  await page.click('#sample');
  await page.waitForSelector('#report:not([hidden]) .cards');
  return page;
}

/** What the open panel shows: title, fields, findings, sources, sparkline. */
const panel = async (page) => {
  await page.waitForSelector('dialog.key-details[open]');
  return page.$eval('dialog.key-details[open]', (d) => {
    const texts = (sel) => [...d.querySelectorAll(sel)].map((n) => n.textContent.trim());
    const dts = texts('dl.fields dt');
    const dds = texts('dl.fields dd');
    return {
      title: d.querySelector('h2').textContent,
      fields: Object.fromEntries(dts.map((t, i) => [t, dds[i]])),
      findings: texts('li.finding strong'),
      evidence: texts('li.finding p:not(.remediation):not(.muted-note)'),
      remediation: texts('li.finding p.remediation'),
      muted: texts('li.finding.is-muted strong'),
      sources: texts('ul.sources li'),
      spark: d.querySelector('svg.sparkline')?.getAttribute('aria-label') ?? null,
      spikes: d.querySelectorAll('svg.sparkline .spark-spike').length,
    };
  });
};

test('www: a key opens from the Keys tab with its findings, sources and daily cost; Escape closes', async () => {
  const page = await sampleOrg();
  await page.click('#tab-Keys');
  await page.fill('input[type=search]', 'payments-prod');
  await page.waitForFunction(() => document.querySelectorAll('table.keys tbody tr').length === 1);
  // A click on the row (not only on the name) opens it.
  await page.click('table.keys tbody tr td:nth-child(3)');
  const p = await panel(page);
  assert.match(p.title, /^payments-prod sk-proj-\.\.\.Qm7x/);
  assert.equal(p.fields['Key id'], PAYMENTS_PROD);
  assert.equal(p.fields.Owner, 'Frank Li');
  assert.equal(p.fields.Project, 'Payments');
  assert.deepEqual(p.findings, [
    'owner-departed', 'rotation-overdue', 'user-key-in-production', 'usage-spike', 'broad-permissions',
  ]);
  assert.ok(p.evidence.includes('cost $96.40 on 2026-11-22, 4.7x the median of $20.30 over the 14 days before'));
  assert.ok(p.remediation.every((r) => r.length > 10), 'every finding has its remediation');
  assert.deepEqual(p.sources, ['api-keys.html', 'project_api_keys_proj_Pay83kdQ.json'], 'the inputs it was read from');
  assert.match(p.spark, /usage spike on 2026-11-22 \(\$96\.40\)/);
  assert.equal(p.spikes, 1);
  assert.equal(new URL(page.url()).hash, `#key=${PAYMENTS_PROD}`, 'the open key is in the address');

  await page.keyboard.press('Escape');
  await page.waitForSelector('dialog.key-details[open]', { state: 'detached' });
  // The dialog's close event (which drops the link) fires in a task after [open] goes.
  await page.waitForFunction(() => location.hash === '');
  assert.equal(new URL(page.url()).hash, '', 'closing drops the deep link');
  await page.close();
});

test('www: #key=<id> opens that key once the org is loaded', async () => {
  const page = await sampleOrg(`#key=${PAYMENTS_PROD}`);
  await page.waitForSelector('dialog.key-details[open]');
  const p = await panel(page);
  assert.equal(p.fields['Key id'], PAYMENTS_PROD);
  await page.close();
});

test('www: the Matrix tab shows owners by projects, with key counts and the worst risk', async () => {
  const page = await sampleOrg();
  await page.click('#tab-Matrix');
  await page.waitForSelector('table.matrix');
  const m = await page.$eval('table.matrix', (t) => ({
    projects: [...t.querySelectorAll('thead th')].slice(1).map((th) => th.textContent),
    rows: Object.fromEntries([...t.querySelectorAll('tbody tr')].map((tr) => [
      tr.querySelector('th').textContent,
      [...tr.querySelectorAll('td')].map((td) => td.textContent),
    ])),
  }));
  const cell = (owner, project) => m.rows[owner]?.[m.projects.indexOf(project)];
  // Frank Li's payments-prod, with an owner-departed finding (high).
  assert.equal(cell('Frank Li', 'Payments'), '1 high', JSON.stringify(m));
  assert.ok(Object.keys(m.rows).length >= 4 && m.projects.length >= 3, JSON.stringify(m));
  await page.close();
});

test('the extension report page: a key opens from the Keys tab, and #key= opens it on load', async () => {
  const tab = await ext.context.newPage();
  await tab.goto(KEYS_URL);
  const tabsAt = async (u) => (await chrome.tabs.query({ url: u })).map((t) => t.id);
  const [tabId] = await ext.worker.evaluate(tabsAt, KEYS_URL);
  const popup = await ext.context.newPage();
  await popup.goto(`chrome-extension://${ext.id}/popup.html?tab=${tabId}`);
  await popup.waitForSelector('#popup[aria-busy="false"]');

  const report = await openReady(ext.context, `chrome-extension://${ext.id}/report.html`, failures);
  await report.click('#tab-Keys');
  await report.waitForSelector('table.keys tbody tr');
  const first = await report.$eval('table.keys tbody button.key-name', (x) => x.textContent);
  await report.focus('table.keys tbody button.key-name');
  await report.keyboard.press('Enter');
  const p = await panel(report);
  assert.ok(p.title.startsWith(first), `${p.title} opened for ${first}`);
  assert.equal(p.sources.length, 1, `sources: ${p.sources}`);
  assert.match(p.sources[0], /api-keys|API keys/, 'the platform page it was read from');
  assert.equal(p.spark, null, 'no daily usage was read: no sparkline');
  const link = new URL(report.url()).hash;
  assert.match(link, /^#key=/);
  await report.keyboard.press('Escape');
  await report.waitForSelector('dialog.key-details[open]', { state: 'detached' });

  const again = await ext.context.newPage();
  await again.goto(`chrome-extension://${ext.id}/report.html${link}`);
  await again.waitForSelector('dialog.key-details[open]');
  assert.equal((await panel(again)).title, p.title);
  await Promise.all([again.close(), report.close(), popup.close(), tab.close()]);
});

test('no dialog or page error opened', () => {
  assert.deepEqual(failures, []);
});
