//! A record's fields and their labels. A record element is split into *fields*: its visible
//! children, descending through wrappers and through boxes that group several blocks (a card's
//! body), but not into a box of inline pieces (a name over an email is one field). Each field
//! is labeled by the most trusted thing the page offers (see the order in [`super`]); the
//! labels become a [`RawTable`] header so the table reader's synonyms apply.

use crate::ingest::html::clean::Attr;
use ego_tree::NodeRef;
use jiff::civil::Date;
use scraper::{ElementRef, Node};

use super::types::{by_type, merge_stacked};
use super::{anchors_of, Anchor, Anchors, Counts, RawTable};
use crate::ingest::dates::{self, Parsed};
use crate::ingest::html::clean::{self, CellText};
use crate::ingest::table::known_column;

/// Attributes that label a value (responsive tables, icon-only cells).
const LABEL_ATTRS: &[&str] = &[
    "data-label",
    "data-column",
    "data-title",
    "aria-label",
    "title",
];

const BLOCKS: &[&str] = &[
    "div", "p", "li", "ul", "ol", "section", "article", "header", "footer", "dl", "dt", "dd",
    "table", "tbody", "thead", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "main",
    "aside", "form", "fieldset",
];

/// Any day: only whether a text is a date is asked, not which.
const DATE_PROBE: Date = Date::constant(2000, 1, 1);

/// One field of a record, with its label when the page gave one.
#[derive(Debug, Clone)]
pub(super) struct Field {
    pub(super) label: Option<String>,
    pub(super) cell: CellText,
}

/// A visible child: an element, or text written directly in the parent.
enum Child<'a> {
    El(NodeRef<'a, Node>),
    Text(String),
}

fn visible_children<'a>(n: NodeRef<'a, Node>, counts: &Counts) -> Vec<Child<'a>> {
    let mut out = Vec::new();
    for c in n.children() {
        match c.value() {
            Node::Element(e)
                if !clean::hidden(e) && (anchors_of(counts, c).chars > 0 || is_control(e)) =>
            {
                out.push(Child::El(c));
            }
            Node::Text(t) if !t.trim().is_empty() => out.push(Child::Text(clean::tidy(t))),
            _ => {}
        }
    }
    out
}

fn is_control(e: &scraper::node::Element) -> bool {
    matches!(e.name(), "input" | "select" | "textarea")
}

pub(super) fn name_of(n: NodeRef<'_, Node>) -> &str {
    n.value().as_element().map_or("", |e| e.name())
}

/// Through wrappers that hold a single child and no text of their own.
pub(super) fn unwrap<'a>(mut n: NodeRef<'a, Node>, counts: &Counts) -> NodeRef<'a, Node> {
    loop {
        let kids = visible_children(n, counts);
        match kids.as_slice() {
            [Child::El(only)] if !is_control_node(*only) => n = *only,
            _ => return n,
        }
    }
}

fn is_control_node(n: NodeRef<'_, Node>) -> bool {
    n.value().as_element().is_some_and(is_control)
}

pub(super) fn text_of(n: NodeRef<'_, Node>, as_of: Date) -> CellText {
    ElementRef::wrap(n).map_or_else(CellText::default, |el| clean::cell(el, as_of))
}

/// A label an attribute gives an element (or its only descendant chain), if it names a column.
fn attribute_label(n: NodeRef<'_, Node>) -> Option<String> {
    let e = n.value().as_element()?;
    LABEL_ATTRS
        .iter()
        .filter_map(|a| e.at(a))
        .map(str::trim)
        .find(|v| known_column(v))
        .map(str::to_string)
}

