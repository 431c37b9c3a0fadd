//! Rows into records: a key, a member or service account, a project, a project's limits, or a
//! usage row, each read from the cells of one row whose columns [`super::columns`] recognized.
//!
//! Past 400 lines: one reader per record kind, sharing the [`Row`] cell accessors. Splitting it
//! per kind (keys, people, projects and limits, usage) is the next step when it grows again.

use std::borrow::Cow;

use jiff::civil::Date;

use super::columns::{Col, Columns};
use super::{location, values, Page, Scope};
use crate::ingest::dates::{self, Parsed};
use crate::model::{
    Expiry, Key, KeyKind, LastUsed, Member, Owner, OwnerType, Permissions, Project, ProjectRef,
    Usage, UsageRow,
};
use crate::secret;

/// Key of the usage aggregation: one [`UsageRow`] per distinct value of these. Built per usage
/// row from the row's cells without copying them (a million-row export has a few thousand
/// buckets): only a new bucket's [`UsageRow`] owns its strings ([`UsageKey::to_row`]).
///
/// [`UsageRow`]: crate::model::UsageRow
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct UsageKey<'a> {
    pub(super) date: Option<Date>,
    pub(super) key_id: Option<&'a str>,
    /// Owned only when a cell held a redaction (it is rewritten to its canonical form).
    pub(super) key_redacted: Option<Cow<'a, str>>,
    pub(super) key_name: Option<&'a str>,
    pub(super) project_id: Option<&'a str>,
    pub(super) project_name: Option<&'a str>,
    pub(super) user_id: Option<&'a str>,
    pub(super) user_email: Option<&'a str>,
}

impl<'a> UsageKey<'a> {
    /// The key of a bucket already made.
    pub(super) fn of(row: &'a UsageRow) -> Self {
        let project = row.project.as_ref();
        UsageKey {
            date: row.date,
            key_id: row.key_id.as_deref(),
            key_redacted: row.key_redacted.as_deref().map(Cow::Borrowed),
            key_name: row.key_name.as_deref(),
            project_id: project.and_then(|p| p.id.as_deref()),
            project_name: project.and_then(|p| p.name.as_deref()),
            user_id: row.user_id.as_deref(),
            user_email: row.user_email.as_deref(),
        }
    }

    /// The hash the aggregation table files a bucket under (the same for a key and its bucket).
    pub(super) fn hash(&self) -> u64 {
        use std::hash::{BuildHasher, Hash, Hasher};
        let mut h = rustc_hash::FxBuildHasher.build_hasher();
        Hash::hash(self, &mut h);
        h.finish()
    }

    /// A new bucket: the key's strings copied once.
    pub(super) fn to_row(&self, usage: Usage, source: &str) -> UsageRow {
        let owned = |s: Option<&str>| s.map(str::to_string);
        let project =
            (self.project_id.is_some() || self.project_name.is_some()).then(|| ProjectRef {
                id: owned(self.project_id),
                name: owned(self.project_name),
            });
        UsageRow {
            date: self.date,
            key_id: owned(self.key_id),
            key_redacted: owned(self.key_redacted.as_deref()),
            key_name: owned(self.key_name),
            project,
            user_id: owned(self.user_id),
            user_email: owned(self.user_email),
            model: None,
            line_item: None,
            usage,
            source: source.to_string(),
            provider: None,
        }
    }
}

/// One row being read: its scrubbed cells and what is needed to read them.
pub(super) struct Row<'a, 'c> {
    pub(super) cells: &'a [Cow<'c, str>],
    pub(super) hints: &'a [Option<&'a str>],
    /// Chips shown beside a cell's text, by column (empty for CSV).
    pub(super) badges: &'a [&'a [String]],
    pub(super) cols: &'a Columns,
    pub(super) headers: &'a [String],
    pub(super) scope: &'a Scope,
    pub(super) n: u64,
    pub(super) warnings: &'a mut Vec<String>,
}

