//! Analysis: each rule at its threshold boundary, each "did not run" case, mutes, severities,
//! presets, groups and summary. Inventories are built in code so each test shows exactly the
//! facts it judges.

use jiff::civil::{date, Date};
use keyroster::analyze::policy::Mute;
use keyroster::model::{
    DailyUsage, Expiry, ExposedSecret, Inventory, Key, KeyKind, LastUsed, Member, OwnerAccess,
    OwnerType, Permissions, Project, ProjectRef, Usage, UsageRow,
};
use keyroster::report::{Finding, Report, RuleRun, Severity};
use keyroster::{analyze, Policy};

const AS_OF: Date = date(2026, 11, 22);

/// The day `n` days before `AS_OF`.
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

fn run(inv: &Inventory) -> Report {
    analyze(inv, &Policy::default(), AS_OF)
}

fn with(inv: &Inventory, policy: &Policy) -> Report {
    analyze(inv, policy, AS_OF)
}

fn of<'r>(r: &'r Report, rule: &str) -> Vec<&'r Finding> {
    r.findings.iter().filter(|f| f.rule == rule).collect()
}

fn messages(r: &Report, rule: &str) -> Vec<String> {
    of(r, rule).iter().map(|f| f.message.clone()).collect()
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

// ---------------------------------------------------------------- exposed-secret

#[test]
fn exposed_secret_names_the_source_location_and_redaction() {
    let mut i = inv(vec![]);
    i.exposed.push(ExposedSecret {
        source: "notes.csv".into(),
        location: "line 12".into(),
        redacted: "sk-proj-...Xy9z".into(),
        kind: KeyKind::Project,
    });
    let r = run(&i);
    let f = of(&r, "exposed-secret");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity, Severity::Critical);
    assert_eq!(f[0].target.kind, "source");
    assert_eq!(f[0].target.source.as_deref(), Some("notes.csv"));
    assert_eq!(
        f[0].message,
        "a full secret key sk-proj-...Xy9z appears in notes.csv at line 12; it was redacted on \
         reading and not kept"
    );
    assert!(f[0].remediation.starts_with("Revoke the key now"));
    assert_eq!(r.summary.exposed_secrets, 1);
    assert_eq!(r.summary.findings.critical, 1);
}

#[test]
fn exposed_secret_of_a_listed_key_marks_that_key_even_when_deleted() {
    let mut k = key("deploy", "Xy9z");
    k.deleted = true;
    k.last_used = LastUsed::Date(ago(400));
    let mut i = inv(vec![k]);
    i.exposed.push(ExposedSecret {
        source: "chat.txt".into(),
        location: "line 3".into(),
        redacted: "sk-proj-...Xy9z".into(),
        kind: KeyKind::Project,
    });
    let r = run(&i);
    assert_eq!(
        r.keys[0].rules,
        ["exposed-secret"],
        "a deleted key fires nothing else"
    );
    assert_eq!(r.keys[0].risk, Some(Severity::Critical));
    assert!(of(&r, "exposed-secret")[0]
        .message
        .contains("(key \"deploy\")"));
}

// ---------------------------------------------------------------- owner-departed

fn member(name: &str, email: &str, id: Option<&str>) -> Member {
    Member {
        id: id.map(String::from),
        name: Some(name.into()),
        email: Some(email.into()),
        kind: OwnerType::User,
        role: Some("member".into()),
        ..Member::default()
    }
}

fn four_members() -> Vec<Member> {
    vec![
        member("Ada Lovelace", "ADA@example.com", None),
        member("Grace Hopper", "grace@example.com", Some("user-grace")),
        member("Alan Turing", "alan@example.com", Some("user-alan")),
        member("Edsger Dijkstra", "edsger@example.com", Some("user-ed")),
        // The same person seen again on a project members page.
        Member {
            project: Some(ProjectRef {
                id: Some("proj_backend".into()),
                name: None,
            }),
            ..member("Grace Hopper", "grace@example.com", Some("user-grace"))
        },
        Member {
            status: Some("removed".into()),
            ..member("Frank Li", "frank.li@example.com", Some("user-frank"))
        },
    ]
}

#[test]
fn owner_departed_when_owner_is_not_among_current_members() {
    let mut frank = key("reporting", "Fr4k");
    frank.owner = keyroster::model::Owner {
        kind: OwnerType::User,
        name: None,
        email: Some("frank.li@example.com".into()),
        id: Some("user-frank".into()),
    };
    let mut i = inv(vec![key("deploy", "a1B2"), frank]);
    i.members = four_members();
    i.members_known = true;
    let r = run(&i);
    assert_eq!(
        messages(&r, "owner-departed"),
        ["owner frank.li@example.com of \"reporting\" (sk-proj-...Fr4k) is not among the 4 current members"]
    );
    // Ada matched by email in another case, though her member record has no id.
    assert!(r.keys[0].rules.is_empty());
    assert_eq!(r.keys[1].risk, Some(Severity::High));
}

#[test]
fn owner_departed_matches_owners_by_folded_name_when_no_id_or_email() {
    let mut k = key("deploy", "a1B2");
    k.owner.id = None;
    k.owner.email = None;
    k.owner.name = Some("ada  LOVELACE".into());
    let mut i = inv(vec![k]);
    i.members = vec![member("Ada Lovelace", "other@example.com", None)];
    i.members_known = true;
    assert!(of(&run(&i), "owner-departed").is_empty());
}