/// Records labeled field by field, without a header row; fields that nothing labels are
/// labeled by their values' types for a record of kind `anchor`.
pub(super) fn typed(
    records: &[NodeRef<'_, Node>],
    counts: &Counts,
    anchor: Anchor,
    as_of: Date,
) -> RawTable {
    let mut t = RawTable::default();
    for r in records {
        if anchors_of(counts, *r).of(anchor) == 0 {
            continue;
        }
        let mut fs = Vec::new();
        let mut pending = None;
        split(
            unwrap(*r, counts),
            counts,
            as_of,
            &mut fs,
            &mut pending,
            true,
        );
        merge_stacked(&mut fs);
        by_type(&mut fs, anchor, as_of);
        let mut row = vec![CellText::default(); t.header.len()];
        let mut used = Vec::new();
        for f in fs {
            let Some(label) = f.label else { continue };
            let key = label.to_lowercase();
            if used.contains(&key) {
                continue;
            }
            used.push(key);
            let i = match t.header.iter().position(|h| h.eq_ignore_ascii_case(&label)) {
                Some(i) => i,
                None => {
                    t.header.push(label);
                    for prev in t.rows.iter_mut() {
                        prev.push(CellText::default());
                    }
                    row.push(CellText::default());
                    t.header.len() - 1
                }
            };
            if let Some(slot) = row.get_mut(i) {
                *slot = f.cell;
            }
        }
        t.rows.push(row);
    }
    t
}

/// True when an element groups several blocks (a card's body), so its children are fields.
fn groups_blocks(n: NodeRef<'_, Node>, counts: &Counts) -> bool {
    let kids = visible_children(n, counts);
    kids.len() >= 2
        && kids.iter().any(|k| match k {
            Child::El(c) => BLOCKS.contains(&name_of(*c)),
            Child::Text(_) => false,
        })
}

/// Splits an element into fields. `top` is the record itself, always split into its children.
fn split(
    n: NodeRef<'_, Node>,
    counts: &Counts,
    as_of: Date,
    out: &mut Vec<Field>,
    pending: &mut Option<String>,
    top: bool,
) {
    for k in visible_children(n, counts) {
        let c = match k {
            Child::Text(t) => {
                out.push(text_field(
                    pending.take(),
                    CellText {
                        text: t,
                        ..CellText::default()
                    },
                ));
                continue;
            }
            Child::El(c) => unwrap(c, counts),
        };
        let name = name_of(c);
        if name == "dt" || (name == "th" && !top) || is_label_element(c) {
            let label = text_of(c, as_of).text.replace('\n', " ");
            if known_column(&label) {
                *pending = Some(label);
                continue;
            }
        }
        if let Some(f) = pair(c, counts, as_of) {
            out.push(f);
            continue;
        }
        if pending.is_none() && groups_blocks(c, counts) {
            split(c, counts, as_of, out, pending, false);
            continue;
        }
        let label = pending.take().or_else(|| attribute_label(c));
        out.push(text_field(label, text_of(c, as_of)));
    }
}

/// `<label>`, or an element a screen reader is told is a term.
fn is_label_element(n: NodeRef<'_, Node>) -> bool {
    n.value()
        .as_element()
        .is_some_and(|e| e.name() == "label" || e.at("role") == Some("term"))
}

/// A box of exactly two pieces, the first naming a column: `<div><span>Last used</span>
/// <span>Nov 3, 2025</span></div>`, or the label stacked over the value.
fn pair(n: NodeRef<'_, Node>, counts: &Counts, as_of: Date) -> Option<Field> {
    let kids = visible_children(n, counts);
    let [first, second] = kids.as_slice() else {
        return None;
    };
    let label = match first {
        Child::El(f) => text_of(*f, as_of).text.replace('\n', " "),
        Child::Text(t) => t.clone(),
    };
    // A value is never a label (a key named "Secret key" still holds its redaction beside it).
    let a = Anchors::of_text(&label);
    if a.keys + a.emails + a.projects > 0 {
        return None;
    }
    let label = label
        .trim()
        .trim_end_matches([':', '—', '–'])
        .trim()
        .to_string();
    if !known_column(&label) {
        return None;
    }
    let cell = match second {
        Child::El(s) => text_of(*s, as_of),
        Child::Text(t) => CellText {
            text: t.clone(),
            ..CellText::default()
        },
    };
    Some(Field {
        label: Some(label),
        cell,
    })
}

/// A field from a leaf's text: "Label: value" or "Label — value" on its first line, or a label
/// line over the value, labels it when nothing more trusted did.
fn text_field(label: Option<String>, mut cell: CellText) -> Field {
    if label.is_some() {
        return Field { label, cell };
    }
    let first = cell.text.lines().next().unwrap_or("").to_string();
    for sep in [':', '—', '–'] {
        if let Some((l, v)) = first.split_once(sep) {
            let l = l.trim();
            if known_column(l) {
                let rest: Vec<&str> = cell.text.lines().skip(1).collect();
                let mut text = v.trim().to_string();
                for r in rest {
                    if !text.is_empty() {
                        text.push('\n');
                    }
                    text.push_str(r);
                }
                cell.text = text;
                return Field {
                    label: Some(l.to_string()),
                    cell,
                };
            }
        }
    }
    // `Created Jun 2, 2025`, `Last used 3 days ago`: a label then a date, no separator.
    let words: Vec<&str> = first.split_whitespace().collect();
    for n in (1..=3).rev() {
        if words.len() <= n {
            continue;
        }
        let label = words[..n].join(" ");
        let rest = words[n..].join(" ");
        if known_column(&label)
            && matches!(
                dates::parse(&rest, DATE_PROBE),
                Some(Parsed::Date(_) | Parsed::Never)
            )
        {
            cell.text = rest;
            return Field {
                label: Some(label),
                cell,
            };
        }
    }
    if cell.text.lines().count() >= 2 && known_column(&first) {
        cell.text = cell.text.lines().skip(1).collect::<Vec<_>>().join("\n");
        return Field {
            label: Some(first),
            cell,
        };
    }
    Field { label: None, cell }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn typed_of(html: &str, anchor: Anchor) -> RawTable {
        let doc = Html::parse_document(html);
        let root = doc.tree.root();
        let counts = super::super::count(root);
        let records: Vec<NodeRef<'_, Node>> = root
            .descendants()
            .filter(|n| {
                n.value()
                    .as_element()
                    .is_some_and(|e| e.at("class") == Some("rec"))
            })
            .collect();
        typed(&records, &counts, anchor, jiff::civil::date(2026, 11, 22))
    }

    fn cell<'a>(t: &'a RawTable, row: usize, label: &str) -> &'a str {
        let i = t
            .header
            .iter()
            .position(|h| h == label)
            .unwrap_or_else(|| panic!("no {label} in {:?}", t.header));
        &t.rows[row][i].text
    }

    #[test]
    fn unlabeled_spans_are_labeled_by_their_values() {
        let t = typed_of(
            "<ul><li class=rec><span>checkout-prod</span><span>sk-proj-...K2m9</span><span>Nov 3, 2025</span>\
             <span>Never</span><span>Checkout API</span><span>Ada Lovelace</span><span>All</span></li></ul>",
            Anchor::Key,
        );
        assert_eq!(
            t.header,
            [
                "Name",
                "Secret key",
                "Created",
                "Last used",
                "Project",
                "Created by",
                "Permissions"
            ]
        );
        assert_eq!(cell(&t, 0, "Created by"), "Ada Lovelace");
    }

    #[test]
    fn label_value_lines_and_pairs_label_fields() {
        let t = typed_of(
            "<div class=rec><h3>etl</h3><p>Secret key: sk-...q7Rt</p><div><span>Last used</span><span>Nov 3, 2025</span></div>\
             <div class=\"flex flex-col\"><span>Owner</span><span>Priya Nair</span></div><p>Created — Jan 2, 2024</p></div>",
            Anchor::Key,
        );
        assert_eq!(cell(&t, 0, "Secret key"), "sk-...q7Rt");
        assert_eq!(cell(&t, 0, "Last used"), "Nov 3, 2025");
        assert_eq!(cell(&t, 0, "Owner"), "Priya Nair");
        assert_eq!(cell(&t, 0, "Created"), "Jan 2, 2024");
        assert_eq!(cell(&t, 0, "Name"), "etl");
    }

    #[test]
    fn dt_dd_pairs_label_fields() {
        let t = typed_of(
            "<article class=rec><h3>admin-ci</h3><dl><dt>Key</dt><dd>sk-admin-...s1MA</dd><dt>Created by</dt>\
             <dd>Linus</dd><div><dt>Last used</dt><dd>Never</dd></div></dl></article>",
            Anchor::Key,
        );
        assert_eq!(cell(&t, 0, "Key"), "sk-admin-...s1MA");
        assert_eq!(cell(&t, 0, "Created by"), "Linus");
        assert_eq!(cell(&t, 0, "Last used"), "Never");
        assert_eq!(cell(&t, 0, "Name"), "admin-ci");
    }

    #[test]
    fn row_headers_label_the_cells_beside_them() {
        let t = typed_of(
            "<section class=rec><h3>billing</h3><table><tr><th scope=row>Secret key</th><td>sk-proj-...b1L1</td></tr>\
             <tr><th scope=row>Last used</th><td>Never</td></tr><tr><th scope=row>Owner</th><td>Lena Fischer</td></tr></table></section>",
            Anchor::Key,
        );
        assert_eq!(cell(&t, 0, "Secret key"), "sk-proj-...b1L1");
        assert_eq!(cell(&t, 0, "Last used"), "Never");
        assert_eq!(cell(&t, 0, "Owner"), "Lena Fischer");
        assert_eq!(cell(&t, 0, "Name"), "billing");
    }
}
