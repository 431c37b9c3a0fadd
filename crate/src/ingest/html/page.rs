//! The page around the tables: which page it is (from its URL, else its title and headings),
//! the organization and project it has selected, and whether its pagination hides rows.

use ego_tree::NodeRef;
use jiff::civil::Date;
use scraper::{ElementRef, Node};

use super::clean::{self, Attr};
use super::outline::Outline;
use crate::ingest::table::Page;
use crate::model::Seen;

// Where a saved page came from is read with the other saved-page formats.
pub(super) use crate::ingest::saved::{canonical_in, saved_from_in};

pub(super) fn first_text(outline: &Outline<'_>, tag: &str, as_of: Date) -> Option<String> {
    outline.named.iter().find_map(|&n| {
        let el = ElementRef::wrap(n)?;
        if el.value().name() != tag {
            return None;
        }
        let text = if tag == "title" {
            clean::tidy(&el.text().collect::<String>())
        } else {
            clean::cell(el, as_of).text.replace('\n', " ")
        };
        (!text.is_empty()).then_some(text)
    })
}

/// `proj_…` in a path such as `/settings/proj_abc123/api-keys`, or a Console workspace's
/// `wrkspc_…` (`/settings/workspaces/wrkspc_01…/keys`).
pub(super) fn project_in_url(url: &str) -> Option<String> {
    url.split(['/', '?', '#', '&', '='])
        .find(|s| {
            (s.starts_with("proj_") && s.len() > 5) || (s.starts_with("wrkspc_") && s.len() > 7)
        })
        .map(str::to_string)
}

/// Which page this is: from the URL path first, else from the title and headings.
pub(super) fn page_kind(
    url: Option<&str>,
    title: Option<&str>,
    headings: &[String],
    has_project: bool,
) -> Page {
    // The console's own path says which page it is (providers::*::page_of_path).
    if let Some(k) = url.and_then(crate::ingest::providers::page_of_url) {
        return k;
    }
    let words = std::iter::once(title.unwrap_or(""))
        .chain(headings.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" | ")
        .to_lowercase();
    if words.contains("admin keys") || words.contains("admin api keys") {
        Page::AdminKeys
    } else if words.contains("user api keys") || words.contains("legacy") {
        Page::UserApiKeys
    } else if words.contains("api keys") {
        if has_project {
            Page::ProjectApiKeys
        } else {
            Page::OrgApiKeys
        }
    } else if words.contains("service accounts") {
        Page::ServiceAccounts
    } else if words.contains("members") || words.contains("people") {
        if words.contains("project") {
            Page::ProjectMembers
        } else {
            Page::OrgMembers
        }
    } else if words.contains("limits") || words.contains("budget") {
        Page::Limits
    } else if words.contains("projects") {
        Page::Projects
    } else if words.contains("usage") {
        Page::Usage
    } else {
        Page::Unknown
    }
}

/// The project or organization the page has selected: a selector button or combobox whose
/// `aria-label` or `data-testid` (best), or `id` or class names it (`Select project`,
/// `project-switcher`), read as shown. Among equally good candidates the innermost wins, so a
/// switcher bar holding both the organization and the project buttons is not read whole.
///
/// The organization falls back to `org-…` selectors and then to the first breadcrumb, for saves
/// whose switcher is a bare menu button.
pub(super) fn selected(outline: &Outline<'_>, what: &str, as_of: Date) -> Option<String> {
    let found = selected_by(outline, what, as_of);
    if what != "organization" {
        return found;
    }
    found
        .or_else(|| selected_by(outline, "org-", as_of))
        .or_else(|| breadcrumb_org(outline, as_of))
}

