//! JSON inputs read through `Inventory::ingest` (so merging and linking run too), one test per
//! shape of Administration API, usage, audit, legacy, Anthropic and Key Roster report JSON.

use crate::support;

use jiff::civil::date;
use keyroster::ingest::Context;
use keyroster::model::{
    Expiry, Inventory, KeyKind, LastUsed, OwnerAccess, OwnerType, Permissions, ProjectRef, Provider,
};
use support::{fixture, AS_OF};

fn read(inv: &mut Inventory, name: &str, text: &str) {
    let src = inv.ingest(&Context::new(name, AS_OF), text.as_bytes());
    assert_eq!(src.error, None, "{name} should read");
}

fn one(name: &str, text: &str) -> Inventory {
    let mut inv = Inventory::default();
    read(&mut inv, name, text);
    inv
}

fn proj(id: &str) -> Option<ProjectRef> {
    Some(ProjectRef {
        id: Some(id.into()),
        name: None,
    })
}

#[test]
fn project_keys_page_with_has_more_takes_project_from_file_name() {
    let inv = one(
        "proj_k7Qx2m-api-keys-page1.json",
        fixture!("json/proj_k7Qx2m-api-keys-page1.json"),
    );
    let src = &inv.sources[0];
    assert_eq!(src.kind, "json:project-api-keys");
    assert_eq!(src.records, 2);
    assert_eq!(
        src.warnings,
        vec!["more pages exist after key_key2: fetch them with after=key_key2".to_string()]
    );
    assert_eq!(inv.keys.len(), 2);

    let k = &inv.keys[0];
    assert_eq!(k.provider, Provider::Openai);
    assert_eq!(k.id.as_deref(), Some("key_key1"));
    assert_eq!(k.name, "My Test Key All");
    assert_eq!(k.redacted.as_deref(), Some("sk-proj-...excA"));
    assert_eq!(k.kind, KeyKind::Project);
    assert_eq!(k.project, proj("proj_k7Qx2m"));
    assert_eq!(k.owner.kind, OwnerType::User);
    assert_eq!(k.owner.id.as_deref(), Some("user-user1"));
    assert_eq!(k.owner.email.as_deref(), Some("user@example.com"));
    assert_eq!(k.owner.name.as_deref(), Some("lempiji"));
    assert_eq!(k.created, Some(date(2025, 6, 21)));
    assert_eq!(
        k.last_used,
        LastUsed::Never,
        "last_used_at: null means never used"
    );
    assert_eq!(k.expires, Expiry::Unknown);
    assert_eq!(k.owner_access, Some(OwnerAccess::Active));
    assert_eq!(k.permissions, Permissions::Unknown);
    assert_eq!(k.usage, None);
    assert_eq!(
        k.sources,
        vec!["proj_k7Qx2m-api-keys-page1.json".to_string()]
    );

    // The older owner shape: a full project user with `object` and `added_at`.
    let k = &inv.keys[1];
    assert_eq!(k.name, "prod-backend");
    assert_eq!(k.owner.kind, OwnerType::User);
    assert_eq!(k.owner.name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(k.owner.email.as_deref(), Some("ada@example.com"));
    assert_eq!(k.owner.id.as_deref(), Some("user-ada"));
    assert_eq!(k.last_used, LastUsed::Date(date(2026, 11, 20)));
    assert_eq!(k.owner_access, Some(OwnerAccess::Inactive));
}

#[test]
fn second_page_adds_service_account_keys_and_absent_last_used_is_unknown() {
    let mut inv = Inventory::default();
    read(
        &mut inv,
        "proj_k7Qx2m-api-keys-page1.json",
        fixture!("json/proj_k7Qx2m-api-keys-page1.json"),
    );
    read(
        &mut inv,
        "proj_k7Qx2m-api-keys-page2.json",
        fixture!("json/proj_k7Qx2m-api-keys-page2.json"),
    );
    assert_eq!(inv.keys.len(), 4);
    assert!(
        inv.sources[1].warnings.is_empty(),
        "{:?}",
        inv.sources[1].warnings
    );
    let sa = &inv.keys[2];
    assert_eq!(sa.id.as_deref(), Some("key_key4"));
    assert_eq!(sa.redacted.as_deref(), Some("sk-svcac...380A"));
    assert_eq!(sa.kind, KeyKind::ServiceAccount);
    assert_eq!(sa.owner.kind, OwnerType::ServiceAccount);
    assert_eq!(sa.owner.id.as_deref(), Some("user-service_account1"));
    assert_eq!(sa.owner.name.as_deref(), Some("My Service Account Key"));
    assert_eq!(sa.owner.email, None);
    assert_eq!(
        sa.last_used,
        LastUsed::Unknown,
        "an absent last_used_at is unknown, not never"
    );
    assert_eq!(sa.project, proj("proj_k7Qx2m"));
    let ci = &inv.keys[3];
    assert_eq!(
        ci.kind,
        KeyKind::Project,
        "the prefix says project even for a service account owner"
    );
    assert_eq!(ci.owner.id.as_deref(), Some("svc_acct_ci"));
    assert_eq!(ci.last_used, LastUsed::Date(date(2026, 11, 21)));
}

#[test]
fn project_keys_without_any_project_hint_warn_how_to_fix_it() {
    let inv = one(
        "keys.json",
        fixture!("json/proj_k7Qx2m-api-keys-page2.json"),
    );
    assert!(inv.keys.iter().all(|k| k.project.is_none()));
    let w = &inv.sources[0].warnings;
    assert_eq!(w.len(), 1);
    assert!(
        w[0].starts_with("2 record(s) do not say which project they belong to"),
        "{w:?}"
    );
    assert!(w[0].contains("proj_abc123-api-keys.json"), "{w:?}");
}

#[test]
fn project_keys_take_project_from_the_live_url() {
    let mut ctx = Context::new("api_keys", AS_OF);
    ctx.url = Some(
        "https://api.openai.com/v1/organization/projects/proj_Url42/api_keys?limit=100".into(),
    );
    let mut inv = Inventory::default();
    inv.ingest(
        &ctx,
        fixture!("json/proj_k7Qx2m-api-keys-page2.json").as_bytes(),
    );
    assert_eq!(inv.keys[0].project, proj("proj_Url42"));
    assert_eq!(inv.sources[0].url, ctx.url);
}

#[test]
fn admin_keys_are_admin_kind_with_expiry() {
    let inv = one("admin-api-keys.json", fixture!("json/admin-api-keys.json"));
    assert_eq!(inv.sources[0].kind, "json:admin-api-keys");
    let [a, b] = &inv.keys[..] else {
        panic!("two admin keys expected, got {}", inv.keys.len())
    };
    assert_eq!(a.kind, KeyKind::Admin);
    assert_eq!(a.redacted.as_deref(), Some("sk-admin...s1MA"));
    assert_eq!(a.name, "Usage exporter");
    assert_eq!(a.expires, Expiry::Never);
    assert_eq!(a.last_used, LastUsed::Never);
    assert_eq!(a.created, Some(date(2025, 8, 1)));
    assert_eq!(a.project, None, "admin keys belong to the organization");
    assert_eq!(a.owner.kind, OwnerType::User);
    assert_eq!(a.owner.id.as_deref(), Some("user-user1"));
    assert_eq!(b.name, "", "a null name stays empty");
    assert_eq!(b.kind, KeyKind::Admin);
    assert_eq!(b.expires, Expiry::Date(date(2026, 12, 1)));
    assert_eq!(b.last_used, LastUsed::Date(date(2026, 11, 18)));
    assert_eq!(b.owner.kind, OwnerType::ServiceAccount);
    assert_eq!(b.owner.id.as_deref(), Some("sa_456"));
    assert_eq!(b.owner.name.as_deref(), Some("Audit bot"));
}

#[test]
fn users_new_and_old_shapes_with_project_memberships() {
    let inv = one("users.json", fixture!("json/users.json"));
    assert_eq!(inv.sources[0].kind, "json:users");
    assert!(inv.members_known);
    assert_eq!(inv.members.len(), 4, "{:#?}", inv.members);
    let m = &inv.members[0];
    assert_eq!(m.id.as_deref(), Some("user-user1"));
    assert_eq!(m.name.as_deref(), Some("lempiji"));
    assert_eq!(m.email.as_deref(), Some("User@Example.com"));
    assert_eq!(m.kind, OwnerType::User);
    assert_eq!(m.role.as_deref(), Some("owner"));
    assert_eq!(m.status.as_deref(), Some("active"));
    assert_eq!(m.project, None);
    assert_eq!(m.added, Some(date(2021, 3, 11)));
    let p = &inv.members[1];
    assert_eq!(p.id.as_deref(), Some("user-user1"));
    assert_eq!(
        p.project,
        Some(ProjectRef {
            id: Some("proj_k7Qx2m".into()),
            name: Some("Payments".into())
        })
    );
    assert_eq!(p.role.as_deref(), Some("owner"));
    assert_eq!(
        inv.members[2]
            .project
            .as_ref()
            .and_then(|p| p.id.as_deref()),
        Some("proj_default1")
    );
    let g = &inv.members[3];
    assert_eq!(g.name.as_deref(), Some("Grace Hopper"));
    assert_eq!(g.role.as_deref(), Some("reader"));
    assert_eq!(g.added, Some(date(2025, 2, 14)));
    assert_eq!(g.project, None);
}

#[test]
fn projects_with_archived_status_from_either_field() {
    let inv = one("projects.json", fixture!("json/projects.json"));
    assert_eq!(inv.sources[0].kind, "json:projects");
    assert_eq!(inv.projects.len(), 3);
    let d = &inv.projects[0];
    assert_eq!(d.id.as_deref(), Some("proj_default1"));
    assert_eq!(d.name.as_deref(), Some("Default project"));
    assert_eq!(d.status.as_deref(), Some("active"));
    assert_eq!(d.created, Some(date(2023, 5, 1)));
    assert!(!d.limits_known);
    assert_eq!(d.hard_limit_usd, None);
    assert_eq!(
        inv.projects[2].status.as_deref(),
        Some("archived"),
        "archived_at alone means archived"
    );
    assert!(!inv.members_known, "a project list is not a member list");
}

#[test]
fn project_users_in_a_wrapper_are_project_members() {
    let inv = one(
        "project-users-wrapped.json",
        fixture!("json/project-users-wrapped.json"),
    );
    assert_eq!(inv.sources[0].kind, "json:project-users");
    assert!(inv.members_known);
    assert_eq!(inv.members.len(), 2);
    for m in &inv.members {
        assert_eq!(m.project, proj("proj_k7Qx2m"));
        assert_eq!(m.kind, OwnerType::User);
    }
    assert_eq!(inv.members[1].role.as_deref(), Some("member"));
    assert_eq!(inv.members[1].added, Some(date(2025, 2, 15)));
}

#[test]
fn service_accounts_are_project_members_of_kind_service_account() {
    let inv = one(
        "proj_k7Qx2m-service-accounts.json",
        fixture!("json/proj_k7Qx2m-service-accounts.json"),
    );
    assert_eq!(inv.sources[0].kind, "json:service-accounts");
    assert!(
        !inv.members_known,
        "service accounts do not tell which people are members"
    );
    let m = &inv.members[0];
    assert_eq!(m.kind, OwnerType::ServiceAccount);
    assert_eq!(m.id.as_deref(), Some("svc_acct_ci"));
    assert_eq!(m.name.as_deref(), Some("ci"));
    assert_eq!(m.role.as_deref(), Some("member"));
    assert_eq!(m.added, Some(date(2026, 6, 1)));
    assert_eq!(m.project, proj("proj_k7Qx2m"));
}

#[test]
fn invites_keep_their_status_and_send_date() {
    let inv = one("invites.json", fixture!("json/invites.json"));
    assert_eq!(inv.sources[0].kind, "json:invites");
    let got: Vec<_> = inv
        .members
        .iter()
        .map(|m| {
            (
                m.email.as_deref(),
                m.status.as_deref(),
                m.added,
                m.id.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                Some("alan@example.com"),
                Some("pending"),
                Some(date(2026, 11, 15)),
                None
            ),
            (
                Some("grace@example.com"),
                Some("accepted"),
                Some(date(2025, 2, 10)),
                None
            ),
            (
                Some("edsger@example.com"),
                Some("expired"),
                Some(date(2026, 9, 1)),
                None
            ),
        ]
    );
}

#[test]
fn usage_page_grouped_by_key_joins_onto_keys_by_id() {
    let mut inv = Inventory::default();
    read(
        &mut inv,
        "proj_k7Qx2m-api-keys-page1.json",
        fixture!("json/proj_k7Qx2m-api-keys-page1.json"),
    );
    read(
        &mut inv,
        "usage-completions.json",
        fixture!("json/usage-completions.json"),
    );
    let src = &inv.sources[1];
    assert_eq!(src.kind, "json:usage");
    assert_eq!(src.records, 3);
    assert_eq!(
        src.warnings,
        vec![
            "more pages exist: fetch them with page=page_AAAAAGdGxdEiJdKOAAAAAGcqsYA=".to_string()
        ]
    );
    let row = &inv.usage[0];
    assert_eq!(row.date, Some(date(2026, 11, 20)));
    assert_eq!(row.key_id.as_deref(), Some("key_key2"));
    assert_eq!(row.project, proj("proj_k7Qx2m"));
    assert_eq!(row.model.as_deref(), Some("gpt-4o-mini-2024-07-18"));
    assert_eq!(row.usage.requests, Some(410));
    assert_eq!(row.usage.input_tokens, Some(120000));
    assert_eq!(row.usage.output_tokens, Some(34000));
    assert_eq!(row.usage.cost_usd, None);
    assert_eq!(row.source, "usage-completions.json");

    let k = &inv.keys[1];
    let u = k.usage.expect("usage joined by key id");
    assert_eq!(u.requests, Some(787));
    assert_eq!(u.input_tokens, Some(218000));
    assert_eq!(u.output_tokens, Some(64100));
    assert_eq!(u.cost_usd, None);
    let days: Vec<_> = k.daily.iter().map(|d| (d.date, d.usage.requests)).collect();
    assert_eq!(
        days,
        vec![
            (date(2026, 11, 20), Some(410)),
            (date(2026, 11, 21), Some(377))
        ]
    );
    assert_eq!(
        inv.keys[0].usage, None,
        "a key no usage mentions has unknown usage"
    );
    // key_key5 is in the usage but not among the keys read: no key is invented for it.
    assert_eq!(inv.keys.len(), 2);
}

#[test]
fn costs_page_joins_by_key_and_project_level_costs_create_no_key() {
    let mut inv = Inventory::default();
    read(
        &mut inv,
        "proj_k7Qx2m-api-keys-page1.json",
        fixture!("json/proj_k7Qx2m-api-keys-page1.json"),
    );
    read(&mut inv, "costs.json", fixture!("json/costs.json"));
    assert_eq!(inv.sources[1].kind, "json:costs");
    assert_eq!(inv.usage.len(), 4);
    let storage = &inv.usage[2];
    assert_eq!(storage.line_item.as_deref(), Some("Fine-tuning storage"));
    assert_eq!(storage.key_id, None);
    assert_eq!(storage.usage.cost_usd, Some(1.5));
    assert_eq!(inv.keys.len(), 2);
    let u = inv.keys[1].usage.expect("costs joined");
    assert!(
        (u.cost_usd.unwrap_or_default() - 0.1316).abs() < 1e-9,
        "{u:?}"
    );
    assert_eq!(u.requests, None);
    assert_eq!(inv.keys[1].daily.len(), 2);
    assert!((inv.keys[1].daily[0].usage.cost_usd.unwrap_or_default() - 0.0816).abs() < 1e-9);
}

#[test]
fn audit_log_fills_created_by_permissions_and_deletion() {
    let mut inv = Inventory::default();
    read(
        &mut inv,
        "proj_k7Qx2m-api-keys-page1.json",
        fixture!("json/proj_k7Qx2m-api-keys-page1.json"),
    );
    read(
        &mut inv,
        "proj_k7Qx2m-api-keys-page2.json",
        fixture!("json/proj_k7Qx2m-api-keys-page2.json"),
    );
    read(&mut inv, "audit-log.json", fixture!("json/audit-log.json"));
    let src = &inv.sources[2];
    assert_eq!(src.kind, "json:audit-log");
    assert_eq!(src.records, 5);
    assert_eq!(
        src.warnings,
        vec![
            "2 audit event(s) not about keys or members were skipped: login.succeeded (2)"
                .to_string()
        ]
    );
    let e = &inv.events[0];
    assert_eq!(e.id.as_deref(), Some("audit_log-k5_20260601"));
    assert_eq!(e.kind, "api_key.created");
    assert_eq!(e.date, Some(date(2026, 6, 1)));
    assert_eq!(e.subject_id.as_deref(), Some("key_key5"));
    assert_eq!(
        e.project,
        Some(ProjectRef {
            id: Some("proj_k7Qx2m".into()),
            name: Some("Payments".into())
        })
    );
    assert_eq!(e.actor_email.as_deref(), Some("user@example.com"));
    assert_eq!(e.actor_id.as_deref(), Some("user-user1"));
    assert_eq!(
        e.scopes,
        vec![
            "api.model.read".to_string(),
            "api.model.request".to_string()
        ]
    );
    assert_eq!(
        inv.events[2].actor_email.as_deref(),
        Some("user@example.com"),
        "actor via an API key"
    );

    let by_id = |id: &str| {
        inv.keys
            .iter()
            .find(|k| k.id.as_deref() == Some(id))
            .expect(id)
    };
    let k1 = by_id("key_key1");
    assert_eq!(
        k1.permissions,
        Permissions::All,
        "empty scopes grant everything"
    );
    assert_eq!(k1.created_by.as_deref(), Some("user@example.com"));
    let k5 = by_id("key_key5");
    assert_eq!(k5.permissions, Permissions::Restricted);
    assert_eq!(
        k5.created,
        Some(date(2026, 6, 1)),
        "the key's own created date is kept"
    );
    let k2 = by_id("key_key2");
    assert!(k2.deleted);
    assert_eq!(k2.created_by, None);
    assert!(!by_id("key_key4").deleted);
    assert_eq!(inv.keys.len(), 4, "events about unknown keys create none");
}

#[test]
fn legacy_usage_joins_by_redacted_value_and_folds_slots_into_days() {
    let mut inv = Inventory::default();
    read(
        &mut inv,
        "proj_k7Qx2m-api-keys-page1.json",
        fixture!("json/proj_k7Qx2m-api-keys-page1.json"),
    );
    read(
        &mut inv,
        "legacy-usage.json",
        fixture!("json/legacy-usage.json"),
    );
    let src = &inv.sources[1];
    assert_eq!(src.kind, "json:legacy-usage");
    assert_eq!(inv.org.as_deref(), Some("Fixture Org"));
    // Two 5-minute slots of one key on one day are one row; the unattributed slot and the
    // DALL-E row stay separate.
    assert_eq!(inv.usage.len(), 3, "{:#?}", inv.usage);
    let r = &inv.usage[0];
    assert_eq!(r.date, Some(date(2026, 11, 19)));
    assert_eq!(r.key_redacted.as_deref(), Some("sk-...Q9zT"));
    assert_eq!(r.key_name.as_deref(), Some("prod-backend"));
    assert_eq!(r.user_email.as_deref(), Some("ada@example.com"));
    assert_eq!(r.model.as_deref(), Some("gpt-4-0613"));
    assert_eq!(r.usage.requests, Some(3));
    assert_eq!(r.usage.input_tokens, Some(1380));
    assert_eq!(r.usage.output_tokens, Some(514));
    assert_eq!(inv.usage[2].model.as_deref(), Some("dall-e-3"));
    let u = inv.keys[1]
        .usage
        .expect("joined by redaction sk-...Q9zT = sk-proj-...Q9zT");
    assert_eq!(u.requests, Some(3));
    assert_eq!(inv.keys[0].usage, None);
}

#[test]
fn anthropic_keys_use_workspace_as_project() {
    let inv = one(
        "anthropic-api-keys.json",
        fixture!("json/anthropic-api-keys.json"),
    );
    let src = &inv.sources[0];
    assert_eq!(src.kind, "json:anthropic-api-keys");
    assert_eq!(
        src.warnings,
        vec!["more pages exist after apikey_01Hq3cW9bAKsu2Xv5PzR8tYe: fetch them with after_id=apikey_01Hq3cW9bAKsu2Xv5PzR8tYe".to_string()]
    );
    let k = &inv.keys[0];
    assert_eq!(k.provider, Provider::Anthropic);
    assert_eq!(k.id.as_deref(), Some("apikey_01Rj2N8SVvo6BePZj99NhmiT"));
    assert_eq!(k.name, "Developer Key");
    assert_eq!(k.redacted.as_deref(), Some("sk-ant-api03-R2D...igAA"));
    assert_eq!(k.kind, KeyKind::Project);
    assert_eq!(k.project, proj("wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ"));
    assert_eq!(k.created, Some(date(2024, 10, 30)));
    assert_eq!(
        k.created_by.as_deref(),
        Some("user_01WCz1FkmYMm4gnmykNKUu3Q")
    );
    assert_eq!(k.last_used, LastUsed::Unknown);
    assert_eq!(k.expires, Expiry::Unknown);
    assert!(!k.deleted);
    let old = &inv.keys[1];
    assert!(
        old.is_disabled() && !old.deleted,
        "archived keys are listed, switched off, not deleted"
    );
    assert_eq!(old.expires, Expiry::Date(date(2026, 1, 5)));
    assert_eq!(
        old.project,
        Some(ProjectRef {
            id: None,
            name: Some("Default".into())
        })
    );
    assert_eq!(old.owner.kind, OwnerType::ServiceAccount);
    assert_eq!(old.owner.id.as_deref(), Some("svac_01Tq"));
}

#[test]
fn keyroster_report_reads_back_keys_members_projects_and_usage() {
    let inv = one(
        "keyroster-report.json",
        fixture!("json/keyroster-report.json"),
    );
    let src = &inv.sources[0];
    assert_eq!(src.kind, "json:keyroster-report");
    assert!(src.warnings.is_empty(), "{:?}", src.warnings);
    assert_eq!(inv.org.as_deref(), Some("Fixture Org"));
    assert_eq!(inv.keys.len(), 2);
    let k = &inv.keys[0];
    assert_eq!(k.name, "prod-backend");
    assert_eq!(k.redacted.as_deref(), Some("sk-proj-...Q9zT"));
    assert_eq!(k.kind, KeyKind::Project);
    assert_eq!(k.owner.name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(k.permissions, Permissions::All);
    assert_eq!(k.created, Some(date(2025, 3, 4)));
    assert_eq!(k.last_used, LastUsed::Date(date(2026, 10, 30)));
    assert_eq!(k.expires, Expiry::Never);
    assert_eq!(
        k.sources,
        vec![
            "api-keys.html".to_string(),
            "keyroster-report.json".to_string()
        ]
    );
    // Totals and the daily series survive linking (they became usage rows).
    let u = k.usage.expect("report usage kept");
    assert_eq!(u.requests, Some(900));
    assert_eq!(u.input_tokens, Some(250000));
    assert_eq!(u.output_tokens, Some(70000));
    assert!((u.cost_usd.unwrap_or_default() - 0.25).abs() < 1e-9);
    assert_eq!(k.daily.len(), 2);
    assert_eq!(k.daily[1].usage.requests, Some(450));
    let old = &inv.keys[1];
    assert_eq!(old.id.as_deref(), Some("key_old7"));
    assert_eq!(old.kind, KeyKind::User);
    assert_eq!(old.last_used, LastUsed::Never);
    assert_eq!(old.usage, None);
    assert!(inv.members_known);
    assert_eq!(inv.members[0].email.as_deref(), Some("grace@example.com"));
    let p = &inv.projects[0];
    assert!(p.limits_known);
    assert_eq!(p.hard_limit_usd, Some(500.0));
}

#[test]
fn keyroster_report_read_twice_keeps_its_usage_once() {
    let mut inv = Inventory::default();
    read(
        &mut inv,
        "keyroster-report.json",
        fixture!("json/keyroster-report.json"),
    );
    read(
        &mut inv,
        "keyroster-report.json",
        fixture!("json/keyroster-report.json"),
    );
    assert_eq!(inv.keys.len(), 2);
    assert_eq!(inv.keys[0].usage.and_then(|u| u.requests), Some(900));
}

#[test]
fn service_account_create_response_scrubs_the_secret_value() {
    let secret = format!(
        "sk-svcacct-{}T3BlbkFJ{}",
        "Ab3dE5fG7h".repeat(6).get(..58).unwrap_or_default(),
        "Zy9xW8vU7t".repeat(6).get(..58).unwrap_or_default()
    );
    let text = fixture!("json/service-account-created.json").replace("__FULL_SECRET__", &secret);
    let inv = one("service-account-created.json", &text);
    assert_eq!(inv.exposed.len(), 1);
    let x = &inv.exposed[0];
    assert_eq!(x.source, "service-account-created.json");
    assert_eq!(x.location, "$.api_key.value");
    assert_eq!(x.redacted, "sk-svcacct-...W8vU");
    assert_eq!(x.kind, KeyKind::ServiceAccount);
    let k = &inv.keys[0];
    assert_eq!(k.id.as_deref(), Some("key_nightly"));
    assert_eq!(k.redacted.as_deref(), Some("sk-svcacct-...W8vU"));
    assert_eq!(k.kind, KeyKind::ServiceAccount);
    assert_eq!(k.owner.id.as_deref(), Some("svc_acct_nightly"));
    assert_eq!(k.owner.kind, OwnerType::ServiceAccount);
    assert_eq!(inv.members[0].kind, OwnerType::ServiceAccount);
    let all = serde_json::to_string(&inv).unwrap_or_default();
    assert!(
        !all.contains(&secret),
        "the full secret must not be kept anywhere"
    );
}

// ---------------------------------------------------------------------------------------------
// Malformed input: a clear message naming the input and position, never a panic.

fn error_of(name: &str, text: &str) -> String {
    keyroster::ingest::json::read(&Context::new(name, AS_OF), text)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_else(|| "no error".into())
}

#[test]
fn invalid_json_names_line_and_column() {
    let text =
        "{\"object\": \"list\",\n  \"data\": [\n    {\"id\": \"key_1\" \"name\": \"x\"}\n  ]\n}";
    assert_eq!(
        error_of("keys.json", text),
        "keys.json: line 3: invalid JSON at column 20: expected `,` or `}`"
    );
}

#[test]
fn truncated_file_says_it_is_cut_short() {
    let full = fixture!("json/admin-api-keys.json");
    let cut = &full[..full.len() / 2];
    let line = cut.lines().count();
    let msg = error_of("admin-api-keys.json", cut);
    assert!(
        msg.starts_with(&format!(
            "admin-api-keys.json: line {line}: invalid JSON at column "
        )),
        "{msg}"
    );
    assert!(msg.ends_with("(the file is cut short)"), "{msg}");
}

#[test]
fn json_of_an_unknown_shape_says_which_shapes_are_expected() {
    let msg = error_of("config.json", r#"{"theme": "dark", "fontSize": 14}"#);
    assert!(
        msg.starts_with(
            "config.json: JSON of an unknown shape (an object with fields fontSize, theme); \
             expected an OpenAI Administration API response"
        ),
        "{msg}"
    );
    assert!(msg.contains("a Key Roster report JSON"), "{msg}");
    let msg = error_of("n.json", "42");
    assert!(
        msg.starts_with("n.json: JSON of an unknown shape (a single value 42)"),
        "{msg}"
    );
    let msg = error_of(
        "l.json",
        r#"{"object":"list","data":[{"object":"vector_store","id":"vs_1"}]}"#,
    );
    assert!(msg.starts_with("l.json: JSON of an unknown shape"), "{msg}");
}

#[test]
fn wrong_types_are_warnings_with_paths_not_failures() {
    let text = r#"{"object":"list","project_id":"proj_w1","data":[
        {"object":"organization.project.api_key","id":"key_w","name":["not","text"],
         "redacted_value":"sk-proj-****wXyZ","created_at":"yesterday","last_used_at":true,
         "owner":"Ada","owner_project_access":"maybe"}],"has_more":false}"#;
    let inv = one("weird.json", text);
    let k = &inv.keys[0];
    assert_eq!(k.id.as_deref(), Some("key_w"));
    assert_eq!(k.name, "");
    assert_eq!(k.created, None);
    assert_eq!(k.last_used, LastUsed::Unknown);
    assert_eq!(k.project, proj("proj_w1"));
    assert_eq!(
        inv.sources[0].warnings,
        vec![
            "$.data[0].last_used_at: expected Unix seconds or an RFC 3339 time, found true; the value was ignored".to_string(),
            "$.data[0].name: expected text, found a list; the value was ignored".to_string(),
            "$.data[0].created_at: expected Unix seconds or an RFC 3339 time, found \"yesterday\"; the value was ignored".to_string(),
            "$.data[0].owner: expected an object, found \"Ada\"; the value was ignored".to_string(),
            "$.data[0].owner_project_access: unknown owner_project_access \"maybe\" (expected active or inactive)".to_string(),
        ]
    );
}

#[test]
fn an_empty_list_is_read_with_a_warning() {
    let inv = one(
        "empty.json",
        r#"{"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false}"#,
    );
    assert_eq!(inv.sources[0].kind, "json:empty-list");
    assert_eq!(
        inv.sources[0].warnings,
        vec!["the list is empty: nothing to read".to_string()]
    );
}

#[test]
fn unknown_items_in_a_known_list_are_skipped_with_a_warning() {
    let text = r#"[{"object":"organization.project","id":"proj_1","name":"A"},{"object":"organization.group","id":"g1"}, 7]"#;
    let inv = one("mixed.json", text);
    assert_eq!(inv.projects.len(), 1);
    assert_eq!(
        inv.sources[0].warnings,
        vec![
            "$[1]: skipped an item of unknown type (object \"organization.group\")".to_string(),
            "$[2]: expected an object, found 7".to_string(),
        ]
    );
}

#[test]
fn many_bad_fields_are_capped_in_warnings() {
    let items: Vec<String> = (0..120)
        .map(|i| {
            format!(r#"{{"object":"organization.project","id":"proj_{i}","created_at":"soon"}}"#)
        })
        .collect();
    let inv = one("p.json", &format!("[{}]", items.join(",")));
    assert_eq!(inv.projects.len(), 120);
    let w = &inv.sources[0].warnings;
    assert_eq!(w.len(), 51);
    assert_eq!(w[50], "… and 70 more warning(s) like the ones above");
}

#[test]
fn a_secret_in_a_file_of_unknown_shape_is_still_reported() {
    let secret = format!("sk-proj-{}T3BlbkFJ{}", "Mn5".repeat(25), "Op6".repeat(25));
    let text = format!(r#"{{"env": {{"OPENAI_API_KEY": "{secret}"}}}}"#);
    let inv = one("settings.json", &text);
    assert_eq!(inv.sources[0].kind, "json:secrets-only");
    assert_eq!(inv.exposed.len(), 1);
    assert_eq!(inv.exposed[0].location, "$.env.OPENAI_API_KEY");
    assert_eq!(inv.exposed[0].kind, KeyKind::Project);
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{Map, Value};

    const FIELDS: &[&str] = &[
        "object",
        "data",
        "id",
        "name",
        "redacted_value",
        "created_at",
        "last_used_at",
        "expires_at",
        "owner",
        "type",
        "user",
        "service_account",
        "email",
        "role",
        "added_at",
        "project_id",
        "project",
        "has_more",
        "last_id",
        "next_page",
        "results",
        "start_time",
        "amount",
        "value",
        "currency",
        "api_key_id",
        "num_model_requests",
        "input_tokens",
        "effective_at",
        "api_key.created",
        "scopes",
        "actor",
        "session",
        "n_requests",
        "aggregation_timestamp",
        "partial_key_hint",
        "workspace_id",
        "keys",
        "as_of",
        "members",
        "projects",
        "status",
        "archived_at",
        "owner_project_access",
        "api_key",
        "dalle_api_data",
    ];
    const WORDS: &[&str] = &[
        "list",
        "page",
        "bucket",
        "organization.project.api_key",
        "organization.admin_api_key",
        "organization.user",
        "organization.project",
        "organization.project.user",
        "organization.project.service_account",
        "organization.invite",
        "project.rate_limit",
        "organization.costs.result",
        "organization.usage.completions.result",
        "api_key",
        "user",
        "service_account",
        "api_key.created",
        "api_key.deleted",
        "usd",
        "eur",
        "sk-proj-****abcd",
        "sk-...x",
        "proj_a",
        "key_a",
        "",
        "*",
        "2024-10-30T23:58:27Z",
        "never",
    ];

    fn leaf() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
            prop::sample::select(WORDS).prop_map(|s| Value::String(s.to_string())),
            ".{0,12}".prop_map(Value::String),
        ]
    }

    fn value() -> impl Strategy<Value = Value> {
        leaf().prop_recursive(5, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::vec((prop::sample::select(FIELDS), inner), 0..8).prop_map(|kv| {
                    Value::Object(
                        kv.into_iter()
                            .map(|(k, v)| (k.to_string(), v))
                            .collect::<Map<_, _>>(),
                    )
                }),
            ]
        })
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in ".{0,400}") {
            let mut inv = Inventory::default();
            inv.ingest(&Context::new("fuzz.json", AS_OF), format!("{{{text}").as_bytes());
            let _ = keyroster::ingest::json::read(&Context::new("fuzz.json", AS_OF), &text);
        }

        #[test]
        fn arbitrary_api_like_json_never_panics(doc in value()) {
            let text = doc.to_string();
            let mut inv = Inventory::default();
            inv.ingest(&Context::new("proj_f1-fuzz.json", AS_OF), text.as_bytes());
            inv.ingest(&Context::new("proj_f1-fuzz.json", AS_OF), text.as_bytes());
            // Read twice, listed once.
            prop_assert_eq!(inv.sources.len(), 1);
        }
    }
}

