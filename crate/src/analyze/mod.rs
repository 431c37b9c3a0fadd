//! Analysis: an [`Inventory`], a [`Policy`] and an as-of date become a [`Report`].
//!
//! Every age is counted from `as_of`, never from the clock, so a report is reproducible.
//! Rules live in [`rules`], groupings in [`groups`], the comparison with a previous audit in
//! [`compare`]. Analysis never parses: it reads the Inventory ingest made.

pub mod by_provider;
pub mod compare;
pub mod coverage;
pub mod groups;
pub mod policy;
pub mod roles;
pub mod rules;
mod seen;

use std::collections::BTreeSet;

use jiff::civil::Date;

use crate::model::{Inventory, LastUsed};
use crate::report::{KeyReport, Report, Summary};
pub use policy::Policy;
pub use rules::RuleId;

/// Whole days from `from` to `to` (negative when `from` is later).
pub fn days_between(from: Date, to: Date) -> i64 {
    from.until(to).map(|s| i64::from(s.get_days())).unwrap_or(0)
}

/// Judges the inventory as of `as_of` under `policy` and, when a previous audit is given, marks
/// the report against it. The CLI and the browser both keep the previous audit beside the
/// inventory and call this on every rebuild, so a comparison survives a new preset, policy or
/// input.
pub fn audit(
    inv: &Inventory,
    policy: &Policy,
    as_of: Date,
    previous: Option<&crate::ingest::Previous>,
) -> Report {
    let mut report = analyze(inv, policy, as_of);
    if let Some(prev) = previous {
        compare::apply(&mut report, prev);
    }
    report
}

/// [`audit`] for a caller done with the inventory (the CLI, which ends after one report): the
/// inventory's keys are moved into the report, not copied (on the 5,000-key page, 60,000
/// strings and ~1.3 ms), and the inventory is left without them. The report is the same.
#[cfg(not(target_arch = "wasm32"))]
pub fn audit_taking_keys(
    inv: &mut Inventory,
    policy: &Policy,
    as_of: Date,
    previous: Option<&crate::ingest::Previous>,
) -> Report {
    // Coverage counts the keys read, so it is built while the inventory still holds them.
    let coverage = coverage::build(inv);
    let keys = std::mem::take(&mut inv.keys);
    let mut report = analyze_keys(inv, keys.into_iter(), coverage, policy, as_of);
    if let Some(prev) = previous {
        compare::apply(&mut report, prev);
    }
    report
}

/// Judges the inventory as of `as_of` under `policy`.
pub fn analyze(inv: &Inventory, policy: &Policy, as_of: Date) -> Report {
    let coverage = coverage::build(inv);
    analyze_keys(inv, inv.keys.iter().cloned(), coverage, policy, as_of)
}

/// [`analyze`] with the inventory's keys given apart (copied or moved out of it), and its
/// coverage built. Nothing here reads `inv.keys`.
fn analyze_keys(
    inv: &Inventory,
    inv_keys: impl Iterator<Item = crate::model::Key>,
    coverage: coverage::Coverage,
    policy: &Policy,
    as_of: Date,
) -> Report {
    let active_days = policy.thresholds.active_days;
    let mut keys: Vec<KeyReport> = inv_keys
        .map(|k| {
            let idle_days = k.last_used.date().map(|d| days_between(d, as_of));
            KeyReport {
                age_days: k.created.map(|d| days_between(d, as_of)),
                idle_days,
                active: !k.deleted
                    && !k.is_disabled()
                    && (idle_days.is_some_and(|d| d < active_days)
                        || seen::recently(inv, &k, as_of, active_days)),
                rules: Vec::new(),
                risk: None,
                change: None,
                last_seen: seen::last_seen(inv, &k),
                key: k,
            }
        })
        .collect();

    let (findings, runs) = rules::run(inv, &keys, policy, as_of, &coverage);
    for f in &findings {
        let Some(k) = f.target.key_index.and_then(|i| keys.get_mut(i)) else {
            continue;
        };
        if !k.rules.contains(&f.rule) {
            k.rules.push(f.rule.clone());
        }
        if f.muted.is_none() {
            k.risk = k.risk.max(Some(f.severity));
        }
    }
    // A key's rules in the order of its findings (highest severity first).

    let mut summary = Summary {
        keys: keys.len(),
        active_keys: keys.iter().filter(|k| k.active).count(),
        active_days,
        exposed_secrets: inv.exposed.len(),
        sources_read: inv.sources.iter().filter(|s| s.error.is_none()).count(),
        sources_failed: inv.sources.iter().filter(|s| s.error.is_some()).count(),
        ..Summary::default()
    };
    // Labels as they are first (a few dozen owners for thousands of keys), then lower-cased:
    // one `String` per distinct label, not per key. (A map of the type `distinct_projects`
    // uses: no second copy of map code in the popup's module.)
    let mut labels: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for k in &keys {
        labels.entry(k.key.owner.label()).or_insert(0);
    }
    summary.owners = labels
        .into_keys()
        .map(str::to_lowercase)
        .filter(|l| !l.is_empty())
        .collect::<BTreeSet<_>>()
        .len();
    summary.projects = distinct_projects(inv, &keys);
    summary.members = inv
        .members
        .iter()
        .filter(|m| m.project.is_none() && rules::is_current(m))
        .count();
    for f in &findings {
        if f.muted.is_some() {
            summary.muted += 1;
        } else {
            summary.findings.add(f.severity);
        }
    }
    summary.cost_usd = total_cost(inv, &keys);
    summary.providers = by_provider::totals(inv, &keys, &findings);

    summary.unlisted_keys = inv.unlisted.len();
    summary.unlisted_cost_usd = inv
        .unlisted
        .iter()
        .filter_map(|u| u.usage.cost_usd)
        .reduce(|a, b| a + b);
    let mut groups = groups::build(&keys, &findings);
    roles::fill(&mut groups.by_owner, &keys, inv);
    Report {
        as_of: Some(as_of),
        org: inv.org.clone(),
        policy: policy.preset_name().to_string(),
        sources: inv.sources.clone(),
        keys,
        members: inv.members.clone(),
        projects: inv.projects.clone(),
        groups,
        findings,
        rules: runs,
        summary,
        comparison: None,
        unlisted_keys: inv.unlisted.clone(),
        coverage,
    }
}

