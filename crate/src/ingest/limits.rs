//! Bounded work: the most Key Roster reads from one input, and the message it gives beyond that.
//!
//! Pages and files come from anywhere, and a crafted "export" must not hang the popup or the
//! CLI, or take the browser tab's memory. Each limit is far above anything a real platform page
//! or export holds, and each refusal names the limit and what to do.
//!
//! | limit | default | why this number |
//! |---|---|---|
//! | input size per file | 128 MiB ([`Limits::max_input_bytes`], `--max-input-mb` in the CLI) | a million-row usage export is about 100 MB; the browser holds the bytes, the decoded text and the parse at once |
//! | columns per record | 1,000 | the widest real export (usage by model and project) has under 40 columns; a 100,000-column row is a crafted file |
//! | cell length | 1 MiB | a key name is at most a few hundred characters; a description or note a few KB |
//! | records per input | 2,000,000 | twice the million-row usage export; keys, members and projects number in the thousands |
//! | tables per page | 1,000 | a platform page has one to a few tables; 2,000 tables still parse in well under a second, so this only bounds the search |
//! | values in a JSON document | 4,000,000 ([`Limits::max_json_values`]) | a JSON document is held as a tree of values, tens of bytes each however short its text: 4 million values is about 300 MB of tree, and 270,000 API keys or 400,000 usage buckets; the Admin API pages its lists by 100 |
//! | nesting depth of a page | 512 | pages nest a few dozen deep (the fixtures at most 18); the HTML parser costs depth × elements (see [`crate::ingest::depth`]): 100,000 nested elements took 40 s, and a page of many elements under a deep chain pays the depth for each |
//!
//! The size and record-count limits bound inputs held whole (every input in the browser; pages,
//! JSON and workbooks in the CLI). Delimited text the CLI streams ([`crate::ingest::Inventory::ingest_stream`])
//! holds one record and the usage buckets at a time, so a gigabyte cost export is read whatever its
//! size; its records are still bounded in width and cell length.

use crate::error::{Error, Position, Result};

/// The limits one read runs under. [`Limits::default`] is what the extension and the CLI use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_input_bytes: usize,
    pub max_columns: usize,
    pub max_cell_bytes: usize,
    pub max_records: usize,
    pub max_tables: usize,
    pub max_depth: usize,
    pub max_json_values: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 128 * 1024 * 1024,
            max_columns: 1_000,
            max_cell_bytes: 1024 * 1024,
            max_records: 2_000_000,
            max_tables: 1_000,
            max_depth: 512,
            max_json_values: 4_000_000,
        }
    }
}

/// A size in bytes as people read it: `128 MiB`, `1 MiB`, `512 bytes`.
pub fn size(bytes: usize) -> String {
    const MIB: usize = 1024 * 1024;
    const KIB: usize = 1024;
    if bytes >= MIB && bytes % MIB == 0 {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes % KIB == 0 {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

impl Limits {
    /// Refuses an input larger than [`Limits::max_input_bytes`] before anything is decoded.
    pub fn check_input(&self, name: &str, len: usize) -> Result<()> {
        if len > self.max_input_bytes {
            return Err(Error::input(
                name,
                Position::default(),
                format!(
                    "the file is {len} bytes, over the {} limit per input; split it, or raise \
                     the limit with --max-input-mb in the command-line tool",
                    size(self.max_input_bytes)
                ),
            ));
        }
        Ok(())
    }

    /// Refuses a record wider than [`Limits::max_columns`] or with a cell longer than
    /// [`Limits::max_cell_bytes`]. `line` is where the record starts, `n` its number of cells.
    pub fn check_record<'a>(
        &self,
        name: &str,
        line: u64,
        n: usize,
        cells: impl Iterator<Item = &'a str>,
    ) -> Result<()> {
        if n > self.max_columns {
            return Err(Error::at_line(
                name,
                line,
                format!(
                    "{n} columns, over the limit of {}: this is not a table Key Roster reads",
                    self.max_columns
                ),
            ));
        }
        for (i, cell) in cells.enumerate() {
            if cell.len() > self.max_cell_bytes {
                return Err(Error::input(
                    name,
                    Position {
                        line: Some(line),
                        field: Some(format!("#{}", i + 1)),
                        ..Position::default()
                    },
                    format!(
                        "a cell of {} bytes, over the limit of {} per cell",
                        cell.len(),
                        size(self.max_cell_bytes)
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Refuses the record after the [`Limits::max_records`]th.
    pub fn check_records(&self, name: &str, line: u64, records: usize) -> Result<()> {
        if records > self.max_records {
            return Err(Error::at_line(
                name,
                line,
                format!(
                    "more than {} records, the limit per input: split the file",
                    self.max_records
                ),
            ));
        }
        Ok(())
    }

    /// Refuses a page nested deeper than [`Limits::max_depth`], or with more than
    /// [`Limits::max_tables`] tables, before it is parsed (one linear pre-scan, see
    /// [`crate::ingest::depth`]).
    pub fn check_page(&self, name: &str, html: &str) -> Result<()> {
        self.check_shape(
            name,
            crate::ingest::depth::shape(html, self.max_depth, self.max_tables),
        )
    }

    /// Refuses a page whose [`Shape`](crate::ingest::depth::Shape), as the pre-scan or a parse
    /// measured it, is past [`Limits::max_depth`] or [`Limits::max_tables`].
    pub fn check_shape(&self, name: &str, shape: crate::ingest::depth::Shape) -> Result<()> {
        let refuse = |message: String| Err(Error::input(name, Position::default(), message));
        if shape.depth > self.max_depth {
            return refuse(format!(
                "elements nested more than {} deep, the limit per page: this is not a platform \
                 page",
                self.max_depth
            ));
        }
        if shape.tables > self.max_tables {
            return refuse(format!(
                "more than {} tables, the limit per page: this is not a platform page",
                self.max_tables
            ));
        }
        Ok(())
    }
}

impl Limits {
    /// Refuses a JSON document with more than [`Limits::max_json_values`] values, or a string
    /// longer than [`Limits::max_cell_bytes`], before it is parsed (one linear pre-scan, see
    /// [`crate::ingest::json::shape`]), naming the line where the limit was passed.
    pub fn check_json(&self, name: &str, text: &str) -> Result<()> {
        let s = crate::ingest::json::shape::shape(text, self.max_json_values, self.max_cell_bytes);
        if s.values > self.max_json_values {
            return Err(Error::at_line(
                name,
                s.line,
                format!(
                    "more than {} JSON values, the limit per input: split the file",
                    self.max_json_values
                ),
            ));
        }
        if s.longest_string > self.max_cell_bytes {
            return Err(Error::at_line(
                name,
                s.line,
                format!(
                    "a string of more than {} in the JSON, the limit per value",
                    size(self.max_cell_bytes)
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size(128 * 1024 * 1024), "128 MiB");
        assert_eq!(size(2048), "2 KiB");
        assert_eq!(size(1000), "1000 bytes");
    }
}
