//! Delimited text: Key Roster's own exports (keys.csv reads back exactly), spreadsheets people
//! edited (semicolons and decimal commas, Excel's `sep=;` line, tab-separated "Unicode text"),
//! and the usage dashboard's cost and activity exports.
//!
//! The delimiter is sniffed from the header line outside quotes; the header is recognized by
//! [`crate::ingest::table`]; records are streamed one at a time into the [`Batch`], with usage
//! rows aggregated as they come, so a million-row export does not make a million records.

use crate::error::{Error, Position, Result};
use crate::ingest::limits::Limits;
use crate::ingest::table::{Page, Scope, TableKind, TableReader, NOTHING_FOUND};
use crate::ingest::{Batch, Context};

/// How many non-blank lines may come before the header (titles, notes).
const HEADER_SEARCH: usize = 10;

/// Reads delimited text (already decoded from UTF-8/UTF-16 by [`crate::ingest::text`]).
pub fn read(ctx: &Context, text: &str) -> Result<Batch> {
    read_each(ctx, text, &Limits::default(), |_, _, _| {})
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
    mut each: impl FnMut(&[String], &[&str], &mut Batch),
) -> Result<Batch> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Excel's `sep=;` first line names the delimiter; it is not part of the table.
    let (explicit, body, line_offset) = match text.split_once('\n') {
        Some((first, rest)) if first.trim_end().to_ascii_lowercase().starts_with("sep=") => {
            let sep = first.trim_end().chars().nth(4);
            (sep, rest, 1)
        }
        _ => (None, text, 0),
    };
    let head: Vec<&str> = body
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(HEADER_SEARCH)
        .collect();
    if head.is_empty() {
        return Err(Error::input(
            &ctx.name,
            Position::default(),
            "empty file: no header line",
        ));
    }
    let delimiter = match explicit {
        Some(c) if c.is_ascii() => c as u8,
        _ => sniff(&head),
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut batch = Batch::default();

    let next = |rdr: &mut csv::Reader<&[u8]>, record: &mut csv::StringRecord| -> Result<bool> {
        let more = rdr.read_record(record).map_err(|e| {
            let line = e.position().map_or(0, |p| p.line()) + line_offset;
            Error::at_line(&ctx.name, line, format!("unreadable CSV: {e}"))
        })?;
        if more {
            let line = record.position().map_or(0, |p| p.line()) + line_offset;
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
    };
    let mut lines = LineCounter::new(body.as_bytes());
    // The header is the first non-blank record Key Roster recognizes, among the first few: a
    // report saved from a spreadsheet may open with a title line or two.
    let mut first: Option<(Vec<String>, u64)> = None;
    let mut tried = 0;
    let (header, header_line_no, mut reader) = loop {
        if !next(&mut rdr, &mut record)? {
            break None;
        }
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        // Headers are echoed in messages: scrubbed like every cell.
        let header: Vec<String> = record
            .iter()
            .map(|f| crate::ingest::table::scrub(f.trim()).0)
            .collect();
        let line = lines.line_of(&record) + line_offset;
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

    let mut rows = 0u64;
    while next(&mut rdr, &mut record)? {
        let line = lines.line_of(&record) + line_offset;
        if record.iter().all(|f| f.trim().is_empty()) {
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
        reader.row(&cells, &[], line, &mut batch);
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
/// Excel writes CRLF, so lines are counted here: once over the text, as records advance.
struct LineCounter<'a> {
    bytes: &'a [u8],
    at: usize,
    newlines: u64,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        LineCounter {
            bytes,
            at: 0,
            newlines: 0,
        }
    }

    /// The 1-based line where the record's first field starts.
    fn line_of(&mut self, record: &csv::StringRecord) -> u64 {
        let mut start = record
            .position()
            .map_or(self.at, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        // Skip the line ending the record's position may still point at.
        while matches!(self.bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        let end = start.min(self.bytes.len());
        if end > self.at {
            let seen = self.bytes.get(self.at..end).unwrap_or(&[]);
            self.newlines += seen.iter().filter(|&&b| b == b'\n').count() as u64;
            self.at = end;
        }
        self.newlines + 1
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
