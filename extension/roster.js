// The roster as the popup and the report page share it: the wasm Roster, restored from and
// saved to chrome.storage.session (memory only: gone when the browser closes).

import init, { Roster } from './pkg/keyroster.js';
import { localDate } from './ui/roster-api.js';

const KEY = 'roster';
const POLICY = 'policy';

export const today = () => localDate();

export async function openRoster() {
  await init();
  const roster = new Roster(today());
  const saved = await chrome.storage.session.get([KEY, POLICY]);
  if (saved[KEY]) {
    try {
      roster.restore(new TextEncoder().encode(saved[KEY]));
    } catch {
      await chrome.storage.session.remove(KEY);
    }
  }
  if (saved[POLICY]) {
    try {
      roster.set_policy(saved[POLICY].name, saved[POLICY].text);
    } catch {
      // A policy that no longer applies is shown on the report page; the popup keeps the default.
    }
  }
  return roster;
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
