//! Exports of the Acme fixture org: golden CSV files, keys.csv read back into the same keys, the
//! workbook read back cell by cell, formula injection for every leading character, and no full
//! secret in any export whatever the inventory held.
//!
//! Regenerate the golden files with `KEYROSTER_BLESS=1 cargo test --test export`.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use jiff::civil::{date, Date};
use keyroster::export::{self, csv::CsvOptions};
use keyroster::ingest::Context;
use keyroster::model::{Key, LastUsed, Owner, OwnerType, ProjectRef};
use keyroster::{analyze, Inventory, Policy, Report};

const AS_OF: Date = date(2026, 11, 22);
const SECRET_MARK: &str = "T3BlbkFJ";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

fn org_inventory() -> Inventory {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures().join("org"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut inv = Inventory::default();
    for f in files {
        let name = format!("org/{}", f.file_name().unwrap().to_string_lossy());
        inv.ingest(&Context::new(name, AS_OF), &std::fs::read(&f).unwrap());
    }
    inv
}

/// The org plus keys with hostile names (formula injection, a pasted secret).
fn hostile_report() -> Report {
    let mut inv = org_inventory();
    let secret = format!(
        "sk-proj-{}{SECRET_MARK}{}",
        "Ab3".repeat(25),
        "Zx9".repeat(25)
    );
    for (i, name) in [
        "=cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "+1-2",
        "-2+3",
        "\tTAB",
        "\rCR",
        "  =spaced",
        &format!("leak {secret}"),
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

#[test]
fn csv_set_matches_golden_files() {
    let r = analyze(&org_inventory(), &Policy::default(), AS_OF);
    let o = CsvOptions::default();
    golden("keys.csv", &export::csv::keys(&r, &o));
    golden("findings.csv", &export::csv::findings(&r, &o));
    golden("owners.csv", &export::csv::owners(&r, &o));
    golden("projects.csv", &export::csv::projects(&r, &o));
}

#[test]
fn bom_option_starts_with_a_byte_order_mark() {
    let r = analyze(&org_inventory(), &Policy::default(), AS_OF);
    let with = export::csv::keys(
        &r,
        &CsvOptions {
            bom: true,
            ..CsvOptions::default()
        },
    );
    assert!(with.starts_with(b"\xEF\xBB\xBFprovider,"));
    assert!(export::csv::keys(&r, &CsvOptions::default()).starts_with(b"provider,"));
}

#[test]
fn keys_csv_reads_back_into_the_same_keys() {
    let r = hostile_report();
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
    assert_eq!(back.keys.len(), r.keys.len());
    for (a, b) in r.keys.iter().map(|k| &k.key).zip(&back.keys) {
        assert_eq!(b.name, keyroster::secret::scrub(&a.name).0, "name");
        assert_eq!(
            (&b.id, &b.redacted, &b.kind),
            (&a.id, &a.redacted, &a.kind),
            "{}",
            a.name
        );
        assert_eq!(b.project, a.project, "{}", a.name);
        assert_eq!(b.owner, a.owner, "{}", a.name);
        assert_eq!(
            (&b.created_by, b.permissions, b.created, b.last_used),
            (&a.created_by, a.permissions, a.created, a.last_used),
            "{}",
            a.name
        );
        assert_eq!(
            b.usage.map(|u| (u.requests, u.cost_usd)),
            a.usage.map(|u| (u.requests, u.cost_usd)),
            "{}",
            a.name
        );
        assert_eq!(b.sources, a.sources, "{}", a.name);
    }
}

#[test]
fn every_formula_lead_is_neutralized_in_csv() {
    let r = hostile_report();
    let text = String::from_utf8(export::csv::keys(&r, &CsvOptions::default())).unwrap();
    for inert in [
        "'=cmd|' /C calc'!A0",
        "'@SUM(1+1)*cmd|' /C calc'!A0",
        "'+1-2",
        "'-2+3",
        "'\tTAB",
        "'  =spaced",
        "'@attacker",
        "\"'=HYPERLINK(\"\"http://x\"\")\"",
    ] {
        assert!(text.contains(inert), "{inert:?} not found neutralized");
    }
    let findings = String::from_utf8(export::csv::findings(&r, &CsvOptions::default())).unwrap();
    assert!(findings.contains("'@attacker"));
    // Numbers are written as numbers, not text.
    assert!(text.contains(",381.9,"), "cost stays a plain number");
}

#[test]
fn no_export_holds_a_full_secret() {
    let r = hostile_report();
    let o = CsvOptions::default();
    for (name, bytes) in [
        ("keys.csv", export::csv::keys(&r, &o)),
        ("findings.csv", export::csv::findings(&r, &o)),
        ("owners.csv", export::csv::owners(&r, &o)),
        ("projects.csv", export::csv::projects(&r, &o)),
        ("xlsx", export::xlsx::workbook(&r).unwrap()),
    ] {
        assert!(
            !bytes
                .windows(SECRET_MARK.len())
                .any(|w| w == SECRET_MARK.as_bytes()),
            "{name}"
        );
    }
    // The xlsx is zipped: look inside its sheets too.
    let mut wb: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(export::xlsx::workbook(&r).unwrap())).unwrap();
    let keys = wb.worksheet_range("Keys").unwrap();
    assert!(keys
        .rows()
        .flatten()
        .all(|c| !c.to_string().contains(SECRET_MARK)));
}

#[test]
fn workbook_reads_back_with_sheets_headers_dates_numbers_and_inert_text() {
    let r = hostile_report();
    let bytes = export::xlsx::workbook(&r).unwrap();
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec!["Summary", "Keys", "Findings", "Owners", "Projects"]
    );

    let keys = wb.worksheet_range("Keys").unwrap();
    let header: Vec<String> = keys
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        &header[..6],
        [
            "Provider",
            "Project ID",
            "Project",
            "Key ID",
            "Key name",
            "Redacted key"
        ]
    );
    let col = |h: &str| header.iter().position(|x| x == h).unwrap();
    let row = keys
        .rows()
        .find(|r| r[col("Key name")] == "payments-prod")
        .unwrap();
    assert!(
        matches!(row[col("Created")], Data::DateTime(_)),
        "created is a date: {:?}",
        row[col("Created")]
    );
    if let Data::DateTime(d) = &row[col("Created")] {
        let (y, m, day, ..) = d.to_ymd_hms_milli();
        assert_eq!((y, m, day), (2025, 3, 2));
    }
    assert_eq!(row[col("Cost (USD)")], Data::Float(381.9));
    assert_eq!(row[col("Age (days)")], Data::Float(630.0));
    assert!(
        matches!(row[col("Last used")], Data::DateTime(_)),
        "last used is a date too"
    );
    // Hostile text is stored as the text itself (the quote-prefix format keeps it inert), and
    // never as a formula.
    let hostile = keys
        .rows()
        .find(|r| r[col("Key name")].to_string().contains("cmd|"))
        .unwrap();
    assert_eq!(
        hostile[col("Key name")],
        Data::String("=cmd|' /C calc'!A0".into())
    );
    let formulas = wb.worksheet_formula("Keys").unwrap();
    assert!(
        formulas.rows().flatten().all(|f| f.is_empty()),
        "no formula anywhere"
    );

    let summary = wb.worksheet_range("Summary").unwrap();
    let cells: Vec<String> = summary.rows().flatten().map(|c| c.to_string()).collect();
    assert!(cells.contains(&"Acme Robotics".to_string()));
    assert!(cells.contains(&"critical".to_string()));
}

#[test]
fn workbook_marks_text_cells_with_the_quote_prefix() {
    // The styles part must carry quotePrefix so an edited cell stays text in Excel/LibreOffice.
    let bytes = export::xlsx::workbook(&hostile_report()).unwrap();
    let zip = rust_xlsxwriter_zip_reader(&bytes);
    assert!(zip.contains("quotePrefix=\"1\""));
    fn rust_xlsxwriter_zip_reader(bytes: &[u8]) -> String {
        // Find styles.xml inside the zip via calamine's own reader is not exposed; search the raw
        // deflated archive is not possible, so read it through the zip crate calamine depends on.
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut f = archive.by_name("xl/styles.xml").unwrap();
        let mut s = String::new();
        std::io::Read::read_to_string(&mut f, &mut s).unwrap();
        s
    }
}

#[test]
fn file_names_carry_org_and_date() {
    let r = analyze(&org_inventory(), &Policy::default(), AS_OF);
    assert_eq!(
        export::file_name(&r, "", "xlsx"),
        "keyroster-acme-robotics-2026-11-22.xlsx"
    );
    assert_eq!(
        export::file_name(&r, "keys", "csv"),
        "keyroster-acme-robotics-keys-2026-11-22.csv"
    );
}
