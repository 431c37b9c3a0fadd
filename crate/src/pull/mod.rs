//! `keyroster pull`: fetches the Admin API responses an audit reads, from OpenAI or Anthropic,
//! into a folder that `keyroster audit DIR` then reads like any saved files. This is the only
//! code in the crate that makes a request, and it is compiled only with the `pull` feature (the
//! CLI's); the browser build has no HTTP client in it at all.
//!
//! Every response is written as it came, one file per endpoint and page
//! (`openai-proj_abc-api_keys-p001.json`: the project id in the name is how the JSON reader
//! knows a key list's project), beside `pull.json`, the [`Manifest`]: when, from where, every
//! endpoint with its pages, records and files, and each one that failed and why. A failed
//! endpoint does not stop the pull (a `401`, or an API that cannot be reached, does: no endpoint
//! would answer); what was fetched is written and the manifest marks the rest missing, which
//! `audit` reports ([`folder`]).
//!
//! Provider knowledge (paths, parameters, paging) lives in [`openai`] and [`anthropic`]; the
//! paging loop and the files here; `pull.json` in [`manifest`]; the network's manners in
//! [`http`]; the key in [`key`].
//! Errors are [`PullError`], a sentence for the person running the job: network failures are
//! not input errors with a position, so they stay out of the library's [`crate::Error`].

pub mod anthropic;
pub mod folder;
pub mod http;
pub mod key;
pub mod manifest;
pub mod openai;

use std::fmt;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use http::Patience;
pub use key::AdminKey;
pub use manifest::{EndpointRecord, Feeds, Manifest, Status};

/// The manifest's file name in a pull folder.
pub const MANIFEST: &str = "pull.json";
/// The most pages read from one endpoint: a server that never stops saying `has_more` is a bug,
/// not an organization.
const MAX_PAGES: usize = 10_000;

/// A provider whose Admin API can be pulled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    #[serde(rename = "openai")]
    OpenAi,
    Anthropic,
}

impl Provider {
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::OpenAi => "openai",
            Provider::Anthropic => "anthropic",
        }
    }
    /// The environment variable the admin key is read from.
    pub fn key_var(self) -> &'static str {
        match self {
            Provider::OpenAi => "OPENAI_ADMIN_KEY",
            Provider::Anthropic => "ANTHROPIC_ADMIN_KEY",
        }
    }
    /// The API's root, which `--base-url` replaces.
    pub fn base_url(self) -> &'static str {
        match self {
            Provider::OpenAi => openai::BASE_URL,
            Provider::Anthropic => anthropic::BASE_URL,
        }
    }
}

/// A pull that could not start, or could not write what it fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullError(String);

impl PullError {
    pub fn new(message: impl Into<String>) -> Self {
        PullError(message.into())
    }
}

impl fmt::Display for PullError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PullError {}

/// What to pull, from where, into where.
#[derive(Debug)]
pub struct Options {
    pub provider: Provider,
    pub out: PathBuf,
    /// The first day of usage and costs.
    pub since: Date,
    /// The API root (default: the provider's); `http://` only to this machine.
    pub base_url: Option<String>,
    pub patience: Patience,
    /// Draw a progress bar on stderr (the caller checks that stderr is a terminal).
    pub progress: bool,
}

/// How an endpoint pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// A list: `has_more` and `last_id`, the next page asked for with this parameter
    /// (`after` for OpenAI, `after_id` for Anthropic).
    AfterLastId(&'static str),
    /// A report: `has_more` and `next_page`, asked for with `page`.
    NextPage,
}

/// One endpoint to list to the end.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// The path under the API root, `/organization/users`.
    pub path: String,
    pub query: Vec<(String, String)>,
    /// The files' stem: pages are `{file}-p001.json`, `{file}-p002.json`, …
    pub file: String,
    /// What it lists, in words: "organization users".
    pub what: String,
    pub feeds: Feeds,
    pub paging: Paging,
}

impl Endpoint {
    /// A list of `feeds`: `limit=100` (the largest page both providers' lists serve, their keys
    /// lists aside) and the `extra` parameters, paged as the provider's lists page.
    pub(super) fn list(
        paging: Paging,
        path: &str,
        file: &str,
        what: &str,
        feeds: Feeds,
        extra: &[(&str, &str)],
    ) -> Endpoint {
        let query = [&[("limit", "100")], extra].concat();
        Endpoint::new(path, file, what, feeds, &query, paging)
    }

