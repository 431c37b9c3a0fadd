// Shared pieces of the browser tests: Debian's Chromium through playwright-core (no browser
// download, ever), a tiny static server for dist/www, a request recorder that fails on any
// request that leaves the allowed origins, and a CSV reader for downloaded exports.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const DIST = path.join(ROOT, 'dist');
export const FIXTURES = path.join(ROOT, 'tests/fixtures/e2e');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const PLATFORM = 'https://platform.openai.com';

// Flags that keep Chromium itself quiet (no update checks, sync, or first-run pages), so every
// request the tests see comes from the pages under test.
export const QUIET = [
  '--headless=new',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
];

export const fixture = (name) => path.join(FIXTURES, name);

/** A headless Chromium with dist/extension loaded unpacked, and the extension's id. */
export async function launchExtension() {
  // The service worker's requests are only reported with this set (before the launch).
  process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';
  const dir = path.join(DIST, 'extension');
  await stat(path.join(dir, 'manifest.json')); // a clear failure when `make dist` has not run
  const context = await chromium.launchPersistentContext('', {
    executablePath: CHROMIUM,
    acceptDownloads: true,
    args: [...QUIET, `--disable-extensions-except=${dir}`, `--load-extension=${dir}`],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const id = new URL(worker.url()).host;
  return { context, worker, id };
}

/** A plain headless Chromium for www. */
export async function launchBrowser() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: QUIET });
  const context = await browser.newContext({ acceptDownloads: true });
  return { browser, context };
}

/**
 * Records every request of `context` (pages, workers, the extension's service worker);
 * `offenders()` lists those `allowed(url)` refuses.
 */
export function recordRequests(context, allowed) {
  const seen = [];
  context.on('request', (r) => seen.push(r.url()));
  return {
    seen,
    offenders: () => seen.filter((u) => !allowed(u)),
  };
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv; charset=utf-8',
  '.png': 'image/png',
};

/** Serves `dir` on 127.0.0.1 on a free port. Resolves to { origin, close }. */
export function serve(dir) {
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://localhost');
      let file = path.normalize(path.join(dir, decodeURIComponent(url.pathname)));
      if (!file.startsWith(dir)) throw new Error('outside');
      if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ origin: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

/** Fails the test on any dialog (an alert from injected markup would be one). */
export function failOnDialog(page, dialogs) {
  page.on('dialog', async (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss();
  });
}

/** The text of a download. */
export async function downloadText(download) {
  const file = await download.path();
  return (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
}

/** RFC 4180 CSV into rows of fields. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

/** CSV rows as objects keyed by the header. */
export function csvRecords(text) {
  const [header, ...rows] = parseCsv(text);
  return { header, records: rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))) };
}

/** The fixture pages, served as the platform's own pages. */
export const PLATFORM_PAGES = {
  '/settings/organization/api-keys': 'org-api-keys.html',
  '/settings/organization/members': 'org-members.html',
};

/** Routes platform.openai.com to the fixture pages (every other path is a 404, not the internet). */
export async function routePlatform(context) {
  await context.route(`${PLATFORM}/**`, async (route) => {
    const name = PLATFORM_PAGES[new URL(route.request().url()).pathname];
    if (!name) return route.fulfill({ status: 404, body: 'not a fixture' });
    return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: await readFile(fixture(name)) });
  });
}

/** The owners the popup shows: [name, "N keys"]. */
export async function popupOwners(page) {
  return page.$$eval('#owners .owner', (els) => els.map((e) => [
    e.querySelector('.owner-name').textContent,
    e.querySelector('.owner-count').textContent,
  ]));
}
