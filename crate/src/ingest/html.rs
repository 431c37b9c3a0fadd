//! HTML pages, live (the extension hands over the page's `outerHTML`) or saved with "Save page
//! as": every list of records the page shows, whatever draws it (a `<table>`, an ARIA grid, a
//! grid of `<div>`s, cards, a list; see [`layout`]), recognized by its labels through
//! [`crate::ingest::table`].
//!
//! The page's context fills in what rows do not say: its URL (the live page's, else the
//! `<!-- saved from url=… -->` line a browser writes, else the canonical link) tells which page it
//! is, and the project selected at the top of the page is the scope of keys on a project page.
//! Pagination footers become warnings and, with the viewer's role and the page's filters, what
//! the page showed against what it could have ([`seen`]), and a full secret anywhere in the page (the "save your
//! key" dialog) becomes an [`ExposedSecret`].

mod atoms;
pub mod clean;
pub mod dom;
pub mod fast;
mod layout;
mod outline;
mod page;
mod seen;
pub mod skeleton;
mod viewer;
pub(crate) mod walk;

use scraper::Html;

use crate::error::{Error, Position, Result};
use crate::ingest::limits::Limits;
use crate::ingest::table::{Page, Scope, TableKind, TableReader, NOTHING_FOUND};
use crate::ingest::{Batch, Context};
use crate::model::{ExposedSecret, ProjectRef};
use crate::secret;
use layout::{Anchor, Candidate, Origin, RawTable, Reading, Survey};
use outline::Outline;

use page::{
    breadcrumb_project, canonical_in, first_text, page_kind, pagination, project_in_url,
    saved_from_in, selected,
};

/// Reads one page.
pub fn read(ctx: &Context, text: &str) -> Result<Batch> {
    read_parsed(ctx, text, &parse(text))
}

/// Reads one page under `limits`, which refuse a page too deep or with too many tables before
/// html5ever ever parses it.
///
/// A well-formed page goes through the fast parse, which declines a page nested past the limit
/// and counts the tables as it builds the tree: its own measure is checked, with no pre-scan.
/// Only a page it declines is pre-scanned ([`Limits::check_page`]) before html5ever, quadratic
/// in the depth, parses it. (The pre-scan ran beside every fast parse before, on the second
/// core natively and in turn in wasm: 70M instructions of a 5,000-key page's 850M.)
pub fn read_within(ctx: &Context, text: &str, limits: &Limits) -> Result<Batch> {
    let doc = match fast::parse_within(text, limits.max_depth) {
        Some((doc, shape)) => {
            limits.check_shape(&ctx.name, shape)?;
            doc
        }
        None => {
            limits.check_page(&ctx.name, text)?;
            Html::parse_document(text)
        }
    };
    read_parsed(ctx, text, &doc)
}

/// The page's tree: through [`fast`] when the page is well-formed (the same tree), else html5ever.
pub fn parse(text: &str) -> Html {
    fast::parse(text).unwrap_or_else(|| Html::parse_document(text))
}

