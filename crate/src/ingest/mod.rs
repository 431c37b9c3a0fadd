//! Ingest: bytes of a page or file → a [`Batch`] of records → merged into the [`Inventory`].
//!
//! The input's format is detected from its content, never its file name: JSON (an Admin API
//! list or object, or Key Roster's own report), HTML (a live or saved platform page), MHTML
//! (Chrome's single-file save, unwrapped to its HTML page), or delimited text (CSV/TSV, Key
//! Roster's own exports, edited spreadsheets, usage exports). Binary inputs are named for what
//! they are ([`sniff`]); workbooks are read sheet by sheet where the `workbook` feature is on.
//! Every input, read or refused, is also swept for full secrets ([`sweep`]), and reading is
//! bounded ([`limits`]).
//! Readers only read: they never judge (that is `crate::analyze`), and they never keep a full
//! secret (see [`crate::secret`]).

pub mod csv;
pub mod dates;
pub mod depth;
pub mod feed;
pub mod html;
pub mod json;
pub mod limits;
pub mod merge;
pub mod mhtml;
pub mod previous;
pub mod providers;
mod saved;
pub mod sniff;
pub mod sweep;
pub mod table;
pub mod text;
#[cfg(feature = "workbook")]
pub mod workbook;

pub use feed::Feed;
pub use previous::Previous;

use jiff::civil::Date;
use serde::Serialize;

use crate::error::{Error, Position, Result};
use crate::ingest::limits::Limits;
use crate::model::{AuditEvent, ExposedSecret, Inventory, Key, Member, Project, Source, UsageRow};

/// What a reader knows about the input besides its bytes.
#[derive(Debug, Clone)]
pub struct Context {
    /// The file name, or the page's URL for a live page: used in sources and error messages.
    pub name: String,
    /// "Today", for relative dates such as `3 days ago`.
    pub as_of: Date,
    /// The live page's URL, when the extension read it (a saved page carries its own).
    pub url: Option<String>,
    /// The live page's title, when known.
    pub title: Option<String>,
}

impl Context {
    pub fn new(name: impl Into<String>, as_of: Date) -> Self {
        Context {
            name: name.into(),
            as_of,
            url: None,
            title: None,
        }
    }
}

/// What one input yielded, before merging.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Batch {
    /// What the input was recognized as, e.g. `html:project-api-keys`, `csv:keys`.
    pub kind: String,
    pub url: Option<String>,
    pub org: Option<String>,
    pub keys: Vec<Key>,
    pub members: Vec<Member>,
    /// True when the input is a member list (even an empty one).
    pub members_list: bool,
    pub projects: Vec<Project>,
    pub usage: Vec<UsageRow>,
    pub events: Vec<AuditEvent>,
    pub exposed: Vec<ExposedSecret>,
    pub warnings: Vec<String>,
    /// What the input showed against what it could have shown, when it said.
    pub seen: Option<crate::model::Seen>,
    /// The days a usage report covered (providers with no last-used date).
    pub usage_windows: Vec<crate::model::UsageWindow>,
}

impl Batch {
    /// Records read: keys, members, projects, usage rows and events.
    pub fn records(&self) -> usize {
        self.keys.len()
            + self.members.len()
            + self.projects.len()
            + self.usage.len()
            + self.events.len()
    }
}

/// The formats an input can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Html,
    /// A MIME `multipart/related` page archive (`.mhtml`, `.mht`).
    Mhtml,
    Delimited,
}

/// Guesses the format from the first non-blank characters of the decoded text. The one place
/// content is sniffed: inputs, previous audits and policy files (JSON or TOML) all ask here.
pub fn detect(text: &str) -> Format {
    let head = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if head.starts_with('{') {
        return Format::Json;
    }
    // A JSON array opens with values (`[{`, `[[{`, `["`, `[]`); a TOML table header with a name
    // (`[thresholds]`, `[[mute]]`).
    if head.starts_with('[') {
        let first = head.trim_start_matches(|c: char| c == '[' || c.is_whitespace());
        if first.is_empty()
            || first.starts_with(['{', '"', ']', '-'])
            || first.starts_with(|c: char| c.is_ascii_digit())
        {
            return Format::Json;
        }
    }
    // A delimited file never starts with a tag; a page or fragment (`<section>`, `<!-- saved
    // from url=… -->`, `<table>`) always does.
    let mut chars = head.chars();
    if chars.next() == Some('<')
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '!')
    {
        return Format::Html;
    }
    if mhtml::is_mhtml(head) {
        return Format::Mhtml;
    }
    Format::Delimited
}

