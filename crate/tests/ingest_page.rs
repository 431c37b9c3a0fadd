//! [`Inventory::add_page`], the read the extension's popup module makes of the tab's HTML: it
//! must read a page exactly as the general [`Inventory::add`] does (the popup's module leaves the
//! other readers out, not anything a page needs), secrets included.

mod support;

use keyroster::ingest::Context;
use keyroster::Inventory;
use support::AS_OF;

#[test]
fn a_live_page_reads_as_the_general_reader_reads_it() {
    for name in [
        "org/api-keys.html",
        "e2e/api-keys.html",
        "e2e/api-keys-secret.html",
        "e2e/members.html",
        "e2e/not-a-table.html",
    ] {
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
