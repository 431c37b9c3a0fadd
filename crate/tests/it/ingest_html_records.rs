//! Records found by their shape rather than their markup (crate::ingest::html's layout reader):
//! small pages, one per way of drawing a list or labeling its fields, and one per structure that
//! must NOT be read as records (navigation, pagination, a usage summary box, invoices, a toast).
//! The full cross-layout corpus is in ingest_layouts.rs.

use jiff::civil::{date, Date};
use keyroster::ingest::{html, Batch, Context};
use keyroster::model::{KeyKind, LastUsed, OwnerType, Permissions};

const AS_OF: Date = date(2026, 11, 22);

fn read(page: &str) -> Batch {
    html::read(&Context::new("page.html", AS_OF), page).unwrap_or_else(|e| panic!("{e}"))
}

fn keys_page(body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<!-- saved from url=(0058)https://platform.openai.com/settings/organization/api-keys -->\n\
         <html><head><title>API keys - OpenAI API</title></head><body><main><h1>API keys</h1>{body}</main></body></html>"
    )
}

/// The navigation, pagination, a usage summary box, an invoices table and a toast that a keys
/// page may also show; none of them is a record.
const CHROME: &str = "<nav class=\"_side_k2\"><ul><li><a href=\"#\">API keys</a></li><li><a href=\"#\">Members</a></li>\
    <li><a href=\"#\">Projects</a></li><li><a href=\"#\">Limits</a></li></ul></nav>\
    <div class=\"_summary_x1\"><div class=\"_stat_x1\"><span>Total spend</span><span>$1,204.50</span></div>\
    <div class=\"_stat_x1\"><span>Requests</span><span>48,210</span></div><div class=\"_stat_x1\"><span>Budget</span><span>$2,000.00</span></div></div>\
    <table class=\"_inv_q\"><thead><tr><th>Invoice</th><th>Date</th><th>Amount</th><th>Status</th></tr></thead>\
    <tbody><tr><td>INV-0042</td><td>Nov 1, 2026</td><td>$1,180.20</td><td>Paid</td></tr>\
    <tr><td>INV-0041</td><td>Oct 1, 2026</td><td>$990.00</td><td>Paid</td></tr></tbody></table>\
    <table><thead><tr><th>Month</th><th>Spend</th><th>Requests</th></tr></thead>\
    <tbody><tr><td>October</td><td>$990.00</td><td>40,113</td></tr><tr><td>November</td><td>$1,204.50</td><td>48,210</td></tr></tbody></table>\
    <div role=\"status\" class=\"_toast_z\"><div><span>Key sk-proj-...Zz99 revoked</span></div><div><span>Key sk-proj-...Yy88 revoked</span></div></div>\
    <div class=\"pagination\"><a href=\"#\">1</a><a href=\"#\">2</a><a href=\"#\">3</a><a href=\"#\">Next</a></div>";

#[test]
fn div_grid_without_roles_reads_by_its_header_row() {
    let b = read(&keys_page(&format!(
        "{CHROME}<div class=\"_grid_a8\"><div class=\"_hd_a8\"><div>NAME</div><div>SECRET KEY</div><div>CREATED</div>\
         <div>LAST USED</div><div>PROJECT ACCESS</div><div>CREATED BY</div><div>PERMISSIONS</div></div>\
         <div class=\"_r_a8\"><div>checkout-prod</div><div><code>sk-proj-...K2m9</code><button>Copy</button></div><div>Mar 14, 2025</div>\
         <div><time datetime=\"2026-11-20T10:00:00Z\">2 days ago</time></div><div>Checkout API</div>\
         <div><span>Priya Nair</span><span>priya@northwind.dev</span></div><div>All</div></div>\
         <div class=\"_r_a8\"><div>deploy-pipeline</div><div><code>sk-svcacct-...Vb4T</code></div><div>Jun 2, 2025</div>\
         <div>Never</div><div>Checkout API</div><div><span>deploy-bot</span><span class=\"_tag_q1\">Service account</span></div>\
         <div>Restricted</div></div></div>"
    )));
    assert_eq!(b.kind, "html:org-api-keys");
    assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    assert_eq!(b.keys.len(), 2, "{:?}", b.keys);
    let k = &b.keys[0];
    assert_eq!(k.name, "checkout-prod");
    assert_eq!(k.redacted.as_deref(), Some("sk-proj-...K2m9"));
    assert_eq!(k.created, Some(date(2025, 3, 14)));
    assert_eq!(k.last_used, LastUsed::Date(date(2026, 11, 20)));
    assert_eq!(k.owner.name.as_deref(), Some("Priya Nair"));
    assert_eq!(k.owner.email.as_deref(), Some("priya@northwind.dev"));
    assert_eq!(k.permissions, Permissions::All);
    let sa = &b.keys[1];
    // The tag beside the name is the owner's type, not part of the name.
    assert_eq!(sa.owner.kind, OwnerType::ServiceAccount);
    assert_eq!(sa.owner.name.as_deref(), Some("deploy-bot"));
    assert_eq!(sa.created_by.as_deref(), Some("deploy-bot"));
    assert_eq!(sa.kind, KeyKind::ServiceAccount);
    assert_eq!(sa.last_used, LastUsed::Never);
    // Nothing of the chrome became a record: no usage rows, members or projects.
    assert_eq!(b.records(), 2);
}

