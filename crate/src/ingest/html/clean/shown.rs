//! How an element shows: whether a sighted reader sees it at all ([`hidden`]), and whether it
//! starts a line of its own ([`is_block`], [`stacks_children`]). Asked of every element of a page
//! several times over (the page walk, each cell, each layout), so names are compared as atoms and
//! attributes read in place, never interned.

use markup5ever::{local_name, LocalName};

// Element names are compared as atoms (one integer compare each), not as strings: every element
// of every cell meets these lists, several times over.
#[rustfmt::skip]
pub(super) const BLOCK: &[LocalName] = &[
    local_name!("div"), local_name!("p"), local_name!("br"), local_name!("li"), local_name!("ul"),
    local_name!("ol"), local_name!("h1"), local_name!("h2"), local_name!("h3"), local_name!("h4"),
    local_name!("h5"), local_name!("h6"), local_name!("section"), local_name!("article"),
    local_name!("header"), local_name!("footer"), local_name!("tr"), local_name!("table"),
    local_name!("dl"), local_name!("dt"), local_name!("dd"), local_name!("nav"),
    local_name!("main"), local_name!("aside"), local_name!("form"), local_name!("label"),
];

/// Elements that never show text a reader would count as the cell's value.
#[rustfmt::skip]
const NEVER_SHOWN: &[LocalName] = &[
    local_name!("script"), local_name!("style"), local_name!("template"), local_name!("svg"),
    local_name!("noscript"), local_name!("head"), local_name!("iframe"), local_name!("object"),
    local_name!("img"), local_name!("canvas"),
];

/// An element's attribute by name, read without interning the name: scraper's own `attr`
/// turns the name into an atom on every call, which showed as a fifth of a 1,000-key page's
/// read time once every element's attributes were asked about.
pub trait Attr {
    fn at(&self, name: &str) -> Option<&str>;
}

impl Attr for scraper::node::Element {
    fn at(&self, name: &str) -> Option<&str> {
        self.attrs().find(|(k, _)| *k == name).map(|(_, v)| v)
    }
}

/// The tokens of an element's `class` attribute, read in place: scraper's `classes` interns
/// each one as an atom (a hash and a lock per class) the first time an element is asked.
fn class_tokens(el: &scraper::node::Element) -> impl Iterator<Item = &str> {
    el.attrs
        .iter()
        .filter(|(q, _)| q.local == local_name!("class"))
        .flat_map(|(_, v)| v.split_ascii_whitespace())
}

/// True when an element is not shown to a sighted reader.
///
/// Asked of every element several times (the page walk, each cell, each layout): names are
/// compared as atoms, and the attributes are read in one pass, none of them for the many
/// elements without any.
pub fn hidden(el: &scraper::node::Element) -> bool {
    if NEVER_SHOWN.contains(&el.name.local) {
        return true;
    }
    // Compared without allocating.
    const HIDING: &[&str] = &[
        "sr-only",
        "visually-hidden",
        "visuallyhidden",
        "screen-reader-text",
        "screen-reader-only",
        "a11y-hidden",
        "hidden",
    ];
    let hiding_class = |c: &str| {
        HIDING.iter().any(|h| c.eq_ignore_ascii_case(h))
            || c.len()
                .checked_sub("-sr-only".len())
                .and_then(|i| c.get(i..))
                .is_some_and(|t| t.eq_ignore_ascii_case("-sr-only"))
    };
    el.attrs.iter().any(|(q, v)| match q.local {
        local_name!("aria-hidden") => v.trim().eq_ignore_ascii_case("true"),
        local_name!("hidden") => true,
        local_name!("style") => {
            let s: String = v.chars().filter(|c| !c.is_whitespace()).collect();
            let s = s.to_ascii_lowercase();
            s.contains("display:none") || s.contains("visibility:hidden")
        }
        local_name!("class") => v.split_ascii_whitespace().any(hiding_class),
        _ => false,
    })
}

pub(super) fn is_block(el: &scraper::node::Element) -> bool {
    BLOCK.contains(&el.name.local)
        || class_tokens(el).any(|c| c == "block" || c == "flex-col" || c == "grid")
}

pub(super) fn stacks_children(el: &scraper::node::Element) -> bool {
    class_tokens(el).any(|c| c == "flex-col" || c == "grid" || c == "space-y-1" || c == "stack")
}