#[test]
fn owner_departed_when_owner_project_access_is_inactive_without_members() {
    let mut k = key("deploy", "a1B2");
    k.owner_access = Some(OwnerAccess::Inactive);
    let mut still = key("etl", "c3D4");
    still.owner_access = Some(OwnerAccess::Active);
    let r = run(&inv(vec![k, still]));
    assert!(rule_run(&r, "owner-departed").ran);
    assert_eq!(
        messages(&r, "owner-departed"),
        [
            "owner Ada Lovelace of \"deploy\" (sk-proj-...a1B2) no longer has access to project \
          Backend (owner_project_access: inactive)"
        ]
    );
}

#[test]
fn owner_departed_does_not_run_without_members_or_access() {
    let r = run(&inv(vec![key("deploy", "a1B2")]));
    let x = rule_run(&r, "owner-departed");
    assert!(x.enabled && !x.ran);
    assert_eq!(
        x.reason.as_deref(),
        Some(
            "did not run, because no member list was read and the keys do not say whether their \
             owners still have access; add the members page or users.json"
        )
    );
}

#[test]
fn owner_departed_skips_service_account_keys() {
    let mut k = key("ci", "s3A1");
    k.kind = KeyKind::ServiceAccount;
    k.owner = keyroster::model::Owner {
        kind: OwnerType::ServiceAccount,
        name: Some("ci-bot".into()),
        ..Default::default()
    };
    let mut i = inv(vec![k]);
    i.members = four_members();
    i.members_known = true;
    assert!(of(&run(&i), "owner-departed").is_empty());
}

// ---------------------------------------------------------------- legacy-user-key

#[test]
fn legacy_user_key_fires_on_user_keys_only() {
    let mut legacy = key("old laptop", "L3gc");
    legacy.kind = KeyKind::User;
    legacy.redacted = Some("sk-...L3gc".into());
    legacy.project = None;
    legacy.created = Some(date(2023, 3, 1));
    let r = run(&inv(vec![legacy, key("deploy", "a1B2")]));
    assert_eq!(
        messages(&r, "legacy-user-key"),
        ["\"old laptop\" (sk-...L3gc) is a legacy user key, created 2023-03-01: it is not scoped \
          to a project and reaches every project of the organization"]
    );
}

// ---------------------------------------------------------------- admin-key-idle

fn admin(name: &str, last: LastUsed) -> Key {
    Key {
        kind: KeyKind::Admin,
        redacted: Some(format!("sk-admin-...{name}")),
        last_used: last,
        permissions: Permissions::All,
        project: None,
        ..key(name, name)
    }
}

#[test]
fn admin_key_idle_at_30_days_not_29() {
    let r = run(&inv(vec![
        admin("ad29", LastUsed::Date(ago(29))),
        admin("ad30", LastUsed::Date(ago(30))),
        admin("adNv", LastUsed::Never),
        admin("adUk", LastUsed::Unknown),
    ]));
    assert_eq!(fires_on(&r, "admin-key-idle"), ["ad30", "adNv"]);
    assert_eq!(
        messages(&r, "admin-key-idle")[0],
        format!(
            "admin key \"ad30\" (sk-admin-...ad30) last used {}, 30 days ago (created {}, 30 days \
             ago); the limit is 30 days",
            ago(30),
            ago(30)
        )
    );
    // Admin keys cannot be restricted: no broad-permissions finding for them.
    assert!(of(&r, "broad-permissions").is_empty());
}

#[test]
fn admin_key_idle_does_not_run_when_no_admin_last_use_is_known() {
    let r = run(&inv(vec![admin("adUk", LastUsed::Unknown)]));
    assert_eq!(
        rule_run(&r, "admin-key-idle").reason.as_deref(),
        Some("did not run, because no admin key's last use is known")
    );
}

// ---------------------------------------------------------------- unused

fn used(name: &str, days_ago: i64) -> Key {
    Key {
        last_used: LastUsed::Date(ago(days_ago)),
        created: Some(ago(days_ago + 10)),
        ..key(name, &format!("u{days_ago:03}"))
    }
}

#[test]
fn unused_at_90_days_not_89_and_never_or_unknown_do_not_fire() {
    let mut never = key("never", "nvr1");
    never.last_used = LastUsed::Never;
    let mut unknown = key("unknown", "unk1");
    unknown.last_used = LastUsed::Unknown;
    let r = run(&inv(vec![used("u89", 89), used("u90", 90), never, unknown]));
    assert_eq!(fires_on(&r, "unused"), ["u90"]);
    assert_eq!(
        messages(&r, "unused"),
        ["\"u90\" (sk-proj-...u090) was last used 2026-08-24, 90 days ago; the limit is 90 days"]
    );
}

#[test]
fn unused_states_the_evidence_with_date_and_days() {
    let mut k = key("billing-export", "b1LL");
    k.last_used = LastUsed::Date(date(2025, 5, 30));
    k.created = Some(date(2024, 1, 2));
    let r = run(&inv(vec![k]));
    assert_eq!(
        messages(&r, "unused"),
        ["\"billing-export\" (sk-proj-...b1LL) was last used 2025-05-30, 541 days ago; the limit \
          is 90 days"]
    );
    assert_eq!(r.keys[0].idle_days, Some(541));
    assert_eq!(r.keys[0].age_days, Some(1055));
    assert!(!r.keys[0].active);
}

