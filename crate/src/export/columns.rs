//! The one column table of every export sheet: for each column its CSV header, its workbook
//! header and how to read its value from a row. [`super::csv`] and [`super::xlsx`] both walk
//! these tables, so keys.csv and the workbook's Keys sheet cannot drift apart: a column added
//! here appears in both, in the same place.
//!
//! A [`Value`] says what kind of cell a column holds; each exporter decides how that kind is
//! written (CSV: text, `never`, full-precision amounts; workbook: real dates, numbers,
//! currency and colored severities). Untrusted text is always [`Value::Text`] or
//! [`Value::List`], which both exporters sanitize.

use jiff::civil::Date;

use super::{OwnerRow, ProjectRow};
use crate::model::{LastUsed, UnlistedKey};
use crate::report::{Finding, KeyReport, Severity, SeverityCounts};

/// One cell's value, by kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// Text a page or file controls (sanitized on the way out).
    Text(&'a str),
    /// A word Key Roster writes itself (an enum's name, `yes`/`no`): never formula-like.
    Word(&'a str),
    /// Untrusted names joined with `;` in CSV and `; ` in the workbook (rules, sources).
    List(&'a [String]),
    Int(Option<i64>),
    /// A count that may exceed `i64` in CSV; the workbook leaves such a count empty.
    Count(Option<u64>),
    /// US dollars: full precision in CSV, currency format in the workbook; empty when unknown or
    /// not finite.
    Money(Option<f64>),
    Date(Option<Date>),
    /// A date, `never`, or empty (unknown).
    Used(LastUsed),
    /// A severity, or `none`.
    Sev(Option<Severity>),
}

/// One column of a sheet.
pub struct Column<R> {
    /// The CSV header (snake_case, the SPEC's names).
    pub csv: &'static str,
    /// The workbook header (for people).
    pub title: &'static str,
    pub value: for<'r> fn(&'r R) -> Value<'r>,
}

/// A sheet's columns, in order.
pub type Columns<R> = Vec<Column<R>>;

const fn col<R>(
    csv: &'static str,
    title: &'static str,
    value: for<'r> fn(&'r R) -> Value<'r>,
) -> Column<R> {
    Column { csv, title, value }
}

fn text(s: &Option<String>) -> Value<'_> {
    Value::Text(s.as_deref().unwrap_or(""))
}

fn project_id(k: &KeyReport) -> Value<'_> {
    k.key
        .project
        .as_ref()
        .map_or(Value::Text(""), |p| text(&p.id))
}

fn project_name(k: &KeyReport) -> Value<'_> {
    k.key
        .project
        .as_ref()
        .map_or(Value::Text(""), |p| text(&p.name))
}

/// keys.csv and the Keys sheet: the SPEC's columns, in its order.
pub fn keys() -> Columns<KeyReport> {
    vec![
        col("provider", "Provider", |k| {
            Value::Word(k.key.provider.as_str())
        }),
        col("project_id", "Project ID", project_id),
        col("project_name", "Project", project_name),
        col("key_id", "Key ID", |k| text(&k.key.id)),
        col("key_name", "Key name", |k| Value::Text(&k.key.name)),
        col("redacted_key", "Redacted key", |k| text(&k.key.redacted)),
        col("key_kind", "Kind", |k| Value::Word(k.key.kind.as_str())),
        col("owner_type", "Owner type", |k| {
            Value::Word(k.key.owner.kind.as_str())
        }),
        col("owner_name", "Owner", |k| text(&k.key.owner.name)),
        col("owner_email", "Owner email", |k| text(&k.key.owner.email)),
        col("owner_id", "Owner ID", |k| text(&k.key.owner.id)),
        col("created_by", "Created by", |k| text(&k.key.created_by)),
        col("permissions", "Permissions", |k| {
            Value::Word(k.key.permissions.as_str())
        }),
        col("created", "Created", |k| Value::Date(k.key.created)),
        col("last_used", "Last used", |k| Value::Used(k.key.last_used)),
        col("age_days", "Age (days)", |k| Value::Int(k.age_days)),
        col("idle_days", "Idle (days)", |k| Value::Int(k.idle_days)),
        col("requests", "Requests", |k| {
            Value::Count(k.key.usage.and_then(|u| u.requests))
        }),
        col("input_tokens", "Input tokens", |k| {
            Value::Count(k.key.usage.and_then(|u| u.input_tokens))
        }),
        col("output_tokens", "Output tokens", |k| {
            Value::Count(k.key.usage.and_then(|u| u.output_tokens))
        }),
        col("cost_usd", "Cost (USD)", |k| {
            Value::Money(k.key.usage.and_then(|u| u.cost_usd))
        }),
        col("risk", "Risk", |k| Value::Sev(k.risk)),
        col("rules", "Rules", |k| Value::List(&k.rules)),
        col("sources", "Sources", |k| Value::List(&k.key.sources)),
    ]
}

