//! Exports: golden CSV files of a hand-built report (and of the Acme fixture org end to end),
//! keys.csv read back into the same keys, the workbook read back cell by cell and its XML
//! checked for quote-prefixed text and formats, JSON read back, and no full secret in any
//! export whatever the report held. Formula injection, character by character, is in
//! export_injection.rs.
//!
//! Regenerate the golden files with `KEYROSTER_BLESS=1 cargo test --test export`.

use crate::support;

use std::io::Cursor;
use std::path::Path;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use keyroster::export::{self, csv::CsvOptions, sanitize};
use keyroster::ingest::Context;
use keyroster::model::{Key, LastUsed, Owner, OwnerType, ProjectRef};
use keyroster::{analyze, Inventory, Policy, Report};
use support::report::{HOSTILE_KEY, HOSTILE_OWNER};
use support::xlsx::{cell_formats, sheet_cells, xlsx_parts};
use support::{fixtures, org_inventory, AS_OF};

const SECRET_MARK: &str = "T3BlbkFJ";

fn secret() -> String {
    format!(
        "sk-proj-{}{SECRET_MARK}{}",
        "Ab3".repeat(25),
        "Zx9".repeat(25)
    )
}

/// The fixture org, analyzed, plus keys with hostile names (formula injection, a pasted secret).
fn hostile_org_report() -> Report {
    let mut inv = org_inventory();
    for (i, name) in [
        "=cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "+1-2",
        "-2+3",
        "\tTAB",
        "\rCR",
        "  =spaced",
        &format!("leak {}", secret()),
    ]
    .iter()
    .enumerate()
    {
        inv.keys.push(Key {
            name: name.to_string(),
            redacted: Some(format!("sk-proj-...H{i:03}")),
            project: Some(ProjectRef {
                id: None,
                name: Some("=HYPERLINK(\"http://x\")".into()),
            }),
            owner: Owner {
                kind: OwnerType::User,
                name: Some("@attacker".into()),
                ..Owner::default()
            },
            last_used: LastUsed::Never,
            sources: vec!["hostile.csv".into()],
            ..Key::default()
        });
    }
    analyze(&inv, &Policy::default(), AS_OF)
}

/// The hand-built report with a full secret pasted into every text a user or page controls.
fn leaky_report() -> Report {
    let mut r = support::report::report();
    let leak = |s: &mut String| *s = format!("{s} {}", secret());
    let k = &mut r.keys[0].key;
    leak(&mut k.name);
    leak(k.owner.name.as_mut().unwrap());
    leak(k.project.as_mut().unwrap().name.as_mut().unwrap());
    leak(k.sources.first_mut().unwrap());
    leak(&mut r.findings[1].message);
    leak(&mut r.findings[6].muted.as_mut().unwrap().reason);
    leak(r.org.as_mut().unwrap());
    leak(&mut r.sources[0].name);
    leak(r.projects[3].name.as_mut().unwrap());
    r
}

