//! What the report UI shows of the keys: filtering, sorting and paging in Rust, so the browser
//! gets one page of rows at a time and the logic is tested natively. The same selection feeds
//! "export the filtered view" and "copy as TSV", so what a user sees is what they export.
//!
//! One concept (the query, the selection it makes and the rows it shows) in one file; the tests
//! pinning each sort and filter rule are in `view/tests.rs`.

use serde::{Deserialize, Serialize};

use std::cmp::Ordering;

use crate::ingest::providers;
use crate::model::{KeyKind, LastUsed, OwnerType, Provider, UnlistedKey};
use crate::report::{KeyReport, Report, Severity};

/// A view of the keys, as the UI asks for it. Every field is optional; an empty string means
/// "no filter", as an "all" option in a select sends. The query is parsed once, here, into typed
/// values: an unknown field, sort or risk is an error naming what is accepted, never a silent
/// fallback to the default order.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Query {
    /// Free text matched (case-insensitively) against name, redaction, owner, email, project, id.
    pub text: String,
    #[serde(deserialize_with = "blank_is_none")]
    pub risk: Option<Risk>,
    /// An owner group label (as in `groups.by_owner`).
    #[serde(deserialize_with = "blank_is_none")]
    pub owner: Option<String>,
    /// A project group label (as in `groups.by_project`).
    #[serde(deserialize_with = "blank_is_none")]
    pub project: Option<String>,
    #[serde(deserialize_with = "blank_is_none")]
    pub owner_type: Option<OwnerType>,
    /// Only one platform's keys (`openai`, `anthropic`).
    #[serde(deserialize_with = "blank_is_none")]
    pub provider: Option<Provider>,
    /// A rule id: only keys it fired on.
    #[serde(deserialize_with = "blank_is_none")]
    pub rule: Option<String>,
    #[serde(deserialize_with = "blank_is_none")]
    pub sort: Option<Sort>,
    pub desc: bool,
    pub offset: usize,
    /// Rows per page; 0 means 50.
    pub limit: usize,
}

impl Query {
    /// A query from its JSON text (the CLI and tests; the browser hands the same shape over).
    pub fn from_json(text: &str) -> crate::Result<Query> {
        serde_json::from_str(text).map_err(|e| crate::Error::usage(format!("bad query: {e}")))
    }
}

/// The risk filter: a severity, or keys no rule fired on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Risk {
    Critical,
    High,
    Medium,
    Low,
    Info,
    None,
}

impl Risk {
    fn matches(self, risk: Option<Severity>) -> bool {
        let wanted = match self {
            Risk::Critical => Some(Severity::Critical),
            Risk::High => Some(Severity::High),
            Risk::Medium => Some(Severity::Medium),
            Risk::Low => Some(Severity::Low),
            Risk::Info => Some(Severity::Info),
            Risk::None => None,
        };
        risk == wanted
    }
}

/// The column the keys are sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Riskiest first, more rules first, then by owner.
    #[default]
    Risk,
    Name,
    Owner,
    Project,
    Kind,
    OwnerType,
    Provider,
    Created,
    LastUsed,
    IdleDays,
    Cost,
}

/// Reads `""` (an "all" option) as no value, anything else as a `T`.
fn blank_is_none<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    use serde::de::IntoDeserializer;
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) if s.is_empty() => Ok(None),
        Some(s) => T::deserialize(s.into_deserializer()).map(Some),
    }
}

/// One key as a table row: display-ready, no nested objects.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub index: usize,
    pub name: String,
    /// The name as shown: `(unnamed)` when the key has none.
    pub label: String,
    pub redacted: String,
    pub id: String,
    pub project: String,
    /// The project group this key is in (`(no project)` when unknown), as the filters name it.
    pub project_label: String,
    pub owner: String,
    /// The owner group this key is in (`(unknown owner)` when unknown), as the filters name it.
    pub owner_label: String,
    pub owner_email: String,
    pub owner_type: String,
    pub kind: String,
    pub permissions: String,
    pub created: String,
    /// `YYYY-MM-DD`, `never`, or `unknown`.
    pub last_used: String,
    pub idle_days: Option<i64>,
    pub age_days: Option<i64>,
    pub cost_usd: Option<f64>,
    pub requests: Option<u64>,
    pub risk: String,
    pub rules: Vec<String>,
    pub change: Option<String>,
    pub deleted: bool,
    /// `openai`, `anthropic`; the platform's name; what its scope is called ("Workspace").
    pub provider: String,
    pub provider_label: String,
    pub scope_title: String,
    /// The platform's status for the key (`inactive`, `archived`…), empty when none was read.
    pub status: String,
    /// `YYYY-MM-DD` when a usage report saw a key whose platform lists no last use, `not seen`
    /// when one was read and does not show it; else empty.
    pub last_seen: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    pub total: usize,
    pub offset: usize,
    pub rows: Vec<Row>,
    /// The unlisted keys the view shows under its keys ([`unlisted`]).
    pub unlisted: Vec<UnlistedKey>,
}

