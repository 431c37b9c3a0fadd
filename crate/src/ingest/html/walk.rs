//! One pre-order walk of a page that knows, for every node, which kinds of element enclose it.
//!
//! Why: asking each node "is any ancestor a table / hidden / a picture?" walks up the tree once
//! per node, which costs nodes × depth. A page may nest hundreds deep (up to the depth limit) over
//! hundreds of thousands of nodes, so the page-level readers (viewer, pagination, saved URL) walk
//! once (gathering what they need in [`super::outline`]) and count the enclosing elements of
//! each kind as they open and close.

use ego_tree::iter::Edge;
use ego_tree::NodeRef;
use scraper::Node;

use super::{clean, layout};

/// How many open ancestors of each kind enclose a node (the node itself not counted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Inside {
    /// Elements enclosing the node, from the walk's start (included when it is an element).
    pub depth: u32,
    /// `<table>`s and ARIA grids/tables: text inside is data, not page chrome.
    pub tables: u32,
    /// Elements a person does not see (`hidden`, `aria-hidden`, `display:none`, `<template>`…).
    pub hidden: u32,
    /// `<svg>`, `<script>`, `<style>`: text inside is not words on the page.
    pub graphics: u32,
}

impl Inside {
    pub fn in_table(&self) -> bool {
        self.tables > 0
    }
    pub fn in_hidden(&self) -> bool {
        self.hidden > 0
    }
    pub fn in_graphic(&self) -> bool {
        self.graphics > 0
    }
}

/// What one element adds to the counts of everything under it.
fn marks(n: NodeRef<'_, Node>) -> Inside {
    let Some(e) = n.value().as_element() else {
        return Inside::default();
    };
    Inside {
        depth: 1,
        tables: u32::from(e.name() == "table" || layout::is_grid(e)),
        hidden: u32::from(clean::hidden(e)),
        graphics: u32::from(matches!(e.name(), "svg" | "script" | "style")),
    }
}

/// One edge of [`steps`].
pub enum Step<'a> {
    /// A node opens: what encloses it below the walk's start, and what it adds itself.
    Open(NodeRef<'a, Node>, Inside, Inside),
    /// A node closes, after everything under it: what it added itself (an element that is
    /// hidden has `hidden == 1`).
    Close(NodeRef<'a, Node>, Inside),
}

/// Every node under `root` (itself first) opening in document order and closing after what is
/// under it, each element asked once what it adds: for a reader that works both ways in one
/// walk (the page outline top-down and the layout's anchor counts bottom-up).
pub fn steps<'a>(root: NodeRef<'a, Node>) -> impl Iterator<Item = Step<'a>> {
    let mut now = Inside::default();
    // What each open node added, so closing it does not ask the element again.
    let mut open: Vec<Inside> = Vec::new();
    root.traverse().map(move |edge| match edge {
        Edge::Open(n) => {
            let at = now;
            let m = marks(n);
            now.depth += m.depth;
            now.tables += m.tables;
            now.hidden += m.hidden;
            now.graphics += m.graphics;
            open.push(m);
            Step::Open(n, at, m)
        }
        Edge::Close(n) => {
            let m = open.pop().unwrap_or_default();
            now.depth -= m.depth;
            now.tables -= m.tables;
            now.hidden -= m.hidden;
            now.graphics -= m.graphics;
            Step::Close(n, m)
        }
    })
}

/// Every node under `root` (itself first) in document order, with what encloses it below `root`.
pub fn walk<'a>(root: NodeRef<'a, Node>) -> impl Iterator<Item = (NodeRef<'a, Node>, Inside)> {
    steps(root).filter_map(|step| match step {
        Step::Open(n, at, _) => Some((n, at)),
        Step::Close(..) => None,
    })
}

#[cfg(test)]
mod tests {
    use scraper::Html;

    use super::*;

    fn text_inside(html: &str) -> Vec<(String, Inside)> {
        let doc = Html::parse_document(html);
        walk(doc.tree.root())
            .filter_map(|(n, i)| n.value().as_text().map(|t| (t.trim().to_string(), i)))
            .filter(|(t, _)| !t.is_empty())
            .collect()
    }

    #[test]
    fn counts_the_enclosing_kinds_of_each_text() {
        let got = text_inside(
            "<body><p>plain</p><table><tr><td>cell</td></tr></table>\
             <div role=grid><div hidden>gone</div></div><svg><text>pic</text></svg>\
             <p>after</p></body>",
        );
        let find = |w: &str| got.iter().find(|(t, _)| t == w).map(|(_, i)| *i).unwrap();
        assert!(!find("plain").in_table() && !find("plain").in_hidden());
        assert!(find("cell").in_table());
        assert!(find("gone").in_table() && find("gone").in_hidden());
        assert!(find("pic").in_graphic() && !find("pic").in_table());
        // html, body, p
        assert_eq!(
            find("after"),
            Inside {
                depth: 3,
                ..Inside::default()
            }
        );
    }

    #[test]
    fn an_element_does_not_count_itself() {
        let doc = Html::parse_document("<body><table id=t><tr><td>x</td></tr></table></body>");
        let (_, inside) = walk(doc.tree.root())
            .find(|(n, _)| n.value().as_element().is_some_and(|e| e.name() == "table"))
            .unwrap();
        assert!(!inside.in_table());
    }

    #[test]
    fn counts_depth_under_a_deep_chain_visiting_each_node_once() {
        let html = format!(
            "<body>{}{}{}</body>",
            "<div>".repeat(500),
            "<span>1 of 2</span>".repeat(5_000),
            "</div>".repeat(500)
        );
        let doc = Html::parse_document(&html);
        let nodes = doc.tree.root().descendants().count();
        assert_eq!(walk(doc.tree.root()).count(), nodes);
        let deepest = walk(doc.tree.root()).map(|(_, i)| i.depth).max().unwrap();
        assert!(deepest >= 500, "{deepest}");
    }
}
