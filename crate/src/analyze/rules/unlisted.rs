//! `unlisted-key-spend`: usage or cost under a key id that no page or file read lists.
//!
//! Such a key is either deleted (keys pages drop it, usage and cost exports keep its id) or on
//! a project whose keys were never read. The finding says which only when an audit log does:
//! "not listed on any page read" is not "deleted". When the audit log deletes the id and the
//! key still spent on a later day, the finding is raised one severity level (high by default).

use super::{money, Ctx, Outcome};
use crate::model::{UnlistedKey, Usage};
use crate::report::Target;

fn spent(u: &Usage) -> bool {
    u.cost_usd.is_some_and(|c| c > 0.0)
        || u.requests.is_some_and(|n| n > 0)
        || u.input_tokens.is_some_and(|n| n > 0)
        || u.output_tokens.is_some_and(|n| n > 0)
}

/// `$12.34`, else `1200 requests`, else `5000 tokens`.
fn amount(u: &Usage) -> String {
    if let Some(c) = u.cost_usd.filter(|c| *c > 0.0) {
        return money(c);
    }
    if let Some(n) = u.requests.filter(|n| *n > 0) {
        return format!("{n} requests");
    }
    let tokens = u.input_tokens.unwrap_or(0) + u.output_tokens.unwrap_or(0);
    format!("{tokens} tokens")
}

fn days(u: &UnlistedKey) -> String {
    match (u.first_day, u.last_day) {
        (Some(a), Some(b)) if a == b => format!(" on {a}"),
        (Some(a), Some(b)) => format!(" from {a} to {b}"),
        _ => String::new(),
    }
}

pub(super) fn unlisted_key_spend(cx: &Ctx, o: &mut Outcome) {
    for u in cx.inv.unlisted.iter().filter(|u| spent(&u.usage)) {
        let project = u
            .project
            .as_ref()
            .map(|p| p.label().to_string())
            .filter(|s| !s.is_empty());
        let target = Target {
            kind: "unlisted_key".into(),
            key_id: Some(u.id.clone()),
            key_name: u.name.clone(),
            project: project.clone(),
            ..Target::default()
        };
        let in_project = project
            .map(|p| format!(" in project {p}"))
            .unwrap_or_default();
        let used = format!("{}{}", amount(&u.usage), days(u));
        let deleted = u.deleted_on.map(|d| {
            let by = u
                .deleted_by
                .as_deref()
                .map(|b| format!(" by {b}"))
                .unwrap_or_default();
            format!("deleted {d}{by} per the audit log")
        });
        match (deleted, &u.after_deletion) {
            (Some(del), Some(after)) => o.push_raised(
                target,
                format!(
                    "key {}{in_project} used {used}; it was {del}, yet used {} after that",
                    u.id,
                    amount(after)
                ),
                "A deleted key should not spend: check the usage export's days and which project \
                 and key id they bill; if usage continues after deletion, contact the platform's support.",
            ),
            (Some(del), None) => o.push(
                target,
                format!("key {}{in_project} used {used}; it was {del}", u.id),
                "Nothing to revoke: the key is gone. Keep the spend in mind when reconciling the bill.",
            ),
            (None, _) => o.push(
                target,
                format!(
                    "key {}{in_project} used {used} but is not listed on any page read",
                    u.id
                ),
                "Read that project's API keys page (or the Admin API's keys list) to see whose key \
                 it is; if it was deleted, an audit log export will say when and by whom.",
            ),
        }
    }
}
