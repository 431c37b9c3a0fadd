//! Delimited text: Key Roster's own exports (keys.csv reads back exactly), spreadsheets people
//! edited (semicolons and decimal commas, Excel's `sep=;` line, tab-separated "Unicode text"),
//! and the usage dashboard's cost and activity exports.
//!
//! The delimiter is sniffed from the header line outside quotes; the header is recognized by
//! [`crate::ingest::table`]; records are streamed one at a time into the [`Batch`], with usage
//! rows aggregated as they come, so a million-row export does not make a million records.

use std::cell::RefCell;
use std::io::Read;
use std::rc::Rc;

use crate::error::{Error, Position, Result};
use crate::ingest::limits::Limits;
use crate::ingest::providers::anthropic;
use crate::ingest::table::{Page, Scope, TableKind, TableReader, NOTHING_FOUND};
use crate::ingest::{Batch, Context};

/// How many non-blank lines may come before the header (titles, notes).
const HEADER_SEARCH: usize = 10;

/// How much of a stream is read ahead to find the delimiter (Excel's `sep=` line, the first lines).
const PEEK: usize = 64 * 1024;

/// Reads delimited text (already decoded from UTF-8/UTF-16 by [`crate::ingest::text`]).
pub fn read(ctx: &Context, text: &str) -> Result<Batch> {
    read_each(ctx, text, &Limits::default(), |_, _, _| {})
}

/// Reads delimited UTF-8 text from a byte stream, one record at a time under `limits`: memory
/// follows the widest record and the number of distinct usage buckets, never the input's size.
pub fn read_stream(ctx: &Context, input: impl Read, limits: &Limits) -> Result<Batch> {
    read_stream_with(ctx, input, limits, |_, _, _| {})
}

/// [`read`] under `limits`: every record's width and cells, and the number of records, are
/// checked before the record is looked at.
pub fn read_with(ctx: &Context, text: &str, limits: &Limits) -> Result<Batch> {
    read_each(ctx, text, limits, |_, _, _| {})
}

/// [`read_with`], calling `each` after every data row with the header, the row's cells as read
/// and the batch so far: how a reader of a column the table reader has no use for (a previous
/// audit's `rules`) reads it without parsing the file a second way.
pub(crate) fn read_each(
    ctx: &Context,
    text: &str,
    limits: &Limits,
    each: impl FnMut(&[String], &[&str], &mut Batch),
) -> Result<Batch> {
    read_stream_with(ctx, text.as_bytes(), limits, each)
}

