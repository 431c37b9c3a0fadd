//! Administration API objects: project and admin API keys, users, projects, project users,
//! service accounts and invites (OpenAI). Anthropic's are read in
//! [`crate::ingest::providers::anthropic::api`], which shares [`base_key`].
//!
//! Shapes drift between spec versions (PLATFORM-DATA.md §2.1): a key's `owner.user` is either the
//! newer `{id,email,name,created_at,role}` or an older full project user with `object` and
//! `added_at`; both are read. `last_used_at: null` means never used, an absent field unknown.

use serde_json::Value;

use super::reader::{child, index, Obj, Reader, Stamp};
use crate::model::{
    Expiry, Key, KeyKind, LastUsed, Member, OwnerAccess, OwnerType, Project, ProjectRef, Provider,
};
use crate::secret;

/// `organization.project.api_key`.
pub(super) fn project_key(r: &mut Reader, o: &Obj, path: &str) {
    r.kind("project-api-keys");
    let mut key = base_key(r, o, path, "redacted_value");
    key.owner = owner(r, o, path);
    key.owner_access = match r.text(o, "owner_project_access", path).as_deref() {
        Some("active") => Some(OwnerAccess::Active),
        Some("inactive") => Some(OwnerAccess::Inactive),
        Some(other) => {
            r.warn(format!(
                "{}: unknown owner_project_access {other:?} (expected active or inactive)",
                child(path, "owner_project_access")
            ));
            None
        }
        None => None,
    };
    // The object does not say its project; an item-level one (some tools add it) wins.
    key.project = r.project_ref(o, path).or_else(|| r.scope());
    settle_kind(&mut key);
    r.batch.keys.push(key);
}

/// `organization.admin_api_key`: organization-wide, never in a project.
pub(super) fn admin_key(r: &mut Reader, o: &Obj, path: &str) {
    r.kind("admin-api-keys");
    let mut key = base_key(r, o, path, "redacted_value");
    key.owner = owner(r, o, path);
    key.kind = KeyKind::Admin;
    r.batch.keys.push(key);
}

/// `organization.project.service_account.api_key`, as the create response returns it (its
/// `value` was scrubbed to a redaction before this runs).
pub(super) fn service_account_key(
    r: &mut Reader,
    o: &Obj,
    path: &str,
    owner: Option<crate::model::Owner>,
    project: Option<ProjectRef>,
) {
    r.kind("service-account-keys");
    let field = if o.contains_key("redacted_value") {
        "redacted_value"
    } else {
        "value"
    };
    let mut key = base_key(r, o, path, field);
    key.owner = owner.unwrap_or(crate::model::Owner {
        kind: OwnerType::ServiceAccount,
        ..Default::default()
    });
    key.project = project
        .or_else(|| r.project_ref(o, path))
        .or_else(|| r.scope());
    settle_kind(&mut key);
    r.batch.keys.push(key);
}

