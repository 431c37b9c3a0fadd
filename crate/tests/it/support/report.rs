//! A report built by hand for the export tests, so the golden files pin the exporters alone and
//! do not move when ingest or the rules change: a small org (Acme Robotics) with eight keys, four
//! owners and a service account, projects with and without keys or limits, a key never used and
//! one whose last use is unknown, findings of every severity (one muted), usage for some keys (a
//! refund with a negative cost), and hostile text (a formula-like key, owner and mute reason).

use jiff::civil::{date, Date};

use super::AS_OF;
use keyroster::model::{
    Expiry, Key, KeyKind, LastUsed, Owner, OwnerType, Permissions, Project, ProjectRef, Source,
    Usage,
};
use keyroster::report::{
    Finding, GroupRow, Groups, KeyReport, Muted, Report, RuleRun, Severity, SeverityCounts,
    Summary, Target,
};

pub const HOSTILE_KEY: &str = "=cmd|' /C calc'!A0";
pub const HOSTILE_OWNER: &str = "@SUM(1+1)*cmd|' /C calc'!A0";

/// The text a page or file controls in the last key and its findings: the injection tests put a
/// formula lead in front of each.
pub struct Hostile {
    pub key: String,
    pub owner: String,
    pub project: String,
    pub message: String,
    pub mute_reason: String,
    pub org: String,
    pub source: String,
}

