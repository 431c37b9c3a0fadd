// What the roster covers, drawn from the core's `coverage` section (analyze/coverage.rs): the one
// line ("Read 25 of 31 keys listed; 1 project not visited"), a member's-view warning, the pages
// still to visit; and the unlisted keys (usage under key ids no page read lists). Shared by the
// Summary tab, the Keys tab and the extension's popup; it words nothing the core did not.

import { el, money } from '../dom.js';

/** The coverage block: its line, the warning, and what is left to read. `compact` (the popup)
 * leaves out the usage window and stale keys. */
export function coverageBlock(c, { compact = false } = {}) {
  if (!c || !c.line) return null;
  const parts = [el('p', { class: c.partial ? 'coverage-line partial' : 'coverage-line' }, c.line)];
  if (c.warning) parts.push(el('p', { class: 'alert coverage-warning', role: 'alert' }, c.warning));
  const visits = c.to_visit.map((v) => el('li', {}, `Visit ${v}.`));
  const projects = c.projects_not_visited.length
    ? [el('li', {}, `Projects whose keys were not read: ${c.projects_not_visited.join(', ')}.`)]
    : [];
  if (visits.length || projects.length) {
    parts.push(el('ul', { class: 'to-visit' }, ...visits, ...projects));
  }
  if (!compact) {
    if (c.usage_from && c.usage_to) {
      const window = `Usage read from ${c.usage_from} to ${c.usage_to}.`;
      parts.push(el('p', { class: 'muted small' }, window));
    }
    if (c.stale.length) {
      const stale = `Listed on a page but deleted since (audit log): ${c.stale.join('; ')}.`;
      parts.push(el('p', { class: 'muted small' }, stale));
    }
  }
  return el('section', { class: 'coverage', 'aria-label': 'Coverage' }, ...parts);
}

const UNLISTED_NOTE = 'Usage or cost under key ids that no page or file read lists: keys deleted since, '
  + 'or on projects whose keys were not read. They are not merged into listed keys; reading the key list '
  + 'that carries the id resolves them.';

const UNLISTED_COLUMNS = [
  'Key id', 'Project', 'First day', 'Last day', 'Requests', 'Tokens', 'Cost', 'Status',
];

/** The unlisted keys as a table, with their CSV export; nothing when there are none. */
export function unlistedSection(keys, onExport) {
  if (!keys?.length) return null;
  const tokens = (u) => (u.input_tokens ?? 0) + (u.output_tokens ?? 0) || '';
  const status = (u) => {
    if (!u.deleted_on && !u.deleted_by) return 'not listed on any page read';
    const by = u.deleted_by ? ` by ${u.deleted_by}` : '';
    const after = u.after_deletion ? `; used ${money(u.after_deletion.cost_usd)} after` : '';
    return `deleted ${u.deleted_on ?? ''}${by} (audit log)${after}`;
  };
  const row = (u) => el(
    'tr',
    { class: u.after_deletion ? 'unlisted spent-after' : 'unlisted' },
    el('td', { class: 'mono' }, u.id),
    el('td', {}, u.project?.name ?? u.project?.id ?? ''),
    el('td', {}, u.first_day ?? ''),
    el('td', {}, u.last_day ?? ''),
    el('td', { class: 'num' }, u.requests ?? ''),
    el('td', { class: 'num' }, tokens(u)),
    el('td', { class: 'num' }, money(u.cost_usd)),
    el('td', {}, status(u)),
  );
  const table = el(
    'table',
    { class: 'unlisted-keys' },
    el('thead', {}, el('tr', {}, ...UNLISTED_COLUMNS.map((c) => el('th', { scope: 'col' }, c)))),
    el('tbody', {}, ...keys.map(row)),
  );
  const exportButton = onExport
    ? el('button', { type: 'button', onclick: onExport }, 'Export unlisted keys (CSV)')
    : null;
  return el(
    'section',
    { class: 'unlisted-section', 'aria-label': 'Unlisted keys' },
    el('h3', {}, `Unlisted keys (${keys.length})`),
    el('p', { class: 'muted small' }, UNLISTED_NOTE),
    el('div', { class: 'table-wrap' }, table),
    exportButton,
  );
}
