//! The whole audit over arbitrary inputs: several named files (structure-aware, `arbitrary`)
//! ingested, judged, and written to every export; no export may hold a full secret.
#![no_main]
use arbitrary::Arbitrary;
use keyroster::export::csv::CsvOptions;
use keyroster::ingest::Context;
use keyroster::{analyze, export, render, Inventory, Policy};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    name: String,
    bytes: Vec<u8>,
}

fn assert_clean(what: &str, text: &str) {
    let (_, found) = keyroster::secret::scrub(text);
    assert!(found.is_empty(), "{what} holds a full secret");
}

fuzz_target!(|inputs: Vec<Input>| {
    let as_of = jiff::civil::date(2026, 11, 22);
    let mut inv = Inventory::default();
    for i in inputs.iter().take(4) {
        inv.ingest(&Context::new(i.name.clone(), as_of), &i.bytes);
    }
    let report = analyze(&inv, &Policy::default(), as_of);
    let opts = CsvOptions::default();
    for (what, bytes) in [
        ("keys.csv", export::csv::keys(&report, &opts)),
        ("findings.csv", export::csv::findings(&report, &opts)),
        ("owners.csv", export::csv::owners(&report, &opts)),
        ("projects.csv", export::csv::projects(&report, &opts)),
        ("report.json", export::json::report(&report)),
    ] {
        assert_clean(what, &String::from_utf8_lossy(&bytes));
    }
    assert_clean("table", &render::table(&report));
    assert_clean("markdown", &render::markdown(&report));
    let _ = export::xlsx::workbook(&report);
});
