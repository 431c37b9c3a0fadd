// What the popup starts before anything else: reading the tab, and compiling the core. The popup
// page loads this as an `async` module at the top of its <head>, so both begin as soon as the
// page is fetched, not after the popup's module graph, its stylesheets and the document are ready
// (measured: ~30 ms earlier, on a path the popup waits for). popup.js imports the same module
// instance and takes the promises; were it to run first, importing runs this then.

import { readPage } from './read-page.js';

/** The tab to read: `?tab=ID` (the report page's "read this tab", the tests), else the active one. */
async function targetTab() {
  const given = new URLSearchParams(location.search).get('tab');
  if (given) return Number(given);
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

/** The page as the browser has it now (the SPA's rendered DOM): its HTML, which the core sweeps
 * for secrets line by line, and its DOM, which the core reads without parsing the HTML again;
 * its URL and title (extension/read-page.js). `null` when there is no tab to read. */
async function readTab() {
  const tabId = await targetTab();
  if (tabId === undefined) return null;
  const [result] = await chrome.scripting.executeScript({ target: { tabId }, func: readPage });
  return result?.result ?? null;
}

/** The tab's page, read once; rejects when the tab cannot be read (a browser page, the store). */
export const page = readTab();
page.catch(() => {});

/** The popup's core module, compiled while the page is read (popup.js instantiates it). Where
 * the browser will not compile the response as it streams in (a server, or an extension scheme,
 * that does not say `application/wasm`), it compiles the bytes instead. */
async function compile() {
  const url = new URL('./pkg-popup/keyroster_bg.wasm', import.meta.url);
  try {
    return await WebAssembly.compileStreaming(fetch(url));
  } catch {
    return WebAssembly.compile(await (await fetch(url)).arrayBuffer());
  }
}
export const wasm = compile();
wasm.catch(() => {});
