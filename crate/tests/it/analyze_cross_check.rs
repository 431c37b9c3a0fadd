//! Cases found by judging the same inventories with two independently written analyses (this
//! branch's first one and main's): where they disagreed, the brief or the SPEC decided, and
//! each test here guards the behaviour main's analysis lacked. Inventories are built in code so
//! each test shows exactly the facts it judges.

use crate::support;

use jiff::civil::{date, Date};
use keyroster::analyze::RuleId;
use keyroster::model::{
    Expiry, Inventory, Key, KeyKind, LastUsed, Member, OwnerType, Permissions, Project, ProjectRef,
    Usage, UsageRow,
};
use keyroster::report::{Finding, Report, RuleRun};
use keyroster::{analyze, Policy};
use support::AS_OF;

fn ago(n: i64) -> Date {
    AS_OF.checked_sub(jiff::Span::new().days(n)).unwrap()
}

fn key(name: &str, last4: &str) -> Key {
    Key {
        id: Some(format!("key_{last4}")),
        name: name.into(),
        redacted: Some(format!("sk-proj-...{last4}")),
        kind: KeyKind::Project,
        project: Some(ProjectRef {
            id: Some("proj_backend".into()),
            name: Some("Backend".into()),
        }),
        owner: keyroster::model::Owner {
            kind: OwnerType::User,
            name: Some("Ada Lovelace".into()),
            email: Some("ada@example.com".into()),
            id: Some("user-ada".into()),
        },
        permissions: Permissions::Restricted,
        created: Some(ago(30)),
        last_used: LastUsed::Date(ago(1)),
        expires: Expiry::Never,
        sources: vec!["api-keys.html".into()],
        ..Key::default()
    }
}

fn inv(keys: Vec<Key>) -> Inventory {
    Inventory {
        keys,
        ..Inventory::default()
    }
}

fn project(id: &str, name: &str, limits_known: bool, hard: Option<f64>) -> Project {
    Project {
        id: Some(id.into()),
        name: Some(name.into()),
        limits_known,
        hard_limit_usd: hard,
        ..Project::default()
    }
}

fn run(inv: &Inventory) -> Report {
    analyze(inv, &Policy::default(), AS_OF)
}

fn of<'r>(r: &'r Report, rule: &str) -> Vec<&'r Finding> {
    r.findings.iter().filter(|f| f.rule == rule).collect()
}

fn rule_run<'r>(r: &'r Report, rule: &str) -> &'r RuleRun {
    r.rules.iter().find(|x| x.rule == rule).unwrap()
}

fn fires_on(r: &Report, rule: &str) -> Vec<String> {
    of(r, rule)
        .iter()
        .map(|f| f.target.key_name.clone().unwrap_or_default())
        .collect()
}

fn reason(r: &Report, rule: &str) -> Option<String> {
    let x = rule_run(r, rule);
    assert!(x.enabled, "{rule} is enabled");
    assert_eq!(x.ran, x.reason.is_none(), "{rule}: ran iff no reason");
    x.reason.clone()
}

// ------------------------------------------------------------------ owner-departed

#[test]
fn owner_departed_matches_a_name_only_owner_despite_spacing_and_case() {
    let mut k = key("deploy", "a1B2");
    k.owner.id = None;
    k.owner.email = None;
    k.owner.name = Some("ada  LOVELACE".into());
    let mut i = inv(vec![k]);
    i.members = vec![Member {
        name: Some("Ada Lovelace".into()),
        email: Some("other@example.com".into()),
        kind: OwnerType::User,
        ..Member::default()
    }];
    i.members_known = true;
    let r = run(&i);
    assert!(rule_run(&r, "owner-departed").ran);
    assert!(of(&r, "owner-departed").is_empty());
}

// ------------------------------------------------------------------ no-spend-limit