#[test]
fn unused_does_not_run_when_no_last_use_is_known() {
    let mut k = key("deploy", "a1B2");
    k.last_used = LastUsed::Unknown;
    let r = run(&inv(vec![k]));
    let x = rule_run(&r, "unused");
    assert!(!x.ran);
    assert_eq!(
        x.reason.as_deref(),
        Some(
            "did not run, because no key's last use is known (no page or file read had a Last \
             used column or usage)"
        )
    );
}

// ---------------------------------------------------------------- never-used

fn never(name: &str, created_days_ago: i64) -> Key {
    Key {
        last_used: LastUsed::Never,
        created: Some(ago(created_days_ago)),
        ..key(name, &format!("n{created_days_ago:03}"))
    }
}

#[test]
fn never_used_at_14_days_not_13() {
    let r = run(&inv(vec![never("n13", 13), never("n14", 14)]));
    assert_eq!(fires_on(&r, "never-used"), ["n14"]);
    assert_eq!(
        messages(&r, "never-used"),
        [format!(
            "\"n14\" (sk-proj-...n014) was never used since it was created {}, 14 days ago; the \
             limit is 14 days",
            ago(14)
        )]
    );
    assert_eq!(of(&r, "never-used")[0].severity, Severity::Low);
}

#[test]
fn never_used_does_not_run_without_creation_dates() {
    let mut k = never("n30", 30);
    k.created = None;
    let r = run(&inv(vec![k]));
    assert_eq!(
        rule_run(&r, "never-used").reason.as_deref(),
        Some("did not run, because no key has both a known creation date and a known last use")
    );
}

// ---------------------------------------------------------------- rotation-overdue

#[test]
fn rotation_overdue_at_90_days_for_active_keys_only() {
    let aged = |name: &str, age: i64, idle: i64| Key {
        created: Some(ago(age)),
        last_used: LastUsed::Date(ago(idle)),
        ..key(name, &format!("r{age:03}"))
    };
    let r = run(&inv(vec![
        aged("r89", 89, 2),
        aged("r90", 90, 2),
        // Old but idle for 30 days: not active, so not "still in use".
        aged("r91", 91, 30),
        aged("r92", 92, 29),
    ]));
    assert_eq!(fires_on(&r, "rotation-overdue"), ["r90", "r92"]);
    assert_eq!(
        messages(&r, "rotation-overdue")[0],
        format!(
            "\"r90\" (sk-proj-...r090) was created {}, 90 days ago and is still in use (last used \
             {}); rotate keys every 90 days",
            ago(90),
            ago(2)
        )
    );
    assert!(
        r.keys[3].active && !r.keys[2].active,
        "active means used within 30 days"
    );
}

#[test]
fn rotation_overdue_does_not_run_without_creation_dates() {
    let mut k = key("deploy", "a1B2");
    k.created = None;
    let r = run(&inv(vec![k]));
    assert_eq!(
        rule_run(&r, "rotation-overdue").reason.as_deref(),
        Some("did not run, because no key's creation date is known")
    );
}

// ---------------------------------------------------------------- user-key-in-production

#[test]
fn user_key_in_production_matches_whole_words_in_name_or_project() {
    let mut in_prod_project = key("worker", "w0rk");
    in_prod_project.project = Some(ProjectRef {
        id: Some("proj_live".into()),
        name: Some("Checkout LIVE".into()),
    });
    let mut svc = key("prod-api", "svc1");
    svc.owner.kind = OwnerType::ServiceAccount;
    let r = run(&inv(vec![
        key("prod-api", "p1A1"),
        key("product-search", "p2A2"),
        key("reproduce", "p3A3"),
        in_prod_project,
        svc,
    ]));
    assert_eq!(
        fires_on(&r, "user-key-in-production"),
        ["prod-api", "worker"]
    );
    assert_eq!(
        messages(&r, "user-key-in-production"),
        [
            "\"prod-api\" (sk-proj-...p1A1) is owned by user Ada Lovelace and its name \
             \"prod-api\" says production (\"prod\")",
            "\"worker\" (sk-proj-...w0rk) is owned by user Ada Lovelace and its project Checkout \
             LIVE says production (\"live\")"
        ]
    );
}

#[test]
fn user_key_in_production_uses_the_policys_patterns() {
    let p = Policy {
        production_patterns: vec!["customer facing".into()],
        ..Policy::default()
    };
    let r = with(
        &inv(vec![
            key("customer-facing bot", "cf01"),
            key("prod-api", "p1A1"),
        ]),
        &p,
    );
    assert_eq!(
        fires_on(&r, "user-key-in-production"),
        ["customer-facing bot"]
    );
}

// ---------------------------------------------------------------- no-spend-limit

fn project(id: &str, name: &str, limits_known: bool, hard: Option<f64>) -> Project {
    Project {
        id: Some(id.into()),
        name: Some(name.into()),
        limits_known,
        hard_limit_usd: hard,
        soft_limit_usd: Some(500.0),
        ..Project::default()
    }
}

