//! The HTML reader (tables, grids, the layout-agnostic record finder) over arbitrary text.
#![no_main]
use keyroster::ingest::{html, Context};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let ctx = Context::new("fuzz.html", jiff::civil::date(2026, 11, 22));
    let _ = html::read(&ctx, &text);
});