#[test]
fn a_secret_used_as_a_field_name_is_scrubbed_before_any_message() {
    let secret = format!("sk-proj-{}T3BlbkFJ{}", "Gh2".repeat(25), "Jk3".repeat(25));
    let text = format!(r#"{{"{secret}": "prod"}}"#);
    let inv = one("odd.json", &text);
    assert_eq!(inv.exposed.len(), 1);
    assert_eq!(inv.exposed[0].location, "$ (a field name)");
    assert_eq!(
        inv.exposed[0].redacted,
        format!("sk-proj-...{}", &secret[secret.len() - 4..])
    );
    let all = serde_json::to_string(&inv).unwrap_or_default();
    assert!(!all.contains(&secret), "{all}");
}

#[test]
fn json_lines_audit_export_reads_each_line() {
    let lines: Vec<String> =
        serde_json::from_str::<serde_json::Value>(fixture!("json/audit-log.json"))
            .ok()
            .and_then(|v| v.get("data").and_then(|d| d.as_array()).cloned())
            .unwrap_or_default()
            .iter()
            .map(|e| e.to_string())
            .collect();
    assert_eq!(lines.len(), 7);
    let inv = one("audit.jsonl", &lines.join("\n"));
    assert_eq!(inv.sources[0].kind, "json:audit-log");
    assert_eq!(inv.events.len(), 5);
    let broken = format!("{}\n{{\"id\": ", lines[0]);
    assert_eq!(
        error_of("audit.jsonl", &broken),
        "audit.jsonl: line 2: invalid JSON at column 7: EOF while parsing a value (the file is cut short)"
    );
}

#[test]
fn usage_results_without_figures_make_no_rows() {
    let text = r#"{"object":"page","data":[{"object":"bucket","start_time":1790467200,"end_time":1790553600,
        "results":[{"object":"organization.usage.vector_stores.result","usage_bytes":1024,"project_id":"proj_v"}]}],
        "has_more":false,"next_page":null}"#;
    let inv = one("vs.json", text);
    assert_eq!(inv.sources[0].kind, "json:usage");
    assert!(inv.usage.is_empty());
}

