//! The [`Report`]: what analysis makes of an [`Inventory`](crate::Inventory), and what every
//! renderer and exporter reads. Its serde form is the report JSON of SPEC.md ("Outputs"), a stable
//! contract: add fields, never rename or remove them.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::analyze::coverage::Coverage;
use crate::model::{Key, LastUsed, Member, Project, Source, UnlistedKey};

/// How bad a finding is. Ordered: `Info < Low < Medium < High < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// Highest first, the order reports list them in.
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "info" => Ok(Severity::Info),
            "low" => Ok(Severity::Low),
            "medium" => Ok(Severity::Medium),
            "high" => Ok(Severity::High),
            "critical" => Ok(Severity::Critical),
            other => Err(format!(
                "unknown severity {other:?} (expected critical, high, medium, low or info)"
            )),
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Counts of unmuted findings by severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SeverityCounts {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
}

impl SeverityCounts {
    pub fn add(&mut self, s: Severity) {
        *self.get_mut(s) += 1;
    }
    pub fn get(&self, s: Severity) -> usize {
        match s {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
            Severity::Info => self.info,
        }
    }
    fn get_mut(&mut self, s: Severity) -> &mut usize {
        match s {
            Severity::Critical => &mut self.critical,
            Severity::High => &mut self.high,
            Severity::Medium => &mut self.medium,
            Severity::Low => &mut self.low,
            Severity::Info => &mut self.info,
        }
    }
    pub fn total(&self) -> usize {
        self.critical + self.high + self.medium + self.low + self.info
    }
}

/// A key as reported: the merged [`Key`] plus what analysis says of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyReport {
    #[serde(flatten)]
    pub key: Key,
    /// Days from `created` to `as_of`.
    pub age_days: Option<i64>,
    /// Days from `last_used` to `as_of` (unknown when last use is unknown or never).
    pub idle_days: Option<i64>,
    /// Used within the policy's `active_days` of `as_of` ([`Summary::active_days`]).
    pub active: bool,
    /// Ids of the rules that fired on this key (muted ones included), in severity order.
    pub rules: Vec<String>,
    /// The highest severity among its unmuted findings; serialized `"none"` when there is none.
    #[serde(with = "risk_serde")]
    pub risk: Option<Severity>,
    /// Set when a previous audit was compared: `added` (not in the previous one) or `kept`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<String>,
    /// For a key whose platform lists no last use (Anthropic): the last day a usage report read
    /// beside it shows it used. Not a last-used date: days after the report are unseen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<Date>,
}

/// What a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Target {
    /// `key`, `unlisted_key` (a key id only usage names: [`Report::unlisted_keys`]), `project`,
    /// `org` or `source`.
    pub kind: String,
    /// Index into [`Report::keys`] for key findings.
    pub key_index: Option<usize>,
    pub key_id: Option<String>,
    pub key_name: Option<String>,
    pub redacted: Option<String>,
    /// Project label (name, else id).
    pub project: Option<String>,
    /// Owner label (name, else email, else id).
    pub owner: Option<String>,
    /// Source name, for findings about an input (an exposed secret in a file).
    pub source: Option<String>,
}

/// A mute from the policy that covers a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Muted {
    pub reason: String,
    pub until: Option<Date>,
}

/// One rule's verdict on one key, project or the organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    /// What the finding is about, as every renderer prints it (see [`subject`]).
    #[serde(default)]
    pub subject: String,
    pub target: Target,
    /// One line with the evidence: dates, counts, names.
    pub message: String,
    pub remediation: String,
    /// Muted findings stay in the report, marked.
    pub muted: Option<Muted>,
    /// Set when a previous audit was compared: `new` or `open` (still open).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<String>,
}

/// Whether a rule ran, and why not when it did not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleRun {
    pub rule: String,
    pub severity: Severity,
    pub enabled: bool,
    pub ran: bool,
    /// "did not run, because …" when `ran` is false.
    pub reason: Option<String>,
    /// When it ran but could not judge every key: which ones, and why (`owner unknown: …`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub findings: usize,
}

