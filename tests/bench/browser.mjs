// Browser benchmark (numbers, no pass/fail): `make bench` or `node tests/bench/browser.mjs`.
//  1. popup: from opening the popup on a 1,000-key API keys page to the report shown;
//  2. www: from choosing a cost export to the report shown, beside a PapaParse worker (streaming
//     the same File, summing cost per key and per key-day) and the native CLI on the same file,
//     in alternating runs, each in a fresh browser; renderer peak RSS (VmHWM of the renderer
//     processes the DevTools protocol names) over idle, and the page's JS heap through
//     Performance.getMetrics;
//  3. www on the 5,000-key page beside the CLI.
// Inputs come from tests/bench/gen.py (seeded), shared with tests/bench/run.py under target/bench.
// BENCH_PARTS=popup,www,keys runs only the parts named (all three by default).
// BENCH_THINK_MS: how long the user takes to choose the file once the analyzer is ready (0 by
// default: chosen at once, while the worker's warm-up has barely begun; a user takes seconds).
// One JSON line per measure, appended to target/bench/results.jsonl too.
import { execFileSync } from 'node:child_process';
import {
  appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync,
  statSync, writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchExtension, launchBrowser, serve, ROOT } from '../e2e/harness.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 0);
const SIZES = [100_000, 1_000_000, ...(process.env.BENCH_FULL === '1' ? [5_000_000] : [])];
const DATA = join(ROOT, 'target/bench');
const CLI = join(ROOT, 'target/release/keyroster');
const dir = mkdtempSync(join(tmpdir(), 'kr-bench-'));
// The PapaParse page's copy: gone when the bench ends, however it ends.
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const PARTS = (process.env.BENCH_PARTS ?? 'popup,www,keys').split(',');

/** A generated input under target/bench (the same seeded files run.py uses). */
function data(kind, n) {
  const file = join(DATA, kind === 'cost' ? `cost_${n}.csv` : `keys_${n}.html`);
  if (!existsSync(file)) {
    mkdirSync(DATA, { recursive: true });
    execFileSync('python3', [join(ROOT, 'tests/bench/gen.py'), kind, String(n), `${file}.tmp`]);
    renameSync(`${file}.tmp`, file);
  }
  return file;
}

function keysPage(n) {
  return readFileSync(data('keys', n), 'utf8');
}

function report(line) {
  console.log(JSON.stringify(line));
  mkdirSync(DATA, { recursive: true });
  appendFileSync(join(DATA, 'results.jsonl'), `${JSON.stringify(line)}\n`);
}

const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// 0. The modules the extension loads: the popup's, and the full one its exports load.
if (PARTS.includes('popup')) {
  const size = (pkg) => {
    const wasm = readFileSync(join(ROOT, 'dist/extension', pkg, 'keyroster_bg.wasm'));
    return { bytes: wasm.length, gzip_bytes: gzipSync(wasm, { level: 9 }).length };
  };
  report({ measure: 'wasm_modules', popup: size('pkg-popup'), full: size('pkg'), target: 'popup <= 400 KB gzip' });
}

// 1. The popup on a 1,000-key page.
if (PARTS.includes('popup')) {
  const pagePath = '/settings/organization/api-keys';
  const ext = await launchExtension({});
  await ext.context.unroute('https://platform.openai.com/**');
  const html = keysPage(1000);
  await ext.context.route('https://platform.openai.com/**', (r) => r.fulfill({ status: 200, contentType: 'text/html', body: html }));
  const page = await ext.context.newPage();
  await page.goto(`https://platform.openai.com${pagePath}`);
  // The tab is loaded: no route stays, so the popup's own requests (its page, scripts and
  // module) are not held for the test driver to look at, as no user's are.
  await ext.context.unrouteAll({ behavior: 'wait' });
  const [tabId] = await ext.worker.evaluate(async () => (await chrome.tabs.query({ url: 'https://platform.openai.com/*' })).map((t) => t.id));
  const times = [];
  const inside = [];
  for (let i = 0; i < 7; i++) {
    await ext.worker.evaluate(() => chrome.storage.session.clear());
    const popup = await ext.context.newPage();
    const t0 = performance.now();
    await popup.goto(`chrome-extension://${ext.id}/popup.html?tab=${tabId}`);
    await popup.waitForSelector('#popup[aria-busy="false"]');
    times.push(performance.now() - t0);
    inside.push(Number(await popup.getAttribute('body', 'data-shown-ms')));
    if (i === 0) console.log(`popup: ${await popup.textContent('#page')}`);
    await popup.close();
  }
  console.log(`popup, 1,000-key page, navigation start to report shown (in the popup): median ${median(inside)} ms (runs: ${inside.join(', ')})`);
  console.log(`popup, 1,000-key page, including the test driver opening a tab: median ${median(times).toFixed(0)} ms`);
  await ext.context.close();
}

// 2. www and a PapaParse worker on cost exports, and the CLI on the same file.

/** The PapaParse page: a File goes to a worker that streams it (PapaParse reads File chunks) and
 * sums cost per key and per key-day, what Key Roster's ingest does for a cost export. */
