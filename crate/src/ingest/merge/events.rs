//! Audit events: each event once, however many inputs repeat it.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::{AuditEvent, Inventory};

/// Appends events, skipping any an earlier event already gave: the same id, or (events without
/// an id) the same kind, date, subject, actor and scopes. Both are hash lookups, so an audit log
/// of n events merges in time linear in n (id-less events were compared with every event kept).
pub(super) fn merge_events(inv: &mut Inventory, name: &str, events: Vec<AuditEvent>) {
    let total = inv.events.len() + events.len();
    let mut ids: FxHashSet<String> = FxHashSet::with_capacity_and_hasher(total, Default::default());
    ids.extend(inv.events.iter().filter_map(|e| e.id.clone()));
    // Id-less events by a hash of the fields compared, each with the indexes that share it.
    let mut anonymous: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
    for (i, e) in inv.events.iter().enumerate() {
        if e.id.is_none() {
            anonymous.entry(event_fingerprint(e)).or_default().push(i);
        }
    }
    inv.events.reserve(events.len());
    for mut e in events {
        if e.source.is_empty() {
            e.source = name.to_string();
        }
        let dup = match &e.id {
            Some(id) => ids.contains(id.as_str()) || !ids.insert(id.clone()),
            None => {
                let same = anonymous.entry(event_fingerprint(&e)).or_default();
                let dup = same
                    .iter()
                    .any(|&i| inv.events.get(i).is_some_and(|old| same_event(old, &e)));
                if !dup {
                    same.push(inv.events.len());
                }
                dup
            }
        };
        if !dup {
            inv.events.push(e);
        }
    }
}

/// Whether two events without an id are the same event.
fn same_event(old: &AuditEvent, e: &AuditEvent) -> bool {
    old.id.is_none()
        && old.kind == e.kind
        && old.date == e.date
        && old.subject_id == e.subject_id
        && old.actor_email == e.actor_email
        && old.scopes == e.scopes
}

/// A hash of what [`same_event`] compares.
fn event_fingerprint(e: &AuditEvent) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    (&e.kind, e.date, &e.subject_id, &e.actor_email, &e.scopes).hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use crate::model::{AuditEvent, Inventory};

    #[test]
    fn events_merge_once_by_id_or_by_their_fields_when_they_have_none() {
        let ev = |id: Option<&str>, subject: &str, scopes: &[&str]| AuditEvent {
            id: id.map(str::to_string),
            kind: "api_key.updated".into(),
            date: Some(jiff::civil::date(2026, 11, 2)),
            subject_id: Some(subject.into()),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            ..AuditEvent::default()
        };
        let log = vec![
            ev(Some("e1"), "key_a", &[]),
            ev(None, "key_a", &["a"]),
            // The same id-less event twice in one log: one event.
            ev(None, "key_a", &["a"]),
            ev(None, "key_a", &["b"]),
            ev(None, "key_b", &["a"]),
            ev(Some("e1"), "key_z", &[]),
        ];
        let mut inv = Inventory::default();
        super::merge_events(&mut inv, "log.json", log.clone());
        let got = |inv: &Inventory| {
            inv.events
                .iter()
                .map(|e| (e.id.clone(), e.subject_id.clone(), e.scopes.clone()))
                .collect::<Vec<_>>()
        };
        let once = got(&inv);
        assert_eq!(once.len(), 4, "{once:?}");
        assert_eq!(inv.events[1].source, "log.json");
        // The same log read again adds nothing.
        super::merge_events(&mut inv, "again.json", log);
        assert_eq!(got(&inv), once);
    }
}
