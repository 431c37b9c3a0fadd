//! The CSV set: keys.csv (the SPEC's columns, in its order), findings.csv, owners.csv and
//! projects.csv. RFC 4180 quoting by the `csv` crate; dates `YYYY-MM-DD`; `last_used` is `never`
//! for never used and empty when unknown; lists are `;`-separated. keys.csv reads back into the
//! same key fields (see crate/tests/it/keys_csv_round_trip.rs). The columns are
//! [`super::columns`]'s; this module only says how each kind of value reads as CSV text.

use crate::model::{LastUsed, UnlistedKey};
use crate::report::{Report, Severity};

use super::columns::{self, Column, Value};
use super::sanitize;

/// Options for every CSV export.
#[derive(Debug, Clone, Copy, Default)]
pub struct CsvOptions {
    /// Start with a UTF-8 byte order mark, so Excel reads the file as UTF-8.
    pub bom: bool,
    /// Tab-separated instead of comma (for pasting into a spreadsheet).
    pub tabs: bool,
}

/// A cell as written: untrusted text (sanitized) or a value Key Roster wrote itself.
enum Cell {
    Text(String),
    Plain(String),
}

/// An amount in full precision (`f64` Display: no exponent, no thousands separator); empty when
/// unknown or not a finite number, which no spreadsheet could read anyway.
fn money(v: Option<f64>) -> String {
    v.filter(|m| m.is_finite())
        .map(|m| m.to_string())
        .unwrap_or_default()
}

fn shown<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// How each kind of column value reads in CSV.
fn cell(v: Value) -> Cell {
    match v {
        Value::Text(s) => Cell::Text(s.to_string()),
        Value::List(items) => Cell::Text(items.join(";")),
        Value::Word(s) => Cell::Plain(s.to_string()),
        Value::Int(n) => Cell::Plain(shown(n)),
        Value::Count(n) => Cell::Plain(shown(n)),
        Value::Money(m) => Cell::Plain(money(m)),
        Value::Date(d) => Cell::Plain(shown(d)),
        Value::Used(LastUsed::Date(d)) => Cell::Plain(d.to_string()),
        Value::Used(LastUsed::Never) => Cell::Plain("never".into()),
        Value::Used(LastUsed::Unknown) => Cell::Plain(String::new()),
        Value::Sev(s) => Cell::Plain(s.map_or("none", Severity::as_str).into()),
    }
}

fn write(header: &[&str], rows: impl Iterator<Item = Vec<Cell>>, opts: &CsvOptions) -> Vec<u8> {
    let mut out = Vec::new();
    if opts.bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let mut w = ::csv::WriterBuilder::new()
        .delimiter(if opts.tabs { b'\t' } else { b',' })
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out);
    // Writing to a Vec cannot fail; a failure would only mean a bug, so fall back to what we have.
    let _ = w.write_record(header.iter().map(|h| sanitize::text(h).into_owned()));
    for row in rows {
        let cells = row.into_iter().map(|c| match c {
            Cell::Text(s) => {
                let s = if opts.tabs {
                    s.replace(['\t', '\n', '\r'], " ")
                } else {
                    s
                };
                sanitize::text(&s).into_owned()
            }
            Cell::Plain(s) => s,
        });
        let _ = w.write_record(cells);
    }
    w.into_inner().unwrap_or_default()
}

/// Writes `rows` under a column table.
fn sheet<'r, R: 'r>(
    columns: &[Column<R>],
    rows: impl IntoIterator<Item = &'r R>,
    opts: &CsvOptions,
) -> Vec<u8> {
    let header: Vec<&str> = columns.iter().map(|c| c.csv).collect();
    let rows = rows
        .into_iter()
        .map(|r| columns.iter().map(|c| cell((c.value)(r))).collect());
    write(&header, rows, opts)
}

/// keys.csv: one row per key.
pub fn keys(report: &Report, opts: &CsvOptions) -> Vec<u8> {
    sheet(&columns::keys(), &report.keys, opts)
}

/// keys.csv of some keys only (the UI's filtered view, in its order).
pub fn keys_subset(report: &Report, indexes: &[usize], opts: &CsvOptions) -> Vec<u8> {
    let keys = indexes.iter().filter_map(|&i| report.keys.get(i));
    sheet(&columns::keys(), keys, opts)
}

/// findings.csv: one row per finding, muted ones included and marked.
pub fn findings(report: &Report, opts: &CsvOptions) -> Vec<u8> {
    sheet(&columns::findings(), &report.findings, opts)
}

/// owners.csv: one row per owner (see [`super::owner_rows`]).
pub fn owners(report: &Report, opts: &CsvOptions) -> Vec<u8> {
    sheet(&columns::owners(), &super::owner_rows(report), opts)
}

/// projects.csv: one row per project, with its limits when known; projects without keys last
/// (see [`super::project_rows`]).
pub fn projects(report: &Report, opts: &CsvOptions) -> Vec<u8> {
    sheet(&columns::projects(), &super::project_rows(report), opts)
}

/// unlisted-keys.csv: one row per key id that only usage names, highest cost first.
pub fn unlisted_keys(report: &Report, opts: &CsvOptions) -> Vec<u8> {
    sheet(&columns::unlisted_keys(), &report.unlisted_keys, opts)
}

/// unlisted-keys.csv of the unlisted keys a view shows ([`crate::view::unlisted`]).
pub fn unlisted_keys_subset<'r>(
    keys: impl IntoIterator<Item = &'r UnlistedKey>,
    opts: &CsvOptions,
) -> Vec<u8> {
    sheet(&columns::unlisted_keys(), keys, opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_formula_like_header_is_neutralized_too() {
        let out = write(
            &["=HYPERLINK(\"x\")", " @sum", "plain"],
            std::iter::once(vec![
                cell(Value::Text("-2")),
                cell(Value::Int(Some(-2))),
                cell(Value::Text("ok")),
            ]),
            &CsvOptions::default(),
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"'=HYPERLINK(\"\"x\"\")\",' @sum,plain\r\n'-2,-2,ok\r\n"
        );
    }

    #[test]
    fn tab_separated_text_has_no_tabs_or_line_breaks_inside_cells() {
        let out = write(
            &["a", "b"],
            std::iter::once(vec![
                cell(Value::Text("two\nlines")),
                cell(Value::Text("\t=x")),
            ]),
            &CsvOptions {
                bom: false,
                tabs: true,
            },
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a\tb\r\ntwo lines\t' =x\r\n"
        );
    }

    #[test]
    fn money_is_plain_and_non_finite_money_is_empty() {
        assert_eq!(money(Some(1234567.125)), "1234567.125");
        assert_eq!(money(Some(-1.5)), "-1.5");
        assert_eq!(money(Some(f64::NAN)), "");
        assert_eq!(money(None), "");
    }
}
