//! The Excel workbook: sheets Summary, Keys, Findings, Owners, Projects, and Unlisted keys when
//! usage names keys no page listed. Header rows frozen,
//! autofilter on, widths fitted, dates as real dates, numbers as numbers, cost as currency,
//! severity cells colored. The sheets' columns are [`super::columns`]'s (the CSV files' too);
//! this module says how each kind of value becomes a cell.
//!
//! Untrusted text is only ever written with `write_string_with_format` and a quote-prefix
//! format: Excel and LibreOffice show it as text and keep it text even after a user edits the
//! cell. No user data goes through a formula writer.

use jiff::civil::Date;
use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError};

use super::columns::{self, Column, Value};
use super::sanitize;
use crate::error::{Error, Result};
use crate::model::LastUsed;
use crate::report::{KeyReport, Report, Severity};

struct Styles {
    header: Format,
    text: Format,
    int: Format,
    money: Format,
    date: Format,
    sev: [(Severity, Format); 5],
    none: Format,
}

impl Styles {
    fn new() -> Self {
        let sev = |s: Severity, bg: u32, fg: u32| {
            (
                s,
                Format::new()
                    .set_background_color(Color::RGB(bg))
                    .set_font_color(Color::RGB(fg))
                    .set_bold()
                    .set_quote_prefix(),
            )
        };
        Styles {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0x1F2937))
                .set_font_color(Color::White)
                .set_border_bottom(FormatBorder::Thin)
                .set_quote_prefix(),
            text: Format::new().set_quote_prefix(),
            int: Format::new().set_num_format("#,##0"),
            money: Format::new().set_num_format("$#,##0.00"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            sev: [
                sev(Severity::Critical, 0x7F1D1D, 0xFFFFFF),
                sev(Severity::High, 0xDC2626, 0xFFFFFF),
                sev(Severity::Medium, 0xF59E0B, 0x111827),
                sev(Severity::Low, 0xFDE68A, 0x111827),
                sev(Severity::Info, 0xE5E7EB, 0x111827),
            ],
            none: Format::new()
                .set_quote_prefix()
                .set_font_color(Color::RGB(0x6B7280)),
        }
    }
    fn severity(&self, s: Severity) -> &Format {
        self.sev
            .iter()
            .find(|(x, _)| *x == s)
            .map_or(&self.text, |(_, f)| f)
    }
}

/// The Excel date of `d`, or `None` before 1900, where Excel's calendar starts (such a date is
/// then written as text, so the cell still says what the source said).
fn excel_date(d: Date) -> Option<ExcelDateTime> {
    if d.year() < 1900 {
        return None;
    }
    ExcelDateTime::from_ymd(
        u16::try_from(d.year()).ok()?,
        d.month() as u8,
        d.day() as u8,
    )
    .ok()
}

fn write_date(ws: &mut Worksheet, row: u32, col: u16, d: Date, st: &Styles) -> Result<()> {
    match excel_date(d) {
        Some(dt) => ws.write_datetime_with_format(row, col, &dt, &st.date),
        None => ws.write_string_with_format(row, col, d.to_string(), &st.text),
    }
    .map(|_| ())
    .map_err(x)
}

fn x(e: XlsxError) -> Error {
    Error::export(format!("cannot write the workbook: {e}"))
}