#[test]
fn no_spend_limit_counts_keys_usage_beside_usage_rows_of_other_projects() {
    let mut k = key("deploy", "a1B2");
    k.usage = Some(Usage {
        requests: Some(1200),
        cost_usd: Some(1234.5),
        ..Usage::default()
    });
    let mut i = inv(vec![k]);
    i.projects = vec![
        project("proj_backend", "Backend", true, None),
        project("proj_capped", "Capped", true, Some(100.0)),
        project("proj_unread", "Unread", false, None),
        project("proj_idle", "Idle", true, None),
    ];
    // A project-level cost row for another project, whose limits were never read.
    i.usage.push(UsageRow {
        project: Some(ProjectRef {
            id: Some("proj_unread".into()),
            name: None,
        }),
        usage: Usage {
            cost_usd: Some(5.0),
            ..Usage::default()
        },
        source: "costs.csv".into(),
        ..UsageRow::default()
    });
    let r = run(&i);
    let f = of(&r, "no-spend-limit");
    assert_eq!(
        f.len(),
        1,
        "Backend only: Capped has a limit, Idle no usage"
    );
    assert_eq!(f[0].target.kind, "project");
    assert_eq!(f[0].target.project.as_deref(), Some("Backend"));
    assert_eq!(
        f[0].message,
        "project Backend has $1234.50 of usage and no hard monthly limit"
    );
}

// ------------------------------------------------------------------ default-project

#[test]
fn default_project_by_name_or_by_an_id_that_says_default() {
    let in_project = |name: &str, last4: &str, id: &str, pname: Option<&str>| Key {
        project: Some(ProjectRef {
            id: Some(id.into()),
            name: pname.map(String::from),
        }),
        ..key(name, last4)
    };
    let r = run(&inv(vec![
        in_project("a", "000a", "proj_x1", Some("Default Project")),
        in_project("b", "000b", "proj_default", None),
        in_project("c", "000c", "proj_x2", Some("Default projects archive")),
        in_project("d", "000d", "proj_default", Some("Checkout")),
    ]));
    assert_eq!(fires_on(&r, "default-project"), ["a", "b"]);
}

// ------------------------------------------------------------------ did not run

#[test]
fn default_project_does_not_run_when_no_key_has_a_project() {
    let mut k = key("a", "a1B2");
    k.project = None;
    assert_eq!(
        reason(&run(&inv(vec![k])), "default-project").as_deref(),
        Some("did not run, because no key's project is known")
    );
}

#[test]
fn admin_key_idle_does_not_run_when_no_admin_last_use_is_known() {
    let admin = |last: LastUsed| Key {
        kind: KeyKind::Admin,
        last_used: last,
        ..key("Main Admin Key", "ad01")
    };
    let r = run(&inv(vec![admin(LastUsed::Unknown)]));
    assert_eq!(
        reason(&r, "admin-key-idle").as_deref(),
        Some("did not run, because no admin key's last use is known")
    );
    // Never used is known: it runs and fires.
    let r = run(&inv(vec![admin(LastUsed::Never)]));
    assert_eq!(reason(&r, "admin-key-idle"), None);
    assert_eq!(fires_on(&r, "admin-key-idle"), ["Main Admin Key"]);
    // No admin key at all is nothing to judge, not missing input.
    assert_eq!(
        reason(&run(&inv(vec![key("a", "a1B2")])), "admin-key-idle"),
        None
    );
}

#[test]
fn never_used_does_not_run_without_creation_dates() {
    let mut k = key("a", "a1B2");
    k.created = None;
    k.last_used = LastUsed::Never;
    assert_eq!(
        reason(&run(&inv(vec![k])), "never-used").as_deref(),
        Some("did not run, because no input says when the keys were created")
    );
}

#[test]
fn expiry_rules_do_not_run_when_no_expiry_is_known() {
    let mut k = key("a", "a1B2");
    k.expires = Expiry::Unknown;
    let r = run(&inv(vec![k]));
    for rule in ["expiring-soon", "expired"] {
        assert_eq!(
            reason(&r, rule).as_deref(),
            Some("did not run, because no input says when the keys expire"),
            "{rule}"
        );
    }
    // One known expiry (here: never) is enough for them to run.
    let r = run(&inv(vec![key("b", "b1B2")]));
    assert_eq!(reason(&r, "expiring-soon"), None);
}

#[test]
fn broad_permissions_does_not_run_when_no_permission_is_known() {
    let mut k = key("a", "a1B2");
    k.permissions = Permissions::Unknown;
    assert_eq!(
        reason(&run(&inv(vec![k])), "broad-permissions").as_deref(),
        Some("did not run, because no input says what the keys are permitted")
    );
}

#[test]
fn deleted_keys_alone_do_not_make_a_rule_run_or_skip() {
    // Rules judge live keys only; a deleted key's missing dates say nothing either way.
    let mut gone = key("gone", "g0n3");
    gone.deleted = true;
    gone.created = None;
    let live = key("live", "l1v3");
    let r = run(&inv(vec![gone, live]));
    assert_eq!(reason(&r, "never-used"), None);
}

