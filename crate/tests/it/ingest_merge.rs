//! Merging inputs into one Inventory and linking them: one key seen twice is one key, a file
//! read twice changes nothing, usage and members find their keys.

use crate::support;

use jiff::civil::date;
use keyroster::ingest::{merge, Batch, Context};
use keyroster::model::{
    Expiry, Inventory, Key, KeyKind, LastUsed, Member, Owner, OwnerType, Project, ProjectRef,
    Usage, UsageRow,
};
use support::{fixture, AS_OF};

fn ingest(inv: &mut Inventory, name: &str, text: &str) {
    let src = inv.ingest(&Context::new(name, AS_OF), text.as_bytes());
    assert_eq!(src.error, None, "{name} should read");
}

fn add(inv: &mut Inventory, name: &str, batch: Batch) {
    merge::merge(inv, name, batch);
    merge::link(inv);
}

fn project(id: Option<&str>, name: Option<&str>) -> Option<ProjectRef> {
    Some(ProjectRef {
        id: id.map(Into::into),
        name: name.map(Into::into),
    })
}

/// A key as a platform page shows it: UI redaction, no id, project by name.
fn page_key(name: &str, redacted: &str) -> Key {
    Key {
        name: name.into(),
        redacted: Some(redacted.into()),
        project: project(None, Some("Payments")),
        created_by: Some("lempiji".into()),
        last_used: LastUsed::Date(date(2026, 11, 21)),
        ..Key::default()
    }
}

fn usage_row(
    key_id: Option<&str>,
    redacted: Option<&str>,
    name: Option<&str>,
    cost: f64,
) -> UsageRow {
    UsageRow {
        date: Some(date(2026, 11, 20)),
        key_id: key_id.map(Into::into),
        key_redacted: redacted.map(Into::into),
        key_name: name.map(Into::into),
        usage: Usage {
            cost_usd: Some(cost),
            ..Usage::default()
        },
        ..UsageRow::default()
    }
}

#[test]
fn same_key_from_page_and_api_is_one_key_with_both_sources() {
    let mut inv = Inventory::default();
    add(
        &mut inv,
        "api-keys.html",
        Batch {
            kind: "html:project-api-keys".into(),
            keys: vec![page_key("My Test Key All", "sk-...excA")],
            ..Batch::default()
        },
    );
    ingest(
        &mut inv,
        "proj_k7Qx2m-api-keys-page1.json",
        fixture!("json/proj_k7Qx2m-api-keys-page1.json"),
    );
    assert_eq!(inv.keys.len(), 2, "{:#?}", inv.keys);
    let k = &inv.keys[0];
    assert_eq!(k.id.as_deref(), Some("key_key1"));
    assert_eq!(
        k.redacted.as_deref(),
        Some("sk-proj-...excA"),
        "the longer prefix wins"
    );
    assert_eq!(k.kind, KeyKind::Project, "a specific kind over unknown");
    assert_eq!(k.project, project(Some("proj_k7Qx2m"), Some("Payments")));
    assert_eq!(k.owner.email.as_deref(), Some("user@example.com"));
    assert_eq!(k.created_by.as_deref(), Some("lempiji"));
    assert_eq!(k.created, Some(date(2025, 6, 21)));
    assert_eq!(
        k.last_used,
        LastUsed::Date(date(2026, 11, 21)),
        "a date beats the API's never"
    );
    assert_eq!(
        k.sources,
        vec![
            "api-keys.html".to_string(),
            "proj_k7Qx2m-api-keys-page1.json".to_string()
        ]
    );
}

#[test]
fn same_redaction_in_another_project_stays_a_different_key() {
    let mut inv = Inventory::default();
    let mut other = page_key("My Test Key All", "sk-...excA");
    other.project = project(None, Some("Research"));
    add(
        &mut inv,
        "research.html",
        Batch {
            keys: vec![other],
            ..Batch::default()
        },
    );
    let mut api = page_key("My Test Key All", "sk-proj-...excA");
    api.id = Some("key_key1".into());
    api.project = project(Some("proj_k7Qx2m"), Some("Payments"));
    add(
        &mut inv,
        "keys.json",
        Batch {
            keys: vec![api],
            ..Batch::default()
        },
    );
    assert_eq!(inv.keys.len(), 2);
}

