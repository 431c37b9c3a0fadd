//! The terminal table of a roster holding more than one platform's keys: a totals line per
//! provider under the summary, and the keys by owner once per provider, with the scope column
//! named as that platform names it (PROJECT, WORKSPACE), and LAST SEEN (in a usage report) for a
//! platform that lists no last use.

use std::fmt::Write;

use super::{fit, key_label, last_used, money, pad, project_of, WIDTH};
use crate::ingest::providers;
use crate::report::{Report, Severity};

/// One line per provider: its keys, owners, scopes, findings and cost.
pub(super) fn totals(r: &Report, o: &mut String) {
    for t in &r.summary.providers {
        let f = &t.findings;
        let found = f.critical + f.high + f.medium + f.low + f.info;
        let line = format!(
            "  {}: {} keys ({} active) · {} owners · {} {}s · {found} findings · {}",
            t.label,
            t.keys,
            t.active_keys,
            t.owners,
            t.scopes,
            t.scope_noun,
            money(t.cost_usd)
        );
        let _ = writeln!(o, "{}", fit(&line, WIDTH));
        if let Some([from, to]) = t.usage_seen {
            let _ = writeln!(o, "    last seen: from usage covering {from} to {to}");
        }
    }
}

/// The keys by owner, once per provider.
pub(super) fn keys_by_owner(r: &Report, o: &mut String) {
    for t in &r.summary.providers {
        let _ = writeln!(o);
        let _ = writeln!(o, "{} KEYS BY OWNER", t.label.to_uppercase());
        let info = providers::info(t.provider);
        let scope = info.scope_title.to_uppercase();
        // A platform that lists no last use shows the last day a usage report saw the key.
        let when = if info.lists_last_use {
            "LAST USED"
        } else {
            "LAST SEEN"
        };
        for g in &r.groups.by_owner {
            let mine: Vec<usize> = g
                .key_indexes
                .iter()
                .copied()
                .filter(|&i| r.keys.get(i).is_some_and(|k| k.key.provider == t.provider))
                .collect();
            if mine.is_empty() {
                continue;
            }
            let mut head = g.label.clone();
            if let Some(ty) = &g.owner_type {
                let _ = write!(head, " ({ty})");
            }
            let active = mine
                .iter()
                .filter(|&&i| r.keys.get(i).is_some_and(|k| k.active))
                .count();
            let _ = write!(head, " — {} keys, {active} active", mine.len());
            let _ = writeln!(o, "{}", fit(&head, WIDTH));
            let _ = writeln!(
                o,
                "  {} {} {} {}",
                pad("KEY", 34),
                pad(&scope, 18),
                pad(when, 10),
                pad("RISK", 8)
            );
            for i in mine {
                let Some(k) = r.keys.get(i) else { continue };
                let seen = match (k.last_seen, t.usage_seen) {
                    (Some(d), _) => d.to_string(),
                    // A usage report was read and does not show the key.
                    (None, Some(_)) if !info.lists_last_use => "not seen".into(),
                    (None, _) => last_used(k.key.last_used),
                };
                let risk = match (k.risk, k.key.status.as_deref()) {
                    // Switched off: listed, not judged.
                    (None, Some(s @ ("inactive" | "archived"))) => s,
                    (risk, _) => risk.map_or("none", Severity::as_str),
                };
                let _ = writeln!(
                    o,
                    "  {} {} {} {}",
                    pad(&key_label(k), 34),
                    pad(&project_of(k), 18),
                    pad(&seen, 10),
                    pad(risk, 8)
                );
            }
        }
    }
}
