//! The report as JSON (the CLI's `--format json`, www's and the extension's report.json).

use std::borrow::Cow;

use crate::report::Report;

/// Pretty JSON of the whole report, fields in the order of [`Report`] (serde keeps declaration
/// order, so the output is stable for a given report).
///
/// The inventory never holds a full secret, but a report can also be built or edited by hand
/// (tests, a previous report read back): the text is scrubbed anyway as the last line of defense.
/// A redaction (`sk-proj-...Ab12`) holds no character JSON escapes, so the result stays valid JSON.
/// The scrub copies the text only when it finds a secret; a clean report is written as serialized.
pub fn report(report: &Report) -> Vec<u8> {
    let serialized = match serde_json::to_string_pretty(report) {
        Ok(t) => t,
        // Plain data cannot fail to serialize (serde_json writes a non-finite float as null);
        // should it ever, say so in JSON rather than write half a report.
        Err(e) => {
            serde_json::json!({ "error": format!("cannot write the report: {e}") }).to_string()
        }
    };
    let scrubbed = match crate::secret::scrub_cow(&serialized).0 {
        Cow::Owned(clean) => Some(clean),
        Cow::Borrowed(_) => None,
    };
    let mut text = scrubbed.unwrap_or(serialized);
    text.push('\n');
    text.into_bytes()
}
