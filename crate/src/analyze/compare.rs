//! Comparing audits: a previous report (its JSON, or its keys.csv) against the current one marks
//! findings new, still open or fixed, and keys added or removed.
//!
//! Keys are matched by id, else by redacted value and name, else by name within the project.
//! A finding is identified by its rule and its key (or, for project and input findings, by its
//! rule and its project or source).

use jiff::civil::Date;

use crate::error::{Error, Position, Result};
use crate::report::{Comparison, Gone, Report};
use crate::secret;

/// One key of a previous audit, with the rules that fired on it then.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PrevKey {
    pub id: Option<String>,
    pub name: String,
    pub redacted: Option<String>,
    pub project: Option<String>,
    pub rules: Vec<String>,
}

/// A finding of a previous audit that is not about a key.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PrevOther {
    pub rule: String,
    pub subject: String,
    pub message: Option<String>,
}

/// What a previous audit said.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Previous {
    pub as_of: Option<Date>,
    pub keys: Vec<PrevKey>,
    pub others: Vec<PrevOther>,
}

fn s(v: &serde_json::Value) -> Option<String> {
    v.as_str().map(str::to_string).filter(|x| !x.is_empty())
}

impl Previous {
    /// Reads Key Roster's report JSON.
    pub fn from_report_json(name: &str, text: &str) -> Result<Previous> {
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            Error::input(
                name,
                Position {
                    line: Some(e.line() as u64),
                    ..Position::default()
                },
                format!("not a Key Roster report: {e}"),
            )
        })?;
        let Some(keys) = v.get("keys").and_then(|k| k.as_array()) else {
            return Err(Error::input(
                name,
                Position::default(),
                "not a Key Roster report: no \"keys\" array",
            ));
        };
        let mut prev = Previous {
            as_of: v
                .get("as_of")
                .and_then(|d| d.as_str())
                .and_then(|d| d.parse().ok()),
            ..Previous::default()
        };
        for k in keys {
            let project = k.get("project").and_then(|p| s(&p["name"]).or(s(&p["id"])));
            prev.keys.push(PrevKey {
                id: s(&k["id"]),
                name: k["name"].as_str().unwrap_or("").to_string(),
                redacted: s(&k["redacted"]),
                project,
                rules: k["rules"]
                    .as_array()
                    .map(|r| r.iter().filter_map(s).collect())
                    .unwrap_or_default(),
            });
        }
        for f in v
            .get("findings")
            .and_then(|f| f.as_array())
            .into_iter()
            .flatten()
        {
            if f["target"]["kind"] == "key" {
                continue;
            }
            let subject = s(&f["target"]["project"])
                .or(s(&f["target"]["source"]))
                .or(s(&f["target"]["redacted"]))
                .unwrap_or_default();
            prev.others.push(PrevOther {
                rule: s(&f["rule"]).unwrap_or_default(),
                subject,
                message: s(&f["message"]),
            });
        }
        Ok(prev)
    }

    /// Reads Key Roster's keys.csv (its key_id, key_name, redacted_key, project and rules columns).
    pub fn from_keys_csv(name: &str, text: &str) -> Result<Previous> {
        let text = text.trim_start_matches('\u{feff}');
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(text.as_bytes());
        let headers = rdr
            .headers()
            .map_err(|e| Error::at_line(name, 1, format!("not a Key Roster keys.csv: {e}")))?
            .clone();
        let col = |h: &str| headers.iter().position(|x| x.trim() == h);
        let (Some(c_name), Some(c_rules)) = (col("key_name"), col("rules")) else {
            return Err(Error::at_line(
                name,
                1,
                "not a Key Roster keys.csv: expected the columns key_name and rules",
            ));
        };
        let (c_id, c_red, c_pn, c_pi) = (
            col("key_id"),
            col("redacted_key"),
            col("project_name"),
            col("project_id"),
        );
        let mut prev = Previous::default();
        for (i, rec) in rdr.records().enumerate() {
            let rec = rec.map_err(|e| {
                let line = e.position().map_or(i as u64 + 2, |p| p.line());
                Error::at_line(name, line, format!("not a Key Roster keys.csv row: {e}"))
            })?;
            let get = |c: Option<usize>| {
                c.and_then(|c| rec.get(c))
                    .map(|v| v.trim().trim_start_matches('\'').to_string())
                    .filter(|v| !v.is_empty())
            };
            prev.keys.push(PrevKey {
                id: get(c_id),
                name: rec
                    .get(c_name)
                    .unwrap_or("")
                    .trim_start_matches('\'')
                    .to_string(),
                redacted: get(c_red),
                project: get(c_pn).or(get(c_pi)),
                rules: get(Some(c_rules))
                    .map(|r| {
                        r.split(';')
                            .map(|x| x.trim().to_string())
                            .filter(|x| !x.is_empty())
                            .collect()
                    })
                    .unwrap_or_default(),
            });
        }
        Ok(prev)
    }
}

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