/// findings.csv and the Findings sheet: one row per finding, muted ones included and marked.
pub fn findings() -> Columns<Finding> {
    vec![
        col("severity", "Severity", |f| Value::Sev(Some(f.severity))),
        col("rule", "Rule", |f| Value::Word(&f.rule)),
        col("muted", "Muted", |f| {
            Value::Word(if f.muted.is_some() { "yes" } else { "no" })
        }),
        col("mute_reason", "Mute reason", |f| {
            Value::Text(f.muted.as_ref().map_or("", |m| m.reason.as_str()))
        }),
        col("key_id", "Key ID", |f| text(&f.target.key_id)),
        col("key_name", "Key", |f| text(&f.target.key_name)),
        col("redacted_key", "Redacted key", |f| text(&f.target.redacted)),
        col("project", "Project", |f| text(&f.target.project)),
        col("owner", "Owner", |f| text(&f.target.owner)),
        col("message", "Evidence", |f| Value::Text(&f.message)),
        col("remediation", "Remediation", |f| {
            Value::Text(&f.remediation)
        }),
        col("change", "Change", |f| {
            Value::Word(f.change.as_deref().unwrap_or(""))
        }),
    ]
}

/// unlisted-keys.csv and the workbook's Unlisted keys sheet: usage under key ids no page read
/// lists ([`crate::report::Report::unlisted_keys`]).
pub fn unlisted_keys() -> Columns<UnlistedKey> {
    vec![
        col("provider", "Provider", |u: &UnlistedKey| {
            Value::Word(u.provider.as_str())
        }),
        col("key_id", "Key ID", |u| Value::Text(&u.id)),
        col("key_name", "Key name (from usage)", |u| text(&u.name)),
        col("project_id", "Project ID", |u| {
            u.project.as_ref().map_or(Value::Text(""), |p| text(&p.id))
        }),
        col("project_name", "Project", |u| {
            u.project
                .as_ref()
                .map_or(Value::Text(""), |p| text(&p.name))
        }),
        col("status", "Status", |u| {
            Value::Word(if u.deleted_on.is_some() || u.deleted_by.is_some() {
                "deleted (audit log)"
            } else {
                "not listed on any page read"
            })
        }),
        col("first_day", "First day", |u| Value::Date(u.first_day)),
        col("last_day", "Last day", |u| Value::Date(u.last_day)),
        col("requests", "Requests", |u| Value::Count(u.usage.requests)),
        col("input_tokens", "Input tokens", |u| {
            Value::Count(u.usage.input_tokens)
        }),
        col("output_tokens", "Output tokens", |u| {
            Value::Count(u.usage.output_tokens)
        }),
        col("cost_usd", "Cost (USD)", |u| Value::Money(u.usage.cost_usd)),
        col("deleted_on", "Deleted on", |u| Value::Date(u.deleted_on)),
        col("deleted_by", "Deleted by", |u| text(&u.deleted_by)),
        col(
            "cost_after_deletion_usd",
            "Cost after deletion (USD)",
            |u| Value::Money(u.after_deletion.and_then(|a| a.cost_usd)),
        ),
        col("sources", "Sources", |u| Value::List(&u.sources)),
    ]
}

/// The totals an owner or project row ends with.
pub trait GroupTotals {
    fn keys(&self) -> usize;
    fn active_keys(&self) -> usize;
    fn last_used(&self) -> LastUsed;
    fn cost_usd(&self) -> Option<f64>;
    fn findings(&self) -> SeverityCounts;
}

impl GroupTotals for OwnerRow<'_> {
    fn keys(&self) -> usize {
        self.group.keys
    }
    fn active_keys(&self) -> usize {
        self.group.active_keys
    }
    fn last_used(&self) -> LastUsed {
        self.group.last_used
    }
    fn cost_usd(&self) -> Option<f64> {
        self.group.cost_usd
    }
    fn findings(&self) -> SeverityCounts {
        self.group.findings
    }
}

