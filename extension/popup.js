// The toolbar popup: read the active platform tab (or ?tab=ID), add it to the roster, show what
// was read and the roster's state, and offer the exports.

import { el, replace, download, MIME, SEVERITIES, chip, countChip, plural } from './ui/dom.js';
import { openRoster, saveRoster, clearRoster } from './roster.js';

const $ = (id) => document.getElementById(id);
const PAGES = [
  ['Organization API keys', 'https://platform.openai.com/settings/organization/api-keys'],
  ['Each project\u2019s API keys', 'https://platform.openai.com/settings/organization/projects'],
  ['Members', 'https://platform.openai.com/settings/organization/members'],
  ['Limits', 'https://platform.openai.com/settings/organization/limits'],
  ['Usage', 'https://platform.openai.com/usage'],
];

async function targetTab() {
  const given = new URLSearchParams(location.search).get('tab');
  if (given) return Number(given);
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

/** The page's HTML as the browser has it now (the SPA's rendered DOM), its URL and title. */
async function readTab(tabId) {
  const [result] = await chrome.scripting.executeScript({
    target: { tabId },
    func: () => ({ html: document.documentElement.outerHTML, url: location.href, title: document.title }),
  });
  return result?.result;
}

function pageHint(message) {
  const line = $('page');
  line.classList.add('error');
  replace(line, message, el('ul', { class: 'hint' }, ...PAGES.map(([label, url]) => el('li', {}, label, el('span', { class: 'muted' }, ` — ${url.replace('https://', '')}`)))));
}

function render(roster, added) {
  const s = roster.summary(5, 8);
  replace($('org'), s.org ?? '');
  if (added && !added.source.error) {
    const n = added.keys_in_input;
    replace($('page'), n ? `Read ${plural(n, 'key')} from this page` : `Read this page (${added.source.kind}): ${plural(added.source.records, 'record')}`);
    for (const w of added.source.warnings) $('page').append(el('div', { class: 'muted small' }, w));
  }
  const t = s.summary;
  const totals = $('totals');
  totals.hidden = false;
  replace(totals,
    el('div', {}, el('strong', {}, String(t.keys)), 'keys'),
    el('div', {}, el('strong', {}, String(t.owners)), 'owners'),
    el('div', {}, el('strong', {}, String(t.projects)), 'projects'));
  const f = $('findings');
  f.hidden = t.keys === 0 && s.findings.length === 0;
  replace(f,
    el('div', { class: 'sev-row' }, ...SEVERITIES.map((k) => countChip(k, t.findings[k]))),
    // The core lists unmuted findings first; a muted one only shows when fewer are unmuted.
    el('ol', { class: 'top-findings' }, ...s.findings.map((x) =>
      el('li', { class: x.muted ? 'muted-finding' : '' }, chip(x.severity), ' ', el('strong', {}, x.subject), ' — ', x.message,
        x.muted ? el('span', { class: 'badge' }, ' muted') : null))));
  const owners = $('owners');
  owners.hidden = s.owners.length === 0;
  replace(owners, ...s.owners.map((o) => el('div', { class: 'owner', dataset: { owner: o.label } },
    el('div', { class: 'owner-head' }, el('strong', { class: 'owner-name' }, o.label), el('span', { class: 'muted small owner-count' }, plural(o.keys, 'key'))),
    el('ul', {}, ...o.key_rows.map((k) => el('li', {}, el('span', { class: 'key-name' }, k.label), ' ',
      el('span', { class: 'muted mono' }, k.redacted), ' ', k.project ? `· ${k.project} ` : '', chip(k.risk))),
      o.keys > o.key_rows.length ? el('li', { class: 'muted' }, `and ${o.keys - o.key_rows.length} more — Open report`) : null))));
  $('export-csv').disabled = $('export-xlsx').disabled = t.keys === 0;
}

/** "Copy page structure": shown as a button when the page read as nothing, as a link otherwise.
 * The skeleton comes from the core (tags and value types, never the page's text or values). */
function offerStructure(roster, page, readNothing) {
  const box = $('structure');
  box.hidden = false;
  box.classList.toggle('prominent', readNothing);
  $('structure-why').hidden = !readNothing;
  $('copy-structure').classList.toggle('primary', readNothing);
  $('copy-structure').addEventListener('click', async () => {
    const status = $('structure-status');
    try {
      const skeleton = roster.page_skeleton(page.url, new TextEncoder().encode(page.html));
      await navigator.clipboard.writeText(skeleton);
      status.textContent = ` Copied ${plural(skeleton.split('\n').length - 1, 'line')} of structure.`;
    } catch (e) {
      status.textContent = ` Could not copy: ${e?.message ?? e}`;
    }
  });
}

async function main() {
  let roster;
  try {
    roster = await openRoster();
  } catch (e) {
    // The core could not load (a broken build, or a browser without WebAssembly): say so
    // instead of showing "Reading this page…" forever.
    const line = $('page');
    line.classList.add('error');
    line.textContent = `Key Roster could not start: ${e?.message ?? e}`;
    $('popup').setAttribute('aria-busy', 'false');
    return;
  }
  let added = null;
  let page = null;
  try {
    const tabId = await targetTab();
    page = tabId !== undefined ? await readTab(tabId) : null;
    if (!page) throw new Error('no page');
    added = roster.add_input(page.url, new TextEncoder().encode(page.html), page.url, page.title);
  } catch {
    pageHint('Key Roster reads platform.openai.com pages. Open one of these and click it again:');
  }
  let saveError = null;
  if (added?.source.error) {
    pageHint('Nothing to read on this page. Visit one of these and click Key Roster again:');
  } else if (added) {
    try {
      await saveRoster(roster);
    } catch (e) {
      // storage.session holds 10 MB; a roster past that is still shown and exportable now, but
      // the next page starts without it. Say so rather than pretend it was kept.
      saveError = `This page was read but the roster could not be kept for the next page: ${e?.message ?? e}`;
    }
  }
  render(roster, added);
  if (page?.html) offerStructure(roster, page, !added || Boolean(added.source.error) || added.source.records === 0);
  if (saveError) $('page').append(el('div', { class: 'save-error small' }, saveError));
  $('popup').setAttribute('aria-busy', 'false');
  // Time from the popup's navigation start to the report on screen (read by the benchmark).
  document.body.dataset.shownMs = String(Math.round(performance.now()));

  $('export-csv').addEventListener('click', () => download(roster.export('keys.csv'), roster.file_name('keys', 'csv'), MIME.csv));
  $('export-xlsx').addEventListener('click', () => download(roster.export('xlsx'), roster.file_name('', 'xlsx'), MIME.xlsx));
  $('open-report').addEventListener('click', () => chrome.tabs.create({ url: chrome.runtime.getURL('report.html') }));
  $('clear').addEventListener('click', async () => {
    await clearRoster(roster);
    replace($('page'), 'Roster cleared.');
    render(roster, null);
  });
}

main();
