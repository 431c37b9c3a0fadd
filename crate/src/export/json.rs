//! The report as JSON (the CLI's `--format json`, www's and the extension's report.json).

use crate::report::Report;

/// Pretty JSON of the whole report, fields in the order of [`Report`]. Full secrets cannot be in
/// it: the inventory never holds one, and the report is made from the inventory only.
pub fn report(report: &Report) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(report)
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}").into_bytes());
    out.push(b'\n');
    out
}
