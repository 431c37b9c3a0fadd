//! The delimited-text reader fed by chunks ([`Push`]): bytes arrive in pieces of any size (a
//! `Read` in the CLI, `File.stream()` chunks in the browser's worker) and records are read as
//! they complete, so memory holds the record in progress, about one chunk of line counting and
//! the usage buckets, never the input. [`super::read_stream`] and [`super::read`] are this reader
//! fed from a `Read` or one slice: there is one CSV reader, whatever feeds it.
//!
//! Records are tokenized by `csv_core` (what the `csv` crate runs on, already in the build), which
//! keeps a record in progress across calls; the `csv` crate's own reader pulls from a `Read` and
//! cannot be handed bytes as they come.
//!
//! What the records say (header search, rows) is [`Rows`] (rows.rs), read on this thread or, in
//! native builds, on a second one ([`super::relay`]).
//!
//! Past 400 lines as one concept: the reader's stages (delimiter sniff, tokenizing, handing
//! records on) and the line counter its messages need share one record buffer and one offset.

use csv_core::ReadRecordResult;

use super::plain::plain_record;
use super::rows::Rows;
use super::{sniff, HEADER_SEARCH, PEEK};
use crate::error::{Error, Position, Result};
use crate::ingest::limits::{size, Limits};
use crate::ingest::{Batch, Context};

use super::blocks::Outbox;
#[cfg(not(target_arch = "wasm32"))]
use super::relay::Relay;

/// A chunk-fed reader of one delimited input. `each` is called after every data row with the
/// header, the row's cells and the batch so far (see [`super::read_each`]; its usage rows get
/// their sums when the input ends, see `table::records::buckets`).
pub struct Push<F> {
    ctx: Context,
    limits: Limits,
    /// The first bytes, kept until there are enough to find the delimiter.
    head: Vec<u8>,
    tokens: Option<Tokens>,
    rows: Stage<F>,
    /// Starts the rows' thread ([`Push::threaded`]); `None` reads rows on the caller's thread.
    #[cfg(not(target_arch = "wasm32"))]
    spawn: Option<Spawn<F>>,
    /// Records a block handed to the rows' thread holds at most (tests use tiny blocks).
    #[cfg(not(target_arch = "wasm32"))]
    block_records: usize,
    /// Bytes read on the caller's thread before the rows move to theirs.
    #[cfg(not(target_arch = "wasm32"))]
    relay_after: u64,
    /// The first error met by the tokenizer (or, read on this thread, by the rows); once set,
    /// further chunks are ignored and [`Push::finish`] returns it. An error of the rows' thread
    /// is earlier in the input than any the tokenizer met after handing its records over.
    error: Option<Error>,
}

/// Starts the rows' thread with the rows and the records a block holds.
#[cfg(not(target_arch = "wasm32"))]
type Spawn<F> = fn(Rows<F>, usize) -> Relay<F>;

/// What the tokenizer calls with each record: its line, its fields back to back, their ends,
/// and whether `sk-` occurs in its bytes (searched on the tokenizer's side, which has cycles to
/// spare when the rows have their own thread).
type OnRecord<'r> = dyn FnMut(u64, &[u8], &[usize], bool) -> Result<()> + 'r;

/// Where the records go once the delimiter is known.
enum Stage<F> {
    /// Before the header line is sniffed: the row callback, not yet in its [`Rows`].
    Waiting(F),
    Here(Box<Rows<F>>),
    #[cfg(not(target_arch = "wasm32"))]
    Relayed(Relay<F>),
    /// Written into blocks for another worker to read ([`Push::split`]).
    Outbox(Outbox),
    /// Between the two (a state only [`Push::start`] and [`Push::finish`] pass through).
    Gone,
}

impl<F: FnMut(&[String], &[&str], &mut Batch)> Push<F> {
    pub fn new(ctx: &Context, limits: &Limits, each: F) -> Self {
        Push {
            ctx: ctx.clone(),
            limits: *limits,
            head: Vec::new(),
            tokens: None,
            rows: Stage::Waiting(each),
            #[cfg(not(target_arch = "wasm32"))]
            spawn: None,
            #[cfg(not(target_arch = "wasm32"))]
            block_records: super::relay::BLOCK_RECORDS,
            #[cfg(not(target_arch = "wasm32"))]
            relay_after: 0,
            error: None,
        }
    }

