//! What the report UI shows of the keys: filtering, sorting and paging in Rust, so the browser
//! gets one page of rows at a time and the logic is tested natively. The same selection feeds
//! "export the filtered view" and "copy as TSV", so what a user sees is what they export.
//!
//! One concept (the query, the selection it makes and the rows it shows) in one file; it runs
//! past 400 lines because the tests pinning each sort and filter rule sit beside the code.

use serde::{Deserialize, Serialize};

use std::cmp::Ordering;

use crate::model::{KeyKind, LastUsed, OwnerType};
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
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    pub total: usize,
    pub offset: usize,
    pub rows: Vec<Row>,
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
        kind: key.kind.as_str().into(),
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
                .then_with(|| owner_label(ka).cmp(&owner_label(kb)));
            if desc {
                o.reverse()
            } else {
                o
            }
        }
    });
    decorated.into_iter().map(|(i, _, _)| i).collect()
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
        .collect();
    Page {
        total: idx.len(),
        offset: q.offset,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Key, Owner, OwnerType, ProjectRef, Usage};

    fn key(
        name: &str,
        owner: &str,
        project: &str,
        risk: Option<Severity>,
        cost: Option<f64>,
        last: LastUsed,
    ) -> KeyReport {
        KeyReport {
            key: Key {
                name: name.into(),
                owner: Owner {
                    kind: OwnerType::User,
                    name: Some(owner.into()),
                    ..Owner::default()
                },
                project: Some(ProjectRef {
                    id: None,
                    name: Some(project.into()),
                }),
                usage: cost.map(|c| Usage {
                    cost_usd: Some(c),
                    ..Usage::default()
                }),
                last_used: last,
                ..Key::default()
            },
            age_days: None,
            idle_days: last.date().map(|_| 5),
            active: false,
            rules: risk.map(|_| vec!["unused".to_string()]).unwrap_or_default(),
            risk,
            change: None,
        }
    }

    fn report() -> Report {
        let d = LastUsed::Date(jiff::civil::date(2026, 11, 17));
        Report {
            keys: vec![
                key(
                    "alpha",
                    "Ada",
                    "Payments",
                    Some(Severity::Low),
                    Some(2.0),
                    d,
                ),
                key(
                    "beta",
                    "Ben",
                    "Data",
                    Some(Severity::High),
                    None,
                    LastUsed::Unknown,
                ),
                key("gamma", "Ada", "Data", None, Some(9.0), LastUsed::Never),
            ],
            ..Report::default()
        }
    }

    #[test]
    fn a_ui_query_with_all_filters_blank_is_the_default_query() {
        let q = Query::from_json(
            r#"{"text":"","risk":"","owner":"","project":"","sort":"risk","desc":false,
                "offset":0,"limit":50}"#,
        )
        .unwrap();
        assert_eq!(
            q,
            Query {
                sort: Some(Sort::Risk),
                limit: 50,
                ..Query::default()
            }
        );
        let q = Query::from_json(
            r#"{"risk":"none","owner_type":"service_account","sort":"idle_days"}"#,
        )
        .unwrap();
        assert_eq!(q.risk, Some(Risk::None));
        assert_eq!(q.owner_type, Some(OwnerType::ServiceAccount));
        assert_eq!(q.sort, Some(Sort::IdleDays));
    }

    /// Before the query was typed, a misspelt sort silently fell back to the risk order.
    #[test]
    fn an_unknown_sort_risk_or_field_is_an_error_not_the_default_order() {
        for bad in [
            r#"{"sort":"costs"}"#,
            r#"{"risk":"severe"}"#,
            r#"{"owner_type":"robot"}"#,
            r#"{"owners":"Ada"}"#,
        ] {
            let e = Query::from_json(bad).unwrap_err();
            assert_eq!(e.name(), "UsageError", "{bad}");
            assert!(e.to_string().starts_with("bad query: "), "{e}");
        }
        let e = Query::from_json(r#"{"sort":"costs"}"#).unwrap_err();
        assert!(
            e.to_string().contains("cost"),
            "names what is accepted: {e}"
        );
    }

    #[test]
    fn default_order_is_riskiest_first() {
        assert_eq!(select(&report(), &Query::default()), vec![1, 0, 2]);
    }

    #[test]
    fn filters_combine() {
        let r = report();
        let q = Query {
            owner: Some("Ada".into()),
            project: Some("Data".into()),
            ..Query::default()
        };
        assert_eq!(select(&r, &q), vec![2]);
        let q = Query {
            text: "PAY".into(),
            ..Query::default()
        };
        assert_eq!(select(&r, &q), vec![0]);
        let q = Query {
            risk: Some(Risk::None),
            ..Query::default()
        };
        assert_eq!(select(&r, &q), vec![2]);
        let q = Query {
            rule: Some("unused".into()),
            ..Query::default()
        };
        assert_eq!(select(&r, &q).len(), 2);
    }

    #[test]
    fn unknown_values_sort_last_both_ways() {
        let r = report();
        let q = Query {
            sort: Some(Sort::Cost),
            ..Query::default()
        };
        assert_eq!(select(&r, &q), vec![0, 2, 1]);
        let q = Query {
            sort: Some(Sort::Cost),
            desc: true,
            ..Query::default()
        };
        assert_eq!(select(&r, &q), vec![2, 0, 1]);
        let q = Query {
            sort: Some(Sort::LastUsed),
            ..Query::default()
        };
        assert_eq!(select(&r, &q), vec![0, 2, 1], "recent, never, unknown");
        let q = Query {
            sort: Some(Sort::Name),
            desc: true,
            ..Query::default()
        };
        assert_eq!(select(&r, &q), vec![2, 1, 0]);
    }

    /// A key with no name, no owner, no project and no kind: blank in every text column.
    fn anonymous() -> KeyReport {
        let mut k = key("", "", "", None, None, LastUsed::Unknown);
        k.key.owner = Owner::default();
        k.key.project = None;
        k
    }

    #[test]
    fn unknown_text_values_sort_last_both_ways() {
        let mut r = report();
        r.keys.insert(0, anonymous()); // index 0; alpha 1, beta 2, gamma 3
        for (sort, asc) in [
            (Sort::Name, vec![1, 2, 3, 0]),
            (Sort::Owner, vec![1, 3, 2, 0]),
            (Sort::Project, vec![2, 3, 1, 0]),
        ] {
            let q = Query {
                sort: Some(sort),
                ..Query::default()
            };
            assert_eq!(select(&r, &q), asc, "{sort:?} ascending");
            let q = Query { desc: true, ..q };
            let mut desc: Vec<usize> = asc[..3].to_vec();
            desc.reverse();
            // Ties (Ada's two keys, the two Data keys) keep report order in both directions.
            if sort == Sort::Owner {
                desc = vec![2, 1, 3];
            }
            if sort == Sort::Project {
                desc = vec![1, 2, 3];
            }
            desc.push(0);
            assert_eq!(select(&r, &q), desc, "{sort:?} descending");
        }
    }

    #[test]
    fn unknown_kind_and_owner_type_sort_last_both_ways() {
        let mut r = report();
        r.keys.push(anonymous()); // index 3
        r.keys[0].key.kind = KeyKind::Project;
        r.keys[1].key.kind = KeyKind::User;
        r.keys[2].key.kind = KeyKind::Admin;
        let asc = |sort: Sort, desc: bool| {
            select(
                &r,
                &Query {
                    sort: Some(sort),
                    desc,
                    ..Query::default()
                },
            )
        };
        assert_eq!(
            asc(Sort::Kind, false),
            vec![2, 0, 1, 3],
            "admin, project, user"
        );
        assert_eq!(asc(Sort::Kind, true), vec![1, 0, 2, 3]);
        assert_eq!(
            asc(Sort::OwnerType, false),
            vec![0, 2, 1, 3],
            "Ada, Ada, Ben"
        );
        assert_eq!(asc(Sort::OwnerType, true), vec![1, 0, 2, 3]);
    }

    #[test]
    fn owner_type_sort_groups_users_before_service_accounts() {
        let mut r = report();
        r.keys[0].key.owner.kind = OwnerType::ServiceAccount;
        let q = Query {
            sort: Some(Sort::OwnerType),
            ..Query::default()
        };
        assert_eq!(
            select(&r, &q),
            vec![2, 1, 0],
            "users Ada, Ben, then the service account"
        );
        let q = Query {
            owner_type: Some(OwnerType::ServiceAccount),
            ..Query::default()
        };
        assert_eq!(select(&r, &q), vec![0]);
    }

    #[test]
    fn paging_past_the_end_is_empty_not_a_panic() {
        let r = report();
        let p = page(
            &r,
            &Query {
                offset: 10,
                ..Query::default()
            },
        );
        assert_eq!(p.total, 3);
        assert!(p.rows.is_empty());
        let p = page(
            &r,
            &Query {
                limit: usize::MAX,
                ..Query::default()
            },
        );
        assert_eq!(p.rows.len(), 3);
    }

    #[test]
    fn pages_hold_display_rows() {
        let r = report();
        let p = page(
            &r,
            &Query {
                limit: 2,
                offset: 1,
                sort: Some(Sort::Name),
                ..Query::default()
            },
        );
        assert_eq!(p.total, 3);
        assert_eq!(p.rows.len(), 2);
        assert_eq!(p.rows[0].name, "beta");
        assert_eq!(p.rows[0].last_used, "unknown");
        assert_eq!(p.rows[1].last_used, "never");
        assert_eq!(p.rows[1].risk, "none");
    }
}

