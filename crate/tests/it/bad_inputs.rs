//! The bad-input corpus (tests/fixtures/bad/, plus the huge inputs generated here): each input's
//! exact message or stable prefix, each read beside a good keys.csv whose keys must survive.
//! Also: every refused or partly read input is still swept for full secrets, and each limit of
//! `ingest::limits` is tested at its boundary.

use std::path::{Path, PathBuf};

use jiff::civil::{date, Date};
use keyroster::ingest::limits::Limits;
use keyroster::ingest::{self, Context};
use keyroster::Inventory;

const AS_OF: Date = date(2026, 11, 22);

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(rel)
}

fn bytes(rel: &str) -> Vec<u8> {
    std::fs::read(fixture(rel)).unwrap()
}

fn ctx(name: &str) -> Context {
    Context::new(name, AS_OF)
}

/// A full project secret built at run time (no secret-shaped string is committed).
fn secret() -> String {
    format!("sk-proj-{}T3BlbkFJ{}", "Qw7".repeat(25), "Er4".repeat(25))
}

fn anthropic_secret() -> String {
    format!("sk-ant-api03-{}AA", "xY7".repeat(31))
}

/// The good file: Key Roster's own keys.csv.
const GOOD: &str = "csv/keys.csv";

fn key_ids(inv: &Inventory) -> Vec<(String, Option<String>)> {
    inv.keys
        .iter()
        .map(|k| (k.name.clone(), k.redacted.clone()))
        .collect()
}

/// Reads `bad` and then the good file (so a bad input cannot poison what comes after it),
/// checks every key of the good file survives, and returns the bad input's error (if any) and
/// the inventory.
fn beside_good(name: &str, bad: &[u8], limits: &Limits) -> (Option<String>, Inventory) {
    let mut alone = Inventory::default();
    alone.ingest(&ctx("keys.csv"), &bytes(GOOD));
    let mut inv = Inventory::default();
    inv.ingest_with(&ctx(name), bad, limits);
    inv.ingest(&ctx("keys.csv"), &bytes(GOOD));
    let good = inv.sources.iter().find(|s| s.name == "keys.csv").unwrap();
    assert!(good.error.is_none(), "{:?}", good.error);
    let all = key_ids(&inv);
    for k in key_ids(&alone) {
        assert!(
            all.contains(&k),
            "the good file's key {k:?} was lost beside {name}"
        );
    }
    let err = inv
        .sources
        .iter()
        .find(|s| s.name == name)
        .unwrap()
        .error
        .clone();
    (err, inv)
}

fn refused(name: &str, bad: &[u8]) -> String {
    let (err, _) = beside_good(name, bad, &Limits::default());
    err.unwrap_or_else(|| panic!("{name} was read"))
}

fn refused_fixture(rel: &str) -> String {
    let name = Path::new(rel).file_name().unwrap().to_str().unwrap();
    refused(name, &bytes(rel))
}

#[test]
fn empty_file_is_refused_as_empty() {
    assert_eq!(
        refused_fixture("bad/empty.csv"),
        "empty.csv: empty file: no header line"
    );
}

#[test]
fn only_a_bom_is_an_empty_file() {
    assert_eq!(
        refused_fixture("bad/bom-only.csv"),
        "bom-only.csv: empty file: no header line"
    );
}

#[test]
fn headers_only_reads_with_a_warning() {
    let (err, inv) = beside_good(
        "headers-only.csv",
        &bytes("bad/headers-only.csv"),
        &Limits::default(),
    );
    assert_eq!(err, None);
    let src = inv
        .sources
        .iter()
        .find(|s| s.name == "headers-only.csv")
        .unwrap();
    assert_eq!(src.records, 0);
    assert_eq!(
        src.warnings,
        vec!["only a header (line 1): no rows to read".to_string()]
    );
}

#[test]
fn truncated_json_names_the_line() {
    let e = refused_fixture("bad/truncated.json");
    assert!(e.starts_with("truncated.json: line "), "{e}");
    assert!(e.contains("EOF") || e.contains("end"), "{e}");
}

