//! A previous audit, read as an input: Key Roster's report JSON or its keys.csv, whichever the
//! user kept. The keys.csv goes through the same reader as any keys.csv ([`super::csv`]: any
//! delimiter, encoding and quoting, the export's `'` formula guard undone exactly), so a file
//! Excel saved with `;` reads as a previous audit exactly as it reads as an input. What the audit
//! said is kept as a [`Previous`]; [`crate::analyze::compare`] applies it to a new report.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{text, Context, Format};
use crate::error::{Error, Position, Result};

/// One key of a previous audit, with the rules that fired on it then.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PrevKey {
    pub id: Option<String>,
    pub name: String,
    pub redacted: Option<String>,
    /// Project label (name, else id).
    pub project: Option<String>,
    pub rules: Vec<String>,
}

/// A finding of a previous audit that is not about a key.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PrevOther {
    pub rule: String,
    /// The project, input or redacted value it was about.
    pub subject: String,
    pub message: Option<String>,
}

/// What a previous audit said.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Previous {
    /// The file it was read from.
    pub source: String,
    pub as_of: Option<Date>,
    pub keys: Vec<PrevKey>,
    pub others: Vec<PrevOther>,
}

/// Reads a previous audit: a report JSON or a keys.csv, told apart by content.
pub fn read(name: &str, bytes: &[u8]) -> Result<Previous> {
    let text = text::decode(name, bytes)?;
    let mut prev =
        match super::detect(&text) {
            Format::Json => from_report_json(name, &text)?,
            Format::Delimited => from_keys_csv(name, &text)?,
            Format::Html | Format::Mhtml => return Err(Error::input(
                name,
                Position::default(),
                "not a previous audit: expected Key Roster's report JSON or keys.csv, found a page",
            )),
        };
    prev.source = name.to_string();
    Ok(prev)
}

fn s(v: &serde_json::Value) -> Option<String> {
    v.as_str().map(str::to_string).filter(|x| !x.is_empty())
}

fn from_report_json(name: &str, text: &str) -> Result<Previous> {
    let text = text.trim_start_matches('\u{feff}');
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

/// Keys.csv through the keys.csv reader; its `rules` column, which the table reader skips as
/// derived, read beside each key.
fn from_keys_csv(name: &str, text: &str) -> Result<Previous> {
    // "Today" only matters for relative dates, which Key Roster's own export never writes.
    let ctx = Context::new(name, Date::default());
    let mut rules: Vec<Vec<String>> = Vec::new();
    let mut has_rules = false;
    let batch = super::csv::read_each(
        &ctx,
        text,
        &super::limits::Limits::default(),
        |header, cells, batch| {
            let col = header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case("rules"));
            has_rules |= col.is_some();
            if batch.keys.len() > rules.len() {
                let cell = col.and_then(|c| cells.get(c)).copied().unwrap_or("");
                rules.push(
                    cell.split(';')
                        .map(|x| x.trim().to_string())
                        .filter(|x| !x.is_empty())
                        .collect(),
                );
            }
        },
    )?;
    let keys_table = matches!(batch.kind.as_str(), "csv:keys" | "csv:keyroster-keys");
    if !keys_table || !has_rules {
        return Err(Error::input(
            name,
            Position::default(),
            format!(
                "not a Key Roster keys.csv: expected the columns key_name and rules (read as {})",
                batch.kind
            ),
        ));
    }
    let keys = batch
        .keys
        .into_iter()
        .zip(rules.into_iter().chain(std::iter::repeat(Vec::new())))
        .map(|(k, rules)| PrevKey {
            project: k
                .project
                .as_ref()
                .map(|p| p.label().to_string())
                .filter(|p| !p.is_empty()),
            id: k.id,
            name: k.name,
            redacted: k.redacted,
            rules,
        })
        .collect();
    Ok(Previous {
        keys,
        ..Previous::default()
    })
}
