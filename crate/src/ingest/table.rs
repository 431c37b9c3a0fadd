//! One recognizer for every table of text cells, HTML or CSV: it knows a table by its header
//! names (case-insensitive, synonyms, any order, extra columns ignored), never by position or
//! class names, and turns its rows into [`Batch`] records.
//!
//! [`TableReader::new`] looks at a header and decides what the table is ([`TableKind`]); its
//! [`TableReader::row`] reads one row at a time so a CSV of a million rows is streamed, and usage
//! rows are aggregated per (day, key, project, user) as they come, so memory follows the number
//! of distinct keys and days rather than the number of rows. Every cell goes through
//! [`secret::scrub`] first: a full secret becomes an [`ExposedSecret`] and only its redaction is
//! read on.

mod columns;
mod records;
pub mod values;

use std::borrow::Cow;

use jiff::civil::Date;

use crate::ingest::Batch;
use crate::model::{ExposedSecret, Owner, ProjectRef};
use crate::secret;

use columns::{column, decide, Col, Columns};
use records::{read_key, read_limits, read_member, read_project, read_usage, Row, UsageIndex};

/// What a page is, when its URL or headings say so. It settles what a table's header alone
/// cannot (a `Name, ID, Created` table of service accounts) and what a key's redaction does not
/// show (every key on the profile page is a legacy user key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Page {
    #[default]
    Unknown,
    OrgApiKeys,
    ProjectApiKeys,
    UserApiKeys,
    AdminKeys,
    OrgMembers,
    ProjectMembers,
    ServiceAccounts,
    Projects,
    Limits,
    Usage,
}

impl Page {
    /// The slug used in `Batch.kind` (`html:project-api-keys`).
    pub fn slug(self) -> &'static str {
        match self {
            Page::Unknown => "unknown",
            Page::OrgApiKeys => "org-api-keys",
            Page::ProjectApiKeys => "project-api-keys",
            Page::UserApiKeys => "user-api-keys",
            Page::AdminKeys => "admin-keys",
            Page::OrgMembers => "org-members",
            Page::ProjectMembers => "project-members",
            Page::ServiceAccounts => "service-accounts",
            Page::Projects => "projects",
            Page::Limits => "limits",
            Page::Usage => "usage",
        }
    }
}

/// What a table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    Keys,
    Members,
    ServiceAccounts,
    Projects,
    Limits,
    Usage,
}

impl TableKind {
    pub fn slug(self) -> &'static str {
        match self {
            TableKind::Keys => "keys",
            TableKind::Members => "members",
            TableKind::ServiceAccounts => "service-accounts",
            TableKind::Projects => "projects",
            TableKind::Limits => "limits",
            TableKind::Usage => "usage",
        }
    }
}

/// The message when nothing could be recognized (HTML and CSV alike).
pub const NOTHING_FOUND: &str = "no table of API keys, members, projects, limits or usage found; \
expected headers such as Name, Secret key, Created, Last used (keys), Name, Email, Role \
(members), or a key or project with Cost, Requests, Input tokens (usage)";

/// Everything a table's rows are read against besides their cells.
#[derive(Debug, Clone)]
pub struct Scope {
    /// The input's name, for sources and messages.
    pub source: String,
    pub as_of: Date,
    pub page: Page,
    /// The project the page has selected (a project's keys or members page).
    pub project: Option<ProjectRef>,
    /// `0,50` is a half (semicolon files from a decimal-comma locale).
    pub decimal_comma: bool,
    /// Positions are lines (CSV) rather than rows (HTML).
    pub lines: bool,
    /// The signed-in person, when the page names them (its account menu): who "You" is.
    pub viewer: Option<Owner>,
    /// The platform whose page this is, when its URL says: which columns its key lists have.
    pub provider: Option<crate::model::Provider>,
}

/// `sk-` in a cell, looked for in a plain loop: a cell is a few bytes, where a substring
/// searcher's set-up cost more than the search (every cell of every row is asked, twice when
/// one holds a key).
fn holds_sk(cell: &str) -> bool {
    cell.as_bytes().windows(3).any(|w| w == b"sk-")
}

