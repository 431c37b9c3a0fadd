//! Groupings of the reported keys: by owner, project, owner type, permission and risk, and the
//! owner × project matrix. Each row counts keys, active keys, the latest use, known cost and the
//! unmuted findings by severity.

use std::collections::HashMap;

use crate::model::LastUsed;
use crate::report::{Finding, GroupRow, Groups, KeyReport, Matrix, Severity};

use super::rules::{fold, owner_identity};

/// Label of the owner group for keys whose owner is not known.
pub const UNKNOWN_OWNER: &str = "(unknown owner)";
/// Label of the project group for keys outside any known project.
pub const NO_PROJECT: &str = "(no project)";

/// One group being built: its identity and row.
struct Acc {
    id: String,
    row: GroupRow,
}

/// Groups `keys` by the identity `by` gives (identity, label, detail, owner type).
fn group_by<F>(keys: &[KeyReport], by: F) -> Vec<Acc>
where
    F: Fn(&KeyReport) -> (String, String, Option<String>, Option<String>),
{
    let mut accs: Vec<Acc> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        let (id, label, detail, owner_type) = by(k);
        let n = *at.entry(id.clone()).or_insert_with(|| {
            accs.push(Acc {
                id,
                row: GroupRow {
                    label,
                    detail: None,
                    owner_type,
                    last_used: LastUsed::Never,
                    ..GroupRow::default()
                },
            });
            accs.len() - 1
        });
        let Some(acc) = accs.get_mut(n) else { continue };
        let row = &mut acc.row;
        if row.detail.is_none() {
            row.detail = detail;
        }
        row.keys += 1;
        row.active_keys += usize::from(k.active);
        row.key_indexes.push(i);
        if let Some(c) = k.key.usage.as_ref().and_then(|u| u.cost_usd) {
            row.cost_usd = Some(row.cost_usd.unwrap_or(0.0) + c);
        }
        row.last_used = later(row.last_used, k.key.last_used);
    }
    accs
}

/// The group's last use: the latest date; `Never` only when every key was never used;
/// otherwise unknown.
fn later(a: LastUsed, b: LastUsed) -> LastUsed {
    match (a, b) {
        (LastUsed::Date(x), LastUsed::Date(y)) => LastUsed::Date(x.max(y)),
        (LastUsed::Date(x), _) | (_, LastUsed::Date(x)) => LastUsed::Date(x),
        (LastUsed::Never, LastUsed::Never) => LastUsed::Never,
        _ => LastUsed::Unknown,
    }
}

/// Adds each unmuted finding on a key of the row to its counts.
fn count_findings(rows: &mut [Acc], findings: &[Finding]) {
    let mut row_of: HashMap<usize, usize> = HashMap::new();
    for (r, acc) in rows.iter().enumerate() {
        for &i in &acc.row.key_indexes {
            row_of.insert(i, r);
        }
    }
    for f in findings.iter().filter(|f| f.muted.is_none()) {
        let Some(r) = f.target.key_index.and_then(|i| row_of.get(&i)) else {
            continue;
        };
        if let Some(acc) = rows.get_mut(*r) {
            acc.row.findings.add(f.severity);
        }
    }
}

/// Most keys first, then by label.
fn sorted(mut accs: Vec<Acc>) -> Vec<Acc> {
    accs.sort_by(|a, b| {
        b.row
            .keys
            .cmp(&a.row.keys)
            .then_with(|| fold(&a.row.label).cmp(&fold(&b.row.label)))
    });
    accs
}

fn owner_of(k: &KeyReport) -> (String, String, Option<String>, Option<String>) {
    let o = &k.key.owner;
    let label = o.label().trim();
    let id = owner_identity(o).unwrap_or_default();
    let label = if label.is_empty() {
        UNKNOWN_OWNER
    } else {
        label
    };
    (
        id,
        label.to_string(),
        o.email.clone(),
        Some(o.kind.as_str().to_string()),
    )
}

fn project_of(k: &KeyReport) -> (String, String, Option<String>, Option<String>) {
    match k.key.project.as_ref().filter(|p| !p.is_empty()) {
        Some(p) => (
            p.id.clone().unwrap_or_else(|| fold(p.label())),
            p.label().to_string(),
            p.id.clone(),
            None,
        ),
        None => (String::new(), NO_PROJECT.to_string(), None, None),
    }
}

/// Builds every grouping of the report's keys.
pub fn build(keys: &[KeyReport], findings: &[Finding]) -> Groups {
    let finish = |mut accs: Vec<Acc>| {
        count_findings(&mut accs, findings);
        accs
    };
    let owners = sorted(finish(group_by(keys, owner_of)));
    let mut projects = sorted(finish(group_by(keys, project_of)));
    // Project findings (no-spend-limit) count in their project's row.
    for f in findings
        .iter()
        .filter(|f| f.muted.is_none() && f.target.kind == "project")
    {
        let label = f.target.project.as_deref().map(fold);
        if let Some(acc) = projects
            .iter_mut()
            .find(|a| Some(fold(&a.row.label)) == label)
        {
            acc.row.findings.add(f.severity);
        }
    }
    let by_owner_type = sorted(finish(group_by(keys, |k| {
        let t = k.key.owner.kind.as_str().to_string();
        (t.clone(), t, None, None)
    })));
    let by_permission = sorted(finish(group_by(keys, |k| {
        let p = k.key.permissions.as_str().to_string();
        (p.clone(), p, None, None)
    })));
    // Risk rows go from worst to none, not by size: that is the order they are read in.
    let mut by_risk = finish(group_by(keys, |k| {
        let r = k.risk.map_or("none", Severity::as_str).to_string();
        (r.clone(), r, None, None)
    }));
    let rank = |label: &str| {
        Severity::ALL
            .iter()
            .position(|s| s.as_str() == label)
            .unwrap_or(Severity::ALL.len())
    };
    by_risk.sort_by_key(|a| rank(&a.row.label));

    let mut matrix = Matrix {
        owners: owners.iter().map(|a| a.row.label.clone()).collect(),
        projects: projects.iter().map(|a| a.row.label.clone()).collect(),
        cells: vec![vec![0; projects.len()]; owners.len()],
    };
    let owner_at: HashMap<&str, usize> = owners
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let project_at: HashMap<&str, usize> = projects
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    for k in keys {
        let (o, ..) = owner_of(k);
        let (p, ..) = project_of(k);
        if let (Some(&r), Some(&c)) = (owner_at.get(o.as_str()), project_at.get(p.as_str())) {
            if let Some(cell) = matrix.cells.get_mut(r).and_then(|row| row.get_mut(c)) {
                *cell += 1;
            }
        }
    }

    let rows = |accs: Vec<Acc>| accs.into_iter().map(|a| a.row).collect();
    Groups {
        by_owner: rows(owners),
        by_project: rows(projects),
        by_owner_type: rows(by_owner_type),
        by_permission: rows(by_permission),
        by_risk: rows(by_risk),
        matrix,
    }
}
