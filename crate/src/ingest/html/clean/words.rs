//! A cell's text as lines of words: whitespace collapsed ([`tidy`]), a text node's line breaks
//! read as spaces ([`push_on_one_line`]), and whether a text is a chip ([`is_badge_words`]).
//! Called for every cell of a page and every element of every cell: each works in one pass,
//! over bytes when the text is ASCII.

use super::{is_badge, BADGES};

/// Collapses whitespace within lines and drops empty lines.
///
/// Written straight into one `String`: called for every cell of a page (and for every element
/// that might be a chip), where a `Vec` per line and a `join` were a few percent of the read.
pub fn tidy(raw: &str) -> String {
    if raw.is_ascii() {
        return tidy_ascii(raw);
    }
    let mut out = String::new();
    for line in raw.split('\n') {
        let mut words = line.split_whitespace();
        let Some(first) = words.next() else {
            continue;
        };
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(first);
        for w in words {
            out.push(' ');
            out.push_str(w);
        }
    }
    out
}

/// [`tidy`] of ASCII text, in one pass over its bytes: most cells are ASCII, and splitting them
/// into lines and Unicode words was a third of cleaning a cell. The same rules: a line break
/// ends a line, the other whitespace (`char::is_whitespace` on ASCII: space and `\t` to `\r`)
/// separates words, and only lines with words are kept.
fn tidy_ascii(raw: &str) -> String {
    let b = raw.as_bytes();
    let space = |c: u8| c == b' ' || (b'\t'..=b'\r').contains(&c);
    let mut out = String::with_capacity(raw.len());
    // Whether the line being read has shown a word yet, and whether whitespace followed it.
    let mut words = false;
    let mut gap = false;
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'\n' {
            (words, gap) = (false, false);
            i += 1;
        } else if space(c) {
            gap = words;
            i += 1;
        } else {
            // A word, copied whole.
            let start = i;
            while b.get(i).is_some_and(|&c| !space(c)) {
                i += 1;
            }
            if !words {
                if !out.is_empty() {
                    out.push('\n');
                }
                words = true;
            } else if gap {
                out.push(' ');
            }
            gap = false;
            out.push_str(raw.get(start..i).unwrap_or_default());
        }
    }
    out
}

/// [`is_badge`] of `text` as [`tidy`] would put it on one line (its words joined by single
/// spaces), without building that line: asked of every element of every cell. Badges are
/// ASCII: an ASCII text's words are lower-cased into a small buffer instead.
pub(super) fn is_badge_words(text: &str) -> bool {
    const LONGEST: usize = 16;
    let mut line = [0u8; LONGEST];
    let mut n = 0;
    let mut gap = false;
    for &b in text.as_bytes() {
        // `char::is_whitespace` on ASCII: space and \t \n \x0b \x0c \r.
        if b == b' ' || (b'\t'..=b'\r').contains(&b) {
            gap = n > 0;
            continue;
        }
        if !b.is_ascii() {
            // Rare: Unicode spaces (a no-break space beside a chip) count as spaces.
            return is_badge(&tidy(text).replace('\n', " "));
        }
        if gap {
            if n == LONGEST {
                return false;
            }
            line[n] = b' ';
            n += 1;
            gap = false;
        }
        if n == LONGEST {
            return false;
        }
        line[n] = b.to_ascii_lowercase();
        n += 1;
    }
    let line = &line[..n];
    BADGES.iter().any(|b| b.as_bytes() == line)
}

/// Appends a text node's text with its line breaks as spaces (lines come from block elements,
/// not from the source's line breaks). Both are ASCII: the text is copied in runs between them,
/// not decoded and encoded a character at a time.
pub(super) fn push_on_one_line(buf: &mut String, text: &str) {
    let mut rest = text;
    while let Some(i) = memchr::memchr2(b'\n', b'\r', rest.as_bytes()) {
        buf.push_str(rest.get(..i).unwrap_or_default());
        buf.push(' ');
        rest = rest.get(i + 1..).unwrap_or_default();
    }
    buf.push_str(rest);
}
