//! Platform pages as a browser saves or the extension reads them, checked field by field; and
//! one test per malformed page, asserting its message.

use crate::support;

use jiff::civil::date;
use keyroster::ingest::{self, html, Batch, Context};
use keyroster::model::{Expiry, KeyKind, LastUsed, OwnerType, Permissions, ProjectRef};
use support::AS_OF;

fn fixture(name: &str) -> String {
    support::fixture_text(&format!("html/{name}"))
}

fn read_fixture(name: &str) -> Batch {
    // Through ingest::read, so format detection is exercised too.
    ingest::read(&Context::new(name, AS_OF), fixture(name).as_bytes()).expect("fixture reads")
}

fn named(name: &str) -> Option<ProjectRef> {
    Some(ProjectRef {
        id: None,
        name: Some(name.into()),
    })
}

#[test]
fn org_api_keys_page_saved_from_the_browser() {
    let b = read_fixture("org-api-keys.html");
    assert_eq!(b.kind, "html:org-api-keys");
    assert_eq!(
        b.url.as_deref(),
        Some("https://platform.openai.com/settings/organization/api-keys")
    );
    assert_eq!(b.org.as_deref(), Some("Acme Robotics"));
    assert_eq!(
        b.warnings,
        vec!["page shows 4 of 9 keys: visit the next page too"]
    );
    assert!(b.exposed.is_empty());
    assert_eq!(b.keys.len(), 4);

    let k = &b.keys[0];
    assert_eq!(k.name, "checkout-prod");
    assert_eq!(k.redacted.as_deref(), Some("sk-proj-...a1B2"));
    assert_eq!(k.kind, KeyKind::Project);
    // The date in the title attribute and the <time datetime> beat the display text.
    assert_eq!(k.created, Some(date(2024, 2, 3)));
    assert_eq!(k.last_used, LastUsed::Date(date(2026, 11, 20)));
    // The org page's Project column wins over the project selected at the top.
    assert_eq!(k.project, named("Checkout API"));
    assert_eq!(k.owner.kind, OwnerType::User);
    assert_eq!(k.owner.name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(k.owner.email.as_deref(), Some("ada@example.com"));
    assert_eq!(
        k.created_by.as_deref(),
        Some("Ada Lovelace ada@example.com")
    );
    assert_eq!(k.permissions, Permissions::All);
    assert_eq!(k.expires, Expiry::Unknown);
    assert_eq!(k.sources, vec!["org-api-keys.html"]);
    assert_eq!(k.id, None);
    assert_eq!(k.usage, None);

    let sa = &b.keys[1];
    assert_eq!(sa.name, "ci-runner");
    assert_eq!(sa.kind, KeyKind::ServiceAccount);
    assert_eq!(sa.owner.kind, OwnerType::ServiceAccount);
    assert_eq!(sa.owner.name.as_deref(), Some("ci-bot"));
    assert_eq!(sa.last_used, LastUsed::Never);
    assert_eq!(sa.permissions, Permissions::Restricted);

    let nb = &b.keys[2];
    // `sk-...` on the org keys page is a project key: legacy keys live on the profile page.
    assert_eq!(nb.kind, KeyKind::Project);
    assert_eq!(nb.created, Some(date(2023, 10, 15)));
    assert_eq!(nb.last_used, LastUsed::Unknown);
    assert_eq!(nb.permissions, Permissions::ReadOnly);

    let t = &b.keys[3];
    assert_eq!(t.last_used, LastUsed::Date(date(2026, 11, 21)));
    assert_eq!(t.permissions, Permissions::ReadOnly);
    assert_eq!(t.project, named("Default project"));
}

#[test]
fn project_keys_page_as_an_aria_grid_takes_the_selected_project() {
    let mut ctx = Context::new("live page", AS_OF);
    ctx.url = Some("https://platform.openai.com/settings/proj_Q3xLm8RkT2/api-keys".into());
    let b = html::read(&ctx, &fixture("project-api-keys-grid.html")).expect("reads");
    assert_eq!(b.kind, "html:project-api-keys");
    assert_eq!(b.url, ctx.url);
    // The innermost, best-named selector: not the switcher bar holding both.
    assert_eq!(b.org.as_deref(), Some("Acme Robotics"));
    assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    assert_eq!(b.keys.len(), 3);
    let scope = Some(ProjectRef {
        id: Some("proj_Q3xLm8RkT2".into()),
        name: Some("Checkout API".into()),
    });
    for k in &b.keys {
        assert_eq!(k.project, scope, "{}", k.name);
        assert_eq!(k.sources, vec!["live page"]);
    }
    let k = &b.keys[0];
    assert_eq!(k.name, "payments-worker");
    assert_eq!(k.redacted.as_deref(), Some("sk-proj-...k9Zq"));
    // 23:59 at UTC-5 is the next day in UTC.
    assert_eq!(k.created, Some(date(2025, 3, 5)));
    assert_eq!(k.last_used, LastUsed::Date(date(2026, 11, 18)));
    assert_eq!(k.owner.kind, OwnerType::User);
    assert_eq!(k.owner.name, None, "\"You\" names nobody");
    assert_eq!(k.created_by.as_deref(), Some("You"));
    assert_eq!(k.permissions, Permissions::All);

    let sa = &b.keys[1];
    assert_eq!(sa.kind, KeyKind::ServiceAccount);
    assert_eq!(sa.owner.kind, OwnerType::ServiceAccount);
    assert_eq!(sa.created_by.as_deref(), Some("Grace Hopper"));
    assert_eq!(sa.last_used, LastUsed::Never);

    let legacy = &b.keys[2];
    assert_eq!(legacy.name, "legacy-import");
    assert_eq!(legacy.kind, KeyKind::Project);
    assert_eq!(legacy.redacted.as_deref(), Some("sk-...7hJk"));
    assert_eq!(legacy.last_used, LastUsed::Unknown);
    assert_eq!(legacy.owner.name.as_deref(), Some("Ada Lovelace"));
}

#[test]
fn legacy_user_keys_page_makes_user_keys_with_full_access() {
    let b = read_fixture("user-api-keys.html");
    assert_eq!(b.kind, "html:user-api-keys");
    assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    assert_eq!(b.keys.len(), 2);
    let k = &b.keys[0];
    assert_eq!(k.name, "laptop");
    assert_eq!(k.redacted.as_deref(), Some("sk-...abcd"));
    assert_eq!(k.kind, KeyKind::User);
    assert_eq!(k.owner.kind, OwnerType::User);
    assert_eq!(k.owner.name, None, "\"You\" names nobody");
    assert_eq!(k.permissions, Permissions::All);
    assert_eq!(k.project, None);
    assert_eq!(k.created, Some(date(2023, 1, 15)));
    assert_eq!(k.last_used, LastUsed::Date(date(2024, 3, 2)));
    assert_eq!(b.keys[1].name, "Secret key");
    assert_eq!(b.keys[1].last_used, LastUsed::Never);
}

#[test]
fn admin_keys_page() {
    let b = read_fixture("admin-keys.html");
    assert_eq!(b.kind, "html:admin-keys");
    assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    assert_eq!(b.keys.len(), 2);
    let k = &b.keys[0];
    assert_eq!(k.kind, KeyKind::Admin);
    assert_eq!(k.redacted.as_deref(), Some("sk-admin...s1MA"));
    assert_eq!(k.owner.name.as_deref(), Some("Linus"));
    assert_eq!(k.owner.email.as_deref(), Some("linus@example.com"));
    assert_eq!(k.expires, Expiry::Never);
    assert_eq!(k.last_used, LastUsed::Date(date(2026, 10, 2)));
    assert_eq!(k.permissions, Permissions::Unknown);
    let t = &b.keys[1];
    assert_eq!(t.kind, KeyKind::Admin);
    assert_eq!(t.created, Some(date(2026, 7, 1)));
    assert_eq!(t.last_used, LastUsed::Never);
    assert_eq!(t.expires, Expiry::Date(date(2027, 1, 1)));
    assert_eq!(t.owner.name.as_deref(), Some("Ada Lovelace"));
}

#[test]
fn org_members_split_stacked_name_and_email() {
    let b = read_fixture("members.html");
    assert_eq!(b.kind, "html:org-members");
    assert!(b.members_list);
    assert_eq!(b.org.as_deref(), Some("Acme Robotics"));
    assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    assert_eq!(b.members.len(), 3);
    let m = &b.members[0];
    assert_eq!(m.name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(m.email.as_deref(), Some("ada@example.com"));
    assert_eq!(m.role.as_deref(), Some("owner"));
    assert_eq!(m.status.as_deref(), Some("active"));
    assert_eq!(m.added, Some(date(2021, 3, 11)));
    assert_eq!(m.kind, OwnerType::User);
    assert_eq!(m.project, None);
    assert_eq!(m.sources, vec!["members.html"]);
    assert_eq!(b.members[1].name.as_deref(), Some("Grace Hopper"));
    assert_eq!(b.members[1].email.as_deref(), Some("grace@example.com"));
    let invited = &b.members[2];
    assert_eq!(invited.name, None);
    assert_eq!(invited.email.as_deref(), Some("newhire@example.com"));
    assert_eq!(invited.status.as_deref(), Some("invited"));
    assert_eq!(invited.added, Some(date(2026, 11, 19)));
}

#[test]
fn projects_page_with_more_pages() {
    let b = read_fixture("projects.html");
    assert_eq!(b.kind, "html:projects");
    assert_eq!(
        b.warnings,
        vec!["page 1 of 2 shown: visit the other pages too"]
    );
    assert_eq!(b.projects.len(), 3);
    let p = &b.projects[1];
    assert_eq!(p.id.as_deref(), Some("proj_Q3xLm8RkT2"));
    assert_eq!(p.name.as_deref(), Some("Checkout API"));
    assert_eq!(p.status.as_deref(), Some("active"));
    assert_eq!(p.created, Some(date(2024, 1, 20)));
    assert!(!p.limits_known);
    assert_eq!(b.projects[0].id.as_deref(), Some("proj_Def4ult00"));
    assert_eq!(b.projects[2].status.as_deref(), Some("archived"));
}

#[test]
fn limits_page_sets_the_selected_projects_limits() {
    let b = read_fixture("limits.html");
    assert_eq!(b.kind, "html:limits");
    assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    assert_eq!(b.projects.len(), 1);
    let p = &b.projects[0];
    assert_eq!(p.id.as_deref(), Some("proj_Q3xLm8RkT2"));
    assert_eq!(p.name.as_deref(), Some("Checkout API"));
    assert!(p.limits_known);
    assert_eq!(p.hard_limit_usd, Some(1500.0));
    assert_eq!(p.soft_limit_usd, Some(1200.0));
}

#[test]
fn limits_none_means_no_limit_but_known() {
    let page = "<html><head><title>Limits</title></head><body><table><tr><th>Project</th><th>Hard limit</th><th>Soft limit</th></tr>\
                <tr><td>Data Science</td><td>None</td><td>—</td></tr></table></body></html>";
    let b = html::read(&Context::new("limits.html", AS_OF), page).expect("reads");
    let p = &b.projects[0];
    assert_eq!(p.name.as_deref(), Some("Data Science"));
    assert!(p.limits_known);
    assert_eq!((p.hard_limit_usd, p.soft_limit_usd), (None, None));
}

#[test]
fn service_accounts_page_belongs_to_the_selected_project() {
    let b = read_fixture("service-accounts.html");
    assert_eq!(b.kind, "html:service-accounts");
    assert!(!b.members_list);
    let m = &b.members[0];
    assert_eq!(m.kind, OwnerType::ServiceAccount);
    assert_eq!(m.name.as_deref(), Some("ci-bot"));
    assert_eq!(m.id.as_deref(), Some("user-svc_9pLw"));
    assert_eq!(m.role.as_deref(), Some("member"));
    assert_eq!(m.added, Some(date(2025, 6, 11)));
    assert_eq!(
        m.project,
        Some(ProjectRef {
            id: Some("proj_Q3xLm8RkT2".into()),
            name: Some("Checkout API".into())
        })
    );
}

#[test]
fn usage_table_on_a_page() {
    let page = "<html><head><title>Usage - OpenAI API</title></head><body><table>\
        <thead><tr><th>API key</th><th>Project</th><th>Requests</th><th>Cost</th></tr></thead>\
        <tbody><tr><td>sk-proj-...a1B2</td><td>Checkout API</td><td>1,204</td><td>$12.50</td></tr>\
        <tr><td>checkout-prod</td><td>Checkout API</td><td>3</td><td>$0.10</td></tr></tbody></table></body></html>";
    let b = html::read(&Context::new("usage.html", AS_OF), page).expect("reads");
    assert_eq!(b.kind, "html:usage");
    assert_eq!(b.usage.len(), 2);
    assert_eq!(b.usage[0].key_redacted.as_deref(), Some("sk-proj-...a1B2"));
    assert_eq!(b.usage[0].usage.requests, Some(1204));
    assert_eq!(b.usage[0].usage.cost_usd, Some(12.5));
    assert_eq!(b.usage[0].date, None);
    assert_eq!(b.usage[1].key_name.as_deref(), Some("checkout-prod"));
}

#[test]
fn full_secret_in_a_cell_and_in_a_dialog_is_reported_once_each() {
    let cell = format!("sk-proj-{}T3BlbkFJ{}", "Ab3".repeat(25), "Zx9Q".repeat(18));
    let dialog = format!(
        "sk-svcacct-{}T3BlbkFJ{}",
        "Qw8".repeat(25),
        "Er5T".repeat(18)
    );
    let page = format!(
        "<html><body><table><tr><th>Name</th><th>Secret key</th><th>Last used</th></tr>\n\
         <tr><td>oops</td><td>{cell}</td><td>Never</td></tr></table>\n\
         <div role=\"dialog\"><h2>Save your key</h2>\n<input readonly value=\"{dialog}\"></div></body></html>"
    );
    let b = html::read(&Context::new("page.html", AS_OF), &page).expect("reads");
    assert_eq!(b.exposed.len(), 2);
    assert_eq!(b.exposed[0].location, "row 1, column Secret key");
    assert_eq!(b.exposed[0].redacted, "sk-proj-...Zx9Q");
    assert_eq!(b.exposed[1].location, "line 4 of the page");
    assert_eq!(b.exposed[1].redacted, "sk-svcacct-...Er5T");
    assert_eq!(b.exposed[1].kind, KeyKind::ServiceAccount);
    assert_eq!(b.keys[0].redacted.as_deref(), Some("sk-proj-...Zx9Q"));
    let debug = format!("{b:?}");
    assert!(!debug.contains(&cell) && !debug.contains(&dialog));
}

#[test]
fn page_without_a_table_says_what_was_looked_for() {
    let e = html::read(
        &Context::new("home.html", AS_OF),
        "<html><body><h1>Welcome</h1><p>Nothing here.</p></body></html>",
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "home.html: no table of API keys, members, projects, limits or usage found; expected \
         headers such as Name, Secret key, Created, Last used (keys), Name, Email, Role (members), \
         or a key or project with Cost, Requests, Input tokens (usage); the page has no table or grid"
    );
    let e = html::read(
        &Context::new("layout.html", AS_OF),
        "<table><tr><th>Model</th><th>Latency</th></tr><tr><td>a</td><td>1</td></tr></table>",
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .ends_with("its tables have headers: Model, Latency"),
        "{e}"
    );
}

#[test]
fn bad_date_on_a_page_is_a_warning() {
    let page = "<table><tr><th>Name</th><th>Secret key</th><th>Created</th><th>Last used</th><th>Created by</th><th>Permissions</th></tr>\
        <tr><td>k</td><td>sk-proj-...a1B2</td><td>sometime</td><td>Never</td><td>Ada</td><td>All</td></tr></table>";
    let b = html::read(&Context::new("p.html", AS_OF), page).expect("reads");
    assert_eq!(
        b.warnings,
        vec!["row 1, column Created: unrecognized date \"sometime\" (left unknown)"]
    );
    assert_eq!(b.keys[0].created, None);
}

#[test]
fn empty_and_junk_pages_are_errors_not_panics() {
    for (name, text) in [
        ("empty.html", ""),
        (
            "junk.html",
            "<html>\u{0}\u{1}<<<>>><table><tr><td></table></tr>&#xFFFFFF;",
        ),
    ] {
        let e = html::read(&Context::new(name, AS_OF), text).unwrap_err();
        assert!(
            e.to_string()
                .starts_with(&format!("{name}: no table of API keys")),
            "{e}"
        );
    }
}

#[test]
fn missing_columns_are_warned() {
    let page = "<table><tr><th>Name</th><th>Secret key</th></tr><tr><td>k</td><td>sk-proj-...a1B2</td></tr></table>";
    let b = html::read(&Context::new("p.html", AS_OF), page).expect("reads");
    assert_eq!(b.kind, "html:api-keys");
    assert!(b
        .warnings
        .contains(&"column Permissions not found".to_string()));
    assert!(b
        .warnings
        .contains(&"column Last used not found".to_string()));
}

#[test]
fn project_members_page_takes_its_project_from_the_breadcrumb() {
    let page = "<!DOCTYPE html>\n<!-- saved from url=(0057)https://platform.openai.com/settings/proj_Q3xLm8RkT2/people -->\n\
        <html><head><title>People - OpenAI API</title></head><body>\
        <nav aria-label=\"Breadcrumb\"><ol><li><a href=\"#\">Acme Robotics</a></li><li><a href=\"#\">Checkout API</a></li><li>People</li></ol></nav>\
        <table><tr><th>Name</th><th>Email</th><th>Role</th></tr>\
        <tr><td>Grace Hopper</td><td>grace@example.com</td><td>Member</td></tr></table></body></html>";
    let b = html::read(&Context::new("people.html", AS_OF), page).expect("reads");
    assert_eq!(b.kind, "html:project-members");
    assert!(b.members_list);
    let m = &b.members[0];
    assert_eq!(m.email.as_deref(), Some("grace@example.com"));
    assert_eq!(m.role.as_deref(), Some("member"));
    assert_eq!(
        m.project,
        Some(ProjectRef {
            id: Some("proj_Q3xLm8RkT2".into()),
            name: Some("Checkout API".into())
        })
    );
}

/// A measurement to run by hand in release:
/// `cargo test --release --test ingest_html -- --ignored --nocapture`.
#[test]
#[ignore]
fn measure_a_thousand_key_page() {
    let page = fixture("org-api-keys.html");
    let (head, rest) = page.split_once("<tbody>").expect("fixture has a tbody");
    let (rows, tail) = rest.split_once("</tbody>").expect("fixture has a tbody");
    let mut big = format!("{head}<tbody>");
    for _ in 0..250 {
        big.push_str(rows);
    }
    big.push_str("</tbody>");
    big.push_str(tail);
    let t = std::time::Instant::now();
    let b = html::read(&Context::new("big.html", AS_OF), &big).expect("reads");
    eprintln!(
        "{} KB, {} keys, {:?}",
        big.len() / 1000,
        b.keys.len(),
        t.elapsed()
    );
    assert_eq!(b.keys.len(), 1000);
}

#[test]
fn header_only_table_is_read_with_a_warning() {
    let page = "<html><head><title>API keys</title></head><body><table><thead><tr><th>Name</th><th>Secret key</th>\
        <th>Created</th><th>Last used</th><th>Created by</th><th>Permissions</th></tr></thead><tbody></tbody></table></body></html>";
    let b = html::read(&Context::new("empty-keys.html", AS_OF), page).expect("reads");
    assert_eq!(b.kind, "html:org-api-keys");
    assert_eq!(b.records(), 0);
    assert_eq!(b.warnings, ["the keys table has no rows"]);
}
