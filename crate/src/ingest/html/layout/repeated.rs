//! Repeated structures outside tables and grids: siblings of one tag and role, grouped per parent
//! by that signature in one walk of the page. A group anchored on a key, an email or a project
//! id is a list of records; its header is a row of labels among or just before it (any element
//! type), else its fields are labeled one by one ([`super::fields`]). Page chrome is skipped
//! whole (see the rejection rules in [`super`]).

use crate::ingest::html::clean::Attr;
use rustc_hash::{FxHashMap, FxHashSet};

use ego_tree::{NodeId, NodeRef};
use jiff::civil::Date;
use scraper::Node;

use super::{
    anchor_of, anchors_of, fields, grids, header, Anchor, Candidate, Counts, Origin, Reading,
    Survey,
};
use crate::ingest::html::clean;

/// Elements whose content is page chrome, never records.
const CHROME_TAGS: &[&str] = &["nav", "header", "footer", "aside", "dialog", "menu"];
const CHROME_ROLES: &[&str] = &[
    "navigation",
    "menu",
    "menubar",
    "tablist",
    "banner",
    "contentinfo",
    "alert",
    "status",
    "tooltip",
    "dialog",
    "alertdialog",
    "log",
    "marquee",
];
/// Words of a class, id or test id that name chrome (`sidebar-nav`, `Toast_root__x1`).
const CHROME_WORDS: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "sidebar",
    "breadcrumb",
    "breadcrumbs",
    "pagination",
    "pager",
    "toast",
    "toaster",
    "snackbar",
    "chart",
    "legend",
    "tooltip",
    "popover",
];

/// Elements that are parts of a table or grid's own structure (read by [`super::grids`]).
const TABLE_PARTS: &[&str] = &[
    "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "colgroup", "col",
];

/// True when an element is page chrome (see [`super`]).
pub(super) fn chrome(e: &scraper::node::Element) -> bool {
    if CHROME_TAGS.contains(&e.name()) {
        return true;
    }
    if e.at("role").is_some_and(|r| CHROME_ROLES.contains(&r)) {
        return true;
    }
    if e.at("aria-live").is_some_and(|v| v != "off") {
        return true;
    }
    let words = |v: &str| -> bool {
        v.split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| CHROME_WORDS.iter().any(|c| w.eq_ignore_ascii_case(c)))
    };
    e.at("class").is_some_and(words)
        || e.at("id").is_some_and(words)
        || e.at("data-testid").is_some_and(words)
}

/// What makes siblings alike: tag and role (class names are hashed per build, so ignored).
type Signature<'e> = (&'e str, &'e str);

fn signature(e: &scraper::node::Element) -> Signature<'_> {
    (e.name(), e.at("role").unwrap_or(""))
}