    /// Reads what `chunk` completes. An error is kept for [`Push::finish`].
    pub fn push(&mut self, chunk: &[u8]) {
        if self.error.is_some() {
            return;
        }
        let result = if self.tokens.is_some() {
            self.feed(chunk, false)
        } else {
            // Exactly PEEK bytes are sniffed, whatever the chunks: the delimiter does not depend
            // on how the input was cut.
            let (head, rest) = chunk.split_at(chunk.len().min(PEEK - self.head.len()));
            self.head.extend_from_slice(head);
            if self.head.len() < PEEK {
                return;
            }
            self.start(false).and_then(|()| self.feed(rest, false))
        };
        if let Err(e) = result {
            self.error = Some(e);
        }
    }

    /// Data rows read so far (for progress).
    pub fn rows(&self) -> u64 {
        match &self.rows {
            Stage::Here(rows) => rows.rows(),
            #[cfg(not(target_arch = "wasm32"))]
            Stage::Relayed(relay) => relay.rows(),
            Stage::Waiting(_) | Stage::Outbox(_) | Stage::Gone => 0,
        }
    }

    /// The end of the input: the last record, even without a line ending, and the batch.
    pub fn finish(mut self) -> Result<Batch> {
        self.end();
        let rows = match std::mem::replace(&mut self.rows, Stage::Gone) {
            Stage::Here(rows) => Some(*rows),
            #[cfg(not(target_arch = "wasm32"))]
            Stage::Relayed(relay) => {
                let (rows, error) = relay.join();
                // The rows' error is earlier in the input than the tokenizer's (see `error`).
                if let Some(e) = error {
                    self.error = Some(e);
                }
                rows
            }
            Stage::Waiting(_) | Stage::Outbox(_) | Stage::Gone => None,
        };
        if let Some(e) = self.error {
            return Err(e);
        }
        match rows {
            Some(rows) => rows.finish(),
            None => Err(Error::input(
                &self.ctx.name,
                Position::default(),
                "empty file: no header line",
            )),
        }
    }

    /// Reads the last record (even without a line ending), sniffing the head first if the
    /// input was shorter than it.
    fn end(&mut self) {
        if self.error.is_none() {
            let result = if self.tokens.is_some() {
                self.feed(&[], true)
            } else {
                self.start(true).and_then(|()| self.feed(&[], true))
            };
            if let Err(e) = result {
                self.error = Some(e);
            }
        }
    }

