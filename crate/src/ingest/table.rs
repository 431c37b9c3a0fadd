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

pub mod values;

use std::borrow::Cow;
use std::collections::HashMap;

use jiff::civil::Date;

use crate::ingest::dates::{self, Parsed};
use crate::ingest::Batch;
use crate::model::{
    Expiry, ExposedSecret, Key, KeyKind, LastUsed, Member, Owner, OwnerType, Permissions, Project,
    ProjectRef, Provider, Usage, UsageRow,
};
use crate::secret;

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
}

/// A column's meaning, from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Col {
    Name,
    KeyName,
    Secret,
    Created,
    LastUsed,
    CreatedBy,
    Owner,
    Permissions,
    Project,
    ProjectName,
    ProjectId,
    Id,
    KeyId,
    Tracking,
    Expires,
    Email,
    Role,
    Status,
    Added,
    UserId,
    Provider,
    KeyKind,
    OwnerType,
    OwnerName,
    OwnerEmail,
    OwnerId,
    Requests,
    InputTokens,
    OutputTokens,
    Cost,
    Date,
    Model,
    LineItem,
    Currency,
    HardLimit,
    SoftLimit,
    Sources,
    /// Key Roster's computed columns (age, risk...): recognized, not read back.
    Derived,
}

/// Lower case, every run of non-alphanumerics one space: `Cost ($)`, `cost_usd` and
/// `LAST USED ▲` become `cost`, `cost usd`, `last used`.
fn normalize_header(h: &str) -> String {
    let spaced: String = h
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn column(header: &str) -> Option<Col> {
    let h = normalize_header(header);
    let col = match h.as_str() {
        "name" | "display name" | "full name" | "member" | "user" => Col::Name,
        "key name" | "api key name" | "secret key name" => Col::KeyName,
        "secret key" | "key" | "api key" | "redacted key" | "redacted value" | "secret"
        | "redacted" | "api key redacted" | "key value" | "partial key hint" => Col::Secret,
        "created" | "created at" | "date created" | "creation date" | "created on" => Col::Created,
        "last used" | "last used at" | "last use" | "last used on" => Col::LastUsed,
        "created by" => Col::CreatedBy,
        "owner" | "owned by" | "key owner" => Col::Owner,
        "permissions" | "permission" | "scopes" | "access level" => Col::Permissions,
        "project" | "project access" | "projects" => Col::Project,
        "project name" => Col::ProjectName,
        "project id" => Col::ProjectId,
        "id" => Col::Id,
        "key id" | "api key id" | "tracking id" => Col::KeyId,
        "tracking" => Col::Tracking,
        "expires" | "expires at" | "expiry" | "expiration" | "expiration date" | "expires on" => {
            Col::Expires
        }
        "email" | "email address" | "user email" | "e mail" => Col::Email,
        "role" | "org role" | "organization role" | "project role" => Col::Role,
        "status" => Col::Status,
        "added" | "joined" | "added at" | "date added" | "added on" | "joined at"
        | "member since" | "date joined" => Col::Added,
        "user id" | "member id" => Col::UserId,
        "provider" => Col::Provider,
        "key kind" | "key type" => Col::KeyKind,
        "owner type" => Col::OwnerType,
        "owner name" => Col::OwnerName,
        "owner email" => Col::OwnerEmail,
        "owner id" => Col::OwnerId,
        "requests" | "num model requests" | "n requests" | "request count"
        | "number of requests" | "api requests" => Col::Requests,
        "input tokens" | "prompt tokens" | "context tokens" | "n context tokens total" => {
            Col::InputTokens
        }
        "output tokens" | "completion tokens" | "generated tokens" | "n generated tokens total" => {
            Col::OutputTokens
        }
        "cost" | "cost usd" | "amount" | "amount value" | "spend" | "total cost" | "usd" => {
            Col::Cost
        }
        "date" | "day" | "start time" | "start time iso" | "usage date" | "usage date utc"
        | "bucket" | "timestamp" => Col::Date,
        "model" | "snapshot id" | "model version" => Col::Model,
        "line item" => Col::LineItem,
        "currency" | "amount currency" => Col::Currency,
        "monthly budget"
        | "hard limit"
        | "budget"
        | "monthly limit"
        | "usage limit"
        | "spend limit"
        | "hard limit usd"
        | "monthly spend limit" => Col::HardLimit,
        "soft limit"
        | "notification threshold"
        | "alert threshold"
        | "email threshold"
        | "soft limit usd" => Col::SoftLimit,
        "sources" | "source" => Col::Sources,
        "age days" | "idle days" | "risk" | "rules" => Col::Derived,
        _ => return None,
    };
    Some(col)
}

/// Which columns a header has, each meaning with every index that carries it (the cost export
/// has both `start_time` and `start_time_iso`: the first non-empty one is read).
#[derive(Debug, Clone, Default)]
struct Columns {
    /// Indexed by `Col as usize`: looked up for every cell of every row, so no hashing.
    by_col: Vec<Vec<usize>>,
}

impl Columns {
    fn add(&mut self, c: Col, i: usize) {
        if self.by_col.is_empty() {
            self.by_col = vec![Vec::new(); Col::Derived as usize + 1];
        }
        if let Some(v) = self.by_col.get_mut(c as usize) {
            v.push(i);
        }
    }
    fn get(&self, c: Col) -> Option<&[usize]> {
        self.by_col
            .get(c as usize)
            .map(Vec::as_slice)
            .filter(|v| !v.is_empty())
    }
    fn has(&self, c: Col) -> bool {
        self.get(c).is_some()
    }
    fn any(&self, cs: &[Col]) -> bool {
        cs.iter().any(|c| self.has(*c))
    }
}

fn decide(cols: &Columns, page: Page) -> Option<TableKind> {
    use Col::*;
    let metrics = cols.any(&[Requests, InputTokens, OutputTokens, Cost]);
    let key_meta = cols.any(&[
        LastUsed,
        Permissions,
        CreatedBy,
        Tracking,
        Expires,
        KeyKind,
        OwnerType,
        OwnerName,
    ]) || (cols.has(Owner) && !cols.has(Email));
    let keys_page = matches!(
        page,
        Page::OrgApiKeys | Page::ProjectApiKeys | Page::UserApiKeys | Page::AdminKeys
    );
    if cols.any(&[HardLimit, SoftLimit]) {
        return Some(TableKind::Limits);
    }
    if (cols.has(Secret) && (key_meta || !metrics))
        || (cols.any(&[Name, KeyName]) && key_meta && !cols.has(Email))
        || (keys_page && cols.any(&[Name, KeyName, Secret]) && !metrics)
    {
        return Some(TableKind::Keys);
    }
    if metrics
        && cols.any(&[
            Secret,
            KeyName,
            KeyId,
            Name,
            Project,
            ProjectName,
            ProjectId,
            Date,
            Model,
            Id,
        ])
    {
        return Some(TableKind::Usage);
    }
    let named = cols.any(&[Name, Email]);
    match page {
        Page::ServiceAccounts if named || cols.has(Id) => return Some(TableKind::ServiceAccounts),
        Page::Projects if cols.any(&[Name, Project, ProjectName, Id, ProjectId]) => {
            return Some(TableKind::Projects)
        }
        Page::OrgMembers | Page::ProjectMembers if named => return Some(TableKind::Members),
        _ => {}
    }
    if cols.has(Email) || (cols.has(Name) && cols.has(Role) && cols.has(UserId)) {
        return Some(TableKind::Members);
    }
    if cols.has(Name) && cols.has(Id) && cols.has(Role) {
        return Some(TableKind::ServiceAccounts);
    }
    if cols.any(&[Name, Project, ProjectName]) && cols.any(&[Id, ProjectId]) && !cols.has(Role) {
        return Some(TableKind::Projects);
    }
    None
}

/// [`secret::scrub`], and also secrets glued to the text before them (`Namesk-proj-…T3BlbkFJ…`:
/// adjacent spans of a page, or a spreadsheet cell typed without a space), which `scrub` leaves
/// alone because it only looks at token boundaries. A token carrying the OpenAI marker is a
/// secret wherever it starts.
pub fn scrub(text: &str) -> (String, Vec<String>) {
    let (mut out, mut found) = secret::scrub(text);
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
        out = format!("{}{clean}", out.get(..i).unwrap_or(""));
        from = i + 3;
    }
    (out, found)
}

