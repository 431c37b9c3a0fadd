//! MHTML unwrapping and quoted-printable/base64 decoding, then the page it yields.
#![no_main]
use keyroster::ingest::{self, mhtml, Context};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = mhtml::is_mhtml(&text);
    if let Ok(page) = mhtml::extract("fuzz.mhtml", &text) {
        let ctx = Context::new("fuzz.mhtml", jiff::civil::date(2026, 11, 22));
        let _ = ingest::html::read(&ctx, &page.html);
    }
});
