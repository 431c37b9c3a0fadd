//! Ingest: bytes of a page or file → a [`Batch`] of records → merged into the [`Inventory`].
//!
//! The input's format is detected from its content, never its file name: JSON (an Admin API
//! list or object, or Key Roster's own report), HTML (a live or saved platform page), or
//! delimited text (CSV/TSV, Key Roster's own exports, edited spreadsheets, usage exports).
//! Readers only read: they never judge (that is [`crate::analyze`]), and they never keep a full
//! secret (see [`crate::secret`]).

pub mod csv;
pub mod dates;
pub mod html;
pub mod json;
pub mod merge;
pub mod previous;
pub mod table;
pub mod text;

pub use previous::Previous;

use jiff::civil::Date;
use serde::Serialize;

use crate::error::Result;
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
    Format::Delimited
}

/// Reads one input into a [`Batch`].
pub fn read(ctx: &Context, bytes: &[u8]) -> Result<Batch> {
    let text = text::decode(&ctx.name, bytes)?;
    match detect(&text) {
        Format::Json => json::read(ctx, &text),
        Format::Html => html::read(ctx, &text),
        Format::Delimited => csv::read(ctx, &text),
    }
}

/// How much of a stream [`read_stream`] looks at to tell its format.
const SNIFF: u64 = 8 * 1024;

/// Reads one input from a byte stream (what the CLI does with files). Delimited UTF-8 text is
/// read record by record in bounded memory ([`csv::read_stream`]); pages, JSON and UTF-16 text
/// are read whole and go through [`read`]. The format is told from the first bytes.
pub fn read_stream(ctx: &Context, mut input: impl std::io::Read) -> Result<Batch> {
    use std::io::Read;
    let io = |e: std::io::Error| {
        crate::error::Error::input(&ctx.name, Default::default(), format!("cannot read: {e}"))
    };
    let mut head = Vec::new();
    (&mut input)
        .take(SNIFF)
        .read_to_end(&mut head)
        .map_err(io)?;
    let utf16 = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
    let valid = match std::str::from_utf8(&head) {
        Ok(t) => t,
        Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or(""),
    };
    let delimited = !utf16 && detect(valid) == Format::Delimited;
    let mut rest = std::io::Cursor::new(head).chain(input);
    if delimited {
        return csv::read_stream(ctx, rest);
    }
    let mut bytes = Vec::new();
    rest.read_to_end(&mut bytes).map_err(io)?;
    read(ctx, &bytes)
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

impl Inventory {
    /// Reads one input and merges what it holds. An unreadable input is recorded in
    /// [`Inventory::sources`] with its error; the inventory keeps everything else.
    /// Returns the source entry for this input.
    pub fn ingest(&mut self, ctx: &Context, bytes: &[u8]) -> &Source {
        let read = read(ctx, bytes);
        self.ingest_read(ctx, read)
    }

    /// [`Inventory::ingest`] from a byte stream ([`read_stream`]): a large CSV/TSV export is read
    /// without holding it in memory.
    pub fn ingest_stream(&mut self, ctx: &Context, input: impl std::io::Read) -> &Source {
        let read = read_stream(ctx, input);
        self.ingest_read(ctx, read)
    }

    fn ingest_read(&mut self, ctx: &Context, read: Result<Batch>) -> &Source {
        match read {
            Ok(batch) => merge::merge(self, &ctx.name, batch),
            Err(e) => self.record_source(Source {
                name: ctx.name.clone(),
                kind: "unknown".into(),
                error: Some(e.to_string()),
                url: ctx.url.clone(),
                ..Source::default()
            }),
        }
        merge::link(self);
        self.sources.last().expect("a source was just pushed")
    }

    /// Reads one input like [`Inventory::ingest`] and says what it added: the source entry and
    /// how many of the roster's keys this input mentions (new or already known), which is what a
    /// user reading file after file wants to see.
    pub fn add(&mut self, ctx: &Context, bytes: &[u8]) -> Added {
        let source = self.ingest(ctx, bytes).clone();
        let keys_in_input = self
            .keys
            .iter()
            .filter(|k| k.sources.contains(&ctx.name))
            .count();
        Added {
            source,
            keys_in_input,
            roster_keys: self.keys.len(),
        }
    }

    /// Records an input as read: a page or file read again (the popup on the same page, a file
    /// dropped twice) replaces its earlier entry rather than being listed twice.
    pub fn record_source(&mut self, source: Source) {
        self.sources.retain(|s| s.name != source.name);
        self.sources.push(source);
    }
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