#[test]
fn cards_with_label_value_text() {
    let card = |name: &str, key: &str, created: &str, used: &str, owner: &str| {
        format!(
            "<div class=\"_card_9\"><h3>{name}</h3><p>Secret key: <code>{key}</code></p><p>Created: {created}</p>\
             <p>Last used: {used}</p><p>Owner — {owner}</p><p>Permissions: Read only</p><button>Revoke</button></div>"
        )
    };
    let b = read(&keys_page(&format!(
        "<div class=\"_cards_9\">{}{}</div>",
        card(
            "etl",
            "sk-...q7Rt",
            "Oct 15, 2023",
            "Nov 3, 2025",
            "Priya Nair"
        ),
        card(
            "bot",
            "sk-proj-...Lz3c",
            "Nov 30, 2024",
            "Never",
            "Marcus Oyelaran"
        )
    )));
    assert_eq!(b.keys.len(), 2);
    let k = &b.keys[0];
    assert_eq!(k.name, "etl");
    assert_eq!(k.redacted.as_deref(), Some("sk-...q7Rt"));
    assert_eq!(k.created, Some(date(2023, 10, 15)));
    assert_eq!(k.last_used, LastUsed::Date(date(2025, 11, 3)));
    assert_eq!(k.owner.name.as_deref(), Some("Priya Nair"));
    assert_eq!(k.permissions, Permissions::ReadOnly);
    assert_eq!(b.keys[1].last_used, LastUsed::Never);
}

#[test]
fn cards_of_definition_lists() {
    let card = |name: &str, key: &str, used: &str| {
        format!(
            "<article class=\"c_x\"><header><h4>{name}</h4></header><dl><div><dt>Secret key</dt><dd>{key}</dd></div>\
             <div><dt>Created</dt><dd>Jan 10, 2025</dd></div><div><dt>Last used</dt><dd>{used}</dd></div>\
             <div><dt>Created by</dt><dd>Priya Nair</dd></div></dl></article>"
        )
    };
    let b = read(&keys_page(&format!(
        "<section>{}{}{}</section>",
        card("a", "sk-proj-...aaaa", "Never"),
        card("b", "sk-proj-...bbbb", "Nov 18, 2026"),
        card("c", "sk-proj-...cccc", "Never"),
    )));
    assert_eq!(b.keys.len(), 3);
    assert_eq!(b.keys[1].name, "b");
    assert_eq!(b.keys[1].redacted.as_deref(), Some("sk-proj-...bbbb"));
    assert_eq!(b.keys[1].last_used, LastUsed::Date(date(2026, 11, 18)));
    assert_eq!(b.keys[2].owner.name.as_deref(), Some("Priya Nair"));
    assert_eq!(b.keys[0].created, Some(date(2025, 1, 10)));
}

