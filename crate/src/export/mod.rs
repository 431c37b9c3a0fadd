//! Exports: the report as the CSV set, an Excel workbook, JSON and a self-contained HTML report,
//! safe by construction.
//!
//! Every text cell of every export goes through [`sanitize::text`]: full secrets are redacted
//! (a last line of defense: ingest already never keeps one) and formula-like text is neutralized
//! so no spreadsheet runs it. Numbers stay numbers. The HTML report escapes instead
//! ([`html::escape`]), and redacts the same way.

pub mod columns;
pub mod csv;
#[cfg(feature = "html-report")]
pub mod html;
pub mod json;
pub mod sanitize;
#[cfg(feature = "xlsx")]
pub mod xlsx;

use crate::error::{Error, Result};
use crate::model::{LastUsed, Owner, OwnerType, Project};
use crate::report::{GroupRow, Report, SeverityCounts};

/// The files `keyroster audit --out-dir` writes, by the names [`by_name`] takes.
pub const OUT_DIR_FILES: [&str; 6] = [
    "keys.csv",
    "findings.csv",
    "owners.csv",
    "projects.csv",
    "unlisted-keys.csv",
    "report.json",
];

/// An export by its name: a file of [`OUT_DIR_FILES`] or `xlsx` (the workbook). One list for the
/// CLI and the browser, so both offer the same exports written the same way. `opts` applies to
/// the CSV files.
pub fn by_name(report: &Report, kind: &str, opts: &csv::CsvOptions) -> Result<Vec<u8>> {
    Ok(match kind {
        "keys.csv" => csv::keys(report, opts),
        "findings.csv" => csv::findings(report, opts),
        "owners.csv" => csv::owners(report, opts),
        "projects.csv" => csv::projects(report, opts),
        "unlisted-keys.csv" => csv::unlisted_keys(report, opts),
        "report.json" => json::report(report),
        #[cfg(feature = "xlsx")]
        "xlsx" => xlsx::workbook(report)?,
        #[cfg(feature = "html-report")]
        "html" => html::report(report).into_bytes(),
        // A build without them (the extension's popup module) says where they are.
        #[cfg(not(feature = "xlsx"))]
        "xlsx" => return Err(not_here(kind)),
        #[cfg(not(feature = "html-report"))]
        "html" => return Err(not_here(kind)),
        other => {
            return Err(Error::usage(format!(
                "unknown export {other:?}: expected {}, xlsx or html",
                OUT_DIR_FILES.join(", ")
            )))
        }
    })
}

/// An export a smaller build leaves out.
#[cfg(not(all(feature = "xlsx", feature = "html-report")))]
fn not_here(kind: &str) -> Error {
    Error::usage(format!(
        "the {kind} export is in the export module, not this one"
    ))
}

/// A download name carrying the org (when known) and the as-of date:
/// `keyroster-acme-robotics-keys-2026-11-22.csv`; `stem` may be empty.
pub fn file_name(report: &Report, stem: &str, ext: &str) -> String {
    let mut parts = vec!["keyroster".to_string()];
    if let Some(org) = report.org.as_deref().map(slug).filter(|s| !s.is_empty()) {
        parts.push(org);
    }
    let stem = slug(stem);
    if !stem.is_empty() {
        parts.push(stem);
    }
    if let Some(d) = report.as_of {
        parts.push(d.to_string());
    }
    format!("{}.{}", parts.join("-"), slug(ext))
}

/// One row of owners.csv and of the workbook's Owners sheet: both exporters show the same rows.
pub struct OwnerRow<'a> {
    /// `user`, `service_account`, `organization` or `unknown`.
    pub owner_type: &'a str,
    /// The owner's name; the group's label when nothing else identifies the owner.
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub id: Option<&'a str>,
    pub group: &'a GroupRow,
}

/// The owner rows, in the order analysis grouped them.
pub fn owner_rows(report: &Report) -> Vec<OwnerRow<'_>> {
    static NOBODY: Owner = Owner {
        kind: OwnerType::Unknown,
        name: None,
        email: None,
        id: None,
    };
    report
        .groups
        .by_owner
        .iter()
        .map(|g| {
            // Every key of a group has the same owner label; the first one carries the details.
            let owner = g
                .key_indexes
                .first()
                .and_then(|&i| report.keys.get(i))
                .map_or(&NOBODY, |k| &k.key.owner);
            let name = match (&owner.name, &owner.email, &owner.id) {
                (Some(n), _, _) => n.as_str(),
                // Email or id columns identify the owner; the name stays empty, not repeated.
                (None, Some(_), _) | (None, None, Some(_)) => "",
                (None, None, None) => g.label.as_str(),
            };
            OwnerRow {
                owner_type: g.owner_type.as_deref().unwrap_or(owner.kind.as_str()),
                name,
                email: owner.email.as_deref(),
                id: owner.id.as_deref(),
                group: g,
            }
        })
        .collect()
}

