// The roster as the popup and the report page share it: the wasm Roster, restored from and
// saved to chrome.storage.session (memory only: gone when the browser closes). Two builds of the
// core serve it: the popup's module (pkg-popup/: reading pages and the summary) and the full one
// (pkg/: also every export: CSV, the Excel workbook, the HTML report), which the report page loads
// and the popup loads only when an export first needs it.

import { localDate } from './ui/roster-api.js';

const KEY = 'roster';
const POLICY = 'policy';

export const today = () => localDate();

/** A Roster of `core` (a wasm-bindgen module: `import * as core from './pkg/keyroster.js'`) with
 * the session's roster and policy; `snapshot` (another Roster's) in place of the saved roster;
 * `compiled`, the core's `WebAssembly.Module` if the caller compiled it already; `stored`, the
 * session storage's contents if the caller began reading them already (a promise). Storage is
 * read while the core instantiates, not after. */
export async function openRoster(core, snapshot, compiled, stored) {
  const reading = stored ?? chrome.storage.session.get(snapshot ? [POLICY] : [KEY, POLICY]);
  await core.default(compiled ? { module_or_path: compiled } : undefined);
  const roster = new core.Roster(today());
  const saved = await reading;
  if (snapshot) {
    roster.restore(snapshot);
  } else if (saved[KEY]) {
    try {
      roster.restore(new TextEncoder().encode(saved[KEY]));
    } catch {
      await chrome.storage.session.remove(KEY);
    }
  }
  const policy = saved[POLICY];
  const preset = /^preset = "(\w+)"\n$/.exec(policy?.text ?? '')?.[1];
  if (policy && !preset && !roster.set_policy) {
    // A policy file of the user's own: the popup's module has no policy reader (TOML), the full
    // one does. Only a user who set one pays for the larger module.
    roster.free();
    return openRoster(await import('./pkg/keyroster.js'), snapshot);
  }
  try {
    if (preset) roster.set_preset(preset);
    else if (policy) roster.set_policy(policy.name, policy.text);
  } catch {
    // A policy that no longer applies is shown on the report page; the popup keeps the default.
  }
  return roster;
}

/** The same roster in the full module, for the exports (the popup's module has none). Loaded on
 * first use: the popup's first paint never waits for it. */
export async function withExports(roster) {
  return openRoster(await import('./pkg/keyroster.js'), roster.snapshot());
}

/** "Copy page structure" of a page's HTML, from the full module (the popup's reads the DOM and
 * has no HTML parser); loaded on first use. */
export async function pageSkeleton(name, bytes) {
  const core = await import('./pkg/keyroster.js');
  await core.default();
  const roster = new core.Roster(today());
  try {
    return roster.page_skeleton(name, bytes);
  } finally {
    roster.free();
  }
}

export async function saveRoster(roster) {
  await chrome.storage.session.set({ [KEY]: new TextDecoder().decode(roster.snapshot()) });
}

export async function savePolicy(name, text) {
  await chrome.storage.session.set({ [POLICY]: { name, text } });
}

export async function clearRoster(roster) {
  roster.clear();
  await chrome.storage.session.remove(KEY);
}
