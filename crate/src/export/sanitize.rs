//! The one function every exported text cell passes through.

use std::borrow::Cow;

/// True when a spreadsheet would read `s` as a formula (OWASP CSV injection): after leading
/// spaces it starts with `=`, `+`, `-`, `@`, a tab or a carriage return.
pub fn is_formula_like(s: &str) -> bool {
    s.trim_start_matches(' ')
        .starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Makes untrusted text safe for a CSV or XLSX cell: full secrets become their redaction, and
/// formula-like text gets a leading `'` so it shows as text and never runs.
pub fn text(s: &str) -> Cow<'_, str> {
    let scrubbed = if s.contains("sk-") {
        let (out, found) = crate::secret::scrub(s);
        if found.is_empty() {
            Cow::Borrowed(s)
        } else {
            Cow::Owned(out)
        }
    } else {
        Cow::Borrowed(s)
    };
    if is_formula_like(&scrubbed) {
        Cow::Owned(format!("'{scrubbed}"))
    } else {
        scrubbed
    }
}

/// Like [`text`] but without the quote prefix: for XLSX, where the cell's quote-prefix format
/// does the neutralizing and the text stays as the user wrote it.
pub fn text_for_xlsx(s: &str) -> Cow<'_, str> {
    if s.contains("sk-") {
        let (out, found) = crate::secret::scrub(s);
        if !found.is_empty() {
            return Cow::Owned(out);
        }
    }
    Cow::Borrowed(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_leading_formula_character_is_neutralized() {
        for lead in ["=", "+", "-", "@", "\t", "\r", "  =", " @"] {
            let s = format!("{lead}cmd|' /C calc'!A0");
            assert_eq!(text(&s), format!("'{s}"), "{lead:?}");
        }
        assert_eq!(text("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(
            text("@SUM(1+1)*cmd|' /C calc'!A0"),
            "'@SUM(1+1)*cmd|' /C calc'!A0"
        );
        assert_eq!(text("payments-prod"), "payments-prod");
        assert_eq!(text("a=b"), "a=b");
    }

    #[test]
    fn full_secrets_never_pass() {
        let secret = format!("sk-proj-{}T3BlbkFJ{}", "Ab3".repeat(25), "Zx9".repeat(25));
        let out = text(&secret);
        assert!(!out.contains("T3BlbkFJ"));
        assert!(out.starts_with("sk-proj-..."));
        assert!(!text_for_xlsx(&format!("key {secret}")).contains("T3BlbkFJ"));
    }
}
