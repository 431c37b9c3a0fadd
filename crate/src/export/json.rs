//! The report as JSON (the CLI's `--format json`, www's and the extension's report.json).

use std::io::{self, Write};

use crate::report::Report;

#[cfg(not(target_arch = "wasm32"))]
mod pretty;

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
/// 5,000-key page, grown by doubling when built in memory first): how the CLI prints it. Only
/// the findings of a report large enough for two threads are held (their 6 MB on that page),
/// each thread's part until both are done.
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
    // The report's own object is written here field by field, each value as serde writes it
    // one level in, so the findings can be written apart (below). Every field of `Report`, in
    // its order (a field added there fails to compile here until it is written too).
    let Report {
        as_of,
        org,
        policy,
        sources,
        keys,
        members,
        projects,
        groups,
        findings,
        rules,
        summary,
        comparison,
        unlisted_keys,
        coverage,
    } = report;
    w.write_all(b"{")?;
    // The findings (10,976 on the 5,000-key page) and the keys are most of the writing: native
    // builds write the first findings on a second core while this thread writes the fields
    // before them and the last findings, each part scrubbed on its own (every part starts and
    // ends at a quote, bracket or comma, where scrubbing in pieces is scrubbing the whole).
    let split = findings_beside(keys.len(), findings.len());
    let (before, first) = crate::beside::both_when(
        split > 0,
        || -> io::Result<Vec<u8>> {
            field(&mut w, true, "as_of", as_of)?;
            field(&mut w, false, "org", org)?;
            field(&mut w, false, "policy", policy)?;
            field(&mut w, false, "sources", sources)?;
            field(&mut w, false, "keys", keys)?;
            field(&mut w, false, "members", members)?;
            field(&mut w, false, "projects", projects)?;
            field(&mut w, false, "groups", groups)?;
            key(&mut w, false, "findings")?;
            w.write_all(b"[")?;
            items(findings.get(split..).unwrap_or_default(), split == 0)
        },
        || items(findings.get(..split).unwrap_or_default(), true),
    );
    let (last, first) = (before?, first?);
    w.pass(true)?;
    w.out.write_all(&first)?;
    w.out.write_all(&last)?;
    // The array's end, as serde's pretty printer closes it.
    w.write_all(if findings.is_empty() { b"]" } else { b"\n  ]" })?;
    field(&mut w, false, "rules", rules)?;
    field(&mut w, false, "summary", summary)?;
    if let Some(c) = comparison {
        field(&mut w, false, "comparison", c)?;
    }
    field(&mut w, false, "unlisted_keys", unlisted_keys)?;
    field(&mut w, false, "coverage", coverage)?;
    w.write_all(b"\n}\n")?;
    w.pass(true)?;
    w.out.flush()
}

/// How many of the findings the second thread writes: half the work, a key counted as about
/// 1.6 findings (what writing each costs, with the fields beside the keys, measured in
/// instructions on the 5,000-key page: 8,600 a key, 5,800 a finding); none for a small report,
/// where starting a thread costs more than it saves.
fn findings_beside(keys: usize, findings: usize) -> usize {
    let work = keys * 8 / 5 + findings;
    if work < 2_000 {
        return 0;
    }
    (work / 2).min(findings)
}

/// A field's name, as serde's pretty printer writes an object's key one level in.
fn key<W: Write>(w: &mut Scrubbed<W>, first: bool, name: &str) -> io::Result<()> {
    Pretty {
        indent: 1,
        has_value: false,
    }
    .item(w, first)?;
    w.write_all(b"\"")?;
    w.write_all(name.as_bytes())?;
    w.write_all(b"\": ")
}

/// A field of the report: its name and its value, as serde writes them one level in.
fn field<W: Write, T: serde::Serialize + ?Sized>(
    w: &mut Scrubbed<W>,
    first: bool,
    name: &str,
    value: &T,
) -> io::Result<()> {
    key(w, first, name)?;
    Ok(value_at(w, 1, value)?)
}

