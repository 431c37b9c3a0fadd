// The Keys tab: one page of keys from the core, with filters, grouping, sorting and the
// filtered-view exports. Filtering and sorting happen in Rust (view.rs); this only draws.

import { el, clipped, replace, download, MIME, SEVERITIES, money, chip } from '../dom.js';
import { unlistedSection } from './coverage.js';

export const PAGE = 50;

const COLUMNS = [
  ['name', 'Key'],
  ['owner', 'Owner'],
  ['project', 'Project'],
  ['kind', 'Kind'],
  ['created', 'Created'],
  ['last_used', 'Last used'],
  ['cost', 'Cost'],
  ['risk', 'Risk'],
  [null, 'Rules'],
];

const GROUP_CHOICES = [
  ['', 'none'],
  ['owner', 'owner'],
  ['project', 'project'],
  ['owner_type', 'owner type'],
  ['risk', 'risk'],
  ['provider', 'provider'],
];

// The heading a row falls under, by the "Group by" choice (the page is sorted by the same field).
// Owner and project labels are the core's (the same the Owner and Project filters list).
const GROUP_OF = {
  owner: (r) => r.owner_label,
  project: (r) => r.project_label,
  owner_type: (r) => r.owner_type.replace('_', ' '),
  risk: (r) => r.risk,
  provider: (r) => r.provider_label,
};

export async function keysTab(ctx) {
  const { state, api, body } = ctx;
  const q = state.query;
  const page = await api.keysPage(q);
  const redraw = async () => replace(body, await keysTab(ctx));
  const refresh = async () => {
    q.offset = 0;
    await redraw();
  };
  const table = el(
    'table',
    { class: 'keys' },
    el('thead', {}, headRow(q, refresh, body)),
    el('tbody', {}, ...bodyRows(page.rows, state.group, ctx.openKey)),
  );
  return el(
    'div',
    {},
    filterBar(ctx, page, refresh),
    el('div', { class: 'table-wrap' }, table),
    pager(q, page, redraw),
    // The unlisted keys the core selects for this view (its Provider filter), and the same ones
    // downloaded.
    unlistedSection(page.unlisted, async () => {
      const name = await api.fileName('unlisted-keys', 'csv');
      download(await api.exportView('unlisted.csv', q), name, MIME.csv);
      ctx.say('Downloaded the unlisted keys CSV.');
    }),
  );
}

function filterBar({ state, api, body, say }, page, refresh) {
  const q = state.query;
  const select = (label, key, options) =>
    el(
      'label',
      {},
      label,
      ' ',
      el(
        'select',
        { 'aria-label': label, onchange: (e) => { q[key] = e.target.value; refresh(); } },
        el('option', { value: '' }, 'all'),
        ...options.map((o) => el('option', { value: o, selected: q[key] === o }, o)),
      ),
    );
  const search = el('input', {
    type: 'search',
    placeholder: 'Filter by name, owner, project, key…',
    value: q.text,
    'aria-label': 'Filter keys',
  });
  let timer;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      q.text = search.value;
      await refresh();
      body.querySelector('input[type=search]')?.focus();
    }, 200);
  });
  const groupBy = (e) => {
    state.group = e.target.value;
    q.sort = state.group || 'risk';
    q.desc = false;
    refresh();
  };
  const groupSel = el(
    'label',
    {},
    'Group by ',
    el(
      'select',
      { 'aria-label': 'Group by', onchange: groupBy },
      ...GROUP_CHOICES.map(([v, t]) => el('option', { value: v, selected: state.group === v }, t)),
    ),
  );
  const exportView = async () => {
    const bytes = await api.exportView('csv', q);
    download(bytes, await api.fileName('keys-view', 'csv'), MIME.csv);
    say(`Exported ${page.total} keys as shown.`);
  };
  const copyTsv = async () => {
    const bytes = await api.exportView('tsv', q);
    await navigator.clipboard.writeText(new TextDecoder().decode(bytes));
    say(`Copied ${page.total} keys as tab-separated text: paste into a spreadsheet.`);
  };
  const s = state.summary;
  return el(
    'div',
    { class: 'filters' },
    search,
    select('Risk', 'risk', [...SEVERITIES, 'none']),
    select('Owner', 'owner', s.owners.map((o) => o.label)),
    select('Project', 'project', s.projects.map((p) => p.label)),
    providerSelect(q, s.summary.providers ?? [], refresh),
    groupSel,
    el('button', { type: 'button', onclick: exportView }, 'Export view'),
    el('button', { type: 'button', onclick: copyTsv }, 'Copy as TSV'),
  );
}

