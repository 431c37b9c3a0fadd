//! Where a page's records are, whatever markup draws them: the same reader for a `<table>`, an
//! ARIA grid, a CSS grid of plain `<div>`s, a list of `<li>`s, or cards of `<dl>` pairs or
//! "Label: value" lines. What it hands on is one shape, a [`RawTable`] (labels and rows of
//! cells), which [`crate::ingest::table::TableReader`] recognizes by its labels and reads.
//!
//! How records are found:
//! 1. One bottom-up pass counts, for every element, the *anchors* its visible text holds: values
//!    that identify a record kind (a redacted or full key `sk-…`, an email, a `proj_…` id, an
//!    amount). See [`Anchors`].
//! 2. Tables and ARIA grids say where their rows and header are ([`grids`]): each row is a
//!    record, the header row labels it.
//! 3. Elsewhere, siblings of the same tag and role are a *repeated structure* ([`repeated`]):
//!    grouped by that signature per parent (hashing, never comparing siblings pairwise, so the
//!    pass stays linear in the page). A group is a list of records when at least two of its
//!    members hold exactly one key (or, failing that, one email, or one project id) and fewer
//!    members hold several (those would be containers of records: the reader descends instead).
//! 4. A record's fields are labeled ([`fields`]) in this order of trust: a header row of any
//!    element type aligned with the record's cells (by position or `aria-colindex`); `<dt>/<dd>`
//!    and `<th scope=row>` pairs; "Label: value" text or a label box over/before its value;
//!    `data-label`, `data-column`, `data-title`, `aria-label` and `title` attributes that name a
//!    column; last, the value's own type (a redaction is the Secret key, a lone email the Email or
//!    creator, a permission word Permissions, "Never" Last used, the first date Created and the
//!    second Last used, an amount Cost).
//!
//! Structures that are not records, and why each is rejected:
//! - navigation, menus, tab bars, breadcrumbs, pagination, toasts and live regions, tooltips,
//!   dialogs, charts and legends: skipped whole by their element (`nav`, `header`, `footer`,
//!   `aside`, `dialog`), role (`navigation`, `menu`, `menubar`, `tablist`, `banner`,
//!   `contentinfo`, `alert`, `status`, `tooltip`, `dialog`, `alertdialog`, `log`, `marquee`),
//!   `aria-live`, or a class/id/test-id word (`nav`, `menu`, `sidebar`, `breadcrumb`,
//!   `pagination`, `pager`, `toast`, `snackbar`, `chart`, `legend`, `tooltip`, `popover`);
//!   hidden elements, `svg` and `canvas` hold no text at all ([`super::clean::hidden`]);
//! - a group without anchors (a summary box of totals, a list of links or tabs, an empty state)
//!   is never records; an amount alone does not anchor a record outside a table, so a monthly
//!   usage box cannot become keys or usage rows;
//! - a group with fewer than two anchored members (one toast or banner naming a key);
//! - a group whose members hold several anchors each (sections of lists): it is descended into;
//! - a table or grid whose header names no kind of record, or a usage table that names no key,
//!   project or user (an invoice list, a monthly summary: "Date, Amount, Status"), is not read
//!   ([`crate::ingest::table::TableReader::identifies_records`]).

mod fields;
mod grids;
mod header;
mod pairs;
mod repeated;
mod types;

use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;
use std::hash::{Hash, Hasher};

use ego_tree::{NodeId, NodeRef};
use jiff::civil::Date;
use scraper::Node;

use super::clean::CellText;
use crate::ingest::table::values;
use crate::secret;

pub(super) use grids::{is_grid, is_read as is_read_grid};
pub(super) use pairs::limits_form;

/// One candidate list of records as read from the page: labels and rows of cells.
#[derive(Debug, Default, Clone)]
pub(super) struct RawTable {
    pub(super) header: Vec<String>,
    pub(super) rows: Vec<Vec<CellText>>,
}

/// What kind of value anchors a group of records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Anchor {
    Key,
    Email,
    Project,
}