#[test]
fn different_ids_are_different_keys_even_with_one_redaction() {
    let mut inv = Inventory::default();
    let mut a = page_key("deploy", "sk-proj-...AAAA");
    a.id = Some("key_a".into());
    let mut b = a.clone();
    b.id = Some("key_b".into());
    add(
        &mut inv,
        "a.json",
        Batch {
            keys: vec![a, b],
            ..Batch::default()
        },
    );
    assert_eq!(inv.keys.len(), 2);
}

#[test]
fn same_page_read_twice_changes_nothing() {
    let mut once = Inventory::default();
    ingest(
        &mut once,
        "p1.json",
        fixture!("json/proj_k7Qx2m-api-keys-page1.json"),
    );
    ingest(
        &mut once,
        "usage.json",
        fixture!("json/usage-completions.json"),
    );
    let mut twice = once.clone();
    ingest(
        &mut twice,
        "p1.json",
        fixture!("json/proj_k7Qx2m-api-keys-page1.json"),
    );
    ingest(
        &mut twice,
        "usage.json",
        fixture!("json/usage-completions.json"),
    );
    assert_eq!(twice.keys, once.keys);
    assert_eq!(
        twice.usage, once.usage,
        "the same usage file read twice must not double"
    );
    assert_eq!(twice.sources, once.sources, "read again, listed once");
    assert_eq!(twice.keys[1].usage.and_then(|u| u.requests), Some(787));
}

#[test]
fn multi_page_lists_never_duplicate_keys() {
    let mut inv = Inventory::default();
    for (name, text) in [
        ("p1.json", fixture!("json/proj_k7Qx2m-api-keys-page1.json")),
        ("p2.json", fixture!("json/proj_k7Qx2m-api-keys-page2.json")),
        (
            "p1-again.json",
            fixture!("json/proj_k7Qx2m-api-keys-page1.json"),
        ),
    ] {
        ingest(&mut inv, name, text);
    }
    let ids: Vec<_> = inv.keys.iter().filter_map(|k| k.id.as_deref()).collect();
    assert_eq!(ids, vec!["key_key1", "key_key2", "key_key4", "key_key5"]);
    assert_eq!(
        inv.keys[0].sources,
        vec!["p1.json".to_string(), "p1-again.json".to_string()]
    );
}

#[test]
fn an_array_of_pages_reads_every_page() {
    let text = format!(
        "[{}, {}]",
        fixture!("json/proj_k7Qx2m-api-keys-page1.json"),
        fixture!("json/proj_k7Qx2m-api-keys-page2.json")
    );
    let mut inv = Inventory::default();
    ingest(&mut inv, "proj_k7Qx2m-all.json", &text);
    assert_eq!(inv.keys.len(), 4);
    assert_eq!(inv.sources[0].records, 4);
}

#[test]
fn usage_joins_by_id_then_redaction_then_name_within_project() {
    let mut inv = Inventory::default();
    let mut by_id = page_key("alpha", "sk-proj-...AAAA");
    by_id.id = Some("key_alpha".into());
    let by_red = page_key("beta", "sk-proj-...BBBB");
    let by_name = page_key("gamma", "sk-proj-...CCCC");
    add(
        &mut inv,
        "keys.html",
        Batch {
            keys: vec![by_id, by_red, by_name],
            ..Batch::default()
        },
    );
    let mut named = usage_row(None, None, Some("gamma"), 3.0);
    named.project = project(None, Some("Payments"));
    let mut elsewhere = usage_row(None, None, Some("gamma"), 100.0);
    elsewhere.project = project(None, Some("Research"));
    let rows = vec![
        usage_row(Some("key_alpha"), None, Some("wrong name"), 1.0),
        usage_row(None, Some("sk-...BBBB"), None, 2.0),
        named,
        elsewhere,
        usage_row(Some("key_unknown"), None, None, 50.0),
    ];
    add(
        &mut inv,
        "usage.csv",
        Batch {
            usage: rows,
            ..Batch::default()
        },
    );
    let cost = |i: usize| inv.keys[i].usage.and_then(|u| u.cost_usd);
    assert_eq!(cost(0), Some(1.0));
    assert_eq!(cost(1), Some(2.0));
    assert_eq!(
        cost(2),
        Some(3.0),
        "the Research row is another project's key"
    );
    assert_eq!(inv.keys.len(), 3, "usage never creates keys");
    assert_eq!(inv.keys[2].daily.len(), 1);
    assert_eq!(inv.keys[2].daily[0].date, date(2026, 11, 20));
}

