//! The facade as JavaScript sees it, in headless Chromium (`make test-wasm`): errors arrive as
//! real `Error`s named after their kind, a page of keys crosses the boundary intact, and export
//! bytes are a workbook. What the core computes is tested natively; these test the crossing.

#![cfg(target_arch = "wasm32")]

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

use keyroster::ingest::Context;
use keyroster::view::{self, Query, Sort};
use keyroster::{analyze, Inventory, Policy};
use keyroster_wasm::{Roster, Splitter};

wasm_bindgen_test_configure!(run_in_browser);

const AS_OF: &str = "2026-11-22";
const KEYS_URL: &str = "https://platform.openai.com/settings/organization/api-keys";
const KEYS_PAGE: &str = include_str!("../../../tests/fixtures/e2e/org-api-keys.html");

fn roster() -> Roster {
    let mut r = Roster::new(AS_OF).expect("a valid date");
    r.add_input(KEYS_URL, KEYS_PAGE.as_bytes(), Some(KEYS_URL.into()), None)
        .expect("the page reads");
    r
}

/// The thrown value as a JS `Error`: its name and message.
fn error(thrown: JsValue) -> (String, String) {
    let e: js_sys::Error = thrown
        .dyn_into()
        .expect("a JS Error, not a string or object");
    (e.name().into(), e.message().into())
}

/// A plain JS object, as the UI sends (serde-wasm-bindgen's default would make a `Map`).
fn js(value: serde_json::Value) -> JsValue {
    use serde::Serialize;
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .expect("a JS value")
}

#[wasm_bindgen_test]
fn errors_reach_js_as_error_with_the_kind_as_name() {
    let mut r = roster();
    let (name, message) = error(r.set_preset("lenient").expect_err("no such preset"));
    assert_eq!(name, "PolicyError");
    assert!(message.contains("lenient"), "{message}");

    let (name, message) = error(
        r.set_policy("policy.toml", "[rules.no-such-rule]\nenabled = true\n")
            .expect_err("an unknown rule"),
    );
    assert_eq!(name, "PolicyError");
    assert!(message.starts_with("policy.toml"), "{message}");

    let (name, message) = error(r.export("keys.tsv").expect_err("no such export"));
    assert_eq!(name, "UsageError");
    assert!(message.contains("keys.tsv"), "{message}");

    let bad_sort = js(serde_json::json!({ "sort": "costs" }));
    let (name, message) = error(r.keys_page(bad_sort).expect_err("no such sort"));
    assert_eq!(name, "UsageError");
    assert!(message.starts_with("bad query: "), "{message}");

    let map = serde_wasm_bindgen::to_value(&serde_json::json!({ "sort": "name" })).expect("a Map");
    let (name, message) = error(r.keys_page(map).expect_err("a Map is not a query"));
    assert_eq!(name, "UsageError");
    assert!(message.contains("plain object"), "{message}");

    let (name, _) = error(Roster::new("22/11/2026").err().expect("not a date"));
    assert_eq!(name, "UsageError");
}

#[wasm_bindgen_test]
fn a_page_of_keys_round_trips() {
    let mut r = roster();
    let query = js(serde_json::json!({
        "text": "", "risk": "", "owner": "", "project": "",
        "sort": "name", "desc": false, "offset": 1, "limit": 3
    }));
    let page: serde_json::Value =
        serde_wasm_bindgen::from_value(r.keys_page(query).expect("a page")).expect("JSON-like");

    // The same page computed by the core directly.
    let mut inv = Inventory::default();
    let mut ctx = Context::new(KEYS_URL, jiff::civil::date(2026, 11, 22));
    ctx.url = Some(KEYS_URL.into());
    inv.ingest(&ctx, KEYS_PAGE.as_bytes());
    let report = analyze(&inv, &Policy::default(), jiff::civil::date(2026, 11, 22));
    let q = Query {
        sort: Some(Sort::Name),
        offset: 1,
        limit: 3,
        ..Query::default()
    };
    let want = serde_json::to_value(view::page(&report, &q)).expect("serializes");
    assert_eq!(page, want);
    assert_eq!(page["total"], 6);
    assert_eq!(page["rows"].as_array().map(Vec::len), Some(3));
}

