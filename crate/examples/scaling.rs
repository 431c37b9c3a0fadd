//! Does ten times the input cost at most twelve times the time? `make bench` runs this for each
//! reader (HTML tables and div grids, a page nested deep around many rows, CSV, JSON, JSON Lines):
//! it generates each input at a base size and at ten times that, reads them in alternating runs
//! through the same entry point as `keyroster audit`, and prints one JSON line per input with the
//! median times and their ratio. It exits 1 when a ratio passes 12 (something grew faster than
//! the input: a quadratic walk, a re-scan per record).
//!
//! `cargo run --release --example scaling [RUNS] [SCALE]`: 5 runs of each size by default; SCALE
//! multiplies every base size (10 measures from 10n to 100n, past where a small input's working
//! set still fits the processor's caches).

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use keyroster::ingest::Context;
use keyroster::Inventory;

const LIMIT: f64 = 12.0;

/// What is measured, the file name it is read as, its generator, and its base size in rows.
type Input = (&'static str, &'static str, fn(usize) -> String, usize);

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let scale: usize = std::env::args()
        .nth(2)
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    let inputs: [Input; 6] = [
        ("html-table", "keys.html", keys_table, 2_000),
        ("html-div-grid", "keys.html", keys_div_grid, 2_000),
        ("html-deep-and-wide", "keys.html", deep_and_wide, 2_000),
        ("csv-cost-export", "costs.csv", cost_export, 20_000),
        ("json-key-list", "keys.json", key_list_json, 2_000),
        ("jsonl-audit-log", "audit.jsonl", audit_log_lines, 5_000),
    ];
    let mut worst: f64 = 0.0;
    for (what, file, make, n) in inputs {
        let n = n * scale;
        let small = make(n);
        let large = make(n * 10);
        let (mut ts, mut tl) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            ts.push(read(file, &small));
            tl.push(read(file, &large));
        }
        let (ms, ml) = (median(ts), median(tl));
        let ratio = ml.as_secs_f64() / ms.as_secs_f64();
        worst = worst.max(ratio);
        println!(
            "{{\"measure\":\"scaling\",\"input\":\"{what}\",\"rows\":[{n},{}],\"bytes\":[{},{}],\
             \"median_ms\":[{:.2},{:.2}],\"ratio\":{ratio:.2},\"limit\":{LIMIT}}}",
            n * 10,
            small.len(),
            large.len(),
            ms.as_secs_f64() * 1e3,
            ml.as_secs_f64() * 1e3,
        );
    }
    if worst > LIMIT {
        eprintln!("scaling: a reader took more than {LIMIT}x the time for 10x the input");
        std::process::exit(1);
    }
}

/// One read of `text` as the file `name`; panics when the generated input is refused (the
/// generator, not the reader, would be wrong).
fn read(name: &str, text: &str) -> Duration {
    let ctx = Context::new(name.to_string(), jiff::civil::date(2026, 11, 22));
    let mut inv = Inventory::default();
    let start = Instant::now();
    // The per-file size and record limits are raised so that SCALE can reach past them.
    let limits = keyroster::ingest::limits::Limits {
        max_input_bytes: 1 << 30,
        max_records: usize::MAX,
        ..Default::default()
    };
    let source = inv.ingest_with(&ctx, text.as_bytes(), &limits).clone();
    let took = start.elapsed();
    assert!(source.error.is_none(), "{name}: {:?}", source.error);
    took
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// A redacted key as the platform shows one: its last 4 characters, letters and digits, spread
/// as real secrets' are (the reader buckets keys by them).
fn hint(i: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut x = (i as u64).wrapping_mul(2_654_435_761) % 62u64.pow(4);
    let mut tail = String::new();
    for _ in 0..4 {
        tail.push(char::from(ALPHABET[(x % 62) as usize]));
        x /= 62;
    }
    format!("sk-proj-...{tail}")
}

fn page(body: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>API keys - OpenAI API</title></head><body>\
         <nav><a href=\"https://platform.openai.com/api-keys\" aria-current=\"page\">API keys</a>\
         </nav><main><h1>API keys</h1>{body}<p>Showing 1-{n} of {n}</p></main></body></html>",
        n = body.matches("sk-proj-").count()
    )
}

