//! HTML pages, live (the extension hands over the page's `outerHTML`) or saved with "Save page
//! as": every `<table>` and every ARIA grid (`role=table|grid|treegrid` with `role=row` and
//! `columnheader`/`cell`/`gridcell`/`rowheader`), recognized by header names through
//! [`crate::ingest::table`].
//!
//! The page's context fills in what rows do not say: its URL (the live page's, else the
//! `<!-- saved from url=… -->` line a browser writes, else the canonical link) tells which page it
//! is, and the project selected at the top of the page is the scope of keys on a project page.
//! Pagination footers become warnings, and a full secret anywhere in the page (the "save your
//! key" dialog) becomes an [`ExposedSecret`].

pub mod clean;
mod page;
pub mod skeleton;

use ego_tree::NodeRef;
use jiff::civil::Date;
use scraper::{ElementRef, Html, Node};

use crate::error::{Error, Position, Result};
use crate::ingest::table::{Page, Scope, TableKind, TableReader, NOTHING_FOUND};
use crate::ingest::{Batch, Context};
use crate::model::{ExposedSecret, ProjectRef};
use crate::secret;

use clean::CellText;
use page::{
    breadcrumb_project, canonical, first_text, page_kind, pagination, project_in_url, saved_from,
    selected,
};

/// One table or grid as read from the page: its header cells and data rows.
#[derive(Debug, Default)]
struct RawTable {
    header: Vec<String>,
    rows: Vec<Vec<CellText>>,
}

