//! Spend by keys no page lists, and each key's audit-log history: a cost export by key id
//! names one key an audit log deletes (and that still spent after), one key no input lists,
//! and listed keys; the audit log creates, updates and deletes keys.

use crate::support;

use keyroster::ingest::Context;
use keyroster::model::Provider;
use keyroster::report::Severity;
use keyroster::{analyze, details, Inventory, Policy};
use support::{fixture_bytes, AS_OF};

fn read(paths: &[&str]) -> Inventory {
    let mut inv = Inventory::default();
    for p in paths {
        let src = inv.ingest(&Context::new(*p, AS_OF), &fixture_bytes(p));
        assert!(src.error.is_none(), "{p}: {:?}", src.error);
    }
    inv
}

const PAGES: [&str; 2] = [
    "json/proj_k7Qx2m-api-keys-page1.json",
    "json/proj_k7Qx2m-api-keys-page2.json",
];
const COSTS: &str = "csv/cost_2026-11-01_2026-11-05-by-key.csv";
const AUDIT: &str = "json/audit-log-key-lifecycle.json";

#[test]
fn spend_under_ids_no_key_carries_becomes_unlisted_keys_not_merged() {
    let inv = read(&[PAGES[0], PAGES[1], COSTS]);
    let ids: Vec<&str> = inv.unlisted.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["key_gone1", "key_stray7"], "highest cost first");
    let gone = &inv.unlisted[0];
    assert_eq!(gone.first_day, Some(jiff::civil::date(2026, 11, 1)));
    assert_eq!(gone.last_day, Some(jiff::civil::date(2026, 11, 4)));
    assert!((gone.usage.cost_usd.unwrap() - 10.25).abs() < 1e-9);
    assert_eq!(
        gone.deleted_on, None,
        "no audit log read: not called deleted"
    );
    let stray = &inv.unlisted[1];
    assert_eq!(
        stray.project.as_ref().and_then(|p| p.name.as_deref()),
        Some("Research")
    );
    // The listed key kept only its own rows: nothing was moved onto it by guesswork.
    let key2 = inv
        .keys
        .iter()
        .find(|k| k.id.as_deref() == Some("key_key2"))
        .unwrap();
    assert!((key2.usage.unwrap().cost_usd.unwrap() - 0.80).abs() < 1e-9);

    let report = analyze(&inv, &Policy::default(), AS_OF);
    assert_eq!(report.summary.unlisted_keys, 2);
    let f: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "unlisted-key-spend")
        .collect();
    assert_eq!(f.len(), 2);
    assert!(f.iter().all(|f| f.severity == Severity::Medium));
    let gone = f
        .iter()
        .find(|f| f.target.key_id.as_deref() == Some("key_gone1"))
        .unwrap();
    assert_eq!(gone.subject, "unlisted key key_gone1");
    assert_eq!(
        gone.message,
        "key key_gone1 in project Payments used $10.25 from 2026-11-01 to 2026-11-04 but is not listed on any page read"
    );
    assert!(!gone.message.contains("deleted"), "no audit log says so");
}

#[test]
fn an_audit_log_deletion_then_later_spend_raises_the_finding_to_high() {
    let inv = read(&[PAGES[0], PAGES[1], COSTS, AUDIT]);
    let gone = &inv.unlisted[0];
    assert_eq!(gone.deleted_on, Some(jiff::civil::date(2026, 11, 2)));
    assert_eq!(gone.deleted_by.as_deref(), Some("ops@example.com"));
    assert!((gone.after_deletion.unwrap().cost_usd.unwrap() - 4.25).abs() < 1e-9);
    let kinds: Vec<&str> = gone.history.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["api_key.created", "api_key.deleted"]);

    let report = analyze(&inv, &Policy::default(), AS_OF);
    let f = report
        .findings
        .iter()
        .find(|f| f.target.key_id.as_deref() == Some("key_gone1"))
        .unwrap();
    assert_eq!(f.severity, Severity::High);
    assert_eq!(
        f.message,
        "key key_gone1 in project Payments used $10.25 from 2026-11-01 to 2026-11-04; it was \
         deleted 2026-11-02 by ops@example.com per the audit log, yet used $4.25 after that"
    );
    let stray = report
        .findings
        .iter()
        .find(|f| f.target.key_id.as_deref() == Some("key_stray7"))
        .unwrap();
    assert_eq!(stray.severity, Severity::Medium);
}

