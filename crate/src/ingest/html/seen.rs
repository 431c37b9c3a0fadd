//! What a page showed against what it could have shown: the facts of [`Seen`], read from the
//! page around the records (the same page reading that finds them).
//!
//! - pagination: the footer's `1–25 of 31` or `Page 1 of 3` (read by [`super::page::pagination`]),
//!   else an ARIA grid's `aria-rowcount` with the `aria-rowindex` of its first and last rows (a
//!   virtualized grid keeps only the rows on screen in the DOM);
//! - the viewer: a notice that they see only their own keys (a member's view of a keys page),
//!   and the role a notice or the account menu states (`As an owner of this organization`);
//! - a filter: a project selector set to one project where "All projects" is an option, or a
//!   date range picker (`Last 30 days`).
//!
//! Only what the page states is recorded; nothing is inferred from the number of rows.

use ego_tree::NodeRef;
use scraper::{ElementRef, Node};

use super::clean;
use super::outline::Outline;
use crate::model::{ProjectRef, Seen};

/// Phrases that say the viewer sees only their own keys, lower case.
const OWN_ONLY: &[&str] = &[
    "only view your own",
    "only see your own",
    "only view and manage your own",
    "only manage your own",
    "can only view keys you",
    "can only see keys you",
    "only your own api keys",
    "only the keys you created",
];

/// Roles a notice or the account menu can state, lower case.
const ROLES: &[&str] = &["owner", "admin", "reader", "member"];

/// Reads what the page says of its own completeness. `paging` is the footer's reading.
pub(super) fn read(
    outline: &Outline<'_>,
    noun: &str,
    project: Option<ProjectRef>,
    paging: Option<Seen>,
) -> Seen {
    let mut seen = paging.unwrap_or_else(|| rowcount(outline).unwrap_or_default());
    seen.noun = noun.to_string();
    let (own_only, role) = viewer(outline);
    seen.own_only = own_only;
    seen.viewer_role = role;
    let (filtered_project, filter) = filters(outline);
    seen.project = project.or(filtered_project.map(|name| ProjectRef {
        id: None,
        name: Some(name),
    }));
    seen.filter = filter;
    seen
}

fn number(v: Option<&str>) -> Option<u64> {
    v?.trim().parse().ok()
}

/// An ARIA grid's `aria-rowcount` (header rows included, as ARIA counts them) and the
/// `aria-rowindex` of the data rows present.
fn rowcount(outline: &Outline<'_>) -> Option<Seen> {
    let grid = *outline.rowcounts.iter().find(|n| {
        n.value()
            .as_element()
            .is_some_and(|e| number(e.attr("aria-rowcount")).is_some_and(|c| c > 0))
    })?;
    let count = number(grid.value().as_element()?.attr("aria-rowcount"))?;
    let is_row = |n: &NodeRef<'_, Node>| {
        n.value()
            .as_element()
            .is_some_and(|e| e.name() == "tr" || e.attr("role") == Some("row"))
    };
    let is_header = |n: &NodeRef<'_, Node>| {
        n.descendants().any(|d| {
            d.value()
                .as_element()
                .is_some_and(|e| e.name() == "th" || e.attr("role") == Some("columnheader"))
        })
    };
    let rows: Vec<NodeRef<'_, Node>> = grid.descendants().filter(is_row).collect();
    let headers = rows.iter().filter(|r| is_header(r)).count() as u64;
    let indexes: Vec<u64> = rows
        .iter()
        .filter(|r| !is_header(r))
        .filter_map(|r| number(r.value().as_element()?.attr("aria-rowindex")))
        .collect();
    let data_rows = rows.iter().filter(|r| !is_header(r)).count() as u64;
    let total = count.saturating_sub(headers);
    let (first, last) = match (indexes.iter().min(), indexes.iter().max()) {
        (Some(&a), Some(&b)) => (a.saturating_sub(headers), b.saturating_sub(headers)),
        _ => (1, data_rows),
    };
    Some(Seen {
        first: Some(first.max(1)),
        last: Some(last),
        total: Some(total),
        more: first > 1 || last < total,
        drawn: true,
        ..Seen::default()
    })
}

/// Whether the page says the viewer sees only their own keys, and the role it states.
fn viewer(outline: &Outline<'_>) -> (bool, Option<String>) {
    let mut own_only = false;
    let mut role = None;
    // The visible texts outside tables that may say it.
    for n in &outline.notices {
        let Node::Text(t) = n.value() else { continue };
        let low = t.to_lowercase();
        // Cheap filter first: every phrase read below holds one of these.
        if !low.contains("own") && !low.contains("as ") && !low.contains("role") {
            continue;
        }
        let low = low.split_whitespace().collect::<Vec<_>>().join(" ");
        own_only |= OWN_ONLY.iter().any(|p| low.contains(p));
        if role.is_none() {
            role = stated_role(&low);
        }
    }
    (own_only, role)
}

