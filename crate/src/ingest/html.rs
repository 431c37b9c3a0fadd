//! HTML pages, live (the extension hands over the page's `outerHTML`) or saved with "Save page
//! as": every `<table>` and every ARIA grid (`role=table|grid|treegrid` with `role=row` and
//! `columnheader`/`cell`/`gridcell`/`rowheader`), recognized by header names through
//! [`crate::ingest::table`].
//!
//! The page's context fills in what rows do not say: its URL (the live page's, else the
//! `<!-- saved from url=… -->` line a browser writes, else the canonical link) tells which page it
//! is, and the project selected at the top of the page is the scope of keys on a project page.
//! Pagination footers become warnings, and a full secret anywhere in the page (the "save your
//! key" dialog) becomes an [`ExposedSecret`].

pub mod clean;

use ego_tree::NodeRef;
use jiff::civil::Date;
use scraper::{ElementRef, Html, Node};

use crate::error::{Error, Position, Result};
use crate::ingest::table::{Page, Scope, TableKind, TableReader, NOTHING_FOUND};
use crate::ingest::{Batch, Context};
use crate::model::{ExposedSecret, ProjectRef};
use crate::secret;

use clean::CellText;

/// One table or grid as read from the page: its header cells and data rows.
#[derive(Debug, Default)]
struct RawTable {
    header: Vec<String>,
    rows: Vec<Vec<CellText>>,
}

/// Reads one page.
pub fn read(ctx: &Context, text: &str) -> Result<Batch> {
    let doc = Html::parse_document(text);
    let root = doc.tree.root();
    let url = ctx
        .url
        .clone()
        .or_else(|| saved_from(root))
        .or_else(|| canonical(root));
    let title = ctx
        .title
        .clone()
        .or_else(|| first_text(root, "title", ctx.as_of));
    let headings: Vec<String> = ["h1", "h2"]
        .iter()
        .filter_map(|h| first_text(root, h, ctx.as_of))
        .collect();
    let selected_project =
        selected(root, "project", ctx.as_of).or_else(|| breadcrumb_project(root, ctx.as_of));
    let url_project = url.as_deref().and_then(project_in_url);
    let page = page_kind(
        url.as_deref(),
        title.as_deref(),
        &headings,
        selected_project.is_some() || url_project.is_some(),
    );
    let project = match page {
        Page::ProjectApiKeys | Page::ProjectMembers | Page::ServiceAccounts | Page::Limits => {
            match (url_project, selected_project) {
                (None, None) => None,
                (id, name) => Some(ProjectRef { id, name }),
            }
        }
        _ => None,
    };

    let mut tables = Vec::new();
    collect(root, ctx.as_of, &mut tables);

    let mut batch = Batch {
        url: url.clone(),
        org: selected(root, "organization", ctx.as_of)
            .or_else(|| selected(root, "org-", ctx.as_of)),
        ..Batch::default()
    };
    let scope = Scope {
        source: ctx.name.clone(),
        as_of: ctx.as_of,
        page,
        project,
        decimal_comma: false,
        lines: false,
    };
    let mut kinds = Vec::new();
    for t in &tables {
        let Some(mut reader) = TableReader::new(&t.header, scope.clone(), &mut batch.warnings)
        else {
            continue;
        };
        for (i, row) in t.rows.iter().enumerate() {
            let cells: Vec<&str> = row.iter().map(|c| c.text.as_str()).collect();
            let hints: Vec<Option<&str>> = row.iter().map(|c| c.hint.as_deref()).collect();
            reader.row(&cells, &hints, i as u64 + 1, &mut batch);
        }
        kinds.push(reader.kind());
    }
    let Some(first) = kinds.first().copied() else {
        let what = if tables.is_empty() {
            "the page has no table or grid".to_string()
        } else {
            let shown: Vec<String> = tables.iter().take(3).map(|t| t.header.join(", ")).collect();
            format!("its tables have headers: {}", shown.join(" | "))
        };
        return Err(Error::input(
            &ctx.name,
            Position::default(),
            format!("{NOTHING_FOUND}; {what}"),
        ));
    };
    batch.kind = format!(
        "html:{}",
        if page == Page::Unknown {
            match first {
                TableKind::Keys => "api-keys",
                k => k.slug(),
            }
        } else {
            page.slug()
        }
    );
    batch.members_list = kinds.contains(&TableKind::Members);
    scan_page_for_secrets(ctx, text, &mut batch);
    let noun = match first {
        TableKind::Keys => "keys",
        TableKind::Members => "members",
        TableKind::ServiceAccounts => "service accounts",
        TableKind::Projects => "projects",
        TableKind::Limits | TableKind::Usage => "rows",
    };
    pagination(root, noun, &mut batch.warnings);
    dedup(&mut batch.warnings);
    Ok(batch)
}

