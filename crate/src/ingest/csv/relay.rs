//! The second core for a large delimited input (native builds only): the caller's thread reads
//! the input and tokenizes it (csv_core, line numbers), and hands the records over in blocks, in
//! input order, to one thread that reads the rows ([`super::rows::Rows`]: header search, cells,
//! secrets, usage buckets). One tokenizer means record boundaries are never guessed: a quoted
//! field with newlines in it is cut exactly as the one-thread reader cuts it, and the rows are
//! read by the same code in the same order, so the batch (buckets and their float sums, warnings,
//! secret findings, error lines) is the same as [`super::Push::new`]'s.
//!
//! Memory: at most [`IN_FLIGHT`] blocks queued, one being filled and one being read, each of at
//! most [`BLOCK_RECORDS`] records (~2 MiB of a cost export); emptied blocks come back to be
//! refilled.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;

use super::rows::Rows;
use crate::error::{Error, Position, Result};
use crate::ingest::Batch;

/// Records in a block: large enough that handing a block over costs nothing next to reading
/// it, small enough that the blocks in flight stay a few MiB.
pub(super) const BLOCK_RECORDS: usize = 8192;

/// Bytes of an input read on one thread before the rows get their own: below this a thread
/// costs more than it saves, and a small input's progress stays exact.
pub(super) const RELAY_AFTER: u64 = 1 << 20;

/// Blocks queued for the rows' thread before the tokenizer waits.
const IN_FLIGHT: usize = 2;

/// Records back to back: their fields' bytes, field ends (relative to the record) and lines.
/// A record's bytes are checked as UTF-8 here, on the tokenizer's thread (which has cycles to
/// spare), and kept in `text`; the rare record that is not UTF-8 is kept in `bytes`, for the
/// rows' thread to say where it fails.
#[derive(Default)]
struct Block {
    text: String,
    bytes: Vec<u8>,
    ends: Vec<usize>,
    records: Vec<Record>,
}

/// A record of a [`Block`]: its line, its bytes (`text[from..to]` or, not UTF-8,
/// `bytes[from..to]`), where its field ends stop in `ends`, and whether its bytes hold `sk-`.
struct Record {
    line: u64,
    utf8: bool,
    from: usize,
    to: usize,
    ends_to: usize,
    secrets: bool,
}

impl Block {
    fn clear(&mut self) {
        self.text.clear();
        self.bytes.clear();
        self.ends.clear();
        self.records.clear();
    }
}

/// The tokenizer's end of the rows' thread.
pub(super) struct Relay<F> {
    /// `None` once the input is over (dropping it ends the thread's loop).
    to_rows: Option<SyncSender<Block>>,
    /// Blocks the rows' thread has read, to be refilled.
    emptied: Receiver<Block>,
    block: Block,
    block_records: usize,
    /// Set by the rows' thread when a record fails: the tokenizer stops.
    failed: Arc<AtomicBool>,
    rows: Arc<AtomicU64>,
    thread: Option<JoinHandle<(Rows<F>, Option<Error>)>>,
    /// The name of the input, for the message of a thread that died.
    name: String,
}

impl<F: FnMut(&[String], &[&str], &mut Batch) + Send + 'static> Relay<F> {
    /// Starts the rows' thread with `rows`.
    pub(super) fn spawn(mut rows: Rows<F>, block_records: usize) -> Relay<F> {
        let (to_rows, blocks) = mpsc::sync_channel::<Block>(IN_FLIGHT);
        let (give_back, emptied) = mpsc::channel::<Block>();
        let failed = Arc::new(AtomicBool::new(false));
        let count = Arc::new(AtomicU64::new(0));
        let name = rows.name().to_string();
        let (thread_failed, thread_count) = (Arc::clone(&failed), Arc::clone(&count));
        let thread = std::thread::Builder::new()
            .name("keyroster-rows".into())
            .spawn(move || {
                let mut error = None;
                for mut block in blocks {
                    if error.is_none() {
                        error = read_block(&mut rows, &block).err();
                        if error.is_some() {
                            thread_failed.store(true, Ordering::Relaxed);
                        }
                        thread_count.store(rows.rows(), Ordering::Relaxed);
                    }
                    block.clear();
                    // The tokenizer may be gone (its input ended): the block is simply dropped.
                    let _ = give_back.send(block);
                }
                (rows, error)
            });
        let thread = thread.ok();
        Relay {
            to_rows: Some(to_rows),
            emptied,
            block: Block::default(),
            block_records,
            failed,
            rows: count,
            thread,
            name,
        }
    }
}