    /// A report of daily usage (or cost) buckets: exactly `query`, paged by `next_page`.
    pub(super) fn report(path: &str, file: &str, what: &str, query: &[(&str, &str)]) -> Endpoint {
        Endpoint::new(path, file, what, Feeds::DailyUsage, query, Paging::NextPage)
    }

    fn new(
        path: &str,
        file: &str,
        what: &str,
        feeds: Feeds,
        query: &[(&str, &str)],
        paging: Paging,
    ) -> Endpoint {
        Endpoint {
            path: path.into(),
            query: query
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            file: file.into(),
            what: what.into(),
            feeds,
            paging,
        }
    }

    pub fn label(&self) -> String {
        format!("GET {}", self.path)
    }
}

/// Pulls everything the audit reads into `opts.out` (which must be new or empty) and writes
/// `pull.json`. Returns the manifest, complete or not; `Err` only when nothing useful could be
/// done (no folder, a bad base URL, an unwritable file).
pub fn run(opts: &Options, key: AdminKey) -> Result<Manifest, PullError> {
    let base = opts
        .base_url
        .clone()
        .unwrap_or_else(|| opts.provider.base_url().to_string());
    http::check_base_url(&base).map_err(PullError::new)?;
    prepare_folder(&opts.out)?;
    let started_at = now();
    let client = http::Client::new(opts.provider, &base, key, opts.patience);
    let mut puller = Puller {
        client,
        out: opts.out.clone(),
        prefix: opts.provider.as_str(),
        records: Vec::new(),
        stopped: None,
        fatal: None,
        bar: progress_bar(opts.progress),
    };
    match opts.provider {
        Provider::OpenAi => openai::pull(&mut puller, opts.since),
        Provider::Anthropic => anthropic::pull(&mut puller, opts.since),
    }
    puller.bar.finish_and_clear();
    if let Some(e) = puller.fatal.take() {
        return Err(e);
    }
    let missing: Vec<String> = puller
        .records
        .iter()
        .filter(|r| r.status != Status::Complete)
        .map(|r| r.endpoint.clone())
        .collect();
    let manifest = Manifest {
        provider: opts.provider,
        base_url: base,
        key: puller.client.key().redacted(),
        started_at,
        finished_at: now(),
        since: opts.since,
        complete: missing.is_empty(),
        missing,
        endpoints: puller.records,
    };
    let mut json = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| PullError::new(format!("cannot write {MANIFEST}: {e}")))?;
    json.push(b'\n');
    write_file(&opts.out.join(MANIFEST), &json)?;
    Ok(manifest)
}

/// The paging loop and its bookkeeping, which the providers' plans drive.
pub struct Puller {
    client: http::Client,
    out: PathBuf,
    prefix: &'static str,
    records: Vec<EndpointRecord>,
    /// Why the pull stopped early (a `401`, an unreachable API): every endpoint after it is
    /// skipped with this.
    stopped: Option<String>,
    /// A file could not be written: nothing more is fetched and the pull fails.
    fatal: Option<PullError>,
    bar: indicatif::ProgressBar,
}

impl Puller {
    /// Lists `ep` to its last page, writing each page. True when it was fetched whole (else its
    /// record says why).
    pub fn list(&mut self, ep: &Endpoint) -> bool {
        self.fetch(ep, false).is_some()
    }

    /// [`Puller::list`], keeping every item of every page (a list others are asked per item of:
    /// projects, workspaces); `None` when it was not fetched whole.
    pub fn list_items(&mut self, ep: &Endpoint) -> Option<Vec<Value>> {
        self.fetch(ep, true)
    }