/// How a candidate was found: the markup said so (a table, an ARIA grid) or its shape did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Origin {
    Table,
    Grid,
    Repeated,
    Form,
}

/// One way to read a candidate: ready (a table's own header and rows), or worked out only if
/// the readings before it were not recognized (labels from attributes or value types), so a
/// plain table costs one reading.
pub(super) enum Reading<'a> {
    Ready(RawTable),
    Later(Box<dyn Fn() -> Option<RawTable> + 'a>),
}

impl Reading<'_> {
    pub(super) fn table(&self) -> Option<Cow<'_, RawTable>> {
        match self {
            Reading::Ready(t) => Some(Cow::Borrowed(t)),
            Reading::Later(f) => f().map(Cow::Owned),
        }
    }
}

/// One list of records found on the page, with its readings in order of trust (a header row's
/// labels first, then labels from attributes, then from the values' types); the first reading
/// a table reader recognizes is the one read.
pub(super) struct Candidate<'a> {
    pub(super) origin: Origin,
    pub(super) anchor: Option<Anchor>,
    pub(super) readings: Vec<Reading<'a>>,
}

/// What the finder saw, for the message when nothing is read.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Survey {
    /// Tables and ARIA grids.
    pub(super) tables: usize,
    /// Repeated structures of at least three members with text, anchored or not.
    pub(super) structures: usize,
    /// Of those, structures whose members hold a key, an email or a project id.
    pub(super) anchored: usize,
}

/// Anchor values in an element's visible text.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Anchors {
    pub(super) keys: u32,
    pub(super) emails: u32,
    pub(super) projects: u32,
    pub(super) money: u32,
    /// Visible characters (not counting whitespace).
    pub(super) chars: u32,
}

impl Anchors {
    fn add(&mut self, o: &Anchors) {
        self.keys += o.keys;
        self.emails += o.emails;
        self.projects += o.projects;
        self.money += o.money;
        self.chars = self.chars.saturating_add(o.chars);
    }

    pub(super) fn of(&self, a: Anchor) -> u32 {
        match a {
            Anchor::Key => self.keys,
            Anchor::Email => self.emails,
            Anchor::Project => self.projects,
        }
    }

    /// The anchors of one text.
    ///
    /// Asked of every text of the page (45,000 on a 5,000-key page): an ASCII text is split
    /// into words over its bytes, where Unicode's `split_whitespace` decodes every character.
    pub(super) fn of_text(t: &str) -> Anchors {
        let mut a = Anchors::default();
        if t.is_ascii() {
            // `char::is_whitespace` on ASCII: space and \t \n \x0b \x0c \r.
            let space = |c: &u8| *c == b' ' || (b'\t'..=b'\r').contains(c);
            let b = t.as_bytes();
            let mut i = 0;
            while i < b.len() {
                if b.get(i).is_some_and(space) {
                    i += 1;
                    continue;
                }
                let start = i;
                while b.get(i).is_some_and(|c| !space(c)) {
                    i += 1;
                }
                // An ASCII word counts its bytes as characters.
                a.chars += (i - start) as u32;
                a.word(t.get(start..i).unwrap_or_default());
            }
            return a;
        }
        for tok in t.split_whitespace() {
            a.chars += tok.chars().count() as u32;
            a.word(tok);
        }
        a
    }

    /// Counts what one word of a text anchors.
    fn word(&mut self, tok: &str) {
        let tok = tok.trim_matches(|c: char| matches!(c, ',' | ';' | '(' | ')' | '"' | '\''));
        if is_key(tok) {
            self.keys += 1;
        } else if values::is_email(tok) {
            self.emails += 1;
        } else if is_project_id(tok) {
            self.projects += 1;
        } else if tok.starts_with('$') && values::number(tok, false).is_ok_and(|v| v.is_some()) {
            self.money += 1;
        }
    }
}

/// A key as a page shows it: a redaction (`sk-proj-...K2m9`) or a full secret.
pub(super) fn is_key(tok: &str) -> bool {
    tok.starts_with("sk-") && (secret::is_redaction(tok) || !secret::scrub_cow(tok).1.is_empty())
}