impl Default for Hostile {
    fn default() -> Self {
        Hostile {
            key: HOSTILE_KEY.into(),
            owner: HOSTILE_OWNER.into(),
            project: "-Growth experiments".into(),
            message: "the name \"=cmd|' /C calc'!A0\" does not say what the key is for".into(),
            mute_reason: "-staging key, reviewed by @ben".into(),
            org: "Acme Robotics".into(),
            source: "=broken.csv".into(),
        }
    }
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

fn project(id: Option<&str>, name: &str) -> Option<ProjectRef> {
    Some(ProjectRef {
        id: id.map(str::to_string),
        name: s(name),
    })
}

fn user(name: &str, email: &str, id: &str) -> Owner {
    Owner {
        kind: OwnerType::User,
        name: s(name),
        email: s(email),
        id: s(id),
    }
}

fn service_account(name: &str, id: &str) -> Owner {
    Owner {
        kind: OwnerType::ServiceAccount,
        name: s(name),
        email: None,
        id: s(id),
    }
}

fn usage(requests: Option<u64>, tokens: Option<(u64, u64)>, cost: Option<f64>) -> Option<Usage> {
    Some(Usage {
        requests,
        input_tokens: tokens.map(|t| t.0),
        output_tokens: tokens.map(|t| t.1),
        cost_usd: cost,
    })
}

/// A key report; age, idle and active follow from the dates and `AS_OF`, as analysis makes them.
fn key(k: Key, rules: &[&str], risk: Option<Severity>) -> KeyReport {
    let days = |d: Date| i64::from((AS_OF - d).get_days());
    let idle = k.last_used.date().map(days);
    KeyReport {
        age_days: k.created.map(days),
        idle_days: idle,
        active: idle.is_some_and(|d| d <= 30),
        rules: rules.iter().map(|r| r.to_string()).collect(),
        risk,
        change: None,
        last_seen: None,
        key: k,
    }
}

fn keys(h: &Hostile) -> Vec<KeyReport> {
    vec![
        key(
            Key {
                id: s("key_Pq3L9wXc0vN2mR7t"),
                name: "payments-prod".into(),
                redacted: s("sk-proj-...Qm7x"),
                kind: KeyKind::Project,
                project: project(Some("proj_Pay83kdQ"), "Payments"),
                owner: user(
                    "Frank Li",
                    "frank.li@acme-robotics.com",
                    "user-Fr4nkL1xQ9a2b3c4",
                ),
                created_by: s("Frank Li"),
                permissions: Permissions::All,
                created: Some(date(2025, 3, 2)),
                last_used: LastUsed::Date(date(2026, 11, 21)),
                usage: usage(Some(12840), Some((9_812_345, 1_204_556)), Some(381.9)),
                sources: vec![
                    "api-keys.html".into(),
                    "project_api_keys_proj_Pay83kdQ.json".into(),
                ],
                ..Key::default()
            },
            &["owner-departed", "rotation-overdue"],
            Some(Severity::High),
        ),
        key(
            Key {
                id: s("key_Rf5u7NdZ2kLp0qWe"),
                // RFC 4180 quoting: a comma, double quotes and a line break.
                name: "refunds \"EU\", nightly\nbatch".into(),
                redacted: s("sk-svcacct-...Rf01"),
                kind: KeyKind::ServiceAccount,
                project: project(Some("proj_Pay83kdQ"), "Payments"),
                owner: service_account("refund-worker", "user-svcRf4nd0W0rk3r"),
                created_by: s("Frank Li"),
                permissions: Permissions::Restricted,
                created: Some(date(2026, 6, 15)),
                last_used: LastUsed::Date(date(2026, 11, 19)),
                // A refund credited back: a negative cost, and no token counts in a cost export.
                usage: usage(Some(311), None, Some(-1.5)),
                sources: vec!["api-keys.html".into(), "costs.json".into()],
                ..Key::default()
            },
            &[],
            None,
        ),
        key(
            Key {
                name: "etl-nightly".into(),
                redacted: s("sk-...8rTv"),
                kind: KeyKind::Project,
                project: project(Some("proj_D4t4P1pe"), "Data Pipeline"),
                owner: user(
                    "Chen Wei",
                    "chen.wei@acme-robotics.com",
                    "user-Ch3nW31x9y8z7w6",
                ),
                created_by: s("Chen Wei"),
                permissions: Permissions::Restricted,
                created: Some(date(2025, 1, 12)),
                last_used: LastUsed::Date(date(2025, 5, 30)),
                sources: vec!["api-keys.html".into()],
                ..Key::default()
            },
            &["unused"],
            Some(Severity::Medium),
        ),
        key(
            Key {
                name: "Secret key".into(),
                redacted: s("sk-...c4Ne"),
                kind: KeyKind::Project,
                project: project(Some("proj_D4t4P1pe"), "Data Pipeline"),
                owner: user(
                    "Ben Carter",
                    "ben.carter@acme-robotics.com",
                    "user-B3nC4rt3r0a1b2c3",
                ),
                created_by: s("Ben Carter"),
                permissions: Permissions::All,
                created: Some(date(2026, 10, 1)),
                last_used: LastUsed::Never,
                sources: vec!["api-keys.html".into()],
                ..Key::default()
            },
            // Its only finding is muted: the rule is listed, the risk is none.
            &["never-used"],
            None,
        ),
        key(
            Key {
                id: s("key_AdM1nQ2w3e4r5t6y"),
                name: "Main Admin Key".into(),
                redacted: s("sk-admin...r2D2"),
                kind: KeyKind::Admin,
                owner: user(
                    "Ada Okafor",
                    "ada@acme-robotics.com",
                    "user-Ad40k4f0r5x7y8z9",
                ),
                created: Some(date(2026, 1, 1)),
                // The admin keys file does not say when it was used: unknown, not never.
                last_used: LastUsed::Unknown,
                expires: Expiry::Never,
                sources: vec!["admin_api_keys.json".into()],
                ..Key::default()
            },
            &["no-expiry"],
            Some(Severity::Info),
        ),
        key(
            Key {
                name: "old laptop".into(),
                redacted: s("sk-...T0dA"),
                kind: KeyKind::User,
                last_used: LastUsed::Date(date(2024, 1, 10)),
                sources: vec!["user-api-keys.html".into()],
                ..Key::default()
            },
            &["legacy-user-key"],
            Some(Severity::High),
        ),
        key(
            Key {
                id: s("key_Sp7Bt0Xy3Qw9Er2T"),
                name: "support-bot".into(),
                redacted: s("sk-svcacct-...Bt07"),
                kind: KeyKind::ServiceAccount,
                project: project(Some("proj_Supp0rt9x"), "Support"),
                owner: service_account("support-bot", "user-svcSupp0rtB0t1"),
                created_by: s("Ada Okafor"),
                permissions: Permissions::ReadOnly,
                created: Some(date(2026, 8, 1)),
                last_used: LastUsed::Date(date(2026, 11, 20)),
                usage: usage(
                    Some(48210),
                    Some((20_004_117, 3_100_220)),
                    Some(12.345678901),
                ),
                sources: vec!["api-keys.html".into(), "usage.csv".into()],
                ..Key::default()
            },
            &[],
            None,
        ),
        key(
            Key {
                name: h.key.clone(),
                redacted: s("sk-proj-...H001"),
                kind: KeyKind::Project,
                project: project(None, &h.project),
                owner: Owner {
                    kind: OwnerType::User,
                    name: Some(h.owner.clone()),
                    ..Owner::default()
                },
                permissions: Permissions::All,
                created: Some(date(2026, 11, 2)),
                last_used: LastUsed::Date(date(2026, 11, 22)),
                sources: vec!["api-keys.html".into()],
                ..Key::default()
            },
            &["undescriptive-name"],
            Some(Severity::Low),
        ),
    ]
}

fn key_target(keys: &[KeyReport], i: usize) -> Target {
    let k = &keys[i].key;
    Target {
        kind: "key".into(),
        key_index: Some(i),
        key_id: k.id.clone(),
        key_name: Some(k.name.clone()),
        redacted: k.redacted.clone(),
        project: k.project.as_ref().map(|p| p.label().to_string()),
        owner: Some(k.owner.label().to_string()).filter(|o| !o.is_empty()),
        source: None,
    }
}

fn finding(rule: &str, severity: Severity, target: Target, message: &str, fix: &str) -> Finding {
    Finding {
        rule: rule.into(),
        severity,
        subject: keyroster::report::subject(&target),
        target,
        message: message.into(),
        remediation: fix.into(),
        muted: None,
        change: None,
    }
}

fn findings(keys: &[KeyReport], h: &Hostile) -> Vec<Finding> {
    let mut never_used = finding(
        "never-used",
        Severity::Low,
        key_target(keys, 3),
        "created 2026-10-01, 52 days ago, and never used",
        "Revoke it if nobody plans to use it.",
    );
    never_used.muted = Some(Muted {
        reason: h.mute_reason.clone(),
        until: Some(date(2027, 1, 31)),
    });
    vec![
        finding(
            "exposed-secret",
            Severity::Critical,
            Target {
                kind: "source".into(),
                redacted: s("sk-proj-...Hh31"),
                source: s("team-keys-edited.csv"),
                ..Target::default()
            },
            "team-keys-edited.csv holds a full secret key at line 2, column Key \
             (sk-proj-...Hh31); Key Roster redacted it and kept no copy",
            "Treat the key as leaked: revoke it on the platform now, create a new one, and \
             delete or clean every copy of this file.",
        ),
        finding(
            "owner-departed",
            Severity::High,
            key_target(keys, 0),
            "owner frank.li@acme-robotics.com no longer has access to Payments, but the key \
             still works (last used 2026-11-21, 1 days ago)",
            "Find who still depends on it, move them to a service-account key, and revoke \
             this one.",
        ),
        finding(
            "legacy-user-key",
            Severity::High,
            key_target(keys, 5),
            "legacy user key sk-...T0dA: not scoped to a project, it reaches every project of \
             the organization (last used 2024-01-10, 1047 days ago)",
            "Replace it with a project key or a service-account key, then revoke it.",
        ),
        finding(
            "rotation-overdue",
            Severity::Medium,
            key_target(keys, 0),
            "created 2025-03-02, 630 days ago (rotate every 365 days)",
            "Create a new key, move its users to it, and revoke this one.",
        ),
        finding(
            "unused",
            Severity::Medium,
            key_target(keys, 2),
            "last used 2025-05-30, 541 days ago (threshold 90 days)",
            "Revoke it: nothing has used it for months.",
        ),
        finding(
            "undescriptive-name",
            Severity::Low,
            key_target(keys, 7),
            &h.message,
            "Rename it after the service or person that uses it.",
        ),
        never_used,
        finding(
            "no-expiry",
            Severity::Info,
            key_target(keys, 4),
            "admin key with no expiry date",
            "Prefer keys that expire, or review this one every quarter.",
        ),
        finding(
            "no-spend-limit",
            Severity::Info,
            Target {
                kind: "project".into(),
                project: s("Data Pipeline"),
                ..Target::default()
            },
            "project Data Pipeline: its limits page was not read",
            "Set a monthly budget on the project's limits page.",
        ),
    ]
}

fn projects() -> Vec<Project> {
    let p = |id: &str, name: &str, status: &str, hard: Option<f64>, soft: Option<f64>| Project {
        id: s(id),
        name: s(name),
        status: s(status),
        limits_known: hard.is_some(),
        hard_limit_usd: hard,
        soft_limit_usd: soft,
        sources: vec!["projects.html".into()],
        ..Project::default()
    };
    vec![
        p(
            "proj_Pay83kdQ",
            "Payments",
            "active",
            Some(500.0),
            Some(400.0),
        ),
        p("proj_D4t4P1pe", "Data Pipeline", "active", None, None),
        p("proj_Supp0rt9x", "Support", "active", Some(100.0), None),
        // No key belongs to it: it still gets a row.
        p(
            "proj_0ldS4ndb0x",
            "Legacy Sandbox",
            "archived",
            Some(0.5),
            None,
        ),
    ]
}

fn latest(a: LastUsed, b: LastUsed) -> LastUsed {
    match (a, b) {
        (LastUsed::Date(x), LastUsed::Date(y)) => LastUsed::Date(x.max(y)),
        (LastUsed::Date(x), _) | (_, LastUsed::Date(x)) => LastUsed::Date(x),
        (LastUsed::Never, LastUsed::Never) => LastUsed::Never,
        _ => LastUsed::Unknown,
    }
}

/// Rows grouped by `label`, most keys first, as analysis orders them.
fn group(
    keys: &[KeyReport],
    findings: &[Finding],
    label: impl Fn(&KeyReport) -> String,
    detail: impl Fn(&KeyReport) -> Option<String>,
    owner_type: bool,
) -> Vec<GroupRow> {
    let mut rows: Vec<GroupRow> = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        let l = label(k);
        let row = match rows.iter().position(|r| r.label == l) {
            Some(p) => &mut rows[p],
            None => {
                rows.push(GroupRow {
                    label: l,
                    detail: detail(k),
                    owner_type: owner_type.then(|| k.key.owner.kind.as_str().to_string()),
                    last_used: k.key.last_used,
                    ..GroupRow::default()
                });
                rows.last_mut().unwrap()
            }
        };
        row.last_used = latest(row.last_used, k.key.last_used);
        row.keys += 1;
        row.active_keys += usize::from(k.active);
        if let Some(c) = k.key.usage.and_then(|u| u.cost_usd) {
            row.cost_usd = Some(row.cost_usd.unwrap_or(0.0) + c);
        }
        for f in findings
            .iter()
            .filter(|f| f.muted.is_none() && f.target.key_index == Some(i))
        {
            row.findings.add(f.severity);
        }
        row.key_indexes.push(i);
    }
    rows.sort_by(|a, b| b.keys.cmp(&a.keys).then(a.label.cmp(&b.label)));
    rows
}

