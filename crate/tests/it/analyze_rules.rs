//! Every rule at its threshold boundary, the "did not run" cases, mutes with and without expiry,
//! severity overrides, disabled rules and presets. Inventories are built in code so each test
//! shows exactly the fact a rule judges.

use crate::support;

use jiff::civil::{date, Date};
use keyroster::analyze;
use keyroster::analyze::Policy;
use keyroster::model::{
    DailyUsage, Expiry, ExposedSecret, Inventory, Key, KeyKind, LastUsed, Member, Owner,
    OwnerAccess, OwnerType, Permissions, Project, ProjectRef, Usage, UsageRow,
};
use keyroster::report::{Report, Severity};
use support::AS_OF;

fn ago(days: i64) -> Date {
    AS_OF.checked_sub(jiff::Span::new().days(days)).unwrap()
}

/// A plain, healthy project key: restricted, used yesterday, created 10 days ago.
fn key(name: &str) -> Key {
    Key {
        name: name.into(),
        redacted: Some(format!("sk-proj-...{:04}", name.len())),
        kind: KeyKind::Project,
        project: Some(ProjectRef {
            id: Some("proj_app".into()),
            name: Some("App".into()),
        }),
        owner: Owner {
            kind: OwnerType::User,
            name: Some("Ada".into()),
            email: Some("ada@acme.test".into()),
            id: None,
        },
        permissions: Permissions::Restricted,
        created: Some(ago(10)),
        last_used: LastUsed::Date(ago(1)),
        sources: vec!["page".into()],
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

fn fires(report: &Report, rule: &str) -> bool {
    report.findings.iter().any(|f| f.rule == rule)
}

fn fires_on(k: Key, rule: &str) -> bool {
    fires(&run(&inv(vec![k])), rule)
}

fn message(report: &Report, rule: &str) -> String {
    report
        .findings
        .iter()
        .find(|f| f.rule == rule)
        .map(|f| f.message.clone())
        .unwrap_or_default()
}

fn not_run_reason(report: &Report, rule: &str) -> Option<String> {
    report
        .rules
        .iter()
        .find(|r| r.rule == rule)
        .and_then(|r| (!r.ran).then(|| r.reason.clone().unwrap_or_default()))
}

#[test]
fn healthy_key_fires_nothing() {
    let r = run(&inv(vec![key("billing-api")]));
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    assert_eq!(r.keys[0].risk, None);
    assert!(r.keys[0].active);
}

#[test]
fn unused_at_90_days_not_89() {
    let at = |d| Key {
        last_used: LastUsed::Date(ago(d)),
        ..key("k")
    };
    assert!(!fires_on(at(89), "unused"));
    assert!(fires_on(at(90), "unused"));
    let r = run(&inv(vec![Key {
        last_used: LastUsed::Date(date(2025, 5, 30)),
        ..key("k")
    }]));
    assert_eq!(
        message(&r, "unused"),
        "last used 2025-05-30, 541 days ago (threshold 90 days)"
    );
}

#[test]
fn unknown_last_use_is_not_never_used_nor_unused() {
    let k = Key {
        last_used: LastUsed::Unknown,
        created: Some(ago(400)),
        ..key("k")
    };
    let r = run(&inv(vec![k]));
    assert!(!fires(&r, "unused"));
    assert!(!fires(&r, "never-used"));
    assert_eq!(
        not_run_reason(&r, "unused").as_deref(),
        Some("did not run, because no input says when any key was last used")
    );
}

#[test]
fn never_used_at_14_days_not_13() {
    let at = |d| Key {
        last_used: LastUsed::Never,
        created: Some(ago(d)),
        ..key("k")
    };
    assert!(!fires_on(at(13), "never-used"));
    assert!(fires_on(at(14), "never-used"));
    assert!(
        !fires_on(
            Key {
                created: None,
                ..at(100)
            },
            "never-used"
        ),
        "no creation date, no guess"
    );
}

#[test]
fn rotation_overdue_at_90_days_and_only_while_active() {
    let at = |d| Key {
        created: Some(ago(d)),
        ..key("k")
    };
    assert!(!fires_on(at(89), "rotation-overdue"));
    assert!(fires_on(at(90), "rotation-overdue"));
    let idle = Key {
        last_used: LastUsed::Date(ago(30)),
        ..at(200)
    };
    assert!(
        !fires_on(idle, "rotation-overdue"),
        "used 30 days ago is not active"
    );
    let active = Key {
        last_used: LastUsed::Date(ago(29)),
        ..at(200)
    };
    assert!(fires_on(active, "rotation-overdue"));
}

#[test]
fn admin_key_idle_at_30_days_or_never() {
    let admin = |l| Key {
        kind: KeyKind::Admin,
        last_used: l,
        ..key("admin")
    };
    assert!(!fires_on(admin(LastUsed::Date(ago(29))), "admin-key-idle"));
    assert!(fires_on(admin(LastUsed::Date(ago(30))), "admin-key-idle"));
    assert!(fires_on(admin(LastUsed::Never), "admin-key-idle"));
    assert!(!fires_on(admin(LastUsed::Unknown), "admin-key-idle"));
    assert!(
        !fires_on(
            Key {
                last_used: LastUsed::Never,
                ..key("k")
            },
            "admin-key-idle"
        ),
        "project keys are not admin keys"
    );
}

#[test]
fn legacy_user_key_by_kind() {
    assert!(fires_on(
        Key {
            kind: KeyKind::User,
            ..key("laptop")
        },
        "legacy-user-key"
    ));
    assert!(!fires_on(key("laptop"), "legacy-user-key"));
}

#[test]
fn owner_departed_by_access_or_membership_and_did_not_run_without_either() {
    let r = run(&inv(vec![key("k")]));
    assert_eq!(
        not_run_reason(&r, "owner-departed").as_deref(),
        Some("did not run, because no member list was read and the keys do not say whether their owners still have access; add the members page or users.json")
    );
    assert!(fires_on(
        Key {
            owner_access: Some(OwnerAccess::Inactive),
            ..key("k")
        },
        "owner-departed"
    ));
    assert!(!fires_on(
        Key {
            owner_access: Some(OwnerAccess::Active),
            ..key("k")
        },
        "owner-departed"
    ));

    let member = |email: &str| Member {
        kind: OwnerType::User,
        email: Some(email.into()),
        ..Member::default()
    };
    let mut i = inv(vec![Key {
        owner: Owner {
            kind: OwnerType::User,
            email: Some("frank.li@acme.test".into()),
            ..Owner::default()
        },
        ..key("k")
    }]);
    i.members = vec![
        member("ada@acme.test"),
        member("ben@acme.test"),
        member("chen@acme.test"),
        member("dana@acme.test"),
    ];
    i.members_known = true;
    let r = run(&i);
    assert!(message(&r, "owner-departed")
        .starts_with("owner frank.li@acme.test is not among the 4 current members"));
    // Case-insensitive email match: still a member.
    i.members.push(member("Frank.Li@ACME.test"));
    assert!(!fires(&run(&i), "owner-departed"));
    // A removed member is not a current one.
    if let Some(m) = i.members.last_mut() {
        m.status = Some("removed".into());
    }
    assert!(fires(&run(&i), "owner-departed"));
}

#[test]
fn owner_departed_does_not_cry_wolf_when_the_member_list_cannot_speak_of_the_owner() {
    // The keys page gives the owner's name; the member list (a CSV of emails) has no names.
    let by_name = |name: &str| Key {
        owner: Owner {
            kind: OwnerType::User,
            name: Some(name.into()),
            ..Owner::default()
        },
        ..key(name)
    };
    let emails_only = |email: &str| Member {
        kind: OwnerType::User,
        email: Some(email.into()),
        ..Member::default()
    };
    let mut i = inv(vec![by_name("Grace Hopper")]);
    i.members = vec![emails_only("ada@acme.test"), emails_only("ben@acme.test")];
    i.members_known = true;
    let r = run(&i);
    assert!(
        !fires(&r, "owner-departed"),
        "owner unknown is not departed"
    );
    assert_eq!(
        not_run_reason(&r, "owner-departed").as_deref(),
        Some("did not run, because the owners of 1 key share no id, email or name with the member list, so whether they left is unknown")
    );

    // One owner the list can judge (by email: gone), one it cannot: a finding and a note.
    i.keys.push(Key {
        owner: Owner {
            kind: OwnerType::User,
            email: Some("frank@acme.test".into()),
            ..Owner::default()
        },
        ..key("frank's key")
    });
    let r = run(&i);
    let departed: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.rule == "owner-departed")
        .map(|f| f.target.key_name.clone().unwrap_or_default())
        .collect();
    assert_eq!(departed, vec!["frank's key".to_string()]);
    let run = r.rules.iter().find(|x| x.rule == "owner-departed").unwrap();
    assert!(run.ran);
    assert_eq!(
        run.note.as_deref(),
        Some("owner unknown: the owners of 1 key share no id, email or name with the member list, so whether they left is unknown")
    );
}

#[test]
fn owner_departed_matches_an_owner_on_any_field_the_list_shares() {
    // The Admin API gives the owner's id and name; the members page has names and emails but
    // no ids: the name decides, accents and case folded as ingest folds them.
    let mut i = inv(vec![Key {
        owner: Owner {
            kind: OwnerType::User,
            id: Some("user-abc".into()),
            name: Some("José García".into()),
            ..Owner::default()
        },
        ..key("k")
    }]);
    i.members = vec![Member {
        kind: OwnerType::User,
        name: Some("jose garcia".into()),
        email: Some("jg@acme.test".into()),
        ..Member::default()
    }];
    i.members_known = true;
    let r = run(&i);
    assert!(!fires(&r, "owner-departed"));
    assert!(r.rules.iter().all(|x| x.note.is_none()));
    // When the list does carry ids and the owner's is not among its current members, and no
    // other field matches, the owner left.
    i.members[0].id = Some("user-xyz".into());
    i.members[0].name = Some("Someone Else".into());
    assert!(fires(&run(&i), "owner-departed"));
}

#[test]
fn service_account_keys_never_depart_with_a_person() {
    let sa = Key {
        owner: Owner {
            kind: OwnerType::ServiceAccount,
            name: Some("bot".into()),
            ..Owner::default()
        },
        ..key("k")
    };
    let mut i = inv(vec![sa]);
    i.members_known = true;
    assert!(!fires(&run(&i), "owner-departed"));
}

#[test]
fn user_key_in_production_by_whole_word_in_name_or_project() {
    assert!(fires_on(key("payments-prod"), "user-key-in-production"));
    assert!(fires_on(key("Mobile LIVE"), "user-key-in-production"));
    assert!(
        !fires_on(key("product-search"), "user-key-in-production"),
        "prod inside a word is not prod"
    );
    let in_prod_project = Key {
        project: Some(ProjectRef {
            id: None,
            name: Some("Production".into()),
        }),
        ..key("api")
    };
    assert!(fires_on(in_prod_project, "user-key-in-production"));
    let sa = Key {
        owner: Owner {
            kind: OwnerType::ServiceAccount,
            ..Owner::default()
        },
        ..key("payments-prod")
    };
    assert!(!fires_on(sa, "user-key-in-production"));
}

fn project(name: &str, limits_known: bool, hard: Option<f64>) -> Project {
    Project {
        id: Some(format!("proj_{name}")),
        name: Some(name.into()),
        limits_known,
        hard_limit_usd: hard,
        ..Project::default()
    }
}

fn cost_row(project: &str, cost: f64) -> UsageRow {
    UsageRow {
        date: Some(ago(1)),
        project: Some(ProjectRef {
            id: Some(format!("proj_{project}")),
            name: None,
        }),
        usage: Usage {
            cost_usd: Some(cost),
            ..Usage::default()
        },
        source: "costs.json".into(),
        ..UsageRow::default()
    }
}

#[test]
fn no_spend_limit_needs_known_limits_and_usage() {
    let mut i = inv(vec![key("k")]);
    i.projects = vec![project("App", false, None)];
    i.usage = vec![cost_row("App", 12.5)];
    assert_eq!(
        not_run_reason(&run(&i), "no-spend-limit").as_deref(),
        Some("did not run, because no limits page or file was read, so hard limits are unknown")
    );
    i.projects = vec![project("App", true, None)];
    let r = run(&i);
    assert_eq!(
        message(&r, "no-spend-limit"),
        "project App has $12.50 of usage and no hard monthly limit"
    );
    i.projects = vec![project("App", true, Some(100.0))];
    assert!(!fires(&run(&i), "no-spend-limit"));
    i.projects = vec![project("App", true, None)];
    i.usage.clear();
    assert!(!fires(&run(&i), "no-spend-limit"), "no usage, no finding");
}

fn daily(costs: &[f64]) -> Vec<DailyUsage> {
    let n = costs.len() as i64;
    costs
        .iter()
        .enumerate()
        .map(|(i, c)| DailyUsage {
            date: ago(n - 1 - i as i64),
            usage: Usage {
                cost_usd: Some(*c),
                ..Usage::default()
            },
        })
        .collect()
}

#[test]
fn usage_spike_at_three_times_the_median_and_the_minimum() {
    let with = |costs: &[f64]| Key {
        daily: daily(costs),
        ..key("k")
    };
    let base = [10.0; 14];
    let mut at = base.to_vec();
    at.push(30.0);
    assert!(fires_on(with(&at), "usage-spike"));
    let mut below = base.to_vec();
    below.push(29.99);
    assert!(!fires_on(with(&below), "usage-spike"));
    let mut small = vec![1.0; 14];
    small.push(9.0);
    assert!(
        !fires_on(with(&small), "usage-spike"),
        "under the $10 minimum"
    );
    let r = run(&inv(vec![key("k")]));
    assert_eq!(
        not_run_reason(&r, "usage-spike").as_deref(),
        Some("did not run, because no daily usage or cost series was read (add a usage or cost export by day)")
    );
}

#[test]
fn default_project_and_undescriptive_names() {
    let default = Key {
        project: Some(ProjectRef {
            id: None,
            name: Some("Default project".into()),
        }),
        ..key("svc")
    };
    assert!(fires_on(default, "default-project"));
    assert!(!fires_on(key("svc"), "default-project"));
    for name in [
        "Secret key",
        "My Test Key",
        "test",
        " KEY ",
        "new key",
        "untitled",
        "",
    ] {
        assert!(fires_on(key(name), "undescriptive-name"), "{name:?}");
    }
    assert!(!fires_on(key("billing-api"), "undescriptive-name"));
}

#[test]
fn duplicate_names_among_active_keys_in_one_project() {
    let r = run(&inv(vec![key("worker"), key("Worker")]));
    assert_eq!(
        r.findings
            .iter()
            .filter(|f| f.rule == "duplicate-name")
            .count(),
        2
    );
    let idle = Key {
        last_used: LastUsed::Date(ago(60)),
        ..key("worker")
    };
    assert!(!fires(
        &run(&inv(vec![key("worker"), idle])),
        "duplicate-name"
    ));
    let other = Key {
        project: Some(ProjectRef {
            id: None,
            name: Some("Other".into()),
        }),
        ..key("worker")
    };
    assert!(!fires(
        &run(&inv(vec![key("worker"), other])),
        "duplicate-name"
    ));
}

#[test]
fn many_keys_per_owner_above_five_active() {
    let keys = |n: usize| (0..n).map(|i| key(&format!("svc-{i}"))).collect::<Vec<_>>();
    assert!(!fires(&run(&inv(keys(5))), "many-keys-per-owner"));
    let r = run(&inv(keys(6)));
    assert_eq!(
        message(&r, "many-keys-per-owner"),
        "Ada holds 6 active keys (more than 5)"
    );
}

#[test]
fn cis_allows_one_active_key_per_owner_per_project() {
    let i = inv(vec![key("svc-a"), key("svc-b")]);
    assert!(!fires(&run(&i), "many-keys-per-owner"));
    let cis = analyze(&i, &Policy::preset("cis").unwrap(), AS_OF);
    assert_eq!(
        message(&cis, "many-keys-per-owner"),
        "Ada holds 2 active keys in project App (at most 1)"
    );
    let old = inv(vec![Key {
        last_used: LastUsed::Date(ago(45)),
        ..key("k")
    }]);
    assert!(!fires(&run(&old), "unused"));
    assert!(fires(
        &analyze(&old, &Policy::preset("cis").unwrap(), AS_OF),
        "unused"
    ));
}

#[test]
fn expiring_soon_within_14_days_and_expired_after() {
    let exp = |d: Date| Key {
        expires: Expiry::Date(d),
        ..key("k")
    };
    let in_days = |n| AS_OF.checked_add(jiff::Span::new().days(n)).unwrap();
    assert!(fires_on(exp(in_days(14)), "expiring-soon"));
    assert!(!fires_on(exp(in_days(15)), "expiring-soon"));
    assert!(fires_on(exp(AS_OF), "expiring-soon"));
    assert!(!fires_on(exp(AS_OF), "expired"));
    assert!(fires_on(exp(ago(1)), "expired"));
    assert!(!fires_on(exp(ago(1)), "expiring-soon"));
}

#[test]
fn no_expiry_is_off_by_default_and_on_in_strict() {
    let never = inv(vec![Key {
        expires: Expiry::Never,
        ..key("k")
    }]);
    assert!(!fires(&run(&never), "no-expiry"));
    let strict = analyze(&never, &Policy::preset("strict").unwrap(), AS_OF);
    assert!(fires(&strict, "no-expiry"));
    let unknown = analyze(
        &inv(vec![key("k")]),
        &Policy::preset("strict").unwrap(),
        AS_OF,
    );
    assert_eq!(
        not_run_reason(&unknown, "no-expiry").as_deref(),
        Some("did not run, because no input says when the keys expire")
    );
}

#[test]
fn broad_permissions_for_all_but_not_admin_keys() {
    assert!(fires_on(
        Key {
            permissions: Permissions::All,
            ..key("k")
        },
        "broad-permissions"
    ));
    assert!(!fires_on(
        Key {
            permissions: Permissions::All,
            kind: KeyKind::Admin,
            ..key("k")
        },
        "broad-permissions"
    ));
    assert!(!fires_on(
        Key {
            permissions: Permissions::Unknown,
            ..key("k")
        },
        "broad-permissions"
    ));
}

#[test]
fn exposed_secret_is_critical_and_names_where() {
    let mut i = inv(vec![]);
    i.exposed.push(ExposedSecret {
        source: "notes.csv".into(),
        location: "line 4, column Key".into(),
        redacted: "sk-proj-...Hh31".into(),
        kind: KeyKind::Project,
    });
    let r = run(&i);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "exposed-secret")
        .unwrap();
    assert_eq!(f.severity, Severity::Critical);
    assert_eq!(f.message, "notes.csv holds a full secret key at line 4, column Key (sk-proj-...Hh31); Key Roster redacted it and kept no copy");
}

