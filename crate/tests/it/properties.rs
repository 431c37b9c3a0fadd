//! Properties of the whole pipeline over generated inputs (issue 11, item 6):
//! - reading the same inputs in any order, or any input twice, gives the same roster;
//! - Key Roster's own keys.csv, written by `export::csv::keys` itself, reads back into a
//!   keys.csv identical byte for byte, whatever the key names hold (quotes, a leading `'`, `=`,
//!   newlines, tabs, bidi controls, emoji) — keys_csv_round_trip.rs checks every field with a
//!   hand-written writer and ASCII names; this goes through the real export;
//! - no export (keys/findings/owners/projects CSV and TSV, JSON, Markdown, the table, the
//!   workbook's cells and shared strings) holds a full secret, whatever the input held.

use std::io::Read;
use std::path::Path;

use jiff::civil::{date, Date};
use keyroster::export::csv::CsvOptions;
use keyroster::ingest::Context;
use keyroster::model::{Key, KeyKind};
use keyroster::{analyze, export, render, secret, Inventory, Policy, Report};
use proptest::prelude::*;

const AS_OF: Date = date(2026, 11, 22);

fn org_files() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/org");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

fn ingest_all<'a>(files: impl IntoIterator<Item = &'a (String, Vec<u8>)>) -> Inventory {
    let mut inv = Inventory::default();
    for (name, bytes) in files {
        inv.ingest(&Context::new(name.clone(), AS_OF), bytes);
    }
    inv
}

/// The roster as a set: each key with its sources sorted, the keys sorted (input order may
/// decide the order of keys and of each key's sources, never their content).
fn roster(inv: &Inventory) -> Vec<String> {
    let mut keys: Vec<String> = inv
        .keys
        .iter()
        .map(|k| {
            let mut k = k.clone();
            k.sources.sort();
            serde_json::to_string(&k).unwrap()
        })
        .collect();
    keys.sort();
    keys
}

fn secret_from(body: &str) -> String {
    format!(
        "sk-proj-{body}T3BlbkFJ{}",
        body.chars().rev().collect::<String>()
    )
}

/// Every text an export produces, the workbook's XML parts included (cells are inline or
/// shared strings; both are read raw from the archive).
fn every_export(report: &Report) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for tabs in [false, true] {
        let opts = CsvOptions {
            tabs,
            ..CsvOptions::default()
        };
        for (what, bytes) in [
            ("keys", export::csv::keys(report, &opts)),
            ("findings", export::csv::findings(report, &opts)),
            ("owners", export::csv::owners(report, &opts)),
            ("projects", export::csv::projects(report, &opts)),
        ] {
            out.push((
                format!("{what} tabs={tabs}"),
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
        }
    }
    out.push((
        "report.json".into(),
        String::from_utf8_lossy(&export::json::report(report)).into_owned(),
    ));
    out.push(("markdown".into(), render::markdown(report)));
    out.push(("table".into(), render::table(report)));
    let xlsx = export::xlsx::workbook(report).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = format!("xlsx {:?}", f.name());
        let mut text = String::new();
        if f.read_to_string(&mut text).is_ok() {
            out.push((name, text));
        }
    }
    out
}

fn a_body() -> impl Strategy<Value = String> {
    // A random-looking secret body: mixed case and digits, as real ones are.
    "[A-Z][a-z][0-9][A-Za-z0-9]{29,40}"
}

