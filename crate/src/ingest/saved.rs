//! Where a saved page came from, whichever browser saved it: Chrome and Edge's "Webpage,
//! Complete" write a `<!-- saved from url=(NNNN)… -->` comment; Firefox writes none, so the
//! page's own `<link rel="canonical">`, `og:url`, the dashboard's link to the page it shows
//! (`aria-current="page"`, which React routers set on the active navigation link) or `<base href>`
//! stand in. (Chrome's single-file `.mhtml` carries its URL in MIME headers: see
//! [`crate::ingest::mhtml`].) The HTML reader tries the live page's URL first, then these, in
//! this order.

use crate::ingest::html::clean::Attr;
use crate::ingest::html::walk::walk;
use ego_tree::NodeRef;
use scraper::Node;

/// `<!-- saved from url=(0048)https://platform.openai.com/settings/organization/api-keys -->`
/// Looks at `nodes` (a page's nodes in document order, or only its comments).
pub(crate) fn saved_from_in(nodes: &[NodeRef<'_, Node>]) -> Option<String> {
    nodes.iter().find_map(|n| {
        let Node::Comment(c) = n.value() else {
            return None;
        };
        let rest = c.trim().strip_prefix("saved from url=")?;
        let url = rest.split_once(')').map_or(rest, |(_, u)| u).trim();
        (!url.is_empty()).then(|| url.to_string())
    })
}

/// Where a save without a `saved from url` comment came from (Firefox writes none): the page's
/// own `<link rel="canonical">`, else its `og:url`, else its current navigation link, else its
/// `<base href>`, in that order of trust whatever their order in the page. Only absolute http(s)
/// URLs count (browsers make links absolute when saving); a root-relative canonical path is
/// joined to the base's origin when there is one.
/// Looks at `nodes`: a page's nodes in document order, or only those this reads (`link`, `meta`,
/// `base`, `title`, `h1` and `a` elements, the `a`s all those with `aria-current="page"`).
pub(crate) fn canonical_in(nodes: &[NodeRef<'_, Node>]) -> Option<String> {
    let (mut link, mut og, mut base) = (None, None, None);
    for n in nodes {
        let Some(e) = n.value().as_element() else {
            continue;
        };
        let value = |a: &str| e.at(a).map(str::trim).filter(|v| !v.is_empty());
        match e.name() {
            "link"
                if link.is_none()
                    && e.at("rel").is_some_and(|r| {
                        r.split_whitespace()
                            .any(|w| w.eq_ignore_ascii_case("canonical"))
                    }) =>
            {
                link = value("href");
            }
            "meta"
                if og.is_none()
                    && (e.at("property") == Some("og:url") || e.at("name") == Some("og:url")) =>
            {
                og = value("content");
            }
            "base" if base.is_none() => base = value("href").filter(|v| absolute(v)),
            _ => {}
        }
    }
    let origin = base.and_then(|b| {
        let (scheme, rest) = b.split_once("://")?;
        let host = rest.split(['/', '?', '#']).next()?;
        Some(format!("{scheme}://{host}"))
    });
    let resolve = |v: &str| -> Option<String> {
        if absolute(v) {
            Some(v.to_string())
        } else if v.starts_with('/') && !v.starts_with("//") {
            origin.as_ref().map(|o| format!("{o}{v}"))
        } else {
            None
        }
    };
    link.and_then(resolve)
        .or_else(|| og.and_then(resolve))
        .or_else(|| current_link(nodes))
        .or_else(|| base.map(str::to_string))
}

/// The absolute link marked `aria-current="page"`. A dashboard may mark several (the top bar's
/// "Settings" and the sidebar's "API keys"): then only the one whose text is the page's own name
/// (the title before its ` - Site` suffix, or the `<h1>`) counts, and none when none is.
fn current_link(nodes: &[NodeRef<'_, Node>]) -> Option<String> {
    let text = |n: NodeRef<'_, Node>| -> String {
        let words: Vec<String> = walk(n)
            .filter(|(_, inside)| !inside.in_graphic())
            .filter_map(|(d, _)| d.value().as_text().map(|t| t.to_string()))
            .collect();
        words
            .concat()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let mut current: Vec<(String, String)> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for &n in nodes {
        let Some(e) = n.value().as_element() else {
            continue;
        };
        match e.name() {
            "a" if e
                .at("aria-current")
                .is_some_and(|v| v.eq_ignore_ascii_case("page")) =>
            {
                if let Some(href) = e.at("href").map(str::trim).filter(|h| absolute(h)) {
                    current.push((href.to_string(), text(n)));
                }
            }
            "title" => {
                let t = text(n);
                // The first ` - `, ` | `, ` · ` or ` — ` ends the page's own name.
                let own = [" - ", " | ", " · ", " — "]
                    .iter()
                    .filter_map(|sep| t.find(sep))
                    .min()
                    .map_or(t.as_str(), |i| t.get(..i).unwrap_or(""));
                names.push(own.trim().to_string());
            }
            "h1" => names.push(text(n)),
            _ => {}
        }
    }
    if current.len() == 1 {
        return current.pop().map(|(href, _)| href);
    }
    current
        .into_iter()
        .find(|(_, t)| !t.is_empty() && names.contains(t))
        .map(|(href, _)| href)
}

fn absolute(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn canonical(root: NodeRef<'_, Node>) -> Option<String> {
        canonical_in(&root.descendants().collect::<Vec<_>>())
    }

    fn saved_from(root: NodeRef<'_, Node>) -> Option<String> {
        saved_from_in(&root.descendants().collect::<Vec<_>>())
    }

    fn url_of(head: &str) -> Option<String> {
        let doc = Html::parse_document(&format!(
            "<!DOCTYPE html><html><head>{head}</head><body></body></html>"
        ));
        canonical(doc.tree.root())
    }

    #[test]
    fn saved_from_comment() {
        let doc = Html::parse_document(
            "<!DOCTYPE html>\n<!-- saved from url=(0052)https://platform.openai.com/settings/organization/limits -->\n<html></html>",
        );
        assert_eq!(
            saved_from(doc.tree.root()).as_deref(),
            Some("https://platform.openai.com/settings/organization/limits")
        );
    }

    #[test]
    fn canonical_link_beats_og_url_whatever_their_order() {
        assert_eq!(
            url_of(r#"<meta property="og:url" content="https://platform.openai.com/og"><link rel="canonical" href="https://platform.openai.com/settings/organization/members">"#).as_deref(),
            Some("https://platform.openai.com/settings/organization/members")
        );
    }

    #[test]
    fn og_url_when_there_is_no_canonical_link() {
        assert_eq!(
            url_of(r#"<link rel="stylesheet" href="a.css"><meta property="og:url" content=" https://platform.openai.com/settings/organization/admin-keys ">"#).as_deref(),
            Some("https://platform.openai.com/settings/organization/admin-keys")
        );
    }

    #[test]
    fn base_href_is_the_last_resort_and_resolves_a_root_relative_canonical() {
        assert_eq!(
            url_of(r#"<base href="https://platform.openai.com/settings/proj_k7Qx2m/limits">"#)
                .as_deref(),
            Some("https://platform.openai.com/settings/proj_k7Qx2m/limits")
        );
        assert_eq!(
            url_of(r#"<base href="https://platform.openai.com/"><link rel="canonical" href="/settings/organization/projects">"#).as_deref(),
            Some("https://platform.openai.com/settings/organization/projects")
        );
    }

    #[test]
    fn relative_or_foreign_scheme_urls_are_not_a_page_url() {
        assert_eq!(
            url_of(r#"<link rel="canonical" href="/settings/organization/projects">"#),
            None
        );
        assert_eq!(
            url_of(r#"<meta property="og:url" content="javascript:alert(1)">"#),
            None
        );
        assert_eq!(url_of(r#"<base href="./API keys_files/">"#), None);
        assert_eq!(url_of(""), None);
    }

    fn url_in_body(body: &str) -> Option<String> {
        let doc = Html::parse_document(&format!(
            "<!DOCTYPE html><html><head><title>API keys - OpenAI API</title></head><body>{body}</body></html>"
        ));
        canonical(doc.tree.root())
    }

    #[test]
    fn the_navigation_link_named_like_the_page_is_its_url() {
        let nav = r#"<header><a aria-current="page" href="https://platform.openai.com/settings/organization/general">Settings</a></header>
            <aside><nav><a href="https://platform.openai.com/settings/organization/members">Members</a>
            <a aria-current="page" href="https://platform.openai.com/settings/organization/api-keys"><svg><title>key</title></svg> API keys</a></nav></aside>
            <main><h1>API keys</h1></main>"#;
        assert_eq!(
            url_in_body(nav).as_deref(),
            Some("https://platform.openai.com/settings/organization/api-keys")
        );
    }

    #[test]
    fn a_lone_current_link_is_the_url_and_relative_ones_do_not_count() {
        assert_eq!(
            url_in_body(r#"<a aria-current="page" href="https://platform.openai.com/settings/organization/limits">Limits</a>"#).as_deref(),
            Some("https://platform.openai.com/settings/organization/limits")
        );
        assert_eq!(
            url_in_body(
                r#"<a aria-current="page" href="/settings/organization/limits">Limits</a>"#
            ),
            None
        );
    }

    #[test]
    fn several_current_links_none_named_like_the_page_give_no_url() {
        let nav = r#"<a aria-current="page" href="https://platform.openai.com/settings/organization/general">Settings</a>
            <a aria-current="page" href="https://platform.openai.com/settings/organization/limits">Limits</a>"#;
        assert_eq!(url_in_body(nav), None);
    }

    #[test]
    fn og_url_beats_the_current_link() {
        let doc = Html::parse_document(
            r#"<html><head><meta property="og:url" content="https://platform.openai.com/settings/organization/members"></head>
            <body><a aria-current="page" href="https://platform.openai.com/settings/organization/api-keys">API keys</a></body></html>"#,
        );
        assert_eq!(
            canonical(doc.tree.root()).as_deref(),
            Some("https://platform.openai.com/settings/organization/members")
        );
    }
}