/// Reads one page.
pub fn read(ctx: &Context, text: &str) -> Result<Batch> {
    let doc = Html::parse_document(text);
    let root = doc.tree.root();
    let url = ctx
        .url
        .clone()
        .or_else(|| saved_from(root))
        .or_else(|| canonical(root));
    let title = ctx
        .title
        .clone()
        .or_else(|| first_text(root, "title", ctx.as_of));
    let headings: Vec<String> = ["h1", "h2"]
        .iter()
        .filter_map(|h| first_text(root, h, ctx.as_of))
        .collect();
    let selected_project =
        selected(root, "project", ctx.as_of).or_else(|| breadcrumb_project(root, ctx.as_of));
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

    let mut tables = Vec::new();
    collect(root, ctx.as_of, &mut tables);

    let mut batch = Batch {
        url: url.clone(),
        org: selected(root, "organization", ctx.as_of)
            .or_else(|| selected(root, "org-", ctx.as_of)),
        ..Batch::default()
    };
    let scope = Scope {
        source: ctx.name.clone(),
        as_of: ctx.as_of,
        page,
        project,
        decimal_comma: false,
        lines: false,
    };
    let mut kinds = Vec::new();
    for t in &tables {
        let Some(mut reader) = TableReader::new(&t.header, scope.clone(), &mut batch.warnings)
        else {
            continue;
        };
        for (i, row) in t.rows.iter().enumerate() {
            let cells: Vec<&str> = row.iter().map(|c| c.text.as_str()).collect();
            let hints: Vec<Option<&str>> = row.iter().map(|c| c.hint.as_deref()).collect();
            reader.row(&cells, &hints, i as u64 + 1, &mut batch);
        }
        if reader.rows_read() == 0 {
            // An empty roster page (no keys yet, or rows still loading when it was read).
            batch
                .warnings
                .push(format!("the {} table has no rows", reader.kind().slug()));
        }
        kinds.push(reader.kind());
    }
    let Some(first) = kinds.first().copied() else {
        let what = if tables.is_empty() {
            "the page has no table or grid".to_string()
        } else {
            let shown: Vec<String> = tables.iter().take(3).map(|t| t.header.join(", ")).collect();
            format!("its tables have headers: {}", shown.join(" | "))
        };
        return Err(Error::input(
            &ctx.name,
            Position::default(),
            format!("{NOTHING_FOUND}; {what}"),
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
    scan_page_for_secrets(ctx, text, &mut batch);
    let noun = match first {
        TableKind::Keys => "keys",
        TableKind::Members => "members",
        TableKind::ServiceAccounts => "service accounts",
        TableKind::Projects => "projects",
        TableKind::Limits | TableKind::Usage => "rows",
    };
    pagination(root, noun, &mut batch.warnings);
    dedup(&mut batch.warnings);
    Ok(batch)
}

/// True when a node lies inside a table or grid (whose text is data, not page chrome).
fn in_table(n: NodeRef<'_, Node>) -> bool {
    n.ancestors().any(|a| {
        a.value()
            .as_element()
            .is_some_and(|e| e.name() == "table" || is_grid(e))
    })
}

fn is_grid(e: &scraper::node::Element) -> bool {
    matches!(e.attr("role"), Some("table" | "grid" | "treegrid"))
}

/// Every `<table>` and ARIA grid, outermost first; nested ones are read on their own.
fn collect(root: NodeRef<'_, Node>, as_of: Date, out: &mut Vec<RawTable>) {
    for n in root.descendants() {
        let Some(e) = n.value().as_element() else {
            continue;
        };
        if clean::hidden(e) && e.name() != "table" {
            continue;
        }
        if e.name() == "table" {
            out.push(html_table(n, as_of));
        } else if is_grid(e) {
            out.push(aria_grid(n, as_of));
        }
    }
}

fn element_named(n: NodeRef<'_, Node>, names: &[&str]) -> bool {
    n.value()
        .as_element()
        .is_some_and(|e| names.contains(&e.name()))
}

fn html_table(table: NodeRef<'_, Node>, as_of: Date) -> RawTable {
    // Rows directly under the table or its sections; a nested table's rows are its own.
    let mut head_rows = Vec::new();
    let mut body_rows = Vec::new();
    for child in table.children() {
        if element_named(child, &["tr"]) {
            body_rows.push(child);
        } else if element_named(child, &["thead"]) {
            head_rows.extend(child.children().filter(|c| element_named(*c, &["tr"])));
        } else if element_named(child, &["tbody", "tfoot"]) {
            body_rows.extend(child.children().filter(|c| element_named(*c, &["tr"])));
        }
    }
    let cells_of = |tr: NodeRef<'_, Node>| -> Vec<(CellText, bool)> {
        let mut cells = Vec::new();
        for c in tr.children() {
            let Some(el) = ElementRef::wrap(c) else {
                continue;
            };
            let name = el.value().name();
            if name != "td" && name != "th" {
                continue;
            }
            let span = el
                .value()
                .attr("colspan")
                .and_then(|s| s.trim().parse::<usize>().ok())
                .unwrap_or(1)
                .clamp(1, 64);
            cells.push((clean::cell(el, as_of), name == "th"));
            for _ in 1..span {
                cells.push((CellText::default(), name == "th"));
            }
        }
        cells
    };
    let mut raw = RawTable::default();
    let mut rows: Vec<Vec<(CellText, bool)>> = body_rows.into_iter().map(cells_of).collect();
    if let Some(h) = head_rows.into_iter().last() {
        raw.header = cells_of(h)
            .into_iter()
            .map(|(c, _)| header_text(&c))
            .collect();
    } else if let Some(i) = rows
        .iter()
        .position(|r| !r.is_empty() && r.iter().all(|(_, th)| *th))
    {
        raw.header = rows
            .remove(i)
            .into_iter()
            .map(|(c, _)| header_text(&c))
            .collect();
        rows.drain(..i);
    } else if !rows.is_empty() {
        // No `<th>` at all: the first row is the header, as in a pasted spreadsheet.
        raw.header = rows
            .remove(0)
            .into_iter()
            .map(|(c, _)| header_text(&c))
            .collect();
    }
    raw.rows = rows
        .into_iter()
        .filter(|r| !r.iter().all(|(_, th)| *th))
        .map(|r| r.into_iter().map(|(c, _)| c).collect())
        .collect();
    raw
}

/// A header cell's text on one line, scrubbed (headers are echoed in messages).
fn header_text(c: &CellText) -> String {
    crate::ingest::table::scrub(&c.text.replace('\n', " ")).0
}

/// Rows (`role=row`) of a grid, not descending into nested grids.
fn grid_rows<'a>(n: NodeRef<'a, Node>, out: &mut Vec<NodeRef<'a, Node>>) {
    for c in n.children() {
        let Some(e) = c.value().as_element() else {
            continue;
        };
        if is_grid(e) || e.name() == "table" || clean::hidden(e) {
            continue;
        }
        if e.attr("role") == Some("row") {
            out.push(c);
        } else {
            grid_rows(c, out);
        }
    }
}

/// Cells of a grid row, with whether each is a column header.
fn grid_cells<'a>(n: NodeRef<'a, Node>, out: &mut Vec<(NodeRef<'a, Node>, bool)>) {
    for c in n.children() {
        let Some(e) = c.value().as_element() else {
            continue;
        };
        if is_grid(e) || e.attr("role") == Some("row") {
            continue;
        }
        match e.attr("role") {
            Some("columnheader") => out.push((c, true)),
            Some("cell" | "gridcell" | "rowheader") => out.push((c, false)),
            _ => grid_cells(c, out),
        }
    }
}

fn aria_grid(grid: NodeRef<'_, Node>, as_of: Date) -> RawTable {
    let mut rows = Vec::new();
    grid_rows(grid, &mut rows);
    let mut raw = RawTable::default();
    for row in rows {
        let mut cells = Vec::new();
        grid_cells(row, &mut cells);
        // A header row may hold a select-all checkbox cell besides its column headers.
        let header = cells.iter().any(|(_, h)| *h);
        let texts: Vec<CellText> = cells
            .into_iter()
            .filter_map(|(c, _)| ElementRef::wrap(c).map(|el| clean::cell(el, as_of)))
            .collect();
        if header && raw.header.is_empty() {
            raw.header = texts.iter().map(header_text).collect();
        } else if !header && !raw.header.is_empty() {
            raw.rows.push(texts);
        }
    }
    raw
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
        for redacted in crate::ingest::table::scrub(line).1 {
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
