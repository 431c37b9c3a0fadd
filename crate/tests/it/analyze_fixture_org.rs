//! The shared Acme Robotics fixture org (tests/fixtures/org/), every file read and merged, then
//! judged by each preset: the findings an admin of that org should see, and why.

use crate::support;

use keyroster::ingest::previous;
use keyroster::ingest::Context;
use keyroster::report::{Report, Severity};
use keyroster::{analyze, Inventory, Policy};
use support::AS_OF;

fn org() -> Inventory {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/org");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let mut inv = Inventory::default();
    for p in paths {
        let name = p.file_name().unwrap().to_str().unwrap().to_string();
        inv.ingest(&Context::new(name, AS_OF), &std::fs::read(&p).unwrap());
    }
    inv
}

/// (rule, what it is about) for each finding, in report order.
fn found(r: &Report) -> Vec<(String, String)> {
    r.findings
        .iter()
        .map(|f| {
            let t = &f.target;
            let about = t
                .key_name
                .clone()
                .or(t.project.clone())
                .or(t.source.clone())
                .unwrap_or_default();
            (f.rule.clone(), about)
        })
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn the_fixture_org_by_the_default_policy() {
    let r = analyze(&org(), &Policy::default(), AS_OF);
    assert_eq!(
        found(&r),
        pairs(&[
            ("exposed-secret", "mobile-live"),
            ("owner-departed", "payments-prod"),
            ("legacy-user-key", "old laptop"),
            ("admin-key-idle", "Main Admin Key"),
            ("unused", "etl-nightly"),
            ("unused", "old laptop"),
            ("rotation-overdue", "mobile-live"),
            ("rotation-overdue", "payments-prod"),
            ("user-key-in-production", "mobile-live"),
            ("user-key-in-production", "payments-prod"),
            ("no-spend-limit", "Data Pipeline"),
            ("usage-spike", "payments-prod"),
            ("expiring-soon", "Main Admin Key"),
            ("never-used", "Secret key"),
            ("default-project", "test"),
            ("undescriptive-name", "Secret key"),
            ("undescriptive-name", "test"),
            ("broad-permissions", "Secret key"),
            ("broad-permissions", "old laptop"),
            ("broad-permissions", "payments-prod"),
            ("broad-permissions", "test"),
        ])
    );
    let msg = |rule: &str| {
        r.findings
            .iter()
            .find(|f| f.rule == rule)
            .map(|f| f.message.clone())
            .unwrap()
    };
    assert_eq!(
        msg("unused"),
        "last used 2025-05-30, 541 days ago (threshold 90 days)"
    );
    assert_eq!(
        msg("owner-departed"),
        "owner frank.li@acme-robotics.com no longer has access to Payments, but the key still \
         works (last used 2026-11-21, 1 day ago)"
    );
    assert_eq!(
        msg("usage-spike"),
        "cost $96.40 on 2026-11-22, 4.7x the median of $20.30 over the 14 days before"
    );
    assert!(
        !msg("exposed-secret").contains("T3BlbkFJ"),
        "never the secret itself"
    );

    // The fixture holds every input a rule needs: all enabled rules ran (no-expiry is off).
    let not_run: Vec<_> = r
        .rules
        .iter()
        .filter(|x| !x.ran)
        .map(|x| x.rule.as_str())
        .collect();
    assert_eq!(not_run, ["no-expiry"]);
    let s = &r.summary;
    assert_eq!((s.keys, s.active_keys, s.owners, s.members), (8, 3, 6, 4));
    assert_eq!(
        (
            s.findings.critical,
            s.findings.high,
            s.findings.medium,
            s.findings.low,
            s.findings.info
        ),
        (1, 3, 9, 4, 4)
    );
    // The leak is reported against the file that held it (its location and redaction), at the
    // top of the report.
    let leak = &r.findings[0];
    assert_eq!(leak.severity, Severity::Critical);
    assert_eq!(leak.target.source.as_deref(), Some("team-keys-edited.csv"));
}

#[test]
fn the_fixture_org_by_the_cis_and_strict_presets() {
    let inv = org();
    let default = analyze(&inv, &Policy::default(), AS_OF);
    let cis = analyze(&inv, &Policy::preset("cis").unwrap(), AS_OF);
    let strict = analyze(&inv, &Policy::preset("strict").unwrap(), AS_OF);
    let extra = |a: &Report, b: &Report| {
        let base = found(a);
        found(b)
            .into_iter()
            .filter(|f| !base.contains(f))
            .collect::<Vec<_>>()
    };
    // The admin key, idle 82 days, is unused by CIS's 45 days; no owner holds two active keys
    // in one project.
    assert_eq!(
        extra(&default, &cis),
        pairs(&[("unused", "Main Admin Key")])
    );
    assert_eq!(cis.policy, "cis");
    // Strict: the admin key unused at 45 days, payments-backend (created 2026-09-01, 82 days)
    // overdue at 60, `test` (created 2026-11-15) never used at 7. No key says it never
    // expires, so no-expiry, on in strict, finds nothing.
    assert_eq!(
        extra(&default, &strict),
        pairs(&[
            ("unused", "Main Admin Key"),
            ("rotation-overdue", "payments-backend"),
            ("never-used", "test"),
        ])
    );
    assert!(strict.rules.iter().any(|x| x.rule == "no-expiry" && x.ran));
}

#[test]
fn the_fixture_org_compared_with_itself_has_nothing_new() {
    let inv = org();
    let before = analyze(&inv, &Policy::default(), AS_OF);
    let prev = previous::read("before.json", &serde_json::to_vec(&before).unwrap()).unwrap();
    let now = keyroster::analyze::audit(&inv, &Policy::default(), AS_OF, Some(&prev));
    let c = now.comparison.unwrap();
    assert_eq!((c.findings_new, c.findings_open), (0, 21));
    assert!(c.findings_fixed.is_empty());
    assert_eq!(c.keys_added, 0);
    assert!(c.keys_removed.is_empty());
}

#[test]
fn payments_prod_details_and_its_matrix_cell_in_the_fixture_org() {
    let r = analyze(&org(), &Policy::default(), AS_OF);
    let i = keyroster::details::find(&r, "key_Pq3L9wXc0vN2mR7t").unwrap();
    let d = keyroster::details::of(&r, i).unwrap();
    assert_eq!(d.row.label, "payments-prod");
    assert!(d.findings.iter().all(|f| f.target.key_index == Some(i)));
    assert!(d.findings.iter().any(|f| f.rule == "owner-departed"));
    let spikes: Vec<String> = d
        .daily
        .iter()
        .filter(|x| x.spike)
        .map(|x| x.date.to_string())
        .collect();
    assert_eq!(spikes, ["2026-11-22"], "the day usage-spike judged");
    assert_eq!(d.max_cost_usd, Some(96.4));

    let m = &r.groups.matrix;
    let o = m.owners.iter().position(|x| x == "Frank Li").unwrap();
    let p = m.projects.iter().position(|x| x == "Payments").unwrap();
    assert_eq!((m.cells[o][p], m.worst[o][p]), (1, Some(Severity::High)));
}
