//! A page's structure without its content, for bug reports: "Copy page structure".
//!
//! When a page reads as nothing (or too little), the fastest fix is to see its markup, but the
//! page holds names, emails, key redactions and budgets that must not leave the admin's machine.
//! The skeleton keeps what a reader of the markup needs: the element tree, indented; the names of
//! structural attributes (`role`, `aria-*`, `data-*`, `colspan`, `scope`, `type`, `href`…) with
//! values only where the value is a keyword of the HTML/ARIA specs ([`KEPT_VALUES`]) or a small
//! span or index; and, in place of every text and every other attribute value, its type:
//! `<redacted-key>`, `<full-secret>`, `<date>`, `<email>`, `<money>`, `<number>`, `<url>`,
//! `<proj-id>`, `<id>`, `<text:N>` (N characters). Class names become their count (`div.3`):
//! hashed class names can identify a deployment. Script, style and SVG content is dropped, and
//! sibling elements of one shape (a 5,000-row table's rows) are shown once and counted, so the
//! output stays small; it is also cut at [`MAX_LINES`].

use std::collections::HashSet;
use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hash, Hasher};

use ego_tree::NodeRef;
use scraper::Node;

use crate::ingest::Format;

mod data;
mod kinds;

pub use kinds::kind_of;

/// The first line of every skeleton: what the notation means.
pub const LEGEND: &str = "# Key Roster page structure: every text and attribute value is replaced by its type (<text:12> = 12 characters); div.3 = a div with 3 classes; a > b = b is the only child of a";

/// Where the skeleton is cut; a page's distinct shapes rarely need a tenth of this.
pub const MAX_LINES: usize = 1500;
/// Nesting shown; deeper elements are counted.
const MAX_DEPTH: usize = 80;
/// Siblings folded into "… N more like this" only when a parent has more element children than
/// this: a row's cells stay visible, a table's rows and a list's items fold.
const FOLD_FROM: usize = 12;
/// Single-child wrappers joined on one line (`div > div > main`).
const MAX_CHAIN: usize = 6;

/// Attribute values from the HTML and ARIA specs: vocabulary, not page content, so they are kept
/// (`role=grid` is most of what a skeleton is for). Anything else is replaced by its type.
#[rustfmt::skip]
pub const KEPT_VALUES: &[&str] = &[
    // ARIA roles
    "alert", "alertdialog", "application", "article", "banner", "button", "cell", "checkbox",
    "columnheader", "combobox", "complementary", "contentinfo", "definition", "dialog", "document",
    "feed", "figure", "form", "generic", "grid", "gridcell", "group", "heading", "img", "link",
    "list", "listbox", "listitem", "log", "main", "menu", "menubar", "menuitem", "menuitemcheckbox",
    "menuitemradio", "navigation", "none", "note", "option", "presentation", "progressbar", "radio",
    "radiogroup", "region", "row", "rowgroup", "rowheader", "search", "searchbox", "separator",
    "status", "switch", "tab", "table", "tablist", "tabpanel", "term", "textbox", "timer",
    "toolbar", "tooltip", "tree", "treegrid", "treeitem",
    // ARIA states and properties
    "true", "false", "mixed", "ascending", "descending", "other", "page", "step", "location",
    "date", "time", "polite", "assertive", "off",
    // scope, input and button types
    "col", "colgroup", "text", "email", "number", "password", "tel", "url", "hidden",
    "submit", "reset", "range", "color", "file", "month", "week", "datetime-local",
    // rel, and the page-URL metadata a Firefox save keeps
    "canonical", "icon", "stylesheet", "noopener", "noreferrer", "nofollow", "preload", "alternate",
    "manifest", "next", "prev", "og:url", "og:title", "og:site_name",
];

/// Elements whose content is never page data worth a line.
#[rustfmt::skip]
const DROP_CONTENT: &[&str] = &[
    "script", "style", "template", "svg", "math", "noscript", "iframe", "object", "canvas",
];

