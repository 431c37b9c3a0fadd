//! Coverage: what was read against what could have been read, so a roster read from a member's
//! view, page 1 of 3 or one project's page does not pass for the whole organization.
//!
//! Built from each source's [`Seen`] (pagination totals, `has_more`, the viewer's "only your own
//! keys" notice, a project filter), the keys and members read from those sources, the projects
//! known from any input (projects pages or JSON, usage and cost rows, unlisted keys, project
//! members), and the usage rows' days. It says only what the inputs state: a listing with no
//! pagination and no total is not called complete or partial, just read.

use std::collections::{BTreeSet, HashMap};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::model::{Inventory, ProjectRef, Seen};
use crate::names::fold;

/// One listing (a keys or members page, or its JSON) as read: one entry per listing kind and
/// project, all its pages together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Listing {
    /// `keys` or `members`.
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

/// `the Payments project's keys`, `the organization's keys`.
fn where_(l: &Listing) -> String {
    match &l.project {
        Some(p) => format!("the {p} project's {}", l.noun),
        None if l.own_only => format!("your own {}", l.noun),
        None => format!("the organization's {}", l.noun),
    }
}

/// A project's identity for matching: its id, and its folded name.
fn ids(p: &ProjectRef) -> [Option<String>; 2] {
    [
        p.id.clone().map(|i| format!("id:{i}")),
        p.name.as_deref().map(|n| format!("name:{}", fold(n))),
    ]
}

/// A project's label, its name taken from the projects read when the listing gave only its id.
fn named(inv: &Inventory, p: &ProjectRef) -> String {
    if p.name.is_none() {
        let found = inv
            .projects
            .iter()
            .find(|x| x.id.is_some() && x.id == p.id)
            .and_then(|x| x.name.clone());
        if let Some(n) = found {
            return n;
        }
    }
    p.label().to_string()
}

fn listings(inv: &Inventory) -> Vec<Listing> {
    // Group the sources that say what they saw by noun, kind and project.
    let mut groups: Vec<(Listing, Vec<&Seen>)> = Vec::new();
    for s in &inv.sources {
        let Some(seen) = s.seen.as_ref().filter(|_| s.error.is_none()) else {
            continue;
        };
        if !matches!(seen.noun.as_str(), "keys" | "members") {
            continue;
        }
        let project = seen
            .project
            .as_ref()
            .map(|p| named(inv, p))
            .filter(|l| !l.is_empty());
        let same = |l: &Listing| {
            l.noun == seen.noun
                && l.kind == s.kind
                && l.project.as_deref().map(fold) == project.as_deref().map(fold)
        };
        let at = match groups.iter().position(|(l, _)| same(l)) {
            Some(i) => i,
            None => {
                groups.push((
                    Listing {
                        noun: seen.noun.clone(),
                        kind: s.kind.clone(),
                        project: project.clone(),
                        ..Listing::default()
                    },
                    Vec::new(),
                ));
                groups.len() - 1
            }
        };
        if let Some((l, seens)) = groups.get_mut(at) {
            l.sources.push(s.name.clone());
            seens.push(seen);
        }
    }
    groups
        .into_iter()
        .map(|(mut l, seens)| {
            judge(inv, &mut l, &seens);
            l
        })
        .collect()
}

/// Fills a listing's counts and decides whether it is complete.
fn judge(inv: &Inventory, l: &mut Listing, seens: &[&Seen]) {
    let from = |sources: &[String]| sources.iter().any(|s| l.sources.contains(s));
    l.read = if l.noun == "keys" {
        inv.keys.iter().filter(|k| from(&k.sources)).count()
    } else {
        inv.members.iter().filter(|m| from(&m.sources)).count()
    };
    l.own_only = seens.iter().any(|s| s.own_only);
    l.drawn = seens.iter().any(|s| s.drawn);
    l.listed = seens.iter().filter_map(|s| s.total).max();
    // Rows shown, as ranges; the page size is the largest range (the last page may be short).
    let ranges: Vec<(u64, u64)> = seens
        .iter()
        .filter_map(|s| Some((s.first?, s.last?)))
        .filter(|(a, b)| a <= b)
        .collect();
    // Rows a grid drew are no page: they say nothing of a page size.
    let size = ranges
        .iter()
        .map(|(a, b)| b - a + 1)
        .max()
        .filter(|_| !l.drawn);
    let mut pages_seen: BTreeSet<u64> = seens.iter().filter_map(|s| s.page).collect();
    if let Some(size) = size {
        for (a, _) in &ranges {
            pages_seen.insert((a - 1) / size + 1);
        }
    }
    l.pages = seens
        .iter()
        .filter_map(|s| s.pages)
        .max()
        .or_else(|| Some(l.listed?.div_ceil(size?)));
    if let Some(n) = l.pages {
        // At most a screenful of page numbers: a listing of 1,000 pages is said in a count.
        l.pages_missing = (1..=n.min(1000))
            .filter(|p| !pages_seen.contains(p))
            .collect();
    }
    let covered = |total: u64| {
        let mut shown: Vec<(u64, u64)> = ranges.clone();
        shown.sort_unstable();
        let mut count = 0u64;
        let mut upto = 0u64;
        for (a, b) in shown {
            let a = a.max(upto + 1);
            if b >= a {
                count += b - a + 1;
                upto = b;
            }
        }
        count.max(l.read as u64).min(total)
    };
    l.complete = if l.own_only {
        Some(false)
    } else if let Some(total) = l.listed {
        Some(covered(total) >= total)
    } else if l.pages.is_some() {
        Some(l.pages_missing.is_empty())
    } else if seens.iter().any(|s| s.more) {
        // JSON pages: complete once a page without `has_more` (the last) was read too.
        Some(!seens.iter().all(|s| s.more))
    } else {
        None
    };
}