impl GroupTotals for ProjectRow<'_> {
    fn keys(&self) -> usize {
        ProjectRow::keys(self)
    }
    fn active_keys(&self) -> usize {
        ProjectRow::active_keys(self)
    }
    fn last_used(&self) -> LastUsed {
        ProjectRow::last_used(self)
    }
    fn cost_usd(&self) -> Option<f64> {
        ProjectRow::cost_usd(self)
    }
    fn findings(&self) -> SeverityCounts {
        ProjectRow::findings(self)
    }
}

fn count(n: usize) -> Value<'static> {
    Value::Int(i64::try_from(n).ok())
}

/// The columns owners and projects share, after their own.
fn totals<R: GroupTotals>() -> Columns<R> {
    vec![
        col("keys", "Keys", |r| count(r.keys())),
        col("active_keys", "Active keys", |r| count(r.active_keys())),
        col("last_used", "Last used", |r| Value::Used(r.last_used())),
        col("cost_usd", "Cost (USD)", |r| Value::Money(r.cost_usd())),
        col("critical", "Critical", |r| count(r.findings().critical)),
        col("high", "High", |r| count(r.findings().high)),
        col("medium", "Medium", |r| count(r.findings().medium)),
        col("low", "Low", |r| count(r.findings().low)),
        col("info", "Info", |r| count(r.findings().info)),
    ]
}

/// owners.csv and the Owners sheet (rows from [`super::owner_rows`]).
pub fn owners<'a>() -> Columns<OwnerRow<'a>> {
    let mut cols = vec![
        col("owner_type", "Owner type", |o: &OwnerRow| {
            Value::Word(o.owner_type)
        }),
        col("owner_name", "Owner", |o| Value::Text(o.name)),
        col("owner_email", "Owner email", |o| {
            Value::Text(o.email.unwrap_or(""))
        }),
        col("owner_id", "Owner ID", |o| Value::Text(o.id.unwrap_or(""))),
        col("org_role", "Org role", |o| {
            Value::Text(
                o.group
                    .roles
                    .as_ref()
                    .and_then(|r| r.org_role.as_deref())
                    .unwrap_or(""),
            )
        }),
        col("project_roles", "Project roles", |o| {
            Value::List(o.group.roles.as_ref().map_or(&[][..], |r| &r.project_roles))
        }),
        col("membership", "Membership", |o| {
            // Text, not Word: it can quote a status a page wrote.
            Value::Text(o.group.roles.as_ref().map_or("", |r| r.membership.as_str()))
        }),
        col("membership_source", "Membership source", |o| {
            Value::Text(
                o.group
                    .roles
                    .as_ref()
                    .and_then(|r| r.source.as_deref())
                    .unwrap_or(""),
            )
        }),
    ];
    cols.extend(totals());
    cols
}

/// projects.csv and the Projects sheet (rows from [`super::project_rows`]).
pub fn projects<'a>() -> Columns<ProjectRow<'a>> {
    let mut cols = vec![
        col("project_id", "Project ID", |r: &ProjectRow| {
            Value::Text(r.id.unwrap_or(""))
        }),
        col("project_name", "Project", |r| Value::Text(r.name)),
        col("status", "Status", |r| Value::Text(r.status.unwrap_or(""))),
        col("hard_limit_usd", "Hard limit (USD)", |r| {
            Value::Money(r.hard_limit_usd)
        }),
        col("soft_limit_usd", "Soft limit (USD)", |r| {
            Value::Money(r.soft_limit_usd)
        }),
    ];
    cols.extend(totals());
    cols
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SPEC fixes keys.csv's header; the round-trip test and previous-audit reading rely on it.
    #[test]
    fn keys_csv_header_is_the_specs() {
        let header: Vec<&str> = keys().iter().map(|c| c.csv).collect();
        assert_eq!(header.len(), 24);
        assert_eq!(header.first(), Some(&"provider"));
        assert_eq!(header.last(), Some(&"sources"));
    }

    #[test]
    fn owners_and_projects_end_with_the_same_totals() {
        let tail = |h: Vec<&'static str>| h[h.len() - 9..].to_vec();
        let o = tail(owners().iter().map(|c| c.csv).collect());
        let p = tail(projects().iter().map(|c| c.csv).collect());
        assert_eq!(o, p);
        assert_eq!(o.first(), Some(&"keys"));
    }
}
