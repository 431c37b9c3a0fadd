//! Every input the fuzzers (crate/fuzz/, `make fuzz`) found a failure with, minimized, replayed on
//! stable in `make test`: tests/fixtures/fuzz-regressions/TARGET/NAME, one test per finding, named
//! after what it guards. The bodies repeat the fuzz targets' (crate/fuzz/fuzz_targets/) so the
//! bytes decode into the same structured inputs.

use std::path::Path;

use arbitrary::{Arbitrary, Unstructured};
use keyroster::export::csv::CsvOptions;
use keyroster::ingest::Context;
use keyroster::{analyze, export, render, secret, Inventory, Policy};

fn regression(target: &str, name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/fuzz-regressions")
        .join(target)
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The pipeline target's input: several named files (crate/fuzz/fuzz_targets/pipeline.rs).
#[derive(Arbitrary, Debug)]
struct Input {
    name: String,
    bytes: Vec<u8>,
}

/// The pipeline target's body: ingest, judge, write every export; none may hold a full secret.
fn pipeline(data: &[u8]) {
    let inputs: Vec<Input> = Vec::arbitrary_take_rest(Unstructured::new(data)).unwrap();
    let as_of = jiff::civil::date(2026, 11, 22);
    let mut inv = Inventory::default();
    for i in inputs.iter().take(4) {
        inv.ingest(&Context::new(i.name.clone(), as_of), &i.bytes);
    }
    let report = analyze(&inv, &Policy::default(), as_of);
    let opts = CsvOptions::default();
    let mut texts = vec![
        ("keys.csv", export::csv::keys(&report, &opts)),
        ("findings.csv", export::csv::findings(&report, &opts)),
        ("owners.csv", export::csv::owners(&report, &opts)),
        ("projects.csv", export::csv::projects(&report, &opts)),
        ("report.json", export::json::report(&report)),
    ];
    texts.push(("table", render::table(&report).into_bytes()));
    texts.push(("markdown", render::markdown(&report).into_bytes()));
    for (what, bytes) in texts {
        let (_, found) = secret::scrub(&String::from_utf8_lossy(&bytes));
        assert!(
            found.is_empty(),
            "{what} holds a full secret; inputs: {inputs:?}"
        );
    }
}

/// A file (or page URL) whose *name* holds a full secret: the name is shown in sources,
/// findings and every export, so it is scrubbed at ingest and the secret reported.
#[test]
fn a_full_secret_in_a_source_name_never_reaches_an_export() {
    pipeline(&regression("pipeline", "full-secret-in-a-source-name"));
}