#[test]
fn a_name_two_keys_share_joins_no_usage() {
    let mut inv = Inventory::default();
    let a = page_key("deploy", "sk-proj-...AAAA");
    let mut b = page_key("deploy", "sk-proj-...BBBB");
    b.project = project(None, Some("Research"));
    add(
        &mut inv,
        "keys.html",
        Batch {
            keys: vec![a, b],
            ..Batch::default()
        },
    );
    add(
        &mut inv,
        "usage.csv",
        Batch {
            usage: vec![usage_row(None, None, Some("deploy"), 5.0)],
            ..Batch::default()
        },
    );
    assert!(
        inv.keys.iter().all(|k| k.usage.is_none()),
        "ambiguous rows are not guessed"
    );
}

#[test]
fn link_is_idempotent() {
    let mut inv = Inventory::default();
    for (name, text) in [
        ("p1.json", fixture!("json/proj_k7Qx2m-api-keys-page1.json")),
        ("p2.json", fixture!("json/proj_k7Qx2m-api-keys-page2.json")),
        ("users.json", fixture!("json/users.json")),
        ("costs.json", fixture!("json/costs.json")),
        ("audit.json", fixture!("json/audit-log.json")),
        ("projects.json", fixture!("json/projects.json")),
    ] {
        ingest(&mut inv, name, text);
    }
    let before = inv.clone();
    merge::link(&mut inv);
    merge::link(&mut inv);
    assert_eq!(inv, before);
}

#[test]
fn members_join_by_email_whatever_its_case() {
    let mut inv = Inventory::default();
    ingest(&mut inv, "users.json", fixture!("json/users.json"));
    ingest(&mut inv, "invites.json", fixture!("json/invites.json"));
    let org: Vec<_> = inv.members.iter().filter(|m| m.project.is_none()).collect();
    // lempiji, Grace (user + accepted invite = one), Alan and Edsger (invites).
    assert_eq!(org.len(), 4, "{org:#?}");
    let grace = org
        .iter()
        .find(|m| m.email.as_deref() == Some("grace@example.com"))
        .expect("grace");
    assert_eq!(grace.id.as_deref(), Some("user-grace"));
    assert_eq!(
        grace.status.as_deref(),
        Some("active"),
        "a member list beats an invite's status"
    );
    assert_eq!(
        grace.added,
        Some(date(2025, 2, 10)),
        "the earliest date is kept"
    );
    assert_eq!(
        grace.sources,
        vec!["users.json".to_string(), "invites.json".to_string()]
    );

    // An owner written in another case still finds the member.
    let mut k = page_key("deploy", "sk-proj-...AAAA");
    k.owner = Owner {
        kind: OwnerType::Unknown,
        email: Some("GRACE@example.COM".into()),
        ..Owner::default()
    };
    add(
        &mut inv,
        "keys.html",
        Batch {
            keys: vec![k],
            ..Batch::default()
        },
    );
    let o = &inv.keys[0].owner;
    assert_eq!(o.id.as_deref(), Some("user-grace"));
    assert_eq!(o.name.as_deref(), Some("Grace Hopper"));
    assert_eq!(o.kind, OwnerType::User);
    assert_eq!(
        o.email.as_deref(),
        Some("GRACE@example.COM"),
        "what the source said is kept"
    );
}

#[test]
fn org_and_project_memberships_of_one_person_stay_separate_records() {
    let mut inv = Inventory::default();
    ingest(&mut inv, "users.json", fixture!("json/users.json"));
    ingest(
        &mut inv,
        "project-users.json",
        fixture!("json/project-users-wrapped.json"),
    );
    let lempiji: Vec<_> = inv
        .members
        .iter()
        .filter(|m| m.id.as_deref() == Some("user-user1"))
        .collect();
    let scopes: Vec<_> = lempiji
        .iter()
        .map(|m| m.project.as_ref().and_then(|p| p.id.as_deref()))
        .collect();
    assert_eq!(
        scopes,
        vec![None, Some("proj_k7Qx2m"), Some("proj_default1")]
    );
    assert_eq!(
        lempiji[1].sources,
        vec!["users.json".to_string(), "project-users.json".to_string()]
    );
    // Grace: an org member, and a member of Payments from the project users list.
    let grace = inv
        .members
        .iter()
        .filter(|m| m.id.as_deref() == Some("user-grace"))
        .count();
    assert_eq!(grace, 2);
}