fn read_stream_with(
    ctx: &Context,
    mut input: impl Read,
    limits: &Limits,
    mut each: impl FnMut(&[String], &[&str], &mut Batch),
) -> Result<Batch> {
    let io = |e: std::io::Error| {
        Error::input(&ctx.name, Position::default(), format!("cannot read: {e}"))
    };
    let mut head = Vec::new();
    (&mut input)
        .take(PEEK as u64)
        .read_to_end(&mut head)
        .map_err(io)?;
    let whole = head.len() < PEEK;
    let bom = if head.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    // The delimiter is sniffed from the complete lines of the head (invalid UTF-8 further on is
    // the record reader's to report, with its line).
    let valid = match std::str::from_utf8(&head[bom..]) {
        Ok(t) => t,
        Err(e) => std::str::from_utf8(&head[bom..bom + e.valid_up_to()]).unwrap_or(""),
    };
    let text = match valid.rfind('\n') {
        Some(end) if !whole => &valid[..=end],
        _ => valid,
    };
    // Excel's `sep=;` first line names the delimiter; it is not part of the table.
    let (explicit, skip, line_offset) = match text.split_once('\n') {
        Some((first, _)) if first.trim_end().to_ascii_lowercase().starts_with("sep=") => {
            let sep = first.trim_end().chars().nth(4);
            (sep, first.len() + 1, 1)
        }
        _ => (None, 0, 0),
    };
    let lines: Vec<&str> = text[skip..]
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(HEADER_SEARCH)
        .collect();
    if lines.is_empty() {
        return Err(Error::input(
            &ctx.name,
            Position::default(),
            "empty file: no header line",
        ));
    }
    let delimiter = match explicit {
        Some(c) if c.is_ascii() => c as u8,
        _ => sniff(&lines),
    };
    // A provider's own export whose columns the generic table reader cannot sum or join.
    let provider_export = lines
        .first()
        .is_some_and(|h| anthropic::usage_csv::is_header(h));
    let mut body = std::io::Cursor::new(head);
    body.set_position((bom + skip) as u64);
    if provider_export {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(body.chain(input));
        return anthropic::usage_csv::read(ctx, &mut rdr, limits);
    }
    let lines = Rc::new(RefCell::new(LineCounter::default()));
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(PEEK)
        .from_reader(Counted {
            inner: body.chain(input),
            lines: Rc::clone(&lines),
        });
    let mut record = csv::StringRecord::new();
    let mut batch = Batch::default();

    let at_error = Rc::clone(&lines);
    let mut next = |record: &mut csv::StringRecord| -> Result<bool> {
        let more = rdr.read_record(record).map_err(|e| {
            let line = at_error.borrow_mut().line_at(e.position().map(|p| p.byte())) + line_offset;
            match e.kind() {
                csv::ErrorKind::Utf8 { err, .. } => Error::at_line(
                    &ctx.name,
                    line,
                    format!(
                        "not UTF-8 text (field {}, byte {} is invalid); save the file as UTF-8 or UTF-16",
                        err.field() + 1,
                        err.valid_up_to()
                    ),
                ),
                csv::ErrorKind::Io(e) => Error::at_line(&ctx.name, line, format!("cannot read: {e}")),
                _ => Error::at_line(&ctx.name, line, format!("unreadable CSV: {e}")),
            }
        })?;
        if more {
            // Every record is bounded before it is looked at (ingest::limits).
            let line = at_error.borrow_mut().line_of(record) + line_offset;
            limits.check_record(&ctx.name, line, record.len(), record.iter())?;
            let n = record.position().map_or(0, |p| p.record()) as usize + 1;
            limits.check_records(&ctx.name, line, n)?;
        }
        Ok(more)
    };
    let scope = Scope {
        source: ctx.name.clone(),
        as_of: ctx.as_of,
        page: Page::Unknown,
        project: None,
        decimal_comma: delimiter == b';',
        lines: true,
        viewer: None,
        provider: None,
    };
    // The header is the first non-blank record Key Roster recognizes, among the first few: a
    // report saved from a spreadsheet may open with a title line or two.
    let mut first: Option<(Vec<String>, u64)> = None;
    let mut tried = 0;
    let (header, header_line_no, mut reader) = loop {
        if !next(&mut record)? {
            break None;
        }
        if record.as_slice().trim().is_empty() {
            continue;
        }
        // Headers are echoed in messages: scrubbed like every cell.
        let header: Vec<String> = record
            .iter()
            .map(|f| crate::ingest::table::scrub(f.trim()).0)
            .collect();
        let line = lines.borrow_mut().line_of(&record) + line_offset;
        let mut warnings = Vec::new();
        if let Some(reader) = TableReader::new(&header, scope.clone(), &mut warnings) {
            if let Some((_, first_line)) = &first {
                batch.warnings.push(format!(
                    "lines {first_line}-{} skipped: the table's header is line {line}",
                    line - 1
                ));
            }
            batch.warnings.extend(warnings);
            break Some((header, line, reader));
        }
        first.get_or_insert((header, line));
        tried += 1;
        if tried >= HEADER_SEARCH {
            break None;
        }
    }
    .ok_or_else(|| match &first {
        None => Error::input(&ctx.name, Position::default(), "empty file: no header line"),
        Some((header, line)) => {
            let shown: Vec<&str> = header.iter().take(8).map(String::as_str).collect();
            Error::at_line(
                &ctx.name,
                *line,
                format!("{NOTHING_FOUND}; the header has: {}", shown.join(", ")),
            )
        }
    })?;
    batch.kind = format!("csv:{}", kind_name(reader.kind(), &header));
    batch.members_list = reader.kind() == TableKind::Members;

    let secret_prefix = memchr::memmem::Finder::new(b"sk-");
    let mut rows = 0u64;
    while next(&mut record)? {
        let line = lines.borrow_mut().line_of(&record) + line_offset;
        if record.as_slice().trim().is_empty() {
            continue; // blank lines, `;;;;` rows a spreadsheet leaves at the end
        }
        if record.len() != header.len() {
            return Err(Error::at_line(
                &ctx.name,
                line,
                format!(
                    "expected {} fields as in the header (line {header_line_no}), found {}",
                    header.len(),
                    record.len()
                ),
            ));
        }
        rows += 1;
        let cells: Vec<&str> = record.iter().collect();
        // One search over the record's bytes (its fields back to back) instead of one per cell.
        let may_hold_secrets = secret_prefix.find(record.as_slice().as_bytes()).is_some();
        reader.row_scanned(&cells, &[], line, &mut batch, may_hold_secrets);
        each(&header, &cells, &mut batch);
    }
    if rows == 0 {
        batch.warnings.push(format!(
            "only a header (line {header_line_no}): no rows to read"
        ));
    }
    Ok(batch)
}

