//! Comparing audits: a previous report (its JSON or its keys.csv) against the current one marks
//! findings new / still open / fixed and keys added / removed.

use jiff::civil::{date, Date};
use keyroster::analyze::compare::{apply, Previous};
use keyroster::model::{Inventory, Key, KeyKind, LastUsed, Owner, OwnerType, ProjectRef};
use keyroster::report::Report;
use keyroster::{analyze, Policy};

const AS_OF: Date = date(2026, 11, 22);

fn key(id: Option<&str>, name: &str, last4: &str, idle: i64) -> Key {
    Key {
        id: id.map(String::from),
        name: name.into(),
        redacted: Some(format!("sk-proj-...{last4}")),
        kind: KeyKind::Project,
        project: Some(ProjectRef {
            id: Some("proj_backend".into()),
            name: Some("Backend".into()),
        }),
        owner: Owner {
            kind: OwnerType::ServiceAccount,
            name: Some("ci-bot".into()),
            ..Owner::default()
        },
        created: Some(date(2026, 10, 1)),
        last_used: LastUsed::Date(AS_OF.checked_sub(jiff::Span::new().days(idle)).unwrap()),
        ..Key::default()
    }
}

fn report(keys: Vec<Key>, as_of: Date) -> Report {
    let inv = Inventory {
        keys,
        ..Inventory::default()
    };
    analyze(&inv, &Policy::default(), as_of)
}

/// Last month: `old-etl` unused, `stale` unused, `Secret key` undescriptive.
fn previous() -> Report {
    report(
        vec![
            key(Some("key_etl"), "old-etl", "e7L1", 120),
            key(Some("key_stale"), "stale", "s7A1", 100),
            // No id: matched by redaction and name.
            key(None, "Secret key", "d3F1", 1),
        ],
        AS_OF,
    )
}

/// This month: `old-etl` still unused; `stale` revoked; `Secret key` renamed (so its
/// undescriptive-name finding is fixed, and as a key it counts as removed and added); a new
/// unused key `batch`.
fn current() -> Report {
    report(
        vec![
            key(Some("key_etl"), "old-etl", "e7L1", 150),
            key(None, "deploy-web", "d3F1", 1),
            key(Some("key_batch"), "batch", "b4T1", 95),
        ],
        AS_OF,
    )
}

#[test]
fn comparing_with_a_previous_report_json_marks_new_open_and_fixed() {
    let json = serde_json::to_string_pretty(&previous()).unwrap();
    let prev = Previous::from_report_json("last-month.json", &json).unwrap();
    assert_eq!(prev.keys.len(), 3);
    assert_eq!(prev.findings.len(), 3);
    let mut r = current();
    apply(&mut r, &prev);
    let c = r.comparison.as_ref().unwrap();
    assert_eq!(c.previous_as_of, Some(AS_OF));
    assert_eq!((c.findings_new, c.findings_open), (1, 1));
    let fixed: Vec<_> = c
        .findings_fixed
        .iter()
        .map(|g| (g.rule.as_deref().unwrap(), g.key_name.as_deref().unwrap()))
        .collect();
    assert_eq!(
        fixed,
        [("unused", "stale"), ("undescriptive-name", "Secret key")]
    );
    assert!(c.findings_fixed[0]
        .message
        .as_deref()
        .unwrap()
        .contains("100 days ago"));

    let changes: Vec<_> = r
        .findings
        .iter()
        .map(|f| {
            (
                f.target.key_name.as_deref().unwrap(),
                f.change.as_deref().unwrap(),
            )
        })
        .collect();
    assert_eq!(changes, [("batch", "new"), ("old-etl", "open")]);

    assert_eq!(c.keys_added, 2);
    let key_changes: Vec<_> = r
        .keys
        .iter()
        .map(|k| k.change.as_deref().unwrap())
        .collect();
    assert_eq!(key_changes, ["kept", "added", "added"]);
    let removed: Vec<_> = c
        .keys_removed
        .iter()
        .map(|g| g.key_name.as_deref().unwrap())
        .collect();
    assert_eq!(removed, ["stale", "Secret key"]);
    assert_eq!(c.keys_removed[0].key_id.as_deref(), Some("key_stale"));
}

#[test]
fn comparing_with_a_previous_keys_csv_reads_keys_and_their_rules() {
    let csv =
        "\u{feff}provider,project_id,project_name,key_id,key_name,redacted_key,risk,rules\r\n\
               openai,proj_backend,Backend,key_etl,old-etl,sk-proj-...e7L1,medium,unused\r\n\
               openai,proj_backend,Backend,key_stale,stale,sk-proj-...s7A1,medium,unused\r\n\
               openai,proj_backend,Backend,,Secret key,sk-proj-...d3F1,low,undescriptive-name;\r\n";
    let prev = Previous::from_keys_csv("keys.csv", csv).unwrap();
    assert_eq!(prev.as_of, None);
    assert_eq!(prev.keys[2].id, None);
    assert_eq!(prev.keys[2].project.as_deref(), Some("Backend"));
    let mut r = current();
    apply(&mut r, &prev);
    let c = r.comparison.unwrap();
    assert_eq!(
        (c.findings_new, c.findings_open, c.findings_fixed.len()),
        (1, 1, 2)
    );
    assert_eq!((c.keys_added, c.keys_removed.len()), (2, 2));
}

#[test]
fn a_key_matches_by_id_even_when_renamed() {
    let prev = Previous::from_report_json(
        "prev.json",
        &serde_json::to_string(&report(vec![key(Some("key_1"), "a", "a001", 1)], AS_OF)).unwrap(),
    )
    .unwrap();
    let mut r = report(vec![key(Some("key_1"), "renamed", "a001", 1)], AS_OF);
    apply(&mut r, &prev);
    assert_eq!(r.keys[0].change.as_deref(), Some("kept"));
    assert!(r.comparison.unwrap().keys_removed.is_empty());
}

#[test]
fn a_keys_csv_without_key_columns_is_refused() {
    let e = Previous::from_keys_csv("owners.csv", "owner_name,keys\nAda,3\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "owners.csv: line 1: not a Key Roster keys.csv: no key_id or redacted_key column"
    );
}

#[test]
fn a_keys_csv_row_with_extra_fields_names_the_line() {
    let csv = "key_id,key_name,rules\nkey_1,a,unused\nkey_2,b,unused,never-used\n";
    let e = Previous::from_keys_csv("keys.csv", csv).unwrap_err();
    assert_eq!(
        e.to_string(),
        "keys.csv: line 3: expected 3 fields as in the header, found 4"
    );
}

#[test]
fn a_previous_report_that_is_not_json_names_the_line() {
    let e =
        Previous::from_report_json("prev.json", "{\n  \"keys\": [\n    {\"id\": 3,\n").unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.starts_with("prev.json: line 3: not a Key Roster report:"),
        "{msg}"
    );
}
