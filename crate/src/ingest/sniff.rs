//! Binary formats recognized by their content, so a refusal names what the input really is (a
//! PDF, a ZIP archive, an image, a workbook) instead of "not UTF-8 text (byte 10 is invalid)".
//!
//! Only the first bytes (magic numbers) and, for ZIP containers, the member names stored in
//! clear in the archive are looked at: no decompression happens here.

/// What a binary input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binary {
    Pdf,
    /// An Office Open XML workbook (`.xlsx`, what Excel saves and Key Roster exports).
    Xlsx,
    /// An OpenDocument spreadsheet (`.ods`, LibreOffice).
    Ods,
    /// A legacy Excel 97-2003 workbook (`.xls`), or another OLE2 compound file.
    Xls,
    /// A ZIP archive that is not a workbook.
    Zip,
    Gzip,
    Png,
    Jpeg,
    Gif,
    Webp,
    /// Anything else holding NUL bytes, which no text Key Roster reads has (UTF-16 is decoded
    /// before this is asked).
    Other,
}

impl Binary {
    /// The format, as a refusal names it.
    pub fn describe(self) -> &'static str {
        match self {
            Binary::Pdf => "a PDF document",
            Binary::Xlsx => "an Excel workbook (.xlsx)",
            Binary::Ods => "an OpenDocument spreadsheet (.ods)",
            Binary::Xls => "an Excel 97-2003 workbook (.xls)",
            Binary::Zip => "a ZIP archive",
            Binary::Gzip => "a gzip-compressed file",
            Binary::Png => "a PNG image",
            Binary::Jpeg => "a JPEG image",
            Binary::Gif => "a GIF image",
            Binary::Webp => "a WebP image",
            Binary::Other => "binary data, not text",
        }
    }

    /// True for the spreadsheets [`crate::ingest::workbook`] can read.
    pub fn is_workbook(self) -> bool {
        matches!(self, Binary::Xlsx | Binary::Ods | Binary::Xls)
    }

    /// What to do instead, as the refusal says it.
    pub fn advice(self) -> &'static str {
        match self {
            Binary::Xlsx | Binary::Ods | Binary::Xls => {
                "this build cannot read workbooks: use the keyroster command-line tool, or save \
                 the sheet as CSV (UTF-8)"
            }
            Binary::Zip | Binary::Gzip => "unpack it and add the files inside",
            Binary::Pdf | Binary::Png | Binary::Jpeg | Binary::Gif | Binary::Webp => {
                "Key Roster reads saved pages (HTML, MHTML), CSV/TSV and JSON: save the page \
                 itself or export the list as CSV"
            }
            Binary::Other => "Key Roster reads saved pages (HTML, MHTML), CSV/TSV and JSON",
        }
    }
}

/// Recognizes a binary input; `None` for anything that may be text.
pub fn binary(bytes: &[u8]) -> Option<Binary> {
    let b = bytes;
    let kind = if b.starts_with(b"%PDF-") {
        Binary::Pdf
    } else if b.starts_with(b"PK\x03\x04") || b.starts_with(b"PK\x05\x06") {
        zip_kind(b)
    } else if b.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Binary::Xls
    } else if b.starts_with(&[0x1F, 0x8B]) {
        Binary::Gzip
    } else if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        Binary::Png
    } else if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Binary::Jpeg
    } else if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        Binary::Gif
    } else if b.len() >= 12 && b.starts_with(b"RIFF") && &b[8..12] == b"WEBP" {
        Binary::Webp
    } else if b[..b.len().min(8192)].contains(&0) {
        Binary::Other
    } else {
        return None;
    };
    Some(kind)
}

/// A ZIP's member names are stored uncompressed: a workbook names its parts.
fn zip_kind(b: &[u8]) -> Binary {
    let has = |needle: &[u8]| b.windows(needle.len()).any(|w| w == needle);
    if has(b"xl/workbook.xml") {
        Binary::Xlsx
    } else if has(b"application/vnd.oasis.opendocument.spreadsheet") {
        Binary::Ods
    } else {
        Binary::Zip
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_numbers_name_the_format() {
        assert_eq!(binary(b"%PDF-1.7\n"), Some(Binary::Pdf));
        assert_eq!(binary(b"\x89PNG\r\n\x1a\n\0\0"), Some(Binary::Png));
        assert_eq!(binary(b"\xFF\xD8\xFF\xE0"), Some(Binary::Jpeg));
        assert_eq!(binary(b"GIF89a"), Some(Binary::Gif));
        assert_eq!(binary(b"PK\x03\x04....xl/workbook.xml"), Some(Binary::Xlsx));
        assert_eq!(
            binary(b"PK\x03\x04....word/document.xml"),
            Some(Binary::Zip)
        );
        assert_eq!(binary(b"a\0b"), Some(Binary::Other));
        assert_eq!(binary(b"name,key\n"), None);
        assert_eq!(binary(b""), None);
    }
}
