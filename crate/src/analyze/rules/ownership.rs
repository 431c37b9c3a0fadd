//! Ownership: `owner-departed` (a person's key whose owner left), `user-key-in-production` (a
//! person's key where a service account's belongs) and `many-keys-per-owner`.
//!
//! `owner-departed` only says "departed" when it has evidence: the platform says the owner lost
//! access, or the member list and the owner share an identifying field (id, email or folded
//! name) and no current member matches on any of them. An owner the list cannot speak of (keys
//! give a name, the list only emails) is "owner unknown": counted in the rule's note, never a
//! finding. Ingest's owner join (`ingest::merge::link`) records which member an owner is and by
//! which field ([`OwnerMatch`]); this rule only judges that member's status. Keys never linked
//! against a member list (`Unchecked`) are judged from the shared fields here.

use std::collections::{BTreeMap, HashSet};

use super::{key_target, live, Ctx, Outcome};
use crate::analyze::describe_last_used;
use crate::model::{Key, MatchField, Member, Owner, OwnerAccess, OwnerMatch, OwnerType};
use crate::names::fold;

/// A member who still belongs to the organization (or project).
pub fn is_current(m: &Member) -> bool {
    !matches!(
        m.status
            .as_deref()
            .map(|s| s.to_ascii_lowercase())
            .as_deref(),
        Some(
            "removed" | "deleted" | "deactivated" | "disabled" | "inactive" | "expired" | "banned"
        )
    )
}

/// The organization's people as the member list knows them: which identifying fields the list
/// carries at all, and those of its current members.
struct Roll {
    ids: HashSet<String>,
    emails: HashSet<String>,
    names: HashSet<String>,
    current: usize,
    lists_ids: bool,
    lists_emails: bool,
    lists_names: bool,
}

impl Roll {
    fn new(members: &[Member]) -> Roll {
        let people: Vec<&Member> = members
            .iter()
            .filter(|m| m.kind != OwnerType::ServiceAccount && m.project.is_none())
            .collect();
        let current: Vec<&Member> = people.iter().copied().filter(|m| is_current(m)).collect();
        Roll {
            ids: current.iter().filter_map(|m| m.id.clone()).collect(),
            emails: current
                .iter()
                .filter_map(|m| m.email.as_deref().map(fold))
                .collect(),
            names: current
                .iter()
                .filter_map(|m| m.name.as_deref().map(fold))
                .collect(),
            current: current.len(),
            lists_ids: people.iter().any(|m| m.id.is_some()),
            lists_emails: people.iter().any(|m| m.email.is_some()),
            lists_names: people.iter().any(|m| m.name.is_some()),
        }
    }

    /// `Some(true)` when a current member matches the owner on any field, `Some(false)` when
    /// the list and the owner share a field and no current member matches, `None` when they
    /// share none (the list cannot say).
    fn has(&self, o: &Owner) -> Option<bool> {
        let id = o.id.as_deref().filter(|_| self.lists_ids);
        let email = o.email.as_deref().filter(|_| self.lists_emails).map(fold);
        let name = o.name.as_deref().filter(|_| self.lists_names).map(fold);
        if id.is_none() && email.is_none() && name.is_none() {
            return None;
        }
        Some(
            id.is_some_and(|i| self.ids.contains(i))
                || email.is_some_and(|e| self.emails.contains(&e))
                || name.is_some_and(|n| self.names.contains(&n)),
        )
    }
}

/// Whether a key's owner is a current member: `Some(false)` says departed, `None` unknown.
/// Ingest's join decided who the owner is; a matched member may still have been removed.
fn verdict(key: &Key, members: &[Member], roll: &Roll) -> Option<bool> {
    let o = &key.owner;
    match &key.owner_match {
        OwnerMatch::Unchecked => roll.has(o),
        OwnerMatch::Unknown => None,
        OwnerMatch::NotMember { .. } => Some(false),
        OwnerMatch::Member { by } => {
            Some(members.iter().filter(|m| is_current(m)).any(|m| match by {
                MatchField::Id => o.id.is_some() && m.id == o.id,
                MatchField::Email => {
                    o.email.as_deref().map(fold) == m.email.as_deref().map(fold)
                        && o.email.is_some()
                }
                MatchField::Name => {
                    o.name.as_deref().map(fold) == m.name.as_deref().map(fold) && o.name.is_some()
                }
            }))
        }
    }
}

