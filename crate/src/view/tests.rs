//! Tests of [`super`], in their own file so the module itself reads whole.

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
        last_seen: None,
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
    let q =
        Query::from_json(r#"{"risk":"none","owner_type":"service_account","sort":"idle_days"}"#)
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

/// The views over a real report: the e2e fixture page read and analyzed as the popup does.
mod fixture_tests {
    use crate::ingest::Context;
    use crate::view::*;
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

#[test]
fn provider_filter_and_sort_keep_one_platform_and_rows_name_its_scope() {
    let mut r = report();
    r.keys[1].key.provider = Provider::Anthropic;
    let q = Query::from_json(r#"{"provider":"anthropic"}"#).unwrap();
    assert_eq!(select(&r, &q), [1]);
    let all = Query::from_json(r#"{"provider":""}"#).unwrap();
    assert_eq!(select(&r, &all).len(), r.keys.len());
    // By the provider's id: anthropic before openai.
    let by = Query::from_json(r#"{"sort":"provider"}"#).unwrap();
    assert_eq!(select(&r, &by).first(), Some(&1));
    let row = super::row(1, &r.keys[1]);
    assert_eq!(
        (
            row.provider.as_str(),
            row.provider_label.as_str(),
            row.scope_title.as_str()
        ),
        ("anthropic", "Anthropic", "Workspace")
    );
    r.keys[1].key.kind = KeyKind::Project;
    assert_eq!(
        super::row(1, &r.keys[1]).kind,
        "api",
        "as the Console names it"
    );
    assert!(Query::from_json(r#"{"provider":"google"}"#).is_err());
}

#[test]
fn unlisted_keys_follow_the_provider_filter_in_the_page_and_its_export() {
    let mut r = report();
    let stray = |provider, id: &str| UnlistedKey {
        provider,
        id: id.into(),
        ..UnlistedKey::default()
    };
    r.unlisted_keys = vec![
        stray(Provider::Openai, "key_gone1"),
        stray(Provider::Anthropic, "apikey_01stray"),
        stray(Provider::Openai, "key_stray7"),
    ];
    let ids = |q: &str| {
        let q = Query::from_json(q).unwrap();
        page(&r, &q)
            .unlisted
            .into_iter()
            .map(|u| u.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(ids("{}"), ["key_gone1", "apikey_01stray", "key_stray7"]);
    assert_eq!(ids(r#"{"provider":"anthropic"}"#), ["apikey_01stray"]);
    // Filters only a listed key answers (owner, risk, text) leave them as they are.
    assert_eq!(
        ids(r#"{"provider":"openai","text":"nothing matches this"}"#),
        ["key_gone1", "key_stray7"]
    );
    let q = Query::from_json(r#"{"provider":"anthropic"}"#).unwrap();
    let csv = crate::export::csv::unlisted_keys_subset(
        unlisted(&r, &q),
        &crate::export::csv::CsvOptions::default(),
    );
    let csv = String::from_utf8(csv).unwrap();
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .starts_with("anthropic,apikey_01stray,"),
        "{csv}"
    );
}
