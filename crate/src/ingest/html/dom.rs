//! A live page's DOM as the browser already parsed it, rebuilt as the same [`Html`] tree the
//! HTML parser would have made of its `outerHTML`, so the page reader ([`super::read_parsed`])
//! walks it unchanged.
//!
//! Why: the extension's popup used to hand the core `document.documentElement.outerHTML`, which
//! the core parsed again with html5ever. The browser has parsed the page already; the popup's
//! injected function (extension/read-page.js, `readPage`) walks the DOM once and sends it in the flat
//! form below, and this module builds the tree from it. The popup's wasm module then never calls
//! the HTML parser, and its tokenizer, tree builder and named-entity table stay out of it. The CLI,
//! www and saved pages still parse HTML text ([`super::read`]).
//!
//! The form: one JSON array, the document element's subtree in document order.
//!
//! | item | meaning |
//! |---|---|
//! | `1`/`2`/`3`, name, n, then n × (attribute name, value) | an element opens (HTML, SVG, MathML namespace) |
//! | `0` | the element open last closes |
//! | `4`, text | a text node |
//! | `5`, text | a comment |
//!
//! What the HTML parser would do on reading the serialized page, and the builder does too:
//! adjacent text nodes join into one (a script may have made "5" and " keys" two nodes), empty
//! ones are dropped, line breaks are normalized (`\r\n` and `\r` become `\n`), a `<template>`'s
//! contents sit under a fragment node (as scraper's tree holds them), and attributes of SVG and
//! MathML elements named `xlink:…`, `xml:…` or `xmlns…` get their namespaces. A DOM no parser
//! could produce (a script's `<tr>` straight in a `<table>`, a `<div>` in a `<p>`) is kept as the
//! browser shows it rather than re-shaped: such nesting reads the same to the page reader, which
//! looks for rows and cells as descendants and roles, not as direct children of a `<tbody>`.

use std::borrow::Cow;
use std::fmt;

use ego_tree::NodeId;
use markup5ever::{ns, Attribute, LocalName, Namespace, Prefix, QualName};
use scraper::node::{Comment, Element, Text};
use scraper::{Html, Node, StrTendril};
use serde::de::{self, Deserializer, SeqAccess, Visitor};

use crate::error::{Error, Position, Result};
use crate::ingest::depth::Shape;

/// Builds the page's tree from the form above, with its [`Shape`] as built (its deepest nesting
/// and its `<table>`s, what the limits check); `name` is the source named in an error.
pub fn build(name: &str, dom: &str) -> Result<(Html, Shape)> {
    let mut de = serde_json::Deserializer::from_str(dom);
    let doc = de
        .deserialize_seq(Builder)
        .and_then(|doc| de.end().map(|()| doc))
        .map_err(|e| {
            Error::input(
                name,
                Position::default(),
                format!("the page's DOM could not be read: {e}"),
            )
        })?;
    Ok(doc)
}

/// The form above written from a parsed tree: what extension/read-page.js sends for the page the
/// tree was parsed from (the document element's subtree; a template's contents under it). The
/// tests' reference for the popup's read, and a way to replay one from a saved page.
pub fn write(doc: &Html) -> String {
    use ego_tree::iter::Edge;
    use serde_json::{json, Value};
    let mut items: Vec<Value> = Vec::new();
    for edge in doc.root_element().traverse() {
        match edge {
            Edge::Open(n) => match n.value() {
                Node::Element(e) => {
                    let op = match e.name.ns {
                        ns!(svg) => 2,
                        ns!(mathml) => 3,
                        _ => 1,
                    };
                    items.extend([json!(op), json!(&*e.name.local), json!(e.attrs.len())]);
                    for (q, v) in &e.attrs {
                        // The attribute's `name` as the DOM has it.
                        let name = match q.prefix.as_deref() {
                            Some(p) if !p.is_empty() => format!("{p}:{}", &*q.local),
                            _ => q.local.to_string(),
                        };
                        items.extend([json!(name), json!(&**v)]);
                    }
                }
                Node::Text(t) => items.extend([json!(4), json!(&*t.text)]),
                Node::Comment(c) => items.extend([json!(5), json!(&*c.comment)]),
                _ => {}
            },
            Edge::Close(n) => {
                if n.value().is_element() {
                    items.push(json!(0));
                }
            }
        }
    }
    Value::Array(items).to_string()
}

/// One item of the array: an opcode or a string (borrowed from the input when it has no escapes).
enum Item<'a> {
    Op(u64),
    Str(Cow<'a, str>),
}

impl<'de> serde::Deserialize<'de> for Item<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Item<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an opcode or a string")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Item<'de>, E> {
                Ok(Item::Op(v))
            }
            fn visit_borrowed_str<E: de::Error>(
                self,
                v: &'de str,
            ) -> std::result::Result<Item<'de>, E> {
                Ok(Item::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Item<'de>, E> {
                Ok(Item::Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> std::result::Result<Item<'de>, E> {
                Ok(Item::Str(Cow::Owned(v)))
            }
        }
        d.deserialize_any(V)
    }
}

/// Reads the array item by item into the tree: no list of items is held.
struct Builder;

