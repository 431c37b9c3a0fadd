//! A fast path for well-formed pages: builds the same [`Html`] tree html5ever would, for the
//! documents whose tree needs none of the HTML tree builder's fix-ups, and declines every other.
//!
//! Why: a saved or live platform page is a serialized DOM (`<!DOCTYPE html><html><head>…</head>
//! <body>…</body></html>`, every element closed where it opened), and html5ever's tokenizer walks
//! it a character at a time through tendrils: on the 5,000-key page its parse was a third of the
//! CLI's instructions. This reader scans the bytes for `<` and `&`, and keeps the tree builder's
//! open elements with the few rules such a page meets (a `<table>`'s sections, rows and cells,
//! void elements, raw text in `<script>`, `<style>` and `<title>`).
//!
//! Identical by construction: whatever would make html5ever do anything but "open this element
//! here, close the current one, add this text or comment here" (a missing `<html>`, `<head>` or
//! `<body>`, an end tag that is not the current element's, a `<p>` a block would close, a `<tr>`
//! straight in a `<table>`, text a table would foster out, SVG or MathML, `<template>`, forms in
//! forms, a character reference outside a short list, a NUL, a quirks-mode doctype...) returns
//! `None`, and the caller parses with html5ever. Where a rule is only approximated, the
//! approximation declines more, never less (e.g. any `<a>` open declines a nested `<a>`). The
//! tests hold every HTML fixture to the same tree both ways, and the `html_fast` fuzz target
//! holds arbitrary input to "the same tree, or declined".

mod body;
mod scan;
mod svg;

use ego_tree::NodeId;
use markup5ever::{local_name, ns, Attribute, LocalName, QualName};
use scraper::node::{Comment, Doctype, Element, Text};
use scraper::{Html, Node, StrTendril};

use crate::ingest::depth::Shape;

/// The tree html5ever would build from `text`, or `None` when the page needs more than this
/// reader's rules (then parse it with html5ever).
pub fn parse(text: &str) -> Option<Html> {
    parse_within(text, usize::MAX).map(|(doc, _)| doc)
}

/// [`parse`], declining a page whose elements nest more than `max_depth` deep (the open
/// elements are walked per start tag, so a very deep page costs time in proportion to its
/// depth), with the page's [`Shape`] as parsed: its deepest nesting (at most `max_depth`) and
/// its `<table>`s, what the limits' pre-scan ([`crate::ingest::depth::shape`]) would measure.
/// A page this reads needs no pre-scan ([`super::read_within`]); one it declines is pre-scanned
/// before html5ever parses it.
pub fn parse_within(text: &str, max_depth: usize) -> Option<(Html, Shape)> {
    if memchr::memchr(0, text.as_bytes()).is_some() {
        return None;
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let normalized;
    let text = if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        normalized = text.replace("\r\n", "\n").replace('\r', "\n");
        normalized.as_str()
    } else {
        text
    };
    let mut b = Builder::new();
    b.max_open = max_depth;
    scan::run(text, &mut b)?;
    let shape = b.shape;
    Some((b.finish()?, shape))
}

/// The fast path held to html5ever on `text`: `Some(true)` the same tree (and quirks mode),
/// `Some(false)` a different one (a bug), `None` declined. For the tests and the `html_fast` fuzz
/// target.
pub fn agrees_with_html5ever(text: &str) -> Option<bool> {
    let fast = parse(text)?;
    let slow = Html::parse_document(text);
    Some(fast.tree == slow.tree && fast.quirks_mode == slow.quirks_mode)
}

/// Where the document is, between the tree builder's insertion modes this reader takes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Phase {
    Initial,
    BeforeHtml,
    BeforeHead,
    InHead,
    AfterHead,
    /// In body, or in a table, its sections, rows and cells (told by the current element).
    Body,
    AfterBody,
    AfterAfterBody,
}

/// How the scanner reads an element's contents.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Content {
    /// Markup: the element opened (or a void one closed at once).
    Markup,
    /// `<title>`: text with character references, up to `</title>`.
    Rcdata,
    /// `<style>`: text as is, up to `</style>`.
    Rawtext,
    /// `<script>`: as [`Content::Rawtext`] (a script with `<!--` is declined by the scanner).
    Script,
}

