//! The terminal table of a roster holding more than one platform's keys: a totals line per
//! provider under the summary, and the keys by owner once per provider, with the scope column
//! named as that platform names it (PROJECT, WORKSPACE).

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
    }
}

/// The keys by owner, once per provider.
pub(super) fn keys_by_owner(r: &Report, o: &mut String) {
    for t in &r.summary.providers {
        let _ = writeln!(o);
        let _ = writeln!(o, "{} KEYS BY OWNER", t.label.to_uppercase());
        let scope = providers::info(t.provider).scope_title.to_uppercase();
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
                pad("LAST USED", 10),
                pad("RISK", 8)
            );
            for i in mine {
                let Some(k) = r.keys.get(i) else { continue };
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
                    pad(&last_used(k.key.last_used), 10),
                    pad(risk, 8)
                );
            }
        }
    }
}
