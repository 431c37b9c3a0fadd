//! Workbooks (`.xlsx`, `.ods`, `.xls`) read sheet by sheet like CSV: Key Roster's own workbook
//! reads back into the same keys (its Keys sheet has keys.csv's columns), and a sheet an admin
//! made is read like the CSV it would be saved as.
//!
//! Each sheet is turned into CSV text (dates as `YYYY-MM-DD`, whole numbers without a decimal
//! point) and handed to [`crate::ingest::csv`], so a sheet gets exactly a CSV file's header
//! recognition, typing and messages (lines are the sheet's row numbers). Every sheet, read or
//! not, is also swept for full secrets.
//!
//! Behind the `workbook` cargo feature: on for the CLI and the browser's full module (www, the
//! report page; about 330 KB gzip of calamine's encoding tables and XML reader), off for the
//! popup's module, which reads pages only. A build without it refuses a workbook and says to
//! save it as CSV.

use std::io::{self, Cursor, Read};

use calamine::{Data, Reader};

use crate::error::{Error, ErrorKind, Position, Result};
use crate::ingest::limits::Limits;
use crate::ingest::{sweep, Batch, Context};
use crate::model::ExposedSecret;

/// The sheets of Key Roster's own workbook that are views of the Keys sheet (read only Keys).
const OWN_VIEWS: [&str; 4] = ["Summary", "Findings", "Owners", "Projects"];

/// Reads every sheet; the batch is the union of the sheets Key Roster recognizes. Full secrets
/// found in any sheet go to `swept` whether or not the workbook can be read (the byte-level
/// sweep cannot see inside the compressed archive).
pub fn read(
    ctx: &Context,
    bytes: &[u8],
    limits: &Limits,
    swept: &mut Vec<ExposedSecret>,
) -> Result<Batch> {
    check_unpacked(ctx, bytes, limits)?;
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        Error::input(
            &ctx.name,
            Position::default(),
            format!("a workbook that cannot be opened: {e}"),
        )
    })?;
    let mut batch = Batch::default();
    let mut skipped: Vec<(String, String)> = Vec::new();
    let mut sheets: Vec<(String, Batch)> = Vec::new();
    for sheet in book.sheet_names() {
        let range = match book.worksheet_range(&sheet) {
            Ok(r) => r,
            Err(e) => {
                skipped.push((sheet, format!("cannot be read: {e}")));
                continue;
            }
        };
        if range.is_empty() {
            continue;
        }
        let (first_row, _) = range.start().unwrap_or((0, 0));
        let (height, width) = range.get_size();
        limits.check_records(&ctx.name, u64::from(first_row) + 1, height)?;
        if width > limits.max_columns {
            return Err(Error::input(
                &ctx.name,
                Position::default(),
                format!(
                    "sheet {sheet}: {width} columns, over the limit of {}",
                    limits.max_columns
                ),
            ));
        }
        let text = sheet_csv(first_row, range.rows());
        let mut exposed = sweep::sweep(&ctx.name, text.as_bytes());
        for e in &mut exposed {
            e.location = format!("sheet {sheet}, {}", e.location);
        }
        sweep::add_missing(swept, exposed);
        match crate::ingest::csv::read_with(ctx, &text, limits) {
            Ok(b) => sheets.push((sheet, b)),
            Err(e) => skipped.push((sheet, message(&e))),
        }
    }
    // Key Roster's own workbook: its Keys sheet is the roster, the other sheets are views of it
    // (Findings even has key columns): read only Keys.
    let own = sheets.iter().any(|(_, b)| b.kind == "csv:keyroster-keys");
    if own {
        sheets.retain(|(s, b)| b.kind == "csv:keyroster-keys" || !OWN_VIEWS.contains(&s.as_str()));
        skipped.retain(|(s, _)| !OWN_VIEWS.contains(&s.as_str()));
    }
    let read_any = !sheets.is_empty();
    for (sheet, b) in sheets {
        if batch.kind.is_empty() {
            // Merging treats an own export's `sources` column as the keys' sources: keep
            // `csv:keyroster-keys`; any other sheet says it came from a workbook.
            batch.kind = if own {
                b.kind
            } else {
                b.kind.replacen("csv:", "xlsx:", 1)
            };
        }
        batch.exposed.extend(b.exposed.into_iter().map(|mut e| {
            e.location = format!("sheet {sheet}, {}", e.location);
            e
        }));
        batch.keys.extend(b.keys);
        batch.members.extend(b.members);
        batch.members_list |= b.members_list;
        batch.projects.extend(b.projects);
        batch.usage.extend(b.usage);
        batch.events.extend(b.events);
        batch.warnings.extend(
            b.warnings
                .into_iter()
                .map(|w| format!("sheet {sheet}: {w}")),
        );
    }
    if !read_any {
        let why: Vec<String> = skipped
            .iter()
            .map(|(s, m)| format!("sheet {s}: {m}"))
            .collect();
        return Err(Error::input(
            &ctx.name,
            Position::default(),
            if why.is_empty() {
                "a workbook with no data in any sheet".to_string()
            } else {
                format!(
                    "no sheet holds a table Key Roster reads ({})",
                    why.join("; ")
                )
            },
        ));
    }
    for (s, m) in skipped {
        batch.warnings.push(format!("sheet {s} skipped: {m}"));
    }
    Ok(batch)
}