#[test]
fn json_of_the_wrong_shape_is_refused_or_read_without_inventing_keys() {
    for f in [
        "bad/wrong-shape-object-for-list.json",
        "bad/numbers-as-strings.json",
        "bad/nulls-everywhere.json",
    ] {
        let name = Path::new(f).file_name().unwrap().to_str().unwrap();
        let (err, inv) = beside_good(name, &bytes(f), &Limits::default());
        let from_bad = inv
            .keys
            .iter()
            .filter(|k| k.sources.iter().any(|s| s == name))
            .count();
        match err {
            Some(e) => {
                assert!(e.starts_with(&format!("{name}: ")), "{e}");
                assert_eq!(from_bad, 0);
            }
            None => {
                let src = inv.sources.iter().find(|s| s.name == name).unwrap();
                assert!(!src.warnings.is_empty(), "{name} read silently");
            }
        }
    }
}

#[test]
fn binary_inputs_are_named_for_what_they_are() {
    assert_eq!(
        refused_fixture("bad/screenshot.png"),
        "screenshot.png: a PNG image; Key Roster reads saved pages (HTML, MHTML), CSV/TSV and \
         JSON: save the page itself or export the list as CSV"
    );
    assert!(
        refused_fixture("bad/keys-printed.pdf").starts_with("keys-printed.pdf: a PDF document; ")
    );
    assert_eq!(
        refused_fixture("bad/keys-archive.zip"),
        "keys-archive.zip: a ZIP archive; unpack it and add the files inside"
    );
    assert!(
        refused("noise.bin", b"\x01\x02\0\x03").starts_with("noise.bin: binary data, not text; ")
    );
}

/// Key Roster's own workbook given where a CSV was expected (named keys.csv): read as the
/// workbook it is (CLI build), its Keys sheet back into the same keys.
#[cfg(feature = "workbook")]
#[test]
fn a_real_xlsx_named_csv_reads_as_a_workbook() {
    let mut inv = Inventory::default();
    inv.ingest(&ctx("keys.csv"), &bytes(GOOD));
    let report = keyroster::analyze(&inv, &keyroster::Policy::default(), AS_OF);
    let xlsx = keyroster::export::xlsx::workbook(&report).unwrap();
    let mut back = Inventory::default();
    let added = back.add(&ctx("edited-keys.csv"), &xlsx);
    let src = &added.source;
    assert_eq!(src.error, None);
    assert_eq!(src.kind, "csv:keyroster-keys");
    assert!(src.warnings.is_empty(), "{:?}", src.warnings);
    assert_eq!(back.keys, inv.keys);
    // Its keys keep the sources they were first read from, yet the file is said to hold them
    // all (www's "6 records, 6 keys", not "0 keys").
    assert!(back.keys.iter().all(|k| !k.sources.contains(&src.name)));
    assert_eq!(added.keys_in_input, inv.keys.len());
    assert!(added.keys_in_input > 0);
}

#[cfg(not(feature = "workbook"))]
#[test]
fn a_workbook_is_refused_with_what_to_do() {
    let e = refused("keys.xlsx", b"PK\x03\x04\x14\0\0\0\x08\0xl/workbook.xml");
    assert_eq!(
        e,
        "keys.xlsx: an Excel workbook (.xlsx); this build cannot read workbooks: use the keyroster \
         command-line tool, or save the sheet as CSV (UTF-8)"
    );
}

#[test]
fn a_ragged_row_names_its_line() {
    assert_eq!(
        refused_fixture("bad/ragged.csv"),
        "ragged.csv: line 3: expected 3 fields as in the header (line 1), found 2"
    );
}

#[test]
fn an_unterminated_quote_names_its_line() {
    let e = refused_fixture("bad/unterminated.csv");
    assert!(e.starts_with("unterminated.csv: line 3: "), "{e}");
}

#[test]
fn mixed_encodings_name_the_line_of_the_bad_byte() {
    assert_eq!(
        refused_fixture("bad/mixed-encodings.csv"),
        "mixed-encodings.csv: line 3: not UTF-8 text (byte 60 is invalid); save the file as UTF-8 \
         or UTF-16"
    );
}

