//! The shared Acme Robotics fixture org (tests/fixtures/org/) through the HTML and CSV readers:
//! the pages and the edited spreadsheet other tests merge and judge must read as intended.

use crate::support;

use jiff::civil::date;
use keyroster::ingest::{self, Batch, Context};
use keyroster::model::{KeyKind, LastUsed, OwnerType, Permissions, ProjectRef};
use support::AS_OF;

fn read(name: &str) -> Batch {
    let bytes = support::fixture_bytes(&format!("org/{name}"));
    ingest::read(&Context::new(name, AS_OF), &bytes).expect("fixture reads")
}

/// A project's name, whether its limits are known, its hard and soft limit.
type Limit<'a> = (Option<&'a str>, bool, Option<f64>, Option<f64>);

fn named(name: &str) -> Option<ProjectRef> {
    Some(ProjectRef {
        id: None,
        name: Some(name.into()),
    })
}

#[test]
fn org_api_keys_page() {
    let b = read("api-keys.html");
    assert_eq!(b.kind, "html:org-api-keys");
    assert_eq!(b.org.as_deref(), Some("Acme Robotics"));
    assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    let names: Vec<&str> = b.keys.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "payments-prod",
            "etl-nightly",
            "Secret key",
            "test",
            "mobile-live"
        ]
    );
    let k = &b.keys[1];
    assert_eq!(k.redacted.as_deref(), Some("sk-...8rTv"));
    assert_eq!(k.kind, KeyKind::Project);
    assert_eq!(k.project, named("Data Pipeline"));
    assert_eq!(k.owner.kind, OwnerType::User);
    assert_eq!(k.owner.name.as_deref(), Some("Chen Wei"));
    assert_eq!(k.permissions, Permissions::Restricted);
    assert_eq!(k.created, Some(date(2025, 1, 12)));
    assert_eq!(k.last_used, LastUsed::Date(date(2025, 5, 30)));
    assert_eq!(b.keys[3].last_used, LastUsed::Never);
    assert_eq!(b.keys[4].permissions, Permissions::ReadOnly);
}

#[test]
fn limits_page() {
    let b = read("limits.html");
    assert_eq!(b.kind, "html:limits");
    let limits: Vec<Limit<'_>> = b
        .projects
        .iter()
        .map(|p| {
            (
                p.name.as_deref(),
                p.limits_known,
                p.hard_limit_usd,
                p.soft_limit_usd,
            )
        })
        .collect();
    assert_eq!(
        limits,
        [
            (Some("Payments"), true, Some(500.0), Some(400.0)),
            (Some("Data Pipeline"), true, None, None),
            (Some("Mobile App"), true, Some(1200.0), Some(1000.0)),
            (Some("Default project"), true, Some(50.0), None),
        ]
    );
}

#[test]
fn legacy_profile_page_as_an_aria_table() {
    let b = read("profile-api-keys.html");
    assert_eq!(b.kind, "html:user-api-keys");
    assert_eq!(b.keys.len(), 1);
    let k = &b.keys[0];
    assert_eq!(k.name, "old laptop");
    assert_eq!(k.redacted.as_deref(), Some("sk-...T0dA"));
    assert_eq!(k.kind, KeyKind::User);
    assert_eq!(k.permissions, Permissions::All);
    assert_eq!(k.created, Some(date(2023, 4, 18)));
    assert_eq!(k.last_used, LastUsed::Date(date(2024, 1, 10)));
}

#[test]
fn edited_spreadsheet_with_a_pasted_secret() {
    let b = read("team-keys-edited.csv");
    assert_eq!(b.kind, "csv:keys");
    assert_eq!(b.exposed.len(), 1);
    assert_eq!(b.exposed[0].location, "line 2, column Key");
    assert_eq!(b.exposed[0].redacted, "sk-proj-...Hh31");
    let k = &b.keys[0];
    assert_eq!(k.name, "mobile-live");
    assert_eq!(k.redacted.as_deref(), Some("sk-proj-...Hh31"));
    assert_eq!(k.project, named("Mobile App"));
    assert_eq!(k.owner.name.as_deref(), Some("Dana Ruiz"));
    // A bare `sk-...` in a spreadsheet says nothing of its kind; the page it came from does.
    assert_eq!(b.keys[1].kind, KeyKind::Unknown);
    assert_eq!(
        b.warnings,
        [
            "column Created not found",
            "column Last used not found",
            "column Permissions not found"
        ]
    );
}
