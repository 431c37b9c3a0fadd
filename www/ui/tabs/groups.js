// The Owners, Projects, Matrix and Sources tabs: the core's group rows, matrix and inputs read.

import { el, chip, money, plural, SEVERITIES } from '../dom.js';

const GROUP_HEADERS = ['Keys', 'Active', 'Last used', 'Cost', 'Findings'];

function groupTable(rows, first, detailLabel) {
  const headers = [first, detailLabel, ...GROUP_HEADERS].map((h) => el('th', { scope: 'col' }, h));
  return el('table', {}, el('thead', {}, el('tr', {}, ...headers)), el('tbody', {}, ...rows.map(groupRow)));
}

function groupRow(g) {
  const ownerType = g.owner_type ? el('div', { class: 'muted small' }, g.owner_type.replace('_', ' ')) : null;
  // Owner groups: org and project roles, and membership with the input that says so (roles.rs).
  const roles = g.roles ? el('div', { class: 'muted small roles' }, rolesLine(g.roles)) : null;
  const counts = SEVERITIES.filter((k) => g.findings[k]).map((k) => chip(k, `${g.findings[k]} ${k}`));
  return el(
    'tr',
    {},
    el('td', {}, g.label, ownerType, roles),
    el('td', {}, g.detail || ''),
    el('td', { class: 'num' }, String(g.keys)),
    el('td', { class: 'num' }, String(g.active_keys)),
    el('td', {}, g.last_used ?? 'unknown'),
    el('td', { class: 'num' }, money(g.cost_usd)),
    el('td', {}, ...counts),
  );
}

function rolesLine(r) {
  const parts = [];
  if (r.org_role) parts.push(`org ${r.org_role}`);
  parts.push(...r.project_roles);
  parts.push(r.source ? `${r.membership} (${r.source})` : r.membership);
  return parts.join(' · ');
}

export const ownersTab = ({ state }) => groupTable(state.summary.owners, 'Owner', 'Email');
export const projectsTab = ({ state }) => groupTable(state.summary.projects, 'Project', 'Project ID');

/** Owners as rows, projects as columns: each cell the core's key count and worst risk. */
export async function matrixTab({ api }) {
  const m = await api.matrix();
  const head = el(
    'tr',
    {},
    el('th', { scope: 'col' }, 'Owner ↓ · Project →'),
    ...m.projects.map((p) => el('th', { scope: 'col' }, p)),
  );
  const cell = (n, worst) => {
    if (!n) return el('td', { class: 'num empty' }, el('span', { class: 'muted' }, '·'));
    return el('td', { class: 'num' }, String(n), ' ', worst ? chip(worst) : null);
  };
  const rows = m.owners.map((o, i) =>
    el('tr', {}, el('th', { scope: 'row' }, o), ...m.cells[i].map((n, j) => cell(n, m.worst[i][j]))));
  const what = 'Keys per owner and project, with the worst risk among them';
  const caption = el('caption', { class: 'muted small' }, what);
  // A scrolling region is focusable so a keyboard can scroll it (it holds no control).
  const wrap = { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Owner by project' };
  const table = el('table', { class: 'matrix' }, caption, el('thead', {}, head), el('tbody', {}, ...rows));
  return el('div', wrap, table);
}

export function sourcesTab({ state }) {
  return el('ul', { class: 'sources' }, ...state.summary.sources.map(sourceItem));
}

function sourceItem(s) {
  const what = s.error ? s.error : `${s.kind}, ${plural(s.records, 'record')}`;
  const warnings = s.warnings.map((w) => el('li', { class: 'muted small' }, w));
  return el(
    'li',
    { class: s.error ? 'error' : '' },
    el('strong', {}, s.name),
    ' — ',
    what,
    warnings.length ? el('ul', {}, ...warnings) : null,
  );
}
