//! Anthropic inputs (tests/fixtures/anthropic/): every Admin API list, the Console usage export
//! and the Console's keys, workspaces and members pages, read through `Inventory::ingest` so
//! merging and linking run too.

use crate::support;

use jiff::civil::date;
use keyroster::ingest::Context;
use keyroster::model::{Expiry, Inventory, KeyKind, LastUsed, OwnerType, ProjectRef, Provider};
use support::{fixture_bytes, AS_OF};

fn read_into(inv: &mut Inventory, file: &str) {
    let name = format!("anthropic/{file}");
    let src = inv.ingest(&Context::new(&name, AS_OF), &fixture_bytes(&name));
    assert_eq!(src.error, None, "{file} should read");
}

fn read(files: &[&str]) -> Inventory {
    let mut inv = Inventory::default();
    for f in files {
        read_into(&mut inv, f);
    }
    inv
}

fn key<'a>(inv: &'a Inventory, name: &str) -> &'a keyroster::model::Key {
    inv.keys
        .iter()
        .find(|k| k.name == name)
        .unwrap_or_else(|| panic!("no key {name}"))
}

const PROD: &str = "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ";

#[test]
fn admin_api_key_pages_read_both_shapes_statuses_and_the_default_workspace() {
    let inv = read(&["api-keys.json"]);
    assert_eq!(inv.sources[0].kind, "json:anthropic-api-keys");
    assert_eq!(inv.keys.len(), 8);
    assert!(inv.keys.iter().all(|k| k.provider == Provider::Anthropic));

    let old = key(&inv, "support-bot-prod");
    assert_eq!(old.id.as_deref(), Some("apikey_01Rj2N8SVvo6BePZj99NhmiT"));
    assert_eq!(old.redacted.as_deref(), Some("sk-ant-api03-R2D...igAA"));
    assert_eq!(old.kind, KeyKind::Project);
    assert_eq!(old.owner.kind, OwnerType::User);
    assert_eq!(
        old.owner.id.as_deref(),
        Some("user_01WCz1FkmYMm4gnmykNKUu3Q")
    );
    assert_eq!(
        old.project.as_ref().and_then(|p| p.id.as_deref()),
        Some(PROD)
    );
    assert_eq!(old.created, Some(date(2025, 3, 14)));
    assert_eq!(
        old.last_used,
        LastUsed::Unknown,
        "the Admin API has no last use"
    );
    assert_eq!(
        old.expires,
        Expiry::Unknown,
        "the old shape has no expires_at"
    );
    assert_eq!(old.status.as_deref(), Some("active"));

    // The SDKs' actor shape of `principal`.
    let actor = key(&inv, "research-notebooks");
    assert_eq!(
        actor.owner.id.as_deref(),
        Some("user_01Gk7XbV2sQpL9dRtY4nMe8A")
    );
    assert_eq!(actor.expires, Expiry::Never);

    let svac = key(&inv, "ingest-worker");
    assert_eq!(svac.kind, KeyKind::ServiceAccount);
    assert_eq!(svac.owner.kind, OwnerType::ServiceAccount);
    assert_eq!(
        svac.owner.id.as_deref(),
        Some("svac_01Ab3Cd5Ef7Gh9Jk2Lm4Np6Q")
    );
    assert_eq!(
        svac.created_by.as_deref(),
        Some("user_01WCz1FkmYMm4gnmykNKUu3Q")
    );
    assert_eq!(svac.expires, Expiry::Date(date(2026, 11, 30)));

    assert_eq!(
        key(&inv, "test").project,
        Some(ProjectRef {
            id: None,
            name: Some("Default".into())
        }),
        "workspace_id null is the Default workspace"
    );
    let inactive = key(&inv, "old-eval");
    assert!(inactive.is_disabled() && !inactive.deleted);
    assert!(key(&inv, "hackathon").is_disabled());
    let expired = key(&inv, "partner-sandbox");
    assert_eq!(expired.status.as_deref(), Some("expired"));
    assert!(
        !expired.is_disabled(),
        "expired is the expiry rules' to judge"
    );
}

#[test]
fn a_page_with_more_says_to_fetch_the_next_with_after_id() {
    let mut inv = Inventory::default();
    let text = r#"{"data":[{"id":"apikey_01A","type":"api_key","name":"a","partial_key_hint":"sk-ant-api03-AbC...z9AA","status":"active","workspace_id":null,"created_at":"2026-01-01T00:00:00Z"}],"first_id":"apikey_01A","last_id":"apikey_01A","has_more":true}"#;
    let src = inv.ingest(&Context::new("keys-page1.json", AS_OF), text.as_bytes());
    assert_eq!(
        src.warnings,
        ["more pages exist after apikey_01A: fetch them with after_id=apikey_01A"]
    );
}