#[test]
fn hourly_buckets_fold_into_one_row_per_day() {
    let result = |n: u64| {
        format!(
            r#"{{"object":"organization.usage.completions.result","input_tokens":{},"output_tokens":{},"num_model_requests":{n},"project_id":"proj_h","api_key_id":"key_h","model":"gpt-4o"}}"#,
            n * 100,
            n * 10
        )
    };
    let bucket = |start: i64, n: u64| {
        format!(
            r#"{{"object":"bucket","start_time":{start},"end_time":{},"results":[{}]}}"#,
            start + 3600,
            result(n)
        )
    };
    // 2025-11-20 10:00 and 11:00 UTC (one day), and 2025-11-21 00:00.
    let text = format!(
        r#"{{"object":"page","data":[{},{},{}],"has_more":false,"next_page":null}}"#,
        bucket(1_763_632_800, 2),
        bucket(1_763_636_400, 3),
        bucket(1_763_683_200, 7)
    );
    let inv = one("hourly.json", &text);
    let rows: Vec<_> = inv
        .usage
        .iter()
        .map(|r| {
            (
                r.date,
                r.usage.requests,
                r.usage.input_tokens,
                r.usage.output_tokens,
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (Some(date(2025, 11, 20)), Some(5), Some(500), Some(50)),
            (Some(date(2025, 11, 21)), Some(7), Some(700), Some(70)),
        ]
    );
}