#[test]
fn responsive_table_labeled_by_data_label() {
    let row = |name: &str, key: &str| {
        format!(
            "<tr><td data-label=\"Name\">{name}</td><td data-label=\"Secret key\">{key}</td>\
             <td data-label=\"Last used\">Never</td><td data-label=\"Created\">Mar 2, 2025</td></tr>"
        )
    };
    // No header row at all: narrow screens show each cell's data-label instead.
    let b = read(&keys_page(&format!(
        "<table class=\"rt\"><tbody>{}{}</tbody></table>",
        row("one", "sk-proj-...1111"),
        row("two", "sk-proj-...2222")
    )));
    assert_eq!(b.keys.len(), 2, "{:?}", b.warnings);
    assert_eq!(b.keys[0].name, "one");
    assert_eq!(b.keys[1].redacted.as_deref(), Some("sk-proj-...2222"));
    assert_eq!(b.keys[1].created, Some(date(2025, 3, 2)));
    assert_eq!(b.keys[1].last_used, LastUsed::Never);
}

#[test]
fn virtualized_list_reads_the_rendered_rows_and_warns_of_the_rest() {
    let row = |i: usize, name: &str, key: &str| {
        format!(
            "<div role=\"row\" aria-rowindex=\"{i}\" class=\"v_r\"><div aria-colindex=\"1\">{name}</div>\
             <div aria-colindex=\"2\">{key}</div><div aria-colindex=\"3\">Nov 1, 2026</div></div>"
        )
    };
    let b = read(&keys_page(&format!(
        "<div class=\"v_list\" aria-rowcount=\"40\"><div class=\"v_head\"><div role=\"row\" aria-rowindex=\"1\">\
         <div aria-colindex=\"1\">Name</div><div aria-colindex=\"2\">Secret key</div><div aria-colindex=\"3\">Last used</div></div></div>\
         <div class=\"v_body\" style=\"height: 4000px\">{}{}{}</div></div><p>Showing 12–14 of 40</p>",
        row(12, "k12", "sk-proj-...aa12"),
        row(13, "k13", "sk-proj-...aa13"),
        row(14, "k14", "sk-proj-...aa14"),
    )));
    let names: Vec<&str> = b.keys.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(names, ["k12", "k13", "k14"]);
    assert_eq!(b.keys[2].last_used, LastUsed::Date(date(2026, 11, 1)));
    assert!(
        b.warnings
            .contains(&"page shows 3 of 40 keys: visit the next page too".to_string()),
        "{:?}",
        b.warnings
    );
}

#[test]
fn members_chips_are_role_and_status_and_you_is_the_signed_in_person() {
    let page = "<!DOCTYPE html>\n<!-- saved from url=(0058)https://platform.openai.com/settings/organization/members -->\n\
        <html><head><title>Members</title></head><body><header><button aria-label=\"Account menu\">\
        <span class=\"sr-only\">Signed in as Priya Nair</span></button></header><main><ul class=\"m_list\">\
        <li><span>Priya Nair</span><span class=\"chip\">You</span><span>priya@northwind.dev</span><span class=\"chip\">Owner</span></li>\
        <li><span>sam@contractor.io</span><span class=\"chip\">Invited</span></li>\
        <li><span>Marcus Oyelaran</span><span>marcus@northwind.dev</span><span>Reader</span></li></ul></main></body></html>";
    let b = read(page);
    assert_eq!(b.kind, "html:org-members");
    assert_eq!(b.members.len(), 3, "{:?}", b.members);
    let m = &b.members[0];
    assert_eq!(m.name.as_deref(), Some("Priya Nair"));
    assert_eq!(m.email.as_deref(), Some("priya@northwind.dev"));
    assert_eq!(m.role.as_deref(), Some("owner"));
    assert_eq!(b.members[1].email.as_deref(), Some("sam@contractor.io"));
    assert_eq!(b.members[1].status.as_deref(), Some("invited"));
    assert_eq!(b.members[2].role.as_deref(), Some("reader"));

    // A key created by "You" on a page that names the signed-in person is theirs.
    let keys = "<!DOCTYPE html>\n<!-- saved from url=(0058)https://platform.openai.com/settings/organization/api-keys -->\n\
        <html><body><header><button aria-label=\"Account menu\" class=\"_account_x\"><span>PN</span>\
        <span class=\"sr-only\">Signed in as Priya Nair</span></button></header><main><table><tr><th>Name</th><th>Secret key</th>\
        <th>Created by</th></tr><tr><td>mine</td><td>sk-proj-...m1n3</td><td>You</td></tr>\
        <tr><td>theirs</td><td>sk-proj-...t4e1</td><td>Marcus Oyelaran</td></tr></table></main></body></html>";
    let b = read(keys);
    assert_eq!(b.keys[0].owner.name.as_deref(), Some("Priya Nair"));
    assert_eq!(b.keys[0].owner.kind, OwnerType::User);
    assert_eq!(b.keys[1].owner.name.as_deref(), Some("Marcus Oyelaran"));
}

