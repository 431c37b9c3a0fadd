// The extension's report page: the shared report UI over the session roster, plus settings for
// the policy and a pasted member list.

import { mountReport } from './ui/report.js';
import { el, plural, replace } from './ui/dom.js';
import { direct } from './ui/roster-api.js';
import { openRoster, saveRoster, savePolicy } from './roster.js';

const $ = (id) => document.getElementById(id);
const roster = await openRoster();
const report = mountReport($('report'), direct(roster));
await report.refresh();

const say = (id, text) => { $(id).textContent = text; };

// The presets are the core's, listed once there.
replace($('preset'), ...roster.constructor.presets().map((p) => el('option', { value: p }, p)));
$('preset').addEventListener('change', async (e) => {
  roster.set_preset(e.target.value);
  await savePolicy('preset', `preset = "${e.target.value}"\n`);
  await report.refresh();
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
$('previous').addEventListener('change', async (e) => {
  const f = e.target.files[0];
  if (!f) return;
  try {
    roster.compare_with(f.name, new Uint8Array(await f.arrayBuffer()));
    say('previous-status', `Compared with ${f.name}.`);
    await report.refresh();
  } catch (err) {
    say('previous-status', err.message);
  }
});

document.body.dataset.ready = 'true';