    fn fetch(&mut self, ep: &Endpoint, keep: bool) -> Option<Vec<Value>> {
        if let Some(why) = self.stopped.clone() {
            self.skip(ep, &why);
            return None;
        }
        if self.fatal.is_some() {
            return None;
        }
        let mut record = EndpointRecord {
            endpoint: ep.label(),
            lists: ep.what.clone(),
            feeds: ep.feeds,
            status: Status::Complete,
            pages: 0,
            records: 0,
            files: Vec::new(),
            error: None,
        };
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        let failure = loop {
            let page = record.pages + 1;
            if page > MAX_PAGES {
                break Some(format!(
                    "{}: still more pages after {MAX_PAGES}; stopped there",
                    ep.label()
                ));
            }
            self.bar.set_message(format!("{} page {page}", ep.label()));
            self.bar.tick();
            let mut query = ep.query.clone();
            if let Some(c) = &cursor {
                let param = match ep.paging {
                    Paging::AfterLastId(p) => p,
                    Paging::NextPage => "page",
                };
                query.push((param.to_string(), c.clone()));
            }
            let bar = self.bar.clone();
            let mut on_wait = |msg: &str| bar.set_message(msg.to_string());
            let body = match self.client.get(&ep.path, &query, &ep.what, &mut on_wait) {
                Ok(b) => b,
                Err(http::Failure::Stop(why)) => {
                    self.stopped = Some(format!("not asked: the pull stopped at {why}"));
                    break Some(why);
                }
                Err(http::Failure::Endpoint(why)) => break Some(why),
            };
            let name = format!("{}-{}-p{page:03}.json", self.prefix, ep.file);
            if let Err(e) = write_file(&self.out.join(&name), &body) {
                self.fatal = Some(e);
                return None;
            }
            record.pages = page;
            record.files.push(name.clone());
            let doc: Value = match serde_json::from_slice(&body) {
                Ok(v) => v,
                Err(e) => {
                    break Some(format!(
                        "{}: page {page} ({name}) is not JSON: {e}",
                        ep.label()
                    ))
                }
            };
            let data = doc
                .get("data")
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice);
            record.records += data
                .iter()
                .map(|d| {
                    d.get("results")
                        .and_then(Value::as_array)
                        .map_or(1, Vec::len)
                })
                .sum::<usize>();
            if keep {
                items.extend(data.iter().cloned());
            }
            match next_cursor(&doc, ep.paging) {
                Ok(None) => break None,
                Ok(Some(next)) if cursor.as_deref() == Some(next.as_str()) => {
                    break Some(format!(
                        "{}: page {page} points to itself as the next page ({next}); stopped",
                        ep.label()
                    ))
                }
                Ok(Some(next)) => cursor = Some(next),
                Err(why) => break Some(format!("{}: page {page}: {why}", ep.label())),
            }
        };
        if let Some(why) = failure {
            record.status = Status::Failed;
            record.error = Some(self.client.key().scrub(&why));
        }
        let complete = record.status == Status::Complete;
        self.records.push(record);
        complete.then_some(items)
    }

    /// Records `ep` as not asked, because of `why`.
    pub fn skip(&mut self, ep: &Endpoint, why: &str) {
        self.records.push(EndpointRecord {
            endpoint: ep.label(),
            lists: ep.what.clone(),
            feeds: ep.feeds,
            status: Status::Skipped,
            pages: 0,
            records: 0,
            files: Vec::new(),
            error: Some(why.to_string()),
        });
    }
}

/// The cursor of the next page, `None` on the last page.
fn next_cursor(doc: &Value, paging: Paging) -> Result<Option<String>, String> {
    if doc.get("has_more").and_then(Value::as_bool) != Some(true) {
        return Ok(None);
    }
    let field = match paging {
        Paging::AfterLastId(_) => "last_id",
        Paging::NextPage => "next_page",
    };
    match doc.get(field).and_then(Value::as_str) {
        Some(c) if !c.is_empty() => Ok(Some(c.to_string())),
        _ => Err(format!(
            "has_more is true but {field} is missing, so the next page cannot be asked for"
        )),
    }
}

/// Makes `dir` (private to its owner: the responses hold names and emails), or accepts it when
/// it exists and is empty: pages of an older pull in the same folder would be audited with
/// this one's.
fn prepare_folder(dir: &Path) -> Result<(), PullError> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(PullError::new(format!(
                    "{} is not empty: pull into a new or empty folder (a dated one such as \
                     pulls/2026-11-22), so no page of an older pull is audited with this one",
                    dir.display()
                )));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder
                .create(dir)
                .map_err(|e| PullError::new(format!("cannot create {}: {e}", dir.display())))
        }
        Err(e) => Err(PullError::new(format!(
            "cannot use {} as the pull folder: {e}",
            dir.display()
        ))),
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), PullError> {
    std::fs::write(path, bytes)
        .map_err(|e| PullError::new(format!("cannot write {}: {e}", path.display())))
}

fn now() -> String {
    jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .map_or_else(|_| jiff::Timestamp::now().to_string(), |t| t.to_string())
}

/// A spinner naming the endpoint and page being fetched, on stderr; hidden when not wanted.
fn progress_bar(show: bool) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// Midnight UTC at the start of `day`, in Unix seconds.
fn unix_start(day: Date) -> i64 {
    day.to_zoned(jiff::tz::TimeZone::UTC)
        .map_or(0, |z| z.timestamp().as_second())
}
