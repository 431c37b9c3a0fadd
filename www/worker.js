// The analyzer's Web Worker: it owns the wasm Roster, so reading a large file never freezes the
// page. Messages are {id, method, args, asOf} (see ui/roster-api.js); replies are {id, value} or
// {id, error: {name, message}}. An addFile (a File read here, chunk by chunk) also posts
// {id, progress: {bytes, rows, total}} as it goes and stops on {cancel: id}; from 64 MiB up, a
// delimited file is tokenized by a second worker while this one reads its rows (split.js). A
// warmUp (the page sends one once it is ready) reads made-up inputs into a throwaway Roster until
// any other message comes (see warmUp in ui/roster-api.js).

import init, { Roster } from './pkg/keyroster.js';
import { handle, localDate } from './ui/roster-api.js';
import { splitFile, SPLIT_AT } from './split.js';

// Compiled here rather than by `init`, so that a large file's second worker (split.js) is handed
// the same compiled module instead of compiling it again.
const wasmUrl = new URL('./pkg/keyroster_bg.wasm', import.meta.url);
const compiled = WebAssembly.compileStreaming(fetch(wasmUrl)).catch(async () =>
  WebAssembly.compile(await (await fetch(wasmUrl)).arrayBuffer()),
);
const ready = compiled.then((module) => init({ module_or_path: module }));
let roster;
// The addFile calls under way, by message id: a {cancel: id} aborts one between two chunks.
const streams = new Map();
// The warm-up under way: every other request stops it before its next step. It starts only with
// no request under way, and only after WARM_IDLE_MS without one: a file chosen the moment the
// page is ready (a drop, a test) is read as if there were no warm-up, not beside its first,
// slowest steps; no one picks a file through the dialog that fast.
let warming;
let pending = 0;
const WARM_IDLE_MS = 500;

self.onmessage = async ({ data }) => {
  if ('cancel' in data) {
    streams.get(data.cancel)?.abort();
    return;
  }
  const { id, method, asOf } = data;
  let { args } = data;
  if (method === 'warmUp') {
    warming = new AbortController();
    if (pending) warming.abort();
    args = [{ signal: warming.signal, idle: WARM_IDLE_MS }];
  } else {
    warming?.abort();
    pending++;
  }
  if (method === 'addFile') {
    const aborter = new AbortController();
    streams.set(id, aborter);
    const onProgress = (progress) => self.postMessage({ id, progress });
    args = [args[0], { onProgress, signal: aborter.signal }];
  }
  try {
    await ready;
    roster ??= new Roster(asOf ?? localDate());
    // A large file is read by two workers where the browser lets this one start another.
    const file = method === 'addFile' ? args[0] : null;
    const readAlone = () => handle(roster, method, args);
    const value =
      file?.size >= SPLIT_AT && typeof Worker === 'function'
        ? await splitFile(roster, file, await compiled, { ...args[1], readAlone })
        : await readAlone();
    const transfer = value instanceof Uint8Array ? [value.buffer] : [];
    self.postMessage({ id, value }, transfer);
  } catch (e) {
    self.postMessage({ id, error: { name: e?.name ?? 'Error', message: e?.message ?? String(e) } });
  } finally {
    streams.delete(id);
    if (method !== 'warmUp') pending--;
  }
};
