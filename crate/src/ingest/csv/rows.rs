//! What the records of a delimited input say ([`Rows`]): the header search among the first
//! records, then each data row's cells (checked as UTF-8 and against the limits) read by the
//! table reader into the batch. Fed one complete record at a time by the tokenizer
//! ([`super::Push`]), on the same thread or on the rows' own ([`super::relay`]): the same code
//! either way, so the batch is the same.

use super::{kind_name, HEADER_SEARCH};
use crate::error::{Error, Position, Result};
use crate::ingest::limits::Limits;
use crate::ingest::table::{values, Page, Scope, TableKind, TableReader, NOTHING_FOUND};
use crate::ingest::{Batch, Context};

/// What the records say: the header search, then the table's rows into the batch. Runs on the
/// caller's thread or on the rows' thread ([`super::Push::threaded`]); the same code either way.
pub(super) struct Rows<F> {
    ctx: Context,
    limits: Limits,
    each: F,
    batch: Batch,
    scope: Scope,
    records: usize,
    table: Table,
    /// The record's cells' vector, kept empty between records (see `reuse` in table.rs).
    cells: Vec<&'static str>,
}

/// Before the header: the first records tried; after it: the table's reader.
enum Table {
    Searching {
        first: Option<(Vec<String>, u64)>,
        tried: usize,
    },
    Reading {
        header: Vec<String>,
        line: u64,
        /// Boxed: the table reader is large, and a table is read once per input.
        reader: Box<TableReader>,
        rows: u64,
    },
}

#[cfg(not(target_arch = "wasm32"))]
impl<F> Rows<F> {
    /// The input's name.
    pub(super) fn name(&self) -> &str {
        &self.ctx.name
    }
}

impl<F> Rows<F> {
    /// The rows of an input whose delimiter is `delimiter` (`;` files write decimal commas).
    pub(super) fn new(ctx: &Context, limits: &Limits, each: F, delimiter: u8) -> Self {
        Rows {
            ctx: ctx.clone(),
            limits: *limits,
            each,
            batch: Batch::default(),
            scope: Scope {
                source: ctx.name.clone(),
                as_of: ctx.as_of,
                page: Page::Unknown,
                project: None,
                decimal_comma: delimiter == b';',
                lines: true,
                viewer: None,
                provider: None,
            },
            records: 0,
            table: Table::Searching {
                first: None,
                tried: 0,
            },
            cells: Vec::new(),
        }
    }
}

impl<F: FnMut(&[String], &[&str], &mut Batch)> Rows<F> {
    /// Data rows read so far.
    pub(super) fn rows(&self) -> u64 {
        match &self.table {
            Table::Reading { rows, .. } => *rows,
            Table::Searching { .. } => 0,
        }
    }

    /// The batch once every record is read.
    pub(super) fn finish(mut self) -> Result<Batch> {
        match self.table {
            Table::Reading {
                line,
                rows,
                mut reader,
                ..
            } => {
                reader.finish(&mut self.batch);
                if rows == 0 {
                    self.batch
                        .warnings
                        .push(format!("only a header (line {line}): no rows to read"));
                }
                Ok(self.batch)
            }
            Table::Searching {
                first: Some((header, line)),
                ..
            } => Err(no_table(&self.ctx.name, &header, line)),
            Table::Searching { first: None, .. } => Err(Error::input(
                &self.ctx.name,
                Position::default(),
                "empty file: no header line",
            )),
        }
    }

    /// One complete record at `line`: its fields back to back in `bytes`, each ending at its
    /// entry of `ends`. Checked against the limits, then the header search or a data row.
    pub(super) fn record(
        &mut self,
        line: u64,
        bytes: &[u8],
        ends: &[usize],
        may_hold_secrets: bool,
    ) -> Result<()> {
        let mut cells = reuse(std::mem::take(&mut self.cells));
        let read = self.record_in(line, bytes, None, ends, may_hold_secrets, &mut cells);
        self.cells = reuse(cells);
        read
    }

    /// [`Rows::record`] for a record already checked as UTF-8 (on the tokenizer's thread, see
    /// [`super::relay`]): `text` is its bytes.
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn record_text(
        &mut self,
        line: u64,
        text: &str,
        ends: &[usize],
        may_hold_secrets: bool,
    ) -> Result<()> {
        let mut cells = reuse(std::mem::take(&mut self.cells));
        let bytes = text.as_bytes();
        let read = self.record_in(line, bytes, Some(text), ends, may_hold_secrets, &mut cells);
        self.cells = reuse(cells);
        read
    }

