//! Everything the report knows of one key, in one value: the "key details" panel of the report
//! UI reads it as it is (every field, the key's findings with evidence and remediation, the
//! inputs it was read from, and its daily cost with the usage-spike day flagged). Built here so
//! the panel computes nothing; `#key=` deep links name a key by id or index, resolved by
//! [`find`].

use jiff::civil::Date;
use serde::Serialize;

use crate::report::{Finding, KeyReport, Report};
use crate::view::{self, Row};

/// One day of the key's cost, for the sparkline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayCost {
    pub date: Date,
    pub cost_usd: f64,
    /// The day the `usage-spike` rule judged a spike (the last day of the series when it fired).
    pub spike: bool,
}

/// One line of the panel's field list: a label and the value as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    pub label: &'static str,
    pub value: String,
}

/// What the key details panel shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyDetails {
    /// The key as a table row (labels as the Keys tab shows them).
    pub row: Row,
    /// Every field of the key, labelled and formatted for reading ("unknown" when no input said).
    pub fields: Vec<Field>,
    /// The key and what analysis says of it, as the report JSON has it.
    pub key: KeyReport,
    /// Findings about this key, in report order (highest severity first), muted ones included.
    pub findings: Vec<Finding>,
    /// Every page or file the key was read from.
    pub sources: Vec<String>,
    /// Days with a known cost, ascending; empty when no daily usage was read.
    pub daily: Vec<DayCost>,
    /// The highest day's cost, for the sparkline's scale.
    pub max_cost_usd: Option<f64>,
    /// The key's audit-log events, oldest first, as the panel lists them.
    pub history: Vec<HistoryLine>,
}

/// One audit-log event of the key, worded: `created`, `permissions set to api.model.read`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryLine {
    pub date: Option<Date>,
    pub what: String,
    /// Who did it: email, else user or key id.
    pub by: Option<String>,
}

/// The panel's wording of one audit event.
pub fn history_line(e: &crate::model::AuditEvent) -> HistoryLine {
    let scopes = e.scopes.join(", ");
    let what = match (e.kind.as_str(), scopes.is_empty()) {
        ("api_key.created", true) => "created".to_string(),
        ("api_key.created", false) => format!("created with scopes {scopes}"),
        ("api_key.updated", true) => "updated".to_string(),
        ("api_key.updated", false) => format!("permissions set to {scopes}"),
        ("api_key.deleted", _) => "deleted".to_string(),
        (other, _) => other.to_string(),
    };
    HistoryLine {
        date: e.date,
        what,
        by: crate::ingest::merge::event_actor(e),
    }
}

/// The key a deep link names: its id (`key_…`), else its index in [`Report::keys`].
pub fn find(report: &Report, id_or_index: &str) -> Option<usize> {
    let wanted = id_or_index.trim();
    if wanted.is_empty() {
        return None;
    }
    report
        .keys
        .iter()
        .position(|k| k.key.id.as_deref() == Some(wanted))
        .or_else(|| {
            wanted
                .parse::<usize>()
                .ok()
                .filter(|&i| i < report.keys.len())
        })
}

/// The details of key `index`, or `None` when there is no such key.
pub fn of(report: &Report, index: usize) -> Option<KeyDetails> {
    let k = report.keys.get(index)?;
    let findings: Vec<Finding> = report
        .findings
        .iter()
        .filter(|f| f.target.kind == "key" && f.target.key_index == Some(index))
        .cloned()
        .collect();
    let spiked = findings.iter().any(|f| f.rule == "usage-spike");
    let mut daily: Vec<DayCost> = k
        .key
        .daily
        .iter()
        .filter_map(|d| {
            d.usage.cost_usd.map(|c| DayCost {
                date: d.date,
                cost_usd: c,
                spike: false,
            })
        })
        .collect();
    // The rule judges the last day with a cost against the days before it (rules/spend.rs).
    if spiked {
        if let Some(last) = daily.last_mut() {
            last.spike = true;
        }
    }
    let max_cost_usd = daily.iter().map(|d| d.cost_usd).reduce(f64::max);
    let row = view::row(index, k);
    Some(KeyDetails {
        fields: fields(&row, k),
        row,
        key: k.clone(),
        findings,
        sources: k.key.sources.clone(),
        daily,
        max_cost_usd,
        history: k.key.history.iter().map(history_line).collect(),
    })
}

fn or_unknown(s: &str) -> String {
    if s.is_empty() {
        "unknown".into()
    } else {
        s.to_string()
    }
}

fn days(n: Option<i64>) -> String {
    match n {
        None => String::new(),
        Some(0) => " (today)".into(),
        Some(1) => " (1 day ago)".into(),
        Some(n) => format!(" ({n} days ago)"),
    }
}

fn number<T: ToString>(n: Option<T>) -> String {
    n.map_or_else(|| "unknown".into(), |n| n.to_string())
}

