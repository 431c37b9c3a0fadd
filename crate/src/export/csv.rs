//! The CSV set: keys.csv (the SPEC's columns, in its order), findings.csv, owners.csv and
//! projects.csv. RFC 4180 quoting by the `csv` crate; dates `YYYY-MM-DD`; `last_used` is `never`
//! for never used and empty when unknown; lists are `;`-separated. keys.csv reads back into the
//! same key fields (see crate/tests/keys_csv_round_trip.rs).

use crate::model::LastUsed;
use crate::report::{GroupRow, KeyReport, Report, Severity};

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
        on(u.cost_usd),
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

fn group_tail(g: &GroupRow) -> Vec<Cell> {
    vec![
        p(g.keys),
        p(g.active_keys),
        last_used(g.last_used),
        on(g.cost_usd),
        p(g.findings.critical),
        p(g.findings.high),
        p(g.findings.medium),
        p(g.findings.low),
        p(g.findings.info),
    ]
}

/// owners.csv: one row per owner.
pub fn owners(report: &Report, opts: &CsvOptions) -> Vec<u8> {
    let mut header = vec!["owner_type", "owner_name", "owner_email", "owner_id"];
    header.extend(GROUP_TAIL);
    let rows = report.groups.by_owner.iter().map(|g| {
        let first = g
            .key_indexes
            .first()
            .and_then(|&i| report.keys.get(i))
            .map(|k| &k.key.owner);
        let mut row = vec![
            p(g.owner_type.as_deref().unwrap_or("unknown")),
            t(first.and_then(|o| o.name.as_deref()).unwrap_or(
                if first.is_some_and(|o| o.email.is_some()) {
                    ""
                } else {
                    &g.label
                },
            )),
            ot(&first.and_then(|o| o.email.clone())),
            ot(&first.and_then(|o| o.id.clone())),
        ];
        row.extend(group_tail(g));
        row
    });
    write(&header, rows, opts)
}

/// projects.csv: one row per project, with its limits when known.
pub fn projects(report: &Report, opts: &CsvOptions) -> Vec<u8> {
    let mut header = vec![
        "project_id",
        "project_name",
        "status",
        "hard_limit_usd",
        "soft_limit_usd",
    ];
    header.extend(GROUP_TAIL);
    let find = |label: &str, id: Option<&str>| {
        report.projects.iter().find(|p| {
            (id.is_some() && p.id.as_deref() == id)
                || p.name.as_deref() == Some(label)
                || p.id.as_deref() == Some(label)
        })
    };
    let mut rows: Vec<Vec<Cell>> = report
        .groups
        .by_project
        .iter()
        .map(|g| {
            let pr = find(&g.label, g.detail.as_deref());
            let mut row = vec![
                ot(&g.detail.clone().or(pr.and_then(|p| p.id.clone()))),
                t(pr.and_then(|p| p.name.clone())
                    .unwrap_or_else(|| g.label.clone())),
                ot(&pr.and_then(|p| p.status.clone())),
                on(pr.and_then(|p| p.hard_limit_usd)),
                on(pr.and_then(|p| p.soft_limit_usd)),
            ];
            row.extend(group_tail(g));
            row
        })
        .collect();
    // Projects with no keys still belong in the list (their limits and status matter to finance).
    for pr in &report.projects {
        let label = pr.name.clone().or(pr.id.clone()).unwrap_or_default();
        if report
            .groups
            .by_project
            .iter()
            .any(|g| g.label == label || (pr.id.is_some() && g.detail == pr.id))
        {
            continue;
        }
        rows.push(vec![
            ot(&pr.id),
            ot(&pr.name),
            ot(&pr.status),
            on(pr.hard_limit_usd),
            on(pr.soft_limit_usd),
            p(0),
            p(0),
            p(""),
            p(""),
            p(0),
            p(0),
            p(0),
            p(0),
            p(0),
        ]);
    }
    write(&header, rows.into_iter(), opts)
}
