//! The normalized model every input is read into: the [`Inventory`].
//!
//! Ingest fills it, analysis reads it. Nothing here parses or judges; these are plain data types
//! whose serde form is part of the report JSON contract (see SPEC.md, "The normalized model").
//!
//! Two distinctions matter everywhere and are kept in the types rather than in conventions:
//! "never used" vs "unknown" ([`LastUsed`]) and "no limit" vs "limits not known" ([`Project`]).
//!
//! One file past 400 lines because it is one concept: the types every layer shares, read
//! together (a key's fields and the enums they use), with no logic beyond small accessors.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

mod source;
pub use source::{Seen, Source, SourceKind, UsageWindow};

/// Which platform a key belongs to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    #[default]
    Openai,
    Anthropic,
}

impl Provider {
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Openai => "openai",
            Provider::Anthropic => "anthropic",
        }
    }
}

/// What sort of key this is, from its prefix and from the page or file it was read from.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum KeyKind {
    /// `sk-proj-…`: scoped to one project.
    Project,
    /// Legacy `sk-…` user key: reaches every project of the organization.
    User,
    /// `sk-svcacct-…`: owned by a service account.
    ServiceAccount,
    /// `sk-admin-…`: Administration API key.
    Admin,
    #[default]
    Unknown,
}

impl KeyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::Project => "project",
            KeyKind::User => "user",
            KeyKind::ServiceAccount => "service_account",
            KeyKind::Admin => "admin",
            KeyKind::Unknown => "unknown",
        }
    }
}

/// Who owns a key.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum OwnerType {
    User,
    ServiceAccount,
    Organization,
    #[default]
    Unknown,
}

impl OwnerType {
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerType::User => "user",
            OwnerType::ServiceAccount => "service_account",
            OwnerType::Organization => "organization",
            OwnerType::Unknown => "unknown",
        }
    }
}

/// The permission level a key was created with.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Permissions {
    All,
    Restricted,
    ReadOnly,
    #[default]
    Unknown,
}

impl Permissions {
    pub fn as_str(self) -> &'static str {
        match self {
            Permissions::All => "all",
            Permissions::Restricted => "restricted",
            Permissions::ReadOnly => "read_only",
            Permissions::Unknown => "unknown",
        }
    }
}

/// When a key was last used. "Never" and "unknown" are different facts.
///
/// Serializes as `"YYYY-MM-DD"`, `"never"`, or `null` (unknown), as the report JSON requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LastUsed {
    Date(Date),
    Never,
    #[default]
    Unknown,
}

impl LastUsed {
    pub fn date(self) -> Option<Date> {
        match self {
            LastUsed::Date(d) => Some(d),
            _ => None,
        }
    }
    /// How much a source knows: a date beats "never" beats "unknown" when merging.
    pub fn rank(self) -> u8 {
        match self {
            LastUsed::Date(_) => 2,
            LastUsed::Never => 1,
            LastUsed::Unknown => 0,
        }
    }
}

impl Serialize for LastUsed {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            LastUsed::Date(d) => s.collect_str(d),
            LastUsed::Never => s.serialize_str("never"),
            LastUsed::Unknown => s.serialize_none(),
        }
    }
}

impl<'de> Deserialize<'de> for LastUsed {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v: Option<String> = Option::deserialize(d)?;
        match v.as_deref() {
            None | Some("") => Ok(LastUsed::Unknown),
            Some("never") => Ok(LastUsed::Never),
            Some(s) => s
                .parse::<Date>()
                .map(LastUsed::Date)
                .map_err(serde::de::Error::custom),
        }
    }
}

/// When a key expires. Serializes as `"YYYY-MM-DD"`, `"never"`, or `null` (unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Expiry {
    Date(Date),
    Never,
    #[default]
    Unknown,
}

impl Expiry {
    pub fn date(self) -> Option<Date> {
        match self {
            Expiry::Date(d) => Some(d),
            _ => None,
        }
    }
    pub fn rank(self) -> u8 {
        match self {
            Expiry::Date(_) => 2,
            Expiry::Never => 1,
            Expiry::Unknown => 0,
        }
    }
}

