// The Keys tab: one page of keys from the core, with filters, grouping, sorting and the
// filtered-view exports. Filtering and sorting happen in Rust (view.rs); this only draws.

import { el, replace, download, MIME, SEVERITIES, money, chip } from '../dom.js';

export const PAGE = 50;

export async function keysTab(ctx) {
  const { state, api, body, say } = ctx;
  const q = state.query;
  const s = state.summary;
  const page = await api.keysPage(q);
  const wrap = el('div', {});
  const refresh = async () => { q.offset = 0; replace(body, await keysTab(ctx)); };
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
    const g = state.group === 'owner' ? r.owner || '(unknown owner)' : state.group === 'project' ? r.project || '(no project)' : state.group === 'risk' ? r.risk : state.group === 'owner_type' ? r.owner_type.replace('_', ' ') : null;
    if (g !== null && g !== lastGroup) {
      rows.push(el('tr', { class: 'group-row' }, el('th', { colspan: cols.length, scope: 'rowgroup' }, g)));
      lastGroup = g;
    }
    rows.push(el('tr', { class: r.deleted ? 'deleted' : '' },
      el('td', {}, el('div', { class: 'key-name' }, r.name || '(unnamed)'), el('div', { class: 'mono muted small' }, r.redacted || r.id)),
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
    el('button', { type: 'button', disabled: q.offset === 0, onclick: async () => { q.offset = Math.max(0, q.offset - PAGE); replace(body, await keysTab(ctx)); } }, '‹ Previous'),
    el('span', {}, page.total ? `${q.offset + 1}–${q.offset + page.rows.length} of ${page.total} keys` : 'No keys match.'),
    el('button', { type: 'button', disabled: q.offset + PAGE >= page.total, onclick: async () => { q.offset += PAGE; replace(body, await keysTab(ctx)); } }, 'Next ›'));
  wrap.append(bar, el('div', { class: 'table-wrap' }, table), pager);
  return wrap;
}
