//! The few nodes the page-level readers look at, gathered in one walk of the page.
//!
//! Why: the page-level readers (where a save came from, the title and headings, who is signed
//! in, pagination footers, a grid's `aria-rowcount`, filter selects) each walked the whole page
//! to find a handful of nodes. On a page of 20,000 rows that is nine walks over a tree far
//! larger than the processor's caches, each paying a cache miss per node: together they were a
//! third of the read and grew faster than the page. One walk now keeps, in document order, every
//! node any of them could use; each reader then looks only at those, and finds exactly what its
//! own walk found (the predicates here are the readers' own first tests, never narrower). The
//! same walk counts the layout's anchors as each node closes and gathers the tables and grids
//! the layout reads: two more walks of the page before (3% of a 5,000-key page's audit, in
//! instructions).

use ego_tree::NodeRef;
use scraper::Node;

use super::clean::Attr;
use super::layout::{is_read_grid, Counts};
use super::page::contains_ci;
use super::viewer;
use super::walk::{steps, Inside, Step};

/// Nodes of a page by what may look at them, each list in document order.
#[derive(Default)]
pub(super) struct Outline<'a> {
    /// Comments (a browser's `saved from url=` line).
    pub(super) comments: Vec<NodeRef<'a, Node>>,
    /// `<link>`, `<meta>`, `<base>`, `<title>`, `<h1>`, `<h2>`, and `<a aria-current=page>`.
    pub(super) named: Vec<NodeRef<'a, Node>>,
    /// Elements with an `aria-rowcount`.
    pub(super) rowcounts: Vec<NodeRef<'a, Node>>,
    /// `<select>`s, with what encloses them.
    pub(super) selects: Vec<(NodeRef<'a, Node>, Inside)>,
    /// Visible text nodes containing `of` (pagination footers).
    pub(super) of_texts: Vec<NodeRef<'a, Node>>,
    /// Texts and elements that may say who is signed in ([`viewer::signed_in`]).
    pub(super) viewer: Vec<NodeRef<'a, Node>>,
    /// Outside tables: elements whose labels may name a project or organization selector, with
    /// their depth ([`super::page::selected`]).
    pub(super) selectors: Vec<(NodeRef<'a, Node>, u32)>,
    /// Outside tables: elements whose labels say `breadcrumb`.
    pub(super) breadcrumbs: Vec<NodeRef<'a, Node>>,
    /// Outside tables, visible: texts that may state the viewer's role or reach (`own`, `as `,
    /// `role` in any case).
    pub(super) notices: Vec<NodeRef<'a, Node>>,
    /// The tables and grids the layout reads ([`super::layout::is_read_grid`]).
    pub(super) tables: Vec<NodeRef<'a, Node>>,
    /// The anchors under every node ([`super::layout::count`]), counted as the walk closes each.
    pub(super) counts: Counts,
}

impl<'a> Outline<'a> {
    /// Walks the page once.
    pub(super) fn of(root: NodeRef<'a, Node>) -> Self {
        let mut o = Outline {
            counts: Counts::of_tree(root),
            ..Outline::default()
        };
        for step in steps(root) {
            let (n, inside, own) = match step {
                Step::Open(n, inside, own) => (n, inside, own),
                Step::Close(n, own) => {
                    o.counts.close(n, own.hidden > 0);
                    continue;
                }
            };
            match n.value() {
                Node::Comment(_) => o.comments.push(n),
                Node::Text(t) => {
                    // Two bytes looked for in a plain loop: a substring searcher's set-up cost
                    // more than the search, on every text of the page.
                    if t.as_bytes().windows(2).any(|w| w == b"of") && !inside.in_hidden() {
                        o.of_texts.push(n);
                    }
                    // ASCII case is enough: no other character lowercases to these letters.
                    if !inside.in_table()
                        && !inside.in_hidden()
                        && ["own", "as ", "role"].iter().any(|w| contains_ci(t, w))
                    {
                        o.notices.push(n);
                    }
                    if viewer::text_may_say(t) {
                        o.viewer.push(n);
                    }
                }
                Node::Element(e) => {
                    let named = match e.name() {
                        "link" | "meta" | "base" | "title" | "h1" | "h2" => true,
                        "a" => e
                            .at("aria-current")
                            .is_some_and(|v| v.eq_ignore_ascii_case("page")),
                        "select" => {
                            o.selects.push((n, inside));
                            false
                        }
                        _ => false,
                    };
                    if named {
                        o.named.push(n);
                    }
                    if e.at("aria-rowcount").is_some() {
                        o.rowcounts.push(n);
                    }
                    if own.tables > 0 && is_read_grid(e) {
                        o.tables.push(n);
                    }
                    if viewer::element_may_say(e) {
                        o.viewer.push(n);
                    }
                    if !inside.in_table() {
                        let says = |a: &str, w: &str| e.at(a).is_some_and(|v| contains_ci(v, w));
                        let labels = ["aria-label", "data-testid", "id", "class"];
                        if ["project", "organization", "org-"]
                            .iter()
                            .any(|w| labels.iter().any(|a| says(a, w)))
                        {
                            o.selectors.push((n, inside.depth));
                        }
                        if ["aria-label", "class", "data-testid"]
                            .iter()
                            .any(|a| says(a, "breadcrumb"))
                        {
                            o.breadcrumbs.push(n);
                        }
                    }
                }
                _ => {}
            }
        }
        o
    }
}