#[test]
fn utf16_without_a_bom_is_read() {
    let (err, inv) = beside_good(
        "utf16le-no-bom.tsv",
        &bytes("bad/utf16le-no-bom.tsv"),
        &Limits::default(),
    );
    assert_eq!(err, None);
    let names: Vec<&str> = inv
        .keys
        .iter()
        .filter(|k| k.sources.iter().any(|s| s == "utf16le-no-bom.tsv"))
        .map(|k| k.name.as_str())
        .collect();
    assert_eq!(names, ["checkout-prod", "ci-runner"]);
}

#[test]
fn duplicate_headers_are_read_or_refused_by_name() {
    let (err, inv) = beside_good(
        "duplicate-headers.csv",
        &bytes("bad/duplicate-headers.csv"),
        &Limits::default(),
    );
    match err {
        Some(e) => assert!(e.starts_with("duplicate-headers.csv: "), "{e}"),
        None => {
            let src = inv
                .sources
                .iter()
                .find(|s| s.name == "duplicate-headers.csv")
                .unwrap();
            assert_eq!(src.records, 1);
        }
    }
}

#[test]
fn a_keys_page_with_every_cell_empty_reads_no_keys() {
    let (err, inv) = beside_good(
        "keys-page-all-cells-empty.html",
        &bytes("bad/keys-page-all-cells-empty.html"),
        &Limits::default(),
    );
    let from_bad = inv
        .keys
        .iter()
        .filter(|k| {
            k.sources
                .iter()
                .any(|s| s == "keys-page-all-cells-empty.html")
        })
        .count();
    assert_eq!(from_bad, 0);
    if let Some(e) = err {
        assert!(e.starts_with("keys-page-all-cells-empty.html: "), "{e}");
    }
}

fn keys_table(name: &str, redacted: &str) -> String {
    format!(
        "<table><thead><tr><th>NAME</th><th>SECRET KEY</th><th>CREATED</th></tr></thead>\
         <tbody><tr><td>{name}</td><td>{redacted}</td><td>Jan 5, 2026</td></tr></tbody></table>"
    )
}

fn noise_tables(n: usize) -> String {
    (0..n)
        .map(|i| format!("<table><tr><td>cell {i}</td><td>{i}</td></tr></table>"))
        .collect()
}

#[test]
fn a_page_of_100_tables_finds_its_keys_table() {
    let page = format!(
        "<!DOCTYPE html><html><body><h1>API keys</h1>{}{}</body></html>",
        noise_tables(99),
        keys_table("deploy-bot", "sk-...Hk3p")
    );
    let (err, inv) = beside_good("100-tables.html", page.as_bytes(), &Limits::default());
    assert_eq!(err, None);
    assert!(inv.keys.iter().any(|k| k.name == "deploy-bot"));
}

fn nested(depth: usize, name: &str) -> String {
    let mut page = String::from("<!DOCTYPE html><html><body>");
    page.push_str(&"<section>".repeat(depth));
    page.push_str(&keys_table(name, "sk-...D33p"));
    page.push_str(&"</section>".repeat(depth));
    page.push_str("</body></html>");
    page
}

/// 100,000 nested `<section>`s around a small keys table: refused before the (quadratic in
/// depth) parser sees it, naming the limit; the good file beside it is read.
#[test]
fn html_nested_100000_deep_is_refused_by_the_depth_limit() {
    assert_eq!(
        refused("deep.html", nested(100_000, "deep-key").as_bytes()),
        "deep.html: elements nested more than 512 deep, the limit per page: this is not a \
         platform page"
    );
}

#[test]
fn depth_limit_boundary() {
    // html, body, the sections, then table, tbody (implied, not counted), tr, td.
    let limits = Limits {
        max_depth: 2 + 50 + 4,
        ..Limits::default()
    };
    let page = nested(50, "fifty-deep");
    let b = ingest::read_with(&ctx("p.html"), page.as_bytes(), &limits, &mut Vec::new()).unwrap();
    assert_eq!(b.keys[0].name, "fifty-deep");
    let page = nested(51, "fifty-one-deep");
    let e =
        ingest::read_with(&ctx("p.html"), page.as_bytes(), &limits, &mut Vec::new()).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("p.html: elements nested more than 56 deep"),
        "{e}"
    );
}

