//! Chrome's "Webpage, Single File" (`.mhtml`): a MIME `multipart/related` message whose first
//! `text/html` part is the page (quoted-printable, sometimes base64) and whose other parts are its
//! styles and images. This module finds that part, decodes it, and hands the HTML and the URL the
//! page was saved from (`Content-Location`) to [`crate::ingest::html`].
//!
//! Hand-written rather than a mail crate: the lenient mail parsers (`mail-parser`, `mailparse`)
//! never report *where* a message is broken, which the house rules require, and they pull a full
//! charset library (`encoding_rs`, hundreds of KB of tables) into the wasm module for pages that
//! browsers always write as UTF-8. Splitting on a boundary and decoding quoted-printable and
//! base64 is a few dozen lines each; every error names the line of the file.

use crate::error::{Error, Position, Result};

/// The page inside an `.mhtml` file.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedPage {
    /// The decoded HTML of the page's part.
    pub html: String,
    /// Where the page was saved from: its part's `Content-Location`, else the message's
    /// `Snapshot-Content-Location`.
    pub url: Option<String>,
    /// What was odd but readable (a file cut short before its closing boundary).
    pub warnings: Vec<String>,
}

/// True when the text starts with a MIME header block declaring a multipart body: what Chrome
/// (`From: <Saved by Blink>`), Edge and Opera write. Nothing else Key Roster reads starts with
/// `Name: value` lines holding both `MIME-Version` and a multipart `Content-Type`.
pub fn is_mhtml(text: &str) -> bool {
    let head = text.trim_start_matches(['\u{feff}', '\r', '\n']);
    let Some(first) = head.lines().next() else {
        return false;
    };
    if !looks_like_header(first) {
        return false;
    }
    let headers = header_block(head.lines().map(|l| l.trim_end_matches('\r')).take(64));
    header(&headers, "mime-version").is_some()
        && header(&headers, "content-type").is_some_and(|v| {
            v.to_ascii_lowercase()
                .trim_start()
                .starts_with("multipart/")
        })
}

/// Finds and decodes the page's HTML part. `name` is the file name, for errors.
pub fn extract(name: &str, text: &str) -> Result<SavedPage> {
    let lines: Vec<&str> = text
        .trim_start_matches('\u{feff}')
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let err = |line: usize, msg: String| {
        Error::input(
            name,
            Position {
                line: Some(line as u64),
                ..Position::default()
            },
            msg,
        )
    };

    let top_len = lines
        .iter()
        .position(|l| l.is_empty())
        .unwrap_or(lines.len());
    let top = header_block(lines.iter().take(top_len).copied());
    let content_type = header(&top, "content-type")
        .ok_or_else(|| err(1, "MHTML file without a Content-Type header".into()))?;
    let type_line = header_line(&lines[..top_len], "content-type");
    let boundary = param(content_type, "boundary").ok_or_else(|| {
        err(
            type_line,
            format!(
                "MHTML Content-Type `{}` has no boundary",
                one_line(content_type)
            ),
        )
    })?;
    let snapshot = header(&top, "snapshot-content-location").map(|s| s.trim().to_string());

    // Parts: the lines between `--boundary` delimiters, up to `--boundary--`.
    let delimiter = format!("--{boundary}");
    let close = format!("{delimiter}--");
    let mut parts: Vec<(usize, usize)> = Vec::new(); // [start, end) line indexes
    let mut open: Option<usize> = None;
    let mut closed = false;
    for (i, line) in lines.iter().enumerate().skip(top_len) {
        let line = line.trim_end_matches([' ', '\t']);
        if line == close {
            if let Some(s) = open.take() {
                parts.push((s, i));
            }
            closed = true;
            break;
        }
        if line == delimiter {
            if let Some(s) = open.take() {
                parts.push((s, i));
            }
            open = Some(i + 1);
        }
    }
    let mut warnings = Vec::new();
    if let Some(s) = open {
        parts.push((s, lines.len()));
        warnings.push(
            "the .mhtml file ends before its closing boundary: it may be cut short".to_string(),
        );
    }
    if parts.is_empty() {
        return Err(err(
            type_line,
            format!(
                "MHTML boundary `{boundary}` never appears in the file{}",
                if closed {
                    " before its closing line"
                } else {
                    ""
                }
            ),
        ));
    }

    let parts: Vec<Part> = parts
        .into_iter()
        .map(|(start, end)| Part::new(&lines, start, end))
        .collect();
    let is_html = |p: &Part| p.mime.eq_ignore_ascii_case("text/html");
    let page = parts
        .iter()
        .find(|p| is_html(p) && p.location.is_some() && p.location == snapshot)
        .or_else(|| parts.iter().find(|p| is_html(p)))
        .ok_or_else(|| {
            let types: Vec<&str> = parts.iter().map(|p| p.mime.as_str()).collect();
            err(
                parts.first().map_or(1, |p| p.start + 1),
                format!(
                    "MHTML file has no text/html part (its parts are: {})",
                    types.join(", ")
                ),
            )
        })?;
    let bytes = page.decode(&lines, &err)?;
    let html = charset(&page.charset, bytes).map_err(|m| err(page.start + 1, m))?;
    Ok(SavedPage {
        html,
        url: page.location.clone().or(snapshot),
        warnings,
    })
}

