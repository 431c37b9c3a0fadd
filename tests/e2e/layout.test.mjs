// How the report looks, as a person sees it: the extension's report page and www use the window
// (not the popup's 460-pixel column), at a laptop's and a small window's size; light and dark
// follow the system, and every text colour token meets WCAG AA contrast on the backgrounds it is
// drawn on, in both schemes.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, serve, launchBrowser, launchExtension, noDialogs } from './harness.mjs';

const KEYS_URL = 'https://platform.openai.com/settings/organization/api-keys';
const SIZES = [{ width: 1280, height: 900 }, { width: 800, height: 600 }];
// The reading maximum of `.page` in ui/report.css.
const MAX = 1440;
const failures = [];
let ext, server, b;

before(async () => {
  ext = await launchExtension({ '/settings/organization/api-keys': 'e2e/api-keys.html' });
  server = await serve(join(ROOT, 'dist/www'));
  b = await launchBrowser();
});

after(async () => {
  await ext?.context.close();
  await b?.browser.close();
  await server?.close();
});

/** Width of the report's main column and of the viewport. */
function widths(page) {
  return page.evaluate(() => ({
    main: document.querySelector('main').getBoundingClientRect().width,
    report: document.querySelector('#report').getBoundingClientRect().width,
    viewport: document.documentElement.clientWidth,
  }));
}

function assertFull(w, where) {
  const want = 0.9 * Math.min(w.viewport, MAX);
  assert.ok(w.main >= want, `${where}: main column ${w.main}px of a ${w.viewport}px window`);
  assert.ok(w.report >= want * 0.9, `${where}: report ${w.report}px of a ${w.viewport}px window`);
}

test('the extension report page uses the window, at 1280x900 and 800x600', async () => {
  const page = await ext.context.newPage();
  await page.goto(KEYS_URL);
  const tabsAt = async (u) => (await chrome.tabs.query({ url: u })).map((t) => t.id);
  const [tab] = await ext.worker.evaluate(tabsAt, KEYS_URL);
  const popup = await ext.context.newPage();
  await popup.goto(`chrome-extension://${ext.id}/popup.html?tab=${tab}`);
  await popup.waitForSelector('#popup[aria-busy="false"]');
  // The popup keeps its own width.
  assert.equal(await popup.evaluate(() => document.body.getBoundingClientRect().width), 460);

  const report = await ext.context.newPage();
  noDialogs(report, failures);
  report.on('pageerror', (e) => failures.push(`pageerror: ${e.message}`));
  for (const size of SIZES) {
    await report.setViewportSize(size);
    await report.goto(`chrome-extension://${ext.id}/report.html`);
    await report.waitForSelector('body[data-ready="true"]');
    await report.click('button.tab:has-text("Keys")');
    await report.waitForSelector('table.keys tbody tr');
    assertFull(await widths(report), `report page ${size.width}x${size.height}`);
    const table = await report.evaluate(() => document.querySelector('.table-wrap').getBoundingClientRect().width);
    assert.ok(table >= 0.85 * Math.min(size.width, MAX), `keys table ${table}px wide at ${size.width}`);
  }
  await report.close();
  await popup.close();
  await page.close();
});

test('www uses the window, at 1280x900 and 800x600', async () => {
  const page = await b.context.newPage();
  noDialogs(page, failures);
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready="true"]');
    await page.click('#sample');
    await page.waitForSelector('#report:not([hidden]) .cards');
    assertFull(await widths(page), `www ${size.width}x${size.height}`);
  }
  await page.close();
});

// WCAG 2 relative luminance and contrast ratio of two CSS colours (computed `rgb(...)` strings).
function contrast(a, b) {
  const lum = (rgb) => {
    const [r, g, bl] = rgb.match(/[\d.]+/g).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

// Text token on background token, as ui/report.css pairs them.
const PAIRS = [
  ['--fg', '--bg'], ['--fg', '--soft'], ['--fg', '--raised'], ['--muted', '--bg'], ['--muted', '--soft'], ['--muted', '--none'],
  ['--link', '--bg'], ['--error', '--bg'], ['--warn', '--bg'], ['--on-accent', '--accent'],
  ['--on-critical', '--critical'], ['--on-high', '--high'], ['--on-medium', '--medium'], ['--on-low', '--low'],
  ['--on-info', '--info'], ['--fg', '--badge'], ['--fg', '--group'], ['--fg', '--alert-bg'], ['--fg', '--note-bg'],
];

for (const scheme of ['light', 'dark']) {
  test(`${scheme} scheme: the page follows the system and text meets WCAG AA contrast`, async () => {
    const page = await b.context.newPage();
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready="true"]');
    const colours = await page.evaluate((pairs) => {
      // Resolve each token to the colour the browser computes for it.
      const probe = document.createElement('span');
      document.body.append(probe);
      const resolve = (token) => {
        probe.style.color = `var(${token})`;
        return getComputedStyle(probe).color;
      };
      const out = Object.fromEntries(pairs.flat().map((t) => [t, resolve(t)]));
      out.body = getComputedStyle(document.body).backgroundColor;
      probe.remove();
      return out;
    }, PAIRS);
    const dark = contrast(colours.body, 'rgb(0, 0, 0)') < contrast(colours.body, 'rgb(255, 255, 255)');
    assert.equal(dark, scheme === 'dark', `body background ${colours.body} in the ${scheme} scheme`);
    for (const [fg, bg] of PAIRS) {
      const ratio = contrast(colours[fg], colours[bg]);
      assert.ok(ratio >= 4.5, `${scheme}: ${fg} on ${bg} is ${ratio.toFixed(2)}:1 (${colours[fg]} on ${colours[bg]})`);
    }
    await page.close();
  });
}

test('no dialog or page error opened', () => {
  assert.deepEqual(failures, []);
});