#[test]
fn a_100000_column_row_is_refused_by_the_width_limit() {
    let row: Vec<String> = (0..100_000).map(|i| format!("c{i}")).collect();
    let text = format!("{}\n", row.join(","));
    assert_eq!(
        refused("wide.csv", text.as_bytes()),
        "wide.csv: line 1: more than 1000 columns, the limit: this is not a table Key Roster \
         reads"
    );
}

#[test]
fn a_50_mb_cell_is_refused_by_the_cell_limit() {
    let mut text = String::from("Name,Secret key,Created\n\"");
    text.push_str(&"x".repeat(50 * 1024 * 1024));
    text.push_str("\",sk-...a1B2,2024-02-03\n");
    assert_eq!(
        refused("huge-cell.csv", text.as_bytes()),
        "huge-cell.csv: line 2, field #1: a cell over the limit of 1 MiB per cell"
    );
}

#[test]
fn a_name_of_rtl_overrides_and_zero_width_joiners_is_kept_as_text() {
    let (err, inv) = beside_good(
        "rtl-zwj-name.csv",
        &bytes("bad/rtl-zwj-name.csv"),
        &Limits::default(),
    );
    assert_eq!(err, None);
    let k = inv
        .keys
        .iter()
        .find(|k| k.sources.iter().any(|s| s == "rtl-zwj-name.csv"))
        .unwrap();
    assert_eq!(k.name, "\u{202e}\u{200d}\u{200d}txt.exe\u{202c}\u{200d}");
}

#[test]
fn a_name_of_1_mb_is_read_whole() {
    let name = "n".repeat(1_000_000);
    let text = format!("Name,Secret key,Created\n{name},sk-...M1MB,2024-02-03\n");
    let (err, inv) = beside_good("long-name.csv", text.as_bytes(), &Limits::default());
    assert_eq!(err, None);
    assert!(inv.keys.iter().any(|k| k.name == name));
}

// ---- secrets in every kind of input --------------------------------------------------------

fn exposed_in(inv: &Inventory, name: &str) -> Vec<(String, String)> {
    inv.exposed
        .iter()
        .filter(|e| e.source == name)
        .map(|e| (e.location.clone(), e.redacted.clone()))
        .collect()
}

fn assert_no_full_secret(inv: &Inventory) {
    let dump = serde_json::to_string(inv).unwrap();
    assert!(!dump.contains("T3BlbkFJ"), "a full secret was kept");
    assert!(!dump.contains(&anthropic_secret()));
}

#[test]
fn a_secret_in_a_notes_csv_is_reported_though_the_file_is_refused() {
    let notes = format!(
        "key_name,notes\nbilling,rotated in May\ncheckout,\"old one was {}, revoke\"\n",
        secret()
    );
    let (err, inv) = beside_good("notes.csv", notes.as_bytes(), &Limits::default());
    assert!(err.unwrap().starts_with("notes.csv: line 1: no table"));
    assert_eq!(
        exposed_in(&inv, "notes.csv"),
        [("line 3".to_string(), "sk-proj-...4Er4".to_string())]
    );
    assert_no_full_secret(&inv);
}

#[test]
fn a_secret_in_an_env_file_is_reported() {
    let env = format!(
        "# local settings\nOPENAI_API_KEY={}\nANTHROPIC_API_KEY={}\n",
        secret(),
        anthropic_secret()
    );
    let (err, inv) = beside_good(".env", env.as_bytes(), &Limits::default());
    assert!(err.is_some());
    let found = exposed_in(&inv, ".env");
    assert_eq!(
        found,
        [
            ("line 2".to_string(), "sk-proj-...4Er4".to_string()),
            ("line 3".to_string(), "sk-ant-api03-...Y7AA".to_string()),
        ]
    );
    assert_no_full_secret(&inv);
    // The finding names the file and line.
    let report = keyroster::analyze(&inv, &keyroster::Policy::default(), AS_OF);
    let f: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "exposed-secret")
        .collect();
    assert_eq!(f.len(), 2);
    assert!(
        f.iter().all(|f| f.message.contains(".env")),
        "{:?}",
        f[0].message
    );
}