/// The panel's field list, in reading order.
fn fields(row: &Row, k: &KeyReport) -> Vec<Field> {
    let key = &k.key;
    let usage = key.usage.unwrap_or_default();
    let f = |label, value: String| Field { label, value };
    let mut out = vec![
        f("Name", row.label.clone()),
        f("Redacted value", or_unknown(&row.redacted)),
        f("Key id", or_unknown(&row.id)),
        f(
            "Provider",
            crate::ingest::providers::info(key.provider).label.into(),
        ),
        f("Kind", row.kind.replace('_', " ")),
        f(
            crate::ingest::providers::info(key.provider).scope_title,
            row.project_label.clone(),
        ),
        f("Owner", row.owner_label.clone()),
        f("Owner email", or_unknown(&row.owner_email)),
        f("Owner type", row.owner_type.replace('_', " ")),
        f(
            "Created by",
            or_unknown(key.created_by.as_deref().unwrap_or("")),
        ),
        f("Permissions", row.permissions.replace('_', " ")),
        f(
            "Created",
            format!("{}{}", or_unknown(&row.created), days(k.age_days)),
        ),
        f(
            "Last used",
            format!("{}{}", row.last_used, days(k.idle_days)),
        ),
        f(
            "Expires",
            match key.expires {
                crate::model::Expiry::Date(d) => d.to_string(),
                crate::model::Expiry::Never => "never".into(),
                crate::model::Expiry::Unknown => "unknown".into(),
            },
        ),
        f("Active", if k.active { "yes" } else { "no" }.into()),
        f("Risk", row.risk.clone()),
        f("Requests", number(usage.requests)),
        f("Input tokens", number(usage.input_tokens)),
        f("Output tokens", number(usage.output_tokens)),
        f(
            "Cost",
            usage
                .cost_usd
                .map_or_else(|| "unknown".into(), |c| format!("${c:.2}")),
        ),
    ];
    if key.deleted {
        let value = match (key.deleted_on, &key.deleted_by) {
            (None, None) => "yes (an audit log says so)".to_string(),
            (on, by) => {
                let on = on.map_or_else(|| "yes".to_string(), |d| d.to_string());
                let by = by
                    .as_deref()
                    .map(|b| format!(" by {b}"))
                    .unwrap_or_default();
                // Keys come only from pages and files that list them: one that lists a key
                // the audit log deletes was read (or saved) before the deletion.
                format!("{on}{by} (audit log); the page that lists it was read before that")
            }
        };
        out.push(f("Deleted", value));
    }
    if let Some(s) = &key.status {
        out.push(f("Status", s.clone()));
    }
    if let Some(d) = k.last_seen {
        out.push(f("Last seen in usage", d.to_string()));
    }
    if let Some(c) = &k.change {
        out.push(f("Since the previous audit", c.clone()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DailyUsage, Key, Usage};
    use crate::report::{Muted, Severity, Target};

    fn key(id: &str, daily: &[(i8, f64)]) -> KeyReport {
        KeyReport {
            key: Key {
                id: Some(id.into()),
                name: id.into(),
                sources: vec!["api-keys.html".into(), "costs.json".into()],
                daily: daily
                    .iter()
                    .map(|&(d, c)| DailyUsage {
                        date: jiff::civil::date(2026, 11, d),
                        usage: Usage {
                            cost_usd: Some(c),
                            ..Usage::default()
                        },
                    })
                    .collect(),
                ..Key::default()
            },
            age_days: None,
            idle_days: None,
            active: true,
            rules: vec![],
            risk: None,
            change: None,
            last_seen: None,
        }
    }

    fn finding(rule: &str, index: usize, muted: bool) -> Finding {
        Finding {
            rule: rule.into(),
            severity: Severity::High,
            subject: String::new(),
            target: Target {
                kind: "key".into(),
                key_index: Some(index),
                ..Target::default()
            },
            message: format!("{rule} evidence"),
            remediation: format!("{rule} fix"),
            muted: muted.then(|| Muted {
                reason: "accepted".into(),
                until: Some(jiff::civil::date(2027, 1, 1)),
            }),
            change: None,
        }
    }

    fn report() -> Report {
        Report {
            keys: vec![
                key("key_a", &[]),
                key("key_b", &[(1, 2.0), (2, 3.0), (3, 40.0)]),
            ],
            findings: vec![
                finding("usage-spike", 1, false),
                finding("unused", 0, false),
                finding("broad-permissions", 1, true),
            ],
            ..Report::default()
        }
    }

    #[test]
    fn details_hold_only_the_keys_own_findings_muted_ones_included() {
        let d = of(&report(), 1).unwrap();
        let rules: Vec<_> = d.findings.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(rules, ["usage-spike", "broad-permissions"]);
        assert_eq!(d.findings[1].muted.as_ref().unwrap().reason, "accepted");
        assert_eq!(d.sources, ["api-keys.html", "costs.json"]);
        assert_eq!(d.row.id, "key_b");
        let field = |l: &str| {
            d.fields
                .iter()
                .find(|f| f.label == l)
                .unwrap()
                .value
                .clone()
        };
        assert_eq!(field("Key id"), "key_b");
        assert_eq!(field("Created"), "unknown");
        assert_eq!(field("Cost"), "unknown", "no usage totals were joined");
    }

    #[test]
    fn the_spike_day_is_the_last_day_when_usage_spike_fired() {
        let d = of(&report(), 1).unwrap();
        let flags: Vec<_> = d.daily.iter().map(|x| x.spike).collect();
        assert_eq!(flags, [false, false, true]);
        assert_eq!(d.max_cost_usd, Some(40.0));
    }

    #[test]
    fn no_daily_usage_means_no_series_and_no_scale() {
        let d = of(&report(), 0).unwrap();
        assert!(d.daily.is_empty());
        assert_eq!(d.max_cost_usd, None);
        assert_eq!(d.findings.len(), 1);
    }

    #[test]
    fn ages_read_as_days_ago_with_one_day_singular() {
        assert_eq!(
            [days(None), days(Some(0)), days(Some(1)), days(Some(30))],
            ["", " (today)", " (1 day ago)", " (30 days ago)"]
        );
    }

    #[test]
    fn a_deep_link_names_a_key_by_id_or_index_and_nothing_else() {
        let r = report();
        assert_eq!(find(&r, "key_b"), Some(1));
        assert_eq!(find(&r, " 0 "), Some(0));
        assert_eq!(find(&r, "2"), None, "past the end");
        assert_eq!(find(&r, "key_zzz"), None);
        assert_eq!(find(&r, ""), None);
        assert!(of(&r, 9).is_none());
    }
}
