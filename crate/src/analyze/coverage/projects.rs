//! Projects some input names (projects pages or JSON, usage and cost rows, unlisted keys, project
//! members) whose keys were never read, for [`super::Coverage::projects_not_visited`].

use std::collections::{BTreeSet, HashMap, HashSet};

use super::Listing;
use crate::model::{Inventory, ProjectRef};
use crate::names::fold;

/// A project's identity for matching: its id, and its folded name.
fn ids(p: &ProjectRef) -> [Option<String>; 2] {
    [
        p.id.clone().map(|i| format!("id:{i}")),
        p.name.as_deref().map(|n| format!("name:{}", fold(n))),
    ]
}

/// Projects some input names whose keys were never read: no key read is in them, no keys page
/// scoped to them was read, and no complete organization-wide keys page covers them.
pub(super) fn not_visited(inv: &Inventory, listings: &[Listing]) -> Vec<String> {
    let org_wide = listings.iter().any(|l| {
        l.noun == "keys"
            && l.project.is_none()
            && l.kind.ends_with("org-api-keys")
            && l.complete != Some(false)
    });
    if org_wide {
        return Vec::new();
    }
    let mut visited: BTreeSet<String> = BTreeSet::new();
    for k in &inv.keys {
        if let Some(p) = &k.project {
            visited.extend(ids(p).into_iter().flatten());
        }
    }
    for l in listings.iter().filter(|l| l.noun == "keys") {
        if let Some(p) = &l.project {
            visited.insert(format!("name:{}", fold(p)));
            visited.insert(format!("id:{p}"));
        }
    }
    // Every project some input names, once, by its label; archived ones hold no live keys.
    let mut known: Vec<ProjectRef> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let listed: Vec<ProjectRef> = inv
        .projects
        .iter()
        .filter(|p| p.status.as_deref() != Some("archived"))
        .map(|p| ProjectRef {
            id: p.id.clone(),
            name: p.name.clone(),
        })
        .collect();
    // A cost export names the same few projects on thousands of usage rows: each reference is
    // looked at once, in the order first met (the same reference again would change nothing
    // below), rather than cloned, formatted and folded per row.
    let mut met: HashSet<&ProjectRef> = HashSet::new();
    let named = inv
        .usage
        .iter()
        .filter_map(|r| r.project.as_ref())
        .chain(inv.unlisted.iter().filter_map(|u| u.project.as_ref()))
        .chain(inv.members.iter().filter_map(|m| m.project.as_ref()))
        .filter(|p| met.insert(p));
    for p in listed.iter().chain(named).filter(|p| !p.is_empty()) {
        let keys: Vec<String> = ids(p).into_iter().flatten().collect();
        if let Some(&i) = keys.iter().find_map(|k| seen.get(k)) {
            if let Some(old) = known.get_mut(i) {
                if old.name.is_none() {
                    old.name = p.name.clone();
                }
            }
            for k in keys {
                seen.entry(k).or_insert(i);
            }
            continue;
        }
        for k in keys {
            seen.insert(k, known.len());
        }
        known.push(p.clone());
    }
    // Archived projects by id are known from the projects list even when a row names them.
    let archived: BTreeSet<String> = inv
        .projects
        .iter()
        .filter(|p| p.status.as_deref() == Some("archived"))
        .flat_map(|p| {
            ids(&ProjectRef {
                id: p.id.clone(),
                name: p.name.clone(),
            })
        })
        .flatten()
        .collect();
    known
        .into_iter()
        .filter(|p| {
            let keys: Vec<String> = ids(p).into_iter().flatten().collect();
            !keys
                .iter()
                .any(|k| visited.contains(k) || archived.contains(k))
        })
        .map(|p| p.label().to_string())
        .collect()
}
