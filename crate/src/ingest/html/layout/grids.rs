//! Tables and ARIA grids (`role=table|grid|treegrid` with `role=row` and
//! `columnheader`/`cell`/`gridcell`/`rowheader`): the markup says which elements are rows and
//! which row is the header, so each is read as a list of records with its header's labels. When
//! the header names nothing Key Roster reads, the rows are labeled as any repeated structure's
//! are: by `data-label` attributes (a responsive table whose header is hidden on narrow
//! screens), else by their values' types. Cells carrying `aria-colindex` (a virtualized grid)
//! are placed in their column; rows not rendered are simply not there.

use crate::ingest::html::clean::Attr;
use rustc_hash::FxHashSet;

use ego_tree::{NodeId, NodeRef};
use jiff::civil::Date;
use scraper::{ElementRef, Node};

use super::{anchor_of, fields, header, Candidate, Counts, Origin, RawTable, Reading, Survey};
use crate::ingest::html::clean::{self, CellText};
use crate::ingest::table::known_column;

pub(in crate::ingest::html) fn is_grid(e: &scraper::node::Element) -> bool {
    matches!(e.at("role"), Some("table" | "grid" | "treegrid"))
}

/// True for the elements [`find`] reads: every `<table>` (hidden or not), and every ARIA grid
/// that is shown.
pub(in crate::ingest::html) fn is_read(e: &scraper::node::Element) -> bool {
    e.name() == "table" || (is_grid(e) && !clean::hidden(e))
}

/// Every `<table>` and ARIA grid among `tables` (the page's elements that [`is_read`], in
/// document order: outermost first; nested ones are read on their own).
pub(super) fn find<'a>(
    tables: &[NodeRef<'a, Node>],
    counts: &'a Counts,
    as_of: Date,
    out: &mut Vec<(NodeId, Candidate<'a>)>,
    survey: &mut Survey,
    claimed: &mut FxHashSet<NodeId>,
) {
    for &n in tables {
        let Some(e) = n.value().as_element() else {
            continue;
        };
        let (origin, (markup, rows)) = if e.name() == "table" {
            (Origin::Table, html_table(n, as_of))
        } else if is_grid(e) {
            (Origin::Grid, aria_grid(n, as_of))
        } else {
            continue;
        };
        survey.tables += 1;
        // A header naming at least two columns Key Roster reads: the table is a list of
        // records by its own say, and the repeated-structure finder need not look inside it.
        if markup.header.iter().filter(|h| known_column(h)).count() >= 2 {
            claimed.insert(n.id());
        }
        let anchor = anchor_of(counts, &rows);
        let mut readings = vec![Reading::Ready(markup)];
        let by_attributes = rows.clone();
        readings.push(Reading::Later(Box::new(move || {
            header::labeled_by_attributes(&by_attributes, as_of)
        })));
        if let Some(a) = anchor {
            readings.push(Reading::Later(Box::new(move || {
                Some(fields::typed(&rows, counts, a, as_of))
            })));
        }
        out.push((
            n.id(),
            Candidate {
                origin,
                anchor,
                readings,
            },
        ));
    }
}

fn element_named(n: NodeRef<'_, Node>, names: &[&str]) -> bool {
    n.value()
        .as_element()
        .is_some_and(|e| names.contains(&e.name()))
}

/// A table's header and rows, and the row elements (for other readings).
fn html_table(table: NodeRef<'_, Node>, as_of: Date) -> (RawTable, Vec<NodeRef<'_, Node>>) {
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
    // A row's cells, and whether every one is a `<th>` (true for a row without cells).
    let cells_of = |tr: NodeRef<'_, Node>| -> (Vec<CellText>, bool) {
        let mut cells =
            Vec::with_capacity(tr.children().filter(|c| c.value().is_element()).count());
        let mut all_th = true;
        for c in tr.children() {
            let Some(el) = ElementRef::wrap(c) else {
                continue;
            };
            let name = el.value().name();
            if name != "td" && name != "th" {
                continue;
            }
            all_th &= name == "th";
            let span = el
                .value()
                .at("colspan")
                .and_then(|s| s.trim().parse::<usize>().ok())
                .unwrap_or(1)
                .clamp(1, 64);
            cells.push(clean::cell(el, as_of));
            for _ in 1..span {
                cells.push(CellText::default());
            }
        }
        (cells, all_th)
    };
    let header_of = |cells: Vec<CellText>| cells.iter().map(header_text).collect();
    let mut raw = RawTable::default();
    let mut rows: Vec<(Vec<CellText>, bool)> = body_rows.iter().map(|r| cells_of(*r)).collect();
    let mut data_rows = body_rows;
    if let Some(h) = head_rows.into_iter().last() {
        raw.header = header_of(cells_of(h).0);
    } else if let Some(i) = rows
        .iter()
        .position(|(cells, all_th)| !cells.is_empty() && *all_th)
    {
        raw.header = header_of(rows.remove(i).0);
        rows.drain(..i);
        data_rows.drain(..=i);
    } else if !rows.is_empty() {
        // No `<th>` at all: the first row is the header, as in a pasted spreadsheet.
        raw.header = header_of(rows.remove(0).0);
        // Its element stays among the rows: the other readings have no header row.
    }
    raw.rows = rows
        .into_iter()
        .filter(|(_, all_th)| !all_th)
        .map(|(cells, _)| cells)
        .collect();
    (raw, data_rows)
}

