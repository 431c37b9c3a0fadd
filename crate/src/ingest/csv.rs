//! Delimited text: Key Roster's own exports (keys.csv reads back exactly), spreadsheets people
//! edited (semicolons and decimal commas, Excel's `sep=;` line, tab-separated "Unicode text"),
//! and the usage dashboard's cost and activity exports.
//!
//! The delimiter is sniffed from the header line outside quotes; the header is recognized by
//! [`crate::ingest::table`]; records are streamed one at a time into the [`Batch`], with usage
//! rows aggregated as they come, so a million-row export does not make a million records. The
//! reader itself is [`Push`] (push.rs), fed chunk by chunk; the functions here feed it.

mod blocks;
#[cfg(test)]
mod fixtures;
mod marks;
mod plain;
mod push;
#[cfg(not(target_arch = "wasm32"))]
mod relay;
mod rows;

use std::io::Read;

pub use blocks::{BlockReader, Splitter};
pub use push::Push;

use crate::error::{Error, Position, Result};
use crate::ingest::limits::Limits;
use crate::ingest::providers::anthropic;
use crate::ingest::table::TableKind;
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
    if provider_export(text.as_bytes()) {
        let body = text.trim_start_matches('\u{feff}');
        let mut rdr = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(body.as_bytes());
        return anthropic::usage_csv::read(ctx, &mut rdr, limits);
    }
    read_stream_with(ctx, text.as_bytes(), limits, each)
}

/// True when the first non-blank line of `head` is the header of a provider's own export whose
/// columns the generic table reader cannot sum or join (the Claude Console's usage CSV). Such an
/// export is small (a row per key and day) and is read whole by its provider's reader.
pub(crate) fn provider_export(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let first = head
        .split(|&b| b == b'\n')
        .find(|l| !l.iter().all(u8::is_ascii_whitespace));
    first
        .and_then(|l| std::str::from_utf8(l).ok())
        .is_some_and(anthropic::usage_csv::is_header)
}

fn read_stream_with(
    ctx: &Context,
    mut input: impl Read,
    limits: &Limits,
    each: impl FnMut(&[String], &[&str], &mut Batch),
) -> Result<Batch> {
    let mut push = Push::new(ctx, limits, each);
    let mut buf = vec![0; PEEK];
    loop {
        match input.read(&mut buf) {
            Ok(0) => return push.finish(),
            Ok(n) => push.push(buf.get(..n).unwrap_or(&[])),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Err(Error::input(
                    &ctx.name,
                    Position::default(),
                    format!("cannot read: {e}"),
                ))
            }
        }
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
