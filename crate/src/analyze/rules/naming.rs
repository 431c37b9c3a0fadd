//! Rules about names and placement: `default-project`, `undescriptive-name`, `duplicate-name`.

use std::collections::BTreeMap;

use super::{fold, key_label, plural, Ctx, Hit, Outcome};

pub fn default_project(ctx: &Ctx) -> Outcome {
    if ctx
        .live_keys()
        .all(|(_, k, _)| k.project.as_ref().is_none_or(|p| p.is_empty()))
    {
        return Outcome::skipped("no key's project is known");
    }
    let hits = ctx
        .live_keys()
        .filter_map(|(i, k, _)| {
            let p = k.project.as_ref()?;
            let by_name = p
                .name
                .as_deref()
                .is_some_and(|n| fold(n) == "default project");
            let by_id =
                p.id.as_deref()
                    .is_some_and(|id| id.to_ascii_lowercase().contains("default"));
            (by_name || by_id).then(|| {
                let id =
                    p.id.as_deref()
                        .map(|id| format!(" ({id})"))
                        .unwrap_or_default();
                Hit::key(
                    i,
                    k,
                    format!(
                        "{} is in the {}{id}: no isolation between development and production",
                        key_label(k),
                        p.name.as_deref().unwrap_or("default project")
                    ),
                )
            })
        })
        .collect();
    Outcome::Ran(hits)
}

pub fn undescriptive_name(ctx: &Ctx) -> Outcome {
    let defaults: Vec<String> = ctx.policy.default_names.iter().map(|n| fold(n)).collect();
    let hits = ctx
        .live_keys()
        .filter_map(|(i, k, _)| {
            let name = fold(&k.name);
            let message = if name.is_empty() {
                format!("{} has no name", key_label(k))
            } else if defaults.contains(&name) {
                format!(
                    "{} has a default name that says nothing of its use",
                    key_label(k)
                )
            } else {
                return None;
            };
            Some(Hit::key(i, k, message))
        })
        .collect();
    Outcome::Ran(hits)
}

pub fn duplicate_name(ctx: &Ctx) -> Outcome {
    if !ctx
        .live_keys()
        .any(|(_, k, _)| k.last_used.date().is_some())
    {
        return Outcome::skipped(
            "no key's last use date is known, so no key is known to be active",
        );
    }
    let mut groups: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, k, _) in ctx.live_keys().filter(|(_, _, f)| f.active) {
        let name = fold(&k.name);
        if name.is_empty() {
            continue; // undescriptive-name speaks of unnamed keys
        }
        let project = k
            .project
            .as_ref()
            .map(|p| p.id.clone().unwrap_or_else(|| fold(p.label())))
            .unwrap_or_default();
        groups.entry((project, name)).or_default().push(i);
    }
    let mut hits = Vec::new();
    for idx in groups.values().filter(|v| v.len() >= 2) {
        for &i in idx {
            let Some(k) = ctx.inv.keys.get(i) else {
                continue;
            };
            let scope = match k
                .project
                .as_ref()
                .map(|p| p.label())
                .filter(|l| !l.is_empty())
            {
                Some(p) => format!("in project {p}"),
                None => "outside any project".into(),
            };
            hits.push(Hit::key(
                i,
                k,
                format!(
                    "{} {scope} are named \"{}\"",
                    plural(idx.len(), "active key", "active keys"),
                    k.name.trim()
                ),
            ));
        }
    }
    Outcome::Ran(hits)
}
