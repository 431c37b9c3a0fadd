//! Activity: keys nobody uses or that have lived too long. `admin-key-idle`, `unused`,
//! `never-used` and `rotation-overdue`, each against the policy's thresholds in days.
//!
//! Keys whose platform lists no last-used date (Anthropic) are judged by `unused` and
//! `never-used` from a usage report instead ([`super::seen`]), in `seen_unused` and
//! `seen_never_used`; without one they are named in the rule's note, not judged.

use super::{key_target, live, Ctx, Outcome};
use crate::analyze::describe_last_used;
use crate::analyze::seen::{self, Verdict};
use crate::model::{KeyKind, LastUsed};

pub(super) fn admin_key_idle(cx: &Ctx, o: &mut Outcome) {
    let t = &cx.policy.thresholds;
    for (i, k) in live(cx.keys).filter(|(_, k)| k.key.kind == KeyKind::Admin) {
        let fire = match k.key.last_used {
            LastUsed::Date(_) => k.idle_days.is_some_and(|d| d >= t.admin_idle_days),
            LastUsed::Never => true,
            LastUsed::Unknown => false,
        };
        if fire {
            o.push(
                key_target(i, k),
                format!(
                    "admin key {} (threshold {} days)",
                    describe_last_used(k.key.last_used, cx.as_of),
                    t.admin_idle_days
                ),
                "Admin keys can manage the whole organization: revoke this one if nothing uses it.",
            );
        }
    }
}

pub(super) fn unused(cx: &Ctx, o: &mut Outcome) {
    let t = &cx.policy.thresholds;
    seen_unused(cx, o);
    for (i, k) in live(cx.keys) {
        if let (LastUsed::Date(d), Some(idle)) = (k.key.last_used, k.idle_days) {
            if idle >= t.unused_days {
                o.push(
                    key_target(i, k),
                    format!(
                        "last used {d}, {idle} days ago (threshold {} days)",
                        t.unused_days
                    ),
                    "Revoke the key if nothing needs it; unused keys are pure risk.",
                );
            }
        }
    }
}

pub(super) fn never_used(cx: &Ctx, o: &mut Outcome) {
    let t = &cx.policy.thresholds;
    seen_never_used(cx, o);
    for (i, k) in live(cx.keys).filter(|(_, k)| k.key.last_used == LastUsed::Never) {
        if let (Some(c), Some(age)) = (k.key.created, k.age_days) {
            if age >= t.never_used_days {
                o.push(
                    key_target(i, k),
                    format!("never used, created {c} ({age} days ago)"),
                    "Revoke it: a key nobody used in two weeks is rarely needed.",
                );
            }
        }
    }
}

pub(super) fn rotation_overdue(cx: &Ctx, o: &mut Outcome) {
    let t = &cx.policy.thresholds;
    for (i, k) in live(cx.keys) {
        if let (Some(c), Some(age)) = (k.key.created, k.age_days) {
            if age >= t.rotation_days && k.active {
                // A key whose platform lists no last use is "in use" by a usage report.
                let used = match k.last_seen {
                    Some(d) => format!("last seen in usage {d}"),
                    None => describe_last_used(k.key.last_used, cx.as_of),
                };
                o.push(
                    key_target(i, k),
                    format!(
                        "created {c}, {age} days ago, and still in use ({used}) (rotate every {} days)",
                        t.rotation_days
                    ),
                    "Create a new key, move its users to it, then revoke this one.",
                );
            }
        }
    }
}

/// `unused` for keys judged by usage: quiet for the threshold or longer within the days a
/// usage report covered.
fn seen_unused(cx: &Ctx, o: &mut Outcome) {
    let t = cx.policy.thresholds.unused_days;
    let mut short = Vec::new();
    let mut unread = 0;
    for (i, k) in live(cx.keys).filter(|(_, k)| seen::by_usage(&k.key)) {
        let Some(w) = seen::window(cx.inv, k.key.provider) else {
            unread += 1;
            continue;
        };
        let message = match seen::verdict(&k.key, w) {
            Verdict::Seen { last, quiet } if quiet >= t => format!(
                "last seen in usage {last}, then no usage in the {quiet} days to {} ({w}; threshold {t} days)",
                w.to
            ),
            Verdict::NoneInWindow if w.days() >= t => format!(
                "no usage in the {} days covered ({w}; threshold {t} days)",
                w.days()
            ),
            Verdict::NoneInWindow => {
                short.push(w);
                continue;
            }
            _ => continue,
        };
        o.push(
            key_target(i, k),
            message,
            "Revoke the key if nothing needs it; unused keys are pure risk.",
        );
    }
    let mut notes = Vec::new();
    if let Some(w) = short.first() {
        notes.push(format!(
            "{} key(s) had no usage in the {} days covered ({w}), fewer than the {t}-day threshold: not judged (read a longer usage report)",
            short.len(),
            w.days()
        ));
    }
    if unread > 0 {
        notes.push(format!(
            "{unread} key(s) were not judged: their platform lists no last-used date and no usage report of theirs was read"
        ));
    }
    if !notes.is_empty() {
        o.note = Some(notes.join("; "));
    }
}

/// `never-used` for keys judged by usage: created inside the days a usage report covered, and
/// no usage since, for the threshold or longer.
fn seen_never_used(cx: &Ctx, o: &mut Outcome) {
    let t = cx.policy.thresholds.never_used_days;
    for (i, k) in live(cx.keys).filter(|(_, k)| seen::by_usage(&k.key)) {
        let Some(w) = seen::window(cx.inv, k.key.provider) else {
            continue;
        };
        if let Verdict::NoneSinceCreated { created, quiet } = seen::verdict(&k.key, w) {
            if quiet >= t {
                o.push(
                    key_target(i, k),
                    format!(
                        "no usage since it was created {created}: {quiet} days to {} ({w})",
                        w.to
                    ),
                    "Revoke it: a key nobody used in two weeks is rarely needed.",
                );
            }
        }
    }
}
