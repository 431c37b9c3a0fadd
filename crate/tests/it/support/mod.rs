//! What the integration tests' modules share (`use crate::support;`): the date every fixture is
//! judged on, the fixture files, a hand-built report ([`report`]) and readers for a workbook's
//! parts ([`xlsx`]).

pub mod report;
pub mod xlsx;

use std::path::{Path, PathBuf};

use jiff::civil::{date, Date};
use keyroster::ingest::Context;
use keyroster::Inventory;

/// The day the fixtures are audited on: their dates (created, last used, expiry) are set
/// relative to it.
pub const AS_OF: Date = date(2026, 11, 22);

/// A fixture file's text, by its path under tests/fixtures, built into the test binary
/// (`fixture!("json/admin-keys.json")`): for tests that read a fixture as a `&'static str`.
macro_rules! fixture {
    ($path:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/",
            $path
        ))
    };
}
pub(crate) use fixture;

/// tests/fixtures at the repository's root.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// A fixture file's bytes, by its path under tests/fixtures.
pub fn fixture_bytes(path: &str) -> Vec<u8> {
    let full = fixtures().join(path);
    std::fs::read(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// A fixture file's text, by its path under tests/fixtures.
pub fn fixture_text(path: &str) -> String {
    String::from_utf8(fixture_bytes(path)).unwrap_or_else(|e| panic!("{path}: not UTF-8: {e}"))
}

/// The fixture org read as the CLI reads `org/*` from tests/fixtures (sorted names, named
/// `org/…` as in the golden files).
pub fn org_inventory() -> Inventory {
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