#[test]
fn no_spend_limit_fires_on_projects_with_usage_and_no_hard_limit() {
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
        // Usage but limits never read: not judged.
        project("proj_unread", "Unread", false, None),
        // Limits read, no hard limit, but no usage.
        project("proj_idle", "Idle", true, None),
    ];
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
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].target.kind, "project");
    assert_eq!(f[0].target.project.as_deref(), Some("Backend"));
    assert_eq!(
        f[0].message,
        "project Backend has usage ($1,234.50, 1 key) and no hard monthly limit (soft limit $500.00)"
    );
    // The project row of the groups counts it.
    let backend = r
        .groups
        .by_project
        .iter()
        .find(|g| g.label == "Backend")
        .unwrap();
    assert_eq!(backend.findings.medium, 1);
}

#[test]
fn no_spend_limit_counts_project_level_usage_rows() {
    let mut i = inv(vec![]);
    i.projects = vec![project("proj_batch", "Batch", true, None)];
    i.usage.push(UsageRow {
        project: Some(ProjectRef {
            id: None,
            name: Some("batch".into()),
        }),
        usage: Usage {
            requests: Some(40),
            ..Usage::default()
        },
        source: "usage.csv".into(),
        ..UsageRow::default()
    });
    let r = run(&i);
    assert_eq!(
        messages(&r, "no-spend-limit"),
        ["project Batch has usage (40 requests, 0 keys) and no hard monthly limit (soft limit $500.00)"]
    );
}

#[test]
fn no_spend_limit_does_not_run_when_no_limits_were_read() {
    let mut i = inv(vec![key("deploy", "a1B2")]);
    i.projects = vec![project("proj_backend", "Backend", false, None)];
    let x = rule_run(&run(&i), "no-spend-limit").clone();
    assert!(!x.ran);
    assert_eq!(
        x.reason.as_deref(),
        Some(
            "did not run, because no project's limits were read, so it is not known which \
             projects have a hard limit; add the projects' Limits pages"
        )
    );
}

// ---------------------------------------------------------------- usage-spike

fn series(costs: &[f64]) -> Vec<DailyUsage> {
    let n = costs.len() as i64;
    costs
        .iter()
        .enumerate()
        .map(|(i, c)| DailyUsage {
            date: ago(n - i as i64),
            usage: Usage {
                cost_usd: Some(*c),
                ..Usage::default()
            },
        })
        .collect()
}

#[test]
fn usage_spike_at_three_times_the_median_not_below() {
    let mut at = key("at-3x", "sp30");
    at.daily = series(&[5.0, 4.0, 6.0, 5.0, 5.0, 5.0, 15.0]);
    let mut below = key("below-3x", "sp29");
    below.daily = series(&[5.0, 4.0, 6.0, 5.0, 5.0, 5.0, 14.99]);
    let r = run(&inv(vec![at, below]));
    assert_eq!(fires_on(&r, "usage-spike"), ["at-3x"]);
    assert_eq!(
        messages(&r, "usage-spike"),
        [format!(
            "\"at-3x\" (sk-proj-...sp30) cost $15.00 on {}, 3.0x the median $5.00 of the 6 days \
             before",
            ago(1)
        )]
    );
}

#[test]
fn usage_spike_needs_the_minimum_amount_and_uses_only_the_window() {
    let mut small = key("small", "sm01");
    small.daily = series(&[1.0, 1.0, 1.0, 1.0, 9.99]);
    // Twenty expensive days long ago, then fourteen cheap ones: only the last 14 count.
    let mut windowed = key("windowed", "wi01");
    let mut costs = vec![100.0; 20];
    costs.extend([2.0; 14]);
    costs.push(10.0);
    windowed.daily = series(&costs);
    let r = run(&inv(vec![small, windowed]));
    assert_eq!(fires_on(&r, "usage-spike"), ["windowed"]);
    assert!(messages(&r, "usage-spike")[0].contains("5.0x the median $2.00 of the 14 days before"));
}

#[test]
fn usage_spike_does_not_run_without_a_daily_series() {
    let r = run(&inv(vec![key("deploy", "a1B2")]));
    assert_eq!(
        rule_run(&r, "usage-spike").reason.as_deref(),
        Some("did not run, because no daily cost series was read (add a daily usage or costs export)")
    );
}

// ---------------------------------------------------------------- default-project

#[test]
fn default_project_by_name_or_id() {
    let in_project = |name: &str, id: &str, pname: Option<&str>| Key {
        project: Some(ProjectRef {
            id: Some(id.into()),
            name: pname.map(String::from),
        }),
        ..key(name, &format!("{:0>4}", &id[id.len() - 4..]))
    };
    let r = run(&inv(vec![
        in_project("a", "proj_x1", Some("Default Project")),
        in_project("b", "proj_default", None),
        in_project("c", "proj_x2", Some("Default projects archive")),
    ]));
    assert_eq!(fires_on(&r, "default-project"), ["a", "b"]);
    assert_eq!(
        messages(&r, "default-project")[0],
        "\"a\" (sk-proj-...j_x1) is in the Default Project (proj_x1): no isolation between \
         development and production"
    );
}

#[test]
fn default_project_does_not_run_when_no_project_is_known() {
    let mut k = key("a", "a1B2");
    k.project = None;
    let r = run(&inv(vec![k]));
    assert_eq!(
        rule_run(&r, "default-project").reason.as_deref(),
        Some("did not run, because no key's project is known")
    );
}