/// Reads a block's records in order; the first error stops it.
fn read_block<F: FnMut(&[String], &[&str], &mut Batch)>(
    rows: &mut Rows<F>,
    block: &Block,
) -> Result<()> {
    let mut ends_from = 0;
    for r in &block.records {
        let ends = block.ends.get(ends_from..r.ends_to).unwrap_or(&[]);
        if r.utf8 {
            let text = block.text.get(r.from..r.to).unwrap_or("");
            rows.record_text(r.line, text, ends, r.secrets)?;
        } else {
            let bytes = block.bytes.get(r.from..r.to).unwrap_or(&[]);
            rows.record(r.line, bytes, ends, r.secrets)?;
        }
        ends_from = r.ends_to;
    }
    Ok(())
}

impl<F> Relay<F> {
    /// Data rows the rows' thread has read (for progress; updated block by block).
    pub(super) fn rows(&self) -> u64 {
        self.rows.load(Ordering::Relaxed)
    }

    /// Queues one record. Fails once the rows' thread has failed (its own error is the one
    /// [`Relay::join`] gives): the tokenizer need not go on.
    pub(super) fn record(
        &mut self,
        line: u64,
        bytes: &[u8],
        ends: &[usize],
        secrets: bool,
    ) -> Result<()> {
        if self.failed.load(Ordering::Relaxed) || self.thread.is_none() {
            return Err(self.stopped());
        }
        let block = &mut self.block;
        // Field ends are kept relative to the record: the rows read each record on its own.
        let (utf8, from, to) = match std::str::from_utf8(bytes) {
            Ok(text) => {
                block.text.push_str(text);
                (true, block.text.len() - text.len(), block.text.len())
            }
            Err(_) => {
                block.bytes.extend_from_slice(bytes);
                (false, block.bytes.len() - bytes.len(), block.bytes.len())
            }
        };
        block.ends.extend_from_slice(ends);
        block.records.push(Record {
            line,
            utf8,
            from,
            to,
            ends_to: block.ends.len(),
            secrets,
        });
        if block.records.len() >= self.block_records {
            self.flush();
        }
        Ok(())
    }

    /// Hands the block being filled over (waiting while [`IN_FLIGHT`] are queued).
    pub(super) fn flush(&mut self) {
        if self.block.records.is_empty() {
            return;
        }
        let next = self.emptied.try_recv().unwrap_or_default();
        let full = std::mem::replace(&mut self.block, next);
        if let Some(to_rows) = &self.to_rows {
            // A send fails only when the thread is gone; `join` reports that.
            let _ = to_rows.send(full);
        }
    }

