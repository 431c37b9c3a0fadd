#!/usr/bin/env bash
# Seeds each target's corpus from tests/fixtures/ (idempotent: files are named by content hash,
# so re-seeding never duplicates). Run from the repository root; `make fuzz` does.
set -euo pipefail
fx=tests/fixtures
seed() { # target, files...
  local dir=crate/fuzz/corpus/$1; shift
  mkdir -p "$dir"
  for f in "$@"; do
    [ -f "$f" ] || continue
    cp "$f" "$dir/seed-$(sha1sum "$f" | cut -c1-16)"
  done
}
# The stream target's first two bytes pick its block and chunk sizes: blocks of 3 records, chunks
# of 64 bytes.
seed_stream() {
  local dir=crate/fuzz/corpus/csv_stream
  mkdir -p "$dir"
  for f in "$@"; do
    { printf '\002\077'; cat "$f"; } > "$dir/seed-$(sha1sum "$f" | cut -c1-16)"
  done
}
html=$(find $fx/html $fx/layouts $fx/org $fx/bad -name '*.html')
csv=$(find $fx/csv $fx/org $fx/bad \( -name '*.csv' -o -name '*.tsv' -o -name '*.txt' \))
json=$(find $fx/json $fx/org $fx/bad $fx/golden -name '*.json')
seed html $html
seed html_fast $html
# Well-formed pages the fast path takes (the fixtures above mostly have SVG icons, which it
# declines): a few made-up keys pages, cut short at different points.
mkdir -p crate/fuzz/corpus/html_fast
cp crate/fuzz/seeds/html_fast/* crate/fuzz/corpus/html_fast/ 2>/dev/null || true
seed csv $csv
seed_stream $csv
seed json $json
seed mhtml $(find $fx -name '*.mhtml' -o -name '*.mht')
seed policy $(find $fx/policy -type f)
seed secret $csv $(find $fx/html -name '*.html')
seed pipeline $html $csv $json $(find $fx -name '*.mhtml') $(find $fx/bad -type f)
mkdir -p crate/fuzz/corpus/dates
i=0
for d in "2024-02-03" "Feb 3, 2024" "3 Feb 2024" "03.02.2024" "2/3/2024" "Never" "3 days ago" \
         "yesterday" "1754042400" "1754042400000" "Mar 14, 2025, 10:42 AM" "2025-06-11T08:00:00Z" \
         "14 mars 2025" "in 5 months" "just now"; do
  printf '%s' "$d" > "crate/fuzz/corpus/dates/seed-$i"; i=$((i+1))
done
