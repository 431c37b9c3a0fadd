//! Bytes → text: UTF-8 with or without a BOM, and UTF-16 (what Excel writes for "Unicode text"),
//! recognized by its BOM or, without one, by its byte pattern (`N\0a\0m\0e\0`).

use std::borrow::Cow;

use crate::error::{Error, Result};

/// Decodes an input's bytes. UTF-16 is recognized by its BOM; UTF-8 is the default, and invalid
/// UTF-8 is an error naming the line where it occurs.
pub fn decode<'a>(name: &str, bytes: &'a [u8]) -> Result<Cow<'a, str>> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(name, rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(name, rest, u16::from_le_bytes).map(Cow::Owned);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(name, rest, u16::from_be_bytes).map(Cow::Owned);
    }
    match sniff_utf16(bytes) {
        Some(Utf16::Le) => utf16(name, bytes, u16::from_le_bytes).map(Cow::Owned),
        Some(Utf16::Be) => utf16(name, bytes, u16::from_be_bytes).map(Cow::Owned),
        None => utf8(name, bytes),
    }
}

/// The byte order of UTF-16 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Utf16 {
    Le,
    Be,
}

/// Recognizes UTF-16 without a byte order mark from its first bytes: text a person types is
/// mostly ASCII, so one byte of each pair is zero (`N\0a\0m\0e\0` little-endian). UTF-8 text
/// has no NUL bytes at all, so a third of the pairs having one zero half (and none the other)
/// is unambiguous.
pub fn sniff_utf16(bytes: &[u8]) -> Option<Utf16> {
    let head = &bytes[..bytes.len().min(1024) & !1];
    let pairs = head.len() / 2;
    if pairs < 4 {
        return None;
    }
    let text = |b: u8| b.is_ascii_graphic() || b.is_ascii_whitespace();
    let zero_hi = head
        .chunks_exact(2)
        .filter(|c| c[1] == 0 && text(c[0]))
        .count();
    let zero_lo = head
        .chunks_exact(2)
        .filter(|c| c[0] == 0 && text(c[1]))
        .count();
    let nul_lo = head.chunks_exact(2).any(|c| c[0] == 0);
    let nul_hi = head.chunks_exact(2).any(|c| c[1] == 0);
    if zero_hi * 3 >= pairs && !nul_lo {
        Some(Utf16::Le)
    } else if zero_lo * 3 >= pairs && !nul_hi {
        Some(Utf16::Be)
    } else {
        None
    }
}

fn utf8<'a>(name: &str, bytes: &'a [u8]) -> Result<Cow<'a, str>> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
            Err(Error::at_line(
                name,
                line,
                format!("not UTF-8 text (byte {at} is invalid); save the file as UTF-8 or UTF-16"),
            ))
        }
    }
}

fn utf16(name: &str, bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String> {
    if bytes.len() % 2 != 0 {
        return Err(Error::input(
            name,
            Default::default(),
            "UTF-16 text with an odd number of bytes (the file is cut short)",
        ));
    }
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]])).collect();
    String::from_utf16(&units).map_err(|_| {
        Error::input(
            name,
            Default::default(),
            "invalid UTF-16 text (unpaired surrogate)",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_is_dropped() {
        assert_eq!(decode("a", b"\xEF\xBB\xBFname").unwrap(), "name");
    }

    #[test]
    fn utf16le_from_excel() {
        let mut b = vec![0xFF, 0xFE];
        for u in "a\tb\r\n".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode("a", &b).unwrap(), "a\tb\r\n");
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let e = decode("keys.csv", b"a,b\nc,\xFF\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "keys.csv: line 2: not UTF-8 text (byte 6 is invalid); save the file as UTF-8 or UTF-16"
        );
    }

    #[test]
    fn utf16_without_a_bom_is_recognized_by_its_pattern() {
        let le: Vec<u8> = "Name,Key\r\nA,sk-...abcd\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(decode("a", &le).unwrap(), "Name,Key\r\nA,sk-...abcd\r\n");
        let be: Vec<u8> = "Name\tKey\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(decode("a", &be).unwrap(), "Name\tKey\n");
        assert_eq!(sniff_utf16(b"Name,Key\n"), None);
    }

    #[test]
    fn odd_utf16_is_an_error() {
        assert!(decode("a", &[0xFF, 0xFE, 0x61]).is_err());
    }
}