/// Reads one input into a [`Batch`], under the default [`Limits`].
pub fn read(ctx: &Context, bytes: &[u8]) -> Result<Batch> {
    read_with(ctx, bytes, &Limits::default(), &mut Vec::new())
}

/// Reads one input under `limits`. Secrets found where the batch cannot carry them (inside a
/// workbook that cannot be read) are added to `swept`.
pub fn read_with(
    ctx: &Context,
    bytes: &[u8],
    limits: &Limits,
    swept: &mut Vec<ExposedSecret>,
) -> Result<Batch> {
    limits.check_input(&ctx.name, bytes.len())?;
    let utf16 = bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || text::sniff_utf16(bytes).is_some();
    if let Some(kind) = sniff::binary(bytes).filter(|_| !utf16) {
        #[cfg(feature = "workbook")]
        if kind.is_workbook() {
            return workbook::read(ctx, bytes, limits, swept);
        }
        let _ = &swept;
        return Err(Error::input(
            &ctx.name,
            Position::default(),
            format!("{}; {}", kind.describe(), kind.advice()),
        ));
    }
    let text = text::decode(&ctx.name, bytes)?;
    match detect(&text) {
        Format::Json => {
            limits.check_json(&ctx.name, &text)?;
            json::read(ctx, &text)
        }
        Format::Html => html::read_within(ctx, &text, limits),
        Format::Mhtml => {
            let page = mhtml::extract(&ctx.name, &text)?;
            // The archive's Content-Location is the saved page's URL, as a live page's is.
            let mut ctx = ctx.clone();
            ctx.url = ctx.url.or(page.url);
            let mut batch = html::read_within(&ctx, &page.html, limits)?;
            batch.warnings.extend(page.warnings);
            Ok(batch)
        }
        Format::Delimited => csv::read_with(ctx, &text, limits),
    }
}

/// How much of a stream [`read_stream`] looks at to tell its format.
const SNIFF: u64 = 8 * 1024;

/// True when the first bytes of a stream say it is delimited UTF-8 text, which
/// [`Inventory::ingest_stream`] reads record by record in bounded memory. Anything else
/// (pages, JSON, MHTML, UTF-16, binary formats) is read whole, as [`read_with`] reads it.
pub fn streams_as_delimited(head: &[u8]) -> bool {
    let utf16 = head.starts_with(&[0xFF, 0xFE])
        || head.starts_with(&[0xFE, 0xFF])
        || text::sniff_utf16(head).is_some();
    if utf16 || head.contains(&0) || sniff::binary(head).is_some() {
        return false;
    }
    let valid = match std::str::from_utf8(head) {
        Ok(t) => t,
        // A multi-byte character cut by the end of the head is still text.
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or("")
        }
        Err(_) => return false,
    };
    detect(valid) == Format::Delimited && !csv::provider_export(head)
}

/// What reading one input added to the roster ([`Inventory::add`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Added {
    pub source: Source,
    /// Keys this input mentions, new or already in the roster.
    pub keys_in_input: usize,
    /// Keys in the roster after reading it.
    pub roster_keys: usize,
}

impl Added {
    /// What `source`, just merged into `inv`, added. The keys it mentions are those that list it
    /// among their sources, except in Key Roster's own keys export (CSV or workbook), whose keys
    /// keep the sources they were first read from (so the export reads back as the same keys):
    /// there every record is a key.
    pub fn new(inv: &Inventory, source: Source) -> Added {
        let keys_in_input = if source.kind == "csv:keyroster-keys" {
            source.records
        } else {
            let name = &source.name;
            inv.keys.iter().filter(|k| k.sources.contains(name)).count()
        };
        Added {
            source,
            keys_in_input,
            roster_keys: inv.keys.len(),
        }
    }
}

impl Inventory {
    /// Reads one input and merges what it holds. An unreadable input is recorded in
    /// [`Inventory::sources`] with its error; the inventory keeps everything else.
    /// Returns the source entry for this input.
    ///
    /// Whatever the input is and whether or not it can be read, every full secret in it is
    /// recorded as an [`ExposedSecret`] (redacted): a refused notes file or `.env` still warns.
    pub fn ingest(&mut self, ctx: &Context, bytes: &[u8]) -> &Source {
        self.ingest_with(ctx, bytes, &Limits::default())
    }