#[test]
fn secrets_of_every_provider_are_swept() {
    let legacy = format!(
        "sk-{}T3BlbkFJ{}",
        "aB1cD2eF3gH4iJ5kL6mN", "oP7qR8sT9uV0wX1yZ2aB"
    );
    let svc = format!(
        "sk-svcacct-{}T3BlbkFJ{}",
        "Zq8".repeat(20),
        "Lm5".repeat(20)
    );
    let admin = format!("sk-admin-{}T3BlbkFJ{}", "Gh6".repeat(20), "Jk2".repeat(20));
    let ant_admin = format!("sk-ant-admin01-{}BB", "pQ4".repeat(31));
    let text = format!("{legacy}\n{svc}\n{admin}\n{ant_admin}\n");
    let (_, inv) = beside_good("secrets.txt", text.as_bytes(), &Limits::default());
    let found: Vec<String> = exposed_in(&inv, "secrets.txt")
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    assert_eq!(
        found,
        [
            "sk-...2aB",
            "sk-svcacct-...5Lm5",
            "sk-admin-...2Jk2",
            "sk-ant-admin01-...Q4BB"
        ]
        .map(|s| s.replace("sk-...2aB", "sk-...Z2aB"))
    );
    assert_no_full_secret(&inv);
}

#[test]
fn a_secret_in_utf16_text_is_reported() {
    let text = format!("Name\tNotes\r\nx\t{}\r\n", secret());
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    for (name, b) in [("le.txt", le), ("be.txt", be)] {
        let (_, inv) = beside_good(name, &b, &Limits::default());
        assert_eq!(exposed_in(&inv, name).len(), 1, "{name}");
    }
}

#[test]
fn a_secret_in_an_unrecognized_html_page_is_reported() {
    let page = format!(
        "<!DOCTYPE html><html><body><p>Your new key:</p><pre>{}</pre></body></html>",
        secret()
    );
    let (_, inv) = beside_good("note.html", page.as_bytes(), &Limits::default());
    assert_eq!(exposed_in(&inv, "note.html").len(), 1);
    assert_no_full_secret(&inv);
}

#[test]
fn a_secret_in_an_unrecognized_json_file_is_reported() {
    let json = format!("{{\"config\": {{\"token\": \"{}\"}}}}", secret());
    let (_, inv) = beside_good("config.json", json.as_bytes(), &Limits::default());
    assert_eq!(exposed_in(&inv, "config.json").len(), 1);
    assert_no_full_secret(&inv);
}

#[test]
fn a_secret_in_a_free_text_column_of_a_keys_csv_is_reported() {
    let csv = format!(
        "Name,Secret key,Created,Comment\nbilling,sk-...b1C2,2024-02-03,\"was {}\"\n",
        secret()
    );
    let (err, inv) = beside_good("commented.csv", csv.as_bytes(), &Limits::default());
    assert_eq!(err, None);
    assert_eq!(exposed_in(&inv, "commented.csv").len(), 1);
    assert_no_full_secret(&inv);
}

#[test]
fn a_secret_split_by_quoted_printable_soft_breaks_in_mhtml_is_reported() {
    let s = secret();
    let (a, b) = s.split_at(40);
    let mhtml = format!(
        "From: <Saved by Blink>\r\nSubject: notes\r\nMIME-Version: 1.0\r\nContent-Type: \
         multipart/related;\r\n\ttype=\"text/html\";\r\n\tboundary=\"----B\"\r\n\r\n------B\r\n\
         Content-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n\
         Content-Location: https://example.com/notes\r\n\r\n<html><body><p>{a}=\r\n{b}</p></body></html>\r\n\
         ------B--\r\n"
    );
    let (_, inv) = beside_good("notes.mhtml", mhtml.as_bytes(), &Limits::default());
    assert_eq!(
        exposed_in(&inv, "notes.mhtml").len(),
        1,
        "{:?}",
        inv.sources
    );
    assert_no_full_secret(&inv);
}

