//! Groupings of the keys (by owner, project, owner type, permission, risk) and the owner ×
//! project matrix. Each row counts keys, active keys, latest use, cost and unmuted findings.

use std::collections::BTreeMap;

use crate::model::LastUsed;
use crate::report::{
    Finding, GroupRow, Groups, KeyReport, Matrix, Severity, SeverityCounts, AGE_BUCKETS,
};

fn owner_label(k: &KeyReport) -> &str {
    crate::report::owner_label_str(&k.key)
}

fn project_label(k: &KeyReport) -> &str {
    crate::report::project_label_str(&k.key)
}

fn latest(a: LastUsed, b: LastUsed) -> LastUsed {
    match (a, b) {
        (LastUsed::Date(x), LastUsed::Date(y)) => LastUsed::Date(x.max(y)),
        (LastUsed::Date(x), _) | (_, LastUsed::Date(x)) => LastUsed::Date(x),
        (LastUsed::Never, LastUsed::Never) => LastUsed::Never,
        _ => LastUsed::Unknown,
    }
}

fn group_by(
    keys: &[KeyReport],
    per_key: &[SeverityCounts],
    label: impl for<'k> Fn(&'k KeyReport) -> &'k str,
    detail: impl Fn(&KeyReport) -> Option<String>,
    owner_type: bool,
) -> Vec<GroupRow> {
    let mut rows: BTreeMap<String, GroupRow> = BTreeMap::new();
    let add = |row: &mut GroupRow, i: usize, k: &KeyReport| {
        if row.keys > 0 {
            row.last_used = latest(row.last_used, k.key.last_used);
        }
        if row.detail.is_none() {
            row.detail = detail(k);
        }
        row.keys += 1;
        row.active_keys += usize::from(k.active);
        if let Some(c) = k.key.usage.and_then(|u| u.cost_usd) {
            row.cost_usd = Some(row.cost_usd.unwrap_or(0.0) + c);
        }
        if let Some(s) = per_key.get(i) {
            for sev in Severity::ALL {
                for _ in 0..s.get(sev) {
                    row.findings.add(sev);
                }
            }
        }
        row.key_indexes.push(i);
    };
    for (i, k) in keys.iter().enumerate() {
        // Looked up once by the borrowed label; a `String` only for a new group.
        let l = label(k);
        if let Some(row) = rows.get_mut(l) {
            add(row, i, k);
            continue;
        }
        let mut row = GroupRow {
            label: l.to_string(),
            detail: detail(k),
            owner_type: owner_type.then(|| k.key.owner.kind.as_str().to_string()),
            last_used: k.key.last_used,
            ..GroupRow::default()
        };
        add(&mut row, i, k);
        rows.insert(l.to_string(), row);
    }
    let mut v: Vec<GroupRow> = rows.into_values().collect();
    v.sort_by(|a, b| b.keys.cmp(&a.keys).then(a.label.cmp(&b.label)));
    v
}

/// The label of the [`AGE_BUCKETS`] bucket a key falls in.
fn age_bucket(k: &KeyReport) -> &'static str {
    let last = AGE_BUCKETS.len() - 1;
    let i = match k.age_days {
        None => last,
        Some(d) => AGE_BUCKETS[..last]
            .iter()
            .position(|(_, end)| end.is_none_or(|end| d < end))
            .unwrap_or(last - 1),
    };
    AGE_BUCKETS[i].0
}

/// Every age bucket in order, empty ones included (a chart of ages shows the gaps).
fn by_age(keys: &[KeyReport], per_key: &[SeverityCounts]) -> Vec<GroupRow> {
    let mut rows = group_by(keys, per_key, |k| age_bucket(k), |_| None, false);
    AGE_BUCKETS
        .iter()
        .map(
            |(label, _)| match rows.iter().position(|r| r.label == *label) {
                Some(i) => rows.swap_remove(i),
                None => GroupRow {
                    label: (*label).into(),
                    ..GroupRow::default()
                },
            },
        )
        .collect()
}

