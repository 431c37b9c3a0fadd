//! Exposure: how far a key reaches if it leaks, or has already leaked. `exposed-secret` (a full
//! secret in an input), `legacy-user-key` (reaches every project) and `broad-permissions`.

use super::{key_target, live, Ctx, Outcome};
use crate::analyze::describe_last_used;
use crate::model::{KeyKind, Permissions, Provider};
use crate::report::Target;

pub(super) fn exposed_secret(cx: &Ctx, o: &mut Outcome) {
    for e in &cx.inv.exposed {
        // A leaked value that matches a listed key makes that key the one at risk (its risk
        // becomes critical); otherwise the finding is about the input.
        let leaked = cx.keys.iter().enumerate().find(|(_, k)| {
            k.key
                .redacted
                .as_deref()
                .is_some_and(|r| crate::secret::same_key_value(r, &e.redacted))
        });
        let target = match leaked {
            Some((i, k)) => Target {
                source: Some(e.source.clone()),
                ..key_target(i, k)
            },
            None => Target {
                kind: "source".into(),
                redacted: Some(e.redacted.clone()),
                source: Some(e.source.clone()),
                ..Target::default()
            },
        };
        o.push(
            target,
            format!(
                "{} holds a full secret key at {} ({}); Key Roster redacted it and kept no copy",
                e.source, e.location, e.redacted
            ),
            "Treat the key as leaked: revoke it on the platform now, create a new one, and delete or clean every copy of this file.",
        );
    }
}

pub(super) fn legacy_user_key(cx: &Ctx, o: &mut Outcome) {
    // Only OpenAI has legacy user keys; no other platform's key is one, whatever its kind.
    for (i, k) in live(cx.keys)
        .filter(|(_, k)| k.key.kind == KeyKind::User && k.key.provider == Provider::Openai)
    {
        o.push(
            key_target(i, k),
            format!(
                "legacy user key {}: not scoped to a project, it reaches every project of the organization ({})",
                k.key.redacted.as_deref().unwrap_or("sk-..."),
                describe_last_used(k.key.last_used, cx.as_of)
            ),
            "Replace it with a project key or a service-account key scoped to what it needs, then revoke it.",
        );
    }
}

pub(super) fn broad_permissions(cx: &Ctx, o: &mut Outcome) {
    for (i, k) in live(cx.keys)
        .filter(|(_, k)| k.key.permissions == Permissions::All && k.key.kind != KeyKind::Admin)
    {
        o.push(
            key_target(i, k),
            "has permissions All".to_string(),
            "If it only calls some endpoints, restrict it (Restricted or Read only) in the key's settings.",
        );
    }
}