/// One row of projects.csv and of the workbook's Projects sheet.
pub struct ProjectRow<'a> {
    pub id: Option<&'a str>,
    pub name: &'a str,
    pub status: Option<&'a str>,
    pub hard_limit_usd: Option<f64>,
    pub soft_limit_usd: Option<f64>,
    /// The project's keys; `None` for a project no key belongs to.
    pub group: Option<&'a GroupRow>,
}

impl ProjectRow<'_> {
    pub fn keys(&self) -> usize {
        self.group.map_or(0, |g| g.keys)
    }
    pub fn active_keys(&self) -> usize {
        self.group.map_or(0, |g| g.active_keys)
    }
    pub fn last_used(&self) -> LastUsed {
        self.group.map_or(LastUsed::Unknown, |g| g.last_used)
    }
    pub fn cost_usd(&self) -> Option<f64> {
        self.group.and_then(|g| g.cost_usd)
    }
    pub fn findings(&self) -> SeverityCounts {
        self.group
            .map_or_else(SeverityCounts::default, |g| g.findings)
    }
}

/// The project rows: every project keys belong to, in the order analysis grouped them, then the
/// projects no key belongs to (their limits and status still matter to whoever pays).
pub fn project_rows(report: &Report) -> Vec<ProjectRow<'_>> {
    let find = |g: &GroupRow| -> Option<usize> {
        report.projects.iter().position(|p| {
            (g.detail.is_some() && p.id == g.detail)
                || p.name.as_deref() == Some(g.label.as_str())
                || p.id.as_deref() == Some(g.label.as_str())
        })
    };
    let mut used = vec![false; report.projects.len()];
    let mut rows: Vec<ProjectRow> = report
        .groups
        .by_project
        .iter()
        .map(|g| {
            let i = find(g);
            if let Some(u) = i.and_then(|i| used.get_mut(i)) {
                *u = true;
            }
            let pr: Option<&Project> = i.and_then(|i| report.projects.get(i));
            ProjectRow {
                id: g.detail.as_deref().or(pr.and_then(|p| p.id.as_deref())),
                name: pr.and_then(|p| p.name.as_deref()).unwrap_or(&g.label),
                status: pr.and_then(|p| p.status.as_deref()),
                hard_limit_usd: pr.and_then(|p| p.hard_limit_usd),
                soft_limit_usd: pr.and_then(|p| p.soft_limit_usd),
                group: Some(g),
            }
        })
        .collect();
    for (p, _) in report.projects.iter().zip(&used).filter(|(_, u)| !**u) {
        rows.push(ProjectRow {
            id: p.id.as_deref(),
            name: p.name.as_deref().unwrap_or(""),
            status: p.status.as_deref(),
            hard_limit_usd: p.hard_limit_usd,
            soft_limit_usd: p.soft_limit_usd,
            group: None,
        });
    }
    rows
}

/// Lowercase ASCII letters and digits joined by single dashes, at most 40 characters: safe in a
/// file name on every system. Accents are dropped (`Zürich` → `zurich`), not turned into dashes.
fn slug(s: &str) -> String {
    let bare = if s.is_ascii() {
        // Nothing to decompose (most names, and no normalizer call from the browser).
        s.to_string()
    } else {
        crate::names::normalize(s, crate::names::Form::NfkdWithoutMarks)
    };
    let mut out = String::new();
    for c in bare.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_export_has_a_name_and_an_unknown_one_is_a_usage_error() {
        let r = Report::default();
        let opts = csv::CsvOptions::default();
        for kind in OUT_DIR_FILES.iter().chain(&["xlsx"]) {
            assert!(!by_name(&r, kind, &opts).unwrap().is_empty(), "{kind}");
        }
        let e = by_name(&r, "keys.tsv", &opts).unwrap_err();
        assert_eq!(e.name(), "UsageError");
        assert!(e.to_string().contains("\"keys.tsv\""), "{e}");
    }

    #[test]
    fn file_names_carry_org_and_date() {
        let mut r = Report {
            as_of: Some(jiff::civil::date(2026, 11, 22)),
            ..Report::default()
        };
        assert_eq!(file_name(&r, "", "xlsx"), "keyroster-2026-11-22.xlsx");
        r.org = Some("Acme Robotics, Inc. / ../etc".into());
        assert_eq!(
            file_name(&r, "keys", "csv"),
            "keyroster-acme-robotics-inc-etc-keys-2026-11-22.csv"
        );
    }
}
