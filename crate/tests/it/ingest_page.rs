//! [`Inventory::add_page`], a live page's HTML, and [`Inventory::add_dom`], the read the
//! extension's popup module makes of the tab's DOM: both must read a page exactly as the general
//! [`Inventory::add`] does (the popup's module leaves the other readers out, not anything a page
//! needs), secrets included.

use crate::support;

use keyroster::ingest::html::dom;
use keyroster::ingest::Context;
use keyroster::Inventory;
use scraper::Html;
use support::AS_OF;

/// Pages the popup reads live: keys (one with a full secret on it), members, and one that is no
/// table at all.
const LIVE_PAGES: [&str; 5] = [
    "org/api-keys.html",
    "e2e/api-keys.html",
    "e2e/api-keys-secret.html",
    "e2e/members.html",
    "e2e/not-a-table.html",
];

#[test]
fn a_live_page_reads_as_the_general_reader_reads_it() {
    for name in LIVE_PAGES {
        let bytes = support::fixture_bytes(name);
        let ctx = Context::new(format!("https://platform.openai.com/{name}"), AS_OF);
        let (mut general, mut page) = (Inventory::default(), Inventory::default());
        let want = general.add(&ctx, &bytes);
        let got = page.add_page(&ctx, &bytes);
        assert_eq!(got, want, "{name}");
        assert_eq!(page, general, "{name}");
    }
    let mut inv = Inventory::default();
    inv.add_page(
        &Context::new("k.html", AS_OF),
        &support::fixture_bytes("e2e/api-keys-secret.html"),
    );
    assert!(
        !inv.exposed.is_empty(),
        "the full secret on the page is reported"
    );
}

#[test]
fn a_live_pages_dom_reads_as_the_general_reader_reads_its_html() {
    let layouts = [
        "html/project-api-keys-grid.html",
        "layouts/keys-07-cards-dl.html",
    ];
    for name in LIVE_PAGES.into_iter().chain(layouts) {
        // What the popup sends: the document element's HTML, and its DOM.
        let file = String::from_utf8(support::fixture_bytes(name)).expect("UTF-8");
        let html = Html::parse_document(&file).root_element().html();
        let dom = dom::write(&Html::parse_document(&html));
        let ctx = Context::new(format!("https://platform.openai.com/{name}"), AS_OF);
        let (mut general, mut live) = (Inventory::default(), Inventory::default());
        let want = general.add(&ctx, html.as_bytes());
        let got = live.add_dom(&ctx, html.as_bytes(), &dom);
        assert_eq!(got, want, "{name}");
        assert_eq!(live, general, "{name}");
    }
    let mut inv = Inventory::default();
    let added = inv.add_dom(&Context::new("p", AS_OF), b"<html></html>", "[1,\"html\"");
    let error = added
        .source
        .error
        .expect("a DOM that does not parse is the page's error");
    assert!(error.contains("DOM could not be read"), "{error}");
}
