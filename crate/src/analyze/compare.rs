//! Comparing audits: a previous audit ([`Previous`], read by [`crate::ingest::previous`] from its
//! report JSON or keys.csv) applied to the current report marks findings new, still open or
//! fixed, and keys added or removed. Nothing here parses.
//!
//! Keys are matched by id, else by redacted value and name, else by name within the project.
//! A finding is identified by its rule and its key (or, for project and input findings, by its
//! rule and its project or source).

use crate::ingest::previous::{PrevKey, Previous};
use crate::report::{Comparison, Gone, Report};
use crate::secret;

fn same_key(
    prev: &PrevKey,
    id: Option<&str>,
    name: &str,
    redacted: Option<&str>,
    project: Option<&str>,
) -> bool {
    if let (Some(a), Some(b)) = (prev.id.as_deref(), id) {
        return a == b;
    }
    if let (Some(a), Some(b)) = (prev.redacted.as_deref(), redacted) {
        return secret::same_key_value(a, b) && prev.name.trim() == name.trim();
    }
    prev.name.trim() == name.trim() && prev.project.as_deref() == project
}

/// Marks the report's keys and findings against the previous audit.
pub fn apply(report: &mut Report, previous: &Previous) {
    let mut cmp = Comparison {
        previous_as_of: previous.as_of,
        ..Comparison::default()
    };
    let mut matched = vec![false; previous.keys.len()];
    let mut key_match: Vec<Option<usize>> = Vec::with_capacity(report.keys.len());
    for k in &mut report.keys {
        let project = k.key.project.as_ref().map(|p| p.label().to_string());
        let m = previous.keys.iter().enumerate().position(|(j, p)| {
            !matched[j]
                && same_key(
                    p,
                    k.key.id.as_deref(),
                    &k.key.name,
                    k.key.redacted.as_deref(),
                    project.as_deref(),
                )
        });
        if let Some(j) = m {
            matched[j] = true;
            k.change = Some("kept".into());
        } else {
            k.change = Some("added".into());
            cmp.keys_added += 1;
        }
        key_match.push(m);
    }
    for f in &mut report.findings {
        let was = match f.target.key_index {
            Some(i) => key_match
                .get(i)
                .copied()
                .flatten()
                .and_then(|j| previous.keys.get(j))
                .is_some_and(|p| p.rules.contains(&f.rule)),
            None => {
                let subject = f
                    .target
                    .project
                    .clone()
                    .or(f.target.source.clone())
                    .or(f.target.redacted.clone())
                    .unwrap_or_default();
                previous
                    .others
                    .iter()
                    .any(|o| o.rule == f.rule && o.subject == subject)
            }
        };
        f.change = Some(if was { "open" } else { "new" }.into());
        if was {
            cmp.findings_open += 1;
        } else {
            cmp.findings_new += 1;
        }
    }
    // Fixed: a previous key's rule that no longer fires on it, or any rule of a removed key.
    for (j, p) in previous.keys.iter().enumerate() {
        let now = key_match
            .iter()
            .position(|m| *m == Some(j))
            .and_then(|i| report.keys.get(i));
        if now.is_none() {
            cmp.keys_removed.push(Gone {
                key_id: p.id.clone(),
                key_name: Some(p.name.clone()),
                redacted: p.redacted.clone(),
                project: p.project.clone(),
                ..Gone::default()
            });
        }
        for r in &p.rules {
            if now.is_none_or(|k| !k.rules.contains(r)) {
                cmp.findings_fixed.push(Gone {
                    rule: Some(r.clone()),
                    key_id: p.id.clone(),
                    key_name: Some(p.name.clone()),
                    redacted: p.redacted.clone(),
                    project: p.project.clone(),
                    message: None,
                });
            }
        }
    }
    for o in &previous.others {
        let still = report.findings.iter().any(|f| {
            f.target.key_index.is_none()
                && f.rule == o.rule
                && f.target
                    .project
                    .clone()
                    .or(f.target.source.clone())
                    .or(f.target.redacted.clone())
                    .unwrap_or_default()
                    == o.subject
        });
        if !still {
            cmp.findings_fixed.push(Gone {
                rule: Some(o.rule.clone()),
                project: Some(o.subject.clone()),
                message: o.message.clone(),
                ..Gone::default()
            });
        }
    }
    report.comparison = Some(cmp);
}
