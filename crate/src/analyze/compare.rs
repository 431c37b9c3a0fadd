//! Comparing audits (SPEC.md): a previous report, read from its JSON or its keys.csv, against the
//! current one. Findings become `new` or `open` (still open) and those gone are listed as fixed;
//! keys become `added` or `kept` and those gone are listed as removed.
//!
//! Keys are matched by key id when both sides have one, else by redacted value and name. A
//! finding matches when its rule is the same and it is about the same key (or project, or
//! leaked value).

use jiff::civil::Date;
use serde::Deserialize;

use crate::error::{Error, Position, Result};
use crate::report::{Comparison, Gone, Report};
use crate::secret::same_key_value;

use super::rules::fold;

/// A key of the previous audit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PrevKey {
    pub id: Option<String>,
    pub name: String,
    pub redacted: Option<String>,
    pub project: Option<String>,
}

/// A finding of the previous audit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PrevFinding {
    pub rule: String,
    /// `key`, `project`, `org` or `source`.
    pub kind: String,
    /// The key it was about, for key findings.
    pub key: Option<PrevKey>,
    pub redacted: Option<String>,
    pub project: Option<String>,
    pub message: Option<String>,
}

/// What a previous audit held.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Previous {
    pub as_of: Option<Date>,
    pub keys: Vec<PrevKey>,
    pub findings: Vec<PrevFinding>,
}

/// The parts of a report JSON a comparison reads; anything else is ignored, so reports of older
/// and newer versions compare too.
#[derive(Deserialize)]
struct JReport {
    as_of: Option<Date>,
    #[serde(default)]
    keys: Vec<JKey>,
    #[serde(default)]
    findings: Vec<JFinding>,
}

#[derive(Deserialize)]
struct JKey {
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    redacted: Option<String>,
    project: Option<JProject>,
}

#[derive(Deserialize)]
struct JProject {
    id: Option<String>,
    name: Option<String>,
}

#[derive(Deserialize)]
struct JFinding {
    rule: String,
    #[serde(default)]
    target: JTarget,
    message: Option<String>,
}

#[derive(Deserialize, Default)]
struct JTarget {
    #[serde(default)]
    kind: String,
    key_index: Option<usize>,
    key_id: Option<String>,
    key_name: Option<String>,
    redacted: Option<String>,
    project: Option<String>,
}

fn nonempty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

impl Previous {
    /// Reads a previous Key Roster report JSON.
    pub fn from_report_json(name: &str, text: &str) -> Result<Previous> {
        let r: JReport =
            serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
                Error::input(
                    name,
                    Position {
                        line: Some(e.line() as u64),
                        ..Position::default()
                    },
                    format!("not a Key Roster report: {e}"),
                )
            })?;
        let keys: Vec<PrevKey> = r
            .keys
            .into_iter()
            .map(|k| PrevKey {
                id: nonempty(k.id),
                name: k.name.unwrap_or_default(),
                redacted: nonempty(k.redacted),
                project: k.project.and_then(|p| nonempty(p.name).or(nonempty(p.id))),
            })
            .collect();
        let findings = r
            .findings
            .into_iter()
            .map(|f| {
                let t = f.target;
                let key = (t.kind == "key" || t.key_index.is_some()).then(|| {
                    t.key_index
                        .and_then(|i| keys.get(i).cloned())
                        .unwrap_or_else(|| PrevKey {
                            id: t.key_id.clone(),
                            name: t.key_name.clone().unwrap_or_default(),
                            redacted: t.redacted.clone(),
                            project: t.project.clone(),
                        })
                });
                PrevFinding {
                    rule: f.rule,
                    kind: t.kind,
                    key,
                    redacted: t.redacted,
                    project: t.project,
                    message: f.message,
                }
            })
            .collect();
        Ok(Previous {
            as_of: r.as_of,
            keys,
            findings,
        })
    }

    /// Reads a previous keys.csv export: its keys, and each key's `rules` as findings. (A
    /// keys.csv holds no project or source findings; those are not compared.)
    pub fn from_keys_csv(name: &str, text: &str) -> Result<Previous> {
        let mut rdr =
            csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let headers = rdr
            .headers()
            .map_err(|e| csv_error(name, &e))?
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect::<Vec<_>>();
        let col = |n: &str| headers.iter().position(|h| h == n);
        let (id, key_name, redacted) = (col("key_id"), col("key_name"), col("redacted_key"));
        let (project_id, project_name, rules) =
            (col("project_id"), col("project_name"), col("rules"));
        if id.is_none() && redacted.is_none() {
            return Err(Error::at_line(
                name,
                1,
                "not a Key Roster keys.csv: no key_id or redacted_key column",
            ));
        }
        let mut prev = Previous::default();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| csv_error(name, &e))?;
            let get = |c: Option<usize>| nonempty(c.and_then(|c| rec.get(c)).map(str::to_string));
            let key = PrevKey {
                id: get(id),
                name: get(key_name).unwrap_or_default(),
                redacted: get(redacted),
                project: get(project_name).or(get(project_id)),
            };
            for rule in get(rules)
                .unwrap_or_default()
                .split(';')
                .map(str::trim)
                .filter(|r| !r.is_empty())
            {
                prev.findings.push(PrevFinding {
                    rule: rule.to_string(),
                    kind: "key".into(),
                    key: Some(key.clone()),
                    redacted: key.redacted.clone(),
                    project: key.project.clone(),
                    message: None,
                });
            }
            prev.keys.push(key);
        }
        Ok(prev)
    }
}

