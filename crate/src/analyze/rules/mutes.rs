//! Mutes: a policy's `[[mute]]` entries applied to a finding. A muted finding stays in the
//! report, marked; a mute past its `until` date no longer mutes, and the finding says so.

use super::{Ctx, RuleId};
use crate::names::fold;
use crate::report::{Finding, Muted};
use crate::secret::{canonical_redaction, same_key_value};

/// Marks `f` (a finding of `rule`) muted when a mute of the policy covers it.
pub(super) fn apply(f: &mut Finding, rule: RuleId, cx: &Ctx) {
    let key = f.target.key_index.and_then(|i| cx.keys.get(i));
    let same_value = |redacted: &str, wanted: &str| {
        canonical_redaction(wanted).is_some_and(|w| same_key_value(redacted, &w))
    };
    for m in &cx.policy.mutes {
        if m.rule.as_deref().is_some_and(|r| rule != r) {
            continue;
        }
        let wanted = m.key.trim();
        let hit = match key {
            Some(k) => {
                k.key.id.as_deref() == Some(wanted)
                    || k.key
                        .redacted
                        .as_deref()
                        .is_some_and(|r| same_value(r, wanted))
                    || fold(&k.key.name) == fold(wanted)
            }
            None => {
                f.target
                    .redacted
                    .as_deref()
                    .is_some_and(|r| same_value(r, wanted))
                    || f.target.project.as_deref().is_some_and(|p| {
                        // A project finding names the project by its label; a mute may give its id.
                        fold(p) == fold(wanted)
                            || cx.inv.projects.iter().any(|pr| {
                                pr.id.as_deref() == Some(wanted)
                                    && pr.name.as_deref().or(pr.id.as_deref()) == Some(p)
                            })
                    })
            }
        };
        if !hit {
            continue;
        }
        match m.until {
            Some(until) if until < cx.as_of => {
                f.message
                    .push_str(&format!(" (its mute expired {until}: {})", m.reason));
            }
            _ => {
                f.muted = Some(Muted {
                    reason: m.reason.clone(),
                    until: m.until,
                });
                return;
            }
        }
    }
}