pub(super) fn find<'a>(
    root: NodeRef<'a, Node>,
    counts: &'a Counts,
    as_of: Date,
    out: &mut Vec<(NodeId, Candidate<'a>)>,
    survey: &mut Survey,
    claimed: &FxHashSet<NodeId>,
) {
    // (node, inside a table or grid)
    let mut stack: Vec<(NodeRef<'a, Node>, bool)> = vec![(root, false)];
    while let Some((n, in_grid)) = stack.pop() {
        let in_grid = in_grid
            || n.value()
                .as_element()
                .is_some_and(|e| e.name() == "table" || grids::is_grid(e));
        // Groups of this node's children by signature, in order of first appearance.
        let mut groups: Vec<(Signature<'_>, Vec<NodeRef<'a, Node>>)> = Vec::new();
        // Where each signature's group is: hashed, so a parent with thousands of unlike
        // children (arbitrary roles) still costs one lookup per child.
        let mut index: FxHashMap<Signature<'_>, usize> = FxHashMap::default();
        let mut kids: Vec<NodeRef<'a, Node>> = Vec::new();
        for c in n.children() {
            let Some(e) = c.value().as_element() else {
                continue;
            };
            if clean::hidden(e) || chrome(e) || anchors_of(counts, c).chars == 0 {
                continue;
            }
            kids.push(c);
            let table_part = TABLE_PARTS.contains(&e.name())
                || (in_grid
                    && matches!(
                        e.at("role"),
                        Some(
                            "row" | "rowgroup" | "cell" | "gridcell" | "columnheader" | "rowheader"
                        )
                    ));
            if table_part {
                continue;
            }
            let sig = signature(e);
            match index.get(&sig).and_then(|&i| groups.get_mut(i)) {
                Some((_, g)) => g.push(c),
                None => {
                    index.insert(sig, groups.len());
                    groups.push((sig, vec![c]));
                }
            }
        }
        let mut taken: FxHashSet<NodeId> = FxHashSet::default();
        for (_, members) in groups.iter().filter(|(_, g)| g.len() >= 2) {
            if members.len() >= 3 {
                survey.structures += 1;
            }
            let (anchor, lone) = match anchor_of(counts, members) {
                Some(a) => (a, false),
                None => match lone_anchor(counts, members) {
                    Some(a) => (a, true),
                    None => continue,
                },
            };
            let records: Vec<NodeRef<'a, Node>> = members
                .iter()
                .copied()
                .filter(|m| anchors_of(counts, *m).of(anchor) >= 1)
                .collect();
            let header = header_row(members, &records, counts, as_of);
            if lone && header.is_none() {
                // One record is a list only under a header row of its own shape (a roster
                // with one key); one key mentioned once elsewhere is not.
                continue;
            }
            survey.anchored += 1;
            let mut readings = Vec::new();
            if let Some(header) = header {
                if let Some(t) = header::aligned(&header, &records, counts, as_of) {
                    readings.push(Reading::Ready(t));
                }
            }
            let first = records.first().map_or(n.id(), |r| r.id());
            readings.push(Reading::Later(Box::new(move || {
                Some(fields::typed(&records, counts, anchor, as_of))
            })));
            out.push((
                first,
                Candidate {
                    origin: Origin::Repeated,
                    anchor: Some(anchor),
                    readings,
                },
            ));
            taken.extend(members.iter().map(|m| m.id()));
        }
        for c in kids.into_iter().rev() {
            if !taken.contains(&c.id()) && !claimed.contains(&c.id()) {
                stack.push((c, in_grid));
            }
        }
    }
}

/// The anchor of the only member of a group that holds one (a header row and a single row).
fn lone_anchor(counts: &Counts, members: &[NodeRef<'_, Node>]) -> Option<Anchor> {
    [Anchor::Key, Anchor::Email, Anchor::Project]
        .into_iter()
        .find(|&a| {
            let mut held = members.iter().map(|m| anchors_of(counts, *m).of(a));
            held.clone().filter(|&n| n == 1).count() == 1 && held.all(|n| n <= 1)
        })
}

/// The header row of a group: a member before the first record, else an element just before
/// the records (a sibling, or a sibling of the records' container), whose texts are labels.
fn header_row(
    members: &[NodeRef<'_, Node>],
    records: &[NodeRef<'_, Node>],
    counts: &Counts,
    as_of: Date,
) -> Option<Vec<(String, Option<usize>)>> {
    let first = *records.first()?;
    let mut candidates: Vec<NodeRef<'_, Node>> = members
        .iter()
        .copied()
        .take_while(|m| m.id() != first.id())
        .collect();
    candidates.reverse();
    let mut at = Some(first);
    for _ in 0..3 {
        let Some(n) = at else { break };
        candidates.extend(n.prev_siblings().filter(|s| s.value().is_element()).take(3));
        at = n.parent();
    }
    let width = header::cells(first, counts).len();
    candidates.into_iter().find_map(|c| {
        let labels = header::header_labels(c, counts, as_of)?;
        let indexed = labels.iter().all(|(_, i)| i.is_some());
        (indexed || labels.len() == width).then_some(labels)
    })
}

#[cfg(test)]
mod tests {
    use super::super::{count, find as find_all, Anchor, Origin};
    use scraper::Html;

    /// (origin, anchor, labels of the first reading, rows) of every candidate in a page.
    fn found(html: &str) -> Vec<(Origin, Option<Anchor>, Vec<String>, usize)> {
        let doc = Html::parse_document(html);
        let root = doc.tree.root();
        let counts = count(root);
        let (cands, _) = find_all(root, &counts, jiff::civil::date(2026, 11, 22));
        cands
            .iter()
            .map(|c| {
                let t = c
                    .readings
                    .first()
                    .and_then(|r| r.table())
                    .expect("a reading");
                (c.origin, c.anchor, t.header.clone(), t.rows.len())
            })
            .collect()
    }

    const ROW: &str = "<div class=r><div>k</div><div>sk-proj-...ab12</div><div>Never</div></div>";

    #[test]
    fn siblings_holding_one_key_each_are_records_with_their_header_row() {
        let page = format!(
            "<main><div class=g><div class=h><div>Name</div><div>Secret key</div><div>Last used</div></div>{ROW}{ROW}{ROW}</div></main>"
        );
        let f = found(&page);
        assert_eq!(f.len(), 1);
        let (origin, anchor, header, rows) = &f[0];
        assert_eq!(
            (*origin, *anchor, *rows),
            (Origin::Repeated, Some(Anchor::Key), 3)
        );
        assert_eq!(header, &["Name", "Secret key", "Last used"]);
    }

    #[test]
    fn sections_of_several_records_are_descended_into() {
        let page =
            format!("<main><section>{ROW}{ROW}</section><section>{ROW}{ROW}{ROW}</section></main>");
        let rows: Vec<usize> = found(&page).iter().map(|f| f.3).collect();
        assert_eq!(rows, [2, 3]);
    }

    #[test]
    fn navigation_toasts_and_single_mentions_are_not_records() {
        let page = format!(
            "<nav><ul><li>{ROW}</li><li>{ROW}</li></ul></nav>\
             <div aria-live=polite>{ROW}{ROW}</div><div class=\"Toast_root__x\">{ROW}{ROW}</div>\
             <div><p>Your key sk-proj-...zz99 was created.</p><p>Keep it safe.</p></div>"
        );
        assert!(found(&page).is_empty());
    }

    #[test]
    fn members_are_anchored_on_emails_and_projects_on_ids() {
        let f = found(
            "<ul><li><span>Ada</span><span>ada@example.com</span></li><li><span>Bo</span><span>bo@example.com</span></li></ul>\
             <ol><li><span>Checkout</span><span>proj_abc123</span></li><li><span>Data</span><span>proj_def456</span></li></ol>",
        );
        let anchors: Vec<Option<Anchor>> = f.iter().map(|c| c.1).collect();
        assert_eq!(anchors, [Some(Anchor::Email), Some(Anchor::Project)]);
    }

    #[test]
    fn a_single_record_under_its_header_row_is_a_list() {
        let page = format!(
            "<main><div class=g><div class=h><div>Name</div><div>Secret key</div><div>Last used</div></div>{ROW}</div>\
             <p>Your key <code>sk-proj-...zz99</code> was created</p></main>"
        );
        let rows: Vec<usize> = found(&page).iter().map(|f| f.3).collect();
        assert_eq!(rows, [1]);
    }
}