    /// Sends what is left, waits for the rows' thread, and gives its rows and first error.
    pub(super) fn join(mut self) -> (Option<Rows<F>>, Option<Error>) {
        self.flush();
        self.to_rows = None;
        let stopped = self.stopped();
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok((rows, error))) => (Some(rows), error),
            _ => (None, Some(stopped)),
        }
    }

    fn stopped(&self) -> Error {
        Error::input(
            &self.name,
            Position::default(),
            "internal error: the thread reading the rows stopped",
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::ingest::csv::fixtures::{export, row, secret};
    use crate::ingest::csv::Push;
    use crate::ingest::limits::Limits;
    use crate::ingest::{Batch, Context};

    type NoRows = fn(&[String], &[&str], &mut Batch);

    fn one_thread(text: &str, limits: &Limits) -> Result<Batch, String> {
        let ctx = Context::new("cost.csv", jiff::civil::date(2026, 11, 22));
        let mut push = Push::new(&ctx, limits, (|_, _, _| {}) as NoRows);
        push.push(text.as_bytes());
        push.finish().map_err(|e| e.to_string())
    }

    /// The two-thread read in blocks of `records` records, fed in chunks of `chunk` bytes.
    fn two_threads(
        text: &str,
        limits: &Limits,
        records: usize,
        chunk: usize,
    ) -> Result<Batch, String> {
        let ctx = Context::new("cost.csv", jiff::civil::date(2026, 11, 22));
        let mut push = Push::threaded_in_blocks(&ctx, limits, (|_, _, _| {}) as NoRows, records);
        for piece in text.as_bytes().chunks(chunk) {
            push.push(piece);
        }
        // Up to here only when the input is longer than the head the delimiter is sniffed from.
        assert_eq!(push.relayed(), text.len() >= crate::ingest::csv::PEEK);
        push.finish().map_err(|e| e.to_string())
    }

    fn same_both_ways(text: &str, limits: &Limits) -> Result<Batch, String> {
        let one = one_thread(text, limits);
        for records in [1, 2, 3, 5, super::BLOCK_RECORDS] {
            for chunk in [1, 7, 64, 1 << 20] {
                assert_eq!(
                    two_threads(text, limits, records, chunk),
                    one,
                    "blocks of {records} records, chunks of {chunk} bytes"
                );
            }
        }
        one
    }

    #[test]
    fn two_thread_read_equals_one_thread_read_with_quoted_newlines_and_line_numbers() {
        // Past the sniffed head: records are handed over as they come, not at the end.
        let text = export(&secret(), 1000, &row(1_786_924_800, "4", "x", "key_c", ""));
        assert!(text.len() > crate::ingest::csv::PEEK);
        let batch = same_both_ways(&text, &Limits::default()).expect("readable");
        // The facts the equality is about, at their exact lines.
        assert_eq!(batch.kind, "csv:cost-export");
        assert_eq!(batch.exposed.len(), 1);
        assert_eq!(batch.exposed[0].location, "line 9, column api_source");
        assert_eq!(batch.exposed[0].redacted, "sk-proj-...Zx9Q");
        assert!(
            batch.warnings.iter().any(|w| w.starts_with("line 10")),
            "{:?}",
            batch.warnings
        );
        assert!(
            batch
                .warnings
                .iter()
                .any(|w| w.starts_with("line 11, column amount_value")),
            "{:?}",
            batch.warnings
        );
        // key_a on day 1 (0.25 + 1.5) and day 2, key_b on day 1 (0.5 + 3), the filler, key_c.
        let costs: Vec<(Option<&str>, Option<f64>)> = batch
            .usage
            .iter()
            .map(|u| (u.key_id.as_deref(), u.usage.cost_usd))
            .collect();
        assert_eq!(
            costs,
            vec![
                (Some("key_a"), Some(1.75)),
                (Some("key_b"), Some(3.5)),
                (Some("key_a"), Some(2.0)),
                (Some("key_f"), Some(1000.0)),
                (Some("key_c"), Some(4.0)),
            ]
        );
    }

    #[test]
    fn two_thread_read_equals_one_thread_read_over_many_buckets() {
        // 37 keys over 50 days, some a decade away (kept apart from a key's span of days), in
        // an order that revisits every bucket: the sums are kept apart while reading and written
        // into the batch at the end, the same way on either path.
        let d = 1_786_924_800u64;
        let mut filler = String::new();
        for i in 0..3_000u64 {
            let day = if i % 97 == 0 {
                d - 86_400 * 3_650
            } else {
                d + 86_400 * ((i * 7) % 50)
            };
            let amount = format!("0.{}", (i * 7919) % 1000);
            filler.push_str(&row(day, &amount, "x", &format!("key_{}", i % 37), ""));
        }
        let text = export("", 0, &filler);
        assert!(text.len() > crate::ingest::csv::PEEK);
        let batch = same_both_ways(&text, &Limits::default()).expect("readable");
        assert!(batch.usage.len() > 37 * 40, "{}", batch.usage.len());
        let total: f64 = batch.usage.iter().filter_map(|u| u.usage.cost_usd).sum();
        assert!(total > 1000.0, "{total}");
    }

    #[test]
    fn two_thread_read_fails_at_the_same_line_as_one_thread_read() {
        // A short record at line 14, after records that cross lines.
        let short = "1786924800,1786924800,x\n";
        let text = export(&secret(), 0, short);
        let err = same_both_ways(&text, &Limits::default()).expect_err("a short record");
        assert!(err.contains("line 14"), "{err}");
        // Invalid UTF-8 in a cell, found on the rows' side.
        let mut bytes = export("", 0, "").into_bytes();
        bytes.extend_from_slice(b"1786924800,,,,1,usd,1,tokens,\xff\xfe,u,k,p,o,n,o,e,\n");
        let text = bytes;
        let one = {
            let ctx = Context::new("cost.csv", jiff::civil::date(2026, 11, 22));
            let mut push = Push::new(&ctx, &Limits::default(), (|_, _, _| {}) as NoRows);
            push.push(&text);
            push.finish().map_err(|e| e.to_string())
        };
        let ctx = Context::new("cost.csv", jiff::civil::date(2026, 11, 22));
        let mut push =
            Push::threaded_in_blocks(&ctx, &Limits::default(), (|_, _, _| {}) as NoRows, 2);
        for piece in text.chunks(5) {
            push.push(piece);
        }
        let two = push.finish().map_err(|e| e.to_string());
        assert_eq!(two, one);
        assert!(
            one.as_ref()
                .is_err_and(|e| e.contains("line 14") && e.contains("field 9")),
            "{one:?}"
        );
        // A cell over the limit, found on the tokenizer's side after records still queued.
        let limits = Limits {
            max_cell_bytes: 64,
            ..Limits::default()
        };
        let long = row(1_786_924_800, "1", &"y".repeat(200), "key_d", "");
        let err = same_both_ways(&export("", 700, &long), &limits).expect_err("a long cell");
        assert!(err.contains("line 714"), "{err}");
    }
}
