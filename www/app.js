// The static analyzer page: files in, the shared report UI out. Files are read here (with a
// progress bar) and handed to the Roster, which runs in a Web Worker — or on this thread in the
// single-file build, where a page opened from disk may not start workers.

import { el, replace, plural } from './ui/dom.js';
import { mountReport } from './ui/report.js';
import { viaWorker, direct, localDate } from './ui/roster-api.js';
import { wireAuditControls } from './ui/audit-controls.js';

const today = localDate();
const $ = (id) => document.getElementById(id);
const statusList = $('file-status');
const progress = $('progress');

async function makeApi() {
  if (globalThis.KEYROSTER_INLINE) {
    const { default: init, Roster } = await import('keyroster-pkg');
    await init({ module_or_path: globalThis.KEYROSTER_INLINE.wasm() });
    return direct(new Roster(today));
  }
  return viaWorker(new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }), today);
}

const api = await makeApi();
const reportRoot = $('report');
const report = mountReport(reportRoot, api);

async function refresh() {
  const s = await report.refresh();
  reportRoot.hidden = s.summary.keys === 0 && s.sources.length === 0;
}

/** Reads a File chunk by chunk so the progress bar moves for large files. */
async function readWithProgress(file, done, total) {
  const out = new Uint8Array(file.size);
  let at = 0;
  const reader = file.stream().getReader();
  for (;;) {
    const { value, done: end } = await reader.read();
    if (end) break;
    out.set(value, at);
    at += value.length;
    progress.value = (done + at) / total;
  }
  return out;
}

/** "Copy structure" for a file that read as nothing: its skeleton (tags and value types, never
 * its text or values) on the clipboard, for a bug report. The file is read again: the bytes
 * handed to the worker were transferred. */
function copyStructure(file) {
  const status = el('span', { class: 'muted small', role: 'status' });
  const button = el('button', { type: 'button', class: 'copy-structure small' }, 'Copy structure');
  button.addEventListener('click', async () => {
    try {
      const skeleton = await api.pageSkeleton(file.name, new Uint8Array(await file.arrayBuffer()));
      await navigator.clipboard.writeText(skeleton);
      status.textContent = ' copied: tags and value types only, no text or value of the file.';
    } catch (e) {
      status.textContent = ` could not copy: ${e.message}`;
    }
  });
  return el('div', {}, button, status);
}

function showSource(name, added, file) {
  const s = added.source;
  if (s.error) {
    statusList.append(el('li', { class: 'error' }, `✗ ${s.error}`, copyStructure(file)));
    return;
  }
  const read = `${s.kind}, ${plural(s.records, 'record')}, ${plural(added.keys_in_input, 'key')}`;
  const warnings = s.warnings.map((w) => el('div', { class: 'warn' }, w));
  const structure = s.records === 0 ? copyStructure(file) : null;
  statusList.append(el('li', {}, `✓ ${name}: ${read}`, ...warnings, structure));
}

async function addFiles(files) {
  files = [...files];
  if (!files.length) return;
  const total = files.reduce((n, f) => n + f.size, 0) || 1;
  let done = 0;
  progress.hidden = false;
  progress.value = 0;
  for (const file of files) {
    try {
      const bytes = await readWithProgress(file, done, total);
      showSource(file.name, await api.addInput(file.name, bytes), file);
    } catch (e) {
      statusList.append(el('li', { class: 'error' }, `✗ ${file.name}: ${e.message}`));
    }
    done += file.size;
    progress.value = done / total;
  }
  progress.hidden = true;
  await refresh();
}

$('files').addEventListener('change', async (e) => {
  await addFiles(e.target.files);
  e.target.value = '';
});
const drop = $('drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  addFiles(e.dataTransfer.files);
});

$('sample').addEventListener('click', async () => {
  const sample = globalThis.KEYROSTER_INLINE?.sample ?? await (await fetch('sample/index.json')).json();
  const files = [];
  for (const f of sample) {
    const bytes = f.base64
      ? Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))
      : new Uint8Array(await (await fetch(`sample/${encodeURIComponent(f.name)}`)).arrayBuffer());
    files.push(new File([bytes], f.name));
  }
  await addFiles(files);
});

$('clear').addEventListener('click', async () => {
  await api.clear();
  replace(statusList);
  await refresh();
});

$('policy').addEventListener('change', async (e) => {
  const f = e.target.files[0];
  if (!f) return;
  try {
    const name = await api.setPolicy(f.name, await f.text());
    note(`policy ${f.name} (${name})`, true);
  } catch (err) {
    note(err.message, false);
  }
  await refresh();
});

/** A line in the file list: what was read, applied or refused. */
function note(text, ok) {
  statusList.append(el('li', ok ? {} : { class: 'error' }, `${ok ? '✓' : '✗'} ${text}`));
}

await wireAuditControls({ api, preset: $('preset'), previous: $('previous'), refresh, say: note });

await refresh();
document.body.dataset.ready = 'true';
