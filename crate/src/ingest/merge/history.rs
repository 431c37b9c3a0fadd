//! A history per key: audit-log `api_key.*` events joined to keys by id.
//!
//! The events fill what pages lack (creation date, creator, project, permissions from the
//! newest scope-bearing event) and say which keys no longer exist: an `api_key.deleted` event
//! marks the key deleted, with when and by whom. A key a page listed that an audit log deletes
//! is stale input (the page was read before the deletion, or saved earlier), not a live key;
//! rules skip deleted keys. Every key keeps its event list, oldest first, for the key details
//! and the CLI's JSON.
//!
//! Recomputed from scratch on every link: what a previous link filled from events stays filled
//! (it is indistinguishable from a page's value), but the history and deletion are rebuilt.

use jiff::civil::Date;
use rustc_hash::{FxHashMap, FxHashSet};

use super::link::permissions_from_scopes;
use super::or;
use crate::model::{AuditEvent, Inventory, Permissions};

/// Who did it, as a history line names them: the email, else the id.
pub fn actor(e: &AuditEvent) -> Option<String> {
    e.actor_email.clone().or_else(|| e.actor_id.clone())
}

/// The `api_key.*` events of the key ids in `wanted`, by key id, each list oldest
/// first (undated events last, in the order they were read).
///
/// Only the ids asked for get a list: an audit log of 50,000 events about keys no input lists
/// otherwise built 50,000 one-event lists to look none of them up (and the map's growth, hashing
/// every id again at each rehash, was a sixth of reading the log).
// FxHash: one lookup per event and per key (ids are short, and come from our own inputs).
pub(super) fn by_key<'e>(
    events: &'e [AuditEvent],
    wanted: &FxHashSet<&str>,
) -> FxHashMap<&'e str, Vec<&'e AuditEvent>> {
    let mut by_subject: FxHashMap<&str, Vec<&AuditEvent>> = FxHashMap::default();
    if wanted.is_empty() {
        return by_subject;
    }
    for e in events {
        if let (Some(s), true) = (&e.subject_id, e.kind.starts_with("api_key.")) {
            if wanted.contains(s.as_str()) {
                by_subject.entry(s.as_str()).or_default().push(e);
            }
        }
    }
    for v in by_subject.values_mut() {
        // Stable: same-day events keep the audit log's order.
        v.sort_by_key(|e| (e.date.is_none(), e.date));
    }
    by_subject
}

/// The first deletion among a key's events: when and by whom.
pub(super) fn deletion(events: &[&AuditEvent]) -> Option<(Option<Date>, Option<String>)> {
    events
        .iter()
        .find(|e| e.kind == "api_key.deleted")
        .map(|e| (e.date, actor(e)))
}

/// Joins the audit events onto the keys (see the module comment).
pub(super) fn link_history(inv: &mut Inventory) {
    for k in &mut inv.keys {
        k.history.clear();
    }
    if inv.events.is_empty() {
        return;
    }
    let wanted = inv.keys.iter().filter_map(|k| k.id.as_deref()).collect();
    let by_subject = by_key(&inv.events, &wanted);
    for k in &mut inv.keys {
        let Some(events) = k.id.as_deref().and_then(|id| by_subject.get(id)) else {
            continue;
        };
        // The newest scope-bearing event says the key's current permissions.
        let mut latest_scopes: Option<&AuditEvent> = None;
        for e in events {
            if e.kind == "api_key.created" {
                or(&mut k.created, e.date);
                or(&mut k.created_by, actor(e));
                if k.project.is_none() {
                    k.project = e.project.clone();
                }
            }
            if matches!(e.kind.as_str(), "api_key.created" | "api_key.updated")
                && latest_scopes.is_none_or(|l| e.date >= l.date)
            {
                latest_scopes = Some(e);
            }
        }
        if let Some((on, by)) = deletion(events) {
            k.deleted = true;
            or(&mut k.deleted_on, on);
            or(&mut k.deleted_by, by);
        }
        if let (Permissions::Unknown, Some(e)) = (k.permissions, latest_scopes) {
            // An update that requested no scope change says nothing about permissions.
            if e.kind == "api_key.created" || !e.scopes.is_empty() {
                k.permissions = permissions_from_scopes(&e.scopes);
            }
        }
        k.history = events.iter().map(|e| (*e).clone()).collect();
    }
}