impl Serialize for Expiry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Expiry::Date(d) => s.collect_str(d),
            Expiry::Never => s.serialize_str("never"),
            Expiry::Unknown => s.serialize_none(),
        }
    }
}

impl<'de> Deserialize<'de> for Expiry {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v: Option<String> = Option::deserialize(d)?;
        match v.as_deref() {
            None | Some("") => Ok(Expiry::Unknown),
            Some("never") => Ok(Expiry::Never),
            Some(s) => s
                .parse::<Date>()
                .map(Expiry::Date)
                .map_err(serde::de::Error::custom),
        }
    }
}

/// Whether a key's owner still has access to the key's project (Admin API
/// `owner_project_access`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnerAccess {
    Active,
    Inactive,
}

/// A project reference as a key or member carries it: either part may be unknown.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
pub struct ProjectRef {
    pub id: Option<String>,
    pub name: Option<String>,
}

impl ProjectRef {
    pub fn is_empty(&self) -> bool {
        self.id.is_none() && self.name.is_none()
    }
    /// A label for display and grouping: the name, else the id.
    pub fn label(&self) -> &str {
        self.name.as_deref().or(self.id.as_deref()).unwrap_or("")
    }
}

/// A key's owner.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Owner {
    #[serde(rename = "type")]
    pub kind: OwnerType,
    pub name: Option<String>,
    pub email: Option<String>,
    pub id: Option<String>,
}

impl Owner {
    /// A label for display and grouping: the name, else the email, else the id.
    pub fn label(&self) -> &str {
        self.name
            .as_deref()
            .or(self.email.as_deref())
            .or(self.id.as_deref())
            .unwrap_or("")
    }
}

/// A field a key's owner and a member can both carry, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchField {
    Id,
    Email,
    /// The name as a person would compare it: Unicode-normalized, case, spacing and accents
    /// ignored (`José  Álvarez` is `jose alvarez`).
    Name,
}

/// How linking decided whether a key's owner is among the members that were read. Filled by
/// [`crate::ingest::merge::link`] from every member read (organization and project members,
/// any status), recomputed on every link; the `owner-departed` rule reads it.
///
/// A field counts as *shared* when the owner has it and at least one member has it too; only
/// shared fields can say anything. Fields are tried id, then email, then name; the name is
/// tried only when neither an id nor an email is shared, because an id or email that no
/// member has means a different person who may happen to share a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum OwnerMatch {
    /// No member list was read (or the inventory was not linked): nothing was decided.
    #[default]
    Unchecked,
    /// The owner is a member. The owner's missing id, name and email were filled from that
    /// member, and `by` is the strongest field (id, then email, then name) the two then share,
    /// so it does not depend on the order inputs were read in. A rule can look the member up
    /// by `by` and judge their status (a
    /// matched member may be `removed`). A name two members share still counts as a match on
    /// the name, though no details are copied from either.
    Member { by: MatchField },
    /// Owner and members share the fields in `on`, and no member carries the owner's value in
    /// any of them: the owner is not among the members read (the case for `owner-departed`).
    NotMember { on: Vec<MatchField> },
    /// The owner and the members share no field (say, the owner is known only by a user id and
    /// the members page shows names and emails): membership is unknown, not "departed".
    Unknown,
}

impl OwnerMatch {
    pub fn is_unchecked(&self) -> bool {
        *self == OwnerMatch::Unchecked
    }
}

/// Usage totals. Every part may be unknown independently (a cost export has no tokens).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Usage {
    pub requests: Option<u64>,
    pub input_tokens: Option<u64>,
    pub output_tokens: Option<u64>,
    pub cost_usd: Option<f64>,
}