fn golden(name: &str, actual: &[u8]) {
    let path = fixtures().join("golden").join(name);
    if std::env::var_os("KEYROSTER_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read(&path)
        .unwrap_or_else(|_| panic!("missing {}: run with KEYROSTER_BLESS=1", path.display()));
    assert!(
        expected == actual,
        "{name} differs from its golden file:\n{}",
        String::from_utf8_lossy(actual)
    );
}

/// For opening by hand (LibreOffice, Excel): `KEYROSTER_DUMP=dir` writes test workbooks there.
fn dump(name: &str, bytes: &[u8]) {
    if let Some(dir) = std::env::var_os("KEYROSTER_DUMP") {
        std::fs::write(Path::new(&dir).join(name), bytes).unwrap();
    }
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    r.records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The value of `column` in the row whose `key_column` is `key`.
fn cell(rows: &[Vec<String>], key_column: &str, key: &str, column: &str) -> String {
    let col = |h: &str| rows[0].iter().position(|x| x == h).unwrap();
    rows.iter()
        .find(|r| r[col(key_column)] == key)
        .unwrap_or_else(|| panic!("no row with {key_column} = {key:?}"))[col(column)]
    .clone()
}

#[test]
fn csv_set_matches_golden_files() {
    let r = support::report::report();
    let o = CsvOptions::default();
    golden("keys.csv", &export::csv::keys(&r, &o));
    golden("findings.csv", &export::csv::findings(&r, &o));
    golden("owners.csv", &export::csv::owners(&r, &o));
    golden("projects.csv", &export::csv::projects(&r, &o));
}

#[test]
fn fixture_org_csv_set_matches_golden_files() {
    // End to end: the fixture org's pages and files, ingested and analyzed, then exported.
    let r = analyze(&org_inventory(), &Policy::default(), AS_OF);
    let o = CsvOptions::default();
    golden("org/keys.csv", &export::csv::keys(&r, &o));
    golden("org/findings.csv", &export::csv::findings(&r, &o));
    golden("org/owners.csv", &export::csv::owners(&r, &o));
    golden("org/projects.csv", &export::csv::projects(&r, &o));
}

#[test]
fn keys_csv_has_the_spec_columns_in_order() {
    let rows = csv_rows(&export::csv::keys(
        &support::report::report(),
        &CsvOptions::default(),
    ));
    assert_eq!(
        rows[0].join(", "),
        "provider, project_id, project_name, key_id, key_name, redacted_key, key_kind, \
         owner_type, owner_name, owner_email, owner_id, created_by, permissions, created, \
         last_used, age_days, idle_days, requests, input_tokens, output_tokens, cost_usd, risk, \
         rules, sources"
    );
}

#[test]
fn keys_csv_cells_follow_the_contract() {
    let rows = csv_rows(&export::csv::keys(
        &support::report::report(),
        &CsvOptions::default(),
    ));
    assert_eq!(rows.len(), 9, "header and eight keys");
    let c = |key: &str, col: &str| cell(&rows, "key_name", key, col);
    // Never used vs unknown stay distinct.
    assert_eq!(c("Secret key", "last_used"), "never");
    assert_eq!(c("Main Admin Key", "last_used"), "");
    assert_eq!(c("payments-prod", "last_used"), "2026-11-21");
    assert_eq!(c("payments-prod", "created"), "2025-03-02");
    // Numbers plain: no thousands separator, cost in full precision, negative cost as is.
    assert_eq!(c("payments-prod", "input_tokens"), "9812345");
    assert_eq!(c("support-bot", "cost_usd"), "12.345678901");
    assert_eq!(c("refunds \"EU\", nightly\nbatch", "cost_usd"), "-1.5");
    assert_eq!(c("refunds \"EU\", nightly\nbatch", "input_tokens"), "");
    // Enum ids in snake_case; lists `;`-separated; no risk is `none`.
    assert_eq!(c("support-bot", "key_kind"), "service_account");
    assert_eq!(c("support-bot", "permissions"), "read_only");
    assert_eq!(c("support-bot", "risk"), "none");
    assert_eq!(
        c("payments-prod", "rules"),
        "owner-departed;rotation-overdue"
    );
    assert_eq!(
        c("payments-prod", "sources"),
        "api-keys.html;project_api_keys_proj_Pay83kdQ.json"
    );
    assert_eq!(c("old laptop", "owner_type"), "unknown");
    assert_eq!(c("old laptop", "age_days"), "");
    assert_eq!(c("old laptop", "idle_days"), "1047");
}

#[test]
fn csv_is_rfc4180_with_crlf_and_quoted_fields() {
    let text = String::from_utf8(export::csv::keys(
        &support::report::report(),
        &CsvOptions::default(),
    ))
    .unwrap();
    assert!(text.contains(",\"refunds \"\"EU\"\", nightly\nbatch\","));
    assert!(text.ends_with("\r\n"));
    assert_eq!(text.matches("\r\n").count(), 9);
}

#[test]
fn bom_option_starts_with_a_byte_order_mark() {
    let r = support::report::report();
    let bom = CsvOptions {
        bom: true,
        ..CsvOptions::default()
    };
    for (with, without, header) in [
        (
            export::csv::keys(&r, &bom),
            export::csv::keys(&r, &CsvOptions::default()),
            "provider,",
        ),
        (
            export::csv::findings(&r, &bom),
            export::csv::findings(&r, &CsvOptions::default()),
            "severity,",
        ),
        (
            export::csv::owners(&r, &bom),
            export::csv::owners(&r, &CsvOptions::default()),
            "owner_type,",
        ),
        (
            export::csv::projects(&r, &bom),
            export::csv::projects(&r, &CsvOptions::default()),
            "project_id,",
        ),
    ] {
        assert!(with.starts_with(b"\xEF\xBB\xBF"), "{header}");
        assert_eq!(&with[3..], &without[..], "{header}");
        assert!(without.starts_with(header.as_bytes()), "{header}");
    }
}

#[test]
fn findings_csv_marks_muted_findings_and_their_reason() {
    let rows = csv_rows(&export::csv::findings(
        &support::report::report(),
        &CsvOptions::default(),
    ));
    assert_eq!(rows.len(), 10, "header and nine findings, muted included");
    let f = |rule: &str, col: &str| cell(&rows, "rule", rule, col);
    assert_eq!(f("never-used", "muted"), "yes");
    assert_eq!(
        f("never-used", "mute_reason"),
        "'-staging key, reviewed by @ben"
    );
    assert_eq!(f("never-used", "key_name"), "Secret key");
    assert_eq!(f("owner-departed", "muted"), "no");
    assert_eq!(f("owner-departed", "key_id"), "key_Pq3L9wXc0vN2mR7t");
    assert_eq!(f("owner-departed", "project"), "Payments");
    assert_eq!(f("exposed-secret", "severity"), "critical");
    assert_eq!(f("exposed-secret", "redacted_key"), "sk-proj-...Hh31");
    assert_eq!(f("no-spend-limit", "project"), "Data Pipeline");
    assert_eq!(f("no-spend-limit", "key_id"), "");
}

#[test]
fn owners_and_projects_csv_count_keys_cost_and_findings() {
    let r = support::report::report();
    let owners = csv_rows(&export::csv::owners(&r, &CsvOptions::default()));
    let o = |name: &str, col: &str| cell(&owners, "owner_name", name, col);
    assert_eq!(o("Frank Li", "owner_email"), "frank.li@acme-robotics.com");
    assert_eq!(o("Frank Li", "keys"), "1");
    assert_eq!(o("Frank Li", "high"), "1");
    assert_eq!(o("Frank Li", "medium"), "1");
    assert_eq!(o("refund-worker", "owner_type"), "service_account");
    assert_eq!(o("refund-worker", "cost_usd"), "-1.5");
    assert_eq!(o("Ben Carter", "low"), "0", "its only finding is muted");
    assert_eq!(o("Ben Carter", "last_used"), "never");
    assert_eq!(o("Ada Okafor", "last_used"), "");
    assert_eq!(o("(unknown owner)", "owner_type"), "unknown");
    assert_eq!(o(&format!("'{HOSTILE_OWNER}"), "low"), "1");

    let projects = csv_rows(&export::csv::projects(&r, &CsvOptions::default()));
    let p = |name: &str, col: &str| cell(&projects, "project_name", name, col);
    assert_eq!(
        projects.len(),
        7,
        "header, five key groups, one keyless project"
    );
    assert_eq!(p("Payments", "project_id"), "proj_Pay83kdQ");
    assert_eq!(p("Payments", "keys"), "2");
    assert_eq!(p("Payments", "active_keys"), "2");
    assert_eq!(p("Payments", "cost_usd"), "380.4");
    assert_eq!(p("Payments", "hard_limit_usd"), "500");
    assert_eq!(p("Payments", "soft_limit_usd"), "400");
    assert_eq!(p("Data Pipeline", "hard_limit_usd"), "");
    assert_eq!(p("Data Pipeline", "last_used"), "2025-05-30");
    assert_eq!(p("Legacy Sandbox", "status"), "archived");
    assert_eq!(p("Legacy Sandbox", "keys"), "0");
    assert_eq!(p("Legacy Sandbox", "last_used"), "");
    assert_eq!(p("Legacy Sandbox", "hard_limit_usd"), "0.5");
    assert_eq!(p("'-Growth experiments", "project_id"), "");
    assert_eq!(p("(no project)", "keys"), "2");
}

#[test]
fn keys_subset_exports_the_given_keys_in_the_given_order() {
    let r = support::report::report();
    let rows = csv_rows(&export::csv::keys_subset(
        &r,
        &[6, 0, 99],
        &CsvOptions::default(),
    ));
    let names: Vec<&str> = rows.iter().skip(1).map(|r| r[4].as_str()).collect();
    assert_eq!(
        names,
        ["support-bot", "payments-prod"],
        "index 99 is skipped"
    );
    let tsv = String::from_utf8(export::csv::keys_subset(
        &r,
        &[1],
        &CsvOptions {
            bom: false,
            tabs: true,
        },
    ))
    .unwrap();
    // Tab-separated for the clipboard: a line break inside a name would split the pasted row.
    assert!(
        tsv.contains("\t\"refunds \"\"EU\"\", nightly batch\"\t"),
        "{tsv}"
    );
}

#[test]
fn keys_csv_reads_back_into_the_same_keys() {
    let r = support::report::report();
    let csv = export::csv::keys(
        &r,
        &CsvOptions {
            bom: true,
            ..CsvOptions::default()
        },
    );
    let mut back = Inventory::default();
    back.ingest(&Context::new("keys.csv", AS_OF), &csv);
    assert_eq!(back.sources[0].error, None, "{:?}", back.sources[0]);
    assert_eq!(back.sources[0].kind, "csv:keyroster-keys");
    assert_eq!(back.keys.len(), r.keys.len());
    for (a, b) in r.keys.iter().map(|k| &k.key).zip(&back.keys) {
        let n = &a.name;
        assert_eq!(b.provider, a.provider, "{n}");
        assert_eq!(b.id, a.id, "{n}");
        assert_eq!(b.name, a.name, "{n}");
        assert_eq!(b.redacted, a.redacted, "{n}");
        assert_eq!(b.kind, a.kind, "{n}");
        assert_eq!(b.project, a.project, "{n}");
        assert_eq!(b.owner, a.owner, "{n}");
        assert_eq!(b.created_by, a.created_by, "{n}");
        assert_eq!(b.permissions, a.permissions, "{n}");
        assert_eq!(b.created, a.created, "{n}");
        assert_eq!(b.last_used, a.last_used, "{n}");
        assert_eq!(b.usage, a.usage, "{n}");
        assert_eq!(b.sources, a.sources, "{n}");
    }
}

#[test]
fn fixture_org_keys_csv_reads_back_with_secrets_redacted() {
    let r = hostile_org_report();
    let csv = export::csv::keys(&r, &CsvOptions::default());
    let mut back = Inventory::default();
    back.ingest(&Context::new("keys.csv", AS_OF), &csv);
    assert_eq!(back.sources[0].error, None, "{:?}", back.sources[0]);
    assert_eq!(back.keys.len(), r.keys.len());
    for (a, b) in r.keys.iter().map(|k| &k.key).zip(&back.keys) {
        assert_eq!(b.name, keyroster::secret::scrub(&a.name).0, "name");
        assert_eq!((&b.id, &b.redacted, b.kind), (&a.id, &a.redacted, a.kind));
        assert_eq!(b.project, a.project, "{}", a.name);
        assert_eq!(b.owner, a.owner, "{}", a.name);
        assert_eq!((b.created, b.last_used), (a.created, a.last_used));
    }
}

#[test]
fn no_csv_cell_would_run_as_a_formula() {
    // Every cell of every CSV is a plain number or text no spreadsheet evaluates.
    for r in [support::report::report(), hostile_org_report()] {
        let o = CsvOptions::default();
        for (name, bytes) in [
            ("keys.csv", export::csv::keys(&r, &o)),
            ("findings.csv", export::csv::findings(&r, &o)),
            ("owners.csv", export::csv::owners(&r, &o)),
            ("projects.csv", export::csv::projects(&r, &o)),
        ] {
            for row in csv_rows(&bytes) {
                for c in row {
                    assert!(
                        c.parse::<f64>().is_ok() || !sanitize::is_formula_like(&c),
                        "{name}: {c:?}"
                    );
                }
            }
        }
    }
    let rows = csv_rows(&export::csv::keys(
        &hostile_org_report(),
        &CsvOptions::default(),
    ));
    for name in [
        "'=cmd|' /C calc'!A0",
        "'@SUM(1+1)*cmd|' /C calc'!A0",
        "'+1-2",
        "'-2+3",
        "'\tTAB",
        "'\rCR",
        "'  =spaced",
    ] {
        assert_eq!(cell(&rows, "key_name", name, "owner_name"), "'@attacker");
        assert_eq!(
            cell(&rows, "key_name", name, "project_name"),
            "'=HYPERLINK(\"http://x\")"
        );
    }
}

#[test]
fn negative_cost_stays_a_number_in_csv_and_workbook() {
    let r = support::report::report();
    let rows = csv_rows(&export::csv::keys(&r, &CsvOptions::default()));
    assert_eq!(rows[2][20], "-1.5", "no quote prefix on a number");
    let mut wb: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(export::xlsx::workbook(&r).unwrap())).unwrap();
    let keys = wb.worksheet_range("Keys").unwrap();
    assert_eq!(keys.get((2, 20)), Some(&Data::Float(-1.5)));
    let owners = wb.worksheet_range("Owners").unwrap();
    let refund = owners
        .rows()
        .find(|r| r[1] == Data::String("refund-worker".into()))
        .unwrap();
    assert_eq!(
        refund[11],
        Data::Float(-1.5),
        "the cost column after the roles"
    );
}

fn header(range: &calamine::Range<Data>) -> Vec<String> {
    range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect()
}

#[test]
fn workbook_reads_back_with_sheets_headers_dates_numbers_and_inert_text() {
    let r = support::report::report();
    let bytes = export::xlsx::workbook(&r).unwrap();
    dump(&export::file_name(&r, "", "xlsx"), &bytes);
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(
        wb.sheet_names(),
        ["Summary", "Keys", "Findings", "Owners", "Projects"]
    );

    let keys = wb.worksheet_range("Keys").unwrap();
    let h = header(&keys);
    assert_eq!(h.len(), 24);
    assert_eq!(
        h[..6],
        [
            "Provider",
            "Project ID",
            "Project",
            "Key ID",
            "Key name",
            "Redacted key"
        ]
    );
    assert_eq!(h[20..], ["Cost (USD)", "Risk", "Rules", "Sources"]);
    assert_eq!(keys.height(), 9);
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    let row = |name: &str| {
        keys.rows()
            .find(|r| r[col("Key name")] == Data::String(name.into()))
            .unwrap()
    };
    let pay = row("payments-prod");
    match &pay[col("Created")] {
        Data::DateTime(d) => assert_eq!(d.to_ymd_hms_milli(), (2025, 3, 2, 0, 0, 0, 0)),
        other => panic!("created is not a date: {other:?}"),
    }
    match &pay[col("Last used")] {
        Data::DateTime(d) => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            assert_eq!((y, m, day), (2026, 11, 21));
        }
        other => panic!("last used is not a date: {other:?}"),
    }
    assert_eq!(pay[col("Cost (USD)")], Data::Float(381.9));
    assert_eq!(pay[col("Input tokens")], Data::Float(9_812_345.0));
    assert_eq!(pay[col("Age (days)")], Data::Float(630.0));
    assert_eq!(pay[col("Risk")], Data::String("high".into()));
    assert_eq!(
        pay[col("Rules")],
        Data::String("owner-departed; rotation-overdue".into())
    );
    // Never used is said; unknown is an empty cell.
    assert_eq!(
        row("Secret key")[col("Last used")],
        Data::String("never".into())
    );
    assert_eq!(row("Main Admin Key")[col("Last used")], Data::Empty);
    assert_eq!(row("Main Admin Key")[col("Requests")], Data::Empty);
    // Hostile text reads back as itself (the cell format keeps it inert), never as a formula.
    let hostile = row(HOSTILE_KEY);
    assert_eq!(hostile[col("Owner")], Data::String(HOSTILE_OWNER.into()));
    assert_eq!(
        hostile[col("Project")],
        Data::String("-Growth experiments".into())
    );
    for sheet in ["Summary", "Keys", "Findings", "Owners", "Projects"] {
        let formulas = wb.worksheet_formula(sheet).unwrap();
        assert!(
            formulas.rows().flatten().all(|f| f.is_empty()),
            "no formula in {sheet}"
        );
    }

    let findings = wb.worksheet_range("Findings").unwrap();
    assert_eq!(
        header(&findings),
        [
            "Severity",
            "Rule",
            "Muted",
            "Mute reason",
            "Key ID",
            "Key",
            "Redacted key",
            "Project",
            "Owner",
            "Evidence",
            "Remediation",
            "Change"
        ]
    );
    assert_eq!(findings.height(), 10);
    let muted = findings
        .rows()
        .find(|r| r[1] == Data::String("never-used".into()))
        .unwrap();
    assert_eq!(muted[2], Data::String("yes".into()));
    assert_eq!(
        muted[3],
        Data::String("-staging key, reviewed by @ben".into())
    );

    let owners = wb.worksheet_range("Owners").unwrap();
    assert_eq!(
        header(&owners)[..9],
        [
            "Owner type",
            "Owner",
            "Owner email",
            "Owner ID",
            "Org role",
            "Project roles",
            "Membership",
            "Membership source",
            "Keys"
        ]
    );
    let projects = wb.worksheet_range("Projects").unwrap();
    assert_eq!(
        header(&projects)[..6],
        [
            "Project ID",
            "Project",
            "Status",
            "Hard limit (USD)",
            "Soft limit (USD)",
            "Keys"
        ]
    );
    let sandbox = projects
        .rows()
        .find(|r| r[1] == Data::String("Legacy Sandbox".into()))
        .expect("keyless projects are listed");
    assert_eq!(sandbox[3], Data::Float(0.5));
    assert_eq!(sandbox[5], Data::Float(0.0));

    let summary = wb.worksheet_range("Summary").unwrap();
    let label = |l: &str| {
        summary
            .rows()
            .find(|r| r[0] == Data::String(l.into()))
            .unwrap_or_else(|| panic!("no {l} line"))[1]
            .clone()
    };
    assert_eq!(label("Organization"), Data::String("Acme Robotics".into()));
    assert!(matches!(label("As of"), Data::DateTime(_)));
    assert_eq!(label("Policy"), Data::String("default".into()));
    assert_eq!(label("Keys"), Data::Float(8.0));
    assert_eq!(
        label("Active keys (used in the last 30 days)"),
        Data::Float(4.0)
    );
    assert_eq!(label("Cost (USD)"), Data::Float(381.9 - 1.5 + 12.345678901));
    assert_eq!(label("critical"), Data::Float(1.0));
    assert_eq!(label("high"), Data::Float(2.0));
    assert_eq!(
        label("low"),
        Data::Float(1.0),
        "the muted one is not counted"
    );
    assert_eq!(label("muted"), Data::Float(1.0));
    assert_eq!(label("=broken.csv"), Data::String("unknown".into()));
    assert_eq!(label("usage.csv"), Data::String("csv:usage".into()));
}