    /// Finds the delimiter in the head (the whole input when `whole`), then reads the head.
    fn start(&mut self, whole: bool) -> Result<()> {
        let head = std::mem::take(&mut self.head);
        let bom = if head.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        // The delimiter is sniffed from the complete lines of the head (invalid UTF-8 further on
        // is the record reader's to report, with its line).
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
                &self.ctx.name,
                Position::default(),
                "empty file: no header line",
            ));
        }
        let delimiter = match explicit {
            Some(c) if c.is_ascii() => c as u8,
            _ => sniff(&lines),
        };
        self.tokens = Some(Tokens {
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            delimiter,
            at_line: false,
            line_offset,
            lines: LineCounter::default(),
            offset: 0,
            start: 0,
            out: vec![0; 1024],
            ends: vec![0; 64],
            outlen: 0,
            endlen: 0,
            sk: memchr::memmem::Finder::new(b"sk-"),
        });
        // The rows begin here, unless they go into blocks for another worker.
        match std::mem::replace(&mut self.rows, Stage::Gone) {
            Stage::Waiting(each) => {
                let rows = Rows::new(&self.ctx, &self.limits, each, delimiter);
                self.rows = Stage::Here(Box::new(rows));
                #[cfg(not(target_arch = "wasm32"))]
                self.relay_if_large();
            }
            other => self.rows = other,
        }
        self.feed(head.get(bom + skip..).unwrap_or(&[]), false)
    }

    /// True once the rows are read on their own thread.
    #[cfg(all(test, not(target_arch = "wasm32")))]
    pub(super) fn relayed(&self) -> bool {
        matches!(self.rows, Stage::Relayed(_))
    }

    /// Moves the rows to their own thread once the input has proved large enough to be worth
    /// one ([`Push::threaded`]): a small input never starts a thread, and its progress is exact.
    #[cfg(not(target_arch = "wasm32"))]
    fn relay_if_large(&mut self) {
        let (Some(spawn), Some(tokens)) = (self.spawn, &self.tokens) else {
            return;
        };
        if tokens.offset < self.relay_after || !matches!(self.rows, Stage::Here(_)) {
            return;
        }
        if let Stage::Here(rows) = std::mem::replace(&mut self.rows, Stage::Gone) {
            self.rows = Stage::Relayed(spawn(*rows, self.block_records));
        }
    }

    /// Tokenizes `input` (`end`: the input is over) and hands every record it completes to the
    /// rows, here or on their thread.
    fn feed(&mut self, input: &[u8], end: bool) -> Result<()> {
        let Push {
            ctx,
            limits,
            tokens,
            rows,
            ..
        } = self;
        let Some(tokens) = tokens.as_mut() else {
            return Ok(());
        };
        let fed = match rows {
            Stage::Here(rows) => {
                tokens.feed(ctx, limits, input, end, &mut |line, bytes, ends, sk| {
                    rows.record(line, bytes, ends, sk)
                })
            }
            #[cfg(not(target_arch = "wasm32"))]
            Stage::Relayed(relay) => {
                let fed = tokens.feed(ctx, limits, input, end, &mut |line, bytes, ends, sk| {
                    relay.record(line, bytes, ends, sk)
                });
                // The records before a tokenizer's error are still read (an earlier row's error
                // wins); the end of the input sends what is left.
                if end || fed.is_err() {
                    relay.flush();
                }
                fed
            }
            Stage::Outbox(out) => {
                let delimiter = tokens.delimiter;
                let fed = tokens.feed(ctx, limits, input, end, &mut |line, bytes, ends, sk| {
                    out.record(delimiter, line, bytes, ends, sk)
                });
                // As for the relay: the records before a tokenizer's error are still read.
                if end || fed.is_err() {
                    out.flush();
                }
                fed
            }
            Stage::Waiting(_) | Stage::Gone => Ok(()),
        };
        #[cfg(not(target_arch = "wasm32"))]
        if fed.is_ok() && !end {
            self.relay_if_large();
        }
        fed
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl<F: FnMut(&[String], &[&str], &mut Batch) + Send + 'static> Push<F> {
    /// A reader whose rows are read on a second thread while this one reads and tokenizes the
    /// input (native builds: the CLI). Records are handed over in blocks, in input order, and
    /// read by the same code as [`Push::new`]'s, so the batch, its warnings and every line
    /// number in it are the same; memory grows by a few blocks (see [`super::relay`]).
    /// The first [`super::relay::RELAY_AFTER`] bytes are read on this thread alone.
    pub fn threaded(ctx: &Context, limits: &Limits, each: F) -> Self {
        let mut push = Self::threaded_in_blocks(ctx, limits, each, super::relay::BLOCK_RECORDS);
        push.relay_after = super::relay::RELAY_AFTER;
        push
    }

    /// [`Push::threaded`] from the header on, with blocks of at most `records` records (tests
    /// cut blocks small to put their edges everywhere).
    pub fn threaded_in_blocks(ctx: &Context, limits: &Limits, each: F, records: usize) -> Self {
        let mut push = Push::new(ctx, limits, each);
        push.spawn = Some(Relay::spawn);
        push.block_records = records.max(1);
        push
    }
}

impl Push<fn(&[String], &[&str], &mut Batch)> {
    /// The tokenizer of a reader split between two workers ([`super::blocks`]): its records go
    /// into blocks of at most `records` records, taken with [`Push::take_blocks`], for the rows'
    /// worker to read.
    pub(super) fn split(ctx: &Context, limits: &Limits, records: usize) -> Self {
        let no_rows: fn(&[String], &[&str], &mut Batch) = |_, _, _| {};
        let mut push = Push::new(ctx, limits, no_rows);
        push.rows = Stage::Outbox(Outbox::new(records));
        push
    }

    /// The blocks completed since the last call.
    pub(super) fn take_blocks(&mut self) -> Vec<Vec<u8>> {
        match &mut self.rows {
            Stage::Outbox(out) => out.take(),
            _ => Vec::new(),
        }
    }

    /// The end of a split input: the last blocks and the tokenizer's error, if any.
    pub(super) fn finish_split(mut self) -> (Vec<Vec<u8>>, Option<Error>) {
        self.end();
        (self.take_blocks(), self.error)
    }
}

/// The tokenizer, once the delimiter is known: csv_core, the line counter and the record in
/// progress.
struct Tokens {
    core: csv_core::Reader,
    delimiter: u8,
    /// csv_core has read a record that ended with `\n` (and nothing since): the next line may be
    /// read by [`plain_record`] instead, as csv_core would read it from there.
    at_line: bool,
    /// 1 when Excel's `sep=` line was skipped before the body.
    line_offset: u64,
    lines: LineCounter,
    /// Bytes of the body tokenized so far, and where the record in progress began.
    offset: u64,
    start: u64,
    /// The record in progress: its fields back to back and where each ends.
    out: Vec<u8>,
    ends: Vec<usize>,
    outlen: usize,
    endlen: usize,
    /// The secret prefix searcher, built once.
    sk: memchr::memmem::Finder<'static>,
}

impl Tokens {
    fn line_at(&mut self, at: u64) -> u64 {
        self.lines.line_at(at) + self.line_offset
    }

