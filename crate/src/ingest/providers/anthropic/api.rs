//! Anthropic Admin API objects (PLATFORM-DATA.md §6), recognized by their `type` since they
//! carry no `object`: `api_key` (old shape with `created_by`, newer with `principal` and
//! `expires_at`), `user`, `workspace`, `workspace_member`, `invite`, and the buckets
//! (`starting_at`, `ending_at`, `results`) of `usage_report/messages` and `cost_report`.
//!
//! Lists are pages (`data`, `first_id`, `last_id`, `has_more`, `next_page`) and are walked by the
//! generic JSON reader; each item comes here through `item`. Two facts differ from OpenAI's:
//! `cost_report` amounts are decimal strings in **cents**, and a key has no last-used time, so
//! a usage report also records the days it covered ([`UsageWindow`]) for the rules to judge.

use jiff::civil::Date;
use serde_json::Value;

use super::workspace;
use crate::ingest::json::admin::{base_key, settle_kind};
use crate::ingest::json::reader::{child, index, Obj, Reader, Stamp};
use crate::model::{
    Key, KeyKind, LastUsed, Member, Owner, OwnerType, Project, ProjectRef, Provider, Usage,
    UsageRow, UsageWindow,
};

/// Reads `o` when it is an Anthropic object; false when it is not one (the caller goes on).
pub(crate) fn item(r: &mut Reader, o: &Obj, path: &str) -> bool {
    if o.contains_key("object") {
        return false;
    }
    if o.contains_key("starting_at") && o.contains_key("results") {
        bucket(r, o, path);
        return true;
    }
    match o.get("type").and_then(Value::as_str) {
        Some("api_key") => api_key(r, o, path),
        Some("user") if o.contains_key("email") => user(r, o, path),
        Some("workspace") => workspace_item(r, o, path),
        Some("workspace_member") => workspace_member(r, o, path),
        Some("invite") => invite(r, o, path),
        _ => return false,
    }
    true
}

/// The scope of an item that has a `workspace_id` field: `null` is the Default workspace.
fn workspace_of(r: &mut Reader, o: &Obj, path: &str) -> Option<ProjectRef> {
    o.contains_key("workspace_id")
        .then(|| workspace(r.text(o, "workspace_id", path), None))
}

/// `api_key`: the workspace is the key's scope; `principal` (newer) or `created_by` (older)
/// is whose key it is. There is no `last_used_at`: last use stays unknown here.
fn api_key(r: &mut Reader, o: &Obj, path: &str) {
    r.kind("anthropic-api-keys");
    let mut key: Key = base_key(r, o, path, "partial_key_hint");
    key.provider = Provider::Anthropic;
    key.last_used = LastUsed::Unknown;
    key.project = Some(workspace(r.text(o, "workspace_id", path), None));
    if key.kind == KeyKind::Unknown {
        // Every key this endpoint lists is a workspace API key (admin keys are not listed).
        key.kind = KeyKind::Project;
    }
    if let Some(c) = r.object(o, "created_by", path) {
        let at = child(path, "created_by");
        key.created_by = r.text(c, "id", &at);
        key.owner = actor(r, c, &at);
    }
    if let Some(p) = r.object(o, "principal", path) {
        let at = child(path, "principal");
        let owner = actor(r, p, &at);
        if owner.id.is_some() || owner.kind != OwnerType::Unknown {
            key.owner = owner;
        }
    }
    if key.owner.kind == OwnerType::ServiceAccount {
        key.kind = KeyKind::ServiceAccount;
    }
    key.status = r.text(o, "status", path).map(|s| s.to_ascii_lowercase());
    match key.status.as_deref() {
        None | Some("active" | "inactive" | "archived" | "expired") => {}
        Some(other) => {
            let msg = format!(
                "{}: unknown status {other:?} (expected active, inactive, archived or expired)",
                child(path, "status")
            );
            r.warn(msg);
        }
    }
    settle_kind(&mut key);
    r.batch.keys.push(key);
}

/// Whose key: `{id, type: "user" | "service_account"}`, or the SDKs' actor objects
/// `{type: "user_actor", user_id}` / `{type: "service_account_actor", service_account_id}`.
fn actor(r: &mut Reader, a: &Obj, at: &str) -> Owner {
    let t = r.text(a, "type", at).unwrap_or_default();
    let id = r
        .text(a, "id", at)
        .or_else(|| r.text(a, "user_id", at))
        .or_else(|| r.text(a, "service_account_id", at));
    let kind = match t.as_str() {
        "user" | "user_actor" => OwnerType::User,
        "service_account" | "service_account_actor" => OwnerType::ServiceAccount,
        _ if id.as_deref().is_some_and(|i| i.starts_with("svac_")) => OwnerType::ServiceAccount,
        _ if id.as_deref().is_some_and(|i| i.starts_with("user_")) => OwnerType::User,
        _ => OwnerType::Unknown,
    };
    Owner {
        kind,
        name: r.text(a, "name", at),
        email: r.text(a, "email", at),
        id,
    }
}

/// `user`: an organization member (roles `user`, `claude_code_user`, `developer`, `billing`,
/// `admin`).
fn user(r: &mut Reader, o: &Obj, path: &str) {
    r.kind("anthropic-users");
    r.batch.members_list = true;
    let item = Member {
        id: r.text(o, "id", path),
        name: r.text(o, "name", path),
        email: r.text(o, "email", path),
        kind: OwnerType::User,
        role: r.text(o, "role", path),
        added: r.time(o, "added_at", path).date(),
        ..Member::default()
    };
    r.batch.members.push(item);
}