#[test]
fn users_workspaces_members_and_invites_fill_the_roster() {
    let inv = read(&[
        "api-keys.json",
        "users.json",
        "workspaces.json",
        "workspace-members.json",
        "invites.json",
    ]);
    let kinds: Vec<&str> = inv.sources.iter().map(|s| s.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "json:anthropic-api-keys",
            "json:anthropic-users",
            "json:anthropic-workspaces",
            "json:anthropic-workspace-members",
            "json:anthropic-invites"
        ]
    );
    assert!(inv.members_known);
    // Owners known by id get their name and email from the users list.
    let k = key(&inv, "support-bot-prod");
    assert_eq!(k.owner.name.as_deref(), Some("Mira Okafor"));
    assert_eq!(
        k.owner.email.as_deref(),
        Some("mira.okafor@halvard.example")
    );
    assert_eq!(
        k.project.as_ref().and_then(|p| p.name.as_deref()),
        Some("Production"),
        "the workspace's name comes from the workspaces list"
    );
    let hack = inv
        .projects
        .iter()
        .find(|p| p.name.as_deref() == Some("Hackathon 2025"))
        .unwrap();
    assert_eq!(hack.status.as_deref(), Some("archived"));
    let invited = inv
        .members
        .iter()
        .find(|m| m.email.as_deref() == Some("lena.voss@halvard.example"))
        .unwrap();
    assert_eq!(invited.status.as_deref(), Some("invited"));
    assert!(inv
        .members
        .iter()
        .any(|m| m.role.as_deref() == Some("workspace_developer")
            && m.project.as_ref().and_then(|p| p.id.as_deref())
                == Some("wrkspc_01K3mXq8RtY2vB7nZc4LpWsD")));
}

#[test]
fn usage_report_joins_keys_by_id_and_records_the_window_it_covered() {
    let inv = read(&["api-keys.json", "usage-report-messages.json"]);
    assert_eq!(inv.sources[1].kind, "json:anthropic-usage");
    let w = &inv.usage_windows[0];
    assert_eq!(
        (w.provider, w.from, w.to),
        (Provider::Anthropic, date(2026, 10, 23), date(2026, 11, 22))
    );
    let k = key(&inv, "support-bot-prod");
    let u = k.usage.expect("joined by api_key_id");
    // Day 0: 12000 uncached + 48000 cache reads + 1500 cache writes; 31 days.
    assert_eq!(u.input_tokens, Some((0..31).map(|i| 61_500 + i * 37).sum()));
    assert_eq!(u.requests, None, "the usage report counts no requests");
    assert_eq!(k.daily.len(), 31);
    let t = key(&inv, "test");
    assert_eq!(
        t.daily.iter().map(|d| d.date).collect::<Vec<_>>(),
        [date(2026, 10, 25)]
    );
    assert_eq!(key(&inv, "research-notebooks").usage, None);
}

#[test]
fn cost_report_amounts_are_cents() {
    let inv = read(&["cost-report.json"]);
    assert_eq!(inv.sources[0].kind, "json:anthropic-costs");
    let total: f64 = inv.usage.iter().filter_map(|r| r.usage.cost_usd).sum();
    // 7 days of "1834.50" + 12.25*i cents and 311.07 cents.
    let cents: f64 = (0..7).map(|i| 1834.5 + 12.25 * i as f64 + 311.07).sum();
    assert!((total - cents / 100.0).abs() < 1e-9, "{total}");
    assert!(
        inv.usage_windows.is_empty(),
        "costs say nothing about keys' use"
    );
    assert!(inv
        .usage
        .iter()
        .any(|r| r.project.as_ref().map(|p| p.label()) == Some("Default")));
}

#[test]
fn console_usage_export_joins_keys_by_name_within_workspace() {
    let inv = read(&["api-keys.json", "workspaces.json", "console-usage.csv"]);
    let src = &inv.sources[2];
    assert_eq!(src.kind, "csv:anthropic-usage");
    let w = inv
        .usage_windows
        .iter()
        .find(|w| w.source.ends_with(".csv"))
        .unwrap();
    assert_eq!((w.from, w.to), (date(2026, 11, 9), date(2026, 11, 22)));
    let u = key(&inv, "support-bot-prod")
        .usage
        .expect("joined by name in Production");
    assert_eq!(u.output_tokens, Some((0..14).map(|i| 675 + i).sum()));
    assert_eq!(
        u.input_tokens,
        Some((0..14).map(|i| 1200 + i + 61_624 * 2).sum())
    );
    assert!(
        key(&inv, "test").usage.is_some(),
        "Default workspace by name"
    );
    assert_eq!(key(&inv, "research-notebooks").daily.len(), 5);
}

