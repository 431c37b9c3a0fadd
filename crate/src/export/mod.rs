//! Exports: the report as the CSV set, an Excel workbook and JSON, safe by construction.
//!
//! Every text cell of every export goes through [`sanitize::text`]: full secrets are redacted
//! (a last line of defense: ingest already never keeps one) and formula-like text is neutralized
//! so no spreadsheet runs it. Numbers stay numbers.

pub mod csv;
pub mod json;
pub mod sanitize;
pub mod xlsx;

use crate::report::Report;

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

/// Lowercase ASCII letters and digits joined by single dashes.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
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