#[test]
fn member_names_match_after_nfkc_and_case_folding() {
    let mut inv = Inventory::default();
    let m = |name: &str, role: Option<&str>| Member {
        name: Some(name.into()),
        kind: OwnerType::User,
        role: role.map(Into::into),
        ..Member::default()
    };
    add(
        &mut inv,
        "members.html",
        Batch {
            members: vec![m("Ｇｒａｃｅ  Hopper", None)],
            members_list: true,
            ..Batch::default()
        },
    );
    add(
        &mut inv,
        "members.csv",
        Batch {
            members: vec![m("grace hopper", Some("reader"))],
            members_list: true,
            ..Batch::default()
        },
    );
    assert_eq!(inv.members.len(), 1, "{:#?}", inv.members);
    assert_eq!(inv.members[0].name.as_deref(), Some("Ｇｒａｃｅ  Hopper"));
    assert_eq!(inv.members[0].role.as_deref(), Some("reader"));
    assert!(inv.members_known);

    let mut k = page_key("deploy", "sk-proj-...AAAA");
    k.owner = Owner {
        kind: OwnerType::User,
        name: Some("GRACE HOPPER".into()),
        ..Owner::default()
    };
    add(
        &mut inv,
        "keys.html",
        Batch {
            keys: vec![k],
            ..Batch::default()
        },
    );
    assert_eq!(inv.keys[0].owner.name.as_deref(), Some("GRACE HOPPER"));
    assert_eq!(inv.keys[0].owner.kind, OwnerType::User);
}

#[test]
fn last_used_and_expiry_keep_the_most_informative_value() {
    let mut inv = Inventory::default();
    let mut a = page_key("deploy", "sk-proj-...AAAA");
    a.last_used = LastUsed::Unknown;
    a.expires = Expiry::Never;
    let mut b = a.clone();
    b.last_used = LastUsed::Never;
    b.expires = Expiry::Unknown;
    let mut c = a.clone();
    c.last_used = LastUsed::Date(date(2026, 1, 1));
    c.expires = Expiry::Date(date(2027, 1, 1));
    let mut d = a.clone();
    d.last_used = LastUsed::Date(date(2026, 3, 1));
    d.expires = Expiry::Date(date(2026, 12, 1));
    for (i, k) in [a, b, c, d].into_iter().enumerate() {
        add(
            &mut inv,
            &format!("page{i}.html"),
            Batch {
                keys: vec![k],
                ..Batch::default()
            },
        );
    }
    assert_eq!(inv.keys.len(), 1);
    assert_eq!(inv.keys[0].last_used, LastUsed::Date(date(2026, 3, 1)));
    assert_eq!(inv.keys[0].expires, Expiry::Date(date(2027, 1, 1)));
    assert_eq!(inv.keys[0].sources.len(), 4);
}

#[test]
fn projects_merge_by_id_else_name_and_limits_stay_known() {
    let mut inv = Inventory::default();
    add(
        &mut inv,
        "limits.html",
        Batch {
            projects: vec![Project {
                name: Some("payments".into()),
                limits_known: true,
                hard_limit_usd: Some(500.0),
                ..Project::default()
            }],
            ..Batch::default()
        },
    );
    ingest(&mut inv, "projects.json", fixture!("json/projects.json"));
    assert_eq!(inv.projects.len(), 3);
    let p = &inv.projects[0];
    assert_eq!(p.id.as_deref(), Some("proj_k7Qx2m"));
    assert_eq!(p.name.as_deref(), Some("payments"));
    assert!(p.limits_known);
    assert_eq!(p.hard_limit_usd, Some(500.0));
    assert_eq!(
        p.sources,
        vec!["limits.html".to_string(), "projects.json".to_string()]
    );
}

#[test]
fn key_projects_gain_names_from_the_projects_list() {
    let mut inv = Inventory::default();
    ingest(
        &mut inv,
        "proj_k7Qx2m-api-keys-page1.json",
        fixture!("json/proj_k7Qx2m-api-keys-page1.json"),
    );
    ingest(&mut inv, "projects.json", fixture!("json/projects.json"));
    assert_eq!(
        inv.keys[0].project,
        project(Some("proj_k7Qx2m"), Some("Payments"))
    );
}