/// `as an owner of this organization`, `your role: reader`, `role: owner`.
fn stated_role(low: &str) -> Option<String> {
    for intro in ["as an ", "as a ", "your role is ", "your role: ", "role: "] {
        let mut rest = low;
        while let Some(i) = rest.find(intro) {
            let after = rest.get(i + intro.len()..).unwrap_or("");
            let word: String = after.chars().take_while(|c| c.is_alphabetic()).collect();
            if ROLES.contains(&word.as_str()) {
                // "As a member of this project" names the project role; either way the
                // viewer is not an organization owner, which is what coverage needs.
                return Some(word);
            }
            rest = after;
        }
    }
    None
}

/// A project selector narrowed to one project (a `<select>` offering "All projects" with
/// another option selected), and a date range a picker shows (`Last 30 days`).
fn filters(outline: &Outline<'_>) -> (Option<String>, Option<String>) {
    let mut project = None;
    let mut filter = None;
    for &(n, inside) in &outline.selects {
        let Some(el) = ElementRef::wrap(n) else {
            continue;
        };
        if el.value().name() != "select" || inside.in_hidden() || clean::hidden(el.value()) {
            continue;
        }
        let options: Vec<(String, bool)> = el
            .descendants()
            .filter_map(ElementRef::wrap)
            .filter(|o| o.value().name() == "option")
            .map(|o| {
                (
                    clean::tidy(&o.text().collect::<String>()),
                    o.value().attr("selected").is_some(),
                )
            })
            .collect();
        let Some((chosen, _)) = options.iter().find(|(_, s)| *s).or(options.first()) else {
            continue;
        };
        let all_projects = options
            .iter()
            .any(|(t, _)| t.eq_ignore_ascii_case("all projects"));
        if all_projects && !chosen.eq_ignore_ascii_case("all projects") {
            project = Some(chosen.clone());
        } else if is_date_range(chosen) && options.len() > 1 {
            filter = Some(chosen.clone());
        }
    }
    (project, filter)
}

fn is_date_range(s: &str) -> bool {
    let l = s.to_lowercase();
    (l.starts_with("last ") && (l.ends_with("days") || l.ends_with("months")))
        || matches!(
            l.as_str(),
            "this month" | "last month" | "today" | "this week"
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn seen(html: &str) -> Seen {
        let d = Html::parse_document(html);
        read(&Outline::of(d.tree.root()), "keys", None, None)
    }

    #[test]
    fn a_members_own_keys_notice_and_role_are_read() {
        let s = seen(
            "<p>As a member of this project, you can only view and manage your own API keys.</p>",
        );
        assert!(s.own_only);
        assert_eq!(s.viewer_role.as_deref(), Some("member"));
        assert!(s.partial());
        let owner = seen("<p>As an owner of this organization, you can view and manage all API keys in this organization.</p>");
        let reader = seen("<p>As a reader, you can view this organization's usage.</p>");
        assert_eq!(reader.viewer_role.as_deref(), Some("reader"));
        assert!(!owner.own_only);
        assert_eq!(owner.viewer_role.as_deref(), Some("owner"));
        assert!(!owner.partial());
    }

    #[test]
    fn a_hidden_notice_says_nothing() {
        let s = seen("<p hidden>You can only view your own keys</p>");
        assert!(!s.own_only);
    }

    #[test]
    fn aria_rowcount_counts_the_header_row_out() {
        let s = seen(
            r#"<div role="grid" aria-rowcount="32">
              <div role="row" aria-rowindex="1"><div role="columnheader">Name</div></div>
              <div role="row" aria-rowindex="2"><div role="gridcell">a</div></div>
              <div role="row" aria-rowindex="11"><div role="gridcell">b</div></div>
            </div>"#,
        );
        assert_eq!((s.first, s.last, s.total), (Some(1), Some(10), Some(31)));
        assert!(s.more && s.partial());
    }

    #[test]
    fn a_project_selector_narrowed_to_one_project_is_a_filter() {
        let s = seen(
            r#"<select aria-label="Project"><option>All projects</option>
               <option selected>Payments</option></select>
               <select><option selected>Last 30 days</option><option>Last 7 days</option></select>"#,
        );
        assert_eq!(s.project.and_then(|p| p.name).as_deref(), Some("Payments"));
        assert_eq!(s.filter.as_deref(), Some("Last 30 days"));
        let all = seen(
            "<select><option selected>All projects</option><option>Payments</option></select>",
        );
        assert_eq!(all.project, None);
    }
}