impl Usage {
    /// Adds `other` into `self`; a part known on either side becomes known.
    pub fn add(&mut self, other: &Usage) {
        fn sum<T: std::ops::Add<Output = T> + Copy>(a: Option<T>, b: Option<T>) -> Option<T> {
            match (a, b) {
                (Some(a), Some(b)) => Some(a + b),
                (a, None) => a,
                (None, b) => b,
            }
        }
        self.requests = sum(self.requests, other.requests);
        self.input_tokens = sum(self.input_tokens, other.input_tokens);
        self.output_tokens = sum(self.output_tokens, other.output_tokens);
        self.cost_usd = sum(self.cost_usd, other.cost_usd);
    }
    pub fn is_empty(&self) -> bool {
        self.requests.is_none()
            && self.input_tokens.is_none()
            && self.output_tokens.is_none()
            && self.cost_usd.is_none()
    }
}

/// One day of a key's usage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DailyUsage {
    pub date: Date,
    #[serde(flatten)]
    pub usage: Usage,
}

/// One API key, as merged from every source that mentioned it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Key {
    pub provider: Provider,
    /// The platform's key id (`key_…`), when a source gave it.
    pub id: Option<String>,
    /// The key's display name; empty when no source named it.
    pub name: String,
    /// The redacted value in canonical form `<visible prefix>...<last 4>` (see
    /// [`crate::secret::canonical_redaction`]). Never a full secret.
    pub redacted: Option<String>,
    pub kind: KeyKind,
    pub project: Option<ProjectRef>,
    pub owner: Owner,
    /// Who created the key, as the page shows it (may differ from the owner for
    /// service-account keys).
    pub created_by: Option<String>,
    pub permissions: Permissions,
    pub created: Option<Date>,
    pub last_used: LastUsed,
    pub expires: Expiry,
    /// Admin API `owner_project_access`, when known.
    pub owner_access: Option<OwnerAccess>,
    /// Whether the owner was found among the members read, and by which field (see
    /// [`OwnerMatch`]). Absent from report JSON written before it existed, and when unchecked.
    #[serde(default, skip_serializing_if = "OwnerMatch::is_unchecked")]
    pub owner_match: OwnerMatch,
    /// Usage totals joined from usage and cost inputs (filled by linking; `None` when no usage
    /// input mentions the key).
    pub usage: Option<Usage>,
    /// Daily series, ascending by date, when a daily usage or cost input was read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub daily: Vec<DailyUsage>,
    /// True when an audit log says the key was deleted.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
    /// When the audit log's `api_key.deleted` event happened, and who did it (email, else id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_by: Option<String>,
    /// The key's audit-log events (created, updated, deleted), oldest first; filled by linking.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<AuditEvent>,
    /// The key's status as the platform lists it (Anthropic: `active`, `inactive`, `archived`,
    /// `expired`), lower case; `None` when no source said. See [`Key::is_disabled`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Names of every page or file this key was read from.
    pub sources: Vec<String>,
}

impl Key {
    /// Listed but switched off (`inactive`, `archived`): it cannot be used, so it is no live
    /// risk. An `expired` key is not disabled: the expiry rules speak for it.
    pub fn is_disabled(&self) -> bool {
        matches!(self.status.as_deref(), Some("inactive" | "archived"))
    }
}

/// A member of the organization or of one project, or a service account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Member {
    pub id: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    /// `user` or `service_account`.
    pub kind: OwnerType,
    /// Organization or project role as shown (`owner`, `reader`, `member`...).
    pub role: Option<String>,
    /// `active`, `invited`, `pending`, `expired`, `removed`... as shown; `None` = active/unknown.
    pub status: Option<String>,
    /// Set for project members and project service accounts.
    pub project: Option<ProjectRef>,
    pub added: Option<Date>,
    pub sources: Vec<String>,
}

/// A project (scope) of the organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Project {
    pub id: Option<String>,
    pub name: Option<String>,
    /// `active` or `archived`, as shown.
    pub status: Option<String>,
    pub created: Option<Date>,
    /// True once a limits page or file for this project was read; only then does a `None`
    /// hard limit mean "no limit".
    #[serde(default)]
    pub limits_known: bool,
    pub hard_limit_usd: Option<f64>,
    pub soft_limit_usd: Option<f64>,
    pub sources: Vec<String>,
}

