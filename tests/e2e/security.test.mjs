// A page that shows a full secret (the platform's "Save your key" dialog), read by the real
// extension: the user is warned, and the secret is in nothing the extension keeps or hands out —
// not the popup, not chrome.storage.session, not the downloads. No page of the extension breaks
// its Content Security Policy while doing it (the harness records every violation).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchExtension, noDialogs, downloaded } from './harness.mjs';

const KEYS_URL = 'https://platform.openai.com/settings/organization/api-keys';
// The secret in tests/fixtures/e2e/api-keys-secret.html.
const SECRET = 'sk-proj-Xq7Lm2Np9Rt4Vw8Yz3Bc6Df1Gh5Jk0MsT3BlbkFJPa4Qb8Rc2Sd6Te0Uf3Vg7Wh1Xi5Yj9Zk';
// Any full OpenAI secret: the marker every one carries, inside a long key-shaped token.
const FULL_SECRET = /sk-[A-Za-z0-9_-]*T3BlbkFJ[A-Za-z0-9_-]+/;
const failures = [];
let ext;

before(async () => {
  ext = await launchExtension({ '/settings/organization/api-keys': 'e2e/api-keys-secret.html' });
});

after(async () => {
  await ext?.context.close();
});

test('a full secret on the page is reported, redacted, and kept nowhere', async () => {
  const page = await ext.context.newPage();
  await page.goto(KEYS_URL);
  const tabsAt = async (u) => (await chrome.tabs.query({ url: u })).map((t) => t.id);
  const [tab] = await ext.worker.evaluate(tabsAt, KEYS_URL);
  const popup = await ext.context.newPage();
  noDialogs(popup, failures);
  await popup.goto(`chrome-extension://${ext.id}/popup.html?tab=${tab}`);
  await popup.waitForSelector('#popup[aria-busy="false"]');

  // The user is warned, with the redaction only.
  const shown = await popup.textContent('#popup');
  assert.match(shown, /exposed-secret|full secret/i);
  assert.ok(!shown.includes(SECRET) && !FULL_SECRET.test(shown), 'the popup shows no full secret');
  assert.ok(!FULL_SECRET.test(await popup.content()), 'no full secret in the popup DOM, attributes included');

  // What the extension keeps between pages: session storage, read back whole.
  const stored = JSON.stringify(await ext.worker.evaluate(() => chrome.storage.session.get(null)));
  assert.ok(stored.includes('sk-proj-...j9Zk'), 'the roster, with the redaction, was saved');
  assert.ok(!stored.includes(SECRET) && !FULL_SECRET.test(stored), 'no full secret in chrome.storage.session');
  const local = JSON.stringify(await ext.worker.evaluate(() => chrome.storage.local.get(null)));
  assert.ok(!FULL_SECRET.test(local), 'no full secret in chrome.storage.local');

  // What it hands out: both downloads.
  for (const button of ['#export-csv', '#export-xlsx']) {
    const [file] = await Promise.all([popup.waitForEvent('download'), popup.click(button)]);
    const bytes = await downloaded(file);
    assert.ok(!FULL_SECRET.test(bytes), `no full secret in the ${button} download`);
  }
  await popup.close();
  await page.close();
});

test('the report page shows the exposed-secret finding with the redaction only', async () => {
  const report = await ext.context.newPage();
  noDialogs(report, failures);
  await report.goto(`chrome-extension://${ext.id}/report.html`);
  await report.waitForSelector('body[data-ready="true"]');
  await report.click('button.tab:has-text("Findings")');
  const text = await report.textContent('.findings');
  assert.match(text, /exposed-secret/);
  assert.ok(!FULL_SECRET.test(await report.content()), 'no full secret in the report page');
  await report.close();
});

test('no dialog or request outside the extension and the platform page', () => {
  const out = ext.requests.filter((u) => !u.startsWith(`chrome-extension://${ext.id}/`) && !u.startsWith('https://platform.openai.com/'));
  assert.deepEqual(out, []);
  assert.ok(ext.requests.length > 0, 'requests were recorded at all');
  assert.deepEqual(failures, []);
});
