//! The fast path's rules "in body" (and in a table's sections and rows) for start tags: what
//! opens where it is, what is void, and what is declined because the tree builder would close,
//! move or re-shape something first.

use markup5ever::{local_name, Attribute, LocalName};

use super::{Builder, Content, Step};

impl Builder {
    pub(super) fn body_element(&mut self, name: LocalName, attrs: Vec<Attribute>) -> Step<Content> {
        let current = self.current()?.clone();
        // In a table, its sections and rows: only what a well-formed table holds there.
        match current {
            local_name!("table") => {
                return matches!(
                    name,
                    local_name!("tbody") | local_name!("thead") | local_name!("tfoot")
                )
                .then(|| self.element(name, attrs, true))?
                .map(|()| Content::Markup);
            }
            local_name!("tbody") | local_name!("thead") | local_name!("tfoot") => {
                return (name == local_name!("tr"))
                    .then(|| self.element(name, attrs, true))?
                    .map(|()| Content::Markup);
            }
            local_name!("tr") => {
                return matches!(name, local_name!("td") | local_name!("th"))
                    .then(|| self.element(name, attrs, true))?
                    .map(|()| Content::Markup);
            }
            // In a `<select>` and its groups: options, and groups straight in the select, each
            // closed where it opened. The tree builder drops any other start tag there (or, in
            // a newer parser's customizable select, keeps it), so any other is declined; in an
            // open `<option>`, every one is.
            local_name!("select") | local_name!("optgroup") => {
                let allowed = name == local_name!("option")
                    || (name == local_name!("optgroup") && current == local_name!("select"));
                return allowed
                    .then(|| self.element(name, attrs, true))?
                    .map(|()| Content::Markup);
            }
            local_name!("option") => return None,
            _ => {}
        }
        match name {
            // Void: inserted and closed at once.
            local_name!("area")
            | local_name!("br")
            | local_name!("embed")
            | local_name!("img")
            | local_name!("wbr")
            | local_name!("input")
            | local_name!("param")
            | local_name!("source")
            | local_name!("track")
            | local_name!("base")
            | local_name!("basefont")
            | local_name!("bgsound")
            | local_name!("link")
            | local_name!("meta") => {
                self.element(name, attrs, false)?;
                Some(Content::Markup)
            }
            // A select opens where it is (in a table's own parts it was declined above); what it
            // holds follows the rules above.
            local_name!("select") => {
                self.element(name, attrs, true)?;
                Some(Content::Markup)
            }
            local_name!("hr") => {
                if self.p_in_button_scope() {
                    return None;
                }
                self.element(name, attrs, false)?;
                Some(Content::Markup)
            }
            local_name!("title") | local_name!("style") | local_name!("script") => {
                self.head_element(name, attrs)
            }
            // Blocks that close an open `<p>` first (declined), and headings in headings.
            local_name!("address")
            | local_name!("article")
            | local_name!("aside")
            | local_name!("blockquote")
            | local_name!("center")
            | local_name!("details")
            | local_name!("dialog")
            | local_name!("dir")
            | local_name!("div")
            | local_name!("dl")
            | local_name!("fieldset")
            | local_name!("figcaption")
            | local_name!("figure")
            | local_name!("footer")
            | local_name!("header")
            | local_name!("hgroup")
            | local_name!("main")
            | local_name!("menu")
            | local_name!("nav")
            | local_name!("ol")
            | local_name!("p")
            | local_name!("section")
            | local_name!("summary")
            | local_name!("ul")
            | local_name!("table")
            | local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6")
            | local_name!("form") => {
                if self.p_in_button_scope() {
                    return None;
                }
                let heading = |n: &LocalName| {
                    matches!(
                        *n,
                        local_name!("h1")
                            | local_name!("h2")
                            | local_name!("h3")
                            | local_name!("h4")
                            | local_name!("h5")
                            | local_name!("h6")
                    )
                };
                if heading(&name) && heading(&current) {
                    return None;
                }
                if name == local_name!("form") {
                    if self.form {
                        return None;
                    }
                    self.form = true;
                }
                self.element(name, attrs, true)?;
                Some(Content::Markup)
            }
            local_name!("li") | local_name!("dd") | local_name!("dt") => {
                let same = |n: &LocalName| match name {
                    local_name!("li") => *n == local_name!("li"),
                    _ => matches!(*n, local_name!("dd") | local_name!("dt")),
                };
                // An open item this one would close: declined. The walk stops at elements that
                // stop the tree builder's (a subset of its "special" ones: walking further only
                // declines more).
                for (_, n, _) in self.open.iter().rev() {
                    if same(n) {
                        return None;
                    }
                    if matches!(
                        *n,
                        local_name!("ul")
                            | local_name!("ol")
                            | local_name!("menu")
                            | local_name!("dl")
                            | local_name!("table")
                            | local_name!("td")
                            | local_name!("th")
                            | local_name!("body")
                    ) {
                        break;
                    }
                }
                if self.p_in_button_scope() {
                    return None;
                }
                self.element(name, attrs, true)?;
                Some(Content::Markup)
            }
            // Nested in themselves, they are re-shaped (or ignored): declined when any is open.
            local_name!("a") | local_name!("button") => {
                if self.open.iter().any(|(_, n, _)| *n == name) {
                    return None;
                }
                self.element(name, attrs, true)?;
                Some(Content::Markup)
            }
            // Everything with rules of its own (foreign content, forms' controls, frames, raw
            // text this reader does not read, table parts outside their table, a second body...).
            local_name!("html")
            | local_name!("head")
            | local_name!("body")
            | local_name!("frameset")
            | local_name!("frame")
            | local_name!("caption")
            | local_name!("col")
            | local_name!("colgroup")
            | local_name!("tbody")
            | local_name!("thead")
            | local_name!("tfoot")
            | local_name!("tr")
            | local_name!("td")
            | local_name!("th")
            | local_name!("template")
            | local_name!("noframes")
            | local_name!("noscript")
            | local_name!("noembed")
            | local_name!("iframe")
            | local_name!("xmp")
            | local_name!("textarea")
            | local_name!("plaintext")
            | local_name!("pre")
            | local_name!("listing")
            | local_name!("image")
            | local_name!("option")
            | local_name!("optgroup")
            | local_name!("rb")
            | local_name!("rp")
            | local_name!("rt")
            | local_name!("rtc")
            | local_name!("math")
            | local_name!("applet")
            | local_name!("marquee")
            | local_name!("object")
            | local_name!("nobr")
            | local_name!("keygen")
            | local_name!("menuitem")
            | local_name!("search") => None,
            // Formatting elements and any other: opened where they are.
            _ => {
                self.element(name, attrs, true)?;
                Some(Content::Markup)
            }
        }
    }

    /// An open `<p>` that the tree builder's "button scope" reaches (a start tag such as `<div>`
    /// would close it).
    fn p_in_button_scope(&self) -> bool {
        for (_, n, _) in self.open.iter().rev() {
            match *n {
                local_name!("p") => return true,
                local_name!("applet")
                | local_name!("caption")
                | local_name!("html")
                | local_name!("table")
                | local_name!("td")
                | local_name!("th")
                | local_name!("marquee")
                | local_name!("object")
                | local_name!("template")
                | local_name!("button") => return false,
                _ => {}
            }
        }
        false
    }
}