#[wasm_bindgen_test]
fn markup_in_a_key_name_crosses_as_text() {
    let mut r = roster();
    let query = js(serde_json::json!({ "text": "onerror" }));
    let page: serde_json::Value =
        serde_wasm_bindgen::from_value(r.keys_page(query).expect("a page")).expect("JSON-like");
    assert_eq!(page["rows"][0]["name"], "<img src=x onerror=alert(1)>");
}

#[wasm_bindgen_test]
fn export_bytes_are_a_workbook_with_every_sheet() {
    let mut r = roster();
    let bytes = r.export("xlsx").expect("a workbook");
    assert!(bytes.starts_with(b"PK\x03\x04"), "zip magic");
    // Part names are stored uncompressed in the zip's headers.
    let text = String::from_utf8_lossy(&bytes);
    for part in [
        "[Content_Types].xml",
        "xl/workbook.xml",
        "xl/worksheets/sheet1.xml",
        "xl/worksheets/sheet5.xml",
    ] {
        assert!(text.contains(part), "missing {part}");
    }
    assert!(!text.contains("xl/worksheets/sheet6.xml"), "five sheets");

    let csv = r.export("keys.csv").expect("keys.csv");
    assert!(
        csv.starts_with(b"\xEF\xBB\xBFprovider,project_id,"),
        "BOM and header"
    );
}

/// The full module reads workbooks: Key Roster's own, dropped back in (say, after an edit in
/// Excel), gives the same keys.csv.
#[wasm_bindgen_test]
fn its_own_workbook_reads_back_into_the_same_keys() {
    let mut r = roster();
    let xlsx = r.export("xlsx").expect("a workbook");
    let mut back = Roster::new(AS_OF).expect("a valid date");
    back.add_input("roster.xlsx", &xlsx, None, None)
        .expect("the workbook reads");
    assert_eq!(
        back.export("keys.csv").expect("keys.csv"),
        r.export("keys.csv").expect("keys.csv")
    );
}

#[wasm_bindgen_test]
fn key_details_cross_by_index_and_an_unknown_key_is_null() {
    let mut r = roster();
    let d: serde_json::Value =
        serde_wasm_bindgen::from_value(r.key_details("0").expect("details")).expect("JSON-like");
    assert_eq!(d["row"]["index"], 0);
    assert!(d["fields"].as_array().is_some_and(|f| !f.is_empty()));
    assert_eq!(d["sources"].as_array().map(Vec::len), Some(1));
    assert!(r.key_details("key_nobody").expect("no error").is_null());
    assert!(r.key_details("99").expect("no error").is_null());
}

#[wasm_bindgen_test]
fn the_matrix_crosses_with_counts_and_worst_risk() {
    let mut r = roster();
    let m: serde_json::Value =
        serde_wasm_bindgen::from_value(r.matrix().expect("a matrix")).expect("JSON-like");
    let owners = m["owners"].as_array().map_or(0, Vec::len);
    assert!(owners > 0);
    assert_eq!(m["cells"].as_array().map(Vec::len), Some(owners));
    assert_eq!(m["worst"].as_array().map(Vec::len), Some(owners));
}

/// The popup's first paint asks for the first owners' keys only, then for the other owners: the
/// two together are the summary's owners with all their keys, in the same order.
#[wasm_bindgen_test]
fn the_first_owners_and_the_rest_make_the_whole_owner_list() {
    let mut r = roster();
    let whole: serde_json::Value =
        serde_wasm_bindgen::from_value(r.summary(5, 3, None).expect("a summary")).expect("JSON");
    let first: serde_json::Value =
        serde_wasm_bindgen::from_value(r.summary(5, 3, Some(2)).expect("a summary")).expect("JSON");
    let rest: serde_json::Value =
        serde_wasm_bindgen::from_value(r.owners(2, 3).expect("owners")).expect("JSON");
    let whole = whole["owners"].as_array().cloned().unwrap_or_default();
    let first = first["owners"].as_array().cloned().unwrap_or_default();
    let rest = rest.as_array().cloned().unwrap_or_default();
    assert!(whole.len() > 2, "the sample has more than two owners");
    assert_eq!(first.len(), whole.len(), "every owner is listed");
    assert_eq!(first[..2], whole[..2], "the first two with their keys");
    assert!(first[2..]
        .iter()
        .all(|o| o["key_rows"].as_array().is_some_and(Vec::is_empty)));
    assert_eq!(rest[..], whole[2..], "the rest, with their keys");
    assert!(whole
        .iter()
        .any(|o| o["key_rows"].as_array().is_some_and(|k| !k.is_empty())));
}

