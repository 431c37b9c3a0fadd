//! `exposed-secret`: a full secret key was found in an input. The reader already redacted it and
//! kept only where it was; this rule turns each such record into a critical finding.

use crate::report::Target;
use crate::secret::same_key_value;

use super::{key_target, Ctx, Hit, Outcome};

pub fn exposed_secret(ctx: &Ctx) -> Outcome {
    let hits = ctx
        .inv
        .exposed
        .iter()
        .map(|e| {
            // When the leaked value is a listed key, name it: that is the key to revoke.
            let listed = ctx.inv.keys.iter().enumerate().find(|(_, k)| {
                k.redacted
                    .as_deref()
                    .is_some_and(|r| same_key_value(r, &e.redacted))
            });
            let mut target = match listed {
                Some((i, k)) => key_target(i, k),
                None => Target::default(),
            };
            target.kind = "source".into();
            target.source = Some(e.source.clone());
            target.redacted = Some(e.redacted.clone());
            let which = match listed {
                Some((_, k)) if !k.name.trim().is_empty() => {
                    format!(" (key \"{}\")", k.name.trim())
                }
                _ => String::new(),
            };
            Hit {
                target,
                message: format!(
                    "a full secret key {}{which} appears in {} at {}; it was redacted on reading \
                     and not kept",
                    e.redacted, e.source, e.location
                ),
            }
        })
        .collect();
    Outcome::Ran(hits)
}
