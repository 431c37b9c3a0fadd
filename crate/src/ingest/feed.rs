//! One input fed in chunks ([`Feed`]): how the CLI reads a file and the browser's worker reads a
//! `File`, without holding a large export whole. The first bytes tell the format; delimited
//! UTF-8 text goes record by record through [`csv::Push`], anything else (pages, JSON, MHTML,
//! UTF-16, workbooks) is kept whole up to the size limit and read like any input. Nothing reaches
//! the inventory before [`Feed::finish`]: a feed dropped half way (the user cancelled) leaves the
//! roster as it was. Also here: [`Inventory::add_page`], the popup's whole-page read.

use super::{csv, merge, read_with, streams_as_delimited, sweep, Added, Batch, Context, SNIFF};
use crate::error::{Error, Position};
use crate::ingest::limits::Limits;
use crate::model::{ExposedSecret, Inventory, Source};

/// The row callback a feed's CSV reader runs: none (see [`csv::read_each`] for one that does).
type NoRows = fn(&[String], &[&str], &mut Batch);

/// An input being fed; see the module's `//!`.
pub struct Feed {
    /// The context with any secret in its name, URL or title redacted, and those secrets.
    ctx: Context,
    exposed: Vec<ExposedSecret>,
    limits: Limits,
    state: State,
    bytes: u64,
}

enum State {
    /// Fewer than [`SNIFF`] bytes so far: the format is not known yet.
    Sniffing(Vec<u8>),
    Delimited(Box<csv::Push<NoRows>>),
    /// Tokenized by another worker, which sends the records in blocks ([`Feed::from_blocks`]).
    Blocks(Box<csv::BlockReader>),
    /// Held whole, at most one byte over the size limit (enough to be refused for its size).
    Whole(Vec<u8>),
}

impl Feed {
    pub fn new(ctx: &Context, limits: &Limits) -> Feed {
        let (ctx, exposed) = super::scrub_context(ctx);
        Feed {
            ctx,
            exposed,
            limits: *limits,
            state: State::Sniffing(Vec::new()),
            bytes: 0,
        }
    }

    /// An input whose records another worker tokenizes ([`csv::Splitter`]) and sends here in
    /// blocks ([`Feed::push_block`]): it joins the inventory as [`Feed::new`]'s would.
    pub fn from_blocks(ctx: &Context, limits: &Limits) -> Feed {
        let mut feed = Feed::new(ctx, limits);
        feed.state = State::Blocks(Box::new(csv::BlockReader::new(&feed.ctx, limits)));
        feed
    }

    /// The next block of a [`Feed::from_blocks`] input (ignored by any other).
    pub fn push_block(&mut self, block: &[u8]) {
        if let State::Blocks(blocks) = &mut self.state {
            blocks.push(block);
        }
    }

    /// The input's name as it is recorded (secrets in it redacted).
    pub fn name(&self) -> &str {
        &self.ctx.name
    }

    /// Hands the next bytes of the input over.
    pub fn push(&mut self, chunk: &[u8]) {
        self.bytes += chunk.len() as u64;
        match &mut self.state {
            State::Delimited(push) => push.push(chunk),
            // Blocks come through `push_block`, never as bytes of the input.
            State::Blocks(_) => {}
            State::Whole(bytes) => keep(bytes, chunk, &self.limits),
            State::Sniffing(head) => {
                head.extend_from_slice(chunk);
                if head.len() >= SNIFF as usize {
                    self.decide();
                }
            }
        }
    }

    /// Bytes fed so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Data rows read so far (delimited text only: other inputs are read at the end).
    pub fn rows(&self) -> u64 {
        match &self.state {
            State::Delimited(push) => push.rows(),
            State::Blocks(blocks) => blocks.rows(),
            _ => 0,
        }
    }

