// Accessibility: axe-core (pinned in package.json, read from node_modules: no network) finds no
// serious or critical violation on the popup, the extension's report page (every tab, and the
// key details panel) and www (every tab, and the panel), in light and dark. The tabs follow the
// ARIA tabs pattern, sortable headers say how they sort, and the Keys tab works by keyboard alone.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, serve, launchBrowser, launchExtension, noDialogs } from './harness.mjs';

const KEYS_URL = 'https://platform.openai.com/settings/organization/api-keys';
const AXE = await readFile(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const SCHEMES = ['light', 'dark'];
const failures = [];
let ext, server, b, tabId;

before(async () => {
  ext = await launchExtension({ '/settings/organization/api-keys': 'e2e/api-keys.html' });
  server = await serve(join(ROOT, 'dist/www'));
  b = await launchBrowser();
  // The popup reads the platform tab into the session roster the report page opens.
  const page = await ext.context.newPage();
  await page.goto(KEYS_URL);
  const tabsAt = async (u) => (await chrome.tabs.query({ url: u })).map((t) => t.id);
  [tabId] = await ext.worker.evaluate(tabsAt, KEYS_URL);
});

after(async () => {
  await ext?.context.close();
  await b?.browser.close();
  await server?.close();
});

function watch(page) {
  noDialogs(page, failures);
  page.on('pageerror', (e) => failures.push(`pageerror: ${e.message}`));
  return page;
}

/** axe's serious and critical violations on the page as it is now, one line each. The source is
 * evaluated rather than added as a <script>: the pages' CSP allows no inline script. */
async function serious(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 5).join(', ')}`);
}

/** Visits every tab of a mounted report, and the key details panel, auditing each. */
async function auditReport(page, where) {
  const found = [];
  const tabs = await page.$$eval('[role=tab]', (ts) => ts.map((t) => t.textContent));
  assert.ok(tabs.length >= 7, `${where}: tabs ${tabs}`);
  for (const t of tabs) {
    await page.click(`[role=tab]#tab-${t}`);
    await page.waitForSelector(`[role=tab]#tab-${t}[aria-selected="true"]`);
    if (t === 'Keys') await page.waitForSelector('table.keys tbody tr');
    for (const v of await serious(page)) found.push(`${where} ${t}: ${v}`);
  }
  await page.click('[role=tab]#tab-Keys');
  await page.click('table.keys tbody button.key-name');
  await page.waitForSelector('dialog.key-details[open]');
  for (const v of await serious(page)) found.push(`${where} key details: ${v}`);
  await page.keyboard.press('Escape');
  return found;
}

for (const scheme of SCHEMES) {
  test(`${scheme}: the popup has no serious or critical accessibility violation`, async () => {
    const popup = watch(await ext.context.newPage());
    await popup.emulateMedia({ colorScheme: scheme });
    await popup.goto(`chrome-extension://${ext.id}/popup.html?tab=${tabId}`);
    await popup.waitForSelector('#popup[aria-busy="false"]');
    assert.deepEqual(await serious(popup), []);
    await popup.close();
  });

  test(`${scheme}: the extension report page, every tab and the key panel, has none`, async () => {
    const page = watch(await ext.context.newPage());
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`chrome-extension://${ext.id}/report.html`);
    await page.waitForSelector('body[data-ready="true"]');
    assert.deepEqual(await auditReport(page, 'report page'), []);
    await page.close();
  });

  test(`${scheme}: www, before and after the sample org, every tab and the key panel, has none`, async () => {
    const page = watch(await b.context.newPage());
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready="true"]');
    assert.deepEqual(await serious(page), [], 'the empty page');
    await page.click('#sample');
    await page.waitForSelector('#report:not([hidden]) .cards');
    assert.deepEqual(await auditReport(page, 'www'), []);
    await page.close();
  });
}

/** The role, name and state of what has the focus. */
const focused = (page) =>
  page.evaluate(() => {
    const a = document.activeElement;
    return {
      role: a.getAttribute('role'),
      text: a.textContent.trim(),
      selected: a.getAttribute('aria-selected'),
      tabindex: a.getAttribute('tabindex'),
      label: a.getAttribute('aria-label'),
      cls: a.className,
    };
  });

