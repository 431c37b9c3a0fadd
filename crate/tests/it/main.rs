//! The integration tests, one binary: each module was a test file of its own, and linking 35
//! binaries against the library (each with its debug info) took longer than compiling them.
//! `cargo test --test it MODULE::` runs one module's tests.

mod support;

mod analyze_anthropic;
mod analyze_catalog;
mod analyze_compare;
mod analyze_cross_check;
mod analyze_fixture_org;
mod analyze_rules;
mod bad_inputs;
mod cli;
mod cli_mixed_providers;
mod coverage;
mod export;
mod export_html;
mod export_injection;
mod fuzz_regressions;
mod ingest_anthropic;
mod ingest_csv;
mod ingest_fixture_org;
mod ingest_fuzz;
mod ingest_html;
mod ingest_html_records;
mod ingest_json;
mod ingest_layouts;
mod ingest_merge;
mod ingest_page;
mod ingest_saved_pages;
mod ingest_stream;
mod keys_csv_round_trip;
mod owner_join;
mod page_skeleton;
mod properties;
mod pull;
mod roles;
mod unlisted_and_history;