/// One part: its headers' facts and where its body lies.
struct Part {
    /// Line index of the part's first header line.
    start: usize,
    /// Line indexes of the body: `[body, end)`.
    body: usize,
    end: usize,
    mime: String,
    charset: String,
    encoding: String,
    location: Option<String>,
}

impl Part {
    fn new(lines: &[&str], start: usize, end: usize) -> Part {
        let head_len = lines[start..end]
            .iter()
            .position(|l| l.is_empty())
            .unwrap_or(end - start);
        let headers = header_block(lines[start..start + head_len].iter().copied());
        let content_type = header(&headers, "content-type").unwrap_or("text/plain");
        Part {
            start,
            body: (start + head_len + 1).min(end),
            end,
            mime: content_type
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase(),
            charset: param(content_type, "charset")
                .unwrap_or("utf-8")
                .to_ascii_lowercase(),
            encoding: header(&headers, "content-transfer-encoding")
                .unwrap_or("7bit")
                .trim()
                .to_ascii_lowercase(),
            location: header(&headers, "content-location")
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
        }
    }

    fn decode(&self, lines: &[&str], err: &dyn Fn(usize, String) -> Error) -> Result<Vec<u8>> {
        let body = &lines[self.body..self.end];
        match self.encoding.as_str() {
            "quoted-printable" => {
                quoted_printable(body).map_err(|(i, m)| err(self.body + i + 1, m))
            }
            "base64" => base64(body).map_err(|(i, m)| err(self.body + i + 1, m)),
            "7bit" | "8bit" | "binary" => Ok(body.join("\n").into_bytes()),
            other => Err(err(
                self.start + 1,
                format!("MHTML part uses an unknown Content-Transfer-Encoding `{other}`"),
            )),
        }
    }
}

/// RFC 2045 §6.7: `=XX` is a byte, a line ending in `=` continues on the next (a soft break),
/// trailing blanks are transport padding. Errors carry the body line index.
fn quoted_printable(body: &[&str]) -> std::result::Result<Vec<u8>, (usize, String)> {
    let mut out = Vec::with_capacity(body.iter().map(|l| l.len()).sum());
    for (i, line) in body.iter().enumerate() {
        let line = line.trim_end_matches([' ', '\t']).as_bytes();
        let (line, soft) = match line.strip_suffix(b"=") {
            Some(rest) => (rest, true),
            None => (line, false),
        };
        let mut j = 0;
        while let Some(&b) = line.get(j) {
            if b != b'=' {
                out.push(b);
                j += 1;
                continue;
            }
            let hex = |k: usize| line.get(k).and_then(|c| (*c as char).to_digit(16));
            match (hex(j + 1), hex(j + 2)) {
                (Some(h), Some(l)) => out.push((h * 16 + l) as u8),
                _ => {
                    let seq: String = line
                        .get(j..(j + 3).min(line.len()))
                        .map(|s| String::from_utf8_lossy(s).into_owned())
                        .unwrap_or_default();
                    return Err((
                        i,
                        format!(
                            "bad quoted-printable sequence `{seq}` at column {} of the page's part",
                            j + 1
                        ),
                    ));
                }
            }
            j += 3;
        }
        if !soft && i + 1 < body.len() {
            out.push(b'\n');
        }
    }
    Ok(out)
}

/// Standard base64 over lines (whitespace ignored, `=` padding at the end only).
fn base64(body: &[&str]) -> std::result::Result<Vec<u8>, (usize, String)> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    let mut padded = false;
    for (i, line) in body.iter().enumerate() {
        for (j, c) in line.bytes().enumerate() {
            if c.is_ascii_whitespace() {
                continue;
            }
            if c == b'=' {
                padded = true;
                continue;
            }
            let v = value(c).filter(|_| !padded).ok_or_else(|| {
                (
                    i,
                    format!(
                        "bad base64 character `{}` at column {} of the page's part",
                        c as char,
                        j + 1
                    ),
                )
            })?;
            acc = (acc << 6) | v;
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
                acc &= (1 << bits) - 1;
            }
        }
    }
    Ok(out)
}