test('the tabs follow the ARIA tabs pattern: one tab stop, arrows, Home and End', async () => {
  const page = watch(await b.context.newPage());
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]');
  await page.click('#sample');
  await page.waitForSelector('#report:not([hidden]) .cards');
  const tabs = await page.$$eval('[role=tab]', (ts) =>
    ts.map((t) => [t.textContent, t.getAttribute('tabindex'), t.getAttribute('aria-controls')]));
  assert.deepEqual(tabs.filter(([, i]) => i === '0').map(([t]) => t), ['Summary'], 'one tab in the Tab order');
  assert.ok(tabs.every(([, , c]) => c === 'report-panel'));
  const panel = await page.$eval('#report-panel', (p) => [p.getAttribute('role'), p.getAttribute('aria-labelledby')]);
  assert.deepEqual(panel, ['tabpanel', 'tab-Summary']);

  await page.focus('#tab-Summary');
  const step = async (key, want) => {
    await page.keyboard.press(key);
    await page.waitForSelector(`#tab-${want}[aria-selected="true"]`);
    await page.waitForFunction((id) => document.activeElement?.id === id, `tab-${want}`);
    const f = await focused(page);
    assert.deepEqual([f.role, f.text, f.selected, f.tabindex], ['tab', want, 'true', '0'], `after ${key}`);
  };
  await step('ArrowRight', 'Keys');
  await step('End', 'Sources');
  await step('ArrowRight', 'Summary');
  await step('ArrowLeft', 'Sources');
  await step('Home', 'Summary');
  await page.close();
});

test('the Keys tab by keyboard alone: filter, sort with Enter, open a key with Enter, Escape', async () => {
  const page = watch(await b.context.newPage());
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]');
  await page.click('#sample');
  await page.waitForSelector('#report:not([hidden]) .cards');
  await page.focus('#tab-Summary');
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('table.keys tbody tr');
  const rows = () => page.$$eval('table.keys tbody button.key-name', (bs) => bs.map((x) => x.textContent));
  const all = await rows();

  // Tab from the tab list reaches the panel, then the filter.
  const tabTo = async (match, what) => {
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      if (match(await focused(page))) return;
    }
    assert.fail(`Tab never reached ${what}`);
  };
  await tabTo((f) => f.label === 'Filter keys', 'the filter');
  await page.keyboard.type('pay');
  await page.waitForFunction((n) => document.querySelectorAll('table.keys tbody tr').length < n, all.length);
  const filtered = await rows();
  assert.ok(filtered.length >= 1 && filtered.length < all.length, `filtered: ${filtered}`);
  assert.deepEqual((await focused(page)).label, 'Filter keys', 'the filter keeps the focus');

  await tabTo((f) => f.cls.includes('sort') && f.text.startsWith('Key'), 'the Key header');
  assert.equal(await page.$eval('th:has(button.sort:text-is("Key"))', (t) => t.getAttribute('aria-sort')), 'none');
  await page.keyboard.press('Enter');
  await page.waitForSelector('th[data-sort="name"][aria-sort="ascending"]');
  assert.match(await page.$eval('th[aria-sort="ascending"]', (t) => t.textContent), /^Key ▲/);
  assert.equal(await page.$$eval('th[aria-sort="descending"]', (ts) => ts.length), 0);

  // The table was redrawn; the header keeps the focus, and Tab goes on to the keys.
  await page.waitForFunction(() => document.activeElement?.closest('th')?.getAttribute('aria-sort') === 'ascending');
  await tabTo((f) => f.cls.includes('key-name'), 'a key');
  const name = (await focused(page)).text;
  await page.keyboard.press('Enter');
  await page.waitForSelector('dialog.key-details[open]');
  assert.equal(await page.$eval('#key-details-title', (h) => h.textContent.split(' ')[0]), name);
  assert.equal((await focused(page)).label, 'Close key details', 'the panel takes the focus');
  await page.keyboard.press('Escape');
  await page.waitForSelector('dialog.key-details[open]', { state: 'detached' });
  // The close event, which gives the focus back, fires in a task after [open] goes.
  await page.waitForFunction(() => !location.hash);
  assert.equal((await focused(page)).text, name, 'focus returns to the key');
  await page.close();
});

test('no dialog or page error opened', () => {
  assert.deepEqual(failures, []);
});