// ---- limits at their boundaries ------------------------------------------------------------

#[test]
fn input_size_limit_boundary() {
    let text = b"Name,Secret key,Created\nk,sk-...a1B2,2024-02-03\n";
    let at = Limits {
        max_input_bytes: text.len(),
        ..Limits::default()
    };
    assert!(ingest::read_with(&ctx("k.csv"), text, &at, &mut Vec::new()).is_ok());
    let under = Limits {
        max_input_bytes: text.len() - 1,
        ..Limits::default()
    };
    let e = ingest::read_with(&ctx("k.csv"), text, &under, &mut Vec::new()).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "k.csv: the file is {n} bytes, over the {m} bytes limit per input; split it, or \
             raise the limit with --max-input-mb in the command-line tool",
            n = text.len(),
            m = text.len() - 1
        )
    );
}

#[test]
fn column_limit_boundary() {
    let limits = Limits {
        max_columns: 3,
        ..Limits::default()
    };
    let ok = b"Name,Secret key,Created\nk,sk-...a1B2,2024-02-03\n";
    assert!(ingest::read_with(&ctx("k.csv"), ok, &limits, &mut Vec::new()).is_ok());
    let wide = b"Name,Secret key,Created,Extra\nk,sk-...a1B2,2024-02-03,x\n";
    let e = ingest::read_with(&ctx("k.csv"), wide, &limits, &mut Vec::new()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "k.csv: line 1: 4 columns, over the limit of 3: this is not a table Key Roster reads"
    );
}

#[test]
fn cell_limit_boundary() {
    let limits = Limits {
        max_cell_bytes: 8,
        ..Limits::default()
    };
    let ok = b"Name,Secret key,Created\n12345678,sk-...a1B2,2024-02-03\n";
    // "Secret key" (10 bytes) is a header cell: headers are cells too, so allow them here.
    let limits = Limits {
        max_cell_bytes: 10,
        ..limits
    };
    assert!(ingest::read_with(&ctx("k.csv"), ok, &limits, &mut Vec::new()).is_ok());
    let long = b"Name,Secret key,Created\n12345678901,sk-...a1B2,2024-02-03\n";
    let e = ingest::read_with(&ctx("k.csv"), long, &limits, &mut Vec::new()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "k.csv: line 2, field #1: a cell of 11 bytes, over the limit of 10 bytes per cell"
    );
}

#[test]
fn record_limit_boundary() {
    let limits = Limits {
        max_records: 3,
        ..Limits::default()
    };
    let three = b"Name,Secret key,Created\na,sk-...a1B2,2024-02-03\nb,sk-...b1B2,2024-02-03\n";
    assert!(ingest::read_with(&ctx("k.csv"), three, &limits, &mut Vec::new()).is_ok());
    let four = b"Name,Secret key,Created\na,sk-...a1B2,2024-02-03\nb,sk-...b1B2,2024-02-03\nc,sk-...c1B2,2024-02-03\n";
    let e = ingest::read_with(&ctx("k.csv"), four, &limits, &mut Vec::new()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "k.csv: line 4: more than 3 records, the limit per input: split the file"
    );
}

#[test]
fn table_limit_boundary() {
    let limits = Limits {
        max_tables: 3,
        ..Limits::default()
    };
    let page = |n: usize| {
        format!(
            "<!DOCTYPE html><html><body>{}{}</body></html>",
            noise_tables(n - 1),
            keys_table("k", "sk-...T4bl")
        )
    };
    assert!(
        ingest::read_with(&ctx("p.html"), page(3).as_bytes(), &limits, &mut Vec::new()).is_ok()
    );
    let e = ingest::read_with(&ctx("p.html"), page(4).as_bytes(), &limits, &mut Vec::new())
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "p.html: more than 3 tables, the limit per page: this is not a platform page"
    );
}