/// The views over a real report: the e2e fixture page read and analyzed as the popup does.
#[cfg(test)]
mod fixture_tests {
    use super::*;
    use crate::ingest::Context;
    use crate::{analyze, Inventory, Policy};

    const KEYS_PAGE: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/e2e/org-api-keys.html"
    );
    const MEMBERS_PAGE: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/e2e/org-members.html"
    );
    const UNREADABLE: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/e2e/unreadable.csv"
    );
    const KEYS_URL: &str = "https://platform.openai.com/settings/organization/api-keys";

    fn as_of() -> jiff::civil::Date {
        jiff::civil::date(2026, 11, 22)
    }

    fn roster(inputs: &[(&str, &str)]) -> (Inventory, Report) {
        let mut inv = Inventory::default();
        for (name, path) in inputs {
            let mut ctx = Context::new(*name, as_of());
            ctx.url = Some((*name).to_string());
            inv.ingest(&ctx, &std::fs::read(path).unwrap());
        }
        let report = analyze(&inv, &Policy::default(), as_of());
        (inv, report)
    }

    #[test]
    fn live_keys_page_reads_into_owner_groups() {
        let (inv, r) = roster(&[(KEYS_URL, KEYS_PAGE)]);
        assert_eq!(inv.sources[0].error, None);
        assert_eq!(inv.org.as_deref(), Some("Northwind Labs"));
        assert_eq!(r.keys.len(), 6);
        let owners: Vec<(&str, usize)> = r
            .groups
            .by_owner
            .iter()
            .map(|g| (g.label.as_str(), g.keys))
            .collect();
        let mut sorted = owners.clone();
        sorted.sort();
        assert_eq!(
            sorted,
            vec![
                ("Lena Fischer", 1),
                ("Marcus Bell", 2),
                ("Priya Natarajan", 3)
            ]
        );
    }

    #[test]
    fn markup_in_a_key_name_stays_text() {
        let (_, r) = roster(&[(KEYS_URL, KEYS_PAGE)]);
        let p = page(
            &r,
            &Query {
                text: "onerror".into(),
                ..Query::default()
            },
        );
        assert_eq!(p.total, 1);
        assert_eq!(p.rows[0].name, "<img src=x onerror=alert(1)>");
        assert_eq!(p.rows[0].owner, "Marcus Bell");
        assert_eq!(p.rows[0].project, "Support");
        assert_eq!(p.rows[0].last_used, "never");
        assert_eq!(p.rows[0].redacted, "sk-proj-...x9Zz");
    }

    #[test]
    fn owner_filter_and_name_sort_over_a_real_page() {
        let (_, r) = roster(&[(KEYS_URL, KEYS_PAGE)]);
        let q = Query {
            owner: Some("Priya Natarajan".into()),
            sort: Some(Sort::Name),
            ..Query::default()
        };
        let names: Vec<String> = page(&r, &q).rows.into_iter().map(|row| row.name).collect();
        assert_eq!(
            names,
            vec!["payments-prod", "payments-staging", "research-notebook"]
        );
        let q = Query {
            project: Some("Payments".into()),
            ..Query::default()
        };
        assert_eq!(select(&r, &q).len(), 2);
        let q = Query {
            text: "NORTHWIND".into(),
            ..Query::default()
        };
        assert_eq!(select(&r, &q).len(), 0, "the org name is not a key field");
    }

    #[test]
    fn reading_the_members_page_adds_members_not_keys() {
        let (inv, r) = roster(&[
            (KEYS_URL, KEYS_PAGE),
            (
                "https://platform.openai.com/settings/organization/members",
                MEMBERS_PAGE,
            ),
        ]);
        assert!(inv.members_known);
        assert_eq!(inv.members.len(), 3);
        assert_eq!(r.keys.len(), 6);
        let again = roster(&[(KEYS_URL, KEYS_PAGE), (KEYS_URL, KEYS_PAGE)]).1;
        assert_eq!(
            again.keys.len(),
            6,
            "reading the same page twice does not duplicate keys"
        );
    }

    #[test]
    fn an_unreadable_file_is_recorded_and_the_rest_kept() {
        let (inv, r) = roster(&[(KEYS_URL, KEYS_PAGE), ("unreadable.csv", UNREADABLE)]);
        let bad = &inv.sources[1];
        assert_eq!(bad.kind, "unknown");
        let err = bad.error.as_deref().unwrap();
        assert!(err.starts_with("unreadable.csv: "), "{err}");
        assert_eq!(r.keys.len(), 6);
    }
}