/// One row of a grouping (one owner, one project, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct GroupRow {
    /// What the rows are grouped by: the owner's label, the project's, `user`, `high`...
    pub label: String,
    /// A second identifying detail: the owner's email, the project's id.
    pub detail: Option<String>,
    /// For owner groups: the owner's type.
    pub owner_type: Option<String>,
    pub keys: usize,
    pub active_keys: usize,
    pub last_used: LastUsed,
    pub cost_usd: Option<f64>,
    pub findings: SeverityCounts,
    /// Indexes into [`Report::keys`] of this group's keys.
    pub key_indexes: Vec<usize>,
    /// For owner groups: the owner's organization and project roles and membership.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<crate::analyze::roles::OwnerRoles>,
}

/// The one place labels are written: the owner group a key is in.
pub fn owner_label(key: &Key) -> String {
    owner_label_str(key).to_string()
}

/// [`owner_label`], borrowed from the key (or the placeholder): for grouping thousands of keys
/// without a `String` each.
pub fn owner_label_str(key: &Key) -> &str {
    or_placeholder(key.owner.label(), "(unknown owner)")
}

/// The project group a key is in.
pub fn project_label(key: &Key) -> String {
    project_label_str(key).to_string()
}

/// [`project_label`], borrowed from the key (or the placeholder).
pub fn project_label_str(key: &Key) -> &str {
    or_placeholder(
        key.project.as_ref().map_or("", |p| p.label()),
        "(no project)",
    )
}

/// A key's name as shown.
pub fn key_name(name: &str) -> String {
    or_placeholder(name, "(unnamed)").to_string()
}

/// A key as lists show it: its name and redacted value, `deploy (sk-proj-...a1B2)`.
pub fn key_label(name: &str, redacted: Option<&str>) -> String {
    let shown = or_placeholder(name, "(unnamed)");
    // Pushed into one allocation of the right size, not `format!`ed nor grown: one label per
    // finding, ten thousand on a large page.
    let mut label = String::with_capacity(shown.len() + redacted.map_or(0, |r| r.len() + 3));
    label.push_str(shown);
    if let Some(r) = redacted {
        label.push_str(" (");
        label.push_str(r);
        label.push(')');
    }
    label
}

fn or_placeholder<'a>(label: &'a str, placeholder: &'a str) -> &'a str {
    if label.trim().is_empty() {
        placeholder
    } else {
        label
    }
}

/// What a finding is about, in one line: `deploy (sk-proj-...a1B2)`, `project Backend`, the
/// input's name, or `organization`. Stored in [`Finding::subject`].
pub fn subject(t: &Target) -> String {
    match t.kind.as_str() {
        "key" => key_label(t.key_name.as_deref().unwrap_or(""), t.redacted.as_deref()),
        "project" => format!("project {}", t.project.as_deref().unwrap_or("?")),
        "source" => t.source.clone().unwrap_or_else(|| "input".into()),
        "unlisted_key" => format!("unlisted key {}", t.key_id.as_deref().unwrap_or("?")),
        _ => "organization".into(),
    }
}

/// Keys per owner (rows) and project (columns).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Matrix {
    pub owners: Vec<String>,
    pub projects: Vec<String>,
    /// `cells[owner][project]` = number of keys.
    pub cells: Vec<Vec<usize>>,
    /// `worst[owner][project]` = the highest risk among that cell's keys (`None`: no key, or no
    /// unmuted finding). Absent from report JSON written before it existed.
    #[serde(default)]
    pub worst: Vec<Vec<Option<Severity>>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Groups {
    pub by_owner: Vec<GroupRow>,
    pub by_project: Vec<GroupRow>,
    pub by_owner_type: Vec<GroupRow>,
    pub by_permission: Vec<GroupRow>,
    pub by_risk: Vec<GroupRow>,
    pub matrix: Matrix,
    /// Keys by age (days since created), one row per bucket of [`AGE_BUCKETS`] in that order,
    /// empty buckets included: the "Keys by age" chart of the report UI and the HTML report.
    #[serde(default)]
    pub by_age: Vec<GroupRow>,
}