/// All known cost: the usage rows when any were read (they include project-level costs that
/// belong to no key), else the keys' own totals.
fn total_cost(inv: &Inventory, keys: &[KeyReport]) -> Option<f64> {
    let from_rows: Vec<f64> = inv.usage.iter().filter_map(|r| r.usage.cost_usd).collect();
    if !from_rows.is_empty() {
        return Some(from_rows.iter().sum());
    }
    let from_keys: Vec<f64> = keys
        .iter()
        .filter_map(|k| k.key.usage.and_then(|u| u.cost_usd))
        .collect();
    (!from_keys.is_empty()).then(|| from_keys.iter().sum())
}

/// Human wording of a last use, for messages.
pub fn describe_last_used(l: LastUsed, as_of: Date) -> String {
    match l {
        LastUsed::Date(d) => match days_between(d, as_of) {
            0 => format!("last used {d}, today"),
            1 => format!("last used {d}, 1 day ago"),
            n => format!("last used {d}, {n} days ago"),
        },
        LastUsed::Never => "never used".into(),
        LastUsed::Unknown => "last use unknown".into(),
    }
}

/// How many distinct projects the keys and the project list name. A project is one project
/// whether a page gave its id, its name or both: a key whose project is known only by id
/// (`proj_backend`) is the listed project with that id (named Backend), not a second one.
fn distinct_projects(inv: &Inventory, keys: &[KeyReport]) -> usize {
    use std::collections::HashMap;
    let refs: Vec<(Option<&str>, Option<&str>)> = inv
        .projects
        .iter()
        .map(|p| (p.id.as_deref(), p.name.as_deref()))
        .chain(
            keys.iter()
                .filter_map(|k| k.key.project.as_ref())
                .map(|p| (p.id.as_deref(), p.name.as_deref())),
        )
        .collect();
    // Each distinct name folded once (a project is named by every one of its keys): `folded`
    // holds the folds, `fold_of` where a name's is (maps of one type, one copy of their code
    // in the popup's module).
    let (mut folded, mut fold_of): (Vec<String>, HashMap<&str, usize>) = Default::default();
    for name in refs.iter().filter_map(|r| r.1) {
        if !fold_of.contains_key(name) {
            fold_of.insert(name, folded.len());
            folded.push(crate::names::fold(name));
        }
    }
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut by_name: HashMap<&str, usize> = HashMap::new();
    let mut count = 0;
    for &(id, name) in &refs {
        let name = name
            .and_then(|n| fold_of.get(n))
            .and_then(|&i| folded.get(i))
            .map(String::as_str)
            .filter(|n| !n.is_empty());
        let id = id.filter(|i| !i.is_empty());
        let seen = id
            .and_then(|i| by_id.get(i))
            .or_else(|| name.and_then(|n| by_name.get(n)))
            .copied();
        let slot = match seen {
            Some(slot) => slot,
            None if id.is_none() && name.is_none() => continue,
            None => {
                count += 1;
                count
            }
        };
        if let Some(i) = id {
            by_id.entry(i).or_insert(slot);
        }
        if let Some(n) = name {
            by_name.entry(n).or_insert(slot);
        }
    }
    count
}

#[cfg(test)]
mod tests {
    /// Moving the keys into the report makes the report that copying them makes, under every
    /// preset, with a previous audit compared; the inventory is left without its keys.
    #[test]
    fn taking_the_keys_makes_the_same_report() {
        let as_of = jiff::civil::date(2026, 11, 22);
        let mut inv = crate::Inventory::default();
        for input in crate::warm::inputs() {
            inv.add(
                &crate::ingest::Context::new(input.name, as_of),
                &input.bytes,
            );
        }
        assert!(!inv.keys.is_empty());
        for preset in ["default", "strict", "cis"] {
            let policy = super::Policy::preset(preset).unwrap();
            let copied = super::audit(&inv, &policy, as_of, None);
            let mut taken_from = inv.clone();
            let taken = super::audit_taking_keys(&mut taken_from, &policy, as_of, None);
            assert_eq!(taken, copied, "{preset}");
            assert!(taken_from.keys.is_empty());
        }
    }
}
