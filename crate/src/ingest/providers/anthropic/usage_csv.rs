//! The Claude Console's usage export (Usage → Export), one row per day, model, key and
//! workspace. Its `api_key` column holds the key's **name**, not a hint, so rows join keys by
//! name within their workspace; its four input-token columns (uncached, 5-minute and 1-hour
//! cache writes, cache reads) add up to the input tokens. The days it spans are recorded as a
//! [`UsageWindow`]: a key with no row in them was not used then.
//!
//! UNVERIFIED against a real export: the header is the one in PLATFORM-DATA.md §6. Columns are
//! found by name, so a reordered or extended header still reads.

use std::collections::BTreeMap;
use std::io::Read;

use jiff::civil::Date;

use super::workspace;
use crate::error::{Error, Result};
use crate::ingest::limits::Limits;
use crate::ingest::{Batch, Context};
use crate::model::{ProjectRef, Provider, Usage, UsageRow, UsageWindow};

/// The columns read; the export has more (`usage_type`, `context_window`, `inference_geo`,
/// `speed`, `web_search_count`).
const DATE: &str = "usage_date_utc";
const MODEL: &str = "model_version";
const KEY: &str = "api_key";
const WORKSPACE: &str = "workspace";
const INPUT: [&str; 4] = [
    "usage_input_tokens_no_cache",
    "usage_input_tokens_cache_write_5m",
    "usage_input_tokens_cache_write_1h",
    "usage_input_tokens_cache_read",
];
const OUTPUT: &str = "usage_output_tokens";

/// True when a header line is this export's (the columns no other input has).
pub fn is_header(line: &str) -> bool {
    let cols: Vec<&str> = line
        .split(',')
        .map(|c| c.trim().trim_matches('"'))
        .collect();
    [DATE, KEY, WORKSPACE, OUTPUT, INPUT[0]]
        .iter()
        .all(|c| cols.contains(c))
}

/// Reads the export from a CSV reader positioned at its header.
pub fn read<R: Read>(ctx: &Context, rdr: &mut csv::Reader<R>, limits: &Limits) -> Result<Batch> {
    let mut record = csv::StringRecord::new();
    let line_of = |r: &csv::StringRecord| r.position().map_or(0, |p| p.line());
    let bad = |e: csv::Error| {
        Error::input(
            &ctx.name,
            Default::default(),
            format!("unreadable CSV: {e}"),
        )
    };
    if !rdr.read_record(&mut record).map_err(bad)? {
        return Err(Error::at_line(&ctx.name, 1, "empty file: no header line"));
    }
    let header: Vec<String> = record.iter().map(|h| h.trim().to_string()).collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let need = |name: &str| {
        col(name).ok_or_else(|| {
            Error::at_line(
                &ctx.name,
                1,
                format!("the usage export has no {name} column"),
            )
        })
    };
    let (date_c, key_c, ws_c, out_c) = (need(DATE)?, need(KEY)?, need(WORKSPACE)?, need(OUTPUT)?);
    let model_c = col(MODEL);
    let input_c: Vec<usize> = INPUT.iter().filter_map(|c| col(c)).collect();

    // One row per day, key, workspace and model, summed as read: memory follows the buckets.
    type Bucket = (Date, String, String, Option<String>);
    let mut sums: BTreeMap<Bucket, Usage> = BTreeMap::new();
    let mut window: Option<(Date, Date)> = None;
    let mut n = 0usize;
    while rdr.read_record(&mut record).map_err(bad)? {
        let line = line_of(&record);
        n += 1;
        limits.check_record(&ctx.name, line, record.len(), record.iter())?;
        limits.check_records(&ctx.name, line, n)?;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        let date: Date = cell(date_c).parse().map_err(|_| {
            Error::at_line(
                &ctx.name,
                line,
                format!("{DATE} {:?} is not a date (YYYY-MM-DD)", cell(date_c)),
            )
        })?;
        let count = |i: usize, name: &str| -> Result<u64> {
            let v = cell(i);
            if v.is_empty() {
                return Ok(0);
            }
            v.parse().map_err(|_| {
                Error::at_line(
                    &ctx.name,
                    line,
                    format!("{name} {v:?} is not a whole number"),
                )
            })
        };
        let mut input = 0u64;
        for (&i, name) in input_c.iter().zip(INPUT) {
            input = input.saturating_add(count(i, name)?);
        }
        let output = count(out_c, OUTPUT)?;
        window = Some(match window {
            Some((a, b)) => (a.min(date), b.max(date)),
            None => (date, date),
        });
        let model = model_c
            .map(cell)
            .filter(|m| !m.is_empty())
            .map(str::to_string);
        let u = sums
            .entry((date, cell(key_c).to_string(), cell(ws_c).to_string(), model))
            .or_default();
        u.add(&Usage {
            requests: None,
            input_tokens: Some(input),
            output_tokens: Some(output),
            cost_usd: None,
        });
    }
    let mut batch = Batch {
        kind: "csv:anthropic-usage".into(),
        ..Batch::default()
    };
    if let Some((from, to)) = window {
        batch.usage_windows.push(UsageWindow {
            provider: Provider::Anthropic,
            from,
            to,
            source: String::new(),
        });
    } else {
        batch.warnings.push("the usage export has no rows: no usage in the days it covers, and which days those are is not said".into());
    }
    batch.usage = sums
        .into_iter()
        .map(|((date, key, ws, model), usage)| UsageRow {
            date: Some(date),
            // Usage outside any key (the Workbench, Claude Code sign-ins) has no key name.
            key_name: (!key.is_empty()).then_some(key),
            project: Some(if ws.is_empty() {
                workspace(None, None)
            } else {
                ProjectRef {
                    id: None,
                    name: Some(ws),
                }
            }),
            model,
            usage,
            provider: Some(Provider::Anthropic),
            ..UsageRow::default()
        })
        .collect();
    Ok(batch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_console_header_is_recognized_and_others_are_not() {
        assert!(is_header("usage_date_utc,model_version,api_key,workspace,usage_type,context_window,usage_input_tokens_no_cache,usage_input_tokens_cache_write_5m,usage_input_tokens_cache_write_1h,usage_input_tokens_cache_read,usage_output_tokens,web_search_count,inference_geo,speed"));
        assert!(!is_header("date,api_key,workspace,cost"));
        assert!(!is_header(
            "provider,project_id,project_name,key_id,key_name"
        ));
    }
}
