//! End-to-end tests of the `keyroster` binary on the Acme Robotics fixture org
//! (tests/fixtures/org): every input kind at once, merged, judged, exported, with exit codes.

use crate::support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::{Command, Output};

const AS_OF: &str = "2026-11-22";

fn org_dir() -> PathBuf {
    support::fixtures().join("org")
}

fn org_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(org_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn keyroster(args: &[&str], files: &[PathBuf]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keyroster"))
        .args(args)
        .args(files)
        .output()
        .unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn rules_by_key(report: &serde_json::Value) -> BTreeMap<String, BTreeSet<String>> {
    report["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            let rules = k["rules"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap().to_string())
                .collect();
            (k["name"].as_str().unwrap().to_string(), rules)
        })
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn whole_org_merges_into_eight_keys_with_the_expected_rules() {
    let out = keyroster(
        &["audit", "--as-of", AS_OF, "--format", "json"],
        &org_files(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out);
    let rules = rules_by_key(&report);
    let expected: BTreeMap<String, BTreeSet<String>> = [
        (
            "payments-prod",
            set(&[
                "owner-departed",
                "user-key-in-production",
                "rotation-overdue",
                "usage-spike",
                "broad-permissions",
            ]),
        ),
        ("payments-backend", set(&[])),
        ("etl-nightly", set(&["unused"])),
        (
            "Secret key",
            set(&["never-used", "undescriptive-name", "broad-permissions"]),
        ),
        (
            "test",
            set(&["undescriptive-name", "default-project", "broad-permissions"]),
        ),
        (
            "mobile-live",
            // Its full secret was pasted into team-keys-edited.csv.
            set(&[
                "exposed-secret",
                "user-key-in-production",
                "rotation-overdue",
            ]),
        ),
        ("Main Admin Key", set(&["admin-key-idle", "expiring-soon"])),
        (
            "old laptop",
            set(&["legacy-user-key", "unused", "broad-permissions"]),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(rules, expected);

    // Org- and project-level findings.
    let findings = report["findings"].as_array().unwrap();
    let of_rule = |id: &str| findings.iter().filter(|f| f["rule"] == id).count();
    assert_eq!(of_rule("exposed-secret"), 1);
    assert_eq!(of_rule("no-spend-limit"), 1);
    let spend = findings
        .iter()
        .find(|f| f["rule"] == "no-spend-limit")
        .unwrap();
    assert_eq!(spend["target"]["project"], "Data Pipeline");

    // Risk is the highest unmuted severity.
    let risk: BTreeMap<&str, &str> = report["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| (k["name"].as_str().unwrap(), k["risk"].as_str().unwrap()))
        .collect();
    assert_eq!(risk["payments-prod"], "high");
    assert_eq!(risk["payments-backend"], "none");
    assert_eq!(risk["etl-nightly"], "medium");
    assert_eq!(risk["old laptop"], "high");

    // The merged key carries both sources and the API's id.
    let prod = report["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == "payments-prod")
        .unwrap();
    assert_eq!(prod["id"], "key_Pq3L9wXc0vN2mR7t");
    assert_eq!(prod["owner"]["email"], "frank.li@acme-robotics.com");
    assert_eq!(prod["last_used"], "2026-11-21");
    // Listed on the keys page and in the project's API list; its cost joined from costs.json.
    assert_eq!(prod["sources"].as_array().unwrap().len(), 2, "{prod}");
    assert!((prod["usage"]["cost_usd"].as_f64().unwrap() - 381.9).abs() < 1e-6);

    // "Never used" and "unknown" stay different facts.
    let secret_key = report["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == "Secret key")
        .unwrap();
    assert_eq!(secret_key["last_used"], "never");

    // No full secret anywhere in the report.
    assert!(!String::from_utf8_lossy(&out.stdout).contains("T3BlbkFJ"));
}

#[test]
fn fail_on_sets_exit_code_one() {
    let out = keyroster(
        &[
            "audit",
            "--as-of",
            AS_OF,
            "--fail-on",
            "high",
            "--format",
            "json",
        ],
        &org_files(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at or above high"));
    // Below the threshold: a page whose worst finding is medium passes --fail-on high.
    let page = [org_dir().join("limits.html")];
    let out = keyroster(&["audit", "--as-of", AS_OF, "--fail-on", "high"], &page);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn unreadable_input_exits_two_and_still_reports_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.json");
    std::fs::write(
        &bad,
        "{\"object\": \"list\", \"data\": [\n  {\"id\": \"key_1\",\n",
    )
    .unwrap();
    let files = vec![org_dir().join("api-keys.html"), bad.clone()];
    let out = keyroster(&["audit", "--as-of", AS_OF, "--format", "json"], &files);
    assert_eq!(out.status.code(), Some(2));
    let report = json(&out);
    assert_eq!(report["keys"].as_array().unwrap().len(), 5);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("broken.json"), "{stderr}");
    assert!(stderr.contains("line"), "{stderr}");
    let missing = keyroster(&["audit", "--as-of", AS_OF], &[dir.path().join("nope.csv")]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nope.csv"));
}

#[test]
fn out_dir_and_xlsx_write_every_export() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("acme.xlsx");
    let out = keyroster(
        &[
            "audit",
            "--as-of",
            AS_OF,
            "--out-dir",
            dir.path().to_str().unwrap(),
            "--xlsx",
            xlsx.to_str().unwrap(),
        ],
        &org_files(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in [
        "keys.csv",
        "findings.csv",
        "owners.csv",
        "projects.csv",
        "unlisted-keys.csv",
        "report.json",
    ] {
        assert!(dir.path().join(f).is_file(), "{f} missing");
    }
    let keys = std::fs::read_to_string(dir.path().join("keys.csv")).unwrap();
    assert_eq!(
        keys.lines().next().unwrap(),
        "provider,project_id,project_name,key_id,key_name,redacted_key,key_kind,owner_type,\
         owner_name,owner_email,owner_id,created_by,permissions,created,last_used,age_days,\
         idle_days,requests,input_tokens,output_tokens,cost_usd,risk,rules,sources"
    );
    assert_eq!(keys.lines().count(), 9);
    let xlsx_bytes = std::fs::read(&xlsx).unwrap();
    assert_eq!(&xlsx_bytes[..2], b"PK");
    for f in [
        "keys.csv",
        "findings.csv",
        "owners.csv",
        "projects.csv",
        "unlisted-keys.csv",
        "report.json",
    ] {
        let text = std::fs::read_to_string(dir.path().join(f)).unwrap();
        assert!(!text.contains("T3BlbkFJ"), "{f} holds a full secret");
    }
}

#[test]
fn table_output_fits_an_80_column_terminal() {
    let out = keyroster(&["audit", "--as-of", AS_OF], &org_files());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("Key Roster audit — Acme Robotics — as of 2026-11-22"),
        "{text}"
    );
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line}");
    }
    let findings_at = text.find("FINDINGS").unwrap();
    let keys_at = text.find("KEYS BY OWNER").unwrap();
    assert!(findings_at < keys_at);
    assert!(text.contains("CRITICAL (1)"));
}

#[test]
fn markdown_and_csv_formats() {
    let out = keyroster(
        &["audit", "--as-of", AS_OF, "--format", "markdown"],
        &org_files(),
    );
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("# Key Roster audit"));
    assert!(md.contains("| Severity | Rule |"));
    let out = keyroster(
        &["audit", "--as-of", AS_OF, "--format", "csv"],
        &org_files(),
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.starts_with("provider,project_id,"));
}

#[test]
fn printed_default_policy_is_a_valid_policy_file() {
    let out = keyroster(&["policy", "--print-default"], &[]);
    assert_eq!(out.status.code(), Some(0));
    // Every rule's severity is printed, so a user sees what to change.
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("[rules.owner-departed]\nseverity = \"high\"\n"),
        "{text}"
    );
    assert!(text.contains("[rules.no-expiry]\nseverity = \"info\"\nenabled = false\n"));
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("keyroster.toml");
    std::fs::write(&p, &out.stdout).unwrap();
    let checked = keyroster(&["policy", "--check", p.to_str().unwrap()], &[]);
    assert_eq!(
        checked.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    let audit = keyroster(
        &[
            "audit",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--policy",
            p.to_str().unwrap(),
        ],
        &org_files(),
    );
    assert_eq!(
        rules_by_key(&json(&audit)),
        rules_by_key(&json(&keyroster(
            &["audit", "--as-of", AS_OF, "--format", "json"],
            &org_files()
        )))
    );
}

#[test]
fn invalid_policy_names_the_field_and_exits_two() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("policy.toml");
    std::fs::write(&p, "[thresholds]\nunused_dayz = 30\n").unwrap();
    let out = keyroster(&["audit", "--policy", p.to_str().unwrap()], &org_files());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unused_dayz"));
}

#[test]
fn mutes_keep_findings_visible_but_out_of_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("policy.toml");
    std::fs::write(
        &p,
        "[[mute]]\nkey = \"old laptop\"\nreason = \"Ada's laptop key, revoked with IT ticket 4411\"\nuntil = \"2026-12-31\"\n",
    )
    .unwrap();
    let files = [org_dir().join("profile-api-keys.html")];
    let out = keyroster(
        &[
            "audit",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--fail-on",
            "low",
            "--policy",
            p.to_str().unwrap(),
        ],
        &files,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out);
    let findings = report["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert!(findings
        .iter()
        .all(|f| f["muted"]["reason"].as_str().unwrap().contains("4411")));
    assert_eq!(report["summary"]["muted"], findings.len());
}

#[test]
fn previous_audit_marks_new_and_fixed() {
    let dir = tempfile::tempdir().unwrap();
    // Last month the org had only the profile page's legacy key and the keys page.
    let before = keyroster(
        &[
            "audit",
            "--as-of",
            "2026-10-22",
            "--out-dir",
            dir.path().to_str().unwrap(),
        ],
        &[
            org_dir().join("api-keys.html"),
            org_dir().join("profile-api-keys.html"),
        ],
    );
    assert!(before.status.code().is_some());
    let prev_json = dir.path().join("report.json");
    // Now the legacy key is gone and the API files add keys.
    let files: Vec<PathBuf> = org_files()
        .into_iter()
        .filter(|p| !p.ends_with("profile-api-keys.html"))
        .collect();
    for previous in [prev_json, dir.path().join("keys.csv")] {
        let out = keyroster(
            &[
                "audit",
                "--as-of",
                AS_OF,
                "--format",
                "json",
                "--previous",
                previous.to_str().unwrap(),
            ],
            &files,
        );
        let report = json(&out);
        let cmp = &report["comparison"];
        assert!(cmp.is_object(), "no comparison with {}", previous.display());
        let removed = cmp["keys_removed"].as_array().unwrap();
        assert_eq!(removed.len(), 1, "{cmp}");
        assert_eq!(removed[0]["key_name"], "old laptop");
        assert!(cmp["keys_added"].as_u64().unwrap() >= 2);
        assert!(cmp["findings_fixed"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["rule"] == "legacy-user-key"));
    }
}

#[test]
fn the_same_file_twice_is_one_source_and_the_same_keys() {
    let page = org_dir().join("api-keys.html");
    let out = keyroster(
        &["audit", "--as-of", AS_OF, "--format", "json"],
        &[page.clone(), page],
    );
    let report = json(&out);
    assert_eq!(report["sources"].as_array().unwrap().len(), 1);
    assert_eq!(report["keys"].as_array().unwrap().len(), 5);
}

#[test]
fn skeleton_prints_the_page_structure_without_its_text() {
    let page = org_dir().join("api-keys.html");
    let out = keyroster(&["skeleton"], std::slice::from_ref(&page));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sk = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(sk.starts_with("# Key Roster page structure"), "{sk}");
    assert!(
        sk.contains("<redacted-key>") && sk.contains("\n  body"),
        "{sk}"
    );
    // The same text the library gives: the CLI adds nothing and loses nothing.
    let bytes = std::fs::read(&page).expect("fixture reads");
    assert_eq!(
        sk,
        keyroster::ingest::html::skeleton::of_bytes(&page.display().to_string(), &bytes)
    );
}

#[test]
fn html_writes_the_report_the_library_renders() {
    // Run from tests/fixtures with relative names, so the sources are named `org/…` exactly as
    // in the golden file the library test (export_html.rs) pins: the CLI adds nothing of its own.
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    let fixtures = org_dir().join("..");
    let names: Vec<String> = org_files()
        .iter()
        .map(|p| format!("org/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    let out = Command::new(env!("CARGO_BIN_EXE_keyroster"))
        .current_dir(&fixtures)
        .args(["audit", "--as-of", AS_OF, "--format", "json", "--html"])
        .arg(&html)
        .args(&names)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let written = std::fs::read(&html).unwrap();
    let golden = std::fs::read(fixtures.join("golden/report.html")).unwrap();
    assert!(
        written == golden,
        "keyroster audit --html differs from golden/report.html"
    );
    let text = String::from_utf8(written).unwrap();
    assert!(text.starts_with("<!DOCTYPE html>"));
    assert!(!text.contains("<script"));
    assert_eq!(json(&out)["summary"]["keys"], 8);
}

/// The CLI streams delimited files; one it refuses (a notes CSV, no roster in it) is still swept
/// for full secrets, as every refused input is.
#[test]
fn a_refused_csv_streamed_by_the_cli_is_still_swept_for_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.csv");
    let secret = format!("sk-proj-{}T3BlbkFJ{}", "Ab3x".repeat(8), "Zk9Q".repeat(8));
    std::fs::write(
        &notes,
        format!("key_name,notes\nprod,\"rotate {secret} soon\"\n"),
    )
    .unwrap();
    let out = keyroster(&["audit", "--as-of", AS_OF, "--format", "json"], &[notes]);
    assert_eq!(out.status.code(), Some(2), "the file is refused");
    let report = json(&out);
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains(&"exposed-secret"), "{rules:?}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&secret));
}
