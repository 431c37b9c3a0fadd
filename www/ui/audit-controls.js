// The policy preset and "compare with a previous audit" controls, wired the same way on the
// analyzer page (www/app.js) and the extension's report page (extension/report.js): each page
// supplies its own elements and says things its own way; what a change does is written once.

import { el, replace } from './dom.js';

/**
 * Wires `preset` (a <select>) and `previous` (an <input type=file>) to the Roster `api`.
 * After each change the report is redrawn with `refresh()`; `say(text, ok)` tells the user what
 * happened; `onPreset(name)` runs after a preset is set and `onPrevious()` after a previous audit
 * is loaded (the extension keeps both for the popup).
 */
export async function wireAuditControls({
  api, preset, previous, refresh, say, onPreset = async () => {}, onPrevious = async () => {},
}) {
  // The presets are the core's, listed once there.
  const chosen = preset.value;
  replace(preset, ...(await api.presets()).map((p) => el('option', { value: p }, p)));
  if (chosen) preset.value = chosen;
  preset.addEventListener('change', async () => {
    try {
      await api.setPreset(preset.value);
      await onPreset(preset.value);
    } catch (err) {
      say(err.message, false);
    }
    await refresh();
  });
  previous.addEventListener('change', async () => {
    const file = previous.files[0];
    if (!file) return;
    try {
      await api.compareWith(file.name, new Uint8Array(await file.arrayBuffer()));
      await onPrevious();
      say(`Compared with ${file.name}.`, true);
    } catch (err) {
      say(err.message, false);
    }
    await refresh();
  });
}
