#!/usr/bin/env bash
# The runs the CLI's profile-guided build learns from (`make cli`; see the Makefile): an
# instrumented keyroster ($1) reads what users give it, so the optimizer knows which branches and
# calls are hot. Every path a user takes is run at least once (each input kind, each output
# format, the exports, a policy, a previous audit), so none is laid out as cold code; the keys
# pages and the cost export run several times, as their reading is most of the CLI's time.
# Inputs are the test fixtures and files tests/bench/gen.py generates (seeded) at sizes the
# benchmark does not use, in $2 (a scratch directory).
set -euo pipefail
bin=$1
work=$2
here=$(cd "$(dirname "$0")/../.." && pwd)
fx=$here/tests/fixtures
mkdir -p "$work/out"
gen() { [ -s "$work/$2_$3.$4" ] || python3 "$here/tests/bench/gen.py" "$1" "$3" "$work/$2_$3.$4"; }
gen keys keys 700 html
gen keys keys 3000 html
gen cost cost 150000 csv
audit() { "$bin" audit --as-of 2026-11-22 "$@" > /dev/null; }

# Every page and file kind the readers know, alone (what a user drops one at a time).
for f in "$fx"/html/*.html "$fx"/layouts/*.html "$fx"/layouts/*.mhtml "$fx"/anthropic/*.html; do
  audit --format json "$f"
done
# Several files at once: Admin API JSON with CSV exports, and Anthropic's API JSON with its usage CSV.
audit --format json "$fx/json" "$fx/csv"
audit --format json "$fx"/anthropic/*.json "$fx"/anthropic/*.csv
# The sample organization through every output and export.
for format in table json csv markdown; do
  audit --format "$format" "$fx/org"
done
audit --policy "$fx/policy/team.toml" --xlsx "$work/out/org.xlsx" --html "$work/out/org.html" \
  --out-dir "$work/out/org" "$fx/org"
audit --previous "$work/out/org/report.json" --preset strict "$fx/org"
# What takes the CLI's time: large keys pages and a cost export, a few times each.
for _ in 1 2 3; do
  audit --format json "$work/keys_3000.html"
  audit --format json "$work/keys_700.html"
done
audit --format table "$work/keys_3000.html"
audit --format json "$work/cost_150000.csv"
audit --format json --xlsx "$work/out/cost.xlsx" "$work/cost_150000.csv" "$work/keys_700.html"