#[test]
fn keys_subset_workbook_holds_the_given_keys_in_the_given_order() {
    let r = support::report::report();
    let bytes = export::xlsx::keys_subset(&r, &[7, 0, 42]).unwrap();
    dump("subset.xlsx", &bytes);
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
    assert_eq!(wb.sheet_names(), ["Keys"]);
    let keys = wb.worksheet_range("Keys").unwrap();
    assert_eq!(header(&keys).len(), 24);
    let names: Vec<Data> = keys.rows().skip(1).map(|r| r[4].clone()).collect();
    assert_eq!(
        names,
        [
            Data::String(HOSTILE_KEY.into()),
            Data::String("payments-prod".into())
        ]
    );
    let parts = xlsx_parts(&bytes);
    assert!(sheet_cells(&parts, 1)
        .iter()
        .all(|(_, kind, xf)| kind != "s" || xf.quote_prefix));
}

#[test]
fn workbook_holds_text_too_long_for_a_cell_and_characters_xml_forbids() {
    let mut r = support::report::report();
    r.keys[0].key.name = format!("={}", "x".repeat(40_000));
    r.keys[2].key.name = "bell\u{7} nul\u{0} vt\u{b} nonchar\u{FFFF}".into();
    let bytes = export::xlsx::workbook(&r).unwrap();
    dump("odd-text.xlsx", &bytes);
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let keys = wb.worksheet_range("Keys").unwrap();
    let long = keys.get((1, 4)).unwrap().to_string();
    assert_eq!(long.encode_utf16().count(), sanitize::MAX_XLSX_TEXT);
    assert!(long.starts_with("=xxx") && long.ends_with(sanitize::CUT_MARK));
    assert_eq!(
        keys.get((3, 4)),
        Some(&Data::String(
            "bell\u{7} nul\u{0} vt\u{b} nonchar\u{FFFD}".into()
        ))
    );
}

