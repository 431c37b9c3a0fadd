//! Rules about a key's expiry date: `expiring-soon`, `expired`, `no-expiry`. Most pages do not
//! show expiry; when no key's expiry is known these rules say so rather than pass silently.

use crate::model::Expiry;

use super::{days_between, key_label, Ctx, Hit, Outcome};

fn need_expiry(ctx: &Ctx) -> Option<Outcome> {
    (!ctx
        .live_keys()
        .any(|(_, k, _)| k.expires != Expiry::Unknown))
    .then(|| Outcome::skipped("no key's expiry is known (the pages and files read do not show it)"))
}

pub fn expiring_soon(ctx: &Ctx) -> Outcome {
    if let Some(o) = need_expiry(ctx) {
        return o;
    }
    let limit = ctx.policy.thresholds.expiring_soon_days;
    let hits = ctx
        .live_keys()
        .filter_map(|(i, k, _)| {
            let d = k.expires.date()?;
            let left = days_between(ctx.as_of, d);
            (0..=limit).contains(&left).then(|| {
                let when = match left {
                    0 => "today".to_string(),
                    1 => "in 1 day".to_string(),
                    n => format!("in {n} days"),
                };
                Hit::key(i, k, format!("{} expires {d}, {when}", key_label(k)))
            })
        })
        .collect();
    Outcome::Ran(hits)
}

pub fn expired(ctx: &Ctx) -> Outcome {
    if let Some(o) = need_expiry(ctx) {
        return o;
    }
    let hits = ctx
        .live_keys()
        .filter_map(|(i, k, _)| {
            let d = k.expires.date()?;
            let ago = days_between(d, ctx.as_of);
            (ago > 0).then(|| {
                let days = if ago == 1 {
                    "1 day".to_string()
                } else {
                    format!("{ago} days")
                };
                Hit::key(
                    i,
                    k,
                    format!(
                        "{} expired {d}, {days} ago, and is still listed",
                        key_label(k)
                    ),
                )
            })
        })
        .collect();
    Outcome::Ran(hits)
}

pub fn no_expiry(ctx: &Ctx) -> Outcome {
    if let Some(o) = need_expiry(ctx) {
        return o;
    }
    let hits = ctx
        .live_keys()
        .filter(|(_, k, _)| k.expires == Expiry::Never)
        .map(|(i, k, _)| Hit::key(i, k, format!("{} never expires", key_label(k))))
        .collect();
    Outcome::Ran(hits)
}