/// [`secret::scrub`], and also secrets glued to the text before them (`Namesk-proj-…T3BlbkFJ…`:
/// adjacent spans of a page, or a spreadsheet cell typed without a space), which `scrub` leaves
/// alone because it only looks at token boundaries. A token carrying the OpenAI marker is a
/// secret wherever it starts.
pub fn scrub(text: &str) -> (String, Vec<String>) {
    let (out, found) = scrub_cow(text);
    (out.into_owned(), found)
}

/// [`scrub`] that hands `text` back borrowed when it holds no secret: a saved page can be one
/// line of megabytes, searched whole for secrets, and its redactions (`sk-proj-...Ab12`) stop
/// the search without changing anything.
pub fn scrub_cow(text: &str) -> (Cow<'_, str>, Vec<String>) {
    let (mut out, mut found) = secret::scrub_cow(text);
    if !out.contains("T3BlbkFJ") {
        return (out, found);
    }
    let mut from = 0;
    while let Some(i) = out
        .get(from..)
        .and_then(|t| t.find("sk-"))
        .map(|i| i + from)
    {
        let tail = out.get(i..).unwrap_or("");
        let (clean, more) = secret::scrub(tail);
        if more.is_empty() {
            from = i + 3;
            continue;
        }
        found.extend(more);
        out = Cow::Owned(format!("{}{clean}", out.get(..i).unwrap_or("")));
        from = i + 3;
    }
    (out, found)
}

/// True when a page's label names a column Key Roster reads (`Last used`, `Created by`,
/// `Monthly budget`): how the page reader tells a label from a value.
pub fn known_column(label: &str) -> bool {
    column(label).is_some_and(|c| c != Col::Derived)
}

/// True when a label names a project's spend limit (`Monthly budget`, `Alert threshold`).
pub fn limit_column(label: &str) -> bool {
    matches!(column(label), Some(Col::HardLimit | Col::SoftLimit))
}

/// Undoes the formula neutralization of Key Roster's exports: a text cell that would start a
/// formula (`=`, `+`, `-`, `@`, tab, CR, after leading spaces) is written with a leading `'`.
/// Text that itself started with `'` was written with one more. Only applied to Key Roster's own
/// keys.csv, whose round trip must be exact.
fn unneutralize(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest)
            if rest.starts_with('\'')
                || rest
                    .trim_start_matches(' ')
                    .starts_with(['=', '+', '-', '@', '\t', '\r']) =>
        {
            rest
        }
        _ => cell,
    }
}

/// Where a cell is, in the words a message uses: `row 3, column Secret key` or
/// `line 4, column redacted_key`.
fn location(scope: &Scope, n: u64, header: &str) -> String {
    let unit = if scope.lines { "line" } else { "row" };
    format!("{unit} {n}, column {header}")
}

/// Reads the rows of one recognized table into a [`Batch`].
#[derive(Debug)]
pub struct TableReader {
    kind: TableKind,
    scope: Scope,
    headers: Vec<String>,
    cols: Columns,
    /// The usage buckets of this table (see [`UsageIndex`]).
    usage_index: UsageIndex,
    rows_read: usize,
    /// Warnings already given once for the whole table (a currency, a column).
    warned_currency: bool,
    /// The scrubbed cells' vector and the cells a scrub changed, kept between rows so a row
    /// that holds a secret or a neutralized cell does not allocate them.
    cells_buf: Vec<&'static str>,
    owned_buf: Vec<Option<String>>,
}

/// An empty vector of cells borrowing from anything, in the allocation of `v` (collecting a
/// vector's own iterator into a type of the same layout reuses its memory).
fn reuse<'x>(mut v: Vec<&str>) -> Vec<&'x str> {
    v.clear();
    v.into_iter().map(|_| "").collect()
}