fn csv_error(name: &str, e: &csv::Error) -> Error {
    let line = e.position().map(|p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "not UTF-8 text".to_string(),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields as in the header, found {len}"),
        _ => format!("not a readable keys.csv: {e}"),
    };
    Error::input(
        name,
        Position {
            line,
            ..Position::default()
        },
        message,
    )
}

/// Whether a current key and a previous one are the same key: by id when both have one, else by
/// redacted value and name.
fn same_key(id: Option<&str>, name: &str, redacted: Option<&str>, p: &PrevKey) -> bool {
    if let (Some(a), Some(b)) = (id, p.id.as_deref()) {
        return a == b;
    }
    match (redacted, p.redacted.as_deref()) {
        (Some(a), Some(b)) => same_key_value(a, b) && fold(name) == fold(&p.name),
        _ => false,
    }
}

fn gone_key(k: &PrevKey) -> Gone {
    Gone {
        rule: None,
        key_id: k.id.clone(),
        key_name: Some(k.name.clone()),
        redacted: k.redacted.clone(),
        project: k.project.clone(),
        message: None,
    }
}

/// Marks `report`'s keys and findings against `previous` and fills `report.comparison`.
pub fn apply(report: &mut Report, previous: &Previous) {
    let mut cmp = Comparison {
        previous_as_of: previous.as_of,
        ..Comparison::default()
    };
    let mut prev_key_seen = vec![false; previous.keys.len()];
    for k in &mut report.keys {
        let key = &k.key;
        let found = previous
            .keys
            .iter()
            .enumerate()
            .find(|(_, p)| same_key(key.id.as_deref(), &key.name, key.redacted.as_deref(), p));
        match found {
            Some((i, _)) => {
                if let Some(s) = prev_key_seen.get_mut(i) {
                    *s = true;
                }
                k.change = Some("kept".into());
            }
            None => {
                cmp.keys_added += 1;
                k.change = Some("added".into());
            }
        }
    }
    cmp.keys_removed = previous
        .keys
        .iter()
        .zip(&prev_key_seen)
        .filter(|(_, seen)| !**seen)
        .map(|(k, _)| gone_key(k))
        .collect();

    let mut prev_finding_seen = vec![false; previous.findings.len()];
    for f in &mut report.findings {
        let t = &f.target;
        let key = t.key_index.and_then(|i| report.keys.get(i)).map(|k| &k.key);
        let found = previous.findings.iter().enumerate().find(|(_, p)| {
            if p.rule != f.rule {
                return false;
            }
            match (key, &p.key) {
                (Some(k), Some(pk)) => {
                    same_key(k.id.as_deref(), &k.name, k.redacted.as_deref(), pk)
                }
                (None, None) => match (t.redacted.as_deref(), p.redacted.as_deref()) {
                    (Some(a), Some(b)) => same_key_value(a, b),
                    _ => t.project.as_deref().map(fold) == p.project.as_deref().map(fold),
                },
                // A leaked value now matched to a listed key (or no longer): same leak.
                _ => match (t.redacted.as_deref(), p.redacted.as_deref()) {
                    (Some(a), Some(b)) => f.rule == "exposed-secret" && same_key_value(a, b),
                    _ => false,
                },
            }
        });
        match found {
            Some((i, _)) => {
                if let Some(s) = prev_finding_seen.get_mut(i) {
                    *s = true;
                }
                cmp.findings_open += 1;
                f.change = Some("open".into());
            }
            None => {
                cmp.findings_new += 1;
                f.change = Some("new".into());
            }
        }
    }
    cmp.findings_fixed = previous
        .findings
        .iter()
        .zip(&prev_finding_seen)
        .filter(|(_, seen)| !**seen)
        .map(|(p, _)| Gone {
            rule: Some(p.rule.clone()),
            key_id: p.key.as_ref().and_then(|k| k.id.clone()),
            key_name: p.key.as_ref().map(|k| k.name.clone()),
            redacted: p
                .redacted
                .clone()
                .or(p.key.as_ref().and_then(|k| k.redacted.clone())),
            project: p.project.clone(),
            message: p.message.clone(),
        })
        .collect();
    report.comparison = Some(cmp);
}
