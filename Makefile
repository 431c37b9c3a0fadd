# Key Roster: `make demo` builds everything and serves the analyzer; `make test` runs every test.
# Both install what they need first (see `deps`), idempotently and without prompts.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

WASM_TARGET := wasm32-unknown-unknown
# The bindings are their own crate (crate/wasm/, keyroster-wasm); wasm-bindgen names its output
# keyroster.js / keyroster_bg.wasm, the names the pages import. It is built twice: the full module
# (www, the extension's report page, and the popup's exports and "Copy page structure", loaded
# when first needed) and the popup's module (`--no-default-features`), so the popup downloads and
# compiles less on every open: no export writer at all (CSV, workbook and HTML report load with
# the full module when the pointer reaches an Export button), no html5ever (the popup's fast
# reader takes a live page's HTML, and the tab's DOM when it declines,
# crate/src/ingest/html/dom.rs), no Unicode tables (both modules normalize names with the
# browser's own normalizer). Each has its own profile, so its own output directory:
# - the popup's, `wasm-popup` (opt-level "z", wasm-opt -Oz, no SIMD): small first (Cargo.toml);
# - the full one, `wasm-full`, built for speed (the analyzer streams exports of millions of rows
#   through it): opt-level 3, wasm-opt -O3, and wasm SIMD (simd128: memchr's vector paths count
#   lines and find `sk-` in each record; Chrome 91+, Firefox 89+, every browser the extension
#   supports). Measured on the 1M-row cost export (node, CPU time of the ingest, medians of 7
#   alternating runs): 2.07 s with the popup's settings, 1.60 s at opt-level 3 and -O3, 1.46 s with
#   simd128 too; the module grows from 1.13 to 1.33 MB gzipped.
WASM_BUILT_FULL := target/$(WASM_TARGET)/wasm-full/keyroster_wasm.wasm
WASM_BUILT_POPUP := target/$(WASM_TARGET)/wasm-popup/keyroster_wasm.wasm
WASM_FULL_RUSTFLAGS := -C target-feature=+simd128
WASM_FULL := target/wasm-modules/full.wasm
WASM_POPUP := target/wasm-modules/popup.wasm
WASM_SOURCES := $(shell find crate/src crate/wasm/src -type f) crate/Cargo.toml crate/wasm/Cargo.toml Cargo.lock
PKG := target/pkg
PKG_POPUP := target/pkg-popup
# The wasm-bindgen CLI must match the crate's wasm-bindgen exactly: read it from Cargo.lock.
WASM_BINDGEN_VERSION = $(shell awk '/^name = "wasm-bindgen"$$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
PORT ?= 8080

.PHONY: build demo test deps deps-rust deps-node deps-system cli wasm dist test-rust test-wasm test-e2e lint lint-ext bench bench-deps screenshots fuzz clean

## deps: the wasm32 target, wasm-bindgen-cli at the locked version, npm packages, Chromium.
deps: deps-rust deps-node deps-system

deps-rust:
	@rustup target list --installed | grep -qx $(WASM_TARGET) || rustup target add $(WASM_TARGET)
	@# llvm-profdata, which merges the CLI's training profiles (see `cli`).
	@rustup component list --installed | grep -q '^llvm-tools' || rustup component add llvm-tools
	@cargo fetch --quiet
	@if [ "$$(wasm-bindgen --version 2>/dev/null | awk '{print $$2}')" != "$(WASM_BINDGEN_VERSION)" ]; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (a few minutes, once)"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi

# npm ci from the committed lockfile; no package may download a browser. A node_modules that is a
# symlink (a git worktree sharing another checkout's install) is left alone: npm ci would empty the
# install it points at.
deps-node:
	@if [ -L node_modules ]; then :; \
	elif [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund; \
	fi

# Debian's Chromium drives the browser tests (playwright-core with executablePath) and, through
# Debian's chromedriver, the wasm facade's tests (wasm-bindgen-test-runner); Debian's firefox-esr
# the Firefox package's test (puppeteer-core over WebDriver BiDi); zip packs the extension;
# python3 generates the CLI's training inputs (crate/pgo/train.sh) and serves the demo.
deps-system:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || [ ! -x /usr/bin/firefox-esr ] \
	  || ! command -v zip >/dev/null || ! command -v python3 >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver firefox-esr zip python3; \
	fi

## build: the CLI, the wasm core, the unpacked extension, the static site and the zips.
build: deps-rust deps-node deps-system cli dist

# The CLI is built with profile-guided optimization: an instrumented build (its own target
# directory, the same profile: cargo names the symbols by the profile, and the counts are found
# by those names) runs crate/pgo/train.sh, a user's runs over the test
# fixtures and generated pages and exports, and the release build lays its code out by those
# counts, then lands where cargo puts it (target/release/keyroster). Measured (2026-12-03,
# BENCHMARKS.md): the 5,000-key page 679M -> 533M instructions (0.79x), 0.80x the wall time; the
# 1M-row cost export 0.92x the instructions, 0.76x the wall time; fat LTO with one codegen unit on
# top was slower (626M). The profile is remade whenever the core's sources change, and
# rustc rebuilds what it was used for when it changes. Without llvm-profdata (a toolchain not
# managed by rustup) the CLI is built without it, and says so.
PGO := target/pgo
LLVM_PROFDATA = $(shell rustc --print sysroot)/lib/rustlib/$(shell rustc -vV | sed -n 's/^host: //p')/bin/llvm-profdata
CLI_SOURCES := $(shell find crate/src -type f) crate/Cargo.toml Cargo.toml Cargo.lock crate/pgo/train.sh tests/bench/gen.py

cli:
	@if [ -x "$(LLVM_PROFDATA)" ]; then \
	  $(MAKE) --no-print-directory $(PGO)/keyroster.profdata && \
	  RUSTFLAGS="$${RUSTFLAGS:-} -Cprofile-use=$(CURDIR)/$(PGO)/keyroster.profdata -Cllvm-args=-no-pgo-warn-mismatch" \
	    cargo build --release --bin keyroster --target-dir $(PGO)/use && \
	  mkdir -p target/release && cp $(PGO)/use/release/keyroster target/release/keyroster; \
	else \
	  echo "no llvm-profdata (rustup component add llvm-tools): building the CLI without its profile"; \
	  cargo build --release --bin keyroster; \
	fi

$(PGO)/keyroster.profdata: $(CLI_SOURCES)
	rm -rf $(PGO)/raw
	RUSTFLAGS="$${RUSTFLAGS:-} -Cprofile-generate=$(CURDIR)/$(PGO)/raw" \
	  cargo build --release --bin keyroster --target-dir $(PGO)/gen
	crate/pgo/train.sh $(PGO)/gen/release/keyroster $(PGO)/inputs
	"$(LLVM_PROFDATA)" merge -o $@ $(PGO)/raw

# Every file under the sources: include_str! assets (the HTML report's report.css) are part of the build too.
# Each build is copied out of its profile's directory; the popup's waits for the full one (under
# make -j the two would only fight over two cores).
$(WASM_FULL): $(WASM_SOURCES)
	RUSTFLAGS="$${RUSTFLAGS:-} $(WASM_FULL_RUSTFLAGS)" \
	  cargo build -p keyroster-wasm --lib --target $(WASM_TARGET) --profile wasm-full
	mkdir -p $(@D) && cp $(WASM_BUILT_FULL) $@

$(WASM_POPUP): $(WASM_SOURCES) Cargo.toml | $(WASM_FULL)
	cargo build -p keyroster-wasm --lib --target $(WASM_TARGET) --profile wasm-popup --no-default-features
	mkdir -p $(@D) && cp $(WASM_BUILT_POPUP) $@

# Two jobs: the cargo builds still run one after the other (above), but the full module's wasm-opt
# (about two minutes of one core at -O3) overlaps the popup's build, whose last minute (LTO with
# one codegen unit) is one core too. -O3 stays: -O1 would take a fifth of the time for a module
# 0.2% larger gzipped, but read the 5,000-key page 3-5% slower (measured 2026-12-02).
wasm:
	$(MAKE) --no-print-directory -j2 -Otarget $(PKG)/keyroster_bg.wasm $(PKG_POPUP)/keyroster_bg.wasm

# wasm-bindgen's JS glue, then npm's binaryen (Debian's wasm-opt 108 breaks wasm-bindgen output);
# about 25% smaller. Exactly the features rustc's wasm32 target emits are enabled: --all-features
# would let wasm-opt write newer encodings (compact imports) that Chromium refuses to instantiate.
# $(1): the module, $(2): the package directory, $(3): wasm-opt's level and any features more.
define bindgen
	rm -rf $(2) && mkdir -p $(2)
	wasm-bindgen --target web --no-typescript --out-name keyroster --out-dir $(2) $(1)
	node_modules/.bin/wasm-opt $(3) --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
	  --enable-mutable-globals --enable-reference-types --enable-multivalue \
	  $(2)/keyroster_bg.wasm -o $(2)/keyroster_bg.opt.wasm
	mv $(2)/keyroster_bg.opt.wasm $(2)/keyroster_bg.wasm
	@printf 'wasm %s: %s bytes, %s gzipped\n' $(2) "$$(stat -c %s $(2)/keyroster_bg.wasm)" "$$(gzip -9c $(2)/keyroster_bg.wasm | wc -c)"
endef

$(PKG)/keyroster_bg.wasm: $(WASM_FULL) Makefile
	$(call bindgen,$(WASM_FULL),$(PKG),-O3 --enable-simd)

# The popup's: --converge runs -Oz's passes until they shrink nothing more, and the producers and
# target-features sections (tool metadata no browser reads) go: 2.5 KB gzipped in all, what kept
# the module under its 400 KB budget after the page reader's and the CSV reader's speed-ups
# (measured 2026-12-02: 402,060 -> 399,790 B, `gzip -9`).
$(PKG_POPUP)/keyroster_bg.wasm: $(WASM_POPUP) Makefile
	$(call bindgen,$(WASM_POPUP),$(PKG_POPUP),-Oz --converge --strip-producers --strip-target-features)

dist: wasm
	rm -rf dist/extension dist/www
	mkdir -p dist/extension dist/www
	@# The extension: its own pages, the report UI shared with www, the two wasm packages (the
	@# popup's, and the full one its exports and the report page load).
	cp extension/*.html extension/*.js extension/*.css dist/extension/
	cp -r extension/icons dist/extension/icons
	cp -r www/ui dist/extension/ui
	cp -r $(PKG) dist/extension/pkg
	cp -r $(PKG_POPUP) dist/extension/pkg-popup
	node extension/manifest.mjs chrome > dist/extension/manifest.json
	@# The static analyzer page with its bundled sample organization.
	cp www/index.html www/app.js www/app.css www/worker.js www/split.js www/splitter.js dist/www/
	cp -r www/ui dist/www/ui
	cp -r $(PKG) dist/www/pkg
	mkdir -p dist/www/sample && cp tests/fixtures/org/* dist/www/sample/
	node www/sample-index.mjs dist/www/sample > dist/www/sample/index.json
	@# Packages: one manifest source, transformed per browser.
	rm -f dist/keyroster-chrome.zip dist/keyroster-firefox.zip
	cd dist/extension && zip -qr ../keyroster-chrome.zip .
	@# dist/firefox/ stays unpacked beside the zip: web-ext lints it (and `web-ext run` can load it).
	rm -rf dist/firefox && cp -r dist/extension dist/firefox && node extension/manifest.mjs firefox > dist/firefox/manifest.json
	cd dist/firefox && zip -qr ../keyroster-firefox.zip .
	node www/single-file.mjs dist/www > dist/keyroster.html
	@echo "built: target/release/keyroster, dist/extension/, dist/www/, dist/keyroster.html, dist/*.zip"

## demo: build, then serve the analyzer on localhost.
demo: build
	@echo
	@echo "Key Roster analyzer: http://127.0.0.1:$(PORT)/  (click 'Load sample org')"
	@echo "Extension: chrome://extensions -> Developer mode -> Load unpacked -> $(CURDIR)/dist/extension"
	@echo "CLI: target/release/keyroster audit --as-of 2026-11-22 tests/fixtures/org/*"
	@echo
	python3 -m http.server $(PORT) --bind 127.0.0.1 --directory dist/www

## test: every test there is. It builds the CLI without its profile (a debug build, for the one
## browser test that runs it): the profile-guided release build takes two release builds and a
## training run, about 7 of CI's minutes, and prints the same bytes (checked on 158 runs).
test: deps lint test-rust test-wasm dist lint-ext test-e2e

test-rust:
	cargo test --all-targets
	cargo test --doc
	cargo clippy --all-targets -- -D warnings
	@# Both wasm builds, as `make wasm` builds them: the facade lints the core with it (a workspace
	@# member is linted as a dependency too), with the popup's features and then the full module's.
	cargo clippy -p keyroster-wasm --lib --target $(WASM_TARGET) --no-default-features -- -D warnings
	cargo clippy -p keyroster-wasm --all-targets --target $(WASM_TARGET) -- -D warnings

# The facade's own tests (crate/wasm/tests/) in headless Chromium: cargo runs each test module
# through wasm-bindgen-test-runner (installed with wasm-bindgen-cli), which drives Debian's
# chromedriver; crate/wasm/webdriver.json adds the flags Chromium needs to run as root headless.
test-wasm: deps-rust deps-system
	CHROMEDRIVER=/usr/bin/chromedriver \
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	WASM_BINDGEN_TEST_TIMEOUT=120 \
	  cargo test -p keyroster-wasm --target $(WASM_TARGET)

# Formatting and lint: rustfmt over the workspace; ESLint over every JavaScript file we ship or
# test with (eslint.config.mjs: the recommended rules, no nested ternaries, lines of at most 110).
lint: deps-node
	cargo fmt --all --check
	node_modules/.bin/eslint .

# The CLI too (a debug build: ~40 s after `cargo test`, where the release one takes minutes): a
# test compares its HTML report with the one www writes. A test file that hangs fails after 10
# minutes (node's --test-timeout bounds each file as a whole too; all 16 take about six),
# and the runner exits once the tests are done even if a failed one left a browser open: a
# failure then stops CI in minutes, not at its time limit.
test-e2e: dist
	cargo build --bin keyroster
	PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS=1 \
	  node --test --test-concurrency=1 --test-timeout=600000 --test-force-exit tests/e2e/

# Mozilla's add-on linter over the Firefox package (it knows Firefox's manifest rules only, so it
# reads dist/firefox, not the Chrome tree). Warnings fail too: the package must lint clean.
lint-ext: dist
	node_modules/.bin/web-ext lint --source-dir dist/firefox --warnings-as-errors --no-input --output text

## bench: Key Roster beside DuckDB, polars, pandas and PapaParse on generated files (numbers, no
## pass/fail; never part of `make test`). BENCH_FULL=1 adds the 5M-row file. See BENCHMARKS.md.
BENCH_VENV := target/bench-venv

# GNU time for peak RSS; the pinned Python competitors in a venv of their own.
bench-deps:
	@if [ ! -x /usr/bin/time ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq time; \
	fi
	@[ -x $(BENCH_VENV)/bin/python ] || python3 -m venv $(BENCH_VENV)
	@$(BENCH_VENV)/bin/pip install -q -r tests/bench/requirements.txt

bench: build bench-deps
	cargo build --release --example usage_buckets
	@# Reports each reader's 10x ratio and fails past 12x; the other measures still run after it.
	-cargo run --release --example scaling
	python3 tests/bench/run.py
	cargo bench --bench ingest
	node tests/bench/browser.mjs

## screenshots: the README's pictures (docs/screenshots/) from dist/ over the sample org, light and
## dark. Not part of `make test`: it draws, it does not check.
screenshots: dist
	node tests/screenshots.mjs

## fuzz: every cargo-fuzz target for FUZZ_SECONDS each (nightly; installs nightly and cargo-fuzz
## if missing), corpora seeded from tests/fixtures/. A crash stops the run with its input in
## crate/fuzz/artifacts/TARGET/: minimize it (`cargo +nightly fuzz tmin TARGET FILE`), copy it to
## tests/fixtures/fuzz-regressions/TARGET/, and name a regression test after what it guards.
## Leak detection is off: the only "leak" it reported was a thread-local destructor's 32-byte
## registration (__cxa_thread_atexit_impl), which lives until the process ends by design.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= html html_fast csv csv_stream json mhtml dates secret policy pipeline
fuzz:
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@cargo +nightly fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked
	crate/fuzz/seed.sh
	cd crate && for t in $(FUZZ_TARGETS); do \
	  echo "== fuzz $$t for $(FUZZ_SECONDS) s"; \
	  cargo +nightly fuzz run -O $$t fuzz/corpus/$$t -- -max_total_time=$(FUZZ_SECONDS) \
	    -rss_limit_mb=2048 -timeout=10 -detect_leaks=0 -print_final_stats=1 || exit 1; \
	done

clean:
	rm -rf dist target/pkg target/pkg-popup target/wasm-modules
