//! The `keyroster` binary on one organization that runs both platforms: the Acme Robotics
//! OpenAI fixtures (tests/fixtures/org) beside the Anthropic Admin API lists, usage report and
//! Console keys page (tests/fixtures/anthropic). One roster, per-provider totals, no key merged
//! across providers, both in one workbook.

use crate::support;

use std::path::PathBuf;
use std::process::{Command, Output};

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};

fn files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(support::fixtures().join("org"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in [
        "api-keys.json",
        "users.json",
        "workspaces.json",
        "usage-report-messages.json",
        "cost-report.json",
        "console-keys-table.html",
    ] {
        files.push(support::fixtures().join("anthropic").join(f));
    }
    files
}

fn keyroster(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_keyroster"))
        .args(["audit", "--as-of", "2026-11-22"])
        .args(args)
        .args(files())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn mixed_org_gives_one_roster_with_totals_per_provider() {
    let out = keyroster(&["--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys = report["keys"].as_array().unwrap();
    let count = |p: &str| keys.iter().filter(|k| k["provider"] == p).count();
    assert_eq!((count("openai"), count("anthropic")), (8, 8));
    // The Console page's 7 keys are the API's keys, not new ones.
    let ingest = keys.iter().find(|k| k["name"] == "ingest-worker").unwrap();
    assert_eq!(ingest["sources"].as_array().unwrap().len(), 2);

    let providers = report["summary"]["providers"].as_array().unwrap();
    let summary: Vec<(String, u64, String)> = providers
        .iter()
        .map(|p| {
            (
                p["label"].as_str().unwrap().to_string(),
                p["keys"].as_u64().unwrap(),
                p["scope_noun"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("OpenAI".to_string(), 8, "project".to_string()),
            ("Anthropic".to_string(), 8, "workspace".to_string())
        ]
    );
    let anthropic = &providers[1];
    // Production, Research, Hackathon 2025 and Default.
    assert_eq!(anthropic["scopes"], 4);
    // Costs in cents: 7 days of Production and Default.
    let cost = anthropic["cost_usd"].as_f64().unwrap();
    // 7 × (1834.50 + 311.07) + 12.25 × (0 + 1 + … + 6) = 15276.24 cents.
    assert!((cost - 152.7624).abs() < 1e-6, "{cost}");
    let found: u64 = ["critical", "high", "medium", "low", "info"]
        .iter()
        .map(|s| {
            providers[0]["findings"][s].as_u64().unwrap()
                + anthropic["findings"][s].as_u64().unwrap()
        })
        .sum();
    let all: u64 = ["critical", "high", "medium", "low", "info"]
        .iter()
        .map(|s| report["summary"]["findings"][s].as_u64().unwrap())
        .sum();
    assert_eq!(found, all, "every finding is one provider's");

    let rules = |name: &str| -> Vec<String> {
        keys.iter()
            .find(|k| k["name"] == name && k["provider"] == "anthropic")
            .unwrap()["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_string())
            .collect()
    };
    assert!(rules("test").contains(&"default-project".to_string()));
    assert!(rules("test").contains(&"owner-departed".to_string()));
    assert!(rules("staging-canary").contains(&"never-used".to_string()));
    assert!(rules("old-eval").is_empty(), "inactive: listed, not judged");
    assert!(!rules("research-notebooks").contains(&"never-used".to_string()));
}

#[test]
fn mixed_org_table_groups_keys_by_provider_with_their_scope_word() {
    let out = keyroster(&[]);
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("  OpenAI: 8 keys"), "{table}");
    assert!(table.contains("  Anthropic: 8 keys"), "{table}");
    let openai = table.find("OPENAI KEYS BY OWNER").unwrap();
    let anthropic = table.find("ANTHROPIC KEYS BY OWNER").unwrap();
    assert!(openai < anthropic);
    let (before, after) = table[openai..].split_at(anthropic - openai);
    assert!(before.contains("mobile-live") && !before.contains("support-bot-prod"));
    assert!(after.contains("support-bot-prod") && !after.contains("mobile-live"));
    assert!(after.contains(" WORKSPACE ") && !after.contains(" PROJECT "));
    // Anthropic lists no last use: the last day its usage report saw each key, or "not seen".
    assert!(after.contains(" LAST SEEN ") && before.contains(" LAST USED "));
    let line = |name: &str| {
        after
            .lines()
            .find(|l| l.contains(name))
            .unwrap()
            .to_string()
    };
    assert!(
        line("support-bot-prod").contains("2026-11-22"),
        "{}",
        line("support-bot-prod")
    );
    assert!(line("staging-canary").contains("not seen"));
    assert!(table.contains("last seen: from usage covering 2026-10-23 to 2026-11-22"));
    assert!(table.contains("in the Default workspace, which mixes"));
}

#[test]
fn mixed_org_workbook_has_one_keys_sheet_with_a_provider_column() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("roster.xlsx");
    keyroster(&[
        "--xlsx",
        xlsx.to_str().unwrap(),
        "--out-dir",
        dir.path().to_str().unwrap(),
    ]);
    let bytes = std::fs::read(&xlsx).unwrap();
    let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let keys = wb.worksheet_range("Keys").unwrap();
    let mut rows = keys.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    let col = header.iter().position(|h| h == "Provider").unwrap();
    let providers: Vec<String> = rows
        .map(|r| match &r[col] {
            Data::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    assert_eq!(providers.iter().filter(|p| *p == "openai").count(), 8);
    assert_eq!(providers.iter().filter(|p| *p == "anthropic").count(), 8);

    // The Summary sheet splits the totals by provider, with each platform's word for a scope.
    let summary = wb.worksheet_range("Summary").unwrap();
    let rows: Vec<Vec<String>> = summary
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let head = rows.iter().position(|r| r[0] == "Provider").unwrap();
    assert_eq!(rows[head][4], "Scopes");
    let anthropic = rows
        .iter()
        .skip(head)
        .find(|r| r[0] == "Anthropic")
        .unwrap();
    assert_eq!(anthropic[1], "8");
    assert_eq!(anthropic[4], "4");
    assert_eq!(anthropic[5], "workspace");
    assert_eq!(anthropic[8], "2026-10-23 to 2026-11-22");
    let openai = rows.iter().skip(head).find(|r| r[0] == "OpenAI").unwrap();
    assert_eq!((openai[1].as_str(), openai[5].as_str()), ("8", "project"));

    let csv = std::fs::read_to_string(dir.path().join("keys.csv")).unwrap();
    assert!(csv.starts_with("provider,"));
    assert_eq!(
        csv.lines().filter(|l| l.starts_with("anthropic,")).count(),
        8
    );
}

#[test]
fn mixed_org_html_report_has_a_row_per_provider() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    keyroster(&["--html", html.to_str().unwrap()]);
    let page = std::fs::read_to_string(&html).unwrap();
    let start = page.find("<table class=\"providers\">").unwrap();
    let table = &page[start..start + page[start..].find("</table>").unwrap()];
    let row = |label: &str| {
        let at = table.find(&format!("<th scope=\"row\">{label}")).unwrap();
        &table[at..at + table[at..].find("</tr>").unwrap()]
    };
    assert!(row("OpenAI").contains("<td class=\"num\">8</td>"));
    assert!(row("OpenAI").contains("projects"));
    assert!(row("Anthropic").contains("4 workspaces"));
    assert!(row("Anthropic").contains("last seen from usage covering 2026-10-23 to 2026-11-22"));
}
