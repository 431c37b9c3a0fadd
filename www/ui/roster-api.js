// The report UI's view of a Roster. `handle` maps a method name to the wasm Roster call (used in
// the worker and on the main thread alike); `direct` and `viaWorker` make the async `api` object
// the report UI takes.

/** Today in the user's time zone, YYYY-MM-DD: the day the audit is "as of". (toISOString would
 * give the UTC day, which is tomorrow for an evening audit west of Greenwich.) */
export function localDate(d = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function handle(roster, method, a = {}) {
  switch (method) {
    case 'init': return true;
    case 'addInput': return roster.add_input(a.name, a.bytes, a.url ?? undefined, a.title ?? undefined);
    case 'summary': return roster.summary(a.maxFindings ?? 100, a.keysPerOwner ?? 0);
    case 'keysPage': return roster.keys_page(a.query);
    case 'findings': return roster.findings(a.offset ?? 0, a.limit ?? 1000);
    case 'exportBytes': return roster.export(a.kind);
    case 'exportView': return roster.export_view(a.kind, a.query);
    case 'fileName': return roster.file_name(a.stem, a.ext);
    case 'setPreset': return roster.set_preset(a.name);
    case 'setPolicy': return roster.set_policy(a.name, a.text);
    case 'compareWith': return roster.compare_with(a.name, a.bytes);
    case 'presets': return roster.constructor.presets();
    case 'snapshot': return roster.snapshot();
    case 'restore': return roster.restore(a.bytes);
    case 'clear': return roster.clear();
    case 'keyCount': return roster.key_count();
    case 'pageSkeleton': return roster.page_skeleton(a.name, a.bytes);
    default: throw new Error(`unknown method ${method}`);
  }
}

function wrap(call) {
  return {
    call,
    addInput: (name, bytes, url, title) => call('addInput', { name, bytes, url, title }),
    summary: (maxFindings, keysPerOwner) => call('summary', { maxFindings, keysPerOwner }),
    keysPage: (query) => call('keysPage', { query: { ...query } }),
    findings: (offset, limit) => call('findings', { offset, limit }),
    exportBytes: (kind) => call('exportBytes', { kind }),
    exportView: (kind, query) => call('exportView', { kind, query: { ...query } }),
    fileName: (stem, ext) => call('fileName', { stem, ext }),
    setPreset: (name) => call('setPreset', { name }),
    setPolicy: (name, text) => call('setPolicy', { name, text }),
    compareWith: (name, bytes) => call('compareWith', { name, bytes }),
    presets: () => call('presets'),
    snapshot: () => call('snapshot'),
    restore: (bytes) => call('restore', { bytes }),
    clear: () => call('clear'),
    pageSkeleton: (name, bytes) => call('pageSkeleton', { name, bytes }),
  };
}

/** An api over a Roster on this thread. */
export function direct(roster) {
  return wrap(async (method, args) => handle(roster, method, args));
}

/** An api over a Roster in a worker. */
export function viaWorker(worker, asOf) {
  let next = 0;
  const waiting = new Map();
  worker.onmessage = ({ data }) => {
    const p = waiting.get(data.id);
    waiting.delete(data.id);
    if (!p) return;
    if (data.error) {
      const e = new Error(data.error.message);
      e.name = data.error.name;
      p.reject(e);
    } else p.resolve(data.value);
  };
  worker.onerror = (e) => { for (const p of waiting.values()) p.reject(new Error(e.message || 'the analyzer stopped')); waiting.clear(); };
  return wrap((method, args = {}) => new Promise((resolve, reject) => {
    const id = next++;
    waiting.set(id, { resolve, reject });
    const transfer = args.bytes instanceof Uint8Array ? [args.bytes.buffer] : [];
    worker.postMessage({ id, method, args: { ...args, asOf } }, transfer);
  }));
}
