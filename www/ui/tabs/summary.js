// The Summary tab: totals, severity counts, the comparison with a previous audit, checks that did
// not run, and three bar charts.

import { el, svg, money, SEVERITIES, countChip } from '../dom.js';
import { notRun } from './findings.js';
import { coverageBlock } from './coverage.js';

export function summaryTab({ state }) {
  const s = state.summary;
  const t = s.summary;
  const cards = el('div', { class: 'cards' },
    card('Keys', t.keys, `${t.active_keys} active in the last ${t.active_days} days`),
    card('Owners', t.owners),
    card(t.providers?.length ? 'Projects / workspaces' : 'Projects', t.projects),
    card('Members', t.members),
    card('Cost', money(t.cost_usd)),
    card('Findings', SEVERITIES.reduce((n, k) => n + t.findings[k], 0), t.muted ? `${t.muted} muted` : ''));
  const sev = el('div', { class: 'sev-row' }, ...SEVERITIES.map((k) => countChip(k, t.findings[k])));
  const parts = [cards, sev];
  if (t.providers?.length) parts.push(byProvider(t.providers));
  parts.push(coverageBlock(s.coverage));
  if (t.unlisted_keys) parts.push(el('p', { class: 'alert' }, unlisted(t)));
  if (s.comparison) parts.push(comparison(s.comparison));
  if (t.exposed_secrets) parts.push(el('p', { class: 'alert' }, exposedSecrets(t.exposed_secrets)));
  parts.push(notRun(s.rules));
  const costs = s.projects.filter((p) => p.cost_usd).slice(0, 12);
  parts.push(
    el(
      'div',
      { class: 'charts' },
      barChart('Keys per owner', s.owners.slice(0, 12).map((o) => [o.label, o.keys])),
      barChart('Keys by age', s.age_buckets),
      barChart('Cost per project (USD)', costs.map((p) => [p.label, p.cost_usd]), money),
    ),
  );
  return el('div', {}, ...parts);
}

function unlisted(t) {
  const n = t.unlisted_keys;
  const what = n === 1 ? '1 key no page read lists' : `${n} keys no page read lists`;
  return `Usage by ${what} (${money(t.unlisted_cost_usd)}): see Keys, Unlisted keys.`;
}

// One row per platform when the roster holds more than OpenAI's keys (the core's totals).
function byProvider(providers) {
  const head = ['Provider', 'Keys', 'Active', 'Owners', 'Projects / workspaces', 'Findings', 'Cost'];
  const row = (p) =>
    el(
      'tr',
      {},
      el('th', { scope: 'row' }, p.label),
      el('td', { class: 'num' }, String(p.keys)),
      el('td', { class: 'num' }, String(p.active_keys)),
      el('td', { class: 'num' }, String(p.owners)),
      el('td', { class: 'num' }, `${p.scopes} ${p.scope_noun}${p.scopes === 1 ? '' : 's'}`),
      el('td', { class: 'num' }, String(SEVERITIES.reduce((n, k) => n + p.findings[k], 0))),
      el('td', { class: 'num' }, money(p.cost_usd)),
    );
  const table = el(
    'table',
    { class: 'by-provider', 'aria-label': 'Totals by provider' },
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...providers.map(row)),
  );
  const note = (p) => `${p.label} lists no last use: keys are “seen” from usage covering `
    + `${p.usage_seen[0]} to ${p.usage_seen[1]}.`;
  const seen = providers.filter((p) => p.usage_seen).map((p) => el('p', { class: 'muted small' }, note(p)));
  return el('div', {}, table, ...seen);
}

function exposedSecrets(n) {
  const what = n === 1 ? 'A full secret key was' : `${n} full secret keys were`;
  const it = n === 1 ? 'it' : 'them';
  return `${what} found in the inputs. Key Roster redacted ${it} on reading and keeps no copy; `
    + `see Findings, and rotate ${it}.`;
}

function card(label, value, note = '') {
  return el(
    'div',
    { class: 'card' },
    el('div', { class: 'card-value' }, String(value)),
    el('div', { class: 'card-label' }, label),
    note ? el('div', { class: 'muted small' }, note) : null,
  );
}

function comparison(c) {
  const since = c.previous_as_of ?? 'the previous audit';
  const fixed = c.findings_fixed.length;
  const findings = `${c.findings_new} new findings, ${fixed} fixed, ${c.findings_open} still open`;
  const keys = `${c.keys_added} keys added, ${c.keys_removed.length} removed`;
  return el('p', { class: 'compare' }, `Since ${since}: ${findings}; ${keys}.`);
}

function barChart(title, rows, fmt = String) {
  const fig = el('figure', { class: 'chart' }, el('figcaption', {}, title));
  if (!rows.length) {
    fig.append(el('p', { class: 'muted' }, 'No data.'));
    return fig;
  }
  const max = Math.max(...rows.map((r) => r[1]), 1);
  const rowH = 22;
  const labelW = 150;
  const barW = 220;
  const chart = svg('svg', {
    viewBox: `0 0 ${labelW + barW + 70} ${rows.length * rowH}`,
    role: 'img',
    'aria-label': title,
    width: '100%',
  });
  rows.forEach(([label, v], i) => {
    const y = i * rowH;
    const text = String(label);
    const shown = text.length > 22 ? `${text.slice(0, 21)}…` : text;
    const width = (v / max) * barW;
    chart.append(
      svg('text', { x: labelW - 6, y: y + 15, 'text-anchor': 'end', class: 'chart-label' }, shown),
      svg('rect', { x: labelW, y: y + 4, width: Math.max(1, width), height: rowH - 8, class: 'chart-bar' }),
      svg('text', { x: labelW + width + 6, y: y + 15, class: 'chart-value' }, fmt(v)),
    );
  });
  fig.append(chart);
  return fig;
}
