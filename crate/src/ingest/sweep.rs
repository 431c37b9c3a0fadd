//! The secret sweep: every input is scanned for full secrets, whatever its kind and whether or
//! not a reader could make sense of it.
//!
//! Readers report the secrets they meet in the cells and fields they read, but a notes CSV, a
//! `.env` file, a page Key Roster does not recognize, a free-text column or an MHTML part the
//! reader skipped are never read cell by cell. SPEC says `exposed-secret` fires for any input
//! that holds a full secret, so [`sweep`] looks at the raw text line by line: any encoding
//! (secrets are ASCII, so UTF-8, Latin-1 and friends are read lossily; UTF-16 is decoded, with or
//! without a byte order mark), and an MHTML archive is also read through its decoded page, so a
//! secret split by quoted-printable's soft line breaks is still found.
//! Only the redaction leaves this module: the secret itself is never stored.

use std::borrow::Cow;

use crate::model::ExposedSecret;
use crate::secret;

/// Every full secret in `bytes`, each with the line it is on (`line 12`).
pub fn sweep(name: &str, bytes: &[u8]) -> Vec<ExposedSecret> {
    let text = lossy_text(bytes);
    let mut out = Vec::new();
    if crate::ingest::mhtml::is_mhtml(text.trim_start()) {
        // Quoted-printable wraps long lines with a soft break (`=` at the end of a line): a
        // secret is whole only once the breaks are removed. The decoded page (base64 parts
        // too) is scanned as well; the same redaction is reported once.
        let joined = text.replace("=\r\n", "").replace("=\n", "");
        scan(name, &joined, " of the archive", &mut out);
        if let Ok(page) = crate::ingest::mhtml::extract(name, &text) {
            scan(name, &page.html, " of the saved page", &mut out);
        }
    } else {
        scan(name, &text, "", &mut out);
    }
    out
}

/// [`sweep`] of a live page, the browser's own serialization of a document: never an MHTML
/// archive, so its text alone is scanned (and the popup's module leaves the MHTML reader out).
pub fn sweep_page(name: &str, bytes: &[u8]) -> Vec<ExposedSecret> {
    let mut out = Vec::new();
    scan(name, &lossy_text(bytes), "", &mut out);
    out
}

/// Adds the swept secrets a reader did not already report for this input (the same redaction
/// found by the reader at a more precise place, `record 3, column Secret key`, wins).
pub fn add_missing(reported: &mut Vec<ExposedSecret>, swept: Vec<ExposedSecret>) {
    for e in swept {
        if !reported
            .iter()
            .any(|r| r.source == e.source && r.redacted == e.redacted)
        {
            reported.push(e);
        }
    }
}

fn scan(name: &str, text: &str, suffix: &str, out: &mut Vec<ExposedSecret>) {
    if !text.contains("sk-") {
        return;
    }
    for (i, line) in text.split('\n').enumerate() {
        if !line.contains("sk-") {
            continue;
        }
        let (_, found) = secret::scrub_cow(line);
        for redacted in found {
            let dup = out
                .iter()
                .any(|e: &ExposedSecret| e.source == name && e.redacted == redacted);
            if !dup {
                out.push(ExposedSecret {
                    source: name.to_string(),
                    location: format!("line {}{suffix}", i + 1),
                    kind: secret::kind_from_value(&redacted),
                    redacted,
                });
            }
        }
    }
}

/// The input as text, never failing: UTF-16 (by its BOM or its byte pattern) is decoded, anything
/// else is read as UTF-8 with invalid bytes replaced (a secret is ASCII, so it survives).
fn lossy_text(bytes: &[u8]) -> Cow<'_, str> {
    let utf16 = |rest: &[u8], unit: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| unit([c[0], c[1]])).collect();
        Cow::Owned(String::from_utf16_lossy(&units))
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes);
    }
    match crate::ingest::text::sniff_utf16(bytes) {
        Some(crate::ingest::text::Utf16::Le) => utf16(bytes, u16::from_le_bytes),
        Some(crate::ingest::text::Utf16::Be) => utf16(bytes, u16::from_be_bytes),
        // Valid UTF-8 (nearly every input) is validated by `from_utf8`'s word-at-a-time ASCII
        // path, several times faster than the lossy decoder's chunking on the same bytes.
        None => match std::str::from_utf8(bytes) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(bytes),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> String {
        format!("sk-proj-{}T3BlbkFJ{}", "Ab3".repeat(25), "Zx9".repeat(25))
    }

    #[test]
    fn a_secret_in_an_env_file_is_found_on_its_line() {
        let s = secret();
        let env = format!("# prod\nOPENAI_API_KEY={s}\n");
        let found = sweep(".env", env.as_bytes());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].location, "line 2");
        assert_eq!(found[0].redacted, "sk-proj-...9Zx9");
    }

    #[test]
    fn utf16_without_a_bom_is_swept() {
        let s = secret();
        let bytes: Vec<u8> = format!("note\n{s}\n")
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(sweep("n.txt", &bytes).len(), 1);
    }

    #[test]
    fn invalid_utf8_around_a_secret_does_not_hide_it() {
        let mut bytes = b"caf\xE9 \xFF ".to_vec();
        bytes.extend_from_slice(secret().as_bytes());
        assert_eq!(sweep("latin1.txt", &bytes)[0].location, "line 1");
    }

    #[test]
    fn redactions_are_not_swept() {
        assert!(sweep("k.csv", b"name,key\nA,sk-proj-...excA\n").is_empty());
    }
}
