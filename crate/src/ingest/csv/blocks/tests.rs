use super::{BlockReader, Splitter};
use crate::ingest::csv::fixtures::{export, row, secret};
use crate::ingest::csv::Push;
use crate::ingest::limits::Limits;
use crate::ingest::{Batch, Context};

type NoRows = fn(&[String], &[&str], &mut Batch);

fn ctx() -> Context {
    Context::new("cost.csv", jiff::civil::date(2026, 11, 22))
}

fn one_worker(text: &[u8], limits: &Limits) -> Result<Batch, String> {
    let mut push = Push::new(&ctx(), limits, (|_, _, _| {}) as NoRows);
    push.push(text);
    push.finish().map_err(|e| e.to_string())
}

/// The two-worker read: the splitter fed `chunk` bytes at a time, its blocks (of at most
/// `records` records) read in order by the block reader. `None` when the splitter leaves the
/// input to one worker: it is not delimited text, judged from the first chunks as `Feed` judges
/// it (a first chunk of the whole input that is not UTF-8, say).
fn two_workers(
    text: &[u8],
    limits: &Limits,
    records: usize,
    chunk: usize,
) -> Option<Result<Batch, String>> {
    let mut splitter = Splitter::in_blocks(&ctx(), limits, records);
    let mut reader = BlockReader::new(&ctx(), limits);
    for piece in text.chunks(chunk) {
        for block in splitter.push(piece)? {
            reader.push(&block);
        }
    }
    for block in splitter.finish()? {
        reader.push(&block);
    }
    Some(reader.finish().map_err(|e| e.to_string()))
}

fn same_both_ways(text: &[u8], limits: &Limits) -> Result<Batch, String> {
    let one = one_worker(text, limits);
    let mut split = 0;
    for records in [1, 2, 3, 5, super::BLOCK_RECORDS] {
        for chunk in [1, 7, 64, 1 << 20] {
            if let Some(two) = two_workers(text, limits, records, chunk) {
                assert_eq!(
                    two, one,
                    "blocks of {records} records, chunks of {chunk} bytes"
                );
                split += 1;
            }
        }
    }
    assert!(split >= 15, "split {split} times of 20");
    one
}

#[test]
fn two_worker_read_equals_one_worker_read_with_quoted_newlines_secrets_and_bad_cells() {
    let text = export(&secret(), 1000, &row(1_786_924_800, "4", "x", "key_c", ""));
    let batch = same_both_ways(text.as_bytes(), &Limits::default()).expect("readable");
    assert_eq!(batch.kind, "csv:cost-export");
    assert_eq!(batch.exposed.len(), 1);
    assert_eq!(batch.exposed[0].location, "line 9, column api_source");
    assert!(batch.warnings.iter().any(|w| w.starts_with("line 10")));
    assert!(batch
        .warnings
        .iter()
        .any(|w| w.starts_with("line 11, column amount_value")));
    let total: f64 = batch.usage.iter().filter_map(|u| u.usage.cost_usd).sum();
    assert_eq!(total, 1.75 + 3.5 + 2.0 + 1000.0 + 4.0);
}

#[test]
fn two_worker_read_fails_where_one_worker_read_fails() {
    // A short record at line 14 (the rows' error).
    let text = export(&secret(), 0, "1786924800,1786924800,x\n");
    let err = same_both_ways(text.as_bytes(), &Limits::default()).expect_err("a short record");
    assert!(err.contains("line 14"), "{err}");
    // Invalid UTF-8 in a cell, past the head the format is decided from.
    let mut bytes = export("", 100, "").into_bytes();
    assert!(bytes.len() > crate::ingest::SNIFF as usize);
    bytes.extend_from_slice(b"1786924800,,,,1,usd,1,tokens,\xff\xfe,u,k,p,o,n,o,e,\n");
    let err = same_both_ways(&bytes, &Limits::default()).expect_err("not UTF-8");
    assert!(err.contains("line 114") && err.contains("field 9"), "{err}");
    // A cell over the limit, found by the tokenizer after records still to be read.
    let limits = Limits {
        max_cell_bytes: 64,
        ..Limits::default()
    };
    let long = row(1_786_924_800, "1", &"y".repeat(200), "key_d", "");
    let err = same_both_ways(export("", 700, &long).as_bytes(), &limits).expect_err("long cell");
    assert!(err.contains("line 714"), "{err}");
}

#[test]
fn short_and_empty_inputs_read_as_on_one_worker() {
    // Shorter than the sniffed head: decided at the end.
    let text = export("", 0, "");
    assert!(text.len() < crate::ingest::SNIFF as usize);
    same_both_ways(text.as_bytes(), &Limits::default()).expect("readable");
    // A header only, no line ending.
    let header = export("", 0, "");
    let first = header.lines().next().expect("a header");
    let batch = same_both_ways(first.as_bytes(), &Limits::default()).expect("a header");
    assert!(batch.warnings.iter().any(|w| w.contains("only a header")));
}

#[test]
fn json_and_html_are_not_split() {
    for text in [
        format!("{{\"data\": [{}]}}", "1,".repeat(5000)),
        format!(
            "<!DOCTYPE html><html><body>{}</body></html>",
            "<p>x</p>".repeat(2000)
        ),
    ] {
        let mut splitter = Splitter::new(&ctx(), &Limits::default());
        assert_eq!(splitter.push(text.as_bytes()), None, "{}", &text[..20]);
    }
}

#[test]
fn a_malformed_or_missing_block_is_an_error_not_a_panic() {
    let text = export("", 50, "");
    let mut splitter = Splitter::in_blocks(&ctx(), &Limits::default(), 4);
    let mut blocks = splitter.push(text.as_bytes()).expect("delimited");
    blocks.extend(splitter.finish().expect("delimited"));
    let whole = blocks.concat();
    for cut in [0, 1, 2, 5, 10, 17, 30] {
        let mut reader = BlockReader::new(&ctx(), &Limits::default());
        reader.push(&blocks[0][..cut.min(blocks[0].len())]);
        let err = reader.finish().expect_err("cut").to_string();
        assert!(err.contains("internal error"), "{cut}: {err}");
    }
    // Garbage, and every block but the end one.
    for bad in [&b"\x07junk"[..], &whole[..whole.len() / 3]] {
        let mut reader = BlockReader::new(&ctx(), &Limits::default());
        reader.push(bad);
        assert!(reader.finish().is_err());
    }
    let mut reader = BlockReader::new(&ctx(), &Limits::default());
    for b in &blocks[..blocks.len() - 1] {
        reader.push(b);
    }
    let err = reader.finish().expect_err("no end block").to_string();
    assert!(err.contains("ended before"), "{err}");
}
