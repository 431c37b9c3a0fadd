// Coverage in the popup: on page 1 of 2 of the keys list it says one more page is to visit and
// which; once page 2 is read it does not. A member's own-keys view gets the warning that an owner
// must run the audit. The same tab is reloaded with the next page, as the platform's list does.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchExtension, noDialogs } from './harness.mjs';

const KEYS_PATH = '/settings/organization/api-keys';
const KEYS_URL = `https://platform.openai.com${KEYS_PATH}`;
const MEMBER_URL = 'https://platform.openai.com/settings/proj_k7Qx2m/api-keys';
// The route table is read on every request: a test swaps the file a path serves.
const pages = {
  [KEYS_PATH]: 'html/org-api-keys-page-1.html',
  '/settings/proj_k7Qx2m/api-keys': 'html/member-own-api-keys.html',
};
let ext;
const failures = [];

before(async () => {
  ext = await launchExtension(pages);
});

after(async () => {
  await ext?.context.close();
  assert.deepEqual(failures, []);
});

async function tabIdOf(url) {
  const tabsAt = async (u) => (await chrome.tabs.query({ url: u })).map((t) => t.id);
  const ids = await ext.worker.evaluate(tabsAt, url);
  assert.equal(ids.length, 1, `one tab at ${url}`);
  return ids[0];
}

async function openPopup(tabId) {
  const popup = await ext.context.newPage();
  noDialogs(popup, failures);
  await popup.goto(`chrome-extension://${ext.id}/popup.html?tab=${tabId}`);
  await popup.waitForSelector('#popup[aria-busy="false"]');
  return popup;
}

const texts = (popup, sel) => popup.$$eval(sel, (els) => els.map((e) => e.textContent));

test('on page 1 of 2 the popup says one more page is to visit; after page 2 it does not', async () => {
  const page = await ext.context.newPage();
  noDialogs(page, failures);
  await page.goto(KEYS_URL);
  const tab = await tabIdOf(KEYS_URL);

  let popup = await openPopup(tab);
  // The page's own footer warning follows the line.
  assert.match(await popup.textContent('#page'), /^Read 4 keys from this page/);
  assert.equal(await popup.$eval('#coverage', (e) => e.hidden), false);
  assert.equal(
    await popup.textContent('#coverage .coverage-line'),
    'Read 4 of 6 keys listed; 1 more page to visit; members not read',
  );
  assert.deepEqual(await texts(popup, '#coverage .to-visit li'), [
    "Visit 2 more keys on page 2 of the organization's keys.",
  ]);
  await popup.close();

  pages[KEYS_PATH] = 'html/org-api-keys-page-2.html';
  await page.reload();
  popup = await openPopup(tab);
  assert.equal(await popup.textContent('#coverage .coverage-line'), 'Read 6 of 6 keys listed; members not read');
  assert.deepEqual(await texts(popup, '#coverage .to-visit li'), []);
  assert.equal((await popup.$$eval('#totals div', (d) => d.map((x) => x.textContent)))[0], '6keys');
  await popup.click('#clear');
  await popup.close();
  await page.close();
});

test("a member's own-keys view is warned about: an owner must run the audit", async () => {
  const page = await ext.context.newPage();
  noDialogs(page, failures);
  await page.goto(MEMBER_URL);
  const tab = await tabIdOf(MEMBER_URL);
  // A roster of this page alone: the first popup reads it into whatever came before; Clear.
  const first = await openPopup(tab);
  await first.click('#clear');
  await first.close();
  const popup = await openPopup(tab);
  assert.equal(await popup.textContent('#page'), 'Read 2 keys from this page');
  assert.equal(
    await popup.textContent('#coverage .coverage-line'),
    'Read 2 keys; members not read; only your own keys were listed',
  );
  const warning = await popup.textContent('#coverage .coverage-warning');
  assert.match(warning, /only the signed-in member's own keys/);
  assert.match(warning, /organization owner must run the audit/);
  await popup.close();
  await page.close();
});
