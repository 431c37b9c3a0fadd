//! Key Roster's browser facade: one opaque [`Roster`] handle that holds the Inventory, the
//! Policy and the cached Report inside wasm. JavaScript gets summaries, pages of rows and bytes
//! for downloads — never the whole key list — and every error arrives as a JS `Error` whose
//! `name` is the error's kind and whose `message` is its text ([`js_error`]).
//!
//! A crate of its own so the core (`keyroster`) knows nothing of wasm-bindgen: this file only
//! converts arguments and results; what is computed is computed in the core and tested there.
//! Its own tests (tests/facade.rs) run in headless Chromium: `make test-wasm`.
//!
//! Built twice (see the Makefile): with the `full` feature, the module www and the extension's
//! report page load; without it, the extension popup's smaller module, which reads the tab's DOM
//! ([`Inventory::add_dom`]: no HTML parser), summarizes, restores and saves the roster and exports
//! CSV. The
//! methods only the full module has are in the second `impl` block.

#![deny(clippy::unwrap_used)]

use jiff::civil::Date;
use serde::Serialize;
use wasm_bindgen::prelude::*;
#[cfg(feature = "full")]
use wasm_bindgen::JsCast;

use keyroster::export;
#[cfg(feature = "full")]
use keyroster::export::csv::CsvOptions;
#[cfg(feature = "full")]
use keyroster::ingest::{limits::Limits, Feed};
use keyroster::ingest::{Context, Previous};
use keyroster::names::Form;
use keyroster::report::{Comparison, Finding, GroupRow, Report, RuleRun, Summary};
use keyroster::view;
#[cfg(feature = "full")]
use keyroster::view::Query;
use keyroster::{analyze, Error, Inventory, Policy};

#[cfg(feature = "full")]
mod split;
#[cfg(feature = "full")]
pub use split::Splitter;

/// The one conversion of a core error into a JS `Error`.
fn js_error(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name(e.name());
    err.into()
}

/// A misuse of the facade (a bad argument from JavaScript) as a JS `Error` named `UsageError`.
fn usage_error(message: impl Into<String>) -> JsValue {
    js_error(&Error::usage(message))
}

/// The query JavaScript sent, parsed once into the core's typed [`Query`]: an unknown field,
/// sort or filter value is a `UsageError`, not a silent default.
#[cfg(feature = "full")]
fn query(value: JsValue) -> Result<Query, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Query::default());
    }
    // serde-wasm-bindgen reads a `Map` as an object without fields: it would silently be the
    // default query.
    if value.is_instance_of::<js_sys::Map>() {
        return Err(usage_error("bad query: expected a plain object, not a Map"));
    }
    serde_wasm_bindgen::from_value(value).map_err(|e| usage_error(format!("bad query: {e}")))
}

/// A value for JS as JSON text parsed on the JS side: one string across the boundary and the
/// engine's own `JSON.parse`, where serializing into JS objects directly makes a call into JS for
/// every field and string (the popup's summary of a 1,000-key page: 6.5 ms warm, several times
/// that in the popup's first, cold call). The same values either way: `None` is `null`, maps are
/// objects, numbers are numbers.
fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(v).map_err(|e| usage_error(e.to_string()))?;
    js_sys::JSON::parse(&text)
}

fn parse_date(s: &str) -> Result<Date, JsValue> {
    s.trim()
        .parse()
        .map_err(|_| usage_error(format!("as_of must be YYYY-MM-DD, not {s:?}")))
}

/// The browser's Unicode normalization (`String.prototype.normalize`), which the core's name
/// folding uses in place of unicode-normalization's tables (see `keyroster::names`).
fn browser_normalize(s: &str, form: Form) -> String {
    let js = js_sys::JsString::from(s);
    let out = match form {
        Form::Nfkc => js.normalize("NFKC"),
        Form::Nfkd => js.normalize("NFKD"),
        Form::NfkdWithoutMarks => js
            .normalize("NFKD")
            .replace_by_pattern(&js_sys::RegExp::new("\\p{M}", "gu"), ""),
    };
    out.into()
}

/// A group row without its key indexes (the UI asks for keys by page).
#[derive(Serialize)]
struct GroupOut<'a> {
    label: &'a str,
    detail: Option<&'a str>,
    owner_type: Option<&'a str>,
    keys: usize,
    active_keys: usize,
    last_used: keyroster::model::LastUsed,
    cost_usd: Option<f64>,
    findings: keyroster::report::SeverityCounts,
    /// Owner groups: organization and project roles, and membership with its source.
    roles: Option<&'a keyroster::analyze::roles::OwnerRoles>,
    /// An owner's first few keys, in the summary (the popup lists them); no other group has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    key_rows: Option<Vec<view::Row>>,
}

