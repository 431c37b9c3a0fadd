// The static analyzer served on 127.0.0.1 and the single-file build opened from disk: files in,
// the report a user sees, the downloads, per-file errors, and no request to any other host.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { ROOT, FIXTURES, serve, launchBrowser, foreign, downloaded, parseCsv, record, assertSkeletonOf, openReady } from './harness.mjs';

let server, b;
const failures = [];

before(async () => {
  server = await serve(join(ROOT, 'dist/www'));
  b = await launchBrowser();
});

after(async () => {
  await b?.browser.close();
  await server?.close();
});

async function open() {
  const page = await openReady(b.context, server.url, failures);
  return page;
}

async function keysShown(page) {
  await page.click('button.tab:has-text("Keys")');
  await page.waitForSelector('table.keys tbody tr');
  return page.$$eval('table.keys tbody tr .key-name', (els) => els.map((e) => e.textContent));
}

test('an uploaded keys page gives the per-owner view and Export CSV', async () => {
  const page = await open();
  await page.setInputFiles('#files', [join(FIXTURES, 'e2e/api-keys.html'), join(FIXTURES, 'e2e/members.html')]);
  await page.waitForSelector('#report:not([hidden]) .cards');
  const status = await page.$$eval('#file-status li', (l) => l.map((x) => x.textContent));
  assert.match(status[0], /^✓ api-keys\.html: html:org-api-keys, 6 records, 6 keys/);
  assert.match(status[1], /^✓ members\.html: html:org-members, 4 records/);

  await page.click('button.tab:has-text("Owners")');
  await page.waitForSelector('.tab-body tbody tr');
  const owners = await page.$$eval('.tab-body tbody tr', (rows) => rows.map((r) => [r.cells[0].firstChild.textContent, r.cells[2].textContent]));
  assert.deepEqual(owners, [['Dana Ruiz', '2'], ['Ada Okafor', '1'], ['Ben Carter', '1'], ['Chen Wei', '1'], ['Frank Li', '1']]);

  const names = await keysShown(page);
  assert.equal(names.length, 6);
  assert.ok(names.includes('<img src=x onerror=alert(1)>'));
  assert.equal(await page.$('img[src=x]'), null);

  // Filtering then exporting the view exports exactly what is shown.
  await page.selectOption('select[aria-label="Owner"]', 'Dana Ruiz');
  await page.waitForFunction(() => document.querySelectorAll('table.keys tbody tr').length === 2);
  const [view] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Export view")')]);
  const viewRows = parseCsv(await downloaded(view));
  assert.deepEqual(viewRows.slice(1).map((r) => r[8]), ['Dana Ruiz', 'Dana Ruiz']);

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Export CSV")')]);
  assert.match(download.suggestedFilename(), /^keyroster-acme-robotics-keys-\d{4}-\d{2}-\d{2}\.csv$/);
  const rows = parseCsv(await downloaded(download));
  assert.equal(rows[0][0], 'provider');
  assert.equal(rows.length - 1, 6);
  const prod = rows.find((r) => r[4] === 'payments-prod');
  assert.equal(prod[8], 'Frank Li');
  assert.match(prod[22], /owner-departed/, 'members were read: Frank Li is not among them');

  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Export Excel")')]);
  assert.match(xlsx.suggestedFilename(), /\.xlsx$/);
  assert.equal((await downloaded(xlsx)).slice(0, 2), 'PK');
  await page.close();
});