#[test]
fn deleted_keys_fire_no_rules() {
    let k = Key {
        deleted: true,
        kind: KeyKind::User,
        last_used: LastUsed::Date(ago(500)),
        ..key("gone")
    };
    let r = run(&inv(vec![k]));
    assert!(r.findings.is_empty());
    assert!(!r.keys[0].active);
}

#[test]
fn mutes_mark_findings_and_expire() {
    let i = inv(vec![Key {
        last_used: LastUsed::Date(ago(200)),
        ..key("batch-job")
    }]);
    let policy = |until: &str| {
        Policy::from_toml("p.toml", &format!("[[mute]]\nkey = \"batch-job\"\nrule = \"unused\"\nreason = \"runs twice a year\"\n{until}")).unwrap()
    };
    let r = analyze(&i, &policy("until = \"2026-12-31\""), AS_OF);
    let f = r.findings.iter().find(|f| f.rule == "unused").unwrap();
    assert_eq!(f.muted.as_ref().unwrap().reason, "runs twice a year");
    assert_eq!(r.summary.muted, 1);
    assert_eq!(r.summary.findings.medium, 0);
    assert_eq!(r.keys[0].risk, None, "muted findings do not make risk");
    assert_eq!(
        r.keys[0].rules,
        vec!["unused"],
        "but the key still lists the rule"
    );

    let r = analyze(&i, &policy("until = \"2026-11-21\""), AS_OF);
    let f = r.findings.iter().find(|f| f.rule == "unused").unwrap();
    assert!(f.muted.is_none());
    assert!(
        f.message
            .ends_with("(its mute expired 2026-11-21: runs twice a year)"),
        "{}",
        f.message
    );

    let r = analyze(&i, &policy(""), AS_OF);
    assert!(r.findings[0].muted.is_some(), "no expiry: muted for good");
}