impl<'a> Row<'a, '_> {
    /// [`Row::text`] borrowed from the cells for as long as they live, not for as long as the
    /// row is borrowed: what the usage key is built from.
    fn text_ref(&self, c: Col) -> Option<&'a str> {
        self.get_ref(c).filter(|t| !values::is_empty_text(t))
    }

    /// [`Row::get`], borrowed as [`Row::text_ref`] is.
    fn get_ref(&self, c: Col) -> Option<&'a str> {
        let cells = self.cells;
        self.cols.get(c)?.iter().find_map(|&i| {
            let t = cells.get(i)?.as_ref().trim();
            (!t.is_empty()).then_some(t)
        })
    }

    /// The project a row names, borrowed: a `project` cell may stack the id and the name; a
    /// `project_name` or `project_id` column wins; else the scope's project (a project's page).
    fn project_ref(&self) -> (Option<&'a str>, Option<&'a str>) {
        let (mut id, mut name) = (None, None);
        if let Some(t) = self.text_ref(Col::Project) {
            for l in t.lines().map(str::trim).filter(|l| !l.is_empty()) {
                if l.starts_with("proj_") && !l.contains(' ') {
                    id.get_or_insert(l);
                } else {
                    name.get_or_insert(l);
                }
            }
        }
        // A `project_name` column is a name, whatever it looks like.
        if let Some(n) = self.text_ref(Col::ProjectName) {
            name = Some(n);
        }
        if let Some(i) = self.text_ref(Col::ProjectId) {
            id = Some(i);
        }
        match (id, name, self.scope.project.as_ref()) {
            (None, None, Some(p)) => (p.id.as_deref(), p.name.as_deref()),
            found => (found.0, found.1),
        }
    }
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
            .filter(|t| !values::is_empty_text(t))
            .map(str::to_string)
    }

    /// Lines of a stacked cell joined as one line of text.
    fn line(&self, c: Col) -> Option<String> {
        self.get(c).filter(|t| !values::is_empty_text(t)).map(|t| {
            t.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
    }

    /// The chips shown in a column's cells, lower case.
    fn badges(&self, cs: &[Col]) -> Vec<String> {
        cs.iter()
            .filter_map(|&c| self.cols.get(c))
            .flatten()
            .filter_map(|&i| self.badges.get(i))
            .flat_map(|b| b.iter().map(|s| s.to_lowercase()))
            .collect()
    }

    /// True when a column's cells carry the chip `b` (lower case).
    fn badged(&self, cs: &[Col], b: &str) -> bool {
        self.badges(cs).iter().any(|x| x == b)
    }

    /// An owner from a column's text and the chips beside it: `deploy-bot` with a
    /// `Service account` chip is a service account named deploy-bot; `You` (as text or chip,
    /// with no name beside it) is the signed-in person when the page names them.
    fn owner_in(&self, c: Col) -> Option<Owner> {
        let text = self.text(c);
        let chips = self.badges(&[c]);
        if text.is_none() && chips.is_empty() {
            return None;
        }
        let mut owner = values::owner(text.as_deref().unwrap_or(""));
        if chips.iter().any(|b| b == "service account") {
            owner.kind = OwnerType::ServiceAccount;
        } else if owner.kind == OwnerType::Unknown && chips.iter().any(|b| b == "you") {
            owner.kind = OwnerType::User;
        }
        let is_you = text
            .as_deref()
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("you"))
            || chips.iter().any(|b| b == "you");
        if is_you && owner.kind == OwnerType::User {
            if let Some(v) = &self.scope.viewer {
                let same = match (&owner.name, &v.name, &owner.email, &v.email) {
                    (None, _, None, _) => true,
                    (Some(a), Some(b), _, _) => a.eq_ignore_ascii_case(b),
                    (_, _, Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                    _ => false,
                };
                if same {
                    owner.name = owner.name.or_else(|| v.name.clone());
                    owner.email = owner.email.or_else(|| v.email.clone());
                }
            }
        }
        Some(owner)
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
        match self.project_ref() {
            (None, None) => self.scope.project.clone(),
            (id, name) => Some(ProjectRef {
                id: id.map(str::to_string),
                name: name.map(str::to_string),
            }),
        }
    }

    /// False (with one warning per table) when amounts are in a currency other than USD.
    pub(super) fn currency_ok(&mut self, warned: &mut bool) -> bool {
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

pub(super) fn read_key(row: &mut Row<'_, '_>) -> Key {
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
    if let Some(p) = key
        .redacted
        .as_deref()
        .and_then(crate::ingest::providers::by_key_value)
    {
        key.provider = p;
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
        if let Some(o) = row.owner_in(Col::Owner) {
            owner = o;
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
            _ if owner.kind == OwnerType::ServiceAccount
                || row.badged(&[Col::Name, Col::KeyName], "service account") =>
            {
                KeyKind::ServiceAccount
            }
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
                .owner_in(Col::CreatedBy)
                .filter(|o| o.kind == OwnerType::ServiceAccount)
                .unwrap_or(Owner {
                    kind: OwnerType::ServiceAccount,
                    ..Owner::default()
                });
        } else if let Some(by) = row.owner_in(Col::CreatedBy) {
            owner = by;
        } else if page == Page::UserApiKeys {
            // The profile page lists the viewer's own keys.
            owner = values::owner("You");
            if let Some(v) = &row.scope.viewer {
                owner.name.clone_from(&v.name);
                owner.email.clone_from(&v.email);
            }
        }
    }
    key.owner = owner;
    key.permissions = row.parsed(Col::Permissions, "permissions", values::permissions);
    if key.permissions == Permissions::Unknown {
        // A permission chip beside the name (`checkout-prod  Read only`).
        key.permissions = row
            .badges(&[Col::Name, Col::KeyName, Col::Secret])
            .iter()
            .find_map(|b| match values::permissions(b) {
                Ok(p) if p != Permissions::Unknown => Some(p),
                _ => None,
            })
            .unwrap_or(Permissions::Unknown);
    }
    if key.permissions == Permissions::Unknown
        && page == Page::UserApiKeys
        && !row.cols.has(Col::Permissions)
    {
        // Legacy user keys have full access (help.openai.com 8867743).
        key.permissions = Permissions::All;
    }
    key.created = row.day(Col::Created);
    key.status = row
        .line(Col::Status)
        .map(|s| s.trim().to_lowercase())
        .or_else(|| {
            // A status chip beside the name (`old-eval  Inactive`), as the Console's cards show.
            row.badges(&[Col::Name, Col::KeyName])
                .into_iter()
                .find(|b| matches!(b.as_str(), "active" | "inactive" | "archived" | "expired"))
        });
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

pub(super) fn read_member(row: &mut Row<'_, '_>, service_account: bool) -> Member {
    let (name, stacked_email) = row
        .get(Col::Name)
        .map(values::name_and_email)
        .unwrap_or_default();
    let lower = |s: Option<String>| s.map(|s| s.to_lowercase());
    // Chips beside the name or email (`Owner`, `Invited`, `You`) say the role and status.
    let chips = row.badges(&[Col::Name, Col::Email, Col::Role, Col::Status]);
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
        role: lower(row.line(Col::Role)).or_else(|| {
            chips
                .iter()
                .find(|b| matches!(b.as_str(), "owner" | "reader" | "member" | "admin"))
                .cloned()
        }),
        status: lower(row.line(Col::Status)).or_else(|| {
            chips
                .iter()
                .find(|b| matches!(b.as_str(), "invited" | "pending" | "disabled" | "expired"))
                .map(|b| {
                    if b == "pending" {
                        "invited".to_string()
                    } else {
                        b.clone()
                    }
                })
        }),
        project,
        added: row.day(Col::Added).or_else(|| row.day(Col::Created)),
        sources: vec![row.scope.source.clone()],
    }
}

pub(super) fn read_project(row: &mut Row<'_, '_>) -> Project {
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

pub(super) fn read_limits(row: &mut Row<'_, '_>) -> Option<Project> {
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

pub(super) fn read_usage<'a>(
    row: &mut Row<'a, '_>,
    currency_ok: bool,
) -> Option<(UsageKey<'a>, Usage)> {
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
    let key_cell = row.get_ref(Col::Secret);
    let key_redacted = key_cell.and_then(redaction_in);
    let key_name = row
        .text_ref(Col::KeyName)
        .or_else(|| row.text_ref(Col::Name))
        .or_else(|| key_cell.filter(|_| key_redacted.is_none()));
    let (project_id, project_name) = row.project_ref();
    let key = UsageKey {
        date,
        key_id: row.text_ref(Col::KeyId).or_else(|| row.text_ref(Col::Id)),
        key_redacted: key_redacted.map(Cow::Owned),
        key_name,
        project_id,
        project_name,
        user_id: row.text_ref(Col::UserId),
        user_email: row.text_ref(Col::Email),
    };
    Some((key, usage))
}