test('its own workbook, edited in Excel and dropped back, reads into the same keys', async () => {
  const page = await open();
  await page.setInputFiles('#files', [join(FIXTURES, 'e2e/api-keys.html'), join(FIXTURES, 'e2e/members.html')]);
  await page.waitForSelector('#report:not([hidden]) .cards');
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Export Excel")')]);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Export CSV")')]);
  const before = parseCsv(await downloaded(csv));
  const scratch = await mkdtemp(join(tmpdir(), 'keyroster-'));
  const saved = join(scratch, 'acme keys (edited).xlsx');
  await xlsx.saveAs(saved);
  await page.close();

  const again = await open();
  // With the members page again: who has left is the members list's to say, not the workbook's.
  await again.setInputFiles('#files', [saved, join(FIXTURES, 'e2e/members.html')]);
  await again.waitForSelector('#report:not([hidden]) .cards');
  const status = await again.$$eval('#file-status li', (l) => l.map((x) => x.textContent));
  assert.match(status[0], /^✓ acme keys \(edited\)\.xlsx: csv:keyroster-keys, .*6 keys/);
  const [csvAgain] = await Promise.all([again.waitForEvent('download'), again.click('button:has-text("Export CSV")')]);
  const after = parseCsv(await downloaded(csvAgain));
  // Every column but where the keys were read from.
  const col = before[0].indexOf('sources');
  const drop = (rows) => rows.map((r) => r.filter((_, i) => i !== col));
  assert.equal(after[0][col], 'sources');
  assert.deepEqual(drop(after), drop(before));
  await again.close();
  await rm(scratch, { recursive: true, force: true });
});

test('an unreadable file shows its error and the other files still count', async () => {
  const page = await open();
  await page.setInputFiles('#files', [join(FIXTURES, 'e2e/broken.csv'), join(FIXTURES, 'e2e/api-keys.html'), join(FIXTURES, 'e2e/not-a-table.html')]);
  await page.waitForSelector('#report:not([hidden]) .cards');
  const status = await page.$$eval('#file-status li', (l) => l.map((x) => x.textContent));
  assert.match(status[0], /✗ broken\.csv: line 2: /);
  assert.match(status[1], /✓ api-keys\.html/);
  assert.match(status[2], /✗ not-a-table\.html: no table of API keys/);
  assert.equal((await keysShown(page)).length, 6);
  await page.close();
});

test('the bundled sample org loads and shows its findings', async () => {
  const page = await open();
  await page.click('#sample');
  await page.waitForSelector('#report:not([hidden]) .cards');
  assert.equal(await page.textContent('.cards .card:first-child .card-value'), '8');
  await page.click('button.tab:has-text("Findings")');
  const text = await page.textContent('.findings');
  assert.match(text, /exposed-secret/);
  assert.match(text, /usage-spike/);
  assert.ok(!text.includes('T3BlbkFJ'), 'no full secret on screen');
  await page.close();
});

test('a previous audit marks what is new, fixed and still open', async () => {
  const page = await open();
  await page.setInputFiles('#files', join(FIXTURES, 'e2e/api-keys.html'));
  await page.waitForSelector('#report:not([hidden]) .cards');
  // The previous audit: the whole Acme org's keys.csv (golden file of the CLI's export).
  await page.setInputFiles('#previous', join(FIXTURES, 'golden/org/keys.csv'));
  await page.waitForSelector('.compare');
  const text = await page.textContent('.compare');
  assert.match(text, /Since the previous audit: \d+ new findings, \d+ fixed, \d+ still open; 1 keys added, 3 removed\./);
  await page.click('button.tab:has-text("Findings")');
  await page.waitForSelector('.findings .badge.change-open');
  assert.ok(await page.$('.findings .badge.change-new'), 'findings not in the previous audit are marked new');
  // A new preset rebuilds the report; the previous audit is kept beside the inventory, so the
  // marks come back with it. (The old list is removed first so only the rebuilt one can match.)
  await page.evaluate(() => document.querySelector('.findings').remove());
  await page.selectOption('#preset', 'strict');
  await page.waitForFunction(() => document.querySelector('.report-head')?.textContent.includes('policy strict'));
  await page.waitForSelector('.findings .badge.change-open');
  assert.ok(await page.$('.findings .badge.change-new'), 'still marked new under the strict preset');
  await page.click('button.tab:has-text("Summary")');
  assert.match(await page.textContent('.compare'), /Since the previous audit: \d+ new findings/);
  await page.close();
});