    /// [`Inventory::ingest`] under other [`Limits`] (the CLI's `--max-input-mb`).
    pub fn ingest_with(&mut self, ctx: &Context, bytes: &[u8], limits: &Limits) -> &Source {
        let ctx = self.scrub_context(ctx);
        self.ingest_clean(&ctx, bytes, limits)
    }

    /// [`Inventory::ingest_with`] from a byte stream (what the CLI does with files): delimited
    /// UTF-8 text is read record by record in bounded memory ([`Feed`], every
    /// record scanned for secrets as it passes); anything else is read whole, up to the size
    /// limit, and goes the way of [`Inventory::ingest_with`].
    pub fn ingest_stream(
        &mut self,
        ctx: &Context,
        mut input: impl std::io::Read,
        limits: &Limits,
    ) -> &Source {
        let mut feed = Feed::new(ctx, limits);
        let mut buf = vec![0; 64 * 1024];
        loop {
            match input.read(&mut buf) {
                Ok(0) => return feed.finish(self),
                Ok(n) => feed.push(buf.get(..n).unwrap_or(&[])),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return feed.fail(self, &format!("cannot read: {e}")),
            }
        }
    }

    fn scrub_context(&mut self, ctx: &Context) -> Context {
        let (clean, exposed) = scrub_context(ctx);
        self.exposed.extend(exposed);
        clean
    }

    fn ingest_clean(&mut self, ctx: &Context, bytes: &[u8], limits: &Limits) -> &Source {
        feed::ingest_whole(self, ctx, bytes, limits)
    }

    /// Reads one input like [`Inventory::ingest`] and says what it added: the source entry and
    /// how many of the roster's keys this input mentions (new or already known), which is what a
    /// user reading file after file wants to see.
    pub fn add(&mut self, ctx: &Context, bytes: &[u8]) -> Added {
        let source = self.ingest(ctx, bytes).clone();
        Added::new(self, source)
    }

    /// Records an input as read: a page or file read again (the popup on the same page, a file
    /// dropped twice) replaces its earlier entry rather than being listed twice.
    pub fn record_source(&mut self, source: Source) {
        self.sources.retain(|s| s.name != source.name);
        self.sources.push(source);
    }
}

/// The input's name and URL are shown in sources, findings and every export: a full secret in
/// them (a file named after a key, `?key=sk-…` in a URL) is redacted first and reported like one
/// in the content.
fn scrub_context(ctx: &Context) -> (Context, Vec<ExposedSecret>) {
    let (name, in_name) = crate::secret::scrub(&ctx.name);
    let (url, in_url) = ctx.url.as_deref().map(crate::secret::scrub).unzip();
    let (title, in_title) = ctx.title.as_deref().map(crate::secret::scrub).unzip();
    let dirty = |f: &Option<Vec<String>>| f.as_ref().is_some_and(|f| !f.is_empty());
    if in_name.is_empty() && !dirty(&in_url) && !dirty(&in_title) {
        return (ctx.clone(), Vec::new());
    }
    let mut clean = ctx.clone();
    clean.name = name;
    clean.url = url;
    clean.title = title;
    let exposed = in_name
        .into_iter()
        .map(|r| (r, "file name"))
        .chain(in_url.into_iter().flatten().map(|r| (r, "page URL")))
        .chain(in_title.into_iter().flatten().map(|r| (r, "page title")))
        .map(|(redacted, location)| ExposedSecret {
            source: clean.name.clone(),
            location: location.to_string(),
            kind: crate::secret::kind_from_value(&redacted),
            redacted,
        })
        .collect();
    (clean, exposed)
}

#[cfg(test)]
mod tests {
    use super::{detect, Format};

    #[test]
    fn json_arrays_are_told_from_toml_tables() {
        for json in [
            "{\"a\": 1}",
            "[]",
            "[ {\"object\": \"list\"} ]",
            "[[{\"a\":1}]]",
            "\u{feff}[\"x\"]",
            "[-1]",
        ] {
            assert_eq!(detect(json), Format::Json, "{json}");
        }
        for toml in [
            "[thresholds]\nunused_days = 60",
            "[[mute]]\nkey = \"k\"",
            "[ rules.unused ]",
        ] {
            assert_ne!(detect(toml), Format::Json, "{toml}");
        }
        assert_eq!(detect("<!-- saved from url=(0050) -->"), Format::Html);
        assert_eq!(detect("key_id,key_name\n"), Format::Delimited);
    }
}