impl TableReader {
    /// Recognizes a header. `None` when it is not a table Key Roster reads. Warnings about
    /// missing columns go to `warnings`.
    pub fn new(headers: &[String], scope: Scope, warnings: &mut Vec<String>) -> Option<Self> {
        let mut cols = Columns::default();
        for (i, h) in headers.iter().enumerate() {
            if let Some(c) = column(h) {
                cols.add(c, i);
            }
        }
        let kind = decide(&cols, scope.page)?;
        let reader = TableReader {
            kind,
            headers: headers.iter().map(|h| h.trim().to_string()).collect(),
            cols,
            scope,
            usage_index: UsageIndex::default(),
            rows_read: 0,
            warned_currency: false,
            cells_buf: Vec::new(),
            owned_buf: Vec::new(),
        };
        reader.missing_columns(warnings);
        Some(reader)
    }

    pub fn kind(&self) -> TableKind {
        self.kind
    }

    /// True when each row names what it is about. A usage table must name a key, project or
    /// user: a page's monthly summary or invoice list (a date and an amount) describes no key.
    pub fn identifies_records(&self) -> bool {
        use Col::*;
        self.kind != TableKind::Usage
            || self.cols.any(&[
                Secret,
                KeyName,
                KeyId,
                Name,
                Project,
                ProjectName,
                ProjectId,
                UserId,
                Email,
            ])
    }

    /// Makes room in `batch` for the records of `rows` more rows, when that many are known
    /// ahead (a page's table): its vector then grows once, not by doubling, each time copying
    /// every record read so far.
    pub fn reserve(&self, rows: usize, batch: &mut Batch) {
        match self.kind {
            TableKind::Keys => batch.keys.reserve(rows),
            TableKind::Members | TableKind::ServiceAccounts => batch.members.reserve(rows),
            TableKind::Projects | TableKind::Limits => batch.projects.reserve(rows),
            // Usage rows are summed into fewer records.
            TableKind::Usage => {}
        }
    }

    /// Rows that yielded a record (usage rows before aggregation).
    pub fn rows_read(&self) -> usize {
        self.rows_read
    }

    /// After the last row: writes the usage buckets' sums into their rows of `batch` (the batch
    /// the rows were read into; they are summed apart while reading, see [`UsageIndex`]).
    pub fn finish(&mut self, batch: &mut Batch) {
        self.usage_index.finish(batch);
    }

    fn missing_columns(&self, warnings: &mut Vec<String>) {
        use Col::*;
        if self.kind != TableKind::Keys {
            return;
        }
        let page = self.scope.page;
        let platform = self.scope.provider.map(crate::ingest::providers::info);
        let mut wanted: Vec<(&[Col], &str)> = vec![(&[Created], "Created")];
        // A platform that lists no last use or permission levels has no such column to miss.
        if platform.is_none_or(|p| p.lists_last_use) {
            wanted.push((&[LastUsed], "Last used"));
        }
        if page != Page::UserApiKeys {
            wanted.push((
                &[CreatedBy, Owner, OwnerName, OwnerEmail, OwnerType],
                "Created by",
            ));
        }
        if !matches!(page, Page::UserApiKeys | Page::AdminKeys)
            && platform.is_none_or(|p| p.key_permissions)
        {
            wanted.push((&[Permissions], "Permissions"));
        }
        for (cs, label) in wanted {
            if !self.cols.any(cs) {
                warnings.push(format!("column {label} not found"));
            }
        }
    }

    /// Reads one row. `n` is its row (HTML) or line (CSV) number for messages; `hints` are
    /// machine-readable dates a cell carried (`<time datetime>`, a `title`), by column.
    pub fn row(&mut self, cells: &[&str], hints: &[Option<&str>], n: u64, batch: &mut Batch) {
        self.row_full(cells, hints, &[], n, batch, true);
    }

    /// [`TableReader::row`] for a page's row whose cells also showed chips beside their text
    /// (`Service account`, `You`, `Invited`), by column: they say the owner type, role or status.
    pub fn row_with_badges(
        &mut self,
        cells: &[&str],
        hints: &[Option<&str>],
        badges: &[&[String]],
        n: u64,
        batch: &mut Batch,
    ) {
        self.row_full(cells, hints, badges, n, batch, true);
    }

