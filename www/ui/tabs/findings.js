// The Findings tab: every finding with its remedy or mute, and the checks that did not run
// (also shown on the Summary tab).

import { el, chip } from '../dom.js';

export async function findingsTab({ state, api }) {
  const all = await api.findings(0, 5000);
  const skipped = notRun(state.summary.rules);
  if (!all.length) return el('div', {}, el('p', {}, 'No findings.'), skipped);
  return el('div', {}, el('ol', { class: 'findings' }, ...all.map(finding)), skipped);
}

/** The checks that could not run, or could not judge every key, and why (a missing input), so
 * "no findings" is never mistaken for "all clear"; nothing when every check ran on every key. */
export function notRun(rules) {
  const list = (title, rows, why) => {
    if (!rows.length) return [];
    const items = rows.map((r) => el('li', {}, el('code', {}, r.rule), ': ', why(r)));
    return [el('h3', {}, title), el('ul', { class: 'skipped' }, ...items)];
  };
  const gaps = [
    ...list('Checks that did not run', rules.filter((r) => r.enabled && !r.ran), (r) => r.reason),
    ...list('Checks that could not judge every key', rules.filter((r) => r.ran && r.note), (r) => r.note),
  ];
  return gaps.length ? el('div', { class: 'not-run' }, ...gaps) : null;
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
      el('strong', {}, f.subject),
      ...badges,
    ),
    el('p', {}, f.message),
    last,
  );
}

