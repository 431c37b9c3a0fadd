//! Cell text as a person reads it on screen, not as the DOM spells it.
//!
//! Single-page apps wrap every value in spans, icons and buttons; a cell's raw text would be
//! `checkout-prodCopysk-proj-...a1B2EditRevoke`. This walks the cell and keeps what is shown:
//! no `aria-hidden` or `hidden` nodes, no icons (`<svg>`), no action buttons, no screen-reader-only
//! labels, whitespace collapsed; block elements (and Tailwind-style `flex-col` stacks) start new
//! lines, so a name stacked over an email stays two lines. A `<time datetime>` or a date in a
//! `title` attribute is kept aside as a machine-readable hint, which beats "3 days ago".

use ego_tree::NodeRef;
use jiff::civil::Date;
use scraper::{ElementRef, Node};

use crate::ingest::dates::{self, Parsed};

/// A cleaned cell: its visible lines joined by `\n`, and a date hint when the markup had one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CellText {
    pub text: String,
    pub hint: Option<String>,
}

const BLOCK: &[&str] = &[
    "div", "p", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "header", "footer", "tr", "table", "dl", "dt", "dd", "nav", "main", "aside", "form", "label",
];

/// Elements that never show text a reader would count as the cell's value.
const NEVER_SHOWN: &[&str] = &[
    "script", "style", "template", "svg", "noscript", "head", "iframe", "object", "img", "canvas",
];

/// What action buttons say; a button with other text (a key name rendered as a link-button)
/// is kept.
const ACTIONS: &[&str] = &[
    "",
    "copy",
    "copied",
    "edit",
    "revoke",
    "delete",
    "remove",
    "more",
    "actions",
    "open menu",
    "menu",
    "options",
    "…",
    "...",
    "⋯",
    "⋮",
    "rename",
    "manage",
    "view",
    "show",
    "hide",
    "enable",
    "disable",
];

/// True when an element is not shown to a sighted reader.
pub fn hidden(el: &scraper::node::Element) -> bool {
    if NEVER_SHOWN.contains(&el.name()) {
        return true;
    }
    if el
        .attr("aria-hidden")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        || el.attr("hidden").is_some()
    {
        return true;
    }
    if el.attr("style").is_some_and(|s| {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        let s = s.to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    }) {
        return true;
    }
    el.classes().any(|c| {
        let c = c.to_ascii_lowercase();
        c == "sr-only"
            || c == "visually-hidden"
            || c == "visuallyhidden"
            || c == "screen-reader-text"
            || c == "screen-reader-only"
            || c == "a11y-hidden"
            || c == "hidden"
            || c.ends_with("-sr-only")
    })
}

fn is_block(el: &scraper::node::Element) -> bool {
    BLOCK.contains(&el.name())
        || el
            .classes()
            .any(|c| c == "block" || c == "flex-col" || c == "grid")
}

fn stacks_children(el: &scraper::node::Element) -> bool {
    el.classes()
        .any(|c| c == "flex-col" || c == "grid" || c == "space-y-1" || c == "stack")
}

/// Cleans one cell (or any element: a selector button, a heading).
pub fn cell(el: ElementRef<'_>, as_of: Date) -> CellText {
    let mut out = Walker {
        buf: String::new(),
        hint: None,
        as_of,
    };
    out.hint_from(el.value());
    out.children(*el);
    CellText {
        text: tidy(&out.buf),
        hint: out.hint,
    }
}

/// Collapses whitespace within lines and drops empty lines.
pub fn tidy(raw: &str) -> String {
    raw.split('\n')
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

struct Walker {
    buf: String,
    hint: Option<String>,
    as_of: Date,
}

impl Walker {
    fn hint_from(&mut self, el: &scraper::node::Element) {
        if self.hint.is_some() {
            return;
        }
        let candidates = [
            (el.name() == "time").then(|| el.attr("datetime")).flatten(),
            el.attr("title"),
            el.attr("data-tooltip"),
        ];
        for c in candidates.into_iter().flatten() {
            if let Some(Parsed::Date(_)) = dates::parse(c, self.as_of) {
                self.hint = Some(c.trim().to_string());
                return;
            }
        }
    }

    fn children(&mut self, node: NodeRef<'_, Node>) {
        let stack = match node.value() {
            Node::Element(e) => stacks_children(e),
            _ => false,
        };
        for child in node.children() {
            self.node(child);
            if stack {
                self.buf.push('\n');
            }
        }
    }

    fn node(&mut self, node: NodeRef<'_, Node>) {
        match node.value() {
            // Line breaks in the source are only whitespace; lines come from block elements.
            Node::Text(t) => {
                self.buf.extend(
                    t.chars()
                        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c }),
                )
            }
            Node::Element(e) => {
                if hidden(e) {
                    return;
                }
                if e.name() == "button" || e.attr("role") == Some("button") {
                    let mut inner = Walker {
                        buf: String::new(),
                        hint: None,
                        as_of: self.as_of,
                    };
                    inner.children(node);
                    let text = tidy(&inner.buf);
                    if ACTIONS.contains(&text.to_lowercase().as_str()) {
                        return;
                    }
                }
                self.hint_from(e);
                let block = is_block(e);
                if block {
                    self.buf.push('\n');
                }
                if e.name() == "td" || e.name() == "th" {
                    self.buf.push(' ');
                }
                self.children(node);
                if block {
                    self.buf.push('\n');
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    /// Cleans the first `<td>` of a fragment.
    fn td(inner: &str) -> CellText {
        let doc = Html::parse_document(&format!("<table><tr><td>{inner}</td></tr></table>"));
        let found = doc
            .tree
            .root()
            .descendants()
            .filter_map(ElementRef::wrap)
            .find(|e| e.value().name() == "td")
            .expect("a td");
        cell(found, jiff::civil::date(2026, 11, 22))
    }

    #[test]
    fn icons_actions_and_screen_reader_labels_are_not_read() {
        let c = td("<code>sk-proj-...a1B2</code><button><svg><path/></svg><span class=\"sr-only\">Copy</span></button>\
                    <span aria-hidden=\"true\">•</span><button>Revoke</button><span hidden>draft</span>");
        assert_eq!(c.text, "sk-proj-...a1B2");
    }

    #[test]
    fn a_button_that_is_the_value_is_kept() {
        assert_eq!(
            td("<button type=\"button\">checkout-prod</button>").text,
            "checkout-prod"
        );
    }

    #[test]
    fn stacked_lines_stay_lines_and_inline_spans_join() {
        let c = td("<div class=\"flex flex-col\"><span>Ada Lovelace</span><span>ada@example.com</span></div>");
        assert_eq!(c.text, "Ada Lovelace\nada@example.com");
        assert_eq!(td("<span>$</span><span>12.50</span>").text, "$12.50");
        assert_eq!(td("  Read\n   only ").text, "Read only");
    }

    #[test]
    fn machine_dates_are_kept_as_hints() {
        let c = td("<time datetime=\"2026-11-20T18:03:11Z\">2 days ago</time>");
        assert_eq!(
            (c.text.as_str(), c.hint.as_deref()),
            ("2 days ago", Some("2026-11-20T18:03:11Z"))
        );
        let c = td("<span title=\"Feb 3, 2024, 10:12 AM\">Feb 3</span>");
        assert_eq!(c.hint.as_deref(), Some("Feb 3, 2024, 10:12 AM"));
        // A title that is not a date is no hint.
        assert_eq!(td("<span title=\"Copy to clipboard\">x</span>").hint, None);
    }
}