/// Writes one value as the cell its kind calls for; returns how wide it shows (for the column).
fn write_cell(ws: &mut Worksheet, st: &Styles, r: u32, col: u16, v: &Value) -> Result<usize> {
    let text = |ws: &mut Worksheet, s: &str| -> Result<usize> {
        let s = sanitize::text_for_xlsx(s);
        if !s.is_empty() {
            ws.write_string_with_format(r, col, s.as_ref(), &st.text)
                .map_err(x)?;
        }
        // A multi-line cell is as wide as its longest line.
        Ok(s.lines().map(|l| l.chars().count()).max().unwrap_or(0))
    };
    let int = |ws: &mut Worksheet, n: i64| -> Result<usize> {
        ws.write_number_with_format(r, col, n as f64, &st.int)
            .map_err(x)?;
        Ok(n.to_string().len() + 2)
    };
    let word = |ws: &mut Worksheet, s: &str, f: &Format| -> Result<usize> {
        ws.write_string_with_format(r, col, s, f).map_err(x)?;
        Ok(s.len())
    };
    match v {
        Value::Text(s) | Value::Word(s) => text(ws, s),
        Value::List(items) => text(ws, &items.join("; ")),
        Value::Int(Some(n)) => int(ws, *n),
        Value::Count(Some(n)) => i64::try_from(*n).map_or(Ok(0), |n| int(ws, n)),
        Value::Money(Some(m)) if m.is_finite() => {
            ws.write_number_with_format(r, col, *m, &st.money)
                .map_err(x)?;
            Ok(format!("{m:.2}").len() + 3)
        }
        Value::Date(Some(d)) | Value::Used(LastUsed::Date(d)) => {
            write_date(ws, r, col, *d, st)?;
            Ok(10)
        }
        Value::Used(LastUsed::Never) => word(ws, "never", &st.none),
        Value::Sev(Some(s)) => word(ws, s.as_str(), st.severity(*s)).map(|_| 8),
        Value::Sev(None) => word(ws, "none", &st.none),
        Value::Int(None)
        | Value::Count(None)
        | Value::Money(_)
        | Value::Date(None)
        | Value::Used(LastUsed::Unknown) => Ok(0),
    }
}

/// Writes a table with a frozen header, an autofilter and fitted widths.
fn table(ws: &mut Worksheet, st: &Styles, header: &[&str], rows: Vec<Vec<Value>>) -> Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.len() + 2).collect();
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &st.header)
            .map_err(x)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, v) in row.iter().enumerate() {
            let shown = write_cell(ws, st, r, c as u16, v)?;
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(shown + 1);
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w).clamp(6, 60) as f64)
            .map_err(x)?;
    }
    ws.set_freeze_panes(1, 0).map_err(x)?;
    if !header.is_empty() {
        ws.autofilter(0, 0, rows.len() as u32, header.len() as u16 - 1)
            .map_err(x)?;
    }
    Ok(())
}

/// Writes a sheet of `rows` under a column table.
fn sheet<'r, R: 'r>(
    wb: &mut Workbook,
    st: &Styles,
    name: &str,
    columns: &[Column<R>],
    rows: impl IntoIterator<Item = &'r R>,
) -> Result<()> {
    let header: Vec<&str> = columns.iter().map(|c| c.title).collect();
    let rows = rows
        .into_iter()
        .map(|r| columns.iter().map(|c| (c.value)(r)).collect())
        .collect();
    table(
        wb.add_worksheet().set_name(name).map_err(x)?,
        st,
        &header,
        rows,
    )
}

fn keys_sheet<'a>(
    wb: &mut Workbook,
    st: &Styles,
    keys: impl Iterator<Item = &'a KeyReport>,
) -> Result<()> {
    sheet(wb, st, "Keys", &columns::keys(), keys)
}

/// A workbook of some keys only, in the given order (the UI's filtered view, as shown): one Keys
/// sheet with the columns of the full workbook's. Indexes outside the report are skipped.
pub fn keys_subset(report: &Report, indexes: &[usize]) -> Result<Vec<u8>> {
    let st = Styles::new();
    let mut wb = Workbook::new();
    keys_sheet(
        &mut wb,
        &st,
        indexes.iter().filter_map(|&i| report.keys.get(i)),
    )?;
    wb.save_to_buffer().map_err(x)
}