/// The part's bytes as text. Browsers write pages as UTF-8; the two single-byte charsets older
/// pages declare are mapped by hand rather than pulling in a charset library.
fn charset(name: &str, bytes: Vec<u8>) -> std::result::Result<String, String> {
    let name = name.trim().trim_matches('"');
    match name {
        "utf-8" | "utf8" | "us-ascii" | "ascii" => String::from_utf8(bytes).map_err(|e| {
            format!(
                "the page's part is not valid UTF-8 (byte {} of the decoded page)",
                e.utf8_error().valid_up_to()
            )
        }),
        "iso-8859-1" | "latin1" | "latin-1" => Ok(bytes.into_iter().map(char::from).collect()),
        "windows-1252" | "cp1252" => Ok(bytes.into_iter().map(cp1252).collect()),
        other => Err(format!(
            "the page's part is in charset `{other}`; save the page again (browsers save UTF-8)"
        )),
    }
}

fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[(b - 0x80) as usize],
        _ => char::from(b),
    }
}

fn looks_like_header(line: &str) -> bool {
    line.split_once(':').is_some_and(|(name, _)| {
        !name.is_empty() && name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
    })
}

/// Header lines unfolded (a line starting with a blank continues the previous one), as
/// `(lowercased name, value)`.
fn header_block<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = out.last_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            out.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    out
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// 1-based line of a top-level header, for errors.
fn header_line(lines: &[&str], name: &str) -> usize {
    lines
        .iter()
        .position(|l| {
            l.split_once(':')
                .is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case(name))
        })
        .map_or(1, |i| i + 1)
}

