//! The CSV set: keys.csv (the SPEC's columns, in its order), findings.csv, owners.csv and
//! projects.csv. RFC 4180 quoting by the `csv` crate; dates `YYYY-MM-DD`; `last_used` is `never`
//! for never used and empty when unknown; lists are `;`-separated. keys.csv reads back into the
//! same key fields (see crate/tests/keys_csv_round_trip.rs).

use crate::model::LastUsed;
use crate::report::{KeyReport, Report, Severity, SeverityCounts};

use super::sanitize;

/// Options for every CSV export.
#[derive(Debug, Clone, Copy, Default)]
pub struct CsvOptions {
    /// Start with a UTF-8 byte order mark, so Excel reads the file as UTF-8.
    pub bom: bool,
    /// Tab-separated instead of comma (for pasting into a spreadsheet).
    pub tabs: bool,
}

pub const KEYS_HEADER: [&str; 24] = [
    "provider",
    "project_id",
    "project_name",
    "key_id",
    "key_name",
    "redacted_key",
    "key_kind",
    "owner_type",
    "owner_name",
    "owner_email",
    "owner_id",
    "created_by",
    "permissions",
    "created",
    "last_used",
    "age_days",
    "idle_days",
    "requests",
    "input_tokens",
    "output_tokens",
    "cost_usd",
    "risk",
    "rules",
    "sources",
];

const FINDINGS_HEADER: [&str; 12] = [
    "severity",
    "rule",
    "muted",
    "mute_reason",
    "key_id",
    "key_name",
    "redacted_key",
    "project",
    "owner",
    "message",
    "remediation",
    "change",
];

const GROUP_TAIL: [&str; 9] = [
    "keys",
    "active_keys",
    "last_used",
    "cost_usd",
    "critical",
    "high",
    "medium",
    "low",
    "info",
];

/// A cell: untrusted text (sanitized) or a value Key Roster wrote itself (numbers, ids of enums).
enum Cell {
    Text(String),
    Plain(String),
}

fn t(s: impl AsRef<str>) -> Cell {
    Cell::Text(s.as_ref().to_string())
}
fn ot(s: &Option<String>) -> Cell {
    t(s.as_deref().unwrap_or(""))
}
fn p(s: impl ToString) -> Cell {
    Cell::Plain(s.to_string())
}
fn on<T: ToString>(v: Option<T>) -> Cell {
    Cell::Plain(v.map(|v| v.to_string()).unwrap_or_default())
}

/// An amount in full precision (`f64` Display: no exponent, no thousands separator); empty when
/// unknown or not a finite number, which no spreadsheet could read anyway.
fn money(v: Option<f64>) -> Cell {
    Cell::Plain(
        v.filter(|m| m.is_finite())
            .map(|m| m.to_string())
            .unwrap_or_default(),
    )
}

