//! Merging every input's [`Batch`] into one [`Inventory`], and linking what the inputs say about
//! each other (usage onto keys, audit events onto keys, members onto key owners).
//!
//! [`merge`] decides identity: the same key, member or project read from two pages or files is
//! one record with the most complete fields of both. [`link`] recomputes every derived join from
//! scratch after each input, so it is idempotent and the order inputs arrive in does not matter.
//!
//! Members: one person appears as ONE organization member (`project: None`) plus one
//! project-membership record per project (`project: Some(…)`, carrying the project role). A
//! project membership whose project is not known is `project: Some(ProjectRef::default())`,
//! never an organization member. Members are matched within the same scope (organization, or
//! the same project by id, else by name).
//!
//! Usage rows under a key id no key carries become unlisted keys (`unlisted`); audit events
//! become each key's history (`history`).
//!
//! Usage a reader attached to a key itself (Key Roster's own keys.csv or report JSON carry
//! totals) is turned into usage rows here, so that [`link`] owns `Key::usage` and `Key::daily`.
//!
//! What "the same" key means and which reading's fields win is in `keys`, which audit events
//! repeat in `events`; members, projects and usage rows are merged here.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use crate::ingest::Batch;
use crate::model::{Inventory, Member, OwnerType, Project, ProjectRef, Source, UsageRow};

mod events;
mod history;
mod keys;
mod link;
mod unlisted;

use keys::{merge_keys, same_project, suffix_bucket};

// One fold for the crate; `link` reaches it through here.
pub(crate) use crate::names::fold;

pub use history::actor as event_actor;
pub use link::link;

/// Merges one input's batch into the inventory and records its source.
pub fn merge(inv: &mut Inventory, name: &str, batch: Batch) {
    let records = batch.records();
    let Batch {
        kind,
        url,
        org,
        keys,
        members,
        members_list,
        projects,
        mut usage,
        events,
        exposed,
        warnings,
        seen,
        usage_windows,
    } = batch;
    for mut w in usage_windows {
        w.source = name.to_string();
        if !inv.usage_windows.contains(&w) {
            inv.usage_windows.push(w);
        }
    }
    if inv.org.is_none() {
        inv.org = org;
    }
    inv.members_known |= members_list;

    // Key Roster's own keys.csv carries each key's original sources: keep them verbatim, so the
    // export reads back as the same keys.
    let own_export = kind == "csv:keyroster-keys";
    merge_keys(inv, name, keys, &mut usage, own_export);
    merge_members(inv, name, members);
    merge_projects(inv, name, projects);
    merge_usage(inv, name, usage);
    events::merge_events(inv, name, events);
    for e in exposed {
        if !inv
            .exposed
            .iter()
            .any(|x| x.source == e.source && x.location == e.location && x.redacted == e.redacted)
        {
            inv.exposed.push(e);
        }
    }
    inv.record_source(Source {
        name: name.to_string(),
        kind,
        records,
        warnings,
        error: None,
        url,
        seen,
    });
}

fn add_source(sources: &mut Vec<String>, name: &str) {
    if !sources.iter().any(|s| s == name) {
        sources.push(name.to_string());
    }
}

fn or<T>(a: &mut Option<T>, b: Option<T>) {
    if a.is_none() {
        *a = b;
    }
}

// ---------------------------------------------------------------------------------------------
// Members

/// The scope a member record belongs to: the organization, or one project.
fn scope(p: Option<&ProjectRef>) -> String {
    match p {
        None => "org".into(),
        Some(p) => match (&p.id, &p.name) {
            (Some(id), _) => format!("project-id:{id}"),
            (None, Some(n)) => format!("project-name:{}", fold(n)),
            (None, None) => "project:?".into(),
        },
    }
}

/// The identity keys a member can be found by, strongest first.
fn member_keys(m: &Member) -> Vec<String> {
    let s = scope(m.project.as_ref());
    let mut out = Vec::with_capacity(3);
    if let Some(id) = &m.id {
        out.push(format!("{s}|id:{id}"));
    }
    if let Some(e) = &m.email {
        out.push(format!("{s}|email:{}", fold(e)));
    }
    if let Some(n) = &m.name {
        out.push(format!("{s}|name:{}", fold(n)));
    }
    out
}

/// Two readings can be one person unless they carry different ids, or different emails.
fn compatible_members(a: &Member, b: &Member) -> bool {
    let differ = |x: &Option<String>, y: &Option<String>, f: fn(&str) -> String| match (x, y) {
        (Some(x), Some(y)) => f(x) != f(y),
        _ => false,
    };
    !differ(&a.id, &b.id, |s| s.to_string()) && !differ(&a.email, &b.email, fold)
}

/// Member statuses from an invite rank below a status from a member list (`active`, `removed`).
fn status_rank(s: Option<&str>) -> u8 {
    match s {
        None => 0,
        Some("pending" | "expired" | "accepted" | "invited") => 1,
        Some(_) => 2,
    }
}

