// Browser benchmark (numbers, no pass/fail): `make bench` or `node tests/bench/browser.mjs`.
//  1. popup: from opening the popup on a 1,000-key API keys page to the report shown;
//  2. www: from choosing a large usage dashboard cost export to the report shown, beside the
//     native CLI on the same file.
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchExtension, launchBrowser, serve, ROOT } from '../e2e/harness.mjs';

const ROWS = Number(process.env.ROWS ?? 500_000);
const dir = mkdtempSync(join(tmpdir(), 'kr-bench-'));

function keysPage(n) {
  let s = '<!DOCTYPE html><html><head><title>API keys - OpenAI API</title></head><body><main><h1>API keys</h1><table><thead><tr><th>Name</th><th>Secret key</th><th>Created</th><th>Last used</th><th>Project access</th><th>Created by</th><th>Permissions</th></tr></thead><tbody>';
  for (let i = 0; i < n; i++) {
    s += `<tr><td><span>service-${i}</span></td><td><code>sk-...${String(i).padStart(4, '0')}</code><button><span class="sr-only">Copy</span></button></td><td><span title="Mar 2, 2025">Mar 2, 2025</span></td><td>${i % 7 ? `Nov ${1 + (i % 20)}, 2026` : 'Never'}</td><td>Project ${i % 12}</td><td>Owner ${i % 40}</td><td>All</td></tr>`;
  }
  return `${s}</tbody></table></main></body></html>`;
}

function costCsv(n) {
  const head = 'start_time,end_time,start_time_iso,end_time_iso,amount_value,amount_currency,quantity,quantity_unit,line_item,user_id,api_key_id,project_id,organization_id,project_name,organization_name,user_email,api_source\n';
  const parts = [head];
  const day0 = 1_790_467_200;
  for (let i = 0; i < n; i++) {
    const day = day0 + 86_400 * (i % 60);
    parts.push(`${day},${day + 86_400},2026-09-27T00:00:00+00:00,2026-09-28T00:00:00+00:00,0.00${i % 1000}83598,usd,1000,tokens,"gpt-5-mini, input_tokens",user-${i % 40},key_${String(i % 500).padStart(5, '0')},proj_${i % 12},org-acme,Project ${i % 12},Acme,u${i % 40}@acme.test,\n`);
  }
  return parts.join('');
}

const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// 1. The popup on a 1,000-key page.
{
  writeFileSync(join(dir, 'keys.html'), keysPage(1000));
  const pagePath = '/settings/organization/api-keys';
  const ext = await launchExtension({});
  await ext.context.unroute('https://platform.openai.com/**');
  const html = keysPage(1000);
  await ext.context.route('https://platform.openai.com/**', (r) => r.fulfill({ status: 200, contentType: 'text/html', body: html }));
  const page = await ext.context.newPage();
  await page.goto(`https://platform.openai.com${pagePath}`);
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

// 2. www on a large cost export, and the CLI on the same file.
{
  const file = join(dir, 'cost.csv');
  writeFileSync(file, costCsv(ROWS));
  const mb = statSync(file).size / 1e6;
  const t0 = performance.now();
  execFileSync(join(ROOT, 'target/release/keyroster'), ['audit', '--as-of', '2026-11-22', '--format', 'json', file], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 30 });
  const cli = performance.now() - t0;
  const server = await serve(join(ROOT, 'dist/www'));
  const { browser, context } = await launchBrowser();
  const page = await context.newPage();
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]');
  const t1 = performance.now();
  await page.setInputFiles('#files', file);
  await page.waitForSelector('#report:not([hidden]) .cards', { timeout: 300_000 });
  const www = performance.now() - t1;
  const mem = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0);
  console.log(`www, cost export ${ROWS.toLocaleString()} rows (${mb.toFixed(0)} MB): ${(www / 1000).toFixed(2)} s; native CLI ${(cli / 1000).toFixed(2)} s; ratio ${(www / cli).toFixed(2)}x; page JS heap after ${(mem / 1e6).toFixed(0)} MB`);
  await browser.close();
  await server.close();
}