test('core errors reach JavaScript as Error objects named after their kind', async () => {
  const page = await open();
  await page.setInputFiles('#policy', join(FIXTURES, 'e2e/bad-policy.toml'));
  await page.waitForSelector('#file-status li.error');
  assert.equal(await page.textContent('#file-status li.error'), '✗ bad-policy.toml: thresholds.unused_dayz: unknown threshold (did you mean unused_days?)');
  const err = await page.evaluate(async () => {
    const { default: init, Roster } = await import('./pkg/keyroster.js');
    await init();
    const r = new Roster('2026-11-22');
    try { r.set_policy('p.toml', 'preset = "lax"'); } catch (e) { return { isError: e instanceof Error, name: e.name, message: e.message }; }
    return null;
  });
  assert.deepEqual(err, { isError: true, name: 'PolicyError', message: 'p.toml: preset: unknown preset "lax" (expected default, cis or strict)' });
  await page.close();
});

test('the keys table sorts and groups as asked; findings say which checks did not run', async () => {
  const page = await open();
  await page.setInputFiles('#files', join(FIXTURES, 'e2e/api-keys.html'));
  await keysShown(page);
  await page.click('th button.sort:has-text("Key")');
  await page.waitForSelector('th[data-sort="name"][aria-sort="ascending"]');
  const asc = await page.$$eval('table.keys tbody .key-name', (els) => els.map((e) => e.textContent));
  assert.deepEqual(asc, [...asc].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
  await page.selectOption('select[aria-label="Group by"]', 'owner');
  await page.waitForSelector('tr.group-row');
  assert.deepEqual(await page.$$eval('tr.group-row', (rs) => rs.map((r) => r.textContent)), ['Ada Okafor', 'Ben Carter', 'Chen Wei', 'Dana Ruiz', 'Frank Li']);
  await page.selectOption('select[aria-label="Group by"]', 'owner_type');
  await page.waitForFunction(() => document.querySelector('tr.group-row')?.textContent === 'user');
  await page.click('button.tab:has-text("Findings")');
  await page.waitForSelector('ol.findings > li');
  const notRun = await page.$$eval('.not-run li', (ls) => ls.map((l) => l.textContent));
  assert.ok(notRun.some((t) => t.startsWith('owner-departed: did not run, because no member list was read')), notRun.join('\n'));
  await page.close();
});

test('Copy as TSV puts the filtered view on the clipboard', async () => {
  await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url.replace(/\/$/, '') });
  const page = await open();
  await page.setInputFiles('#files', join(FIXTURES, 'e2e/api-keys.html'));
  await keysShown(page);
  await page.selectOption('select[aria-label="Project"]', 'Mobile App');
  await page.waitForFunction(() => document.querySelectorAll('table.keys tbody tr').length === 2);
  await page.click('button:has-text("Copy as TSV")');
  await page.waitForFunction(() => document.querySelector('.report .status').textContent.startsWith('Copied'));
  const lines = (await page.evaluate(() => navigator.clipboard.readText())).trimEnd().split(/\r?\n/);
  const name = lines[0].split('\t').indexOf('key_name');
  assert.deepEqual(lines.slice(1).map((l) => l.split('\t')[name]).sort(), ['<img src=x onerror=alert(1)>', 'mobile-live']);
  await page.close();
});

test('a dropped page that read nothing offers Copy structure: its skeleton, no text of it', async () => {
  await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url.replace(/\/$/, '') });
  const page = await open();
  await page.setInputFiles('#files', [join(FIXTURES, 'e2e/api-keys.html'), join(FIXTURES, 'e2e/not-a-table.html')]);
  await page.waitForSelector('#file-status li.error button.copy-structure');
  // Only the file that read nothing offers it.
  assert.equal(await page.$$eval('#file-status button.copy-structure', (b) => b.length), 1);
  await page.click('#file-status li.error button.copy-structure');
  await page.waitForFunction(() => document.querySelector('#file-status li.error [role="status"]').textContent.includes('copied'));
  const skeleton = await page.evaluate(() => navigator.clipboard.readText());
  assertSkeletonOf(skeleton, await readFile(join(FIXTURES, 'e2e/not-a-table.html'), 'utf8'), assert);
  await page.close();
});