// ---------------------------------------------------------------- undescriptive-name

#[test]
fn undescriptive_name_fires_on_empty_and_default_names_in_any_case() {
    let r = run(&inv(vec![
        key("  SECRET key ", "d001"),
        key("", "d002"),
        key("my test key", "d003"),
        key("billing-worker", "d004"),
        key("test-runner", "d005"),
    ]));
    assert_eq!(
        messages(&r, "undescriptive-name"),
        [
            "\"my test key\" (sk-proj-...d003) has a default name that says nothing of its use",
            "\"SECRET key\" (sk-proj-...d001) has a default name that says nothing of its use",
            // An unnamed key sorts by its redacted value.
            "sk-proj-...d002 has no name",
        ]
    );
}

#[test]
fn undescriptive_name_uses_the_policys_list() {
    let p = Policy {
        default_names: vec!["scratch".into()],
        ..Policy::default()
    };
    let r = with(
        &inv(vec![key("Scratch", "s001"), key("Secret key", "s002")]),
        &p,
    );
    assert_eq!(fires_on(&r, "undescriptive-name"), ["Scratch"]);
}

// ---------------------------------------------------------------- duplicate-name

#[test]
fn duplicate_name_needs_two_active_keys_in_one_project() {
    let mut other_project = key("deploy", "dp03");
    other_project.project = Some(ProjectRef {
        id: Some("proj_web".into()),
        name: Some("Web".into()),
    });
    let mut idle = key("etl", "et02");
    idle.last_used = LastUsed::Date(ago(30));
    let r = run(&inv(vec![
        key("deploy", "dp01"),
        key("Deploy ", "dp02"),
        other_project,
        key("etl", "et01"),
        idle,
    ]));
    assert_eq!(fires_on(&r, "duplicate-name"), ["deploy", "Deploy "]);
    assert_eq!(
        messages(&r, "duplicate-name")[0],
        "2 active keys in project Backend are named \"deploy\""
    );
}

// ---------------------------------------------------------------- many-keys-per-owner

fn owned_keys(n: usize, owner: &str) -> Vec<Key> {
    (0..n)
        .map(|i| {
            let mut k = key(&format!("{owner}-{i}"), &format!("{owner}{i}"));
            k.owner.id = Some(format!("user-{owner}"));
            k.owner.name = Some(owner.into());
            k.owner.email = None;
            k.project = Some(ProjectRef {
                id: Some(format!("proj_{i}")),
                name: Some(format!("P{i}")),
            });
            k
        })
        .collect()
}

#[test]
fn many_keys_per_owner_above_5_active_keys_not_at_5() {
    let mut keys = owned_keys(5, "five");
    keys.extend(owned_keys(6, "six"));
    let r = run(&inv(keys));
    let f = of(&r, "many-keys-per-owner");
    assert_eq!(f.len(), 6);
    assert!(f.iter().all(|f| f.target.owner.as_deref() == Some("six")));
    assert_eq!(
        f[0].message,
        "owner six holds 6 active keys; the limit is 5"
    );
}

#[test]
fn cis_allows_one_active_key_per_owner_per_project() {
    let mut keys = owned_keys(2, "ada");
    for k in &mut keys {
        k.project = Some(ProjectRef {
            id: Some("proj_backend".into()),
            name: Some("Backend".into()),
        });
    }
    keys.extend(owned_keys(1, "bob"));
    let i = inv(keys);
    assert!(of(&run(&i), "many-keys-per-owner").is_empty());
    let r = with(&i, &Policy::preset("cis").unwrap());
    assert_eq!(
        messages(&r, "many-keys-per-owner"),
        [
            "owner ada holds 2 active keys in project Backend; the limit is 1 per project",
            "owner ada holds 2 active keys in project Backend; the limit is 1 per project"
        ]
    );
}

// ---------------------------------------------------------------- expiry rules

fn expiring(name: &str, expires: Expiry) -> Key {
    Key {
        expires,
        ..key(name, &format!("{name:0>4}"))
    }
}

#[test]
fn expiring_soon_within_14_days_not_15_and_not_when_passed() {
    let in_days = |n: i64| Expiry::Date(AS_OF.checked_add(jiff::Span::new().days(n)).unwrap());
    let r = run(&inv(vec![
        expiring("e0", in_days(0)),
        expiring("e14", in_days(14)),
        expiring("e15", in_days(15)),
        expiring("em1", in_days(-1)),
    ]));
    assert_eq!(fires_on(&r, "expiring-soon"), ["e0", "e14"]);
    assert_eq!(
        messages(&r, "expiring-soon")[1],
        "\"e14\" (sk-proj-...0e14) expires 2026-12-06, in 14 days"
    );
    assert_eq!(fires_on(&r, "expired"), ["em1"]);
    assert_eq!(
        messages(&r, "expired"),
        ["\"em1\" (sk-proj-...0em1) expired 2026-11-21, 1 day ago, and is still listed"]
    );
}

#[test]
fn expiry_rules_do_not_run_when_no_expiry_is_known() {
    let r = with(
        &inv(vec![key("a", "a1B2")]),
        &Policy::preset("strict").unwrap(),
    );
    for rule in ["expiring-soon", "expired", "no-expiry"] {
        let x = rule_run(&r, rule);
        assert!(x.enabled && !x.ran, "{rule}");
        assert_eq!(
            x.reason.as_deref(),
            Some("did not run, because no key's expiry is known (the pages and files read do not show it)")
        );
    }
}