/// `organization.user`: an organization member, with the projects it belongs to when the newer
/// shape lists them (each becomes a project membership, see `merge`).
pub(super) fn user(r: &mut Reader, o: &Obj, path: &str) {
    r.kind("users");
    r.batch.members_list = true;
    let nested = r.object(o, "user", path).cloned();
    let at = child(path, "user");
    let mut m = person(r, o, path);
    if let Some(u) = &nested {
        if m.email.is_none() {
            m.email = r.text(u, "email", &at);
        }
        if m.name.is_none() {
            m.name = r.text(u, "name", &at);
        }
    }
    if r.flag(o, "is_service_account", path) == Some(true) {
        m.kind = OwnerType::ServiceAccount;
    }
    m.added = r
        .time(o, "added_at", path)
        .date()
        .or_else(|| r.time(o, "created", path).date());
    m.status = Some("active".into());
    if let Some(u) = &nested {
        if r.flag(u, "banned", &at) == Some(true) {
            m.status = Some("banned".into());
        } else if r.flag(u, "enabled", &at) == Some(false) {
            m.status = Some("disabled".into());
        }
    }
    let projects = r
        .object(o, "projects", path)
        .and_then(|p| p.get("data"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let base = m.clone();
    r.batch.members.push(m);
    let at = child(&child(path, "projects"), "data");
    for (i, p) in projects.iter().enumerate() {
        let p_at = index(&at, i);
        let Some(p) = p.as_object() else {
            continue;
        };
        let project = ProjectRef {
            id: r.text(p, "id", &p_at),
            name: r.text(p, "name", &p_at),
        };
        if project.is_empty() {
            continue;
        }
        let membership = Member {
            role: r.text(p, "role", &p_at),
            project: Some(project),
            added: None,
            ..base.clone()
        };
        r.batch.members.push(membership);
    }
}

/// `organization.project.user`: a member of one project.
pub(super) fn project_user(r: &mut Reader, o: &Obj, path: &str) {
    r.kind("project-users");
    r.batch.members_list = true;
    let mut m = person(r, o, path);
    m.added = r
        .time(o, "added_at", path)
        .date()
        .or_else(|| r.time(o, "created_at", path).date());
    m.status = Some("active".into());
    // A project member whose project is unknown is still a project member, never an org one.
    m.project = Some(
        r.project_ref(o, path)
            .or_else(|| r.scope())
            .unwrap_or_default(),
    );
    r.batch.members.push(m);
}

/// `organization.project.service_account`, from a list or a create response (which carries
/// the new key under `api_key`).
pub(super) fn service_account(r: &mut Reader, o: &Obj, path: &str) {
    r.kind("service-accounts");
    let mut m = person(r, o, path);
    m.kind = OwnerType::ServiceAccount;
    m.added = r.time(o, "created_at", path).date();
    let project = r
        .project_ref(o, path)
        .or_else(|| r.scope())
        .unwrap_or_default();
    m.project = Some(project.clone());
    if let Some(k) = r.object(o, "api_key", path) {
        let owner = crate::model::Owner {
            kind: OwnerType::ServiceAccount,
            name: m.name.clone(),
            email: None,
            id: m.id.clone(),
        };
        let k = k.clone();
        service_account_key(r, &k, &child(path, "api_key"), Some(owner), Some(project));
    }
    r.batch.members.push(m);
}

/// `organization.invite`. The invite's own id is not a user id, so it is not kept as one.
pub(super) fn invite(r: &mut Reader, o: &Obj, path: &str) {
    r.kind("invites");
    let added = match r.time(o, "invited_at", path) {
        Stamp::Date(d) => Some(d),
        _ => r.time(o, "created_at", path).date(),
    };
    let m = Member {
        id: None,
        name: r.text(o, "name", path),
        email: r.text(o, "email", path),
        kind: OwnerType::User,
        role: r.text(o, "role", path),
        status: Some(
            r.text(o, "status", path)
                .unwrap_or_else(|| "invited".into()),
        ),
        project: None,
        added,
        sources: Vec::new(),
    };
    r.batch.members.push(m);
}

/// `organization.project`.
pub(super) fn project(r: &mut Reader, o: &Obj, path: &str) {
    r.kind("projects");
    let archived = r.time(o, "archived_at", path);
    let status = r.text(o, "status", path).or_else(|| match archived {
        Stamp::Date(_) => Some("archived".into()),
        _ => None,
    });
    let p = Project {
        id: r.text(o, "id", path),
        name: r.text(o, "name", path),
        status,
        created: r.time(o, "created_at", path).date(),
        limits_known: false,
        hard_limit_usd: None,
        soft_limit_usd: None,
        sources: Vec::new(),
    };
    r.batch.projects.push(p);
}

/// The fields every key object shares.
pub(crate) fn base_key(r: &mut Reader, o: &Obj, path: &str, redacted_field: &str) -> Key {
    let redacted = r.text(o, redacted_field, path).and_then(|v| {
        let c = secret::canonical_redaction(&v);
        if c.is_none() {
            r.warn(format!(
                "{}: {:?} is not a redacted key value; it was ignored",
                child(path, redacted_field),
                v
            ));
        }
        c
    });
    let last_used = match r.time(o, "last_used_at", path) {
        Stamp::Date(d) => LastUsed::Date(d),
        Stamp::Null => LastUsed::Never,
        Stamp::Absent => LastUsed::Unknown,
    };
    let expires = match r.time(o, "expires_at", path) {
        Stamp::Date(d) => Expiry::Date(d),
        Stamp::Null => Expiry::Never,
        Stamp::Absent => Expiry::Unknown,
    };
    Key {
        provider: Provider::Openai,
        id: r.text(o, "id", path),
        name: r.text(o, "name", path).unwrap_or_default(),
        kind: redacted
            .as_deref()
            .map_or(KeyKind::Unknown, secret::kind_from_value),
        redacted,
        created: r.time(o, "created_at", path).date(),
        last_used,
        expires,
        ..Key::default()
    }
}

/// A key's owner: `owner{type, user{…}}` / `owner{type, service_account{…}}`, or the admin
/// key's flat `owner{type, id, name}`.
fn owner(r: &mut Reader, o: &Obj, path: &str) -> crate::model::Owner {
    let Some(w) = r.object(o, "owner", path) else {
        return crate::model::Owner::default();
    };
    let at = child(path, "owner");
    let kind = owner_type(r.text(w, "type", &at).as_deref());
    let nested_field = match kind {
        OwnerType::ServiceAccount => "service_account",
        _ => "user",
    };
    let (src, src_at) = match r.object(w, nested_field, &at) {
        Some(n) => (n, child(&at, nested_field)),
        None => (w, at.clone()),
    };
    crate::model::Owner {
        kind,
        name: r.text(src, "name", &src_at),
        email: r.text(src, "email", &src_at),
        id: r.text(src, "id", &src_at),
    }
}

fn owner_type(t: Option<&str>) -> OwnerType {
    match t {
        Some("user") => OwnerType::User,
        Some("service_account") => OwnerType::ServiceAccount,
        Some("organization") => OwnerType::Organization,
        _ => OwnerType::Unknown,
    }
}

/// A member's identity fields.
fn person(r: &mut Reader, o: &Obj, path: &str) -> Member {
    Member {
        id: r.text(o, "id", path),
        name: r.text(o, "name", path),
        email: r.text(o, "email", path),
        kind: OwnerType::User,
        role: r.text(o, "role", path),
        ..Member::default()
    }
}

/// When the prefix does not say the kind, a service-account owner does.
pub(crate) fn settle_kind(key: &mut Key) {
    if key.kind == KeyKind::Unknown && key.owner.kind == OwnerType::ServiceAccount {
        key.kind = KeyKind::ServiceAccount;
    }
}
