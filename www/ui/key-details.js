// The key details panel: everything the core's `key_details` says of one key, in a modal
// <dialog> (the browser traps focus in it and Escape closes it). Fields, findings, sources and
// the daily series all come formatted or flagged from Rust (details.rs); this only draws them.

import { el, svg, replace, chip, money } from './dom.js';

const W = 320;
const H = 60;

/** One dialog per report root, reused; `open(idOrIndex)` shows a key, false when none matches. */
export function keyDetailsPanel(root, api) {
  const heading = el('h2', { id: 'key-details-title' });
  const content = el('div', { class: 'details-body' });
  const close = el('button', { type: 'button', class: 'close', 'aria-label': 'Close key details' }, '×');
  const dialog = el(
    'dialog',
    { class: 'key-details', 'aria-labelledby': 'key-details-title' },
    el('div', { class: 'details-head' }, heading, close),
    content,
  );
  root.append(dialog);
  let opener = null;
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    // The deep link goes with the panel, and focus goes back where it came from.
    if (location.hash.startsWith('#key=')) {
      window.history.replaceState(null, '', location.pathname + location.search);
    }
    opener?.focus();
  });

  return async function open(idOrIndex) {
    const d = await api.keyDetails(String(idOrIndex));
    if (!d) return false;
    opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const redacted = d.row.redacted ? el('span', { class: 'mono muted' }, ` ${d.row.redacted}`) : null;
    replace(heading, d.row.label, redacted);
    replace(
      content,
      fieldList(d.fields),
      sparkline(d),
      findingList(d.findings),
      historyList(d.history),
      sourceList(d.sources),
    );
    const link = `#key=${encodeURIComponent(d.row.id || String(d.row.index))}`;
    window.history.replaceState(null, '', link);
    if (!dialog.open) dialog.showModal();
    close.focus();
    return true;
  };
}

function fieldList(fields) {
  const rows = fields.flatMap((f) => [el('dt', {}, f.label), el('dd', {}, f.value)]);
  return el('section', {}, el('h3', {}, 'Fields'), el('dl', { class: 'fields' }, ...rows));
}

function findingList(findings) {
  const title = el('h3', {}, `Findings (${findings.length})`);
  if (!findings.length) return el('section', {}, title, el('p', { class: 'muted' }, 'None.'));
  const item = (f) => {
    const until = f.muted?.until ? ` (until ${f.muted.until})` : '';
    const muted = f.muted ? el('p', { class: 'muted-note' }, `Muted: ${f.muted.reason}${until}`) : null;
    return el(
      'li',
      { class: f.muted ? 'finding is-muted' : 'finding' },
      chip(f.severity),
      el('strong', {}, f.rule),
      el('p', {}, f.message),
      el('p', { class: 'remediation' }, f.remediation),
      muted,
    );
  };
  return el('section', {}, title, el('ul', { class: 'findings' }, ...findings.map(item)));
}

/** The key's audit-log events, oldest first; nothing when no audit log mentions it. */
function historyList(history) {
  if (!history?.length) return null;
  const item = (h) => el('li', {}, `${h.date ?? 'undated'}: ${h.what}`, h.by ? ` by ${h.by}` : '');
  const list = el('ol', { class: 'history' }, ...history.map(item));
  return el('section', {}, el('h3', {}, 'History (audit log)'), list);
}

function sourceList(sources) {
  const items = sources.map((s) => el('li', {}, s));
  return el('section', {}, el('h3', {}, 'Read from'), el('ul', { class: 'sources' }, ...items));
}

/** Daily cost as a line, the spike day as a dot; nothing when no daily usage was read. */
function sparkline(d) {
  if (!d.daily.length || !d.max_cost_usd) return null;
  const n = d.daily.length;
  const x = (i) => (n === 1 ? W / 2 : (i * (W - 8)) / (n - 1) + 4);
  const y = (c) => H - 4 - (c / d.max_cost_usd) * (H - 8);
  const points = d.daily.map((p, i) => `${x(i).toFixed(1)},${y(p.cost_usd).toFixed(1)}`).join(' ');
  const spike = d.daily.findIndex((p) => p.spike);
  const first = d.daily[0];
  const last = d.daily[n - 1];
  const label = `Daily cost from ${first.date} to ${last.date}, highest ${money(d.max_cost_usd)}`
    + (spike >= 0 ? `; usage spike on ${d.daily[spike].date} (${money(d.daily[spike].cost_usd)})` : '');
  const dot = spike >= 0
    ? svg('circle', { class: 'spark-spike', cx: x(spike), cy: y(d.daily[spike].cost_usd), r: 4 })
    : null;
  const chart = svg(
    'svg',
    { class: 'sparkline', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': label },
    svg('polyline', { class: 'spark-line', points, fill: 'none' }),
    dot,
  );
  return el('section', {}, el('h3', {}, 'Daily cost'), chart, el('p', { class: 'muted small' }, label));
}
