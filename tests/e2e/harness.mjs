// Shared harness for the browser end-to-end tests: Debian's Chromium driven by playwright-core
// (no browser download), the unpacked extension loaded from dist/extension, a tiny static server
// for dist/www on 127.0.0.1, fixture pages served AS platform.openai.com, and a record of every
// request so a test can fail on any that leaves the extension or the page.

import { after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, extname, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const FIXTURES = join(ROOT, 'tests/fixtures');
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const QUIET = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-default-apps'];

/** Every Content Security Policy violation any page of any browser launched here reported: the
 * extension's pages and www must break no CSP rule, whatever the suite does. Checked once the
 * suite's tests are done (a failure here fails the suite). */
export const cspViolations = [];
after(() => assert.deepEqual(cspViolations, [], 'no page broke its Content Security Policy'));

async function watchCsp(context) {
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  context.on('page', (p) => p.on('console', (m) => {
    if (m.text().startsWith('CSP violation')) cspViolations.push(`${p.url()}: ${m.text()}`);
  }));
}

/** Chromium with the built extension loaded; pages of platform.openai.com come from `pages`, by
 * path; pages of the Claude Console's hosts by their whole URL (`https://platform.claude.com/…`). */
export async function launchExtension(pages) {
  const dir = join(ROOT, 'dist/extension');
  // '': a profile Playwright makes in the temporary directory and removes once the browser has
  // exited, so a test run leaves none behind.
  const context = await chromium.launchPersistentContext('', {
    executablePath,
    headless: false, // --headless=new below: the old headless mode cannot load extensions
    acceptDownloads: true,
    args: ['--headless=new', `--disable-extensions-except=${dir}`, `--load-extension=${dir}`, ...QUIET],
  });
  const requests = record(context);
  await watchCsp(context);
  const serve = async (route) => {
    const url = new URL(route.request().url());
    const file = pages[`${url.origin}${url.pathname}`] ?? (url.host === 'platform.openai.com' ? pages[url.pathname] : undefined);
    if (!file) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: await readFile(join(FIXTURES, file)) });
  };
  for (const host of ['platform.openai.com', 'platform.claude.com', 'console.anthropic.com']) {
    await context.route(`https://${host}/**`, serve);
  }
  let [worker] = context.serviceWorkers();
  worker ??= await context.waitForEvent('serviceworker');
  const id = new URL(worker.url()).host;
  return { context, worker, id, requests };
}

/** Records every request of the context (service workers' too, with the env flag set). */
export function record(context) {
  const urls = [];
  context.on('request', (r) => urls.push(r.url()));
  return urls;
}

/** The requests that went anywhere but the allowed prefixes. */
export function foreign(urls, allowed) {
  return urls.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && !allowed.some((a) => u.startsWith(a)));
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.csv': 'text/csv' };

/** Serves `dir` on 127.0.0.1 at a free port. */
export async function serve(dir) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    try {
      const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

/** A plain headless Chromium (for www), with `args` added to its command line. */
export async function launchBrowser(args = []) {
  const browser = await chromium.launch({ executablePath, headless: true, args: [...QUIET, ...args] });
  const context = await browser.newContext({ acceptDownloads: true });
  await watchCsp(context);
  return { browser, context, requests: record(context) };
}

/** Fails the test if the page ever opens a dialog (e.g. an injected alert). */
export function noDialogs(page, failures) {
  page.on('dialog', async (d) => { failures.push(`dialog: ${d.message()}`); await d.dismiss(); });
}

/** A new page of `context` at `url` (the analyzer, or the extension's report page) once it says
 * it is ready; its dialogs and uncaught errors go into `failures`. */
export async function openReady(context, url, failures) {
  const page = await context.newPage();
  noDialogs(page, failures);
  page.on('pageerror', (e) => failures.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}

/** The text of a download. */
export async function downloaded(download) {
  const path = await download.path();
  return (await readFile(path)).toString('utf8').replace(/^\uFEFF/, '');
}

/** Parses simple CSV (quoted fields with commas, quotes, CRLF) into rows of cells. */
export function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n') { row.push(cell.replace(/\r$/, '')); rows.push(row); row = []; cell = ''; }
    else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

/** The texts and attribute values of a page (3 characters or more), and their words of 5 or
 * more: what a page skeleton must not contain. A regex reading is enough for the small fixture
 * pages the browser tests use. */
export function pageTexts(html) {
  const out = new Set();
  const add = (raw) => {
    const t = raw.replace(/\s+/g, ' ').trim();
    if (t.length < 3) return;
    out.add(t);
    for (const w of t.split(/[^\p{L}\p{N}]+/u)) if (w.length >= 5) out.add(w);
  };
  for (const [, t] of html.matchAll(/>([^<]+)</g)) add(t);
  for (const [, , v] of html.matchAll(/=(["'])(.*?)\1/g)) add(v);
  return [...out];
}

/** Asserts a "Copy page structure" text is a skeleton: structure in, no text of the page. */
export function assertSkeletonOf(skeleton, html, assert) {
  assert.match(skeleton, /^# Key Roster page structure/);
  assert.match(skeleton, /\nhtml\n/);
  assert.match(skeleton, /<text:\d+>/);
  // What the skeleton says of the page once its own notation (legend, tag and attribute names,
  // the hidden mark, spec keywords kept as values) is set aside: only what came from values.
  const lower = skeleton.split('\n').slice(1).join('\n').toLowerCase()
    .replace(/[a-z][\w:-]*=[\w-]*/g, ' ')
    .replace(/(^|> )\s*[a-z][a-z0-9-]*(\.\d+)?/gm, ' ')
    .replace(/\(hidden\)/g, ' ');
  const texts = pageTexts(html);
  assert.ok(texts.length > 3, `texts found: ${texts}`);
  for (const t of texts) assert.ok(!lower.includes(t.toLowerCase()), `page text ${JSON.stringify(t)} is in the skeleton:\n${skeleton}`);
}