/// `workspace`: a scope, `archived` when `archived_at` is set.
fn workspace_item(r: &mut Reader, o: &Obj, path: &str) {
    r.kind("anthropic-workspaces");
    let status = match r.time(o, "archived_at", path) {
        Stamp::Date(_) => "archived",
        _ => "active",
    };
    let item = Project {
        id: r.text(o, "id", path),
        name: r.text(o, "name", path),
        status: Some(status.into()),
        created: r.time(o, "created_at", path).date(),
        ..Project::default()
    };
    r.batch.projects.push(item);
}

/// `workspace_member`: a person's membership of one workspace (known by user id only).
fn workspace_member(r: &mut Reader, o: &Obj, path: &str) {
    r.kind("anthropic-workspace-members");
    r.batch.members_list = true;
    let item = Member {
        id: r.text(o, "user_id", path),
        kind: OwnerType::User,
        role: r.text(o, "workspace_role", path),
        project: Some(workspace(r.text(o, "workspace_id", path), None)),
        ..Member::default()
    };
    r.batch.members.push(item);
}

/// `invite`: someone asked to join; `pending` is read as invited, as OpenAI's are.
fn invite(r: &mut Reader, o: &Obj, path: &str) {
    r.kind("anthropic-invites");
    let status = r.text(o, "status", path).map(|s| match s.as_str() {
        "pending" => "invited".to_string(),
        _ => s,
    });
    let item = Member {
        id: r.text(o, "id", path),
        email: r.text(o, "email", path),
        kind: OwnerType::User,
        role: r.text(o, "role", path),
        status,
        added: r.time(o, "invited_at", path).date(),
        ..Member::default()
    };
    r.batch.members.push(item);
}

/// One bucket of `usage_report/messages` or `cost_report`. A usage bucket also widens the
/// window the report covered, empty or not: a key with no rows in it was not used then.
fn bucket(r: &mut Reader, o: &Obj, path: &str) {
    let date = r.time(o, "starting_at", path).date();
    let Some(results) = r.array(o, "results", path) else {
        return;
    };
    let at = child(path, "results");
    let mut usage_bucket = results.is_empty();
    for (i, item) in results.iter().enumerate() {
        let p = index(&at, i);
        match item.as_object() {
            Some(res) if res.contains_key("amount") => cost(r, res, &p, date),
            Some(res) => {
                usage_bucket = true;
                usage(r, res, &p, date);
            }
            None => r.warn(format!("{p}: expected a usage or cost result object")),
        }
    }
    if usage_bucket {
        r.kind("anthropic-usage");
        if let Some(d) = date {
            widen(&mut r.batch.usage_windows, d);
        }
    }
}

fn widen(windows: &mut Vec<UsageWindow>, d: Date) {
    match windows.first_mut() {
        Some(w) => {
            w.from = w.from.min(d);
            w.to = w.to.max(d);
        }
        None => windows.push(UsageWindow {
            provider: Provider::Anthropic,
            from: d,
            to: d,
            source: String::new(),
        }),
    }
}

/// A `usage_report/messages` result: every input token (uncached, cache reads and cache
/// writes of either lifetime) counts as input. The API gives no request count.
fn usage(r: &mut Reader, o: &Obj, path: &str, date: Option<Date>) {
    let mut input = r.count(o, "uncached_input_tokens", path);
    let mut add = |n: Option<u64>| {
        if let Some(n) = n {
            input = Some(input.unwrap_or(0) + n);
        }
    };
    add(r.count(o, "cache_read_input_tokens", path));
    if let Some(c) = r.object(o, "cache_creation", path) {
        let at = child(path, "cache_creation");
        add(r.count(c, "ephemeral_1h_input_tokens", &at));
        add(r.count(c, "ephemeral_5m_input_tokens", &at));
    }
    let row = UsageRow {
        date,
        key_id: r.text(o, "api_key_id", path),
        project: workspace_of(r, o, path),
        model: r.text(o, "model", path),
        usage: Usage {
            requests: None,
            input_tokens: input,
            output_tokens: r.count(o, "output_tokens", path),
            cost_usd: None,
        },
        provider: Some(Provider::Anthropic),
        ..UsageRow::default()
    };
    if !row.usage.is_empty() {
        r.batch.usage.push(row);
    }
}

/// A `cost_report` result: `amount` is a decimal string in cents ("123.45" is $1.23). Costs
/// are by workspace and description, never by key.
fn cost(r: &mut Reader, o: &Obj, path: &str, date: Option<Date>) {
    r.kind("anthropic-costs");
    match r.text(o, "currency", path) {
        Some(c) if !c.eq_ignore_ascii_case("usd") => {
            let msg = format!(
                "{}: amount in {c}, not USD; the cost was not read",
                child(path, "currency")
            );
            r.warn(msg);
            return;
        }
        _ => {}
    }
    let Some(cents) = r.amount(o, "amount", path) else {
        return;
    };
    let row = UsageRow {
        date,
        project: workspace_of(r, o, path),
        model: r.text(o, "model", path),
        line_item: r
            .text(o, "description", path)
            .or_else(|| r.text(o, "cost_type", path)),
        usage: Usage {
            cost_usd: Some(cents / 100.0),
            ..Usage::default()
        },
        provider: Some(Provider::Anthropic),
        ..UsageRow::default()
    };
    r.batch.usage.push(row);
}
