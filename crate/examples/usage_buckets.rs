//! The usage buckets the CLI reads from a file, as CSV (`date,key_id,cost_usd`): what `make bench`
//! compares with DuckDB's sums per key and per key-day before it times anything
//! (tests/bench/run.py). It reads the file through the same entry point as `keyroster audit`.

use std::io::Write;

use keyroster::ingest::Context;
use keyroster::Inventory;

fn main() {
    let path = std::env::args().nth(1).expect("usage: usage_buckets FILE");
    let ctx = Context::new(path.clone(), jiff::civil::date(2026, 11, 22));
    let mut inv = Inventory::default();
    let file = std::fs::File::open(&path).expect("readable file");
    let limits = keyroster::ingest::limits::Limits::default();
    let source = inv.ingest_stream(&ctx, std::io::BufReader::new(file), &limits);
    if let Some(e) = &source.error {
        panic!("{e}");
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(out, "date,key_id,cost_usd").unwrap();
    for r in &inv.usage {
        if let (Some(d), Some(k), Some(c)) = (r.date, &r.key_id, r.usage.cost_usd) {
            writeln!(out, "{d},{k},{c:?}").unwrap();
        }
    }
}