/// One usage or cost row as read (a day bucket, or a total), before it is joined to keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct UsageRow {
    /// The bucket's day (UTC); `None` for a total over the source's whole period.
    pub date: Option<Date>,
    pub key_id: Option<String>,
    pub key_redacted: Option<String>,
    pub key_name: Option<String>,
    pub project: Option<ProjectRef>,
    pub user_id: Option<String>,
    pub user_email: Option<String>,
    pub model: Option<String>,
    pub line_item: Option<String>,
    #[serde(flatten)]
    pub usage: Usage,
    pub source: String,
    /// The platform the row is from, when the input says (Anthropic's reports do): a row then
    /// joins only that platform's keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<Provider>,
}

impl UsageRow {
    /// What a row counts, without its figures or its source: day, key, project, user, model and
    /// line item. Two rows with the same dimensions are the same bucket.
    #[allow(clippy::type_complexity)]
    pub fn dimensions(
        &self,
    ) -> (
        Option<Date>,
        &Option<String>,
        &Option<String>,
        &Option<String>,
        &Option<ProjectRef>,
        &Option<String>,
        &Option<String>,
        &Option<String>,
        &Option<String>,
    ) {
        (
            self.date,
            &self.key_id,
            &self.key_redacted,
            &self.key_name,
            &self.project,
            &self.user_id,
            &self.user_email,
            &self.model,
            &self.line_item,
        )
    }
}

/// A key lifecycle or membership event from an audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct AuditEvent {
    pub id: Option<String>,
    /// The event type, e.g. `api_key.created`, `user.deleted`.
    pub kind: String,
    pub date: Option<Date>,
    /// The object the event is about (`key_…`, `user-…`).
    pub subject_id: Option<String>,
    pub project: Option<ProjectRef>,
    pub actor_email: Option<String>,
    pub actor_id: Option<String>,
    /// Scopes granted or requested (api_key events).
    #[serde(default)]
    pub scopes: Vec<String>,
    pub source: String,
}

/// Where a full secret was found. The secret itself is never kept: only its redaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExposedSecret {
    pub source: String,
    /// "line 12", "record 3, column Secret key", `$.data[2].value`, ...
    pub location: String,
    /// The canonical redaction of the secret that was found.
    pub redacted: String,
    pub kind: KeyKind,
}

/// Usage or cost under a key id that no key read carries: a key no page read lists (deleted,
/// or on a project nobody opened). Built by linking from the usage rows that joined no key;
/// never merged into a listed key by guesswork: once an input links the id to a key, the key
/// takes the rows and this entry goes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct UnlistedKey {
    pub provider: Provider,
    pub id: String,
    /// The name a usage row gave, when one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub project: Option<ProjectRef>,
    /// The first and last day with usage (dated rows only).
    pub first_day: Option<Date>,
    pub last_day: Option<Date>,
    #[serde(flatten)]
    pub usage: Usage,
    /// When an audit log deleted the id, and who did it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_by: Option<String>,
    /// Usage on days after the deletion: the key (or its id in a later export) still spent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_deletion: Option<Usage>,
    /// The id's audit-log events, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<AuditEvent>,
    pub sources: Vec<String>,
}

/// Everything read from every input, merged. See [`crate::ingest`] for how it is filled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Inventory {
    /// The organization's name, when a page or file showed it.
    pub org: Option<String>,
    pub keys: Vec<Key>,
    pub members: Vec<Member>,
    pub projects: Vec<Project>,
    pub usage: Vec<UsageRow>,
    pub events: Vec<AuditEvent>,
    pub exposed: Vec<ExposedSecret>,
    pub sources: Vec<Source>,
    /// True once any member list (org or project) was read: only then can "not among the
    /// current members" be judged.
    #[serde(default)]
    pub members_known: bool,
    /// Key ids with usage that no key read carries (see [`UnlistedKey`]); recomputed by linking.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unlisted: Vec<UnlistedKey>,
    /// The days each usage report covered, for providers whose key list gives no last-used
    /// date: a key absent from a window was not used in it (see [`UsageWindow`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub usage_windows: Vec<UsageWindow>,
}
