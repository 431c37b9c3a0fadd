// The toolbar popup: read the active platform tab (or ?tab=ID), add it to the roster, show what
// was read and the roster's state, and offer the exports.

import { el, clipped, replace, download, MIME, SEVERITIES, chip, countChip, plural } from './ui/dom.js';
import { openRoster, saveRoster, clearRoster, withExports, pageSkeleton } from './roster.js';
import { coverageBlock } from './ui/tabs/coverage.js';
// The popup's own build of the core: reading pages and the summary, no export writer (see
// roster.js).
import * as core from './pkg-popup/keyroster.js';

// The tab's page and the compiled core, both begun by popup-start.js (a classic script that runs
// first).
const start = globalThis.popupStart;

const $ = (id) => document.getElementById(id);
const PAGES = [
  ['Organization API keys', 'https://platform.openai.com/settings/organization/api-keys'],
  ['Each project\u2019s API keys', 'https://platform.openai.com/settings/organization/projects'],
  ['Members', 'https://platform.openai.com/settings/organization/members'],
  ['Limits', 'https://platform.openai.com/settings/organization/limits'],
  ['Usage', 'https://platform.openai.com/usage'],
  ['Claude Console API keys', 'https://platform.claude.com/settings/keys'],
  ['Claude Console workspaces', 'https://platform.claude.com/settings/workspaces'],
  ['Claude Console members', 'https://platform.claude.com/settings/members'],
];

function pageHint(message) {
  const line = $('page');
  line.classList.add('error');
  const page = ([label, url]) =>
    el('li', {}, label, el('span', { class: 'muted' }, ` — ${url.replace('https://', '')}`));
  replace(line, message, el('ul', { class: 'hint' }, ...PAGES.map(page)));
}

/** Owners drawn before the first paint: the owner list's box (popup.css) has room for about
 * three; the rest follow just after it (the function `render` returns). */
const OWNERS_FIRST = 4;
/** Keys shown under each owner. */
const KEYS_PER_OWNER = 8;

/** Draws the roster; returns the function that draws the owners past the first few, which the
 * caller runs once the first paint is on screen (on a page of many owners, drawing them all was
 * a tenth of the popup's open). */
function render(roster, added) {
  const s = roster.summary(5, KEYS_PER_OWNER, OWNERS_FIRST);
  replace($('org'), s.org ?? '');
  if (added && !added.source.error) showAdded(added);
  const t = s.summary;
  const totals = $('totals');
  totals.hidden = false;
  const total = (n, noun) => el('div', {}, el('strong', {}, String(n)), noun);
  replace(totals, total(t.keys, 'keys'), total(t.owners, 'owners'), total(t.projects, 'projects'));
  // What the roster covers: "Read 4 of 6 keys listed; 1 more page to visit", and which pages.
  const coverage = coverageBlock(s.coverage, { compact: true });
  $('coverage').hidden = !coverage || t.keys === 0;
  replace($('coverage'), coverage);
  const f = $('findings');
  f.hidden = t.keys === 0 && s.findings.length === 0;
  const top = s.findings.filter((x) => !x.muted).slice(0, 5);
  replace(
    f,
    el('div', { class: 'sev-row' }, ...SEVERITIES.map((k) => countChip(k, t.findings[k]))),
    el('ol', { class: 'top-findings' }, ...top.map(topFinding)),
  );
  const owners = $('owners');
  owners.hidden = s.owners.length === 0;
  replace(owners, ...s.owners.slice(0, OWNERS_FIRST).map(owner));
  $('export-csv').disabled = $('export-xlsx').disabled = t.keys === 0;
  return () => {
    if (s.owners.length <= OWNERS_FIRST) return;
    owners.append(...roster.owners(OWNERS_FIRST, KEYS_PER_OWNER).map(owner));
  };
}

/** Resolves once the browser has painted what is drawn now (a frame, then a task after it), or
 * after 50 ms in a page that is not being painted. */
function afterPaint() {
  return new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
    setTimeout(resolve, 50);
  });
}

/** What reading this page added. */
function showAdded(added) {
  const n = added.keys_in_input;
  const records = plural(added.source.records, 'record');
  const keys = `Read ${plural(n, 'key')} from this page`;
  replace($('page'), n ? keys : `Read this page (${added.source.kind}): ${records}`);
  for (const w of added.source.warnings) $('page').append(el('div', { class: 'muted small' }, w));
}

/** One of the top findings; the core lists unmuted ones first, so a muted one only shows when
 * fewer are unmuted, and it says so. */
function topFinding(x) {
  const muted = x.muted ? el('span', { class: 'badge' }, ' muted') : null;
  const attrs = { class: x.muted ? 'muted-finding' : '' };
  return el('li', attrs, chip(x.severity), ' ', el('strong', {}, x.subject), ' — ', x.message, muted);
}