#[test]
fn every_workbook_text_cell_is_quote_prefixed_and_numbers_are_formatted() {
    let bytes = export::xlsx::workbook(&support::report::report()).unwrap();
    let parts = xlsx_parts(&bytes);
    for sheet in 1..=5 {
        let cells = sheet_cells(&parts, sheet);
        assert!(cells.len() > 20, "sheet {sheet} has cells");
        for (at, kind, xf) in &cells {
            match kind.as_str() {
                // Text, as shared strings: the quote prefix keeps it text when a user edits it.
                "s" => assert!(xf.quote_prefix, "sheet {sheet} {at} lacks the quote prefix"),
                "n" => assert!(
                    !xf.quote_prefix,
                    "sheet {sheet} {at}: a number stays a number"
                ),
                other => panic!("sheet {sheet} {at}: unexpected cell type {other}"),
            }
        }
        let xml = &parts
            .iter()
            .find(|(n, _)| *n == format!("xl/worksheets/sheet{sheet}.xml"))
            .unwrap()
            .1;
        assert!(
            !xml.contains("<f>") && !xml.contains("<f "),
            "sheet {sheet} has a formula"
        );
        if sheet > 1 {
            // Tables: the header row frozen, filterable, columns fitted (the Summary is a form).
            assert!(
                xml.contains("<pane ") && xml.contains("state=\"frozen\""),
                "sheet {sheet}"
            );
            assert!(
                xml.contains("<autoFilter "),
                "sheet {sheet} has an autofilter"
            );
            assert!(
                xml.contains("customWidth=\"1\""),
                "sheet {sheet} has fitted widths"
            );
        }
    }
    // Keys: cost as currency (U2 is payments-prod's cost), dates as dates, counts as integers.
    let keys = sheet_cells(&parts, 2);
    let format_of = |at: &str| &keys.iter().find(|(r, _, _)| r == at).unwrap().2.num_fmt;
    assert_eq!(format_of("U2"), "$#,##0.00");
    assert_eq!(format_of("N2"), "yyyy-mm-dd");
    assert_eq!(format_of("R2"), "#,##0");
    assert!(cell_formats(&parts).iter().any(|f| f.quote_prefix));
}

