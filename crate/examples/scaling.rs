//! Does ten times the input cost at most twelve times the time? `make bench` runs this for each
//! reader (HTML tables and div grids, a page nested deep around many rows, CSV, JSON, JSON Lines):
//! it generates each input at a base size and at ten times that, reads them through the same entry
//! point as `keyroster audit`, and prints one JSON line per input with the median times and the
//! median of the paired ratios. It exits 1 when a ratio passes 12 (something grew faster than the
//! input: a quadratic walk, a re-scan per record).
//!
//! Each read runs in a fresh process, as `keyroster audit` reads a file: the example runs itself
//! on the input written to a temporary file and times only the read. Reads repeated in one
//! process were not comparable across sizes: glibc kept the small input's heap between reads,
//! already faulted in, but handed the large input's blocks back to the kernel after each read and
//! took page faults for all of them again at the next (15% of a 20,000-row page's read, against
//! 1% at 2,000 rows). In a fresh process both sizes pay for the memory they touch.
//!
//! The machine it runs on is shared (a fuzzer, builds), so one number must not be an artefact of
//! the load: each size is read twice untimed first (the executable and the files in the page
//! cache); then the runs come in pairs, one read of each size back to back, the pairs alternating
//! which size goes first (ABBA), and the ratio is the median of the pairs' ratios. The gate is on
//! CPU time (`CLOCK_PROCESS_CPUTIME_ID`: precise to the nanosecond here, unlike
//! `/proc/thread-self/schedstat`, and it counts both threads of the CSV reader), which a busy
//! machine's preemption does not inflate; the wall-clock ratio is printed beside it.
//!
//! `cargo run --release --example scaling [RUNS] [SCALE]`: 11 pairs by default; SCALE multiplies
//! every base size (10 measures from 10n to 100n, past where a small input's working set still
//! fits the processor's caches). `--only NAME` measures one input; `--warm` reads in this process
//! instead, one read after another (the old way); `--repeat 1|10 COUNT` reads one size COUNT
//! times in this process and prints nothing else, for `perf record`.
//!
//! Past 400 lines because the six inputs' generators live here with the harness that times them
//! (one self-contained example that `make bench` runs).

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use keyroster::ingest::Context;
use keyroster::Inventory;

const LIMIT: f64 = 12.0;

/// What is measured, the file name it is read as, its generator, and its base size in rows.
type Input = (&'static str, &'static str, fn(usize) -> String, usize);

const INPUTS: [Input; 6] = [
    ("html-table", "keys.html", keys_table, 2_000),
    ("html-div-grid", "keys.html", keys_div_grid, 2_000),
    ("html-deep-and-wide", "keys.html", deep_and_wide, 2_000),
    ("csv-cost-export", "costs.csv", cost_export, 20_000),
    ("json-key-list", "keys.json", key_list_json, 2_000),
    ("jsonl-audit-log", "audit.jsonl", audit_log_lines, 5_000),
];

struct Args {
    runs: usize,
    scale: usize,
    only: Option<String>,
    repeat: Option<(usize, usize)>,
    warm: bool,
    /// Internal: read this file as this input once, print the times (see [`child`]).
    child: Option<(String, String)>,
}

fn args() -> Args {
    let mut a = Args {
        runs: 11,
        scale: 1,
        only: None,
        repeat: None,
        warm: false,
        child: None,
    };
    let mut positional = 0;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut number = || it.next().and_then(|v| v.parse::<usize>().ok());
        match arg.as_str() {
            "--only" => a.only = it.next(),
            "--warm" => a.warm = true,
            "--child" => a.child = it.next().zip(it.next()),
            "--repeat" => {
                let times = number().filter(|t| [1, 10].contains(t));
                let count = number();
                a.repeat = times.zip(count);
                assert!(a.repeat.is_some(), "--repeat 1|10 COUNT");
            }
            v => {
                let v = v.parse().expect("RUNS and SCALE are numbers");
                if positional == 0 {
                    a.runs = v;
                } else {
                    a.scale = v;
                }
                positional += 1;
            }
        }
    }
    a.runs = a.runs.max(1);
    a.scale = a.scale.max(1);
    a
}

