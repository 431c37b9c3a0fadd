// The extension's one manifest source, printed for a browser: node manifest.mjs chrome|firefox
const browser = process.argv[2] ?? 'chrome';

const manifest = {
  manifest_version: 3,
  name: 'Key Roster',
  version: '0.1.0',
  description:
    "Audit your organization's LLM API keys by owner and project, flag risky ones, export to Excel. "
    + 'Nothing leaves your browser.',
  icons: {
    16: 'icons/icon-16.png',
    32: 'icons/icon-32.png',
    48: 'icons/icon-48.png',
    128: 'icons/icon-128.png',
  },
  action: {
    default_title: 'Key Roster: read this page',
    default_popup: 'popup.html',
    default_icon: { 16: 'icons/icon-16.png', 32: 'icons/icon-32.png' },
  },
  // scripting: read the HTML of the platform tab the user clicked on (executeScript, on demand).
  // storage: keep the roster in storage.session, which lives in memory only.
  permissions: ['scripting', 'storage'],
  // The only sites whose pages are read: OpenAI's platform and Anthropic's Claude Console (served
  // from platform.claude.com, and from console.anthropic.com before it moved). The same list is
  // the core's (crate/src/ingest/providers: Info::hosts), pinned by tests/e2e/manifest.test.mjs.
  // No <all_urls>, no tabs, no webRequest, no content scripts.
  host_permissions: [
    'https://platform.openai.com/*',
    'https://platform.claude.com/*',
    'https://console.anthropic.com/*',
  ],
  // 'wasm-unsafe-eval' lets extension pages compile the core; connect-src 'self' makes the browser
  // refuse any request to another host, whatever the code tries.
  content_security_policy: {
    extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'; connect-src 'self'",
  },
};

if (browser === 'firefox') {
  // Firefox runs MV3 background code as an event page, not a service worker.
  manifest.background = { scripts: ['sw.js'], type: 'module' };
  // Firefox needs a stable id for storage and for signing.
  // data_collection_permissions 'none': Firefox shows users what an add-on sends; this one sends
  // nothing. Firefox reads the key from 140 on (142 on Android), hence the minimum versions.
  manifest.browser_specific_settings = {
    gecko: {
      id: 'keyroster@keyroster.invalid',
      strict_min_version: '140.0',
      data_collection_permissions: { required: ['none'] },
    },
    gecko_android: { strict_min_version: '142.0' },
  };
} else {
  manifest.background = { service_worker: 'sw.js', type: 'module' };
  manifest.minimum_chrome_version = '110';
}

process.stdout.write(JSON.stringify(manifest, null, 2) + '\n');
