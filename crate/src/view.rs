//! What the report UI shows of the keys: filtering, sorting and paging in Rust, so the browser
//! gets one page of rows at a time and the logic is tested natively. The same selection feeds
//! "export the filtered view" and "copy as TSV", so what a user sees is what they export.

use serde::{Deserialize, Serialize};

use std::cmp::Ordering;

use crate::model::{KeyKind, LastUsed, OwnerType};
use crate::report::{KeyReport, Report, Severity};

/// A view of the keys, as the UI asks for it. Every field is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Query {
    /// Free text matched (case-insensitively) against name, redaction, owner, email, project, id.
    pub text: String,
    /// `critical`…`info`, or `none`.
    pub risk: Option<String>,
    /// An owner group label (as in `groups.by_owner`).
    pub owner: Option<String>,
    /// A project group label (as in `groups.by_project`).
    pub project: Option<String>,
    pub owner_type: Option<String>,
    /// A rule id: only keys it fired on.
    pub rule: Option<String>,
    /// Column to sort by: name, owner, project, kind, owner_type, created, last_used, idle_days,
    /// cost, risk.
    pub sort: Option<String>,
    pub desc: bool,
    pub offset: usize,
    /// Rows per page; 0 means 50.
    pub limit: usize,
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
    if let Some(r) = q.risk.as_deref().filter(|r| !r.is_empty()) {
        if k.risk.map_or("none", Severity::as_str) != r {
            return false;
        }
    }
    if q.owner
        .as_deref()
        .is_some_and(|o| !o.is_empty() && owner_label(k) != o)
    {
        return false;
    }
    if q.project
        .as_deref()
        .is_some_and(|p| !p.is_empty() && project_label(k) != p)
    {
        return false;
    }
    if q.owner_type
        .as_deref()
        .is_some_and(|t| !t.is_empty() && k.key.owner.kind.as_str() != t)
    {
        return false;
    }
    if q.rule
        .as_deref()
        .is_some_and(|r| !r.is_empty() && !k.rules.iter().any(|x| x == r))
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

fn sort_value(sort: &str, k: &KeyReport) -> Option<SortValue> {
    let key = &k.key;
    Some(match sort {
        "name" => SortValue::Text(text_key(&key.name)),
        "owner" => SortValue::Text(text_key(key.owner.label())),
        "project" => SortValue::Text(text_key(
            key.project.as_ref().map(|p| p.label()).unwrap_or(""),
        )),
        "kind" => SortValue::Text(match key.kind {
            KeyKind::Unknown => None,
            kind => Some(kind.as_str().to_string()),
        }),
        "owner_type" => SortValue::OwnerType(match key.owner.kind {
            OwnerType::Unknown => None,
            kind => Some((kind, owner_label(k).to_lowercase())),
        }),
        // Oldest first ascending: the created date's order.
        "created" => SortValue::Number(k.age_days.map(|d| -(d as f64))),
        // Most recently used first ascending; "never" after every date, unknown last.
        "last_used" | "idle_days" => SortValue::Number(match key.last_used {
            LastUsed::Date(_) => k.idle_days.map(|d| d as f64),
            LastUsed::Never => Some(f64::INFINITY),
            LastUsed::Unknown => None,
        }),
        "cost" => SortValue::Number(key.usage.and_then(|u| u.cost_usd)),
        _ => return None,
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
    let sort = q.sort.as_deref().unwrap_or("risk");
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
            risk: Some("none".into()),
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
            sort: Some("cost".into()),
            ..Query::default()
        };
        assert_eq!(select(&r, &q), vec![0, 2, 1]);
        let q = Query {
            sort: Some("cost".into()),
            desc: true,
            ..Query::default()
        };
        assert_eq!(select(&r, &q), vec![2, 0, 1]);
        let q = Query {
            sort: Some("last_used".into()),
            ..Query::default()
        };
        assert_eq!(select(&r, &q), vec![0, 2, 1], "recent, never, unknown");
        let q = Query {
            sort: Some("name".into()),
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
            ("name", vec![1, 2, 3, 0]),
            ("owner", vec![1, 3, 2, 0]),
            ("project", vec![2, 3, 1, 0]),
        ] {
            let q = Query {
                sort: Some(sort.into()),
                ..Query::default()
            };
            assert_eq!(select(&r, &q), asc, "{sort} ascending");
            let q = Query { desc: true, ..q };
            let mut desc: Vec<usize> = asc[..3].to_vec();
            desc.reverse();
            // Ties (Ada's two keys, the two Data keys) keep report order in both directions.
            if sort == "owner" {
                desc = vec![2, 1, 3];
            }
            if sort == "project" {
                desc = vec![1, 2, 3];
            }
            desc.push(0);
            assert_eq!(select(&r, &q), desc, "{sort} descending");
        }
    }

    #[test]
    fn unknown_kind_and_owner_type_sort_last_both_ways() {
        let mut r = report();
        r.keys.push(anonymous()); // index 3
        r.keys[0].key.kind = KeyKind::Project;
        r.keys[1].key.kind = KeyKind::User;
        r.keys[2].key.kind = KeyKind::Admin;
        let asc = |sort: &str, desc: bool| {
            select(
                &r,
                &Query {
                    sort: Some(sort.into()),
                    desc,
                    ..Query::default()
                },
            )
        };
        assert_eq!(asc("kind", false), vec![2, 0, 1, 3], "admin, project, user");
        assert_eq!(asc("kind", true), vec![1, 0, 2, 3]);
        assert_eq!(asc("owner_type", false), vec![0, 2, 1, 3], "Ada, Ada, Ben");
        assert_eq!(asc("owner_type", true), vec![1, 0, 2, 3]);
    }

    #[test]
    fn owner_type_sort_groups_users_before_service_accounts() {
        let mut r = report();
        r.keys[0].key.owner.kind = OwnerType::ServiceAccount;
        let q = Query {
            sort: Some("owner_type".into()),
            ..Query::default()
        };
        assert_eq!(
            select(&r, &q),
            vec![2, 1, 0],
            "users Ada, Ben, then the service account"
        );
        let q = Query {
            owner_type: Some("service_account".into()),
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
                sort: Some("name".into()),
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
            sort: Some("name".into()),
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