/// A `name=value` or `name="value"` parameter of a header value.
fn param<'a>(value: &'a str, name: &str) -> Option<&'a str> {
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().trim_matches('"'))
            .filter(|v| !v.is_empty())
    })
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://platform.openai.com/settings/organization/api-keys";

    fn message(content_type: &str, parts: &str) -> String {
        format!(
            "From: <Saved by Blink>\r\nSnapshot-Content-Location: {URL}\r\nSubject: API keys\r\n\
             MIME-Version: 1.0\r\nContent-Type: {content_type}\r\n\r\n\r\n{parts}"
        )
    }

    const CT: &str = "multipart/related;\r\n\ttype=\"text/html\";\r\n\tboundary=\"----MultipartBoundary--x1----\"";

    fn part(headers: &str, body: &str) -> String {
        format!("------MultipartBoundary--x1----\r\n{headers}\r\n\r\n{body}\r\n")
    }
    const END: &str = "------MultipartBoundary--x1------\r\n";

    fn err(text: &str) -> String {
        extract("page.mhtml", text).unwrap_err().to_string()
    }

    #[test]
    fn detected_by_its_mime_headers() {
        assert!(is_mhtml(&message(CT, END)));
        assert!(!is_mhtml("<!DOCTYPE html><html></html>"));
        assert!(!is_mhtml("Name,Key\nci,sk-...abcd\n"));
        // A CSV whose first cell has a colon is not a MIME message.
        assert!(!is_mhtml("Note: keys\nMIME-Version,1\n"));
    }

    #[test]
    fn html_part_decoded_from_quoted_printable_with_its_url() {
        let css = part(
            "Content-Type: text/css\r\nContent-Transfer-Encoding: base64\r\nContent-Location: https://cdn.example/app.css",
            "Ym9keXtjb2xvcjpyZWR9",
        );
        let html = part(
            &format!("Content-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Location: {URL}"),
            "<html lang=3D\"en\"><body><p class=3D\"a\">Priya Nair =E2=80=94 sk-proj-...K2m9</p>=\r\n<p>next</p></body></html>",
        );
        let page = extract("page.mhtml", &message(CT, &(css + &html + END))).unwrap();
        assert_eq!(
            page.html,
            "<html lang=\"en\"><body><p class=\"a\">Priya Nair — sk-proj-...K2m9</p><p>next</p></body></html>"
        );
        assert_eq!(page.url.as_deref(), Some(URL));
        assert!(page.warnings.is_empty());
    }

    #[test]
    fn the_part_matching_the_snapshot_location_wins_over_frames() {
        let frame = part(
            "Content-Type: text/html\r\nContent-Location: https://js.stripe.com/frame.html",
            "<p>frame</p>",
        );
        let page_part = part(
            &format!("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\nContent-Location: {URL}"),
            "PHA+cGFnZTwvcD4=",
        );
        let page = extract("page.mhtml", &message(CT, &(frame + &page_part + END))).unwrap();
        assert_eq!(page.html, "<p>page</p>");
        assert_eq!(page.url.as_deref(), Some(URL));
    }

    #[test]
    fn latin1_part_is_decoded_by_its_charset() {
        let p = part(
            "Content-Type: text/html; charset=\"iso-8859-1\"\r\nContent-Transfer-Encoding: quoted-printable",
            "<p>Jos=E9</p>",
        );
        let page = extract("page.mhtml", &message(CT, &(p + END))).unwrap();
        assert_eq!(page.html, "<p>José</p>");
        // No part location: the snapshot's.
        assert_eq!(page.url.as_deref(), Some(URL));
    }

    #[test]
    fn missing_boundary_is_an_error_at_the_content_type_line() {
        let e = err(&message("multipart/related; type=\"text/html\"", END));
        assert!(e.contains("page.mhtml") && e.contains("line 5"), "{e}");
        assert!(e.contains("has no boundary"), "{e}");
    }

    #[test]
    fn boundary_that_never_appears_is_an_error() {
        let e = err(&message(
            "multipart/related; boundary=\"other\"",
            &part("Content-Type: text/html", "<p>x</p>"),
        ));
        assert!(e.contains("boundary `other` never appears"), "{e}");
    }

    #[test]
    fn no_html_part_is_an_error_listing_the_parts() {
        let css = part("Content-Type: text/css", "body{}");
        let png = part(
            "Content-Type: image/png\r\nContent-Transfer-Encoding: base64",
            "iVBORw0KGgo=",
        );
        let e = err(&message(CT, &(css + &png + END)));
        assert!(
            e.contains("no text/html part (its parts are: text/css, image/png)"),
            "{e}"
        );
        // The first part's headers start on line 11 (the top headers fill 9, the delimiter 10).
        assert!(e.contains("line 11"), "{e}");
    }

    #[test]
    fn bad_quoted_printable_names_its_line_and_column() {
        let p = part(
            "Content-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable",
            "<p>ok</p>=\r\n<p class=3Dx>=ZZ</p>",
        );
        let e = err(&message(CT, &(p + END)));
        // Top headers and blank lines fill 9 lines (Content-Type is folded over three), the
        // delimiter 10, the part's headers 11-13: its body starts on line 14.
        assert!(e.contains("line 15"), "{e}");
        assert!(
            e.contains("bad quoted-printable sequence `=ZZ` at column 14"),
            "{e}"
        );
    }

    #[test]
    fn bad_base64_names_its_line() {
        let p = part(
            "Content-Type: text/html\r\nContent-Transfer-Encoding: base64",
            "PHA+cGFn\r\nZT*vcD4=",
        );
        let e = err(&message(CT, &(p + END)));
        assert!(
            e.contains("line 15") && e.contains("bad base64 character `*` at column 3"),
            "{e}"
        );
    }

    #[test]
    fn unknown_transfer_encoding_and_charset_are_errors() {
        let p = part(
            "Content-Type: text/html\r\nContent-Transfer-Encoding: x-uuencode",
            "begin 644",
        );
        assert!(err(&message(CT, &(p + END)))
            .contains("unknown Content-Transfer-Encoding `x-uuencode`"));
        let p = part("Content-Type: text/html; charset=shift_jis", "<p>x</p>");
        assert!(err(&message(CT, &(p + END))).contains("charset `shift_jis`"));
    }

    #[test]
    fn file_cut_short_is_read_with_a_warning() {
        let p = part("Content-Type: text/html", "<p>x</p>");
        let page = extract("page.mhtml", &message(CT, &p)).unwrap();
        assert_eq!(page.html, "<p>x</p>\n");
        assert_eq!(page.warnings.len(), 1);
    }

    #[test]
    fn garbage_never_panics() {
        for text in [
            "MIME-Version: 1.0\nContent-Type: multipart/related; boundary=b\n",
            "MIME-Version: 1.0\nContent-Type: multipart/related; boundary=b\n\n--b\n",
            "MIME-Version: 1.0\nContent-Type: multipart/related; boundary=b\n\n--b--\n",
            "MIME-Version: 1.0\nContent-Type: multipart/related; boundary=b\n\n--b\nContent-Type: text/html\nContent-Transfer-Encoding: quoted-printable\n\n=",
            "MIME-Version: 1.0\nContent-Type: multipart/related; boundary=b\n\n--b\nContent-Type: text/html\nContent-Transfer-Encoding: quoted-printable\n\n=4",
            "",
        ] {
            let _ = extract("x.mhtml", text);
        }
    }
}
