//! Rules about who and what a key reaches: `owner-departed`, `legacy-user-key`,
//! `admin-key-idle`, `user-key-in-production`, `broad-permissions`.

use crate::model::{Key, KeyKind, LastUsed, Member, OwnerAccess, OwnerType, Permissions};

use super::{fold, key_label, last_use, plural, when, Ctx, Hit, Outcome};

/// Member statuses that mean the person is gone.
const GONE: [&str; 4] = ["removed", "deleted", "deactivated", "disabled"];

fn is_current(m: &Member) -> bool {
    m.kind != OwnerType::ServiceAccount
        && !m
            .status
            .as_deref()
            .is_some_and(|s| GONE.contains(&s.trim().to_ascii_lowercase().as_str()))
}

fn user_owned(k: &Key) -> bool {
    k.owner.kind == OwnerType::User || k.kind == KeyKind::User
}

/// A current member as owners are matched against it: id, lower-case email, folded name.
struct Person {
    id: Option<String>,
    email: Option<String>,
    name: Option<String>,
}

fn clean(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

impl Person {
    fn of(m: &Member) -> Person {
        Person {
            id: clean(m.id.as_deref()).map(str::to_string),
            email: clean(m.email.as_deref()).map(str::to_lowercase),
            name: clean(m.name.as_deref()).map(fold),
        }
    }

    /// Whether this is `owner` (as [`Person::of_owner`] made it): by id, else email (any
    /// case), else folded name.
    fn is(&self, owner: &Person) -> bool {
        let same = |a: &Option<String>, b: &Option<String>| a.is_some() && a == b;
        same(&self.id, &owner.id)
            || same(&self.email, &owner.email)
            || same(&self.name, &owner.name)
    }

    fn of_owner(k: &Key) -> Person {
        let o = &k.owner;
        Person {
            id: clean(o.id.as_deref()).map(str::to_string),
            email: clean(o.email.as_deref()).map(str::to_lowercase),
            name: clean(o.name.as_deref()).map(fold),
        }
    }
}

/// How many distinct current people the member lists hold (the same person may be listed in
/// the organization and in several projects): counted by id, else email, else name.
fn current_people(current: &[Person]) -> usize {
    let ids: std::collections::HashSet<String> = current
        .iter()
        .filter_map(|p| {
            (p.id.as_ref().map(|s| format!("id:{s}")))
                .or(p.email.as_ref().map(|s| format!("email:{s}")))
                .or(p.name.as_ref().map(|s| format!("name:{s}")))
        })
        .collect();
    ids.len()
}

pub fn owner_departed(ctx: &Ctx) -> Outcome {
    let inv = ctx.inv;
    let has_access_signal = ctx
        .live_keys()
        .any(|(_, k, _)| user_owned(k) && k.owner_access.is_some());
    if !inv.members_known && !has_access_signal {
        return Outcome::skipped(
            "no member list was read and the keys do not say whether their owners still have \
             access; add the members page or users.json",
        );
    }
    let current: Vec<Person> = inv
        .members
        .iter()
        .filter(|m| is_current(m))
        .map(Person::of)
        .collect();
    let people = current_people(&current);
    let mut hits = Vec::new();
    for (i, k, _) in ctx.live_keys().filter(|(_, k, _)| user_owned(k)) {
        let owner = k.owner.label();
        let owner = if owner.trim().is_empty() {
            "(unnamed)"
        } else {
            owner
        };
        if k.owner_access == Some(OwnerAccess::Inactive) {
            let scope = k
                .project
                .as_ref()
                .map(|p| format!(" to project {}", p.label()))
                .unwrap_or_default();
            hits.push(Hit::key(
                i,
                k,
                format!(
                    "owner {owner} of {} no longer has access{scope} (owner_project_access: \
                     inactive)",
                    key_label(k)
                ),
            ));
        } else if inv.members_known
            && !k.owner.label().trim().is_empty()
            && !{
                let owner = Person::of_owner(k);
                current.iter().any(|p| p.is(&owner))
            }
        {
            hits.push(Hit::key(
                i,
                k,
                format!(
                    "owner {owner} of {} is not among the {} current members",
                    key_label(k),
                    people
                ),
            ));
        }
    }
    Outcome::Ran(hits)
}

pub fn legacy_user_key(ctx: &Ctx) -> Outcome {
    let hits = ctx
        .live_keys()
        .filter(|(_, k, _)| k.kind == KeyKind::User)
        .map(|(i, k, _)| {
            let created = k
                .created
                .map(|d| format!(", created {d}"))
                .unwrap_or_default();
            Hit::key(
                i,
                k,
                format!(
                    "{} is a legacy user key{created}: it is not scoped to a project and reaches \
                     every project of the organization",
                    key_label(k)
                ),
            )
        })
        .collect();
    Outcome::Ran(hits)
}

pub fn admin_key_idle(ctx: &Ctx) -> Outcome {
    let admin: Vec<_> = ctx
        .live_keys()
        .filter(|(_, k, _)| k.kind == KeyKind::Admin)
        .collect();
    if !admin.is_empty()
        && admin
            .iter()
            .all(|(_, k, _)| k.last_used == LastUsed::Unknown)
    {
        return Outcome::skipped("no admin key's last use is known");
    }
    let limit = ctx.policy.thresholds.admin_idle_days;
    let hits = admin
        .into_iter()
        .filter(|(_, k, f)| match k.last_used {
            LastUsed::Never => true,
            LastUsed::Date(_) => f.idle_days.is_some_and(|d| d >= limit),
            LastUsed::Unknown => false,
        })
        .map(|(i, k, _)| {
            let created = k
                .created
                .map(|d| format!(" (created {})", when(d, ctx.as_of)))
                .unwrap_or_default();
            Hit::key(
                i,
                k,
                format!(
                    "admin key {} {}{created}; the limit is {limit} days",
                    key_label(k),
                    last_use(k.last_used, ctx.as_of)
                ),
            )
        })
        .collect();
    Outcome::Ran(hits)
}

/// The lower-case alphanumeric words of `s`.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The first pattern that occurs in `text` as whole words (`prod` in "prod-api", not in
/// "product").
fn production_word<'p>(text: &str, patterns: &'p [String]) -> Option<&'p str> {
    let w = words(text);
    patterns.iter().map(String::as_str).find(|p| {
        let pw = words(p);
        !pw.is_empty() && w.windows(pw.len()).any(|win| win == pw.as_slice())
    })
}

