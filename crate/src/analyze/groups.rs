//! Groupings of the keys (by owner, project, owner type, permission, risk) and the owner ×
//! project matrix. Each row counts keys, active keys, latest use, cost and unmuted findings.

use std::collections::BTreeMap;

use crate::model::LastUsed;
use crate::report::{AgeBucket, Finding, GroupRow, Groups, KeyReport, Matrix, SeverityCounts};

fn owner_label(k: &KeyReport) -> String {
    let l = k.key.owner.label();
    if l.is_empty() {
        "(unknown owner)".into()
    } else {
        l.to_string()
    }
}

fn project_label(k: &KeyReport) -> String {
    let l = k.key.project.as_ref().map(|p| p.label()).unwrap_or("");
    if l.is_empty() {
        "(no project)".into()
    } else {
        l.to_string()
    }
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
    label: impl Fn(&KeyReport) -> String,
    detail: impl Fn(&KeyReport) -> Option<String>,
    owner_type: bool,
) -> Vec<GroupRow> {
    let mut rows: BTreeMap<String, GroupRow> = BTreeMap::new();
    for (i, k) in keys.iter().enumerate() {
        let l = label(k);
        let row = rows.entry(l.clone()).or_insert_with(|| GroupRow {
            label: l,
            detail: detail(k),
            owner_type: owner_type.then(|| k.key.owner.kind.as_str().to_string()),
            last_used: k.key.last_used,
            ..GroupRow::default()
        });
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
            for sev in crate::report::Severity::ALL {
                for _ in 0..s.get(sev) {
                    row.findings.add(sev);
                }
            }
        }
        row.key_indexes.push(i);
    }
    let mut v: Vec<GroupRow> = rows.into_values().collect();
    v.sort_by(|a, b| b.keys.cmp(&a.keys).then(a.label.cmp(&b.label)));
    v
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
        |k| k.key.owner.kind.as_str().to_string(),
        |_| None,
        false,
    );
    let by_permission = group_by(
        keys,
        &per_key,
        |k| k.key.permissions.as_str().to_string(),
        |_| None,
        false,
    );
    let mut by_risk = group_by(
        keys,
        &per_key,
        |k| k.risk.map_or("none", |s| s.as_str()).to_string(),
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
    for k in keys {
        let o = owners.iter().position(|x| *x == owner_label(k));
        let p = projects.iter().position(|x| *x == project_label(k));
        if let (Some(o), Some(p)) = (o, p) {
            if let Some(c) = cells.get_mut(o).and_then(|r| r.get_mut(p)) {
                *c += 1;
            }
        }
    }
    Groups {
        by_owner,
        by_project,
        by_owner_type,
        by_permission,
        by_risk,
        matrix: Matrix {
            owners,
            projects,
            cells,
        },
        by_age: by_age(keys),
    }
}

/// The age buckets: each upper bound in days (exclusive) and its label; keys older than the last
/// bound are `1 year +`, keys without a creation date `unknown`.
const AGE_BUCKETS: [(i64, &str); 4] = [
    (30, "< 30 days"),
    (90, "30–89 days"),
    (180, "90–179 days"),
    (365, "180–364 days"),
];

fn by_age(keys: &[KeyReport]) -> Vec<AgeBucket> {
    let labels = AGE_BUCKETS
        .iter()
        .map(|(_, l)| *l)
        .chain(["1 year +", "unknown"]);
    let mut buckets: Vec<AgeBucket> = labels
        .map(|label| AgeBucket {
            label: label.to_string(),
            keys: 0,
        })
        .collect();
    for k in keys {
        let i = match k.age_days {
            Some(d) => AGE_BUCKETS
                .iter()
                .position(|(below, _)| d < *below)
                .unwrap_or(AGE_BUCKETS.len()),
            None => AGE_BUCKETS.len() + 1,
        };
        if let Some(b) = buckets.get_mut(i) {
            b.keys += 1;
        }
    }
    buckets
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aged(days: Option<i64>) -> KeyReport {
        KeyReport {
            key: crate::model::Key::default(),
            age_days: days,
            idle_days: None,
            active: false,
            rules: Vec::new(),
            risk: None,
            change: None,
        }
    }

    #[test]
    fn age_buckets_split_at_30_90_180_and_365_days_and_keep_unknown_last() {
        let keys: Vec<KeyReport> = [
            Some(0),
            Some(29),
            Some(30),
            Some(89),
            Some(90),
            Some(364),
            Some(365),
            Some(2000),
            None,
        ]
        .into_iter()
        .map(aged)
        .collect();
        let got: Vec<(String, usize)> = by_age(&keys)
            .into_iter()
            .map(|b| (b.label, b.keys))
            .collect();
        let want = [
            ("< 30 days", 2),
            ("30–89 days", 2),
            ("90–179 days", 1),
            ("180–364 days", 1),
            ("1 year +", 2),
            ("unknown", 1),
        ];
        assert_eq!(got, want.map(|(l, n)| (l.to_string(), n)));
    }
}
