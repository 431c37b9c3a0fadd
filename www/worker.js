// The analyzer's Web Worker: it owns the wasm Roster, so reading a large file never freezes the
// page. Messages are {id, method, args, asOf} (see ui/roster-api.js); replies are {id, value} or
// {id, error: {name, message}}.

import init, { Roster } from './pkg/keyroster.js';
import { handle, localDate } from './ui/roster-api.js';

const ready = init({ module_or_path: new URL('./pkg/keyroster_bg.wasm', import.meta.url) });
let roster;

self.onmessage = async ({ data: { id, method, args, asOf } }) => {
  try {
    await ready;
    roster ??= new Roster(asOf ?? localDate());
    const value = await handle(roster, method, args);
    const transfer = value instanceof Uint8Array ? [value.buffer] : [];
    self.postMessage({ id, value }, transfer);
  } catch (e) {
    self.postMessage({ id, error: { name: e?.name ?? 'Error', message: e?.message ?? String(e) } });
  }
};