/// The age buckets of [`Groups::by_age`]: label and the first age (days) past the bucket; the
/// last one, `unknown`, holds keys whose creation date no input gave.
pub const AGE_BUCKETS: [(&str, Option<i64>); 6] = [
    ("< 30 days", Some(30)),
    ("30–89 days", Some(90)),
    ("90–179 days", Some(180)),
    ("180–364 days", Some(365)),
    ("1 year +", None),
    ("unknown", None),
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Summary {
    pub keys: usize,
    pub active_keys: usize,
    /// A key is active when used within this many days of `as_of` (the policy's `active_days`).
    #[serde(default)]
    pub active_days: i64,
    pub owners: usize,
    pub projects: usize,
    pub members: usize,
    /// Unmuted findings by severity.
    pub findings: SeverityCounts,
    pub muted: usize,
    pub exposed_secrets: usize,
    pub cost_usd: Option<f64>,
    pub sources_read: usize,
    pub sources_failed: usize,
    /// Key ids with usage that no key read carries ([`Report::unlisted_keys`]), and their cost.
    #[serde(default)]
    pub unlisted_keys: usize,
    #[serde(default)]
    pub unlisted_cost_usd: Option<f64>,
    /// The same totals per provider, when the roster holds more than OpenAI's keys (see
    /// [`crate::analyze::by_provider`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub providers: Vec<crate::analyze::by_provider::ProviderTotals>,
}

/// A key or finding that was in the previous audit and is gone now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Gone {
    pub rule: Option<String>,
    pub key_id: Option<String>,
    pub key_name: Option<String>,
    pub redacted: Option<String>,
    pub project: Option<String>,
    pub message: Option<String>,
}

/// The difference from a previous audit (SPEC.md, "Comparing audits").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Comparison {
    pub previous_as_of: Option<Date>,
    pub keys_added: usize,
    pub keys_removed: Vec<Gone>,
    pub findings_new: usize,
    pub findings_open: usize,
    pub findings_fixed: Vec<Gone>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Report {
    pub as_of: Option<Date>,
    pub org: Option<String>,
    /// The policy preset the report was made with (`default`, `cis`, `strict`, or `custom`).
    pub policy: String,
    pub sources: Vec<Source>,
    pub keys: Vec<KeyReport>,
    pub members: Vec<Member>,
    pub projects: Vec<Project>,
    pub groups: Groups,
    /// Highest severity first.
    pub findings: Vec<Finding>,
    pub rules: Vec<RuleRun>,
    pub summary: Summary,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison: Option<Comparison>,
    /// Usage under key ids no page or file read lists (deleted keys, unvisited projects).
    #[serde(default)]
    pub unlisted_keys: Vec<UnlistedKey>,
    /// What was read against what could have been (SPEC.md, "Coverage").
    #[serde(default)]
    pub coverage: Coverage,
}

impl Report {
    /// The first `n` findings, unmuted ones first (each part highest severity first): what a
    /// short list such as the popup's shows, so muted findings never hide an unmuted one.
    pub fn top_findings(&self, n: usize) -> Vec<&Finding> {
        let unmuted = self.findings.iter().filter(|f| f.muted.is_none());
        let muted = self.findings.iter().filter(|f| f.muted.is_some());
        unmuted.chain(muted).take(n).collect()
    }
}

mod risk_serde {
    use super::Severity;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<Severity>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(v.map_or("none", Severity::as_str))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Severity>, D::Error> {
        let s: Option<String> = Option::deserialize(d)?;
        match s.as_deref() {
            None | Some("") | Some("none") => Ok(None),
            Some(s) => s.parse().map(Some).map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_labels_name_the_key_and_its_redaction() {
        assert_eq!(
            key_label("deploy", Some("sk-proj-...a1B2")),
            "deploy (sk-proj-...a1B2)"
        );
        assert_eq!(key_label(" ", Some("sk-...x")), "(unnamed) (sk-...x)");
        assert_eq!(key_label("ci", None), "ci");
        assert_eq!(key_label("", None), key_name(""));
    }
}