#[test]
fn console_keys_pages_read_in_table_and_card_layouts_alike() {
    for file in ["console-keys-table.html", "console-keys-cards.html"] {
        let inv = read(&[file]);
        assert_eq!(inv.sources[0].kind, "html:org-api-keys", "{file}");
        // The Console lists no last use or permissions: no column of them is missed.
        assert_eq!(inv.sources[0].warnings, Vec::<String>::new(), "{file}");
        assert_eq!(inv.keys.len(), 7, "{file}");
        let k = key(&inv, "ingest-worker");
        assert_eq!(k.provider, Provider::Anthropic, "{file}");
        assert_eq!(
            k.redacted.as_deref(),
            Some("sk-ant-api03-Wq7...m3AA"),
            "{file}"
        );
        assert_eq!(
            k.project.as_ref().map(|p| p.label()),
            Some("Production"),
            "{file}"
        );
        assert_eq!(k.owner.name.as_deref(), Some("Mira Okafor"), "{file}");
        assert_eq!(k.created, Some(date(2026, 6, 1)), "{file}");
        assert_eq!(k.status.as_deref(), Some("active"), "{file}");
        assert_eq!(
            key(&inv, "old-eval").status.as_deref(),
            Some("inactive"),
            "{file}"
        );
        assert_eq!(
            key(&inv, "test").project.as_ref().map(|p| p.label()),
            Some("Default")
        );
    }
}

#[test]
fn console_page_and_admin_api_give_one_key_each() {
    let inv = read(&[
        "api-keys.json",
        "users.json",
        "workspaces.json",
        "console-keys-table.html",
    ]);
    assert_eq!(
        inv.keys.len(),
        8,
        "the page's 7 keys merge with the API's 8"
    );
    let k = key(&inv, "ingest-worker");
    assert_eq!(k.sources.len(), 2);
}

#[test]
fn console_workspaces_and_members_pages() {
    let inv = read(&["console-workspaces.html", "console-members.html"]);
    assert_eq!(inv.sources[0].kind, "html:projects");
    assert_eq!(inv.sources[1].kind, "html:org-members");
    let names: Vec<&str> = inv
        .projects
        .iter()
        .filter_map(|p| p.name.as_deref())
        .collect();
    assert_eq!(
        names,
        ["Default", "Production", "Research", "Hackathon 2025"]
    );
    let tomas = inv
        .members
        .iter()
        .find(|m| m.name.as_deref() == Some("Tomás Ferreira"))
        .unwrap();
    assert_eq!(
        tomas.email.as_deref(),
        Some("tomas.ferreira@halvard.example")
    );
    assert_eq!(tomas.role.as_deref(), Some("developer"));
}

#[test]
fn console_cost_page_by_key_joins_keys_by_name_within_workspace_and_only_anthropic_keys() {
    let mut inv = read(&["api-keys.json", "workspaces.json"]);
    // An OpenAI key of the same name, which no Console row may join.
    let openai = r#"{"object":"list","data":[{"object":"organization.project.api_key","id":"key_sup","name":"support-bot-prod","redacted_value":"sk-proj-****Zz9q","created_at":1735689600,"last_used_at":null,"owner":{"type":"user","user":{"id":"user-abc","name":"Ada","email":"ada@x.example"}}}]}"#;
    inv.ingest(&Context::new("proj_x-keys.json", AS_OF), openai.as_bytes());
    read_into(&mut inv, "console-cost.html");
    let src = inv.sources.last().unwrap();
    assert_eq!(src.kind, "html:usage", "{:?}", src.warnings);
    let ant = inv
        .keys
        .iter()
        .find(|k| k.name == "support-bot-prod" && k.provider == Provider::Anthropic)
        .unwrap();
    assert_eq!(ant.usage.and_then(|u| u.cost_usd), Some(48.17));
    let oai = inv
        .keys
        .iter()
        .find(|k| k.provider == Provider::Openai)
        .unwrap();
    assert_eq!(oai.usage, None, "a Console row joins Anthropic keys only");
    assert_eq!(
        key(&inv, "test").usage.and_then(|u| u.output_tokens),
        Some(180)
    );
}
