//! The only way untrusted text (names, messages, file names, errors: anything a page, file or
//! policy supplied) gets into the HTML report: [`text`] for element content, [`attr`] for a
//! double-quoted attribute value, and [`cut`] for a name that may be long.
//!
//! Beyond the markup characters, both functions make text that a reader can trust at a glance:
//! a full secret becomes its redaction (ingest never keeps one; this is the last line of
//! defense, as in [`crate::export::sanitize`]), and control characters, noncharacters and the
//! bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069, the "Trojan Source"
//! characters) are shown as their code point, `⟨U+202E⟩`, instead of silently reordering or
//! hiding what follows them. (Not as Control Pictures such as `␛`: common system fonts have no
//! glyph for them, and an empty box tells a reader nothing.)

use std::borrow::Cow;
use std::fmt::Write;

/// Text for an element's content: `&`, `<` and `>` escaped.
pub fn text(s: &str) -> String {
    escape(s, false)
}

/// Text for a double-quoted attribute value: quotes escaped as well.
pub fn attr(s: &str) -> String {
    escape(s, true)
}

/// `s` as element content, at most `max` characters shown: a longer text is cut with a visible
/// `…` and the whole of it is kept in the `title` attribute (a tooltip on screen).
pub fn cut(s: &str, max: usize) -> String {
    // Redact before cutting: the first characters of a secret, cut short, would no longer be
    // recognized as one.
    let s = redacted(s);
    if s.chars().count() <= max {
        return text(&s);
    }
    let shown: String = s.chars().take(max.saturating_sub(1)).collect();
    format!(
        "<span class=\"cut\" title=\"{}\">{}…</span>",
        attr(&s),
        text(&shown)
    )
}

/// `s` with every full secret replaced by its redaction.
pub fn redacted(s: &str) -> Cow<'_, str> {
    if s.contains("sk-") {
        Cow::Owned(crate::secret::scrub(s).0)
    } else {
        Cow::Borrowed(s)
    }
}

fn escape(s: &str, quotes: bool) -> String {
    let s = redacted(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if quotes => out.push_str("&quot;"),
            '\'' if quotes => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            '\0'..='\x1f'
            | '\x7f'..='\u{9f}'
            | '\u{fffe}'
            | '\u{ffff}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}' => {
                let _ = write!(out, "⟨U+{:04X}⟩", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_becomes_text() {
        assert_eq!(
            text("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(
            text("\"><script>alert(1)</script>"),
            "\"&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            attr("\"><script>alert('1')</script>"),
            "&quot;&gt;&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt;"
        );
        assert_eq!(text("AT&T"), "AT&amp;T");
    }

    #[test]
    fn controls_and_bidi_overrides_are_shown_not_obeyed() {
        assert_eq!(
            text("a\u{1b}[2Jb\0c\u{7f}"),
            "a⟨U+001B⟩[2Jb⟨U+0000⟩c⟨U+007F⟩"
        );
        assert_eq!(text("x\u{85}y\u{ffff}"), "x⟨U+0085⟩y⟨U+FFFF⟩");
        assert_eq!(text("invoice\u{202e}fdp.exe"), "invoice⟨U+202E⟩fdp.exe");
        assert_eq!(attr("\u{2067}x"), "⟨U+2067⟩x");
        assert_eq!(text("line\nnext\tcol"), "line\nnext\tcol");
        assert_eq!(
            text("Zoë 北京 مرحبا"),
            "Zoë 北京 مرحبا",
            "letters stay as they are"
        );
    }

    #[test]
    fn a_long_name_is_cut_visibly_with_the_whole_in_its_title() {
        let long = format!("<b>{}", "a".repeat(10_000));
        let html = cut(&long, 80);
        assert!(html.starts_with("<span class=\"cut\" title=\"&lt;b&gt;aaa"));
        assert!(html.contains(&format!("{}\">", "a".repeat(10_000))));
        assert!(html.ends_with(&format!("&lt;b&gt;{}…</span>", "a".repeat(76))));
        assert_eq!(cut("short", 80), "short");
    }

    #[test]
    fn a_full_secret_is_redacted_even_here() {
        let secret = format!("sk-proj-{}T3BlbkFJ{}", "Ab3".repeat(25), "Zx9".repeat(25));
        for out in [
            text(&secret),
            attr(&format!("x {secret}")),
            cut(&secret, 10),
            cut(&secret, 100),
        ] {
            assert!(!out.contains("T3BlbkFJ"), "{out}");
            assert!(
                !out.contains("Ab3Ab3Ab3"),
                "not even its first characters: {out}"
            );
            assert!(out.contains("sk-proj-"), "the redaction stays: {out}");
        }
    }
}
