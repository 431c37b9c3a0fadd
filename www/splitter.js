// The analyzer's second worker, for a large delimited file (see split.js): it reads the File and
// tokenizes it into blocks of records with the core's Splitter, and posts the blocks (handed over,
// not copied) to the worker that owns the roster, which reads the rows meanwhile. Messages in:
// {file, module} to start (the core's compiled module, shared, not compiled twice), {ack} when a
// message of blocks has been read, with the buffers back to refill. Out: {blocks, bytes} as it
// goes (each block a buffer and its length), then {blocks, bytes, done};
// {whole: true} when the file is not delimited text (the roster's worker then reads it alone);
// {error: message}.

import init, { Splitter } from './pkg/keyroster.js';
import { chunkReader } from './ui/roster-api.js';

// Messages of blocks posted and not yet read: the reader waits past this many, so a file read
// faster than its rows never piles up in memory.
const IN_FLIGHT = 3;
let inFlight = 0;
let wake = null;
// Buffers the roster's worker has read and sent back: blocks are copied into these, so the
// whole file never passes through buffers of its own for the collector to catch up with.
const pool = [];

self.onmessage = ({ data }) => {
  if (data.ack) {
    inFlight -= 1;
    pool.push(...data.ack);
    wake?.();
    return;
  }
  split(data.file, data.module).catch((e) => self.postMessage({ error: e?.message ?? String(e) }));
};

async function split(file, module) {
  await init({ module_or_path: module });
  const splitter = new Splitter(file.name);
  const reader = chunkReader(file);
  let bytes = 0;
  // The `ready` blocks into buffers of the pool (or new ones), posted without copying.
  const post = (ready, done) => {
    const blocks = [];
    for (let i = 0; i < ready; i++) {
      const length = splitter.block_len();
      let buffer = pool.pop();
      if (!buffer || buffer.byteLength < length) buffer = new ArrayBuffer(Math.max(length, 4 << 20));
      splitter.copy_block(new Uint8Array(buffer, 0, length));
      blocks.push({ buffer, length });
    }
    inFlight += 1;
    self.postMessage({ blocks, bytes, done }, blocks.map((b) => b.buffer));
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    bytes += value.length;
    const ready = splitter.push(value);
    if (ready === undefined) {
      reader.cancel().catch(() => {});
      self.postMessage({ whole: true });
      return;
    }
    if (ready) post(ready, false);
    while (inFlight > IN_FLIGHT) await new Promise((resolve) => (wake = resolve));
  }
  const last = splitter.finish();
  if (last === undefined) self.postMessage({ whole: true });
  else post(last, true);
}