fn noise() -> impl Strategy<Value = String> {
    "[ -~\t\né€😀\u{202e}]{0,20}"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_order_and_any_repeat_give_the_same_roster(
        order in Just((0..org_files().len()).collect::<Vec<usize>>()).prop_shuffle(),
        twice in prop::collection::vec(any::<prop::sample::Index>(), 0..3),
    ) {
        let files = org_files();
        let sorted = roster(&ingest_all(&files));
        let mut shuffled: Vec<&(String, Vec<u8>)> = order.iter().map(|&i| &files[i]).collect();
        for t in &twice {
            shuffled.push(t.get(&files));
        }
        prop_assert_eq!(roster(&ingest_all(shuffled)), sorted);
    }

    #[test]
    fn keys_csv_reads_back_into_the_same_keys_csv(
        names in prop::collection::vec("[^\\s\u{0}][ -~\t\n'=+@\"é€😀\u{202e}\u{200d}]{0,16}[^\\s\u{0}]", 1..6),
    ) {
        let mut inv = Inventory::default();
        for (i, n) in names.iter().enumerate() {
            inv.keys.push(Key {
                name: n.clone(),
                redacted: Some(format!("sk-proj-...{i:04}")),
                kind: KeyKind::Project,
                created: Some(date(2025, 1 + i as i8 % 9, 10 + i as i8)),
                sources: vec!["keys.html".into()],
                ..Key::default()
            });
        }
        let report = analyze(&inv, &Policy::default(), AS_OF);
        let opts = CsvOptions::default();
        let first = export::csv::keys(&report, &opts);

        let mut back = Inventory::default();
        back.ingest(&Context::new("export.csv", AS_OF), &first);
        prop_assert!(back.sources[0].error.is_none(), "{:?}", back.sources[0].error);
        let second = export::csv::keys(&analyze(&back, &Policy::default(), AS_OF), &opts);
        prop_assert_eq!(String::from_utf8_lossy(&second), String::from_utf8_lossy(&first));
        let read: Vec<&str> = back.keys.iter().map(|k| k.name.as_str()).collect();
        let mut want: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut got = read.clone();
        want.sort();
        got.sort();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn no_export_holds_a_full_secret(
        body in a_body(),
        before in noise(),
        after in noise(),
        shape in 0usize..5,
    ) {
        let s = secret_from(&body);
        let ant = format!("sk-ant-api03-{body}{body}AA");
        let (name, input) = match shape {
            // A keys CSV whose name, key and a free-text column hold secrets.
            0 => ("keys.csv", format!(
                "Name,Secret key,Created,Notes\n\"{b}{s}{a}\",{s},2025-01-02,\"{ant}\"\n",
                b = before.replace('"', "\"\""), a = after.replace('"', "\"\"")
            )),
            // A keys page with the secret in the key cell and in the name.
            1 => ("keys.html", format!(
                "<html><body><h1>API keys</h1><table><tr><th>Name</th><th>Secret key</th><th>Created</th></tr>\
                 <tr><td>x{s}</td><td>{s}</td><td>Jan 5, 2026</td></tr></table><p>{ant}</p></body></html>"
            )),
            // An Admin API list with the secret as the name and the value.
            2 => ("keys.json", format!(
                "{{\"object\":\"list\",\"data\":[{{\"object\":\"organization.project.api_key\",\"id\":\"key_1\",\
                 \"name\":\"{s}\",\"redacted_value\":\"{s}\",\"created_at\":1754042400}}]}}"
            )),
            // Key Roster's own keys.csv with the secret in every text column.
            3 => ("own.csv", format!(
                "{}\nopenai,proj_1,{s},key_1,{s},{s},project,user,{s},{s},{s},{s},all,2025-01-01,never,,,,,,,,{s},{s}\n",
                export::columns::keys().iter().map(|c| c.csv).collect::<Vec<_>>().join(",")
            )),
            // Free text only.
            _ => ("notes.txt", format!("{before}{s}{after}\n{ant}\n")),
        };
        let mut inv = Inventory::default();
        inv.ingest(&Context::new(name, AS_OF), input.as_bytes());
        prop_assert!(!inv.exposed.is_empty(), "no exposed-secret for {}", name);
        let report = analyze(&inv, &Policy::default(), AS_OF);
        for (what, text) in every_export(&report) {
            let (_, found) = secret::scrub(&text);
            prop_assert!(found.is_empty(), "{} holds a full secret ({})", what, name);
            prop_assert!(!text.contains(&body), "{} holds the secret's body ({})", what, name);
        }
    }
}
