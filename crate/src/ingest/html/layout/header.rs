//! Labels that a page gives a whole column: a header row of any element type aligned with each
//! record's cells (by `aria-colindex` when both carry it, else by position), or the
//! `data-label` / `data-column` / `data-title` attributes a responsive table puts on each cell.

use crate::ingest::html::clean::Attr;
use ego_tree::NodeRef;
use jiff::civil::Date;
use scraper::Node;

use super::fields::{name_of, text_of, unwrap};
use super::{anchors_of, grids, Counts, RawTable};
use crate::ingest::html::clean::{self, CellText};
use crate::ingest::table::known_column;

/// The cells of a record as a header row would align with them: its visible element children
/// after unwrapping, in order.
pub(super) fn cells<'a>(record: NodeRef<'a, Node>, counts: &Counts) -> Vec<NodeRef<'a, Node>> {
    let r = unwrap(record, counts);
    r.children()
        .filter(|c| c.value().as_element().is_some_and(|e| !clean::hidden(e)))
        .filter(|c| {
            // Empty cells keep their place; a row's spacer or checkbox column does too, as long
            // as the header has one. Only action buttons and icons are dropped.
            !matches!(name_of(*c), "button" | "svg" | "img")
        })
        .collect()
}

/// A header row's labels, or `None` when it does not look like one: at least two of its texts
/// name a column, and it holds no key, email or project id.
pub(super) fn header_labels(
    row: NodeRef<'_, Node>,
    counts: &Counts,
    as_of: Date,
) -> Option<Vec<(String, Option<usize>)>> {
    let a = anchors_of(counts, row);
    if a.keys + a.emails + a.projects > 0 {
        return None;
    }
    let cells = cells(row, counts);
    let labels: Vec<(String, Option<usize>)> = cells
        .iter()
        .map(|c| (grids::header_text(&text_of(*c, as_of)), grids::colindex(*c)))
        .collect();
    let known = labels.iter().filter(|(l, _)| known_column(l)).count();
    let shown = labels.iter().filter(|(l, _)| !l.is_empty()).count();
    (known >= 2 && known * 2 >= shown).then_some(labels)
}

/// Rows aligned under a header row, by `aria-colindex` when both carry it, else by position.
/// `None` when most rows do not have the header's number of cells.
pub(super) fn aligned(
    header: &[(String, Option<usize>)],
    records: &[NodeRef<'_, Node>],
    counts: &Counts,
    as_of: Date,
) -> Option<RawTable> {
    let by_index = header.iter().all(|(_, i)| i.is_some());
    let mut t = RawTable {
        header: header.iter().map(|(l, _)| l.clone()).collect(),
        rows: Vec::new(),
    };
    if by_index {
        let width = header.iter().filter_map(|(_, i)| *i).max().unwrap_or(0);
        t.header = vec![String::new(); width];
        for (l, i) in header {
            if let Some(slot) = i.and_then(|i| t.header.get_mut(i - 1)) {
                slot.clone_from(l);
            }
        }
    }
    let mut misfits = 0;
    for r in records {
        let cs = cells(*r, counts);
        let mut row = vec![CellText::default(); t.header.len()];
        if by_index && cs.iter().all(|c| grids::colindex(*c).is_some()) {
            for c in cs {
                if let Some(slot) = grids::colindex(c).and_then(|i| row.get_mut(i - 1)) {
                    *slot = text_of(c, as_of);
                }
            }
        } else if cs.len() == header.len() {
            for (slot, c) in row.iter_mut().zip(cs) {
                *slot = text_of(c, as_of);
            }
        } else {
            misfits += 1;
            continue;
        }
        t.rows.push(row);
    }
    (misfits * 2 <= records.len()).then_some(t)
}

/// Rows labeled by their cells' `data-label` (or `data-column`, `data-title`) attributes, when
/// the cells carry them.
pub(super) fn labeled_by_attributes<'a>(
    rows: &[NodeRef<'a, Node>],
    as_of: Date,
) -> Option<RawTable> {
    let cells_of = |r: NodeRef<'a, Node>| -> Vec<NodeRef<'a, Node>> {
        r.children()
            .filter(|c| {
                c.value()
                    .as_element()
                    .is_some_and(|e| !clean::hidden(e) && !matches!(e.name(), "button" | "svg"))
            })
            .collect()
    };
    let label = |c: NodeRef<'_, Node>| -> Option<String> {
        let e = c.value().as_element()?;
        ["data-label", "data-column", "data-title"]
            .iter()
            .find_map(|a| e.at(a))
            .map(|v| v.trim().to_string())
    };
    let first = rows
        .iter()
        .find(|r| cells_of(**r).iter().any(|c| label(*c).is_some()))?;
    let header: Vec<String> = cells_of(*first)
        .into_iter()
        .map(|c| label(c).unwrap_or_default())
        .collect();
    let mut t = RawTable {
        header,
        rows: Vec::new(),
    };
    for r in rows {
        let mut row = vec![CellText::default(); t.header.len()];
        for c in cells_of(*r) {
            let Some(l) = label(c) else { continue };
            if let Some(i) = t.header.iter().position(|h| *h == l) {
                if let Some(slot) = row.get_mut(i) {
                    *slot = text_of(c, as_of);
                }
            }
        }
        t.rows.push(row);
    }
    Some(t)
}