/// The snapshot the extension keeps between pages carries the previous audit: a comparison made
/// on the report page survives the popup reading the next page.
#[wasm_bindgen_test]
fn a_snapshot_keeps_the_previous_audit() {
    let mut r = roster();
    let previous = include_str!("../../../tests/fixtures/golden/org/keys.csv");
    r.compare_with("keys.csv", previous.as_bytes())
        .expect("a previous audit");
    let saved = r.snapshot().expect("saved");
    let mut back = Roster::new(AS_OF).expect("a valid date");
    back.restore(&saved).expect("restored");
    let summary = back.summary(5, 0, None).expect("a summary");
    let comparison = js_sys::Reflect::get(&summary, &"comparison".into()).expect("a field");
    assert!(
        comparison.is_object(),
        "the comparison survived the snapshot"
    );
    // A bare inventory, as older snapshots were, still restores.
    let inventory = serde_json::to_vec(&Inventory::default()).expect("JSON");
    back.restore(&inventory)
        .expect("an older snapshot restores");
}

/// A cost export of `rows` rows, over the 64 KiB the delimiter is sniffed from.
fn cost_export(rows: usize) -> String {
    let mut s = String::from("start_time,amount_value,amount_currency,api_key_id\r\n");
    for i in 0..rows {
        s.push_str(&format!(
            "{},0.25,usd,key_{}\r\n",
            1_790_553_600 + 86_400 * (i % 3),
            i % 5
        ));
    }
    s
}

/// A field of the value `add_input` / `end_stream` return.
fn field(value: &JsValue, path: &[&str]) -> JsValue {
    path.iter().fold(value.clone(), |v, k| {
        js_sys::Reflect::get(&v, &JsValue::from_str(k)).expect("an object")
    })
}

#[wasm_bindgen_test]
fn a_streamed_input_reads_as_one_given_whole() {
    let text = cost_export(6_000);
    let mut whole = roster();
    let added = whole
        .add_input("cost.csv", text.as_bytes(), None, None)
        .expect("reads");

    let mut r = roster();
    r.begin_stream("cost.csv");
    let mut rows = Vec::new();
    // 999 bytes: chunks split records and CRLFs.
    for chunk in text.as_bytes().chunks(999) {
        rows.push(r.push_chunk(chunk).expect("a stream was begun"));
    }
    let streamed = r.end_stream().expect("a stream was begun");
    assert!(rows.windows(2).all(|w| w[0] <= w[1]), "rows only grow");
    assert!(rows.last().copied().unwrap_or(0.0) > 5_000.0, "{rows:?}");
    for path in [
        &["source", "kind"][..],
        &["source", "records"],
        &["keys_in_input"],
        &["roster_keys"],
    ] {
        assert_eq!(field(&streamed, path), field(&added, path), "{path:?}");
    }
    assert_eq!(
        field(&streamed, &["source", "kind"]).as_string().as_deref(),
        Some("csv:cost-export")
    );
    let cost = |r: &mut Roster| {
        field(
            &r.summary(0, 0, None).expect("a summary"),
            &["summary", "cost_usd"],
        )
    };
    assert_eq!(cost(&mut r), cost(&mut whole));
}

