// The report UI's view of a Roster: one method table, used on both sides of the worker boundary.
// `handle` runs a method on a wasm Roster (in the worker, or on the page); `direct` and `viaWorker`
// make the async `api` object the report UI takes, with one method per table entry, so a method
// added to METHODS exists everywhere at once.

/** Today in the user's time zone, YYYY-MM-DD: the day the audit is "as of". (toISOString would
 * give the UTC day, which is tomorrow for an evening audit west of Greenwich.) */
export function localDate(d = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

// Each api method: the Roster call it makes, with the api's arguments in order.
const METHODS = {
  init: () => true,
  addInput: (r, name, bytes, url, title) => r.add_input(name, bytes, url ?? undefined, title ?? undefined),
  addFile: (r, file, options) => streamFile(r, file, options),
  summary: (r, maxFindings = 100, keysPerOwner = 0) => r.summary(maxFindings, keysPerOwner),
  keysPage: (r, query) => r.keys_page(query),
  keyDetails: (r, idOrIndex) => r.key_details(String(idOrIndex)),
  matrix: (r) => r.matrix(),
  findings: (r, offset = 0, limit = 1000) => r.findings(offset, limit),
  exportBytes: (r, kind) => r.export(kind),
  exportView: (r, kind, query) => r.export_view(kind, query),
  fileName: (r, stem, ext) => r.file_name(stem, ext),
  setPreset: (r, name) => r.set_preset(name),
  setPolicy: (r, name, text) => r.set_policy(name, text),
  compareWith: (r, name, bytes) => r.compare_with(name, bytes),
  presets: (r) => r.constructor.presets(),
  snapshot: (r) => r.snapshot(),
  restore: (r, bytes) => r.restore(bytes),
  clear: (r) => r.clear(),
  keyCount: (r) => r.key_count(),
  pageSkeleton: (r, name, bytes) => r.page_skeleton(name, bytes),
  warmUp: (r, options) => warmUp(r.constructor, options),
};

/** Reads a `File` into a Roster chunk by chunk (`File.stream()`), so a 1 GB export never sits in
 * memory whole: each chunk crosses into wasm once, and the core reads the records it completes.
 * `onProgress({bytes, rows, total})` follows each chunk; when `signal` aborts, the input is
 * dropped (the roster keeps what it had) and the promise rejects with an `AbortError`. */
export async function streamFile(roster, file, { onProgress, signal } = {}) {
  const reader = chunkReader(file);
  const cancelled = () => Object.assign(new Error(`${file.name}: cancelled`), { name: 'AbortError' });
  roster.begin_stream(file.name);
  let bytes = 0;
  let turnAt = performance.now();
  try {
    for (;;) {
      // A read of a chunk already there resolves without the event loop taking a turn, so the
      // {cancel} message (or the page's click) would wait for the end: take one every 50 ms.
      if (performance.now() - turnAt > 50) {
        await nextTask();
        turnAt = performance.now();
      }
      if (signal?.aborted) throw cancelled();
      const { value, done } = await reader.read();
      if (done) break;
      if (signal?.aborted) throw cancelled();
      const rows = roster.push_chunk(value);
      bytes += value.length;
      onProgress?.({ bytes, rows, total: file.size });
    }
  } catch (e) {
    roster.cancel_stream();
    reader.cancel().catch(() => {});
    throw e;
  }
  return roster.end_stream();
}

// How many times the warm-up reads its inputs. The browser compiles a wasm function on its first
// call and optimizes it only after it has run a while; reading the same small inputs again (each
// step 2–100 ms once compiled) gets there without making any one step longer. The 5,000-key page
// chosen 3 s after the page is ready (fresh browser, load 5–6), with a 200-key warm-up page:
// 850 ms median without a warm-up, 490 ms after one round, 330 ms after ten, no better after 25;
// with the 1,000-key page of crate/src/warm.rs, five rounds (about a second) did 0.84x of ten.
const WARM_ROUNDS = 5;

/** Warms the core up while the page waits for the user's first file (after `idle` ms, if given,
 * unless `signal` aborts before): the core's made-up inputs
 * (`Roster.warm_up_inputs`, crate/src/warm.rs) go into a throwaway Roster through the calls a real
 * file takes (`streamFile`, then the report's first summary and Keys page), `WARM_ROUNDS` times,
 * so the browser has compiled that code, and optimized the hottest of it, before the file
 * arrives. Each step runs in a task of its own and none starts once `signal` aborts (the page
 * asked for something real), so a file chosen meanwhile waits at most for the step under way
 * (the first ones compile code its read would have compiled anyway). The user's roster and
 * storage are never touched and nothing is fetched. Resolves to true when every step ran, false
 * when stopped or when a step failed (silently: a warm-up that fails costs the first file its
 * head start, nothing else). */
export async function warmUp(Roster, { signal, idle = 0 } = {}) {
  let roster;
  try {
    if (idle) await new Promise((resolve) => setTimeout(resolve, idle));
    if (signal?.aborted) return false;
    roster = new Roster(localDate());
    const inputs = Roster.warm_up_inputs();
    // A read stops between chunks once `signal` aborts, so a file chosen during it does not
    // take turns with it.
    const read = ({ name, bytes }) => () => streamFile(roster, new File([bytes], name), { signal });
    const round = [
      () => roster.clear(),
      ...inputs.map(read),
      () => roster.summary(0, 0),
      () => roster.keys_page({ sort: 'risk', offset: 0, limit: 100 }),
    ];
    for (const step of Array(WARM_ROUNDS).fill(round).flat()) {
      await nextTask();
      if (signal?.aborted) return false;
      await step();
    }
    return true;
  } catch {
    return false;
  } finally {
    roster?.free();
  }
}

/** A reader of a File's chunks. Where the browser's File stream is a byte stream, one 1 MiB
 * buffer is read into again and again (BYOB), so reading leaves no garbage the size of the file
 * for the collector to catch up with; elsewhere, the stream's own chunks. The File and its
 * stream's reader are held (`reading`) until the last chunk is read, a read fails, or the reader is
 * cancelled. */
export function chunkReader(file) {
  let reader;
  let byob = true;
  try {
    reader = file.stream().getReader({ mode: 'byob' });
  } catch {
    reader = file.stream().getReader();
    byob = false;
  }
  const held = [file, reader];
  reading.add(held);
  const release = () => reading.delete(held);
  let buffer = new ArrayBuffer(1 << 20);
  return {
    async read() {
      let chunk;
      try {
        chunk = await (byob ? reader.read(new Uint8Array(buffer)) : reader.read());
      } catch (e) {
        // A failed read ends the reading as the last chunk does.
        release();
        throw e;
      }
      if (byob && chunk.value) buffer = chunk.value.buffer;
      if (chunk.done) release();
      return chunk;
    },
    cancel() {
      release();
      return reader.cancel();
    },
  };
}

// The Files being read and their readers, held from the module while a read is under way. Nothing
// else holds them then but the pending read itself, and Chromium may collect a File's stream in
// the middle of a read: the read then never settles and the page waits for ever. A File made in
// memory (the sample org) and read on the page's thread hung so in about one load in ten (at its
// first or last read); held here, none did in 180.
const reading = new Set();

/** Resolves in a task of its own (a MessageChannel message: setTimeout would be clamped to 4 ms),
 * after the tasks already queued, such as a message to the worker. */
function nextTask() {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

/** Runs one api method on a Roster. */
export function handle(roster, method, args = []) {
  if (!Object.hasOwn(METHODS, method)) throw new Error(`unknown method ${method}`);
  return METHODS[method](roster, ...args);
}

/** An api object whose every method is `call(method, args)`. */
function wrap(call) {
  return Object.fromEntries(Object.keys(METHODS).map((m) => [m, (...args) => call(m, args)]));
}

/** An api over a Roster on this thread. */
export function direct(roster) {
  return wrap(async (method, args) => handle(roster, method, args));
}

/** An api over a Roster in a worker (www/worker.js). Messages are {id, method, args, asOf}, and
 * {cancel: id} to stop an addFile. */
export function viaWorker(worker, asOf) {
  let next = 0;
  const waiting = new Map();
  worker.onmessage = ({ data }) => {
    const p = waiting.get(data.id);
    if (data.progress) {
      p?.onProgress?.(data.progress);
      return;
    }
    waiting.delete(data.id);
    if (!p) return;
    if (data.error) {
      const e = new Error(data.error.message);
      e.name = data.error.name;
      p.reject(e);
    } else p.resolve(data.value);
  };
  worker.onerror = (e) => {
    for (const p of waiting.values()) p.reject(new Error(e.message || 'the analyzer stopped'));
    waiting.clear();
  };
  return wrap(
    (method, args) =>
      new Promise((resolve, reject) => {
        const id = next++;
        // addFile's options hold a callback and a signal, which cannot be posted: progress comes
        // back as {id, progress} messages, and an abort goes over as {cancel: id}.
        const { onProgress, signal } = method === 'addFile' ? (args.pop() ?? {}) : {};
        waiting.set(id, { resolve, reject, onProgress });
        signal?.addEventListener('abort', () => worker.postMessage({ cancel: id }), { once: true });
        // File bytes move to the worker rather than being copied.
        const transfer = args.filter((a) => a instanceof Uint8Array).map((a) => a.buffer);
        worker.postMessage({ id, method, args, asOf }, transfer);
      }),
  );
}