test('Export report (HTML) downloads the core-rendered report, readable without script, the same bytes as the CLI', async (t) => {
  const page = await open();
  await page.click('#sample');
  await page.waitForSelector('#report:not([hidden]) .cards');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Export report (HTML)")')]);
  const name = download.suggestedFilename();
  const [, asOf] = name.match(/^keyroster-acme-robotics-report-(\d{4}-\d{2}-\d{2})\.html$/) ?? [];
  assert.ok(asOf, name);
  const bytes = await readFile(await download.path());
  const html = bytes.toString('utf8');
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /<h2>Summary<\/h2>/);
  assert.ok(html.includes('payments-prod'), 'a known key of the sample org');
  assert.ok(!/<script/i.test(html), 'no script in the file');
  assert.ok(!html.includes('T3BlbkFJ'), 'no full secret');
  await page.close();

  // Opened on its own with JavaScript off: it reads, and asks for nothing.
  const dir = await mkdtemp(join(tmpdir(), 'kr-html-'));
  const file = join(dir, name);
  await writeFile(file, bytes);
  const { browser, requests } = await launchBrowser();
  t.after(() => browser.close());
  const context = await browser.newContext({ javaScriptEnabled: false });
  const seen = record(context);
  const report = await context.newPage();
  await report.goto(pathToFileURL(file).href);
  assert.ok(await report.isVisible('h2:has-text("Findings")'));
  assert.ok(await report.isVisible('h3.owner-head:has-text("Frank Li")'));
  assert.deepEqual(foreign([...requests, ...seen], [pathToFileURL(file).href]), []);

  // The CLI, given the same files under the same names and the same as-of date, writes the same
  // bytes: the report is rendered by the core in both.
  const sample = JSON.parse(await readFile(join(ROOT, 'dist/www/sample/index.json'), 'utf8')).map((f) => f.name);
  const out = join(dir, 'cli.html');
  // The debug binary `make test-e2e` builds: the same bytes as the release one, minutes sooner.
  execFileSync(join(ROOT, 'target/debug/keyroster'), ['audit', '--as-of', asOf, '--format', 'json', '--html', out, ...sample],
    { cwd: join(FIXTURES, 'org'), stdio: ['ignore', 'ignore', 'inherit'] });
  assert.ok(bytes.equals(await readFile(out)), 'www and the CLI wrote different bytes');
  await rm(dir, { recursive: true, force: true });
});

test('www made no request outside its own server and opened no dialog', () => {
  assert.deepEqual(foreign(b.requests, [server.url]), []);
  // An empty list would pass the check above too: the page, its modules and the sample org's
  // files (fetched when "Load sample org" was clicked) must have been seen.
  for (const path of ['', 'app.js', 'ui/report.js', 'sample/index.json']) {
    assert.ok(b.requests.includes(`${server.url}${path}`), `the request for /${path} was recorded`);
  }
  assert.deepEqual(failures, []);
});

test('the single-file build works opened from disk, with no request at all', async (t) => {
  const { browser, context, requests } = await launchBrowser();
  // Closed however the test ends: a browser left open keeps this file's process, and the run, alive.
  t.after(() => browser.close());
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const url = pathToFileURL(join(ROOT, 'dist/keyroster.html')).href;
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  await page.click('#sample');
  await page.waitForSelector('#report:not([hidden]) .cards');
  assert.equal(await page.textContent('.cards .card:first-child .card-value'), '8');
  assert.deepEqual(foreign(requests, [url]), []);
  assert.ok(requests.includes(url), 'the page load itself was recorded');
  assert.deepEqual(errors, []);
});

