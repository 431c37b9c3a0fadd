//! The report as JSON (the CLI's `--format json`, www's and the extension's report.json).

use crate::report::Report;

/// Pretty JSON of the whole report, fields in the order of [`Report`] (serde keeps declaration
/// order, so the output is stable for a given report).
///
/// The inventory never holds a full secret, but a report can also be built or edited by hand
/// (tests, a previous report read back): the text is scrubbed anyway as the last line of defense.
/// A redaction (`sk-proj-...Ab12`) holds no character JSON escapes, so the result stays valid JSON.
pub fn report(report: &Report) -> Vec<u8> {
    let text = match serde_json::to_string_pretty(report) {
        Ok(t) => t,
        // Plain data cannot fail to serialize (serde_json writes a non-finite float as null);
        // should it ever, say so in JSON rather than write half a report.
        Err(e) => {
            serde_json::json!({ "error": format!("cannot write the report: {e}") }).to_string()
        }
    };
    let (mut text, _) = crate::secret::scrub(&text);
    text.push('\n');
    text.into_bytes()
}