fn selected_by(outline: &Outline<'_>, what: &str, as_of: Date) -> Option<String> {
    const NOT_A_NAME: &[&str] = &[
        "project",
        "projects",
        "all projects",
        "create project",
        "new project",
        "organization",
        "organizations",
        "org",
        "select project",
        "select organization",
        "manage projects",
        "view all",
    ];
    let score = |n: NodeRef<'_, Node>| -> u8 {
        let Some(e) = n.value().as_element() else {
            return 0;
        };
        let selector_like = matches!(e.name(), "button" | "a" | "div" | "span" | "nav" | "li")
            || matches!(e.at("role"), Some("combobox" | "button" | "listbox"))
            || e.at("aria-haspopup").is_some();
        if !selector_like {
            return 0;
        }
        let says = |a: &str| {
            e.at(a).is_some_and(|v| {
                contains_ci(v, what)
                    && (a == "aria-label"
                        || ["select", "switch", "picker", "current"]
                            .iter()
                            .any(|w| contains_ci(v, w)))
            })
        };
        let s = if says("aria-label") {
            3
        } else if says("data-testid") {
            2
        } else if says("id") || says("class") {
            1
        } else {
            0
        };
        if s > 0 && clean::hidden(e) {
            0
        } else {
            s
        }
    };
    // The best so far, its depth, and whether the walk is still inside it: in document order,
    // the first node at or above the best's depth is outside it. Only the outline's candidates
    // (every element outside tables that can score) are looked at: in a walk of the page, a
    // later node is still inside the best exactly when it is its descendant.
    let mut best: Option<(u8, NodeRef<'_, Node>, u32)> = None;
    let mut in_best = false;
    for &(n, depth) in &outline.selectors {
        if let Some((_, b, d)) = best {
            in_best &= depth > d && n.ancestors().any(|a| a.id() == b.id());
        }
        let s = score(n);
        if s == 0 {
            continue;
        }
        let better = match best {
            None => true,
            Some((bs, _, _)) => s > bs || (s == bs && in_best),
        };
        if better {
            best = Some((s, n, depth));
            in_best = true;
        }
    }
    let el = ElementRef::wrap(best?.1)?;
    let text = clean::cell(el, as_of).text;
    text.lines()
        .map(|l| {
            l.trim()
                .trim_start_matches("Project:")
                .trim_start_matches("Organization:")
                .trim()
        })
        .find(|l| !l.is_empty() && !NOT_A_NAME.contains(&l.to_lowercase().as_str()))
        .map(str::to_string)
}

/// Crumbs that are sections of the dashboard, never an organization or project name.
const NOT_A_NAME_IN_CRUMBS: &[&str] =
    &["settings", "projects", "organization", "home", "dashboard"];

/// The items of the page's breadcrumb trail (`Acme / Checkout API / API keys`), as shown.
fn breadcrumb(outline: &Outline<'_>, as_of: Date) -> Vec<String> {
    let Some(&crumb) = outline.breadcrumbs.iter().find(|n| {
        n.value().as_element().is_some_and(|e| {
            let says = |a: &str| e.at(a).is_some_and(|v| contains_ci(v, "breadcrumb"));
            (says("aria-label") || says("class") || says("data-testid")) && !clean::hidden(e)
        })
    }) else {
        return Vec::new();
    };
    let Some(el) = ElementRef::wrap(crumb) else {
        return Vec::new();
    };
    let items: Vec<String> = crumb
        .descendants()
        .filter(|n| n.value().as_element().is_some_and(|e| e.name() == "li"))
        .filter_map(ElementRef::wrap)
        .map(|li| clean::cell(li, as_of).text.replace('\n', " "))
        .filter(|t| !t.is_empty())
        .collect();
    if !items.is_empty() {
        return items;
    }
    clean::cell(el, as_of)
        .text
        .replace('\n', " ")
        .split(['/', '›', '>', '»'])
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

fn a_name(t: &&String) -> bool {
    !NOT_A_NAME_IN_CRUMBS.contains(&t.to_lowercase().as_str())
}

/// The project named in a breadcrumb (`Acme / Checkout API / API keys`): the item before the
/// page's own, when the page has no project selector.
pub(super) fn breadcrumb_project(outline: &Outline<'_>, as_of: Date) -> Option<String> {
    let items = breadcrumb(outline, as_of);
    let n = items.len();
    if n < 2 {
        return None;
    }
    items.get(n - 2).filter(a_name).cloned()
}

/// The organization a breadcrumb starts with (`Acme / Settings / API keys`): only in a trail of
/// three or more, where the first item is above both the project and the page.
pub(super) fn breadcrumb_org(outline: &Outline<'_>, as_of: Date) -> Option<String> {
    let items = breadcrumb(outline, as_of);
    if items.len() < 3 {
        return None;
    }
    items.first().filter(a_name).cloned()
}

/// `Showing 1–20 of 45`, `1-20 of 45`, `Page 1 of 3` outside the tables: a warning when the
/// page does not show every row, and the numbers as read (for the report's coverage).
pub(super) fn pagination(
    outline: &Outline<'_>,
    noun: &str,
    warnings: &mut Vec<String>,
) -> Option<Seen> {
    let mut words: Vec<String> = Vec::new();
    // The visible texts containing "of", as a walk of the page would meet them.
    for n in &outline.of_texts {
        let Node::Text(t) = n.value() else { continue };
        let line: Vec<String> = t
            .split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| matches!(c, ',' | '.' | '(' | ')' | ':'))
                    .to_lowercase()
            })
            .collect();
        words.clear();
        words.extend(line);
        let num = |s: &str| s.replace(',', "").parse::<u64>().ok();
        for i in 0..words.len() {
            if words.get(i).map(String::as_str) != Some("of") {
                continue;
            }
            let Some(total) = words.get(i + 1).and_then(|w| num(w)) else {
                continue;
            };
            let before = |k: usize| {
                i.checked_sub(k)
                    .and_then(|j| words.get(j))
                    .map(String::as_str)
            };
            // `Page 2 of 3`
            if before(2) == Some("page") {
                if let Some(p) = before(1).and_then(num) {
                    if total > 1 {
                        warnings.push(format!(
                            "page {p} of {total} shown: visit the other pages too"
                        ));
                    }
                    return Some(Seen {
                        page: Some(p),
                        pages: Some(total),
                        more: p < total,
                        ..Seen::default()
                    });
                }
            }
            // `1–20 of 45` as one word, or `1 – 20 of 45` as three.
            let range = before(1).and_then(|w| {
                let (a, b) = w.split_once(['-', '–', '—'])?;
                Some((num(a)?, num(b)?))
            });
            let range = range.or_else(|| {
                let dash = before(2)?;
                if !matches!(dash, "-" | "–" | "—" | "to") {
                    return None;
                }
                Some((num(before(3)?)?, num(before(1)?)?))
            });
            if let Some((a, b)) = range {
                let shown = b.saturating_sub(a) + 1;
                if shown < total {
                    // The last page has no next one: the rows missing are before it.
                    let visit = if b >= total && a > 1 {
                        "the earlier pages"
                    } else {
                        "the next page"
                    };
                    warnings.push(format!(
                        "page shows {shown} of {total} {noun}: visit {visit} too"
                    ));
                }
                return Some(Seen {
                    first: Some(a),
                    last: Some(b),
                    total: Some(total),
                    more: b < total,
                    ..Seen::default()
                });
            }
        }
    }
    None
}