test('files are read to the end while the collector runs without pause', async (t) => {
  // A File's stream, held by nothing but its pending read, was collected mid-read and the read
  // never settled: one load of the sample in ten hung, and every load with the collector run
  // non-stop, on the page's thread (the single-file build) and in www's worker alike.
  const { browser, context } = await launchBrowser(['--js-flags=--expose-gc']);
  t.after(() => browser.close());
  const errors = [];
  const files = [join(FIXTURES, 'e2e/api-keys.html'), join(FIXTURES, 'e2e/members.html')];
  const read = async (page, count) => {
    await page.waitForFunction((n) => document.querySelectorAll('#file-status li').length === n, count);
    const status = await page.$$eval('#file-status li', (l) => l.map((x) => x.textContent));
    assert.deepEqual(status.filter((s) => !s.startsWith('✓')), []);
    assert.match(status.at(-2), /^✓ api-keys\.html: html:org-api-keys, 6 records/);
    assert.match(status.at(-1), /^✓ members\.html: html:org-members, 4 records/);
  };

  const single = await context.newPage();
  single.on('pageerror', (e) => errors.push(e.message));
  await single.goto(pathToFileURL(join(ROOT, 'dist/keyroster.html')).href);
  await single.waitForSelector('body[data-ready="true"]');
  await single.evaluate(() => setInterval(() => globalThis.gc(), 0));
  await single.click('#sample');
  await single.waitForSelector('#report:not([hidden]) .cards');
  await single.setInputFiles('#files', files);
  await read(single, 11);

  const served = await context.newPage();
  served.on('pageerror', (e) => errors.push(e.message));
  const started = served.waitForEvent('worker');
  await served.goto(server.url);
  const worker = await started;
  await served.waitForSelector('body[data-ready="true"]');
  await worker.evaluate(() => setInterval(() => globalThis.gc(), 0));
  await served.setInputFiles('#files', files);
  await read(served, 2);
  assert.deepEqual(errors, []);
});

test('hostile names render inert: markup, a javascript: URL, RTL overrides, and 10,000 characters cut with a tooltip', async () => {
  const long = `${'A'.repeat(9_990)}-long-name`;
  const names = ['<b onmouseover=alert(1)>bold</b>', 'javascript:alert(1)', '\u202Egnp.exe\u202C report', long];
  const header = 'Name,Secret key,Created,Last used,Created by';
  const rows = names.map((n, i) => `"${n}",sk-proj-...H${i}x9,2026-01-0${i + 1},Never,"${i === 3 ? long : 'Ada'}"`);
  const dir = await mkdtemp(join(tmpdir(), 'kr-hostile-'));
  const file = join(dir, 'hostile.csv');
  await writeFile(file, `${header}\n${rows.join('\n')}\n`);
  const page = await open();
  await page.setInputFiles('#files', file);
  await page.waitForSelector('#report:not([hidden]) .cards');
  await page.click('button.tab:has-text("Keys")');
  await page.waitForSelector('table.keys tbody tr');
  const shown = await page.$$eval('table.keys tbody tr', (trs) => trs.map((tr) => ({
    name: tr.querySelector('.key-name').textContent,
    title: tr.querySelector('.key-name').getAttribute('title'),
    owner: tr.cells[1].textContent,
  })));
  // Markup, links and direction marks are text, never elements, links or handlers.
  assert.equal(await page.$('table.keys b, table.keys a[href^="javascript:"], [onmouseover]'), null);
  for (const n of names.slice(0, 3)) assert.ok(shown.some((s) => s.name === n), `${JSON.stringify(n)} shown as text`);
  // The 10,000-character name and owner: one line of 80 characters and "…", the whole in the tooltip.
  const cut = shown.find((s) => s.title === long);
  assert.ok(cut, 'the long name keeps its full text in a tooltip');
  assert.equal([...cut.name].length, 81);
  assert.ok(cut.name.endsWith('…'));
  assert.ok(cut.owner.length <= 81, `owner shown as ${cut.owner.length} characters`);
  const width = await page.evaluate(() => document.querySelector('.table-wrap').scrollWidth);
  assert.ok(width < 4000, `the table stays a page wide (${width}px)`);
  await page.close();
  await rm(dir, { recursive: true, force: true });
});
