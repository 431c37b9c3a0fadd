// The policy preset and "compare with a previous audit" controls, wired the same way on the
// analyzer page (www/app.js) and the extension's report page (extension/report.js): each page
// supplies its own elements and says things its own way; what a change does is written once.

/**
 * Wires `preset` (a <select>) and `previous` (an <input type=file>) to the Roster `api`.
 * After each change the report is redrawn with `refresh()`; `say(text, ok)` tells the user what
 * happened; `onPreset(name)` runs after a preset is set (the extension keeps it for the popup).
 */
export function wireAuditControls({ api, preset, previous, refresh, say, onPreset = async () => {} }) {
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
      await api.compareWith(file.name, await file.text());
      say(`Compared with ${file.name}.`, true);
    } catch (err) {
      say(err.message, false);
    }
    await refresh();
  });
}
