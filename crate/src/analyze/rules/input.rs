//! What a rule needs to judge: each [`Input`] knows how to tell, from what was read, that it is
//! missing, and says so in the words of "did not run, because …". Rules name their inputs in
//! the catalog; the run loop asks here before running them.

use super::{live, Ctx};
use crate::model::{Expiry, KeyKind, LastUsed, OwnerType, Permissions};

/// An input a rule cannot judge without. When it is missing the rule does not run and says why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A member list, or keys that say whether their owners still have access.
    Members,
    /// Last-use dates (of the live keys).
    LastUse,
    /// The last use of the admin keys.
    AdminLastUse,
    /// Creation dates.
    Created,
    /// The keys' projects.
    Projects,
    /// A limits page or file.
    Limits,
    /// A daily usage or cost series.
    DailyUsage,
    /// Expiry dates.
    Expiry,
    /// The keys' permissions.
    Permissions,
    /// Usage or cost rows by key id.
    KeyUsage,
}

impl Input {
    /// What the input is, for documentation and the printed default policy.
    pub fn describe(self) -> &'static str {
        match self {
            Input::Members => "the member list",
            Input::LastUse => "last-use dates",
            Input::AdminLastUse => "admin keys' last use",
            Input::Created => "creation dates",
            Input::Projects => "the keys' projects",
            Input::Limits => "the limits page",
            Input::DailyUsage => "daily usage or cost",
            Input::Expiry => "expiry dates",
            Input::Permissions => "permissions",
            Input::KeyUsage => "usage or cost by key id",
        }
    }

    /// Why a rule needing this input did not run, when it is missing from what was read.
    pub(super) fn missing(self, cx: &Ctx) -> Option<&'static str> {
        let mut keys = live(cx.keys).map(|(_, k)| &k.key).peekable();
        let has_live = keys.peek().is_some();
        let missing = match self {
            Input::Members => {
                let mut people = keys.filter(|k| k.owner.kind == OwnerType::User).peekable();
                people.peek().is_some()
                    && !cx.inv.members_known
                    && people.all(|k| k.owner_access.is_none())
            }
            // A key whose platform lists no last use is judged from a usage report's window.
            Input::LastUse => {
                has_live
                    && keys.all(|k| {
                        k.last_used.date().is_none()
                            && !(crate::analyze::seen::by_usage(k)
                                && crate::analyze::seen::window(cx.inv, k.provider).is_some())
                    })
            }
            Input::AdminLastUse => {
                let mut admins = keys.filter(|k| k.kind == KeyKind::Admin).peekable();
                admins.peek().is_some() && admins.all(|k| k.last_used == LastUsed::Unknown)
            }
            Input::Created => has_live && keys.all(|k| k.created.is_none()),
            Input::Projects => has_live && keys.all(|k| k.project.is_none()),
            Input::Limits => !cx.inv.projects.iter().any(|p| p.limits_known),
            Input::DailyUsage => !cx.keys.iter().any(|k| !k.key.daily.is_empty()),
            Input::Expiry => has_live && keys.all(|k| k.expires == Expiry::Unknown),
            Input::Permissions => has_live && keys.all(|k| k.permissions == Permissions::Unknown),
            Input::KeyUsage => !cx.inv.usage.iter().any(|r| r.key_id.is_some()),
        };
        missing.then_some(match self {
            Input::Members => "no member list was read and the keys do not say whether their owners still have access; add the members page or users.json",
            Input::LastUse if live(cx.keys).any(|(_, k)| crate::analyze::seen::by_usage(&k.key)) => {
                "no input says when any key was last used (Anthropic lists no last-used date: add its usage report grouped by api_key_id, or the Console's usage export)"
            }
            Input::LastUse => "no input says when any key was last used",
            Input::AdminLastUse => "no admin key's last use is known",
            Input::Created => "no input says when the keys were created",
            Input::Projects => "no key's project is known",
            Input::Limits => "no limits page or file was read, so hard limits are unknown",
            Input::DailyUsage => {
                "no daily usage or cost series was read (add a usage or cost export by day)"
            }
            Input::Expiry => "no input says when the keys expire",
            Input::Permissions => "no input says what the keys are permitted",
            Input::KeyUsage => "no usage or cost input by key id was read",
        })
    }
}