    /// Tokenizes `input` and calls `record` with each complete record's line, bytes and field
    /// ends.
    fn feed(
        &mut self,
        ctx: &Context,
        limits: &Limits,
        input: &[u8],
        end: bool,
        record: &mut OnRecord<'_>,
    ) -> Result<()> {
        // An empty input tells csv_core the input is over: only the end may give one.
        if input.is_empty() && !end {
            return Ok(());
        }
        self.lines.push(input);
        let mut input = input;
        loop {
            let plain = if self.at_line && self.outlen == 0 && self.endlen == 0 {
                plain_record(input, self.delimiter, &mut self.out, &mut self.ends)
            } else {
                None
            };
            let (res, nin, nout, nend) = match plain {
                Some((nin, nout, nend)) => (ReadRecordResult::Record, nin, nout, nend),
                None => {
                    let read = self.core.read_record(
                        input,
                        &mut self.out[self.outlen..],
                        &mut self.ends[self.endlen..],
                    );
                    let (res, nin, ..) = &read;
                    self.at_line = *res == ReadRecordResult::Record
                        && input.get(nin.wrapping_sub(1)) == Some(&b'\n');
                    read
                }
            };
            input = &input[nin..];
            self.offset += nin as u64;
            self.outlen += nout;
            self.endlen += nend;
            match res {
                ReadRecordResult::InputEmpty => return Ok(()),
                ReadRecordResult::End => return Ok(()),
                ReadRecordResult::OutputFull => {
                    // A field that never ends (an unclosed quote) is refused as soon as it
                    // passes the cell limit, not read until memory runs out: its whole length
                    // is never known, so the message gives the limit.
                    let field =
                        self.outlen - self.endlen.checked_sub(1).map_or(0, |i| self.ends[i]);
                    if field > limits.max_cell_bytes {
                        let line = self.line_at(self.start);
                        return Err(Error::input(
                            &ctx.name,
                            Position {
                                line: Some(line),
                                field: Some(format!("#{}", self.endlen + 1)),
                                ..Position::default()
                            },
                            format!(
                                "a cell over the limit of {} per cell",
                                size(limits.max_cell_bytes)
                            ),
                        ));
                    }
                    let grown = self.out.len() * 2;
                    self.out.resize(grown, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    // Refused as it grows, like a cell: a record is never held whole first.
                    if self.endlen > limits.max_columns {
                        let line = self.line_at(self.start);
                        return Err(Error::at_line(
                            &ctx.name,
                            line,
                            format!(
                                "more than {} columns, the limit: this is not a table Key Roster \
                                 reads",
                                limits.max_columns
                            ),
                        ));
                    }
                    let grown = self.ends.len() * 2;
                    self.ends.resize(grown, 0);
                }
                ReadRecordResult::Record => {
                    let line = self.line_at(self.start);
                    if plain.is_some() {
                        // A plain record is one line: its `\n` is counted without a search.
                        self.lines.one_line(self.start, nin);
                    }
                    // One search over the record's bytes (its fields back to back) instead of
                    // one per cell.
                    let secrets = self.sk.find(&self.out[..self.outlen]).is_some();
                    let read = record(
                        line,
                        &self.out[..self.outlen],
                        &self.ends[..self.endlen],
                        secrets,
                    );
                    self.outlen = 0;
                    self.endlen = 0;
                    self.start = self.offset;
                    read?;
                    if input.is_empty() && !end {
                        return Ok(());
                    }
                }
            }
        }
    }
}

/// Line numbers of records from their byte offsets, counted once over the bytes as records
/// advance (csv_core's own count lags by one after each CRLF: it ends the record at `\r` and
/// counts the `\n` into the next one, and Excel writes CRLF). Only the part not yet counted is
/// kept: about one chunk.
#[derive(Default)]
struct LineCounter {
    /// Bytes fed and not yet dropped; `buf[0]` is at body offset `base`.
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

    /// Counts the `len` bytes at body offset `at` as one line (they hold exactly one `\n`, at
    /// their end) when everything before them is counted; otherwise [`LineCounter::line_at`]
    /// counts them when it gets there.
    fn one_line(&mut self, at: u64, len: usize) {
        let counted = self.base + self.counted as u64;
        if counted == at && self.counted + len <= self.buf.len() {
            self.counted += len;
            self.newlines += 1;
        }
    }

    /// The 1-based line of a byte offset of the body, past any line endings there (a record's
    /// start still points at the previous record's `\n`, or at blank lines it skipped).
    fn line_at(&mut self, at: u64) -> u64 {
        let mut end = usize::try_from(at.saturating_sub(self.base)).unwrap_or(usize::MAX);
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
