//! Coverage: what was read against what could have been read, so a roster read from a member's
//! view, page 1 of 3 or one project's page does not pass for the whole organization.
//!
//! Built from each source's `Seen` (pagination totals, `has_more`, the viewer's "only your own
//! keys" notice, a project filter), the keys and members read from those sources, the projects
//! known from any input (projects pages or JSON, usage and cost rows, unlisted keys, project
//! members), and the usage rows' days. It says only what the inputs state: a listing with no
//! pagination and no total is not called complete or partial, just read.

mod listings;
mod projects;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::model::Inventory;
use listings::{listings, visit, where_};
use projects::not_visited;

/// One listing (a keys or members page, or its JSON) as read: one entry per listing kind and
/// project, all its pages together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Listing {
    /// `keys`, `members` or `usage rows`.
    pub noun: String,
    /// The input kind (`html:org-api-keys`, `json:admin-api-keys`...).
    pub kind: String,
    /// The project it is scoped to (label), `None` for the organization's.
    pub project: Option<String>,
    /// Records read from its pages.
    pub read: usize,
    /// How many it lists in all, when a page said.
    pub listed: Option<u64>,
    /// `Some(true)` when every page was read, `Some(false)` when the inputs say some were not,
    /// `None` when they do not say.
    pub complete: Option<bool>,
    /// Its pages, when known, and the ones not read.
    pub pages: Option<u64>,
    pub pages_missing: Vec<u64>,
    /// A member's view: only the viewer's own keys were listed.
    pub own_only: bool,
    /// A virtualized grid: the rows not read were not drawn (scroll, then read again).
    pub drawn: bool,
    pub sources: Vec<String>,
}

/// The report's `coverage` section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Coverage {
    /// One line for the popup and the Summary: `Read 25 of 31 keys listed; 1 project not visited`.
    pub line: String,
    /// True when any input says something was not read.
    pub partial: bool,
    /// Set when a page showed only the viewer's own keys.
    pub warning: Option<String>,
    pub listings: Vec<Listing>,
    /// Pages still to visit, one sentence each.
    pub to_visit: Vec<String>,
    /// Projects known from some input whose keys were never read.
    pub projects_not_visited: Vec<String>,
    /// Whether a member list was read, and whether one read was partial.
    pub members_read: bool,
    pub members_partial: bool,
    /// The first and last day of the usage and cost rows read.
    pub usage_from: Option<Date>,
    pub usage_to: Option<Date>,
    /// Keys a page or file lists that an audit log deletes: stale input, not live keys
    /// (`deploy (sk-proj-...a1B2), deleted 2026-11-03`).
    pub stale: Vec<String>,
}

/// The warning a member's own-keys view gets.
pub const OWN_ONLY_WARNING: &str = "A page read shows only the signed-in member's own keys: this \
is not the whole organization. An organization owner must run the audit to see every key.";

/// Builds the coverage section.
pub fn build(inv: &Inventory) -> Coverage {
    let listings = listings(inv);
    let mut c = Coverage {
        members_read: inv.members_known,
        members_partial: listings
            .iter()
            .any(|l| l.noun == "members" && l.complete == Some(false)),
        ..Coverage::default()
    };
    for l in listings.iter().filter(|l| l.complete == Some(false)) {
        if let Some(s) = visit(l) {
            c.to_visit.push(s);
        }
    }
    if listings.iter().any(|l| l.own_only) {
        c.warning = Some(OWN_ONLY_WARNING.into());
    }
    c.projects_not_visited = not_visited(inv, &listings);
    let days = inv.usage.iter().filter_map(|r| r.date);
    c.usage_from = days.clone().min();
    c.usage_to = days.max();
    c.stale = inv
        .keys
        .iter()
        .filter(|k| k.deleted && k.deleted_on.is_some())
        .map(|k| {
            let label = crate::report::key_label(&k.name, k.redacted.as_deref());
            match k.deleted_on {
                Some(d) => format!("{label}, deleted {d}"),
                None => label,
            }
        })
        .collect();
    c.partial = c.warning.is_some()
        || listings.iter().any(|l| l.complete == Some(false))
        || !c.projects_not_visited.is_empty();
    c.listings = listings;
    c.line = line(inv, &c);
    c
}

/// Whether the keys read are partial, and why, for rules whose verdict counts keys.
pub fn keys_partial(c: &Coverage) -> Option<String> {
    let partial: Vec<String> = c
        .listings
        .iter()
        .filter(|l| l.noun == "keys" && l.complete == Some(false))
        .map(where_)
        .collect();
    let mut why = partial.join(", ");
    if !c.projects_not_visited.is_empty() {
        if !why.is_empty() {
            why.push_str("; ");
        }
        why.push_str(&format!(
            "keys of {} never read",
            plural(c.projects_not_visited.len(), "project")
        ));
    }
    (!why.is_empty()).then(|| format!("input was partial ({why}): counts may be low"))
}

/// Whether the member list read was partial, for `owner-departed`.
pub fn members_partial(c: &Coverage) -> Option<String> {
    let partial: Vec<String> = c
        .listings
        .iter()
        .filter(|l| l.noun == "members" && l.complete == Some(false))
        .map(where_)
        .collect();
    (!partial.is_empty()).then(|| {
        format!(
            "the member list read was partial ({}): an owner not among the members read may \
             be on a page not read",
            partial.join(", ")
        )
    })
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The one line: keys read against keys listed, projects not visited, members.
fn line(inv: &Inventory, c: &Coverage) -> String {
    let keys: Vec<&Listing> = c.listings.iter().filter(|l| l.noun == "keys").collect();
    // An organization-wide keys page lists the project pages' keys too: count it alone.
    let org: Vec<&Listing> = keys
        .iter()
        .copied()
        .filter(|l| l.project.is_none() && l.kind.ends_with("org-api-keys"))
        .collect();
    let counted = if org.is_empty() { keys } else { org };
    let mut parts = Vec::new();
    let total_read = inv.keys.len();
    if counted.iter().any(|l| l.listed.is_some()) {
        let listed: u64 = counted
            .iter()
            .map(|l| l.listed.unwrap_or(l.read as u64))
            .sum();
        let read: usize = counted.iter().map(|l| l.read).sum();
        parts.push(format!("Read {read} of {listed} keys listed"));
        // Keys from inputs that state no total (JSON, CSV, other pages) are in the roster too:
        // say so, or "5 of 5" beside a roster of 8 reads as a contradiction.
        if total_read > read {
            parts.push(format!("{} in all inputs", plural(total_read, "key")));
        }
    } else {
        parts.push(format!("Read {}", plural(total_read, "key")));
    }
    let pages: usize = c
        .listings
        .iter()
        .filter(|l| l.complete == Some(false) && !l.own_only && !l.drawn)
        .map(|l| l.pages_missing.len().max(1))
        .sum();
    if pages > 0 {
        parts.push(format!("{} to visit", plural(pages, "more page")));
    }
    if c.listings
        .iter()
        .any(|l| l.drawn && l.complete == Some(false))
    {
        parts.push("rows not drawn: scroll the list".into());
    }
    let n = c.projects_not_visited.len();
    if n > 0 {
        parts.push(format!("{} not visited", plural(n, "project")));
    }
    if total_read > 0 && !c.members_read {
        parts.push("members not read".into());
    } else if c.members_partial {
        parts.push("members read in part".into());
    }
    if c.warning.is_some() {
        parts.push("only your own keys were listed".into());
    }
    if !c.stale.is_empty() {
        parts.push(format!(
            "{} deleted since",
            plural(c.stale.len(), "listed key")
        ));
    }
    parts.join("; ")
}