/// Undoes the formula neutralization of Key Roster's exports: a text cell that would start a
/// formula (`=`, `+`, `-`, `@`, tab, CR, after leading spaces) is written with a leading `'`.
/// Only applied to Key Roster's own keys.csv, whose round trip must be exact.
fn unneutralize(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest)
            if rest
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

/// Key of the usage aggregation: one [`UsageRow`] per distinct value of these.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct UsageKey {
    date: Option<Date>,
    key_id: Option<String>,
    key_redacted: Option<String>,
    key_name: Option<String>,
    project_id: Option<String>,
    project_name: Option<String>,
    user_id: Option<String>,
    user_email: Option<String>,
}

/// Reads the rows of one recognized table into a [`Batch`].
#[derive(Debug)]
pub struct TableReader {
    kind: TableKind,
    scope: Scope,
    headers: Vec<String>,
    cols: Columns,
    usage_index: HashMap<UsageKey, usize>,
    rows_read: usize,
    /// Warnings already given once for the whole table (a currency, a column).
    warned_currency: bool,
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
            usage_index: HashMap::new(),
            rows_read: 0,
            warned_currency: false,
        };
        reader.missing_columns(warnings);
        Some(reader)
    }

    pub fn kind(&self) -> TableKind {
        self.kind
    }

    /// Rows that yielded a record (usage rows before aggregation).
    pub fn rows_read(&self) -> usize {
        self.rows_read
    }

    fn missing_columns(&self, warnings: &mut Vec<String>) {
        use Col::*;
        if self.kind != TableKind::Keys {
            return;
        }
        let page = self.scope.page;
        let mut wanted: Vec<(&[Col], &str)> =
            vec![(&[Created], "Created"), (&[LastUsed], "Last used")];
        if page != Page::UserApiKeys {
            wanted.push((
                &[CreatedBy, Owner, OwnerName, OwnerEmail, OwnerType],
                "Created by",
            ));
        }
        if !matches!(page, Page::UserApiKeys | Page::AdminKeys) {
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
        // Key Roster's own keys.csv: undo the export's formula neutralization.
        let own_export = self.kind == TableKind::Keys
            && self.cols.has(Col::KeyKind)
            && self.cols.has(Col::Sources);
        let mut scrubbed: Vec<Cow<'_, str>> = Vec::with_capacity(cells.len());
        for (i, cell) in cells.iter().enumerate() {
            let (text, found) = if cell.contains("sk-") {
                let (text, found) = scrub(cell);
                (Cow::Owned(text), found)
            } else {
                (Cow::Borrowed(*cell), Vec::new())
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
            let text = match (own_export, &text) {
                (true, Cow::Borrowed(t)) => Cow::Borrowed(unneutralize(t)),
                (true, Cow::Owned(t)) => Cow::Owned(unneutralize(t).to_string()),
                (false, _) => text,
            };
            scrubbed.push(text);
        }
        if scrubbed.iter().all(|c| c.trim().is_empty()) {
            return;
        }
        let mut row = Row {
            cells: &scrubbed,
            hints,
            cols: &self.cols,
            headers: &self.headers,
            scope: &self.scope,
            n,
            warnings: &mut batch.warnings,
        };
        match self.kind {
            TableKind::Keys => {
                let key = read_key(&mut row);
                batch.keys.push(key);
            }
            TableKind::Members | TableKind::ServiceAccounts => {
                let m = read_member(&mut row, self.kind == TableKind::ServiceAccounts);
                batch.members.push(m);
            }
            TableKind::Projects => {
                let p = read_project(&mut row);
                batch.projects.push(p);
            }
            TableKind::Limits => match read_limits(&mut row) {
                Some(p) => batch.projects.push(p),
                None => return,
            },
            TableKind::Usage => {
                let currency_ok = row.currency_ok(&mut self.warned_currency);
                let Some((key, usage)) = read_usage(&mut row, currency_ok) else {
                    return;
                };
                self.add_usage(key, usage, batch);
            }
        }
        self.rows_read += 1;
    }

    fn add_usage(&mut self, key: UsageKey, usage: Usage, batch: &mut Batch) {
        if let Some(&i) = self.usage_index.get(&key) {
            if let Some(r) = batch.usage.get_mut(i) {
                r.usage.add(&usage);
            }
            return;
        }
        let project = if key.project_id.is_some() || key.project_name.is_some() {
            Some(ProjectRef {
                id: key.project_id.clone(),
                name: key.project_name.clone(),
            })
        } else {
            None
        };
        batch.usage.push(UsageRow {
            date: key.date,
            key_id: key.key_id.clone(),
            key_redacted: key.key_redacted.clone(),
            key_name: key.key_name.clone(),
            project,
            user_id: key.user_id.clone(),
            user_email: key.user_email.clone(),
            model: None,
            line_item: None,
            usage,
            source: self.scope.source.clone(),
        });
        self.usage_index.insert(key, batch.usage.len() - 1);
    }
}

/// One row being read: its scrubbed cells and what is needed to read them.
struct Row<'a, 'c> {
    cells: &'a [Cow<'c, str>],
    hints: &'a [Option<&'a str>],
    cols: &'a Columns,
    headers: &'a [String],
    scope: &'a Scope,
    n: u64,
    warnings: &'a mut Vec<String>,
}

