//! A project's Limits page drawn as a form or a list of label/value pairs rather than a table:
//! `<label for=budget>Monthly budget</label><input id=budget value="500">`, or
//! `<span>Alert threshold</span><span>$400.00</span>`. Each label naming a limit column is paired
//! with the control it labels (`for`, nested, or the next box), and the pairs become a one-row
//! table read like any Limits table.

use crate::ingest::html::clean::Attr;
use std::collections::HashMap;

use ego_tree::NodeRef;
use jiff::civil::Date;
use scraper::{ElementRef, Node};

use super::{anchors_of, Counts, RawTable};
use crate::ingest::html::clean;
use crate::ingest::table::limit_column;

/// Longest label text considered (a label, not a paragraph that mentions a budget).
const LABEL_CHARS: u32 = 40;

pub(in crate::ingest::html) fn limits_form(
    root: NodeRef<'_, Node>,
    counts: &Counts,
    as_of: Date,
) -> Option<RawTable> {
    let mut labels: Vec<(String, NodeRef<'_, Node>)> = Vec::new();
    let mut controls: Vec<NodeRef<'_, Node>> = Vec::new();
    for n in root.descendants() {
        let Some(e) = n.value().as_element() else {
            continue;
        };
        if matches!(e.name(), "input" | "select" | "textarea") {
            controls.push(n);
            continue;
        }
        let a = anchors_of(counts, n);
        if a.chars == 0 || a.chars > LABEL_CHARS || clean::hidden(e) {
            continue;
        }
        let Some(el) = ElementRef::wrap(n) else {
            continue;
        };
        // The label's own words, not the value of a control it wraps.
        let text = clean::tidy(&el.text().collect::<String>()).replace('\n', " ");
        let label = text.trim().trim_end_matches(':').trim();
        if limit_column(label) && !labels.iter().any(|(l, _)| l == label) {
            labels.push((label.to_string(), n));
        }
    }
    // Controls labeled by `aria-label` alone.
    let mut table = RawTable::default();
    let mut row = Vec::new();
    for c in &controls {
        let Some(e) = c.value().as_element() else {
            continue;
        };
        if let Some(l) = e
            .at("aria-label")
            .map(str::trim)
            .filter(|l| limit_column(l))
        {
            if let Some(v) = clean::control_value(*c, e) {
                table.header.push(l.to_string());
                row.push(v);
            }
        }
    }
    let ids: HashMap<&str, NodeRef<'_, Node>> = controls
        .iter()
        .filter_map(|c| Some((c.value().as_element()?.at("id")?, *c)))
        .collect();
    for (label, n) in labels {
        if table.header.iter().any(|h| h.eq_ignore_ascii_case(&label)) {
            continue;
        }
        if let Some(v) = value_for(n, &ids, as_of) {
            table.header.push(label);
            row.push(v);
        }
    }
    if table.header.is_empty() {
        return None;
    }
    table.rows.push(
        row.into_iter()
            .map(|text| clean::CellText {
                text,
                ..clean::CellText::default()
            })
            .collect(),
    );
    Some(table)
}

/// The value a label labels: its `for` control, a control inside it, else the next box (a
/// control in it, or its text).
fn value_for(
    label: NodeRef<'_, Node>,
    ids: &HashMap<&str, NodeRef<'_, Node>>,
    as_of: Date,
) -> Option<String> {
    let e = label.value().as_element()?;
    if let Some(c) = e.at("for").and_then(|f| ids.get(f)) {
        return control(*c);
    }
    if let Some(v) = label.descendants().skip(1).find_map(control) {
        return Some(v);
    }
    let mut at = Some(label);
    for _ in 0..2 {
        let n = at?;
        if let Some(next) = n
            .next_siblings()
            .find(|s| s.value().as_element().is_some_and(|e| !clean::hidden(e)))
        {
            if let Some(v) = next.descendants().find_map(control) {
                return Some(v);
            }
            let text = ElementRef::wrap(next).map(|el| clean::cell(el, as_of).text)?;
            return Some(text.lines().next().unwrap_or("").to_string());
        }
        at = n.parent();
    }
    None
}

fn control(n: NodeRef<'_, Node>) -> Option<String> {
    let e = n.value().as_element()?;
    if !matches!(e.name(), "input" | "select" | "textarea") {
        return None;
    }
    clean::control_value(n, e).filter(|v| !v.is_empty())
}