#[test]
fn no_expiry_is_off_by_default_and_strict_turns_it_on() {
    let i = inv(vec![
        expiring("nev", Expiry::Never),
        expiring("unk", Expiry::Unknown),
    ]);
    let r = run(&i);
    let x = rule_run(&r, "no-expiry");
    assert!(!x.enabled && !x.ran);
    assert_eq!(x.reason.as_deref(), Some("disabled by the policy"));
    assert!(of(&r, "no-expiry").is_empty());
    let r = with(&i, &Policy::preset("strict").unwrap());
    assert_eq!(fires_on(&r, "no-expiry"), ["nev"]);
    assert_eq!(of(&r, "no-expiry")[0].severity, Severity::Info);
}

// ---------------------------------------------------------------- broad-permissions

#[test]
fn broad_permissions_fires_on_all_but_not_restricted_or_unknown() {
    let perm = |name: &str, p: Permissions| Key {
        permissions: p,
        ..key(name, &format!("{name:0>4}"))
    };
    let r = run(&inv(vec![
        perm("all", Permissions::All),
        perm("ro", Permissions::ReadOnly),
        perm("unk", Permissions::Unknown),
    ]));
    assert_eq!(
        messages(&r, "broad-permissions"),
        ["\"all\" (sk-proj-...0all) has all permissions"]
    );
}

#[test]
fn broad_permissions_does_not_run_when_no_permission_is_known() {
    let mut k = key("a", "a1B2");
    k.permissions = Permissions::Unknown;
    let r = run(&inv(vec![k]));
    assert_eq!(
        rule_run(&r, "broad-permissions").reason.as_deref(),
        Some("did not run, because the permissions of none of the 1 key are known")
    );
}

// ---------------------------------------------------------------- deleted keys

#[test]
fn deleted_keys_are_reported_but_fire_no_rules() {
    let mut k = key("Secret key", "dl01");
    k.deleted = true;
    k.last_used = LastUsed::Date(ago(200));
    k.kind = KeyKind::User;
    let r = run(&inv(vec![k]));
    assert_eq!(r.keys.len(), 1);
    assert!(r.keys[0].rules.is_empty());
    assert_eq!(r.keys[0].risk, None);
    assert!(r.findings.is_empty());
}

// ---------------------------------------------------------------- policy effects

#[test]
fn severity_override_and_disabled_rule() {
    let mut p = Policy::default();
    p.rules.get_mut("unused").unwrap().severity = Severity::High;
    p.rules.get_mut("never-used").unwrap().enabled = false;
    let r = with(&inv(vec![used("old", 100), never("nv", 40)]), &p);
    assert_eq!(of(&r, "unused")[0].severity, Severity::High);
    assert_eq!(rule_run(&r, "unused").severity, Severity::High);
    assert!(of(&r, "never-used").is_empty());
    let x = rule_run(&r, "never-used");
    assert!(!x.enabled && !x.ran);
    assert_eq!(r.keys[0].risk, Some(Severity::High));
}

#[test]
fn cis_flags_unused_at_45_days_where_default_waits_for_90() {
    let i = inv(vec![used("u45", 45), used("u44", 44)]);
    assert!(of(&run(&i), "unused").is_empty());
    let r = with(&i, &Policy::preset("cis").unwrap());
    assert_eq!(fires_on(&r, "unused"), ["u45"]);
    assert_eq!(r.policy, "cis");
}

#[test]
fn strict_lowers_never_used_rotation_and_admin_idle() {
    let rot = Key {
        created: Some(ago(60)),
        ..key("rot", "rt60")
    };
    let i = inv(vec![
        never("nv7", 7),
        rot,
        admin("ad14", LastUsed::Date(ago(14))),
    ]);
    let d = run(&i);
    assert!(of(&d, "never-used").is_empty());
    assert!(of(&d, "rotation-overdue").is_empty());
    assert!(of(&d, "admin-key-idle").is_empty());
    let s = with(&i, &Policy::preset("strict").unwrap());
    assert_eq!(fires_on(&s, "never-used"), ["nv7"]);
    assert_eq!(fires_on(&s, "rotation-overdue"), ["rot"]);
    assert_eq!(fires_on(&s, "admin-key-idle"), ["ad14"]);
}

#[test]
fn every_age_is_counted_from_as_of_not_the_clock() {
    let i = inv(vec![used("u", 90)]);
    let earlier = analyze(&i, &Policy::default(), ago(1));
    assert!(of(&earlier, "unused").is_empty());
    assert_eq!(earlier.keys[0].idle_days, Some(89));
    assert_eq!(earlier.as_of, Some(ago(1)));
}

// ---------------------------------------------------------------- mutes

fn mute(key: &str, rule: Option<&str>, until: Option<Date>) -> Mute {
    Mute {
        key: key.into(),
        rule: rule.map(String::from),
        reason: "Batch job, runs yearly".into(),
        until,
    }
}

