// Browser benchmark (make bench): prints numbers, asserts nothing about time.
//  1. popup: a generated 1,000-key org API keys page served as platform.openai.com; time from
//     opening the popup to the report shown (aria-busy false), cold (first open) and warm.
//  2. www: a generated usage CSV (default 200,000 rows, BENCH_ROWS to change); time from
//     setInputFiles to the report shown, and the keys page plus the CSV export after it.

import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DIST, PLATFORM, launchExtension, launchBrowser, serve,
} from '../e2e/lib.mjs';

const KEYS = Number(process.env.BENCH_KEYS ?? 1000);
const ROWS = Number(process.env.BENCH_ROWS ?? 200_000);
const OWNERS = ['Priya Natarajan', 'Marcus Bell', 'Lena Fischer', 'Sam Kowalski', 'Ada Okafor', 'Chen Wei', 'Dana Ruiz', 'Frank Li'];
const PROJECTS = ['Payments', 'Support', 'Data Pipeline', 'Research', 'Mobile App', 'Default project'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const suffix = (i) => i.toString(36).padStart(4, '0').slice(-4);
const shown = (d) => `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;

function keysPage(n) {
  const rows = [];
  for (let i = 0; i < n; i++) {
    const created = new Date(Date.UTC(2024, 0, 1) + (i * 37 % 1000) * 86_400_000);
    const used = i % 5 === 0 ? null : new Date(Date.UTC(2026, 10, 21) - (i * 13 % 400) * 86_400_000);
    rows.push(`<tr><td><div class="key-name"><span>service-${i}</span></div></td>`
      + `<td><div class="key-value"><code>sk-proj-...${suffix(i)}</code><button class="copy-btn" type="button"><span class="sr-only">Copy</span></button></div></td>`
      + `<td><span title="${created.toISOString()}">${shown(created)}</span></td>`
      + `<td>${used ? `<span title="${used.toISOString()}">${shown(used)}</span>` : '<span>Never</span>'}</td>`
      + `<td><span class="project-pill">${PROJECTS[i % PROJECTS.length]}</span></td>`
      + `<td><div class="user-cell"><span class="user-name">${OWNERS[i % OWNERS.length]}</span></div></td>`
      + `<td><span>${i % 3 ? 'All' : 'Restricted'}</span></td><td><button aria-label="Revoke key"></button></td></tr>`);
  }
  return `<!DOCTYPE html><html><head><title>API keys - OpenAI API</title></head><body><div id="root">
<div class="org-switcher"><button aria-label="Select organization"><span>Bench Org</span></button></div>
<main><h1>API keys</h1><table><thead><tr><th>Name</th><th>Secret key</th><th>Created</th><th>Last used</th><th>Project</th><th>Created by</th><th>Permissions</th><th><span class="sr-only">Actions</span></th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></main></div></body></html>`;
}

function usageCsv(rows) {
  const out = ['date,project_id,project_name,api_key_id,api_key_name,model,num_model_requests,input_tokens,output_tokens'];
  for (let i = 0; i < rows; i++) {
    const day = new Date(Date.UTC(2026, 9, 1) + (i % 30) * 86_400_000).toISOString().slice(0, 10);
    const k = i % 500;
    const p = k % PROJECTS.length;
    out.push(`${day},proj_${p},${PROJECTS[p]},key_${k},service-${k},${i % 2 ? 'gpt-5' : 'gpt-5-nano'},${(i % 97) + 1},${(i % 1000) * 40},${(i % 300) * 10}`);
  }
  return out.join('\n') + '\n';
}

const ms = (t) => `${(performance.now() - t).toFixed(0)} ms`;

async function benchPopup() {
  const ext = await launchExtension();
  const html = keysPage(KEYS);
  await ext.context.route(`${PLATFORM}/**`, (r) => r.fulfill({ status: 200, contentType: 'text/html', body: html }));
  const tab = await ext.context.newPage();
  const url = `${PLATFORM}/settings/organization/api-keys`;
  await tab.goto(url);
  const tabId = await ext.worker.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id, url);
  for (const label of ['cold', 'warm', 'warm']) {
    const popup = await ext.context.newPage();
    const t = performance.now();
    await popup.goto(`chrome-extension://${ext.id}/popup.html?tab=${tabId}`);
    await popup.waitForSelector('#popup[aria-busy="false"]');
    const took = ms(t);
    const read = await popup.textContent('#page');
    console.log(`popup, ${KEYS}-key page (${(html.length / 1024).toFixed(0)} KiB), ${label}: ${took} — "${read}"`);
    await popup.close();
  }
  await ext.context.close();
}

async function benchWww() {
  const dir = await mkdtemp(path.join(tmpdir(), 'keyroster-bench-'));
  const file = path.join(dir, `usage-${ROWS}.csv`);
  const csv = usageCsv(ROWS);
  await writeFile(file, csv);
  const server = await serve(path.join(DIST, 'www'));
  const { browser, context } = await launchBrowser();
  try {
    const page = await context.newPage();
    await page.goto(`${server.origin}/`);
    await page.waitForSelector('body[data-ready="true"]');
    let t = performance.now();
    await page.setInputFiles('#files', file);
    await page.waitForSelector('#file-status > li');
    await page.waitForSelector('#report:not([hidden]) .cards');
    console.log(`www, usage CSV ${ROWS} rows (${(csv.length / 1048576).toFixed(1)} MiB): read + analyzed + shown in ${ms(t)}`);
    console.log(`    ${await page.textContent('#file-status > li')}`);
    t = performance.now();
    await page.click('nav.tabs button:has-text("Keys")');
    await page.waitForSelector('table.keys tbody', { state: 'attached' });
    console.log(`www, keys tab (first page): ${ms(t)}`);
    t = performance.now();
    await Promise.all([page.waitForEvent('download'), page.click('.report-head button:has-text("Export Excel")')]);
    console.log(`www, Excel export: ${ms(t)}`);
  } finally {
    await browser.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await benchPopup();
await benchWww();