#[test]
fn unlisted_keys_resolve_into_the_listed_key_once_json_links_the_id() {
    let mut inv = read(&[PAGES[0], PAGES[1], COSTS]);
    assert_eq!(inv.unlisted.len(), 2);
    let p = "json/proj_q3Lx-api-keys.json";
    inv.ingest(&Context::new(p, AS_OF), &fixture_bytes(p));
    let ids: Vec<&str> = inv.unlisted.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["key_gone1"]);
    let stray = inv
        .keys
        .iter()
        .find(|k| k.id.as_deref() == Some("key_stray7"))
        .unwrap();
    assert!((stray.usage.unwrap().cost_usd.unwrap() - 2.0).abs() < 1e-9);
    assert_eq!(stray.daily.len(), 2);
}

#[test]
fn audit_events_join_listed_keys_as_their_history() {
    let inv = read(&[PAGES[0], PAGES[1], AUDIT]);
    let key = |id: &str| {
        inv.keys
            .iter()
            .find(|k| k.id.as_deref() == Some(id))
            .unwrap()
    };
    let k2 = key("key_key2");
    assert!(!k2.deleted);
    let h: Vec<(&str, Vec<String>)> = k2
        .history
        .iter()
        .map(|e| (e.kind.as_str(), e.scopes.clone()))
        .collect();
    assert_eq!(h, [("api_key.updated", vec!["api.model.read".to_string()])]);
    // A key the page listed and a later audit event deletes is stale input, not a live key.
    let k5 = key("key_key5");
    assert!(k5.deleted);
    assert_eq!(k5.deleted_on, Some(jiff::civil::date(2026, 11, 3)));
    assert_eq!(k5.deleted_by.as_deref(), Some("sec@example.com"));

    let report = analyze(&inv, &Policy::default(), AS_OF);
    let i = details::find(&report, "key_key5").unwrap();
    let d = details::of(&report, i).unwrap();
    assert!(!d.key.active);
    let deleted = d.fields.iter().find(|f| f.label == "Deleted").unwrap();
    assert_eq!(
        deleted.value,
        "2026-11-03 by sec@example.com (audit log); the page that lists it was read before that"
    );
    assert_eq!(d.key.key.history.len(), 1);
    assert!(report
        .coverage
        .stale
        .iter()
        .any(|s| s.contains("ci-runner")));
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.target.key_index != Some(i)),
        "rules judge live keys only"
    );
    // The JSON the CLI writes carries the key's events.
    let json = serde_json::to_value(&report).unwrap();
    let events = &json["keys"][i]["history"];
    assert_eq!(events[0]["kind"], "api_key.deleted");
    assert_eq!(events[0]["actor_email"], "sec@example.com");
}

#[test]
fn unlisted_keys_have_their_own_csv_and_workbook_sheet() {
    use calamine::Reader;
    let inv = read(&[PAGES[0], PAGES[1], COSTS, AUDIT]);
    let report = analyze(&inv, &Policy::default(), AS_OF);
    let opts = keyroster::export::csv::CsvOptions::default();
    let csv =
        String::from_utf8(keyroster::export::by_name(&report, "unlisted-keys.csv", &opts).unwrap())
            .unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "provider,key_id,key_name,project_id,project_name,status,first_day,last_day,requests,\
         input_tokens,output_tokens,cost_usd,deleted_on,deleted_by,cost_after_deletion_usd,sources"
    );
    assert_eq!(
        lines[1],
        "openai,key_gone1,,proj_k7Qx2m,Payments,deleted (audit log),2026-11-01,2026-11-04,,,,10.25,\
         2026-11-02,ops@example.com,4.25,csv/cost_2026-11-01_2026-11-05-by-key.csv"
    );
    assert!(
        lines[2].starts_with("openai,key_stray7,,proj_q3Lx,Research,not listed on any page read,")
    );

    let bytes = keyroster::export::xlsx::workbook(&report).unwrap();
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert!(book.sheet_names().contains(&"Unlisted keys".to_string()));
    let sheet = book.worksheet_range("Unlisted keys").unwrap();
    assert_eq!(sheet.height(), 3, "a header and two keys");
}

#[test]
fn unlisted_keys_carry_the_provider_their_usage_came_from() {
    // Anthropic's usage report read without its key list: every key id in it is unlisted, and
    // each is Anthropic's (a mixed roster's Keys tab files it under that provider), beside the
    // OpenAI cost export's unlisted ids.
    let inv = read(&["anthropic/usage-report-messages.json", PAGES[0], COSTS]);
    let of = |p: Provider| inv.unlisted.iter().filter(|u| u.provider == p).count();
    assert!(of(Provider::Anthropic) > 0);
    for u in &inv.unlisted {
        let expected = if u.id.starts_with("apikey_") {
            Provider::Anthropic
        } else {
            Provider::Openai
        };
        assert_eq!(u.provider, expected, "{}", u.id);
    }
    assert!(inv.unlisted.iter().any(|u| u.id == "key_stray7"));
}