    fn record_in<'b>(
        &mut self,
        line: u64,
        bytes: &'b [u8],
        text: Option<&'b str>,
        ends: &[usize],
        may_hold_secrets: bool,
        cells: &mut Vec<&'b str>,
    ) -> Result<()> {
        let Rows {
            ctx,
            limits,
            each,
            batch,
            ..
        } = self;
        split(&ctx.name, line, bytes, text, ends, cells)?;
        let cells = &cells[..];
        // Every record is bounded before it is looked at (ingest::limits); no cell of a record
        // within the cell limit is over it.
        if bytes.len() > limits.max_cell_bytes || cells.len() > limits.max_columns {
            limits.check_record(&ctx.name, line, cells.len(), cells.iter().copied())?;
        }
        self.records += 1;
        limits.check_records(&ctx.name, line, self.records)?;
        // Blank lines, `;;;;` rows a spreadsheet leaves at the end.
        let blank = cells.iter().all(|c| values::trim(c).is_empty());
        match &mut self.table {
            // The header is the first non-blank record Key Roster recognizes, among the first
            // few: a report saved from a spreadsheet may open with a title line or two.
            Table::Searching { first, tried } => {
                if blank {
                    return Ok(());
                }
                // Headers are echoed in messages: scrubbed like every cell.
                let header: Vec<String> = cells
                    .iter()
                    .map(|f| crate::ingest::table::scrub(f.trim()).0)
                    .collect();
                let mut warnings = Vec::new();
                if let Some(reader) = TableReader::new(&header, self.scope.clone(), &mut warnings) {
                    if let Some((_, first_line)) = first {
                        batch.warnings.push(format!(
                            "lines {first_line}-{} skipped: the table's header is line {line}",
                            line - 1
                        ));
                    }
                    batch.warnings.extend(warnings);
                    batch.kind = format!("csv:{}", kind_name(reader.kind(), &header));
                    batch.members_list = reader.kind() == TableKind::Members;
                    self.table = Table::Reading {
                        header,
                        line,
                        reader: Box::new(reader),
                        rows: 0,
                    };
                    return Ok(());
                }
                let (header, first_line) = first.get_or_insert((header, line));
                *tried += 1;
                if *tried >= HEADER_SEARCH {
                    return Err(no_table(&ctx.name, header, *first_line));
                }
                Ok(())
            }
            Table::Reading {
                header,
                line: header_line,
                reader,
                rows,
            } => {
                if blank {
                    return Ok(());
                }
                if cells.len() != header.len() {
                    return Err(Error::at_line(
                        &ctx.name,
                        line,
                        format!(
                            "expected {} fields as in the header (line {header_line}), found {}",
                            header.len(),
                            cells.len()
                        ),
                    ));
                }
                *rows += 1;
                reader.row_scanned(cells, &[], line, batch, may_hold_secrets);
                each(header, cells, batch);
                Ok(())
            }
        }
    }
}

/// A record's fields as text. The record is checked as UTF-8 once, whole (unless `text` is the
/// record already checked), and then cut at its field ends (each must fall on a character
/// boundary: two fields could otherwise join into a valid character); a record that fails is
/// checked field by field to name the field.
fn split<'b>(
    name: &str,
    line: u64,
    bytes: &'b [u8],
    text: Option<&'b str>,
    ends: &[usize],
    cells: &mut Vec<&'b str>,
) -> Result<()> {
    if let Some(text) = text.or_else(|| std::str::from_utf8(bytes).ok()) {
        // One pass: `get` checks both ends of each cell (a field end inside a character fails).
        cells.reserve(ends.len());
        let mut from = 0;
        let cut = ends.iter().all(|&to| match text.get(from..to) {
            Some(cell) => {
                cells.push(cell);
                from = to;
                true
            }
            None => false,
        });
        if cut {
            return Ok(());
        }
        cells.clear();
    }
    let mut from = 0;
    for (i, &to) in ends.iter().enumerate() {
        let field = bytes.get(from..to).unwrap_or(&[]);
        match std::str::from_utf8(field) {
            Ok(cell) => cells.push(cell),
            Err(err) => {
                return Err(Error::at_line(
                    name,
                    line,
                    format!(
                        "not UTF-8 text (field {}, byte {} is invalid); save the file as UTF-8 or UTF-16",
                        i + 1,
                        err.valid_up_to()
                    ),
                ))
            }
        }
        from = to;
    }
    Ok(())
}

/// An empty vector of cells borrowing from anything, in the allocation of `v`.
fn reuse<'x>(mut v: Vec<&str>) -> Vec<&'x str> {
    v.clear();
    v.into_iter().map(|_| "").collect()
}

/// No header Key Roster reads among the first records: the first one is shown.
fn no_table(name: &str, header: &[String], line: u64) -> Error {
    let shown: Vec<&str> = header.iter().take(8).map(String::as_str).collect();
    Error::at_line(
        name,
        line,
        format!("{NOTHING_FOUND}; the header has: {}", shown.join(", ")),
    )
}