fn last_used(l: LastUsed) -> Cell {
    match l {
        LastUsed::Date(d) => p(d),
        LastUsed::Never => p("never"),
        LastUsed::Unknown => p(""),
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

fn key_row(k: &KeyReport) -> Vec<Cell> {
    let key = &k.key;
    let project = key.project.clone().unwrap_or_default();
    let u = key.usage.unwrap_or_default();
    vec![
        p(key.provider.as_str()),
        ot(&project.id),
        ot(&project.name),
        ot(&key.id),
        t(&key.name),
        ot(&key.redacted),
        p(key.kind.as_str()),
        p(key.owner.kind.as_str()),
        ot(&key.owner.name),
        ot(&key.owner.email),
        ot(&key.owner.id),
        ot(&key.created_by),
        p(key.permissions.as_str()),
        on(key.created),
        last_used(key.last_used),
        on(k.age_days),
        on(k.idle_days),
        on(u.requests),
        on(u.input_tokens),
        on(u.output_tokens),
        money(u.cost_usd),
        p(k.risk.map_or("none", Severity::as_str)),
        p(k.rules.join(";")),
        t(key.sources.join(";")),
    ]
}

/// keys.csv: one row per key.
pub fn keys(report: &Report, opts: &CsvOptions) -> Vec<u8> {
    write(&KEYS_HEADER, report.keys.iter().map(key_row), opts)
}

/// keys.csv of some keys only (the UI's filtered view, in its order).
pub fn keys_subset(report: &Report, indexes: &[usize], opts: &CsvOptions) -> Vec<u8> {
    write(
        &KEYS_HEADER,
        indexes
            .iter()
            .filter_map(|&i| report.keys.get(i))
            .map(key_row),
        opts,
    )
}

/// findings.csv: one row per finding, muted ones included and marked.
pub fn findings(report: &Report, opts: &CsvOptions) -> Vec<u8> {
    let rows = report.findings.iter().map(|f| {
        vec![
            p(f.severity.as_str()),
            p(&f.rule),
            p(if f.muted.is_some() { "yes" } else { "no" }),
            t(f.muted.as_ref().map(|m| m.reason.as_str()).unwrap_or("")),
            ot(&f.target.key_id),
            ot(&f.target.key_name),
            ot(&f.target.redacted),
            ot(&f.target.project),
            ot(&f.target.owner),
            t(&f.message),
            t(&f.remediation),
            p(f.change.as_deref().unwrap_or("")),
        ]
    });
    write(&FINDINGS_HEADER, rows, opts)
}

fn group_tail(
    keys: usize,
    active: usize,
    used: LastUsed,
    cost: Option<f64>,
    f: SeverityCounts,
) -> [Cell; 9] {
    [
        p(keys),
        p(active),
        last_used(used),
        money(cost),
        p(f.critical),
        p(f.high),
        p(f.medium),
        p(f.low),
        p(f.info),
    ]
}

/// owners.csv: one row per owner (see [`super::owner_rows`]).
pub fn owners(report: &Report, opts: &CsvOptions) -> Vec<u8> {
    let mut header = vec!["owner_type", "owner_name", "owner_email", "owner_id"];
    header.extend(GROUP_TAIL);
    let rows = super::owner_rows(report).into_iter().map(|o| {
        let g = o.group;
        let mut row = vec![
            p(o.owner_type),
            t(o.name),
            t(o.email.unwrap_or("")),
            t(o.id.unwrap_or("")),
        ];
        row.extend(group_tail(
            g.keys,
            g.active_keys,
            g.last_used,
            g.cost_usd,
            g.findings,
        ));
        row
    });
    write(&header, rows, opts)
}

/// projects.csv: one row per project, with its limits when known; projects without keys last
/// (see [`super::project_rows`]).
pub fn projects(report: &Report, opts: &CsvOptions) -> Vec<u8> {
    let mut header = vec![
        "project_id",
        "project_name",
        "status",
        "hard_limit_usd",
        "soft_limit_usd",
    ];
    header.extend(GROUP_TAIL);
    let rows = super::project_rows(report).into_iter().map(|r| {
        let mut row = vec![
            t(r.id.unwrap_or("")),
            t(r.name),
            t(r.status.unwrap_or("")),
            money(r.hard_limit_usd),
            money(r.soft_limit_usd),
        ];
        row.extend(group_tail(
            r.keys(),
            r.active_keys(),
            r.last_used(),
            r.cost_usd(),
            r.findings(),
        ));
        row
    });
    write(&header, rows, opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_formula_like_header_is_neutralized_too() {
        let out = write(
            &["=HYPERLINK(\"x\")", " @sum", "plain"],
            std::iter::once(vec![t("-2"), p(-2), t("ok")]),
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
            std::iter::once(vec![t("two\nlines"), t("\t=x")]),
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
        let text = |c: Cell| match c {
            Cell::Plain(s) | Cell::Text(s) => s,
        };
        assert_eq!(text(money(Some(1234567.125))), "1234567.125");
        assert_eq!(text(money(Some(-1.5))), "-1.5");
        assert_eq!(text(money(Some(f64::NAN))), "");
        assert_eq!(text(money(None)), "");
    }
}
