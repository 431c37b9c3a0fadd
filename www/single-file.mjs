// Builds dist/keyroster.html: the analyzer as ONE file that works opened from disk. Modules are
// inlined as data: URLs behind an import map, the wasm and the sample org as base64. A page
// opened from file:// may not start workers, so this build runs the Roster on the page's thread.
//   node www/single-file.mjs dist/www > dist/keyroster.html
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const read = (p) => readFileSync(join(dir, p));
// Every module of the shared report UI (ui/*.js, ui/tabs/*.js) by a bare name, so a new tab
// needs no edit here.
const uiModules = readdirSync(join(dir, 'ui'), { recursive: true })
  .filter((f) => f.endsWith('.js')).sort()
  .map((f) => [`kr-${f.replace(/\.js$/, '').replaceAll('/', '-')}`, `ui/${f}`]);
const modules = {
  ...Object.fromEntries(uiModules),
  'keyroster-pkg': 'pkg/keyroster.js',
  'kr-app': 'app.js',
};
const byPath = Object.fromEntries(Object.entries(modules).map(([name, path]) => [path, name]));
const rewrite = (src, from) => src.replace(/(from\s+|import\s*\(\s*)'([^']+)'/g, (m, lead, spec) => {
  if (!spec.startsWith('.')) return m;
  const path = join(from, '..', spec).replace(/^\.\//, '');
  return byPath[path] ? `${lead}'${byPath[path]}'` : m;
});
const imports = {};
for (const [name, path] of Object.entries(modules)) {
  const src = rewrite(read(path).toString('utf8'), path);
  imports[name] = `data:text/javascript;base64,${Buffer.from(src).toString('base64')}`;
}
const sampleDir = join(dir, 'sample');
const sample = readdirSync(sampleDir).filter((f) => f !== 'index.json').sort()
  .map((name) => ({ name, base64: readFileSync(join(sampleDir, name)).toString('base64') }));
const css = read('ui/report.css').toString('utf8') + read('app.css').toString('utf8');
const wasm = read('pkg/keyroster_bg.wasm').toString('base64');

let html = read('index.html').toString('utf8');
// Inline scripts and styles, data: modules, and still no connection anywhere.
const csp = [
  "default-src 'none'",
  "script-src 'unsafe-inline' 'wasm-unsafe-eval' data:",
  "style-src 'unsafe-inline'",
  'img-src data: blob:',
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
html = html.replace(
  /<meta http-equiv="Content-Security-Policy"[^>]*>/,
  `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
);
html = html.replace(/<link rel="stylesheet"[^>]*>\s*/g, '');
html = html.replace('</head>', `<style>\n${css}</style>\n</head>`);
const boot = `<script type="importmap">${JSON.stringify({ imports })}</script>
<script>
globalThis.KEYROSTER_INLINE = {
  wasm: () => Uint8Array.from(atob(${JSON.stringify(wasm)}), (c) => c.charCodeAt(0)),
  sample: ${JSON.stringify(sample)},
};
</script>
<script type="module">import 'kr-app';</script>`;
html = html.replace('<script type="module" src="app.js"></script>', boot);
process.stdout.write(html);
