//! The layout corpus (`tests/fixtures/layouts/`): the same keys, members, projects and admin
//! keys rendered the many ways a dashboard draws a list (tables, ARIA grids, role-less div grids,
//! cards, lists, responsive tables, saved as HTML, `.mhtml` or by Firefox). Every rendering must
//! read to the same records: each expected table is written once here and compared against each
//! file, read through `ingest::read` as the CLI, www and the extension read it.

use jiff::civil::{date, Date};
use keyroster::ingest::{self, Batch, Context};
use keyroster::model::{KeyKind, LastUsed, OwnerType};

const AS_OF: Date = date(2026, 11, 22);
const ORG_KEYS_URL: &str = "https://platform.openai.com/settings/organization/api-keys";

fn read(name: &str) -> Batch {
    let path = format!(
        "{}/../tests/fixtures/layouts/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    ingest::read(&Context::new(name, AS_OF), &bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// What must read the same from every rendering of a key.
#[derive(Debug, PartialEq)]
struct K {
    name: String,
    redacted: String,
    kind: KeyKind,
    owner: String,
    owner_type: OwnerType,
    project: Option<String>,
    created: Option<Date>,
    last_used: LastUsed,
}

#[allow(clippy::too_many_arguments)]
fn k(
    name: &str,
    redacted: &str,
    kind: KeyKind,
    owner: &str,
    owner_type: OwnerType,
    project: Option<&str>,
    created: Date,
    last_used: LastUsed,
) -> K {
    K {
        name: name.into(),
        redacted: redacted.into(),
        kind,
        owner: owner.into(),
        owner_type,
        project: project.map(str::to_string),
        created: Some(created),
        last_used,
    }
}

/// The organization's API keys page, as every keys layout shows it.
fn expected_keys() -> Vec<K> {
    use KeyKind::{Project, ServiceAccount};
    let user = OwnerType::User;
    let sa = OwnerType::ServiceAccount;
    let used = |y, m, d| LastUsed::Date(date(y, m, d));
    let never = LastUsed::Never;
    vec![
        k(
            "checkout-prod",
            "sk-proj-...K2m9",
            Project,
            "Priya Nair",
            user,
            Some("Checkout API"),
            date(2025, 3, 14),
            used(2026, 11, 20),
        ),
        k(
            "deploy-pipeline",
            "sk-svcacct-...Vb4T",
            ServiceAccount,
            "deploy-bot",
            sa,
            Some("Checkout API"),
            date(2025, 6, 2),
            used(2026, 11, 21),
        ),
        // A key made before `sk-proj-` prefixes: on the organization's keys page it is a
        // project key (legacy user keys live on the profile page).
        k(
            "analytics-notebook",
            "sk-...q7Rt",
            Project,
            "Priya Nair",
            user,
            Some("Data Science"),
            date(2023, 10, 15),
            used(2024, 8, 9),
        ),
        k(
            "staging-bot",
            "sk-svcacct-...M0pX",
            ServiceAccount,
            "deploy-bot",
            sa,
            Some("Staging"),
            date(2026, 1, 7),
            never,
        ),
        k(
            "support-widget",
            "sk-proj-...Lz3c",
            Project,
            "Marcus Oyelaran",
            user,
            Some("Support Portal"),
            date(2024, 11, 30),
            used(2026, 10, 2),
        ),
        k(
            "eval-harness",
            "sk-proj-...9dWq",
            Project,
            "Priya Nair",
            user,
            Some("Data Science"),
            date(2026, 9, 18),
            never,
        ),
    ]
}

fn keys_in(b: &Batch) -> Vec<K> {
    b.keys
        .iter()
        .map(|key| K {
            name: key.name.clone(),
            redacted: key.redacted.clone().unwrap_or_default(),
            kind: key.kind,
            owner: key.owner.name.clone().unwrap_or_default(),
            owner_type: key.owner.kind,
            project: key.project.as_ref().and_then(|p| p.name.clone()),
            created: key.created,
            last_used: key.last_used,
        })
        .collect()
}

fn assert_keys_page(file: &str) {
    let b = read(file);
    assert_eq!(b.kind, "html:org-api-keys", "{file}");
    assert_eq!(b.url.as_deref(), Some(ORG_KEYS_URL), "{file}");
    assert_eq!(b.org.as_deref(), Some("Northwind Labs"), "{file}");
    assert_eq!(keys_in(&b), expected_keys(), "{file}");
    assert!(b.exposed.is_empty(), "{file}: {:?}", b.exposed);
}

#[test]
fn keys_01_plain_table() {
    assert_keys_page("keys-01-table.html");
}

#[test]
fn keys_02_table_with_sortable_header_buttons() {
    assert_keys_page("keys-02-sortable-headers.html");
}

#[test]
fn keys_03_aria_grid() {
    assert_keys_page("keys-03-aria-grid.html");
}

#[test]
fn keys_04_div_grid_without_roles() {
    assert_keys_page("keys-04-div-grid-no-roles.html");
}

#[test]
fn keys_05_css_grid_with_role_row_only() {
    assert_keys_page("keys-05-css-grid-role-row.html");
}

#[test]
fn keys_06_virtualized_list_reads_only_the_rendered_rows() {
    let file = "keys-06-virtualized.html";
    let b = read(file);
    assert_eq!(b.kind, "html:org-api-keys");
    assert_eq!(b.url.as_deref(), Some(ORG_KEYS_URL));
    // aria-rowcount=7 (a header and six keys), rows 3–6 rendered: keys 2 to 5.
    let mut expected = expected_keys();
    expected.truncate(5);
    expected.remove(0);
    assert_eq!(keys_in(&b), expected);
}

#[test]
fn keys_07_cards_with_definition_lists() {
    assert_keys_page("keys-07-cards-dl.html");
}

#[test]
fn keys_08_cards_with_label_value_text() {
    assert_keys_page("keys-08-cards-label-value.html");
}

#[test]
fn keys_09_responsive_table_labelled_by_data_label() {
    assert_keys_page("keys-09-responsive-data-label.html");
}

#[test]
fn keys_10_list_items_with_spans_and_no_header() {
    assert_keys_page("keys-10-list-spans-no-header.html");
}

#[test]
fn keys_11_table_nested_in_layout_tables() {
    assert_keys_page("keys-11-nested-layout-tables.html");
}

#[test]
fn keys_12_keys_table_among_navigation_usage_and_invoice_tables() {
    assert_keys_page("keys-12-among-other-tables.html");
}

#[test]
fn keys_13_chrome_single_file_mhtml() {
    assert_keys_page("keys-13-chrome-single-file.mhtml");
}

#[test]
fn keys_14_firefox_save_without_saved_from_comment() {
    // The URL comes from `og:url`; breadcrumbs and the heading agree with it.
    assert_keys_page("keys-14-firefox-save.html");
}

#[test]
fn keys_15_creator_shown_as_you_is_the_signed_in_person() {
    // Only the account menu names the viewer ("Signed in as Priya Nair").
    assert_keys_page("keys-15-owner-shown-as-you.html");
}

#[test]
fn keys_16_live_div_grid_as_the_extension_hands_it_over() {
    // The extension passes the live page's outerHTML (no doctype, no saved-from comment) with
    // the tab's URL and title.
    let file = "keys-04-div-grid-no-roles.html";
    let path = format!(
        "{}/../tests/fixtures/layouts/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let live = text
        .lines()
        .filter(|l| !l.starts_with("<!DOCTYPE") && !l.starts_with("<!-- saved from"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut ctx = Context::new(ORG_KEYS_URL, AS_OF);
    ctx.url = Some(ORG_KEYS_URL.into());
    ctx.title = Some("API keys - OpenAI API".into());
    let b = ingest::read(&ctx, live.as_bytes()).unwrap();
    assert_eq!(b.kind, "html:org-api-keys");
    assert_eq!(keys_in(&b), expected_keys());
}

/// What must read the same from every rendering of a member.
#[derive(Debug, PartialEq)]
struct M {
    name: Option<String>,
    email: String,
    role: String,
    /// `None` for an active member (whether or not the page says "Active").
    status: Option<String>,
    added: Option<Date>,
}

fn expected_members() -> Vec<M> {
    let m = |name: Option<&str>, email: &str, role: &str, status: Option<&str>, added| M {
        name: name.map(str::to_string),
        email: email.into(),
        role: role.into(),
        status: status.map(str::to_string),
        added: Some(added),
    };
    vec![
        m(
            Some("Priya Nair"),
            "priya@northwind.dev",
            "owner",
            None,
            date(2023, 9, 1),
        ),
        m(
            Some("Marcus Oyelaran"),
            "marcus@northwind.dev",
            "reader",
            None,
            date(2024, 2, 19),
        ),
        m(
            Some("Lena Fischer"),
            "lena.fischer@northwind.dev",
            "owner",
            None,
            date(2024, 7, 30),
        ),
        m(
            Some("Tomás Ruiz"),
            "tomas@northwind.dev",
            "reader",
            None,
            date(2025, 5, 16),
        ),
        // A pending invite: no name yet, an "Invited" badge.
        m(
            None,
            "sam.okafor@contractor.io",
            "reader",
            Some("invited"),
            date(2026, 11, 17),
        ),
    ]
}

fn assert_members_page(file: &str) {
    let b = read(file);
    assert_eq!(b.kind, "html:org-members", "{file}");
    assert!(b.members_list, "{file}");
    assert_eq!(
        b.url.as_deref(),
        Some("https://platform.openai.com/settings/organization/members"),
        "{file}"
    );
    let got: Vec<M> = b
        .members
        .iter()
        .map(|m| M {
            name: m.name.clone(),
            email: m.email.clone().unwrap_or_default(),
            role: m.role.clone().unwrap_or_default().to_lowercase(),
            status: m.status.clone().filter(|s| s != "active"),
            added: m.added,
        })
        .collect();
    assert_eq!(got, expected_members(), "{file}");
    assert!(b.keys.is_empty(), "{file}");
}

#[test]
fn members_01_table_with_you_and_invited_badges() {
    assert_members_page("members-01-table.html");
}

#[test]
fn members_02_div_grid_with_role_select() {
    assert_members_page("members-02-div-grid-role-select.html");
}

#[test]
fn members_03_cards_with_definition_lists() {
    assert_members_page("members-03-cards-dl.html");
}

#[test]
fn members_04_aria_grid_saved_by_firefox_with_canonical_link() {
    assert_members_page("members-04-aria-grid-firefox.html");
}

#[derive(Debug, PartialEq)]
struct P {
    id: String,
    name: String,
    status: String,
    created: Option<Date>,
}

fn expected_projects() -> Vec<P> {
    let p = |id: &str, name: &str, status: &str, created| P {
        id: id.into(),
        name: name.into(),
        status: status.into(),
        created: Some(created),
    };
    vec![
        p(
            "proj_k7Qx2mN4pLr8",
            "Checkout API",
            "active",
            date(2024, 2, 3),
        ),
        p(
            "proj_Dq81vZ0sTeW3",
            "Data Science",
            "active",
            date(2023, 9, 12),
        ),
        p("proj_St4g1nGx9wQe", "Staging", "active", date(2025, 12, 20)),
        p(
            "proj_Sp0rtQ2r7YbN",
            "Support Portal",
            "archived",
            date(2024, 11, 5),
        ),
    ]
}

fn assert_projects_page(file: &str) {
    let b = read(file);
    assert_eq!(b.kind, "html:projects", "{file}");
    let got: Vec<P> = b
        .projects
        .iter()
        .map(|p| P {
            id: p.id.clone().unwrap_or_default(),
            name: p.name.clone().unwrap_or_default(),
            status: p.status.clone().unwrap_or_default().to_lowercase(),
            created: p.created,
        })
        .collect();
    assert_eq!(got, expected_projects(), "{file}");
}

#[test]
fn projects_01_table() {
    assert_projects_page("projects-01-table.html");
}

#[test]
fn projects_02_div_grid_of_row_links_without_roles() {
    assert_projects_page("projects-02-div-grid-no-roles.html");
}

#[test]
fn projects_03_cards_with_label_value_text() {
    assert_projects_page("projects-03-cards-label-value.html");
}

#[test]
fn projects_04_aria_table_saved_without_any_url() {
    // No saved-from comment, canonical link or og:url: the title and heading name the page.
    assert_projects_page("projects-04-aria-table-firefox-no-url.html");
}

fn expected_admin_keys() -> Vec<K> {
    let k = |name, redacted, owner, created, last_used| {
        k(
            name,
            redacted,
            KeyKind::Admin,
            owner,
            OwnerType::User,
            None,
            created,
            last_used,
        )
    };
    vec![
        k(
            "Main Admin Key",
            "sk-admin-...s1MA",
            "Priya Nair",
            date(2025, 1, 10),
            LastUsed::Date(date(2026, 11, 18)),
        ),
        k(
            "terraform-admin",
            "sk-admin-...Tf7k",
            "Marcus Oyelaran",
            date(2026, 2, 27),
            LastUsed::Never,
        ),
        k(
            "billing-export",
            "sk-admin-...b8Qe",
            "Priya Nair",
            date(2025, 8, 5),
            LastUsed::Date(date(2026, 10, 30)),
        ),
    ]
}

fn assert_admin_keys_page(file: &str) {
    let b = read(file);
    assert_eq!(b.kind, "html:admin-keys", "{file}");
    assert_eq!(
        b.url.as_deref(),
        Some("https://platform.openai.com/settings/organization/admin-keys"),
        "{file}"
    );
    assert_eq!(keys_in(&b), expected_admin_keys(), "{file}");
}

#[test]
fn admin_keys_01_table() {
    assert_admin_keys_page("admin-keys-01-table.html");
}

#[test]
fn admin_keys_02_cards_with_definition_lists() {
    assert_admin_keys_page("admin-keys-02-cards-dl.html");
}

#[test]
fn admin_keys_03_div_grid_without_roles() {
    assert_admin_keys_page("admin-keys-03-div-grid-no-roles.html");
}

#[test]
fn admin_keys_04_aria_grid_saved_with_og_url() {
    assert_admin_keys_page("admin-keys-04-aria-grid-og-url.html");
}
