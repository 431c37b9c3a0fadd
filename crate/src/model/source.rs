//! Provenance: each page or file that was read ([`Source`]), what it showed against what it
//! could have shown ([`Seen`]), and the days a usage report covered ([`UsageWindow`]). The
//! report's sources and coverage sections are built from these; the records themselves are in
//! the parent module.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{ProjectRef, Provider};

/// The detected kind of one input, e.g. `html:project-api-keys`, `csv:keys`, `json:admin-api-keys`.
pub type SourceKind = String;

/// One page or file that was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Source {
    pub name: String,
    /// What the input was recognized as; `unknown` when it could not be read.
    pub kind: SourceKind,
    /// Records (keys, members, rows...) read from it.
    pub records: usize,
    pub warnings: Vec<String>,
    /// Why the input could not be read (with file and line/record), when it could not.
    pub error: Option<String>,
    /// The page URL (live page, or the "saved from" line of a saved page), when known.
    pub url: Option<String>,
    /// What the input showed against what it could have shown (pagination, viewer, filter),
    /// when it said. See [`Seen`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seen: Option<Seen>,
}

/// What one page or file showed against what it could have shown: the facts the report's
/// coverage section is built from ([`crate::analyze::coverage`]). Every part is as the input
/// stated it; `None` is "the input did not say", never "complete".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Seen {
    /// What the input lists: `keys`, `members`, `projects`, `rows`...
    pub noun: String,
    /// The project the listing is scoped to (a project's keys or members page, a project
    /// selector), when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<ProjectRef>,
    /// The range of rows shown, 1-based (`1–25 of 31`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<u64>,
    /// How many the whole listing holds (`of 31`, `aria-rowcount`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
    /// `Page 1 of 3`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<u64>,
    /// More exists after this input (JSON `has_more: true`, or a page before the last).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub more: bool,
    /// The range is the rows a virtualized grid had drawn (`aria-rowcount`), not a page: the
    /// rest are reached by scrolling, not by another page.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub drawn: bool,
    /// The page says the viewer sees only their own keys (a member's view, not an owner's).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub own_only: bool,
    /// The viewer's organization role as the page states it (`owner`, `reader`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub viewer_role: Option<String>,
    /// A date or other filter narrowing the listing, as shown (`Last 30 days`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
}

impl Seen {
    /// True when the input says it did not show everything.
    pub fn partial(&self) -> bool {
        let ranged = matches!(
            (self.first, self.last, self.total),
            (Some(a), Some(b), Some(t)) if b.saturating_sub(a) + 1 < t
        );
        let paged = matches!((self.page, self.pages), (Some(_), Some(n)) if n > 1);
        self.more || self.own_only || ranged || paged
    }
}

/// The days one usage report covered (its first and last bucket, inclusive, UTC), whether or
/// not any key had usage in them: what "no usage in the days covered" is measured against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageWindow {
    pub provider: Provider,
    pub from: Date,
    pub to: Date,
    /// Filled when merged: the file it came from.
    #[serde(default)]
    pub source: String,
}
