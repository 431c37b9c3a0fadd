//! The policy parser (TOML and JSON) over arbitrary text.
#![no_main]
use keyroster::Policy;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = Policy::load("fuzz.toml", &text);
    let _ = Policy::load("fuzz.json", &text);
    let _ = Policy::from_toml("fuzz.toml", &text);
    let _ = Policy::from_json("fuzz.json", &text);
});
