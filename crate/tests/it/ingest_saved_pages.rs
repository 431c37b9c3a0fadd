//! Every way a browser saves a page, read through `ingest::read` / `Inventory::ingest` as the
//! CLI, www and the extension do: Chrome's single-file `.mhtml` (and what a broken one says),
//! Firefox saves that carry no `saved from url` comment, pages with megabytes of inline script,
//! and a paginated list read page by page.

use jiff::civil::{date, Date};
use keyroster::ingest::{self, detect, Batch, Context, Format};
use keyroster::model::Inventory;

const AS_OF: Date = date(2026, 11, 22);
const ORG_KEYS_URL: &str = "https://platform.openai.com/settings/organization/api-keys";

fn fixture(path: &str) -> Vec<u8> {
    let path = format!("{}/../tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read(name: &str, bytes: &[u8]) -> Batch {
    ingest::read(&Context::new(name, AS_OF), bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn read_err(name: &str, text: &str) -> String {
    ingest::read(&Context::new(name, AS_OF), text.as_bytes())
        .expect_err("must not read")
        .to_string()
}

fn redacted(b: &Batch) -> Vec<&str> {
    b.keys
        .iter()
        .filter_map(|k| k.redacted.as_deref())
        .collect()
}

#[test]
fn chrome_single_file_save_is_detected_by_content_and_read_as_its_page() {
    let bytes = fixture("layouts/keys-13-chrome-single-file.mhtml");
    assert_eq!(detect(std::str::from_utf8(&bytes).unwrap()), Format::Mhtml);
    // Named like a text file: detection never looks at the name.
    let b = read("saved.txt", &bytes);
    assert_eq!(b.kind, "html:org-api-keys");
    assert_eq!(b.url.as_deref(), Some(ORG_KEYS_URL));
    assert_eq!(b.org.as_deref(), Some("Northwind Labs"));
    // Quoted-printable soft breaks fall inside class names and values; all six keys survive.
    assert_eq!(
        redacted(&b),
        [
            "sk-proj-...K2m9",
            "sk-svcacct-...Vb4T",
            "sk-...q7Rt",
            "sk-svcacct-...M0pX",
            "sk-proj-...Lz3c",
            "sk-proj-...9dWq"
        ]
    );
    assert_eq!(b.keys[0].created, Some(date(2025, 3, 14)));
    assert!(b.exposed.is_empty());
    assert!(b.warnings.is_empty(), "{:?}", b.warnings);
}

#[test]
fn a_live_url_beats_the_archive_content_location() {
    let bytes = fixture("layouts/keys-13-chrome-single-file.mhtml");
    let mut ctx = Context::new("page.mhtml", AS_OF);
    ctx.url = Some("https://platform.openai.com/settings/proj_k7Qx2mN4pLr8/api-keys".into());
    let b = ingest::read(&ctx, &bytes).unwrap();
    assert_eq!(b.kind, "html:project-api-keys");
}

const MHTML_HEAD: &str = "From: <Saved by Blink>\r\n\
    Snapshot-Content-Location: https://platform.openai.com/settings/organization/api-keys\r\n\
    Subject: API keys - OpenAI API\r\n\
    MIME-Version: 1.0\r\n";

#[test]
fn mhtml_without_a_boundary_is_an_error_naming_file_and_line() {
    let text = format!("{MHTML_HEAD}Content-Type: multipart/related; type=\"text/html\"\r\n\r\n");
    let e = read_err("keys.mhtml", &text);
    assert!(
        e.contains("keys.mhtml") && e.contains("line 5") && e.contains("no boundary"),
        "{e}"
    );
}

#[test]
fn mhtml_without_an_html_part_is_an_error_listing_its_parts() {
    let text = format!(
        "{MHTML_HEAD}Content-Type: multipart/related; boundary=\"--b1\"\r\n\r\n\
         ----b1\r\nContent-Type: text/css\r\nContent-Transfer-Encoding: base64\r\n\r\nYm9keXt9\r\n\
         ----b1\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n\
         ----b1--\r\n"
    );
    let e = read_err("keys.mhtml", &text);
    assert!(
        e.contains("no text/html part (its parts are: text/css, image/png)"),
        "{e}"
    );
}

#[test]
fn mhtml_with_bad_quoted_printable_is_an_error_at_its_line() {
    let text = format!(
        "{MHTML_HEAD}Content-Type: multipart/related; boundary=\"--b1\"\r\n\r\n\
         ----b1\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
         <table><tr><th>Name</th></tr>=\r\n<tr><td>ci=G1</td></tr></table>\r\n----b1--\r\n"
    );
    let e = read_err("keys.mhtml", &text);
    assert!(e.contains("line 12") && e.contains("`=G1`"), "{e}");
}

#[test]
fn a_broken_mhtml_is_recorded_on_its_source_and_the_inventory_keeps_the_rest() {
    let mut inv = Inventory::default();
    inv.ingest(
        &Context::new("keys.html", AS_OF),
        &fixture("html/org-api-keys-page-1.html"),
    );
    let broken = format!("{MHTML_HEAD}Content-Type: multipart/related\r\n\r\n");
    let source = inv.ingest(&Context::new("broken.mhtml", AS_OF), broken.as_bytes());
    assert!(source
        .error
        .as_deref()
        .is_some_and(|e| e.contains("no boundary")));
    assert_eq!(inv.keys.len(), 4);
}

#[test]
fn firefox_save_takes_its_url_from_og_url() {
    let b = read(
        "API keys - OpenAI API.html",
        &fixture("layouts/keys-14-firefox-save.html"),
    );
    assert_eq!(b.url.as_deref(), Some(ORG_KEYS_URL));
    assert_eq!(b.kind, "html:org-api-keys");
    assert_eq!(b.keys.len(), 6);
}

#[test]
fn firefox_save_takes_its_url_from_the_canonical_link() {
    let b = read(
        "Members.html",
        &fixture("layouts/members-04-aria-grid-firefox.html"),
    );
    assert_eq!(
        b.url.as_deref(),
        Some("https://platform.openai.com/settings/organization/members")
    );
    assert_eq!(b.kind, "html:org-members");
}

#[test]
fn a_save_without_head_urls_takes_the_sidebar_link_to_the_page() {
    // Firefox keeps no URL and this page sets no og:url; a project is selected in the top bar,
    // so the title alone would say "a project's API keys". The sidebar's current link (the one
    // named like the page) says it is the organization's.
    let page = String::from_utf8(fixture("layouts/keys-14-firefox-save.html")).unwrap();
    let og = format!(r#"<meta property="og:url" content="{ORG_KEYS_URL}">"#);
    assert!(page.contains(&og));
    let b = read("API keys.html", page.replace(&og, "").as_bytes());
    assert_eq!(b.url.as_deref(), Some(ORG_KEYS_URL));
    assert_eq!(b.kind, "html:org-api-keys");
}

#[test]
fn a_save_with_no_url_at_all_is_known_by_its_title_and_heading() {
    let page = String::from_utf8(fixture(
        "layouts/projects-04-aria-table-firefox-no-url.html",
    ))
    .unwrap()
    .replace(r#" aria-current="page""#, "");
    let b = read("Projects.html", page.as_bytes());
    assert_eq!(b.url, None);
    assert_eq!(b.kind, "html:projects");
    assert_eq!(b.projects.len(), 4);
    assert_eq!(b.org.as_deref(), Some("Northwind Labs"));
}

/// A page whose framework inlines its state and styles: megabytes of `<script>` holding a
/// table's markup, a key-like value, a pagination footer and header words, none of which is
/// page content.
#[test]
fn megabytes_of_inline_script_and_style_are_never_read_as_content() {
    let decoy = r#"{"html":"<table><tr><th>Name</th><th>Secret key</th><th>Created</th></tr><tr><td>ghost-key</td><td>sk-proj-...Gh0s</td><td>Jan 1, 2024</td></tr></table>","footer":"Showing 1–20 of 45 keys","owner":"Service account"},"#;
    let mut script = String::from("window.__NEXT_DATA__={\"rows\":[");
    while script.len() < 1_500_000 {
        script.push_str(decoy);
    }
    script.push_str("{}]};");
    let style = ".k::after{content:\"sk-svcacct-...St7l\"}\n".repeat(20_000);
    let page = format!(
        "<!DOCTYPE html>\n<!-- saved from url=(0058){ORG_KEYS_URL} -->\n<html><head><title>API keys - OpenAI API</title>\
         <script>{script}</script><style>{style}</style></head><body>\
         <script type=\"application/json\" id=\"__NEXT_DATA__\">{script}</script>\
         <main><h1>API keys</h1><table><thead><tr><th>Name</th><th>Secret key</th><th>Created</th><th>Last used</th><th>Project</th><th>Created by</th><th>Permissions</th></tr></thead>\
         <tbody><tr><td>checkout-prod</td><td>sk-proj-...K2m9</td><td>Mar 14, 2025</td><td>Never</td><td>Checkout API</td><td>Priya Nair</td><td>All</td></tr></tbody></table>\
         <noscript><table><tr><th>Name</th><th>Secret key</th></tr><tr><td>noscript-key</td><td>sk-proj-...N0sc</td></tr></table></noscript>\
         </main></body></html>"
    );
    assert!(page.len() > 3_000_000);
    let b = read("heavy.html", page.as_bytes());
    assert_eq!(b.kind, "html:org-api-keys");
    assert_eq!(redacted(&b), ["sk-proj-...K2m9"]);
    assert_eq!(b.keys[0].name, "checkout-prod");
    assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    assert!(b.exposed.is_empty(), "{:?}", b.exposed);
}

#[test]
fn page_two_of_a_paginated_list_merges_with_page_one_without_duplicates() {
    let mut inv = Inventory::default();
    let p1 = fixture("html/org-api-keys-page-1.html");
    let p2 = fixture("html/org-api-keys-page-2.html");
    inv.ingest(&Context::new("API keys page 1.html", AS_OF), &p1);
    inv.ingest(&Context::new("API keys page 2.html", AS_OF), &p2);
    // The first page saved twice under another name adds nothing.
    inv.ingest(&Context::new("API keys page 1 (1).html", AS_OF), &p1);
    let names: Vec<&str> = inv.keys.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "checkout-prod",
            "deploy-pipeline",
            "analytics-notebook",
            "staging-bot",
            "support-widget",
            "eval-harness"
        ]
    );
    assert_eq!(
        inv.keys[0].sources,
        ["API keys page 1.html", "API keys page 1 (1).html"]
    );
    assert_eq!(inv.keys[5].sources, ["API keys page 2.html"]);
    // Each page says which rows it lacks; the last page points back, not forward.
    let warnings: Vec<&str> = inv
        .sources
        .iter()
        .flat_map(|s| s.warnings.iter().map(String::as_str))
        .collect();
    assert!(warnings.contains(&"page shows 4 of 6 keys: visit the next page too"));
    assert!(warnings.contains(&"page shows 2 of 6 keys: visit the earlier pages too"));
}

#[test]
fn pages_of_a_live_list_read_under_one_url_keep_every_key() {
    // The extension names a live page by its URL; a single-page app shows page 2 at the same
    // URL, so the second read replaces the first's source entry but never its keys.
    let mut inv = Inventory::default();
    let mut ctx = Context::new(ORG_KEYS_URL, AS_OF);
    ctx.url = Some(ORG_KEYS_URL.into());
    inv.ingest(&ctx, &fixture("html/org-api-keys-page-1.html"));
    inv.ingest(&ctx, &fixture("html/org-api-keys-page-2.html"));
    assert_eq!(inv.keys.len(), 6);
    assert_eq!(inv.sources.len(), 1);
}
