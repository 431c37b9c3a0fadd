//! `pull.json`, the [`Manifest`] of a pull folder: when and from where it was pulled, each
//! endpoint with its pages, records and files, and each one that was not fetched whole and why.
//! `audit` reads it back ([`super::folder`]) to name what is missing and the rules it affects.

use std::path::Path;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::Provider;

/// What an endpoint's responses give the audit, so a missing one can be named with the rules
/// that read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Feeds {
    /// The keys themselves: every rule judges them.
    Keys,
    /// Admin keys.
    AdminKeys,
    /// Projects (and, through them, each project's keys and members).
    Projects,
    /// Who the members are (users, project users, workspace members, invites).
    Members,
    /// Owner names of service accounts.
    ServiceAccounts,
    /// Daily usage or cost.
    DailyUsage,
    /// Scopes from audit log events.
    Permissions,
}

/// Whether an endpoint was fetched to the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Complete,
    /// Failed part-way or from the start: `error` says why; `files` hold the pages before it.
    Failed,
    /// Not asked: what it depends on failed, or the pull stopped (a `401`).
    Skipped,
}

/// One endpoint in `pull.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndpointRecord {
    pub endpoint: String,
    pub lists: String,
    pub feeds: Feeds,
    pub status: Status,
    pub pages: usize,
    /// Items in the pages written (a report's results, not its buckets).
    pub records: usize,
    pub files: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// `pull.json`: what a pull fetched and what it did not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub provider: Provider,
    pub base_url: String,
    /// The admin key's redaction, so a reader knows which key pulled.
    pub key: String,
    pub started_at: String,
    pub finished_at: String,
    /// The first day of usage and costs asked for.
    pub since: Date,
    /// True when every endpoint was fetched to its last page.
    pub complete: bool,
    /// The endpoints that were not fetched whole (their records say why).
    pub missing: Vec<String>,
    pub endpoints: Vec<EndpointRecord>,
}

impl Manifest {
    pub fn missing(&self) -> impl Iterator<Item = &EndpointRecord> {
        self.endpoints
            .iter()
            .filter(|e| e.status != Status::Complete)
    }

    /// Lines for stderr: what was written where, then each endpoint missing and why.
    pub fn summary(&self, out: &Path) -> Vec<String> {
        let fetched = self.endpoints.len() - self.missing().count();
        let pages: usize = self.endpoints.iter().map(|e| e.pages).sum();
        let records: usize = self.endpoints.iter().map(|e| e.records).sum();
        let mut lines = vec![format!(
            "pulled {fetched} of {} endpoint(s) from {}: {pages} page(s), {records} record(s) in {}",
            self.endpoints.len(),
            self.base_url,
            out.display()
        )];
        for e in self.missing() {
            lines.push(format!(
                "missing {} ({}): {}",
                e.lists,
                e.endpoint,
                e.error.as_deref().unwrap_or("not fetched")
            ));
        }
        lines
    }
}