#[test]
fn severity_cells_are_colored_by_severity() {
    let bytes = export::xlsx::workbook(&support::report::report()).unwrap();
    let parts = xlsx_parts(&bytes);
    let styles = &parts.iter().find(|(n, _)| n == "xl/styles.xml").unwrap().1;
    for rgb in ["FF7F1D1D", "FFDC2626", "FFF59E0B", "FFFDE68A", "FFE5E7EB"] {
        assert!(styles.contains(rgb), "fill {rgb}");
    }
    // Each severity in the Findings sheet has its own format.
    let findings = sheet_cells(&parts, 3);
    let xml = &parts
        .iter()
        .find(|(n, _)| n == "xl/worksheets/sheet3.xml")
        .unwrap()
        .1;
    let style_of = |at: &str| {
        support::xlsx::tags(xml, "c")
            .into_iter()
            .find(|t| support::xlsx::attr(t, "r") == Some(at))
            .and_then(|t| support::xlsx::attr(t, "s"))
            .unwrap()
            .to_string()
    };
    assert_eq!(
        findings
            .iter()
            .filter(|(r, _, _)| r.starts_with('A'))
            .count(),
        10
    );
    // A2 critical, A3 and A4 high, A5 medium.
    assert_ne!(style_of("A2"), style_of("A3"));
    assert_eq!(style_of("A3"), style_of("A4"));
    assert_ne!(style_of("A4"), style_of("A5"));
}