pub(super) fn owner_departed(cx: &Ctx, o: &mut Outcome) {
    let roll = Roll::new(&cx.inv.members);
    let (mut judged, mut unknown) = (0usize, 0usize);
    for (i, k) in live(cx.keys).filter(|(_, k)| k.key.owner.kind == OwnerType::User) {
        let owner = &k.key.owner;
        let who = owner
            .email
            .clone()
            .or(owner.name.clone())
            .or(owner.id.clone());
        match k.key.owner_access {
            Some(OwnerAccess::Inactive) => {
                judged += 1;
                let project = k
                    .key
                    .project
                    .as_ref()
                    .map(|p| p.label().to_string())
                    .unwrap_or_else(|| "its project".into());
                o.push(
                    key_target(i, k),
                    format!(
                        "owner {} no longer has access to {project}, but the key still works ({})",
                        who.unwrap_or_else(|| "?".into()),
                        describe_last_used(k.key.last_used, cx.as_of)
                    ),
                    "Find who still depends on it, move them to a service-account key, and revoke this one.",
                );
                continue;
            }
            Some(OwnerAccess::Active) => {
                judged += 1;
                continue;
            }
            None => {}
        }
        let verdict = cx
            .inv
            .members_known
            .then(|| verdict(&k.key, &cx.inv.members, &roll))
            .flatten();
        match verdict {
            None => unknown += 1,
            Some(true) => judged += 1,
            Some(false) => {
                judged += 1;
                o.push(
                    key_target(i, k),
                    format!(
                        "owner {} is not among the {} current members ({})",
                        who.unwrap_or_default(),
                        roll.current,
                        describe_last_used(k.key.last_used, cx.as_of)
                    ),
                    "Confirm the person left; if the key is still needed, replace it with a service-account key, then revoke it.",
                );
            }
        }
    }
    if unknown == 0 {
        return;
    }
    let keys = if unknown == 1 {
        "1 key".to_string()
    } else {
        format!("{unknown} keys")
    };
    let why = if cx.inv.members_known {
        format!("the owners of {keys} share no id, email or name with the member list, so whether they left is unknown")
    } else {
        format!(
            "{keys} do not say whether their owners still have access and no member list was read"
        )
    };
    if judged == 0 {
        o.skip(why);
    } else {
        o.note = Some(format!("owner unknown: {why}"));
    }
}

/// Whether `pattern` occurs in `haystack` as whole words, case-insensitively. A pattern of
/// several words ("customer facing") matches them in sequence whatever separates them
/// ("customer-facing bot").
fn whole_word(haystack: &str, pattern: &str) -> bool {
    // Compared word by word without building lists of lowercased words: asked of every
    // person's key for every production pattern.
    let words = |s| {
        let s: &str = s;
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
    };
    let same = |a: &str, b: &str| {
        if a.is_ascii() && b.is_ascii() {
            a.eq_ignore_ascii_case(b)
        } else {
            a.to_lowercase() == b.to_lowercase()
        }
    };
    let Some(first) = words(pattern).next() else {
        return false;
    };
    // Most names hold no pattern at all: when both are ASCII, the pattern's first word must
    // appear in the haystack as it is (any case) before words are compared.
    if haystack.is_ascii() && first.is_ascii() {
        let (hay, first) = (haystack.as_bytes(), first.as_bytes());
        if !hay
            .windows(first.len())
            .any(|w| w.eq_ignore_ascii_case(first))
        {
            return false;
        }
    }
    let mut from = words(haystack);
    loop {
        let mut hay = from.clone();
        if words(pattern).all(|p| hay.next().is_some_and(|h| same(h, p))) {
            return true;
        }
        if from.next().is_none() {
            return false;
        }
    }
}

