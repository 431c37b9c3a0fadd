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

/// What the popup sends first: the document element's HTML behind the page's doctype, which the
/// fast reader takes when the page is well-formed; the same read as the general reader's.
#[test]
fn a_live_pages_html_reads_as_the_general_reader_reads_it_or_is_declined() {
    let layouts = [
        "html/project-api-keys-grid.html",
        "layouts/keys-07-cards-dl.html",
    ];
    for name in LIVE_PAGES.into_iter().chain(layouts) {
        let file = String::from_utf8(support::fixture_bytes(name)).expect("UTF-8");
        let html = format!(
            "<!DOCTYPE html>{}",
            Html::parse_document(&file).root_element().html()
        );
        let ctx = Context::new(format!("https://platform.openai.com/{name}"), AS_OF);
        let (mut general, mut live) = (Inventory::default(), Inventory::default());
        let want = general.add(&ctx, html.as_bytes());
        let got = live.add_html(&ctx, html.as_bytes());
        assert_eq!(
            got,
            Some(want),
            "{name}: the fast reader takes a live page's HTML"
        );
        assert_eq!(live, general, "{name}");
    }
    // Declined, with nothing added: no doctype (quirks mode), and a row straight in a table (a
    // script's DOM, which the HTML parser would re-shape).
    for html in [
        "<html><head></head><body><p>sk-proj-...Ab12</p></body></html>",
        "<!DOCTYPE html><html><head></head><body><table><tr><td>a</td></tr></table></body></html>",
    ] {
        let mut inv = Inventory::default();
        assert_eq!(
            inv.add_html(&Context::new("p", AS_OF), html.as_bytes()),
            None
        );
        assert_eq!(inv, Inventory::default(), "{html}");
    }
    // A page over the size limit is refused, not parsed and not declined.
    let mut inv = Inventory::default();
    let big = format!(
        "<!DOCTYPE html><html><head></head><body>{}</body></html>",
        "x".repeat(129 << 20)
    );
    let added = inv
        .add_html(&Context::new("big", AS_OF), big.as_bytes())
        .expect("refused, not declined");
    let error = added.source.error.expect("too large");
    assert!(error.contains("over the 128 MiB limit"), "{error}");
    // A page past the table limit, measured as it is parsed (no pre-scan): refused as the
    // general reader refuses it.
    let tables = format!(
        "<!DOCTYPE html><html><head></head><body>{}</body></html>",
        "<table><tbody><tr><td>x</td></tr></tbody></table>".repeat(1_001)
    );
    let ctx = Context::new("tables", AS_OF);
    let (mut general, mut live) = (Inventory::default(), Inventory::default());
    let want = general.add(&ctx, tables.as_bytes());
    let got = live.add_html(&ctx, tables.as_bytes());
    assert_eq!(got, Some(want));
    let error = got.unwrap().source.error.expect("too many tables");
    assert!(error.contains("more than 1000 tables"), "{error}");
    // The same page read through its DOM, measured as the tree is built: refused alike.
    let dom = format!(
        "[1,\"html\",0,1,\"head\",0,0,1,\"body\",0,{}0,0]",
        "1,\"table\",0,0,".repeat(1_001)
    );
    let added = Inventory::default().add_dom(&ctx, tables.as_bytes(), &dom);
    let error = added.source.error.expect("too many tables");
    assert!(error.contains("more than 1000 tables"), "{error}");
}
