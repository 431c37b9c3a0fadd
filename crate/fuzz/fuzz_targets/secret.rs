//! The secret detector and redactor: whatever the text, the scrubbed text holds no full secret
//! and every redaction it reports is itself not a secret.
#![no_main]
use keyroster::secret;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (out, found) = secret::scrub(&text);
    let (again, more) = secret::scrub(&out);
    assert!(
        more.is_empty(),
        "scrubbed text still holds a secret: {out:?}"
    );
    assert_eq!(again, out);
    for r in &found {
        assert!(!secret::is_full_secret(r));
    }
    let _ = secret::canonical_redaction(&text);
    let _ = secret::kind_from_value(&text);
});