impl Row<'_, '_> {
    /// The first non-empty cell of a column, trimmed, with its index.
    fn get_at(&self, c: Col) -> Option<(usize, &str)> {
        self.cols.get(c)?.iter().find_map(|&i| {
            let t = self.cells.get(i)?.trim();
            (!t.is_empty()).then_some((i, t))
        })
    }

    /// The first non-blank cell of a column, untrimmed.
    fn raw(&self, c: Col) -> Option<&str> {
        self.cols.get(c)?.iter().find_map(|&i| {
            let t = self.cells.get(i)?;
            (!t.trim().is_empty()).then_some(t.as_ref())
        })
    }

    fn get(&self, c: Col) -> Option<&str> {
        self.get_at(c).map(|(_, t)| t)
    }

    fn text(&self, c: Col) -> Option<String> {
        self.get(c)
            .filter(|t| !values::is_blank(t))
            .map(str::to_string)
    }

    /// Lines of a stacked cell joined as one line of text.
    fn line(&self, c: Col) -> Option<String> {
        self.get(c).filter(|t| !values::is_blank(t)).map(|t| {
            t.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
    }

    fn header(&self, i: usize) -> &str {
        self.headers.get(i).map_or("?", String::as_str)
    }

    fn warn(&mut self, i: usize, what: String) {
        let at = location(self.scope, self.n, self.header(i));
        self.warnings.push(format!("{at}: {what}"));
    }

    /// A date cell: the machine-readable hint first (`<time datetime>`, `title`), then the
    /// display text. Unreadable text is unknown, with a warning.
    fn date(&mut self, c: Col) -> Parsed {
        let Some(ids) = self.cols.get(c) else {
            return Parsed::Unknown;
        };
        for &i in ids {
            if let Some(Some(h)) = self.hints.get(i) {
                if let Some(p @ Parsed::Date(_)) = dates::parse(h, self.scope.as_of) {
                    return p;
                }
            }
            let Some(text) = self.cells.get(i).map(|t| t.trim().to_string()) else {
                continue;
            };
            if text.is_empty() {
                continue;
            }
            // A stacked cell (`Oct 15, 2023` over `by Ada`): the first line that is a date.
            let parsed = std::iter::once(text.as_str())
                .chain(text.lines())
                .find_map(|l| dates::parse(l, self.scope.as_of));
            match parsed {
                Some(p) => return p,
                None => {
                    self.warn(i, format!("unrecognized date {text:?} (left unknown)"));
                    return Parsed::Unknown;
                }
            }
        }
        Parsed::Unknown
    }

    fn day(&mut self, c: Col) -> Option<Date> {
        match self.date(c) {
            Parsed::Date(d) => Some(d),
            _ => None,
        }
    }

    fn money(&mut self, c: Col) -> Option<f64> {
        let (i, t) = self.get_at(c)?;
        match values::number(t, self.scope.decimal_comma) {
            Ok(v) => v,
            Err(values::Unreadable) => {
                let t = t.to_string();
                self.warn(i, format!("{t:?} is not an amount (left unknown)"));
                None
            }
        }
    }

    fn count(&mut self, c: Col) -> Option<u64> {
        let (i, t) = self.get_at(c)?;
        match values::count(t, self.scope.decimal_comma) {
            Ok(v) => v,
            Err(values::Unreadable) => {
                let t = t.to_string();
                self.warn(i, format!("{t:?} is not a whole number (left unknown)"));
                None
            }
        }
    }

    /// A value read with `parse`; unreadable text warns and gives the default.
    fn parsed<T: Default>(
        &mut self,
        c: Col,
        what: &str,
        parse: fn(&str) -> Result<T, values::Unreadable>,
    ) -> T {
        let Some((i, t)) = self.get_at(c) else {
            return T::default();
        };
        match parse(t) {
            Ok(v) => v,
            Err(values::Unreadable) => {
                let t = t.to_string();
                self.warn(i, format!("unrecognized {what} {t:?}"));
                T::default()
            }
        }
    }

    /// A project from the project columns: `proj_…` text is an id, other text a name; a stacked
    /// cell may give both. Falls back to the project the page has selected.
    fn project(&self) -> Option<ProjectRef> {
        let mut p = ProjectRef::default();
        if let Some(t) = self.text(Col::Project) {
            for l in t.lines().map(str::trim).filter(|l| !l.is_empty()) {
                if l.starts_with("proj_") && !l.contains(' ') {
                    p.id.get_or_insert_with(|| l.to_string());
                } else {
                    p.name.get_or_insert_with(|| l.to_string());
                }
            }
        }
        // A `project_name` column is a name, whatever it looks like.
        if let Some(name) = self.text(Col::ProjectName) {
            p.name = Some(name);
        }
        if let Some(id) = self.text(Col::ProjectId) {
            p.id = Some(id);
        }
        if p.is_empty() {
            self.scope.project.clone()
        } else {
            Some(p)
        }
    }

    /// False (with one warning per table) when amounts are in a currency other than USD.
    fn currency_ok(&mut self, warned: &mut bool) -> bool {
        let Some((i, cur)) = self.get_at(Col::Currency) else {
            return true;
        };
        if cur.eq_ignore_ascii_case("usd") {
            return true;
        }
        if !*warned {
            *warned = true;
            let cur = cur.to_string();
            self.warn(i, format!("amounts in {cur:?} are not counted as USD cost"));
        }
        false
    }
}

/// The first whitespace-separated token of a cell that is a redacted key, canonical.
fn redaction_in(text: &str) -> Option<String> {
    text.split_whitespace()
        .find_map(secret::canonical_redaction)
}

fn read_key(row: &mut Row<'_, '_>) -> Key {
    let page = row.scope.page;
    let mut key = Key {
        sources: vec![row.scope.source.clone()],
        ..Key::default()
    };
    // The name cell may stack the name over the redacted value.
    let name_cell = row
        .get(Col::KeyName)
        .or_else(|| row.get(Col::Name))
        .map(str::to_string);
    if let Some(cell) = row.raw(Col::KeyName) {
        // An explicit key-name column (keys.csv) is the name verbatim: commas, lines, spaces.
        key.name = cell.to_string();
    } else if let Some(cell) = &name_cell {
        key.name = cell
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && redaction_in(l).as_deref() != Some(*l))
            .unwrap_or("")
            .to_string();
    }
    key.redacted = row
        .get(Col::Secret)
        .and_then(redaction_in)
        .or_else(|| name_cell.as_deref().and_then(redaction_in));
    key.id = row.text(Col::KeyId).or_else(|| row.text(Col::Id));
    let prefix_kind = key
        .redacted
        .as_deref()
        .map_or(KeyKind::Unknown, secret::kind_from_value);
    if key
        .redacted
        .as_deref()
        .is_some_and(|r| r.starts_with("sk-ant-"))
    {
        key.provider = Provider::Anthropic;
    }
    if let Some(p) = row.parsed(Col::Provider, "provider", values::provider) {
        key.provider = p;
    }

    // Owner: Key Roster's own columns, else the Owner column, else the creator (a user key is
    // owned by whoever created it; a service account key is not).
    let mut owner = Owner {
        kind: row.parsed(Col::OwnerType, "owner type", values::owner_type),
        name: row.text(Col::OwnerName),
        email: row.text(Col::OwnerEmail),
        id: row.text(Col::OwnerId),
    };
    let own_columns = row.cols.any(&[
        Col::OwnerType,
        Col::OwnerName,
        Col::OwnerEmail,
        Col::OwnerId,
    ]);
    if !own_columns {
        if let Some(t) = row.text(Col::Owner) {
            owner = values::owner(&t);
        }
    }
    key.created_by = row.line(Col::CreatedBy);
    let explicit_kind = row.cols.has(Col::KeyKind);
    key.kind = row.parsed(Col::KeyKind, "key kind", values::key_kind);
    if !explicit_kind {
        key.kind = match (page, prefix_kind) {
            (Page::UserApiKeys, _) => KeyKind::User,
            (Page::AdminKeys, _) => KeyKind::Admin,
            (_, k @ (KeyKind::Project | KeyKind::ServiceAccount | KeyKind::Admin)) => k,
            _ if owner.kind == OwnerType::ServiceAccount => KeyKind::ServiceAccount,
            // The org and project key pages list project keys only, whatever the UI shows
            // of the prefix; legacy user keys live on the profile page.
            (Page::OrgApiKeys | Page::ProjectApiKeys, _) => KeyKind::Project,
            (_, k) => k,
        };
    }
    if !own_columns && owner.kind == OwnerType::Unknown {
        if key.kind == KeyKind::ServiceAccount {
            // `Created by` on a service account's key names the person who made it, unless it
            // says `Service account` (then it names the account).
            owner = row
                .text(Col::CreatedBy)
                .map(|t| values::owner(&t))
                .filter(|o| o.kind == OwnerType::ServiceAccount)
                .unwrap_or(Owner {
                    kind: OwnerType::ServiceAccount,
                    ..Owner::default()
                });
        } else if let Some(by) = row.text(Col::CreatedBy) {
            owner = values::owner(&by);
        } else if page == Page::UserApiKeys {
            // The profile page lists the viewer's own keys.
            owner = values::owner("You");
        }
    }
    key.owner = owner;
    key.permissions = row.parsed(Col::Permissions, "permissions", values::permissions);
    if key.permissions == Permissions::Unknown
        && page == Page::UserApiKeys
        && !row.cols.has(Col::Permissions)
    {
        // Legacy user keys have full access (help.openai.com 8867743).
        key.permissions = Permissions::All;
    }
    key.created = row.day(Col::Created);
    key.last_used = match row.date(Col::LastUsed) {
        Parsed::Date(d) => LastUsed::Date(d),
        Parsed::Never => LastUsed::Never,
        Parsed::Unknown => LastUsed::Unknown,
    };
    key.expires = match row.date(Col::Expires) {
        Parsed::Date(d) => Expiry::Date(d),
        Parsed::Never => Expiry::Never,
        Parsed::Unknown => Expiry::Unknown,
    };
    key.project = row.project();
    let usage = Usage {
        requests: row.count(Col::Requests),
        input_tokens: row.count(Col::InputTokens),
        output_tokens: row.count(Col::OutputTokens),
        cost_usd: row.money(Col::Cost),
    };
    if !usage.is_empty() {
        key.usage = Some(usage);
    }
    if let Some(s) = row.get(Col::Sources) {
        let sources: Vec<String> = s
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        if !sources.is_empty() {
            key.sources = sources;
        }
    }
    key
}

fn read_member(row: &mut Row<'_, '_>, service_account: bool) -> Member {
    let (name, stacked_email) = row
        .get(Col::Name)
        .map(values::name_and_email)
        .unwrap_or_default();
    let lower = |s: Option<String>| s.map(|s| s.to_lowercase());
    let project = match row.scope.page {
        Page::ProjectMembers | Page::ServiceAccounts => row.scope.project.clone(),
        _ => None,
    };
    Member {
        id: row.text(Col::UserId).or_else(|| row.text(Col::Id)),
        name,
        email: row.text(Col::Email).or(stacked_email),
        kind: if service_account {
            OwnerType::ServiceAccount
        } else {
            OwnerType::User
        },
        role: lower(row.line(Col::Role)),
        status: lower(row.line(Col::Status)),
        project,
        added: row.day(Col::Added).or_else(|| row.day(Col::Created)),
        sources: vec![row.scope.source.clone()],
    }
}

fn read_project(row: &mut Row<'_, '_>) -> Project {
    let r = row.project();
    let (mut id, mut name) = r.map(|p| (p.id, p.name)).unwrap_or_default();
    if let Some(n) = row.line(Col::Name) {
        name = Some(n);
    }
    if let Some(i) = row.text(Col::Id) {
        id = Some(i);
    }
    Project {
        id,
        name,
        status: row.line(Col::Status).map(|s| s.to_lowercase()),
        created: row.day(Col::Created),
        sources: vec![row.scope.source.clone()],
        ..Project::default()
    }
}

fn read_limits(row: &mut Row<'_, '_>) -> Option<Project> {
    let project = row.project().or_else(|| {
        row.line(Col::Name).map(|n| ProjectRef {
            id: None,
            name: Some(n),
        })
    });
    let Some(project) = project else {
        let at = if row.scope.lines { "line" } else { "row" };
        row.warnings.push(format!(
            "{at} {}: limits name no project (select the project on the page)",
            row.n
        ));
        return None;
    };
    Some(Project {
        id: project.id,
        name: project.name,
        limits_known: true,
        hard_limit_usd: row.money(Col::HardLimit),
        soft_limit_usd: row.money(Col::SoftLimit),
        sources: vec![row.scope.source.clone()],
        ..Project::default()
    })
}

fn read_usage(row: &mut Row<'_, '_>, currency_ok: bool) -> Option<(UsageKey, Usage)> {
    let usage = Usage {
        requests: row.count(Col::Requests),
        input_tokens: row.count(Col::InputTokens),
        output_tokens: row.count(Col::OutputTokens),
        cost_usd: row.money(Col::Cost).filter(|_| currency_ok),
    };
    if usage.is_empty() {
        // The cost export writes a row for every day, charged or not.
        return None;
    }
    let date = match row.date(Col::Date) {
        Parsed::Date(d) => Some(d),
        _ if row.get(Col::Date).is_some() => {
            let at = if row.scope.lines { "line" } else { "row" };
            row.warnings.push(format!(
                "{at} {}: usage row without a readable date skipped",
                row.n
            ));
            return None;
        }
        _ => None,
    };
    // An `API key` column holds a redaction or, in some exports, the key's name.
    let key_cell = row.get(Col::Secret).map(str::to_string);
    let key_redacted = key_cell.as_deref().and_then(redaction_in);
    let key_name = row
        .text(Col::KeyName)
        .or_else(|| row.text(Col::Name))
        .or_else(|| key_cell.filter(|_| key_redacted.is_none()));
    let project = row.project();
    let (project_id, project_name) = project.map(|p| (p.id, p.name)).unwrap_or_default();
    let key = UsageKey {
        date,
        key_id: row.text(Col::KeyId).or_else(|| row.text(Col::Id)),
        key_redacted,
        key_name,
        project_id,
        project_name,
        user_id: row.text(Col::UserId),
        user_email: row.text(Col::Email),
    };
    Some((key, usage))
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
