// The static analyzer (dist/www) served on 127.0.0.1: uploading pages and files, the report
// view, the downloaded CSVs, an unreadable file beside a good one, a markup-named key shown as
// text, errors crossing the wasm boundary with their kind, the sample org, and no request
// leaving the local server.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DIST, launchBrowser, serve, recordRequests, failOnDialog, downloadText, csvRecords, fixture,
} from './lib.mjs';

const XSS = '<img src=x onerror=alert(1)>';

let server;
let browser;
let context;
let requests;
const dialogs = [];

before(async () => {
  server = await serve(path.join(DIST, 'www'));
  ({ browser, context } = await launchBrowser());
  const singleFile = pathToFileURL(path.join(DIST, 'keyroster.html')).href;
  requests = recordRequests(context, (u) => u.startsWith(`${server.origin}/`) || u.startsWith(`blob:${server.origin}/`)
    || u === singleFile || u.startsWith('blob:null/') || u.startsWith('data:'));
  context.on('page', (p) => failOnDialog(p, dialogs));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function openPage() {
  const page = await context.newPage();
  await page.goto(`${server.origin}/`);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}

async function upload(page, names) {
  const before = await page.$$eval('#file-status > li', (l) => l.length);
  await page.setInputFiles('#files', names.map(fixture));
  await page.waitForFunction((n) => document.querySelectorAll('#file-status > li').length >= n, before + names.length);
  await page.waitForSelector('#report:not([hidden]) .cards');
  return page.$$eval('#file-status > li', (l) => l.map((e) => ({ text: e.textContent, error: e.classList.contains('error') })));
}

async function keyNames(page) {
  await page.click('nav.tabs button:has-text("Keys")');
  await page.waitForSelector('table.keys tbody');
  return page.$$eval('table.keys tbody tr:not(.group-row) .key-name', (els) => els.map((e) => e.textContent));
}

test('an uploaded keys page becomes the report, an unreadable file beside it shows its error', async () => {
  const page = await openPage();
  const status = await upload(page, ['org-api-keys.html', 'unreadable.csv']);
  assert.equal(status.length, 2);
  assert.equal(status[0].error, false);
  assert.match(status[0].text, /^✓ org-api-keys\.html: html:org-api-keys, 6 records, 6 keys/);
  assert.equal(status[1].error, true);
  assert.match(status[1].text, /^✗ unreadable\.csv: /, 'the error names the file');
  assert.match(status[1].text, /line \d+|record \d+/, `the error says where: ${status[1].text}`);

  // The good file's results stay.
  const cards = await page.$$eval('.cards .card', (cs) => Object.fromEntries(cs.map((c) => [c.querySelector('.card-label').textContent, c.querySelector('.card-value').textContent])));
  assert.equal(cards.Keys, '6');
  assert.equal(cards.Owners, '3');
  assert.equal(cards.Projects, '4');
  assert.match(await page.textContent('.report-head h2'), /Northwind Labs/);
  const names = await keyNames(page);
  assert.deepEqual([...names].sort(), [XSS, 'etl-nightly', 'payments-prod', 'payments-staging', 'research-notebook', 'support-bot'].sort());

  // The markup-named key is text.
  assert.equal(await page.$('img[src=x]'), null);
  assert.equal(await page.$('table.keys img'), null);

  // Export CSV: every key, with owners and projects.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('.report-head button:has-text("Export CSV")')]);
  assert.match(download.suggestedFilename(), /^keyroster-northwind-labs-keys-\d{4}-\d{2}-\d{2}\.csv$/);
  const { header, records } = csvRecords(await downloadText(download));
  assert.equal(header[4], 'key_name');
  assert.equal(records.length, 6);
  const marcus = records.filter((r) => r.owner_name === 'Marcus Bell').map((r) => r.key_name).sort();
  assert.deepEqual(marcus, [XSS, 'support-bot']);
  assert.equal(records.find((r) => r.key_name === 'support-bot').project_name, 'Support');
  assert.equal(records.find((r) => r.key_name === 'support-bot').last_used, '2026-11-20');

  // Filter by owner, then "Export view": just the rows shown.
  await page.selectOption('select[aria-label="Owner"]', 'Priya Natarajan');
  await page.waitForFunction(() => document.querySelectorAll('table.keys tbody tr').length === 3);
  const [view] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Export view")')]);
  const shown = csvRecords(await downloadText(view)).records.map((r) => r.key_name).sort();
  assert.deepEqual(shown, ['payments-prod', 'payments-staging', 'research-notebook']);

  // Excel: a real zip container.
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('.report-head button:has-text("Export Excel")')]);
  assert.match(xlsx.suggestedFilename(), /\.xlsx$/);
  const { readFile } = await import('node:fs/promises');
  const bytes = await readFile(await xlsx.path());
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');
  assert.deepEqual(dialogs, []);
  await page.close();
});

