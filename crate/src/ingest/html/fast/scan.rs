//! The fast path's tokenizer: HTML's tokenizer states for data, tags, attributes, comments, the
//! `<!DOCTYPE html>` line and raw text, over bytes (every delimiter is ASCII, so every cut falls
//! on a character boundary). Whatever the states would report as an error that changes the
//! tokens (an unknown or unterminated character reference, `<?`, `</>`, a bogus comment, an
//! attribute without its value after `=`, end of input inside a tag) is declined (`None`).

use markup5ever::{ns, Attribute, LocalName, QualName};
use scraper::StrTendril;

use super::{is_ws, Builder, Content, Step};

#[cfg(test)]
thread_local! {
    /// Where the scan was when it declined (the tests say why a page was declined).
    pub(super) static AT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

pub(super) fn run(text: &str, b: &mut Builder) -> Step {
    let s = text.as_bytes();
    let mut i = 0;
    // The text since the last markup, references decoded.
    let mut buf = String::new();
    let mut run_from = 0;
    loop {
        #[cfg(test)]
        AT.set(i);
        let Some(at) = memchr::memchr2(b'<', b'&', &s[i..]).map(|k| i + k) else {
            buf.push_str(&text[run_from..]);
            if !buf.is_empty() {
                b.text(&buf)?;
            }
            return Some(());
        };
        if s[at] == b'&' {
            buf.push_str(&text[run_from..at]);
            i = reference(text, at, false, &mut buf)?;
            run_from = i;
            continue;
        }
        let next = *s.get(at + 1)?;
        let markup = next.is_ascii_alphabetic() || matches!(next, b'/' | b'!' | b'?');
        if !markup {
            // A `<` that opens nothing is text.
            i = at + 1;
            continue;
        }
        buf.push_str(&text[run_from..at]);
        if !buf.is_empty() {
            b.text(&buf)?;
            buf.clear();
        }
        i = match next {
            b'!' => declaration(text, at, b)?,
            b'/' => {
                if !s.get(at + 2)?.is_ascii_alphabetic() {
                    return None;
                }
                let (name, _, end, _) = tag(text, at + 2, false)?;
                b.end(&name)?;
                end
            }
            b'?' => return None,
            _ => {
                let (name, attrs, end, self_closing) = tag(text, at + 1, true)?;
                let kind = b.start(name.clone(), attrs, self_closing)?;
                if kind == Content::Markup {
                    end
                } else {
                    raw(text, end, &name, kind, b)?
                }
            }
        };
        run_from = i;
    }
}

/// `<!--…-->` or `<!DOCTYPE html>` from `at` (the `<`); returns the index after it.
fn declaration(text: &str, at: usize, b: &mut Builder) -> Step<usize> {
    let s = text.as_bytes();
    let rest = &s[at + 2..];
    if rest.starts_with(b"--") {
        let body = at + 4;
        // `<!-->` and `<!--->` are comments cut short: declined.
        if s.get(body) == Some(&b'>') || s[body..].starts_with(b"->") {
            return None;
        }
        let len = memchr::memmem::find(&s[body..], b"-->")?;
        let comment = &text[body..body + len];
        if comment.contains("--!>") {
            return None;
        }
        b.comment(comment)?;
        return Some(body + len + 3);
    }
    if rest.len() < 7 || !rest[..7].eq_ignore_ascii_case(b"doctype") {
        return None;
    }
    let mut k = at + 9;
    let ws_from = k;
    while s.get(k).is_some_and(|&c| is_ws(c)) {
        k += 1;
    }
    if k == ws_from || !s.get(k..k + 4)?.eq_ignore_ascii_case(b"html") {
        return None;
    }
    k += 4;
    while s.get(k).is_some_and(|&c| is_ws(c)) {
        k += 1;
    }
    if *s.get(k)? != b'>' {
        return None;
    }
    b.doctype()?;
    Some(k + 1)
}

/// A tag's name and attributes from `from` (its name's first letter); returns them, the index
/// after its `>`, and whether it ended with `/>` (which only SVG heeds).
fn tag(text: &str, from: usize, keep: bool) -> Step<(LocalName, Vec<Attribute>, usize, bool)> {
    let s = text.as_bytes();
    let mut i = from;
    while i < s.len() && !is_ws(s[i]) && s[i] != b'/' && s[i] != b'>' {
        i += 1;
    }
    let name = lower(&text[from..i]);
    let mut attrs: Vec<Attribute> = Vec::new();
    loop {
        // Before an attribute's name.
        while s.get(i).is_some_and(|&c| is_ws(c)) {
            i += 1;
        }
        match *s.get(i)? {
            b'>' => return Some((name, attrs, i + 1, false)),
            b'/' => {
                i += 1;
                if *s.get(i)? == b'>' {
                    return Some((name, attrs, i + 1, true));
                }
                continue;
            }
            b'=' => return None,
            _ => {}
        }
        let start = i;
        while i < s.len() && !is_ws(s[i]) && !matches!(s[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let attr = &text[start..i];
        while s.get(i).is_some_and(|&c| is_ws(c)) {
            i += 1;
        }
        let mut value = String::new();
        // A quoted value without a character reference (nearly all), as it is in the text: the
        // tendril is made from it directly, not from a `String` copied into one.
        let mut verbatim: Option<&str> = None;
        if *s.get(i)? == b'=' {
            i += 1;
            while s.get(i).is_some_and(|&c| is_ws(c)) {
                i += 1;
            }
            match *s.get(i)? {
                q @ (b'"' | b'\'') => {
                    i += 1;
                    let mut k = i + memchr::memchr2(q, b'&', &s[i..])?;
                    if s[k] == q {
                        verbatim = Some(&text[i..k]);
                        i = k + 1;
                    } else {
                        loop {
                            value.push_str(&text[i..k]);
                            if s[k] == q {
                                i = k + 1;
                                break;
                            }
                            i = reference(text, k, true, &mut value)?;
                            k = i + memchr::memchr2(q, b'&', &s[i..])?;
                        }
                    }
                }
                b'>' => return None,
                _ => {
                    while i < s.len() && !is_ws(s[i]) && s[i] != b'>' {
                        if s[i] == b'&' {
                            i = reference(text, i, true, &mut value)?;
                        } else {
                            let c = text[i..].chars().next()?;
                            value.push(c);
                            i += c.len_utf8();
                        }
                    }
                }
            }
        }
        if keep {
            let name = lower(attr);
            // A repeated attribute: the first one stands.
            if !attrs.iter().any(|a| a.name.local == name) {
                attrs.push(Attribute {
                    name: QualName::new(None, ns!(), name),
                    value: match verbatim {
                        Some(v) => StrTendril::from_slice(v),
                        None => StrTendril::from(value),
                    },
                });
            }
        }
    }
}

/// ASCII letters lowered, as the tokenizer names tags and attributes.
fn lower(s: &str) -> LocalName {
    if let Some(name) = crate::ingest::html::atoms::common(s) {
        return name;
    }
    if s.bytes().any(|c| c.is_ascii_uppercase()) {
        LocalName::from(s.to_ascii_lowercase())
    } else {
        LocalName::from(s)
    }
}

/// The contents of a `<title>`, `<style>` or `<script>` from `from` up to its end tag (which must
/// be `</name>` exactly); returns the index after the end tag.
fn raw(text: &str, from: usize, name: &LocalName, kind: Content, b: &mut Builder) -> Step<usize> {
    let s = text.as_bytes();
    let n = name.len();
    let mut i = from;
    let end = loop {
        let k = i + memchr::memmem::find(&s[i..], b"</")?;
        let after = k + 2 + n;
        if s.get(k + 2..after)?.eq_ignore_ascii_case(name.as_bytes()) {
            match *s.get(after)? {
                b'>' => break k,
                c if is_ws(c) || c == b'/' => return None,
                _ => {}
            }
        }
        i = k + 2;
    };
    let body = &text[from..end];
    match kind {
        Content::Script if body.contains("<!--") => return None,
        Content::Rcdata if body.contains('&') => {
            let mut out = String::new();
            let mut i = 0;
            while let Some(k) = body[i..].find('&').map(|k| i + k) {
                out.push_str(&body[i..k]);
                i = reference(body, k, false, &mut out)?;
            }
            out.push_str(&body[i..]);
            b.raw(&out)?;
        }
        _ => b.raw(body)?,
    }
    Some(end + 3 + n)
}

/// A character reference at `at` (the `&`), decoded into `out`; returns the index after it. Only
/// references ended by `;` of a short list of names, and numeric ones HTML takes as they are; a
/// `&` followed by no letter, digit or `#` is itself.
fn reference(text: &str, at: usize, _in_attribute: bool, out: &mut String) -> Step<usize> {
    let s = text.as_bytes();
    let Some(&first) = s.get(at + 1) else {
        out.push('&');
        return Some(at + 1);
    };
    if !first.is_ascii_alphanumeric() && first != b'#' {
        out.push('&');
        return Some(at + 1);
    }
    let semi = at + 1 + s[at + 1..].iter().take(12).position(|&c| c == b';')?;
    let name = &text[at + 1..semi];
    let c = if let Some(num) = name.strip_prefix('#') {
        let (digits, radix) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (num, 10),
        };
        if digits.is_empty() || digits.len() > 7 {
            return None;
        }
        let v = u32::from_str_radix(digits, radix).ok()?;
        let plain = matches!(v, 0x09 | 0x0a | 0x20..=0x7e | 0xa0..=0xd7ff | 0xe000..=0xfdcf
            | 0xfdf0..=0xfffd | 0x1_0000..=0x10_ffff)
            && v & 0xfffe != 0xfffe;
        if !plain {
            return None;
        }
        char::from_u32(v)?
    } else {
        match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            "copy" => '©',
            "reg" => '®',
            "hellip" => '…',
            "mdash" => '—',
            "ndash" => '–',
            "middot" => '·',
            "bull" => '•',
            "lsquo" => '‘',
            "rsquo" => '’',
            "ldquo" => '“',
            "rdquo" => '”',
            "times" => '×',
            "laquo" => '«',
            "raquo" => '»',
            "euro" => '€',
            _ => return None,
        }
    };
    out.push(c);
    Some(semi + 1)
}