// ------------------------------------------------------------------ user-key-in-production

#[test]
fn a_production_pattern_of_several_words_matches_across_separators() {
    let mut p = Policy::default();
    p.production_patterns = vec!["customer facing".into()];
    let r = analyze(
        &inv(vec![
            key("customer-facing bot", "cf01"),
            key("customer   FACING", "cf02"),
            key("customer", "cf03"),
            key("facing customer", "cf04"),
        ]),
        &p,
        AS_OF,
    );
    assert_eq!(
        fires_on(&r, "user-key-in-production"),
        ["customer   FACING", "customer-facing bot"]
    );
}

// ------------------------------------------------------------------ mutes

#[test]
fn a_project_finding_is_muted_by_the_projects_id() {
    let mut k = key("deploy", "a1B2");
    k.usage = Some(Usage {
        cost_usd: Some(12.0),
        ..Usage::default()
    });
    let mut i = inv(vec![k]);
    i.projects = vec![project("proj_backend", "Backend", true, None)];
    let mut p = Policy::default();
    p.mutes = Policy::from_toml(
        "p.toml",
        "[[mute]]\nkey = \"proj_backend\"\nrule = \"no-spend-limit\"\nreason = \"capped upstream\"\n",
    )
    .unwrap()
    .mutes;
    let r = analyze(&i, &p, AS_OF);
    let f = of(&r, "no-spend-limit");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].muted.as_ref().unwrap().reason, "capped upstream");
    assert_eq!(r.summary.muted, 1);
    assert_eq!(r.summary.findings.medium, 0);
}

// ------------------------------------------------------------------ summary

#[test]
fn summary_counts_a_project_once_whether_known_by_id_or_name() {
    let mut only_id = key("etl", "c3D4");
    only_id.project = Some(ProjectRef {
        id: Some("proj_backend".into()),
        name: None,
    });
    let mut only_name = key("web", "w3B1");
    only_name.project = Some(ProjectRef {
        id: None,
        name: Some("web ".into()),
    });
    let mut i = inv(vec![key("deploy", "a1B2"), only_id, only_name]);
    i.projects = vec![
        project("proj_backend", "Backend", false, None),
        project("proj_web", "Web", false, None),
    ];
    assert_eq!(run(&i).summary.projects, 2);
    let mut other = key("x", "x0x0");
    other.project = Some(ProjectRef {
        id: Some("proj_new".into()),
        name: Some("New".into()),
    });
    i.keys.push(other);
    assert_eq!(run(&i).summary.projects, 3);
}

// ------------------------------------------------------------------ policy files

fn fixture(f: &str) -> String {
    support::fixture_text(&format!("policy/{f}"))
}

#[test]
fn a_policy_in_toml_with_a_bare_date_equals_the_same_policy_in_json() {
    let t = Policy::load("team.toml", &fixture("team.toml")).unwrap();
    let j = Policy::load("team.json", &fixture("team.json")).unwrap();
    assert_eq!(t, j);
    assert_eq!(t.preset_name(), "cis+custom");
    assert_eq!(t.thresholds.unused_days, 45, "from the cis preset");
    assert_eq!(t.thresholds.rotation_days, 180);
    assert!(!t.setting(RuleId::BroadPermissions).enabled);
    assert_eq!(
        t.setting(RuleId::LegacyUserKey).severity,
        keyroster::report::Severity::Critical
    );
    assert_eq!(t.mutes.len(), 2);
    assert_eq!(t.mutes[0].until, Some(date(2027, 2, 1)));
    assert_eq!(t.mutes[1].until, None);
}

#[test]
fn a_mute_until_that_is_not_a_date_is_refused() {
    for (text, found) in [
        ("until = \"next week\"", "found \"next week\""),
        ("until = 2026-12-01T10:00:00", "found datetime"),
        ("until = 5", "found integer"),
    ] {
        let src = format!("[[mute]]\nkey = \"k\"\nreason = \"r\"\n{text}\n");
        let e = Policy::from_toml("p.toml", &src).unwrap_err().to_string();
        assert!(e.starts_with("p.toml: "), "{e}");
        assert!(e.contains("until: expected a date YYYY-MM-DD"), "{e}");
        assert!(e.contains(found), "{e}");
    }
}
