//! A previous audit read as an input (`ingest::previous`) and applied by `analyze::audit`: the
//! keys.csv of a previous audit reads as any keys.csv does (Excel's `;`, its BOM and CRLF, the
//! export's `'` guard undone exactly), and the comparison is part of every report made with it.

use jiff::civil::{date, Date};
use keyroster::analyze::audit;
use keyroster::export::csv::{keys as keys_csv, CsvOptions};
use keyroster::ingest::previous;
use keyroster::model::{Expiry, Inventory, Key, KeyKind, LastUsed, Owner, OwnerType, ProjectRef};
use keyroster::report::Comparison;
use keyroster::Policy;

const AS_OF: Date = date(2026, 11, 22);

fn key(name: &str, last4: &str, last_used: LastUsed) -> Key {
    Key {
        id: None,
        name: name.into(),
        redacted: Some(format!("sk-proj-...{last4}")),
        kind: KeyKind::Project,
        project: Some(ProjectRef {
            id: Some("proj_app".into()),
            name: Some("App; EU".into()),
        }),
        owner: Owner {
            kind: OwnerType::User,
            name: Some("Zoë Ünal".into()),
            email: Some("zoe@acme.test".into()),
            id: None,
        },
        created: Some(date(2025, 1, 5)),
        last_used,
        expires: Expiry::Never,
        sources: vec!["api-keys.html".into()],
        ..Key::default()
    }
}

fn inventory() -> Inventory {
    Inventory {
        keys: vec![
            key("'quoted", "a1B2", LastUsed::Date(date(2026, 11, 20))),
            key("=SUM(A1)", "c3D4", LastUsed::Date(date(2026, 1, 2))),
            key("batch; nightly", "e5F6", LastUsed::Never),
        ],
        ..Inventory::default()
    }
}

/// The comparison of the inventory's audit with a previous audit read from `bytes`.
fn compared(name: &str, bytes: &[u8]) -> Comparison {
    let prev = previous::read(name, bytes).unwrap();
    let report = audit(&inventory(), &Policy::default(), AS_OF, Some(&prev));
    report.comparison.unwrap()
}

fn unchanged(c: &Comparison) {
    assert_eq!(c.keys_added, 0, "{c:?}");
    assert!(c.keys_removed.is_empty(), "{c:?}");
    assert_eq!(c.findings_new, 0, "{c:?}");
    assert!(c.findings_fixed.is_empty(), "{c:?}");
    assert!(c.findings_open > 0, "{c:?}");
}

/// The keys.csv Key Roster itself exports for the inventory.
fn exported() -> Vec<u8> {
    let report = keyroster::analyze(&inventory(), &Policy::default(), AS_OF);
    keys_csv(&report, &CsvOptions::default())
}

#[test]
fn keys_csv_read_back_as_previous_changes_nothing() {
    unchanged(&compared("keys.csv", &exported()));
}

#[test]
fn a_key_named_with_a_leading_quote_is_not_removed_and_re_added() {
    // The export writes `'quoted` as `''quoted` (its formula guard); reading it back must undo
    // exactly one quote, not every leading quote.
    let text = String::from_utf8(exported()).unwrap();
    assert!(text.contains("''quoted"), "{text}");
    let prev = previous::read("keys.csv", text.as_bytes()).unwrap();
    assert!(prev.keys.iter().any(|k| k.name == "'quoted"), "{prev:?}");
    assert!(prev.keys.iter().any(|k| k.name == "=SUM(A1)"), "{prev:?}");
    unchanged(&compared("keys.csv", text.as_bytes()));
}

#[test]
fn semicolon_keys_csv_saved_by_excel_works_as_previous() {
    // Excel in a European locale saves with `;`, CRLF line ends and a byte order mark.
    let comma = exported();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&comma[..]);
    let mut wtr = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xef\xbb\xbf".to_vec());
    for rec in rdr.records() {
        wtr.write_record(&rec.unwrap()).unwrap();
    }
    let bytes = wtr.into_inner().unwrap();
    assert!(!bytes.contains(&b','), "no comma left to find");
    unchanged(&compared("keys (Excel).csv", &bytes));
}

#[test]
fn report_json_works_as_previous_and_a_removed_key_is_fixed() {
    let before = keyroster::analyze(&inventory(), &Policy::default(), AS_OF);
    let json = keyroster::export::json::report(&before);
    unchanged(&compared("report.json", &json));

    let mut fewer = inventory();
    fewer.keys.retain(|k| k.name != "=SUM(A1)");
    let prev = previous::read("report.json", &json).unwrap();
    let c = audit(&fewer, &Policy::default(), AS_OF, Some(&prev))
        .comparison
        .unwrap();
    assert_eq!(c.keys_removed.len(), 1);
    assert_eq!(c.keys_removed[0].key_name.as_deref(), Some("=SUM(A1)"));
    assert!(c
        .findings_fixed
        .iter()
        .any(|g| g.rule.as_deref() == Some("unused")));
}

#[test]
fn the_comparison_survives_a_new_policy() {
    let prev = previous::read("keys.csv", &exported()).unwrap();
    for preset in ["default", "cis", "strict"] {
        let policy = Policy::preset(preset).unwrap();
        let r = audit(&inventory(), &policy, AS_OF, Some(&prev));
        let c = r.comparison.as_ref().expect(preset);
        assert_eq!(c.keys_added, 0, "{preset}");
        assert!(r.findings.iter().all(|f| f.change.is_some()), "{preset}");
    }
    // strict turns no-expiry on: a finding the previous audit did not have is new.
    let strict = audit(
        &inventory(),
        &Policy::preset("strict").unwrap(),
        AS_OF,
        Some(&prev),
    );
    assert!(strict
        .findings
        .iter()
        .any(|f| f.rule == "no-expiry" && f.change.as_deref() == Some("new")));
}

#[test]
fn a_page_or_another_table_is_not_a_previous_audit() {
    let e = previous::read("api-keys.html", b"<html><table></table></html>").unwrap_err();
    assert!(
        e.to_string()
            .starts_with("api-keys.html: not a previous audit"),
        "{e}"
    );
    let members = "name,email,role\nAda,ada@acme.test,owner\n";
    let e = previous::read("members.csv", members.as_bytes()).unwrap_err();
    assert!(e.to_string().contains("not a Key Roster keys.csv"), "{e}");
}
