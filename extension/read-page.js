// What the popup runs in the tab it reads first: chrome.scripting.executeScript({files:
// ['read-page.js']}) injects this file, and its value (the last expression below) is the result
// the popup gets: the page's HTML behind its doctype, its URL and title. Serializing the page is
// the browser's own code, several times faster than walking its DOM from a script (read-dom.js,
// which the popup runs only when the core's fast reader declines this HTML: a page no HTML parser
// could have made). The doctype goes first so the core parses the page in the mode the browser
// did; on the same line, so the secret sweep's line numbers are the page's.
(() => {
  const doctype = document.doctype ? new XMLSerializer().serializeToString(document.doctype) : '';
  const html = doctype + document.documentElement.outerHTML;
  return { html, url: location.href, title: document.title };
})();