test('the keys table sorts and groups as asked', async () => {
  const page = await openPage();
  await upload(page, ['org-api-keys.html']);
  await keyNames(page);
  await page.click('th button.sort:has-text("Key")');
  await page.waitForSelector('th[aria-sort="ascending"]');
  const asc = await page.$$eval('table.keys tbody .key-name', (els) => els.map((e) => e.textContent));
  assert.deepEqual(asc, [...asc].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
  await page.selectOption('select[aria-label="Group by"]', 'owner');
  await page.waitForSelector('tr.group-row');
  const groups = await page.$$eval('tr.group-row', (rs) => rs.map((r) => r.textContent));
  assert.deepEqual(groups, ['Lena Fischer', 'Marcus Bell', 'Priya Natarajan']);
  await page.selectOption('select[aria-label="Group by"]', 'owner_type');
  await page.waitForFunction(() => document.querySelector('tr.group-row')?.textContent === 'user');
  assert.deepEqual(await page.$$eval('tr.group-row', (rs) => rs.map((r) => r.textContent)), ['user']);

  // Findings: each with its remediation; the checks a keys page alone cannot feed say why not.
  await page.click('nav.tabs button:has-text("Findings")');
  await page.waitForSelector('ol.findings > li');
  const first = await page.$eval('ol.findings > li', (li) => ({ message: li.querySelector('p').textContent, remedy: li.querySelector('.remedy')?.textContent ?? '' }));
  assert.ok(first.message.length > 10 && first.remedy.length > 10, JSON.stringify(first));
  const notRun = await page.$$eval('.not-run li', (ls) => ls.map((l) => l.textContent));
  assert.ok(notRun.length > 0, 'some checks need inputs not given');
  assert.ok(notRun.every((t) => /: \S/.test(t)), notRun.join('\n'));
  await page.close();
});

test('errors cross the wasm boundary as JS Errors named by their kind', async () => {
  const page = await openPage();
  const out = await page.evaluate(async () => {
    const m = await import('./pkg/keyroster.js');
    await m.default();
    const caught = (f) => { try { f(); return null; } catch (e) { return { name: e.name, message: e.message, isError: e instanceof Error }; } };
    const r = new m.Roster('2026-11-22');
    return {
      badDate: caught(() => new m.Roster('22/11/2026')),
      badPolicy: caught(() => r.set_policy('team.toml', 'this is = = not toml')),
      badExport: caught(() => r.export('keys.pdf')),
    };
  });
  assert.equal(out.badDate.name, 'UsageError');
  assert.equal(out.badDate.isError, true);
  assert.match(out.badDate.message, /YYYY-MM-DD/);
  assert.equal(out.badPolicy.name, 'PolicyError');
  assert.match(out.badPolicy.message, /^team\.toml: /);
  assert.equal(out.badExport.name, 'UsageError');
  await page.close();
});

test('Load sample org reads every bundled file', async () => {
  const page = await openPage();
  const index = await (await fetch(`${server.origin}/sample/index.json`)).json();
  await page.click('#sample');
  await page.waitForFunction((n) => document.querySelectorAll('#file-status > li').length >= n, index.length);
  await page.waitForSelector('#report:not([hidden]) .cards');
  const status = await page.$$eval('#file-status > li', (l) => l.map((e) => ({ text: e.textContent, error: e.classList.contains('error') })));
  assert.deepEqual(status.filter((s) => s.error), []);
  const keys = Number(await page.textContent('.cards .card:first-child .card-value'));
  assert.ok(keys >= 8, `the sample org has keys: ${keys}`);
  await page.close();
});

test('Copy as TSV puts the filtered view on the clipboard', async () => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  const page = await openPage();
  await upload(page, ['org-api-keys.html']);
  await keyNames(page);
  await page.selectOption('select[aria-label="Project"]', 'Support');
  await page.waitForFunction(() => document.querySelectorAll('table.keys tbody tr').length === 2);
  await page.click('button:has-text("Copy as TSV")');
  await page.waitForFunction(() => document.querySelector('.report .status').textContent.startsWith('Copied'));
  const lines = (await page.evaluate(() => navigator.clipboard.readText())).trimEnd().split(/\r?\n/);
  const header = lines[0].split('\t');
  const name = header.indexOf('key_name');
  assert.ok(name >= 0, lines[0]);
  assert.deepEqual(lines.slice(1).map((l) => l.split('\t')[name]).sort(), [XSS, 'support-bot']);
  await page.close();
});

test('the single-file build works opened from disk', async () => {
  const page = await context.newPage();
  await page.goto(pathToFileURL(path.join(DIST, 'keyroster.html')).href);
  await page.waitForSelector('body[data-ready="true"]');
  await upload(page, ['org-api-keys.html']);
  assert.equal(await page.textContent('.cards .card:first-child .card-value'), '6');
  const names = await keyNames(page);
  assert.ok(names.includes(XSS));
  assert.equal(await page.$('img[src=x]'), null);
  await page.close();
});

test('nothing was requested outside the local server (or the single file)', () => {
  assert.ok(requests.seen.some((u) => u.endsWith('/pkg/keyroster_bg.wasm')), 'the recorder saw the wasm load');
  assert.deepEqual(requests.offenders(), []);
  assert.deepEqual(dialogs, []);
});