impl<'a> From<&'a GroupRow> for GroupOut<'a> {
    fn from(g: &'a GroupRow) -> Self {
        GroupOut {
            label: &g.label,
            detail: g.detail.as_deref(),
            owner_type: g.owner_type.as_deref(),
            keys: g.keys,
            active_keys: g.active_keys,
            last_used: g.last_used,
            cost_usd: g.cost_usd,
            findings: g.findings,
            roles: g.roles.as_ref(),
            key_rows: None,
        }
    }
}

/// An owner with its first `keys` keys, for the popup.
fn owner_out<'a>(r: &'a Report, g: &'a GroupRow, keys: usize) -> GroupOut<'a> {
    let rows = g.key_indexes.iter().take(keys);
    GroupOut {
        key_rows: Some(
            rows.filter_map(|&i| r.keys.get(i).map(|k| view::row(i, k)))
                .collect(),
        ),
        ..g.into()
    }
}

#[derive(Serialize)]
struct SummaryOut<'a> {
    as_of: Option<Date>,
    org: Option<&'a str>,
    policy: &'a str,
    summary: &'a Summary,
    sources: &'a [keyroster::model::Source],
    rules: &'a [RuleRun],
    owners: Vec<GroupOut<'a>>,
    projects: Vec<GroupOut<'a>>,
    by_owner_type: Vec<GroupOut<'a>>,
    by_risk: Vec<GroupOut<'a>>,
    /// Keys by age bucket, for the chart.
    age_buckets: Vec<(&'a str, usize)>,
    findings: Vec<&'a Finding>,
    findings_total: usize,
    comparison: Option<&'a Comparison>,
    members: usize,
    /// What the roster covers (the popup's and Summary's one line, pages to visit).
    coverage: &'a keyroster::analyze::coverage::Coverage,
    /// Usage under key ids no page read lists, highest cost first.
    unlisted_keys: &'a [keyroster::model::UnlistedKey],
}

/// What [`Roster::snapshot`] writes.
#[derive(Serialize)]
struct SnapshotOut<'a> {
    inventory: &'a Inventory,
    previous: Option<&'a Previous>,
}

/// What [`Roster::restore`] reads.
#[derive(serde::Deserialize)]
struct SnapshotIn {
    inventory: Inventory,
    #[serde(default)]
    previous: Option<Previous>,
}

/// The roster: everything read so far, the previous audit to compare with, and the report over
/// them. The report is a cache: any change drops it, and the next read rebuilds it from the
/// inventory, the policy and the previous audit together, so nothing is lost on a rebuild.
#[wasm_bindgen]
pub struct Roster {
    inv: Inventory,
    policy: Policy,
    as_of: Date,
    previous: Option<Previous>,
    report: Option<Report>,
    /// The input being fed chunk by chunk ([`Roster::begin_stream`]), not yet in the roster.
    #[cfg(feature = "full")]
    feed: Option<Feed>,
}

impl Roster {
    fn report(&mut self) -> &Report {
        if self.report.is_none() {
            self.report = Some(analyze::audit(
                &self.inv,
                &self.policy,
                self.as_of,
                self.previous.as_ref(),
            ));
        }
        // Just filled above.
        self.report.get_or_insert_with(Report::default)
    }

    /// The context of an input about to be read; the report is stale from here on.
    fn input(&mut self, name: &str, url: Option<String>, title: Option<String>) -> Context {
        self.report = None;
        Context {
            name: name.to_string(),
            as_of: self.as_of,
            url,
            title,
        }
    }
}

#[wasm_bindgen]
impl Roster {
    /// A new, empty roster judged as of `as_of` (`YYYY-MM-DD`).
    #[wasm_bindgen(constructor)]
    pub fn new(as_of: &str) -> Result<Roster, JsValue> {
        keyroster::names::set_normalizer(browser_normalize);
        Ok(Roster {
            inv: Inventory::default(),
            policy: Policy::default(),
            as_of: parse_date(as_of)?,
            previous: None,
            report: None,
            #[cfg(feature = "full")]
            feed: None,
        })
    }

    /// Reads the live page the popup read from its HTML alone (behind its doctype), when the
    /// core's fast reader takes it, as it takes a well-formed page; `null` when it declines, with
    /// nothing added: the popup then reads the page's DOM ([`Roster::add_dom`]). Returns what
    /// [`Roster::add_input`] returns for the same page.
    pub fn add_html(
        &mut self,
        name: &str,
        html: &str,
        url: Option<String>,
        title: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let ctx = self.input(name, url, title);
        match self.inv.add_html(&ctx, html.as_bytes()) {
            Some(added) => to_js(&added),
            None => Ok(JsValue::NULL),
        }
    }

