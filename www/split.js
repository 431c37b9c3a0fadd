// A large delimited file read by two workers: this one (the roster's, worker.js) reads the rows,
// a second (splitter.js) reads the File and tokenizes it. The core's CLI does the same with two
// threads; the records pass between the workers in blocks of bytes, in order, so the roster gets
// what one worker reading the file alone would give it (the same sums, warnings and lines).

/** Files from this size up are split: below it, starting a second worker and passing the blocks
 * cost more than they save (measured, paired in fresh browsers: a 22 MB export 1.15x slower split,
 * a 224 MB one 0.92x). */
export const SPLIT_AT = 64 << 20;

/** Reads `file` into `roster` with a splitter worker; `module` is the core's compiled module.
 * `readAlone()` is called (and its promise returned) when the file is not delimited text.
 * `onProgress({bytes, rows, total})` follows each message of blocks; when `signal` aborts, the
 * input is dropped and the promise rejects with an `AbortError`. */
export function splitFile(roster, file, module, { onProgress, signal, readAlone }) {
  const splitter = new Worker(new URL('./splitter.js', import.meta.url), { type: 'module' });
  let begun = false;
  return new Promise((resolve, reject) => {
    const stop = (e) => {
      splitter.terminate();
      if (begun) roster.cancel_stream();
      reject(e);
    };
    const abort = () => stop(Object.assign(new Error(`${file.name}: cancelled`), { name: 'AbortError' }));
    if (signal?.aborted) return abort();
    signal?.addEventListener('abort', abort, { once: true });
    splitter.onerror = (e) => stop(new Error(`${file.name}: ${e.message || 'the reading worker stopped'}`));
    splitter.onmessage = ({ data }) => {
      if (signal?.aborted) return;
      if (data.error) return stop(new Error(data.error));
      if (data.whole) {
        splitter.terminate();
        signal?.removeEventListener('abort', abort);
        return resolve(readAlone());
      }
      if (!begun) {
        roster.begin_blocks(file.name);
        begun = true;
      }
      let rows = 0;
      try {
        for (const b of data.blocks) rows = roster.push_block(new Uint8Array(b.buffer, 0, b.length));
      } catch (e) {
        return stop(e);
      }
      // The buffers go back to be refilled.
      const buffers = data.blocks.map((b) => b.buffer);
      splitter.postMessage({ ack: buffers }, buffers);
      onProgress?.({ bytes: data.bytes, rows, total: file.size });
      if (data.done) {
        splitter.terminate();
        signal?.removeEventListener('abort', abort);
        try {
          resolve(roster.end_stream());
        } catch (e) {
          reject(e);
        }
      }
    };
    splitter.postMessage({ file, module });
  });
}
