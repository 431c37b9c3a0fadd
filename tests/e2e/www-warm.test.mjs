// The analyzer's warm-up: once the page is ready and idle, its worker reads made-up inputs into a
// throwaway roster while the user picks a file (www/ui/roster-api.js, warmUp). A file chosen
// before it, during it or after it reads exactly as it would without one: the user sees their
// file and nothing of the warm-up's, and the warm-up asks nothing of the network.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, FIXTURES, serve, launchBrowser, foreign, openReady } from './harness.mjs';

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

/** Chooses the e2e keys page and members page and returns what the user then sees: the file
 * list, the report's header line, the Keys tab's names and the Sources tab's rows. */
async function readKeysPage(page) {
  await page.setInputFiles('#files', [join(FIXTURES, 'e2e/api-keys.html'), join(FIXTURES, 'e2e/members.html')]);
  await page.waitForSelector('#report:not([hidden]) .cards');
  const status = await page.$$eval('#file-status li', (l) => l.map((x) => x.textContent));
  const header = await page.textContent('.report-head .title p');
  await page.click('button.tab:has-text("Keys")');
  await page.waitForSelector('table.keys tbody tr');
  const keys = await page.$$eval('table.keys tbody tr .key-name', (els) => els.map((e) => e.textContent));
  await page.click('button.tab:has-text("Sources")');
  await page.waitForSelector('ul.sources > li');
  const sources = await page.$$eval('ul.sources > li > strong', (names) => names.map((n) => n.textContent));
  return { status, header, keys: keys.sort(), sources, text: await page.textContent('body') };
}

function assertOnlyTheUsersFiles(seen) {
  assert.equal(seen.status.length, 2);
  assert.match(seen.status[0], /^✓ api-keys\.html: html:org-api-keys, 6 records, 6 keys/);
  assert.match(seen.status[1], /^✓ members\.html: html:org-members, 4 records/);
  assert.match(seen.header, /· 2 inputs read$/);
  assert.equal(seen.keys.length, 6);
  assert.ok(seen.keys.includes('<img src=x onerror=alert(1)>'));
  assert.deepEqual(seen.sources, ['api-keys.html', 'members.html']);
  assert.doesNotMatch(seen.text, /warm-up|service-\d|key_warm/);
}

test('a file chosen as soon as the page is ready reads as if there were no warm-up', async () => {
  const page = await open();
  const seen = await readKeysPage(page);
  assertOnlyTheUsersFiles(seen);
  await page.close();
  assert.deepEqual(failures, []);
});

test('a file chosen while the warm-up runs reads the same', async () => {
  const page = await open();
  // The warm-up starts after half a second without a request and runs for about a second.
  await page.waitForTimeout(700);
  assertOnlyTheUsersFiles(await readKeysPage(page));
  await page.close();
  assert.deepEqual(failures, []);
});

test('after the warm-up has run, the roster holds only the files the user chose', async () => {
  b.requests.length = 0;
  const page = await open();
  await page.waitForSelector('body[data-warmed="true"]', { timeout: 60_000 });
  const seen = await readKeysPage(page);
  assertOnlyTheUsersFiles(seen);
  // The same files read during the warm-up show the same thing.
  const during = await readKeysPage(await open());
  assert.deepEqual(during.keys, seen.keys);
  assert.deepEqual(during.sources, seen.sources);
  assert.deepEqual(foreign(b.requests, [server.url]), [], 'nothing but the page itself is asked for');
  await page.close();
  assert.deepEqual(failures, []);
});

test('the warm-up stops when the user acts: a second file list read during it is not mixed up', async () => {
  const page = await open();
  // Clear, then read: two requests in a row once the warm-up has started.
  await page.waitForTimeout(600);
  await page.click('#clear');
  const seen = await readKeysPage(page);
  assertOnlyTheUsersFiles(seen);
  await page.close();
  assert.deepEqual(failures, []);
});
