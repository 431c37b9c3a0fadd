//! The streaming entry point the CLI reads files through ([`Inventory::ingest_stream`]): it must
//! read every input exactly as the whole-bytes [`Inventory::ingest_with`] does, whatever sizes the
//! reads come in, and keep naming lines in its messages when records cross read boundaries.

mod support;

use std::io::Read;

use keyroster::ingest::limits::Limits;
use keyroster::ingest::Context;
use keyroster::Inventory;
use support::AS_OF;

/// A reader that hands out at most `step` bytes a call: record and buffer boundaries fall
/// everywhere.
struct Trickle<'a> {
    bytes: &'a [u8],
    step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.bytes.len());
        buf[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        Ok(n)
    }
}

fn both(name: &str, bytes: &[u8]) -> (Inventory, Inventory) {
    let ctx = Context::new(name, AS_OF);
    let limits = Limits::default();
    let mut whole = Inventory::default();
    whole.ingest_with(&ctx, bytes, &limits);
    let mut streamed = Inventory::default();
    streamed.ingest_stream(&ctx, Trickle { bytes, step: 7 }, &limits);
    (whole, streamed)
}

/// The error an input was refused with.
fn error(inv: &Inventory) -> String {
    inv.sources[0].error.clone().expect("the input was refused")
}

#[test]
fn streamed_inputs_read_as_whole_ones() {
    for name in [
        "csv/keys.csv",
        "csv/keys-excel-de.csv",
        "csv/cost_2026-09-25_2026-09-29.csv",
        "csv/activity_2026-09-25_2026-09-29.csv",
        "csv/usage-unicode-text.txt",
        "org/team-keys-edited.csv",
        "e2e/broken.csv",
    ] {
        let (whole, streamed) = both(name, &support::fixture_bytes(name));
        assert_eq!(whole, streamed, "{name}");
    }
}

/// A cost export larger than the look-ahead, CRLF line ends (Excel), and Excel's `sep=` line.
fn big_export(rows: usize, broken_at: Option<usize>) -> String {
    let mut s = String::from("sep=,\r\nstart_time,amount_value,amount_currency,api_key_id\r\n");
    for i in 0..rows {
        if Some(i) == broken_at {
            s.push_str("1790553600,0.5,usd\r\n");
        } else {
            s.push_str(&format!(
                "{},0.25,usd,key_{}\r\n",
                1_790_553_600 + 86_400 * (i % 3),
                i % 5
            ));
        }
    }
    s
}

#[test]
fn a_large_crlf_export_streams_to_the_same_totals() {
    let text = big_export(20_000, None);
    let (whole, streamed) = both("cost.csv", text.as_bytes());
    assert_eq!(whole, streamed);
    assert_eq!(streamed.usage.len(), 15, "3 days x 5 keys");
    let total: f64 = streamed.usage.iter().filter_map(|r| r.usage.cost_usd).sum();
    assert_eq!(total, 5_000.0);
}

#[test]
fn a_short_record_deep_in_a_stream_names_its_line() {
    // Line 1 is `sep=,`, line 2 the header: record i is on line i + 3.
    let text = big_export(20_000, Some(15_000));
    let (whole, streamed) = both("cost.csv", text.as_bytes());
    let message = error(&streamed);
    assert_eq!(message, error(&whole));
    assert!(
        message.starts_with("cost.csv: line 15003: expected 4 fields"),
        "{message}"
    );
}

#[test]
fn invalid_utf8_in_a_stream_names_its_line() {
    let mut bytes = big_export(5_000, None).into_bytes();
    let at = bytes.len() - 10;
    bytes[at] = 0xFF;
    let mut inv = Inventory::default();
    inv.ingest_stream(
        &Context::new("cost.csv", AS_OF),
        Trickle {
            bytes: &bytes,
            step: 4096,
        },
        &Limits::default(),
    );
    let message = error(&inv);
    assert!(
        message.starts_with("cost.csv: line 5002: not UTF-8 text"),
        "{message}"
    );
}

#[test]
fn pages_and_json_stream_through_the_whole_reader() {
    for name in [
        "e2e/api-keys.html",
        "json/admin-api-keys.json",
        "org/api-keys.html",
    ] {
        let (whole, streamed) = both(name, &support::fixture_bytes(name));
        assert!(!whole.keys.is_empty(), "{name}");
        assert_eq!(whole, streamed, "{name}");
    }
}
