//! Cell text as a person reads it on screen, not as the DOM spells it.
//!
//! Single-page apps wrap every value in spans, icons and buttons; a cell's raw text would be
//! `checkout-prodCopysk-proj-...a1B2EditRevoke`. This walks the cell and keeps what is shown:
//! no `aria-hidden` or `hidden` nodes, no icons (`<svg>`), no action buttons, no screen-reader-only
//! labels, whitespace collapsed; block elements (and Tailwind-style `flex-col` stacks) start new
//! lines, so a name stacked over an email stays two lines. A `<time datetime>` or a date in a
//! `title` attribute is kept aside as a machine-readable hint, which beats "3 days ago".
//!
//! Adjacent inline elements are separate boxes on screen: `<span>deploy-bot</span><span>Service
//! account</span>` reads "deploy-bot Service account", so two sibling elements that both show
//! text get a space between them, unless either side is a punctuation or currency fragment
//! (`<span>$</span><span>12.50</span>` stays "$12.50", `sk-proj-` + `...K2m9` stays one token).
//! Known badges and status chips ("Service account", "You", "Invited", ...) shown beside other
//! text are set aside in [`CellText::badges`]: they describe the record, they are not part of a
//! name. A cell that shows only a chip (a Role cell saying "Owner") keeps it as its text.
//! Form controls show their value: `<select>` its selected option, `<input>` its value.

use ego_tree::NodeRef;
use jiff::civil::Date;
use markup5ever::local_name;
use scraper::{ElementRef, Node};

use crate::ingest::dates::{self, Parsed};

mod shown;
mod words;

pub use shown::{hidden, Attr};
use shown::{is_block, stacks_children, BLOCK};
pub use words::tidy;
use words::{is_badge_words, push_on_one_line};

/// A cleaned cell: its visible lines joined by `\n`, a date hint when the markup had one, and the
/// badges shown beside its text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CellText {
    pub text: String,
    pub hint: Option<String>,
    /// Known chips ([`BADGES`]) shown beside the text, as spelled on the page.
    pub badges: Vec<String>,
}

/// Chips a platform shows beside a name: owner type, role, membership or key status,
/// permission level. Compared case-insensitively with the chip's whole text.
pub const BADGES: &[&str] = &[
    "service account",
    "owner",
    "reader",
    "member",
    "you",
    "invited",
    "pending",
    "disabled",
    "expired",
    // Anthropic's key statuses.
    "inactive",
    "archived",
    "restricted",
    "read only",
    "all",
    "admin",
];

/// True when `text` is one of [`BADGES`].
pub fn is_badge(text: &str) -> bool {
    let t = text.trim();
    t.len() <= 16 && BADGES.iter().any(|b| t.eq_ignore_ascii_case(b))
}

/// True for text that is only punctuation or currency signs (`$`, `(`, `...`, `%`): a fragment
/// that renders glued to its neighbour.
fn fragment(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && t.chars().all(|c| !c.is_alphanumeric())
}

/// How an inline box's text ended, enough to decide whether the next box glues to it.
#[derive(Debug, Clone, Copy)]
struct BoxEnd {
    fragment: bool,
    last: char,
}

impl BoxEnd {
    fn of(shown: &str) -> Option<BoxEnd> {
        Some(BoxEnd {
            fragment: fragment(shown),
            last: shown.trim_end().chars().last()?,
        })
    }

    /// True when the box that follows, showing `after`, reads as one word with this one.
    fn glues(self, after: &str) -> bool {
        self.fragment
            || fragment(after)
            || matches!(
                self.last,
                '-' | '_' | '/' | '(' | '[' | '$' | '€' | '£' | '@' | '.' | '#'
            )
            || after.starts_with(['.', ',', ';', ':', '!', '?', ')', ']', '%', '…', '@'])
    }
}

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

thread_local! {
    /// The text [`cell`] gathers before tidying it, kept from cell to cell: each cell's grew its
    /// own from nothing (two or three allocations a cell, 35,000 on a 5,000-key page).
    static GATHERED: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
}

/// Cleans one cell (or any element: a selector button, a heading).
pub fn cell(el: ElementRef<'_>, as_of: Date) -> CellText {
    let mut out = Walker::new(as_of);
    out.buf = GATHERED.take();
    out.buf.clear();
    out.hint_from(el.value());
    out.children(*el);
    let mut text = tidy(&out.buf);
    GATHERED.set(std::mem::take(&mut out.buf));
    let mut badges = out.badges;
    if text.is_empty() && !badges.is_empty() {
        // Only chips: the chip is the value (a Role cell saying "Owner").
        text = badges.remove(0);
    }
    CellText {
        text,
        hint: out.hint,
        badges,
    }
}

/// True when a button's text (tidied) is one of [`ACTIONS`], whatever its case.
fn is_action(text: &str) -> bool {
    if text.is_ascii() {
        // An ASCII text lower-cases byte for byte (and no ASCII text equals the non-ASCII ones).
        return ACTIONS.iter().any(|a| a.eq_ignore_ascii_case(text));
    }
    ACTIONS.contains(&text.to_lowercase().as_str())
}