    /// [`TableReader::row`], told whether the row may hold a secret at all: the CSV reader
    /// searches each record's raw bytes for `sk-` once, and a row without one (`false`) has no
    /// cell searched again.
    pub fn row_scanned(
        &mut self,
        cells: &[&str],
        hints: &[Option<&str>],
        n: u64,
        batch: &mut Batch,
        may_hold_secrets: bool,
    ) {
        self.row_full(cells, hints, &[], n, batch, may_hold_secrets);
    }

    fn row_full(
        &mut self,
        cells: &[&str],
        hints: &[Option<&str>],
        badges: &[&[String]],
        n: u64,
        batch: &mut Batch,
        may_hold_secrets: bool,
    ) {
        // Key Roster's own keys.csv: undo the export's formula neutralization.
        let own_export = self.kind == TableKind::Keys
            && self.cols.has(Col::KeyKind)
            && self.cols.has(Col::Sources);
        // Most rows (every row of a cost export) change nothing: no cell holds `sk-` and none
        // is neutralized, so the cells are read as they are, without a vector of copies.
        let changes = own_export || (may_hold_secrets && cells.iter().any(|c| holds_sk(c)));
        if !changes {
            if !cells.iter().all(|c| values::trim(c).is_empty()) {
                self.read_row(cells, hints, badges, n, batch);
            }
            return;
        }
        // The scrubbed text of the cells that changed, by column (`None`: the cell as it is).
        let mut owned = std::mem::take(&mut self.owned_buf);
        owned.clear();
        for (i, cell) in cells.iter().enumerate() {
            let (text, found) = if may_hold_secrets && holds_sk(cell) {
                let (text, found) = scrub(cell);
                (Some(text), found)
            } else {
                (None, Vec::new())
            };
            for redacted in found {
                let header = self.headers.get(i).map_or("?", String::as_str);
                batch.exposed.push(ExposedSecret {
                    source: self.scope.source.clone(),
                    location: location(&self.scope, n, header),
                    kind: secret::kind_from_value(&redacted),
                    redacted,
                });
            }
            owned.push(match (own_export, text) {
                (true, Some(t)) => Some(unneutralize(&t).to_string()),
                (_, text) => text,
            });
        }
        let mut scrubbed: Vec<&str> = reuse(std::mem::take(&mut self.cells_buf));
        for (cell, text) in cells.iter().zip(&owned) {
            scrubbed.push(match text {
                Some(t) => t.as_str(),
                None if own_export => unneutralize(cell),
                None => cell,
            });
        }
        if !scrubbed.iter().all(|c| values::trim(c).is_empty()) {
            self.read_row(&scrubbed, hints, badges, n, batch);
        }
        self.cells_buf = reuse(scrubbed);
        self.owned_buf = owned;
    }

