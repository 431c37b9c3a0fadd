// The built manifests grant exactly what SPEC.md allows, for both browsers. A permission added by
// mistake (tabs, downloads, <all_urls>, a content script) would pass every behavioral test, so it
// is pinned here on the files that ship.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const read = async (dir) => JSON.parse(await readFile(path.join(root, 'dist', dir, 'manifest.json'), 'utf8'));
const CSP = "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'; connect-src 'self'";

for (const [dir, browser] of [['extension', 'chrome'], ['firefox', 'firefox']]) {
  test(`the ${browser} manifest asks for scripting and storage on the OpenAI and Claude consoles only`, async () => {
    const m = await read(dir);
    assert.equal(m.manifest_version, 3);
    assert.deepEqual(m.permissions, ['scripting', 'storage']);
    // The same list as the core's providers (providers::host_patterns, tested in Rust).
    assert.deepEqual(m.host_permissions, [
      'https://platform.openai.com/*',
      'https://platform.claude.com/*',
      'https://console.anthropic.com/*',
    ]);
    assert.equal(m.optional_permissions, undefined);
    assert.equal(m.optional_host_permissions, undefined);
    assert.equal(m.content_scripts, undefined);
    assert.equal(m.web_accessible_resources, undefined);
    assert.equal(m.externally_connectable, undefined);
    assert.deepEqual(m.content_security_policy, { extension_pages: CSP });
    assert.equal(m.action.default_popup, 'popup.html');
  });
}

test('chrome runs sw.js as a module service worker', async () => {
  const m = await read('extension');
  assert.deepEqual(m.background, { service_worker: 'sw.js', type: 'module' });
  assert.equal(m.browser_specific_settings, undefined);
});

test('firefox runs sw.js as a background script, with a gecko id and no data collected', async () => {
  const m = await read('firefox');
  assert.deepEqual(m.background, { scripts: ['sw.js'], type: 'module' });
  assert.equal(m.browser_specific_settings.gecko.id, 'keyroster@keyroster.invalid');
  assert.deepEqual(m.browser_specific_settings.gecko.data_collection_permissions, { required: ['none'] });
  assert.equal(m.minimum_chrome_version, undefined);
});