/// The hand-built report of Acme Robotics.
pub fn report() -> Report {
    report_with(&Hostile::default())
}

/// The hand-built report with the given hostile texts.
pub fn report_with(h: &Hostile) -> Report {
    let keys = keys(h);
    let findings = findings(&keys, h);
    let by_owner = group(
        &keys,
        &findings,
        |k| {
            Some(k.key.owner.label().to_string())
                .filter(|l| !l.is_empty())
                .unwrap_or_else(|| "(unknown owner)".into())
        },
        |k| k.key.owner.email.clone(),
        true,
    );
    let by_project = group(
        &keys,
        &findings,
        |k| {
            k.key
                .project
                .as_ref()
                .map(|p| p.label().to_string())
                .unwrap_or_else(|| "(no project)".into())
        },
        |k| k.key.project.as_ref().and_then(|p| p.id.clone()),
        false,
    );
    let mut counts = SeverityCounts::default();
    for f in findings.iter().filter(|f| f.muted.is_none()) {
        counts.add(f.severity);
    }
    let sources = [
        ("api-keys.html", "html:project-api-keys", 6, None, None),
        ("admin_api_keys.json", "json:admin-api-keys", 1, None, None),
        ("user-api-keys.html", "html:user-api-keys", 1, None, None),
        ("projects.html", "html:projects", 4, None, None),
        ("costs.json", "json:costs", 3, None, None),
        ("usage.csv", "csv:usage", 12, None, None),
        (
            "team-keys-edited.csv",
            "csv:keys",
            3,
            Some("line 2, column Key holds a full secret: redacted, not kept"),
            None,
        ),
        (
            h.source.as_str(),
            "unknown",
            0,
            None,
            Some("line 1: not a table Key Roster knows"),
        ),
    ]
    .into_iter()
    .map(|(name, kind, records, warning, error)| Source {
        name: name.into(),
        kind: kind.into(),
        records,
        warnings: warning
            .map(|w: &str| vec![w.to_string()])
            .unwrap_or_default(),
        error: error.map(str::to_string),
        url: None,
        seen: None,
    })
    .collect::<Vec<_>>();
    let summary = Summary {
        keys: keys.len(),
        active_keys: keys.iter().filter(|k| k.active).count(),
        active_days: 30,
        owners: by_owner.len(),
        projects: 4,
        members: 6,
        findings: counts,
        muted: findings.iter().filter(|f| f.muted.is_some()).count(),
        exposed_secrets: 1,
        cost_usd: Some(381.9 - 1.5 + 12.345678901),
        sources_read: 7,
        sources_failed: 1,
        ..Summary::default()
    };
    let rules = findings
        .iter()
        .map(|f| RuleRun {
            rule: f.rule.clone(),
            severity: f.severity,
            enabled: true,
            ran: true,
            reason: None,
            note: None,
            findings: 1,
        })
        .collect();
    Report {
        as_of: Some(AS_OF),
        org: Some(h.org.clone()),
        policy: "default".into(),
        sources,
        keys,
        members: Vec::new(),
        projects: projects(),
        groups: Groups {
            by_owner,
            by_project,
            ..Groups::default()
        },
        findings,
        rules,
        summary,
        comparison: None,
        ..Report::default()
    }
}
