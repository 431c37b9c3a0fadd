//! What `keyroster pull openai` asks the OpenAI Administration API for (PLATFORM-DATA.md §2,
//! §3, §7): projects with the archived ones, each project's keys with `owner_project_access=any`
//! (without it, keys of owners who lost access can be hidden: exactly the ones an audit is for),
//! service accounts and users, then the organization's users, invites and admin keys, costs and
//! completions usage by key and project from `--since`, and the `api_key.*` audit log events.

use jiff::civil::Date;

use super::{unix_start, Endpoint, Feeds, Paging, Puller};

pub const BASE_URL: &str = "https://api.openai.com/v1";

/// Lists page with `after=<last_id>`; 100 is the largest page they serve.
const LIST: Paging = Paging::AfterLastId("after");

fn list(path: &str, file: &str, what: &str, feeds: Feeds, extra: &[(&str, &str)]) -> Endpoint {
    Endpoint::list(LIST, path, file, what, feeds, extra)
}

/// The project-scoped endpoints of one project: its keys, service accounts and users.
fn project_endpoints(id: &str) -> [Endpoint; 3] {
    // The id becomes part of a file name: keep it to the characters ids are made of.
    let safe: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    let base = format!("/organization/projects/{}", super::http::encode(id));
    [
        list(
            &format!("{base}/api_keys"),
            &format!("{safe}-api_keys"),
            &format!("the API keys of project {id}"),
            Feeds::Keys,
            &[("owner_project_access", "any")],
        ),
        list(
            &format!("{base}/service_accounts"),
            &format!("{safe}-service_accounts"),
            &format!("the service accounts of project {id}"),
            Feeds::ServiceAccounts,
            &[],
        ),
        list(
            &format!("{base}/users"),
            &format!("{safe}-users"),
            &format!("the users of project {id}"),
            Feeds::Members,
            &[],
        ),
    ]
}

pub(super) fn pull(p: &mut Puller, since: Date) {
    let projects = list(
        "/organization/projects",
        "projects",
        "projects",
        Feeds::Projects,
        &[("include_archived", "true")],
    );
    let listed = p.list_items(&projects);
    match &listed {
        Some(items) => {
            for item in items {
                let Some(id) = item.get("id").and_then(serde_json::Value::as_str) else {
                    continue;
                };
                for ep in project_endpoints(id) {
                    p.list(&ep);
                }
            }
        }
        None => {
            // Without every project, keys of the unlisted ones cannot be asked for.
            let ep = list(
                "/organization/projects/{project_id}/api_keys",
                "api_keys",
                "each project's API keys",
                Feeds::Keys,
                &[],
            );
            p.skip(
                &ep,
                "not asked: the project list was not fetched whole, so the projects to ask about are unknown",
            );
        }
    }
    p.list(&list(
        "/organization/users",
        "users",
        "organization users",
        Feeds::Members,
        &[],
    ));
    p.list(&list(
        "/organization/invites",
        "invites",
        "invites",
        Feeds::Members,
        &[],
    ));
    p.list(&list(
        "/organization/admin_api_keys",
        "admin_api_keys",
        "admin API keys",
        Feeds::AdminKeys,
        &[],
    ));
    let start = unix_start(since).to_string();
    p.list(&Endpoint::report(
        "/organization/costs",
        "costs",
        "costs",
        &[
            ("start_time", &start),
            ("bucket_width", "1d"),
            ("group_by", "project_id"),
            ("group_by", "api_key_id"),
            ("limit", "180"),
        ],
    ));
    p.list(&Endpoint::report(
        "/organization/usage/completions",
        "usage-completions",
        "completions usage",
        &[
            ("start_time", &start),
            ("bucket_width", "1d"),
            ("group_by", "api_key_id"),
            ("group_by", "project_id"),
            ("limit", "31"),
        ],
    ));
    p.list(&list(
        "/organization/audit_logs",
        "audit_logs",
        "audit logs",
        Feeds::Permissions,
        &[
            ("event_types[]", "api_key.created"),
            ("event_types[]", "api_key.updated"),
            ("event_types[]", "api_key.deleted"),
        ],
    ));
}