fn keys_table(n: usize) -> String {
    let mut rows = String::new();
    for i in 0..n {
        let _ = write!(
            rows,
            "<tr><td>key-{i}</td><td>{}</td><td>Feb 3, 2025</td><td>Mar {}, 2025</td>\
             <td>user{}@example.com</td><td>All</td></tr>",
            hint(i),
            1 + i % 28,
            i % 40
        );
    }
    page(&format!(
        "<table><thead><tr><th>Name</th><th>Secret key</th><th>Created</th><th>Last used</th>\
         <th>Created by</th><th>Permissions</th></tr></thead><tbody>{rows}</tbody></table>"
    ))
}

fn keys_div_grid(n: usize) -> String {
    let mut rows = String::new();
    for i in 0..n {
        let _ = write!(
            rows,
            "<div class=\"row\"><div class=\"c\">key-{i}</div><div class=\"c\"><code>{}</code>\
             </div><div class=\"c\">Feb 3, 2025</div><div class=\"c\">user{}@example.com</div>\
             </div>",
            hint(i),
            i % 40
        );
    }
    page(&format!(
        "<div class=\"list\"><div class=\"head\"><div>Name</div><div>Secret key</div>\
         <div>Created</div><div>Created by</div></div>{rows}</div>"
    ))
}

/// The rows of a table under 400 nested `<div>`s, each row also carrying pagination-like text
/// and a current link: every page-level reader walks all of it at depth.
fn deep_and_wide(n: usize) -> String {
    let table = keys_table(n);
    let start = table.find("<table>").unwrap_or(0);
    let end = table.find("</table>").map_or(table.len(), |e| e + 8);
    let mut extra = String::new();
    for i in 0..n {
        let _ = write!(
            extra,
            "<div aria-label=\"select project\">Page {i} of {} <svg><title>t</title></svg>\
             <a aria-current=\"page\" href=\"https://platform.openai.com/x{i}\">x</a></div>",
            n + 1
        );
    }
    page(&format!(
        "{}{}{extra}{}",
        "<div>".repeat(400),
        &table[start..end],
        "</div>".repeat(400)
    ))
}

fn cost_export(n: usize) -> String {
    let mut s = String::from(
        "date,project_id,project_name,api_key_id,api_key_name,line_item,cost_usd,currency\n",
    );
    for i in 0..n {
        let _ = writeln!(
            s,
            "2025-{:02}-{:02},proj_{},Project {},key_{:06},key-{},gpt-4o input,{}.{:02},usd",
            1 + i % 12,
            1 + i % 28,
            i % 20,
            i % 20,
            i % 300,
            i % 300,
            i % 7,
            i % 100
        );
    }
    s
}

fn key_list_json(n: usize) -> String {
    let mut s = String::from("{\"object\": \"list\", \"data\": [");
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(
            s,
            "{{\"object\": \"organization.project.api_key\", \"id\": \"key_{i:06}\", \
             \"name\": \"key-{i}\", \"redacted_value\": \"{}\", \"created_at\": 1738540800, \
             \"last_used_at\": 1741046400, \"owner\": {{\"type\": \"user\", \"user\": \
             {{\"object\": \"organization.project.user\", \"id\": \"user_{}\", \"name\": \
             \"User {}\", \"email\": \"user{}@example.com\", \"role\": \"owner\"}}}}}}",
            hint(i),
            i % 40,
            i % 40,
            i % 40
        );
    }
    s.push_str("], \"first_id\": \"key_000000\", \"last_id\": \"key_x\", \"has_more\": false}");
    s
}

fn audit_log_lines(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        let _ = writeln!(
            s,
            "{{\"id\": \"audit_log-{i}\", \"type\": \"api_key.created\", \"effective_at\": \
             {}, \"actor\": {{\"type\": \"session\", \"session\": {{\"user\": {{\"id\": \
             \"user_{}\", \"email\": \"user{}@example.com\"}}}}}}, \"api_key.created\": \
             {{\"id\": \"key_{i:06}\", \"data\": {{\"scopes\": [\"/v1/*\"]}}}}}}",
            1738540800 + i * 60,
            i % 40,
            i % 40
        );
    }
    s
}
