// The extension's report page: the shared report UI over the session roster, plus settings for
// the policy and a pasted member list.

import { mountReport } from './ui/report.js';
import { plural } from './ui/dom.js';
import { direct } from './ui/roster-api.js';
import { wireAuditControls } from './ui/audit-controls.js';
import { openRoster, saveRoster, savePolicy } from './roster.js';
import * as core from './pkg/keyroster.js';

const $ = (id) => document.getElementById(id);
const roster = await openRoster(core);
const api = direct(roster);
const report = mountReport($('report'), api);
await report.refresh();

const say = (id, text) => { $(id).textContent = text; };

await wireAuditControls({
  api,
  preset: $('preset'),
  previous: $('previous'),
  refresh: () => report.refresh(),
  say: (text) => say('previous-status', text),
  onPreset: (name) => savePolicy('preset', `preset = "${name}"\n`),
  onPrevious: () => saveRoster(roster),
});

$('policy-default').addEventListener('click', (e) => {
  e.preventDefault();
  $('policy-text').value = roster.constructor.default_policy_toml();
});

$('policy-apply').addEventListener('click', async () => {
  const text = $('policy-text').value;
  try {
    const name = roster.set_policy('policy', text);
    await savePolicy('policy', text);
    say('policy-status', `Applied (${name}).`);
    await report.refresh();
  } catch (e) {
    say('policy-status', e.message);
  }
});

$('members-add').addEventListener('click', async () => {
  const text = $('members-text').value;
  const added = roster.add_input('members (pasted)', new TextEncoder().encode(text), undefined, undefined);
  if (added.source.error) {
    say('members-status', added.source.error);
    return;
  }
  let kept = '';
  try {
    await saveRoster(roster);
  } catch (e) {
    // Shown in this report either way; only the popup's next page would start without them.
    kept = ` They are in this report but could not be kept for the next page: ${e?.message ?? e}`;
  }
  say('members-status', `Added ${plural(added.source.records, 'member')}.${kept}`);
  await report.refresh();
});
document.body.dataset.ready = 'true';
