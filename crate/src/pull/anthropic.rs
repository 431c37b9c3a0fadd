//! What `keyroster pull anthropic` asks Anthropic's Admin API for (PLATFORM-DATA.md §6): the API
//! keys in every status, users, workspaces (archived too) and each one's members, invites, the
//! messages usage report by key and the cost report from `--since`. Lists page with
//! `after_id=<last_id>`, reports with `page=<next_page>`; every request carries
//! `anthropic-version`.

use jiff::civil::Date;

use super::{unix_start, Endpoint, Feeds, Paging, Puller};

pub const BASE_URL: &str = "https://api.anthropic.com/v1";
/// The API version every request names (the one the documented shapes are of).
pub const VERSION: &str = "2023-06-01";

/// Lists page with `after_id`; the keys list serves up to 1,000 a page, the others 100.
const LIST: Paging = Paging::AfterLastId("after_id");

fn list(path: &str, file: &str, what: &str, feeds: Feeds, extra: &[(&str, &str)]) -> Endpoint {
    Endpoint::list(LIST, path, file, what, feeds, extra)
}

pub(super) fn pull(p: &mut Puller, since: Date) {
    // No `status` filter: every status (active, inactive, archived, expired) is listed.
    p.list(&list(
        "/organizations/api_keys",
        "api_keys",
        "API keys",
        Feeds::Keys,
        &[],
    ));
    p.list(&list(
        "/organizations/users",
        "users",
        "organization users",
        Feeds::Members,
        &[],
    ));
    let workspaces = list(
        "/organizations/workspaces",
        "workspaces",
        "workspaces",
        Feeds::Projects,
        &[("include_archived", "true")],
    );
    match p.list_items(&workspaces) {
        Some(items) => {
            for item in &items {
                let Some(id) = item.get("id").and_then(serde_json::Value::as_str) else {
                    continue;
                };
                let safe: String = id
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .collect();
                p.list(&list(
                    &format!(
                        "/organizations/workspaces/{}/members",
                        super::http::encode(id)
                    ),
                    &format!("{safe}-members"),
                    &format!("the members of workspace {id}"),
                    Feeds::Members,
                    &[],
                ));
            }
        }
        None => p.skip(
            &list(
                "/organizations/workspaces/{workspace_id}/members",
                "members",
                "each workspace's members",
                Feeds::Members,
                &[],
            ),
            "not asked: the workspace list was not fetched whole, so the workspaces to ask about are unknown",
        ),
    }
    p.list(&list(
        "/organizations/invites",
        "invites",
        "invites",
        Feeds::Members,
        &[],
    ));
    let start = jiff::Timestamp::from_second(unix_start(since))
        .map_or_else(|_| format!("{since}T00:00:00Z"), |t| t.to_string());
    p.list(&Endpoint::report(
        "/organizations/usage_report/messages",
        "usage_report-messages",
        "the messages usage report",
        &[
            ("starting_at", &start),
            ("bucket_width", "1d"),
            ("group_by[]", "api_key_id"),
            ("limit", "31"),
        ],
    ));
    p.list(&Endpoint::report(
        "/organizations/cost_report",
        "cost_report",
        "the cost report",
        &[
            ("starting_at", &start),
            ("group_by[]", "workspace_id"),
            ("group_by[]", "description"),
            ("limit", "31"),
        ],
    ));
}
