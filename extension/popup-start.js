// What the popup starts before anything else: reading the tab, and compiling the core. A classic
// script at the top of the popup's <head>, so both begin as soon as the page is fetched, not
// after the popup's module graph is fetched and compiled (measured: ~30 ms earlier as an async
// module, and the module still started only as the rest of the graph was ready). popup.js takes
// the promises from `popupStart`.

/** The tab to read: `?tab=ID` (the report page's "read this tab", the tests), else the active one. */
async function targetTab() {
  const given = new URLSearchParams(location.search).get('tab');
  if (given) return Number(given);
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

/** Runs `file` (a classic script) in the tab to read and gives its value: read-page.js, the page
 * as the browser has it now (the SPA's rendered DOM, serialized), or read-dom.js, its DOM in the
 * flat form the core reads when it declines the HTML. `null` when there is no tab to read. */
async function inject(tab, file) {
  const tabId = await tab;
  if (tabId === undefined) return null;
  const [result] = await chrome.scripting.executeScript({ target: { tabId }, files: [file] });
  return result?.result ?? null;
}

/** The popup's core module, compiled while the page is read (popup.js instantiates it). Where
 * the browser will not compile the response as it streams in (a server, or an extension scheme,
 * that does not say `application/wasm`), it compiles the bytes instead. */
async function compile() {
  const url = new URL('pkg-popup/keyroster_bg.wasm', location.href);
  try {
    return await WebAssembly.compileStreaming(fetch(url));
  } catch {
    return WebAssembly.compile(await (await fetch(url)).arrayBuffer());
  }
}

/** `page`: the tab's page, read once; rejects when the tab cannot be read (a browser page, the
 * store). `readDom()`: the same tab's DOM, when the core declines the page's HTML. `wasm`: the
 * compiled core. `stored`: what this browser session keeps (the roster and policy, roster.js),
 * read now rather than after the core starts: the read is a round trip to the browser, measured
 * at 10-25 ms, that would otherwise come after the core is ready. */
const tab = targetTab();
var popupStart = {
  page: inject(tab, 'read-page.js'),
  readDom: () => inject(tab, 'read-dom.js'),
  wasm: compile(),
  stored: chrome.storage.session.get(null),
};
popupStart.page.catch(() => {});
popupStart.wasm.catch(() => {});
popupStart.stored.catch(() => {});