struct Walker {
    buf: String,
    hint: Option<String>,
    badges: Vec<String>,
    as_of: Date,
    /// How the inline element that ended last ended, while nothing has been written since.
    last_box: Option<BoxEnd>,
}

impl Walker {
    fn new(as_of: Date) -> Self {
        Walker {
            buf: String::new(),
            hint: None,
            badges: Vec::new(),
            as_of,
            last_box: None,
        }
    }

    fn hint_from(&mut self, el: &scraper::node::Element) {
        if self.hint.is_some() || el.attrs.is_empty() {
            return;
        }
        // The three attributes in one pass over the element's, names compared as atoms: asked
        // of every element of every cell (65,000 on a 5,000-key page), most with none of them.
        let (mut datetime, mut title, mut tooltip) = (None, None, None);
        for (q, v) in el.attrs.iter() {
            match q.local {
                local_name!("datetime") => datetime = datetime.or(Some(&**v)),
                local_name!("title") => title = title.or(Some(&**v)),
                ref other if &**other == "data-tooltip" => tooltip = tooltip.or(Some(&**v)),
                _ => {}
            }
        }
        let candidates = [
            datetime.filter(|_| el.name.local == local_name!("time")),
            title,
            tooltip,
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
                self.last_box = None;
            }
        }
    }

    fn node(&mut self, node: NodeRef<'_, Node>) {
        match node.value() {
            // Line breaks in the source are only whitespace; lines come from block elements.
            Node::Text(t) => {
                if !t.is_empty() {
                    self.last_box = None;
                }
                push_on_one_line(&mut self.buf, t);
            }
            Node::Element(e) => {
                if hidden(e) {
                    return;
                }
                if e.name.local == local_name!("button") || e.at("role") == Some("button") {
                    let mut inner = Walker::new(self.as_of);
                    inner.children(node);
                    if is_action(&tidy(&inner.buf)) {
                        return;
                    }
                }
                self.hint_from(e);
                if let Some(v) = control_value(node, e) {
                    self.buf.push(' ');
                    self.buf.push_str(&v);
                    self.buf.push(' ');
                    self.last_box = None;
                    return;
                }
                let block = is_block(e);
                if block {
                    self.buf.push('\n');
                    self.last_box = None;
                }
                if matches!(e.name.local, local_name!("td") | local_name!("th")) {
                    self.buf.push(' ');
                }
                let before = self.last_box.take();
                let start = self.buf.len();
                self.children(node);
                let shown = self.buf.get(start..).unwrap_or("");
                let trimmed = shown.trim();
                let end = BoxEnd::of(trimmed);
                if trimmed.is_empty() {
                    // An empty box (an icon's wrapper) separates nothing.
                    self.last_box = before;
                    if block {
                        self.buf.push('\n');
                    }
                    return;
                }
                // Every element of every cell comes here: only short text can be a chip.
                if trimmed.len() <= 24 && is_badge_words(trimmed) && !block_child(node) {
                    let chip = tidy(trimmed).replace('\n', " ");
                    self.buf.truncate(start);
                    self.buf.push(' ');
                    self.badges.push(chip);
                    self.last_box = None;
                    return;
                }
                if let Some(before) = before {
                    let starts_inline = shown.chars().next().is_some_and(|c| !c.is_whitespace());
                    if starts_inline && !before.glues(trimmed) {
                        self.buf.insert(start, ' ');
                    }
                }
                if block {
                    self.buf.push('\n');
                    self.last_box = None;
                } else {
                    self.last_box = end;
                }
            }
            _ => {}
        }
    }
}

/// True when an element holds block-level structure (a whole row or card is never a chip).
fn block_child(node: NodeRef<'_, Node>) -> bool {
    node.children()
        .filter_map(|c| c.value().as_element())
        .any(|e| BLOCK.contains(&e.name.local) && e.name.local != local_name!("br"))
}

/// What a form control shows: a `<select>`'s selected option (else its first), an `<input>`'s
/// value, a `<textarea>`'s text. `None` for other elements and for controls that show no text.
pub fn control_value(node: NodeRef<'_, Node>, e: &scraper::node::Element) -> Option<String> {
    match e.name() {
        "select" => {
            let options: Vec<ElementRef<'_>> = node
                .descendants()
                .filter_map(ElementRef::wrap)
                .filter(|o| o.value().name() == "option")
                .collect();
            let chosen = options
                .iter()
                .find(|o| o.value().at("selected").is_some())
                .or_else(|| options.first())?;
            Some(tidy(&chosen.text().collect::<String>()))
        }
        "input" => {
            let kind = e.at("type").unwrap_or("text").to_ascii_lowercase();
            if matches!(
                kind.as_str(),
                "hidden"
                    | "password"
                    | "checkbox"
                    | "radio"
                    | "button"
                    | "submit"
                    | "reset"
                    | "file"
            ) {
                return Some(String::new());
            }
            Some(tidy(e.at("value").unwrap_or("")))
        }
        "textarea" => Some(tidy(
            &node
                .children()
                .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                .collect::<String>(),
        )),
        _ => None,
    }
}

#[cfg(test)]
#[path = "clean/tests.rs"]
mod tests;