/// Reads one page already parsed into `doc` (a live page's DOM, [`dom::build`]); `text` is its
/// HTML, searched line by line for secrets.
pub fn read_parsed(ctx: &Context, text: &str, doc: &Html) -> Result<Batch> {
    let root = doc.tree.root();
    let outline = Outline::of(root);
    let url = ctx
        .url
        .clone()
        .or_else(|| saved_from_in(&outline.comments))
        .or_else(|| canonical_in(&outline.named));
    let title = ctx
        .title
        .clone()
        .or_else(|| first_text(&outline, "title", ctx.as_of));
    let headings: Vec<String> = ["h1", "h2"]
        .iter()
        .filter_map(|h| first_text(&outline, h, ctx.as_of))
        .collect();
    let selected_project = selected(&outline, "project", ctx.as_of)
        .or_else(|| breadcrumb_project(&outline, ctx.as_of));
    let url_project = url.as_deref().and_then(project_in_url);
    let page = page_kind(
        url.as_deref(),
        title.as_deref(),
        &headings,
        selected_project.is_some() || url_project.is_some(),
    );
    let project = match page {
        Page::ProjectApiKeys | Page::ProjectMembers | Page::ServiceAccounts | Page::Limits => {
            match (url_project, selected_project) {
                (None, None) => None,
                (id, name) => Some(ProjectRef { id, name }),
            }
        }
        _ => None,
    };

    let counts = &outline.counts;
    let (candidates, survey) = layout::find_among(root, &outline.tables, counts, ctx.as_of);

    let mut batch = Batch {
        url: url.clone(),
        // `selected` already falls back to an `org-` selector and the breadcrumb.
        org: selected(&outline, "organization", ctx.as_of),
        ..Batch::default()
    };
    let scope = Scope {
        source: ctx.name.clone(),
        as_of: ctx.as_of,
        page,
        project,
        decimal_comma: false,
        lines: false,
        viewer: viewer::signed_in(&outline, counts, ctx.as_of),
        provider: url.as_deref().and_then(crate::ingest::providers::by_url),
    };
    let mut kinds = Vec::new();
    for c in &candidates {
        if let Some(kind) = read_candidate(c, &scope, &mut batch) {
            kinds.push(kind);
        }
    }
    // Only on a Limits page: a "Budget" figure in another page's summary box is no project's
    // limit.
    if page == Page::Limits && !kinds.contains(&TableKind::Limits) {
        if let Some(form) = layout::limits_form(root, counts, ctx.as_of) {
            let c = Candidate {
                origin: Origin::Form,
                anchor: None,
                readings: vec![Reading::Ready(form)],
            };
            if let Some(kind) = read_candidate(&c, &scope, &mut batch) {
                kinds.push(kind);
            }
        }
    }
    let Some(first) = kinds.first().copied() else {
        return Err(Error::input(
            &ctx.name,
            Position::default(),
            format!("{NOTHING_FOUND}; {}", nothing_read(&candidates, &survey)),
        ));
    };
    batch.kind = format!(
        "html:{}",
        if page == Page::Unknown {
            match first {
                TableKind::Keys => "api-keys",
                k => k.slug(),
            }
        } else {
            page.slug()
        }
    );
    batch.members_list = kinds.contains(&TableKind::Members);
    // A key or usage row on a provider's console is that provider's, whatever its hint shows:
    // a row then joins only that platform's keys.
    if let Some(p) = url.as_deref().and_then(crate::ingest::providers::by_url) {
        for k in &mut batch.keys {
            k.provider = p;
        }
        for r in &mut batch.usage {
            r.provider = Some(p);
        }
    }
    scan_page_for_secrets(ctx, text, &mut batch);
    let noun = match first {
        TableKind::Keys => "keys",
        TableKind::Members => "members",
        TableKind::ServiceAccounts => "service accounts",
        TableKind::Projects => "projects",
        TableKind::Limits | TableKind::Usage => "rows",
    };
    let paging = pagination(&outline, noun, &mut batch.warnings);
    batch.seen = Some(seen::read(&outline, noun, scope.project.clone(), paging));
    dedup(&mut batch.warnings);
    Ok(batch)
}

/// Reads the first reading of a candidate that a table reader recognizes as a kind the
/// candidate's values allow; returns that kind.
fn read_candidate(c: &Candidate<'_>, scope: &Scope, batch: &mut Batch) -> Option<TableKind> {
    for (i, reading) in c.readings.iter().enumerate() {
        let Some(t) = reading.table() else {
            continue;
        };
        let mut warnings = Vec::new();
        let Some(mut reader) = TableReader::new(&t.header, scope.clone(), &mut warnings) else {
            continue;
        };
        // A usage table naming no key, project or user: an invoice list, a monthly summary.
        if !reader.identifies_records() {
            continue;
        }
        // A table's own header is trusted as it always was; a shape's labels must agree with the
        // values that made it a list of records.
        let markup = matches!(c.origin, Origin::Table | Origin::Grid | Origin::Form) && i == 0;
        if !markup && !fits(c.anchor, reader.kind()) {
            continue;
        }
        if !markup {
            // A shape's fields are not columns: say what no field looked like.
            for w in &mut warnings {
                if let Some(label) = w
                    .strip_prefix("column ")
                    .and_then(|r| r.strip_suffix(" not found"))
                {
                    let what = match label {
                        "Created by" => "an owner",
                        "Created" => "a creation date",
                        "Last used" => "a last-used date",
                        "Permissions" => "permissions",
                        other => other,
                    };
                    *w = format!("{} records, no field looked like {what}", t.rows.len());
                }
            }
        }
        batch.warnings.extend(warnings);
        read_rows(&mut reader, &t, batch);
        return Some(reader.kind());
    }
    None
}