    /// Sends the bytes held while sniffing where the format says.
    fn decide(&mut self) {
        let State::Sniffing(head) = &mut self.state else {
            return;
        };
        let head = std::mem::take(head);
        self.state = if streams_as_delimited(&head) {
            // Held in memory is one record and the usage buckets, whatever the input's size:
            // the size and record-count limits bound inputs held whole, not this one.
            let streamed = Limits {
                max_records: usize::MAX,
                ..self.limits
            };
            let no_rows = (|_, _, _| {}) as NoRows;
            // Native builds read the rows on a second core while this thread tokenizes (the
            // same batch either way: csv/relay.rs); wasm has one thread.
            #[cfg(not(target_arch = "wasm32"))]
            let push = csv::Push::threaded(&self.ctx, &streamed, no_rows);
            #[cfg(target_arch = "wasm32")]
            let push = csv::Push::new(&self.ctx, &streamed, no_rows);
            let mut push = Box::new(push);
            push.push(&head);
            State::Delimited(push)
        } else {
            let mut bytes = Vec::new();
            keep(&mut bytes, &head, &self.limits);
            State::Whole(bytes)
        };
    }

    /// The end of the input: what it holds is merged into `inv`, or its error recorded there.
    pub fn finish(mut self, inv: &mut Inventory) -> &Source {
        self.decide();
        inv.exposed.extend(self.exposed);
        let ctx = self.ctx;
        let read = match self.state {
            State::Delimited(push) => push.finish(),
            State::Blocks(blocks) => blocks.finish(),
            State::Whole(bytes) => return ingest_whole(inv, &ctx, &bytes, &self.limits),
            State::Sniffing(_) => unreachable_state(&ctx),
        };
        match read {
            Ok(batch) => merge::merge(inv, &ctx.name, batch),
            Err(e) => inv.record_source(failed(&ctx, e)),
        }
        merge::link(inv);
        inv.sources.last().expect("a source was just pushed")
    }

    /// [`Feed::finish`], saying what the input added (see [`Inventory::add`]).
    pub fn finish_added(self, inv: &mut Inventory) -> Added {
        let source = self.finish(inv).clone();
        Added::new(inv, source)
    }

    /// Ends the feed with a read error (an I/O error of the stream): recorded like any refused
    /// input.
    pub fn fail<'a>(self, inv: &'a mut Inventory, message: &str) -> &'a Source {
        inv.exposed.extend(self.exposed);
        let e = Error::input(&self.ctx.name, Position::default(), message);
        inv.record_source(failed(&self.ctx, e));
        merge::link(inv);
        inv.sources.last().expect("a source was just pushed")
    }
}

/// Appends to an input held whole, up to one byte past the size limit.
fn keep(bytes: &mut Vec<u8>, chunk: &[u8], limits: &Limits) {
    let room = (limits.max_input_bytes + 1).saturating_sub(bytes.len());
    bytes.extend_from_slice(chunk.get(..room.min(chunk.len())).unwrap_or(&[]));
}

/// `decide` always leaves sniffing; kept as an error rather than a panic.
fn unreachable_state(ctx: &Context) -> crate::error::Result<Batch> {
    Err(Error::input(
        &ctx.name,
        Position::default(),
        "internal error: the input's format was never decided",
    ))
}

fn failed(ctx: &Context, e: Error) -> Source {
    Source {
        name: ctx.name.clone(),
        kind: "unknown".into(),
        error: Some(e.to_string()),
        url: ctx.url.clone(),
        ..Source::default()
    }
}

/// An input held whole: swept for secrets, read, merged (or refused), as
/// [`Inventory::ingest_with`] does.
pub(super) fn ingest_whole<'a>(
    inv: &'a mut Inventory,
    ctx: &Context,
    bytes: &[u8],
    limits: &Limits,
) -> &'a Source {
    ingest_whole_by(inv, ctx, bytes, limits, sweep::sweep, |swept| {
        read_with(ctx, bytes, limits, swept)
    })
}

impl Inventory {
    /// A live page as the extension's popup reads it: the tab's HTML, read as a page and never
    /// tried as JSON, MHTML or delimited text, and swept for secrets like any input. What the
    /// popup's module calls instead of [`Inventory::add`], so the file readers stay out of it.
    pub fn add_page(&mut self, ctx: &Context, bytes: &[u8]) -> Added {
        self.add_live(ctx, bytes, super::html::read_within)
    }

    /// A live page with its DOM as the browser parsed it (see [`super::html::dom`]): the same
    /// result as [`Inventory::add_page`] on its HTML, without parsing the HTML again. The HTML
    /// (`bytes`) is still what the limits measure and the secret sweep reads, line by line.
    pub fn add_dom(&mut self, ctx: &Context, bytes: &[u8], dom: &str) -> Added {
        self.add_live(ctx, bytes, |ctx, text, limits| {
            // Measured as built, as the fast parse measures a page: no pre-scan of the HTML.
            let (doc, shape) = super::html::dom::build(&ctx.name, dom)?;
            limits.check_shape(&ctx.name, shape)?;
            super::html::read_parsed(ctx, text, &doc)
        })
    }

