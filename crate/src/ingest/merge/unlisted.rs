//! Unlisted keys: usage and cost rows under a key id that no key read carries.
//!
//! Deleted keys vanish from the keys pages but keep their `api_key_id` in usage and cost
//! exports, and a project nobody opened lists its keys nowhere that was read. Those rows are
//! gathered here per key id (project, first and last day, totals) instead of being dropped,
//! and joined to the audit log's deletion of that id when one was read. They are never merged
//! into a listed key by name or guesswork: only an input that carries the id on a key (the
//! Admin API's keys JSON) makes them that key's usage, on the next link.

use std::collections::BTreeMap;

use super::add_source;
use super::history::{by_key, deletion};
use crate::ingest::providers;
use crate::model::{Inventory, UnlistedKey, Usage};

/// Rebuilds [`Inventory::unlisted`] from the usage rows at `rows` (indexes into
/// `inv.usage` of the rows that name a key id and joined no key), ordered by cost, highest
/// first, then by id.
pub(super) fn collect(inv: &mut Inventory, rows: &[usize]) {
    let wanted = rows
        .iter()
        .filter_map(|&i| inv.usage.get(i)?.key_id.as_deref())
        .collect();
    let events = by_key(&inv.events, &wanted);
    let mut by_id: BTreeMap<&str, UnlistedKey> = BTreeMap::new();
    // One pass over the rows, large exports included: the deletion is known before it.
    for r in rows.iter().filter_map(|&i| inv.usage.get(i)) {
        let Some(id) = r.key_id.as_deref() else {
            continue;
        };
        let u = by_id.entry(id).or_insert_with(|| {
            // The platform the row says it is from (Anthropic's reports do), else the one whose
            // id prefix it carries (`apikey_…`, `key_…`); OpenAI when neither says.
            let provider = r
                .provider
                .or_else(|| providers::by_id(id))
                .unwrap_or_default();
            let mut u = UnlistedKey {
                provider,
                id: id.to_string(),
                ..UnlistedKey::default()
            };
            if let Some(ev) = events.get(id) {
                u.history = ev.iter().map(|e| (*e).clone()).collect();
                if let Some((on, by)) = deletion(ev) {
                    u.deleted_on = on;
                    u.deleted_by = by;
                }
            }
            u
        });
        if u.name.is_none() {
            u.name = r.key_name.clone().filter(|n| !n.trim().is_empty());
        }
        if u.project.as_ref().is_none_or(|p| p.is_empty()) {
            u.project = r.project.clone();
        }
        if let Some(d) = r.date {
            u.first_day = Some(u.first_day.map_or(d, |f| f.min(d)));
            u.last_day = Some(u.last_day.map_or(d, |l| l.max(d)));
            // Usage on a day after the deletion day: the deletion day itself may be before it.
            if u.deleted_on.is_some_and(|on| d > on) {
                u.after_deletion
                    .get_or_insert_with(Usage::default)
                    .add(&r.usage);
            }
        }
        u.usage.add(&r.usage);
        add_source(&mut u.sources, &r.source);
    }
    let mut out: Vec<UnlistedKey> = by_id.into_values().collect();
    for u in &mut out {
        if u.project.is_none() {
            u.project = u.history.iter().find_map(|e| e.project.clone());
        }
        // Rows after the deletion that say nothing was used are no spend.
        if !u.after_deletion.as_ref().is_some_and(spent) {
            u.after_deletion = None;
        }
    }
    out.sort_by(|a, b| {
        let cost = |u: &UnlistedKey| u.usage.cost_usd.unwrap_or(0.0);
        cost(b).total_cmp(&cost(a)).then_with(|| a.id.cmp(&b.id))
    });
    inv.unlisted = out;
}

fn spent(u: &Usage) -> bool {
    u.cost_usd.is_some_and(|c| c > 0.0)
        || u.requests.is_some_and(|n| n > 0)
        || u.input_tokens.is_some_and(|n| n > 0)
        || u.output_tokens.is_some_and(|n| n > 0)
}