function papaSite() {
  const site = join(dir, 'papa');
  mkdirSync(site, { recursive: true });
  copyFileSync(createRequire(import.meta.url).resolve('papaparse/papaparse.min.js'), join(site, 'papaparse.min.js'));
  writeFileSync(join(site, 'index.html'), `<!DOCTYPE html><input type="file" id="files"><script>
document.getElementById('files').addEventListener('change', (e) => {
  const w = new Worker('worker.js');
  w.onmessage = ({ data }) => { document.body.dataset.done = JSON.stringify(data); };
  w.postMessage(e.target.files[0]);
});</script>`);
  writeFileSync(join(site, 'worker.js'), `importScripts('papaparse.min.js');
onmessage = ({ data: file }) => {
  const perKey = new Map(), perDay = new Map();
  const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);
  Papa.parse(file, {
    header: true, skipEmptyLines: true, chunkSize: 1 << 20,
    chunk: ({ data: rows }) => {
      for (const r of rows) {
        if (r.amount_value === '' || r.amount_value === undefined) continue;
        const v = parseFloat(r.amount_value);
        add(perKey, r.api_key_id, v);
        add(perDay, r.api_key_id + '|' + Math.floor(Number(r.start_time) / 86400), v);
      }
    },
    complete: () => postMessage({ keys: perKey.size, keyDays: perDay.size }),
  });
};`);
  return site;
}

/** Peak RSS (VmHWM) and current RSS of the browser's renderer processes, in MB. */
async function renderers(browser) {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  await cdp.detach();
  let peak = 0, now = 0;
  for (const p of processInfo.filter((q) => q.type === 'renderer')) {
    try {
      const status = readFileSync(`/proc/${p.id}/status`, 'utf8');
      peak = Math.max(peak, Number(/VmHWM:\s+(\d+)/.exec(status)[1]) / 1024);
      now = Math.max(now, Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024);
    } catch { /* the process ended */ }
  }
  return { peak, now };
}

/** One run in a fresh browser: open `url`, wait for `ready`, choose `file`, wait for `done`. */
async function browserRun(url, ready, file, done) {
  const { browser, context } = await launchBrowser();
  try {
    const page = await context.newPage();
    await page.goto(url);
    if (ready) await page.waitForSelector(ready);
    if (ready && THINK_MS) await new Promise((resolve) => setTimeout(resolve, THINK_MS));
    const idle = await renderers(browser);
    const t0 = performance.now();
    await page.setInputFiles('#files', file);
    // Checked in the page on every frame: waitForSelector polls from here with a backoff that
    // settles at 500 ms, which rounded each run up by as much, the same for both sides.
    await page.waitForFunction((sel) => document.querySelector(sel), done, { polling: 'raf', timeout: 600_000 });
    const ms = performance.now() - t0;
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
    const mem = await renderers(browser);
    return { ms, growth: mem.peak - idle.now, heap: heap / 1e6 };
  } finally {
    await browser.close();
  }
}

function cliRun(file) {
  const t0 = performance.now();
  execFileSync(CLI, ['audit', '--as-of', '2026-11-22', '--format', 'json', file], { stdio: ['ignore', 'ignore', 'inherit'] });
  return performance.now() - t0;
}

const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const r2 = (x) => Math.round(x * 100) / 100;

{
  // BENCH_WWW: another build of the analyzer page to measure (an A/B against dist/www).
  const www = await serve(process.env.BENCH_WWW ?? join(ROOT, 'dist/www'));
  const papa = await serve(papaSite());
  const wwwRun = (file) => browserRun(www.url, 'body[data-ready="true"]', file, '#report:not([hidden]) .cards');
  const papaRun = (file) => browserRun(papa.url, null, file, 'body[data-done]');
  for (const n of PARTS.includes('www') ? SIZES : []) {
    const file = data('cost', n);
    const mb = statSync(file).size / 1e6;
    const runs = { www: [], papa: [], cli: [] };
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate which side goes first, round by round.
      const order = r % 2 ? ['papa', 'www', 'cli'] : ['www', 'cli', 'papa'];
      const run = { www: wwwRun, papa: papaRun, cli: async (f) => ({ ms: cliRun(f) }) };
      for (const t of order) runs[t].push(await run[t](file));
    }
    const ratio = (a, b) => r2(med(runs[a].map((x, i) => x.ms / runs[b][i].ms)));
    report({
      measure: `www_cost_export_${n}`, rounds: ROUNDS, mb: Math.round(mb),
      www_s: r2(med(runs.www.map((x) => x.ms)) / 1000),
      www_renderer_growth_mb: Math.round(Math.max(...runs.www.map((x) => x.growth))),
      www_js_heap_mb: Math.round(Math.max(...runs.www.map((x) => x.heap))),
      competitors: {
        papaparse_worker: {
          s: r2(med(runs.papa.map((x) => x.ms)) / 1000), ratio: ratio('www', 'papa'),
          renderer_growth_mb: Math.round(Math.max(...runs.papa.map((x) => x.growth))),
          js_heap_mb: Math.round(Math.max(...runs.papa.map((x) => x.heap))),
        },
        cli: { s: r2(med(runs.cli.map((x) => x.ms)) / 1000), ratio: ratio('www', 'cli') },
      },
      target: '>= 4x faster than PapaParse (ratio <= 0.25); <= 1.3x the CLI; renderer growth <= 80 MB',
    });
  }
  // 3. The 5,000-key page in www, beside the CLI.
  const keys = PARTS.includes('keys') ? data('keys', 5000) : null;
  const runs = { www: [], cli: [] };
  for (let r = 0; keys && r < ROUNDS; r++) {
    for (const t of r % 2 ? ['cli', 'www'] : ['www', 'cli']) runs[t].push(t === 'www' ? await wwwRun(keys) : { ms: cliRun(keys) });
  }
  if (keys) report({
    measure: 'www_keys_page_5000', rounds: ROUNDS, www_ms: Math.round(med(runs.www.map((x) => x.ms))),
    competitors: {
      cli: {
        ms: Math.round(med(runs.cli.map((x) => x.ms))),
        ratio: r2(med(runs.www.map((x, i) => x.ms / runs.cli[i].ms))),
      },
    },
    target: 'www <= 250 ms',
  });
  await www.close();
  await papa.close();
}