    /// A live page from its HTML alone, when the fast reader takes it ([`super::html::fast`]: a
    /// well-formed page, as a live page's serialization is): the same result as
    /// [`Inventory::add_dom`] on the same page. `None` when the fast reader declines, with nothing
    /// recorded: the caller then reads the page's DOM and calls `add_dom`. What the popup tries
    /// first: serializing a page (`outerHTML`) is native code in the browser, several times faster
    /// than the walk that writes the DOM's flat form.
    pub fn add_html(&mut self, ctx: &Context, bytes: &[u8]) -> Option<Added> {
        let limits = Limits::default();
        // A page from JS is always UTF-8; anything else is left to the DOM's reading. (The fast
        // reader skips a byte order mark itself.)
        let text = std::str::from_utf8(bytes).ok()?;
        // A page over the size limit is never parsed: `add_live` refuses it before reading.
        let doc = match limits.check_input(&ctx.name, bytes.len()) {
            Ok(()) => Some(super::html::fast::parse_within(text, limits.max_depth)?),
            Err(_) => None,
        };
        Some(self.add_live(ctx, bytes, |ctx, text, limits| match doc {
            Some((doc, shape)) => {
                limits.check_shape(&ctx.name, shape)?;
                super::html::read_parsed(ctx, text, &doc)
            }
            None => Err(crate::error::Error::input(
                &ctx.name,
                crate::error::Position::default(),
                "the page was not read",
            )),
        }))
    }

    /// A live page read by `read_page` (its context and text, once its size passed; the page's
    /// shape is `read_page`'s to check, by a pre-scan or as parsed).
    fn add_live(
        &mut self,
        ctx: &Context,
        bytes: &[u8],
        read_page: impl FnOnce(&Context, &str, &Limits) -> crate::error::Result<Batch>,
    ) -> Added {
        let (ctx, exposed) = super::scrub_context(ctx);
        self.exposed.extend(exposed);
        let limits = Limits::default();
        let read = |_: &mut Vec<ExposedSecret>| {
            limits.check_input(&ctx.name, bytes.len())?;
            let text = super::text::decode(&ctx.name, bytes)?;
            read_page(&ctx, &text, &limits)
        };
        let source = ingest_whole_by(self, &ctx, bytes, &limits, sweep::sweep_page, read).clone();
        Added::new(self, source)
    }
}

/// [`ingest_whole`] with the sweep and the reader given (`read` may add to the secrets swept).
fn ingest_whole_by<'a>(
    inv: &'a mut Inventory,
    ctx: &Context,
    bytes: &[u8],
    limits: &Limits,
    sweep: fn(&str, &[u8]) -> Vec<ExposedSecret>,
    read: impl FnOnce(&mut Vec<ExposedSecret>) -> crate::error::Result<Batch>,
) -> &'a Source {
    // An input over the size limit is refused unread, sweep included. The sweep reads only
    // the bytes: native builds run it on a second core beside the read. What the read sweeps
    // itself (a workbook's sheets) joins it after, each secret once, as if added in turn.
    let ((read, found), mut swept) = crate::beside::both_when(
        bytes.len() >= crate::beside::TWO_FROM_BYTES,
        || {
            let mut found = Vec::new();
            (read(&mut found), found)
        },
        || {
            if bytes.len() <= limits.max_input_bytes {
                sweep(&ctx.name, bytes)
            } else {
                Vec::new()
            }
        },
    );
    sweep::add_missing(&mut swept, found);
    match read {
        Ok(mut batch) => {
            sweep::add_missing(&mut batch.exposed, swept);
            merge::merge(inv, &ctx.name, batch)
        }
        Err(e) => {
            for s in swept {
                let known = inv.exposed.iter().any(|x| {
                    x.source == s.source && x.location == s.location && x.redacted == s.redacted
                });
                if !known {
                    inv.exposed.push(s);
                }
            }
            inv.record_source(failed(ctx, e))
        }
    }
    merge::link(inv);
    inv.sources.last().expect("a source was just pushed")
}
