//! How deep a page's elements nest, measured in one linear pass before the page is parsed.
//!
//! Why: html5ever's tree builder is quadratic in nesting depth (measured: 5,000 nested
//! `<section>`s parse in 62 ms, 10,000 in 255 ms, 20,000 in 1.1 s; 100,000 took about 40 s).
//! Every `<div>`/`<section>` start tag asks "is a `<p>` open in button scope?", which walks the
//! whole stack of open elements when none is. The parser cannot be changed from here, so a page
//! deeper than [`Limits::max_depth`](crate::ingest::limits::Limits::max_depth) is refused before
//! it reaches the parser. A page the fast parser reads is measured as it is parsed (and a live
//! page's DOM as its tree is built), with the same [`Shape`]: this pass runs only for a page the
//! fast parser declines ([`crate::ingest::html::read_within`]).
//!
//! The count follows the HTML rules that matter for depth, approximately and never below the
//! real depth by much: void elements (`<br>`, `<img>`, …) and self-closing tags inside SVG/MathML
//! open nothing; an end tag closes up to its open element; elements that close themselves
//! implicitly (`<p>`, `<li>`, `<td>`, `<tr>`, `<option>`, …) replace an open one of their kind
//! at the top; comments and the text of `<script>`, `<style>`, `<textarea>`, `<title>` are
//! skipped.

use std::hash::{Hash, Hasher};

use memchr::{memchr, memmem};
use rustc_hash::FxHashMap;

const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements whose content is raw text: no tags inside.
const RAW: [&str; 6] = ["script", "style", "textarea", "title", "xmp", "plaintext"];

/// Elements whose start tag closes an open one of the same kind (`<li>` after `<li>`).
const SELF_CLOSING_KIN: [&str; 13] = [
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "tbody", "thead", "tfoot", "rt",
];

// Every tag name gets a small id the first time it is seen (see [`Names`]); the names above come
// first, in this order, so what kind a tag is becomes a range check on its id.
const RAW_AT: u32 = VOID.len() as u32;
const KIN_AT: u32 = RAW_AT + RAW.len() as u32;
const SVG: u32 = KIN_AT + SELF_CLOSING_KIN.len() as u32;
const MATH: u32 = SVG + 1;
const TABLE: u32 = SVG + 2;

/// What the pre-scan saw of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shape {
    /// The deepest nesting of elements.
    pub depth: usize,
    /// `<table>` elements (outside scripts, styles and comments).
    pub tables: usize,
}

/// The deepest nesting seen, stopping early once it passes `stop`.
pub fn max_depth(html: &str, stop: usize) -> usize {
    shape(html, stop, usize::MAX).depth
}

/// Depth and tables of a page, stopping early once the depth passes `max_depth` or the tables
/// pass `max_tables`.
///
/// Nothing is allocated per tag: a name is a slice of the page, compared ASCII
/// case-insensitively, and each distinct name costs one map entry the first time it is seen
/// (a lower-cased `String` and a SipHash per tag were 8% of reading a 5,000-key page).
pub fn shape(html: &str, max_depth: usize, max_tables: usize) -> Shape {
    let b = html.as_bytes();
    let mut names = Names::new();
    let mut stack: Vec<u32> = Vec::new();
    let mut foreign = 0usize; // open <svg>/<math> elements
    let mut deepest = 0;
    let mut tables = 0;
    let mut i = 0;
    while let Some(at) = memchr(b'<', &b[i..]) {
        i += at + 1;
        if b[i..].starts_with(b"!--") {
            i = find(b, i + 3, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        if matches!(b.get(i), Some(b'!' | b'?')) {
            i = memchr(b'>', &b[i..]).map_or(b.len(), |e| i + e + 1);
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let end = b[start..]
            .iter()
            .position(|c| !c.is_ascii_alphanumeric() && *c != b'-' && *c != b':')
            .map_or(b.len(), |e| start + e);
        if end == start {
            continue; // a lone `<` in text
        }
        let name = &b[start..end];
        let Some(gt) = memchr(b'>', &b[end..]).map(|e| end + e) else {
            break;
        };
        let self_closing = gt > end && b[gt - 1] == b'/';
        i = gt + 1;
        if closing {
            // A name never opened closes nothing (and is not worth an id).
            if let Some(id) = names.get(name).filter(|&id| names.open[id as usize] > 0) {
                while let Some(top) = stack.pop() {
                    names.open[top as usize] -= 1;
                    if top == SVG || top == MATH {
                        foreign -= 1;
                    }
                    if top == id {
                        break;
                    }
                }
            }
            continue;
        }
        let id = names.id(name);
        if id < RAW_AT || (self_closing && foreign > 0) {
            continue; // void, or self-closed in SVG/MathML
        }
        if id < KIN_AT {
            i = find_end_tag(b, i, name).unwrap_or(b.len());
            continue;
        }
        if id < SVG && stack.last() == Some(&id) {
            stack.pop();
            names.open[id as usize] -= 1;
        }
        if id == SVG || id == MATH {
            foreign += 1;
        }
        if id == TABLE {
            tables += 1;
            if tables > max_tables {
                break;
            }
        }
        names.open[id as usize] += 1;
        stack.push(id);
        deepest = deepest.max(stack.len());
        if deepest > max_depth {
            break;
        }
    }
    Shape {
        depth: deepest,
        tables,
    }
}

/// A tag name as written in the page, equal to and hashed like its lower-case form.
#[derive(Clone, Copy)]
struct Name<'a>(&'a [u8]);

impl PartialEq for Name<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for Name<'_> {}

impl Hash for Name<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        for c in self.0 {
            h.write_u8(c.to_ascii_lowercase());
        }
        h.write_usize(self.0.len());
    }
}

