//! The HTML fast path against html5ever: on any text, the same tree, or the fast path declined.
#![no_main]
use keyroster::ingest::html::fast;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Some(same) = fast::agrees_with_html5ever(&text) {
        assert!(same, "the fast path built another tree than html5ever");
    }
});
