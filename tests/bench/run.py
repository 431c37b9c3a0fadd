#!/usr/bin/env python3
"""`make bench`: Key Roster beside DuckDB, polars and pandas on the same generated files.

Correctness first: the CLI's sums per key and per key-day must equal DuckDB's on the same file,
or nothing is timed. Then each measure runs its tools side by side, in alternating order, one
process per run under `/usr/bin/time -v` (wall time and peak RSS), and reports the median of the
paired ratios (Key Roster / competitor, round by round), so a neighbour's load on a shared machine
hits both sides of a pair alike. One JSON line per measure goes to stdout and to
target/bench/results.jsonl. No pass/fail: numbers only (targets are compared in BENCHMARKS.md).

Environment: BENCH_FULL=1 adds the 5M-row (1 GB) file; BENCH_ROUNDS (default 5) sets the pairs.
"""

import json
from datetime import date
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "target/bench"
CLI = ROOT / "target/release/keyroster"
DUMP = ROOT / "target/release/examples/usage_buckets"
PY = ROOT / "target/bench-venv/bin/python"
COMP = ROOT / "tests/bench/competitors.py"
FULL = os.environ.get("BENCH_FULL") == "1"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
AS_OF = "2026-11-22"
EPOCH = date(1970, 1, 1).toordinal()


def data(kind, n):
    path = DATA / (f"cost_{n}.csv" if kind == "cost" else f"keys_{n}.html")
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        subprocess.run([sys.executable, ROOT / "tests/bench/gen.py", kind, str(n), tmp], check=True)
        tmp.rename(path)
    return path


def timed(cmd):
    """Runs `cmd` under /usr/bin/time -v: (wall seconds, peak RSS in MiB)."""
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v", *map(str, cmd)], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    if p.returncode not in (0, 1) or not rss:  # the CLI exits 1 only for --fail-on
        sys.exit(f"failed ({p.returncode}): {' '.join(map(str, cmd))}\n{p.stderr[-2000:]}")
    return wall, int(rss.group(1)) / 1024


def check(path):
    """The CLI's sums per key and per key-day equal DuckDB's (to 1e-9 relative, the f64 sum order)."""
    cli = subprocess.run([DUMP, path], check=True, capture_output=True, text=True).stdout
    per_key, per_day = {}, {}
    for line in cli.splitlines()[1:]:
        day, key, cost = line.split(",")
        day = str(date.fromisoformat(day).toordinal() - EPOCH)
        for m, k in ((per_key, key), (per_day, f"{key}|{day}")):
            m[k] = m.get(k, 0.0) + float(cost)
    duck = json.loads(subprocess.run([PY, COMP, "totals", path], check=True, capture_output=True,
                                     text=True).stdout)
    for name, ours, theirs in (("per key", per_key, duck["per_key"]), ("per key-day", per_day, duck["per_key_day"])):
        if set(ours) != set(theirs):
            sys.exit(f"{path.name}: {name}: groups differ: {len(ours)} vs DuckDB {len(theirs)}")
        bad = [k for k in ours if abs(ours[k] - theirs[k][0]) > 1e-9 * max(1.0, abs(theirs[k][0]))]
        if bad:
            k = bad[0]
            sys.exit(f"{path.name}: {name}: {len(bad)} sums differ, e.g. {k}: {ours[k]} vs DuckDB {theirs[k][0]}")
    print(f"correct: {path.name}: {len(per_key)} keys, {len(per_day)} key-days equal DuckDB's", file=sys.stderr)


def measure(name, ours, competitors, target=None):
    """Alternating rounds: each round runs every tool once, the order rotating round by round."""
    tools = [("keyroster", ours), *competitors.items()]
    runs = {t: [] for t, _ in tools}
    timed(ours)  # warm the page cache: the first run would pay for the disk
    for r in range(ROUNDS):
        order = tools[r % len(tools):] + tools[: r % len(tools)]
        for t, cmd in order:
            runs[t].append(timed(cmd))
    kr = runs["keyroster"]
    line = {"measure": name, "rounds": ROUNDS,
            "keyroster_s": round(statistics.median(w for w, _ in kr), 3),
            "keyroster_rss_mib": round(max(m for _, m in kr), 1), "competitors": {}}
    for t in competitors:
        line["competitors"][t] = {
            "s": round(statistics.median(w for w, _ in runs[t]), 3),
            "rss_mib": round(max(m for _, m in runs[t]), 1),
            "ratio": round(statistics.median(a[0] / b[0] for a, b in zip(kr, runs[t])), 2),
        }
    if target:
        line["target"] = target
    print(json.dumps(line), flush=True)
    with open(DATA / "results.jsonl", "a") as f:
        f.write(json.dumps(line) + "\n")


def main():
    sizes = [100_000, 1_000_000] + ([5_000_000] if FULL else [])
    files = {n: data("cost", n) for n in sizes}
    for n in sizes:
        check(files[n])
    for n in sizes:
        f = files[n]
        comp = {t: [PY, COMP, t, f] for t in ("duckdb", "polars", "pandas")}
        measure(f"cli_cost_export_{n}", [CLI, "audit", "--as-of", AS_OF, "--format", "json", f], comp,
                "<= 1.0x DuckDB; peak RSS <= 64 MiB")
    for n in (1000, 5000):
        f = data("keys", n)
        measure(f"cli_keys_page_{n}", [CLI, "audit", "--as-of", AS_OF, "--format", "json", f],
                {"pandas.read_html": [PY, COMP, "read_html", f]}, "5,000 keys: CLI <= 60 ms")


if __name__ == "__main__":
    main()