pub(super) struct Builder {
    doc: Html,
    /// The open elements, innermost last, with their names and whether they are SVG.
    open: Vec<(NodeId, LocalName, bool)>,
    phase: Phase,
    form: bool,
    /// The most elements that may be open at once (past it, declined).
    max_open: usize,
    /// The deepest nesting and the tables so far.
    shape: Shape,
}

/// Declines: the page needs html5ever.
type Step<T = ()> = Option<T>;

fn is_ws(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn all_ws(s: &str) -> bool {
    s.bytes().all(is_ws)
}

impl Builder {
    fn new() -> Self {
        Builder {
            doc: Html::new_document(),
            open: Vec::new(),
            phase: Phase::Initial,
            form: false,
            max_open: usize::MAX,
            shape: Shape::default(),
        }
    }

    fn finish(self) -> Option<Html> {
        matches!(
            self.phase,
            Phase::Body | Phase::AfterBody | Phase::AfterAfterBody
        )
        .then_some(self.doc)
    }

    fn current(&self) -> Option<&LocalName> {
        self.open.last().map(|(_, n, _)| n)
    }

    /// The current element is an HTML one named `name`.
    fn current_is(&self, name: &LocalName) -> bool {
        self.open
            .last()
            .is_some_and(|(_, n, svg)| !svg && n == name)
    }

    fn in_svg(&self) -> bool {
        self.open.last().is_some_and(|&(_, _, svg)| svg)
    }

    fn append(&mut self, parent: NodeId, node: Node) -> Step<NodeId> {
        Some(self.doc.tree.get_mut(parent)?.append(node).id())
    }

    fn root(&self) -> NodeId {
        self.doc.tree.root().id()
    }

    fn top(&self) -> Step<NodeId> {
        self.open.last().map(|(id, _, _)| *id)
    }

    fn element(&mut self, name: LocalName, attrs: Vec<Attribute>, push: bool) -> Step {
        self.insert(name, attrs, push, false)
    }

    fn insert(&mut self, name: LocalName, attrs: Vec<Attribute>, push: bool, svg: bool) -> Step {
        let parent = match self.phase {
            Phase::Initial | Phase::BeforeHtml => self.root(),
            _ => self.top()?,
        };
        let ns = if svg { ns!(svg) } else { ns!(html) };
        let qual = QualName::new(None, ns, name.clone());
        let id = self.append(parent, Node::Element(Element::new(qual, attrs)))?;
        if name == local_name!("table") {
            self.shape.tables += 1;
        }
        if push {
            if self.open.len() >= self.max_open {
                return None;
            }
            self.open.push((id, name, svg));
            self.shape.depth = self.shape.depth.max(self.open.len());
        }
        Some(())
    }

    fn insert_text(&mut self, parent: NodeId, text: &str) -> Step {
        if text.is_empty() {
            return Some(());
        }
        let mut node = self.doc.tree.get_mut(parent)?;
        let joined = node
            .last_child()
            .is_some_and(|mut last| match last.value() {
                Node::Text(t) => {
                    t.text.push_slice(text);
                    true
                }
                _ => false,
            });
        if !joined {
            node.append(Node::Text(Text {
                text: StrTendril::from(text),
            }));
        }
        Some(())
    }

    pub(super) fn doctype(&mut self) -> Step {
        if self.phase != Phase::Initial {
            return None;
        }
        let root = self.root();
        self.append(
            root,
            Node::Doctype(Doctype {
                name: StrTendril::from("html"),
                public_id: StrTendril::new(),
                system_id: StrTendril::new(),
            }),
        )?;
        self.phase = Phase::BeforeHtml;
        Some(())
    }

    pub(super) fn comment(&mut self, text: &str) -> Step {
        let parent = match self.phase {
            Phase::Initial | Phase::BeforeHtml | Phase::AfterAfterBody => self.root(),
            Phase::AfterBody => self.open.first()?.0,
            _ => self.top()?,
        };
        self.append(
            parent,
            Node::Comment(Comment {
                comment: StrTendril::from(text),
            }),
        )?;
        Some(())
    }

    pub(super) fn text(&mut self, text: &str) -> Step {
        match self.phase {
            Phase::Initial | Phase::BeforeHtml | Phase::BeforeHead => all_ws(text).then_some(()),
            Phase::InHead | Phase::AfterHead => {
                if !all_ws(text) {
                    return None;
                }
                let top = self.top()?;
                self.insert_text(top, text)
            }
            Phase::Body => {
                let in_table = !self.in_svg()
                    && matches!(
                        self.current()?,
                        &local_name!("table")
                            | &local_name!("tbody")
                            | &local_name!("thead")
                            | &local_name!("tfoot")
                            | &local_name!("tr")
                    );
                if in_table && !all_ws(text) {
                    return None;
                }
                let top = self.top()?;
                self.insert_text(top, text)
            }
            Phase::AfterBody | Phase::AfterAfterBody => {
                // In body's rules, into the body (still the current element).
                if !all_ws(text) || !self.current_is(&local_name!("body")) {
                    return None;
                }
                let top = self.top()?;
                self.insert_text(top, text)
            }
        }
    }

    /// A start tag; says how to read what follows it.
    pub(super) fn start(
        &mut self,
        name: LocalName,
        attrs: Vec<Attribute>,
        self_closing: bool,
    ) -> Step<Content> {
        if self.phase == Phase::Body && (self.in_svg() || name == local_name!("svg")) {
            return self.svg_element(name, attrs, self_closing);
        }
        let next = match (self.phase, &name) {
            (Phase::BeforeHtml, &local_name!("html")) => Phase::BeforeHead,
            (Phase::BeforeHead, &local_name!("head")) => Phase::InHead,
            (Phase::AfterHead, &local_name!("body")) => Phase::Body,
            (Phase::InHead, _) => return self.head_element(name, attrs),
            (Phase::Body, _) => return self.body_element(name, attrs),
            _ => return None,
        };
        self.element(name, attrs, true)?;
        self.phase = next;
        Some(Content::Markup)
    }

    /// The elements "in head" that stay in head: void ones and raw text.
    fn head_element(&mut self, name: LocalName, attrs: Vec<Attribute>) -> Step<Content> {
        let content = match name {
            local_name!("base")
            | local_name!("basefont")
            | local_name!("bgsound")
            | local_name!("link")
            | local_name!("meta") => {
                self.element(name, attrs, false)?;
                return Some(Content::Markup);
            }
            local_name!("title") => Content::Rcdata,
            local_name!("style") => Content::Rawtext,
            local_name!("script") => Content::Script,
            _ => return None,
        };
        self.element(name, attrs, true)?;
        Some(content)
    }

    /// An end tag: it must close the current element (or be the body's or html's own).
    pub(super) fn end(&mut self, name: &LocalName) -> Step {
        if self.in_svg() {
            // In SVG, names compare in any case (`</lineargradient>` closes `linearGradient`).
            let (_, current, _) = self.open.last()?;
            if self.phase != Phase::Body || !current.eq_ignore_ascii_case(name) {
                return None;
            }
            self.open.pop();
            return Some(());
        }
        match self.phase {
            Phase::InHead if *name == local_name!("head") && self.current_is(name) => {
                self.open.pop();
                self.phase = Phase::AfterHead;
                Some(())
            }
            Phase::Body
                if matches!(*name, local_name!("body") | local_name!("html"))
                    && self.current_is(&local_name!("body")) =>
            {
                self.phase = if *name == local_name!("body") {
                    Phase::AfterBody
                } else {
                    Phase::AfterAfterBody
                };
                Some(())
            }
            Phase::AfterBody if *name == local_name!("html") => {
                self.phase = Phase::AfterAfterBody;
                Some(())
            }
            Phase::Body
                if self.current_is(name)
                    && !matches!(
                        *name,
                        local_name!("html") | local_name!("head") | local_name!("body")
                    ) =>
            {
                if *name == local_name!("form") {
                    self.form = false;
                }
                self.open.pop();
                Some(())
            }
            _ => None,
        }
    }

    /// The text of a raw text element (`<title>`, `<style>`, `<script>`), and its end.
    pub(super) fn raw(&mut self, text: &str) -> Step {
        let top = self.top()?;
        self.insert_text(top, text)?;
        self.open.pop();
        Some(())
    }
}

#[cfg(test)]
#[path = "fast/tests.rs"]
mod tests;