/// Line numbers of records from their byte offsets. The csv crate's own line count lags by one
/// after each CRLF (it ends the record at `\r` and counts the `\n` into the next one), and
/// Excel writes CRLF, so lines are counted here: once over the bytes, as records advance. The
/// bytes come from [`Counted`], which hands over what the record reader reads; only the part
/// not yet counted is kept (about one read buffer).
#[derive(Default)]
struct LineCounter {
    /// Bytes read and not yet dropped; `buf[0]` is at stream offset `base`.
    buf: Vec<u8>,
    base: u64,
    /// `buf[..counted]` has been counted.
    counted: usize,
    newlines: u64,
}

impl LineCounter {
    fn push(&mut self, bytes: &[u8]) {
        self.buf.drain(..self.counted);
        self.base += self.counted as u64;
        self.counted = 0;
        self.buf.extend_from_slice(bytes);
    }

    /// The 1-based line where the record's first field starts.
    fn line_of(&mut self, record: &csv::StringRecord) -> u64 {
        self.line_at(record.position().map(|p| p.byte()))
    }

    /// The 1-based line of a byte offset of the stream (the last one counted when unknown).
    fn line_at(&mut self, at: Option<u64>) -> u64 {
        let at = at.unwrap_or(self.base + self.counted as u64);
        let mut end = usize::try_from(at.saturating_sub(self.base)).unwrap_or(usize::MAX);
        // Skip the line ending the record's position may still point at.
        while matches!(self.buf.get(end), Some(b'\r' | b'\n')) {
            end += 1;
        }
        let end = end.min(self.buf.len());
        if end > self.counted {
            let seen = self.buf.get(self.counted..end).unwrap_or(&[]);
            self.newlines += memchr::memchr_iter(b'\n', seen).count() as u64;
            self.counted = end;
        }
        self.newlines + 1
    }
}

/// A reader that hands what it reads to the [`LineCounter`].
struct Counted<R> {
    inner: R,
    lines: Rc<RefCell<LineCounter>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.lines.borrow_mut().push(buf.get(..n).unwrap_or(&[]));
        Ok(n)
    }
}

/// The delimiter the first lines use most, counting outside quotes: comma, semicolon or tab. The
/// line with the most of one wins, so a title line without any does not decide.
pub(crate) fn sniff(lines: &[&str]) -> u8 {
    let (mut comma, mut semi, mut tab) = (0, 0, 0);
    for line in lines {
        let (mut c, mut s, mut t) = (0, 0, 0);
        let mut quoted = false;
        for ch in line.chars() {
            match ch {
                '"' => quoted = !quoted,
                ',' if !quoted => c += 1,
                ';' if !quoted => s += 1,
                '\t' if !quoted => t += 1,
                _ => {}
            }
        }
        comma = comma.max(c);
        semi = semi.max(s);
        tab = tab.max(t);
    }
    if tab > comma && tab >= semi {
        b'\t'
    } else if semi > comma {
        b';'
    } else {
        b','
    }
}

/// `csv:keys`, `csv:cost-export`, `csv:usage`...: the usage dashboard's cost export is told
/// apart by its own column names.
fn kind_name(kind: TableKind, header: &[String]) -> &'static str {
    let has = |name: &str| header.iter().any(|h| h.eq_ignore_ascii_case(name));
    match kind {
        // Key Roster's own export: every column of keys.csv, by its exact names.
        TableKind::Keys
            if has("redacted_key") && has("key_kind") && has("sources") && has("rules") =>
        {
            "keyroster-keys"
        }
        TableKind::Keys => "keys",
        TableKind::Usage if has("amount_value") && has("start_time") => "cost-export",
        TableKind::Usage if has("num_model_requests") => "activity-export",
        k => k.slug(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_is_sniffed_outside_quotes() {
        assert_eq!(sniff(&["a,b,c"]), b',');
        assert_eq!(sniff(&["a;b;\"c,d,e\""]), b';');
        assert_eq!(sniff(&["a\tb\t\"c,d\""]), b'\t');
        assert_eq!(sniff(&["name"]), b',');
        assert_eq!(sniff(&["API keys, exported", "Name;Key;Owner"]), b';');
    }
}
