//! Anthropic's Claude Console (platform.claude.com, formerly console.anthropic.com) and Admin
//! API (PLATFORM-DATA.md §6): hosts, key formats, ids, which Console page a path is, and the
//! Admin API and usage-export shapes ([`api`], [`usage_csv`]).
//!
//! Workspaces are the scope keys live in, as OpenAI's projects are; keys outside any named
//! workspace are in the Default workspace, which the Admin API writes as `workspace_id: null`.
//! The Admin API gives no last-used time, so last use comes only from a usage report.
//!
//! UNVERIFIED: the Console's paths below are those its settings pages were served at when last
//! seen (`/settings/keys`, `/settings/workspaces`, `/settings/members`, `/usage`, `/cost`); the
//! page's headings decide when a path is not one of them.

pub mod api;
pub mod usage_csv;

use super::Info;
use crate::ingest::table::Page;
use crate::model::{KeyKind, ProjectRef, Provider};

pub static INFO: Info = Info {
    provider: Provider::Anthropic,
    label: "Anthropic",
    hosts: &["platform.claude.com", "console.anthropic.com"],
    prefixes: &[
        ("sk-ant-admin01-", KeyKind::Admin),
        ("sk-ant-api03-", KeyKind::Project),
        // OAuth access and refresh tokens (Claude Code sign-in): secrets, but no listed key.
        ("sk-ant-oat01-", KeyKind::Unknown),
        ("sk-ant-ort01-", KeyKind::Unknown),
    ],
    scope_noun: "workspace",
    scope_title: "Workspace",
    lists_last_use: false,
    key_permissions: false,
    // Keys live in a workspace, as OpenAI's project keys in a project; the Console calls them
    // API keys. Admin and service-account keys keep their names.
    kind_names: &[(KeyKind::Project, "api")],
    page_of_path,
};

/// What every Anthropic secret starts with.
pub const KEY_FAMILY: &str = "sk-ant-";

/// Ids only Anthropic issues: API keys, workspaces, users, service accounts, invites.
pub const ID_PREFIXES: &[&str] = &["apikey_", "wrkspc_", "user_01", "svac_", "invite_"];

/// The workspace every organization has, which the Admin API does not list.
pub const DEFAULT_WORKSPACE: &str = "Default";

/// The scope of a key or row whose `workspace_id` is `null` or absent: the Default workspace.
pub fn workspace(id: Option<String>, name: Option<String>) -> ProjectRef {
    match (id, name) {
        (None, None) => ProjectRef {
            id: None,
            name: Some(DEFAULT_WORKSPACE.into()),
        },
        (id, name) => ProjectRef { id, name },
    }
}

/// Which Console page a lower-case path is.
pub fn page_of_path(path: &str) -> Option<Page> {
    let in_workspace = path.contains("/workspaces/");
    if path.contains("/admin-keys") {
        Some(Page::AdminKeys)
    } else if path.contains("/keys") || path.contains("/api-keys") {
        Some(if in_workspace {
            Page::ProjectApiKeys
        } else {
            Page::OrgApiKeys
        })
    } else if path.contains("/members") {
        Some(if in_workspace {
            Page::ProjectMembers
        } else {
            Page::OrgMembers
        })
    } else if path.contains("/limits") {
        Some(Page::Limits)
    } else if path.ends_with("/workspaces") || path.ends_with("/workspaces/") {
        Some(Page::Projects)
    } else if path.contains("/usage") || path.contains("/cost") {
        Some(Page::Usage)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn console_paths_name_their_pages() {
        assert_eq!(page_of_path("/settings/keys"), Some(Page::OrgApiKeys));
        assert_eq!(page_of_path("/settings/admin-keys"), Some(Page::AdminKeys));
        assert_eq!(page_of_path("/settings/workspaces"), Some(Page::Projects));
        assert_eq!(
            page_of_path("/settings/workspaces/wrkspc_01jwq/keys"),
            Some(Page::ProjectApiKeys)
        );
        assert_eq!(page_of_path("/settings/members"), Some(Page::OrgMembers));
        assert_eq!(page_of_path("/usage"), Some(Page::Usage));
        assert_eq!(page_of_path("/dashboard"), None);
    }

    #[test]
    fn a_missing_workspace_is_the_default_one() {
        assert_eq!(workspace(None, None).label(), "Default");
        assert_eq!(
            workspace(Some("wrkspc_01".into()), None).id.as_deref(),
            Some("wrkspc_01")
        );
    }
}
