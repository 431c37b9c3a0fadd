//! The report as JSON (the CLI's `--format json`, www's and the extension's report.json).

use std::io::{self, Write};

use crate::report::Report;

/// Pretty JSON of the whole report, fields in the order of [`Report`] (serde keeps declaration
/// order, so the output is stable for a given report): [`write_report`] into memory.
pub fn report(report: &Report) -> Vec<u8> {
    let mut out = Vec::new();
    match write_report(report, &mut out) {
        Ok(()) => out,
        // Plain data cannot fail to serialize (serde_json writes a non-finite float as null),
        // and a `Vec` takes every write; should it ever fail, say so in JSON rather than hand
        // back half a report.
        Err(e) => {
            let e = serde_json::json!({ "error": format!("cannot write the report: {e}") });
            let mut text = e.to_string();
            text.push('\n');
            text.into_bytes()
        }
    }
}

/// Writes [`report`]'s text to `out` as it is serialized, never holding it whole (11 MB for a
/// 5,000-key page, grown by doubling when built in memory first): how the CLI prints it.
///
/// The inventory never holds a full secret, but a report can also be built or edited by hand
/// (tests, a previous report read back): the text is scrubbed anyway as the last line of defense,
/// piece by piece ([`Scrubbed`]). A redaction (`sk-proj-...Ab12`) holds no character JSON
/// escapes, so the result stays valid JSON.
pub fn write_report(report: &Report, out: impl Write) -> io::Result<()> {
    let mut w = Scrubbed {
        out,
        held: Vec::with_capacity(Scrubbed::<()>::PIECE + 1024),
    };
    let mut ser = serde_json::Serializer::with_formatter(&mut w, Pretty::default());
    serde::Serialize::serialize(report, &mut ser)?;
    w.held.push(b'\n');
    w.pass(true)?;
    w.out.flush()
}

/// serde_json's `PrettyFormatter` (two-space indent), byte for byte, writing a line break and
/// its indentation as one slice: serde_json's writes the indent one level at a time, and each
/// write is a call and a copy into [`Scrubbed`] (a million lines for a 5,000-key report).
#[derive(Default)]
struct Pretty {
    indent: usize,
    has_value: bool,
}

/// A line break and up to 32 levels of indentation.
const NEW_LINE: &[u8; 65] = b"\n                                                                ";

impl Pretty {
    fn new_line<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        match NEW_LINE.get(..1 + 2 * self.indent) {
            Some(line) => w.write_all(line),
            None => {
                w.write_all(b"\n")?;
                (0..self.indent).try_for_each(|_| w.write_all(b"  "))
            }
        }
    }

    fn begin<W: ?Sized + Write>(&mut self, w: &mut W, open: &[u8]) -> io::Result<()> {
        self.indent += 1;
        self.has_value = false;
        w.write_all(open)
    }

    fn end<W: ?Sized + Write>(&mut self, w: &mut W, close: &[u8]) -> io::Result<()> {
        self.indent -= 1;
        if self.has_value {
            self.new_line(w)?;
        }
        w.write_all(close)
    }

    fn item<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.new_line(w)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.begin(w, b"[")
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.end(w, b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.begin(w, b"{")
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.end(w, b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// A writer that scrubs full secrets ([`crate::secret::scrub_cow`]) from the text written
/// through it. It passes the text on in pieces that end just after an ASCII byte no key
/// contains (a quote, a comma, a line break): a secret is a run of key characters, so none
/// spans two pieces, and each piece is whole UTF-8. The run of key characters at the end waits
/// for the next piece.
struct Scrubbed<W> {
    out: W,
    held: Vec<u8>,
}

impl<W> Scrubbed<W> {
    /// Text is passed on once this much is held.
    const PIECE: usize = 64 * 1024;
}

impl<W: Write> Scrubbed<W> {
    /// Scrubs and writes what is held up to its last key boundary (everything when `all`).
    fn pass(&mut self, all: bool) -> io::Result<()> {
        let key_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
        let cut = if all {
            self.held.len()
        } else {
            match self
                .held
                .iter()
                .rposition(|&b| b.is_ascii() && !key_byte(b))
            {
                Some(i) => i + 1,
                None => return Ok(()),
            }
        };
        let piece = self.held.get(..cut).unwrap_or_default();
        let text = std::str::from_utf8(piece)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        self.out
            .write_all(crate::secret::scrub_cow(text).0.as_bytes())?;
        self.held.drain(..cut);
        Ok(())
    }
}

impl<W: Write> Write for Scrubbed<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    /// What serde_json calls for every token: a copy into the held text, without the default
    /// `write_all`'s retry loop around `write` (that loop cost as much as the serializing).
    #[inline]
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.held.extend_from_slice(buf);
        if self.held.len() >= Self::PIECE {
            self.pass(false)?;
        }
        Ok(())
    }

    /// Passes on only whole pieces: the text is complete at [`write_report`]'s end.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`Pretty`] writes what serde_json's pretty printer writes: empty and nested arrays and
    /// objects, and nesting deeper than its indentation slice.
    #[test]
    fn pretty_is_serde_jsons_pretty_printer() {
        let mut deep = serde_json::json!({"leaf": [1, {}, []]});
        for i in 0..40 {
            deep = serde_json::json!({ "level": i, "inner": [deep, "x", null, {"e": []}] });
        }
        for v in [
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!({"a": [], "b": {}, "c": [[]], "d": [{"k": "v\n\"q\""}], "e": 1.5}),
            deep,
        ] {
            let mut ours = Vec::new();
            let mut ser = serde_json::Serializer::with_formatter(&mut ours, Pretty::default());
            serde::Serialize::serialize(&v, &mut ser).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string_pretty(&v).unwrap()
            );
        }
    }

    /// Secrets are scrubbed wherever the pieces fall: at a piece's end, across what would be
    /// two pieces, after multi-byte text; the rest passes through byte for byte.
    #[test]
    fn pieces_scrub_as_the_whole_text_does() {
        let secret = format!(
            "sk-proj-{}{}{}",
            "Ab3".repeat(25),
            "T3BlbkFJ",
            "Zx9".repeat(25)
        );
        let filler = "\"é—x\", ".repeat(9000);
        let text = format!("{filler}{secret}, {filler}\n{secret}{secret} ü {secret}");
        for size in [1, 7, 100, 4096] {
            let mut out = Vec::new();
            let mut w = Scrubbed {
                out: &mut out,
                held: Vec::new(),
            };
            // Passed on after every write, not only past a whole piece: every cut is tried.
            for chunk in text.as_bytes().chunks(size) {
                w.write_all(chunk).unwrap();
                w.pass(false).unwrap();
            }
            w.pass(true).unwrap();
            let expected = crate::secret::scrub(&text).0;
            assert!(!expected.contains(&secret));
            assert_eq!(
                String::from_utf8(out).unwrap(),
                expected,
                "chunks of {size}"
            );
        }
    }
}
