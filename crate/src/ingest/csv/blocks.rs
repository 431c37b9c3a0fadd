//! A large delimited input read by two workers (the analyzer's wasm build): one reads the file
//! and tokenizes it ([`Splitter`]), the other reads the rows ([`BlockReader`]). The native CLI
//! does the same with a second thread ([`super::relay`]); workers share no memory, so here the
//! records travel between them as bytes, in blocks the browser hands over without copying.
//!
//! The split is the same as the relay's: one tokenizer, so record boundaries are never guessed;
//! the records reach the rows in input order and are read by the same code ([`super::rows`]), so
//! the batch (usage sums added in the same order, warnings, secrets, every line number) equals
//! [`super::Push::new`]'s. The first error of the rows wins over the tokenizer's, which comes
//! later in the input (as [`super::Push::finish`] has it).
//!
//! A block, little-endian:
//!
//! | bytes | records block | end block |
//! |---|---|---|
//! | 1 | `1` | `2` |
//! | 1 | the delimiter | `1` when an error follows, else `0` |
//! | rest | records: line (u64), `sk-` seen (u8), field count (u32), byte count (u32), each field's end (u32), the bytes | the tokenizer's error: line, record (u8 present + u64 each), field and message (u32 length + UTF-8) |

use super::rows::Rows;
use super::Push;
use crate::error::{Error, ErrorKind, Position, Result};
use crate::ingest::limits::Limits;
use crate::ingest::{streams_as_delimited, Batch, Context, SNIFF};

/// The row callback of a stream: usage rows get their sums at the end (see `Feed`).
type NoRows = fn(&[String], &[&str], &mut Batch);

const RECORDS: u8 = 1;
const END: u8 = 2;

/// Records a block holds at most: ~2 MiB of a cost export, the relay's size.
const BLOCK_RECORDS: usize = 8192;

/// The tokenizer's side: fed the input's chunks, gives blocks of records. It first reads as much
/// of the input as [`crate::ingest::Feed`] does to decide whether it streams as delimited text;
/// when it does not, the input is read the usual way (one worker, [`Splitter::push`] says so).
pub struct Splitter {
    ctx: Context,
    limits: Limits,
    records: usize,
    state: SplitState,
}

enum SplitState {
    Sniffing(Vec<u8>),
    Split(Box<Push<NoRows>>),
    NotDelimited,
}

impl Splitter {
    /// `ctx` names the input in the tokenizer's messages.
    pub fn new(ctx: &Context, limits: &Limits) -> Splitter {
        Self::in_blocks(ctx, limits, BLOCK_RECORDS)
    }

    /// [`Splitter::new`] with blocks of at most `records` records (tests and the `csv_stream`
    /// fuzz target cut them small, so block edges fall everywhere).
    pub fn in_blocks(ctx: &Context, limits: &Limits, records: usize) -> Splitter {
        Splitter {
            ctx: ctx.clone(),
            limits: streamed(limits),
            records,
            state: SplitState::Sniffing(Vec::new()),
        }
    }

    /// Reads `chunk`; gives the blocks it completed, or `None` when the input is not delimited
    /// text (decided once, from its first bytes): read it on one worker instead.
    pub fn push(&mut self, chunk: &[u8]) -> Option<Vec<Vec<u8>>> {
        match &mut self.state {
            SplitState::Sniffing(head) => {
                head.extend_from_slice(chunk);
                if head.len() < SNIFF as usize {
                    return Some(Vec::new());
                }
                self.decide();
                self.push(&[])
            }
            SplitState::Split(push) => {
                push.push(chunk);
                Some(push.take_blocks())
            }
            SplitState::NotDelimited => None,
        }
    }

    /// The end of the input: the last blocks, the end block last; `None` as in
    /// [`Splitter::push`].
    pub fn finish(mut self) -> Option<Vec<Vec<u8>>> {
        if let SplitState::Sniffing(_) = self.state {
            self.decide();
        }
        let SplitState::Split(push) = self.state else {
            return None;
        };
        let (mut blocks, error) = push.finish_split();
        blocks.push(end_block(error.as_ref()));
        Some(blocks)
    }