/// The owner group label of a key (as `groups.by_owner` names it).
pub fn owner_label(k: &KeyReport) -> String {
    crate::report::owner_label(&k.key)
}

/// The project group label of a key (as `groups.by_project` names it).
pub fn project_label(k: &KeyReport) -> String {
    crate::report::project_label(&k.key)
}

pub fn row(index: usize, k: &KeyReport) -> Row {
    let key = &k.key;
    Row {
        index,
        name: key.name.clone(),
        label: crate::report::key_name(&key.name),
        redacted: key.redacted.clone().unwrap_or_default(),
        id: key.id.clone().unwrap_or_default(),
        project: key
            .project
            .as_ref()
            .map(|p| p.label().to_string())
            .unwrap_or_default(),
        project_label: project_label(k),
        owner: key.owner.label().to_string(),
        owner_label: owner_label(k),
        owner_email: key.owner.email.clone().unwrap_or_default(),
        owner_type: key.owner.kind.as_str().into(),
        kind: providers::kind_name(key.provider, key.kind).into(),
        permissions: key.permissions.as_str().into(),
        created: key.created.map(|d| d.to_string()).unwrap_or_default(),
        last_used: match key.last_used {
            LastUsed::Date(d) => d.to_string(),
            LastUsed::Never => "never".into(),
            LastUsed::Unknown => "unknown".into(),
        },
        idle_days: k.idle_days,
        age_days: k.age_days,
        cost_usd: key.usage.and_then(|u| u.cost_usd),
        requests: key.usage.and_then(|u| u.requests),
        risk: k.risk.map_or("none", Severity::as_str).into(),
        rules: k.rules.clone(),
        change: k.change.clone(),
        deleted: key.deleted,
        provider: key.provider.as_str().into(),
        provider_label: providers::info(key.provider).label.into(),
        scope_title: providers::info(key.provider).scope_title.into(),
        status: key.status.clone().unwrap_or_default(),
        last_seen: k.last_seen.map(|d| d.to_string()).unwrap_or_default(),
    }
}

fn matches(q: &Query, needle: &str, k: &KeyReport) -> bool {
    if q.risk.is_some_and(|r| !r.matches(k.risk)) {
        return false;
    }
    if q.owner.as_deref().is_some_and(|o| owner_label(k) != o) {
        return false;
    }
    if q.project.as_deref().is_some_and(|p| project_label(k) != p) {
        return false;
    }
    if q.owner_type.is_some_and(|t| k.key.owner.kind != t) {
        return false;
    }
    if q.provider.is_some_and(|p| k.key.provider != p) {
        return false;
    }
    if q.rule
        .as_deref()
        .is_some_and(|r| !k.rules.iter().any(|x| x == r))
    {
        return false;
    }
    if needle.is_empty() {
        return true;
    }
    let key = &k.key;
    let fields = [
        Some(key.name.as_str()),
        key.redacted.as_deref(),
        key.id.as_deref(),
        key.owner.name.as_deref(),
        key.owner.email.as_deref(),
        key.project.as_ref().and_then(|p| p.name.as_deref()),
        key.project.as_ref().and_then(|p| p.id.as_deref()),
        key.created_by.as_deref(),
    ];
    fields
        .into_iter()
        .flatten()
        .any(|f| f.to_lowercase().contains(needle))
}

/// Known values in the asked direction, then unknowns (in their original order) whichever the
/// direction: a reader sorting by cost wants the costs, not a screen of blanks first.
fn known_first<T>(
    a: Option<T>,
    b: Option<T>,
    desc: bool,
    cmp: impl Fn(&T, &T) -> Ordering,
) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => {
            let o = cmp(&x, &y);
            if desc {
                o.reverse()
            } else {
                o
            }
        }
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// A text sort key: lowercased for a case-blind order, `None` when the value is unknown.
fn text_key(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_lowercase())
}

/// The value a key sorts by in one column (`None`: unknown).
enum SortValue {
    Text(Option<String>),
    Number(Option<f64>),
    /// Owner type: users, service accounts, organization; then by owner so groups read stably.
    OwnerType(Option<(OwnerType, String)>),
}

