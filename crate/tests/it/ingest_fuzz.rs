//! No byte sequence makes the HTML or CSV reader panic: arbitrary text, arbitrary bytes, and
//! text built from the pieces real inputs are made of (delimiters, quotes, tags, key prefixes).

use jiff::civil::date;
use keyroster::ingest::{self, csv, html, Context};
use proptest::prelude::*;

fn ctx() -> Context {
    Context::new("fuzz", date(2026, 11, 22))
}

/// Text made of the tokens that steer the readers, so the fuzzer reaches their deeper paths.
fn tokens() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(",".to_string()),
        Just(";".to_string()),
        Just("\t".to_string()),
        Just("\"".to_string()),
        Just("\r\n".to_string()),
        Just("\n".to_string()),
        Just("sep=;".to_string()),
        Just("Name".to_string()),
        Just("Secret key".to_string()),
        Just("Last used".to_string()),
        Just("Created".to_string()),
        Just("Email".to_string()),
        Just("cost".to_string()),
        Just("api_key_id".to_string()),
        Just("date".to_string()),
        Just("Monthly budget".to_string()),
        Just("sk-proj-...a1B2".to_string()),
        Just(format!(
            "sk-proj-{}T3BlbkFJ{}",
            "Ab3".repeat(25),
            "Zx9Q".repeat(18)
        )),
        Just("<table>".to_string()),
        Just("<tr>".to_string()),
        Just("<th>".to_string()),
        Just("<td>".to_string()),
        Just("<div role=\"grid\">".to_string()),
        Just("<div role=\"row\">".to_string()),
        Just("<div role=\"columnheader\">".to_string()),
        Just("<div role=\"gridcell\">".to_string()),
        Just("<time datetime=\"2023-10-15T13:22:05Z\">".to_string()),
        Just("<!-- saved from url=(0010)https://x/settings/proj_a/api-keys -->".to_string()),
        Just(" colspan=\"99999999999\"".to_string()),
        Just("Showing 1–20 of 45".to_string()),
        Just("Page 1 of 3".to_string()),
        Just("Oct 15, 2023".to_string()),
        Just("Never".to_string()),
        Just("$1,234.50".to_string()),
        Just("0,50".to_string()),
        Just("99999999999999999999".to_string()),
        "[ -~]{0,8}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn csv_never_panics(text in any::<String>()) {
        let _ = csv::read(&ctx(), &text);
    }

    #[test]
    fn html_never_panics(text in any::<String>()) {
        let _ = html::read(&ctx(), &text);
    }

    #[test]
    fn any_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = ingest::read(&ctx(), &bytes);
    }

    #[test]
    fn structured_inputs_never_panic_nor_leak(text in tokens()) {
        for result in [csv::read(&ctx(), &text), html::read(&ctx(), &text)] {
            let debug = match result {
                Ok(b) => format!("{:?}{:?}{:?}{:?}{:?}", b.keys, b.usage, b.members, b.projects, b.warnings),
                Err(e) => e.to_string(),
            };
            prop_assert!(!debug.contains("T3BlbkFJ"), "a full secret survived: {}", debug);
        }
    }
}