fn merge_members(inv: &mut Inventory, name: &str, members: Vec<Member>) {
    if members.is_empty() {
        return;
    }
    let mut index: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, m) in inv.members.iter().enumerate() {
        for k in member_keys(m) {
            index.entry(k).or_default().push(i);
        }
    }
    for mut m in members {
        add_source(&mut m.sources, name);
        let found = member_keys(&m).iter().find_map(|k| {
            index.get(k)?.iter().copied().find(|&i| {
                inv.members
                    .get(i)
                    .is_some_and(|old| compatible_members(old, &m))
            })
        });
        let at = match found {
            Some(i) => {
                if let Some(old) = inv.members.get_mut(i) {
                    merge_member(old, m);
                }
                i
            }
            None => {
                inv.members.push(m);
                inv.members.len() - 1
            }
        };
        if let Some(m) = inv.members.get(at) {
            for k in member_keys(m) {
                let v = index.entry(k).or_default();
                if !v.contains(&at) {
                    v.push(at);
                }
            }
        }
    }
}

fn merge_member(old: &mut Member, new: Member) {
    or(&mut old.id, new.id);
    or(&mut old.name, new.name);
    or(&mut old.email, new.email);
    if old.kind == OwnerType::Unknown {
        old.kind = new.kind;
    }
    or(&mut old.role, new.role);
    if status_rank(new.status.as_deref()) > status_rank(old.status.as_deref()) {
        old.status = new.status;
    }
    if let (Some(a), Some(b)) = (&mut old.project, new.project) {
        or(&mut a.id, b.id);
        or(&mut a.name, b.name);
    }
    old.added = match (old.added, new.added) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    for s in &new.sources {
        add_source(&mut old.sources, s);
    }
}

// ---------------------------------------------------------------------------------------------
// Projects

fn merge_projects(inv: &mut Inventory, name: &str, projects: Vec<Project>) {
    for mut p in projects {
        add_source(&mut p.sources, name);
        let found = inv.projects.iter().position(|old| match (&old.id, &p.id) {
            (Some(a), Some(b)) => a == b,
            _ => match (&old.name, &p.name) {
                (Some(a), Some(b)) => fold(a) == fold(b),
                _ => false,
            },
        });
        let Some(old) = found.and_then(|i| inv.projects.get_mut(i)) else {
            inv.projects.push(p);
            continue;
        };
        or(&mut old.id, p.id);
        or(&mut old.name, p.name);
        // `archived` is the later fact about a project than `active`.
        if old.status.is_none() || p.status.as_deref() == Some("archived") {
            old.status = p.status.or(old.status.take());
        }
        or(&mut old.created, p.created);
        // Limits come from limits sources only; such a source's `None` means "no limit".
        if p.limits_known {
            old.limits_known = true;
            old.hard_limit_usd = p.hard_limit_usd;
            old.soft_limit_usd = p.soft_limit_usd;
        }
        for s in &p.sources {
            add_source(&mut old.sources, s);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Usage rows and events

/// A row's identity for de-duplication: everything but its source.
fn row_fingerprint(r: &UsageRow) -> u64 {
    let mut h = DefaultHasher::new();
    r.dimensions().hash(&mut h);
    (
        r.usage.requests,
        r.usage.input_tokens,
        r.usage.output_tokens,
        r.usage.cost_usd.map(f64::to_bits),
    )
        .hash(&mut h);
    h.finish()
}

fn same_row(a: &UsageRow, b: &UsageRow) -> bool {
    a.date == b.date
        && a.key_id == b.key_id
        && a.key_redacted == b.key_redacted
        && a.key_name == b.key_name
        && a.project == b.project
        && a.user_id == b.user_id
        && a.user_email == b.user_email
        && a.model == b.model
        && a.line_item == b.line_item
        && a.usage == b.usage
}

/// Appends rows, skipping any identical to a row an EARLIER input gave (the same file read twice
/// must not double the cost). Identical rows within one input are kept: they are real.
fn merge_usage(inv: &mut Inventory, name: &str, rows: Vec<UsageRow>) {
    if rows.is_empty() {
        return;
    }
    if inv.usage.is_empty() {
        // Nothing earlier to repeat: skip hashing (the first file is often the 1M-row one).
        inv.usage = rows;
        for r in inv.usage.iter_mut().filter(|r| r.source.is_empty()) {
            r.source = name.to_string();
        }
        return;
    }
    let mut seen: HashMap<u64, Vec<usize>> = HashMap::with_capacity(inv.usage.len());
    for (i, r) in inv.usage.iter().enumerate() {
        seen.entry(row_fingerprint(r)).or_default().push(i);
    }
    let before = inv.usage.len();
    inv.usage.reserve(rows.len());
    for mut r in rows {
        if r.source.is_empty() {
            r.source = name.to_string();
        }
        let dup = seen.get(&row_fingerprint(&r)).is_some_and(|v| {
            v.iter()
                .filter(|&&i| i < before)
                .any(|&i| inv.usage.get(i).is_some_and(|old| same_row(old, &r)))
        });
        if !dup {
            inv.usage.push(r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::link::permissions_from_scopes;
    use crate::model::Permissions;

    #[test]
    fn scopes_map_to_permission_levels() {
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(permissions_from_scopes(&s(&[])), Permissions::All);
        assert_eq!(permissions_from_scopes(&s(&["*"])), Permissions::All);
        assert_eq!(
            permissions_from_scopes(&s(&["api.model.read", "api.files.read"])),
            Permissions::ReadOnly
        );
        assert_eq!(
            permissions_from_scopes(&s(&["api.model.read", "api.model.request"])),
            Permissions::Restricted
        );
    }
}