#[test]
fn a_muted_finding_stays_but_counts_nowhere() {
    let mut p = Policy::default();
    p.mutes.push(mute("key_u100", Some("unused"), None));
    let r = with(&inv(vec![used("batch", 100), used("old", 120)]), &p);
    let f = of(&r, "unused");
    assert_eq!(f.len(), 2);
    let muted: Vec<_> = f.iter().filter(|f| f.muted.is_some()).collect();
    assert_eq!(muted.len(), 1);
    assert_eq!(muted[0].target.key_name.as_deref(), Some("batch"));
    assert_eq!(
        muted[0].muted.as_ref().unwrap().reason,
        "Batch job, runs yearly"
    );
    assert_eq!(r.keys[0].rules, ["unused"], "still listed on the key");
    assert_eq!(r.keys[0].risk, None, "but not in its risk");
    assert_eq!(r.keys[1].risk, Some(Severity::Medium));
    assert_eq!(r.summary.findings.medium, 1);
    assert_eq!(r.summary.muted, 1);
    assert_eq!(keyroster::analyze::worst(&r), Some(Severity::Medium));
    let by_owner = &r.groups.by_owner[0];
    assert_eq!(by_owner.findings.medium, 1);
}

#[test]
fn a_mute_without_rule_mutes_every_rule_on_the_key_matched_by_redaction_or_name() {
    let mut k = used("Secret key", 100);
    k.redacted = Some("sk-proj-...Zq9w".into());
    let mut p = Policy::default();
    p.mutes.push(mute("sk-proj-****Zq9w", None, None));
    let r = with(&inv(vec![k.clone()]), &p);
    assert_eq!(r.keys[0].rules, ["unused", "undescriptive-name"]);
    assert!(r.findings.iter().all(|f| f.muted.is_some()));
    assert_eq!(r.summary.muted, 2);
    let mut p = Policy::default();
    p.mutes.push(mute("secret KEY", None, None));
    assert_eq!(with(&inv(vec![k]), &p).summary.muted, 2);
}

#[test]
fn a_mute_holds_through_its_until_day_then_expires_and_says_so() {
    let i = inv(vec![used("batch", 100)]);
    let mut p = Policy::default();
    p.mutes.push(mute("key_u100", Some("unused"), Some(AS_OF)));
    let r = with(&i, &p);
    assert_eq!(
        of(&r, "unused")[0].muted.as_ref().unwrap().until,
        Some(AS_OF)
    );
    p.mutes[0].until = Some(ago(1));
    let r = with(&i, &p);
    let f = of(&r, "unused")[0];
    assert!(f.muted.is_none());
    assert_eq!(
        f.message,
        format!(
            "\"batch\" (sk-proj-...u100) was last used {}, 100 days ago; the limit is 90 days (a \
             mute expired 2026-11-21: \"Batch job, runs yearly\")",
            ago(100)
        )
    );
    assert_eq!(r.summary.muted, 0);
    assert_eq!(r.summary.findings.medium, 1);
}

#[test]
fn a_project_finding_is_muted_by_the_projects_name() {
    let mut k = key("deploy", "a1B2");
    k.usage = Some(Usage {
        cost_usd: Some(3.0),
        ..Usage::default()
    });
    let mut i = inv(vec![k]);
    i.projects = vec![project("proj_backend", "Backend", true, None)];
    let mut p = Policy::default();
    p.mutes
        .push(mute("proj_backend", Some("no-spend-limit"), None));
    let r = with(&i, &p);
    assert!(of(&r, "no-spend-limit")[0].muted.is_some());
}

#[test]
fn policy_fixtures_in_toml_and_json_are_the_same_policy() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/policy/");
    let read = |f: &str| std::fs::read_to_string(format!("{dir}{f}")).unwrap();
    let t = Policy::load("team.toml", &read("team.toml")).unwrap();
    let j = Policy::load("team.json", &read("team.json")).unwrap();
    assert_eq!(t, j);
    assert_eq!(t.name, "custom");
    assert_eq!(t.thresholds.unused_days, 45, "from the cis preset");
    assert_eq!(t.thresholds.rotation_days, 180);
    assert_eq!(t.rule("legacy-user-key").severity, Severity::Critical);
    assert_eq!(t.mutes.len(), 2);
    assert_eq!(
        Policy::load("misspelt-rule.toml", &read("misspelt-rule.toml"))
            .unwrap_err()
            .to_string(),
        "misspelt-rule.toml: rules.unusd: unknown rule id \"unusd\" (did you mean unused?)"
    );
    assert_eq!(
        Policy::load("negative-threshold.json", &read("negative-threshold.json"))
            .unwrap_err()
            .to_string(),
        "negative-threshold.json: thresholds.never_used_days: must be 0 or more, not -1"
    );
}

// ---------------------------------------------------------------- report assembly