    /// Reads the live page the popup read: its HTML (what the limits measure and the secret
    /// sweep reads) and its DOM as the browser parsed it, in the form of
    /// `keyroster::ingest::html::dom` (extension/popup.js writes it), so the HTML is not parsed
    /// again and the popup's module carries no HTML parser. Returns what [`Roster::add_input`]
    /// returns for the same page.
    pub fn add_dom(
        &mut self,
        name: &str,
        html: &str,
        dom: &str,
        url: Option<String>,
        title: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let ctx = self.input(name, url, title);
        to_js(&self.inv.add_dom(&ctx, html.as_bytes(), dom))
    }

    /// The roster as bytes (JSON), for `chrome.storage.session`: the inventory and the previous
    /// audit it is compared with, so the comparison survives the next page read in the popup.
    /// A failure throws rather than saving nothing, which would silently empty the roster.
    pub fn snapshot(&self) -> Result<Vec<u8>, JsValue> {
        let saved = SnapshotOut {
            inventory: &self.inv,
            previous: self.previous.as_ref(),
        };
        serde_json::to_vec(&saved)
            .map_err(|e| usage_error(format!("the roster could not be saved: {e}")))
    }

    /// Replaces the roster (and the previous audit) with a snapshot. A bare inventory, as
    /// snapshots were before they carried the previous audit, still restores.
    pub fn restore(&mut self, bytes: &[u8]) -> Result<(), JsValue> {
        let saved = serde_json::from_slice::<SnapshotIn>(bytes).or_else(|_| {
            serde_json::from_slice::<Inventory>(bytes).map(|inventory| SnapshotIn {
                inventory,
                previous: None,
            })
        });
        let saved =
            saved.map_err(|e| usage_error(format!("the saved roster could not be read: {e}")))?;
        self.inv = saved.inventory;
        self.previous = saved.previous;
        self.report = None;
        Ok(())
    }

    /// Empties the roster, and forgets the previous audit with it.
    pub fn clear(&mut self) {
        self.inv = Inventory::default();
        self.previous = None;
        self.report = None;
    }

    /// Sets the policy from a preset name.
    pub fn set_preset(&mut self, name: &str) -> Result<(), JsValue> {
        self.policy = Policy::preset(name).map_err(|e| js_error(&e))?;
        self.report = None;
        Ok(())
    }

    /// Totals, groups, sources, rules and the first `max_findings` findings, unmuted ones first
    /// (what the popup lists as its top findings). Each owner comes with its first
    /// `keys_per_owner` keys; only the first `owners_with_keys` owners do when it is given (the
    /// popup's first paint shows the few its owner list has room for, and asks [`Self::owners`]
    /// for the rest after it).
    pub fn summary(
        &mut self,
        max_findings: usize,
        keys_per_owner: usize,
        owners_with_keys: Option<usize>,
    ) -> Result<JsValue, JsValue> {
        let r = self.report();
        let with_keys = owners_with_keys.unwrap_or(usize::MAX);
        let owners = r
            .groups
            .by_owner
            .iter()
            .enumerate()
            .map(|(i, g)| owner_out(r, g, if i < with_keys { keys_per_owner } else { 0 }))
            .collect();
        to_js(&SummaryOut {
            as_of: r.as_of,
            org: r.org.as_deref(),
            policy: &r.policy,
            summary: &r.summary,
            sources: &r.sources,
            rules: &r.rules,
            owners,
            projects: r.groups.by_project.iter().map(Into::into).collect(),
            by_owner_type: r.groups.by_owner_type.iter().map(Into::into).collect(),
            by_risk: r.groups.by_risk.iter().map(Into::into).collect(),
            age_buckets: r
                .groups
                .by_age
                .iter()
                .map(|g| (g.label.as_str(), g.keys))
                .collect(),
            findings: r.top_findings(max_findings),
            findings_total: r.findings.len(),
            comparison: r.comparison.as_ref(),
            members: r.members.len(),
            coverage: &r.coverage,
            unlisted_keys: &r.unlisted_keys,
        })
    }

    /// Owners from the `from`th on (in [`Self::summary`]'s order), each with its first
    /// `keys_per_owner` keys.
    pub fn owners(&mut self, from: usize, keys_per_owner: usize) -> Result<JsValue, JsValue> {
        let r = self.report();
        let owners: Vec<GroupOut<'_>> = r
            .groups
            .by_owner
            .iter()
            .skip(from)
            .map(|g| owner_out(r, g, keys_per_owner))
            .collect();
        to_js(&owners)
    }

