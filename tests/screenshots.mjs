// `make screenshots`: the README's pictures, taken from the built dist/ (this script builds
// nothing) over the bundled sample org (tests/fixtures/org): the popup, the report's summary, a
// key's details and the HTML report, each in the light and the dark scheme, at fixed sizes, into
// docs/screenshots/. Not part of `make test`: it asserts nothing, it draws.

import { mkdir, writeFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, serve, launchBrowser, launchExtension, downloaded } from './e2e/harness.mjs';

const OUT = join(ROOT, 'docs/screenshots');
const KEYS_URL = 'https://platform.openai.com/settings/organization/api-keys';
const WIDE = { width: 1200, height: 720 };
// The popup's 460-pixel body and the page's scrollbar, at the 600 pixels Chrome allows a popup.
const POPUP = { width: 475, height: 600 };
// payments-prod: the sample org's key with the most to show (findings, a usage spike).
const KEY = 'key_Pq3L9wXc0vN2mR7t';
// The day the fixture org is audited as of (crate/tests/support: AS_OF), so ages and idle days
// in the pictures do not change with the day they are taken.
const AS_OF = new Date('2026-11-22T12:00:00');

await mkdir(OUT, { recursive: true });
const written = [];
async function shoot(target, name) {
  const path = join(OUT, `${name}.png`);
  await target.screenshot({ path });
  written.push(`${name}.png ${Math.round((await stat(path)).size / 1024)} KB`);
}

// The popup over the sample org's API keys page, served as the platform's.
const ext = await launchExtension({ '/settings/organization/api-keys': 'org/api-keys.html' });
const server = await serve(join(ROOT, 'dist/www'));
const b = await launchBrowser();
await ext.context.clock.setFixedTime(AS_OF);
await b.context.clock.setFixedTime(AS_OF);
try {
  const tab = await ext.context.newPage();
  await tab.goto(KEYS_URL);
  const tabsAt = async (u) => (await chrome.tabs.query({ url: u })).map((t) => t.id);
  const [tabId] = await ext.worker.evaluate(tabsAt, KEYS_URL);
  for (const scheme of ['light', 'dark']) {
    const popup = await ext.context.newPage();
    await popup.setViewportSize(POPUP);
    await popup.emulateMedia({ colorScheme: scheme });
    await popup.goto(`chrome-extension://${ext.id}/popup.html?tab=${tabId}`);
    await popup.waitForSelector('#popup[aria-busy="false"]');
    await shoot(popup, `popup-${scheme}`);
    await popup.close();
  }

  // www with the whole sample org: the summary, then payments-prod's details.
  const page = await b.context.newPage();
  await page.setViewportSize(WIDE);
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]');
  await page.click('#sample');
  await page.waitForSelector('#report:not([hidden]) .cards');
  let html = null;
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.$eval('#report', (r) => r.scrollIntoView());
    await shoot(page, `report-summary-${scheme}`);
    await page.evaluate((k) => { location.hash = `key=${k}`; }, KEY);
    await page.waitForSelector('dialog.key-details[open]');
    // The button that takes the focus on opening would show its ring: not part of the picture.
    await page.evaluate(() => document.activeElement.blur());
    await shoot(page, `key-details-${scheme}`);
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog.key-details[open]', { state: 'detached' });
  }
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('button:has-text("Export report (HTML)")'),
  ]);
  html = await downloaded(download);

  // The HTML report as a reader opens it: from a file, no script needed.
  const file = join(ROOT, 'target/screenshots-report.html');
  await writeFile(file, html);
  const report = await b.context.newPage();
  await report.setViewportSize(WIDE);
  for (const scheme of ['light', 'dark']) {
    await report.emulateMedia({ colorScheme: scheme });
    await report.goto(`file://${file}`);
    await shoot(report, `html-report-${scheme}`);
  }
} finally {
  await ext.context.close();
  await b.browser.close();
  await server.close();
}
console.log(`docs/screenshots/:\n  ${written.join('\n  ')}`);
