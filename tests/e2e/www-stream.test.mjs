// The analyzer reading a large export the way it reads every file: the worker takes the File and
// feeds the core chunk by chunk, the page shows bytes and rows as they go, and Cancel stops a
// file half way with the roster as it was before it. From 64 MiB up a delimited file is read by
// two workers (www/split.js): the same report, warnings and error lines as one worker's.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { ROOT, FIXTURES, serve, launchBrowser, foreign, openReady } from './harness.mjs';

let server, b, dir;
const failures = [];

before(async () => {
  server = await serve(join(ROOT, 'dist/www'));
  b = await launchBrowser();
  dir = await mkdtemp(join(tmpdir(), 'kr-stream-'));
});

after(async () => {
  await b?.browser.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A usage dashboard cost export of `rows` rows (about 80 bytes each): 5 keys over 3 days.
 * `line(j, text)` may rewrite data row `j` (at line j + 2). */
async function costExport(name, rows, line = (j, text) => text) {
  const path = join(dir, name);
  const out = createWriteStream(path);
  out.write('start_time,end_time,amount_value,amount_currency,line_item,project_id,api_key_id\n');
  for (let i = 0; i < rows; i += 1000) {
    let block = '';
    for (let j = i; j < Math.min(rows, i + 1000); j++) {
      const day = 1790553600 + 86400 * (j % 3);
      block += line(j, `${day},${day + 86400},0.25,usd,"gpt-4o, input",proj_stream,key_stream${j % 5}\n`);
    }
    if (!out.write(block)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return path;
}

async function open() {
  const page = await openReady(b.context, server.url, failures);
  // Every progress line the page shows, kept as it changes (it hides when reading ends).
  await page.evaluate(() => {
    window.progressSeen = [];
    new MutationObserver(() => window.progressSeen.push(document.getElementById('progress-text').textContent))
      .observe(document.getElementById('progress-text'), { childList: true, characterData: true, subtree: true });
  });
  return page;
}

const statuses = (page) => page.$$eval('#file-status li', (l) => l.map((x) => x.textContent));

test('a multi-MB cost export streams in with bytes and rows shown, then the report', async () => {
  const path = await costExport('cost-big.csv', 120_000);
  const page = await open();
  await page.setInputFiles('#files', path);
  await page.waitForSelector('#report:not([hidden]) .cards');
  const [status] = await statuses(page);
  assert.match(status, /^✓ cost-big\.csv: csv:cost-export, /);
  assert.equal(await page.isVisible('#reading'), false, 'the progress row hides when done');

  const seen = await page.evaluate(() => window.progressSeen);
  assert.ok(seen.length >= 3, `progress was shown as chunks came: ${seen.length} updates`);
  assert.match(seen.at(-1), /^cost-big\.csv: \d+(\.\d)? MB of \d+(\.\d)? MB, \d+ rows$/);
  const rows = seen.map((s) => Number(s.match(/, (\d+) rows$/)?.[1] ?? 0));
  assert.ok(rows.every((n, i) => i === 0 || n >= rows[i - 1]), 'rows only grow');
  assert.ok(rows.at(-1) > 100_000, `rows counted: ${rows.at(-1)}`);

  // 120,000 rows of $0.25: the report's cost is every row's.
  assert.match(await page.textContent('#report .cards'), /\$30,000\.00/);
  await page.close();
});

test('a file past 64 MiB is read by two workers: the same report, progress, and warnings at their lines', async () => {
  // ~71 MB; row 990,000 (line 990,002) has an amount that is not one, and a line item whose
  // quotes hold a line break (the record spans lines 600,002-600,003).
  const path = await costExport('cost-split.csv', 1_000_000, (j, text) => {
    if (j === 990_000) return text.replace(',0.25,', ',abc,');
    if (j === 600_000) return text.replace('"gpt-4o, input"', '"gpt-4o,\ninput"');
    return text;
  });
  const page = await open();
  const splitter = page.waitForEvent('worker', { predicate: (w) => w.url().endsWith('/splitter.js'), timeout: 20_000 });
  await page.setInputFiles('#files', path);
  await splitter;
  await page.waitForSelector('#report:not([hidden]) .cards');
  const [status] = await statuses(page);
  assert.match(status, /^✓ cost-split\.csv: csv:cost-export, /);
  // The line after the record that spans two lines is counted as one worker counts it.
  assert.match(status, /line 990003, column amount_value: "abc" is not an amount/);
  // Every readable row's $0.25.
  assert.match(await page.textContent('#report .cards'), /\$249,999\.75/);
  const seen = await page.evaluate(() => window.progressSeen);
  const rows = seen.map((x) => Number(x.match(/, (\d+) rows$/)?.[1] ?? 0));
  assert.ok(rows.every((n, i) => i === 0 || n >= rows[i - 1]), 'rows only grow');
  assert.ok(rows.at(-1) > 990_000, `rows counted: ${rows.at(-1)}`);

  // A record cut short past the middle fails the file at its line, as on one worker.
  const broken = await costExport('cost-split-broken.csv', 1_000_000, (j, text) =>
    j === 980_000 ? '1790553600,1790640000,0.25\n' : text,
  );
  await page.setInputFiles('#files', broken);
  await page.waitForFunction(() => document.querySelectorAll('#file-status li').length === 2);
  assert.match((await statuses(page))[1], /^✗ cost-split-broken\.csv: line 980002\b/);
  await page.close();
});

test('Cancel stops a large file half way; the page stays usable and keeps what was read before', async () => {
  const big = await costExport('cost-huge.csv', 3_000_000);
  const page = await open();
  await page.setInputFiles('#files', join(FIXTURES, 'e2e/api-keys.html'));
  await page.waitForSelector('#report:not([hidden]) .cards');

  await page.setInputFiles('#files', big);
  await page.waitForFunction(() => window.progressSeen.some((s) => / rows$/.test(s)));
  await page.click('#cancel');
  await page.waitForSelector('#reading', { state: 'hidden' });
  const after = await statuses(page);
  assert.equal(after.length, 2);
  assert.match(after[0], /^✓ api-keys\.html: html:org-api-keys, 6 records, 6 keys/);
  assert.equal(after[1], '✗ cost-huge.csv: cancelled; nothing of it was added');
  const seen = await page.evaluate(() => window.progressSeen);
  const read = Number(seen.at(-1).match(/: ([\d.]+) MB of/)[1]);
  assert.ok(read < 240, `stopped before the end: ${seen.at(-1)}`);

  // The roster is the page's six keys, and another file still reads.
  await page.click('button.tab:has-text("Keys")');
  await page.waitForSelector('table.keys tbody tr');
  assert.equal(await page.$$eval('table.keys tbody tr .key-name', (els) => els.length), 6);
  await page.setInputFiles('#files', join(FIXTURES, 'e2e/members.html'));
  await page.waitForFunction(() => document.querySelectorAll('#file-status li').length === 3);
  assert.match((await statuses(page))[2], /^✓ members\.html: html:org-members, 4 records/);
  await page.close();
});

test('streaming made no request outside its own server and opened no dialog', () => {
  assert.deepEqual(foreign(b.requests, [server.url]), []);
  assert.deepEqual(failures, []);
});
