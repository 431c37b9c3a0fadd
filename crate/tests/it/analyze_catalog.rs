//! The rule catalog is the one home of each rule's facts: README's rule table, the printed
//! default policy and policy parsing are checked against it here, so a rule added, renamed or
//! re-graded in one place and not the others fails a test.

use keyroster::analyze::rules::CATALOG;
use keyroster::analyze::{Policy, RuleId};

/// README's rule table: (id, default column, fires-when column), in order.
fn readme_rules() -> Vec<(String, String, String)> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let table: Vec<&str> = readme
        .lines()
        .skip_while(|l| !l.starts_with("| rule | default | fires when |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert!(!table.is_empty(), "README has no rule table");
    table
        .iter()
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split(" | ").map(str::trim).collect();
            assert_eq!(cells.len(), 3, "{l}");
            (
                cells[0].trim_matches('`').to_string(),
                cells[1].to_string(),
                cells[2].to_string(),
            )
        })
        .collect()
}

#[test]
fn readme_rule_table_matches_the_catalog() {
    let from_catalog: Vec<(String, String, String)> = CATALOG
        .iter()
        .map(|r| {
            let default = if r.enabled {
                r.severity.to_string()
            } else {
                format!("{} (off)", r.severity)
            };
            (r.id.to_string(), default, r.fires_when.to_string())
        })
        .collect();
    assert_eq!(readme_rules(), from_catalog);
}

#[test]
fn printed_default_policy_names_every_rule_with_its_severity_and_parses_back() {
    let text = Policy::default_toml();
    for r in &CATALOG {
        let block = format!("[rules.{}]\nseverity = \"{}\"\n", r.id, r.severity);
        assert!(text.contains(&block), "{} missing:\n{text}", r.id);
        let off = format!("{block}enabled = false\n");
        assert_eq!(text.contains(&off), !r.enabled, "{}", r.id);
    }
    assert_eq!(
        Policy::from_toml("default.toml", &text).unwrap(),
        Policy::default()
    );
}

#[test]
fn every_rule_runs_or_says_why_not_under_every_preset() {
    let inv = keyroster::Inventory::default();
    for preset in Policy::PRESETS {
        let policy = Policy::preset(preset).unwrap();
        let r = keyroster::analyze(&inv, &policy, jiff::civil::date(2026, 11, 22));
        let ids: Vec<&str> = r.rules.iter().map(|x| x.rule.as_str()).collect();
        let all: Vec<&str> = RuleId::all().map(RuleId::as_str).collect();
        assert_eq!(ids, all, "{preset}");
        for x in &r.rules {
            assert_eq!(x.ran, x.reason.is_none(), "{preset} {}", x.rule);
        }
    }
}

#[test]
fn a_severity_change_in_a_policy_file_reaches_the_rule() {
    for r in &CATALOG {
        let text = format!(
            "[rules.{}]\nseverity = \"critical\"\nenabled = true\n",
            r.id
        );
        let p = Policy::from_toml("p.toml", &text).unwrap();
        let s = p.setting(r.id);
        assert!(s.enabled, "{}", r.id);
        assert_eq!(
            s.severity,
            keyroster::report::Severity::Critical,
            "{}",
            r.id
        );
    }
}

#[test]
fn unknown_rule_ids_are_errors_with_a_suggestion() {
    let e = Policy::from_toml("p.toml", "[rules.owner-departd]\nenabled = false\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "p.toml: rules.owner-departd: unknown rule id (did you mean owner-departed?)"
    );
    let e = Policy::from_json("p.json", r#"{"rules": {"spend": {"enabled": false}}}"#).unwrap_err();
    assert_eq!(e.to_string(), "p.json: rules.spend: unknown rule id");
}

#[test]
fn toml_policy_opening_with_a_table_is_read_as_toml() {
    // Content sniffing is ingest::detect's: a TOML table header is not a JSON array.
    let p = Policy::load("p.toml", "[rules.unused]\nseverity = \"high\"\n").unwrap();
    assert_eq!(
        p.setting(RuleId::Unused).severity,
        keyroster::report::Severity::High
    );
    let p = Policy::load("p.toml", "[[mute]]\nkey = \"k\"\nreason = \"r\"\n").unwrap();
    assert_eq!(p.mutes.len(), 1);
    let p = Policy::load("p.json", "\u{feff} {\"thresholds\": {\"unused_days\": 30}}").unwrap();
    assert_eq!(p.thresholds.unused_days, 30);
}
