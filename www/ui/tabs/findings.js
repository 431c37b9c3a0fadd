// The Findings tab: every finding with its remedy or mute, and the checks that did not run
// (also shown on the Summary tab).

import { el, chip } from '../dom.js';

export async function findingsTab({ state, api }) {
  const all = await api.findings(0, 5000);
  const skipped = notRun(state.summary.rules);
  if (!all.length) return el('div', {}, el('p', {}, 'No findings.'), skipped);
  return el('div', {}, el('ol', { class: 'findings' }, ...all.map(finding)), skipped);
}

/** The checks that could not run and why (a missing input), so "no findings" is never mistaken
 * for "all clear"; nothing when every enabled check ran. */
export function notRun(rules) {
  const skipped = rules.filter((r) => r.enabled && !r.ran);
  if (!skipped.length) return null;
  const items = skipped.map((r) => el('li', {}, el('code', {}, r.rule), ': ', r.reason));
  const list = el('ul', { class: 'skipped' }, ...items);
  return el('div', { class: 'not-run' }, el('h3', {}, 'Checks that did not run'), list);
}

const CHANGE_LABEL = { open: 'still open' };

function finding(f) {
  const badges = [];
  if (f.muted) {
    const until = f.muted.until ? ` until ${f.muted.until}` : '';
    badges.push(el('span', { class: 'badge' }, `muted${until}`));
  }
  if (f.change) {
    badges.push(el('span', { class: `badge change-${f.change}` }, CHANGE_LABEL[f.change] ?? f.change));
  }
  const last = f.muted
    ? el('p', { class: 'muted small' }, `Muted: ${f.muted.reason}`)
    : el('p', { class: 'remedy' }, f.remediation);
  return el(
    'li',
    { class: f.muted ? 'muted-finding' : '' },
    el(
      'div',
      { class: 'finding-head' },
      chip(f.severity),
      ' ',
      el('code', {}, f.rule),
      ' ',
      el('strong', {}, subject(f)),
      ...badges,
    ),
    el('p', {}, f.message),
    last,
  );
}

function subject(f) {
  const t = f.target;
  if (t.kind === 'key') return `${t.key_name || '(unnamed)'}${t.redacted ? ` (${t.redacted})` : ''}`;
  if (t.kind === 'project') return `project ${t.project}`;
  if (t.kind === 'source') return t.source;
  return 'organization';
}
