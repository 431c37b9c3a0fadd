//! Rules about how a key is used over time: `unused`, `never-used`, `rotation-overdue`,
//! `many-keys-per-owner`.

use std::collections::BTreeMap;

use crate::model::LastUsed;

use super::{key_label, owner_identity, plural, when, Ctx, Hit, Outcome};

const NO_LAST_USE: &str = "no key's last use is known (no page or file read had a Last used \
                           column or usage)";

pub fn unused(ctx: &Ctx) -> Outcome {
    if !ctx
        .live_keys()
        .any(|(_, k, _)| k.last_used != LastUsed::Unknown)
    {
        return Outcome::skipped(NO_LAST_USE);
    }
    let limit = ctx.policy.thresholds.unused_days;
    let hits = ctx
        .live_keys()
        .filter_map(|(i, k, f)| {
            let d = k.last_used.date()?;
            let idle = f.idle_days?;
            (idle >= limit).then(|| {
                Hit::key(
                    i,
                    k,
                    format!(
                        "{} was last used {}; the limit is {limit} days",
                        key_label(k),
                        when(d, ctx.as_of)
                    ),
                )
            })
        })
        .collect();
    Outcome::Ran(hits)
}

pub fn never_used(ctx: &Ctx) -> Outcome {
    let judged = |k: &crate::model::Key| k.created.is_some() && k.last_used != LastUsed::Unknown;
    if !ctx.live_keys().any(|(_, k, _)| judged(k)) {
        return Outcome::skipped("no key has both a known creation date and a known last use");
    }
    let limit = ctx.policy.thresholds.never_used_days;
    let hits = ctx
        .live_keys()
        .filter_map(|(i, k, f)| {
            let created = k.created?;
            let age = f.age_days?;
            (k.last_used == LastUsed::Never && age >= limit).then(|| {
                Hit::key(
                    i,
                    k,
                    format!(
                        "{} was never used since it was created {}; the limit is {limit} days",
                        key_label(k),
                        when(created, ctx.as_of)
                    ),
                )
            })
        })
        .collect();
    Outcome::Ran(hits)
}

pub fn rotation_overdue(ctx: &Ctx) -> Outcome {
    if !ctx.live_keys().any(|(_, k, _)| k.created.is_some()) {
        return Outcome::skipped("no key's creation date is known");
    }
    if !ctx
        .live_keys()
        .any(|(_, k, _)| k.last_used.date().is_some())
    {
        return Outcome::skipped(
            "no key's last use date is known, so no key is known to be still in use",
        );
    }
    let limit = ctx.policy.thresholds.rotation_days;
    let hits = ctx
        .live_keys()
        .filter_map(|(i, k, f)| {
            let created = k.created?;
            let used = k.last_used.date()?;
            (f.active && f.age_days? >= limit).then(|| {
                Hit::key(
                    i,
                    k,
                    format!(
                        "{} was created {} and is still in use (last used {used}); rotate keys \
                         every {limit} days",
                        key_label(k),
                        when(created, ctx.as_of)
                    ),
                )
            })
        })
        .collect();
    Outcome::Ran(hits)
}

pub fn many_keys_per_owner(ctx: &Ctx) -> Outcome {
    if !ctx
        .live_keys()
        .any(|(_, k, _)| k.last_used.date().is_some())
    {
        return Outcome::skipped(
            "no key's last use date is known, so no key is known to be active",
        );
    }
    let t = &ctx.policy.thresholds;
    let (total_limit, project_limit) = (t.many_keys_per_owner, t.many_keys_per_owner_project);
    // Active keys per owner, and per owner and project.
    let mut by_owner: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut by_owner_project: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, k, _) in ctx.live_keys().filter(|(_, _, f)| f.active) {
        let Some(owner) = owner_identity(&k.owner) else {
            continue;
        };
        by_owner.entry(owner.clone()).or_default().push(i);
        if let Some(p) = k.project.as_ref().filter(|p| !p.is_empty()) {
            let project = p.id.clone().unwrap_or_else(|| p.label().to_lowercase());
            by_owner_project
                .entry((owner, project))
                .or_default()
                .push(i);
        }
    }
    let keys = &ctx.inv.keys;
    let mut hits: Vec<Hit> = Vec::new();
    for idx in by_owner.values().filter(|v| v.len() as i64 > total_limit) {
        for &i in idx {
            let Some(k) = keys.get(i) else { continue };
            hits.push(Hit::key(
                i,
                k,
                format!(
                    "owner {} holds {}; the limit is {total_limit}",
                    k.owner.label(),
                    plural(idx.len(), "active key", "active keys")
                ),
            ));
        }
    }
    if project_limit > 0 {
        for idx in by_owner_project
            .values()
            .filter(|v| v.len() as i64 > project_limit)
        {
            for &i in idx {
                let Some(k) = keys.get(i) else { continue };
                // One finding per key: the organization-wide count already said it.
                if hits.iter().any(|h| h.target.key_index == Some(i)) {
                    continue;
                }
                let project = k.project.as_ref().map(|p| p.label()).unwrap_or("");
                hits.push(Hit::key(
                    i,
                    k,
                    format!(
                        "owner {} holds {} in project {project}; the limit is {project_limit} per \
                         project",
                        k.owner.label(),
                        plural(idx.len(), "active key", "active keys")
                    ),
                ));
            }
        }
    }
    Outcome::Ran(hits)
}