#[test]
fn limits_page_as_a_form() {
    let page = "<!DOCTYPE html>\n<!-- saved from url=(0057)https://platform.openai.com/settings/proj_Q3xLm8RkT2/limits -->\n\
        <html><head><title>Limits - OpenAI API</title></head><body><main><h1>Limits</h1>\
        <form><div class=\"f\"><label for=\"b\">Monthly budget</label><div class=\"in\"><span>$</span><input id=\"b\" value=\"500.00\"></div></div>\
        <div class=\"f\"><label>Alert threshold <input value=\"400\"></label></div><button>Save</button></form></main></body></html>";
    let b = read(page);
    assert_eq!(b.kind, "html:limits");
    assert_eq!(b.projects.len(), 1, "{:?}", b.warnings);
    let p = &b.projects[0];
    assert_eq!(p.id.as_deref(), Some("proj_Q3xLm8RkT2"));
    assert!(p.limits_known);
    assert_eq!(p.hard_limit_usd, Some(500.0));
    assert_eq!(p.soft_limit_usd, Some(400.0));

    // Label/value pairs instead of form fields.
    let page = page.replace(
        "<form>",
        "<div class=\"kv\"><span>Monthly budget</span><span>$1,500.00</span></div><form hidden>",
    );
    let b = read(&page);
    assert_eq!(b.projects[0].hard_limit_usd, Some(1500.0));
}

#[test]
fn chrome_alone_is_not_records_and_the_message_says_what_was_found() {
    let e = html::read(&Context::new("p.html", AS_OF), &keys_page(CHROME)).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.starts_with("p.html: no table of API keys, members, projects, limits or usage found"),
        "{msg}"
    );
    // The nav list is skipped whole; the summary box, pagination and toast are not anchored.
    assert!(
        msg.contains(
            "; 1 repeated structure, none with a key-like value, an email or a project id; "
        ),
        "{msg}"
    );
    assert!(
        msg.ends_with(
            "its tables have headers: Invoice, Date, Amount, Status | Month, Spend, Requests"
        ),
        "{msg}"
    );
}

#[test]
fn lists_of_other_things_are_not_keys() {
    // Three repeated structures, none with a key: a feature list, model cards, a changelog.
    let page = keys_page(
        "<ul><li>Fast</li><li>Cheap</li><li>Safe</li></ul>\
         <div><div class=\"m\"><h3>gpt-5</h3><p>$1.25 / 1M tokens</p></div><div class=\"m\"><h3>gpt-5-mini</h3><p>$0.25 / 1M tokens</p></div>\
         <div class=\"m\"><h3>gpt-5-nano</h3><p>$0.05 / 1M tokens</p></div></div>",
    );
    let e = html::read(&Context::new("p.html", AS_OF), &page).unwrap_err();
    assert!(
        e.to_string()
            .ends_with("2 repeated structures, none with a key-like value, an email or a project id; the page has no table or grid"),
        "{e}"
    );
}

#[test]
fn a_list_without_owners_says_no_field_looked_like_an_owner() {
    let b = read(&keys_page(
        "<ul class=\"k\"><li><span>alpha</span><code>sk-proj-...aa01</code><span>Mar 2, 2025</span><span>Never</span><span>All</span></li>\
         <li><span>beta</span><code>sk-proj-...bb02</code><span>Apr 9, 2025</span><span>Nov 3, 2026</span><span>All</span></li></ul>",
    ));
    assert_eq!(b.keys.len(), 2);
    assert_eq!(b.keys[1].last_used, LastUsed::Date(date(2026, 11, 3)));
    assert_eq!(b.warnings, ["2 records, no field looked like an owner"]);
}
