//! Formula injection (OWASP CSV injection), one test per leading character: `=`, `+`, `-`, `@`,
//! tab and CR, bare and after leading spaces, in a key name, an owner name, a project name, a
//! finding's message, a mute reason, the org name and a source name. In CSV each such cell gets a
//! leading `'`; in the workbook it is a text cell with the quote-prefix format, whose value reads
//! back unchanged. Both stay readable; neither can run.

use crate::support;

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use keyroster::export::{self, csv::CsvOptions, sanitize};
use support::report::Hostile;
use support::xlsx::{sheet_cells, xlsx_parts};

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes)
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn column(rows: &[Vec<String>], name: &str) -> Vec<String> {
    let c = rows[0].iter().position(|h| h == name).unwrap();
    rows.iter().skip(1).map(|r| r[c].clone()).collect()
}

fn sheet_column(range: &calamine::Range<Data>, name: &str) -> Vec<Data> {
    let mut rows = range.rows();
    let header = rows.next().unwrap();
    let c = header
        .iter()
        .position(|h| *h == Data::String(name.into()))
        .unwrap();
    rows.map(|r| r[c].clone()).collect()
}

/// Puts `lead` in front of every hostile text of the hand-built report and checks every export.
fn assert_neutralized(lead: &str) {
    let h = Hostile {
        key: format!("{lead}cmd|' /C calc'!A0"),
        owner: format!("{lead}SUM(1+1)*cmd|' /C calc'!A0"),
        project: format!("{lead}HYPERLINK(\"http://evil.example\")"),
        message: format!("{lead}1+1 key is unused"),
        mute_reason: format!("{lead}reviewed"),
        org: format!("{lead}Acme"),
        source: format!("{lead}keys.csv"),
    };
    let r = support::report::report_with(&h);
    let inert = |s: &str| format!("'{s}");
    let o = CsvOptions::default();

    // CSV: the cell carries a leading quote, and the rest is the text as it was.
    let keys = csv_rows(&export::csv::keys(&r, &o));
    assert!(column(&keys, "key_name").contains(&inert(&h.key)));
    assert!(column(&keys, "owner_name").contains(&inert(&h.owner)));
    assert!(column(&keys, "project_name").contains(&inert(&h.project)));
    let findings = csv_rows(&export::csv::findings(&r, &o));
    assert!(column(&findings, "message").contains(&inert(&h.message)));
    assert!(column(&findings, "mute_reason").contains(&inert(&h.mute_reason)));
    assert!(column(&findings, "key_name").contains(&inert(&h.key)));
    assert!(column(&findings, "owner").contains(&inert(&h.owner)));
    assert!(column(&findings, "project").contains(&inert(&h.project)));
    let owners = csv_rows(&export::csv::owners(&r, &o));
    assert!(column(&owners, "owner_name").contains(&inert(&h.owner)));
    let projects = csv_rows(&export::csv::projects(&r, &o));
    assert!(column(&projects, "project_name").contains(&inert(&h.project)));
    for rows in [&keys, &findings, &owners, &projects] {
        for c in rows.iter().flatten() {
            assert!(
                c.parse::<f64>().is_ok() || !sanitize::is_formula_like(c),
                "{lead:?}: {c:?} would run"
            );
        }
    }
    // The file name never carries the lead.
    assert_eq!(
        export::file_name(&r, "keys", "csv"),
        "keyroster-acme-keys-2026-11-22.csv"
    );

    // XLSX: the value reads back unchanged, as text; the XML shows every text cell quote-prefixed
    // and no formula anywhere.
    let bytes = export::xlsx::workbook(&r).unwrap();
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
    let text = |s: &str| Data::String(s.to_string());
    let ks = wb.worksheet_range("Keys").unwrap();
    assert!(sheet_column(&ks, "Key name").contains(&text(&h.key)));
    assert!(sheet_column(&ks, "Owner").contains(&text(&h.owner)));
    assert!(sheet_column(&ks, "Project").contains(&text(&h.project)));
    let fs = wb.worksheet_range("Findings").unwrap();
    assert!(sheet_column(&fs, "Evidence").contains(&text(&h.message)));
    assert!(sheet_column(&fs, "Mute reason").contains(&text(&h.mute_reason)));
    let os = wb.worksheet_range("Owners").unwrap();
    assert!(sheet_column(&os, "Owner").contains(&text(&h.owner)));
    let ps = wb.worksheet_range("Projects").unwrap();
    assert!(sheet_column(&ps, "Project").contains(&text(&h.project)));
    let summary = wb.worksheet_range("Summary").unwrap();
    let cells: Vec<Data> = summary.rows().flatten().cloned().collect();
    assert!(cells.contains(&text(&h.org)), "org in the Summary");
    assert!(cells.contains(&text(&h.source)), "source in the Summary");
    for sheet in ["Summary", "Keys", "Findings", "Owners", "Projects"] {
        let formulas = wb.worksheet_formula(sheet).unwrap();
        assert!(formulas.rows().flatten().all(String::is_empty), "{sheet}");
    }
    let parts = xlsx_parts(&bytes);
    for sheet in 1..=5 {
        for (at, kind, xf) in sheet_cells(&parts, sheet) {
            if kind == "s" {
                assert!(xf.quote_prefix, "{lead:?}: sheet {sheet} {at}");
            }
        }
    }
}

macro_rules! injection_tests {
    ($($name:ident: $lead:expr,)*) => {
        $(
            #[test]
            fn $name() {
                assert_neutralized($lead);
            }
        )*
    };
}

injection_tests! {
    equals_sign_is_neutralized: "=",
    plus_sign_is_neutralized: "+",
    minus_sign_is_neutralized: "-",
    at_sign_is_neutralized: "@",
    tab_is_neutralized: "\t",
    carriage_return_is_neutralized: "\r",
    equals_after_spaces_is_neutralized: "   =",
    plus_after_a_space_is_neutralized: " +",
    minus_after_spaces_is_neutralized: "  -",
    at_after_a_space_is_neutralized: " @",
    tab_after_a_space_is_neutralized: " \t",
    carriage_return_after_spaces_is_neutralized: "  \r",
}

#[test]
fn the_two_classic_payloads_come_out_inert_and_readable() {
    for payload in ["=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"] {
        assert_eq!(sanitize::text(payload), format!("'{payload}"));
    }
}

#[test]
fn text_that_only_looks_like_a_number_is_text_and_a_real_number_is_a_number() {
    // A key named "-1.5" is a name: neutralized. Its cost -1.5 is a number: left alone.
    let r = support::report::report_with(&Hostile {
        key: "-1.5".into(),
        ..Hostile::default()
    });
    let keys = csv_rows(&export::csv::keys(&r, &CsvOptions::default()));
    assert_eq!(column(&keys, "key_name")[7], "'-1.5");
    assert_eq!(column(&keys, "cost_usd")[1], "-1.5");
    let mut wb: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(export::xlsx::workbook(&r).unwrap())).unwrap();
    let ks = wb.worksheet_range("Keys").unwrap();
    assert_eq!(
        sheet_column(&ks, "Key name")[7],
        Data::String("-1.5".into())
    );
    assert_eq!(sheet_column(&ks, "Cost (USD)")[1], Data::Float(-1.5));
}

#[test]
fn harmless_text_is_left_as_it_is() {
    for s in [
        "payments-prod",
        "a=b",
        "x+y",
        "name@example.com",
        "",
        " spaced",
    ] {
        assert_eq!(sanitize::text(s), s);
    }
    // Text that starts with the quote itself gets one more, so keys.csv reads back exactly.
    assert_eq!(sanitize::text("'quoted"), "''quoted");
}