/// Whether `hay` contains `needle` (lowercase ASCII) in any case, without allocating: asked of
/// several attributes of every element of a page.
pub(super) fn contains_ci(hay: &str, needle: &str) -> bool {
    let n = needle.as_bytes();
    n.is_empty()
        || hay
            .as_bytes()
            .windows(n.len())
            .any(|w| w.eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn kind(url: &str) -> Page {
        page_kind(Some(url), None, &[], false)
    }

    #[test]
    fn page_kind_from_the_url_path() {
        let base = "https://platform.openai.com";
        assert_eq!(
            kind(&format!("{base}/settings/organization/api-keys")),
            Page::OrgApiKeys
        );
        assert_eq!(
            kind(&format!("{base}/settings/proj_abc/api-keys")),
            Page::ProjectApiKeys
        );
        assert_eq!(
            kind(&format!("{base}/api-keys?tab=1")),
            Page::ProjectApiKeys
        );
        assert_eq!(
            kind(&format!("{base}/settings/profile/api-keys")),
            Page::UserApiKeys
        );
        assert_eq!(
            kind(&format!("{base}/settings/organization/admin-keys")),
            Page::AdminKeys
        );
        assert_eq!(
            kind(&format!("{base}/settings/organization/members")),
            Page::OrgMembers
        );
        assert_eq!(
            kind(&format!("{base}/settings/proj_abc/people")),
            Page::ProjectMembers
        );
        assert_eq!(
            kind(&format!("{base}/settings/proj_abc/service-accounts")),
            Page::ServiceAccounts
        );
        assert_eq!(
            kind(&format!("{base}/settings/organization/projects")),
            Page::Projects
        );
        assert_eq!(
            kind(&format!("{base}/settings/organization/limits")),
            Page::Limits
        );
        assert_eq!(kind(&format!("{base}/usage")), Page::Usage);
        assert_eq!(
            project_in_url(&format!("{base}/settings/proj_abc/limits")).as_deref(),
            Some("proj_abc")
        );
    }

    #[test]
    fn page_kind_from_headings_when_the_url_is_unknown() {
        let h = |t: &str| page_kind(None, Some(t), &[], false);
        assert_eq!(h("Admin keys - OpenAI API"), Page::AdminKeys);
        assert_eq!(h("API keys - OpenAI API"), Page::OrgApiKeys);
        assert_eq!(
            page_kind(None, Some("API keys"), &[], true),
            Page::ProjectApiKeys
        );
        assert_eq!(h("Weather"), Page::Unknown);
    }

    fn warnings_for(footer: &str) -> Vec<String> {
        let doc = Html::parse_document(&format!("<div>{footer}</div>"));
        let mut w = Vec::new();
        let _ = pagination(&Outline::of(doc.tree.root()), "keys", &mut w);
        w
    }

    #[test]
    fn pagination_footers() {
        assert_eq!(
            warnings_for("Showing 1–20 of 45"),
            ["page shows 20 of 45 keys: visit the next page too"]
        );
        assert_eq!(
            warnings_for("21 - 40 of 45 results"),
            ["page shows 20 of 45 keys: visit the next page too"]
        );
        assert_eq!(
            warnings_for("Showing 1 to 10 of 1,204"),
            ["page shows 10 of 1204 keys: visit the next page too"]
        );
        assert_eq!(
            warnings_for("Page 2 of 3"),
            ["page 2 of 3 shown: visit the other pages too"]
        );
        assert_eq!(
            warnings_for("Showing 41–45 of 45"),
            ["page shows 5 of 45 keys: visit the earlier pages too"]
        );
        assert!(warnings_for("Showing 1–5 of 5").is_empty());
        assert!(warnings_for("Page 1 of 1").is_empty());
        assert!(warnings_for("2 of the keys are old").is_empty());
    }

    fn doc(body: &str) -> Html {
        Html::parse_document(&format!("<!DOCTYPE html><html><body>{body}</body></html>"))
    }

    const AS_OF: Date = jiff::civil::date(2026, 11, 22);

    #[test]
    fn pagination_in_scripts_styles_and_templates_is_not_the_page_footer() {
        // Guards `clean::hidden` counting code elements as never shown.
        let d = doc(
            r#"<script>window.__state={"footer":"Showing 1–20 of 45"}</script>
            <style>.pager::after{content:"Page 1 of 3"}</style>
            <template><span>Showing 1–20 of 45</span></template>
            <div class="pagination">Showing 1–6 of 6</div>"#,
        );
        let mut w = Vec::new();
        let _ = pagination(&Outline::of(d.tree.root()), "keys", &mut w);
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn organization_and_project_from_a_breadcrumb_trail() {
        let d = doc(
            r#"<nav aria-label="Breadcrumb"><ol><li><a href="/">Northwind Labs</a></li>
            <li><a href="/p">Checkout API</a></li><li aria-current="page">API keys</li></ol></nav>"#,
        );
        let root = d.tree.root();
        assert_eq!(
            selected(&Outline::of(root), "organization", AS_OF).as_deref(),
            Some("Northwind Labs")
        );
        assert_eq!(
            breadcrumb_project(&Outline::of(root), AS_OF).as_deref(),
            Some("Checkout API")
        );
    }

    #[test]
    fn a_settings_crumb_is_neither_org_nor_project() {
        let d = doc(r#"<div class="breadcrumbs">Settings / API keys</div>"#);
        let root = d.tree.root();
        assert_eq!(selected(&Outline::of(root), "organization", AS_OF), None);
        assert_eq!(breadcrumb_project(&Outline::of(root), AS_OF), None);
        let d = doc(
            r#"<nav aria-label="breadcrumb"><ol><li>Northwind Labs</li><li>Settings</li><li>Members</li></ol></nav>"#,
        );
        assert_eq!(breadcrumb_project(&Outline::of(d.tree.root()), AS_OF), None);
        assert_eq!(
            selected(&Outline::of(d.tree.root()), "organization", AS_OF).as_deref(),
            Some("Northwind Labs")
        );
    }

    #[test]
    fn organization_switcher_beats_the_breadcrumb() {
        let d = doc(
            r#"<button aria-label="Select organization" aria-haspopup="menu"><span>Acme Robotics</span></button>
            <nav aria-label="Breadcrumb"><ol><li>Northwind Labs</li><li>Settings</li><li>API keys</li></ol></nav>"#,
        );
        assert_eq!(
            selected(&Outline::of(d.tree.root()), "organization", AS_OF).as_deref(),
            Some("Acme Robotics")
        );
    }

    #[test]
    fn page_kind_from_title_and_heading_of_a_save_without_url() {
        let h = |t: &str, h1: &str| page_kind(None, Some(t), &[h1.to_string()], false);
        assert_eq!(h("Projects - OpenAI API", "Projects"), Page::Projects);
        assert_eq!(h("OpenAI Platform", "Members"), Page::OrgMembers);
        assert_eq!(h("OpenAI Platform", "Admin keys"), Page::AdminKeys);
    }
}
