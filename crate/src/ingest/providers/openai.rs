//! OpenAI's platform (platform.openai.com): hosts, key prefixes, id prefixes, and which
//! settings page a path is. Its Administration API shapes are read by `ingest::json::admin`,
//! `usage` and `audit` (PLATFORM-DATA.md §1–§5).

use super::Info;
use crate::ingest::table::Page;
use crate::model::{KeyKind, Provider};

pub static INFO: Info = Info {
    provider: Provider::Openai,
    label: "OpenAI",
    hosts: &["platform.openai.com"],
    prefixes: &[
        ("sk-proj-", KeyKind::Project),
        ("sk-svcacct-", KeyKind::ServiceAccount),
        ("sk-admin-", KeyKind::Admin),
        ("sk-None-", KeyKind::User),
        ("sk-service-", KeyKind::ServiceAccount),
        ("sk-", KeyKind::User),
    ],
    scope_noun: "project",
    scope_title: "Project",
    lists_last_use: true,
    key_permissions: true,
    kind_names: &[],
    page_of_path,
};

/// Ids only OpenAI issues.
pub const ID_PREFIXES: &[&str] = &["proj_", "key_", "user-", "svc_acct_", "org-"];

/// Which settings page a lower-case path is (`/settings/organization/api-keys`,
/// `/settings/proj_…/members`, the legacy `/account/api-keys`).
pub fn page_of_path(path: &str) -> Option<Page> {
    let org = path.contains("/settings/organization/");
    if path.contains("/admin-keys") {
        Some(Page::AdminKeys)
    } else if path.contains("/settings/profile/api-keys")
        || path.contains("/account/api-keys")
        || path.contains("/settings/profile/user-api-keys")
    {
        Some(Page::UserApiKeys)
    } else if path.contains("/api-keys") {
        Some(if org {
            Page::OrgApiKeys
        } else {
            Page::ProjectApiKeys
        })
    } else if path.contains("/service-accounts") {
        Some(Page::ServiceAccounts)
    } else if path.contains("/members") || path.contains("/people") || path.contains("/team") {
        Some(if org {
            Page::OrgMembers
        } else {
            Page::ProjectMembers
        })
    } else if path.contains("/limits") || path.contains("/billing/limits") {
        Some(Page::Limits)
    } else if path.contains("/projects") {
        Some(Page::Projects)
    } else if path.contains("/usage") {
        Some(Page::Usage)
    } else {
        None
    }
}