// Only when the roster holds more than one platform's keys (the core's per-provider totals).
function providerSelect(q, providers, refresh) {
  if (!providers.length) return null;
  const onchange = (e) => {
    q.provider = e.target.value;
    refresh();
  };
  return el(
    'label',
    {},
    'Provider ',
    el(
      'select',
      { 'aria-label': 'Provider', onchange },
      el('option', { value: '' }, 'all'),
      ...providers.map((p) =>
        el('option', { value: p.provider, selected: q.provider === p.provider }, p.label)),
    ),
  );
}

// Sorting redraws the table: the header pressed keeps the focus, so a keyboard can sort again.
function headRow(q, refresh, body) {
  return el(
    'tr',
    {},
    ...COLUMNS.map(([key, label]) => {
      if (!key) return el('th', { scope: 'col' }, label);
      const active = q.sort === key;
      let ariaSort = 'none';
      let arrow = '';
      if (active) {
        ariaSort = q.desc ? 'descending' : 'ascending';
        arrow = q.desc ? ' ▼' : ' ▲';
      }
      const sortBy = async () => {
        q.desc = active ? !q.desc : false;
        q.sort = key;
        await refresh();
        body.querySelector(`th[data-sort="${key}"] button`)?.focus();
      };
      return el(
        'th',
        { scope: 'col', 'aria-sort': ariaSort, dataset: { sort: key } },
        el('button', { type: 'button', class: 'sort', onclick: sortBy }, label, arrow),
      );
    }),
  );
}

function bodyRows(keys, group, openKey) {
  const heading = GROUP_OF[group];
  const rows = [];
  let lastGroup = null;
  for (const r of keys) {
    const g = heading ? heading(r) : null;
    if (g !== null && g !== lastGroup) {
      const th = el('th', { colspan: COLUMNS.length, scope: 'rowgroup' }, g);
      rows.push(el('tr', { class: 'group-row' }, th));
      lastGroup = g;
    }
    rows.push(keyRow(r, openKey));
  }
  return rows;
}

// The key's name is a button (Tab reaches it, Enter opens the details); a click anywhere on the
// row opens them too.
function keyRow(r, openKey) {
  const email = r.owner_email && r.owner_email !== r.owner;
  const emailLine = email ? clipped('div', { class: 'muted small' }, r.owner_email) : null;
  const attrs = { type: 'button', class: 'key-name link', onclick: () => openKey(r.index) };
  const open = clipped('button', attrs, r.label);
  const onRow = (e) => {
    if (!e.target.closest('button, a, input, select')) openKey(r.index);
  };
  return el(
    'tr',
    { class: r.deleted ? 'key-row deleted' : 'key-row', onclick: onRow },
    el(
      'td',
      {},
      open,
      el('div', { class: 'mono muted small' }, r.redacted || r.id),
    ),
    el('td', {}, clipped('span', {}, r.owner || '—'), emailLine),
    el('td', {}, r.project || '—', scopeNote(r)),
    el('td', {}, r.kind.replace('_', ' ')),
    el('td', {}, r.created || '—'),
    el('td', {}, lastUse(r)),
    el('td', { class: 'num' }, money(r.cost_usd)),
    el(
      'td',
      {},
      chip(r.risk),
      r.change === 'added' ? el('span', { class: 'badge' }, 'new') : null,
      OFF.includes(r.status) ? el('span', { class: 'badge' }, r.status) : null,
    ),
    el('td', { class: 'small' }, r.rules.join(', ')),
  );
}

// A platform that lists no last use (Anthropic): what a usage report read beside it saw.
function lastUse(r) {
  if (!r.last_seen) return r.last_used;
  return r.last_seen === 'not seen' ? 'not seen in usage' : `seen ${r.last_seen}`;
}

// Keys the platform lists as switched off: shown, not judged.
const OFF = ['inactive', 'archived'];

// Under a scope that is not a project (Anthropic's workspaces), the word a person reads.
function scopeNote(r) {
  if (!r.project || r.scope_title === 'Project') return null;
  return el('div', { class: 'muted small' }, r.scope_title.toLowerCase());
}

function pager(q, page, redraw) {
  const previous = async () => {
    q.offset = Math.max(0, q.offset - PAGE);
    await redraw();
  };
  const next = async () => {
    q.offset += PAGE;
    await redraw();
  };
  const shown = page.total
    ? `${q.offset + 1}–${q.offset + page.rows.length} of ${page.total} keys`
    : 'No keys match.';
  return el(
    'div',
    { class: 'pager' },
    el('button', { type: 'button', disabled: q.offset === 0, onclick: previous }, '‹ Previous'),
    el('span', {}, shown),
    el('button', { type: 'button', disabled: q.offset + PAGE >= page.total, onclick: next }, 'Next ›'),
  );
}