#[test]
fn no_export_holds_a_full_secret() {
    for r in [leaky_report(), hostile_org_report()] {
        let o = CsvOptions::default();
        let xlsx = export::xlsx::workbook(&r).unwrap();
        let mut outputs = vec![
            ("keys.csv".to_string(), export::csv::keys(&r, &o)),
            ("findings.csv".into(), export::csv::findings(&r, &o)),
            ("owners.csv".into(), export::csv::owners(&r, &o)),
            ("projects.csv".into(), export::csv::projects(&r, &o)),
            ("report.json".into(), export::json::report(&r)),
            ("xlsx".into(), xlsx.clone()),
        ];
        // The workbook is zipped: look inside each of its parts too.
        outputs.extend(
            xlsx_parts(&xlsx)
                .into_iter()
                .map(|(n, t)| (n, t.into_bytes())),
        );
        for (name, bytes) in outputs {
            assert!(
                !bytes
                    .windows(SECRET_MARK.len())
                    .any(|w| w == SECRET_MARK.as_bytes()),
                "{name} holds a secret"
            );
        }
    }
    // What was redacted is still there to read, as its redaction.
    let keys =
        String::from_utf8(export::csv::keys(&leaky_report(), &CsvOptions::default())).unwrap();
    assert!(keys.contains("payments-prod sk-proj-...9Zx9"), "{keys}");
}

