//! The date parser (absolute, relative, Unix seconds/milliseconds) over arbitrary text.
#![no_main]
use keyroster::ingest::dates;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = dates::parse(&text, jiff::civil::date(2026, 11, 22));
    if data.len() >= 8 {
        let n = i64::from_le_bytes(data[..8].try_into().unwrap());
        let _ = dates::from_unix(n);
        let _ = dates::from_unix_millis(n);
    }
});
