// The Firefox package in a real Firefox (Debian's firefox-esr, driven over WebDriver BiDi by
// puppeteer-core): a keys page served as platform.openai.com, the popup opened for that tab, the
// keys it read and the CSV it downloads, and not one request outside the extension and the page.
//
// BiDi will not navigate to a moz-extension:// URL itself, so the test installs a TEST COPY of
// dist/firefox whose manifest also lists popup.html and report.html as web-accessible from the
// platform's host; a platform page then opens the popup with `location.href`. The shipped package
// (dist/firefox, dist/keyroster-firefox.zip) stays without that entry: a test below checks it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { ROOT, FIXTURES, parseCsv } from './harness.mjs';

const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
const GECKO_ID = 'keyroster@keyroster.invalid';
// Fixed so the test knows the extension's origin (Firefox otherwise picks one per profile).
const UUID = '3b6f1e2a-9c41-4d7e-8a55-0f2c6d9e1b7a';
const ORIGIN = `moz-extension://${UUID}/`;
const KEYS_URL = 'https://platform.openai.com/settings/organization/api-keys';
const PAGES = { '/settings/organization/api-keys': 'e2e/api-keys.html' };

let browser, downloads, dir;
const requests = [];

/** Serves fixture pages as the platform's URLs; records every request the page makes. A
 * request the page dropped while its answer was read (the navigation into the extension cancels
 * the blank page's last ones) needs no answer: Firefox then refuses it, and that refusal, not
 * awaited by anyone, would fail the whole file as an unhandled rejection. */
async function route(page) {
  await page.setRequestInterception(true);
  page.on('request', async (r) => {
    requests.push(r.url());
    const url = new URL(r.url());
    if (url.host !== 'platform.openai.com') return r.continue().catch(() => {});
    const file = PAGES[url.pathname];
    const body = file ? await readFile(join(FIXTURES, file), 'utf8') : '<!DOCTYPE html><title>blank</title>';
    return r.respond({ status: 200, contentType: 'text/html; charset=utf-8', body }).catch(() => {});
  });
}

/** Polls `fn` in the page until it returns something truthy (BiDi keeps no handle across
 * the cross-origin navigation into the extension, so waitForSelector cannot be used). */
async function until(page, fn, arg, what) {
  for (let i = 0; i < 100; i++) {
    const v = await page.evaluate(fn, arg).catch(() => undefined);
    if (v) return v;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kr-firefox-'));
  const ext = join(dir, 'extension');
  downloads = join(dir, 'downloads');
  await cp(join(ROOT, 'dist/firefox'), ext, { recursive: true });
  const manifest = JSON.parse(await readFile(join(ext, 'manifest.json'), 'utf8'));
  manifest.web_accessible_resources = [{ resources: ['popup.html', 'report.html'], matches: ['https://platform.openai.com/*'] }];
  await writeFile(join(ext, 'manifest.json'), JSON.stringify(manifest));
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    // A fresh machine's first Firefox start builds its caches and reads libxul cold: 22 s here,
    // past puppeteer's 30 s default once a CI run's other work shares the two cores. Later
    // starts take under 3 s.
    timeout: 180_000,
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: UUID }),
      'browser.download.dir': downloads,
      'browser.download.folderList': 2,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      'browser.download.start_downloads_in_tmp_dir': false,
    },
  });
  assert.equal(await browser.installExtension(ext), GECKO_ID);
});

after(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the shipped Firefox package has no web-accessible pages', async () => {
  const shipped = JSON.parse(await readFile(join(ROOT, 'dist/firefox/manifest.json'), 'utf8'));
  assert.equal(shipped.web_accessible_resources, undefined);
  assert.equal(shipped.browser_specific_settings.gecko.id, GECKO_ID);
});

test('Firefox: the popup reads the keys page and Export CSV downloads its keys', async () => {
  const page = await browser.newPage();
  await route(page);
  await page.goto(KEYS_URL);
  assert.equal(await page.title(), 'API keys - OpenAI API');

  const popup = await browser.newPage();
  await route(popup);
  await popup.goto('https://platform.openai.com/blank');
  await popup.evaluate((u) => { location.href = u; }, `${ORIGIN}popup.html`);
  // In the extension now: the id of the keys tab, as the toolbar click would give it.
  const tab = await until(popup, async (u) => {
    if (typeof browser === 'undefined') return undefined;
    return (await browser.tabs.query({ url: u }))[0]?.id;
  }, KEYS_URL, 'the extension page');
  await popup.evaluate((u) => { location.href = u; }, `${ORIGIN}popup.html?tab=${tab}`);
  await until(popup, () => location.search.startsWith('?tab=')
    && document.querySelector('#popup')?.getAttribute('aria-busy') === 'false', null, 'the popup to read the tab');

  const seen = await popup.evaluate(() => ({
    page: document.querySelector('#page').textContent,
    totals: [...document.querySelectorAll('#totals div')].map((d) => d.textContent),
    owners: [...document.querySelectorAll('.owner .owner-name')].map((e) => e.textContent),
  }));
  assert.equal(seen.page, 'Read 6 keys from this page');
  assert.deepEqual(seen.totals, ['6keys', '5owners', '4projects']);
  assert.deepEqual(seen.owners, ['Dana Ruiz', 'Ada Okafor', 'Ben Carter', 'Chen Wei', 'Frank Li']);

  await popup.evaluate(() => document.querySelector('#export-csv').click());
  // Firefox creates the file empty beside a `.part` it writes into, then moves the bytes over:
  // the download is done when the `.part` is gone and the file has bytes.
  const name = await (async () => {
    for (let i = 0; i < 100; i++) {
      const all = existsSync(downloads) ? await readdir(downloads) : [];
      const csv = all.find((f) => f.endsWith('.csv'));
      const writing = all.some((f) => f.endsWith('.part'));
      if (csv && !writing && (await stat(join(downloads, csv))).size > 0) return csv;
      await new Promise((ok) => setTimeout(ok, 100));
    }
    throw new Error('no CSV was downloaded');
  })();
  assert.match(name, /^keyroster-acme-robotics-keys-\d{4}-\d{2}-\d{2}\.csv$/);
  const rows = parseCsv((await readFile(join(downloads, name), 'utf8')).replace(/^\uFEFF/, ''));
  assert.equal(rows.length - 1, 6);
  const byName = Object.fromEntries(rows.slice(1).map((r) => [r[4], r]));
  assert.equal(byName['payments-prod'][8], 'Frank Li');
  assert.equal(byName['payments-prod'][5], 'sk-...Qm7x');
  await popup.close();
  await page.close();
});

test('Firefox: nothing was requested outside the extension and the platform page', () => {
  const out = requests.filter((u) => !u.startsWith(ORIGIN) && !u.startsWith('https://platform.openai.com/')
    && !u.startsWith('data:') && !u.startsWith('blob:'));
  assert.deepEqual(out, []);
  assert.ok(requests.some((u) => u.startsWith('https://platform.openai.com/')), 'requests were recorded');
});