#[test]
fn report_json_reads_back_into_the_same_report() {
    let r = support::report::report();
    let json = export::json::report(&r);
    assert!(json.ends_with(b"}\n"));
    let mut back: Report = serde_json::from_slice(&json).unwrap();
    // serde_json's default float parser may miss the last bit of a long decimal.
    let (a, b) = (back.summary.cost_usd.unwrap(), r.summary.cost_usd.unwrap());
    assert!((a - b).abs() < 1e-9, "{a} vs {b}");
    back.summary.cost_usd = r.summary.cost_usd;
    assert_eq!(back, r);
    // Stable field order: the order of the Report type.
    let text = String::from_utf8(json).unwrap();
    let at = |field: &str| text.find(&format!("\n  \"{field}\":")).unwrap();
    assert!(at("as_of") < at("org") && at("org") < at("policy") && at("keys") < at("summary"));
    assert!(text.contains("\"last_used\": \"never\""));
    assert!(text.contains("\"last_used\": null"));
}

#[test]
fn report_json_redacts_a_secret_and_stays_valid() {
    let json = export::json::report(&leaky_report());
    let back: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(
        back["org"],
        serde_json::json!("Acme Robotics sk-proj-...9Zx9")
    );
}

#[test]
fn file_names_carry_org_and_date() {
    let r = support::report::report();
    assert_eq!(
        export::file_name(&r, "", "xlsx"),
        "keyroster-acme-robotics-2026-11-22.xlsx"
    );
    assert_eq!(
        export::file_name(&r, "keys", "csv"),
        "keyroster-acme-robotics-keys-2026-11-22.csv"
    );
    let no_org = Report {
        org: None,
        ..support::report::report()
    };
    assert_eq!(
        export::file_name(&no_org, "", "xlsx"),
        "keyroster-2026-11-22.xlsx"
    );
    let hostile = Report {
        org: Some("=../../Ünïcode Corp\\evil".into()),
        ..support::report::report()
    };
    assert_eq!(
        export::file_name(&hostile, "findings", "csv"),
        "keyroster-unicode-corp-evil-findings-2026-11-22.csv"
    );
}