/// The tag names of one page, each with an id (the known ones first, see [`RAW_AT`]) and how
/// many elements of that name are open.
struct Names<'a> {
    ids: FxHashMap<Name<'a>, u32>,
    open: Vec<usize>,
}

impl<'a> Names<'a> {
    fn new() -> Self {
        let mut names = Names {
            ids: FxHashMap::default(),
            open: Vec::new(),
        };
        let known = VOID.iter().chain(&RAW).chain(&SELF_CLOSING_KIN);
        for name in known.chain(&["svg", "math", "table"]) {
            names.id(name.as_bytes());
        }
        debug_assert_eq!(names.get(b"TABLE"), Some(TABLE));
        names
    }

    fn get(&self, name: &[u8]) -> Option<u32> {
        self.ids.get(&Name(name)).copied()
    }

    fn id(&mut self, name: &'a [u8]) -> u32 {
        let next = self.ids.len() as u32;
        let open = &mut self.open;
        *self.ids.entry(Name(name)).or_insert_with(|| {
            open.push(0);
            next
        })
    }
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memmem::find(b.get(from..)?, needle).map(|p| from + p)
}

/// Where `</name` starts at or after `from`, in any case (`</SCRIPT` ends `<script>`).
fn find_end_tag(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut at = from;
    loop {
        let p = find(b, at, b"</")?;
        let after = &b[p + 2..];
        if after.len() >= name.len() && after[..name.len()].eq_ignore_ascii_case(name) {
            return Some(p);
        }
        at = p + 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_follows_open_elements() {
        assert_eq!(
            max_depth("<html><body><div><p>a</p></div></body></html>", 99),
            4
        );
        assert_eq!(max_depth("<ul><li>a<li>b<li>c</ul>", 99), 2);
        assert_eq!(max_depth("<div><br><img src=x><input></div>", 99), 1);
        assert_eq!(max_depth("<svg><path d='M0'/><path/></svg>", 99), 1);
        assert_eq!(
            max_depth("<script>if (a<b) { '<div><div>' }</script><i>x</i>", 99),
            1
        );
        assert_eq!(max_depth("<!-- <div><div> --><b></b>", 99), 1);
        assert_eq!(max_depth(&"<section>".repeat(100), 99), 100);
        assert_eq!(max_depth(&"<section>".repeat(1000), 10), 11);
    }

    #[test]
    fn tables_in_scripts_and_comments_are_not_counted() {
        let page = "<script>x='<table><table>'</script><!--<table>--><TABLE></TABLE><table>";
        assert_eq!(shape(page, 99, 99).tables, 2);
        assert_eq!(shape(&"<table></table>".repeat(10), 99, 3).tables, 4);
    }

    #[test]
    fn tag_names_match_in_any_case() {
        assert_eq!(max_depth("<DIV><Div><div></DIV></div></DIV><b></b>", 99), 3);
        assert_eq!(max_depth("<Div><DIV></div></dIv><i></i>", 99), 2);
        assert_eq!(max_depth("<UL><LI>a<li>b<Li>c</Ul><p>", 99), 2);
        assert_eq!(max_depth("<DIV><BR><Img src=x><INPUT></DIV>", 99), 1);
        assert_eq!(max_depth("<SVG><Path d='M0'/><PATH/></Svg><b>", 99), 1);
        assert_eq!(max_depth("<SCRIPT>x='<div><div>'</Script><i>x</i>", 99), 1);
        assert_eq!(max_depth("<Style>a{}</STYLE><b><i></i></b>", 99), 2);
        let page = "<Table><TR><td>a<TD>b</Tr></tAbLe><TABLE>";
        assert_eq!(
            shape(page, 99, 99),
            Shape {
                depth: 3,
                tables: 2
            }
        );
    }
}
