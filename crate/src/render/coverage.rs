//! The table's coverage lines (what the roster covers, pages to visit, projects not visited,
//! keys listed but deleted since) and its Unlisted keys table, kept beside the table they are
//! part of so render.rs stays one table per format.

use std::fmt::Write;

use super::{fit, money, pad, wrap, WIDTH};
use crate::report::Report;

/// What the roster covers: the one line, a member's-view warning, the pages still to visit.
pub(super) fn coverage(o: &mut String, r: &Report) {
    let c = &r.coverage;
    if c.line.is_empty() {
        return;
    }
    o.push_str(&wrap(&format!("Coverage: {}", c.line), WIDTH, "  "));
    if let Some(w) = &c.warning {
        o.push_str(&wrap(&format!("! {w}"), WIDTH, "  "));
    }
    for v in &c.to_visit {
        o.push_str(&wrap(&format!("  to visit: {v}"), WIDTH, "    "));
    }
    if !c.projects_not_visited.is_empty() {
        let list = c.projects_not_visited.join(", ");
        o.push_str(&wrap(
            &format!("  projects not visited: {list}"),
            WIDTH,
            "    ",
        ));
    }
    for k in &c.stale {
        o.push_str(&wrap(
            &format!("  listed but deleted since: {k}"),
            WIDTH,
            "    ",
        ));
    }
}

/// Usage under key ids no page read lists.
pub(super) fn unlisted(o: &mut String, r: &Report) {
    if r.unlisted_keys.is_empty() {
        return;
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "UNLISTED KEYS (usage by key ids no page read lists)");
    let _ = writeln!(
        o,
        "  {} {} {} {}",
        pad("KEY ID", 24),
        pad("PROJECT", 18),
        pad("DAYS", 23),
        pad("COST", 10)
    );
    for u in &r.unlisted_keys {
        let days = match (u.first_day, u.last_day) {
            (Some(a), Some(b)) => format!("{a}–{b}"),
            _ => String::new(),
        };
        let project = u.project.as_ref().map(|p| p.label()).unwrap_or("");
        let _ = writeln!(
            o,
            "  {} {} {} {}",
            pad(&u.id, 24),
            pad(project, 18),
            pad(&days, 23),
            pad(&money(u.usage.cost_usd), 10)
        );
        if let Some(d) = u.deleted_on {
            let by = u
                .deleted_by
                .as_deref()
                .map(|b| format!(" by {b}"))
                .unwrap_or_default();
            let after = u
                .after_deletion
                .map(|a| format!("; used {} after", money(a.cost_usd)))
                .unwrap_or_default();
            let _ = writeln!(o, "{}", fit(&format!("    deleted {d}{by}{after}"), WIDTH));
        }
    }
}
