//! API keys: one row of a keys page or a keys CSV (Key Roster's own keys.csv included) into a
//! [`Key`].

use super::{redaction_in, Row};
use crate::ingest::dates::Parsed;
use crate::ingest::table::columns::Col;
use crate::ingest::table::{values, Page};
use crate::model::{Expiry, Key, KeyKind, LastUsed, Owner, OwnerType, Permissions, Usage};
use crate::secret;

pub(in crate::ingest::table) fn read_key(row: &mut Row<'_, '_>) -> Key {
    let page = row.scope.page;
    let mut key = Key {
        sources: vec![row.scope.source.clone()],
        ..Key::default()
    };
    // The name cell may stack the name over the redacted value.
    let name_cell = row
        .get(Col::KeyName)
        .or_else(|| row.get(Col::Name))
        .map(str::to_string);
    if let Some(cell) = row.raw(Col::KeyName) {
        // An explicit key-name column (keys.csv) is the name verbatim: commas, lines, spaces.
        key.name = cell.to_string();
    } else if let Some(cell) = &name_cell {
        key.name = cell
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && redaction_in(l).as_deref() != Some(*l))
            .unwrap_or("")
            .to_string();
    }
    key.redacted = row
        .get(Col::Secret)
        .and_then(redaction_in)
        .or_else(|| name_cell.as_deref().and_then(redaction_in));
    key.id = row.text(Col::KeyId).or_else(|| row.text(Col::Id));
    let prefix_kind = key
        .redacted
        .as_deref()
        .map_or(KeyKind::Unknown, secret::kind_from_value);
    if let Some(p) = key
        .redacted
        .as_deref()
        .and_then(crate::ingest::providers::by_key_value)
    {
        key.provider = p;
    }
    if let Some(p) = row.parsed(Col::Provider, "provider", values::provider) {
        key.provider = p;
    }

    // Owner: Key Roster's own columns, else the Owner column, else the creator (a user key is
    // owned by whoever created it; a service account key is not).
    let mut owner = Owner {
        kind: row.parsed(Col::OwnerType, "owner type", values::owner_type),
        name: row.text(Col::OwnerName),
        email: row.text(Col::OwnerEmail),
        id: row.text(Col::OwnerId),
    };
    let own_columns = row.cols.any(&[
        Col::OwnerType,
        Col::OwnerName,
        Col::OwnerEmail,
        Col::OwnerId,
    ]);
    if !own_columns {
        if let Some(o) = row.owner_in(Col::Owner) {
            owner = o;
        }
    }
    key.created_by = row.line(Col::CreatedBy);
    let explicit_kind = row.cols.has(Col::KeyKind);
    key.kind = row.parsed(Col::KeyKind, "key kind", values::key_kind);
    if !explicit_kind {
        key.kind = match (page, prefix_kind) {
            (Page::UserApiKeys, _) => KeyKind::User,
            (Page::AdminKeys, _) => KeyKind::Admin,
            (_, k @ (KeyKind::Project | KeyKind::ServiceAccount | KeyKind::Admin)) => k,
            _ if owner.kind == OwnerType::ServiceAccount
                || row.badged(&[Col::Name, Col::KeyName], "service account") =>
            {
                KeyKind::ServiceAccount
            }
            // The org and project key pages list project keys only, whatever the UI shows
            // of the prefix; legacy user keys live on the profile page.
            (Page::OrgApiKeys | Page::ProjectApiKeys, _) => KeyKind::Project,
            (_, k) => k,
        };
    }
    if !own_columns && owner.kind == OwnerType::Unknown {
        if key.kind == KeyKind::ServiceAccount {
            // `Created by` on a service account's key names the person who made it, unless it
            // says `Service account` (then it names the account).
            owner = row
                .owner_in(Col::CreatedBy)
                .filter(|o| o.kind == OwnerType::ServiceAccount)
                .unwrap_or(Owner {
                    kind: OwnerType::ServiceAccount,
                    ..Owner::default()
                });
        } else if let Some(by) = row.owner_in(Col::CreatedBy) {
            owner = by;
        } else if page == Page::UserApiKeys {
            // The profile page lists the viewer's own keys.
            owner = values::owner("You");
            if let Some(v) = &row.scope.viewer {
                owner.name.clone_from(&v.name);
                owner.email.clone_from(&v.email);
            }
        }
    }
    key.owner = owner;
    key.permissions = row.parsed(Col::Permissions, "permissions", values::permissions);
    if key.permissions == Permissions::Unknown {
        // A permission chip beside the name (`checkout-prod  Read only`).
        key.permissions = row
            .badges(&[Col::Name, Col::KeyName, Col::Secret])
            .iter()
            .find_map(|b| match values::permissions(b) {
                Ok(p) if p != Permissions::Unknown => Some(p),
                _ => None,
            })
            .unwrap_or(Permissions::Unknown);
    }
    if key.permissions == Permissions::Unknown
        && page == Page::UserApiKeys
        && !row.cols.has(Col::Permissions)
    {
        // Legacy user keys have full access (help.openai.com 8867743).
        key.permissions = Permissions::All;
    }
    key.created = row.day(Col::Created);
    key.status = row
        .line(Col::Status)
        .map(|s| s.trim().to_lowercase())
        .or_else(|| {
            // A status chip beside the name (`old-eval  Inactive`), as the Console's cards show.
            row.badges(&[Col::Name, Col::KeyName])
                .into_iter()
                .find(|b| matches!(b.as_str(), "active" | "inactive" | "archived" | "expired"))
        });
    key.last_used = match row.date(Col::LastUsed) {
        Parsed::Date(d) => LastUsed::Date(d),
        Parsed::Never => LastUsed::Never,
        Parsed::Unknown => LastUsed::Unknown,
    };
    key.expires = match row.date(Col::Expires) {
        Parsed::Date(d) => Expiry::Date(d),
        Parsed::Never => Expiry::Never,
        Parsed::Unknown => Expiry::Unknown,
    };
    key.project = row.project();
    let usage = Usage {
        requests: row.count(Col::Requests),
        input_tokens: row.count(Col::InputTokens),
        output_tokens: row.count(Col::OutputTokens),
        cost_usd: row.money(Col::Cost),
    };
    if !usage.is_empty() {
        key.usage = Some(usage);
    }
    if let Some(s) = row.get(Col::Sources) {
        let sources: Vec<String> = s
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        if !sources.is_empty() {
            key.sources = sources;
        }
    }
    key
}
