//! Rows into records: a key, a member or service account, a project, a project's limits, or a
//! usage row, each read from the cells of one row whose columns [`super::columns`] recognized.
//! The [`Row`] cell accessors are shared; keys ([`keys`]) and usage ([`usage`]) have their own
//! files, people, projects and limits (a few lines each) stay here.

use jiff::civil::Date;

use super::columns::{Col, Columns};
use super::{location, values, Page, Scope};
use crate::ingest::dates::{self, Parsed};
use crate::model::{Member, Owner, OwnerType, Project, ProjectRef};
use crate::secret;

mod buckets;
mod keys;
mod usage;

pub(super) use buckets::UsageIndex;
pub(super) use keys::read_key;
pub(super) use usage::read_usage;

/// One row being read: its scrubbed cells and what is needed to read them.
pub(super) struct Row<'a, 'c> {
    pub(super) cells: &'a [&'c str],
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
            let t = values::trim(cells.get(i)?);
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
            let t = values::trim(self.cells.get(i)?);
            (!t.is_empty()).then_some((i, t))
        })
    }

    /// The first non-blank cell of a column, untrimmed.
    fn raw(&self, c: Col) -> Option<&str> {
        self.cols.get(c)?.iter().find_map(|&i| {
            let t = self.cells.get(i)?;
            (!values::trim(t).is_empty()).then_some(*t)
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
            // Borrowed from the cells, not from the row: the warning below needs `&mut self`.
            let cells = self.cells;
            let Some(text) = cells.get(i).map(|t| values::trim(t)) else {
                continue;
            };
            if text.is_empty() {
                continue;
            }
            // A stacked cell (`Oct 15, 2023` over `by Ada`): the first line that is a date.
            let parsed = std::iter::once(text)
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