#[test]
fn findings_are_sorted_by_severity_then_key_name() {
    let mut legacy = used("zeta", 100);
    legacy.kind = KeyKind::User;
    let r = run(&inv(vec![used("beta", 120), legacy, used("alpha", 95)]));
    let order: Vec<(String, String)> = r
        .findings
        .iter()
        .map(|f| {
            (
                f.rule.clone(),
                f.target.key_name.clone().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        order,
        [
            ("legacy-user-key".to_string(), "zeta".to_string()),
            ("unused".into(), "alpha".into()),
            ("unused".into(), "beta".into()),
            ("unused".into(), "zeta".into()),
        ]
    );
    assert_eq!(r.keys[1].rules, ["legacy-user-key", "unused"]);
    assert_eq!(r.rules.len(), 18);
    assert_eq!(rule_run(&r, "unused").findings, 3);
}

#[test]
fn groups_count_keys_activity_cost_and_findings() {
    let mut a1 = used("a-old", 100);
    a1.usage = Some(Usage {
        cost_usd: Some(2.5),
        ..Usage::default()
    });
    let mut a2 = used("a-new", 2);
    a2.usage = Some(Usage {
        cost_usd: Some(1.0),
        ..Usage::default()
    });
    let mut g = key("g-never", "g001");
    g.owner = keyroster::model::Owner {
        kind: OwnerType::User,
        name: Some("Grace Hopper".into()),
        email: Some("grace@example.com".into()),
        id: Some("user-grace".into()),
    };
    g.last_used = LastUsed::Never;
    g.created = Some(ago(5));
    g.project = Some(ProjectRef {
        id: Some("proj_web".into()),
        name: Some("Web".into()),
    });
    let mut nobody = key("orphan", "o001");
    nobody.owner = Default::default();
    nobody.project = None;
    nobody.last_used = LastUsed::Unknown;
    let r = run(&inv(vec![a1, a2, g, nobody]));
    let gr = &r.groups;

    let ada = &gr.by_owner[0];
    assert_eq!(ada.label, "Ada Lovelace");
    assert_eq!(ada.detail.as_deref(), Some("ada@example.com"));
    assert_eq!(ada.owner_type.as_deref(), Some("user"));
    assert_eq!((ada.keys, ada.active_keys), (2, 1));
    assert_eq!(ada.last_used, LastUsed::Date(ago(2)));
    assert_eq!(ada.cost_usd, Some(3.5));
    assert_eq!(ada.findings.medium, 1);
    assert_eq!(ada.key_indexes, [0, 1]);
    let labels: Vec<_> = gr.by_owner.iter().map(|g| g.label.as_str()).collect();
    assert_eq!(labels, ["Ada Lovelace", "(unknown owner)", "Grace Hopper"]);
    let grace = &gr.by_owner[2];
    assert_eq!(grace.last_used, LastUsed::Never);
    assert_eq!(grace.cost_usd, None);
    assert_eq!(gr.by_owner[1].last_used, LastUsed::Unknown);

    let projects: Vec<_> = gr
        .by_project
        .iter()
        .map(|g| (g.label.as_str(), g.keys))
        .collect();
    assert_eq!(projects, [("Backend", 2), ("(no project)", 1), ("Web", 1)]);
    assert_eq!(gr.by_project[0].detail.as_deref(), Some("proj_backend"));
    assert_eq!(gr.by_owner_type[0].label, "user");
    assert_eq!(gr.by_owner_type[0].keys, 3);
    assert_eq!(gr.by_permission[0].label, "restricted");

    let risk: Vec<_> = gr
        .by_risk
        .iter()
        .map(|g| (g.label.as_str(), g.keys))
        .collect();
    assert_eq!(risk, [("medium", 1), ("none", 3)]);

    assert_eq!(gr.matrix.owners, labels);
    assert_eq!(gr.matrix.projects, ["Backend", "(no project)", "Web"]);
    assert_eq!(
        gr.matrix.cells,
        [vec![2, 0, 0], vec![0, 1, 0], vec![0, 0, 1]]
    );
}

#[test]
fn summary_counts_owners_projects_cost_and_sources() {
    let mut k = key("deploy", "a1B2");
    k.usage = Some(Usage {
        cost_usd: Some(4.25),
        ..Usage::default()
    });
    let mut only_id = key("etl", "c3D4");
    only_id.project = Some(ProjectRef {
        id: Some("proj_backend".into()),
        name: None,
    });
    let mut i = inv(vec![k, only_id]);
    i.projects = vec![
        project("proj_backend", "Backend", false, None),
        project("proj_web", "Web", false, None),
    ];
    i.members = four_members();
    i.sources = vec![
        keyroster::model::Source {
            name: "keys.html".into(),
            kind: "html:project-api-keys".into(),
            records: 2,
            ..Default::default()
        },
        keyroster::model::Source {
            name: "broken.csv".into(),
            kind: "unknown".into(),
            error: Some("broken.csv: line 3: unterminated quote".into()),
            ..Default::default()
        },
    ];
    let r = run(&i);
    let s = &r.summary;
    assert_eq!((s.keys, s.active_keys, s.owners, s.projects), (2, 2, 1, 2));
    assert_eq!(s.members, 6);
    assert_eq!(s.cost_usd, Some(4.25));
    assert_eq!((s.sources_read, s.sources_failed), (1, 1));
    assert_eq!(r.policy, "default");
    assert_eq!(r.members.len(), 6);
    assert_eq!(r.projects.len(), 2);
}

#[test]
fn the_report_json_keeps_never_and_unknown_apart() {
    let mut never = key("n", "n001");
    never.last_used = LastUsed::Never;
    let mut unknown = key("u", "u001");
    unknown.last_used = LastUsed::Unknown;
    let r = run(&inv(vec![never, unknown]));
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["keys"][0]["last_used"], "never");
    assert!(v["keys"][1]["last_used"].is_null());
    assert_eq!(v["keys"][1]["risk"], "none");
    assert_eq!(r.keys[1].idle_days, None);
}