// ---- the CLI ---------------------------------------------------------------------------------

/// `keyroster audit good bad…` reports the good file's keys and exits 2, naming every bad file
/// with its line where it has one.
#[cfg(feature = "cli")]
#[test]
fn cli_exits_2_naming_each_bad_file_with_its_line() {
    let bad = [
        "bad/ragged.csv",
        "bad/unterminated.csv",
        "bad/mixed-encodings.csv",
        "bad/truncated.json",
        "bad/screenshot.png",
        "bad/empty.csv",
    ];
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_keyroster"))
        .args(["audit", "--as-of", "2026-11-22", "--format", "json"])
        .arg(fixture(GOOD))
        .args(bad.iter().map(|f| fixture(f)))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for (file, at) in [
        ("ragged.csv", ": line 3: "),
        ("unterminated.csv", ": line 3: "),
        ("mixed-encodings.csv", ": line 3: "),
        ("truncated.json", ": line "),
        ("screenshot.png", ": a PNG image"),
        ("empty.csv", ": empty file"),
    ] {
        let needle = format!("/bad/{file}{at}");
        assert!(stderr.contains(&needle), "{needle:?} not in {stderr}");
    }
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["keys"].as_array().unwrap().len(), 4);
}

/// `--max-input-mb` refuses a larger file held whole (a page) before reading it, naming the
/// limit; delimited text over the same limit is streamed and read.
#[cfg(feature = "cli")]
#[test]
fn cli_max_input_mb_names_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.html");
    let mut text =
        String::from("<!DOCTYPE html><table><tr><th>Name</th><th>Secret key</th></tr>\n");
    while text.len() <= 1024 * 1024 {
        text.push_str("<tr><td>k</td><td>sk-...a1B2</td></tr>\n");
    }
    std::fs::write(&big, &text).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_keyroster"))
        .args(["audit", "--as-of", "2026-11-22", "--max-input-mb", "1"])
        .arg(fixture(GOOD))
        .arg(&big)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "/big.html: the file is {} bytes, over",
            text.len()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("over the 1 MiB limit per input"),
        "{stderr}"
    );
}

#[test]
fn a_secret_in_a_file_name_or_page_url_is_redacted_and_reported() {
    let name = format!("backup-{}.csv", secret());
    let mut c = ctx(&name);
    c.url = Some(format!(
        "https://example.com/keys?key={}",
        anthropic_secret()
    ));
    let mut inv = Inventory::default();
    inv.ingest(&c, &bytes(GOOD));
    assert_eq!(inv.sources[0].name, "backup-sk-proj-...4Er4.csv");
    let found: Vec<(String, String)> = inv
        .exposed
        .iter()
        .map(|e| (e.location.clone(), e.redacted.clone()))
        .collect();
    assert_eq!(
        found,
        [
            ("file name".to_string(), "sk-proj-...4Er4".to_string()),
            ("page URL".to_string(), "sk-ant-api03-...Y7AA".to_string()),
        ]
    );
    assert_no_full_secret(&inv);
}

/// A CSV larger than `--max-input-mb` is streamed by the CLI in bounded memory, not refused: the
/// size limit bounds inputs held whole.
#[cfg(feature = "cli")]
#[test]
fn cli_streams_delimited_text_over_the_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("usage.csv");
    let mut text = String::from("date,api_key_id,cost_usd\n");
    let mut rows = 0u64;
    while text.len() <= 2 * 1024 * 1024 {
        text.push_str(&format!(
            "2026-11-{:02},key_{},0.25\n",
            1 + rows % 20,
            rows % 7
        ));
        rows += 1;
    }
    std::fs::write(&big, &text).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_keyroster"))
        .args([
            "audit",
            "--as-of",
            "2026-11-22",
            "--max-input-mb",
            "1",
            "--format",
            "json",
        ])
        .arg(&big)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let source = &report["sources"][0];
    assert!(source["error"].is_null(), "{source}");
    assert!(source["records"].as_u64().unwrap() > 0, "{source}");
}