#[test]
fn severity_overrides_and_disabled_rules() {
    let i = inv(vec![Key {
        last_used: LastUsed::Date(ago(200)),
        permissions: Permissions::All,
        ..key("k")
    }]);
    let p = Policy::from_toml(
        "p.toml",
        "[rules.unused]\nseverity = \"critical\"\n[rules.broad-permissions]\nenabled = false\n",
    )
    .unwrap();
    let r = analyze(&i, &p, AS_OF);
    assert_eq!(
        r.findings
            .iter()
            .find(|f| f.rule == "unused")
            .unwrap()
            .severity,
        Severity::Critical
    );
    assert!(!fires(&r, "broad-permissions"));
    let run = r
        .rules
        .iter()
        .find(|x| x.rule == "broad-permissions")
        .unwrap();
    assert!(!run.enabled && !run.ran);
    assert_eq!(r.keys[0].risk, Some(Severity::Critical));
}

#[test]
fn groups_count_keys_active_keys_cost_and_findings() {
    let a = Key {
        usage: Some(Usage {
            cost_usd: Some(3.5),
            ..Usage::default()
        }),
        ..key("a")
    };
    let b = Key {
        last_used: LastUsed::Date(ago(100)),
        ..key("b")
    };
    let c = Key {
        owner: Owner {
            kind: OwnerType::ServiceAccount,
            name: Some("bot".into()),
            ..Owner::default()
        },
        last_used: LastUsed::Never,
        ..key("c")
    };
    let r = run(&inv(vec![a, b, c]));
    let ada = r.groups.by_owner.iter().find(|g| g.label == "Ada").unwrap();
    assert_eq!((ada.keys, ada.active_keys), (2, 1));
    assert_eq!(ada.cost_usd, Some(3.5));
    assert_eq!(ada.last_used, LastUsed::Date(ago(1)));
    assert_eq!(ada.findings.medium, 1);
    assert_eq!(ada.detail.as_deref(), Some("ada@acme.test"));
    let bot = r.groups.by_owner.iter().find(|g| g.label == "bot").unwrap();
    assert_eq!(bot.last_used, LastUsed::Never);
    assert_eq!(r.groups.by_owner_type.len(), 2);
    assert_eq!(r.groups.matrix.owners, vec!["Ada", "bot"]);
    assert_eq!(r.groups.matrix.cells, vec![vec![2], vec![1]]);
    assert_eq!(r.groups.by_risk[0].label, "medium");
}

