// The report UI, shared by the static page (www) and the extension's report page. It renders what
// the core computed — summaries and pages of rows from the wasm Roster — and computes nothing.
//
// `api` is any object with these async methods (www talks to a Web Worker, the extension to the
// Roster directly): summary(maxFindings, keysPerOwner), keysPage(query), findings(offset, limit),
// exportBytes(kind), exportView(kind, query), fileName(stem, ext), keyDetails(idOrIndex), matrix().
//
// The tabs follow the ARIA tabs pattern (one tab in the Tab order, arrows/Home/End move between
// them); `#key=<id or index>` in the address opens that key's details once the report has keys.

import { el, replace, download, MIME } from './dom.js';
import { summaryTab } from './tabs/summary.js';
import { keysTab, PAGE } from './tabs/keys.js';
import { findingsTab } from './tabs/findings.js';
import { ownersTab, projectsTab, sourcesTab, matrixTab } from './tabs/groups.js';
import { keyDetailsPanel } from './key-details.js';

const VIEWS = {
  Summary: summaryTab,
  Keys: keysTab,
  Findings: findingsTab,
  Owners: ownersTab,
  Projects: projectsTab,
  Matrix: matrixTab,
  Sources: sourcesTab,
};
const TABS = Object.keys(VIEWS);

export function mountReport(root, api) {
  // The Keys tab's query, as the core's view::Query reads it ('' is "all").
  const query = { text: '', risk: '', owner: '', project: '', sort: 'risk', desc: false, offset: 0 };
  const state = { tab: 'Summary', summary: null, query: { ...query, limit: PAGE }, group: '' };
  const header = el('header', { class: 'report-head' });
  const tabs = el('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Report views' });
  const body = el('section', { class: 'tab-body', id: 'report-panel', role: 'tabpanel', tabindex: '0' });
  const status = el('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  replace(root, header, tabs, status, body);

  const say = (text) => { status.textContent = text; };
  const openKey = keyDetailsPanel(root, api);
  // What every tab reads: the shared state, the core, where to draw and where to say what happened,
  // and how to open a key's details.
  const ctx = { state, api, body, say, openKey };

  async function save(kind, stem, ext, mime) {
    const bytes = await api.exportBytes(kind);
    download(bytes, await api.fileName(stem, ext), mime);
    say(`Downloaded ${stem || 'workbook'}.`);
  }

  const saveAllCsv = async () => {
    const stems = ['keys', 'findings', 'owners', 'projects'];
    if (state.summary?.unlisted_keys?.length) stems.push('unlisted-keys');
    for (const stem of stems) {
      await save(`${stem}.csv`, stem, 'csv', MIME.csv);
    }
    say(`Downloaded ${stems.join(', ')} CSV files.`);
  };
  const button = (label, onclick, attrs = {}) => el('button', { type: 'button', onclick, ...attrs }, label);
  const buttons = el(
    'div',
    { class: 'actions' },
    button('Export CSV', () => save('keys.csv', 'keys', 'csv', MIME.csv), { class: 'primary' }),
    button('Export Excel', () => save('xlsx', '', 'xlsx', MIME.xlsx)),
    button('Download all CSVs', saveAllCsv),
    button('Report JSON', () => save('report.json', 'report', 'json', MIME.json)),
    // One self-contained file rendered by the core (the same bytes as `keyroster audit --html`).
    button('Export report (HTML)', () => save('html', 'report', 'html', MIME.html)),
  );

  function renderHeader() {
    const s = state.summary;
    const unreadable = s.summary.sources_failed ? `, ${s.summary.sources_failed} unreadable` : '';
    const read = `${s.summary.sources_read} inputs read${unreadable}`;
    const title = el(
      'div',
      { class: 'title' },
      el('h2', {}, s.org ? `Key roster — ${s.org}` : 'Key roster'),
      el('p', { class: 'muted' }, `As of ${s.as_of ?? '—'} · policy ${s.policy} · ${read}`),
    );
    replace(header, title, buttons);
    const tab = (t) => {
      const selected = t === state.tab;
      const attrs = {
        type: 'button',
        role: 'tab',
        id: `tab-${t}`,
        'aria-selected': String(selected),
        'aria-controls': 'report-panel',
        tabindex: selected ? '0' : '-1',
        onclick: () => show(t),
      };
      return el('button', { ...attrs, class: selected ? 'tab active' : 'tab' }, t);
    };
    replace(tabs, ...TABS.map(tab));
    body.setAttribute('aria-labelledby', `tab-${state.tab}`);
  }

  async function show(t, focus = false) {
    state.tab = t;
    await draw(focus);
  }

  // Arrow keys move to the previous/next tab (wrapping), Home/End to the first/last, and the tab
  // moved to is shown at once (automatic activation).
  tabs.addEventListener('keydown', (e) => {
    const at = TABS.indexOf(state.tab);
    const moves = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: TABS.length - 1 };
    if (!(e.key in moves)) return;
    e.preventDefault();
    show(TABS[(moves[e.key] + TABS.length) % TABS.length], true);
  });

  // `focusTab`: the keyboard moved to a tab; it has the focus at once, before its view is drawn.
  async function draw(focusTab = false) {
    if (!state.summary) return;
    renderHeader();
    if (focusTab) tabs.querySelector(`#tab-${state.tab}`)?.focus();
    replace(body, await VIEWS[state.tab](ctx));
  }

  async function openFromAddress() {
    const m = /^#key=(.+)$/.exec(location.hash);
    if (m && state.summary?.summary.keys) await openKey(decodeURIComponent(m[1]));
  }
  window.addEventListener('hashchange', openFromAddress);

  return {
    async refresh() {
      // No findings in the summary: the Findings tab pages them (api.findings) and every view
      // here reads counts, so a report of thousands of findings does not cross twice.
      state.summary = await api.summary(0, 0);
      await draw();
      await openFromAddress();
      return state.summary;
    },
  };
}
