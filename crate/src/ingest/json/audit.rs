//! Audit log entries (`GET /organization/audit_logs`): key, member, service-account, invite and
//! project lifecycle events. Each entry holds its payload under a property named after its
//! `type` (`"api_key.created": {id, data{scopes}}`).
//!
//! Other event families (logins, certificates, tenants...) say nothing about keys or members;
//! they are counted in one warning rather than kept.

use std::collections::BTreeMap;

use serde_json::Value;

use super::reader::{child, Obj, Reader};
use crate::model::AuditEvent;

/// Event families the roster uses.
const KEPT: [&str; 5] = [
    "api_key.",
    "user.",
    "service_account.",
    "invite.",
    "project.",
];

/// Reads one entry. Returns the type when it was skipped as irrelevant.
pub(super) fn event(r: &mut Reader, o: &Obj, path: &str, skipped: &mut BTreeMap<String, usize>) {
    r.kind("audit-log");
    let Some(kind) = r.text(o, "type", path) else {
        return;
    };
    if !KEPT.iter().any(|p| kind.starts_with(p)) {
        *skipped.entry(kind).or_default() += 1;
        return;
    }
    let payload = r.object(o, &kind, path);
    let at = child(path, &kind);
    let (subject_id, scopes) = match payload {
        Some(p) => {
            let scopes = ["data", "changes_requested"]
                .iter()
                .filter_map(|f| p.get(*f).and_then(Value::as_object))
                .filter_map(|d| d.get("scopes").and_then(Value::as_array))
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            (r.text(p, "id", &at), scopes)
        }
        None => (None, Vec::new()),
    };
    let (actor_email, actor_id) = actor(r, o, path);
    let e = AuditEvent {
        id: r.text(o, "id", path),
        date: r.time(o, "effective_at", path).date(),
        subject_id,
        project: r.project_ref(o, path),
        actor_email,
        actor_id,
        scopes,
        kind,
        source: String::new(),
    };
    r.batch.events.push(e);
}

/// Who did it: a person in a browser session (`actor.session.user`), or an API key, which
/// belongs to a user or a service account.
fn actor(r: &mut Reader, o: &Obj, path: &str) -> (Option<String>, Option<String>) {
    let Some(a) = r.object(o, "actor", path) else {
        return (None, None);
    };
    let at = child(path, "actor");
    if let Some(s) = r.object(a, "session", &at) {
        let at = child(&at, "session");
        if let Some(u) = r.object(s, "user", &at) {
            let at = child(&at, "user");
            return (r.text(u, "email", &at), r.text(u, "id", &at));
        }
    }
    if let Some(k) = r.object(a, "api_key", &at) {
        let at = child(&at, "api_key");
        if let Some(u) = r.object(k, "user", &at) {
            let at = child(&at, "user");
            return (r.text(u, "email", &at), r.text(u, "id", &at));
        }
        if let Some(sa) = r.object(k, "service_account", &at) {
            let at = child(&at, "service_account");
            return (None, r.text(sa, "id", &at));
        }
        return (None, r.text(k, "id", &at));
    }
    (None, None)
}

/// The warning for skipped event types, e.g. `login.succeeded (3)`.
pub(super) fn skipped_note(skipped: &BTreeMap<String, usize>) -> Option<String> {
    if skipped.is_empty() {
        return None;
    }
    let n: usize = skipped.values().sum();
    let list: Vec<String> = skipped.iter().map(|(k, c)| format!("{k} ({c})")).collect();
    Some(format!(
        "{n} audit event(s) not about keys or members were skipped: {}",
        list.join(", ")
    ))
}
