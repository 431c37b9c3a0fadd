//! A record's fields and their labels. A record element is split into *fields*: its visible
//! children, descending through wrappers and through boxes that group several blocks (a card's
//! body), but not into a box of inline pieces (a name over an email is one field). Each field
//! is labeled by the most trusted thing the page offers (see the order in [`super`]); the
//! labels become a [`RawTable`] header so the table reader's synonyms apply.

use ego_tree::NodeRef;
use jiff::civil::Date;
use scraper::{ElementRef, Node};

use super::{anchors_of, grids, Anchor, Anchors, Counts, RawTable};
use crate::ingest::dates::{self, Parsed};
use crate::ingest::html::clean::{self, CellText};
use crate::ingest::table::{known_column, values};

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
struct Field {
    label: Option<String>,
    cell: CellText,
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
            Node::Element(e) if !clean::hidden(e) => {
                if anchors_of(counts, c).chars > 0 || is_control(e) {
                    out.push(Child::El(c));
                }
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

fn name_of(n: NodeRef<'_, Node>) -> &str {
    n.value().as_element().map_or("", |e| e.name())
}

/// Through wrappers that hold a single child and no text of their own.
fn unwrap<'a>(mut n: NodeRef<'a, Node>, counts: &Counts) -> NodeRef<'a, Node> {
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

fn text_of(n: NodeRef<'_, Node>, as_of: Date) -> CellText {
    ElementRef::wrap(n).map_or_else(CellText::default, |el| clean::cell(el, as_of))
}

/// A label an attribute gives an element (or its only descendant chain), if it names a column.
fn attribute_label(n: NodeRef<'_, Node>) -> Option<String> {
    let e = n.value().as_element()?;
    LABEL_ATTRS
        .iter()
        .filter_map(|a| e.attr(a))
        .map(str::trim)
        .find(|v| known_column(v))
        .map(str::to_string)
}

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
        .map(|c| {
            (
                grids::header_text(&text_of(*c, as_of)),
                grids::colindex(*c),
            )
        })
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
            .find_map(|a| e.attr(a))
            .map(|v| v.trim().to_string())
    };
    let first = rows.iter().find(|r| cells_of(**r).iter().any(|c| label(*c).is_some()))?;
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
        split(unwrap(*r, counts), counts, as_of, &mut fs, &mut pending, true);
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
    let _ = top;
}

/// `<label>`, or an element a screen reader is told is a term.
fn is_label_element(n: NodeRef<'_, Node>) -> bool {
    n.value()
        .as_element()
        .is_some_and(|e| e.name() == "label" || e.attr("role") == Some("term"))
}