    fn decide(&mut self) {
        let SplitState::Sniffing(head) = &mut self.state else {
            return;
        };
        let head = std::mem::take(head);
        self.state = if streams_as_delimited(&head) {
            let mut push = Box::new(Push::split(&self.ctx, &self.limits, self.records));
            push.push(&head);
            SplitState::Split(push)
        } else {
            SplitState::NotDelimited
        };
    }
}

/// The limits of a streamed input: no cap on its records (see `Feed`).
fn streamed(limits: &Limits) -> Limits {
    Limits {
        max_records: usize::MAX,
        ..*limits
    }
}

/// The tokenizer's end of a [`Push::split`]: records written into blocks.
pub(super) struct Outbox {
    block: Vec<u8>,
    records: usize,
    max_records: usize,
    done: Vec<Vec<u8>>,
}

impl Outbox {
    pub(super) fn new(max_records: usize) -> Outbox {
        Outbox {
            block: Vec::new(),
            records: 0,
            max_records: max_records.max(1),
            done: Vec::new(),
        }
    }

    /// Queues one record (the tokenizer's callback); `delimiter` goes in the block's head.
    pub(super) fn record(
        &mut self,
        delimiter: u8,
        line: u64,
        bytes: &[u8],
        ends: &[usize],
        secrets: bool,
    ) -> Result<()> {
        let b = &mut self.block;
        if b.is_empty() {
            b.extend_from_slice(&[RECORDS, delimiter]);
        }
        b.extend_from_slice(&line.to_le_bytes());
        b.push(u8::from(secrets));
        b.extend_from_slice(&len32(ends.len()).to_le_bytes());
        b.extend_from_slice(&len32(bytes.len()).to_le_bytes());
        for &end in ends {
            b.extend_from_slice(&len32(end).to_le_bytes());
        }
        b.extend_from_slice(bytes);
        self.records += 1;
        if self.records >= self.max_records {
            self.flush();
        }
        Ok(())
    }

    /// Closes the block being filled; the next one starts with room for as many bytes (blocks
    /// of one input are alike), not growing by doubling and copying.
    pub(super) fn flush(&mut self) {
        if self.records > 0 {
            let next = Vec::with_capacity(self.block.len() + self.block.len() / 8);
            self.done.push(std::mem::replace(&mut self.block, next));
            self.records = 0;
        }
    }

    /// The blocks closed so far.
    pub(super) fn take(&mut self) -> Vec<Vec<u8>> {
        std::mem::take(&mut self.done)
    }
}

/// A length as the block writes it. Records are far below 4 GiB (the cell and column limits
/// bound them, and a chunk of the browser's is a few MiB), so this never saturates in practice.
fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn end_block(error: Option<&Error>) -> Vec<u8> {
    let mut b = vec![END, u8::from(error.is_some())];
    let Some(e) = error else {
        return b;
    };
    // The source is the input's name, which the rows' side has too.
    let (position, message) = match e.kind() {
        ErrorKind::Input {
            position, message, ..
        } => (position.clone(), message.clone()),
        _ => (Position::default(), e.to_string()),
    };
    for n in [position.line, position.record] {
        b.push(u8::from(n.is_some()));
        b.extend_from_slice(&n.unwrap_or(0).to_le_bytes());
    }
    for s in [position.field.as_deref().unwrap_or(""), &message] {
        b.extend_from_slice(&len32(s.len()).to_le_bytes());
        b.extend_from_slice(s.as_bytes());
    }
    b
}

/// The rows' side: the blocks of a [`Splitter`], in order, read into a batch.
pub struct BlockReader {
    ctx: Context,
    limits: Limits,
    rows: Option<Box<Rows<NoRows>>>,
    /// Field ends of the record being read (reused).
    ends: Vec<usize>,
    /// The first error of the rows (or of a block): later records are not read.
    error: Option<Error>,
    /// The end block's error, once it came: `None` before, `Some(None)` for a clean end.
    end: Option<Option<Error>>,
}