impl<'de> Visitor<'de> for Builder {
    type Value = (Html, Shape);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of DOM items")
    }

    fn visit_seq<A: SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let mut doc = Html::new_document();
        let mut shape = Shape::default();
        let root = doc.tree.root().id();
        // The open elements (a template's fragment stands for its template), innermost last.
        let mut open: Vec<NodeId> = vec![root];
        let next_str = |seq: &mut A, what: &str| match seq.next_element::<Item<'de>>()? {
            Some(Item::Str(s)) => Ok(s),
            _ => Err(de::Error::custom(format!("expected {what}"))),
        };
        while let Some(item) = seq.next_element::<Item<'de>>()? {
            let op = match item {
                Item::Op(op) => op,
                Item::Str(_) => {
                    return Err(de::Error::custom("expected an opcode, found a string"))
                }
            };
            let parent = *open.last().unwrap_or(&root);
            match op {
                0 => {
                    if open.len() == 1 {
                        return Err(de::Error::custom("an element closes that never opened"));
                    }
                    open.pop();
                }
                1..=3 => {
                    let ns = match op {
                        1 => ns!(html),
                        2 => ns!(svg),
                        _ => ns!(mathml),
                    };
                    let local = next_str(&mut seq, "an element name")?;
                    let n = match seq.next_element::<Item<'de>>()? {
                        Some(Item::Op(n)) => n,
                        _ => return Err(de::Error::custom("expected an attribute count")),
                    };
                    let foreign = op != 1;
                    let mut attrs = Vec::new();
                    for _ in 0..n {
                        let name = next_str(&mut seq, "an attribute name")?;
                        let value = next_str(&mut seq, "an attribute value")?;
                        attrs.push(Attribute {
                            name: attribute_name(&name, foreign),
                            value: StrTendril::from(&*as_parsed(&value, '\u{fffd}')),
                        });
                    }
                    let template = op == 1 && local == "template";
                    if op == 1 && local == "table" {
                        shape.tables += 1;
                    }
                    let name = QualName::new(None, ns, super::atoms::atom(&local));
                    let mut tree = doc.tree.get_mut(parent).ok_or_else(gone)?;
                    let mut el = tree.append(Node::Element(Element::new(name, attrs)));
                    let id = if template {
                        el.append(Node::Fragment).id()
                    } else {
                        el.id()
                    };
                    open.push(id);
                    // The document's root is the first of `open`, not an element.
                    shape.depth = shape.depth.max(open.len() - 1);
                }
                4 => {
                    let text = next_str(&mut seq, "a text")?;
                    if text.is_empty() {
                        continue;
                    }
                    let text = as_parsed(&text, '\0');
                    let mut tree = doc.tree.get_mut(parent).ok_or_else(gone)?;
                    // Adjacent text joins, as the parser's tree sink joins it.
                    let joined = tree
                        .last_child()
                        .is_some_and(|mut last| match last.value() {
                            Node::Text(t) => {
                                t.text.push_slice(&text);
                                true
                            }
                            _ => false,
                        });
                    if !joined {
                        tree.append(Node::Text(Text {
                            text: StrTendril::from(&*text),
                        }));
                    }
                }
                5 => {
                    let text = next_str(&mut seq, "a comment")?;
                    let comment = StrTendril::from(&*as_parsed(&text, '\u{fffd}'));
                    let mut tree = doc.tree.get_mut(parent).ok_or_else(gone)?;
                    tree.append(Node::Comment(Comment { comment }));
                }
                other => return Err(de::Error::custom(format!("unknown opcode {other}"))),
            }
        }
        Ok((doc, shape))
    }
}

/// An open node missing from the tree: cannot happen (nodes are never removed), said as an error
/// rather than a panic.
fn gone<E: de::Error>() -> E {
    de::Error::custom("an open element is missing")
}

/// The text as the parser would have it from the serialized page: line breaks normalized, and a
/// NUL dropped from text (`nul` `'\0'`) or replaced by U+FFFD in attributes and comments.
fn as_parsed(s: &str, nul: char) -> Cow<'_, str> {
    // Asked of every text and attribute of the page: a byte search, not a char pattern.
    if memchr::memchr2(b'\r', b'\0', s.as_bytes()).is_none() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\0' if nul == '\0' => {}
            '\0' => out.push(nul),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// An attribute's name as the parser names it: on SVG and MathML elements, the few prefixed
/// names HTML's "adjust foreign attributes" step gives a namespace; elsewhere the name as is.
pub(super) fn attribute_name(name: &str, foreign: bool) -> QualName {
    let plain = || QualName::new(None, ns!(), super::atoms::atom(name));
    if !foreign {
        return plain();
    }
    let (prefix, ns, local): (Option<&str>, Namespace, &str) = match name.split_once(':') {
        Some(("xlink", local))
            if matches!(
                local,
                "actuate" | "arcrole" | "href" | "role" | "show" | "title" | "type"
            ) =>
        {
            (Some("xlink"), ns!(xlink), local)
        }
        Some(("xml", local)) if matches!(local, "lang" | "space") => (Some("xml"), ns!(xml), local),
        Some(("xmlns", "xlink")) => (Some("xmlns"), ns!(xmlns), "xlink"),
        // The parser gives this one an empty prefix, not none.
        None if name == "xmlns" => (Some(""), ns!(xmlns), "xmlns"),
        _ => return plain(),
    };
    QualName::new(prefix.map(Prefix::from), ns, LocalName::from(local))
}

#[cfg(test)]
#[path = "dom/tests.rs"]
mod tests;
