//! The streaming entry point the CLI reads files through ([`Inventory::ingest_stream`]): it must
//! read every input exactly as the whole-bytes [`Inventory::ingest_with`] does, whatever sizes the
//! reads come in, and keep naming lines in its messages when records cross read boundaries.

use crate::support;

use std::io::Read;

use keyroster::ingest::limits::Limits;
use keyroster::ingest::{Context, Feed};
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

/// A keys export as Excel on Windows writes one: a BOM, CRLF line ends, quoted cells holding the
/// delimiter, doubled quotes and a line break, and names in several scripts (two-, three- and
/// four-byte UTF-8), repeated past the 64 KiB the delimiter is sniffed from.
fn awkward_keys_csv() -> Vec<u8> {
    let mut s = String::from(
        "\u{feff}project_id,key_id,key_name,redacted_key,owner_name,owner_email,created,last_used\r\n",
    );
    for i in 0..900 {
        s.push_str(&format!(
            "proj_{p},key_{i:05},\"deploy, \"\"prod\"\" {i}\",sk-proj-...{i:04},\"Zoë 日本 🔑\r\nline two\",zoe{p}@example.com,2025-0{m}-1{d},2026-11-0{d}\r\n",
            p = i % 7,
            m = 1 + i % 9,
            d = i % 10,
        ));
    }
    s.into_bytes()
}

/// Feeds `bytes` to a [`Feed`] in pieces of `step` bytes.
fn fed(name: &str, bytes: &[u8], step: usize) -> Inventory {
    let mut inv = Inventory::default();
    let mut feed = Feed::new(&Context::new(name, AS_OF), &Limits::default());
    for chunk in bytes.chunks(step) {
        feed.push(chunk);
    }
    feed.finish(&mut inv);
    inv
}

#[test]
fn chunk_fed_inputs_read_as_whole_ones_wherever_the_chunks_split() {
    let keys = awkward_keys_csv();
    let cost = big_export(3_000, None).into_bytes();
    let page = support::fixture_bytes("org/api-keys.html");
    // 1 byte splits every BOM, CRLF, quote pair and multi-byte character; 2, 3 and 5 cut them at
    // every phase; the rest cut the 8 KiB format sniff and the 64 KiB delimiter sniff.
    let steps = [1, 2, 3, 5, 7, 64, 1000, 8191, 8193, 65_535, 65_537, 1 << 20];
    for (name, bytes) in [
        ("keys.csv", &keys),
        ("cost.csv", &cost),
        ("api-keys.html", &page),
    ] {
        let mut whole = Inventory::default();
        whole.ingest_with(&Context::new(name, AS_OF), bytes, &Limits::default());
        assert!(
            whole.sources[0].error.is_none(),
            "{name}: {:?}",
            whole.sources
        );
        assert!(!whole.keys.is_empty() || !whole.usage.is_empty(), "{name}");
        for step in steps {
            assert_eq!(
                fed(name, bytes, step),
                whole,
                "{name} fed {step} bytes at a time"
            );
        }
    }
    // The quoted line break, quotes and non-ASCII name came through the splits intact.
    let inv = fed("keys.csv", &keys, 1);
    assert_eq!(inv.keys.len(), 900);
    let key = inv
        .keys
        .iter()
        .find(|k| k.id.as_deref() == Some("key_00003"))
        .unwrap();
    assert_eq!(key.name, "deploy, \"prod\" 3");
    let owner = key.owner.name.as_deref().unwrap_or_default();
    assert!(owner.starts_with("Zoë 日本 🔑"), "{owner:?}");
}

#[test]
fn a_chunk_fed_error_names_the_same_line_as_a_whole_read() {
    let text = big_export(4_000, Some(3_500));
    let mut whole = Inventory::default();
    whole.ingest_with(
        &Context::new("cost.csv", AS_OF),
        text.as_bytes(),
        &Limits::default(),
    );
    for step in [1, 3, 4096, 65_537] {
        let inv = fed("cost.csv", text.as_bytes(), step);
        assert_eq!(error(&inv), error(&whole), "fed {step} bytes at a time");
    }
    assert!(error(&whole).starts_with("cost.csv: line 3503: expected 4 fields"));
}

#[test]
fn a_feed_dropped_before_its_end_leaves_the_roster_as_it_was() {
    let mut inv = Inventory::default();
    inv.ingest(
        &Context::new("api-keys.html", AS_OF),
        &support::fixture_bytes("org/api-keys.html"),
    );
    let before = inv.clone();
    let cost = big_export(10_000, None).into_bytes();
    let mut feed = Feed::new(&Context::new("cost.csv", AS_OF), &Limits::default());
    for chunk in cost.chunks(4096).take(20) {
        feed.push(chunk);
    }
    assert!(feed.rows() > 0, "rows are read as chunks arrive");
    assert_eq!(feed.bytes(), 20 * 4096);
    drop(feed); // what Cancel does
    assert_eq!(inv, before);
}

/// Plain lines (read by whole fields) between records csv_core reads (a quoted line break, `""`,
/// CRLF, blank lines): the same batch wherever the chunks split, and a late warning names the
/// line it is on.
#[test]
fn plain_and_awkward_records_interleaved_read_alike_and_count_lines() {
    let mut text = String::from("date,key id,cost\n");
    for i in 0..3_000 {
        let day = 1 + i % 28;
        let key = match i % 7 {
            0 => format!("\"key\n{i}\""),
            3 => format!("\"k\"\"{}\"", i % 50),
            5 => format!("\"key_{}\"", i % 50),
            _ => format!("key_{}", i % 50),
        };
        let end = if i % 13 == 0 { "\r\n" } else { "\n" };
        text.push_str(&format!("2026-09-{day:02},{key},{}.25{end}", i % 9));
        if i % 11 == 0 {
            text.push('\n');
        }
    }
    let line = text.matches('\n').count() + 1;
    text.push_str("2026-09-02,key_1,lots\n");
    text.push_str("2026-09-03,\"key_2\",1\n");
    let mut whole = Inventory::default();
    whole.ingest_with(
        &Context::new("mixed.csv", AS_OF),
        text.as_bytes(),
        &Limits::default(),
    );
    let warnings = &whole.sources[0].warnings;
    assert!(
        warnings.contains(&format!(
            "line {line}, column cost: \"lots\" is not an amount (left unknown)"
        )),
        "{warnings:?}"
    );
    for step in [1, 2, 7, 4096, 65_537] {
        assert_eq!(
            fed("mixed.csv", text.as_bytes(), step),
            whole,
            "fed {step} bytes at a time"
        );
    }
    let (whole_again, streamed) = both("mixed.csv", text.as_bytes());
    assert_eq!(whole_again, streamed);
}
