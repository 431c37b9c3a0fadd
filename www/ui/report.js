// The report UI, shared by the static page (www) and the extension's report page. It renders what
// the core computed — summaries and pages of rows from the wasm Roster — and computes nothing.
//
// `api` is any object with these async methods (www talks to a Web Worker, the extension to the
// Roster directly): summary(maxFindings, keysPerOwner), keysPage(query), findings(offset, limit),
// exportBytes(kind), exportView(kind, query), fileName(stem, ext).

import { el, replace, download, MIME } from './dom.js';
import { summaryTab } from './tabs/summary.js';
import { keysTab, PAGE } from './tabs/keys.js';
import { findingsTab } from './tabs/findings.js';
import { ownersTab, projectsTab, sourcesTab } from './tabs/groups.js';

const TABS = ['Summary', 'Keys', 'Findings', 'Owners', 'Projects', 'Sources'];

export function mountReport(root, api) {
  const state = { tab: 'Summary', summary: null, query: { text: '', risk: '', owner: '', project: '', sort: 'risk', desc: false, offset: 0, limit: PAGE }, group: '' };
  const header = el('header', { class: 'report-head' });
  const tabs = el('nav', { class: 'tabs', role: 'tablist' });
  const body = el('section', { class: 'tab-body' });
  const status = el('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  replace(root, header, tabs, status, body);

  const say = (text) => { status.textContent = text; };
  // What every tab reads: the shared state, the core, where to draw and where to say what happened.
  const ctx = { state, api, body, say };

  async function save(kind, stem, ext, mime) {
    const bytes = await api.exportBytes(kind);
    download(bytes, await api.fileName(stem, ext), mime);
    say(`Downloaded ${stem || 'workbook'}.`);
  }

  const buttons = el('div', { class: 'actions' },
    el('button', { type: 'button', class: 'primary', onclick: () => save('keys.csv', 'keys', 'csv', MIME.csv) }, 'Export CSV'),
    el('button', { type: 'button', onclick: () => save('xlsx', '', 'xlsx', MIME.xlsx) }, 'Export Excel'),
    el('button', { type: 'button', onclick: async () => {
      for (const [kind, stem] of [['keys.csv', 'keys'], ['findings.csv', 'findings'], ['owners.csv', 'owners'], ['projects.csv', 'projects']]) {
        await save(kind, stem, 'csv', MIME.csv);
      }
      say('Downloaded keys, findings, owners and projects CSV files.');
    } }, 'Download all CSVs'),
    el('button', { type: 'button', onclick: () => save('report.json', 'report', 'json', MIME.json) }, 'Report JSON'),
  );

  function renderHeader() {
    const s = state.summary;
    const title = el('div', { class: 'title' },
      el('h2', {}, s.org ? `Key roster — ${s.org}` : 'Key roster'),
      el('p', { class: 'muted' }, `As of ${s.as_of ?? '—'} · policy ${s.policy} · ${s.summary.sources_read} inputs read${s.summary.sources_failed ? `, ${s.summary.sources_failed} unreadable` : ''}`));
    replace(header, title, buttons);
    replace(tabs, ...TABS.map((t) => el('button', {
      type: 'button', role: 'tab', 'aria-selected': String(t === state.tab), class: t === state.tab ? 'tab active' : 'tab',
      onclick: () => { state.tab = t; draw(); },
    }, t)));
  }

  async function draw() {
    if (!state.summary) return;
    renderHeader();
    const view = { Summary: summaryTab, Keys: keysTab, Findings: findingsTab, Owners: ownersTab, Projects: projectsTab, Sources: sourcesTab }[state.tab];
    replace(body, await view(ctx));
  }

  return {
    async refresh() {
      state.summary = await api.summary(5000, 0);
      await draw();
      return state.summary;
    },
  };
}
