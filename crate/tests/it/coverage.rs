//! Coverage: what was read against what could have been read, from each signal a page or file
//! gives (pagination text, `aria-rowcount`, JSON `has_more`, a member's own-keys notice, a
//! project filter), and the rules that say when their input was partial.

use crate::support;

use keyroster::ingest::Context;
use keyroster::report::Report;
use keyroster::{analyze, Inventory, Policy};
use support::{fixture_bytes, AS_OF};

fn report(paths: &[&str]) -> Report {
    let mut inv = Inventory::default();
    for p in paths {
        let src = inv.ingest(&Context::new(*p, AS_OF), &fixture_bytes(p));
        assert!(src.error.is_none(), "{p}: {:?}", src.error);
    }
    analyze(&inv, &Policy::default(), AS_OF)
}

#[test]
fn pagination_text_names_the_page_still_to_visit_until_it_is_read() {
    let r = report(&["html/org-api-keys-page-1.html"]);
    let c = &r.coverage;
    assert_eq!(
        c.line,
        "Read 4 of 6 keys listed; 1 more page to visit; members not read"
    );
    assert_eq!(
        c.to_visit,
        ["2 more keys on page 2 of the organization's keys"]
    );
    assert!(c.partial);
    let run = r
        .rules
        .iter()
        .find(|x| x.rule == "many-keys-per-owner")
        .unwrap();
    assert_eq!(
        run.note.as_deref(),
        Some("input was partial (the organization's keys): counts may be low")
    );

    let r = report(&[
        "html/org-api-keys-page-1.html",
        "html/org-api-keys-page-2.html",
    ]);
    assert_eq!(r.coverage.line, "Read 6 of 6 keys listed; members not read");
    assert!(r.coverage.to_visit.is_empty());
    assert!(!r.coverage.partial);
    let run = r
        .rules
        .iter()
        .find(|x| x.rule == "many-keys-per-owner")
        .unwrap();
    assert_eq!(run.note, None);
}

#[test]
fn a_members_own_keys_view_is_warned_about_not_counted_as_the_organization() {
    let r = report(&["html/member-own-api-keys.html"]);
    let c = &r.coverage;
    assert_eq!(
        c.warning.as_deref(),
        Some(keyroster::analyze::coverage::OWN_ONLY_WARNING)
    );
    assert_eq!(
        c.line,
        "Read 2 keys; members not read; only your own keys were listed"
    );
    let l = &c.listings[0];
    assert!(l.own_only);
    assert_eq!(l.complete, Some(false));
    assert_eq!(l.project.as_deref(), Some("Payments"));
    assert!(c.to_visit.is_empty(), "another page would not show more");
    let src = r.sources[0].seen.as_ref().unwrap();
    assert_eq!(src.viewer_role.as_deref(), Some("member"));
}

#[test]
fn aria_rowcount_of_a_virtualized_grid_says_rows_were_not_drawn() {
    let r = report(&["layouts/keys-06-virtualized.html"]);
    let l = &r.coverage.listings[0];
    assert_eq!((l.read, l.listed, l.complete), (4, Some(6), Some(false)));
    assert!(l.drawn && l.pages_missing.is_empty());
    assert_eq!(
        r.coverage.to_visit,
        [
            "2 more keys of the organization's keys: the list draws rows as it scrolls; scroll \
          through it, then read the page again"
        ]
    );
    assert_eq!(
        r.coverage.line,
        "Read 4 of 6 keys listed; rows not drawn: scroll the list; members not read"
    );
}

#[test]
fn a_project_filter_scopes_the_listing_and_other_projects_are_not_visited() {
    let r = report(&["html/org-api-keys-filtered.html", "json/projects.json"]);
    let c = &r.coverage;
    let l = &c.listings[0];
    assert_eq!(l.project.as_deref(), Some("Payments"));
    assert_eq!(l.complete, Some(true));
    // Hackathon 2024 is archived: it holds no live key to miss.
    assert_eq!(c.projects_not_visited, ["Default project"]);
    assert_eq!(
        c.line,
        "Read 2 of 2 keys listed; 1 project not visited; members not read"
    );
    let owner = r.sources[0].seen.as_ref().unwrap();
    assert_eq!(owner.viewer_role.as_deref(), Some("owner"));
}

#[test]
fn json_has_more_leaves_the_next_page_to_fetch_until_the_last_page_is_read() {
    let r = report(&["json/proj_k7Qx2m-api-keys-page1.json", "json/projects.json"]);
    assert_eq!(
        r.coverage.to_visit,
        ["the next page of the Payments project's keys (the last one read says more exist)"]
    );
    let r = report(&[
        "json/proj_k7Qx2m-api-keys-page1.json",
        "json/proj_k7Qx2m-api-keys-page2.json",
    ]);
    assert_eq!(r.coverage.listings[0].complete, Some(true));
    assert!(r.coverage.to_visit.is_empty());
}

#[test]
fn the_usage_window_is_the_first_and_last_day_of_usage_read() {
    let r = report(&["csv/cost_2026-11-01_2026-11-05-by-key.csv"]);
    assert_eq!(r.coverage.usage_from, Some(jiff::civil::date(2026, 11, 1)));
    assert_eq!(r.coverage.usage_to, Some(jiff::civil::date(2026, 11, 5)));
    // Projects named only by cost rows, none of whose keys were read.
    assert_eq!(r.coverage.projects_not_visited, ["Payments", "Research"]);
}

#[test]
fn owner_departed_says_when_the_member_list_read_was_partial() {
    let mut inv = Inventory::default();
    let keys = "<table><tr><th>Name</th><th>Secret key</th><th>Created by</th><th>Last used</th></tr>\
                <tr><td>etl</td><td>sk-proj-...Et1x</td><td>Ben Ortiz</td><td>Nov 20, 2026</td></tr></table>";
    inv.ingest(&Context::new("api-keys.html", AS_OF), keys.as_bytes());
    let p = "html/org-members-page-1-of-2.html";
    inv.ingest(&Context::new(p, AS_OF), &fixture_bytes(p));
    let r = analyze(&inv, &Policy::default(), AS_OF);
    assert!(r.coverage.members_read && r.coverage.members_partial);
    assert_eq!(
        r.coverage.to_visit,
        ["page 2 of the organization's members"]
    );
    let run = r.rules.iter().find(|x| x.rule == "owner-departed").unwrap();
    assert!(
        run.note.as_deref().is_some_and(|n| n.contains(
            "the member list read was partial (the organization's members): an owner not \
             among the members read may be on a page not read"
        )),
        "{:?}",
        run.note
    );
}

#[test]
fn a_usage_page_with_has_more_leaves_its_next_page_to_fetch() {
    let r = report(&["json/usage-completions.json"]);
    assert_eq!(
        r.coverage.to_visit,
        ["the next page of the usage or cost export (the last one read says more exist)"]
    );
    assert!(r.coverage.partial);
    let r = report(&["json/costs.json"]);
    assert!(r.coverage.to_visit.is_empty(), "has_more is false");
}
