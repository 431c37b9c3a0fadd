// DOM helpers for the report UI. Every string from a page or file (key names, owners, messages,
// file names, errors) becomes a text node: nothing here ever parses a string as HTML.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** el('div', {class: 'x', onclick: f}, 'text', child) — children are nodes or text. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

/** A name as `tag`, cut to `max` characters with a visible "…" and the whole name in its tooltip:
 * a 10,000-character key or owner name (a crafted export) stays one readable line. */
export function clipped(tag, attrs, text, max = 80) {
  const s = String(text ?? '');
  const chars = [...s];
  if (chars.length <= max) return el(tag, attrs, s);
  return el(tag, { ...attrs, title: s }, `${chars.slice(0, max).join('')}…`);
}

/** The same for SVG elements (charts). */
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

function setAttrs(node, attrs) {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(node, children) {
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces a node's children. */
export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** Offers bytes as a download (no `downloads` permission needed). */
export function download(bytes, name, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = el('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const MIME = {
  csv: 'text/csv;charset=utf-8',
  json: 'application/json',
  html: 'text/html;charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** "1 key", "2 keys": a count with its noun. */
export function plural(n, noun, nouns = `${noun}s`) {
  return `${n} ${n === 1 ? noun : nouns}`;
}

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];

export function money(v) {
  if (v === null || v === undefined) return '—';
  const digits = { minimumFractionDigits: 2, maximumFractionDigits: 2 };
  return `$${Number(v).toLocaleString('en-US', digits)}`;
}

/** A severity chip: "high", styled by class. */
export function chip(sev, text = sev) {
  return el('span', { class: `sev sev-${sev}` }, text);
}

/** "3 high": a severity's count, faded when zero. */
export function countChip(sev, n) {
  const node = chip(sev, `${n} ${sev}`);
  if (!n) node.classList.add('zero');
  return node;
}