    /// A download name with the org and date: `keyroster-acme-keys-2026-11-22.csv`.
    pub fn file_name(&mut self, stem: &str, ext: &str) -> String {
        export::file_name(self.report(), stem, ext)
    }

    /// Keys in the roster.
    pub fn key_count(&self) -> usize {
        self.inv.keys.len()
    }
}

/// What the popup's module leaves out (built without the `full` feature): reading files (the
/// popup reads its tab's page, [`Roster::add_html`] and [`Roster::add_dom`]), "Copy page
/// structure", reading files in chunks, policy files, the previous audit, the report page's tabs,
/// and every export.
#[cfg(feature = "full")]
#[wasm_bindgen]
impl Roster {
    /// The bytes of an export: `keys.csv`, `findings.csv`, `owners.csv`, `projects.csv`,
    /// `report.json`, `xlsx` or `html` (the self-contained HTML report). Only in this module: the
    /// popup loads it when the user goes to export (the pointer on an Export button, or the
    /// focus), and its own module stays within its budget.
    pub fn export(&mut self, kind: &str) -> Result<Vec<u8>, JsValue> {
        let opts = CsvOptions {
            bom: true,
            ..CsvOptions::default()
        };
        export::by_name(self.report(), kind, &opts).map_err(|e| js_error(&e))
    }

    /// Reads one page or file into the roster. Unreadable input is not an exception: the returned
    /// source carries its `error`, and the roster keeps everything else.
    pub fn add_input(
        &mut self,
        name: &str,
        bytes: &[u8],
        url: Option<String>,
        title: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let ctx = self.input(name, url, title);
        to_js(&self.inv.add(&ctx, bytes))
    }

    /// "Copy page structure": the skeleton of one page or file (see
    /// [`crate::ingest::html::skeleton`]), its element tree with every text and value replaced
    /// by its type, safe to attach to a bug report. A method so the worker's one handle serves
    /// it; the roster itself is not read.
    pub fn page_skeleton(&self, name: &str, bytes: &[u8]) -> String {
        keyroster::ingest::html::skeleton::of_bytes(name, bytes)
    }

    /// Starts reading one input whose bytes come in chunks ([`Roster::push_chunk`]): how the
    /// analyzer's worker reads a `File` without holding it whole. An unfinished stream of the
    /// same roster is dropped.
    pub fn begin_stream(&mut self, name: &str) {
        let ctx = Context::new(name, self.as_of);
        self.feed = Some(Feed::new(&ctx, &Limits::default()));
    }

    /// The next chunk of the input begun; returns the data rows read so far (for progress). A
    /// chunk crosses once, however many records it holds.
    pub fn push_chunk(&mut self, bytes: &[u8]) -> Result<f64, JsValue> {
        let feed = self
            .feed
            .as_mut()
            .ok_or_else(|| usage_error("push_chunk before begin_stream"))?;
        feed.push(bytes);
        Ok(feed.rows() as f64)
    }

    /// The end of the input begun: it joins the roster as [`Roster::add_input`] would have it.
    pub fn end_stream(&mut self) -> Result<JsValue, JsValue> {
        let feed = self
            .feed
            .take()
            .ok_or_else(|| usage_error("end_stream before begin_stream"))?;
        self.report = None;
        to_js(&feed.finish_added(&mut self.inv))
    }

    /// Starts reading one input that another worker tokenizes ([`Splitter`]): its blocks come
    /// through [`Roster::push_block`], and [`Roster::end_stream`] ends it as it ends a stream.
    pub fn begin_blocks(&mut self, name: &str) {
        let ctx = Context::new(name, self.as_of);
        self.feed = Some(Feed::from_blocks(&ctx, &Limits::default()));
    }

    /// The next block of the input begun with [`Roster::begin_blocks`], in the order the
    /// splitter gave them; returns the data rows read so far (for progress).
    pub fn push_block(&mut self, block: &[u8]) -> Result<f64, JsValue> {
        let feed = self
            .feed
            .as_mut()
            .ok_or_else(|| usage_error("push_block before begin_blocks"))?;
        feed.push_block(block);
        Ok(feed.rows() as f64)
    }

    /// Drops the input begun (the user pressed Cancel): the roster stays as it was.
    pub fn cancel_stream(&mut self) {
        self.feed = None;
    }