    /// Reads one row whose cells are scrubbed, into its record.
    fn read_row(
        &mut self,
        scrubbed: &[&str],
        hints: &[Option<&str>],
        badges: &[&[String]],
        n: u64,
        batch: &mut Batch,
    ) {
        // The row's warnings are gathered apart and added after: a usage key borrows the row's
        // cells for as long as the row lives, and the batch is written while it is alive.
        let mut warnings = Vec::new();
        let mut row = Row {
            cells: scrubbed,
            hints,
            badges,
            cols: &self.cols,
            headers: &self.headers,
            scope: &self.scope,
            n,
            warnings: &mut warnings,
        };
        let read = match self.kind {
            TableKind::Keys => {
                let key = read_key(&mut row);
                batch.keys.push(key);
                true
            }
            TableKind::Members | TableKind::ServiceAccounts => {
                let m = read_member(&mut row, self.kind == TableKind::ServiceAccounts);
                batch.members.push(m);
                true
            }
            TableKind::Projects => {
                let p = read_project(&mut row);
                batch.projects.push(p);
                true
            }
            TableKind::Limits => match read_limits(&mut row) {
                Some(p) => {
                    batch.projects.push(p);
                    true
                }
                None => false,
            },
            TableKind::Usage => {
                let currency_ok = row.currency_ok(&mut self.warned_currency);
                match read_usage(&mut row, currency_ok) {
                    Some((key, usage)) => {
                        self.usage_index.add(&self.scope.source, key, usage, batch);
                        true
                    }
                    None => false,
                }
            }
        };
        batch.warnings.append(&mut warnings);
        if read {
            self.rows_read += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn scope(page: Page) -> Scope {
        Scope {
            source: "t".into(),
            as_of: date(2026, 11, 22),
            page,
            project: None,
            decimal_comma: false,
            lines: true,
            viewer: None,
            provider: None,
        }
    }

    fn kind_of(headers: &[&str], page: Page) -> Option<TableKind> {
        let h: Vec<String> = headers.iter().map(|s| s.to_string()).collect();
        TableReader::new(&h, scope(page), &mut Vec::new()).map(|r| r.kind())
    }

    #[test]
    fn tables_are_known_by_header_names_in_any_order() {
        assert_eq!(
            kind_of(&["LAST USED", "Secret Key", "NAME"], Page::Unknown),
            Some(TableKind::Keys)
        );
        assert_eq!(
            kind_of(&["Name", "Email", "Role"], Page::Unknown),
            Some(TableKind::Members)
        );
        assert_eq!(
            kind_of(&["Name", "ID", "Role", "Created"], Page::Unknown),
            Some(TableKind::ServiceAccounts)
        );
        assert_eq!(
            kind_of(&["Name", "ID", "Status", "Created"], Page::Unknown),
            Some(TableKind::Projects)
        );
        assert_eq!(
            kind_of(&["Project", "Monthly budget"], Page::Unknown),
            Some(TableKind::Limits)
        );
        assert_eq!(
            kind_of(&["api_key_id", "Cost ($)"], Page::Unknown),
            Some(TableKind::Usage)
        );
        assert_eq!(
            kind_of(&["Name", "Created"], Page::ServiceAccounts),
            Some(TableKind::ServiceAccounts)
        );
        assert_eq!(kind_of(&["Model", "Region"], Page::Unknown), None);
    }

    #[test]
    fn secret_glued_to_text_is_still_scrubbed() {
        let secret = format!("sk-proj-{}T3BlbkFJ{}", "Ab3".repeat(25), "Zx9Q".repeat(18));
        let (out, found) = scrub(&format!("Secret key{secret} (copy)"));
        assert_eq!(out, "Secret keysk-proj-...Zx9Q (copy)");
        assert_eq!(found, vec!["sk-proj-...Zx9Q"]);
        let (out, found) = scrub("task-sk-proj-...excA stays");
        assert_eq!(
            (out.as_str(), found.len()),
            ("task-sk-proj-...excA stays", 0)
        );
    }

    #[test]
    fn scrub_cow_borrows_text_without_a_secret_and_scrubs_as_scrub_does() {
        let plain = "<td>sk-proj-...excA</td> sk- and T3BlbkFJ alone";
        let (out, found) = scrub_cow(plain);
        assert!(matches!(out, Cow::Borrowed(_)) && found.is_empty());
        let secret = format!("sk-proj-{}T3BlbkFJ{}", "Ab3".repeat(25), "Zx9Q".repeat(18));
        for text in [format!("a {secret} b"), format!("Name{secret} (copy)")] {
            let (out, found) = scrub_cow(&text);
            assert_eq!((out.into_owned(), found), scrub(&text));
        }
    }

    #[test]
    fn reserve_makes_room_for_the_tables_records() {
        let h: Vec<String> = ["Name", "Secret key"].map(String::from).to_vec();
        let reader = TableReader::new(&h, scope(Page::Unknown), &mut Vec::new()).unwrap();
        let mut batch = Batch::default();
        reader.reserve(300, &mut batch);
        assert!(batch.keys.capacity() >= 300 && batch.members.capacity() == 0);
    }

    #[test]
    fn missing_key_columns_are_warned() {
        let mut w = Vec::new();
        let h = vec!["Name".to_string(), "Secret key".to_string()];
        TableReader::new(&h, scope(Page::Unknown), &mut w);
        assert_eq!(
            w,
            vec![
                "column Created not found",
                "column Last used not found",
                "column Created by not found",
                "column Permissions not found"
            ]
        );
    }
}
