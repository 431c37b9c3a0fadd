//! Linking: recomputing every derived join of the [`Inventory`] from scratch after each input.
//!
//! Usage rows onto keys (by key id, else redacted value, else name within project; rows of a key
//! id no key carries become unlisted keys, [`super::unlisted`]), audit events onto keys
//! ([`super::history`]), members onto key owners (recording on
//! each key how its owner's membership was decided: [`crate::model::OwnerMatch`]), and the
//! projects list onto project references. Each join is a hash lookup per row, so linking stays
//! linear in keys + rows; nothing accumulates, so running it twice changes nothing.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;

use super::{fold, or, same_project, suffix_bucket};
use crate::model::{
    Inventory, Key, MatchField, Member, Owner, OwnerMatch, OwnerType, Permissions, ProjectRef,
    Usage, UsageRow,
};
use crate::secret;

/// Recomputes the joins: usage onto keys, audit events onto keys, members onto owners, project
/// names onto key and member project references. Idempotent; linear in keys + rows.
pub fn link(inv: &mut Inventory) {
    let unjoined = link_usage(inv);
    super::history::link_history(inv);
    super::unlisted::collect(inv, &unjoined);
    link_owners(inv);
    link_projects(inv);
}

/// Which key a usage row belongs to: by key id, else redacted value, else name within project.
/// A row that matches several keys equally well is left unjoined rather than guessed.
struct UsageJoin<'k> {
    keys: &'k [Key],
    by_id: HashMap<&'k str, usize>,
    by_suffix: HashMap<&'k str, Vec<usize>>,
    by_name: HashMap<&'k str, Vec<usize>>,
}

impl<'k> UsageJoin<'k> {
    fn new(keys: &'k [Key]) -> Self {
        let mut j = UsageJoin {
            keys,
            by_id: HashMap::with_capacity(keys.len()),
            by_suffix: HashMap::new(),
            by_name: HashMap::new(),
        };
        for (i, k) in keys.iter().enumerate() {
            if let Some(id) = &k.id {
                j.by_id.entry(id.as_str()).or_insert(i);
            }
            if let Some(b) = k.redacted.as_deref().and_then(suffix_bucket) {
                j.by_suffix.entry(b).or_default().push(i);
            }
            let n = k.name.trim();
            if !n.is_empty() {
                j.by_name.entry(n).or_default().push(i);
            }
        }
        j
    }

    /// A candidate is acceptable when nothing the row says contradicts it.
    fn fits(&self, i: usize, r: &UsageRow) -> bool {
        let Some(k) = self.keys.get(i) else {
            return false;
        };
        if let (Some(a), Some(b)) = (&k.id, &r.key_id) {
            if a != b {
                return false;
            }
        }
        if r.provider.is_some_and(|p| p != k.provider) {
            return false;
        }
        same_project(k.project.as_ref(), r.project.as_ref())
    }

    fn only(
        &self,
        candidates: Option<&Vec<usize>>,
        r: &UsageRow,
        also: impl Fn(&Key) -> bool,
    ) -> Option<usize> {
        let mut found = None;
        for &i in candidates? {
            if self.fits(i, r) && self.keys.get(i).is_some_and(&also) {
                if found.is_some() {
                    return None;
                }
                found = Some(i);
            }
        }
        found
    }

    fn find(&self, r: &UsageRow) -> Option<usize> {
        if let Some(&i) = r.key_id.as_deref().and_then(|id| self.by_id.get(id)) {
            return Some(i);
        }
        if let Some(red) = r.key_redacted.as_deref() {
            let hit = suffix_bucket(red).and_then(|b| {
                self.only(self.by_suffix.get(b), r, |k| {
                    k.redacted
                        .as_deref()
                        .is_some_and(|kr| secret::same_key_value(kr, red))
                })
            });
            if hit.is_some() {
                return hit;
            }
        }
        let name = r
            .key_name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())?;
        // By name only within a project the row states, or when the name is unique anyway.
        self.only(self.by_name.get(name), r, |_| true)
    }
}

/// Joins usage rows onto keys; returns the indexes of the rows that name a key id and joined no
/// key (the unlisted keys' rows).
fn link_usage(inv: &mut Inventory) -> Vec<usize> {
    let n = inv.keys.len();
    let mut unjoined = Vec::new();
    let mut totals: Vec<Option<Usage>> = vec![None; n];
    let mut daily: Vec<BTreeMap<Date, Usage>> = vec![BTreeMap::new(); n];
    // Without usage rows there is nothing to join: the key indexes are not built (on a keys
    // page of 20,000 keys they were a tenth of the read).
    if !inv.usage.is_empty() {
        let join = UsageJoin::new(&inv.keys);
        for (at, r) in inv.usage.iter().enumerate() {
            if r.key_id.is_none() && r.key_redacted.is_none() && r.key_name.is_none() {
                continue; // project- or org-level usage: never a key
            }
            let Some(i) = join.find(r) else {
                if r.key_id.is_some() {
                    unjoined.push(at);
                }
                continue;
            };
            if let Some(t) = totals.get_mut(i) {
                t.get_or_insert_with(Usage::default).add(&r.usage);
            }
            if let (Some(d), Some(series)) = (r.date, daily.get_mut(i)) {
                series.entry(d).or_default().add(&r.usage);
            }
        }
    }
    for ((k, t), d) in inv.keys.iter_mut().zip(totals).zip(daily) {
        k.usage = t;
        k.daily = d
            .into_iter()
            .map(|(date, usage)| crate::model::DailyUsage { date, usage })
            .collect();
    }
    unjoined
}