    /// Sets the policy from a TOML or JSON file's text (an empty text restores the default).
    pub fn set_policy(&mut self, name: &str, text: &str) -> Result<String, JsValue> {
        self.policy = if text.trim().is_empty() {
            Policy::default()
        } else {
            Policy::load(name, text).map_err(|e| js_error(&e))?
        };
        self.report = None;
        Ok(self.policy.preset_name().to_string())
    }

    pub fn default_policy_toml() -> String {
        Policy::default_toml()
    }

    pub fn set_as_of(&mut self, as_of: &str) -> Result<(), JsValue> {
        self.as_of = parse_date(as_of)?;
        self.report = None;
        Ok(())
    }

    /// Keeps a previous audit (its report JSON or keys.csv, as bytes) to compare every report
    /// with, until another one is given or the roster is cleared.
    pub fn compare_with(&mut self, name: &str, bytes: &[u8]) -> Result<(), JsValue> {
        self.previous =
            Some(keyroster::ingest::previous::read(name, bytes).map_err(|e| js_error(&e))?);
        self.report = None;
        Ok(())
    }

    /// The made-up inputs the analyzer warms the module up on while it waits for the user's
    /// first file ([`keyroster::warm`]), in the order to read them: `[{name, bytes}]`, `bytes` a
    /// `Uint8Array` (www/ui/roster-api.js reads them into a throwaway roster).
    pub fn warm_up_inputs() -> Result<js_sys::Array, JsValue> {
        keyroster::warm::inputs()
            .into_iter()
            .map(|input| {
                let item = js_sys::Object::new();
                js_sys::Reflect::set(&item, &"name".into(), &input.name.into())?;
                let bytes = js_sys::Uint8Array::from(input.bytes.as_slice());
                js_sys::Reflect::set(&item, &"bytes".into(), &bytes)?;
                Ok(JsValue::from(item))
            })
            .collect()
    }

    /// The presets a policy may start from.
    pub fn presets() -> Vec<String> {
        Policy::PRESETS.iter().map(|p| p.to_string()).collect()
    }

    /// A page of keys for a query (`{text, risk, owner, project, owner_type, rule, sort, desc,
    /// offset, limit}`).
    pub fn keys_page(&mut self, query_value: JsValue) -> Result<JsValue, JsValue> {
        let q = query(query_value)?;
        to_js(&view::page(self.report(), &q))
    }

    /// Keys per owner (rows) and project (columns), with each cell's worst risk: the Matrix tab.
    /// Its own call, not part of `summary`, so the popup never carries owners × projects cells.
    pub fn matrix(&mut self) -> Result<JsValue, JsValue> {
        to_js(&self.report().groups.matrix)
    }

    /// Everything about one key, named by its id or its index (a `#key=` deep link), for the key
    /// details panel; `null` when no key has that id or index.
    pub fn key_details(&mut self, id_or_index: &str) -> Result<JsValue, JsValue> {
        let r = self.report();
        match keyroster::details::find(r, id_or_index).and_then(|i| keyroster::details::of(r, i)) {
            Some(d) => to_js(&d),
            None => Ok(JsValue::NULL),
        }
    }

    /// Findings from `offset`, at most `limit`.
    pub fn findings(&mut self, offset: usize, limit: usize) -> Result<JsValue, JsValue> {
        let r = self.report();
        let end = r.findings.len().min(offset.saturating_add(limit));
        to_js(&r.findings.get(offset.min(end)..end).unwrap_or(&[]))
    }

    /// The keys a query selects, as keys.csv (`csv`) or tab-separated text for the clipboard
    /// (`tsv`); or the unlisted keys it shows, as unlisted-keys.csv (`unlisted.csv`).
    pub fn export_view(&mut self, kind: &str, query_value: JsValue) -> Result<Vec<u8>, JsValue> {
        let q = query(query_value)?;
        let r = self.report();
        match kind {
            "csv" => Ok(export::csv::keys_subset(
                r,
                &view::select(r, &q),
                &CsvOptions {
                    bom: true,
                    tabs: false,
                },
            )),
            "tsv" => Ok(export::csv::keys_subset(
                r,
                &view::select(r, &q),
                &CsvOptions {
                    bom: false,
                    tabs: true,
                },
            )),
            // The unlisted keys the view shows (the Keys tab's "Export unlisted keys").
            "unlisted.csv" => Ok(export::csv::unlisted_keys_subset(
                view::unlisted(r, &q),
                &CsvOptions {
                    bom: true,
                    tabs: false,
                },
            )),
            other => Err(usage_error(format!("unknown view export {other:?}"))),
        }
    }
}