/// Attributes shown by name with only their type (or a kept keyword) as value.
#[rustfmt::skip]
const TYPED: &[&str] = &[
    "role", "scope", "type", "rel", "href", "src", "title", "alt", "placeholder", "value",
    "datetime", "content", "property", "name", "label", "for", "headers",
];
/// Attributes whose value is a small count or index: kept when one or two digits.
const SPANS: &[&str] = &["colspan", "rowspan", "span", "start"];
/// Attributes shown by name alone: their presence is the fact.
const FLAGS: &[&str] = &[
    "hidden", "disabled", "selected", "checked", "open", "readonly",
];

/// The skeleton of one input as ingest decodes and detects it: a page's element tree, a
/// delimited file's rows, a JSON file's tree. Text that is not valid UTF-8 is read lossily
/// (the skeleton types values, it never needs them exact), so this never fails.
pub fn of_bytes(name: &str, bytes: &[u8]) -> String {
    let text = match crate::ingest::text::decode(name, bytes) {
        Ok(t) => t,
        Err(_) => String::from_utf8_lossy(bytes),
    };
    let mut out = format!("{LEGEND}\n");
    match crate::ingest::detect(&text) {
        Format::Html => return skeleton(&text),
        // A single-file save: the structure of the page it holds, as the reader sees it.
        Format::Mhtml => match crate::ingest::mhtml::extract(name, &text) {
            Ok(page) => return skeleton(&page.html),
            Err(e) => {
                let _ = writeln!(out, "MHTML archive that does not open ({e}):");
                data::delimited(&text, &mut out);
            }
        },
        Format::Json => match serde_json::from_str(&text) {
            Ok(v) => data::json(&v, &mut out),
            Err(e) => {
                let _ = writeln!(out, "JSON that does not parse (line {}):", e.line());
                data::delimited(&text, &mut out);
            }
        },
        Format::Delimited => data::delimited(&text, &mut out),
    }
    out
}

/// The skeleton of a page's HTML (see the module docs). Never fails: any text parses as HTML.
pub fn skeleton(html: &str) -> String {
    let doc = super::parse(html);
    let tree = shape(doc.tree.root(), 0);
    let mut out = Out {
        text: String::from(LEGEND),
        lines: 1,
        cut: 0,
    };
    out.text.push('\n');
    for c in &tree.children {
        out.write(c, 0);
    }
    if out.cut > 0 {
        let _ = writeln!(
            out.text,
            "… cut at {MAX_LINES} lines; {} more lines not shown",
            out.cut
        );
    }
    out.text
}

/// One node of the skeleton: its line, its children after collapsing, and its shape's hash.
#[derive(Default)]
struct Shape {
    /// `div.2 role=row`, or a text's type token; empty for the document root.
    line: String,
    /// For an element whose only content is one text: that text's type, shown on its line.
    inline: Option<String>,
    children: Vec<Shape>,
    /// Structure only (tags, attribute names, child shapes): what repeats compare by.
    sig: u64,
    /// `… N more like this` after this node: following siblings of a shape already shown.
    more: usize,
    /// Whether those `more` siblings all had this node's own shape.
    more_same: bool,
    is_text: bool,
}

