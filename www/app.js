// The static analyzer page: files in, the shared report UI out. Files go to the Roster, which runs
// in a Web Worker (or on this thread in the single-file build, where a page opened from disk may
// not start workers) and reads each File itself, chunk by chunk, with progress and Cancel.

import { el, replace, plural } from './ui/dom.js';
import { mountReport } from './ui/report.js';
import { viaWorker, direct, localDate } from './ui/roster-api.js';
import { wireAuditControls } from './ui/audit-controls.js';

const today = localDate();
const $ = (id) => document.getElementById(id);
const statusList = $('file-status');
const progress = $('progress');
const progressText = $('progress-text');
const reading = $('reading');

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

const mb = (n) => `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} MB`;

/** Reads the files one after the other, the bar following bytes read; Cancel stops the file being
 * read and skips the rest (the roster keeps what it had before that file). */
/** "Copy structure" for a file that read as nothing: its skeleton (tags and value types, never
 * its text or values) on the clipboard, for a bug report. The file is read again: the bytes
 * read in the worker are gone. */
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
  const aborter = new AbortController();
  const cancel = () => aborter.abort();
  $('cancel').addEventListener('click', cancel);
  let done = 0;
  reading.hidden = false;
  progress.value = 0;
  progressText.textContent = '';
  for (const file of files) {
    if (aborter.signal.aborted) break;
    const onProgress = ({ bytes, rows }) => {
      progress.value = (done + bytes) / total;
      const counted = rows ? `, ${plural(rows, 'row')}` : '';
      progressText.textContent = `${file.name}: ${mb(bytes)} of ${mb(file.size)}${counted}`;
    };
    try {
      const added = await api.addFile(file, { onProgress, signal: aborter.signal });
      showSource(file.name, added, file);
    } catch (e) {
      const why = e.name === 'AbortError' ? 'cancelled; nothing of it was added' : e.message;
      statusList.append(el('li', { class: 'error' }, `✗ ${file.name}: ${why}`));
    }
    done += file.size;
    progress.value = done / total;
  }
  $('cancel').removeEventListener('click', cancel);
  reading.hidden = true;
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
// While the user picks a file, the worker warms the core up (the first read of a session would
// otherwise compile the module as it goes); a file chosen meanwhile stops it. Not on this thread
// (the single-file build), where a warm-up step would hold up the page.
if (!globalThis.KEYROSTER_INLINE) {
  api.warmUp().then((done) => { if (done) document.body.dataset.warmed = 'true'; }, () => {});
}
