// The Owners, Projects and Sources tabs: the core's group rows and the inputs read.

import { el, chip, money, plural, SEVERITIES } from '../dom.js';

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
export const ownersTab = ({ state }) => groupTable(state.summary.owners, 'Owner', 'Email');
export const projectsTab = ({ state }) => groupTable(state.summary.projects, 'Project', 'Project ID');
export function sourcesTab({ state }) {
  return el('ul', { class: 'sources' }, ...state.summary.sources.map((s) => el('li', { class: s.error ? 'error' : '' },
    el('strong', {}, s.name), ' — ', s.error ? s.error : `${s.kind}, ${plural(s.records, 'record')}`,
    s.warnings.length ? el('ul', {}, ...s.warnings.map((w) => el('li', { class: 'muted small' }, w))) : null)));
}