fn shape(node: NodeRef<'_, Node>, depth: usize) -> Shape {
    let mut s = Shape::default();
    let mut h = DefaultHasher::new();
    match node.value() {
        Node::Element(el) => {
            let name = el.name();
            name.hash(&mut h);
            s.line = element_line(el);
            for (a, _) in el.attrs() {
                if keeps(a) {
                    a.hash(&mut h);
                }
            }
            if DROP_CONTENT.contains(&name) {
                s.sig = h.finish();
                return s;
            }
            if !matches!(name, "head" | "img") && crate::ingest::html::clean::hidden(el) {
                s.line.push_str(" (hidden)");
            }
        }
        Node::Text(t) => {
            s.line = kind_of(t);
            s.is_text = true;
            // The type without its length: rows whose cells hold the same kinds of values are
            // one shape, and a key cell differs from a name cell.
            s.line
                .replace(|c: char| c.is_ascii_digit(), "")
                .hash(&mut h);
            s.sig = h.finish();
            return s;
        }
        Node::Comment(c) => {
            if c.trim_start().starts_with("saved from url") {
                s.line = "<!-- saved from url=<url> -->".into();
            }
            "#comment".hash(&mut h);
            s.sig = h.finish();
            return s;
        }
        Node::Doctype(_) => {
            s.line = "!doctype".into();
            s.sig = 1;
            return s;
        }
        _ => {}
    }
    if depth >= MAX_DEPTH {
        let deeper = node
            .descendants()
            .filter(|d| d.value().is_element())
            .count()
            - 1;
        if deeper > 0 {
            s.children.push(Shape {
                line: format!("… {deeper} deeper elements not shown"),
                ..Shape::default()
            });
        }
        s.sig = h.finish();
        return s;
    }
    // A row's few cells are all shown (which cell holds the key is the point); only long runs
    // of siblings, a table's rows or a list's items, are folded into counts.
    let folds = node.children().filter(|c| c.value().is_element()).count() > FOLD_FROM;
    let mut seen: HashSet<u64> = HashSet::new();
    for child in node.children() {
        let c = shape(child, depth + 1);
        if c.line.is_empty() && c.children.is_empty() {
            continue; // whitespace, comments, nothing to show
        }
        // Texts are never folded into "more like this" (a name over an email is two texts);
        // elements are, and a shape counts once in its parent's, so rows with two badges and
        // rows with three are one shape.
        let fresh = seen.insert(c.sig);
        if fresh {
            c.sig.hash(&mut h);
        }
        if c.is_text {
            s.children.push(c);
            continue;
        }
        if !fresh && folds {
            if let Some(last) = s.children.last_mut() {
                last.more_same = (last.more == 0 || last.more_same) && last.sig == c.sig;
                last.more += 1;
            }
            continue;
        }
        s.children.push(c);
    }
    // An element whose content is one text shows it on its own line.
    if let [only] = s.children.as_slice() {
        if only.is_text {
            s.inline = s.children.pop().map(|c| c.line);
        }
    }
    s.sig = h.finish();
    s
}

fn keeps(attr: &str) -> bool {
    attr == "class"
        || attr.starts_with("aria-")
        || attr.starts_with("data-")
        || TYPED.contains(&attr)
        || SPANS.contains(&attr)
        || FLAGS.contains(&attr)
}

/// `tag.N attr=value…` with attributes sorted by name.
fn element_line(el: &scraper::node::Element) -> String {
    let mut line = el.name().to_string();
    let classes = el.classes().count();
    if classes > 0 {
        let _ = write!(line, ".{classes}");
    }
    let mut attrs: Vec<(&str, &str)> = el
        .attrs()
        .filter(|(a, _)| *a != "class" && keeps(a))
        .collect();
    attrs.sort_unstable();
    for (a, v) in attrs.into_iter().take(16) {
        line.push(' ');
        if let Some(rest) = a.strip_prefix("data-") {
            // Names such as `data-label` say what a field is; hashed ones (`data-v-7ba5bd90`) only
            // identify a build.
            let wordy =
                rest.len() <= 24 && rest.chars().all(|c| c.is_ascii_lowercase() || c == '-');
            line.push_str(if wordy { a } else { "data-…" });
        } else {
            line.push_str(a);
        }
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        line.push('=');
        let small_int = v.len() <= 2 && !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
        if KEPT_VALUES.contains(&v) || small_int && (SPANS.contains(&a) || a.starts_with("aria-")) {
            line.push_str(v);
        } else if (a == "href" || a == "src") && !v.is_empty() {
            line.push_str("<url>");
        } else {
            line.push_str(&kind_of(v));
        }
    }
    line
}

/// Writes the collapsed tree, indented, up to [`MAX_LINES`].
struct Out {
    text: String,
    lines: usize,
    /// Lines not written once the limit was reached.
    cut: usize,
}