/// `6 more keys on page 2 of the Payments project's keys`.
fn visit(l: &Listing) -> Option<String> {
    if l.own_only {
        return None;
    }
    let what = where_(l);
    let more = l
        .listed
        .map(|t| t.saturating_sub(l.read as u64))
        .filter(|&n| n > 0)
        .map(|n| {
            format!(
                "{n} more {}",
                if n == 1 {
                    singular(&l.noun)
                } else {
                    l.noun.clone()
                }
            )
        });
    let pages = match l.pages_missing.as_slice() {
        [] => None,
        [p] => Some(format!("page {p}")),
        ps if ps.len() <= 4 => {
            let list: Vec<String> = ps.iter().map(u64::to_string).collect();
            Some(format!("pages {}", list.join(", ")))
        }
        ps => Some(format!("{} more pages", ps.len())),
    };
    if l.drawn {
        let m = more.unwrap_or_else(|| "more rows".into());
        return Some(format!(
            "{m} of {what}: the list draws rows as it scrolls; scroll through it, then read the page again"
        ));
    }
    Some(match (more, pages) {
        (Some(m), Some(p)) => format!("{m} on {p} of {what}"),
        (None, Some(p)) => format!("{p} of {what}"),
        (Some(m), None) => format!("{m} of {what} on pages not read"),
        (None, None) => format!("the next page of {what} (the last one read says more exist)"),
    })
}

fn singular(noun: &str) -> String {
    noun.strip_suffix('s').unwrap_or(noun).to_string()
}

/// Projects some input names whose keys were never read: no key read is in them, no keys page
/// scoped to them was read, and no complete organization-wide keys page covers them.
fn not_visited(inv: &Inventory, listings: &[Listing]) -> Vec<String> {
    let org_wide = listings.iter().any(|l| {
        l.noun == "keys"
            && l.project.is_none()
            && l.kind.ends_with("org-api-keys")
            && l.complete != Some(false)
    });
    if org_wide {
        return Vec::new();
    }
    let mut visited: BTreeSet<String> = BTreeSet::new();
    for k in &inv.keys {
        if let Some(p) = &k.project {
            visited.extend(ids(p).into_iter().flatten());
        }
    }
    for l in listings.iter().filter(|l| l.noun == "keys") {
        if let Some(p) = &l.project {
            visited.insert(format!("name:{}", fold(p)));
            visited.insert(format!("id:{p}"));
        }
    }
    // Every project some input names, once, by its label; archived ones hold no live keys.
    let mut known: Vec<ProjectRef> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let refs = inv
        .projects
        .iter()
        .filter(|p| p.status.as_deref() != Some("archived"))
        .map(|p| ProjectRef {
            id: p.id.clone(),
            name: p.name.clone(),
        })
        .chain(inv.usage.iter().filter_map(|r| r.project.clone()))
        .chain(inv.unlisted.iter().filter_map(|u| u.project.clone()))
        .chain(inv.members.iter().filter_map(|m| m.project.clone()));
    for p in refs.filter(|p| !p.is_empty()) {
        let keys: Vec<String> = ids(&p).into_iter().flatten().collect();
        if let Some(&i) = keys.iter().find_map(|k| seen.get(k)) {
            if let Some(old) = known.get_mut(i) {
                if old.name.is_none() {
                    old.name = p.name.clone();
                }
            }
            for k in keys {
                seen.entry(k).or_insert(i);
            }
            continue;
        }
        for k in keys {
            seen.insert(k, known.len());
        }
        known.push(p);
    }
    // Archived projects by id are known from the projects list even when a row names them.
    let archived: BTreeSet<String> = inv
        .projects
        .iter()
        .filter(|p| p.status.as_deref() == Some("archived"))
        .flat_map(|p| {
            ids(&ProjectRef {
                id: p.id.clone(),
                name: p.name.clone(),
            })
        })
        .flatten()
        .collect();
    known
        .into_iter()
        .filter(|p| {
            let keys: Vec<String> = ids(p).into_iter().flatten().collect();
            !keys
                .iter()
                .any(|k| visited.contains(k) || archived.contains(k))
        })
        .map(|p| p.label().to_string())
        .collect()
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
