//! Naming and placement: `default-project` (a key in the project that mixes development and
//! production), `undescriptive-name` and `duplicate-name`. Names compare by [`fold`].

use std::collections::BTreeMap;

use super::{key_target, live, Ctx, Outcome};
use crate::ingest::providers::scope_noun;
use crate::names::fold;

pub(super) fn default_project(cx: &Ctx, o: &mut Outcome) {
    for (i, k) in live(cx.keys) {
        let Some(project) = k.key.project.as_ref() else {
            continue;
        };
        let by_name = matches!(
            project.name.as_deref().map(fold).as_deref(),
            Some("default project" | "default")
        );
        // Only the id read (a usage export, say): an id that says default.
        let by_id = project.name.is_none()
            && project
                .id
                .as_deref()
                .is_some_and(|i| i.to_ascii_lowercase().contains("default"));
        if by_name || by_id {
            // Anthropic's Default workspace is the same trap as OpenAI's Default project.
            let noun = scope_noun(k.key.provider);
            o.push(
                key_target(i, k),
                format!("in the Default {noun}, which mixes development and production"),
                &format!("Create a {noun} per application and environment and move the key's users to a key there."),
            );
        }
    }
}

pub(super) fn undescriptive_name(cx: &Ctx, o: &mut Outcome) {
    // Folded once, not once per key (folding is NFKC: a tenth of reading a 20,000-key page).
    let defaults: Vec<String> = cx.policy.default_names.iter().map(|d| fold(d)).collect();
    for (i, k) in live(cx.keys) {
        let n = fold(&k.key.name);
        if n.is_empty() || defaults.contains(&n) {
            let shown = if n.is_empty() {
                "has no name".to_string()
            } else {
                format!("is named {:?}", k.key.name.trim())
            };
            o.push(
                key_target(i, k),
                format!("{shown}, which says nothing about what uses it"),
                "Rename it after the application and environment that use it.",
            );
        }
    }
}

pub(super) fn duplicate_name(cx: &Ctx, o: &mut Outcome) {
    let mut by: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, k) in live(cx.keys).filter(|(_, k)| k.active && !k.key.name.trim().is_empty()) {
        let project = k
            .key
            .project
            .as_ref()
            .map(|p| fold(p.label()))
            .unwrap_or_default();
        by.entry((project, fold(&k.key.name))).or_default().push(i);
    }
    for idx in by.values().filter(|v| v.len() > 1) {
        for &i in idx {
            let Some(k) = cx.keys.get(i) else { continue };
            o.push(
                key_target(i, k),
                format!(
                    "{} active keys in this {} are named {:?}",
                    idx.len(),
                    scope_noun(k.key.provider),
                    k.key.name.trim()
                ),
                "Give each key a distinct name so you can tell which one to revoke.",
            );
        }
    }
}
