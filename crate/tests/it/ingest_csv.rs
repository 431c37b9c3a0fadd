//! CSV/TSV fixtures as Key Roster, Excel and the usage dashboard write them, read field by
//! field; and one test per malformed input, asserting its message.

use crate::support;

use jiff::civil::date;
use keyroster::ingest::{self, csv, Batch, Context};
use keyroster::model::{
    Expiry, KeyKind, LastUsed, OwnerType, Permissions, ProjectRef, Provider, Usage,
};
use support::AS_OF;

fn fixture(name: &str) -> Vec<u8> {
    support::fixture_bytes(&format!("csv/{name}"))
}

fn read_fixture(name: &str) -> Batch {
    ingest::read(&Context::new(name, AS_OF), &fixture(name)).expect("fixture reads")
}

fn read_text(name: &str, text: &str) -> keyroster::Result<Batch> {
    csv::read(&Context::new(name, AS_OF), text)
}

fn project(id: Option<&str>, name: Option<&str>) -> Option<ProjectRef> {
    Some(ProjectRef {
        id: id.map(str::to_string),
        name: name.map(str::to_string),
    })
}

#[test]
fn keys_csv_reads_back_every_field() {
    let b = read_fixture("keys.csv");
    assert_eq!(b.kind, "csv:keyroster-keys");
    assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    assert!(b.exposed.is_empty());
    assert_eq!(b.keys.len(), 4);

    let k = &b.keys[0];
    assert_eq!(k.provider, Provider::Openai);
    assert_eq!(
        k.project,
        project(Some("proj_Q3xLm8RkT2"), Some("Checkout API"))
    );
    assert_eq!(k.id.as_deref(), Some("key_5mFq2ZtR8pLw"));
    assert_eq!(k.name, "checkout-prod");
    assert_eq!(k.redacted.as_deref(), Some("sk-proj-...a1B2"));
    assert_eq!(k.kind, KeyKind::Project);
    assert_eq!(k.owner.kind, OwnerType::User);
    assert_eq!(k.owner.name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(k.owner.email.as_deref(), Some("ada@example.com"));
    assert_eq!(k.owner.id.as_deref(), Some("user-ada123"));
    assert_eq!(k.created_by.as_deref(), Some("Ada Lovelace"));
    assert_eq!(k.permissions, Permissions::All);
    assert_eq!(k.created, Some(date(2024, 2, 3)));
    assert_eq!(k.last_used, LastUsed::Date(date(2026, 11, 20)));
    assert_eq!(k.expires, Expiry::Unknown);
    assert_eq!(
        k.usage,
        Some(Usage {
            requests: Some(182034),
            input_tokens: Some(91200311),
            output_tokens: Some(10023412),
            cost_usd: Some(412.87),
        })
    );
    assert_eq!(
        k.sources,
        vec!["org-api-keys.html", "cost_2026-09-25_2026-09-29.csv"]
    );

    let sa = &b.keys[1];
    assert_eq!(sa.kind, KeyKind::ServiceAccount);
    assert_eq!(sa.owner.kind, OwnerType::ServiceAccount);
    assert_eq!(sa.owner.name.as_deref(), Some("ci-bot"));
    assert_eq!(sa.owner.email, None);
    assert_eq!(sa.created_by.as_deref(), Some("Grace Hopper"));
    assert_eq!(sa.permissions, Permissions::Restricted);
    assert_eq!(sa.last_used, LastUsed::Never);
    assert_eq!(sa.usage, None);
    assert_eq!(sa.sources, vec!["org-api-keys.html"]);

    let legacy = &b.keys[2];
    assert_eq!(legacy.name, "old laptop, \"do not use\"");
    assert_eq!(legacy.project, None);
    assert_eq!(legacy.id, None);
    assert_eq!(legacy.kind, KeyKind::User);
    assert_eq!(legacy.owner.name.as_deref(), Some("You"));
    assert_eq!(legacy.permissions, Permissions::ReadOnly);
    // Empty last_used is unknown, not never.
    assert_eq!(legacy.last_used, LastUsed::Unknown);
    assert_eq!(
        legacy.usage,
        Some(Usage {
            requests: Some(0),
            input_tokens: Some(0),
            output_tokens: Some(0),
            cost_usd: Some(0.0),
        })
    );

    let admin = &b.keys[3];
    assert_eq!(admin.kind, KeyKind::Admin);
    assert_eq!(admin.redacted.as_deref(), Some("sk-admin...s1MA"));
    assert_eq!(admin.permissions, Permissions::Unknown);
    assert_eq!(admin.created_by, None);
    assert_eq!(admin.sources, vec!["json:admin-api-keys"]);
}

#[test]
fn excel_semicolon_file_with_bom_and_decimal_commas() {
    let b = read_fixture("keys-excel-de.csv");
    // Key Roster's keys.csv after a round through German Excel: still recognized as our own.
    assert_eq!(b.kind, "csv:keyroster-keys");
    assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    // The trailing `;;;;` row Excel leaves is not a key.
    assert_eq!(b.keys.len(), 2);
    let k = &b.keys[0];
    assert_eq!(k.created, Some(date(2024, 2, 3)));
    assert_eq!(k.last_used, LastUsed::Date(date(2026, 11, 20)));
    assert_eq!(
        k.usage,
        Some(Usage {
            requests: Some(182034),
            input_tokens: Some(91200311),
            output_tokens: Some(10023412),
            cost_usd: Some(1412.87),
        })
    );
    assert_eq!(k.sources, vec!["org-api-keys.html"]);
    let sa = &b.keys[1];
    assert_eq!(sa.name, "ci-runner; nightly");
    assert_eq!(sa.permissions, Permissions::Restricted);
    assert_eq!(sa.last_used, LastUsed::Never);
    assert_eq!(sa.usage.and_then(|u| u.cost_usd), Some(0.5));
}

#[test]
fn utf16_tab_separated_unicode_text_usage() {
    let b = read_fixture("usage-unicode-text.txt");
    assert_eq!(b.kind, "csv:usage");
    assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    // Two rows of the same key and day are one aggregated row.
    assert_eq!(b.usage.len(), 3);
    let r = &b.usage[0];
    assert_eq!(r.date, Some(date(2026, 10, 14)));
    assert_eq!(r.key_redacted.as_deref(), Some("sk-proj-...a1B2"));
    assert_eq!(r.key_name, None);
    assert_eq!(r.project, project(None, Some("Checkout API")));
    assert_eq!(r.usage.requests, Some(1300));
    assert_eq!(r.usage.input_tokens, Some(100000));
    assert_eq!(r.usage.output_tokens, Some(13000));
    assert!((r.usage.cost_usd.unwrap_or(0.0) - 4.0).abs() < 1e-9);
    assert_eq!(r.source, "usage-unicode-text.txt");
    assert_eq!(
        b.usage[1].key_redacted.as_deref(),
        Some("sk-svcacct-...380A")
    );
    // An API key cell that is not a redaction is the key's name.
    assert_eq!(b.usage[2].key_name.as_deref(), Some("notebook key"));
    assert_eq!(b.usage[2].key_redacted, None);
    assert_eq!(b.usage[2].usage.cost_usd, Some(0.01));
}

#[test]
fn cost_export_skips_empty_days_and_aggregates_line_items() {
    let b = read_fixture("cost_2026-09-25_2026-09-29.csv");
    assert_eq!(b.kind, "csv:cost-export");
    assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    assert_eq!(b.usage.len(), 3);

    let org = &b.usage[0];
    assert_eq!(org.date, Some(date(2026, 9, 28)));
    assert_eq!(org.key_id, None);
    assert_eq!(org.project, None);
    assert_eq!(org.user_email.as_deref(), Some("someone@example.com"));
    assert_eq!(org.usage.cost_usd, Some(0.00383598));
    assert_eq!(org.usage.requests, None);

    let k1 = &b.usage[1];
    assert_eq!(k1.date, Some(date(2026, 9, 28)));
    assert_eq!(k1.key_id.as_deref(), Some("key_1"));
    assert_eq!(k1.project, project(Some("proj_a"), Some("Proj A")));
    assert_eq!(k1.usage.cost_usd, Some(1.75));
    assert_eq!(k1.line_item, None);

    let k2 = &b.usage[2];
    assert_eq!(k2.date, Some(date(2026, 9, 29)));
    assert_eq!(k2.key_id.as_deref(), Some("key_2"));
    assert_eq!(k2.user_email.as_deref(), Some("ops@example.com"));
    assert_eq!(k2.usage.cost_usd, Some(2.0));
}

#[test]
fn activity_export_sums_requests_and_tokens_per_key_and_day() {
    let b = read_fixture("activity_2026-09-25_2026-09-29.csv");
    assert_eq!(b.kind, "csv:activity-export");
    assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    assert_eq!(b.usage.len(), 3);
    let r = &b.usage[0];
    assert_eq!(r.date, Some(date(2026, 9, 28)));
    assert_eq!(r.key_id.as_deref(), Some("key_1"));
    assert_eq!(r.key_name.as_deref(), Some("checkout-prod"));
    assert_eq!(r.project, project(Some("proj_a"), Some("Proj A")));
    assert_eq!(
        r.usage,
        Usage {
            requests: Some(150),
            input_tokens: Some(60000),
            output_tokens: Some(13000),
            cost_usd: None,
        }
    );
    // A day of zeros is a fact (no use), not a missing row.
    assert_eq!(b.usage[1].usage.requests, Some(0));
    assert_eq!(b.usage[2].key_name.as_deref(), Some("etl-nightly"));
}

#[test]
fn excel_sep_line_names_the_delimiter_and_shifts_line_numbers() {
    let text = "sep=;\r\nName;Email;Role\r\nAda Lovelace;ada@example.com;Owner\r\nGrace;grace@example.com\r\n";
    let e = read_text("members.csv", text).unwrap_err();
    assert_eq!(
        e.to_string(),
        "members.csv: line 4: expected 3 fields as in the header (line 2), found 2"
    );
    let ok = read_text(
        "members.csv",
        "sep=;\nName;Email;Role\nAda Lovelace;ada@example.com;Owner\n",
    )
    .expect("reads");
    assert_eq!(ok.kind, "csv:members");
    assert!(ok.members_list);
    assert_eq!(ok.members[0].name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(ok.members[0].email.as_deref(), Some("ada@example.com"));
    assert_eq!(ok.members[0].role.as_deref(), Some("owner"));
    assert_eq!(ok.members[0].kind, OwnerType::User);
}

#[test]
fn quoted_fields_keep_delimiters_and_newlines() {
    let text = "Name,Secret key,Created,Last used,Created by,Permissions\r\n\"billing, \"\"v2\"\"\nsecond line\",sk-proj-...k9Zq,\"Oct 15, 2023\",Never,Ada,All\r\n";
    let b = read_text("k.csv", text).expect("reads");
    assert_eq!(b.keys.len(), 1);
    assert_eq!(b.keys[0].name, "billing, \"v2\"");
    assert_eq!(b.keys[0].created, Some(date(2023, 10, 15)));
    assert_eq!(b.keys[0].last_used, LastUsed::Never);
}

#[test]
fn full_secret_in_a_cell_is_redacted_and_reported() {
    let secret = format!("sk-proj-{}T3BlbkFJ{}", "Ab3".repeat(25), "Zx9Q".repeat(18));
    let text = format!("key_name,redacted_key,created,last_used,permissions,created_by\ndeploy,{secret},2025-01-02,never,all,Ada\n");
    let b = read_text("leak.csv", &text).expect("reads");
    assert_eq!(b.exposed.len(), 1);
    assert_eq!(b.exposed[0].location, "line 2, column redacted_key");
    assert_eq!(b.exposed[0].redacted, "sk-proj-...Zx9Q");
    assert_eq!(b.exposed[0].kind, KeyKind::Project);
    assert_eq!(b.exposed[0].source, "leak.csv");
    assert_eq!(b.keys[0].redacted.as_deref(), Some("sk-proj-...Zx9Q"));
    let debug = format!("{b:?}");
    assert!(!debug.contains(&secret), "the full secret survived");
}

#[test]
fn ragged_row_names_line_and_counts() {
    let e = read_text(
        "usage.csv",
        "date,api_key_id,cost\n2026-10-01,key_1,1.00\n2026-10-02,key_1\n",
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "usage.csv: line 3: expected 3 fields as in the header (line 1), found 2"
    );
}

#[test]
fn non_number_in_cost_column_warns_and_leaves_cost_unknown() {
    let b = read_text(
        "usage.csv",
        "date,api_key_id,requests,cost\n2026-10-01,key_1,5,lots\n2026-10-01,key_1,2,1.5\n",
    )
    .expect("reads");
    assert_eq!(
        b.warnings,
        vec!["line 2, column cost: \"lots\" is not an amount (left unknown)"]
    );
    assert_eq!(b.usage.len(), 1);
    assert_eq!(b.usage[0].usage.requests, Some(7));
    assert_eq!(b.usage[0].usage.cost_usd, Some(1.5));
}

#[test]
fn bad_date_is_a_warning_and_unknown() {
    let b = read_text(
        "keys.csv",
        "Name,Secret key,Created,Last used,Created by,Permissions\nci,sk-proj-...a1B2,someday,Never,Ada,All\n",
    )
    .expect("reads");
    assert_eq!(
        b.warnings,
        vec!["line 2, column Created: unrecognized date \"someday\" (left unknown)"]
    );
    assert_eq!(b.keys[0].created, None);
    assert_eq!(b.keys[0].last_used, LastUsed::Never);
}

#[test]
fn unrecognized_header_says_what_was_looked_for() {
    let e = read_text("notes.csv", "Model,Region,Latency\ngpt-5,eu,120\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "notes.csv: line 1: no table of API keys, members, projects, limits or usage found; \
         expected headers such as Name, Secret key, Created, Last used (keys), Name, Email, Role \
         (members), or a key or project with Cost, Requests, Input tokens (usage); the header \
         has: Model, Region, Latency"
    );
}

#[test]
fn empty_file_is_an_error() {
    let e = read_text("empty.csv", "").unwrap_err();
    assert_eq!(e.to_string(), "empty.csv: empty file: no header line");
    let e = read_text("blank.csv", "\r\n  \n").unwrap_err();
    assert_eq!(e.to_string(), "blank.csv: empty file: no header line");
}

#[test]
fn header_only_is_an_empty_table_with_a_warning() {
    let b = read_text(
        "keys.csv",
        "provider,key_name,redacted_key,key_kind,last_used\r\n",
    )
    .expect("reads");
    assert_eq!(b.kind, "csv:keys");
    assert_eq!(b.records(), 0);
    assert_eq!(
        b.warnings.last().map(String::as_str),
        Some("only a header (line 1): no rows to read")
    );
}

#[test]
fn binary_junk_is_an_error_not_a_panic() {
    let junk: Vec<u8> = (0u8..=255).cycle().take(4096).collect();
    let e = ingest::read(&Context::new("junk.bin", AS_OF), &junk).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("junk.bin: binary data, not text; "),
        "{e}"
    );
    let e = read_text("junk.txt", "\u{0}\u{1}\u{2}garbage\u{7f}").unwrap_err();
    assert!(
        e.to_string()
            .starts_with("junk.txt: line 1: no table of API keys"),
        "{e}"
    );
}

#[test]
fn a_million_rows_make_few_usage_rows() {
    let mut text =
        String::from("date,api_key_id,project_id,num_model_requests,input_tokens,output_tokens\n");
    for i in 0..20_000u32 {
        text.push_str(&format!(
            "2026-10-{:02},key_{},proj_a,1,10,2\n",
            i % 28 + 1,
            i % 5
        ));
    }
    let b = read_text("activity.csv", &text).expect("reads");
    assert_eq!(b.usage.len(), 28 * 5);
    let total: u64 = b.usage.iter().filter_map(|r| r.usage.requests).sum();
    assert_eq!(total, 20_000);
}

#[test]
fn keys_csv_formula_neutralization_is_undone() {
    let text = "provider,project_id,project_name,key_id,key_name,redacted_key,key_kind,owner_type,owner_name,owner_email,owner_id,created_by,permissions,created,last_used,age_days,idle_days,requests,input_tokens,output_tokens,cost_usd,risk,rules,sources\n\
openai,,'=HYPERLINK(1),,'-test,sk-proj-...a1B2,project,user,'@ops,,,,all,2025-01-01,,,,,,,,,,keys.csv\n";
    let b = read_text("keys.csv", text).expect("reads");
    let k = &b.keys[0];
    assert_eq!(k.name, "-test");
    assert_eq!(
        k.project.as_ref().and_then(|p| p.name.as_deref()),
        Some("=HYPERLINK(1)")
    );
    assert_eq!(k.owner.name.as_deref(), Some("@ops"));
    // Only Key Roster's own export is un-neutralized; an edited sheet keeps what it says.
    let b = read_text(
        "sheet.csv",
        "Name,Secret key,Last used\n'-test,sk-proj-...a1B2,Never\n",
    )
    .expect("reads");
    assert_eq!(b.keys[0].name, "'-test");
}

/// Not a benchmark harness, a measurement to run by hand in release:
/// `cargo test --release --test ingest_csv -- --ignored --nocapture`.
#[test]
#[ignore]
fn measure_a_million_row_cost_export() {
    let mut text = String::from("start_time,end_time,start_time_iso,end_time_iso,amount_value,amount_currency,quantity,quantity_unit,line_item,user_id,api_key_id,project_id,organization_id,project_name,organization_name,user_email,api_source\n");
    for i in 0..1_000_000u64 {
        let day = 1790380800 + (i % 60) * 86400;
        text.push_str(&format!(
            "{day},{},2026-09-26T00:00:00+00:00,2026-09-27T00:00:00+00:00,0.00{:04},usd,{},tokens,\"gpt-5-nano, input_tokens\",,key_{},proj_{},org-fixture,Proj {},Fixture Org,someone@example.com,\n",
            day + 86400,
            i % 9999,
            i % 5000,
            i % 200,
            i % 7,
            i % 7
        ));
    }
    let t = std::time::Instant::now();
    let b = read_text("cost.csv", &text).expect("reads");
    eprintln!(
        "{} MB, {} usage rows, {:?}",
        text.len() / 1_000_000,
        b.usage.len(),
        t.elapsed()
    );
    assert!(b.usage.len() <= 60 * 200);
}

#[test]
fn title_lines_before_the_header_are_skipped_with_a_warning() {
    let text = "Acme Robotics: API keys, exported Nov 2026\r\n\r\nOwner review;;\r\nKey name;Key;Owner\r\nci;sk-proj-...a1B2;Ada\r\n";
    let b = read_text("review.csv", text).expect("reads");
    assert_eq!(b.kind, "csv:keys");
    assert_eq!(
        b.warnings[0],
        "lines 1-3 skipped: the table's header is line 4"
    );
    assert_eq!(b.keys.len(), 1);
    assert_eq!(b.keys[0].name, "ci");
    assert_eq!(b.keys[0].owner.name.as_deref(), Some("Ada"));
}