pub(super) fn user_key_in_production(cx: &Ctx, o: &mut Outcome) {
    for (i, k) in live(cx.keys).filter(|(_, k)| k.key.owner.kind == OwnerType::User) {
        let project = k.key.project.as_ref().map(|p| p.label()).unwrap_or("");
        let hit = cx.policy.production_patterns.iter().find_map(|pat| {
            if whole_word(&k.key.name, pat) {
                Some(format!("its name {:?} says {pat}", k.key.name))
            } else if whole_word(project, pat) {
                Some(format!(
                    "its {} {project:?} says {pat}",
                    crate::ingest::providers::scope_noun(k.key.provider)
                ))
            } else {
                None
            }
        });
        if let Some(why) = hit {
            o.push(
                key_target(i, k),
                format!(
                    "owned by {} and {why}: it stops working when that person's account goes",
                    k.key.owner.label()
                ),
                "Move production traffic to a service-account key, then revoke this one.",
            );
        }
    }
}

pub(super) fn many_keys_per_owner(cx: &Ctx, o: &mut Outcome) {
    let t = &cx.policy.thresholds;
    let mut by_owner: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut by_owner_project: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, k) in live(cx.keys).filter(|(_, k)| k.active) {
        let owner = fold(k.key.owner.label());
        if owner.is_empty() {
            continue;
        }
        by_owner.entry(owner.clone()).or_default().push(i);
        let project = k
            .key
            .project
            .as_ref()
            .map(|p| p.label().to_string())
            .unwrap_or_default();
        by_owner_project
            .entry((owner, project))
            .or_default()
            .push(i);
    }
    // Keys already flagged for their owner's total, not flagged again per project: looked up
    // by index (a search of the findings per key was quadratic, seconds for 50,000 keys).
    let mut flagged = vec![false; cx.keys.len()];
    for idx in by_owner
        .values()
        .filter(|v| v.len() > t.many_keys_per_owner)
    {
        for &i in idx {
            let Some(k) = cx.keys.get(i) else { continue };
            if let Some(f) = flagged.get_mut(i) {
                *f = true;
            }
            o.push(
                key_target(i, k),
                format!(
                    "{} holds {} active keys (more than {})",
                    k.key.owner.label(),
                    idx.len(),
                    t.many_keys_per_owner
                ),
                "Revoke the keys this owner no longer needs; fewer keys are easier to rotate and to account for.",
            );
        }
    }
    let Some(max) = t.max_keys_per_owner_per_project else {
        return;
    };
    for ((_, project), idx) in by_owner_project.iter().filter(|(_, v)| v.len() > max) {
        for &i in idx {
            let Some(k) = cx.keys.get(i) else { continue };
            if flagged.get(i).copied().unwrap_or(false) {
                continue;
            }
            o.push(
                key_target(i, k),
                format!(
                    "{} holds {} active keys in {} {project} (at most {max})",
                    k.key.owner.label(),
                    idx.len(),
                    crate::ingest::providers::scope_noun(k.key.provider)
                ),
                "Keep one active key per owner and project; revoke the others.",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::whole_word;

    /// The word-by-word comparison agrees with its definition: the pattern's lowercased words
    /// appear, in a row, among the haystack's.
    #[test]
    fn whole_word_matches_its_definition() {
        let words = |s: &str| -> Vec<String> {
            s.split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect()
        };
        let defined = |hay: &str, pat: &str| {
            let (h, p) = (words(hay), words(pat));
            !p.is_empty() && h.windows(p.len()).any(|w| w == p.as_slice())
        };
        let hays = [
            "checkout-prod",
            "PROD api",
            "production",
            "my prod key",
            "",
            "--",
            "Prod Live EU",
            "prodlive",
            "ÉTÉ prod",
            "ΟΔΟΣ",
            "live",
        ];
        let pats = [
            "prod",
            "production",
            "prod live",
            "live eu",
            "",
            "-",
            "été",
            "οδος",
            "ΟΔΟΣ",
        ];
        for h in hays {
            for p in pats {
                assert_eq!(whole_word(h, p), defined(h, p), "{h:?} / {p:?}");
            }
        }
    }
}