/// The kinds of record a value can anchor.
fn fits(anchor: Option<Anchor>, kind: TableKind) -> bool {
    use TableKind::*;
    match anchor {
        Some(Anchor::Key) => matches!(kind, Keys | Usage),
        Some(Anchor::Email) => matches!(kind, Members | ServiceAccounts | Keys),
        Some(Anchor::Project) => matches!(kind, Projects | Limits | Usage | Keys),
        None => false,
    }
}

fn read_rows(reader: &mut TableReader, t: &RawTable, batch: &mut Batch) {
    reader.reserve(t.rows.len(), batch);
    // One set of vectors for every row (each row's would be three allocations).
    let (mut cells, mut hints, mut badges) = (Vec::new(), Vec::new(), Vec::new());
    for (i, row) in t.rows.iter().enumerate() {
        cells.clear();
        hints.clear();
        badges.clear();
        cells.extend(row.iter().map(|c| c.text.as_str()));
        hints.extend(row.iter().map(|c| c.hint.as_deref()));
        badges.extend(row.iter().map(|c| c.badges.as_slice()));
        reader.row_with_badges(&cells, &hints, &badges, i as u64 + 1, batch);
    }
    reader.finish(batch);
    if reader.rows_read() == 0 {
        // An empty roster page (no keys yet, or rows still loading when it was read).
        batch
            .warnings
            .push(format!("the {} table has no rows", reader.kind().slug()));
    }
}

/// What the page held, when none of it could be read: its repeated structures and its tables.
fn nothing_read(candidates: &[Candidate<'_>], survey: &Survey) -> String {
    let mut parts = Vec::new();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if survey.structures > 0 {
        let s = plural(
            survey.structures,
            "repeated structure",
            "repeated structures",
        );
        parts.push(if survey.anchored == 0 {
            format!("{s}, none with a key-like value, an email or a project id")
        } else {
            format!(
                "{s}, {} with keys, emails or project ids but no fields Key Roster could name",
                survey.anchored
            )
        });
    }
    if survey.tables == 0 {
        parts.push("the page has no table or grid".to_string());
    } else {
        let shown: Vec<String> = candidates
            .iter()
            .filter(|c| matches!(c.origin, Origin::Table | Origin::Grid))
            .filter_map(|c| match c.readings.first() {
                Some(Reading::Ready(t)) => Some(t.header.join(", ")),
                _ => None,
            })
            .take(3)
            .collect();
        parts.push(format!("its tables have headers: {}", shown.join(" | ")));
    }
    parts.join("; ")
}

/// A full secret anywhere in the page (a "save your key" dialog, an input's value) is found by
/// line; those already found in a table cell are not counted twice.
fn scan_page_for_secrets(ctx: &Context, text: &str, batch: &mut Batch) {
    if !text.contains("sk-") {
        return;
    }
    for (i, line) in text.lines().enumerate() {
        if !line.contains("sk-") {
            continue;
        }
        for redacted in crate::ingest::table::scrub_cow(line).1 {
            if batch.exposed.iter().any(|e| e.redacted == redacted) {
                continue;
            }
            batch.exposed.push(ExposedSecret {
                source: ctx.name.clone(),
                location: format!("line {} of the page", i + 1),
                kind: secret::kind_from_value(&redacted),
                redacted,
            });
        }
    }
}

fn dedup(warnings: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    warnings.retain(|w| seen.insert(w.clone()));
}
