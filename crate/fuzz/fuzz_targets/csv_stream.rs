//! The chunk-fed delimited reader against itself: the same bytes read whole on one thread
//! (`Push::new`, what www's worker runs) must give the same batch or the same error as when fed
//! in chunks to the two-thread reader (`Push::threaded_in_blocks`, what the CLI runs) and to the
//! two-worker one (`Splitter` and `BlockReader`, what www runs on a large file; compared when the
//! splitter takes the input as delimited text, as www's worker would).
//! The first byte picks the block size (1 to 8 records, so block edges fall everywhere), the
//! second the chunk size (1 to 256 bytes); the rest is the input.
#![no_main]
use keyroster::ingest::csv::{BlockReader, Push, Splitter};
use keyroster::ingest::limits::Limits;
use keyroster::ingest::{Batch, Context};
use libfuzzer_sys::fuzz_target;

type NoRows = fn(&[String], &[&str], &mut Batch);

fuzz_target!(|data: &[u8]| {
    let [records, chunk, text @ ..] = data else {
        return;
    };
    let records = usize::from(records % 8) + 1;
    let chunk = usize::from(*chunk) + 1;
    let ctx = Context::new("fuzz.csv", jiff::civil::date(2026, 11, 22));
    let limits = Limits::default();

    let mut whole = Push::new(&ctx, &limits, (|_, _, _| {}) as NoRows);
    whole.push(text);
    let one = whole.finish().map_err(|e| e.to_string());

    let mut fed = Push::threaded_in_blocks(&ctx, &limits, (|_, _, _| {}) as NoRows, records);
    for piece in text.chunks(chunk) {
        fed.push(piece);
    }
    let two = fed.finish().map_err(|e| e.to_string());
    // Debug, not ==: a NaN amount is the same reading on both sides.
    assert_eq!(
        format!("{two:?}"),
        format!("{one:?}"),
        "blocks of {records} records, chunks of {chunk} bytes"
    );

    let mut splitter = Splitter::in_blocks(&ctx, &limits, records);
    let mut reader = BlockReader::new(&ctx, &limits);
    for piece in text.chunks(chunk) {
        let Some(blocks) = splitter.push(piece) else {
            return;
        };
        for block in blocks {
            reader.push(&block);
        }
    }
    let Some(blocks) = splitter.finish() else {
        return;
    };
    for block in blocks {
        reader.push(&block);
    }
    let split = reader.finish().map_err(|e| e.to_string());
    assert_eq!(
        format!("{split:?}"),
        format!("{one:?}"),
        "split: blocks of {records} records, chunks of {chunk} bytes"
    );
});
