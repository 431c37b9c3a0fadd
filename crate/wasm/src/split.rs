//! The analyzer's second worker on a large delimited file ([`Splitter`]): the full module only
//! (the popup reads pages, never files).

use keyroster::ingest::limits::Limits;
use keyroster::ingest::Context;
use wasm_bindgen::prelude::*;

use crate::usage_error;

/// The analyzer's tokenizing worker on a large delimited file: it reads the file's chunks and
/// tokenizes them into blocks of records, which the other worker's [`Roster`](crate::Roster)
/// reads ([`Roster::begin_blocks`](crate::Roster::begin_blocks)). The blocks are plain bytes: JavaScript copies each into a buffer
/// of its own ([`Splitter::copy_block`]), hands the buffer to the other worker without copying,
/// and gets it back to refill, so reading a large file leaves no garbage the size of the file.
#[wasm_bindgen]
pub struct Splitter {
    inner: Option<keyroster::ingest::csv::Splitter>,
    ready: std::collections::VecDeque<Vec<u8>>,
}

#[wasm_bindgen]
impl Splitter {
    #[wasm_bindgen(constructor)]
    pub fn new(name: &str) -> Splitter {
        // The date only dates the reader's context; the tokenizer reads no dates.
        let ctx = Context::new(name, jiff::civil::date(2000, 1, 1));
        Splitter {
            inner: Some(keyroster::ingest::csv::Splitter::new(
                &ctx,
                &Limits::default(),
            )),
            ready: Default::default(),
        }
    }

    /// Tokenizes the next chunk; returns how many blocks are ready (often none), or `undefined`
    /// when the file is not delimited text (decided from its first bytes): read it on one
    /// worker instead.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Option<usize>, JsValue> {
        let inner = self
            .inner
            .as_mut()
            .ok_or_else(|| usage_error("push after finish"))?;
        Ok(inner.push(chunk).map(|blocks| self.queue(blocks)))
    }

    /// The end of the file: returns how many blocks are ready, the end block last (or
    /// `undefined`, as for [`Splitter::push`]).
    pub fn finish(&mut self) -> Result<Option<usize>, JsValue> {
        let inner = self
            .inner
            .take()
            .ok_or_else(|| usage_error("finish called twice"))?;
        Ok(inner.finish().map(|blocks| self.queue(blocks)))
    }

    /// The length of the next block ready (0 when none is).
    pub fn block_len(&self) -> usize {
        self.ready.front().map_or(0, Vec::len)
    }

    /// Copies the next block ready into `dest`, which must be [`Splitter::block_len`] bytes
    /// long, and drops it from the queue.
    pub fn copy_block(&mut self, dest: &js_sys::Uint8Array) -> Result<(), JsValue> {
        let block = self
            .ready
            .front()
            .ok_or_else(|| usage_error("no block is ready"))?;
        if dest.length() as usize != block.len() {
            return Err(usage_error(format!(
                "copy_block: the buffer holds {} bytes, the block {}",
                dest.length(),
                block.len()
            )));
        }
        dest.copy_from(block);
        self.ready.pop_front();
        Ok(())
    }

    fn queue(&mut self, blocks: Vec<Vec<u8>>) -> usize {
        self.ready.extend(blocks);
        self.ready.len()
    }
}
