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
    // Text that already starts with the quote gets one more, so reading Key Roster's own CSV
    // back (which removes one quote) returns the text as it was.
    if is_formula_like(&scrubbed) || scrubbed.starts_with('\'') {
        Cow::Owned(format!("'{scrubbed}"))
    } else {
        scrubbed
    }
}

/// Excel's limit on the text of one cell, in UTF-16 code units; a longer string would make the
/// workbook writer fail, so it is cut.
pub const MAX_XLSX_TEXT: usize = 32_767;

/// Appended to text cut to [`MAX_XLSX_TEXT`].
pub const CUT_MARK: &str = " [cut: longer than a spreadsheet cell holds]";

/// Like [`text`] but without the quote prefix: for XLSX, where the cell's quote-prefix format
/// does the neutralizing and the text stays as the user wrote it. Also fits the text into a cell:
/// at most [`MAX_XLSX_TEXT`] UTF-16 units, and no U+FFFE/U+FFFF (not allowed in XML, they would
/// make Excel offer to repair the file).
pub fn text_for_xlsx(s: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(s);
    if s.contains("sk-") {
        let (scrubbed, found) = crate::secret::scrub(s);
        if !found.is_empty() {
            out = Cow::Owned(scrubbed);
        }
    }
    let bad = |c: char| c == '\u{FFFE}' || c == '\u{FFFF}';
    // A UTF-8 length within the limit means a UTF-16 length within it too.
    let too_long = out.len() > MAX_XLSX_TEXT && out.encode_utf16().count() > MAX_XLSX_TEXT;
    if !too_long && !out.contains(bad) {
        return out;
    }
    let room = MAX_XLSX_TEXT - CUT_MARK.len();
    let mut fitted = String::with_capacity(out.len().min(MAX_XLSX_TEXT * 3));
    let mut units = 0;
    for c in out.chars() {
        if too_long && units + c.len_utf16() > room {
            fitted.push_str(CUT_MARK);
            break;
        }
        units += c.len_utf16();
        fitted.push(if bad(c) { '\u{FFFD}' } else { c });
    }
    Cow::Owned(fitted)
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

    #[test]
    fn xlsx_text_is_cut_to_what_a_cell_holds() {
        let long = "é".repeat(40_000);
        let cut = text_for_xlsx(&long);
        assert_eq!(cut.encode_utf16().count(), MAX_XLSX_TEXT);
        assert!(cut.starts_with("éé") && cut.ends_with(CUT_MARK));
        // Characters outside the BMP count two units each and are never split.
        let wide = "𝔘".repeat(20_000);
        let cut = text_for_xlsx(&wide);
        assert!(cut.encode_utf16().count() <= MAX_XLSX_TEXT);
        assert!(cut.ends_with(CUT_MARK));
        let exact = "a".repeat(MAX_XLSX_TEXT);
        assert_eq!(text_for_xlsx(&exact), exact);
    }

    #[test]
    fn xlsx_text_drops_characters_xml_forbids() {
        assert_eq!(text_for_xlsx("a\u{FFFE}b\u{FFFF}"), "a\u{FFFD}b\u{FFFD}");
        assert_eq!(text_for_xlsx("tab\tand\u{1}"), "tab\tand\u{1}");
    }
}
