//! The second core for a large delimited input (native builds only): the caller's thread reads
//! the input and tokenizes it (csv_core, line numbers), and hands the records over in blocks, in
//! input order, to one thread that reads the rows ([`super::push::Rows`]: header search, cells,
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

use super::push::Rows;
use crate::error::{Error, Position, Result};
use crate::ingest::Batch;

/// Records in a block: large enough that handing a block over costs nothing next to reading
/// it, small enough that the blocks in flight stay a few MiB.
pub(super) const BLOCK_RECORDS: usize = 8192;

/// Blocks queued for the rows' thread before the tokenizer waits.
const IN_FLIGHT: usize = 2;

/// Records back to back: their fields' bytes, field ends (relative to the record) and lines.
#[derive(Default)]
struct Block {
    bytes: Vec<u8>,
    ends: Vec<usize>,
    /// Per record: its line, and where its bytes and field ends stop in the vectors above.
    records: Vec<(u64, usize, usize)>,
}

impl Block {
    fn clear(&mut self) {
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
    let (mut bytes_from, mut ends_from) = (0, 0);
    for &(line, bytes_to, ends_to) in &block.records {
        let bytes = block.bytes.get(bytes_from..bytes_to).unwrap_or(&[]);
        let ends = block.ends.get(ends_from..ends_to).unwrap_or(&[]);
        rows.record(line, bytes, ends)?;
        (bytes_from, ends_from) = (bytes_to, ends_to);
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
    pub(super) fn record(&mut self, line: u64, bytes: &[u8], ends: &[usize]) -> Result<()> {
        if self.failed.load(Ordering::Relaxed) || self.thread.is_none() {
            return Err(self.stopped());
        }
        let block = &mut self.block;
        // Field ends are kept relative to the record: the rows read each record on its own.
        block.bytes.extend_from_slice(bytes);
        block.ends.extend_from_slice(ends);
        block
            .records
            .push((line, block.bytes.len(), block.ends.len()));
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