/// A header cell's text on one line, scrubbed (headers are echoed in messages).
pub(super) fn header_text(c: &CellText) -> String {
    let mut t = c.text.clone();
    for b in &c.badges {
        t.push(' ');
        t.push_str(b);
    }
    crate::ingest::table::scrub(&t.replace('\n', " ")).0
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
        if e.at("role") == Some("row") {
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
        if is_grid(e) || e.at("role") == Some("row") {
            continue;
        }
        match e.at("role") {
            Some("columnheader") => out.push((c, true)),
            Some("cell" | "gridcell" | "rowheader") => out.push((c, false)),
            _ => grid_cells(c, out),
        }
    }
}

/// `aria-colindex` (1-based) of a cell.
pub(super) fn colindex(n: NodeRef<'_, Node>) -> Option<usize> {
    n.value()
        .as_element()?
        .at("aria-colindex")?
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|i| (1..=256).contains(i))
}

/// Cells in column order: placed by `aria-colindex` when every cell has one.
fn placed(cells: Vec<(NodeRef<'_, Node>, CellText)>) -> Vec<CellText> {
    if !cells.is_empty() && cells.iter().all(|(n, _)| colindex(*n).is_some()) {
        let mut out: Vec<CellText> = Vec::new();
        for (n, c) in cells {
            let i = colindex(n).unwrap_or(1) - 1;
            if out.len() <= i {
                out.resize(i + 1, CellText::default());
            }
            if let Some(slot) = out.get_mut(i) {
                *slot = c;
            }
        }
        return out;
    }
    cells.into_iter().map(|(_, c)| c).collect()
}

fn aria_grid(grid: NodeRef<'_, Node>, as_of: Date) -> (RawTable, Vec<NodeRef<'_, Node>>) {
    let mut rows = Vec::new();
    grid_rows(grid, &mut rows);
    let mut raw = RawTable::default();
    let mut data_rows = Vec::new();
    for row in rows {
        let mut cells = Vec::new();
        grid_cells(row, &mut cells);
        // A header row may hold a select-all checkbox cell besides its column headers.
        let header = cells.iter().any(|(_, h)| *h);
        let texts: Vec<(NodeRef<'_, Node>, CellText)> = cells
            .into_iter()
            .filter_map(|(c, _)| ElementRef::wrap(c).map(|el| (c, clean::cell(el, as_of))))
            .collect();
        let texts = placed(texts);
        if header && raw.header.is_empty() {
            raw.header = texts.iter().map(header_text).collect();
        } else if !header {
            data_rows.push(row);
            if !raw.header.is_empty() {
                raw.rows.push(texts);
            }
        }
    }
    (raw, data_rows)
}
