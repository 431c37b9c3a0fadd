//! What a header says: each column's meaning from its name (case-insensitive, synonyms, any
//! punctuation), and from the set of meanings, what the table holds.

use super::{Page, TableKind};

/// A column's meaning, from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Col {
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
pub(super) fn normalize_header(h: &str) -> String {
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

pub(super) fn column(header: &str) -> Option<Col> {
    let h = normalize_header(header);
    let col = match h.as_str() {
        "name" | "display name" | "full name" | "member" | "user" => Col::Name,
        "key name" | "api key name" | "secret key name" => Col::KeyName,
        "secret key" | "key" | "api key" | "redacted key" | "redacted value" | "secret"
        | "redacted" | "api key redacted" | "key value" | "partial key hint" | "key hint" => {
            Col::Secret
        }
        "created" | "created at" | "date created" | "creation date" | "created on" => Col::Created,
        "last used" | "last used at" | "last use" | "last used on" => Col::LastUsed,
        "created by" => Col::CreatedBy,
        "owner" | "owned by" | "key owner" => Col::Owner,
        "permissions" | "permission" | "scopes" | "access level" => Col::Permissions,
        // Anthropic's workspaces are the scope OpenAI's projects are.
        "project" | "project access" | "projects" | "workspace" | "workspaces" => Col::Project,
        "project name" | "workspace name" => Col::ProjectName,
        "project id" | "workspace id" => Col::ProjectId,
        "id" => Col::Id,
        "key id" | "api key id" | "tracking id" => Col::KeyId,
        "tracking" => Col::Tracking,
        "expires" | "expires at" | "expiry" | "expiration" | "expiration date" | "expires on" => {
            Col::Expires
        }
        "email" | "email address" | "user email" | "e mail" => Col::Email,
        "role" | "org role" | "organization role" | "project role" | "workspace role" => Col::Role,
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
pub(super) struct Columns {
    /// Indexed by `Col as usize`: looked up for every cell of every row, so no hashing.
    by_col: Vec<Vec<usize>>,
}

impl Columns {
    pub(super) fn add(&mut self, c: Col, i: usize) {
        if self.by_col.is_empty() {
            self.by_col = vec![Vec::new(); Col::Derived as usize + 1];
        }
        if let Some(v) = self.by_col.get_mut(c as usize) {
            v.push(i);
        }
    }
    pub(super) fn get(&self, c: Col) -> Option<&[usize]> {
        self.by_col
            .get(c as usize)
            .map(Vec::as_slice)
            .filter(|v| !v.is_empty())
    }
    pub(super) fn has(&self, c: Col) -> bool {
        self.get(c).is_some()
    }
    pub(super) fn any(&self, cs: &[Col]) -> bool {
        cs.iter().any(|c| self.has(*c))
    }
}

pub(super) fn decide(cols: &Columns, page: Page) -> Option<TableKind> {
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