/// Measures the exporters on a large org (run with
/// `cargo test --release --test export -- --ignored --nocapture`).
#[test]
#[ignore = "timing; run by hand in release"]
fn exports_scale_to_ten_thousand_keys() {
    let base = support::report::report();
    let mut r = base.clone();
    r.keys = (0..10_000)
        .map(|i| {
            let mut k = base.keys[i % base.keys.len()].clone();
            k.key.name = format!("{} {i}", k.key.name);
            k
        })
        .collect();
    r.findings = (0..20_000)
        .map(|i| base.findings[i % base.findings.len()].clone())
        .collect();
    let o = CsvOptions::default();
    let time = |name: &str, f: &dyn Fn() -> Vec<u8>| {
        let t = std::time::Instant::now();
        let bytes = f();
        eprintln!("{name}: {} bytes in {:?}", bytes.len(), t.elapsed());
        bytes
    };
    let keys = time("keys.csv", &|| export::csv::keys(&r, &o));
    assert_eq!(csv_rows(&keys).len(), 10_001);
    let findings = time("findings.csv", &|| export::csv::findings(&r, &o));
    assert_eq!(csv_rows(&findings).len(), 20_001);
    let xlsx = time("xlsx", &|| export::xlsx::workbook(&r).unwrap());
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(xlsx)).unwrap();
    assert_eq!(wb.worksheet_range("Keys").unwrap().height(), 10_001);
    let json = time("report.json", &|| export::json::report(&r));
    assert!(serde_json::from_slice::<serde_json::Value>(&json).is_ok());
}

#[test]
fn names_that_start_with_a_quote_survive_the_keys_csv_round_trip() {
    let mut r = support::report::report();
    let names = ["'=x", "' =y", "'plain", "''twice"];
    for (k, name) in r.keys.iter_mut().zip(names) {
        k.key.name = name.to_string();
    }
    let csv = export::csv::keys(&r, &CsvOptions::default());
    let text = String::from_utf8(csv.clone()).unwrap();
    assert!(
        text.contains("''=x"),
        "a quote-led formula keeps an extra quote: {text}"
    );
    let mut back = Inventory::default();
    back.ingest(&Context::new("keys.csv", AS_OF), &csv);
    let read: Vec<&str> = back.keys.iter().take(4).map(|k| k.name.as_str()).collect();
    assert_eq!(read, names);
}