#[wasm_bindgen_test]
fn an_input_split_between_two_workers_reads_as_one_streamed() {
    let text = cost_export(20_000);
    let mut streamed = roster();
    streamed.begin_stream("cost.csv");
    streamed
        .push_chunk(text.as_bytes())
        .expect("a stream was begun");
    let one = streamed.end_stream().expect("a stream was begun");

    // The splitter and the roster stand for the two workers: only the blocks pass between them.
    let mut splitter = Splitter::new("cost.csv");
    let mut r = roster();
    r.begin_blocks("cost.csv");
    let mut rows = Vec::new();
    let mut blocks = 0;
    let mut take = |splitter: &mut Splitter, ready: Option<usize>, r: &mut Roster| {
        for _ in 0..ready.expect("delimited text") {
            let block = js_sys::Uint8Array::new_with_length(splitter.block_len() as u32);
            splitter.copy_block(&block).expect("a block is ready");
            rows.push(r.push_block(&block.to_vec()).expect("blocks were begun"));
            blocks += 1;
        }
    };
    for chunk in text.as_bytes().chunks(65_536) {
        let ready = splitter.push(chunk).expect("pushed");
        take(&mut splitter, ready, &mut r);
    }
    let ready = splitter.finish().expect("once");
    take(&mut splitter, ready, &mut r);
    assert_eq!(splitter.block_len(), 0);
    let (name, _) = error(
        splitter
            .copy_block(&js_sys::Uint8Array::new_with_length(4))
            .expect_err("none ready"),
    );
    assert_eq!(name, "UsageError");
    let two = r.end_stream().expect("blocks were begun");
    assert!(blocks >= 3, "{blocks} blocks");
    assert!(rows.windows(2).all(|w| w[0] <= w[1]), "rows only grow");
    for path in [
        &["source", "kind"][..],
        &["source", "records"],
        &["source", "warnings"],
        &["keys_in_input"],
    ] {
        assert_eq!(
            js_sys::JSON::stringify(&field(&two, path)).ok(),
            js_sys::JSON::stringify(&field(&one, path)).ok(),
            "{path:?}"
        );
    }
    let cost = |r: &mut Roster| {
        field(
            &r.summary(0, 0, None).expect("a summary"),
            &["summary", "cost_usd"],
        )
        .as_f64()
    };
    assert_eq!(cost(&mut r), cost(&mut streamed));
    assert!(cost(&mut r).unwrap_or(0.0) > 0.0);

    // A page is not split: the worker reads it alone.
    let mut splitter = Splitter::new("keys.html");
    let page = format!(
        "<!DOCTYPE html><html><body>{}</body></html>",
        "<p>x</p>".repeat(2_000)
    );
    assert!(splitter.push(page.as_bytes()).expect("pushed").is_none());
    let (name, _) = error(r.push_block(&[2, 0]).expect_err("no input begun"));
    assert_eq!(name, "UsageError");
}

#[wasm_bindgen_test]
fn a_cancelled_stream_leaves_the_roster_and_stream_calls_need_a_begin() {
    let mut r = roster();
    let keys = r.key_count();
    let before = r.snapshot().expect("a snapshot");
    r.begin_stream("cost.csv");
    r.push_chunk(cost_export(6_000).as_bytes())
        .expect("a stream was begun");
    r.cancel_stream();
    assert_eq!(r.key_count(), keys);
    assert_eq!(r.snapshot().expect("a snapshot"), before);

    let (name, message) = error(r.push_chunk(b"a,b\n").expect_err("no stream"));
    assert_eq!(name, "UsageError");
    assert!(message.contains("begin_stream"), "{message}");
    let (name, _) = error(r.end_stream().expect_err("no stream"));
    assert_eq!(name, "UsageError");
}

#[wasm_bindgen_test]
fn names_fold_with_the_browsers_normalizer_as_with_the_tables() {
    // A roster installs the browser's normalizer (the wasm build has no tables of its own).
    let _r = roster();
    for (name, folded) in keyroster::names::FOLD_EXAMPLES {
        assert_eq!(keyroster::names::fold(name), *folded, "{name:?}");
    }
}

/// The warm-up inputs cross as `{name, bytes}` objects and read through the chunked path the
/// worker takes, into a throwaway roster: every one read, none with an error.
#[wasm_bindgen_test]
fn warm_up_inputs_cross_and_read() {
    let inputs = Roster::warm_up_inputs().expect("an array");
    assert_eq!(inputs.length() as usize, keyroster::warm::inputs().len());
    let mut r = Roster::new(AS_OF).expect("a valid date");
    for (item, want) in inputs.iter().zip(keyroster::warm::inputs()) {
        let name = js_sys::Reflect::get(&item, &"name".into()).expect("a name");
        assert_eq!(name.as_string().as_deref(), Some(want.name));
        let bytes: js_sys::Uint8Array = js_sys::Reflect::get(&item, &"bytes".into())
            .expect("bytes")
            .dyn_into()
            .expect("a Uint8Array");
        assert_eq!(bytes.to_vec(), want.bytes);
        r.begin_stream(want.name);
        r.push_chunk(&bytes.to_vec()).expect("a chunk");
        let added: serde_json::Value =
            serde_wasm_bindgen::from_value(r.end_stream().expect("read")).expect("JSON-like");
        assert!(added["source"]["error"].is_null(), "{added}");
    }
    assert!(r.key_count() >= keyroster::warm::KEYS);
}