/// `<!-- saved from url=(0048)https://platform.openai.com/settings/organization/api-keys -->`
fn saved_from(root: NodeRef<'_, Node>) -> Option<String> {
    root.descendants().find_map(|n| {
        let Node::Comment(c) = n.value() else {
            return None;
        };
        let rest = c.trim().strip_prefix("saved from url=")?;
        let url = rest.split_once(')').map_or(rest, |(_, u)| u).trim();
        (!url.is_empty()).then(|| url.to_string())
    })
}

/// `<link rel="canonical">` or `<meta property="og:url">`.
fn canonical(root: NodeRef<'_, Node>) -> Option<String> {
    root.descendants().find_map(|n| {
        let e = n.value().as_element()?;
        let v = match e.name() {
            "link" if e.attr("rel")?.eq_ignore_ascii_case("canonical") => e.attr("href"),
            "meta" if e.attr("property")? == "og:url" => e.attr("content"),
            _ => None,
        }?;
        Some(v.trim().to_string()).filter(|v| !v.is_empty())
    })
}

fn first_text(root: NodeRef<'_, Node>, tag: &str, as_of: Date) -> Option<String> {
    root.descendants().find_map(|n| {
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

/// `proj_…` in a path such as `/settings/proj_abc123/api-keys`.
fn project_in_url(url: &str) -> Option<String> {
    url.split(['/', '?', '#', '&', '='])
        .find(|s| s.starts_with("proj_") && s.len() > 5)
        .map(str::to_string)
}

/// Which page this is: from the URL path first, else from the title and headings.
fn page_kind(
    url: Option<&str>,
    title: Option<&str>,
    headings: &[String],
    has_project: bool,
) -> Page {
    if let Some(url) = url {
        let path = url.split_once("://").map_or(url, |(_, rest)| {
            rest.find('/').map_or("", |i| rest.get(i..).unwrap_or(""))
        });
        let path = path
            .split(['?', '#'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let org = path.contains("/settings/organization/");
        let kind = if path.contains("/admin-keys") {
            Some(Page::AdminKeys)
        } else if path.contains("/settings/profile/api-keys")
            || path.contains("/account/api-keys")
            || path.contains("/settings/profile/user-api-keys")
        {
            Some(Page::UserApiKeys)
        } else if path.contains("/api-keys") {
            Some(if org {
                Page::OrgApiKeys
            } else {
                Page::ProjectApiKeys
            })
        } else if path.contains("/service-accounts") {
            Some(Page::ServiceAccounts)
        } else if path.contains("/members") || path.contains("/people") || path.contains("/team") {
            Some(if org {
                Page::OrgMembers
            } else {
                Page::ProjectMembers
            })
        } else if path.contains("/limits") || path.contains("/billing/limits") {
            Some(Page::Limits)
        } else if path.contains("/projects") {
            Some(Page::Projects)
        } else if path.contains("/usage") {
            Some(Page::Usage)
        } else {
            None
        };
        if let Some(k) = kind {
            return k;
        }
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

/// True when a node lies inside a table or grid (whose text is data, not page chrome).
fn in_table(n: NodeRef<'_, Node>) -> bool {
    n.ancestors().any(|a| {
        a.value()
            .as_element()
            .is_some_and(|e| e.name() == "table" || is_grid(e))
    })
}

fn is_grid(e: &scraper::node::Element) -> bool {
    matches!(e.attr("role"), Some("table" | "grid" | "treegrid"))
}

/// The project or organization the page has selected: a selector button or combobox whose
/// `aria-label` or `data-testid` (best), or `id` or class names it (`Select project`,
/// `project-switcher`), read as shown. Among equally good candidates the innermost wins, so a
/// switcher bar holding both the organization and the project buttons is not read whole.
fn selected(root: NodeRef<'_, Node>, what: &str, as_of: Date) -> Option<String> {
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
            || matches!(e.attr("role"), Some("combobox" | "button" | "listbox"))
            || e.attr("aria-haspopup").is_some();
        if !selector_like || clean::hidden(e) {
            return 0;
        }
        let says = |a: &str| {
            e.attr(a).is_some_and(|v| {
                let v = v.to_ascii_lowercase();
                v.contains(what)
                    && (a == "aria-label"
                        || ["select", "switch", "picker", "current"]
                            .iter()
                            .any(|w| v.contains(w)))
            })
        };
        if says("aria-label") {
            3
        } else if says("data-testid") {
            2
        } else if says("id") || says("class") {
            1
        } else {
            0
        }
    };
    let mut best: Option<(u8, NodeRef<'_, Node>)> = None;
    for n in root.descendants() {
        let s = score(n);
        if s == 0 || in_table(n) {
            continue;
        }
        let better = match best {
            None => true,
            Some((bs, b)) => s > bs || (s == bs && n.ancestors().any(|a| a.id() == b.id())),
        };
        if better {
            best = Some((s, n));
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

/// The project named in a breadcrumb (`Acme / Checkout API / API keys`): the item before the
/// page's own, when the page has no project selector.
fn breadcrumb_project(root: NodeRef<'_, Node>, as_of: Date) -> Option<String> {
    const NOT_A_NAME: &[&str] = &["settings", "projects", "organization", "home", "dashboard"];
    let crumb = root.descendants().find(|n| {
        n.value().as_element().is_some_and(|e| {
            let says = |a: &str| {
                e.attr(a)
                    .is_some_and(|v| v.to_ascii_lowercase().contains("breadcrumb"))
            };
            !clean::hidden(e) && (says("aria-label") || says("class") || says("data-testid"))
        })
    })?;
    let el = ElementRef::wrap(crumb)?;
    let mut items: Vec<String> = crumb
        .descendants()
        .filter(|n| n.value().as_element().is_some_and(|e| e.name() == "li"))
        .filter_map(ElementRef::wrap)
        .map(|li| clean::cell(li, as_of).text.replace('\n', " "))
        .filter(|t| !t.is_empty())
        .collect();
    if items.is_empty() {
        items = clean::cell(el, as_of)
            .text
            .replace('\n', " ")
            .split(['/', '›', '>', '»'])
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
    }
    let n = items.len();
    if n < 2 {
        return None;
    }
    items
        .get(n - 2)
        .filter(|t| !NOT_A_NAME.contains(&t.to_lowercase().as_str()))
        .cloned()
}

/// Every `<table>` and ARIA grid, outermost first; nested ones are read on their own.
fn collect(root: NodeRef<'_, Node>, as_of: Date, out: &mut Vec<RawTable>) {
    for n in root.descendants() {
        let Some(e) = n.value().as_element() else {
            continue;
        };
        if clean::hidden(e) && e.name() != "table" {
            continue;
        }
        if e.name() == "table" {
            out.push(html_table(n, as_of));
        } else if is_grid(e) {
            out.push(aria_grid(n, as_of));
        }
    }
}

fn element_named(n: NodeRef<'_, Node>, names: &[&str]) -> bool {
    n.value()
        .as_element()
        .is_some_and(|e| names.contains(&e.name()))
}

fn html_table(table: NodeRef<'_, Node>, as_of: Date) -> RawTable {
    // Rows directly under the table or its sections; a nested table's rows are its own.
    let mut head_rows = Vec::new();
    let mut body_rows = Vec::new();
    for child in table.children() {
        if element_named(child, &["tr"]) {
            body_rows.push(child);
        } else if element_named(child, &["thead"]) {
            head_rows.extend(child.children().filter(|c| element_named(*c, &["tr"])));
        } else if element_named(child, &["tbody", "tfoot"]) {
            body_rows.extend(child.children().filter(|c| element_named(*c, &["tr"])));
        }
    }
    let cells_of = |tr: NodeRef<'_, Node>| -> Vec<(CellText, bool)> {
        let mut cells = Vec::new();
        for c in tr.children() {
            let Some(el) = ElementRef::wrap(c) else {
                continue;
            };
            let name = el.value().name();
            if name != "td" && name != "th" {
                continue;
            }
            let span = el
                .value()
                .attr("colspan")
                .and_then(|s| s.trim().parse::<usize>().ok())
                .unwrap_or(1)
                .clamp(1, 64);
            cells.push((clean::cell(el, as_of), name == "th"));
            for _ in 1..span {
                cells.push((CellText::default(), name == "th"));
            }
        }
        cells
    };
    let mut raw = RawTable::default();
    let mut rows: Vec<Vec<(CellText, bool)>> = body_rows.into_iter().map(cells_of).collect();
    if let Some(h) = head_rows.into_iter().last() {
        raw.header = cells_of(h)
            .into_iter()
            .map(|(c, _)| header_text(&c))
            .collect();
    } else if let Some(i) = rows
        .iter()
        .position(|r| !r.is_empty() && r.iter().all(|(_, th)| *th))
    {
        raw.header = rows
            .remove(i)
            .into_iter()
            .map(|(c, _)| header_text(&c))
            .collect();
        rows.drain(..i);
    } else if !rows.is_empty() {
        // No `<th>` at all: the first row is the header, as in a pasted spreadsheet.
        raw.header = rows
            .remove(0)
            .into_iter()
            .map(|(c, _)| header_text(&c))
            .collect();
    }
    raw.rows = rows
        .into_iter()
        .filter(|r| !r.iter().all(|(_, th)| *th))
        .map(|r| r.into_iter().map(|(c, _)| c).collect())
        .collect();
    raw
}

/// A header cell's text on one line, scrubbed (headers are echoed in messages).
fn header_text(c: &CellText) -> String {
    crate::ingest::table::scrub(&c.text.replace('\n', " ")).0
}

/// Rows (`role=row`) of a grid, not descending into nested grids.
fn grid_rows<'a>(n: NodeRef<'a, Node>, out: &mut Vec<NodeRef<'a, Node>>) {
    for c in n.children() {
        let Some(e) = c.value().as_element() else {
            continue;
        };
        if is_grid(e) || e.name() == "table" || clean::hidden(e) {
            continue;
        }
        if e.attr("role") == Some("row") {
            out.push(c);
        } else {
            grid_rows(c, out);
        }
    }
}

/// Cells of a grid row, with whether each is a column header.
fn grid_cells<'a>(n: NodeRef<'a, Node>, out: &mut Vec<(NodeRef<'a, Node>, bool)>) {
    for c in n.children() {
        let Some(e) = c.value().as_element() else {
            continue;
        };
        if is_grid(e) || e.attr("role") == Some("row") {
            continue;
        }
        match e.attr("role") {
            Some("columnheader") => out.push((c, true)),
            Some("cell" | "gridcell" | "rowheader") => out.push((c, false)),
            _ => grid_cells(c, out),
        }
    }
}

fn aria_grid(grid: NodeRef<'_, Node>, as_of: Date) -> RawTable {
    let mut rows = Vec::new();
    grid_rows(grid, &mut rows);
    let mut raw = RawTable::default();
    for row in rows {
        let mut cells = Vec::new();
        grid_cells(row, &mut cells);
        // A header row may hold a select-all checkbox cell besides its column headers.
        let header = cells.iter().any(|(_, h)| *h);
        let texts: Vec<CellText> = cells
            .into_iter()
            .filter_map(|(c, _)| ElementRef::wrap(c).map(|el| clean::cell(el, as_of)))
            .collect();
        if header && raw.header.is_empty() {
            raw.header = texts.iter().map(header_text).collect();
        } else if !header && !raw.header.is_empty() {
            raw.rows.push(texts);
        }
    }
    raw
}

/// A full secret anywhere in the page (a "save your key" dialog, an input's value) is found by
/// line; those already found in a table cell are not counted twice.
fn scan_page_for_secrets(ctx: &Context, text: &str, batch: &mut Batch) {
    if !text.contains("sk-") {
        return;
    }
    for (i, line) in text.lines().enumerate() {
        if !line.contains("sk-") {
            continue;
        }
        for redacted in crate::ingest::table::scrub(line).1 {
            if batch.exposed.iter().any(|e| e.redacted == redacted) {
                continue;
            }
            batch.exposed.push(ExposedSecret {
                source: ctx.name.clone(),
                location: format!("line {} of the page", i + 1),
                kind: secret::kind_from_value(&redacted),
                redacted,
            });
        }
    }
}

/// `Showing 1–20 of 45`, `1-20 of 45`, `Page 1 of 3` outside the tables: a warning when the
/// page does not show every row.
fn pagination(root: NodeRef<'_, Node>, noun: &str, warnings: &mut Vec<String>) {
    let mut words: Vec<String> = Vec::new();
    for n in root.descendants() {
        let Node::Text(t) = n.value() else { continue };
        if !t.contains("of")
            || n.ancestors()
                .any(|a| a.value().as_element().is_some_and(clean::hidden))
        {
            continue;
        }
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
                    return;
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
                    warnings.push(format!(
                        "page shows {shown} of {total} {noun}: visit the next page too"
                    ));
                }
                return;
            }
        }
    }
}

fn dedup(warnings: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    warnings.retain(|w| seen.insert(w.clone()));
}