#[test]
fn muted_findings_never_hide_an_unmuted_one_among_the_top_findings() {
    // Five muted high findings and one unmuted low one: the popup's top five must show it.
    let mut keys: Vec<Key> = (0..5)
        .map(|n| Key {
            kind: KeyKind::User,
            ..key(&format!("laptop {n}"))
        })
        .collect();
    keys.push(Key {
        last_used: LastUsed::Never,
        created: Some(ago(30)),
        ..key("spare")
    });
    let mutes: String = (0..5)
        .map(|n| {
            format!("[[mute]]\nkey = \"laptop {n}\"\nrule = \"legacy-user-key\"\nreason = \"r\"\n")
        })
        .collect();
    let policy = Policy::from_toml("p.toml", &mutes).unwrap();
    let r = analyze(&inv(keys), &policy, AS_OF);
    assert_eq!(r.findings.iter().filter(|f| f.muted.is_some()).count(), 5);
    let top = r.top_findings(5);
    assert_eq!(top.len(), 5);
    assert_eq!(top[0].rule, "never-used", "the unmuted one comes first");
    assert!(top[1..].iter().all(|f| f.muted.is_some()));
}

#[test]
fn findings_carry_their_subject_and_the_summary_its_active_days() {
    let mut k = key("");
    k.last_used = LastUsed::Date(ago(20));
    let policy = Policy::from_toml("p.toml", "[thresholds]\nactive_days = 10\n").unwrap();
    let r = analyze(&inv(vec![k]), &policy, AS_OF);
    assert_eq!(r.summary.active_days, 10);
    assert_eq!(
        r.summary.active_keys, 0,
        "used 20 days ago is not active within 10"
    );
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "undescriptive-name")
        .unwrap();
    assert_eq!(f.subject, "(unnamed) (sk-proj-...0000)");
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["findings"][0]["subject"], f.subject.as_str());
    assert_eq!(json["summary"]["active_days"], 10);
    assert_eq!(json["groups"]["by_owner"][0]["label"], "Ada");
}
