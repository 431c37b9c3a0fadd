//! The catalog on Anthropic keys: last use from a usage report's window at its boundaries
//! (`unused`, `never-used`), "did not run" and notes without one, switched-off keys listed but
//! not judged, `expired` status, the Default workspace, and no legacy-user-key.

use crate::support;

use jiff::civil::{date, Date};
use keyroster::analyze;
use keyroster::analyze::Policy;
use keyroster::model::{
    DailyUsage, Expiry, Inventory, Key, KeyKind, LastUsed, Owner, OwnerType, ProjectRef, Provider,
    Usage, UsageWindow,
};
use keyroster::report::Report;
use support::AS_OF;

fn ago(days: i64) -> Date {
    AS_OF.checked_sub(jiff::Span::new().days(days)).unwrap()
}

/// An active Anthropic workspace key created long ago, last use unknown (as the Admin API
/// gives it).
fn key(name: &str) -> Key {
    Key {
        provider: Provider::Anthropic,
        id: Some(format!("apikey_01{name}")),
        name: name.into(),
        redacted: Some("sk-ant-api03-R2D...igAA".into()),
        kind: KeyKind::Project,
        project: Some(ProjectRef {
            id: Some("wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ".into()),
            name: Some("Production".into()),
        }),
        owner: Owner {
            kind: OwnerType::User,
            id: Some("user_01WCz1FkmYMm4gnmykNKUu3Q".into()),
            ..Owner::default()
        },
        created: Some(ago(400)),
        expires: Expiry::Never,
        status: Some("active".into()),
        sources: vec!["api-keys.json".into()],
        ..Key::default()
    }
}

fn used_on(mut k: Key, days_ago: i64) -> Key {
    k.daily.push(DailyUsage {
        date: ago(days_ago),
        usage: Usage {
            input_tokens: Some(120),
            output_tokens: Some(40),
            ..Usage::default()
        },
    });
    k
}

/// A usage report covering the last `days` days up to AS_OF.
fn window(days: i64) -> UsageWindow {
    UsageWindow {
        provider: Provider::Anthropic,
        from: ago(days - 1),
        to: AS_OF,
        source: "usage-report.json".into(),
    }
}

fn run(keys: Vec<Key>, windows: Vec<UsageWindow>) -> Report {
    let inv = Inventory {
        keys,
        usage_windows: windows,
        ..Inventory::default()
    };
    analyze(&inv, &Policy::default(), AS_OF)
}

fn messages(r: &Report, rule: &str) -> Vec<String> {
    r.findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| f.message.clone())
        .collect()
}

fn run_of<'a>(r: &'a Report, rule: &str) -> &'a keyroster::report::RuleRun {
    r.rules.iter().find(|x| x.rule == rule).unwrap()
}

#[test]
fn unused_fires_when_last_seen_in_usage_is_exactly_the_threshold_before_the_window_end() {
    let r = run(vec![used_on(key("quiet"), 90)], vec![window(120)]);
    assert_eq!(
        messages(&r, "unused"),
        [format!(
            "last seen in usage {}, then no usage in the 90 days to {AS_OF} (usage read covers {} to {AS_OF}; threshold 90 days)",
            ago(90),
            ago(119)
        )]
    );
    assert_eq!(r.keys[0].last_seen, Some(ago(90)));
    assert_eq!(r.summary.providers[0].usage_seen, Some([ago(119), AS_OF]));
    assert!(!r.keys[0].active, "seen 90 days ago is not active");
    let r = run(vec![used_on(key("quiet"), 89)], vec![window(120)]);
    assert!(
        messages(&r, "unused").is_empty(),
        "89 quiet days are under the threshold"
    );
    let r = run(vec![used_on(key("busy"), 29)], vec![window(120)]);
    assert!(r.keys[0].active, "seen within the 30 active days");
}

#[test]
fn no_usage_in_a_window_shorter_than_the_threshold_is_not_unused_nor_never_used() {
    let r = run(vec![key("idle")], vec![window(31)]);
    assert!(messages(&r, "unused").is_empty());
    assert!(
        messages(&r, "never-used").is_empty(),
        "created before the window"
    );
    let note = run_of(&r, "unused").note.clone().unwrap_or_default();
    assert!(
        note.contains("1 key(s) had no usage in the 31 days covered")
            && note.contains(&format!("usage read covers {} to {AS_OF}", ago(30))),
        "{note}"
    );
    assert!(run_of(&r, "unused").ran);
}

