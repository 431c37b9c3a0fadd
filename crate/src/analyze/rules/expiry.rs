//! Expiry: `expiring-soon` (anything using the key is about to break), `expired` (still listed)
//! and `no-expiry` (off unless the policy is `strict`).

use super::{key_target, live, Ctx, Outcome};
use crate::analyze::days_between;
use crate::model::Expiry;

pub(super) fn expiring_soon(cx: &Ctx, o: &mut Outcome) {
    let soon = cx.policy.thresholds.expiring_soon_days;
    for (i, k) in live(cx.keys) {
        let Some(d) = k.key.expires.date() else {
            continue;
        };
        let left = days_between(cx.as_of, d);
        if (0..=soon).contains(&left) {
            let when = if left == 0 {
                "today".to_string()
            } else {
                format!("in {left} days")
            };
            o.push(
                key_target(i, k),
                format!("expires {d}, {when}: anything that uses it will break"),
                "Create its replacement now and move its users before the date.",
            );
        }
    }
}

pub(super) fn expired(cx: &Ctx, o: &mut Outcome) {
    for (i, k) in live(cx.keys) {
        let Some(d) = k.key.expires.date() else {
            // Listed with status `expired` (Anthropic) but no expiry date read.
            if k.key.status.as_deref() == Some("expired") {
                o.push(
                    key_target(i, k),
                    "status expired (no expiry date was read), but it is still listed".to_string(),
                    "Delete the expired key so the list shows only keys that work.",
                );
            }
            continue;
        };
        let left = days_between(cx.as_of, d);
        if left < 0 {
            o.push(
                key_target(i, k),
                format!("expired {d}, {} days ago, but is still listed", -left),
                "Delete the expired key so the list shows only keys that work.",
            );
        }
    }
}

pub(super) fn no_expiry(cx: &Ctx, o: &mut Outcome) {
    for (i, k) in live(cx.keys).filter(|(_, k)| k.key.expires == Expiry::Never) {
        o.push(
            key_target(i, k),
            "never expires".to_string(),
            "Prefer keys with an expiry date, and rotate this one on a schedule.",
        );
    }
}