/// A small Admin API key list: 1 list object, "object", "data", the array, then per key an
/// object with 4 members (8 strings), then "has_more" and false: 5 + 9 + 2 = 16 values.
const ONE_KEY_JSON: &str = r#"{"object": "list", "data": [
{"object": "organization.project.api_key", "name": "ci", "redacted_value": "sk-proj-...a1B2", "id": "key_abc"}
], "has_more": false}"#;

#[test]
fn json_value_limit_boundary() {
    let at = Limits {
        max_json_values: 16,
        ..Limits::default()
    };
    let b = ingest::read_with(
        &ctx("k.json"),
        ONE_KEY_JSON.as_bytes(),
        &at,
        &mut Vec::new(),
    )
    .unwrap();
    assert_eq!(b.keys[0].name, "ci");
    let under = Limits {
        max_json_values: 15,
        ..Limits::default()
    };
    let e = ingest::read_with(
        &ctx("k.json"),
        ONE_KEY_JSON.as_bytes(),
        &under,
        &mut Vec::new(),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "k.json: line 3: more than 15 JSON values, the limit per input: split the file"
    );
}

#[test]
fn json_string_limit_boundary() {
    // The longest string is "organization.project.api_key", 28 bytes.
    let at = Limits {
        max_cell_bytes: 28,
        ..Limits::default()
    };
    assert!(ingest::read_with(
        &ctx("k.json"),
        ONE_KEY_JSON.as_bytes(),
        &at,
        &mut Vec::new()
    )
    .is_ok());
    let under = Limits {
        max_cell_bytes: 27,
        ..Limits::default()
    };
    let e = ingest::read_with(
        &ctx("k.json"),
        ONE_KEY_JSON.as_bytes(),
        &under,
        &mut Vec::new(),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "k.json: line 2: a string of more than 27 bytes in the JSON, the limit per value"
    );
}

/// `[0,0,0,…]` of 32 MB is 16 million values, gigabytes once parsed: refused by the pre-scan
/// before a tree is built; the good file beside it is read.
#[test]
fn json_of_millions_of_tiny_values_is_refused_before_it_is_parsed() {
    let mut text = String::from("[0");
    text.push_str(&",0".repeat(16_000_000));
    text.push(']');
    assert_eq!(
        refused("zeros.json", text.as_bytes()),
        "zeros.json: line 1: more than 4000000 JSON values, the limit per input: split the file"
    );
}

/// An `.xlsx`-shaped archive (its `xl/workbook.xml`, 11 bytes) with one sheet part of `n` zero
/// bytes, deflated to a few KB: a zip bomb's shape.
#[cfg(feature = "workbook")]
fn zeros_workbook(n: usize) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/workbook.xml", deflated).unwrap();
    zip.write_all(b"<workbook/>").unwrap();
    zip.start_file("xl/worksheets/sheet1.xml", deflated)
        .unwrap();
    zip.write_all(&vec![0u8; n]).unwrap();
    zip.finish().unwrap();
    out.into_inner()
}

/// The unpacked size is counted before calamine holds the sheets: at twice the input limit the
/// archive goes on to calamine (which finds no workbook in it); one byte more is refused.
#[cfg(feature = "workbook")]
#[test]
fn workbook_unpacked_size_limit_boundary() {
    let limits = Limits {
        max_input_bytes: 512 * 1024,
        ..Limits::default()
    };
    let read = |n: usize| {
        ingest::read_with(
            &ctx("bomb.xlsx"),
            &zeros_workbook(n),
            &limits,
            &mut Vec::new(),
        )
        .unwrap_err()
        .to_string()
    };
    let at = read(1024 * 1024 - 11);
    assert!(
        at.starts_with("bomb.xlsx: a workbook that cannot be opened"),
        "{at}"
    );
    assert_eq!(
        read(1024 * 1024 - 10),
        "bomb.xlsx: a workbook that unpacks to more than 1 MiB, twice the limit per input: save \
         the sheet you need as CSV"
    );
}