/** An owner with the first few of its keys. */
function owner(o) {
  const key = (k) =>
    el(
      'li',
      {},
      clipped('span', { class: 'key-name' }, k.label),
      ' ',
      el('span', { class: 'muted mono' }, k.redacted),
      ' ',
      k.project ? `· ${k.project} ` : '',
      chip(k.risk),
    );
  const more = o.keys - o.key_rows.length;
  const head = el(
    'div',
    { class: 'owner-head' },
    clipped('strong', { class: 'owner-name' }, o.label),
    el('span', { class: 'muted small owner-count' }, plural(o.keys, 'key')),
  );
  const rest = more > 0 ? el('li', { class: 'muted' }, `and ${more} more — Open report`) : null;
  const keys = el('ul', {}, ...o.key_rows.map(key), rest);
  return el('div', { class: 'owner', dataset: { owner: o.label } }, head, keys);
}

/** "Copy page structure": shown as a button when the page read as nothing, as a link otherwise.
 * The skeleton comes from the core (tags and value types, never the page's text or values). */
function offerStructure(page, readNothing) {
  const box = $('structure');
  box.hidden = false;
  box.classList.toggle('prominent', readNothing);
  $('structure-why').hidden = !readNothing;
  $('copy-structure').classList.toggle('primary', readNothing);
  $('copy-structure').addEventListener('click', async () => {
    const status = $('structure-status');
    try {
      // The skeleton is drawn from the page's HTML by the full module (the popup's has no
      // HTML parser), loaded on this first use.
      const skeleton = await pageSkeleton(page.url, new TextEncoder().encode(page.html));
      await navigator.clipboard.writeText(skeleton);
      status.textContent = ` Copied ${plural(skeleton.split('\n').length - 1, 'line')} of structure.`;
    } catch (e) {
      status.textContent = ` Could not copy: ${e?.message ?? e}`;
    }
  });
}

async function main() {
  // The tab is read while the core loads (both began in popup-start.js): neither waits for the
  // other.
  let roster;
  try {
    roster = await openRoster(core, undefined, await start.wasm, start.stored);
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
    page = await start.page;
    if (!page) throw new Error('no page');
    // The page's HTML, which the core reads when it is well-formed (a live page's serialization
    // is); else the page's DOM as the browser holds it, read from the tab now.
    added = roster.add_html(page.url, page.html, page.url, page.title);
    if (added === null) {
      page = await start.readDom();
      if (!page) throw new Error('no page');
      added = roster.add_dom(page.url, page.html, page.dom, page.url, page.title);
    }
  } catch {
    pageHint(
      'Key Roster reads platform.openai.com and Claude Console pages. Open one of these and click it again:',
    );
  }
  if (added?.source.error) {
    pageHint('Nothing to read on this page. Visit one of these and click Key Roster again:');
  }
  const drawRest = render(roster, added);
  const readNothing = !added || Boolean(added.source.error) || added.source.records === 0;
  if (page?.html) offerStructure(page, readNothing);
  // Time from the popup's navigation start to the report on screen (read by the benchmark).
  document.body.dataset.shownMs = String(Math.round(performance.now()));
  // The other owners, and saving the roster (its snapshot is wasm work on this thread, which
  // held the first paint back), wait for that paint; the popup stays "busy" until both are done.
  await afterPaint();
  drawRest();
  if (added && !added.source.error) {
    // Kept for the next page; the first paint does not wait for it, the popup's "busy" does.
    try {
      await saveRoster(roster);
    } catch (e) {
      // storage.session holds 10 MB; a roster past that is still shown and exportable now, but
      // the next page starts without it. Say so rather than pretend it was kept.
      const why = `This page was read but the roster could not be kept for the next page: ${e?.message ?? e}`;
      $('page').append(el('div', { class: 'save-error small' }, why));
    }
  }
  $('popup').setAttribute('aria-busy', 'false');

  // The exports come from the full module (the popup's own has no writer: it opens on every
  // click, and its size is budgeted), loaded when the user goes to export: the pointer on an
  // Export button, or the focus, starts it, so most of it is done by the time the click lands.
  let exporter = null;
  const exports = () => {
    if (!exporter) {
      exporter = withExports(roster);
      exporter.catch(() => { exporter = null; });
    }
    return exporter;
  };
  const save = async (kind, stem, ext, mime) => {
    try {
      const r = await exports();
      download(r.export(kind), r.file_name(stem, ext), mime);
    } catch (e) {
      $('page').append(el('div', { class: 'save-error small' }, `Could not export: ${e?.message ?? e}`));
    }
  };
  const exportButton = (id, click) => {
    const button = $(id);
    button.addEventListener('pointerenter', () => { if (!button.disabled) exports(); });
    button.addEventListener('focus', exports);
    button.addEventListener('click', click);
  };
  exportButton('export-csv', () => save('keys.csv', 'keys', 'csv', MIME.csv));
  exportButton('export-xlsx', () => save('xlsx', '', 'xlsx', MIME.xlsx));
  const openReport = () => chrome.tabs.create({ url: chrome.runtime.getURL('report.html') });
  $('open-report').addEventListener('click', openReport);
  $('clear').addEventListener('click', async () => {
    await clearRoster(roster);
    exporter = null;
    replace($('page'), 'Roster cleared.');
    render(roster, null)();
  });
}

main();
