//! The listings of [`super::Coverage`]: the sources that say what they saw, grouped into one
//! listing per kind and project (a keys list and all its pages), each judged complete or not
//! from its pagination, `has_more`, `aria-rowcount` and the viewer's own-keys notice, and the
//! sentence that names what is left to read.

use std::collections::BTreeSet;

use super::Listing;
use crate::model::{Inventory, ProjectRef, Seen};
use crate::names::fold;

/// `the Payments project's keys`, `the organization's keys`.
pub(super) fn where_(l: &Listing) -> String {
    if l.noun == "usage rows" {
        return "the usage or cost export".into();
    }
    match &l.project {
        Some(p) => format!("the {p} project's {}", l.noun),
        None if l.own_only => format!("your own {}", l.noun),
        None => format!("the organization's {}", l.noun),
    }
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

pub(super) fn listings(inv: &Inventory) -> Vec<Listing> {
    // Group the sources that say what they saw by noun, kind and project.
    let mut groups: Vec<(Listing, Vec<&Seen>)> = Vec::new();
    for s in &inv.sources {
        let Some(seen) = s.seen.as_ref().filter(|_| s.error.is_none()) else {
            continue;
        };
        // Usage and cost pages count too: a `has_more` page leaves spend unread.
        let noun = match seen.noun.as_str() {
            "keys" | "members" => seen.noun.clone(),
            "rows" if s.kind.contains("usage") || s.kind.contains("cost") => "usage rows".into(),
            _ => continue,
        };
        let project = seen
            .project
            .as_ref()
            .map(|p| named(inv, p))
            .filter(|l| !l.is_empty());
        let same = |l: &Listing| {
            l.noun == noun
                && l.kind == s.kind
                && l.project.as_deref().map(fold) == project.as_deref().map(fold)
        };
        let at = match groups.iter().position(|(l, _)| same(l)) {
            Some(i) => i,
            None => {
                groups.push((
                    Listing {
                        noun: noun.clone(),
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
    l.read = match l.noun.as_str() {
        "keys" => inv.keys.iter().filter(|k| from(&k.sources)).count(),
        "members" => inv.members.iter().filter(|m| from(&m.sources)).count(),
        _ => inv
            .usage
            .iter()
            .filter(|r| l.sources.contains(&r.source))
            .count(),
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
pub(super) fn visit(l: &Listing) -> Option<String> {
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
