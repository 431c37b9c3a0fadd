//! Activity: keys nobody uses or that have lived too long. `admin-key-idle`, `unused`,
//! `never-used` and `rotation-overdue`, each against the policy's thresholds in days.

use super::{key_target, live, Ctx, Outcome};
use crate::analyze::describe_last_used;
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
                o.push(
                    key_target(i, k),
                    format!(
                        "created {c}, {age} days ago, and still in use ({}) (rotate every {} days)",
                        describe_last_used(k.key.last_used, cx.as_of),
                        t.rotation_days
                    ),
                    "Create a new key, move its users to it, then revoke this one.",
                );
            }
        }
    }
}
