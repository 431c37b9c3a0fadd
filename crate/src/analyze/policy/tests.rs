//! Tests of [`super`], in their own file so the module itself reads whole.

use super::*;

#[test]
fn default_toml_parses_back_to_the_default_policy() {
    let p = Policy::from_toml("default.toml", &Policy::default_toml()).unwrap();
    assert_eq!(p, Policy::default());
    assert_eq!(p.preset_name(), "default");
}

#[test]
fn presets_differ_where_the_spec_says() {
    let cis = Policy::preset("cis").unwrap();
    assert_eq!(cis.thresholds.unused_days, 45);
    assert_eq!(cis.thresholds.max_keys_per_owner_per_project, Some(1));
    let strict = Policy::preset("strict").unwrap();
    assert!(strict.setting(RuleId::NoExpiry).enabled);
    assert!(!Policy::default().setting(RuleId::NoExpiry).enabled);
    assert!(strict.thresholds.unused_days < 90);
    assert_eq!(
        Policy::preset("lax").unwrap_err().to_string(),
        "--preset: preset: unknown preset \"lax\" (expected default, cis or strict)"
    );
}

#[test]
fn file_overrides_thresholds_severities_and_lists() {
    let p = Policy::from_toml(
        "p.toml",
        "preset = \"cis\"\n[thresholds]\nunused_days = 60\n[rules.unused]\nseverity = \"high\"\n[rules.broad-permissions]\nenabled = false\nproduction_patterns = [\"PRD\"]\n",
    );
    // production_patterns after a table belongs to the table: a TOML mistake users make.
    assert_eq!(
        p.unwrap_err().to_string(),
        "p.toml: rules.broad-permissions: unknown field `production_patterns`, expected `enabled` or `severity`"
            .replace("rules.broad-permissions: ", "line 7: ")
    );
    let p = Policy::from_toml(
        "p.toml",
        "preset = \"cis\"\nproduction_patterns = [\"PRD\"]\n[thresholds]\nunused_days = 60\n[rules.unused]\nseverity = \"high\"\n[rules.broad-permissions]\nenabled = false\n",
    )
    .unwrap();
    assert_eq!(p.thresholds.unused_days, 60);
    assert_eq!(
        p.thresholds.max_keys_per_owner_per_project,
        Some(1),
        "keeps the preset"
    );
    assert_eq!(p.setting(RuleId::Unused).severity, Severity::High);
    assert!(!p.setting(RuleId::BroadPermissions).enabled);
    assert_eq!(p.production_patterns, vec!["prd"]);
    assert_eq!(p.preset_name(), "cis+custom");
}

#[test]
fn json_policy_has_the_same_structure() {
    let p = Policy::from_json(
        "p.json",
        r#"{"thresholds": {"unused_days": 30}, "mute": [{"key": "key_1", "reason": "batch job", "until": "2027-01-01"}]}"#,
    )
    .unwrap();
    assert_eq!(p.thresholds.unused_days, 30);
    assert_eq!(p.mutes[0].until, Some(jiff::civil::date(2027, 1, 1)));
}

#[test]
fn unknown_threshold_names_the_field_with_a_suggestion() {
    let e = Policy::from_toml("policy.toml", "[thresholds]\nunused_dayz = 30\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "policy.toml: thresholds.unused_dayz: unknown threshold (did you mean unused_days?)"
    );
}

#[test]
fn unknown_rule_id_names_the_field() {
    let e = Policy::from_toml("policy.toml", "[rules.unusd]\nenabled = false\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "policy.toml: rules.unusd: unknown rule id (did you mean unused?)"
    );
}

#[test]
fn bad_severity_names_the_field() {
    let e =
        Policy::from_toml("policy.toml", "[rules.unused]\nseverity = \"urgent\"\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "policy.toml: rules.unused.severity: unknown severity \"urgent\" (expected critical, high, medium, low or info)"
    );
}

#[test]
fn negative_threshold_is_refused() {
    let e = Policy::from_toml("policy.toml", "[thresholds]\nunused_days = -5\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "policy.toml: thresholds.unused_days: must be 0 or more days, not -5"
    );
}

#[test]
fn wrong_type_threshold_is_refused() {
    let e =
        Policy::from_toml("policy.toml", "[thresholds]\nunused_days = \"ninety\"\n").unwrap_err();
    assert!(
        e.to_string().starts_with("policy.toml: thresholds: "),
        "{e}"
    );
}

#[test]
fn mute_needs_a_reason_and_a_known_rule() {
    let e = Policy::from_toml("policy.toml", "[[mute]]\nkey = \"k\"\nreason = \"\"\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "policy.toml: mute[0].reason: a mute needs a reason"
    );
    let e = Policy::from_toml(
        "policy.toml",
        "[[mute]]\nkey = \"k\"\nrule = \"unsed\"\nreason = \"r\"\n",
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "policy.toml: mute[0].rule: unknown rule id \"unsed\" (did you mean unused?)"
    );
    let e = Policy::from_toml(
        "policy.toml",
        "[[mute]]\nkey = \"k\"\nreason = \"r\"\nuntil = \"soon\"\n",
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("policy.toml: line 4: "), "{e}");
}

#[test]
fn invalid_toml_and_json_say_where() {
    let e = Policy::from_toml("policy.toml", "preset = \n").unwrap_err();
    assert!(e.to_string().starts_with("policy.toml: line 1: "), "{e}");
    let e = Policy::from_json("policy.json", "{\n \"preset\": }").unwrap_err();
    assert!(e.to_string().starts_with("policy.json: line 2: "), "{e}");
    let e = Policy::from_toml("policy.toml", "colour = \"red\"\n").unwrap_err();
    assert!(e.to_string().contains("unknown field `colour`"), "{e}");
}
