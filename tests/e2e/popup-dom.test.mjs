// The popup reads a tab's serialized HTML with the core's fast reader (extension/read-page.js, then
// the popup module's add_html), and when that declines, its DOM as the browser parsed it
// (extension/read-dom.js, then add_dom, crate/src/ingest/html/dom.rs). On real fixture pages, and
// on a page a script drew (rows straight in a <table>, text split over several nodes), each must
// read exactly what the full module reads from the same page's HTML: the same source, keys,
// snapshot and summary.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchExtension, noDialogs } from './harness.mjs';

const ORIGIN = 'https://platform.openai.com';
const PAGES = {
  '/settings/organization/api-keys': 'e2e/api-keys.html',
  '/settings/organization/members': 'e2e/members.html',
  '/settings/organization/projects': 'html/projects.html',
  '/settings/organization/limits': 'html/limits.html',
  '/settings/organization/admin-keys': 'layouts/admin-keys-02-cards-dl.html',
  '/settings/proj_Pay83kdQ/api-keys': 'html/project-api-keys-grid.html',
  '/layouts/keys-03-aria-grid': 'layouts/keys-03-aria-grid.html',
  '/layouts/keys-06-virtualized': 'layouts/keys-06-virtualized.html',
  '/layouts/keys-09-responsive': 'layouts/keys-09-responsive-data-label.html',
  '/layouts/keys-14-firefox-save': 'layouts/keys-14-firefox-save.html',
  '/settings/organization/api-keys/scripted': 'e2e/api-keys-scripted.html',
  '/not-a-table': 'e2e/not-a-table.html',
};
/** The pages the core's fast reader declines in their live form. */
const DECLINED = ['e2e/api-keys-scripted.html', 'html/project-api-keys-grid.html'];
const failures = [];
let ext;
let popup;

before(async () => {
  ext = await launchExtension(PAGES);
  popup = await ext.context.newPage();
  noDialogs(popup, failures);
  popup.on('pageerror', (e) => failures.push(`pageerror: ${e.message}`));
});

after(async () => {
  await ext?.context.close();
});

/** Both readings of the tab at `path`, in the popup's page: the DOM through the popup's module,
 * the HTML through the full one. */
async function bothReadings(path) {
  const page = await ext.context.newPage();
  await page.goto(`${ORIGIN}${path}`);
  await page.waitForLoadState('load');
  const tabsAt = async (u) => (await chrome.tabs.query({ url: u })).map((t) => t.id);
  const [tabId] = await ext.worker.evaluate(tabsAt, `${ORIGIN}${path}`);
  await popup.goto(`chrome-extension://${ext.id}/popup.html?tab=${tabId}`);
  await popup.waitForSelector('#popup[aria-busy="false"]');
  const result = await popup.evaluate(async (tabId) => {
    const small = await import('./pkg-popup/keyroster.js');
    await small.default();
    const full = await import('./pkg/keyroster.js');
    await full.default();
    const inject = async (file) =>
      (await chrome.scripting.executeScript({ target: { tabId }, files: [file] }))[0].result;
    const p = await inject('read-dom.js');
    const live = await inject('read-page.js');
    const text = (bytes) => new TextDecoder().decode(bytes);
    const fromDom = new small.Roster('2026-11-22');
    const fromLive = new small.Roster('2026-11-22');
    const liveAdded = fromLive.add_html(live.url, live.html, live.url, live.title);
    const fromHtml = new full.Roster('2026-11-22');
    // The popup's exports come from the full module, the roster handed over as a snapshot.
    const csvOf = (r) => {
      const exporter = new full.Roster('2026-11-22');
      exporter.restore(r.snapshot());
      return text(exporter.export('keys.csv'));
    };
    const read = (r, added) => ({
      added, snapshot: text(r.snapshot()), summary: r.summary(5, 8), csv: csvOf(r),
    });
    return {
      dom: read(fromDom, fromDom.add_dom(p.url, p.html, p.dom, p.url, p.title)),
      html: read(fromHtml, fromHtml.add_input(p.url, new TextEncoder().encode(p.html), p.url, p.title)),
      live: liveAdded === null ? null : read(fromLive, liveAdded),
    };
  }, tabId);
  await page.close();
  return result;
}

for (const [path, file] of Object.entries(PAGES)) {
  test(`the popup reads ${file} from its DOM exactly as the full module reads its HTML`, async () => {
    const { dom, html, live } = await bothReadings(path);
    assert.deepEqual(dom.added, html.added);
    // Declined (and read from the DOM): a DOM no parser makes, and a page without a doctype (in
    // quirks mode, which the fast reader leaves to the full HTML parser).
    if (DECLINED.includes(file)) {
      assert.equal(live, null, `${file} is read from its DOM`);
    } else {
      assert.deepEqual(live.added, html.added);
      assert.equal(live.snapshot, html.snapshot);
      assert.deepEqual(live.summary, html.summary);
      assert.equal(live.csv, html.csv);
    }
    assert.equal(dom.snapshot, html.snapshot);
    assert.deepEqual(dom.summary, html.summary);
    assert.equal(dom.csv, html.csv);
    if (file !== 'e2e/not-a-table.html') assert.ok(dom.added.source.records > 0, `${file}: ${JSON.stringify(dom.added.source)}`);
  });
}

test('a page a script drew reads its keys with their owners, names joined across text nodes', async () => {
  const { dom } = await bothReadings('/settings/organization/api-keys/scripted');
  assert.equal(dom.added.keys_in_input, 3);
  const owners = dom.summary.owners.map((o) => o.label).sort();
  assert.deepEqual(owners, ['Ada Lovelace', 'Grace Hopper', 'José García']);
  assert.match(dom.csv, /ｆｉｎａｎｃｅ bot/);
});

test('reading the DOM raised no page error and no dialog', () => {
  assert.deepEqual(failures, []);
});