/// The value a key sorts by; `None` for the risk order, which compares keys on several fields.
fn sort_value(sort: Sort, k: &KeyReport) -> Option<SortValue> {
    let key = &k.key;
    Some(match sort {
        Sort::Name => SortValue::Text(text_key(&key.name)),
        Sort::Provider => SortValue::Text(Some(key.provider.as_str().to_string())),
        Sort::Owner => SortValue::Text(text_key(key.owner.label())),
        Sort::Project => SortValue::Text(text_key(
            key.project.as_ref().map(|p| p.label()).unwrap_or(""),
        )),
        Sort::Kind => SortValue::Text(match key.kind {
            KeyKind::Unknown => None,
            kind => Some(kind.as_str().to_string()),
        }),
        Sort::OwnerType => SortValue::OwnerType(match key.owner.kind {
            OwnerType::Unknown => None,
            kind => Some((kind, owner_label(k).to_lowercase())),
        }),
        // Oldest first ascending: the created date's order.
        Sort::Created => SortValue::Number(k.age_days.map(|d| -(d as f64))),
        // Most recently used first ascending; "never" after every date, unknown last.
        Sort::LastUsed | Sort::IdleDays => SortValue::Number(match key.last_used {
            LastUsed::Date(_) => k.idle_days.map(|d| d as f64),
            LastUsed::Never => Some(f64::INFINITY),
            LastUsed::Unknown => None,
        }),
        Sort::Cost => SortValue::Number(key.usage.and_then(|u| u.cost_usd)),
        Sort::Risk => return None,
    })
}

fn risk_rank(k: &KeyReport) -> i32 {
    k.risk.map_or(-1, |s| s as i32)
}

/// The indexes of the keys a query selects, in its order. Unknown values sort last whichever
/// the direction; ties keep the report's order (the sort is stable).
pub fn select(report: &Report, q: &Query) -> Vec<usize> {
    let needle = q.text.trim().to_lowercase();
    let selected = report
        .keys
        .iter()
        .enumerate()
        .filter(|(_, k)| matches(q, &needle, k));
    let sort = q.sort.unwrap_or_default();
    let desc = q.desc;
    // Each key's sort value is computed once, not once per comparison.
    let mut decorated: Vec<(usize, Option<SortValue>, &KeyReport)> =
        selected.map(|(i, k)| (i, sort_value(sort, k), k)).collect();
    decorated.sort_by(|(_, a, ka), (_, b, kb)| match (a, b) {
        (Some(SortValue::Text(a)), Some(SortValue::Text(b))) => {
            known_first(a.as_ref(), b.as_ref(), desc, |x, y| x.cmp(y))
        }
        (Some(SortValue::Number(a)), Some(SortValue::Number(b))) => {
            known_first(*a, *b, desc, |x, y| x.total_cmp(y))
        }
        (Some(SortValue::OwnerType(a)), Some(SortValue::OwnerType(b))) => {
            known_first(a.as_ref(), b.as_ref(), desc, |x, y| x.cmp(y))
        }
        // Risk (the default): riskiest first, more rules first, then by owner; `desc` turns the
        // whole order round (there is no unknown risk: no risk is the lowest).
        _ => {
            let o = risk_rank(kb)
                .cmp(&risk_rank(ka))
                .then(kb.rules.len().cmp(&ka.rules.len()))
                // Borrowed: compared for most pairs of a sort of thousands of keys.
                .then_with(|| {
                    crate::report::owner_label_str(&ka.key)
                        .cmp(crate::report::owner_label_str(&kb.key))
                });
            if desc {
                o.reverse()
            } else {
                o
            }
        }
    });
    decorated.into_iter().map(|(i, _, _)| i).collect()
}

/// The unlisted keys (usage under ids no page read lists) a view shows, highest cost first: those
/// of the query's platform. The query's other filters name what only a listed key has (an owner,
/// a project group, a risk, a rule), so they leave the unlisted keys as they are. The Keys tab's
/// table and its "Export unlisted keys" both come from here, so what is downloaded is what is shown.
pub fn unlisted<'r>(report: &'r Report, q: &Query) -> impl Iterator<Item = &'r UnlistedKey> {
    let provider = q.provider;
    report
        .unlisted_keys
        .iter()
        .filter(move |u| provider.is_none_or(|p| u.provider == p))
}

/// One page of the selected keys.
pub fn page(report: &Report, q: &Query) -> Page {
    let idx = select(report, q);
    let limit = if q.limit == 0 { 50 } else { q.limit.min(1000) };
    let rows = idx
        .iter()
        .skip(q.offset)
        .take(limit)
        .filter_map(|&i| report.keys.get(i).map(|k| row(i, k)))
        .map(|mut r| {
            // A usage report of the key's platform was read and does not show the key.
            let read = report
                .summary
                .providers
                .iter()
                .any(|t| t.provider.as_str() == r.provider && t.usage_seen.is_some());
            if read && r.last_seen.is_empty() && r.last_used == "unknown" {
                r.last_seen = "not seen".into();
            }
            r
        })
        .collect();
    Page {
        total: idx.len(),
        offset: q.offset,
        rows,
        unlisted: unlisted(report, q).cloned().collect(),
    }
}

#[cfg(test)]
mod tests;