#[test]
fn exposed_secrets_are_not_recorded_twice_for_one_location() {
    let secret = format!("sk-proj-{}T3BlbkFJ{}", "Qw7".repeat(25), "Er4".repeat(25));
    let text = format!(
        r#"{{"object":"list","data":[{{"object":"organization.project.api_key","id":"key_x","name":"{secret}","redacted_value":"sk-proj-****Er4E"}}]}}"#
    );
    let mut inv = Inventory::default();
    ingest(&mut inv, "proj_a1-keys.json", &text);
    ingest(&mut inv, "proj_a1-keys.json", &text);
    assert_eq!(inv.exposed.len(), 1);
    assert_eq!(inv.exposed[0].location, "$.data[0].name");
    assert_eq!(
        inv.keys[0].name, "sk-proj-...4Er4",
        "the name holds the redaction only"
    );
    assert!(!serde_json::to_string(&inv)
        .unwrap_or_default()
        .contains(&secret));
}

/// Usage rows naming their key by id, by redaction or by name all land on it at a large org's
/// scale (10,000 keys, 200,000 rows). How long it takes is measured by the `link` benchmark
/// (benches/ingest.rs), not asserted here.
#[test]
fn link_joins_every_usage_row_at_scale() {
    let keys = (0..10_000)
        .map(|i| Key {
            id: Some(format!("key_{i}")),
            name: format!("key number {i}"),
            redacted: Some(format!("sk-proj-...{i:04}")),
            ..Key::default()
        })
        .collect();
    let usage = (0..200_000)
        .map(|i| {
            let k = i % 10_000;
            match i % 3 {
                0 => usage_row(Some(&format!("key_{k}")), None, None, 0.01),
                1 => usage_row(None, Some(&format!("sk-...{k:04}")), None, 0.01),
                _ => usage_row(None, None, Some(&format!("key number {k}")), 0.01),
            }
        })
        .collect();
    let mut inv = Inventory {
        keys,
        usage,
        ..Inventory::default()
    };
    merge::link(&mut inv);
    let cents = |k: &Key| {
        k.usage
            .and_then(|u| u.cost_usd)
            .map(|c| (c * 100.0).round())
    };
    assert_eq!(cents(&inv.keys[7]), Some(20.0));
    assert!(
        inv.keys.iter().all(|k| cents(k) == Some(20.0)),
        "every key gets its 20 rows, whichever way they name it"
    );
}

/// The Acme Robotics fixture org's Admin API files, read together: keys get project names from
/// the projects list, owners from the users list, and cost from the costs page.
#[test]
fn acme_org_admin_api_files_merge_into_one_roster() {
    let mut inv = Inventory::default();
    for (name, text) in [
        ("projects.json", fixture!("org/projects.json")),
        ("users.json", fixture!("org/users.json")),
        ("admin_api_keys.json", fixture!("org/admin_api_keys.json")),
        (
            "project_api_keys_proj_Pay83kdQ.json",
            fixture!("org/project_api_keys_proj_Pay83kdQ.json"),
        ),
        ("costs.json", fixture!("org/costs.json")),
    ] {
        ingest(&mut inv, name, text);
        let src = inv.sources.last().expect("a source");
        assert!(src.warnings.is_empty(), "{name}: {:?}", src.warnings);
    }
    assert!(inv.members_known);
    assert_eq!(inv.keys.len(), 3);
    let prod = &inv.keys[1];
    assert_eq!(prod.name, "payments-prod");
    assert_eq!(
        prod.project,
        project(Some("proj_Pay83kdQ"), Some("Payments"))
    );
    assert_eq!(prod.owner.name.as_deref(), Some("Frank Li"));
    assert_eq!(
        prod.owner_access,
        Some(keyroster::model::OwnerAccess::Inactive)
    );
    let cost = prod.usage.and_then(|u| u.cost_usd).unwrap_or_default();
    assert!((cost - 381.9).abs() < 1e-6, "{cost}");
    assert_eq!(prod.daily.len(), 15);
    assert!(
        prod.daily.windows(2).all(|w| w[0].date < w[1].date),
        "daily ascending"
    );
    let admin = &inv.keys[0];
    assert_eq!(admin.kind, KeyKind::Admin);
    assert_eq!(
        admin.owner.email.as_deref(),
        Some("ada@acme-robotics.com"),
        "filled from users"
    );
}
