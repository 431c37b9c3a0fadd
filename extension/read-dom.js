// What the popup runs in the tab when the core declines the page's HTML alone (read-page.js):
// chrome.scripting.executeScript({files: ['read-dom.js']}) injects this file, and its value (the
// last expression below) is the result the popup gets: the page's HTML and its DOM. The e2e tests
// inject the same file.
//
// The DOM in the flat form the core reads (crate/src/ingest/html/dom.rs): `1`/`2`/`3` (an HTML,
// SVG or MathML element), its name, its attribute count and name/value pairs; `0` when it closes;
// `4` and a text; `5` and a comment. A template's contents are under it, as in its HTML. One walk
// without recursion, so a deep page cannot overflow the stack. It runs in the page, so it uses
// nothing outside itself.
(() => {
  const NS = { 'http://www.w3.org/2000/svg': 2, 'http://www.w3.org/1998/Math/MathML': 3 };
  const root = document.documentElement;
  const out = [];
  const open = [];
  let node = root;
  for (;;) {
    if (node) {
      if (node.nodeType === 1) {
        // Names, then each value by name: `attributes` makes an Attr object per attribute, which
        // made this walk a third slower on a 1,000-key page (it runs once, cold).
        // An HTML element's getAttribute lower-cases the name it is given: an upper-case name a
        // script set (setAttributeNS) is looked up among the Attr objects instead.
        const names = node.hasAttributes() ? node.getAttributeNames() : [];
        out.push(NS[node.namespaceURI] ?? 1, node.localName, names.length);
        for (const name of names) {
          const value = node.getAttribute(name) ?? [...node.attributes].find((a) => a.name === name).value;
          out.push(name, value);
        }
        open.push(node);
        node = (node.localName === 'template' && node.content ? node.content : node).firstChild;
        continue;
      }
      if (node.nodeType === 3) out.push(4, node.data);
      else if (node.nodeType === 8) out.push(5, node.data);
      node = node.nextSibling;
    } else {
      const done = open.pop();
      out.push(0);
      if (done === root || !done) break;
      node = done.nextSibling;
    }
  }
  return { html: root.outerHTML, dom: JSON.stringify(out), url: location.href, title: document.title };
})();
