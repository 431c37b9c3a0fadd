// The Findings tab: every finding with its remedy or mute, and the checks that did not run.

import { el, chip } from '../dom.js';

export async function findingsTab({ state, api }) {
  const all = await api.findings(0, 5000);
  // Checks that could not run say why (a missing input), so "no findings" is never mistaken
  // for "all clear".
  const skipped = state.summary.rules.filter((r) => r.enabled && !r.ran);
  const notRun = skipped.length
    ? el('div', { class: 'not-run' }, el('h3', {}, 'Checks that did not run'),
      el('ul', { class: 'skipped' }, ...skipped.map((r) => el('li', {}, el('code', {}, r.rule), ': ', r.reason))))
    : null;
  if (!all.length) return el('div', {}, el('p', {}, 'No findings.'), notRun);
  return el('div', {}, el('ol', { class: 'findings' }, ...all.map((f) => el('li', { class: f.muted ? 'muted-finding' : '' },
    el('div', { class: 'finding-head' }, chip(f.severity), ' ', el('code', {}, f.rule), ' ', el('strong', {}, subject(f)),
      f.muted ? el('span', { class: 'badge' }, `muted${f.muted.until ? ` until ${f.muted.until}` : ''}`) : null,
      f.change ? el('span', { class: `badge change-${f.change}` }, f.change === 'open' ? 'still open' : f.change) : null),
    el('p', {}, f.message),
    f.muted ? el('p', { class: 'muted small' }, `Muted: ${f.muted.reason}`) : el('p', { class: 'remedy' }, f.remediation)))), notRun);
}

function subject(f) {
  const t = f.target;
  if (t.kind === 'key') return `${t.key_name || '(unnamed)'}${t.redacted ? ` (${t.redacted})` : ''}`;
  if (t.kind === 'project') return `project ${t.project}`;
  if (t.kind === 'source') return t.source;
  return 'organization';
}