pub fn user_key_in_production(ctx: &Ctx) -> Outcome {
    let patterns = &ctx.policy.production_patterns;
    let mut hits = Vec::new();
    for (i, k, _) in ctx
        .live_keys()
        .filter(|(_, k, _)| k.owner.kind == OwnerType::User)
    {
        let project = k.project.as_ref().map(|p| p.label()).unwrap_or("");
        let said = production_word(&k.name, patterns)
            .map(|w| (w, format!("name \"{}\"", k.name.trim())))
            .or_else(|| {
                production_word(project, patterns).map(|w| (w, format!("project {project}")))
            });
        if let Some((word, what)) = said {
            let owner = k.owner.label();
            hits.push(Hit::key(
                i,
                k,
                format!(
                    "{} is owned by user {owner} and its {what} says production (\"{word}\")",
                    key_label(k)
                ),
            ));
        }
    }
    Outcome::Ran(hits)
}

pub fn broad_permissions(ctx: &Ctx) -> Outcome {
    let judged: Vec<_> = ctx
        .live_keys()
        .filter(|(_, k, _)| k.kind != KeyKind::Admin)
        .collect();
    if !judged.is_empty()
        && judged
            .iter()
            .all(|(_, k, _)| k.permissions == Permissions::Unknown)
    {
        return Outcome::skipped(&format!(
            "the permissions of none of the {} are known",
            plural(judged.len(), "key", "keys")
        ));
    }
    let hits = judged
        .into_iter()
        .filter(|(_, k, _)| k.permissions == Permissions::All)
        .map(|(i, k, _)| Hit::key(i, k, format!("{} has all permissions", key_label(k))))
        .collect();
    Outcome::Ran(hits)
}