#[test]
fn no_usage_in_a_window_as_long_as_the_threshold_is_unused() {
    let r = run(vec![key("idle")], vec![window(90)]);
    assert_eq!(
        messages(&r, "unused"),
        [format!(
            "no usage in the 90 days covered (usage read covers {} to {AS_OF}; threshold 90 days)",
            ago(89)
        )]
    );
    assert!(messages(&run(vec![key("idle")], vec![window(89)]), "unused").is_empty());
}

#[test]
fn never_used_needs_creation_inside_the_window_and_the_threshold_since() {
    let mut k = key("canary");
    k.created = Some(ago(14));
    let r = run(vec![k.clone()], vec![window(31)]);
    assert_eq!(
        messages(&r, "never-used"),
        [format!(
            "no usage since it was created {}: 14 days to {AS_OF} (usage read covers {} to {AS_OF})",
            ago(14),
            ago(30)
        )]
    );
    k.created = Some(ago(13));
    assert!(messages(&run(vec![k.clone()], vec![window(31)]), "never-used").is_empty());
    // Created the day before the window starts: its first day is unseen, so not "never used".
    k.created = Some(ago(31));
    assert!(messages(&run(vec![k.clone()], vec![window(31)]), "never-used").is_empty());
    // Created on the window's first day: seen whole.
    k.created = Some(ago(30));
    assert_eq!(
        messages(&run(vec![k], vec![window(31)]), "never-used").len(),
        1
    );
}

#[test]
fn without_a_usage_report_anthropic_keys_are_not_judged_and_the_reason_says_what_to_add() {
    let r = run(vec![key("a")], vec![]);
    let unused = run_of(&r, "unused");
    assert!(!unused.ran);
    assert!(
        unused
            .reason
            .as_deref()
            .unwrap_or("")
            .contains("Anthropic lists no last-used date"),
        "{:?}",
        unused.reason
    );
    // Mixed with an OpenAI key that has a date: the rule runs and names what it skipped.
    let mut openai = key("openai");
    openai.provider = Provider::Openai;
    openai.last_used = LastUsed::Date(ago(100));
    let r = run(vec![key("a"), openai], vec![]);
    assert_eq!(messages(&r, "unused").len(), 1);
    assert!(run_of(&r, "unused")
        .note
        .as_deref()
        .unwrap_or("")
        .starts_with("1 key(s) were not judged"));
}

#[test]
fn inactive_and_archived_keys_are_listed_but_not_judged() {
    let mut off = key("test");
    off.status = Some("inactive".into());
    off.project = Some(ProjectRef {
        id: None,
        name: Some("Default".into()),
    });
    let mut gone = off.clone();
    gone.status = Some("archived".into());
    let r = run(vec![off, gone], vec![window(120)]);
    assert_eq!(r.keys.len(), 2);
    assert!(r.findings.is_empty(), "{:?}", r.findings);
}

#[test]
fn expired_status_and_date_reach_the_expiry_rules() {
    let mut dated = key("partner-sandbox");
    dated.status = Some("expired".into());
    dated.expires = Expiry::Date(date(2026, 10, 15));
    let mut undated = key("old-expired");
    undated.status = Some("expired".into());
    undated.expires = Expiry::Unknown;
    let r = run(vec![dated, undated], vec![]);
    let m = messages(&r, "expired");
    assert_eq!(
        m,
        [
            "status expired (no expiry date was read), but it is still listed".to_string(),
            "expired 2026-10-15, 38 days ago, but is still listed".to_string()
        ]
    );
}

#[test]
fn the_default_workspace_counts_for_default_project_and_no_anthropic_key_is_a_legacy_user_key() {
    let mut k = key("test");
    k.project = Some(ProjectRef {
        id: None,
        name: Some("Default".into()),
    });
    k.kind = KeyKind::User; // whatever a reader decided, Anthropic has no legacy user keys
    let r = run(vec![k], vec![]);
    assert_eq!(messages(&r, "default-project").len(), 1);
    assert!(messages(&r, "legacy-user-key").is_empty());
}