fn main() {
    let a = args();
    if let Some((path, name)) = &a.child {
        child(path, name);
        return;
    }
    let dir = std::env::temp_dir().join(format!("keyroster-scaling-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let mut worst: f64 = 0.0;
    for (what, file, make, n) in INPUTS {
        if a.only.as_deref().is_some_and(|o| o != what) {
            continue;
        }
        let n = n * a.scale;
        if let Some((times, count)) = a.repeat {
            let text = make(n * times);
            for _ in 0..count {
                read(file, &text);
            }
            continue;
        }
        let small = make(n);
        let large = make(n * 10);
        let (small_path, large_path) = (
            dir.join(format!("1-{file}")),
            dir.join(format!("10-{file}")),
        );
        std::fs::write(&small_path, &small).expect("the small input written");
        std::fs::write(&large_path, &large).expect("the large input written");
        let read = |large_one: bool| match (a.warm, large_one) {
            (true, false) => read(file, &small),
            (true, true) => read(file, &large),
            (false, false) => spawn(&small_path, what),
            (false, true) => spawn(&large_path, what),
        };
        for _ in 0..2 {
            read(false);
            read(true);
        }
        let (mut small_t, mut large_t) = (Vec::new(), Vec::new());
        for i in 0..a.runs {
            let (s, l) = if i % 2 == 0 {
                let s = read(false);
                (s, read(true))
            } else {
                let l = read(true);
                (read(false), l)
            };
            small_t.push(s);
            large_t.push(l);
        }
        // The median of the pairs' ratios, and their quartiles (how much the load moved them).
        let ratio = |f: fn(&Took) -> Duration| {
            let mut r: Vec<f64> = small_t
                .iter()
                .zip(&large_t)
                .map(|(s, l)| f(l).as_secs_f64() / f(s).as_secs_f64())
                .collect();
            r.sort_by(f64::total_cmp);
            let q = |p: usize| r[(r.len() - 1) * p / 4];
            (q(2), q(1), q(3))
        };
        let ms = |v: &[Took], f: fn(&Took) -> Duration| {
            median(v.iter().map(|t| f(t).as_secs_f64() * 1e3).collect())
        };
        let ((cpu, q1, q3), (wall, _, _)) = (ratio(|t| t.cpu), ratio(|t| t.wall));
        worst = worst.max(cpu);
        println!(
            "{{\"measure\":\"scaling\",\"input\":\"{what}\",\"rows\":[{n},{}],\"bytes\":[{},{}],\
             \"pairs\":{},\"cpu_ms\":[{:.2},{:.2}],\"ratio\":{cpu:.2},\"ratio_quartiles\":[{q1:.2},{q3:.2}],\
             \"wall_ms\":[{:.2},{:.2}],\"wall_ratio\":{wall:.2},\"limit\":{LIMIT}}}",
            n * 10,
            small.len(),
            large.len(),
            a.runs,
            ms(&small_t, |t| t.cpu),
            ms(&large_t, |t| t.cpu),
            ms(&small_t, |t| t.wall),
            ms(&large_t, |t| t.wall),
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    if worst > LIMIT {
        eprintln!("scaling: a reader took more than {LIMIT}x the time for 10x the input");
        std::process::exit(1);
    }
}

struct Took {
    wall: Duration,
    cpu: Duration,
}

/// One read of the file at `path` as the input `what` in a fresh process running [`child`].
fn spawn(path: &std::path::Path, what: &str) -> Took {
    let exe = std::env::current_exe().expect("this example's path");
    let out = std::process::Command::new(exe)
        .arg("--child")
        .arg(path)
        .arg(what)
        .output()
        .expect("the example runs itself");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut ns = text
        .split_whitespace()
        .map(|v| v.parse::<u64>().expect("nanoseconds"));
    let (Some(cpu), Some(wall)) = (ns.next(), ns.next()) else {
        panic!("{what}: the child printed {text:?}");
    };
    Took {
        cpu: Duration::from_nanos(cpu),
        wall: Duration::from_nanos(wall),
    }
}

/// The child's side of [`spawn`]: the file is read into memory untimed, and a small input of the
/// same kind is read untimed first (what runs once per process whatever the size, lazily built
/// tables, would otherwise be counted in the small read's time only and lower the ratio); then
/// the file is read, timed.
fn child(path: &str, what: &str) {
    let (_, file, make, _) = *INPUTS
        .iter()
        .find(|i| i.0 == what)
        .expect("an input's name");
    let text = std::fs::read_to_string(path).expect("the input the parent wrote");
    read(file, &make(20));
    let t = read(file, &text);
    println!("{} {}", t.cpu.as_nanos(), t.wall.as_nanos());
}

/// The CPU time of the whole process so far (every thread's).
fn cpu_now() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant Linux defines.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_PROCESS_CPUTIME_ID)");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// One read of `text` as the file `name`; panics when the generated input is refused (the
/// generator, not the reader, would be wrong). The inventory is dropped inside the timing: freeing
/// what a read built is part of its cost.
fn read(name: &str, text: &str) -> Took {
    let ctx = Context::new(name.to_string(), jiff::civil::date(2026, 11, 22));
    // The per-file size and record limits are raised so that SCALE can reach past them.
    let limits = keyroster::ingest::limits::Limits {
        max_input_bytes: 1 << 30,
        max_records: usize::MAX,
        ..Default::default()
    };
    let (wall, cpu) = (Instant::now(), cpu_now());
    let mut inv = Inventory::default();
    let error = inv
        .ingest_with(&ctx, text.as_bytes(), &limits)
        .error
        .clone();
    drop(inv);
    let took = Took {
        wall: wall.elapsed(),
        cpu: cpu_now() - cpu,
    };
    assert!(error.is_none(), "{name}: {error:?}");
    took
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
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