/// What a list of scopes grants: none or `*` is everything, only reads is read-only.
pub(crate) fn permissions_from_scopes(scopes: &[String]) -> Permissions {
    if scopes.is_empty() || scopes.iter().any(|s| s.trim() == "*") {
        Permissions::All
    } else if scopes.iter().all(|s| s.trim().ends_with(".read")) {
        Permissions::ReadOnly
    } else {
        Permissions::Restricted
    }
}

/// Every member, indexed by the fields an owner can be matched on.
struct MemberIndex {
    by_id: HashMap<String, usize>,
    by_email: HashMap<String, usize>,
    /// `None` when two different people carry the name: it matches, but says not who.
    by_name: HashMap<String, Option<usize>>,
}

impl MemberIndex {
    fn new(members: &[Member]) -> Self {
        let mut ix = MemberIndex {
            by_id: HashMap::new(),
            by_email: HashMap::new(),
            by_name: HashMap::new(),
        };
        // Organization members first, so they win over project memberships of the same person.
        let order = members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.project.is_none())
            .chain(
                members
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| m.project.is_some()),
            );
        for (i, m) in order {
            if let Some(id) = &m.id {
                ix.by_id.entry(id.clone()).or_insert(i);
            }
            if let Some(e) = &m.email {
                ix.by_email.entry(fold(e)).or_insert(i);
            }
            if let Some(n) = &m.name {
                let entry = ix.by_name.entry(fold(n)).or_insert(Some(i));
                // Another person (not the same one seen in another scope) with this name.
                if let Some(j) = *entry {
                    let same = members.get(j).zip(members.get(i)).is_some_and(|(a, b)| {
                        a.id == b.id && a.email.as_deref().map(fold) == b.email.as_deref().map(fold)
                    });
                    if !same {
                        *entry = None;
                    }
                }
            }
        }
        ix
    }

    /// Matches one owner: by id, else email, else name, each only when the members carry that
    /// field at all; the name only when neither id nor email is shared. Returns how it was
    /// decided and the member to copy details from.
    fn find(&self, o: &Owner) -> (OwnerMatch, Option<usize>) {
        let mut shared = Vec::new();
        if let Some(id) = o.id.as_deref().filter(|_| !self.by_id.is_empty()) {
            shared.push(MatchField::Id);
            if let Some(&i) = self.by_id.get(id) {
                return (OwnerMatch::Member { by: MatchField::Id }, Some(i));
            }
        }
        if let Some(e) = o.email.as_deref().filter(|_| !self.by_email.is_empty()) {
            shared.push(MatchField::Email);
            if let Some(&i) = self.by_email.get(&fold(e)) {
                return (
                    OwnerMatch::Member {
                        by: MatchField::Email,
                    },
                    Some(i),
                );
            }
        }
        if shared.is_empty() {
            if let Some(n) = o.name.as_deref().filter(|_| !self.by_name.is_empty()) {
                shared.push(MatchField::Name);
                if let Some(&hit) = self.by_name.get(&fold(n)) {
                    return (
                        OwnerMatch::Member {
                            by: MatchField::Name,
                        },
                        hit,
                    );
                }
            }
        }
        if shared.is_empty() {
            (OwnerMatch::Unknown, None)
        } else {
            (OwnerMatch::NotMember { on: shared }, None)
        }
    }
}

/// Owners matched against members (see [`OwnerMatch`] for the order and what each outcome
/// means) and enriched from the member found: only what the owner lacks is filled.
fn link_owners(inv: &mut Inventory) {
    for k in &mut inv.keys {
        k.owner_match = OwnerMatch::Unchecked;
    }
    if inv.members.is_empty() {
        return;
    }
    let ix = MemberIndex::new(&inv.members);
    // Twice: a match fills the owner's missing id, name and email from the member, and the
    // second pass records the match those fields give. Without it the field recorded would
    // depend on the order inputs were read in (by name on first sight, by id on any later link).
    for k in &mut inv.keys {
        if let (_, Some(m)) = ix.find(&k.owner) {
            if let Some(m) = inv.members.get(m) {
                or(&mut k.owner.id, m.id.clone());
                or(&mut k.owner.name, m.name.clone());
                or(&mut k.owner.email, m.email.clone());
            }
        }
    }
    for k in &mut inv.keys {
        let (how, hit) = ix.find(&k.owner);
        k.owner_match = how;
        let Some(m) = hit.and_then(|i| inv.members.get(i)) else {
            continue;
        };
        or(&mut k.owner.id, m.id.clone());
        or(&mut k.owner.name, m.name.clone());
        or(&mut k.owner.email, m.email.clone());
        if k.owner.kind == OwnerType::Unknown {
            k.owner.kind = m.kind;
        }
    }
}

/// Fills the missing half of key and member project references from the projects list.
fn link_projects(inv: &mut Inventory) {
    if inv.projects.is_empty() {
        return;
    }
    let mut name_of: HashMap<&str, &str> = HashMap::new();
    let mut id_of: HashMap<String, Option<&str>> = HashMap::new();
    for p in &inv.projects {
        if let (Some(id), Some(n)) = (&p.id, &p.name) {
            name_of.insert(id, n);
            let e = id_of.entry(fold(n)).or_insert(Some(id));
            if *e != Some(id.as_str()) {
                *e = None; // two projects with one name: do not guess
            }
        }
    }
    let fill = |p: &mut ProjectRef| match (&p.id, &p.name) {
        (Some(id), None) => p.name = name_of.get(id.as_str()).map(|s| s.to_string()),
        (None, Some(n)) => p.id = id_of.get(&fold(n)).copied().flatten().map(str::to_string),
        _ => {}
    };
    for k in &mut inv.keys {
        if let Some(p) = &mut k.project {
            fill(p);
        }
    }
    for m in &mut inv.members {
        if let Some(p) = &mut m.project {
            fill(p);
        }
    }
}
