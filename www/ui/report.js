// The report UI, shared by the static page (www) and the extension's report page. It renders what
// the core computed — summaries and pages of rows from the wasm Roster — and computes nothing.
//
// `api` is any object with these async methods (www talks to a Web Worker, the extension to the
// Roster directly): summary(maxFindings, keysPerOwner), keysPage(query), findings(offset, limit),
// exportBytes(kind), exportView(kind, query), fileName(stem, ext).

import { el, svg, replace, download, MIME, SEVERITIES, money, chip, countChip, plural } from './dom.js';

const TABS = ['Summary', 'Keys', 'Findings', 'Owners', 'Projects', 'Sources'];
const PAGE = 50;

export function mountReport(root, api) {
  const state = { tab: 'Summary', summary: null, query: { text: '', risk: '', owner: '', project: '', sort: 'risk', desc: false, offset: 0, limit: PAGE }, group: '' };
  const header = el('header', { class: 'report-head' });
  const tabs = el('nav', { class: 'tabs', role: 'tablist' });
  const body = el('section', { class: 'tab-body' });
  const status = el('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  replace(root, header, tabs, status, body);

  const say = (text) => { status.textContent = text; };

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
    // One self-contained file rendered by the core (the same bytes as `keyroster audit --html`).
    el('button', { type: 'button', onclick: () => save('html', 'report', 'html', MIME.html) }, 'Export report (HTML)'),
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
    replace(body, await view());
  }

  // ---- Summary ----
  function summaryTab() {
    const s = state.summary;
    const t = s.summary;
    const cards = el('div', { class: 'cards' },
      card('Keys', t.keys, `${t.active_keys} active in the last ${t.active_days} days`),
      card('Owners', t.owners),
      card('Projects', t.projects),
      card('Members', t.members),
      card('Cost', money(t.cost_usd)),
      card('Findings', SEVERITIES.reduce((n, k) => n + t.findings[k], 0), t.muted ? `${t.muted} muted` : ''));
    const sev = el('div', { class: 'sev-row' }, ...SEVERITIES.map((k) => countChip(k, t.findings[k])));
    const parts = [cards, sev];
    if (s.comparison) parts.push(comparison(s.comparison));
    if (t.exposed_secrets) parts.push(el('p', { class: 'alert' }, `${t.exposed_secrets === 1 ? 'A full secret key was' : `${t.exposed_secrets} full secret keys were`} found in the inputs. Key Roster redacted ${t.exposed_secrets === 1 ? 'it' : 'them'} on reading and keeps no copy; see Findings, and rotate ${t.exposed_secrets === 1 ? 'it' : 'them'}.`));
    parts.push(...checkGaps(s.rules));
    parts.push(el('div', { class: 'charts' },
      barChart('Keys per owner', s.owners.slice(0, 12).map((o) => [o.label, o.keys])),
      barChart('Keys by age', s.age_buckets),
      barChart('Cost per project (USD)', s.projects.filter((p) => p.cost_usd).slice(0, 12).map((p) => [p.label, p.cost_usd]), money)));
    return el('div', {}, ...parts);
  }

  // Checks that could not run, or could not judge every key, say why (a missing input), so "no
  // findings" is never mistaken for "all clear".
  function checkGaps(rules) {
    const list = (title, rows, why) => rows.length
      ? [el('h3', {}, title), el('ul', { class: 'skipped' }, ...rows.map((r) => el('li', {}, el('code', {}, r.rule), ': ', why(r))))]
      : [];
    return [
      ...list('Checks that did not run', rules.filter((r) => r.enabled && !r.ran), (r) => r.reason),
      ...list('Checks that could not judge every key', rules.filter((r) => r.ran && r.note), (r) => r.note),
    ];
  }

  function card(label, value, note = '') {
    return el('div', { class: 'card' }, el('div', { class: 'card-value' }, String(value)), el('div', { class: 'card-label' }, label), note ? el('div', { class: 'muted small' }, note) : null);
  }

  function comparison(c) {
    return el('p', { class: 'compare' }, `Since ${c.previous_as_of ?? 'the previous audit'}: ${c.findings_new} new findings, ${c.findings_fixed.length} fixed, ${c.findings_open} still open; ${c.keys_added} keys added, ${c.keys_removed.length} removed.`);
  }

  function barChart(title, rows, fmt = String) {
    const fig = el('figure', { class: 'chart' }, el('figcaption', {}, title));
    if (!rows.length) { fig.append(el('p', { class: 'muted' }, 'No data.')); return fig; }
    const max = Math.max(...rows.map((r) => r[1]), 1);
    const rowH = 22, labelW = 150, barW = 220;
    const chart = svg('svg', { viewBox: `0 0 ${labelW + barW + 70} ${rows.length * rowH}`, role: 'img', 'aria-label': title, width: '100%' });
    rows.forEach(([label, v], i) => {
      const y = i * rowH;
      const text = String(label);
      chart.append(
        svg('text', { x: labelW - 6, y: y + 15, 'text-anchor': 'end', class: 'chart-label' }, text.length > 22 ? `${text.slice(0, 21)}…` : text),
        svg('rect', { x: labelW, y: y + 4, width: Math.max(1, (v / max) * barW), height: rowH - 8, class: 'chart-bar' }),
        svg('text', { x: labelW + (v / max) * barW + 6, y: y + 15, class: 'chart-value' }, fmt(v)));
    });
    fig.append(chart);
    return fig;
  }

  // ---- Keys ----
  async function keysTab() {
    const q = state.query;
    const s = state.summary;
    const page = await api.keysPage(q);
    const wrap = el('div', {});
    const refresh = async () => { q.offset = 0; replace(body, await keysTab()); };
    const select = (label, key, options) => el('label', {}, label, ' ', el('select', { 'aria-label': label, onchange: (e) => { q[key] = e.target.value; refresh(); } },
      el('option', { value: '' }, 'all'), ...options.map((o) => el('option', { value: o, selected: q[key] === o }, o))));
    const search = el('input', { type: 'search', placeholder: 'Filter by name, owner, project, key…', value: q.text, 'aria-label': 'Filter keys' });
    let timer;
    search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => { q.text = search.value; refresh().then(() => body.querySelector('input[type=search]')?.focus()); }, 200); });
    const groupSel = el('label', {}, 'Group by ', el('select', { 'aria-label': 'Group by', onchange: (e) => { state.group = e.target.value; q.sort = state.group || 'risk'; q.desc = false; refresh(); } },
      ...[['', 'none'], ['owner', 'owner'], ['project', 'project'], ['owner_type', 'owner type'], ['risk', 'risk']].map(([v, t]) => el('option', { value: v, selected: state.group === v }, t))));
    const bar = el('div', { class: 'filters' }, search,
      select('Risk', 'risk', [...SEVERITIES, 'none']),
      select('Owner', 'owner', s.owners.map((o) => o.label)),
      select('Project', 'project', s.projects.map((p) => p.label)),
      groupSel,
      el('button', { type: 'button', onclick: async () => { const b = await api.exportView('csv', q); download(b, await api.fileName('keys-view', 'csv'), MIME.csv); say(`Exported ${page.total} keys as shown.`); } }, 'Export view'),
      el('button', { type: 'button', onclick: async () => {
        const b = await api.exportView('tsv', q);
        await navigator.clipboard.writeText(new TextDecoder().decode(b));
        say(`Copied ${page.total} keys as tab-separated text: paste into a spreadsheet.`);
      } }, 'Copy as TSV'));
    const cols = [['name', 'Key'], ['owner', 'Owner'], ['project', 'Project'], ['kind', 'Kind'], ['created', 'Created'], ['last_used', 'Last used'], ['cost', 'Cost'], ['risk', 'Risk'], [null, 'Rules']];
    const head = el('tr', {}, ...cols.map(([key, label]) => {
      if (!key) return el('th', { scope: 'col' }, label);
      const active = q.sort === key;
      return el('th', { scope: 'col', 'aria-sort': active ? (q.desc ? 'descending' : 'ascending') : 'none' },
        el('button', { type: 'button', class: 'sort', onclick: () => { q.desc = active ? !q.desc : false; q.sort = key; refresh(); } }, label, active ? (q.desc ? ' ▼' : ' ▲') : ''));
    }));
    const rows = [];
    let lastGroup = null;
    for (const r of page.rows) {
      // Group labels are the core's (the same the Owner and Project filters list).
      const g = { owner: r.owner_label, project: r.project_label, risk: r.risk, owner_type: r.owner_type.replace('_', ' ') }[state.group] ?? null;
      if (g !== null && g !== lastGroup) {
        rows.push(el('tr', { class: 'group-row' }, el('th', { colspan: cols.length, scope: 'rowgroup' }, g)));
        lastGroup = g;
      }
      rows.push(el('tr', { class: r.deleted ? 'deleted' : '' },
        el('td', {}, el('div', { class: 'key-name' }, r.label), el('div', { class: 'mono muted small' }, r.redacted || r.id)),
        el('td', {}, r.owner || '—', r.owner_email && r.owner_email !== r.owner ? el('div', { class: 'muted small' }, r.owner_email) : null),
        el('td', {}, r.project || '—'),
        el('td', {}, r.kind.replace('_', ' ')),
        el('td', {}, r.created || '—'),
        el('td', {}, r.last_used),
        el('td', { class: 'num' }, money(r.cost_usd)),
        el('td', {}, chip(r.risk), r.change === 'added' ? el('span', { class: 'badge' }, 'new') : null),
        el('td', { class: 'small' }, r.rules.join(', '))));
    }
    const table = el('table', { class: 'keys' }, el('thead', {}, head), el('tbody', {}, ...rows));
    const pager = el('div', { class: 'pager' },
      el('button', { type: 'button', disabled: q.offset === 0, onclick: async () => { q.offset = Math.max(0, q.offset - PAGE); replace(body, await keysTab()); } }, '‹ Previous'),
      el('span', {}, page.total ? `${q.offset + 1}–${q.offset + page.rows.length} of ${page.total} keys` : 'No keys match.'),
      el('button', { type: 'button', disabled: q.offset + PAGE >= page.total, onclick: async () => { q.offset += PAGE; replace(body, await keysTab()); } }, 'Next ›'));
    wrap.append(bar, el('div', { class: 'table-wrap' }, table), pager);
    return wrap;
  }

  // ---- Findings ----
  async function findingsTab() {
    const all = await api.findings(0, 5000);
    const gaps = checkGaps(state.summary.rules);
    const notRun = gaps.length ? el('div', { class: 'not-run' }, ...gaps) : null;
    if (!all.length) return el('div', {}, el('p', {}, 'No findings.'), notRun);
    return el('div', {}, el('ol', { class: 'findings' }, ...all.map((f) => el('li', { class: f.muted ? 'muted-finding' : '' },
      el('div', { class: 'finding-head' }, chip(f.severity), ' ', el('code', {}, f.rule), ' ', el('strong', {}, f.subject),
        f.muted ? el('span', { class: 'badge' }, `muted${f.muted.until ? ` until ${f.muted.until}` : ''}`) : null,
        f.change ? el('span', { class: `badge change-${f.change}` }, f.change === 'open' ? 'still open' : f.change) : null),
      el('p', {}, f.message),
      f.muted ? el('p', { class: 'muted small' }, `Muted: ${f.muted.reason}`) : el('p', { class: 'remedy' }, f.remediation)))), notRun);
  }

  // ---- Owners / Projects / Sources ----
  function groupTable(rows, first, detailLabel) {
    return el('table', {}, el('thead', {}, el('tr', {}, ...[first, detailLabel, 'Keys', 'Active', 'Last used', 'Cost', 'Findings'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...rows.map((g) => el('tr', {},
        el('td', {}, g.label, g.owner_type ? el('div', { class: 'muted small' }, g.owner_type.replace('_', ' ')) : null),
        el('td', {}, g.detail || ''),
        el('td', { class: 'num' }, String(g.keys)),
        el('td', { class: 'num' }, String(g.active_keys)),
        el('td', {}, g.last_used ?? 'unknown'),
        el('td', { class: 'num' }, money(g.cost_usd)),
        el('td', {}, ...SEVERITIES.filter((k) => g.findings[k]).map((k) => chip(k, `${g.findings[k]} ${k}`)))))));
  }
  const ownersTab = () => groupTable(state.summary.owners, 'Owner', 'Email');
  const projectsTab = () => groupTable(state.summary.projects, 'Project', 'Project ID');
  function sourcesTab() {
    return el('ul', { class: 'sources' }, ...state.summary.sources.map((s) => el('li', { class: s.error ? 'error' : '' },
      el('strong', {}, s.name), ' — ', s.error ? s.error : `${s.kind}, ${plural(s.records, 'record')}`,
      s.warnings.length ? el('ul', {}, ...s.warnings.map((w) => el('li', { class: 'muted small' }, w))) : null)));
  }

  return {
    async refresh() {
      state.summary = await api.summary(5000, 0);
      await draw();
      return state.summary;
    },
  };
}