impl Out {
    fn line(&mut self, depth: usize, s: &str) {
        if self.lines >= MAX_LINES {
            self.cut += 1;
            return;
        }
        for _ in 0..depth {
            self.text.push_str("  ");
        }
        self.text.push_str(s);
        self.text.push('\n');
        self.lines += 1;
    }

    fn write(&mut self, node: &Shape, depth: usize) {
        // Single-child wrappers: one line, `div.2 > div > main role=main`.
        let mut line = node.line.clone();
        let mut at = node;
        let mut chain = 1;
        while let ([only], None, true) = (at.children.as_slice(), &at.inline, chain < MAX_CHAIN) {
            if only.more > 0
                || only.is_text
                || only.line.starts_with('…')
                || only.line.starts_with('<')
            {
                break;
            }
            line.push_str(" > ");
            line.push_str(&only.line);
            at = only;
            chain += 1;
        }
        if let Some(t) = &at.inline {
            line.push(' ');
            line.push_str(t);
        }
        self.line(depth, &line);
        for c in &at.children {
            self.write(c, depth + 1);
        }
        if node.more > 0 {
            let like = if node.more_same { "this" } else { "the above" };
            self.line(depth, &format!("… {} more like {like}", node.more));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_rows_are_shown_once_and_counted() {
        let rows: String = (0..5000)
            .map(|i| format!("<tr><td>key {i}</td><td>sk-proj-...a{i:03}</td></tr>"))
            .collect();
        let out = skeleton(&format!("<table class='a b'><tbody>{rows}</tbody></table>"));
        assert!(out.contains("table.2 > tbody\n"), "{out}");
        assert!(out.contains("    tr\n      td <text:"), "{out}");
        assert!(out.contains("      td <redacted-key>"), "{out}");
        assert!(out.contains("    … 4999 more like this"), "{out}");
        assert!(out.lines().count() < 15, "{out}");
    }

    #[test]
    fn script_style_and_svg_content_is_dropped_and_classes_counted() {
        let out = skeleton(
            "<div class='x7f_a x7f_b' data-v-7ba5bd90 data-label='Owner' role='row'>\
             <script>var secretName='Ada'</script><style>.a{}</style>\
             <svg><path d='M0 0'/></svg><span hidden>Ada</span></div>",
        );
        assert!(
            out.contains("div.2 data-label=<text:5> data-… role=row\n"),
            "{out}"
        );
        assert!(
            !out.contains("Ada") && !out.contains("x7f") && !out.contains("M0"),
            "{out}"
        );
        assert!(
            out.contains("  script\n") && out.contains("  svg\n"),
            "{out}"
        );
        assert!(out.contains("span hidden (hidden) <text:3>"), "{out}");
    }

    #[test]
    fn output_is_bounded_for_pages_of_distinct_shapes() {
        // Every item a different nesting of <b> and <i>: nothing collapses, so the line limit
        // must hold the output.
        let rows: String = (0..3000u32)
            .map(|i| {
                let tags: Vec<&str> = (0..12)
                    .map(|b| if i >> b & 1 == 1 { "b" } else { "i" })
                    .collect();
                let open: String = tags.iter().map(|t| format!("<{t}>")).collect();
                let close: String = tags.iter().rev().map(|t| format!("</{t}>")).collect();
                format!("<li>{open}x{close}</li>")
            })
            .collect();
        let out = skeleton(&format!("<ul>{rows}</ul>"));
        assert!(
            out.lines().count() <= MAX_LINES + 1,
            "{}",
            out.lines().count()
        );
        assert!(out.ends_with("more lines not shown\n") || out.lines().count() < MAX_LINES);
    }

    #[test]
    fn deep_nesting_is_counted_not_recursed() {
        let out = skeleton(&format!(
            "{}x{}",
            "<div>".repeat(5000),
            "</div>".repeat(5000)
        ));
        assert!(out.contains("deeper elements not shown"), "{out}");
    }
}
