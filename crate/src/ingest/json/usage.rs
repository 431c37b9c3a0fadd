//! Usage and cost: the Usage API's pages of buckets (`organization.usage.*.result`), the Costs
//! API's (`organization.costs.result`, amounts in dollars), and the legacy `/v1/usage` response.
//!
//! Rows are daily: hourly or per-minute buckets, and the legacy endpoint's 5-minute
//! aggregations, are summed into their UTC day by [`fold_days`] so that one day of one key is
//! one row, whatever width the buckets had.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use jiff::civil::Date;
use serde_json::Value;

use super::reader::{child, index, Obj, Reader};
use crate::model::{Usage, UsageRow};
use crate::secret;

/// One bucket `{start_time, end_time, results: [...]}`.
pub(super) fn bucket(r: &mut Reader, o: &Obj, path: &str) {
    let date = r.time(o, "start_time", path).date();
    let Some(results) = r.array(o, "results", path) else {
        return;
    };
    let at = child(path, "results");
    for (i, item) in results.iter().enumerate() {
        let p = index(&at, i);
        match item.as_object() {
            Some(res) => result(r, res, &p, date),
            None => r.warn(format!("{p}: expected a usage or cost result object")),
        }
    }
    // An empty bucket is still a recognized usage page (a quiet day).
    if results.is_empty() {
        r.kind("usage");
    }
}

/// One result, inside a bucket (`date` is the bucket's day) or on its own (`date` None).
pub(super) fn result(r: &mut Reader, o: &Obj, path: &str, date: Option<Date>) {
    let object = o.get("object").and_then(Value::as_str).unwrap_or("");
    let mut row = UsageRow {
        date,
        key_id: r.text(o, "api_key_id", path),
        project: r.project_ref(o, path),
        user_id: r.text(o, "user_id", path),
        model: r.text(o, "model", path),
        line_item: r.text(o, "line_item", path),
        ..UsageRow::default()
    };
    if object == "organization.costs.result" || o.contains_key("amount") {
        r.kind("costs");
        let Some(amount) = r.object(o, "amount", path) else {
            return;
        };
        let at = child(path, "amount");
        let currency = r.text(amount, "currency", &at);
        match currency.as_deref() {
            None => {}
            Some(c) if c.eq_ignore_ascii_case("usd") => {}
            Some(c) => {
                r.warn(format!(
                    "{}: amount in {c}, not USD; the cost was not read",
                    child(&at, "currency")
                ));
                return;
            }
        }
        row.usage.cost_usd = r.amount(amount, "value", &at);
    } else {
        r.kind("usage");
        row.usage = Usage {
            requests: r.count(o, "num_model_requests", path),
            input_tokens: r.count(o, "input_tokens", path),
            output_tokens: r.count(o, "output_tokens", path),
            cost_usd: None,
        };
    }
    // A result with no figure this model keeps (vector store bytes, session counts) is not
    // usage a key or project can be charged with.
    if !row.usage.is_empty() {
        r.batch.usage.push(row);
    }
}

/// One row of the legacy `/v1/usage` `data` list.
pub(super) fn legacy(r: &mut Reader, o: &Obj, path: &str) {
    r.kind("legacy-usage");
    if r.batch.org.is_none() {
        r.batch.org = r.text(o, "organization_name", path);
    }
    let key_redacted = r
        .text(o, "api_key_redacted", path)
        .and_then(|v| secret::canonical_redaction(&v));
    let input = r
        .count(o, "n_context_tokens_total", path)
        .or_else(|| r.count(o, "n_context", path));
    let output = r
        .count(o, "n_generated_tokens_total", path)
        .or_else(|| r.count(o, "n_generated", path));
    let row = UsageRow {
        date: r.time(o, "aggregation_timestamp", path).date(),
        key_id: r.text(o, "api_key_id", path),
        key_redacted,
        key_name: r.text(o, "api_key_name", path),
        project: r.project_ref(o, path),
        user_id: r.text(o, "user_id", path),
        user_email: r.text(o, "email", path),
        model: r.text(o, "snapshot_id", path),
        line_item: r.text(o, "operation", path),
        usage: Usage {
            requests: r.count(o, "n_requests", path),
            input_tokens: input,
            output_tokens: output,
            cost_usd: None,
        },
        source: String::new(),
        provider: None,
    };
    r.batch.usage.push(row);
}

/// The legacy response's per-product lists (`dalle_api_data`, `whisper_api_data`,
/// `tts_api_data`): requests per model and user, nothing to join to a key.
pub(super) fn legacy_products(r: &mut Reader, top: &Obj) {
    for field in ["dalle_api_data", "whisper_api_data", "tts_api_data"] {
        let Some(rows) = r.array(top, field, "$") else {
            continue;
        };
        let at = child("$", field);
        for (i, item) in rows.iter().enumerate() {
            let p = index(&at, i);
            let Some(o) = item.as_object() else {
                continue;
            };
            let row = UsageRow {
                date: r.time(o, "timestamp", &p).date(),
                user_id: r.text(o, "user_id", &p),
                model: r.text(o, "model_id", &p),
                line_item: r.text(o, "operation", &p),
                usage: Usage {
                    requests: r.count(o, "num_requests", &p),
                    ..Usage::default()
                },
                ..UsageRow::default()
            };
            r.batch.usage.push(row);
        }
    }
}

/// Sums the rows of one input that share a day and every dimension (hourly buckets of one key,
/// the legacy endpoint's 5-minute slots), keeping first-seen order.
pub(super) fn fold_days(rows: Vec<UsageRow>) -> Vec<UsageRow> {
    fn dims(r: &UsageRow) -> u64 {
        let mut h = DefaultHasher::new();
        r.dimensions().hash(&mut h);
        h.finish()
    }
    fn same(a: &UsageRow, b: &UsageRow) -> bool {
        a.dimensions() == b.dimensions()
    }
    // Hashes of the dimensions, checked for equality on a hit, so no row is cloned.
    let mut at: HashMap<u64, Vec<usize>> = HashMap::with_capacity(rows.len());
    let mut out: Vec<UsageRow> = Vec::with_capacity(rows.len());
    for row in rows {
        let slot = at.entry(dims(&row)).or_default();
        match slot
            .iter()
            .copied()
            .find(|&i| out.get(i).is_some_and(|o| same(o, &row)))
        {
            Some(i) => {
                if let Some(existing) = out.get_mut(i) {
                    existing.usage.add(&row.usage);
                }
            }
            None => {
                slot.push(out.len());
                out.push(row);
            }
        }
    }
    out
}