/// A CSV reader's error without the file name it repeats (the workbook's own error names it).
fn message(e: &Error) -> String {
    match e.kind() {
        ErrorKind::Input {
            position, message, ..
        } => {
            let at = position.to_string();
            if at.is_empty() {
                message.clone()
            } else {
                format!("{at}: {message}")
            }
        }
        _ => e.to_string(),
    }
}

/// The sheet as CSV, with blank lines for the rows above its first used row so that line numbers
/// are the sheet's row numbers.
fn sheet_csv<'a>(first_row: u32, rows: impl Iterator<Item = &'a [Data]>) -> String {
    let mut w = ::csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let mut out = "\n".repeat(first_row as usize).into_bytes();
    for (i, row) in rows.enumerate() {
        let mut cells: Vec<String> = row.iter().map(cell_text).collect();
        // Key Roster's own Keys sheet: its people's headers become keys.csv's, from the one
        // column table both exports are written from.
        let own = crate::export::columns::keys();
        if i == 0
            && cells
                .iter()
                .map(String::as_str)
                .eq(own.iter().map(|c| c.title))
        {
            cells = own.iter().map(|c| c.csv.to_string()).collect();
        }
        // Writing to a Vec cannot fail.
        let _ = w.write_record(&cells);
    }
    out.extend(w.into_inner().unwrap_or_default());
    String::from_utf8(out).unwrap_or_default()
}

/// One cell as the CSV a spreadsheet would save: dates as ISO dates, whole numbers plainly.
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => excel_date(dt.as_f64()),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// An Excel serial date (days since 1899-12-30) as `YYYY-MM-DD`, with the time when it has one.
fn excel_date(serial: f64) -> String {
    let epoch = jiff::civil::date(1899, 12, 30);
    let days = serial.floor();
    let Ok(date) = epoch.checked_add(jiff::Span::new().days(days as i64)) else {
        return serial.to_string();
    };
    let secs = ((serial - days) * 86_400.0).round() as i64;
    if secs == 0 {
        date.to_string()
    } else {
        format!(
            "{date} {:02}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

/// Refuses a workbook whose archive unpacks to more than twice the per-input limit, counting the
/// bytes actually inflated (an archive's declared sizes can lie), before calamine holds its sheets.
/// Twice, because a sheet's XML is bulkier than the CSV it would be saved as. `.xls` is not an
/// archive and is bounded by the input size alone.
fn check_unpacked(ctx: &Context, bytes: &[u8], limits: &Limits) -> Result<()> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // not a zip: calamine says what it is
    };
    let cap = (limits.max_input_bytes as u64).saturating_mul(2);
    let mut total = 0u64;
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index(i) else {
            continue; // calamine reports the damaged part it needs
        };
        let left = cap - total;
        total += io::copy(&mut entry.take(left + 1), &mut io::sink()).unwrap_or(0);
        if total > cap {
            return Err(Error::input(
                &ctx.name,
                Position::default(),
                format!(
                    "a workbook that unpacks to more than {}, twice the limit per input: save \
                     the sheet you need as CSV",
                    crate::ingest::limits::size(cap as usize)
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_dates_become_iso_dates() {
        assert_eq!(excel_date(46_000.0), "2025-12-09");
        assert_eq!(excel_date(46_000.5), "2025-12-09 12:00:00");
    }
}
