//! Element and attribute names as atoms, the commonest without interning: turning a name into
//! an atom hashes it and looks it up in the static atom set, once per tag (end tags included) and
//! per attribute; the two dozen names platform rows repeat thousands of times are matched as
//! strings first. Both trees use it: the fast parse of a page's text and the popup's DOM.

use markup5ever::{local_name, LocalName};

/// The static atom of a common name (as written: lower case), without hashing it; `None` for
/// any other name.
#[inline]
pub(super) fn common(s: &str) -> Option<LocalName> {
    Some(match s {
        "td" => local_name!("td"),
        "tr" => local_name!("tr"),
        "span" => local_name!("span"),
        "div" => local_name!("div"),
        "button" => local_name!("button"),
        "code" => local_name!("code"),
        "a" => local_name!("a"),
        "class" => local_name!("class"),
        "title" => local_name!("title"),
        "aria-label" => local_name!("aria-label"),
        "role" => local_name!("role"),
        "th" => local_name!("th"),
        "li" => local_name!("li"),
        "ul" => local_name!("ul"),
        "p" => local_name!("p"),
        "svg" => local_name!("svg"),
        "path" => local_name!("path"),
        "img" => local_name!("img"),
        "input" => local_name!("input"),
        "label" => local_name!("label"),
        "id" => local_name!("id"),
        "href" => local_name!("href"),
        "type" => local_name!("type"),
        "style" => local_name!("style"),
        "aria-hidden" => local_name!("aria-hidden"),
        "tabindex" => local_name!("tabindex"),
        _ => return None,
    })
}

/// A name as an atom: [`common`], else interned.
pub(super) fn atom(s: &str) -> LocalName {
    common(s).unwrap_or_else(|| LocalName::from(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names matched without interning are the atoms interning gives.
    #[test]
    fn common_names_are_the_interned_atoms() {
        for name in [
            "td",
            "tr",
            "span",
            "div",
            "button",
            "code",
            "a",
            "class",
            "title",
            "aria-label",
            "role",
            "th",
            "li",
            "ul",
            "p",
            "svg",
            "path",
            "img",
            "input",
            "label",
            "id",
            "href",
            "type",
            "style",
            "aria-hidden",
            "tabindex",
            "TD",
            "Span",
            "data-x",
            "data-testid",
            "linearGradient",
        ] {
            assert_eq!(atom(name), LocalName::from(name), "{name}");
        }
    }
}