/// A box of exactly two pieces, the first naming a column: `<div><span>Last used</span>
/// <span>Nov 3, 2025</span></div>`, or the label stacked over the value.
fn pair(n: NodeRef<'_, Node>, counts: &Counts, as_of: Date) -> Option<Field> {
    let kids = visible_children(n, counts);
    let [first, second] = kids.as_slice() else {
        return None;
    };
    let label = match first {
        Child::El(f) => {
            if anchors_of(counts, *f) != Anchors::default()
                && Anchors::of_text(&text_of(*f, as_of).text).keys
                    + Anchors::of_text(&text_of(*f, as_of).text).emails
                    > 0
            {
                return None;
            }
            text_of(*f, as_of).text.replace('\n', " ")
        }
        Child::Text(t) => t.clone(),
    };
    let label = label.trim().trim_end_matches([':', '—', '–']).trim().to_string();
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

/// An unlabeled name followed by an unlabeled lone email is one person shown as two boxes; a
/// person's chip shown as its own box (`deploy-bot` then `Service account`) belongs to the
/// field before it.
fn merge_stacked(fs: &mut Vec<Field>) {
    let mut i = 1;
    while i < fs.len() {
        let chip = fs[i].label.is_none()
            && fs[i].cell.badges.is_empty()
            && matches!(
                fs[i].cell.text.to_lowercase().as_str(),
                "service account" | "you"
            );
        if chip {
            let f = fs.remove(i);
            fs[i - 1].cell.badges.push(f.cell.text);
        } else {
            i += 1;
        }
    }
    let mut i = 0;
    while i + 1 < fs.len() {
        let (a, b) = (&fs[i], &fs[i + 1]);
        let mergeable = a.label.is_none()
            && b.label.is_none()
            && values::is_email(&b.cell.text)
            && kind_of(&a.cell, None) == Value::Text;
        if mergeable {
            let b = fs.remove(i + 1);
            let a = &mut fs[i];
            a.cell.text = format!("{}\n{}", a.cell.text, b.cell.text);
            a.cell.badges.extend(b.cell.badges);
        }
        i += 1;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Value {
    Key,
    /// A key's name stacked over its redaction.
    NamedKey,
    Email,
    /// A name over an email, or a name with a person's chip.
    Person,
    Project,
    Never,
    Date,
    Permission,
    Role,
    Status,
    Money,
    Text,
}

fn kind_of(c: &CellText, as_of: Option<Date>) -> Value {
    let t = c.text.trim();
    let lines: Vec<&str> = t.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let a = Anchors::of_text(t);
    if a.keys > 0 {
        let plain = lines.iter().any(|l| Anchors::of_text(l).keys == 0);
        return if plain { Value::NamedKey } else { Value::Key };
    }
    if a.emails > 0 {
        return if lines.len() == 1 && values::is_email(t) {
            Value::Email
        } else {
            Value::Person
        };
    }
    let chips: Vec<String> = c.badges.iter().map(|b| b.to_lowercase()).collect();
    if chips.iter().any(|b| b == "you" || b == "service account") || t.eq_ignore_ascii_case("you")
    {
        return Value::Person;
    }
    if a.projects > 0 && lines.len() == 1 {
        return Value::Project;
    }
    let lower = t.to_lowercase();
    if matches!(lower.as_str(), "owner" | "reader" | "member" | "admin") {
        return Value::Role;
    }
    if matches!(
        lower.as_str(),
        "active" | "invited" | "pending" | "archived" | "disabled" | "expired" | "revoked"
    ) {
        return Value::Status;
    }
    if matches!(values::permissions(t), Ok(p) if p != crate::model::Permissions::Unknown) {
        return Value::Permission;
    }
    if let Some(as_of) = as_of {
        let hinted = c
            .hint
            .as_deref()
            .and_then(|h| dates::parse(h, as_of))
            .filter(|p| matches!(p, Parsed::Date(_)));
        match hinted.or_else(|| dates::parse(t, as_of)) {
            Some(Parsed::Never) => return Value::Never,
            Some(Parsed::Date(_)) => return Value::Date,
            _ => {}
        }
    }
    if a.money > 0 && lines.len() == 1 {
        return Value::Money;
    }
    Value::Text
}

/// Labels the fields nothing labeled, by what their values are.
fn by_type(fs: &mut [Field], anchor: Anchor, as_of: Date) {
    let mut taken: Vec<String> = fs
        .iter()
        .filter_map(|f| f.label.as_ref().map(|l| l.to_lowercase()))
        .collect();
    let take = |taken: &mut Vec<String>, l: &str| -> Option<String> {
        if taken.iter().any(|t| t == &l.to_lowercase()) {
            return None;
        }
        taken.push(l.to_lowercase());
        Some(l.to_string())
    };
    for f in fs.iter_mut().filter(|f| f.label.is_none()) {
        let v = kind_of(&f.cell, Some(as_of));
        let wanted: &[&str] = match (anchor, v) {
            (_, Value::Key) => &["Secret key"],
            (Anchor::Key, Value::NamedKey) => &["Name", "Secret key"],
            (Anchor::Key, Value::Email | Value::Person) => &["Created by"],
            (Anchor::Key, Value::Project) => &["Project"],
            (Anchor::Key, Value::Never) => &["Last used"],
            (Anchor::Key, Value::Date) => &["Created", "Last used", "Expires"],
            (Anchor::Key, Value::Permission) => &["Permissions"],
            (Anchor::Key, Value::Money) => &["Cost"],
            (Anchor::Key, Value::Text) => &["Name", "Project", "Created by"],
            (Anchor::Email, Value::Email) => &["Email", "Name"],
            (Anchor::Email, Value::Person) => &["Name"],
            (Anchor::Email, Value::Role) => &["Role"],
            (Anchor::Email, Value::Status) => &["Status"],
            (Anchor::Email, Value::Date) => &["Added"],
            (Anchor::Email, Value::Text) => &["Name"],
            (Anchor::Project, Value::Project) => &["ID"],
            (Anchor::Project, Value::Status) => &["Status"],
            (Anchor::Project, Value::Date) => &["Created"],
            (Anchor::Project, Value::Text) => &["Name"],
            _ => &[],
        };
        f.label = wanted.iter().find_map(|l| take(&mut taken, l));
    }
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
                    .is_some_and(|e| e.attr("class") == Some("rec"))
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
            ["Name", "Secret key", "Created", "Last used", "Project", "Created by", "Permissions"]
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
}