/// A project id: `proj_` and letters or digits.
pub(super) fn is_project_id(tok: &str) -> bool {
    tok.strip_prefix("proj_")
        .is_some_and(|r| r.len() >= 4 && r.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Anchors of every element, from one bottom-up pass; hidden subtrees count nothing.
///
/// Kept in a vector by the node's index in the tree's arena, not a map by node id: a 20,000-row
/// page has some 260,000 nodes, and hashing into a map that size (a cache miss per node, its
/// growth rehashing all of it) took 40 times as long as at 2,000 rows, where it fit the caches;
/// the arena is in document order, as the walks that read the counts are.
#[derive(Default)]
pub(super) struct Counts(Vec<Anchors>);

impl Counts {
    /// Room for every node of `root`'s tree, each counting nothing yet.
    pub(super) fn of_tree(root: NodeRef<'_, Node>) -> Counts {
        Counts(vec![Anchors::default(); root.tree().nodes().len()])
    }

    /// Adds what `n` holds to its parent's count, once everything under `n` is counted (a walk
    /// calls this as each node closes); `hidden`: `n` is an element a reader does not see.
    pub(super) fn close(&mut self, n: NodeRef<'_, Node>, hidden: bool) {
        let mine = match n.value() {
            Node::Text(t) => Anchors::of_text(t),
            Node::Element(_) if hidden => return,
            Node::Element(_) | Node::Document | Node::Fragment => anchors_of(self, n),
            _ => return,
        };
        if mine == Anchors::default() {
            return;
        }
        if let Some(a) = n.parent().and_then(|p| self.0.get_mut(index(p.id()))) {
            a.add(&mine);
        }
    }
}

/// A node's index in its tree's arena: the number ego_tree's `NodeId` wraps and keeps private,
/// which is all its `Hash` writes (`tests::node_index_is_the_arena_index` pins that).
fn index(id: NodeId) -> usize {
    struct Capture(u64);
    impl Hasher for Capture {
        fn finish(&self) -> u64 {
            self.0
        }
        fn write(&mut self, bytes: &[u8]) {
            for b in bytes.iter().rev() {
                self.0 = self.0 << 8 | u64::from(*b);
            }
        }
        fn write_usize(&mut self, n: usize) {
            self.0 = n as u64;
        }
    }
    let mut h = Capture(0);
    id.hash(&mut h);
    // ego_tree numbers from 1 (a `NonZeroUsize`); 0 would be a different layout: map it past
    // the arena, where it reads as no anchors rather than another node's.
    usize::try_from(h.0).map_or(usize::MAX, |i| i.wrapping_sub(1))
}

#[cfg(test)]
pub(super) fn count(root: NodeRef<'_, Node>) -> Counts {
    let mut counts = Counts::of_tree(root);
    // A node closes after everything under it (post-order), so its own count is complete when
    // it is added to its parent's; no list of the page's nodes is kept. The page reader counts
    // in its outline's walk instead ([`super::outline::Outline::of`]).
    for edge in root.traverse() {
        if let ego_tree::iter::Edge::Close(n) = edge {
            let hidden = n.value().as_element().is_some_and(super::clean::hidden);
            counts.close(n, hidden);
        }
    }
    counts
}

pub(super) fn anchors_of(counts: &Counts, n: NodeRef<'_, Node>) -> Anchors {
    counts.0.get(index(n.id())).copied().unwrap_or_default()
}

/// Every list of records on the page, in document order, and what was seen. `counts` is
/// [`count`] of the same page.
#[cfg(test)]
pub(super) fn find<'a>(
    root: NodeRef<'a, Node>,
    counts: &'a Counts,
    as_of: Date,
) -> (Vec<Candidate<'a>>, Survey) {
    let grids: Vec<_> = root
        .descendants()
        .filter(|n| n.value().as_element().is_some_and(grids::is_read))
        .collect();
    find_among(root, &grids, counts, as_of)
}

/// [`find`], with the page's tables and grids that are read ([`grids::is_read`]) already
/// gathered, in document order (the page outline's walk gathers them).
pub(super) fn find_among<'a>(
    root: NodeRef<'a, Node>,
    tables: &[NodeRef<'a, Node>],
    counts: &'a Counts,
    as_of: Date,
) -> (Vec<Candidate<'a>>, Survey) {
    let mut survey = Survey::default();
    let mut found: Vec<(NodeId, Candidate<'a>)> = Vec::new();
    let mut claimed = FxHashSet::default();
    grids::find(tables, counts, as_of, &mut found, &mut survey, &mut claimed);
    repeated::find(root, counts, as_of, &mut found, &mut survey, &claimed);
    // Document order: a node's position in a pre-order walk.
    let order: FxHashMap<NodeId, usize> = if found.len() > 1 {
        root.descendants()
            .enumerate()
            .map(|(i, n)| (n.id(), i))
            .collect()
    } else {
        FxHashMap::default()
    };
    found.sort_by_key(|(id, _)| order.get(id).copied().unwrap_or(0));
    (found.into_iter().map(|(_, c)| c).collect(), survey)
}

/// Which anchor identifies the records among `members`: the first of key, email, project id
/// that at least two members hold exactly once, more than hold it several times.
pub(super) fn anchor_of(counts: &Counts, members: &[NodeRef<'_, Node>]) -> Option<Anchor> {
    [Anchor::Key, Anchor::Email, Anchor::Project]
        .into_iter()
        .find(|&a| {
            let (mut once, mut more) = (0, 0);
            for m in members {
                match anchors_of(counts, *m).of(a) {
                    0 => {}
                    1 => once += 1,
                    _ => more += 1,
                }
            }
            let with_text = members
                .iter()
                .filter(|m| anchors_of(counts, **m).chars > 0)
                .count();
            // A member showing its anchor twice (an invite's email as its title and in its
            // details) is still one record; members that mostly hold several are containers.
            once >= 2 && more < once && (once + more) * 2 >= with_text
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_index_is_the_arena_index() {
        let doc = scraper::Html::parse_document(
            "<table><tr><td>a</td><td>sk-proj-...Ab12</td></tr></table><p hidden>x@y.com</p>",
        );
        // `Tree::nodes` walks the arena in index order.
        let ids: Vec<usize> = doc.tree.nodes().map(|n| index(n.id())).collect();
        assert_eq!(ids, (0..doc.tree.nodes().len()).collect::<Vec<_>>());
    }

    /// ASCII texts (split over bytes) and others (split by Unicode) count alike.
    #[test]
    fn ascii_and_unicode_texts_count_alike() {
        let texts = [
            "  sk-proj-...Ab12\t(ada@example.com),\x0bproj_abc123 $12.50\r\n$ x  ",
            "",
            " \n\t ",
            "one",
            "\"sk-proj-...Cd34\";",
        ];
        for t in texts {
            let ascii = Anchors::of_text(t);
            // The same words with a no-break space, which only the Unicode split reads.
            let unicode = Anchors::of_text(&format!("{t}\u{a0}"));
            assert_eq!(ascii, unicode, "{t:?}");
        }
        let a = Anchors::of_text(texts[0]);
        assert_eq!((a.keys, a.emails, a.projects, a.money), (1, 1, 1, 1));
        assert_eq!(a.chars, 52);
        // A no-break space separates words too (Unicode whitespace), and é is one character.
        let b = Anchors::of_text("café\u{a0}sk-proj-...Ab12");
        assert_eq!((b.keys, b.chars), (1, 19));
    }

    #[test]
    fn counts_add_up_the_tree_and_skip_hidden_elements() {
        let doc = scraper::Html::parse_document(
            "<div><p>sk-proj-...Ab12 a@b.com</p><p hidden>sk-proj-...Cd34</p></div>",
        );
        let root = doc.tree.root();
        let counts = count(root);
        let div = root
            .descendants()
            .find(|n| n.value().as_element().is_some_and(|e| e.name() == "div"))
            .unwrap();
        let a = anchors_of(&counts, div);
        assert_eq!((a.keys, a.emails), (1, 1));
        assert_eq!(anchors_of(&counts, root).keys, 1);
    }
}