/// The whole workbook as `.xlsx` bytes.
pub fn workbook(report: &Report) -> Result<Vec<u8>> {
    let st = Styles::new();
    let mut wb = Workbook::new();

    // Summary.
    {
        let ws = wb.add_worksheet().set_name("Summary").map_err(x)?;
        let s = &report.summary;
        let title = Format::new()
            .set_bold()
            .set_font_size(16)
            .set_quote_prefix();
        let label = Format::new().set_bold().set_quote_prefix();
        ws.write_string_with_format(0, 0, "Key Roster audit", &title)
            .map_err(x)?;
        let mut r = 2u32;
        let mut line = |ws: &mut Worksheet, name: &str, v: Value| -> Result<()> {
            ws.write_string_with_format(r, 0, name, &label).map_err(x)?;
            write_cell(ws, &st, r, 1, &v)?;
            r += 1;
            Ok(())
        };
        line(
            ws,
            "Organization",
            Value::Text(report.org.as_deref().unwrap_or("")),
        )?;
        line(ws, "As of", Value::Date(report.as_of))?;
        line(ws, "Policy", Value::Text(&report.policy))?;
        line(ws, "Keys", Value::Int(Some(s.keys as i64)))?;
        line(
            ws,
            &format!("Active keys (used in the last {} days)", s.active_days),
            Value::Int(Some(s.active_keys as i64)),
        )?;
        line(ws, "Owners", Value::Int(Some(s.owners as i64)))?;
        line(ws, "Projects", Value::Int(Some(s.projects as i64)))?;
        line(ws, "Members", Value::Int(Some(s.members as i64)))?;
        line(ws, "Cost (USD)", Value::Money(s.cost_usd))?;
        line(
            ws,
            "Exposed secrets",
            Value::Int(Some(s.exposed_secrets as i64)),
        )?;
        line(ws, "Sources read", Value::Int(Some(s.sources_read as i64)))?;
        line(
            ws,
            "Sources that could not be read",
            Value::Int(Some(s.sources_failed as i64)),
        )?;
        // What the roster covers, so a partial read is not taken for the whole organization.
        line(ws, "Coverage", Value::Text(&report.coverage.line))?;
        if let Some(w) = &report.coverage.warning {
            line(ws, "Warning", Value::Text(w))?;
        }
        if s.unlisted_keys > 0 {
            line(
                ws,
                "Unlisted keys (usage by keys no page lists)",
                Value::Int(Some(s.unlisted_keys as i64)),
            )?;
            line(
                ws,
                "Unlisted keys' cost (USD)",
                Value::Money(s.unlisted_cost_usd),
            )?;
        }
        r += 1;
        ws.write_string_with_format(r, 0, "Findings by severity", &st.header)
            .map_err(x)?;
        ws.write_string_with_format(r, 1, "Unmuted", &st.header)
            .map_err(x)?;
        r += 1;
        for sev in Severity::ALL {
            ws.write_string_with_format(r, 0, sev.as_str(), st.severity(sev))
                .map_err(x)?;
            ws.write_number_with_format(r, 1, s.findings.get(sev) as f64, &st.int)
                .map_err(x)?;
            r += 1;
        }
        ws.write_string_with_format(r, 0, "muted", &st.none)
            .map_err(x)?;
        ws.write_number_with_format(r, 1, s.muted as f64, &st.int)
            .map_err(x)?;

        // One row per provider when the roster holds more than OpenAI's keys (the report UI's and
        // the terminal's per-provider totals); the scope column says what the platform calls it.
        if !s.providers.is_empty() {
            r += 2;
            let header = [
                "Provider",
                "Keys",
                "Active",
                "Owners",
                "Scopes",
                "Scope is a",
                "Findings",
                "Cost (USD)",
                "Last seen from usage",
            ];
            for (c, h) in header.iter().enumerate() {
                ws.write_string_with_format(r, c as u16, *h, &st.header)
                    .map_err(x)?;
            }
            for t in &s.providers {
                r += 1;
                let seen = t
                    .usage_seen
                    .map(|[from, to]| format!("{from} to {to}"))
                    .unwrap_or_default();
                let cells = [
                    Value::Text(&t.label),
                    Value::Int(Some(t.keys as i64)),
                    Value::Int(Some(t.active_keys as i64)),
                    Value::Int(Some(t.owners as i64)),
                    Value::Int(Some(t.scopes as i64)),
                    Value::Text(&t.scope_noun),
                    Value::Int(Some(t.findings.total() as i64)),
                    Value::Money(t.cost_usd),
                    Value::Text(&seen),
                ];
                for (c, v) in cells.iter().enumerate() {
                    write_cell(ws, &st, r, c as u16, v)?;
                }
            }
        }

        // Every input read, so a reader of the workbook knows what it covers and what failed.
        r += 2;
        for (c, h) in ["Source", "Kind", "Records", "Warnings", "Error"]
            .iter()
            .enumerate()
        {
            ws.write_string_with_format(r, c as u16, *h, &st.header)
                .map_err(x)?;
        }
        for src in &report.sources {
            r += 1;
            let cells = [
                src.name.as_str(),
                src.kind.as_str(),
                "",
                &src.warnings.join("; "),
                src.error.as_deref().unwrap_or(""),
            ];
            for (c, text) in cells.iter().enumerate() {
                if !text.is_empty() {
                    ws.write_string_with_format(
                        r,
                        c as u16,
                        sanitize::text_for_xlsx(text).as_ref(),
                        &st.text,
                    )
                    .map_err(x)?;
                }
            }
            ws.write_number_with_format(r, 2, src.records as f64, &st.int)
                .map_err(x)?;
        }
        ws.set_column_width(0, 40).map_err(x)?;
        ws.set_column_width(1, 28).map_err(x)?;
        ws.set_column_width(2, 10).map_err(x)?;
        ws.set_column_width(3, 50).map_err(x)?;
        ws.set_column_width(4, 50).map_err(x)?;
    }

    // Keys.
    keys_sheet(&mut wb, &st, report.keys.iter())?;

    sheet(
        &mut wb,
        &st,
        "Findings",
        &columns::findings(),
        &report.findings,
    )?;
    // Owners and Projects: the rows of owners.csv and projects.csv, keyless projects included.
    let owners = super::owner_rows(report);
    sheet(&mut wb, &st, "Owners", &columns::owners(), &owners)?;
    let projects = super::project_rows(report);
    sheet(&mut wb, &st, "Projects", &columns::projects(), &projects)?;
    // Only when usage named keys no page listed: an empty sheet would read as "none found".
    if !report.unlisted_keys.is_empty() {
        let cols = columns::unlisted_keys();
        sheet(&mut wb, &st, "Unlisted keys", &cols, &report.unlisted_keys)?;
    }

    wb.save_to_buffer().map_err(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    use std::io::{Cursor, Read};

    #[test]
    fn a_formula_like_header_is_written_as_quote_prefixed_text() {
        let st = Styles::new();
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet().set_name("T").unwrap();
        table(
            ws,
            &st,
            &["=1+1", "@evil"],
            vec![vec![Value::Text("-x"), Value::Money(Some(-2.5))]],
        )
        .unwrap();
        let bytes = wb.save_to_buffer().unwrap();

        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
        let range = book.worksheet_range("T").unwrap();
        assert_eq!(range.get((0, 0)), Some(&Data::String("=1+1".into())));
        assert_eq!(range.get((0, 1)), Some(&Data::String("@evil".into())));
        assert_eq!(range.get((1, 0)), Some(&Data::String("-x".into())));
        assert_eq!(range.get((1, 1)), Some(&Data::Float(-2.5)));
        let formulas = book.worksheet_formula("T").unwrap();
        assert!(formulas.rows().flatten().all(String::is_empty));

        // A1's style is a quote-prefix format.
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut part = |name: &str| {
            let mut s = String::new();
            zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
            s
        };
        let sheet = part("xl/worksheets/sheet1.xml");
        let styles = part("xl/styles.xml");
        let a1 = &sheet[sheet.find("<c r=\"A1\"").unwrap()..];
        let a1 = &a1[..a1.find('>').unwrap()];
        let s: usize = a1
            .split(" s=\"")
            .nth(1)
            .and_then(|v| v.split('"').next())
            .unwrap()
            .parse()
            .unwrap();
        let xfs = &styles[styles.find("<cellXfs").unwrap()..];
        let xf = xfs.split("<xf ").nth(s + 1).unwrap();
        assert!(xf.contains("quotePrefix=\"1\""), "{xf}");
    }

    #[test]
    fn dates_before_1900_are_written_as_text() {
        assert!(excel_date(jiff::civil::date(1899, 12, 31)).is_none());
        assert!(excel_date(jiff::civil::date(-5, 1, 1)).is_none());
        assert!(excel_date(jiff::civil::date(1900, 1, 1)).is_some());
        let st = Styles::new();
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        write_date(ws, 0, 0, jiff::civil::date(1899, 12, 31), &st).unwrap();
        write_date(ws, 0, 1, jiff::civil::date(2026, 11, 22), &st).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("Sheet1").unwrap();
        assert_eq!(range.get((0, 0)), Some(&Data::String("1899-12-31".into())));
        assert!(matches!(range.get((0, 1)), Some(Data::DateTime(_))));
    }
}
