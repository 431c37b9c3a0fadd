//! Roles where people look: for each owner group, the owner's organization role and project
//! roles as the member lists read show them, and whether the owner is a current member, with the
//! input that says so. The Owners tab, owners.csv and the workbook's Owners sheet and the CLI's
//! table all print this one value.
//!
//! It reads the owner join ingest already made ([`OwnerMatch`]): the member an owner matched and
//! by which field. Nothing is matched anew here, so roles cannot disagree with `owner-departed`.

use serde::{Deserialize, Serialize};

use crate::model::{Inventory, Key, MatchField, Member, OwnerAccess, OwnerMatch};
use crate::names::fold;
use crate::report::{GroupRow, KeyReport};

use super::rules::is_current;

/// One owner's roles and membership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct OwnerRoles {
    /// The organization role (`owner`, `reader`...), when an organization member list said.
    pub org_role: Option<String>,
    /// `Payments: owner`, one per project membership read.
    #[serde(default)]
    pub project_roles: Vec<String>,
    /// `current member`, `not among current members`, `unknown`...
    pub membership: String,
    /// The inputs the membership was decided from.
    pub source: Option<String>,
}

impl OwnerRoles {
    /// One line: `org owner · Payments: reader · current member (members.html)`.
    pub fn line(&self) -> String {
        let mut parts = Vec::new();
        if let Some(r) = &self.org_role {
            parts.push(format!("org {r}"));
        }
        parts.extend(self.project_roles.iter().cloned());
        let source = self
            .source
            .as_deref()
            .map(|s| format!(" ({s})"))
            .unwrap_or_default();
        parts.push(format!("{}{source}", self.membership));
        parts.join(" · ")
    }
}

/// Whether member `m` is the one the owner of `k` matched on `by`.
fn is_owner(k: &Key, m: &Member, by: MatchField) -> bool {
    let eq = |a: &Option<String>, b: &Option<String>| match (a, b) {
        (Some(a), Some(b)) => fold(a) == fold(b),
        _ => false,
    };
    match by {
        MatchField::Id => k.owner.id.is_some() && k.owner.id == m.id,
        MatchField::Email => eq(&k.owner.email, &m.email),
        MatchField::Name => eq(&k.owner.name, &m.name),
    }
}

fn sources(members: &[&Member]) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for s in members.iter().flat_map(|m| &m.sources) {
        if !out.contains(&s.as_str()) {
            out.push(s);
        }
    }
    (!out.is_empty()).then(|| out.join(", "))
}

/// The roles of the owner of key `k`.
pub fn of_key(inv: &Inventory, k: &Key) -> OwnerRoles {
    match &k.owner_match {
        OwnerMatch::Member { by } => {
            let found: Vec<&Member> = inv.members.iter().filter(|m| is_owner(k, m, *by)).collect();
            let org = found.iter().find(|m| m.project.is_none());
            let mut project_roles: Vec<String> = found
                .iter()
                .filter_map(|m| {
                    let p = m.project.as_ref()?.label().to_string();
                    let role = m.role.clone().unwrap_or_else(|| "member".into());
                    Some(if p.is_empty() {
                        role
                    } else {
                        format!("{p}: {role}")
                    })
                })
                .collect();
            project_roles.sort();
            project_roles.dedup();
            let membership = match org {
                Some(m) if !is_current(m) => format!(
                    "not among current members (status {})",
                    m.status.as_deref().unwrap_or("?")
                ),
                _ => "current member".to_string(),
            };
            OwnerRoles {
                org_role: org.and_then(|m| m.role.clone()),
                project_roles,
                membership,
                source: sources(&found),
            }
        }
        OwnerMatch::NotMember { .. } => OwnerRoles {
            membership: "not among current members".into(),
            source: sources(&inv.members.iter().collect::<Vec<_>>()),
            ..OwnerRoles::default()
        },
        OwnerMatch::Unknown => OwnerRoles {
            membership: "unknown (the member list and the key share no name, email or id)".into(),
            ..OwnerRoles::default()
        },
        OwnerMatch::Unchecked => match k.owner_access {
            Some(OwnerAccess::Inactive) => OwnerRoles {
                membership: "no access to the key's project".into(),
                source: k.sources.first().cloned(),
                ..OwnerRoles::default()
            },
            _ => OwnerRoles {
                membership: "unknown (no member list read)".into(),
                ..OwnerRoles::default()
            },
        },
    }
}

/// Fills each owner group's roles from its first key (every key of a group has one owner).
pub fn fill(by_owner: &mut [GroupRow], keys: &[KeyReport], inv: &Inventory) {
    for g in by_owner {
        if let Some(k) = g.key_indexes.first().and_then(|&i| keys.get(i)) {
            g.roles = Some(of_key(inv, &k.key));
        }
    }
}