/// `value` as serde's pretty printer writes it `indent` levels in: native builds with
/// [`pretty`] (the same bytes, written faster), wasm with serde_json (a smaller module).
#[inline]
fn value_at<W: Write, T: serde::Serialize + ?Sized>(
    w: &mut Scrubbed<W>,
    indent: usize,
    value: &T,
) -> serde_json::Result<()> {
    #[cfg(not(target_arch = "wasm32"))]
    return pretty::write(w, indent, value);
    #[cfg(target_arch = "wasm32")]
    {
        let pretty = Pretty {
            indent,
            has_value: false,
        };
        value.serialize(&mut serde_json::Serializer::with_formatter(w, pretty))
    }
}

/// Items of an array one level in (the report's findings), each after its separator, as serde
/// writes them; scrubbed. `first` when the first of them opens the array.
fn items<T: serde::Serialize>(items: &[T], first: bool) -> io::Result<Vec<u8>> {
    let mut w = Scrubbed {
        out: Vec::new(),
        held: Vec::new(),
    };
    for (i, item) in items.iter().enumerate() {
        if i == SAMPLE {
            // Room for the rest, at the size the first ones took and an eighth more: the text
            // (3 MB a part on the 5,000-key page) is then not copied each time it doubles.
            let per_item = (w.out.len() + w.held.len()) / SAMPLE;
            w.out.reserve(per_item * (items.len() - SAMPLE) * 9 / 8);
        }
        let pretty = Pretty {
            indent: 2,
            has_value: false,
        };
        pretty.item(&mut w, first && i == 0)?;
        value_at(&mut w, 2, item)?;
    }
    w.pass(true)?;
    Ok(w.out)
}

/// Items [`items`] writes before it sizes its text for the rest.
const SAMPLE: usize = 64;

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

    fn item<W: ?Sized + Write>(&self, w: &mut W, first: bool) -> io::Result<()> {
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

    /// The report written field by field, its findings in two parts (on two threads in native
    /// builds), is serde's pretty JSON of the whole report, byte for byte: small and large
    /// reports, with and without a comparison, a secret in a finding scrubbed.
    #[test]
    fn report_in_parts_is_serdes_pretty_json() {
        let as_of = jiff::civil::date(2026, 11, 22);
        let row = |i: usize| {
            format!(
                "<tr><td>svc-{}</td><td>sk-proj-...{:04}</td><td>Jan {}, 2024</td>\
                 <td>Never</td><td>Owner {}</td></tr>",
                i % 40,
                i,
                1 + i % 28,
                i % 3
            )
        };
        for n in [0, 3, 1_500] {
            let page = format!(
                "<table><tr><th>Name</th><th>Secret key</th><th>Created</th><th>Last used</th>\
                 <th>Created by</th></tr>{}</table>",
                (0..n).map(row).collect::<String>()
            );
            let mut inv = crate::Inventory::default();
            inv.ingest(
                &crate::ingest::Context::new("keys.html", as_of),
                page.as_bytes(),
            );
            let mut report = crate::analyze(&inv, &crate::Policy::default(), as_of);
            if n == 1_500 {
                assert!(findings_beside(report.keys.len(), report.findings.len()) > 0);
            }
            let secret = format!("sk-proj-{}T3BlbkFJ{}", "Ab3".repeat(25), "Zx9".repeat(25));
            if let Some(f) = report.findings.first_mut() {
                f.message = format!("leaked {secret}");
            }
            for comparison in [None, Some(crate::report::Comparison::default())] {
                report.comparison = comparison;
                let ours = String::from_utf8(super::report(&report)).unwrap();
                let mut serdes = serde_json::to_string_pretty(&report).unwrap();
                serdes.push('\n');
                assert_eq!(ours, crate::secret::scrub(&serdes).0, "{n} rows");
                assert!(!ours.contains(&secret));
            }
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
