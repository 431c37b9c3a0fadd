//! The JSON reader (Admin API lists and objects, Key Roster's own report) over arbitrary text.
#![no_main]
use keyroster::ingest::{json, Context};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let ctx = Context::new("fuzz.json", jiff::civil::date(2026, 11, 22));
    let _ = json::read(&ctx, &text);
});