impl BlockReader {
    pub fn new(ctx: &Context, limits: &Limits) -> BlockReader {
        BlockReader {
            ctx: ctx.clone(),
            limits: streamed(limits),
            rows: None,
            ends: Vec::new(),
            error: None,
            end: None,
        }
    }

    /// Data rows read so far (for progress).
    pub fn rows(&self) -> u64 {
        self.rows.as_ref().map_or(0, |r| r.rows())
    }

    /// Reads one block.
    pub fn push(&mut self, block: &[u8]) {
        if self.error.is_none() {
            if let Err(e) = self.read(block) {
                self.error = Some(e);
            }
        }
    }

    /// The batch, once the end block came.
    pub fn finish(self) -> Result<Batch> {
        if let Some(e) = self.error {
            return Err(e);
        }
        match self.end {
            None => Err(self.broken("the input ended before the worker reading it did")),
            Some(Some(e)) => Err(e),
            Some(None) => match self.rows {
                Some(rows) => rows.finish(),
                None => Err(Error::input(
                    &self.ctx.name,
                    Position::default(),
                    "empty file: no header line",
                )),
            },
        }
    }

    fn read(&mut self, block: &[u8]) -> Result<()> {
        let mut r = Cursor(block);
        let (kind, flag) = (r.u8(), r.u8());
        match (kind, flag) {
            (Some(RECORDS), Some(delimiter)) => {
                let (ctx, limits) = (&self.ctx, &self.limits);
                let no_rows = (|_, _, _| {}) as NoRows;
                let rows = self
                    .rows
                    .get_or_insert_with(|| Box::new(Rows::new(ctx, limits, no_rows, delimiter)));
                while !r.0.is_empty() {
                    let (line, secrets, n, len) = match (r.u64(), r.u8(), r.u32(), r.u32()) {
                        (Some(l), Some(s), Some(n), Some(len)) => (l, s != 0, n, len),
                        _ => return Err(broken(&self.ctx, "a record's head is cut")),
                    };
                    self.ends.clear();
                    for _ in 0..n {
                        let end = r.u32().ok_or_else(|| broken(&self.ctx, "field ends cut"))?;
                        self.ends.push(end as usize);
                    }
                    let bytes = r
                        .take(len as usize)
                        .ok_or_else(|| broken(&self.ctx, "a record's bytes are cut"))?;
                    rows.record(line, bytes, &self.ends, secrets)?;
                }
                Ok(())
            }
            (Some(END), Some(0)) if r.0.is_empty() => {
                self.end = Some(None);
                Ok(())
            }
            (Some(END), Some(1)) => {
                let error = read_error(&mut r, &self.ctx.name)
                    .ok_or_else(|| broken(&self.ctx, "its error is cut"))?;
                self.end = Some(Some(error));
                Ok(())
            }
            _ => Err(broken(&self.ctx, "not a block")),
        }
    }

    fn broken(&self, why: &str) -> Error {
        broken(&self.ctx, why)
    }
}

fn broken(ctx: &Context, why: &str) -> Error {
    Error::input(
        &ctx.name,
        Position::default(),
        format!("internal error: a block from the worker reading the file is malformed ({why})"),
    )
}

fn read_error(r: &mut Cursor<'_>, source: &str) -> Option<Error> {
    let mut number = || match (r.u8()?, r.u64()?) {
        (0, _) => Some(None),
        (_, n) => Some(Some(n)),
    };
    let (line, record) = (number()?, number()?);
    let field = r.string()?;
    let message = r.string()?;
    let position = Position {
        line,
        record,
        field: (!field.is_empty()).then_some(field),
    };
    Some(Error::input(source, position, message))
}

/// Reads a block front to back; `None` when it is cut short.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).and_then(|b| b.first().copied())
    }

    fn u32(&mut self) -> Option<u32> {
        self.take(4)?.try_into().ok().map(u32::from_le_bytes)
    }

    fn u64(&mut self) -> Option<u64> {
        self.take(8)?.try_into().ok().map(u64::from_le_bytes)
    }

    fn string(&mut self) -> Option<String> {
        let n = self.u32()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
}

#[cfg(test)]
mod tests;