/// Builds every grouping from the keys and their findings.
pub fn build(keys: &[KeyReport], findings: &[Finding]) -> Groups {
    let mut per_key = vec![SeverityCounts::default(); keys.len()];
    for f in findings.iter().filter(|f| f.muted.is_none()) {
        if let Some(c) = f.target.key_index.and_then(|i| per_key.get_mut(i)) {
            c.add(f.severity);
        }
    }
    let by_owner = group_by(
        keys,
        &per_key,
        owner_label,
        |k| k.key.owner.email.clone(),
        true,
    );
    let by_project = group_by(
        keys,
        &per_key,
        project_label,
        |k| k.key.project.as_ref().and_then(|p| p.id.clone()),
        false,
    );
    let by_owner_type = group_by(
        keys,
        &per_key,
        |k| k.key.owner.kind.as_str(),
        |_| None,
        false,
    );
    let by_permission = group_by(
        keys,
        &per_key,
        |k| k.key.permissions.as_str(),
        |_| None,
        false,
    );
    let mut by_risk = group_by(
        keys,
        &per_key,
        |k| k.risk.map_or("none", |s| s.as_str()),
        |_| None,
        false,
    );
    let rank = |l: &str| {
        ["critical", "high", "medium", "low", "info", "none"]
            .iter()
            .position(|x| *x == l)
            .unwrap_or(9)
    };
    by_risk.sort_by_key(|r| rank(&r.label));

    let owners: Vec<String> = by_owner.iter().map(|r| r.label.clone()).collect();
    let projects: Vec<String> = by_project.iter().map(|r| r.label.clone()).collect();
    let mut cells = vec![vec![0usize; projects.len()]; owners.len()];
    let mut worst: Vec<Vec<Option<Severity>>> = vec![vec![None; projects.len()]; owners.len()];
    // Each key's row and column, from the groups it was counted in, rather than searched for by
    // label: a search per key made the matrix owners × keys string compares (an org of 2,000
    // owners, millions).
    // (`usize::MAX`: in no group; a plain number, as `cells` holds, keeps the popup's module
    // free of another vector type.)
    let place = |rows: &[GroupRow]| {
        let mut at = vec![usize::MAX; keys.len()];
        for (n, row) in rows.iter().enumerate() {
            for &i in &row.key_indexes {
                if let Some(slot) = at.get_mut(i) {
                    *slot = n;
                }
            }
        }
        at
    };
    let (owner_at, project_at) = (place(&by_owner), place(&by_project));
    let placed = |at: &[usize], i: usize| at.get(i).copied().filter(|&n| n != usize::MAX);
    for (i, k) in keys.iter().enumerate() {
        let o = placed(&owner_at, i);
        let p = placed(&project_at, i);
        if let (Some(o), Some(p)) = (o, p) {
            if let Some(c) = cells.get_mut(o).and_then(|r| r.get_mut(p)) {
                *c += 1;
            }
            if let Some(w) = worst.get_mut(o).and_then(|r| r.get_mut(p)) {
                // Option orders None below every severity.
                *w = (*w).max(k.risk);
            }
        }
    }
    Groups {
        by_age: by_age(keys, &per_key),
        by_owner,
        by_project,
        by_owner_type,
        by_permission,
        by_risk,
        matrix: Matrix {
            owners,
            projects,
            cells,
            worst,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Key;

    fn aged(age_days: Option<i64>) -> KeyReport {
        KeyReport {
            key: Key::default(),
            age_days,
            idle_days: None,
            active: false,
            rules: Vec::new(),
            risk: None,
            change: None,
            last_seen: None,
        }
    }

    #[test]
    fn age_buckets_are_all_there_in_order_with_their_edges() {
        let keys: Vec<KeyReport> = [Some(0), Some(29), Some(30), Some(364), Some(365), None]
            .into_iter()
            .map(aged)
            .collect();
        let g = build(&keys, &[]);
        let got: Vec<(&str, usize)> = g
            .by_age
            .iter()
            .map(|r| (r.label.as_str(), r.keys))
            .collect();
        assert_eq!(
            got,
            [
                ("< 30 days", 2),
                ("30–89 days", 1),
                ("90–179 days", 0),
                ("180–364 days", 1),
                ("1 year +", 1),
                ("unknown", 1)
            ]
        );
        assert_eq!(g.by_age[0].key_indexes, [0, 1]);
    }

    #[test]
    fn a_matrix_cell_holds_its_key_count_and_worst_risk() {
        use crate::model::{Owner, ProjectRef};
        let keyed = |owner: &str, project: &str, risk: Option<Severity>| {
            let mut k = aged(None);
            k.key.owner = Owner {
                name: Some(owner.into()),
                ..Owner::default()
            };
            k.key.project = Some(ProjectRef {
                id: None,
                name: Some(project.into()),
            });
            k.risk = risk;
            k
        };
        let keys = [
            keyed("Ada", "Web", Some(Severity::Low)),
            keyed("Ada", "Web", Some(Severity::High)),
            keyed("Ada", "Web", None),
            keyed("Bob", "Ops", None),
        ];
        let m = build(&keys, &[]).matrix;
        let at = |o: &str, p: &str| {
            let o = m.owners.iter().position(|x| x == o).unwrap();
            let p = m.projects.iter().position(|x| x == p).unwrap();
            (m.cells[o][p], m.worst[o][p])
        };
        assert_eq!(at("Ada", "Web"), (3, Some(Severity::High)));
        assert_eq!(
            at("Bob", "Ops"),
            (1, None),
            "a key without findings has no risk"
        );
        assert_eq!(at("Bob", "Web"), (0, None));
    }
}
